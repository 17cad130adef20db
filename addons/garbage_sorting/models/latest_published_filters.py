from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.osv.expression import OR

SEARCH_FLAG = "in_latest_published_month"

# The town dashboard shows the latest published month: its obligations (those whose period ends in it) and its
# volunteer hours are found through these search-only flags, so the dashboard follows each publication.


def _latest_published_month_domain(model, date_field, operator, value):
    if operator not in ("=", "!=") or not isinstance(value, bool):
        raise UserError(model.env._("Filter the latest published month with “is set” or “is not set”."))
    latest = model.env["garbage.assessment.period"]._get_latest_published()
    # each town's own latest month, for its own records
    inside = OR(
        [
            [
                ("company_id", "=", period.company_id.id),
                (date_field, ">=", period.date_start),
                (date_field, "<=", period.date_end),
            ]
            for period in latest
        ]
        or [[("id", "=", False)]]
    )
    if (operator == "=") == value:
        return inside
    return ["!", *inside]


def _compute_in_latest_published_month(records, date_field):
    latest = {period.company_id: period for period in records.env["garbage.assessment.period"]._get_latest_published()}
    for record in records:
        day = record[date_field]
        period = latest.get(record.company_id)
        record.in_latest_published_month = bool(period and day and period.date_start <= day <= period.date_end)


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
