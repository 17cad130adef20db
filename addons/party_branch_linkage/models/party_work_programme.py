from odoo import api, fields, models
from odoo.addons.garbage_sorting.models.garbage_input_mixin import MAX_YEAR

from .party_organization import STRUCTURE_GROUPS


class PartyWorkProgramme(models.Model):
    """The waste-sorting work programme (工作方案) every grassroots party organisation draws up each year
    (R2): its progress counts in the party-building assessment and in the secretary's annual review."""

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
    date_adopted = fields.Date("Adopted On", tracking=True)
    content = fields.Html("Programme", help="Goals, measures, people in charge and timetable of the year.")

    _sql_constraints = [
        ("organization_year_unique", "unique(organization_id, year)", "An organization has one work programme a year."),
        ("year_valid", "CHECK(year > 2000)", "The year of a work programme must be a real year."),
    ]

    @api.model
    def _guarded_fields(self):
        """The secretary drafts the programme of their own organisation (record rules); it stays with it."""
        return {**super()._guarded_fields(), "name": (), "organization_id": STRUCTURE_GROUPS, "year": STRUCTURE_GROUPS}

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
