from odoo import fields, models


class GarbageObligationRule(models.Model):
    _inherit = "garbage.obligation.rule"

    reminder_target = fields.Selection(
        selection_add=[("secretary", "Party Secretary")], ondelete={"secretary": "set default"}
    )


class GarbageObligation(models.Model):
    _inherit = "garbage.obligation"

    def _get_reminder_user(self):
        # Without a secretary on record, the unit's liaison is reminded instead.
        if self.rule_id.reminder_target == "secretary" and (secretary := self.unit_id._get_party_secretary()):
            return secretary
        return super()._get_reminder_user()
