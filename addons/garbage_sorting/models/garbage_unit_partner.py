from odoo import fields, models
from odoo.exceptions import AccessError

PARTNER_ROLES = [
    ("residents_committee", "Residents' Committee"),
    ("owners_committee", "Owners' Committee"),
    ("property_management", "Property Management"),
    ("public_institution", "Public Institution"),
]


class GarbageUnitPartner(models.Model):
    """A partner of the unit in the work (居委会、业委会、物业、公共机构), as the mechanism's aim names them.

    The unit's liaison keeps them up to date on their own units; they are contacts only: they are not
    assessed and place nothing in the monthly assessment.
    """

    _name = "garbage.unit.partner"
    _description = "Unit Partner in the Work"
    # its text is checked on the way in (no NUL, no lone surrogate): a clear error, never a server error
    _inherit = ["garbage.input.mixin"]
    _order = "unit_id, role, id"
    _check_company_auto = True

    company_id = fields.Many2one(related="unit_id.company_id", string="Town", store=True, index=True, precompute=True)
    unit_id = fields.Many2one("garbage.unit", "Unit", required=True, ondelete="cascade", index=True)
    role = fields.Selection(PARTNER_ROLES, required=True)
    partner_id = fields.Many2one("res.partner", "Partner", required=True, ondelete="restrict")
    phone = fields.Char(related="partner_id.phone")
    note = fields.Char("What They Do")

    _sql_constraints = [
        ("unit_role_partner_unique", "unique(unit_id, role, partner_id)", "This partner already has this role here."),
    ]

    def write(self, vals):
        # A partner line stays on its unit: moved, it would land on a unit the liaison does not keep.
        if "unit_id" in vals and any(line.unit_id.id != vals["unit_id"] for line in self) and not self._is_manager():
            raise AccessError(self.env._("A partner in the work stays on its unit: add it to the other unit instead."))
        return super().write(vals)

    def _is_manager(self):
        return self.env.su or self.env.user.has_group("garbage_sorting.garbage_sorting_group_manager")
