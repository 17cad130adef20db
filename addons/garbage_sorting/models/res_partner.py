from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from .garbage_guard_mixin import town_today

COORDINATOR_GROUP = "garbage_sorting.garbage_sorting_group_coordinator"
# Who is a volunteer, of which kind and for which units: the coordinators' call (only volunteers get hours).
VOLUNTEER_PARTNER_FIELDS = ("is_volunteer", "volunteer_category", "volunteer_unit_ids")

VOLUNTEER_CATEGORIES = [
    ("retired_cadre", "Retired Cadre"),
    ("teacher", "Teacher"),
    ("veteran", "Veteran"),
    ("retired_party_member", "Retired Party Member"),
    ("grid_worker", "Grid Worker"),
    ("party_member", "In-service Party Member"),
    ("volunteer", "Volunteer"),
]


class ResPartner(models.Model):
    _inherit = "res.partner"

    is_volunteer = fields.Boolean("Volunteer", index=True)
    volunteer_category = fields.Selection(VOLUNTEER_CATEGORIES, index=True)
    volunteer_unit_ids = fields.Many2many(
        "garbage.unit",
        "garbage_unit_volunteer_rel",
        "partner_id",
        "unit_id",
        string="Served Units",
        help="Responsible units this volunteer serves (bin-side supervision, overdue-time correction).",
    )
    volunteer_hour_ids = fields.One2many("garbage.volunteer.hour", "partner_id", string="Volunteer Hours")
    volunteer_hours_approved = fields.Float(
        "Approved Hours", compute="_compute_volunteer_hours", digits=(16, 1), compute_sudo=True
    )
    volunteer_hours_year = fields.Float(
        "Approved Hours This Year", compute="_compute_volunteer_hours", digits=(16, 1), compute_sudo=True
    )

    volunteer_duty_count = fields.Integer(
        "Duties",
        compute="_compute_volunteer_duty_count",
        groups="garbage_sorting.garbage_sorting_group_coordinator,garbage_sorting.garbage_sorting_group_liaison,"
        "garbage_sorting.garbage_sorting_group_leader",
    )

    volunteer_editable = fields.Boolean(
        compute="_compute_volunteer_editable",
        help="Technical: whether the current user may change who is a volunteer (drives the form's readonly).",
    )

    @api.depends_context("uid")
    def _compute_volunteer_editable(self):
        editable = self._may_edit_volunteer()
        for partner in self:
            partner.volunteer_editable = editable

    @api.model
    def _may_edit_volunteer(self):
        return self.env.su or self.env.user.has_group(COORDINATOR_GROUP)

    def _check_volunteer_values(self, vals_list):
        if self._may_edit_volunteer():
            return
        for vals in vals_list:
            if any(vals.get(name) for name in VOLUNTEER_PARTNER_FIELDS):
                raise AccessError(
                    self.env._("Only a volunteer coordinator decides who is a volunteer and for which units.")
                )

    @api.model_create_multi
    def create(self, vals_list):
        records = self
        if not self._may_edit_volunteer():
            # A context default is chosen by the caller: it must not make a volunteer either.
            defaults = {f"default_{name}" for name in VOLUNTEER_PARTNER_FIELDS}
            context = {key: value for key, value in self.env.context.items() if key not in defaults}
            records = self.with_env(self.env(context=context))
        records._check_volunteer_values(vals_list)
        return super(ResPartner, records).create(vals_list)

    def write(self, vals):
        if any(name in vals for name in VOLUNTEER_PARTNER_FIELDS):
            changed = {
                name: value
                for name, value in vals.items()
                if name in VOLUNTEER_PARTNER_FIELDS
                and (name == "volunteer_unit_ids" or any(partner[name] != value for partner in self))
            }
            self._check_volunteer_values([{name: True for name in changed}])
        return super().write(vals)

    def _compute_volunteer_hours(self):
        Hour = self.env["garbage.volunteer.hour"]
        domain = [("partner_id", "in", self.ids), ("state", "=", "approved")]
        totals = dict(Hour._read_group(domain, ["partner_id"], ["hours:sum"]))
        year_start = town_today(self.env).replace(month=1, day=1)
        year = dict(Hour._read_group(domain + [("date", ">=", year_start)], ["partner_id"], ["hours:sum"]))
        for partner in self:
            partner.volunteer_hours_approved = totals.get(partner._origin, 0.0)
            partner.volunteer_hours_year = year.get(partner._origin, 0.0)

    def _compute_volunteer_duty_count(self):
        counts = dict(
            self.env["garbage.volunteer.duty"]._read_group(
                [("volunteer_ids", "in", self.ids), ("state", "!=", "cancelled")], ["volunteer_ids"], ["__count"]
            )
        )
        for partner in self:
            partner.volunteer_duty_count = counts.get(partner._origin, 0)

    @api.onchange("is_volunteer")
    def _onchange_is_volunteer(self):
        if self.is_volunteer and not self.volunteer_category:
            self.volunteer_category = "volunteer"

    def action_volunteer_invite_portal(self):
        """Open Odoo's portal access wizard for this volunteer (creates the portal user, sends the invitation)."""
        self.ensure_one()
        if not self.is_volunteer:
            raise UserError(self.env._("Only volunteers can be invited to the volunteer portal."))
        return self.env["portal.wizard"].with_context(active_ids=self.ids).action_open_wizard()

    def action_view_volunteer_hours(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("garbage_sorting.garbage_volunteer_hour_action")
        action["domain"] = [("partner_id", "=", self.id)]
        action["context"] = {"default_partner_id": self.id, "default_source": "coordinator"}
        return action

    def action_view_volunteer_duties(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("garbage_sorting.garbage_volunteer_duty_action")
        action["domain"] = [("volunteer_ids", "in", self.ids)]
        action["context"] = {"default_volunteer_ids": [self.id]}
        return action
