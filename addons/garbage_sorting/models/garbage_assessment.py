from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from .garbage_assessment_period import VETO_GREY_COUNT
from .garbage_guard_mixin import company_lang_env, town_today
from .garbage_obligation import engine_fields
from .garbage_obligation_rule import period_bounds
from .garbage_unit import UNIT_TYPES

# The placeholders of the deduction reasons (translated templates filled in the assessment's query).
REASON_PLACEHOLDERS = ("count", "done", "end", "expected", "inspection", "reason", "rule", "start", "unit")

RESULT_SEQUENCE = {"red": 1, "normal": 2, "grey": 3, "none": 4}

ASSESSMENT_RESULTS = [
    ("red", "Red List"),
    ("normal", "Normal"),
    ("grey", "Grey List"),
    ("none", "Not Assessed"),
]


class GarbageAssessment(models.Model):
    _name = "garbage.assessment"
    _description = "Monthly Assessment Result"
    _inherit = ["garbage.guard.mixin"]
    _order = "date_start desc, peer_group, result_sequence, rank, unit_id"
    # Derived data, rewritten whole by every computation: who computed the month, and when, is on the
    # period (date_computed, its tracked state); per-line log columns would only slow the computation.
    _log_access = False
    _check_company_auto = True

    company_id = fields.Many2one(related="period_id.company_id", string="Town", store=True, index=True, precompute=True)
    period_id = fields.Many2one(
        "garbage.assessment.period",
        "Assessment",
        required=True,
        ondelete="cascade",
        index=True,
    )
    date_start = fields.Date("Month", related="period_id.date_start", store=True)
    state = fields.Selection(related="period_id.state", string="Assessment State")
    unit_id = fields.Many2one("garbage.unit", "Unit", required=True, ondelete="cascade", index=True, check_company=True)
    # Type and peer group as they were that month: history does not move when a unit changes type.
    unit_type = fields.Selection(UNIT_TYPES, string="Type")
    peer_group = fields.Selection(
        [
            ("village_community", "Villages and Communities"),
            ("agency_institution", "Agencies and Institutions"),
            ("enterprise", "Enterprises"),
        ]
    )
    patrol_mean = fields.Float("Town Patrol", digits=(5, 2), aggregator="avg")
    mutual_mean = fields.Float("Mutual Inspection", digits=(5, 2), aggregator="avg")
    self_mean = fields.Float("Self-inspection", digits=(5, 2), aggregator="avg")
    sources = fields.Char("Sources Present", help="Inspection sources that count this month.")
    base_score = fields.Float("Inspection Score", digits=(5, 2), aggregator="avg")
    missed_count = fields.Integer("Missed Obligations")
    skipped_count = fields.Integer(
        "Skipped or Refused Inspections",
        help="The unit's part of the task force's mutual rounds it did not do: a confirmed round's mutual inspection "
        "it was to make and had not done by the end of the round's two months, or one it refused to undergo. "
        "Each costs the penalty of a missed obligation.",
    )
    deductions = fields.Text(
        help="Why points were deducted this month: each missed obligation, skipped or refused mutual inspection and "
        "the rectifications overdue at the month's end (in the town's language, as computed).",
    )
    overdue_count = fields.Integer("Overdue Rectifications")
    penalty = fields.Float(digits=(5, 2))
    score = fields.Float(digits=(5, 2), aggregator="avg")
    rank = fields.Integer(aggregator="min", help="Rank within the peer group, 1 = best; equal scores share a rank.")
    result = fields.Selection(ASSESSMENT_RESULTS, required=True, default="none", index=True)
    result_sequence = fields.Integer(compute="_compute_result_sequence", store=True)
    red_flag = fields.Boolean(
        help="Rotating red flag: the best red unit(s) of the peer group that are not under the one-vote veto."
    )
    town_inspected = fields.Boolean(
        "Inspected by the Town",
        help="At least one done town patrol or mutual inspection this month: only then can the unit be red.",
    )
    vetoed = fields.Boolean(
        "Under Veto",
        help="Grey-listed twice or more in the year's earlier published months: the result stands, "
        "but the red flag passes to the next red unit of the peer group.",
    )
    # The town dashboard's lists filter on it: a spreadsheet domain cannot say "the latest published month".
    is_latest_published = fields.Boolean(
        "Latest Published", compute="_compute_is_latest_published", search="_search_is_latest_published"
    )

    _sql_constraints = [
        ("period_unit_unique", "unique(period_id, unit_id)", "A unit has one result per assessment."),
    ]

    @api.model
    def _guarded_fields(self):
        """Computed whole by the monthly engine: nobody, the task force included, writes a result by hand."""
        return {**super()._guarded_fields(), **engine_fields(self)}

    @api.depends("result")
    def _compute_result_sequence(self):
        for line in self:
            line.result_sequence = RESULT_SEQUENCE.get(line.result, 5)

    def _compute_is_latest_published(self):
        latest = self.env["garbage.assessment.period"]._get_latest_published()
        for line in self:
            line.is_latest_published = line.period_id in latest

    def _search_is_latest_published(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Filter the latest published month with “is set” or “is not set”."))
        latest = self.env["garbage.assessment.period"]._get_latest_published()
        return [("period_id", "in" if (operator == "=") == value else "not in", latest.ids)]

    @api.depends("period_id", "unit_id")
    def _compute_display_name(self):
        for line in self:
            line.display_name = f"{line.period_id.name} · {line.unit_id.name}"

    @api.model
    def _replace_lines(self, periods):
        """Score every active unit of the towns of `periods` (not published; any months of any towns) for its
        town's month and replace their results, in one statement.

        The month's rules, with each town's Settings (see assessment_params):
        - base: per inspection source with done inspections dated in the month, the mean of their scores,
          weighted (patrol, mutual, self) and renormalised over the sources present;
        - score: base minus a penalty per obligation of the unit's own missed in the month (a quarterly one
          counts in its last month; the task force's own obligations and those of rules that are no longer the
          units' charge nobody), per part of a confirmed mutual round the unit skipped (the inspection it was to
          make, not done by the end of the round's two months, when the round was confirmed within them: charged
          in their last month) or refused (the
          inspection it was to undergo: charged in the month of the refusal), and per rectification overdue at
          the month's end, clamped to 0-100; what was deducted, and why, is listed in `deductions`;
        - rank within the peer group (1 = best, equal scores share a rank: 1, 1, 3);
        - red needs the town's eyes: only a unit with at least one done town patrol or mutual inspection
          in the month ("town_inspected") can be red, when its score is high enough and it ranks well enough
          among the town-inspected units of its peer group (a unit scored on its own self-inspections only
          is "normal" however high it scores, and takes no red place from the others);
        - grey: score too low, whoever inspected: self-inspection is part of the assessment, so a unit's own
          low self-inspections can put it on the grey list (a unit gains nothing by scoring itself down);
        - veto: a unit grey twice or more in the year's published months before this one keeps its result
          (red stays red) but not the rotating red flag, which goes to the best red unit(s) of each peer
          group that are not vetoed;
        - a unit without a done inspection is not assessed ("none"): its score, base score and rank are NULL
          (read as 0 by the ORM, shown "—"), as is the mean of a source that did not inspect the unit, so
          that the analyses' averages (SQL AVG, what read_group runs) count only the units assessed.
        Set-based like the hand-written query it is measured against (scripts/bench_assessment.py): the
        ORM would spend most of the computation creating thousands of lines one by one.
        """
        for model, fnames in {
            "garbage.inspection": [
                "company_id",
                "state",
                "date",
                "score",
                "unit_id",
                "source",
                "inspecting_unit_id",
                "mutual_round_id",
                "refusal_date",
                "refusal_reason",
            ],
            "garbage.mutual.round": ["company_id", "state", "date", "date_confirmed"],
            "garbage.obligation": [
                "company_id",
                "state",
                "date_start",
                "date_end",
                "unit_id",
                "rule_id",
                "done",
                "expected",
            ],
            "garbage.obligation.rule": ["subject", "name"],
            "garbage.rectification": ["company_id", "deadline", "date_verified", "unit_id"],
            "garbage.unit": ["company_id", "active", "unit_type", "peer_group"],
            "garbage.assessment": None,
            "garbage.assessment.period": ["company_id", "state", "year", "date_start"],
        }.items():
            self.env[model].flush_model(fnames)
        self.env.cr.execute(SQL("DELETE FROM garbage_assessment WHERE period_id = ANY(%s)", periods.ids))
        self.env.cr.execute(
            SQL(
                """
                WITH period AS (
                    SELECT * FROM unnest(%(columns)s) AS period(%(names)s)
                ), unit_means AS (
                    -- one pass over each town's month of inspections (LATERAL: a range scan of the town's month
                    -- for each period, never a scan of the district's inspections): each source's mean, then the
                    -- weights of the sources present (a weighted mean renormalised over them)
                    SELECT period.id AS period_id, month.*
                      FROM period
                     CROSS JOIN LATERAL (
                        SELECT inspection.unit_id,
                               AVG(inspection.score) FILTER (WHERE inspection.source = 'patrol') AS patrol_mean,
                               AVG(inspection.score) FILTER (WHERE inspection.source = 'mutual') AS mutual_mean,
                               AVG(inspection.score) FILTER (WHERE inspection.source = 'self') AS self_mean
                          FROM garbage_inspection inspection
                         WHERE inspection.company_id = period.company_id AND inspection.state = 'done'
                           AND inspection.date BETWEEN period.date_start AND period.date_end
                         GROUP BY inspection.unit_id
                     ) AS month
                ), means AS (
                    SELECT unit_means.*,
                           (COALESCE(patrol_mean * period.weight_patrol, 0)
                            + COALESCE(mutual_mean * period.weight_mutual, 0)
                            + COALESCE(self_mean * period.weight_self, 0))
                           / NULLIF(CASE WHEN patrol_mean IS NULL THEN 0 ELSE period.weight_patrol END
                                    + CASE WHEN mutual_mean IS NULL THEN 0 ELSE period.weight_mutual END
                                    + CASE WHEN self_mean IS NULL THEN 0 ELSE period.weight_self END, 0) AS base
                      FROM unit_means JOIN period ON period.id = unit_means.period_id
                ), missed_obligations AS (
                    -- only the units' own duties: not the task force's, nor those of a rule that became its
                    SELECT period.id AS period_id, obligation.unit_id, obligation.date_start, obligation.date_end,
                           replace(replace(replace(replace(replace(period.missed_text,
                               %(token_rule)s, COALESCE(rule.name->>period.lang, rule.name->>'en_US')),
                               %(token_start)s, obligation.date_start::text), %(token_end)s, obligation.date_end::text),
                               %(token_done)s, obligation.done::text), %(token_expected)s, obligation.expected::text)
                           AS reason
                      FROM period
                      JOIN garbage_obligation obligation
                        ON obligation.company_id = period.company_id AND obligation.state = 'missed'
                       AND obligation.date_end BETWEEN period.date_start AND period.date_end
                       AND obligation.unit_id IS NOT NULL
                      JOIN garbage_obligation_rule rule ON rule.id = obligation.rule_id AND rule.subject = 'unit'
                ), missed AS (
                    SELECT period_id, unit_id, COUNT(*) AS n,
                           string_agg(reason, E'\n' ORDER BY date_end, date_start, reason) AS reasons
                      FROM missed_obligations GROUP BY period_id, unit_id
                ), skipped_parts AS (
                    -- the inspection a unit was to make in a confirmed round, not done by the round's period end
                    SELECT period.id AS period_id, inspection.inspecting_unit_id AS unit_id,
                           inspection.name AS sort_key,
                           replace(replace(replace(period.skipped_text,
                               %(token_inspection)s, inspection.name), %(token_unit)s, inspected.name),
                               %(token_end)s, period.rounds_end::text) AS reason
                      FROM period
                      JOIN garbage_mutual_round mutual_round
                        ON mutual_round.company_id = period.company_id AND mutual_round.state = 'confirmed'
                       AND mutual_round.date BETWEEN period.rounds_start AND period.rounds_end
                       -- a round the task force confirmed too late to be done is the task force's failing
                       AND mutual_round.date_confirmed <= period.rounds_end
                      JOIN garbage_inspection inspection
                        ON inspection.mutual_round_id = mutual_round.id AND inspection.source = 'mutual'
                       AND (inspection.state = 'draft'
                            OR (inspection.state = 'done' AND inspection.date > period.rounds_end))
                      JOIN garbage_unit inspected ON inspected.id = inspection.unit_id
                    UNION ALL
                    -- the mutual inspection a unit refused to undergo, in the month of the refusal
                    SELECT period.id, inspection.unit_id, inspection.name,
                           replace(replace(replace(period.refused_text,
                               %(token_inspection)s, inspection.name), %(token_unit)s, inspecting.name),
                               %(token_reason)s, COALESCE(inspection.refusal_reason, ''))
                      FROM period
                      JOIN garbage_inspection inspection
                        ON inspection.company_id = period.company_id AND inspection.state = 'refused'
                       AND inspection.source = 'mutual'
                       AND inspection.refusal_date BETWEEN period.date_start AND period.date_end
                      JOIN garbage_unit inspecting ON inspecting.id = inspection.inspecting_unit_id
                ), skipped AS (
                    SELECT period_id, unit_id, COUNT(*) AS n,
                           string_agg(reason, E'\n' ORDER BY sort_key, reason) AS reasons
                      FROM skipped_parts GROUP BY period_id, unit_id
                ), overdue AS (
                    SELECT period.id AS period_id, rectification.unit_id, COUNT(*) AS n
                      FROM period
                      JOIN garbage_rectification rectification
                        ON rectification.company_id = period.company_id AND rectification.deadline < period.date_end
                       AND (rectification.date_verified IS NULL OR rectification.date_verified > period.date_end)
                     GROUP BY period.id, rectification.unit_id
                ), vetoed AS (
                    -- grey listings of the year's published months before this one (the one-vote veto)
                    SELECT period.id AS period_id, line.unit_id
                      FROM period
                      JOIN garbage_assessment_period earlier
                        ON earlier.company_id = period.company_id AND earlier.state = 'published'
                       AND earlier.year = period.year AND earlier.date_start < period.date_start
                      JOIN garbage_assessment line ON line.period_id = earlier.id AND line.result = 'grey'
                     GROUP BY period.id, line.unit_id HAVING COUNT(*) >= %(veto_grey_count)s
                ), scored AS (
                    SELECT period.id AS period_id, unit.id AS unit_id, unit.unit_type, unit.peer_group,
                           means.patrol_mean, means.mutual_mean, means.self_mean, means.base,
                           (means.patrol_mean IS NOT NULL OR means.mutual_mean IS NOT NULL) AS town_inspected,
                           vetoed.unit_id IS NOT NULL AS vetoed,
                           COALESCE(missed.n, 0) AS missed_count, COALESCE(skipped.n, 0) AS skipped_count,
                           COALESCE(overdue.n, 0) AS overdue_count,
                           (COALESCE(missed.n, 0) + COALESCE(skipped.n, 0)) * period.penalty_missed
                           + COALESCE(overdue.n, 0) * period.penalty_overdue AS penalty,
                           NULLIF(concat_ws(E'\n', missed.reasons, skipped.reasons,
                                            CASE WHEN overdue.n > 0
                                                 THEN replace(period.overdue_text, %(token_count)s, overdue.n::text)
                                            END),
                                  '') AS deductions
                      FROM period
                      JOIN garbage_unit unit ON unit.active AND unit.company_id = period.company_id
                      LEFT JOIN means ON means.period_id = period.id AND means.unit_id = unit.id
                      LEFT JOIN missed ON missed.period_id = period.id AND missed.unit_id = unit.id
                      LEFT JOIN skipped ON skipped.period_id = period.id AND skipped.unit_id = unit.id
                      LEFT JOIN overdue ON overdue.period_id = period.id AND overdue.unit_id = unit.id
                      LEFT JOIN vetoed ON vetoed.period_id = period.id AND vetoed.unit_id = unit.id
                ), clamped AS (
                    SELECT *, ROUND(LEAST(GREATEST(base - penalty, 0), 100), 2) AS score FROM scored
                ), ranked AS (
                    SELECT *,
                           RANK() OVER (PARTITION BY period_id, peer_group, base IS NULL ORDER BY score DESC) AS rank,
                           -- the red places: rank among the units of the peer group the town inspected
                           RANK() OVER (PARTITION BY period_id, peer_group, town_inspected ORDER BY score DESC)
                           AS town_rank
                      FROM clamped
                ), listed AS (
                    SELECT ranked.*, CASE WHEN base IS NULL THEN 'none'
                                          WHEN town_inspected AND score >= period.red_min_score
                                               AND town_rank <= period.red_max_rank THEN 'red'
                                          WHEN score < period.grey_below_score THEN 'grey'
                                          ELSE 'normal' END AS result,
                           period.company_id, period.date_start
                      FROM ranked JOIN period ON period.id = ranked.period_id
                )
                INSERT INTO garbage_assessment (
                       period_id, company_id, date_start, unit_id, unit_type, peer_group,
                       patrol_mean, mutual_mean, self_mean,
                       sources, base_score, missed_count, skipped_count, overdue_count, penalty, deductions, score,
                       rank, result,
                       result_sequence, town_inspected, vetoed, red_flag)
                SELECT period_id, company_id, date_start, unit_id, unit_type, peer_group,
                       patrol_mean, mutual_mean, self_mean,
                       NULLIF(concat_ws(',', CASE WHEN patrol_mean IS NOT NULL THEN 'patrol' END,
                                             CASE WHEN mutual_mean IS NOT NULL THEN 'mutual' END,
                                             CASE WHEN self_mean IS NOT NULL THEN 'self' END), ''),
                       ROUND(base, 2), missed_count, skipped_count, overdue_count, penalty, deductions,
                       CASE WHEN base IS NOT NULL THEN score END, CASE WHEN base IS NOT NULL THEN rank END, result,
                       array_position(%(results)s::varchar[], result), town_inspected, vetoed,
                       result = 'red' AND NOT vetoed
                       AND town_rank = MIN(town_rank) FILTER (WHERE result = 'red' AND NOT vetoed)
                                       OVER (PARTITION BY period_id, peer_group)
                  FROM listed
                """,
                **self._period_columns(periods),
                veto_grey_count=VETO_GREY_COUNT,
                results=sorted(RESULT_SEQUENCE, key=RESULT_SEQUENCE.get),
                **{f"token_{name}": f"%({name})s" for name in REASON_PLACEHOLDERS},
            )
        )
        self.invalidate_model()
        periods.invalidate_recordset(["line_ids", "village_line_ids", "agency_line_ids", "enterprise_line_ids"])

    @api.model
    def _period_columns(self, periods):
        """The `period` rows of `_replace_lines`' statement: each month with its town's settings, its mutual rounds
        due and its deduction reasons (stored in the town's language: the placeholders are filled in the query)."""
        columns = {}

        def add(name, sql_type, value):
            columns.setdefault(name, (sql_type, []))[1].append(value)

        for period in periods:
            # The mutual rounds whose inspections are due by this month's end: those of the two-month period
            # ending with this month, once it has ended (before, an inspection not done yet is not skipped yet).
            rounds_start, rounds_end = period_bounds("bimonthly", period.date_start)
            if rounds_end != period.date_end or rounds_end >= town_today(self.env, period.company_id):
                rounds_start = rounds_end = None
            town = company_lang_env(self.env, period.company_id)
            add("id", "int", period.id)
            add("company_id", "int", period.company_id.id)
            add("date_start", "date", period.date_start)
            add("date_end", "date", period.date_end)
            add("year", "int", period.date_start.year)
            add("rounds_start", "date", rounds_start)
            add("rounds_end", "date", rounds_end)
            add("lang", "varchar", town.lang or "en_US")
            add(
                "missed_text",
                "varchar",
                town._("Missed: %(rule)s (%(start)s to %(end)s, %(done)s of %(expected)s done)"),
            )
            add("skipped_text", "varchar", town._("Mutual inspection %(inspection)s of %(unit)s not done by %(end)s"))
            add("refused_text", "varchar", town._("Refused mutual inspection %(inspection)s by %(unit)s: %(reason)s"))
            add("overdue_text", "varchar", town._("Rectifications overdue at the month's end: %(count)s"))
            for name, value in period._get_params().items():
                add(name, "int" if name == "red_max_rank" else "numeric", value)
        return {
            "columns": SQL(", ").join(SQL(f"%s::{sql_type}[]", values) for sql_type, values in columns.values()),
            "names": SQL(", ").join(SQL.identifier(name) for name in columns),
        }

    def _check_unlocked(self):
        if not self.env["garbage.assessment.period"]._is_unlocked() and any(
            line.period_id.state == "published" for line in self
        ):
            raise UserError(self.env._("The results of a published assessment are locked."))

    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        lines._check_unlocked()
        return lines

    def write(self, vals):
        self.check_access("write")
        self._check_unlocked()
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_engine(self):
        """Only the engine replaces the results (in SQL); a published month's are kept."""
        if not self.env.su:
            raise UserError(self.env._("The results of an assessment are replaced by computing it again."))
        self._check_unlocked()
