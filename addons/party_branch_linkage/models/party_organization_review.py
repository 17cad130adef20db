from datetime import date

from odoo import api, fields, models
from odoo.addons.garbage_sorting.models.file_names import file_name_part
from odoo.addons.garbage_sorting.models.garbage_input_mixin import MAX_YEAR, MIN_YEAR
from odoo.addons.garbage_sorting.report.xlsx_workbook import build_workbook
from odoo.exceptions import AccessError, ValidationError
from odoo.tools import html2plaintext

from .party_organization import STRUCTURE_GROUPS

# Fields read from the assessment's yearly record when that model is installed (built in parallel).
UNIT_ANNUAL_FIELDS = ("red_count", "grey_count", "veto", "recommended", "flag_count")
LEADER_GROUP = "garbage_sorting.garbage_sorting_group_leader"
# The years a review can cover: the supported calendar (a date needs the year after the last one too).
REVIEW_YEARS = range(MIN_YEAR, MAX_YEAR + 1)


def annual_outcome(unit_rows):
    """The organisation's reward or penalty of the year (奖惩激励), from its led units' red/grey record.

    `unit_rows`: one dict per unit led by the organisation (or an organisation below it) with the year's
    `red_count`, `grey_count`, `veto`, `recommended` and `flag_count` ("" when the unit has no record).
    The rule, applied in this order:
    - penalty: a unit was vetoed (grey-listed twice or more): the one-vote veto reaches the organisation
      that leads it, which is not commended this year;
    - warning: a unit was grey-listed once: no reward, the secretary answers for it at the review;
    - reward: no unit was grey-listed and at least one was red-listed (won a red flag) or recommended;
    - none: otherwise (no listing at all, or no unit).
    Returns (outcome key, {"red": units red-listed, "flags": red flags won, "recommended": units,
    "grey": units grey-listed, "vetoed": units}), the unit lists being names.
    """
    figures = {
        "red": [row["name"] for row in unit_rows if row["red_count"]],
        "flags": sum(row["flag_count"] or 0 for row in unit_rows),
        "recommended": [row["name"] for row in unit_rows if row["recommended"]],
        "grey": [row["name"] for row in unit_rows if row["grey_count"]],
        "vetoed": [row["name"] for row in unit_rows if row["veto"]],
    }
    if figures["vetoed"]:
        return "penalty", figures
    if figures["grey"]:
        return "warning", figures
    if figures["red"] or figures["recommended"] or figures["flags"]:
        return "reward", figures
    return "none", figures


class PartyOrganization(models.Model):
    _inherit = "party.organization"

    @api.model
    def _check_review_year(self, year):
        """The year as an integer; a clear error for anything that is not a year."""
        try:
            year = int(year)
        except (TypeError, ValueError, OverflowError):  # NaN, text, infinity
            year = None
        if year not in REVIEW_YEARS:
            raise ValidationError(self.env._("The annual review needs a year between 1949 and 9998."))
        return year

    def _garbage_file_name_part(self):
        """The organisation's name as the file name of its printed review holds it: cut short, see `file_names`."""
        self.ensure_one()
        return file_name_part(self.name)

    def _check_annual_review_access(self):
        """The review names the units' red and grey listings and vetoes: it is read by the organisation's
        secretary (or one above), the town party committee, the town leaders and the task force only.
        """
        self.check_access("read")
        if self.env.su or any(self.env.user.has_group(group) for group in (*STRUCTURE_GROUPS, LEADER_GROUP)):
            return
        if self - self._get_secretary_scope():
            raise AccessError(
                self.env._(
                    "Only the organization's secretary (or the secretary of one above it), the town party committee, "
                    "the town leaders and the task force read its annual review."
                )
            )

    def _get_annual_review_data(self, year):
        """Everything the secretary presents at the annual review (述职评议), as plain values.

        Checked first (who may read this review), then read with sudo for exactly this organisation's
        subtree and the units it leads: a secretary does not read the units' annual records otherwise.
        """
        self.ensure_one()
        year = self._check_review_year(year)
        self._check_annual_review_access()
        year_start, year_end = date(year, 1, 1), date(year, 12, 31)
        env = self.sudo().env
        organizations = self.sudo().search([("id", "child_of", self.id)])
        units = organizations.unit_ids

        annual = {}
        if "garbage.unit.annual" in env:
            Annual = env["garbage.unit.annual"]
            names = [name for name in UNIT_ANNUAL_FIELDS if name in Annual._fields]
            for record in Annual.search([("unit_id", "in", units.ids), ("year", "=", year)]):
                annual[record.unit_id.id] = {name: record[name] for name in names}
        unit_rows = [
            {
                "code": unit.code or "",
                "name": unit.name or "",
                **dict.fromkeys(UNIT_ANNUAL_FIELDS, ""),
                **annual.get(unit.id, {}),
            }
            for unit in units
        ]

        Obligation = env["garbage.obligation"]
        # the units' obligations and the organisations' own (their monthly publicity)
        obligation_domain = [
            "|",
            ("unit_id", "in", units.ids),
            ("party_organization_id", "in", organizations.ids),
            ("date_start", ">=", year_start),
            ("date_start", "<=", year_end),
        ]
        missed = dict(Obligation._read_group(obligation_domain + [("state", "=", "missed")], ["rule_id"], ["__count"]))
        cadence_rows = [
            {
                "rule": rule.name,
                "expected": expected,
                "done": done,
                "obligations": count,
                "missed": missed.get(rule, 0),
            }
            for rule, expected, done, count in Obligation._read_group(
                obligation_domain, ["rule_id"], ["expected:sum", "done:sum", "__count"]
            )
        ]

        Event = env["calendar.event"]
        kinds = dict(Event._fields["party_meeting_kind"]._description_selection(self.env))
        meeting_rows = [
            {"kind": kinds[kind], "count": count}
            for kind, count in Event._read_group(
                [
                    ("party_meeting_kind", "!=", False),
                    ("party_state", "!=", "cancelled"),
                    "|",
                    ("party_organization_id", "in", organizations.ids),
                    ("garbage_unit_ids", "in", units.ids),
                    ("start", ">=", fields.Datetime.to_datetime(year_start)),
                    ("start", "<", fields.Datetime.to_datetime(date(year + 1, 1, 1))),
                ],
                ["party_meeting_kind"],
                ["__count"],
            )
        ]

        activities = env["party.grassroots.activity"].search(
            [
                ("organization_id", "in", organizations.ids),
                ("state", "=", "done"),
                ("date", ">=", year_start),
                ("date", "<=", year_end),
            ],
            order="date",
        )
        entries = dict(activities._fields["entry_type"]._description_selection(self.env))
        activity_rows = [
            {
                "date": activity.date,
                "name": activity.name,
                "entry": entries[activity.entry_type],
                "members": len(activity.member_ids),
                "hours": activity.hours * len(activity.member_ids),
            }
            for activity in activities
        ]

        highlights = env["party.brand.highlight"].search(
            [
                ("project_id.organization_ids", "in", organizations.ids),
                ("date", ">=", year_start),
                ("date", "<=", year_end),
            ],
            order="date",
        )
        highlight_rows = [
            {
                "date": highlight.date,
                "project": highlight.project_id.name,
                "name": highlight.name,
                "typical": highlight.is_typical_case,
                "publicized": highlight.is_publicized,
                "media_url": highlight.media_url or "",
            }
            for highlight in highlights
        ]

        # The organisations' own obligations, one row each (read per year by the rewards and penalties too).
        states = dict(Obligation._fields["state"]._description_selection(self.env))
        by_organization = Obligation._get_organization_year(organizations, year)
        organization_obligation_rows = [
            {
                "organization": organization.complete_name,
                "rule": obligation.rule_id.name,
                "date_start": obligation.date_start,
                "date_end": obligation.date_end,
                "expected": obligation.expected,
                "done": obligation.done,
                "state": obligation.state,
                "status": states[obligation.state],
            }
            for organization in organizations
            for obligation in by_organization[organization]
        ]
        programmes = env["party.work.programme"].search(
            [("organization_id", "in", organizations.ids), ("year", "=", year)]
        )
        programme_rows = [
            {
                "organization": programme.organization_id.complete_name,
                "date_adopted": programme.date_adopted or "",
                "content": programme.content or "",
                "text": html2plaintext(programme.content or ""),
            }
            for programme in programmes.sorted(lambda programme: programme.organization_id.complete_name or "")
        ]
        # Each organisation of the subtree with or without its programme of the year (R2: every one draws it up).
        programme_missing = [
            organization.complete_name
            for organization in organizations
            if organization not in programmes.organization_id
        ]

        members = organizations.member_ids
        member_rows = [
            {
                "name": member.name,
                "unit": member.unit_id.name or "",
                "duties": "、".join(member._duty_labels()),
                "hours": sum(activity.hours for activity in activities if member in activity.member_ids),
            }
            for member in members.sorted(lambda member: member.name or "")
        ]
        # The stored assessment of the year, read with the user's own rights (its readers are the review's).
        assessment = self.env["party.building.assessment"].search(
            [("organization_id", "=", self.id), ("year", "=", year)]
        )
        return {
            "assessment": assessment,
            "outcome": assessment.outcome or False,
            "organization": self.sudo().complete_name or "",
            "secretary": self.sudo().secretary_id.name or "",
            "year": year,
            "units": unit_rows,
            "cadence": cadence_rows,
            "meetings": meeting_rows,
            "activities": activity_rows,
            "highlights": highlight_rows,
            "members": member_rows,
            "organization_obligations": organization_obligation_rows,
            "programmes": programme_rows,
            "programme_missing": programme_missing,
        }

    def _get_annual_review_sheets(self, year):
        """[(sheet title, headers, rows)] shared by the PDF and the XLSX."""
        data = self._get_annual_review_data(year)
        yes, no = self.env._("Yes"), self.env._("No")

        def flag(value):
            return value if value == "" else (yes if value else no)

        return data, [
            (
                self.env._("Units"),
                [
                    self.env._("Code"),
                    self.env._("Unit"),
                    self.env._("Red Listings"),
                    self.env._("Grey Listings"),
                    self.env._("Vetoed"),
                    self.env._("Recommended"),
                ],
                [
                    [
                        row["code"],
                        row["name"],
                        row["red_count"],
                        row["grey_count"],
                        flag(row["veto"]),
                        flag(row["recommended"]),
                    ]
                    for row in data["units"]
                ],
            ),
            (
                self.env._("Cadence"),
                [
                    self.env._("Rule"),
                    self.env._("Obligations"),
                    self.env._("Expected"),
                    self.env._("Held"),
                    self.env._("Missed"),
                ],
                [[r["rule"], r["obligations"], r["expected"], r["done"], r["missed"]] for r in data["cadence"]],
            ),
            (
                self.env._("Meetings"),
                [self.env._("Meeting Kind"), self.env._("Held")],
                [[r["kind"], r["count"]] for r in data["meetings"]],
            ),
            (
                self.env._("Activities"),
                [
                    self.env._("Date"),
                    self.env._("Activity"),
                    self.env._("Entry"),
                    self.env._("Members"),
                    self.env._("Member Hours"),
                ],
                [[str(r["date"]), r["name"], r["entry"], r["members"], r["hours"]] for r in data["activities"]],
            ),
            (
                self.env._("Highlights"),
                [
                    self.env._("Date"),
                    self.env._("Brand Project"),
                    self.env._("Highlight"),
                    self.env._("Typical Case"),
                    self.env._("Marked for Publicity"),
                    self.env._("Media Link"),
                ],
                [
                    [str(r["date"]), r["project"], r["name"], flag(r["typical"]), flag(r["publicized"]), r["media_url"]]
                    for r in data["highlights"]
                ],
            ),
            (
                self.env._("Members"),
                [
                    self.env._("Member"),
                    self.env._("Unit"),
                    self.env._("Take-the-lead Duties"),
                    self.env._("Grassroots Hours"),
                ],
                [[r["name"], r["unit"], r["duties"], r["hours"]] for r in data["members"]],
            ),
            (
                self.env._("Work Programme"),
                [self.env._("Party Organization"), self.env._("Adopted On"), self.env._("Programme")],
                [[r["organization"], str(r["date_adopted"]), r["text"]] for r in data["programmes"]]
                + [[name, "", self.env._("No work programme this year.")] for name in data["programme_missing"]],
            ),
            (
                self.env._("Organization Cadence"),
                [
                    self.env._("Party Organization"),
                    self.env._("Rule"),
                    self.env._("Period"),
                    self.env._("Expected"),
                    self.env._("Held"),
                    self.env._("Status"),
                ],
                [
                    [
                        r["organization"],
                        r["rule"],
                        f"{r['date_start']} – {r['date_end']}",
                        r["expected"],
                        r["done"],
                        r["status"],
                    ]
                    for r in data["organization_obligations"]
                ],
            ),
            *self._get_assessment_sections(data),
            self._get_annual_outcome_section(data),
        ]

    def _get_annual_outcome_section(self, data):
        """The section "Rewards and Penalties" (奖惩激励) of the review: the stored party-building assessment's
        result (see `building_outcome()`), never one worked out at print time."""
        assessment = data["assessment"]
        headers = [
            self.env._("Annual Outcome"),
            self.env._("Reason"),
            self.env._("Status"),
            self.env._("Score"),
            self.env._("Review Result"),
            self.env._("Red-listed Units"),
            self.env._("Red Flags Won"),
            self.env._("Recommended Units"),
            self.env._("Grey-listed Units"),
            self.env._("Vetoed Units"),
        ]
        if not assessment:
            missing = self.env._("No party-building assessment is recorded for this organization and year.")
            return self.env._("Rewards and Penalties"), headers, [[missing] + [""] * (len(headers) - 1)]

        def label(name):
            return dict(assessment._fields[name]._description_selection(self.env)).get(assessment[name], "")

        state = label("state")
        if assessment.state != "approved":
            state = self.env._("%(state)s (not approved yet)", state=state)
        return (
            self.env._("Rewards and Penalties"),
            headers,
            [
                [
                    label("outcome"),
                    assessment.outcome_reason or "",
                    state,
                    assessment.score,
                    label("review_result"),
                    assessment.red_unit_names or "",
                    assessment.flag_count,
                    assessment.recommended_unit_names or "",
                    assessment.grey_unit_names or "",
                    assessment.vetoed_unit_names or "",
                ]
            ],
        )

    def _get_assessment_sections(self, data):
        """The stored assessment's figures and the review's grades (述职评议), two sections of the review."""
        assessment = data["assessment"]
        figures_title, grades_title = self.env._("Assessment Figures"), self.env._("Review Grades")
        figure_headers = [self.env._("Figure"), self.env._("Value")]
        grade_headers = [self.env._("Evaluator"), self.env._("Grade"), self.env._("Comment")]
        if not assessment:
            missing = self.env._("No party-building assessment is recorded for this organization and year.")
            return [(figures_title, figure_headers, [[missing, ""]]), (grades_title, grade_headers, [])]
        yes, no = self.env._("Yes"), self.env._("No")
        figure_rows = []
        for name in assessment._printed_figures():
            value = assessment[name]
            if assessment._fields[name].type == "boolean":
                value = yes if value else no
            figure_rows.append([assessment._fields[name]._description_string(self.env), value])
        figure_rows.append(
            [
                assessment._fields["report"]._description_string(self.env),
                html2plaintext(assessment.report or "")
                + (f"\n{assessment.report_filename}" if assessment.report_filename else ""),
            ]
        )
        grades = dict(assessment.grade_ids._fields["grade"]._description_selection(self.env))
        grade_rows = [
            [grade.evaluator_id.name, grades[grade.grade], grade.comment or ""] for grade in assessment.grade_ids
        ]
        return [(figures_title, figure_headers, figure_rows), (grades_title, grade_headers, grade_rows)]

    def _get_annual_review_xlsx(self, year):
        """The annual review as an XLSX workbook (bytes), one sheet per section."""
        data, sheets = self._get_annual_review_sheets(year)
        return build_workbook(
            [
                {"name": title, "title": f"{data['organization']} · {year} · {title}", "headers": headers, "rows": rows}
                for title, headers, rows in sheets
            ]
        )
