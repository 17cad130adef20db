from odoo import api, fields, models
from odoo.exceptions import ValidationError

NOTE_MAX_LENGTH = 2000


class GarbageAssessmentPublishWizard(models.TransientModel):
    """The task force's explicit confirmation of a publication that needs one: units the town did not
    inspect in the month, or a month not over yet. Confirming publishes and records who confirmed what."""

    _name = "garbage.assessment.publish.wizard"
    _description = "Publication Confirmation"
    # its text is checked on the way in (no NUL, no lone surrogate): a clear error, never a server error
    _inherit = ["garbage.input.mixin"]

    period_id = fields.Many2one("garbage.assessment.period", "Assessment", required=True, ondelete="cascade")
    warning_text = fields.Text("To Confirm", compute="_compute_warning_text")
    uninspected_unit_ids = fields.Many2many(related="period_id.uninspected_unit_ids")
    note = fields.Text("Comment", help="Why the task force publishes all the same; recorded with the confirmation.")

    @api.depends("period_id")
    def _compute_warning_text(self):
        for wizard in self:
            wizard.warning_text = "\n".join(wizard.period_id._get_publish_warnings()) if wizard.period_id else False

    @api.constrains("note")
    def _check_note(self):
        if any(len(wizard.note or "") > NOTE_MAX_LENGTH for wizard in self):
            raise ValidationError(self.env._("Keep the comment under %(count)s characters.", count=NOTE_MAX_LENGTH))

    def action_confirm(self):
        self.ensure_one()
        # The period checks the rights (task force only), its state and the lock again.
        self.period_id._publish_confirmed(self.note)
        return {"type": "ir.actions.act_window_close"}
