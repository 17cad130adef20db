from . import (
    garbage_bin_site,
    garbage_inspection,
    garbage_inspection_template,
    garbage_obligation,
    garbage_obligation_rule,
    garbage_rectification,
    garbage_unit,
    garbage_volunteer_duty,
    garbage_volunteer_hour,
    res_config_settings,
    res_partner,
)
