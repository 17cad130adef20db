from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .garbage_assessment_notice import PUBLIC_NOTICE_PARAM, public_notice_enabled
from .garbage_input_mixin import check_input_values, check_parameter
from .garbage_obligation_rule import WORK_PLAN_DEADLINE_DEFAULT, parse_month_day
from .garbage_volunteer_duty import MAX_TOLERANCE_MINUTES

# The numeric settings of the addon and their system parameters (see PARAMETER_RANGES).
NUMERIC_SETTINGS = {
    "garbage_obligation_reminder_days": "garbage_sorting.obligation_reminder_days",
    "garbage_rectification_days": "garbage_sorting.rectification_days",
    "garbage_weight_patrol": "garbage_sorting.weight_patrol",
    "garbage_weight_mutual": "garbage_sorting.weight_mutual",
    "garbage_weight_self": "garbage_sorting.weight_self",
    "garbage_penalty_missed": "garbage_sorting.penalty_missed",
    "garbage_penalty_overdue": "garbage_sorting.penalty_overdue",
    "garbage_red_min_score": "garbage_sorting.red_min_score",
    "garbage_red_max_rank": "garbage_sorting.red_max_rank",
    "garbage_grey_below_score": "garbage_sorting.grey_below_score",
    "garbage_volunteer_hours_max_age_days": "garbage_sorting.volunteer_hours_max_age_days",
    "garbage_checkin_tolerance_minutes": "garbage_sorting.checkin_tolerance_minutes",
}
WEIGHT_SETTINGS = ("garbage_weight_patrol", "garbage_weight_mutual", "garbage_weight_self")


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    garbage_obligation_reminder_days = fields.Integer(
        "Reminder Before Period End (days)",
        config_parameter="garbage_sorting.obligation_reminder_days",
        default=10,
        help="A liaison is reminded once when an obligation is still short this many days before its period ends.",
    )
    garbage_work_plan_deadline = fields.Char(
        "Work Plan Deadline (MM-DD)",
        config_parameter="garbage_sorting.work_plan_deadline",
        default=WORK_PLAN_DEADLINE_DEFAULT,
        help="Every unit has its annual work plan approved by this day of the year (MM-DD, e.g. 03-31); a unit "
        "without one misses the yearly obligation, a penalty in that month's assessment.",
    )
    garbage_interview_location = fields.Char(
        "Interview Place",
        config_parameter="garbage_sorting.interview_location",
        help="Where the grey-list interviews are held; empty: the meeting room at the town's address.",
    )
    garbage_rectification_days = fields.Integer(
        "Rectification Deadline (days)",
        config_parameter="garbage_sorting.rectification_days",
        default=7,
        help="Days after the inspection by which a failed check must be rectified.",
    )
    # Monthly assessment (red/grey lists)
    garbage_weight_patrol = fields.Float(
        "Weight of Town Patrols", config_parameter="garbage_sorting.weight_patrol", default=0.5
    )
    garbage_weight_mutual = fields.Float(
        "Weight of Mutual Inspections", config_parameter="garbage_sorting.weight_mutual", default=0.3
    )
    garbage_weight_self = fields.Float(
        "Weight of Self-inspections", config_parameter="garbage_sorting.weight_self", default=0.2
    )
    garbage_penalty_missed = fields.Float(
        "Penalty per Missed Obligation", config_parameter="garbage_sorting.penalty_missed", default=5.0
    )
    garbage_penalty_overdue = fields.Float(
        "Penalty per Overdue Rectification", config_parameter="garbage_sorting.penalty_overdue", default=2.0
    )
    garbage_red_min_score = fields.Float(
        "Red List from Score", config_parameter="garbage_sorting.red_min_score", default=90.0
    )
    garbage_red_max_rank = fields.Integer(
        "Red List up to Rank", config_parameter="garbage_sorting.red_max_rank", default=3
    )
    garbage_grey_below_score = fields.Float(
        "Grey List below Score", config_parameter="garbage_sorting.grey_below_score", default=70.0
    )
    # Stored as "True"/"False" (see get_values/set_values): a boolean parameter switched off would be deleted
    # and read back as its default, on.
    garbage_public_notice = fields.Boolean(
        "Public Notice of the Lists",
        default=True,
        help="The published months' red and grey lists are on a public page, without login "
        "(/garbage_sorting/notice), and the printed notice's QR code leads to it.",
    )
    garbage_taskforce_head_id = fields.Many2one(
        "res.users",
        "Task-Force Head",
        config_parameter="garbage_sorting.taskforce_head_id",
        help="Visits grey-listed units and reports them to their superior authority; "
        "by default the first task-force manager.",
    )
    garbage_town_leader_id = fields.Many2one(
        "res.users",
        "Town Leader in Charge",
        config_parameter="garbage_sorting.town_leader_id",
        help="Interviews the head of a unit grey-listed twice; by default the first town leader.",
    )
    garbage_volunteer_hours_max_age_days = fields.Integer(
        "Volunteer Hours Maximum Age (days)",
        config_parameter="garbage_sorting.volunteer_hours_max_age_days",
        default=60,
        help="Volunteers cannot log hours older than this many days in the portal.",
    )
    garbage_checkin_tolerance_minutes = fields.Integer(
        "Check-in Tolerance (minutes)",
        config_parameter="garbage_sorting.checkin_tolerance_minutes",
        default=30,
        help="Volunteers check in and earn hours from this many minutes before a duty starts until this many "
        "minutes after it ends; a check-in outside that window is refused.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        # NaN, infinities and other non-numbers fail in the ORM's conversion, before any constraint: refused here
        for vals in vals_list:
            check_input_values(self, {name: value for name, value in vals.items() if name in NUMERIC_SETTINGS})
        return super().create(vals_list)

    def write(self, vals):
        check_input_values(self, {name: value for name, value in vals.items() if name in NUMERIC_SETTINGS})
        return super().write(vals)

    @api.model
    def get_values(self):
        return {**super().get_values(), "garbage_public_notice": public_notice_enabled(self.env)}

    def set_values(self):
        result = super().set_values()
        self.env["ir.config_parameter"].sudo().set_param(PUBLIC_NOTICE_PARAM, str(bool(self.garbage_public_notice)))
        # A numeric setting of 0 (no penalty, no weight for a source, no tolerance) would delete its parameter
        # and fall back to the default: keep "0".
        set_param = self.env["ir.config_parameter"].sudo().set_param
        for name, key in NUMERIC_SETTINGS.items():
            set_param(key, repr(self[name]))
        return result

    @api.constrains(*NUMERIC_SETTINGS)
    def _check_numbers(self):
        for settings in self:
            for name, key in NUMERIC_SETTINGS.items():
                check_parameter(self.env, key, settings[name], self._fields[name]._description_string(self.env))
            if not any(settings[name] > 0 for name in WEIGHT_SETTINGS):
                raise ValidationError(
                    self.env._("At least one kind of inspection must weigh more than 0 in the monthly score.")
                )

    @api.constrains("garbage_checkin_tolerance_minutes")
    def _check_checkin_tolerance(self):
        for settings in self:
            if not 0 <= settings.garbage_checkin_tolerance_minutes <= MAX_TOLERANCE_MINUTES:
                raise ValidationError(
                    self.env._("The check-in tolerance is from 0 to %(max)s minutes.", max=MAX_TOLERANCE_MINUTES)
                )

    @api.constrains("garbage_work_plan_deadline")
    def _check_work_plan_deadline(self):
        for settings in self:
            if settings.garbage_work_plan_deadline and not parse_month_day(settings.garbage_work_plan_deadline):
                raise ValidationError(
                    self.env._("The work plan deadline is a day of the year written MM-DD, e.g. 03-31.")
                )
