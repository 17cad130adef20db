from odoo import api, fields, models
from odoo.addons.garbage_sorting.models.garbage_input_mixin import check_input_values
from odoo.exceptions import ValidationError

from .party_building_assessment import WEIGHT_PARTS, check_weight

# The weights of the party-building assessment's score: {settings field: system parameter}.
WEIGHT_SETTINGS = {f"party_building_weight_{part}": key for part, (key, __) in WEIGHT_PARTS.items()}


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    party_building_weight_units = fields.Float(
        "Weight of the Led Units' Results",
        config_parameter=WEIGHT_PARTS["units"][0],
        default=WEIGHT_PARTS["units"][1],
        help="Half for keeping the led units off the grey list, half for bringing them onto the red list.",
    )
    party_building_weight_publicity = fields.Float(
        "Weight of the Monthly Publicity",
        config_parameter=WEIGHT_PARTS["publicity"][0],
        default=WEIGHT_PARTS["publicity"][1],
        help="Share of the closed months whose publicity and education activity was held.",
    )
    party_building_weight_meetings = fields.Float(
        "Weight of the Quarterly Meetings",
        config_parameter=WEIGHT_PARTS["meetings"][0],
        default=WEIGHT_PARTS["meetings"][1],
        help="Share of the year's quarters with a work meeting, party–mass deliberation or governance joint meeting.",
    )
    party_building_weight_programme = fields.Float(
        "Weight of the Work Programme",
        config_parameter=WEIGHT_PARTS["programme"][0],
        default=WEIGHT_PARTS["programme"][1],
        help="Full when the year's work programme is approved, half when it is only submitted.",
    )
    party_building_weight_activities = fields.Float(
        "Weight of the Six Entries",
        config_parameter=WEIGHT_PARTS["activities"][0],
        default=WEIGHT_PARTS["activities"][1],
        help="Share of the in-service members who went on a six-entries activity done in the year.",
    )
    party_building_weight_volunteers = fields.Float(
        "Weight of the Volunteer Hours",
        config_parameter=WEIGHT_PARTS["volunteers"][0],
        default=WEIGHT_PARTS["volunteers"][1],
        help="Share of the members with approved volunteer hours in the year.",
    )
    party_building_weight_brand = fields.Float(
        "Weight of the Brand Project",
        config_parameter=WEIGHT_PARTS["brand"][0],
        default=WEIGHT_PARTS["brand"][1],
        help="Half for a running or completed brand project, full with a typical case of the year.",
    )
    party_building_weight_review = fields.Float(
        "Weight of the Review",
        config_parameter=WEIGHT_PARTS["review"][0],
        default=WEIGHT_PARTS["review"][1],
        help="The evaluators' result of the secretary's report: good 100%, fairly good 80%, average 60%, poor 0.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        # NaN and other non-numbers fail in the ORM's conversion, before any constraint: refused here
        for vals in vals_list:
            check_input_values(self, {name: value for name, value in vals.items() if name in WEIGHT_SETTINGS})
        return super().create(vals_list)

    def write(self, vals):
        check_input_values(self, {name: value for name, value in vals.items() if name in WEIGHT_SETTINGS})
        return super().write(vals)

    def set_values(self):
        result = super().set_values()
        # a weight of 0 (the part does not count) would delete its parameter and fall back to the default
        set_param = self.env["ir.config_parameter"].sudo().set_param
        for name, key in WEIGHT_SETTINGS.items():
            set_param(key, repr(self[name]))
        return result

    @api.constrains(*WEIGHT_SETTINGS)
    def _check_building_weights(self):
        for settings in self:
            for name in WEIGHT_SETTINGS:
                check_weight(self.env, settings[name], self._fields[name]._description_string(self.env))
            if not any(settings[name] > 0 for name in WEIGHT_SETTINGS):
                raise ValidationError(
                    self.env._("At least one part of the party-building assessment must weigh more than 0.")
                )


class IrConfigParameter(models.Model):
    """The weights hold a finite number from 0 to 100 also when edited by hand in the system parameters."""

    _inherit = "ir.config_parameter"

    @api.constrains("key", "value")
    def _check_building_weight(self):
        keys = set(WEIGHT_SETTINGS.values())
        for parameter in self:
            if parameter.key in keys:
                check_weight(self.env, parameter.value, parameter.key)
