from collections import defaultdict

from dateutil.relativedelta import relativedelta
from markupsafe import Markup

from odoo import api, fields, models
from odoo.addons.garbage_sorting.models.garbage_guard_mixin import town_today

from .party_organization import STRUCTURE_GROUPS, check_one_town


class PartyLinkageGroup(models.Model):
    _name = "party.linkage.group"
    _description = "Party Linkage Group"
    _inherit = ["garbage.guard.mixin", "mail.thread", "mail.activity.mixin"]
    _order = "kind, name"
    _check_company_auto = True

    name = fields.Char(required=True, tracking=True)
    company_id = fields.Many2one(
        "res.company", "Town", required=True, index=True, default=lambda self: self.env.company, tracking=True
    )
    kind = fields.Selection(
        [
            ("working_group", "Linkage Working Group"),
            ("gov_enterprise", "Government–Enterprise Joint Building"),
            ("chamber_led", "Chamber-led Building"),
            ("institution", "Institution Co-building"),
            ("strong_weak", "Strong Helps Weak Pairing"),
            ("strong_strong", "Strong-with-Strong Alliance"),
            ("line_area", "Line and Area Combined"),
            ("one_one_n", "1+1+N Linkage"),
        ],
        required=True,
        default="working_group",
        tracking=True,
    )
    lead_unit_id = fields.Many2one(
        "garbage.unit",
        "Lead Unit",
        tracking=True,
        check_company=True,
        help="The unit that leads the group; the strong side of a pairing.",
    )
    unit_ids = fields.Many2many(
        "garbage.unit",
        "garbage_unit_party_linkage_group_rel",
        "group_id",
        "unit_id",
        string="Member Units",
        check_company=True,
        help="The units taking part; the paired side of a pairing.",
    )
    organization_ids = fields.Many2many(
        "party.organization",
        "party_linkage_group_organization_rel",
        "group_id",
        "organization_id",
        string="Party Organizations",
        check_company=True,
    )
    date_start = fields.Date("Since", default=fields.Date.context_today)
    description = fields.Html()
    meeting_ids = fields.One2many("calendar.event", "party_linkage_group_id", string="Group Activities")
    meeting_count = fields.Integer("Activity Count", compute="_compute_meeting_count")
    result_html = fields.Html("Results Over Time", compute="_compute_result_html", sanitize=False)
    active = fields.Boolean(default=True)
    # The "123" mechanism of the linkage working group (M2): one central goal, two main lines, three measures.
    central_goal = fields.Char(
        help="The one central goal of the '123' mechanism: regional co-building and co-governance."
    )
    line_publicity = fields.Text("Main Line: Publicity and Education")
    line_supervision = fields.Text("Main Line: Supervision and Inspection")
    measure_one = fields.Text("Assessment Measure 1")
    measure_two = fields.Text("Assessment Measure 2")
    measure_three = fields.Text("Assessment Measure 3")

    @api.model
    def _guarded_fields(self):
        # Who is in the group decides whose cadence its meetings count in (and who owns them).
        return {
            **super()._guarded_fields(),
            **dict.fromkeys(("kind", "lead_unit_id", "unit_ids", "organization_ids", "active"), STRUCTURE_GROUPS),
        }

    @api.constrains("company_id", "unit_ids", "organization_ids")
    def _check_one_town(self):
        check_one_town(self, ("unit_ids", "organization_ids"))

    @api.depends("meeting_ids")
    def _compute_meeting_count(self):
        for group in self:
            group.meeting_count = len(group.meeting_ids)

    def _get_side_results(self, date_from, date_to):
        """{(unit, first day of month): {"inspection": avg score, "assessment": score}} of both sides.

        Inspection scores always; the published monthly assessment scores when the assessment model
        is installed. The group's own secretaries (and the committee, the task force) follow their
        pairing's results: for them the figures are read with sudo, for exactly this group's units;
        everybody else reads what their own rights show (a liaison: their own units).
        """
        self.ensure_one()
        # The group's units (their ids) whatever the reader reads of them.
        units = self.sudo().lead_unit_id | self.sudo().unit_ids
        env = self.env
        if self.env["party.organization"]._is_structure_manager() or (
            self.sudo().organization_ids & self.env["party.organization"]._get_secretary_scope()
        ):
            env = self.sudo().env
        period = [("unit_id", "in", units.ids)]
        results = defaultdict(dict)
        Inspection = env["garbage.inspection"]
        if Inspection.has_access("read"):
            for unit, month, score in Inspection._read_group(
                period + [("state", "=", "done"), ("date", ">=", date_from), ("date", "<=", date_to)],
                ["unit_id", "date:month"],
                ["score:avg"],
            ):
                results[unit, month]["inspection"] = round(score, 2)
        if "garbage.assessment" in env and env["garbage.assessment"].has_access("read"):
            for unit, month, score in env["garbage.assessment"]._read_group(
                period
                + [
                    ("period_id.state", "=", "published"),
                    ("date_start", ">=", date_from),
                    ("date_start", "<=", date_to),
                ],
                ["unit_id", "date_start:month"],
                ["score:avg"],
            ):
                if score is not False:  # not assessed that month: no score (NULL), shown "—"
                    results[unit, month]["assessment"] = round(score, 2)
        return dict(results)

    @api.depends("lead_unit_id", "unit_ids")
    @api.depends_context("uid")
    def _compute_result_html(self):
        today = town_today(self.env)
        date_from = today.replace(day=1) - relativedelta(months=11)
        months = [date_from + relativedelta(months=index) for index in range(12)]
        for group in self:
            # Unit names are no secret (the group shows them); the figures follow the reader's rights.
            units = group.sudo().lead_unit_id | group.sudo().unit_ids
            results = group._get_side_results(date_from, today) if units else {}
            if not results:
                group.result_html = False
                continue
            header = Markup("").join(Markup("<th>%s</th>") % unit.name for unit in units)
            rows = Markup("").join(
                Markup("<tr><td>%s</td>%s</tr>")
                % (
                    month.strftime("%Y-%m"),
                    Markup("").join(
                        Markup("<td>%s</td>") % group._format_result(results.get((unit, month), {})) for unit in units
                    ),
                )
                for month in months
                if any((unit, month) in results for unit in units)
            )
            group.result_html = Markup(
                '<table class="table table-sm table-striped"><thead><tr><th>%s</th>%s</tr></thead>'
                "<tbody>%s</tbody></table>"
            ) % (self.env._("Month: inspection average / assessment score"), header, rows)

    def _format_result(self, result):
        return " / ".join(str(result.get(key, "—")) for key in ("inspection", "assessment"))

    def action_view_meetings(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("party_branch_linkage.calendar_event_action_party")
        action["domain"] = [("party_linkage_group_id", "=", self.id)]
        action["context"] = {"default_party_linkage_group_id": self.id}
        return action
