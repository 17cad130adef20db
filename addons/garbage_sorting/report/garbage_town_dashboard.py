from odoo import fields, models

from ..models.garbage_assessment_period import UNLOCK_KEY


class GarbageAssessment(models.Model):
    _inherit = "garbage.assessment"

    # The town dashboard's lists filter on it: a spreadsheet domain cannot say "the latest published month".
    is_latest_published = fields.Boolean("Latest Published", readonly=True, index=True, copy=False)


class GarbageAssessmentPeriod(models.Model):
    _inherit = "garbage.assessment.period"

    def _publish(self):
        result = super()._publish()
        self._update_latest_published()
        return result

    def _withdraw(self):
        result = super()._withdraw()
        self._update_latest_published()
        return result

    def _update_latest_published(self):
        """Flag the results of the latest published month, unflag the others (two writes at most)."""
        Assessment = self.env["garbage.assessment"].sudo().with_context(**{UNLOCK_KEY: True})
        latest = self.sudo().search([("state", "=", "published")], order="date_start desc", limit=1)
        flagged = Assessment.search([("is_latest_published", "=", True)])
        current = Assessment.search([("period_id", "=", latest.id)]) if latest else Assessment
        (flagged - current).write({"is_latest_published": False})
        (current - flagged).write({"is_latest_published": True})
