from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .party_building_assessment import WEIGHT_MAX, WEIGHT_PARTS


class ResCompany(models.Model):
    """Each town weighs the parts of its party-building assessment itself (a new town starts from the
    district office's weights, see `_town_setting_fields`)."""

    _inherit = "res.company"

    party_building_weight_units = fields.Float(
        "Weight of the Led Units' Results",
        default=WEIGHT_PARTS["units"][1],
        help="Half for keeping the led units off the grey list, half for bringing them onto the red list.",
    )
    party_building_weight_publicity = fields.Float(
        "Weight of the Monthly Publicity",
        default=WEIGHT_PARTS["publicity"][1],
        help="Share of the closed months whose publicity and education activity was held.",
    )
    party_building_weight_meetings = fields.Float(
        "Weight of the Quarterly Meetings",
        default=WEIGHT_PARTS["meetings"][1],
        help="Share of the year's quarters with a work meeting, party–mass deliberation or governance joint meeting.",
    )
    party_building_weight_programme = fields.Float(
        "Weight of the Work Programme",
        default=WEIGHT_PARTS["programme"][1],
        help="Full when the year's work programme is approved, half when it is only submitted.",
    )
    party_building_weight_activities = fields.Float(
        "Weight of the Six Entries",
        default=WEIGHT_PARTS["activities"][1],
        help="Share of the in-service members who went on a six-entries activity done in the year.",
    )
    party_building_weight_volunteers = fields.Float(
        "Weight of the Volunteer Hours",
        default=WEIGHT_PARTS["volunteers"][1],
        help="Share of the members with approved volunteer hours in the year.",
    )
    party_building_weight_brand = fields.Float(
        "Weight of the Brand Project",
        default=WEIGHT_PARTS["brand"][1],
        help="Half for a running or completed brand project, full with a typical case of the year.",
    )
    party_building_weight_review = fields.Float(
        "Weight of the Review",
        default=WEIGHT_PARTS["review"][1],
        help="The evaluators' result of the secretary's report: good 100%, fairly good 80%, average 60%, poor 0.",
    )

    @api.model
    def _input_ranges(self):
        return {**super()._input_ranges(), **{name: (0, WEIGHT_MAX, False) for name, __ in WEIGHT_PARTS.values()}}

    @api.model
    def _town_setting_fields(self):
        return [*super()._town_setting_fields(), *(name for name, __ in WEIGHT_PARTS.values())]

    @api.constrains(*(name for name, __ in WEIGHT_PARTS.values()))
    def _check_party_building_weights(self):
        for company in self:
            if not any(company[name] > 0 for name, __ in WEIGHT_PARTS.values()):
                raise ValidationError(
                    self.env._("At least one part of the party-building assessment must weigh more than 0.")
                )
