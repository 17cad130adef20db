from odoo import fields, models


class GarbageVolunteerHourReject(models.TransientModel):
    _name = "garbage.volunteer.hour.reject"
    _description = "Reject Volunteer Hours"
    # its text is checked on the way in (no NUL, no lone surrogate): a clear error, never a server error
    _inherit = ["garbage.input.mixin"]

    hour_ids = fields.Many2many("garbage.volunteer.hour", string="Hours", required=True)
    reason = fields.Text(required=True)

    def action_reject(self):
        self.ensure_one()
        self.hour_ids.action_reject(self.reason)
        return {"type": "ir.actions.act_window_close"}
