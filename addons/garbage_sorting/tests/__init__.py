from . import (
    test_assessment,
    test_bin_site,
    test_concurrent_publish,
    test_inspection_rules,
    test_mutual_round,
    test_obligation,
    test_publication,
    test_rectification,
    test_unit,
    test_work_plan,
)
