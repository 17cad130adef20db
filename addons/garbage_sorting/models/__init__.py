# The mixins first: the input mixin (which the guard mixin inherits), then the guard and photo mixins, which the
# other models inherit.
from . import garbage_input_mixin

# isort: split
from . import garbage_guard_mixin, garbage_photo_mixin

# isort: split
from . import (
    calendar_event,
    garbage_assessment,
    garbage_assessment_period,
    garbage_assessment_period_demo,
    garbage_bin_site,
    garbage_escalation,
    garbage_inspection,
    garbage_inspection_template,
    garbage_mutual_round,
    garbage_obligation,
    garbage_obligation_rule,
    garbage_rectification,
    garbage_unit,
    garbage_unit_annual,
    garbage_unit_partner,
    garbage_volunteer_certificate,
    garbage_volunteer_duty,
    garbage_volunteer_hour,
    garbage_work_plan,
    ir_actions_report,
    ir_attachment,
    ir_http,
    latest_published_filters,
    mail_thread,
    res_company,
    res_config_settings,
    res_partner,
    res_users,
)

# isort: split
# SQL views on the assessment's tables: after the models that create them.
from . import garbage_assessment_notice, garbage_district_rollup
