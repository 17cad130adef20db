from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL

MANAGER_GROUP = "garbage_sorting.garbage_sorting_group_manager"
COMMITTEE_GROUP = "party_branch_linkage.party_branch_linkage_group_committee"
# The town party committee and the task force shape the party structure: which organisation sits
# where, who is its secretary, which units it leads and which groups and projects it belongs to.
STRUCTURE_GROUPS = (COMMITTEE_GROUP, MANAGER_GROUP)


def check_one_town(records, field_names):
    """Refuse a link between records of two towns (companies). Core's `check_company` accepts a many2many as
    soon as one of its records is of the town: a unit or member of another town could be added beside one."""
    for record in records.sudo():
        for name in field_names:
            if strangers := record[name].filtered(lambda other, town=record.company_id: other.company_id != town):
                raise UserError(
                    records.env._(
                        "“%(record)s” belongs to %(town)s: %(others)s of another town cannot be linked to it.",
                        record=record.display_name,
                        town=record.company_id.name,
                        others=", ".join(strangers.mapped("display_name")),
                    )
                )


class PartyOrganization(models.Model):
    _name = "party.organization"
    _description = "Party Organization"
    _inherit = ["garbage.guard.mixin", "mail.thread", "mail.activity.mixin"]
    _parent_store = True
    # A secretary's own organisations (and those below them) first, then the town's in the usual order: in
    # lists, kanban, drop-downs and RPC searches alike (see _order_field_to_sql).
    _order = "user_is_secretary desc, complete_name"
    _rec_name = "complete_name"
    _check_company_auto = True

    name = fields.Char(required=True, tracking=True)
    # Each town government is a company: an organisation, its branches and the units it leads are of one town.
    company_id = fields.Many2one(
        "res.company", "Town", required=True, index=True, default=lambda self: self.env.company, tracking=True
    )
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
    parent_id = fields.Many2one(
        "party.organization", "Parent Organization", index=True, ondelete="restrict", check_company=True
    )
    parent_path = fields.Char(index=True)
    child_ids = fields.One2many("party.organization", "parent_id", string="Sub-organizations")
    secretary_id = fields.Many2one("res.users", "Secretary", tracking=True, check_company=True)
    unit_ids = fields.Many2many(
        "garbage.unit",
        "garbage_unit_party_organization_rel",
        "party_organization_id",
        "garbage_unit_id",
        string="Led Units",
        check_company=True,
        help="Responsible units this organisation leads.",
    )
    member_ids = fields.Many2many(
        "party.member",
        "party_member_organization_rel",
        "organization_id",
        "member_id",
        string="Members",
        check_company=True,
    )
    brand_project_ids = fields.Many2many(
        "party.brand.project",
        "party_brand_project_organization_rel",
        "organization_id",
        "project_id",
        string="Brand Projects",
        check_company=True,
    )
    meeting_ids = fields.One2many("calendar.event", "party_organization_id", string="Meetings")
    work_programme_ids = fields.One2many("party.work.programme", "organization_id", string="Work Programmes")
    linkage_group_ids = fields.Many2many(
        "party.linkage.group",
        "party_linkage_group_organization_rel",
        "organization_id",
        "group_id",
        string="Linkage Groups",
        check_company=True,
    )
    member_count = fields.Integer(compute="_compute_counts")
    brand_project_count = fields.Integer(compute="_compute_counts")
    meeting_count = fields.Integer(compute="_compute_counts")
    user_is_secretary = fields.Boolean(
        "Within My Organizations",
        compute="_compute_user_is_secretary",
        search="_search_user_is_secretary",
        help="The current user is the secretary of this organisation or of one above it.",
    )
    active = fields.Boolean(default=True)

    @api.depends("name", "parent_id.complete_name")
    def _compute_complete_name(self):
        for organization in self:
            if organization.parent_id:
                organization.complete_name = f"{organization.parent_id.complete_name} / {organization.name}"
            else:
                organization.complete_name = organization.name

    def _compute_counts(self):
        meetings = dict(
            self.env["calendar.event"]._read_group(
                [("party_organization_id", "in", self.ids)], ["party_organization_id"], ["__count"]
            )
        )
        for organization in self:
            organization.member_count = len(organization.member_ids)
            organization.brand_project_count = len(organization.brand_project_ids)
            organization.meeting_count = meetings.get(organization, 0)

    def _compute_user_is_secretary(self):
        scope = self.search([("user_is_secretary", "=", True)])
        for organization in self:
            organization.user_is_secretary = organization in scope

    def _search_user_is_secretary(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Unsupported search on the secretary scope."))
        return [("id", "in" if (operator == "=") == value else "not in", self._get_secretary_scope().ids)]

    def _order_field_to_sql(self, alias, field_name, direction, nulls, query):
        """Sorting on `user_is_secretary` (not stored): whether the row is in the current user's scope, as in
        core's project `is_favorite`, in the same statement: no extra query whatever the number of rows."""
        if field_name != "user_is_secretary":
            return super()._order_field_to_sql(alias, field_name, direction, nulls, query)
        in_scope = SQL(
            """%(id)s IN (SELECT scope.id FROM party_organization scope
                           JOIN party_organization own ON scope.parent_path LIKE own.parent_path || %(any)s
                          WHERE own.secretary_id = %(uid)s)""",
            id=SQL.identifier(alias, "id"),
            any=SQL("%s", "%", to_flush=self._fields["parent_path"]),
            uid=SQL("%s", self.env.uid, to_flush=self._fields["secretary_id"]),
        )
        if query.groupby:  # ordering the groups of a read_group by organisation (id is their key)
            query.groupby = SQL("%s, %s", query.groupby, SQL.identifier(alias, "id"))
        return SQL("%s %s %s", in_scope, direction, nulls)

    @api.model
    def _get_secretary_scope(self):
        """The organisations (sudo, archived included) whose secretary the current user is, and those below,
        in the towns the user works in now (their active companies).

        Sudo: the scope is what the user's own secretaryships reach, whatever they may read.
        """
        companies = self.env.companies
        Organization = self.env["party.organization"].sudo().with_context(active_test=False)
        own = Organization.search([("secretary_id", "=", self.env.uid), ("company_id", "in", companies.ids)])
        return Organization.search([("id", "child_of", own.ids)]) if own else Organization

    @api.model
    def _is_structure_manager(self):
        """The town party committee or the task force (or the engine): they shape the party structure."""
        return self.env.su or any(self.env.user.has_group(group) for group in STRUCTURE_GROUPS)

    @api.model
    def _guarded_fields(self):
        structure = {
            name: STRUCTURE_GROUPS
            for name in (
                "parent_id",
                "secretary_id",
                "org_type",
                "unit_ids",
                "child_ids",
                "linkage_group_ids",
                "brand_project_ids",
                "active",
            )
        }
        return {**super()._guarded_fields(), **structure}

    def _check_secretary_scope(self):
        """Refuse linking or unlinking these organisations unless the user is their secretary (or above),
        sits in the town party committee or the task force."""
        if self._is_structure_manager():
            return
        if foreign := self.sudo() - self._get_secretary_scope():
            raise AccessError(
                self.env._(
                    "You are not the secretary of %(organizations)s: only their own secretary, the town party "
                    "committee and the task force link records to them.",
                    organizations=", ".join(foreign.mapped("complete_name")),
                )
            )

    @api.model_create_multi
    def create(self, vals_list):
        if not self._is_structure_manager():
            raise AccessError(
                self.env._("Only the town party committee and the task force create party organizations.")
            )
        return super().create(vals_list)

    def write(self, vals):
        if "member_ids" in vals and not self._is_structure_manager():
            self._check_member_changes(vals["member_ids"])
        result = super().write(vals)
        if vals.get("secretary_id"):
            self.env["party.building.assessment"]._withdraw_secretary_grades(self)
        return result

    def _check_member_changes(self, commands):
        """A secretary adds to their organisations only members that are theirs already or belong nowhere.

        Otherwise linking someone else's member would hand the secretary that member's record.
        Members created or updated through the list go through `party.member`'s own rights.
        """
        ids = set()
        for command in commands:
            if isinstance(command, list | tuple) and command[0] == fields.Command.LINK:
                ids.add(command[1])
            elif isinstance(command, list | tuple) and command[0] == fields.Command.SET:
                ids.update(command[2])
        scope = self._get_secretary_scope()
        added = self.env["party.member"].sudo().with_context(active_test=False).browse(ids).exists()
        foreign = added.filtered(
            lambda member: member.organization_ids - self and not (member.organization_ids & scope)
        )
        if foreign:
            raise AccessError(
                self.env._(
                    "%(members)s belong to other party organizations: their own secretary or the town party "
                    "committee changes their membership.",
                    members=", ".join(foreign.mapped("name")),
                )
            )

    @api.ondelete(at_uninstall=False)
    def _unlink_except_with_history(self):
        """An organisation with a history (its cadence obligations, meetings, yearly assessments and programmes,
        grassroots activities, members, brand projects, linkage groups, branches) is archived, whoever asks: the
        database would delete its obligations with it and leave its held meetings without their organiser."""
        ids = self.ids
        history = [
            ("garbage.obligation", "party_organization_id"),
            ("calendar.event", "party_organization_id"),
            ("party.building.assessment", "organization_id"),
            ("party.work.programme", "organization_id"),
            ("party.grassroots.activity", "organization_id"),
            ("party.member", "organization_ids"),
            ("party.brand.project", "organization_ids"),
            ("party.linkage.group", "organization_ids"),
            ("party.organization", "parent_id"),
        ]
        for model, field_name in history:
            Model = self.env[model].sudo().with_context(active_test=False)
            if found := Model.search_fetch([(field_name, "in", ids)], [field_name], limit=1):
                # named, so that whoever deletes several at once knows which one to archive
                organization = (self.browse(found[field_name].ids) & self)[:1]
                raise UserError(
                    self.env._(
                        "The party organization %(name)s has a history (obligations, meetings, assessments, "
                        "programmes, activities, members, brand projects, linkage groups or branches) and cannot "
                        "be deleted: archive it instead.",
                        name=organization.display_name,
                    )
                )

    @api.constrains("company_id", "unit_ids", "member_ids", "brand_project_ids", "linkage_group_ids")
    def _check_one_town(self):
        check_one_town(self, ("unit_ids", "member_ids", "brand_project_ids", "linkage_group_ids"))

    @api.constrains("parent_id")
    def _check_parent_id(self):
        if self._has_cycle():
            raise ValidationError(
                self.env._("A party organization cannot be placed under itself or one of its own branches.")
            )

    @api.constrains("member_ids", "org_type")
    def _check_members_single_level(self):
        self.member_ids._check_single_organization_per_level()

    def _get_subtree_units(self):
        """Units led by these organisations and every organisation below them."""
        return self.search([("id", "child_of", self.ids)]).unit_ids

    def action_view_members(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Party Members"),
            "res_model": "party.member",
            "view_mode": "list,form",
            "domain": [("organization_ids", "in", self.ids)],
            "context": {"default_organization_ids": self.ids},
        }

    def action_view_brand_projects(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Brand Projects"),
            "res_model": "party.brand.project",
            "view_mode": "kanban,list,form",
            "domain": [("organization_ids", "in", self.ids)],
            "context": {"default_organization_ids": self.ids},
        }

    def action_view_meetings(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("party_branch_linkage.calendar_event_action_party")
        action["domain"] = [("party_organization_id", "=", self.id)]
        action["context"] = {"default_party_organization_id": self.id, "default_party_meeting_kind": "publicity"}
        return action
