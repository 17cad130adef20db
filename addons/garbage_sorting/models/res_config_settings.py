from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    garbage_obligation_reminder_days = fields.Integer(
        "Reminder Before Period End (days)",
        config_parameter="garbage_sorting.obligation_reminder_days",
        default=10,
        help="A liaison is reminded once when an obligation is still short this many days before its period ends.",
    )
    garbage_rectification_days = fields.Integer(
        "Rectification Deadline (days)",
        config_parameter="garbage_sorting.rectification_days",
        default=7,
        help="Days after the inspection by which a failed check must be rectified.",
    )
