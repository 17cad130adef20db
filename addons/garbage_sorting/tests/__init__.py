from . import test_bin_site, test_inspection_rules, test_mutual_round, test_rectification, test_unit, test_work_plan
