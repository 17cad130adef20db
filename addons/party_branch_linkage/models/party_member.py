from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from .party_organization import check_one_town


class PartyMember(models.Model):
    _name = "party.member"
    _description = "Party Member"
    _inherit = ["garbage.guard.mixin", "mail.thread"]
    _order = "name"
    _check_company_auto = True

    name = fields.Char(compute="_compute_name", store=True, readonly=False, tracking=True)
    # A member is registered in one town, with the organisations of that town.
    company_id = fields.Many2one(
        "res.company", "Town", required=True, index=True, default=lambda self: self.env.company, tracking=True
    )
    member_type = fields.Selection(
        [("in_service", "In-service (employee)"), ("other", "Other (contact)")],
        "Kind",
        required=True,
        default="other",
        tracking=True,
        help="In-service members of agencies and institutions are employees; the others are contacts.",
    )
    employee_id = fields.Many2one("hr.employee", "Employee", tracking=True, ondelete="restrict")
    partner_id = fields.Many2one(
        "res.partner",
        "Contact",
        compute="_compute_partner_id",
        store=True,
        readonly=False,
        tracking=True,
        ondelete="restrict",
    )
    unit_id = fields.Many2one(
        "garbage.unit", "Unit", tracking=True, check_company=True, help="The responsible unit the member works in."
    )
    organization_ids = fields.Many2many(
        "party.organization",
        "party_member_organization_rel",
        "member_id",
        "organization_id",
        string="Organizations",
        tracking=True,
        check_company=True,
    )
    # The "four take-the-lead" duties (M4)
    duty_demonstration = fields.Boolean("Leads in Practice", tracking=True)
    duty_publicity = fields.Boolean("Leads Publicity", tracking=True)
    duty_organising = fields.Boolean("Leads Organising", tracking=True)
    duty_supervising = fields.Boolean("Leads Supervising", tracking=True)
    grassroots_activity_ids = fields.Many2many(
        "party.grassroots.activity",
        "party_grassroots_activity_member_rel",
        "member_id",
        "activity_id",
        string="Grassroots Activities",
    )
    grassroots_hours = fields.Float(
        compute="_compute_grassroots_hours",
        store=True,
        help="Hours of the finished 'to the grassroots' activities the member took part in.",
    )
    active = fields.Boolean(default=True)

    _sql_constraints = [
        ("employee_unique", "unique(employee_id)", "This employee is already a party member."),
        ("partner_unique", "unique(partner_id)", "This contact is already a party member."),
    ]

    @api.model
    def _guarded_fields(self):
        # Who went on an activity is recorded on the activity, which checks its organisation's members.
        return {
            **super()._guarded_fields(),
            "grassroots_hours": (),
            "grassroots_activity_ids": ("garbage_sorting.garbage_sorting_group_manager",),
        }

    @api.constrains("company_id", "organization_ids", "grassroots_activity_ids")
    def _check_one_town(self):
        check_one_town(self, ("organization_ids", "grassroots_activity_ids"))

    @api.constrains("member_type")
    def _check_planned_grassroots_in_service(self):
        # A member on a planned "six entries" activity stays in service until it is done (or they leave it).
        planned = self.filtered(
            lambda member: member.member_type != "in_service"
            and any(activity.state == "draft" for activity in member.grassroots_activity_ids)
        )
        if planned:
            raise ValidationError(
                self.env._(
                    "%(members)s take part in a planned grassroots activity, which is for in-service members only: "
                    "take them off it first.",
                    members=", ".join(planned.mapped("name")),
                )
            )

    @api.model_create_multi
    def create(self, vals_list):
        members = super().create(vals_list)
        members.organization_ids._check_secretary_scope()
        return members

    def write(self, vals):
        before = {member: member.organization_ids for member in self}
        result = super().write(vals)
        if "organization_ids" in vals:
            # A secretary changes the membership of their own organisations only.
            changed = self.env["party.organization"]
            for member in self:
                changed |= (before[member] | member.organization_ids) - (before[member] & member.organization_ids)
            changed._check_secretary_scope()
        return result

    @api.ondelete(at_uninstall=False)
    def _unlink_except_with_history(self):
        """A member who went on a done grassroots activity (the activity keeps who went and their hours), holds a
        take-the-lead duty or has approved volunteer hours has a recorded history: archived, whoever asks."""
        members = self.sudo().with_context(active_test=False)
        recorded = members.filtered(
            lambda member: member.grassroots_hours
            or any(activity.state == "done" for activity in member.grassroots_activity_ids)
            or member._duty_labels()
        )
        partners = (members - recorded).partner_id
        if partners:
            Hour = self.env["garbage.volunteer.hour"].sudo()
            with_hours = Hour.search(
                [("partner_id", "in", partners.ids), "|", ("state", "=", "approved"), ("approved_once", "=", True)]
            ).partner_id
            recorded |= members.filtered(lambda member: member.partner_id and member.partner_id in with_hours)
        if recorded:
            raise UserError(
                self.env._(
                    "%(member)s has a recorded history (grassroots activities done, take-the-lead duties or volunteer "
                    "hours): a party member is never deleted then, archive them instead.",
                    member=recorded[0].name,
                )
            )

    @api.depends("employee_id.name", "partner_id.name")
    def _compute_name(self):
        for member in self:
            member.name = member.employee_id.name or member.partner_id.name or member.name

    @api.depends("employee_id.work_contact_id")
    def _compute_partner_id(self):
        for member in self.filtered("employee_id"):
            member.partner_id = member.employee_id.work_contact_id

    @api.depends("grassroots_activity_ids.state", "grassroots_activity_ids.hours")
    def _compute_grassroots_hours(self):
        for member in self:
            done = member.grassroots_activity_ids.filtered(lambda activity: activity.state == "done")
            member.grassroots_hours = sum(done.mapped("hours"))

    @api.constrains("member_type", "employee_id", "partner_id")
    def _check_person(self):
        for member in self:
            if member.member_type == "in_service" and not member.employee_id:
                raise ValidationError(
                    self.env._("The in-service party member %(name)s needs an employee.", name=member.name)
                )
            if member.member_type == "other" and not member.partner_id:
                raise ValidationError(self.env._("The party member %(name)s needs a contact.", name=member.name))

    @api.constrains("organization_ids")
    def _check_single_organization_per_level(self):
        labels = dict(self.env["party.organization"]._fields["org_type"]._description_selection(self.env))
        for member in self:
            seen = {}
            for organization in member.organization_ids:
                if organization.org_type in seen:
                    raise ValidationError(
                        self.env._(
                            "%(member)s cannot belong to two organizations of the same level (%(level)s): "
                            "%(first)s and %(second)s.",
                            member=member.name,
                            level=labels[organization.org_type],
                            first=seen[organization.org_type].complete_name,
                            second=organization.complete_name,
                        )
                    )
                seen[organization.org_type] = organization

    def _duty_labels(self):
        """Names of the "four take-the-lead" duties the member holds."""
        self.ensure_one()
        return [
            self._fields[name].get_description(self.env)["string"]
            for name in ("duty_demonstration", "duty_publicity", "duty_organising", "duty_supervising")
            if self[name]
        ]
