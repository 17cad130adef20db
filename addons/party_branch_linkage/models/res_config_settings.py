from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    """The Settings show the current town's weights (res.company fields, checked there)."""

    _inherit = "res.config.settings"

    party_building_weight_units = fields.Float(related="company_id.party_building_weight_units", readonly=False)
    party_building_weight_publicity = fields.Float(related="company_id.party_building_weight_publicity", readonly=False)
    party_building_weight_meetings = fields.Float(related="company_id.party_building_weight_meetings", readonly=False)
    party_building_weight_programme = fields.Float(related="company_id.party_building_weight_programme", readonly=False)
    party_building_weight_activities = fields.Float(
        related="company_id.party_building_weight_activities", readonly=False
    )
    party_building_weight_volunteers = fields.Float(
        related="company_id.party_building_weight_volunteers", readonly=False
    )
    party_building_weight_brand = fields.Float(related="company_id.party_building_weight_brand", readonly=False)
    party_building_weight_review = fields.Float(related="company_id.party_building_weight_review", readonly=False)
