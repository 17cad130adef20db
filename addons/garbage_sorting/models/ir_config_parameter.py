from odoo import api, models

from .garbage_input_mixin import PARAMETER_RANGES, check_parameter


class IrConfigParameter(models.Model):
    """The mechanism's numeric settings hold a finite number in their range, also when an administrator edits
    the system parameter by hand (Technical › System Parameters) instead of the Settings. Only the keys of
    these addons are concerned."""

    _inherit = "ir.config_parameter"

    @api.constrains("key", "value")
    def _check_garbage_number(self):
        for parameter in self:
            if parameter.key in PARAMETER_RANGES:
                check_parameter(self.env, parameter.key, parameter.value, parameter.key)
