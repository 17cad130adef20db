"""Each town is a company with its own settings: the system parameters that held the one town's settings become
the settings of every company (the records themselves went to the main company with their new `company_id`,
and so do the volunteers).
A parameter edited by hand into something that is not a valid value is left for the field's default."""

import math

from odoo import SUPERUSER_ID, api
from odoo.tools import SQL

# {system parameter: res.company field}
SETTINGS = {
    "garbage_sorting.obligation_reminder_days": "garbage_obligation_reminder_days",
    "garbage_sorting.work_plan_deadline": "garbage_work_plan_deadline",
    "garbage_sorting.interview_location": "garbage_interview_location",
    "garbage_sorting.rectification_days": "garbage_rectification_days",
    "garbage_sorting.weight_patrol": "garbage_weight_patrol",
    "garbage_sorting.weight_mutual": "garbage_weight_mutual",
    "garbage_sorting.weight_self": "garbage_weight_self",
    "garbage_sorting.penalty_missed": "garbage_penalty_missed",
    "garbage_sorting.penalty_overdue": "garbage_penalty_overdue",
    "garbage_sorting.red_min_score": "garbage_red_min_score",
    "garbage_sorting.red_max_rank": "garbage_red_max_rank",
    "garbage_sorting.grey_below_score": "garbage_grey_below_score",
    "garbage_sorting.public_notice": "garbage_public_notice",
    "garbage_sorting.taskforce_head_id": "garbage_taskforce_head_id",
    "garbage_sorting.town_leader_id": "garbage_town_leader_id",
    "garbage_sorting.volunteer_hours_max_age_days": "garbage_volunteer_hours_max_age_days",
    "garbage_sorting.checkin_tolerance_minutes": "garbage_checkin_tolerance_minutes",
}


def _value(env, field, raw):
    raw = (raw or "").strip()
    if field.type == "boolean":
        return raw.lower() not in ("false", "0", "no", "off", "")
    if field.type == "many2one":
        user = env[field.comodel_name].browse(int(raw) if raw.isdigit() and len(raw) < 10 else ()).exists()
        return user.id or None
    if field.type in ("integer", "float"):
        try:
            number = float(raw)
        except ValueError:
            return None
        if not math.isfinite(number) or (field.type == "integer" and number != int(number)):
            return None
        return int(number) if field.type == "integer" else number
    return raw or None


# Records whose town is their parent's, parents first: filled here should the upgrade have left any empty.
FOLLOWERS = (
    ("garbage_bin_site", "unit_id", "garbage_unit"),
    ("garbage_inspection", "unit_id", "garbage_unit"),
    ("garbage_inspection_line", "inspection_id", "garbage_inspection"),
    ("garbage_inspection_template_item", "template_id", "garbage_inspection_template"),
    ("garbage_mutual_round_pair", "round_id", "garbage_mutual_round"),
    ("garbage_obligation", "rule_id", "garbage_obligation_rule"),
    ("garbage_rectification", "inspection_id", "garbage_inspection"),
    ("garbage_assessment", "period_id", "garbage_assessment_period"),
    ("garbage_escalation", "unit_id", "garbage_unit"),
    ("garbage_unit_annual", "unit_id", "garbage_unit"),
    ("garbage_unit_partner", "unit_id", "garbage_unit"),
    ("garbage_volunteer_duty", "site_id", "garbage_bin_site"),
    ("garbage_volunteer_attendance", "duty_id", "garbage_volunteer_duty"),
    ("garbage_work_plan", "unit_id", "garbage_unit"),
    ("garbage_work_plan_line", "plan_id", "garbage_work_plan"),
)
OWNERS = (
    "garbage_unit",
    "garbage_inspection_template",
    "garbage_mutual_round",
    "garbage_obligation_rule",
    "garbage_assessment_period",
    "garbage_volunteer_certificate",
    "garbage_volunteer_hour",
)


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    # the one town's records and volunteers are its own: another town created later does not see them
    main = env.ref("base.main_company")
    for table in OWNERS:
        cr.execute(SQL("UPDATE %s SET company_id = %s WHERE company_id IS NULL", SQL.identifier(table), main.id))
    for table, column, parent in FOLLOWERS:
        cr.execute(
            SQL(
                "UPDATE %s child SET company_id = parent.company_id FROM %s parent "
                "WHERE child.%s = parent.id AND child.company_id IS NULL",
                SQL.identifier(table),
                SQL.identifier(parent),
                SQL.identifier(column),
            )
        )
    cr.execute(
        "UPDATE res_partner SET company_id = %s WHERE is_volunteer AND company_id IS NULL",
        (main.id,),
    )
    Param = env["ir.config_parameter"]
    companies = env["res.company"].with_context(active_test=False).search([])
    for key, name in SETTINGS.items():
        parameter = Param.search([("key", "=", key)])
        if not parameter:
            continue
        value = _value(env, companies._fields[name], parameter.value)
        if value is not None:
            try:
                with cr.savepoint():
                    companies.write({name: value})
            except Exception:  # a value out of range keeps the field's default
                pass
        parameter.unlink()
