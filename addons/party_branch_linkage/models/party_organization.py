from odoo import api, fields, models
from odoo.exceptions import ValidationError


class PartyOrganization(models.Model):
    _name = "party.organization"
    _description = "Party Organization"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _parent_store = True
    _order = "complete_name"
    _rec_name = "complete_name"

    name = fields.Char(required=True, tracking=True)
    complete_name = fields.Char(compute="_compute_complete_name", store=True, recursive=True)
    org_type = fields.Selection(
        [
            ("committee", "Party Committee"),
            ("general_branch", "General Branch"),
            ("branch", "Branch"),
            ("action_branch", "Action Branch"),
        ],
        "Type",
        required=True,
        default="branch",
        tracking=True,
    )
    parent_id = fields.Many2one("party.organization", "Parent Organization", index=True, ondelete="restrict")
    parent_path = fields.Char(index=True)
    child_ids = fields.One2many("party.organization", "parent_id", string="Sub-organizations")
    secretary_id = fields.Many2one("res.users", "Secretary", tracking=True)
    unit_ids = fields.Many2many("garbage.unit", string="Led Units", help="Responsible units this organisation leads.")
    active = fields.Boolean(default=True)

    @api.depends("name", "parent_id.complete_name")
    def _compute_complete_name(self):
        for organization in self:
            if organization.parent_id:
                organization.complete_name = f"{organization.parent_id.complete_name} / {organization.name}"
            else:
                organization.complete_name = organization.name

    @api.constrains("parent_id")
    def _check_parent_id(self):
        if self._has_cycle():
            raise ValidationError(
                self.env._("A party organization cannot be placed under itself or one of its own branches.")
            )
