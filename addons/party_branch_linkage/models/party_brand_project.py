from odoo import api, fields, models
from odoo.addons.garbage_sorting.models.garbage_input_mixin import check_web_url
from odoo.exceptions import AccessError, UserError, ValidationError

from .party_organization import COMMITTEE_GROUP, check_one_town


class PartyBrandProject(models.Model):
    _name = "party.brand.project"
    _description = "Party-Building Brand Project"
    _inherit = ["garbage.guard.mixin", "mail.thread", "mail.activity.mixin"]
    _order = "date_start desc, name"
    _check_company_auto = True

    name = fields.Char(required=True, tracking=True)
    company_id = fields.Many2one(
        "res.company", "Town", required=True, index=True, default=lambda self: self.env.company, tracking=True
    )
    organization_ids = fields.Many2many(
        "party.organization",
        "party_brand_project_organization_rel",
        "project_id",
        "organization_id",
        string="Organizations",
        required=True,
        tracking=True,
        check_company=True,
    )
    goal = fields.Html()
    date_start = fields.Date("Start", required=True, default=fields.Date.context_today, tracking=True)
    date_end = fields.Date("End", tracking=True)
    state = fields.Selection(
        [("draft", "Planned"), ("running", "Running"), ("done", "Completed"), ("cancel", "Cancelled")],
        required=True,
        default="draft",
        tracking=True,
    )
    meeting_ids = fields.One2many("calendar.event", "party_brand_project_id", string="Project Activities")
    meeting_count = fields.Integer("Activity Count", compute="_compute_meeting_count")
    highlight_ids = fields.One2many("party.brand.highlight", "project_id", string="Highlights")
    color = fields.Integer()

    @api.depends("meeting_ids")
    def _compute_meeting_count(self):
        for project in self:
            project.meeting_count = len(project.meeting_ids)

    @api.constrains("company_id", "organization_ids")
    def _check_one_town(self):
        check_one_town(self, ("organization_ids",))

    @api.constrains("date_start", "date_end")
    def _check_dates(self):
        for project in self:
            if project.date_end and project.date_end < project.date_start:
                raise ValidationError(self.env._("A brand project cannot end before it starts."))

    @api.model_create_multi
    def create(self, vals_list):
        projects = super().create(vals_list)
        projects.organization_ids._check_secretary_scope()
        return projects

    def write(self, vals):
        before = {project: project.organization_ids for project in self}
        result = super().write(vals)
        if "organization_ids" in vals:
            # A secretary adds or removes their own organisations only.
            changed = self.env["party.organization"]
            for project in self:
                changed |= (before[project] | project.organization_ids) - (before[project] & project.organization_ids)
            changed._check_secretary_scope()
        return result

    @api.ondelete(at_uninstall=False)
    def _unlink_except_with_history(self):
        """A project whose highlights are history (chosen for publicity, typical cases, counted in an approved
        party-building assessment) or whose activities were held is cancelled, whoever asks: the database would
        delete its highlights past their own guard and leave its held meetings without their project."""
        projects = self.sudo()
        if not projects:
            return
        now = fields.Datetime.now()
        approved = {
            (assessment.organization_id, assessment.year)
            for assessment in self.env["party.building.assessment"]
            .sudo()
            .search([("organization_id", "in", projects.organization_ids.ids), ("state", "=", "approved")])
        }
        for project in projects:
            counted_years = {
                highlight.date.year
                for highlight in project.highlight_ids
                if project.state in ("running", "done")
                and project.date_start.year <= highlight.date.year
                and (not project.date_end or project.date_end.year >= highlight.date.year)
                and any((organization, highlight.date.year) in approved for organization in project.organization_ids)
            }
            held = project.with_context(active_test=False).meeting_ids.filtered(
                lambda event: event.start and event.start <= now
            )
            if (
                held
                or counted_years
                or project.highlight_ids.filtered(
                    lambda highlight: highlight.is_publicized or highlight.is_typical_case
                )
            ):
                raise UserError(
                    self.env._(
                        "The brand project “%(name)s” has a history (highlights chosen for publicity, typical cases, "
                        "highlights counted in an approved party-building assessment, or activities held): it "
                        "cannot be deleted, cancel it instead.",
                        name=project.name,
                    )
                )

    def _move_state(self, state, allowed_from):
        """States move through the buttons, by whoever may edit the project (its secretaries, the task force)."""
        self.check_access("write")
        if wrong := self.filtered(lambda project: project.state not in allowed_from):
            raise UserError(
                self.env._(
                    "The brand project “%(name)s” cannot move from “%(state)s” that way.",
                    name=wrong[0].name,
                    state=dict(self._fields["state"]._description_selection(self.env))[wrong[0].state],
                )
            )
        self.sudo().write({"state": state})
        return True

    def action_start(self):
        return self._move_state("running", ("draft",))

    def action_done(self):
        return self._move_state("done", ("running",))

    def action_cancel(self):
        return self._move_state("cancel", ("draft", "running"))

    def action_draft(self):
        return self._move_state("draft", ("cancel",))

    def action_view_meetings(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("party_branch_linkage.calendar_event_action_party")
        action["domain"] = [("party_brand_project_id", "=", self.id)]
        action["context"] = {
            "default_party_brand_project_id": self.id,
            "default_party_organization_id": self.organization_ids[:1].id,
            "default_party_meeting_kind": "publicity",
        }
        return action


class PartyBrandHighlight(models.Model):
    _name = "party.brand.highlight"
    _description = "Brand Project Highlight"
    _inherit = ["garbage.input.mixin", "garbage.photo.mixin", "mail.thread"]
    _order = "date desc, id desc"
    _check_company_auto = True

    name = fields.Char("Title", required=True, tracking=True)
    company_id = fields.Many2one(
        related="project_id.company_id", string="Town", store=True, index=True, precompute=True
    )
    project_id = fields.Many2one("party.brand.project", "Brand Project", required=True, ondelete="cascade", index=True)
    organization_ids = fields.Many2many(related="project_id.organization_ids", string="Organizations")
    date = fields.Date(required=True, default=fields.Date.context_today)
    is_typical_case = fields.Boolean(
        "Typical Case",
        tracking=True,
        readonly=True,
        help="Chosen by the town party committee (or the task force): it counts in the party-building assessment.",
    )
    description = fields.Html()
    photo_ids = fields.Many2many("ir.attachment", string="Photos", copy=False)
    media_url = fields.Char("Media Link", help="Article or video where the media published it.")
    is_publicized = fields.Boolean(
        "Marked for Publicity", tracking=True, readonly=True, help="Chosen by the task force for publication (R3)."
    )

    @api.model
    def _photo_fields(self):
        return ("photo_ids",)

    @api.constrains("media_url")
    def _check_media_url(self):
        """The link is opened from the form and the review: a web page only, never a script or inline data."""
        label = self._fields["media_url"]._description_string(self.env)
        for highlight in self.filtered("media_url"):
            check_web_url(self.env, highlight.media_url, label)

    @api.model_create_multi
    def create(self, vals_list):
        if any(vals.get("is_publicized") for vals in vals_list):
            self._check_publicity_right()
        if typical := [vals for vals in vals_list if vals.get("is_typical_case")]:
            self._check_typical_right(
                self.env["party.brand.project"].browse([vals.get("project_id") for vals in typical]).exists()
            )
        return super().create(vals_list)

    def write(self, vals):
        if "is_publicized" in vals:
            self._check_publicity_right()
        if "is_typical_case" in vals:
            self._check_typical_right(self.project_id)
        result = super().write(vals)
        if "project_id" in vals and not self.env.su:
            # Moved onto another project: it must be one the user edits too.
            self.check_access("write")
        return result

    @api.ondelete(at_uninstall=False)
    def _unlink_except_publicized(self):
        if self.filtered("is_publicized"):
            self._check_publicity_right()

    def _check_publicity_right(self):
        if not self.env.su and not self.env.user.has_group("garbage_sorting.garbage_sorting_group_manager"):
            raise AccessError(self.env._("Only the task force marks highlights for publicity."))

    @api.model
    def _check_typical_right(self, projects):
        """A typical case counts in its organisations' party-building assessment: the town party committee (the
        task force sits in it) chooses it, never the secretary of an organisation it scores."""
        if self.env.su:
            return
        if not self.env.user.has_group(COMMITTEE_GROUP):
            raise AccessError(self.env._("Only the town party committee or the task force chooses typical cases."))
        own = projects.sudo().organization_ids.filtered(lambda organization: organization.secretary_id == self.env.user)
        if own:
            raise AccessError(
                self.env._(
                    "You are the secretary of %(organization)s: another member of the town party committee chooses "
                    "its typical cases.",
                    organization=own[0].complete_name,
                )
            )

    def _set_typical(self, typical):
        """The committee may not edit the secretaries' highlights: it chooses, and the engine writes the flag."""
        self._check_typical_right(self.project_id)
        self.check_access("read")
        self.sudo().write({"is_typical_case": typical})
        return True

    def action_mark_typical(self):
        return self._set_typical(True)

    def action_unmark_typical(self):
        return self._set_typical(False)

    def action_mark_publicity(self):
        self.write({"is_publicized": True})
        return True

    def action_unmark_publicity(self):
        self.write({"is_publicized": False})
        return True
