from odoo import fields, models


class GarbageInspectionRefuseWizard(models.TransientModel):
    _name = "garbage.inspection.refuse.wizard"
    _description = "Record a Refused Mutual Inspection"
    # its text is checked on the way in (no NUL, no lone surrogate): a clear error, never a server error
    _inherit = ["garbage.input.mixin"]

    inspection_id = fields.Many2one("garbage.inspection", "Inspection", required=True, ondelete="cascade")
    reason = fields.Text(
        required=True, help="Why the inspection could not take place: it shows on the inspected unit's result line."
    )

    def action_refuse(self):
        """The inspection's own refuse action decides who may record it and checks the reason."""
        self.ensure_one()
        self.inspection_id.action_refuse(self.reason)
        return {"type": "ir.actions.act_window_close"}
