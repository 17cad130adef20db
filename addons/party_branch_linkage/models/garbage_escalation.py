from odoo import fields, models


class GarbageEscalation(models.Model):
    _inherit = "garbage.escalation"

    def _interview_event_values(self, town):
        # The interview concerns its unit: it shows with the unit's meetings (it has no party kind, so it counts
        # in no cadence).
        return {**super()._interview_event_values(town), "garbage_unit_ids": [fields.Command.set(self.unit_id.ids)]}
