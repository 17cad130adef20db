from . import (
    garbage_bin_site,
    garbage_inspection,
    garbage_inspection_template,
    garbage_mutual_round,
    garbage_obligation,
    garbage_obligation_rule,
    garbage_rectification,
    garbage_unit,
    garbage_work_plan,
    res_config_settings,
)
