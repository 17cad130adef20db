import json
from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from .file_names import file_name_part
from .garbage_assessment_period import VETO_GREY_COUNT
from .garbage_input_mixin import MAX_YEAR, MIN_YEAR
from .garbage_obligation import engine_fields

RECOMMEND_RED_STREAK = 3  # red three times in a row: recommended first for "civilized unit"
# The figures of an annual record, as its columns.
ANNUAL_FIGURES = (
    "red_count",
    "grey_count",
    "red_streak",
    "longest_red_streak",
    "flag_count",
    "veto",
    "recommended",
    "recommended_period_id",
)


def annual_figures(months, results, year=None):
    """The year of one unit from its published results, as plain values.

    months: the first days of the published periods, in order; results: {month: (result, red_flag)}.
    A red run is broken by a month that is not red, and by a month whose assessment is not published.
    With `year`, the months before it (the previous year's) only carry a red run into it: three reds in
    a row are three consecutive months across New Year (November, December, January recommends in the
    year of January), while the counts, the flags and the veto are the year's own. Two exceptions, so that
    the year boundary gives nothing twice: the months of a vetoed previous year carry nothing (the veto
    excludes that year's months from every award), and a run that earned the previous year's recommendation
    earns none again by going on into January. A later run of that year, unrewarded there (a year recommends
    once), earns this year's.
    """
    figures = {
        "red_count": 0,
        "grey_count": 0,
        "flag_count": 0,
        "red_streak": 0,
        "longest_red_streak": 0,
        "recommended_month": False,
    }
    previous_year_vetoed = (
        year is not None
        and sum(results.get(month, ("none", False))[0] == "grey" for month in months if month.year < year)
        >= VETO_GREY_COUNT
    )
    run_rewarded = False  # the current run earned the previous year's recommendation
    previous_year_rewarded = False  # a year recommends once: its first run of three red months
    previous = None
    for month in months:
        result, red_flag = results.get(month, ("none", False))
        index = month.year * 12 + month.month  # months in a row: consecutive indexes
        if previous is None or index != previous + 1:
            figures["red_streak"] = 0
            run_rewarded = False
        previous = index
        if year is not None and month.year < year:
            # the previous year: only its red run counts, as the start of this year's
            if result == "red" and not previous_year_vetoed:
                figures["red_streak"] += 1
                if figures["red_streak"] >= RECOMMEND_RED_STREAK and not previous_year_rewarded:
                    previous_year_rewarded = run_rewarded = True
            else:
                figures["red_streak"] = 0
                run_rewarded = False
            continue
        figures["flag_count"] += red_flag
        if result == "red":
            figures["red_count"] += 1
            figures["red_streak"] += 1
            figures["longest_red_streak"] = max(figures["longest_red_streak"], figures["red_streak"])
            if figures["red_streak"] >= RECOMMEND_RED_STREAK and not run_rewarded and not figures["recommended_month"]:
                figures["recommended_month"] = month
        else:
            figures["red_streak"] = 0
            run_rewarded = False
            figures["grey_count"] += result == "grey"
    figures["veto"] = figures["grey_count"] >= VETO_GREY_COUNT
    # The veto holds for the whole year: it blocks a recommendation and withdraws an earlier one.
    figures["recommended"] = bool(figures["recommended_month"]) and not figures["veto"]
    return figures


class GarbageUnitAnnual(models.Model):
    _name = "garbage.unit.annual"
    _description = "Annual Assessment Record"
    _inherit = ["garbage.guard.mixin"]
    _order = "year desc, recommended desc, veto, red_count desc, grey_count, unit_id"
    _check_company_auto = True

    company_id = fields.Many2one(related="unit_id.company_id", string="Town", store=True, index=True, precompute=True)
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
        "garbage.assessment.period",
        "Recommended After",
        ondelete="set null",
        readonly=True,
        check_company=True,
    )
    is_latest_year = fields.Boolean(
        "Latest Year",
        compute="_compute_is_latest_year",
        search="_search_is_latest_year",
        help="Technical: this record belongs to the latest year that has annual records (the list opens on it).",
    )

    _sql_constraints = [
        ("unit_year_unique", "unique(unit_id, year)", "A unit has one annual record per year."),
    ]

    @api.model
    def _guarded_fields(self):
        """Rebuilt from the published months by the engine: nobody writes an annual record by hand."""
        base = {name: groups for name, groups in super()._guarded_fields().items() if name in self._fields}
        # is_latest_year: a search flag computed on the fly, never written.
        return {name: groups for name, groups in {**base, **engine_fields(self)}.items() if name != "is_latest_year"}

    @api.model
    def _input_ranges(self):
        # the year of a published month, within the supported calendar
        return {**super()._input_ranges(), "year": (MIN_YEAR, MAX_YEAR, False)}

    @api.ondelete(at_uninstall=False)
    def _unlink_except_engine(self):
        if not self.env.su:
            raise UserError(self.env._("An annual record is rebuilt from the published months: it cannot be deleted."))

    def _latest_year(self):
        years = self._read_group([], aggregates=["year:max"])
        return years[0][0] if years else False

    def _compute_is_latest_year(self):
        latest = self._latest_year()
        for annual in self:
            annual.is_latest_year = annual.year == latest

    def _search_is_latest_year(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Unsupported search on the latest year."))
        latest = self._latest_year() or 0
        return [("year", "=" if (operator == "=") == value else "!=", latest)]

    @api.depends("unit_id", "year")
    def _compute_display_name(self):
        for annual in self:
            annual.display_name = f"{annual.unit_id.name} · {annual.year}"

    def _garbage_file_name_part(self):
        """The unit's name as the printed year's file name holds it: cut short, see `file_names`."""
        self.ensure_one()
        return file_name_part(self.unit_id.name)

    @api.model
    def _get_or_create(self, unit, year):
        annual = self.search([("unit_id", "=", unit.id), ("year", "=", year)])
        return annual or self.create({"unit_id": unit.id, "year": year})

    @api.model
    def _recompute(self, year, units=None, companies=None):
        """Rebuild the annual records of `year` from the towns' published periods, in batch: of `units`, by
        default of every unit that has a result in those periods. The previous year's published months are
        read too: a red run that started in them carries into `year` (see annual_figures). The towns are
        `companies`, by default the current one; each unit's year is its own town's months."""
        companies = companies or self.env.company
        Annual = self.sudo()
        periods = (
            Annual.env["garbage.assessment.period"]
            .sudo()
            .search(
                [("company_id", "in", companies.ids), ("state", "=", "published"), ("year", "in", (year - 1, year))],
                order="date_start",
            )
        )
        of_units = SQL(" AND unit_id = ANY(%s)", units.ids) if units is not None else SQL()
        Annual.env["garbage.assessment"].flush_model(["period_id", "unit_id", "result", "red_flag"])
        Annual.env.cr.execute(
            SQL(
                "SELECT unit_id, period_id, result, red_flag FROM garbage_assessment WHERE period_id = ANY(%s)%s",
                periods.ids,
                of_units,
            )
        )
        rows = Annual.env.cr.fetchall()
        month_of = {period.id: period.date_start for period in periods}
        town_of = {period.id: period.company_id.id for period in periods}
        # Only units with a red, grey or flag month have something to count: the others' year is all zeros.
        notable = {unit_id for unit_id, __, result, red_flag in rows if red_flag or result in ("red", "grey")}
        results, unit_town = defaultdict(dict), {}
        for unit_id, period_id, result, red_flag in rows:
            if unit_id in notable:
                results[unit_id][month_of[period_id]] = (result, red_flag)
                unit_town[unit_id] = town_of[period_id]
        if units is None:
            # a unit listed only in the previous year has no record in this one
            this_year = {period.id for period in periods if period.year == year}
            unit_ids = {unit_id for unit_id, period_id, *__ in rows if period_id in this_year}
        else:
            unit_ids = units.ids
        months, period_by_month = defaultdict(list), defaultdict(dict)
        for period in periods:
            months[period.company_id.id].append(period.date_start)
            period_by_month[period.company_id.id][period.date_start] = period.id
        # Most units' year does not move in a month: only the records whose figures changed are written.
        Annual.flush_model()
        Annual.env.cr.execute(
            SQL(
                "SELECT unit_id, %s FROM garbage_unit_annual WHERE company_id = ANY(%s) AND year = %s%s",
                SQL(", ").join(map(SQL.identifier, ANNUAL_FIGURES)),
                companies.ids,
                year,
                of_units,
            )
        )
        stored = {unit_id: tuple(values) for unit_id, *values in Annual.env.cr.fetchall()}
        nothing = self._record_figures(annual_figures([], {}, year), {})
        nothing_values = tuple(nothing[name] for name in ANNUAL_FIGURES)
        figures_list = []
        for unit_id in unit_ids:
            if unit_id in notable:
                town = unit_town[unit_id]
                figures = self._record_figures(
                    annual_figures(months[town], results[unit_id], year), period_by_month[town]
                )
                if stored.get(unit_id) != tuple(figures[name] for name in ANNUAL_FIGURES):
                    figures_list.append(dict(figures, unit_id=unit_id))
            elif stored.get(unit_id) != nothing_values:
                figures_list.append(dict(nothing, unit_id=unit_id))
        if not figures_list:
            return
        Annual.env["garbage.unit"].flush_model(["company_id", "unit_type", "peer_group"])  # copied from the unit
        # One upsert for every changed record, whatever their number: the ORM would create, then write each
        # distinct value set.
        Annual.env.cr.execute(
            SQL(
                """
                INSERT INTO garbage_unit_annual AS annual (
                       unit_id, company_id, year, unit_type, peer_group, red_count, grey_count, red_streak,
                       longest_red_streak,
                       flag_count, veto, recommended, recommended_period_id,
                       create_uid, write_uid, create_date, write_date)
                SELECT v.unit_id, unit.company_id, %s, unit.unit_type, unit.peer_group, v.red_count, v.grey_count,
                       v.red_streak,
                       v.longest_red_streak, v.flag_count, v.veto, v.recommended, v.recommended_period_id,
                       %s, %s, now() at time zone 'UTC', now() at time zone 'UTC'
                  FROM jsonb_to_recordset(%s::jsonb) AS v(
                           unit_id int, red_count int, grey_count int, red_streak int, longest_red_streak int,
                           flag_count int, veto bool, recommended bool, recommended_period_id int)
                  JOIN garbage_unit unit ON unit.id = v.unit_id
                    ON CONFLICT (unit_id, year) DO UPDATE
                   SET red_count = excluded.red_count, grey_count = excluded.grey_count,
                       red_streak = excluded.red_streak, longest_red_streak = excluded.longest_red_streak,
                       flag_count = excluded.flag_count, veto = excluded.veto, recommended = excluded.recommended,
                       recommended_period_id = excluded.recommended_period_id,
                       write_uid = excluded.write_uid, write_date = excluded.write_date
                """,
                year,
                Annual.env.uid,
                Annual.env.uid,
                json.dumps(figures_list),
            )
        )
        Annual.invalidate_model()
        Annual.env["garbage.unit"].invalidate_model(["annual_ids"])

    @api.model
    def _record_figures(self, figures, period_by_month):
        """annual_figures as the record stores them: the recommendation's month as its period."""
        month = figures.pop("recommended_month")
        figures["recommended_period_id"] = period_by_month.get(month) if figures["recommended"] else None
        return figures

    @api.model
    def _recompute_with_next(self, year, units=None, companies=None):
        """Rebuild `year` of the towns `companies` (by default the current one), and the next year of those that
        have published months in it: a red run carries across New Year."""
        companies = companies or self.env.company
        self._recompute(year, units, companies)
        next_year = [
            company
            for (company,) in self.env["garbage.assessment.period"]
            .sudo()
            ._read_group(
                [("company_id", "in", companies.ids), ("state", "=", "published"), ("year", "=", year + 1)],
                ["company_id"],
            )
        ]
        if next_year:
            self._recompute(year + 1, units, self.env["res.company"].union(*next_year))

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
            self.env["garbage.escalation"]
            .sudo()
            ._read_group([("unit_id", "in", self.ids), ("state", "!=", "cancel")], ["unit_id"], ["__count"])
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
