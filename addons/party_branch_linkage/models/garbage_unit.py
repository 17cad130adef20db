from odoo import api, fields, models
from odoo.exceptions import AccessError

from .party_organization import check_one_town

# The unit's side of the party structure: set by the town party committee and the task force.
PARTY_STRUCTURE_FIELDS = ("party_organization_ids", "party_linkage_group_ids", "party_led_linkage_group_ids")


class GarbageUnit(models.Model):
    _inherit = "garbage.unit"

    party_organization_ids = fields.Many2many(
        "party.organization",
        "garbage_unit_party_organization_rel",
        "garbage_unit_id",
        "party_organization_id",
        string="Leading Party Organizations",
        check_company=True,
    )
    party_linkage_group_ids = fields.Many2many(
        "party.linkage.group",
        "garbage_unit_party_linkage_group_rel",
        "unit_id",
        "group_id",
        string="Linkage Groups",
        check_company=True,
    )
    party_led_linkage_group_ids = fields.One2many(
        "party.linkage.group", "lead_unit_id", string="Led Linkage Groups", check_company=True
    )
    party_meeting_count = fields.Integer("Meetings", compute="_compute_party_meeting_count")
    party_structure_readonly = fields.Boolean(
        "Party Links Read-only",
        compute="_compute_party_structure_readonly",
        help="Technical: the current user may not change which party organizations and groups lead the unit.",
    )

    @api.depends_context("uid")
    def _compute_party_structure_readonly(self):
        readonly = not self.env["party.organization"]._is_structure_manager()
        for unit in self:
            unit.party_structure_readonly = readonly

    @api.model
    def _check_party_structure_values(self, vals):
        if any(name in vals for name in PARTY_STRUCTURE_FIELDS) and not (
            self.env["party.organization"]._is_structure_manager()
        ):
            raise AccessError(
                self.env._(
                    "Which party organizations and linkage groups lead a unit is set by the town party committee "
                    "and the task force."
                )
            )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._check_party_structure_values(vals)
        return super().create(vals_list)

    def write(self, vals):
        self._check_party_structure_values(vals)
        return super().write(vals)

    @api.constrains("company_id", *PARTY_STRUCTURE_FIELDS)
    def _check_party_one_town(self):
        """The party organisations and linkage groups leading a unit are of its town."""
        check_one_town(self, PARTY_STRUCTURE_FIELDS)

    def _compute_party_meeting_count(self):
        counts = dict(
            self.env["calendar.event"]._read_group(
                [("garbage_unit_ids", "in", self.ids)], ["garbage_unit_ids"], ["__count"]
            )
        )
        for unit in self:
            unit.party_meeting_count = counts.get(unit, 0)

    def _get_party_secretary(self):
        """The secretary of the closest party organisation leading the unit (deepest in the hierarchy)."""
        self.ensure_one()
        organizations = self.party_organization_ids.filtered("secretary_id").sorted(
            lambda organization: len(organization.parent_path or ""), reverse=True
        )
        return organizations[:1].secretary_id

    def action_view_party_meetings(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("party_branch_linkage.calendar_event_action_party")
        action["domain"] = [("garbage_unit_ids", "in", self.ids)]
        action["context"] = {"default_party_organizer_unit_id": self.id}
        return action
