from odoo import models


class IrHttp(models.AbstractModel):
    _inherit = "ir.http"

    def session_info(self):
        result = super().session_info()
        user = self.env.user
        if result.get("home_action_id") or not user._is_internal():
            return result
        # No home action of the user's own: land on their work, not on the first app (Discuss).
        result["home_action_id"] = user._garbage_home_action().id or False
        return result
