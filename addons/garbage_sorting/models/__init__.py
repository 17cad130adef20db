from . import (
    garbage_bin_site,
    garbage_inspection,
    garbage_inspection_template,
    garbage_obligation,
    garbage_obligation_rule,
    garbage_rectification,
    garbage_unit,
    res_config_settings,
)
