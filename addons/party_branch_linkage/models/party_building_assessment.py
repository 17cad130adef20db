"""The party-building assessment (党建考核): one stored record per party organisation and year.

The figures are counted from the town's facts (the led units' yearly red/grey record, the organisation's own
duties, its members' work), the secretary's report is graded by the town party committee (述职评议), and the
committee approves the result: the score and the reward or penalty (以党组织奖惩激励) are then stored and locked.
"""

from collections import defaultdict
from datetime import date, datetime, time

import pytz

from odoo import api, fields, models
from odoo.addons.garbage_sorting.models.file_names import short_file_name
from odoo.addons.garbage_sorting.models.garbage_guard_mixin import town_today, town_tz
from odoo.addons.garbage_sorting.models.garbage_input_mixin import MAX_YEAR, MIN_YEAR
from odoo.exceptions import AccessError, UserError
from odoo.tools import html2plaintext

from .party_organization import COMMITTEE_GROUP
from .party_organization_review import UNIT_ANNUAL_FIELDS, annual_outcome

SECRETARY_GROUP = "party_branch_linkage.party_branch_linkage_group_secretary"
PUBLICITY_RULE = "party_branch_linkage.garbage_obligation_rule_publicity"
# The unit's quarterly meetings (工作例会、党群议事会、治理联席会) of M2.
QUARTERLY_MEETING_KINDS = ("work", "deliberation", "governance")

# The weights of the score's parts, each town's own (Settings, res.company): {part: (field, default)}. Only their
# ratio counts: the score is renormalised over the parts that apply to the organisation (see `building_score`).
WEIGHT_PARTS = {
    "units": ("party_building_weight_units", 30.0),
    "publicity": ("party_building_weight_publicity", 15.0),
    "meetings": ("party_building_weight_meetings", 15.0),
    "programme": ("party_building_weight_programme", 10.0),
    "activities": ("party_building_weight_activities", 10.0),
    "volunteers": ("party_building_weight_volunteers", 5.0),
    "brand": ("party_building_weight_brand", 5.0),
    "review": ("party_building_weight_review", 10.0),
}
WEIGHT_MAX = 100.0
# The review's grades (述职评议) as points; the result is the mean, rounded half up (3.5 is "good").
GRADES = [("good", "Good"), ("fairly_good", "Fairly Good"), ("average", "Average"), ("poor", "Poor")]
GRADE_POINTS = {"good": 4, "fairly_good": 3, "average": 2, "poor": 1}
# What the review's result is worth in the score's "review" part.
REVIEW_RATIO = {"good": 1.0, "fairly_good": 0.8, "average": 0.6, "poor": 0.0}
# The score's thresholds of the reward or penalty (see `building_outcome`).
REWARD_MIN_SCORE = 85.0
WARNING_BELOW_SCORE = 75.0
PENALTY_BELOW_SCORE = 60.0
# The figures counted from the facts, written by the engine only.
FIGURES = (
    "unit_count",
    "assessed_unit_count",
    "red_unit_count",
    "red_count",
    "grey_unit_count",
    "grey_count",
    "flag_count",
    "veto_count",
    "recommended_count",
    "red_unit_names",
    "grey_unit_names",
    "vetoed_unit_names",
    "recommended_unit_names",
    "publicity_due",
    "publicity_met",
    "publicity_missed",
    "meeting_count",
    "meeting_quarters",
    "quarters_due",
    "programme_submitted",
    "programme_adopted",
    "activity_count",
    "activity_hours",
    "in_service_member_count",
    "activity_member_count",
    "member_count",
    "volunteer_member_count",
    "volunteer_hours",
    "brand_project_count",
    "highlight_count",
    "typical_case_count",
)
# What the annual review prints of the record: the figures (the unit names are listed in sections of their own)
# and the score.
PRINTED_FIGURES = (
    *(name for name in FIGURES if not name.endswith("_names")),
    "score",
    "review_mean",
    "score_breakdown",
)
# Derived from the figures and the grades, by the engine only.
RESULTS = (
    "score",
    "score_breakdown",
    "review_result",
    "review_mean",
    "unit_outcome",
    "outcome",
    "outcome_reason",
    "date_computed",
    "report_text",
)
# The secretary's report (述职): theirs alone.
REPORT_FIELDS = {"report", "report_file", "report_filename"}
# What the evaluators grade: a change of it after grading withdraws the grades.
GRADED_REPORT_FIELDS = ("report", "report_file")
OUTCOMES = [
    ("reward", "Reward"),
    ("none", "Neither reward nor penalty"),
    ("warning", "Warning"),
    ("penalty", "Penalty"),
]


def building_weights(company):
    """{part: weight} of the town's (company's) Settings."""
    company = company.sudo()
    return {part: company[name] for part, (name, __) in WEIGHT_PARTS.items()}


def review_result(grades):
    """The review's result from the evaluators' grades: the mean of their points (good 4, fairly good 3,
    average 2, poor 1), rounded half up. Returns (result or False, mean)."""
    if not grades:
        return False, 0.0
    mean = sum(GRADE_POINTS[grade] for grade in grades) / len(grades)
    result = "good" if mean >= 3.5 else "fairly_good" if mean >= 2.5 else "average" if mean >= 1.5 else "poor"
    return result, mean


def building_ratios(figures, review):
    """{part: achieved share from 0 to 1} of the parts that apply to this organisation; a part that cannot
    apply (no led unit, no closed month of publicity, no member...) is left out, not counted as 0."""
    ratios = {}
    if figures["assessed_unit_count"]:
        # of the led units assessed in the year (with a published month): half for keeping them off the grey
        # list, half for bringing them onto the red list
        not_grey = figures["assessed_unit_count"] - figures["grey_unit_count"]
        ratios["units"] = (not_grey + figures["red_unit_count"]) / (2 * figures["assessed_unit_count"])
    if figures["publicity_due"]:
        ratios["publicity"] = figures["publicity_met"] / figures["publicity_due"]
    if figures["quarters_due"]:
        ratios["meetings"] = min(figures["meeting_quarters"], figures["quarters_due"]) / figures["quarters_due"]
    ratios["programme"] = 1.0 if figures["programme_adopted"] else 0.5 if figures["programme_submitted"] else 0.0
    if figures["in_service_member_count"]:
        ratios["activities"] = figures["activity_member_count"] / figures["in_service_member_count"]
    if figures["member_count"]:
        ratios["volunteers"] = figures["volunteer_member_count"] / figures["member_count"]
    if figures["brand_project_count"]:
        ratios["brand"] = 1.0 if figures["typical_case_count"] else 0.5
    else:
        ratios["brand"] = 0.0
    if review:
        ratios["review"] = REVIEW_RATIO[review]
    return ratios


def building_score(ratios, weights):
    """The score out of 100: the weighted mean of the parts that apply, 100 × Σ(weight × share) / Σ(weight)."""
    total = sum(weights[part] for part in ratios)
    if not total:
        return 0.0
    return round(100 * sum(weights[part] * ratio for part, ratio in ratios.items()) / total, 2)


def building_outcome(unit_outcome, score, review):
    """The organisation's reward or penalty of the year (以党组织奖惩激励), extending `annual_outcome()` (its led
    units' red/grey record) with its own duties (in the score) and the review (述职评议). In this order:
    - penalty: a led unit was vetoed, or the review is "poor", or the score is below 60;
    - warning: a led unit was grey-listed, or the review is "average", or the score is below 75;
    - reward: the review is "good" or "fairly good" and the score is 85 or more;
    - none: otherwise (not graded yet, or a score from 75 to 85).
    Returns (outcome, [reason keys]).
    """
    penalty = [
        reason
        for reason, applies in (
            ("unit_vetoed", unit_outcome == "penalty"),
            ("review_poor", review == "poor"),
            ("score_penalty", score < PENALTY_BELOW_SCORE),
        )
        if applies
    ]
    if penalty:
        return "penalty", penalty
    warning = [
        reason
        for reason, applies in (
            ("unit_grey", unit_outcome == "warning"),
            ("review_average", review == "average"),
            ("score_warning", score < WARNING_BELOW_SCORE),
        )
        if applies
    ]
    if warning:
        return "warning", warning
    if review in ("good", "fairly_good") and score >= REWARD_MIN_SCORE:
        return "reward", ["reward"]
    return "none", ["not_graded" if not review else "score_none"]


class PartyBuildingAssessment(models.Model):
    _name = "party.building.assessment"
    _description = "Party-Building Assessment"
    _inherit = ["garbage.guard.mixin", "mail.thread", "mail.activity.mixin"]
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
    secretary_id = fields.Many2one(related="organization_id.secretary_id", string="Secretary")
    year = fields.Integer(required=True, index=True, aggregator=False, default=lambda self: town_today(self.env).year)
    # What the analyses and groupings use (interval year): an Integer year would read "2,026" on their axes.
    date_start = fields.Date("Year Start", compute="_compute_date_start", store=True)
    state = fields.Selection(
        [("draft", "Draft"), ("approved", "Approved")], required=True, default="draft", index=True, tracking=True
    )
    # The led units' year (garbage.unit.annual), of the organisation and those below it
    unit_count = fields.Integer("Led Units", readonly=True)
    assessed_unit_count = fields.Integer(
        "Led Units Assessed",
        help="Led units with a published monthly result in the year (an annual record).",
        readonly=True,
    )
    red_unit_count = fields.Integer("Red-listed Units", readonly=True)
    red_count = fields.Integer("Red Listings", readonly=True)
    grey_unit_count = fields.Integer("Grey-listed Units", readonly=True)
    grey_count = fields.Integer("Grey Listings", readonly=True)
    flag_count = fields.Integer("Red Flags Won", readonly=True)
    veto_count = fields.Integer("Vetoed Units", readonly=True)
    recommended_count = fields.Integer("Recommended Units", readonly=True)
    red_unit_names = fields.Char("Red-listed Unit Names", readonly=True)
    grey_unit_names = fields.Char("Grey-listed Unit Names", readonly=True)
    vetoed_unit_names = fields.Char(readonly=True)
    recommended_unit_names = fields.Char(readonly=True)
    # The organisation's own duties
    publicity_due = fields.Integer(
        "Publicity Months Due", help="Closed months of the monthly publicity obligation.", readonly=True
    )
    publicity_met = fields.Integer("Publicity Months Met", readonly=True)
    publicity_missed = fields.Integer("Publicity Months Missed", readonly=True)
    meeting_count = fields.Integer(
        "Quarterly Meetings Held",
        help="Work meetings, party–mass deliberations and governance joint meetings held in the year, not "
        "cancelled, organised by the organisation (or one below it) or by a unit they lead.",
        readonly=True,
    )
    meeting_quarters = fields.Integer("Quarters with a Meeting", readonly=True)
    quarters_due = fields.Integer(help="Quarters of the year begun by the time of counting.", readonly=True)
    programme_submitted = fields.Boolean(
        "Work Programme Submitted", help="The programme of the year was submitted with its content.", readonly=True
    )
    programme_adopted = fields.Boolean(
        "Work Programme Approved", help="The town party committee approved the programme of the year.", readonly=True
    )
    # Its members
    activity_count = fields.Integer("Six-Entries Activities Done", readonly=True)
    activity_hours = fields.Float("Six-Entries Member Hours", digits=(16, 1), readonly=True)
    in_service_member_count = fields.Integer("In-service Members", readonly=True)
    activity_member_count = fields.Integer("In-service Members Who Went", readonly=True)
    member_count = fields.Integer("Members", readonly=True)
    volunteer_member_count = fields.Integer("Members with Volunteer Hours", readonly=True)
    volunteer_hours = fields.Float(
        "Members' Volunteer Hours", digits=(16, 1), help="Approved hours of the year.", readonly=True
    )
    brand_project_count = fields.Integer("Brand Projects", help="Running or completed during the year.", readonly=True)
    highlight_count = fields.Integer("Highlights", readonly=True)
    typical_case_count = fields.Integer("Typical Cases", readonly=True)
    # The result
    score = fields.Float(digits=(16, 2), tracking=True, aggregator="avg", readonly=True)
    score_breakdown = fields.Text(readonly=True)
    unit_outcome = fields.Selection(OUTCOMES, "Led Units' Outcome", readonly=True)
    outcome = fields.Selection(OUTCOMES, "Reward or Penalty", tracking=True, readonly=True)
    outcome_reason = fields.Text("Reason", readonly=True)
    date_computed = fields.Datetime("Counted On", readonly=True)
    # The secretary's report (述职) and its evaluation (评议)
    report = fields.Html("Secretary's Report")
    # the report's text as tracked in the history (an HTML field is not tracked by the chatter itself)
    report_text = fields.Text(compute="_compute_report_text", store=True, tracking=True)
    report_file = fields.Binary("Report Attachment", attachment=True)
    report_filename = fields.Char("Report File Name")
    grade_ids = fields.One2many("party.building.assessment.grade", "assessment_id", string="Evaluators' Grades")
    grade_count = fields.Integer("Grades", compute="_compute_grade_count")
    review_result = fields.Selection(GRADES, tracking=True, readonly=True)
    review_mean = fields.Float("Mean Grade Points", digits=(16, 2), readonly=True)
    approved_by_id = fields.Many2one("res.users", "Approved By", tracking=True, readonly=True)
    date_approved = fields.Datetime("Approved On", readonly=True)

    _sql_constraints = [
        (
            "organization_year_unique",
            "unique(organization_id, year)",
            "A party organization has one party-building assessment a year.",
        ),
    ]

    @api.model
    def _guarded_fields(self):
        """Figures and results: the engine; the report: its secretary (record rules: their own organisations);
        the grades: the town party committee (each their own, see the grade)."""
        engine = dict.fromkeys(
            (*FIGURES, *RESULTS, "name", "organization_id", "year", "date_start", "approved_by_id", "date_approved"), ()
        )
        report = dict.fromkeys(REPORT_FIELDS, (SECRETARY_GROUP,))
        return {**super()._guarded_fields(), **engine, **report, "grade_ids": (COMMITTEE_GROUP,)}

    @api.model
    def _guard_creation_fields(self):
        return (*super()._guard_creation_fields(), "organization_id", "year")

    @api.model
    def _input_ranges(self):
        return {**super()._input_ranges(), "year": (MIN_YEAR, MAX_YEAR, False)}

    def _printed_figures(self):
        return PRINTED_FIGURES

    @api.depends("organization_id.complete_name", "year")
    def _compute_name(self):
        env = self._company_lang_env()
        for assessment in self:
            assessment.name = env._(
                "%(organization)s party-building assessment %(year)s",
                organization=assessment.organization_id.sudo().complete_name or "",
                year=assessment.year,
            )

    @api.depends("year")
    def _compute_date_start(self):
        for assessment in self:
            in_range = MIN_YEAR <= (assessment.year or 0) <= MAX_YEAR
            assessment.date_start = date(assessment.year, 1, 1) if in_range else False

    @api.depends("report")
    def _compute_report_text(self):
        for assessment in self:
            assessment.report_text = html2plaintext(assessment.report or "").strip() or False

    @api.depends("grade_ids")
    def _compute_grade_count(self):
        for assessment in self:
            assessment.grade_count = len(assessment.grade_ids)

    @api.model_create_multi
    def create(self, vals_list):
        # checked before anything is stored: a report given at creation is its secretary's too
        Organization = self.env["party.organization"]
        for vals in vals_list:
            if any(vals.get(name) for name in REPORT_FIELDS):
                self._check_report_author_of(Organization.browse(vals.get("organization_id")).exists())
            self._shorten_report_filename(vals)
        assessments = super().create(vals_list)
        assessments.sudo()._recompute_figures()
        return assessments

    @api.model
    def _shorten_report_filename(self, vals):
        """The uploaded report's file name is its download's name (in its Content-Disposition header): its stem is
        cut short (see `file_names`), its extension kept."""
        if isinstance(vals.get("report_filename"), str):
            vals["report_filename"] = short_file_name(vals["report_filename"])

    @api.depends("display_name", "organization_id")
    @api.depends_context("uid")
    def _compute_guard_readonly_fields(self):
        """The report is also read-only outside the organisations whose secretary the user is (the committee grades
        it, the secretary of an organisation above reads it)."""
        super()._compute_guard_readonly_fields()
        if self.env.su:
            return
        for assessment in self:
            if assessment.organization_id.sudo().secretary_id != self.env.user:
                assessment.guard_readonly_fields = sorted({*assessment.guard_readonly_fields, *REPORT_FIELDS})

    def _check_report_author(self, vals):
        """The secretary's report is written by the organisation's own secretary, nobody else (not the secretary
        of an organisation above, who may sit in the committee that grades it)."""
        if REPORT_FIELDS.intersection(vals):
            self._check_report_author_of(self.sudo().organization_id)

    @api.model
    def _check_report_author_of(self, organizations):
        if self.env.su:
            return
        if foreign := organizations.sudo().filtered(lambda organization: organization.secretary_id != self.env.user):
            raise AccessError(
                self.env._(
                    "Only the secretary of %(organization)s writes its report.",
                    organization=foreign[0].complete_name,
                )
            )

    def write(self, vals):
        self._check_report_author(vals)
        self._shorten_report_filename(vals)
        if not self.env.su and (locked := self.filtered(lambda assessment: assessment.state == "approved")):
            raise UserError(
                self.env._(
                    "The party-building assessment “%(name)s” is approved and locked: only the town party committee "
                    "reopens it, with a reason.",
                    name=locked[0].name,
                )
            )
        before = {assessment: assessment._graded_report() for assessment in self.sudo()}
        result = super().write(vals)
        if any(name in vals for name in GRADED_REPORT_FIELDS):
            self.sudo().filtered(
                lambda assessment: assessment.state == "draft"
                and assessment.grade_ids
                and assessment._graded_report() != before[assessment]
            )._withdraw_grades()
        return result

    def _graded_report(self):
        """What the evaluators grade: the report's text and its attachment."""
        self.ensure_one()
        return (self.report_text or "", self.report_file or False)

    def _withdraw_grades(self):
        """The report changed after it was graded: the grades are withdrawn (engine), with a line in the
        chatter in the town's language, so that the evaluators grade what was finally written."""
        env = self._company_lang_env()
        for assessment in self.sudo():
            evaluators = ", ".join(assessment.grade_ids.evaluator_id.mapped("name"))
            assessment.grade_ids.unlink()
            assessment.message_post(
                body=env._(
                    "The secretary's report changed after it was graded: the grades of %(evaluators)s are withdrawn, "
                    "to be given again on the report as now written.",
                    evaluators=evaluators,
                ),
                author_id=self.env.user.partner_id.id,
            )

    @api.model
    def _withdraw_secretary_grades(self, organizations):
        """Engine: the new secretary of `organizations` had graded a draft assessment of theirs. An evaluator is
        never the assessed organisation's secretary, so that grade is withdrawn, with a line in the chatter in
        the town's language (the other members of the committee grade the report)."""
        grades = (
            self.env["party.building.assessment.grade"]
            .sudo()
            .search([("assessment_id.organization_id", "in", organizations.ids), ("assessment_id.state", "=", "draft")])
            .filtered(lambda grade: grade.evaluator_id == grade.assessment_id.organization_id.secretary_id)
        )
        env = self._company_lang_env()
        for grade in grades:
            assessment = grade.assessment_id
            body = env._(
                "%(evaluator)s is now the secretary of %(organization)s: their grade is withdrawn, the other members "
                "of the town party committee grade its report.",
                evaluator=grade.evaluator_id.name,
                organization=assessment.organization_id.complete_name,
            )
            grade.unlink()
            assessment.message_post(body=body, author_id=self.env.user.partner_id.id)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_engine(self):
        if not self.env.su:
            raise UserError(
                self.env._("A party-building assessment is part of the town's record: it is never deleted.")
            )

    # -- the engine -------------------------------------------------------------------------------------------

    @api.model
    def _count_facts(self, organizations, year):
        """{organisation id: figures} of `year`, counted in batch for all `organizations`, of one town (the
        current company: its time zone and its today; sudo: the engine counts what nobody reads one by one).
        Led units are those of the organisation and every one below it; the publicity and the work programme
        are the organisation's own; members and brand projects its own. Nothing of another town is read: the
        organisations, their units and members are the town's (check_company), and the volunteer hours are
        those the town approved."""
        env = self.sudo().env
        company = env.company
        year_start, year_end = date(year, 1, 1), date(year, 12, 31)
        every = env["party.organization"].with_context(active_test=False).search([("company_id", "=", company.id)])
        subtree = {
            organization.id: every.filtered(
                lambda other, org=organization: other.parent_path.startswith(org.parent_path)
            )
            for organization in organizations
        }
        subtree_units = {org_id: orgs.unit_ids for org_id, orgs in subtree.items()}
        all_units = env["garbage.unit"].union(*subtree_units.values())

        Annual = env["garbage.unit.annual"]
        annual = {
            row["unit_id"][0]: row
            for row in Annual.search_read(
                [("company_id", "=", company.id), ("unit_id", "in", all_units.ids), ("year", "=", year)],
                ["unit_id", *UNIT_ANNUAL_FIELDS],
            )
        }

        publicity = env.ref(PUBLICITY_RULE, raise_if_not_found=False)
        publicity_counts = defaultdict(int)
        if publicity:
            for organization, state, count in env["garbage.obligation"]._read_group(
                [
                    ("rule_id", "=", publicity.id),
                    ("party_organization_id", "in", organizations.ids),
                    ("date_start", ">=", year_start),
                    ("date_start", "<=", year_end),
                    ("state", "in", ("met", "missed")),
                ],
                ["party_organization_id", "state"],
                ["__count"],
            ):
                publicity_counts[organization.id, state] += count

        tz = town_tz(env)

        def town_midnight(day):
            """The UTC moment (as stored) the town's `day` starts."""
            return tz.localize(datetime.combine(day, time.min)).astimezone(pytz.utc).replace(tzinfo=None)

        meetings = (
            env["calendar.event"]
            .with_context(tz=tz.zone)
            ._read_group(
                [
                    ("party_meeting_kind", "in", QUARTERLY_MEETING_KINDS),
                    ("party_state", "!=", "cancelled"),
                    ("start", ">=", town_midnight(year_start)),
                    ("start", "<", town_midnight(date(year + 1, 1, 1))),
                    ("start", "<=", fields.Datetime.now()),
                    "|",
                    ("party_organization_id", "in", every.ids),
                    ("party_organizer_unit_id", "in", all_units.ids),
                ],
                ["party_organization_id", "party_organizer_unit_id", "start:month"],
                ["__count"],
            )
        )
        today = town_today(env)
        quarters_due = 4 if year < today.year else (today.month - 1) // 3 + 1 if year == today.year else 0

        programmes = env["party.work.programme"].search(
            [("organization_id", "in", organizations.ids), ("year", "=", year)]
        )
        activity_domain = [
            ("organization_id", "in", organizations.ids),
            ("state", "=", "done"),
            ("date", ">=", year_start),
            ("date", "<=", year_end),
        ]
        Activity = env["party.grassroots.activity"]
        activity_counts = dict(Activity._read_group(activity_domain, ["organization_id"], ["__count"]))
        # who went, and their hours (an activity's hours count once per member who went)
        went, activity_hours = defaultdict(lambda: env["party.member"]), defaultdict(float)
        for organization, member, hours in Activity._read_group(
            activity_domain, ["organization_id", "member_ids"], ["hours:sum"]
        ):
            if member:
                went[organization] |= member
                activity_hours[organization] += hours
        members = organizations.member_ids
        hours_by_partner = dict(
            env["garbage.volunteer.hour"]._read_group(
                [
                    ("company_id", "=", company.id),
                    ("partner_id", "in", members.partner_id.ids),
                    ("state", "=", "approved"),
                    ("date", ">=", year_start),
                    ("date", "<=", year_end),
                ],
                ["partner_id"],
                ["hours:sum"],
            )
        )
        projects = env["party.brand.project"].search(
            [
                ("organization_ids", "in", organizations.ids),
                ("state", "in", ("running", "done")),
                ("date_start", "<=", year_end),
                "|",
                ("date_end", "=", False),
                ("date_end", ">=", year_start),
            ]
        )
        highlights = defaultdict(lambda: [0, 0])
        for project, typical, count in env["party.brand.highlight"]._read_group(
            [("project_id", "in", projects.ids), ("date", ">=", year_start), ("date", "<=", year_end)],
            ["project_id", "is_typical_case"],
            ["__count"],
        ):
            highlights[project][0] += count
            highlights[project][1] += count if typical else 0

        figures = {}
        for organization in organizations:
            units = subtree_units[organization.id]
            unit_rows = [
                {"name": unit.name, **dict.fromkeys(UNIT_ANNUAL_FIELDS, ""), **annual.get(unit.id, {})}
                for unit in units
            ]
            unit_outcome, unit_figures = annual_outcome(unit_rows)
            orgs = subtree[organization.id]
            held = [(month, count) for org, unit, month, count in meetings if org in orgs or (unit and unit in units)]
            own_programme = programmes.filtered(lambda programme, org=organization: programme.organization_id == org)
            own_members = organization.member_ids
            in_service = own_members.filtered(lambda member: member.member_type == "in_service")
            volunteer_hours = {
                member: hours_by_partner.get(member.partner_id, 0.0) for member in own_members if member.partner_id
            }
            own_projects = projects.filtered(lambda project, org=organization: org in project.organization_ids)
            figures[organization.id] = {
                "unit_count": len(units),
                "assessed_unit_count": len([unit for unit in units if unit.id in annual]),
                "red_unit_count": len(unit_figures["red"]),
                "red_count": sum(row["red_count"] or 0 for row in unit_rows),
                "grey_unit_count": len(unit_figures["grey"]),
                "grey_count": sum(row["grey_count"] or 0 for row in unit_rows),
                "flag_count": unit_figures["flags"],
                "veto_count": len(unit_figures["vetoed"]),
                "recommended_count": len(unit_figures["recommended"]),
                "red_unit_names": "、".join(unit_figures["red"]),
                "grey_unit_names": "、".join(unit_figures["grey"]),
                "vetoed_unit_names": "、".join(unit_figures["vetoed"]),
                "recommended_unit_names": "、".join(unit_figures["recommended"]),
                "unit_outcome": unit_outcome,
                "publicity_due": publicity_counts[organization.id, "met"] + publicity_counts[organization.id, "missed"],
                "publicity_met": publicity_counts[organization.id, "met"],
                "publicity_missed": publicity_counts[organization.id, "missed"],
                "meeting_count": sum(count for __, count in held),
                "meeting_quarters": len({(month.month - 1) // 3 for month, __ in held}),
                "quarters_due": quarters_due,
                # submitted with its content (a draft is not), approved by the town party committee
                "programme_submitted": own_programme.state in ("submitted", "approved"),
                "programme_adopted": own_programme.state == "approved",
                "activity_count": activity_counts.get(organization, 0),
                "activity_hours": activity_hours[organization],
                "in_service_member_count": len(in_service),
                "activity_member_count": len(in_service & went[organization]),
                "member_count": len(own_members),
                "volunteer_member_count": len([hours for hours in volunteer_hours.values() if hours > 0]),
                "volunteer_hours": sum(volunteer_hours.values()),
                "brand_project_count": len(own_projects),
                "highlight_count": sum(highlights[project][0] for project in own_projects),
                "typical_case_count": sum(highlights[project][1] for project in own_projects),
            }
        return figures

    def _recompute_figures(self):
        """Count the figures of these (draft) assessments again from the facts, then their result (engine),
        town by town."""
        drafts = self.sudo().filtered(lambda assessment: assessment.state == "draft")
        for company, year in {(assessment.company_id, assessment.year) for assessment in drafts}:
            of_year = drafts.filtered(
                lambda assessment, c=company, y=year: assessment.company_id == c and assessment.year == y
            )
            figures = self.with_company(company)._count_facts(of_year.organization_id, year)
            for assessment in of_year:
                assessment.write({**figures[assessment.organization_id.id], "date_computed": fields.Datetime.now()})
        drafts._recompute_result()

    def _recompute_result(self):
        """The review's result, the score and the reward or penalty, from the stored figures, the grades and
        the town's weights, in the town's language (engine), town by town."""
        for company in self.sudo().company_id:
            self.filtered(lambda assessment, c=company: assessment.company_id == c).with_company(
                company
            )._recompute_town_result(building_weights(company))

    def _recompute_town_result(self, weights):
        """`_recompute_result` of assessments of the current company, weighed by `weights`."""
        env = self._company_lang_env()
        parts = {
            "units": env._("Led units"),
            "publicity": env._("Monthly publicity"),
            "meetings": env._("Quarterly meetings"),
            "programme": env._("Work programme"),
            "activities": env._("Six entries"),
            "volunteers": env._("Volunteer hours"),
            "brand": env._("Brand project"),
            "review": env._("Review"),
        }
        reasons = {
            "unit_vetoed": env._("A led unit was vetoed (grey-listed twice or more)."),
            "review_poor": env._("The review graded the secretary's report poor."),
            "score_penalty": env._("The score is below %(score)s.", score=PENALTY_BELOW_SCORE),
            "unit_grey": env._("A led unit was grey-listed."),
            "review_average": env._("The review graded the secretary's report average."),
            "score_warning": env._("The score is below %(score)s.", score=WARNING_BELOW_SCORE),
            "reward": env._(
                "Review good or fairly good and a score of %(score)s or more: commended this year.",
                score=REWARD_MIN_SCORE,
            ),
            "not_graded": env._("The secretary's report is not graded yet."),
            "score_none": env._("The score is below %(score)s: no reward this year.", score=REWARD_MIN_SCORE),
        }
        for assessment in self.sudo():
            result, mean = review_result(assessment.grade_ids.mapped("grade"))
            figures = {name: assessment[name] for name in FIGURES}
            ratios = building_ratios(figures, result)
            score = building_score(ratios, weights)
            outcome, reason_keys = building_outcome(assessment.unit_outcome, score, result)
            breakdown = "\n".join(
                f"{parts[part]}: {ratios[part] * 100:.0f}% × {weights[part]:g}"
                for part in WEIGHT_PARTS
                if part in ratios
            )
            assessment.write(
                {
                    "review_result": result,
                    "review_mean": mean,
                    "score": score,
                    "score_breakdown": breakdown,
                    "outcome": outcome,
                    "outcome_reason": "\n".join(reasons[key] for key in reason_keys),
                }
            )

    @api.model
    def _refresh_year(self, year):
        """Every active organisation's assessment of `year` in the current town (company): missing ones
        created, draft ones counted again."""
        # the engine's records: no "created" line of its own in their history
        Assessment = self.sudo().with_context(mail_create_nolog=True)
        town = [("company_id", "=", self.env.company.id)]
        organizations = Assessment.env["party.organization"].search(town)
        existing = Assessment.search(town + [("year", "=", year)])
        missing = organizations - existing.organization_id
        created = Assessment.create([{"organization_id": org.id, "year": year} for org in missing])
        (existing - created)._recompute_figures()
        return existing | created

    @api.model
    def _cron_refresh(self):
        """Daily, after the cadence job (its obligations closed): this year's assessments counted again, and
        last year's while not approved (the December facts close in January). Town by town, each in its
        own today."""
        for company in self.env["res.company"].sudo().search([]):
            town = self.with_company(company)
            today = town_today(town.env)
            town._refresh_year(today.year)
            town.sudo().search(
                [("company_id", "=", company.id), ("year", "=", today.year - 1), ("state", "=", "draft")]
            )._recompute_figures()

    # -- the buttons ------------------------------------------------------------------------------------------

    def _check_draft(self):
        if approved := self.filtered(lambda assessment: assessment.state != "draft"):
            raise UserError(
                self.env._(
                    "The party-building assessment “%(name)s” is approved and locked: only the town party committee "
                    "reopens it, with a reason.",
                    name=approved[0].name,
                )
            )

    def _check_committee(self):
        if not self.env.su and not self.env.user.has_group(COMMITTEE_GROUP):
            raise AccessError(
                self.env._("Only the town party committee creates, approves and reopens party-building assessments.")
            )

    def _check_not_own(self, grading=False):
        """The secretary of an organisation neither grades (`grading`) nor approves its assessment: they wrote its
        report."""
        if self.env.su:
            return
        if own := self.sudo().filtered(lambda assessment: assessment.organization_id.secretary_id == self.env.user):
            organization = own[0].organization_id.complete_name
            if grading:
                raise AccessError(
                    self.env._(
                        "You are the secretary of %(organization)s: its report is graded by the other members of the "
                        "town party committee.",
                        organization=organization,
                    )
                )
            raise AccessError(
                self.env._(
                    "You are the secretary of %(organization)s: another member of the town party committee approves "
                    "its assessment.",
                    organization=organization,
                )
            )

    def action_recompute(self):
        """The secretary (of their own organisations) or the committee counts the figures again, while draft."""
        self.check_access("write")
        self._check_draft()
        self._recompute_figures()
        return True

    @api.model
    def action_refresh_current_year(self):
        """The committee creates and counts this year's assessments of every organisation."""
        self._check_committee()
        self._refresh_year(town_today(self.env).year)
        return True

    def action_approve(self):
        """The town party committee approves the result (graded by at least one evaluator): then it is locked."""
        self._check_committee()
        self.check_access("write")
        self._check_not_own()
        self._check_draft()
        if ungraded := self.filtered(lambda assessment: not assessment.grade_ids):
            raise UserError(
                self.env._(
                    "The secretary's report of “%(name)s” has no grade yet: the evaluators grade it before approval.",
                    name=ungraded[0].name,
                )
            )
        self.sudo().write({"state": "approved", "approved_by_id": self.env.uid, "date_approved": fields.Datetime.now()})
        return True

    def action_open_reopen(self):
        self._check_committee()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Reopen Assessment"),
            "res_model": "party.building.assessment.reopen",
            "view_mode": "form",
            "target": "new",
            "context": {"default_assessment_id": self.id},
        }

    def _reopen(self, reason):
        """Back to draft by the town party committee, the reason in the chatter (in the town's language)."""
        self._check_committee()
        self.check_access("write")
        reason = (reason or "").strip()
        if not reason:
            raise UserError(self.env._("Give the reason why the assessment is reopened."))
        if drafts := self.filtered(lambda assessment: assessment.state != "approved"):
            raise UserError(self.env._("The assessment “%(name)s” is not approved.", name=drafts[0].name))
        self.sudo().write({"state": "draft", "approved_by_id": False, "date_approved": False})
        env = self._company_lang_env()
        for assessment in self:
            assessment.sudo().message_post(
                body=env._("Reopened by %(user)s: %(reason)s", user=self.env.user.name, reason=reason),
                author_id=self.env.user.partner_id.id,
            )
        return True

    # -- demo -------------------------------------------------------------------------------------------------

    @api.model
    def _demo_grade(self, score, step):
        """A believable grade for a demo score; `step` 1 is the stricter evaluator."""
        order = ["good", "fairly_good", "average", "poor"]
        index = 0 if score >= 80 else 1 if score >= 65 else 2 if score >= 50 else 3
        return order[min(index + step, len(order) - 1)] if score < 90 else order[index]

    @api.model
    def _demo_last_year_facts(self, year):
        """Demo only: the organisations' own work of `year` before the demo months (whose facts the demo town
        already tells): monthly publicity, a work meeting a quarter, the work programme and a six-entries
        activity, with gaps, counted by the cadence engine as the daily job would have. Nothing here is a
        unit's: the published months' results do not move."""
        env = self.sudo().with_context(tracking_disable=True, mail_create_nolog=True, no_mail_to_attendees=True).env
        first_demo_month = env["garbage.assessment.period"]._demo_months()[0]
        months = [month for month in range(1, 13) if date(year, month, 1) < first_demo_month]
        if not months:
            return
        tz = town_tz(env)

        def moment(month, day, hour):
            local = tz.localize(datetime(year, month, day, hour))
            return local.astimezone(pytz.utc).replace(tzinfo=None)

        organizations = env["party.organization"].search([("company_id", "=", env.company.id)], order="complete_name")
        meetings = []
        for index, organization in enumerate(organizations):
            skipped = {months[-1 - index % 3]} if index % 4 == 0 else set()
            for month in months:
                if month not in skipped:
                    meetings.append(
                        {
                            "name": f"{organization.name}{month}月垃圾分类宣传教育活动",
                            "party_meeting_kind": "publicity",
                            "party_organization_id": organization.id,
                            "start": moment(month, 12 + index % 10, 9),
                            "stop": moment(month, 12 + index % 10, 11),
                            "partner_ids": [],
                        }
                    )
                if month % 3 == 2 and not (index % 5 == 1 and month == months[-1]):
                    meetings.append(
                        {
                            "name": f"{organization.name}第{(month - 1) // 3 + 1}季度垃圾分类工作例会",
                            "party_meeting_kind": "work",
                            "party_organization_id": organization.id,
                            "start": moment(month, 20, 14),
                            "stop": moment(month, 20, 16),
                            "partner_ids": [],
                        }
                    )
        env["calendar.event"].create(meetings)
        publicity = env.ref(PUBLICITY_RULE)
        for month in months:
            env["garbage.obligation"]._recount(date(year, month, 1), publicity)
        programmes = (
            env["party.work.programme"]
            .search([("organization_id", "in", organizations.ids), ("year", "=", year)])
            .organization_id
        )
        # submitted by their secretaries; approved by the town party committee (the leader, or the task force for
        # the leader's own organisation) but for a few still waiting
        leader = env.ref("garbage_sorting.user_leader_demo")
        taskforce = env.ref("garbage_sorting.user_taskforce_demo")
        for index, organization in enumerate(organizations):
            if organization in programmes or index % 9 == 5:
                continue
            programme = env["party.work.programme"].create(
                {
                    "organization_id": organization.id,
                    "year": year,
                    "state": "submitted",
                    "content": "<p>目标：分类准确率稳步提升；措施：每月宣传、季度例会、党员“六进”；责任到人。</p>",
                }
            )
            if index % 7 != 3:
                approver = taskforce if organization.secretary_id == leader else leader
                programme._approve(approver, date(year, 2, 10 + index % 15))
        activities = []
        for index, organization in enumerate(organizations):
            in_service = organization.member_ids.filtered(lambda member: member.member_type == "in_service")
            if in_service and index % 4 != 2:
                activities.append(
                    {
                        "name": f"{organization.name}在职党员进社区宣传垃圾分类",
                        "date": date(year, months[len(months) // 2], 18),
                        "entry_type": "community",
                        "organization_id": organization.id,
                        "member_ids": [(6, 0, in_service[: max(1, len(in_service) * 2 // 3)].ids)],
                        "hours": 2,
                        "state": "done",
                    }
                )
        env["party.grassroots.activity"].create(activities)

    @api.model
    def _demo_building_assessments(self):
        """Demo only: the last complete year assessed (reports written, graded by the town leader and the task
        force, approved but for one still in discussion), and this year's counted in draft."""
        today = town_today(self.env)
        self._demo_last_year_facts(today.year - 1)
        leader = self.env.ref("garbage_sorting.user_leader_demo")
        taskforce = self.env.ref("garbage_sorting.user_taskforce_demo")
        report = (
            "<p>本年度支部把垃圾分类列入党建工作要点，落实每月宣传教育活动和季度例会，"
            "组织在职党员“六进”、志愿服务，推动所联系单位分类质量稳步提升。</p>"
            "<p>不足：个别月份宣传活动未按时开展，下一年度将压实责任、补齐短板。</p>"
        )
        last = self._refresh_year(today.year - 1).sorted(lambda assessment: assessment.organization_id.complete_name)
        last.sudo().write({"report": report})
        Grade = self.env["party.building.assessment.grade"]
        for index, assessment in enumerate(last):
            # the leader is the secretary of the town committee: its report is graded by the task force alone
            own = assessment.organization_id.secretary_id == leader
            if not own:
                Grade.with_user(leader).create(
                    {"assessment_id": assessment.id, "grade": self._demo_grade(assessment.score, 0)}
                )
            if index % 3 or own:
                Grade.with_user(taskforce).create(
                    {
                        "assessment_id": assessment.id,
                        "grade": self._demo_grade(assessment.score, 1),
                        "comment": "宣传活动记录完整，需加强对所联系单位的督导。",
                    }
                )
        # the records' creation is tracked first (as a commit would), so that their approval shows in their history
        self.env.flush_all()
        self.env.cr.precommit.run()
        own = last[:-1].filtered(lambda assessment: assessment.organization_id.secretary_id == leader)
        (last[:-1] - own).with_user(leader).action_approve()
        own.with_user(taskforce).action_approve()
        current = self._refresh_year(today.year)
        qingshan = self.env.ref("party_branch_linkage.party_organization_qingshan_demo")
        current.filtered(lambda assessment: assessment.organization_id == qingshan).sudo().write(
            {"report": "<p>（年中草稿）上半年完成宣传教育活动和季度例会，“六进”活动持续开展。</p>"}
        )
        return True


class PartyBuildingAssessmentGrade(models.Model):
    """An evaluator's grade of the secretary's report (述职评议): one per evaluator, written while not approved."""

    _name = "party.building.assessment.grade"
    _description = "Party-Building Assessment Grade"
    _inherit = ["garbage.guard.mixin"]
    _order = "assessment_id, id"
    _check_company_auto = True

    assessment_id = fields.Many2one(
        "party.building.assessment", "Assessment", required=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one(
        related="assessment_id.company_id", string="Town", store=True, index=True, precompute=True
    )
    evaluator_id = fields.Many2one(
        "res.users", "Evaluator", required=True, default=lambda self: self.env.user, check_company=True
    )
    grade = fields.Selection(GRADES, required=True)
    comment = fields.Text()

    _sql_constraints = [
        ("assessment_evaluator_unique", "unique(assessment_id, evaluator_id)", "An evaluator grades a report once."),
    ]

    @api.model
    def _guarded_fields(self):
        return {
            **super()._guarded_fields(),
            "assessment_id": (),
            "evaluator_id": (),
            "grade": (COMMITTEE_GROUP,),
            "comment": (COMMITTEE_GROUP,),
        }

    @api.model
    def _guard_creation_fields(self):
        return (*super()._guard_creation_fields(), "assessment_id", "evaluator_id")

    @api.model
    def _check_evaluation_of(self, evaluators, assessments):
        """The committee's evaluators write their own grade, while the assessment is not approved."""
        if self.env.su:
            return
        if not self.env.user.has_group(COMMITTEE_GROUP):
            raise AccessError(self.env._("Only the town party committee grades the secretary's report."))
        if foreign := evaluators - self.env.user:
            raise AccessError(self.env._("%(evaluator)s's grade is theirs to give.", evaluator=foreign[0].name))
        assessments._check_not_own(grading=True)
        assessments._check_draft()

    def _check_evaluation(self):
        self._check_evaluation_of(self.evaluator_id, self.assessment_id)

    @api.model_create_multi
    def create(self, vals_list):
        # checked before anything is stored: a refused grade leaves nothing behind
        Assessment = self.env["party.building.assessment"]
        self._check_evaluation_of(
            self.env["res.users"].browse([vals.get("evaluator_id", self.env.uid) for vals in vals_list]),
            Assessment.browse([vals["assessment_id"] for vals in vals_list if vals.get("assessment_id")]).exists(),
        )
        grades = super().create(vals_list)
        grades._check_evaluation()
        grades.assessment_id._recompute_result()
        return grades

    def write(self, vals):
        self._check_evaluation()
        result = super().write(vals)
        self._check_evaluation()
        self.assessment_id._recompute_result()
        return result

    @api.ondelete(at_uninstall=False)
    def _unlink_own_draft(self):
        self._check_evaluation()

    def unlink(self):
        assessments = self.assessment_id
        result = super().unlink()
        assessments.exists()._recompute_result()
        return result
