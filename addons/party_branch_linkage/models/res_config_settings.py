from odoo import api, fields, models

from .party_building_assessment import WEIGHT_PARTS

WEIGHT_FIELDS = tuple(name for name, __ in WEIGHT_PARTS.values())


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

    @api.model_create_multi
    def create(self, vals_list):
        """The weights go to the town in one write, checked there: moving the whole weight from one part to
        another is never seen as "every part 0" half-way, as writing the related fields one by one would."""
        weights = [{name: vals.pop(name) for name in WEIGHT_FIELDS if name in vals} for vals in vals_list]
        settings = super().create(vals_list)
        for record, values in zip(settings, weights, strict=True):
            if values:
                record.company_id.write(values)
        return settings
