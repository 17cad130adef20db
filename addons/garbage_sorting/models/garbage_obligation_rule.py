from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL
from odoo.tools.safe_eval import safe_eval

PERIOD_MONTHS = {"monthly": 1, "bimonthly": 2, "quarterly": 3, "yearly": 12}


def period_bounds(period, day):
    """First and last day of the `period` ('monthly', 'bimonthly', ...) that contains `day`.

    Periods are aligned on the calendar year: bimonthly = Jan-Feb, Mar-Apr...; quarterly = Q1...
    """
    months = PERIOD_MONTHS[period]
    first_month = (day.month - 1) // months * months + 1
    start = day.replace(month=first_month, day=1)
    return start, start + relativedelta(months=months, days=-1)


class GarbageObligationRule(models.Model):
    _name = "garbage.obligation.rule"
    _description = "Cadence Rule"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    description = fields.Text(translate=True)
    model_id = fields.Many2one(
        "ir.model",
        "Counted Records",
        required=True,
        ondelete="cascade",
        domain=[("transient", "=", False)],
        help="What is counted: inspections, calendar meetings, volunteer duties...",
    )
    model_name = fields.Char(related="model_id.model", string="Counted Model")
    domain = fields.Char(
        "Counted When", default="[]", required=True, help="Only the records matching this filter count."
    )
    date_field = fields.Char(
        required=True, default="date", help="Field of the counted records that places them in a period."
    )
    unit_field = fields.Char(
        required=True,
        default="unit_id",
        help="Field of the counted records that links them to responsible units (one or several).",
    )
    unit_domain = fields.Char(
        "Applies to Units",
        default="[]",
        required=True,
        help="Which responsible units carry the obligation, e.g. by unit type.",
    )
    period = fields.Selection(
        [
            ("monthly", "Monthly"),
            ("bimonthly", "Every Two Months"),
            ("quarterly", "Quarterly"),
            ("yearly", "Yearly"),
        ],
        required=True,
        default="monthly",
    )
    min_count = fields.Integer("Minimum Count", required=True, default=1)
    reminder_target = fields.Selection(
        [("liaison", "Unit Liaison")], required=True, default="liaison", help="Who is reminded of a shortfall."
    )
    obligation_ids = fields.One2many("garbage.obligation", "rule_id", string="Obligations")

    _sql_constraints = [
        ("min_count_positive", "CHECK(min_count > 0)", "The minimum count of a cadence rule must be positive."),
    ]

    @api.constrains("model_id", "domain", "date_field", "unit_field", "unit_domain")
    def _check_fields(self):
        for rule in self:
            counted = self.env[rule.model_id.model]
            date_field = counted._fields.get(rule.date_field)
            if not date_field or date_field.type not in ("date", "datetime"):
                raise ValidationError(
                    self.env._(
                        "“%(field)s” is not a date field of %(model)s.", field=rule.date_field, model=rule.model_id.name
                    )
                )
            unit_field = counted._fields.get(rule.unit_field)
            if not unit_field or unit_field.comodel_name != "garbage.unit":
                raise ValidationError(
                    self.env._(
                        "“%(field)s” does not link %(model)s to responsible units.",
                        field=rule.unit_field,
                        model=rule.model_id.name,
                    )
                )
            try:
                counted.search_count(safe_eval(rule.domain), limit=1)
                self.env["garbage.unit"].search_count(safe_eval(rule.unit_domain), limit=1)
            except Exception as error:
                raise ValidationError(
                    self.env._("The filters of rule “%(rule)s” are not valid: %(error)s", rule=rule.name, error=error)
                ) from error

    def _count_query(self, date_start, date_end):
        """SQL of the (unit id, count) rows of the records this rule counts over [date_start, date_end].

        Built by the ORM (domain, active records, a many2many link to the units) so that the
        obligations can be counted and written in one statement.
        """
        self.ensure_one()
        counted = self.env[self.model_name].sudo()
        if counted._fields[self.date_field].type == "datetime":
            date_start = fields.Datetime.to_datetime(date_start)
            date_end = fields.Datetime.to_datetime(date_end) + relativedelta(days=1, microseconds=-1)
        domain = safe_eval(self.domain) + [(self.date_field, ">=", date_start), (self.date_field, "<=", date_end)]
        # a stored computed unit link (e.g. a meeting's units) may still be pending in this transaction
        counted.flush_model([self.unit_field, self.date_field])
        query = counted._search(domain)
        unit = counted._read_group_groupby(self.unit_field, query)
        query.groupby = unit
        return query.select(unit, SQL("COUNT(*)"))
