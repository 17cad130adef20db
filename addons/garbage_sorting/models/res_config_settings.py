from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    garbage_obligation_reminder_days = fields.Integer(
        "Reminder Before Period End (days)",
        config_parameter="garbage_sorting.obligation_reminder_days",
        default=10,
        help="A liaison is reminded once when an obligation is still short this many days before its period ends.",
    )
    garbage_volunteer_hours_max_age_days = fields.Integer(
        "Volunteer Hours Maximum Age (days)",
        config_parameter="garbage_sorting.volunteer_hours_max_age_days",
        default=60,
        help="Volunteers cannot log hours older than this many days in the portal.",
    )
