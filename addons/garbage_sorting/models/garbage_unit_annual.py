from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.tools import SQL

RECOMMEND_RED_STREAK = 3  # red three times in a row: recommended first for "civilized unit"
VETO_GREY_COUNT = 2  # grey twice in a year: one-vote veto of every award that year


def annual_figures(months, results):
    """The year of one unit from its published results, as plain values.

    months: the first days of the year's published periods, in order; results: {month: (result, red_flag)}.
    A red run is broken by a month that is not red, and by a month whose assessment is not published.
    """
    figures = {
        "red_count": 0,
        "grey_count": 0,
        "flag_count": 0,
        "red_streak": 0,
        "longest_red_streak": 0,
        "recommended_month": False,
    }
    previous = None
    for month in months:
        result, red_flag = results.get(month, ("none", False))
        if previous is None or month != previous + relativedelta(months=1):
            figures["red_streak"] = 0
        previous = month
        figures["flag_count"] += red_flag
        if result == "red":
            figures["red_count"] += 1
            figures["red_streak"] += 1
            figures["longest_red_streak"] = max(figures["longest_red_streak"], figures["red_streak"])
            if figures["red_streak"] == RECOMMEND_RED_STREAK and not figures["recommended_month"]:
                figures["recommended_month"] = month
        else:
            figures["red_streak"] = 0
            figures["grey_count"] += result == "grey"
    figures["veto"] = figures["grey_count"] >= VETO_GREY_COUNT
    # The veto holds for the whole year: it blocks a recommendation and withdraws an earlier one.
    figures["recommended"] = bool(figures["recommended_month"]) and not figures["veto"]
    return figures


class GarbageUnitAnnual(models.Model):
    _name = "garbage.unit.annual"
    _description = "Annual Assessment Record"
    _order = "year desc, recommended desc, veto, red_count desc, grey_count, unit_id"

    unit_id = fields.Many2one("garbage.unit", "Unit", required=True, index=True, ondelete="cascade")
    unit_type = fields.Selection(related="unit_id.unit_type", store=True)
    peer_group = fields.Selection(related="unit_id.peer_group", store=True)
    year = fields.Integer(required=True, index=True, aggregator=False)
    red_count = fields.Integer("Red Listings")
    grey_count = fields.Integer("Grey Listings")
    red_streak = fields.Integer("Current Red Run", aggregator="max")
    longest_red_streak = fields.Integer("Longest Red Run", aggregator="max")
    flag_count = fields.Integer("Red Flags Won")
    veto = fields.Boolean("One-Vote Veto", help="Grey-listed twice or more this year: excluded from every award.")
    recommended = fields.Boolean(help="Red three months in a row: recommended first for the civilized-unit selection.")
    recommended_period_id = fields.Many2one(
        "garbage.assessment.period", "Recommended After", ondelete="set null", readonly=True
    )

    _sql_constraints = [
        ("unit_year_unique", "unique(unit_id, year)", "A unit has one annual record per year."),
    ]

    @api.depends("unit_id", "year")
    def _compute_display_name(self):
        for annual in self:
            annual.display_name = f"{annual.unit_id.name} · {annual.year}"

    @api.model
    def _get_or_create(self, unit, year):
        annual = self.search([("unit_id", "=", unit.id), ("year", "=", year)])
        return annual or self.create({"unit_id": unit.id, "year": year})

    @api.model
    def _recompute(self, units, year):
        """Rebuild the annual records of `units` for `year` from the published periods, in batch."""
        Annual = self.sudo()
        periods = (
            Annual.env["garbage.assessment.period"]
            .sudo()
            .search([("state", "=", "published"), ("year", "=", year)], order="date_start")
        )
        lines = (
            self.env["garbage.assessment"]
            .sudo()
            .search_fetch(
                [("period_id", "in", periods.ids), ("unit_id", "in", units.ids)],
                ["period_id", "unit_id", "date_start", "result", "red_flag"],
            )
        )
        results = {unit.id: {} for unit in units}
        for line in lines:
            results[line.unit_id.id][line.date_start] = (line.result, line.red_flag)
        months = periods.mapped("date_start")
        period_by_month = {period.date_start: period.id for period in periods}
        existing = Annual.search_fetch([("unit_id", "in", units.ids), ("year", "=", year)], ["unit_id"])
        annual_by_unit = {annual.unit_id.id: annual.id for annual in existing}
        Annual.create([{"unit_id": unit.id, "year": year} for unit in units if unit.id not in annual_by_unit])
        Annual.flush_model()
        rows = []
        for unit_id, unit_results in results.items():
            figures = annual_figures(months, unit_results)
            rows.append(
                SQL(
                    "(%s, %s::int, %s::int, %s::int, %s::int, %s::int, %s::bool, %s::bool, %s::int)",
                    unit_id,
                    figures["red_count"],
                    figures["grey_count"],
                    figures["red_streak"],
                    figures["longest_red_streak"],
                    figures["flag_count"],
                    figures["veto"],
                    figures["recommended"],
                    period_by_month.get(figures["recommended_month"]) if figures["recommended"] else None,
                )
            )
        if not rows:
            return
        # One statement for every unit, whatever their number (the ORM would write each distinct value set).
        self.env.cr.execute(
            SQL(
                """
                UPDATE garbage_unit_annual AS annual
                   SET red_count = v.red_count, grey_count = v.grey_count, red_streak = v.red_streak,
                       longest_red_streak = v.longest_red_streak, flag_count = v.flag_count, veto = v.veto,
                       recommended = v.recommended, recommended_period_id = v.recommended_period_id,
                       write_uid = %s, write_date = (now() at time zone 'UTC')
                  FROM (VALUES %s) AS v(unit_id, red_count, grey_count, red_streak, longest_red_streak,
                                        flag_count, veto, recommended, recommended_period_id)
                 WHERE annual.unit_id = v.unit_id AND annual.year = %s
                """,
                self.env.uid,
                SQL(", ").join(rows),
                year,
            )
        )
        Annual.invalidate_model()

    def _get_report_data(self):
        """What the level-3 report shows of the unit's year: results, inspections, rectifications."""
        self.ensure_one()
        year_start = fields.Date.to_date(f"{self.year}-01-01")
        year_end = fields.Date.to_date(f"{self.year}-12-31")
        return {
            "results": self.env["garbage.assessment"].search(
                [
                    ("unit_id", "=", self.unit_id.id),
                    ("period_id.year", "=", self.year),
                    ("period_id.state", "=", "published"),
                ],
                order="date_start",
            ),
            "inspections": self.env["garbage.inspection"].search(
                [
                    ("unit_id", "=", self.unit_id.id),
                    ("state", "=", "done"),
                    ("date", ">=", year_start),
                    ("date", "<=", year_end),
                ],
                order="date, id",
            ),
            "rectifications": self.env["garbage.rectification"].search(
                [
                    ("unit_id", "=", self.unit_id.id),
                    ("deadline", ">=", year_start),
                    ("deadline", "<=", year_end),
                ],
                order="deadline, id",
            ),
        }


class GarbageUnit(models.Model):
    _inherit = "garbage.unit"

    annual_ids = fields.One2many("garbage.unit.annual", "unit_id", string="Annual Records")
    assessment_ids = fields.One2many("garbage.assessment", "unit_id", string="Monthly Results")
    assessment_count = fields.Integer(compute="_compute_assessment_count")
    escalation_count = fields.Integer(compute="_compute_assessment_count")

    def _compute_assessment_count(self):
        published = [("period_id.state", "=", "published"), ("unit_id", "in", self.ids)]
        assessments = dict(self.env["garbage.assessment"]._read_group(published, ["unit_id"], ["__count"]))
        escalations = dict(
            self.env["garbage.escalation"]._read_group(
                [("unit_id", "in", self.ids), ("state", "!=", "cancel")], ["unit_id"], ["__count"]
            )
        )
        for unit in self:
            unit.assessment_count = assessments.get(unit, 0)
            unit.escalation_count = escalations.get(unit, 0)

    def action_view_assessments(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("garbage_sorting.garbage_assessment_action")
        action["domain"] = [("unit_id", "=", self.id), ("period_id.state", "=", "published")]
        action["context"] = {}
        return action

    def action_view_escalations(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("garbage_sorting.garbage_escalation_action")
        action["domain"] = [("unit_id", "=", self.id)]
        action["context"] = {}
        return action
