from odoo import api, fields, models
from odoo.exceptions import UserError

SEARCH_FLAG = "in_latest_published_month"

# The town dashboard shows the latest published month: its obligations (those whose period ends in it) and its
# volunteer hours are found through these search-only flags, so the dashboard follows each publication.


def _latest_published_month_domain(model, date_field, operator, value):
    if operator not in ("=", "!=") or not isinstance(value, bool):
        raise UserError(model.env._("Filter the latest published month with “is set” or “is not set”."))
    latest = model.env["garbage.assessment.period"]._get_latest_published()
    inside = (
        ["&", (date_field, ">=", latest.date_start), (date_field, "<=", latest.date_end)]
        if latest
        else [("id", "=", False)]
    )
    if (operator == "=") == value:
        return inside
    return ["!", *inside]


def _compute_in_latest_published_month(records, date_field):
    latest = records.env["garbage.assessment.period"]._get_latest_published()
    for record in records:
        day = record[date_field]
        record.in_latest_published_month = bool(latest and day and latest.date_start <= day <= latest.date_end)


class GarbageObligation(models.Model):
    _inherit = "garbage.obligation"

    in_latest_published_month = fields.Boolean(
        "In the Latest Published Month",
        compute="_compute_in_latest_published_month",
        search="_search_in_latest_published_month",
        help="Technical: the obligation's period ends in the latest published month (the town dashboard).",
    )

    @api.model
    def _guarded_fields(self):
        # A search flag computed on the fly, never written: not a field anyone "may not change".
        return {name: groups for name, groups in super()._guarded_fields().items() if name != SEARCH_FLAG}

    def _compute_in_latest_published_month(self):
        _compute_in_latest_published_month(self, "date_end")

    def _search_in_latest_published_month(self, operator, value):
        return _latest_published_month_domain(self, "date_end", operator, value)


class GarbageVolunteerHour(models.Model):
    _inherit = "garbage.volunteer.hour"

    in_latest_published_month = fields.Boolean(
        "In the Latest Published Month",
        compute="_compute_in_latest_published_month",
        search="_search_in_latest_published_month",
        help="Technical: the hours were served in the latest published month (the town dashboard).",
    )

    def _compute_in_latest_published_month(self):
        _compute_in_latest_published_month(self, "date")

    def _search_in_latest_published_month(self, operator, value):
        return _latest_published_month_domain(self, "date", operator, value)
