import json

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from .garbage_assessment_period import UNLOCK_KEY
from .garbage_unit import UNIT_TYPES

RESULT_SEQUENCE = {"red": 1, "normal": 2, "grey": 3, "none": 4}
# Columns written by _replace_lines, with their SQL types.
LINE_COLUMNS = [
    ("period_id", "int"),
    ("date_start", "date"),
    ("unit_id", "int"),
    ("unit_type", "varchar"),
    ("peer_group", "varchar"),
    ("patrol_mean", "numeric"),
    ("mutual_mean", "numeric"),
    ("self_mean", "numeric"),
    ("sources", "varchar"),
    ("base_score", "numeric"),
    ("missed_count", "int"),
    ("overdue_count", "int"),
    ("penalty", "numeric"),
    ("score", "numeric"),
    ("rank", "int"),
    ("result", "varchar"),
    ("result_sequence", "int"),
    ("red_flag", "bool"),
]

ASSESSMENT_RESULTS = [
    ("red", "Red List"),
    ("normal", "Normal"),
    ("grey", "Grey List"),
    ("none", "Not Assessed"),
]


class GarbageAssessment(models.Model):
    _name = "garbage.assessment"
    _description = "Monthly Assessment Result"
    _order = "date_start desc, peer_group, result_sequence, rank, unit_id"

    period_id = fields.Many2one(
        "garbage.assessment.period", "Assessment", required=True, ondelete="cascade", index=True
    )
    date_start = fields.Date("Month", related="period_id.date_start", store=True)
    state = fields.Selection(related="period_id.state", string="Assessment State")
    unit_id = fields.Many2one("garbage.unit", "Unit", required=True, ondelete="cascade", index=True)
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
    overdue_count = fields.Integer("Overdue Rectifications")
    penalty = fields.Float(digits=(5, 2))
    score = fields.Float(digits=(5, 2), aggregator="avg")
    rank = fields.Integer(aggregator="min", help="Rank within the peer group, 1 = best; equal scores share a rank.")
    result = fields.Selection(ASSESSMENT_RESULTS, required=True, default="none", index=True)
    result_sequence = fields.Integer(compute="_compute_result_sequence", store=True)
    red_flag = fields.Boolean(help="Rotating red flag: the best red unit(s) of the peer group.")
    # The town dashboard's lists filter on it: a spreadsheet domain cannot say "the latest published month".
    is_latest_published = fields.Boolean(
        "Latest Published", compute="_compute_is_latest_published", search="_search_is_latest_published"
    )

    _sql_constraints = [
        ("period_unit_unique", "unique(period_id, unit_id)", "A unit has one result per assessment."),
    ]

    @api.depends("result")
    def _compute_result_sequence(self):
        for line in self:
            line.result_sequence = RESULT_SEQUENCE.get(line.result, 5)

    def _compute_is_latest_published(self):
        latest = self.env["garbage.assessment.period"]._get_latest_published()
        for line in self:
            line.is_latest_published = line.period_id == latest

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
    def _replace_lines(self, period, vals_list):
        """Replace the results of a (not published) period by `vals_list`, in two statements.

        The monthly computation writes one line per unit: inserting them through one set-based
        statement keeps it close to a hand-written query (see scripts/bench_assessment.py), where
        the ORM's create would spend most of the computation on per-record bookkeeping.
        """
        self.flush_model()
        self.env.cr.execute(SQL("DELETE FROM garbage_assessment WHERE period_id = %s", period.id))
        rows = [
            dict(
                vals,
                period_id=period.id,
                date_start=str(period.date_start),
                result_sequence=RESULT_SEQUENCE[vals["result"]],
            )
            for vals in vals_list
        ]
        columns = SQL(", ").join(SQL.identifier(name) for name, __ in LINE_COLUMNS)
        record_type = SQL(", ").join(SQL(f"{name} {sql_type}") for name, sql_type in LINE_COLUMNS)
        self.env.cr.execute(
            SQL(
                """
                INSERT INTO garbage_assessment (%s, create_uid, write_uid, create_date, write_date)
                SELECT %s, %s, %s, now() at time zone 'UTC', now() at time zone 'UTC'
                  FROM jsonb_to_recordset(%s::jsonb) AS v(%s)
                """,
                columns,
                columns,
                self.env.uid,
                self.env.uid,
                json.dumps(rows),
                record_type,
            )
        )
        self.invalidate_model()
        period.invalidate_recordset(["line_ids", "village_line_ids", "agency_line_ids", "enterprise_line_ids"])

    def _check_unlocked(self):
        if not self.env.context.get(UNLOCK_KEY) and any(line.period_id.state == "published" for line in self):
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

    def unlink(self):
        self.check_access("unlink")
        self._check_unlocked()
        return super().unlink()
