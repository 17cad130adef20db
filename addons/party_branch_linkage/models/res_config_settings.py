from odoo import api, fields, models
from odoo.addons.garbage_sorting.models.garbage_input_mixin import check_input_values, context_defaults

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
        for vals in vals_list:
            self._check_weight_values({**context_defaults(self, vals), **vals})
        weights = [{name: vals.pop(name) for name in WEIGHT_FIELDS if name in vals} for vals in vals_list]
        settings = super().create(vals_list)
        for record, values in zip(settings, weights, strict=True):
            if values:
                record.company_id.write(values)
        return settings

    def write(self, vals):
        self._check_weight_values(vals)
        return super().write(vals)

    @api.model
    def _check_weight_values(self, vals):
        """NaN, infinities and texts that are no number fail in the ORM's conversion of the Settings' own fields,
        before the town's checks: refused here with the same message."""
        check_input_values(self, {name: value for name, value in vals.items() if name in WEIGHT_FIELDS})
