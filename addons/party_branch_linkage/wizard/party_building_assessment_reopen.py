from odoo import fields, models


class PartyBuildingAssessmentReopen(models.TransientModel):
    """The town party committee reopens an approved assessment, saying why (kept in its chatter)."""

    _name = "party.building.assessment.reopen"
    _description = "Reopen Party-Building Assessment"
    # its text is checked on the way in (no NUL, no lone surrogate): a clear error, never a server error
    _inherit = ["garbage.input.mixin"]

    assessment_id = fields.Many2one("party.building.assessment", "Assessment", required=True, ondelete="cascade")
    reason = fields.Text(required=True)

    def action_confirm(self):
        self.ensure_one()
        self.assessment_id._reopen(self.reason)
        return {"type": "ir.actions.act_window_close"}
