from odoo import fields, models, tools
from odoo.tools import SQL


class GarbageVolunteerLeaderboard(models.Model):
    _name = "garbage.volunteer.leaderboard"
    _description = "Volunteer Hours per Unit"
    _auto = False
    _order = "hours desc, unit_id"
    _rec_name = "unit_id"

    unit_id = fields.Many2one("garbage.unit", "Unit", readonly=True)
    company_id = fields.Many2one("res.company", "Town", readonly=True)
    year = fields.Integer(readonly=True, aggregator=None)
    hours = fields.Float("Approved Hours", readonly=True, aggregator="sum", digits=(16, 1))
    entry_count = fields.Integer("Entries", readonly=True, aggregator="sum")
    volunteer_count = fields.Integer("Volunteers", readonly=True, aggregator="max")

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                """
            CREATE VIEW %s AS (
                -- a stable id per unit and year: row_number() would renumber rows between two reads; a bigint,
                -- as an integer it would overflow from the unit 214749 on and no read of the view would answer
                SELECT hour.unit_id::bigint * 10000 + EXTRACT(YEAR FROM hour.date)::integer AS id,
                       hour.unit_id,
                       hour.company_id,
                       EXTRACT(YEAR FROM hour.date)::integer AS year,
                       SUM(hour.hours) AS hours,
                       COUNT(*) AS entry_count,
                       COUNT(DISTINCT hour.partner_id) AS volunteer_count
                  FROM garbage_volunteer_hour hour
                 WHERE hour.state = 'approved' AND hour.unit_id IS NOT NULL
              GROUP BY hour.unit_id, hour.company_id, EXTRACT(YEAR FROM hour.date)
            )
            """,
                SQL.identifier(self._table),
            )
        )
