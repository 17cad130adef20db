from odoo import api, models


class IrAttachment(models.Model):
    """The report file of an approved party-building assessment is its record's: while approved, nobody (its
    secretary included, who may still write the assessment as far as core's attachment check goes) replaces,
    changes or deletes it, nor adds another in its place (see garbage_sorting's `ir.attachment`)."""

    _inherit = "ir.attachment"

    @api.model
    def _garbage_locked_places(self, places):
        locked = super()._garbage_locked_places(places)
        ids = {
            res_id for model, res_id, field in places if model == "party.building.assessment" and field == "report_file"
        }
        if not ids:
            return locked
        assessments = self.env["party.building.assessment"].sudo().browse(ids).exists()
        for assessment in assessments.filtered(lambda assessment: assessment.state == "approved"):
            locked["party.building.assessment", assessment.id, "report_file"] = self.env._(
                "The report file of “%(name)s” belongs to the approved assessment: nobody replaces, changes or "
                "deletes it until the town party committee reopens the assessment.",
                name=assessment.name,
            )
        return locked
