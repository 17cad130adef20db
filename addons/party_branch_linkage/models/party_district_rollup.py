from odoo import api, models
from odoo.tools import SQL


class GarbageDistrictRollup(models.Model):
    """The district roll-up's party-building figures: the towns' approved assessments of the year. Extending the
    view from this addon also rebuilds it when the addon is installed (after its own table)."""

    _inherit = "garbage.district.rollup"
    _depends = {"party.building.assessment": ["company_id", "year", "state", "score"]}

    @api.model
    def _party_building_query(self):
        return SQL(
            """
            SELECT assessment.company_id, assessment.year, COUNT(*) AS approved_count, AVG(assessment.score) AS score
              FROM party_building_assessment assessment
             WHERE assessment.state = 'approved'
             GROUP BY assessment.company_id, assessment.year
            """
        )
