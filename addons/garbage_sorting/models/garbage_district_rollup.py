"""The district roll-up (全区汇总): one read-only row per town and published month.

A SQL view over what the towns published, and nothing else: a month computed but not published (or reopened) is
not in it, nor is any unit, person or inspection. The district office reads it, with the towns it works in
switched on (core's multi-company rule), instead of reading the towns' records; a town's task force and leaders
read their own town's rows.
"""

from urllib.parse import urlencode

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL
from odoo.tools.sql import drop_view_if_exists

DISTRICT_GROUP = "garbage_sorting.garbage_sorting_group_district"


class GarbageDistrictRollup(models.Model):
    _name = "garbage.district.rollup"
    _description = "District Roll-up"
    _auto = False
    _order = "date_start desc, company_id"
    _rec_name = "name"
    # what the view reads: flushed before it is searched (what is written in the same transaction counts)
    _depends = {
        "garbage.assessment.period": ["name", "company_id", "date_start", "date_end", "year", "state"],
        "garbage.assessment": ["period_id", "town_inspected", "result", "vetoed"],
        "garbage.escalation": ["period_id", "level", "state"],
        "garbage.volunteer.hour": ["company_id", "state", "date", "hours"],
    }

    name = fields.Char("Month", readonly=True)
    company_id = fields.Many2one("res.company", "Town", readonly=True)
    date_start = fields.Date("First Day", readonly=True)
    year = fields.Integer(readonly=True, aggregator=False)
    unit_count = fields.Integer("Assessed Units", readonly=True, help="The town's active units that month.")
    inspected_count = fields.Integer(
        "Inspected by the Town",
        readonly=True,
        help="Units with a done town patrol or mutual inspection in the month.",
    )
    coverage = fields.Float(
        "Coverage (%)",
        digits=(5, 1),
        readonly=True,
        aggregator="avg",
        help="Units inspected by the town, in percent of its active units.",
    )
    red_count = fields.Integer("Red List", readonly=True)
    grey_count = fields.Integer("Grey List", readonly=True)
    veto_count = fields.Integer("Vetoed Units", readonly=True, help="Units under the one-vote veto that month.")
    escalation_1_count = fields.Integer("Level 1: Visits", readonly=True)
    escalation_2_count = fields.Integer("Level 2: Interviews", readonly=True)
    escalation_3_count = fields.Integer("Level 3: Reports", readonly=True)
    volunteer_hours = fields.Float(
        "Approved Volunteer Hours", digits=(16, 1), readonly=True, help="Hours approved for the month's days."
    )
    party_approved_count = fields.Integer(
        "Approved Party-Building Assessments",
        readonly=True,
        aggregator="max",
        help="The town's party-building assessments of the year, approved (the same on each month of the year).",
    )
    party_score = fields.Float(
        "Average Party-Building Score",
        digits=(5, 2),
        readonly=True,
        aggregator="avg",
        help="The average score of the year's approved party-building assessments of the town.",
    )
    # The district dashboard's list filters on it: a spreadsheet domain cannot say "each town's latest month".
    is_latest_published = fields.Boolean(
        "Latest Published", compute="_compute_is_latest_published", search="_search_is_latest_published"
    )

    def init(self):
        drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                """
                CREATE VIEW %(view)s AS (
                    SELECT period.id, period.name, period.company_id, period.date_start, period.year,
                           lines.unit_count, lines.inspected_count,
                           CASE WHEN lines.unit_count > 0
                                THEN ROUND(100.0 * lines.inspected_count / lines.unit_count, 1) ELSE 0 END
                               AS coverage,
                           lines.red_count, lines.grey_count, lines.veto_count,
                           escalations.level_1 AS escalation_1_count,
                           escalations.level_2 AS escalation_2_count,
                           escalations.level_3 AS escalation_3_count,
                           hours.hours AS volunteer_hours,
                           COALESCE(party.approved_count, 0) AS party_approved_count,
                           party.score AS party_score
                      FROM garbage_assessment_period period
                      CROSS JOIN LATERAL (
                          SELECT COUNT(*) AS unit_count,
                                 COUNT(*) FILTER (WHERE line.town_inspected) AS inspected_count,
                                 COUNT(*) FILTER (WHERE line.result = 'red') AS red_count,
                                 COUNT(*) FILTER (WHERE line.result = 'grey') AS grey_count,
                                 COUNT(*) FILTER (WHERE line.vetoed) AS veto_count
                            FROM garbage_assessment line
                           WHERE line.period_id = period.id
                      ) lines
                      CROSS JOIN LATERAL (
                          SELECT COUNT(*) FILTER (WHERE escalation.level = '1') AS level_1,
                                 COUNT(*) FILTER (WHERE escalation.level = '2') AS level_2,
                                 COUNT(*) FILTER (WHERE escalation.level = '3') AS level_3
                            FROM garbage_escalation escalation
                           WHERE escalation.period_id = period.id AND escalation.state != 'cancel'
                      ) escalations
                      CROSS JOIN LATERAL (
                          SELECT COALESCE(SUM(hour.hours), 0) AS hours
                            FROM garbage_volunteer_hour hour
                           WHERE hour.company_id = period.company_id AND hour.state = 'approved'
                             AND hour.date BETWEEN period.date_start AND period.date_end
                      ) hours
                      LEFT JOIN (%(party)s) party
                             ON party.company_id = period.company_id AND party.year = period.year
                     WHERE period.state = 'published'
                )
                """,
                view=SQL.identifier(self._table),
                party=self._party_building_query(),
            )
        )

    def _compute_is_latest_published(self):
        latest = self.env["garbage.assessment.period"]._get_latest_published()
        for row in self:
            row.is_latest_published = row.id in latest.ids

    def _search_is_latest_published(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Filter the latest published month with “is set” or “is not set”."))
        latest = self.env["garbage.assessment.period"]._get_latest_published()
        return [("id", "in" if (operator == "=") == value else "not in", latest.ids)]

    @api.model
    def _party_building_query(self):
        """(company_id, year, approved_count, score) of the towns' approved party-building assessments: none
        here; the party addon, when installed, answers from its own table (garbage_sorting does not depend on
        it)."""
        return SQL(
            "SELECT NULL::integer AS company_id, NULL::integer AS year, 0 AS approved_count, NULL::float AS score"
        )

    # The district bulletin (XLSX)

    def action_download_district_bulletin(self):
        """The bulletin comparing the towns, for the month of the selected rows."""
        month = self._check_district_bulletin_month()
        return {
            "type": "ir.actions.act_url",
            "url": "/garbage_sorting/district_bulletin?" + urlencode({"month": month.isoformat()}),
            "target": "download",
        }

    def _check_district_bulletin_month(self):
        self._check_district_office()
        months = set(self.mapped("date_start"))
        if len(months) != 1:
            raise UserError(self.env._("Select the rows of one month: the district bulletin compares one month."))
        return months.pop()

    @api.model
    def _check_district_office(self):
        """The bulletin compares every town: the district office's alone."""
        if not self.env.su and not self.env.user.has_group(DISTRICT_GROUP):
            raise AccessError(self.env._("Only the district office downloads the district bulletin."))
        self.check_access("read")
