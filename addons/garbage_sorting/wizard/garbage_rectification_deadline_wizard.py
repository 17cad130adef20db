from odoo import fields, models


class GarbageRectificationDeadlineWizard(models.TransientModel):
    _name = "garbage.rectification.deadline.wizard"
    _description = "Extend a Rectification Deadline"
    _inherit = ["garbage.input.mixin"]

    rectification_id = fields.Many2one("garbage.rectification", "Rectification", required=True, ondelete="cascade")
    current_deadline = fields.Date(related="rectification_id.deadline")
    new_deadline = fields.Date(required=True)
    reason = fields.Text(required=True, help="Kept in the rectification's chatter.")

    def action_extend(self):
        self.ensure_one()
        self.rectification_id.action_extend_deadline(self.new_deadline, self.reason)
        return {"type": "ir.actions.act_window_close"}
