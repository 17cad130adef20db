from odoo import api, fields, models
from odoo.addons.garbage_sorting.models.garbage_guard_mixin import town_today
from odoo.addons.garbage_sorting.models.garbage_input_mixin import MAX_YEAR
from odoo.exceptions import AccessError, UserError
from odoo.tools import html2plaintext

from .party_organization import COMMITTEE_GROUP, STRUCTURE_GROUPS

# What the secretary writes: locked once the programme is submitted (withdraw it to change it).
CONTENT_FIELDS = ("content", "document", "document_filename")


class PartyWorkProgramme(models.Model):
    """The waste-sorting work programme (工作方案) every grassroots party organisation draws up each year
    (R2): its progress counts in the party-building assessment and in the secretary's annual review.

    The secretary drafts it and submits it (with its text or a document); the town party committee approves it
    (the task force sits in it), never the secretary of the organisation itself: the approval writes the
    adoption date, which the assessment counts as "approved"."""

    _name = "party.work.programme"
    _description = "Annual Work Programme"
    _inherit = ["garbage.guard.mixin", "mail.thread"]
    _order = "year desc, organization_id"
    _check_company_auto = True

    name = fields.Char(compute="_compute_name", store=True)
    organization_id = fields.Many2one(
        "party.organization",
        "Party Organization",
        required=True,
        index=True,
        ondelete="restrict",
        tracking=True,
    )
    company_id = fields.Many2one(
        related="organization_id.company_id", string="Town", store=True, index=True, precompute=True
    )
    year = fields.Integer(
        required=True, default=lambda self: fields.Date.context_today(self).year, tracking=True, aggregator=False
    )
    state = fields.Selection(
        [("draft", "Draft"), ("submitted", "Submitted"), ("approved", "Approved")],
        required=True,
        default="draft",
        index=True,
        tracking=True,
    )
    date_adopted = fields.Date(
        "Adopted On", tracking=True, readonly=True, help="Written when the town party committee approves it."
    )
    approved_by_id = fields.Many2one("res.users", "Approved By", tracking=True, readonly=True)
    content = fields.Html("Programme", help="Goals, measures, people in charge and timetable of the year.")
    document = fields.Binary("Programme Document", attachment=True)
    document_filename = fields.Char("Document File Name")

    _sql_constraints = [
        ("organization_year_unique", "unique(organization_id, year)", "An organization has one work programme a year."),
        ("year_valid", "CHECK(year > 2000)", "The year of a work programme must be a real year."),
    ]

    @api.model
    def _guarded_fields(self):
        """The secretary drafts the programme of their own organisation (record rules); it stays with it. The
        approval (its date and approver) is the town party committee's, through its button."""
        return {
            **super()._guarded_fields(),
            "name": (),
            "date_adopted": (),
            "approved_by_id": (),
            "organization_id": STRUCTURE_GROUPS,
            "year": STRUCTURE_GROUPS,
        }

    @api.model
    def _guard_creation_fields(self):
        return (*super()._guard_creation_fields(), "organization_id", "year")

    @api.model
    def _input_ranges(self):
        # after 2000 (the table's CHECK), within the supported calendar
        return {**super()._input_ranges(), "year": (2001, MAX_YEAR, False)}

    @api.depends("organization_id.name", "year")
    def _compute_name(self):
        for programme in self:
            programme.name = self.env._(
                "%(organization)s work programme %(year)s",
                organization=programme.organization_id.name or "",
                year=programme.year,
            )

    def write(self, vals):
        if not self.env.su and {*CONTENT_FIELDS, "organization_id", "year"}.intersection(vals):
            self.check_access("write")  # somebody else's programme: refused as such, not as submitted
            if locked := self.filtered(lambda programme: programme.state != "draft"):
                raise UserError(
                    self.env._(
                        "The work programme “%(name)s” is submitted: return it to draft before changing it.",
                        name=locked[0].name,
                    )
                )
        return super().write(vals)

    def _has_content(self):
        self.ensure_one()
        return bool(self.document or html2plaintext(self.content or "").strip())

    def _check_state(self, allowed_from):
        if wrong := self.filtered(lambda programme: programme.state not in allowed_from):
            raise UserError(
                self.env._(
                    "The work programme “%(name)s” cannot move from “%(state)s” that way.",
                    name=wrong[0].name,
                    state=dict(self._fields["state"]._description_selection(self.env))[wrong[0].state],
                )
            )

    def action_submit(self):
        """Its secretary (or whoever may edit it) submits the programme, once it says something."""
        self.check_access("write")
        self._check_state(("draft",))
        if empty := self.filtered(lambda programme: not programme._has_content()):
            raise UserError(
                self.env._(
                    "The work programme “%(name)s” is empty: write it or attach its document before submitting it.",
                    name=empty[0].name,
                )
            )
        self.sudo().write({"state": "submitted"})
        return True

    def _check_approver(self):
        """The town party committee approves, never the secretary of the organisation itself."""
        if self.env.su:
            return
        if not self.env.user.has_group(COMMITTEE_GROUP):
            raise AccessError(self.env._("Only the town party committee approves a work programme."))
        if own := self.filtered(lambda programme: programme.organization_id.sudo().secretary_id == self.env.user):
            raise AccessError(
                self.env._(
                    "You are the secretary of %(organization)s: another member of the town party committee approves "
                    "its work programme.",
                    organization=own[0].organization_id.sudo().complete_name,
                )
            )

    def action_approve(self):
        """The town party committee approves a submitted programme: its adoption date is today (in the town)."""
        self._check_approver()
        self.check_access("write")
        self._approve(self.env.user, town_today(self.env))
        return True

    def _approve(self, approver, day):
        """Engine: `approver` approves these submitted programmes on `day`."""
        self._check_state(("submitted",))
        self.sudo().write({"state": "approved", "date_adopted": day, "approved_by_id": approver.id})

    def action_draft(self):
        """Back to draft: a submitted programme by whoever may edit it (the secretary withdraws it), an approved
        one by the town party committee only (its approval is withdrawn)."""
        self.check_access("write")
        self._check_state(("submitted", "approved"))
        if self.filtered(lambda programme: programme.state == "approved"):
            self._check_approver()
        self.sudo().write({"state": "draft", "date_adopted": False, "approved_by_id": False})
        return True
