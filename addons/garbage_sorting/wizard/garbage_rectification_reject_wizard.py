from odoo import fields, models
from odoo.exceptions import ValidationError

from ..models.garbage_rectification import REASON_MAX_LENGTH


class GarbageRectificationRejectWizard(models.TransientModel):
    _name = "garbage.rectification.reject.wizard"
    _description = "Reject a Rectification at Recheck"
    # its text is checked on the way in (no NUL, no lone surrogate): a clear error, never a server error
    _inherit = ["garbage.input.mixin"]

    rectification_id = fields.Many2one("garbage.rectification", "Rectification", required=True, ondelete="cascade")
    reason = fields.Text(required=True, help="What is still wrong: the unit reads it in the rectification's chatter.")

    def action_reject(self):
        """The rectification's own reject action decides who may reject (inspectors and the task force, never for
        a unit they act for) and records the reason."""
        self.ensure_one()
        reason = (self.reason or "").strip()
        if not reason:
            raise ValidationError(self.env._("Give the reason why the rectification is rejected."))
        if len(reason) > REASON_MAX_LENGTH:
            raise ValidationError(self.env._("Keep the reason under %(count)s characters.", count=REASON_MAX_LENGTH))
        self.rectification_id.action_reject(reason)
        return {"type": "ir.actions.act_window_close"}
