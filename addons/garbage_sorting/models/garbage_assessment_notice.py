"""公示: the published red and grey lists, as anyone may read them.

Two read-only SQL views hold exactly what the town publishes: the published months, and the units on their red
or grey lists (name, peer group, result, red flag, rank and score). Nothing else reaches them: a month computed
but not published, or reopened, is not in the views; a unit that is neither red nor grey is not either; no
person, phone, inspection or penalty is. The public page, the printed notice and any RPC caller (a portal
user may call JSON-RPC) read these views with their own rights, never in sudo: public, portal and internal
users read them and nothing more of the assessment.
"""

from odoo import api, fields, models
from odoo.tools import SQL
from odoo.tools.sql import drop_view_if_exists

NOTICE_ROUTE = "/garbage_sorting/notice"
PEER_GROUPS = [
    ("village_community", "Villages and Communities"),
    ("agency_institution", "Agencies and Institutions"),
    ("enterprise", "Enterprises"),
]


class GarbageAssessmentNoticeMonth(models.Model):
    _name = "garbage.assessment.notice.month"
    _description = "Published Monthly Lists"
    _auto = False
    _order = "date_start desc"
    _rec_name = "name"

    name = fields.Char("Month", readonly=True)
    company_id = fields.Many2one("res.company", "Town", readonly=True)
    town_name = fields.Char(readonly=True)  # visitors read no other company than their own
    # the town's Settings › Public notice: visitors (public and portal users) read only the open towns' lists
    public = fields.Boolean("On the Public Page", readonly=True)
    date_start = fields.Date("First Day", readonly=True)
    date_published = fields.Datetime("Published On", readonly=True)
    red_count = fields.Integer("Red List", readonly=True)
    grey_count = fields.Integer("Grey List", readonly=True)
    flag_count = fields.Integer("Red Flags", readonly=True)
    entry_ids = fields.One2many("garbage.assessment.notice", "month_id", "Listed Units", readonly=True)

    def init(self):
        drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                """
                CREATE VIEW %s AS (
                    SELECT period.id, period.name, period.company_id, company.name AS town_name,
                           company.garbage_public_notice AS public,
                           period.date_start, period.date_published,
                           COUNT(line.id) FILTER (WHERE line.result = 'red') AS red_count,
                           COUNT(line.id) FILTER (WHERE line.result = 'grey') AS grey_count,
                           COUNT(line.id) FILTER (WHERE line.result = 'red' AND line.red_flag) AS flag_count
                      FROM garbage_assessment_period period
                      JOIN res_company company ON company.id = period.company_id
                      LEFT JOIN garbage_assessment line ON line.period_id = period.id
                     WHERE period.state = 'published'
                     GROUP BY period.id, company.id
                )
                """,
                SQL.identifier(self._table),
            )
        )

    @api.model
    def _is_public(self, company_id):
        """Whether the town `company_id` has its published lists on the public page (a town opens its page with
        its first published month)."""
        return bool(self.search_count([("company_id", "=", company_id), ("public", "=", True)], limit=1))

    def _notice_url(self):
        """The online notice of the month, in its town: what the printed notice's QR code opens."""
        self.ensure_one()
        return f"{self.get_base_url()}{NOTICE_ROUTE}/{self.name}?town={self.company_id.id}"

    def _get_notice_values(self):
        """The month's lists as the page and the printed notice show them: each peer group (in the mechanism's
        order) with its red list, then the grey list of the whole town."""
        self.ensure_one()
        labels = dict(self.env["garbage.assessment.notice"]._fields["peer_group"]._description_selection(self.env))
        order = [key for key, __ in PEER_GROUPS]
        entries = self.entry_ids.sorted(
            lambda entry: (order.index(entry.peer_group) if entry.peer_group in order else len(order), entry.rank)
        )
        red = entries.filtered(lambda entry: entry.result == "red")
        return {
            "month": self,
            "red_groups": [
                (labels[key], red.filtered(lambda entry, key=key: entry.peer_group == key)) for key in order
            ],
            "grey": entries.filtered(lambda entry: entry.result == "grey"),
        }


class GarbageAssessmentNotice(models.Model):
    _name = "garbage.assessment.notice"
    _description = "Published List Entry"
    _auto = False
    _order = "date_start desc, result desc, peer_group, rank, unit_name"
    _rec_name = "unit_name"

    month_id = fields.Many2one("garbage.assessment.notice.month", "Month", readonly=True)
    company_id = fields.Many2one("res.company", "Town", readonly=True)
    public = fields.Boolean("On the Public Page", readonly=True)
    date_start = fields.Date("First Day", readonly=True)
    unit_name = fields.Char("Unit", readonly=True)
    peer_group = fields.Selection(PEER_GROUPS, readonly=True)
    result = fields.Selection([("red", "Red List"), ("grey", "Grey List")], readonly=True)
    red_flag = fields.Boolean(readonly=True)
    rank = fields.Integer(readonly=True, help="Rank within the peer group, 1 = best.")
    score = fields.Float(digits=(5, 2), readonly=True)

    def init(self):
        drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                """
                CREATE VIEW %s AS (
                    SELECT line.id, period.id AS month_id, period.company_id, company.garbage_public_notice AS public,
                           period.date_start, unit.name AS unit_name,
                           line.peer_group, line.result, line.red_flag, line.rank, line.score
                      FROM garbage_assessment line
                      JOIN garbage_assessment_period period ON period.id = line.period_id
                      JOIN garbage_unit unit ON unit.id = line.unit_id
                      JOIN res_company company ON company.id = period.company_id
                     WHERE period.state = 'published' AND line.result IN ('red', 'grey')
                )
                """,
                SQL.identifier(self._table),
            )
        )
