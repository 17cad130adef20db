from datetime import date, datetime, time

import pytz
from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL
from odoo.tools.safe_eval import safe_eval

from .garbage_guard_mixin import town_tz

PERIOD_MONTHS = {"monthly": 1, "bimonthly": 2, "quarterly": 3, "yearly": 12}
# What a rule can ask for in one period (a daily duty of a year is 366; nothing of the town comes near 1,000).
MAX_MIN_COUNT = 1000


WORK_PLAN_DEADLINE_DEFAULT = "03-31"


def parse_month_day(value):
    """(month, day) of an 'MM-DD' setting, or None when it is not a day of every year (no 29 February)."""
    try:
        month, day = (int(part) for part in str(value).strip().split("-"))
        date(2001, month, day)
    except (TypeError, ValueError):
        return None
    return month, day


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
    # mail: a rule that stops working is flagged with an activity for the task force
    _inherit = ["garbage.guard.mixin", "mail.thread", "mail.activity.mixin"]
    _order = "sequence, id"
    _check_company_auto = True

    company_id = fields.Many2one(
        "res.company", "Town", required=True, index=True, default=lambda self: self.env.company
    )
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
    # The task force cannot read ir.model (only administrators can): it picks the counted model here.
    counted_model = fields.Selection(
        selection="_selection_counted_model",
        string="Counted Model Name",
        compute="_compute_counted_model",
        inverse="_inverse_counted_model",
        compute_sudo=True,
        help="What is counted: a kind of record linked to responsible units and dated.",
    )
    domain = fields.Char(
        "Counted When", default="[]", required=True, help="Only the records matching this filter count."
    )
    date_field = fields.Char(
        required=True, default="date", help="Field of the counted records that places them in a period."
    )
    subject = fields.Selection(
        [("unit", "Responsible Unit"), ("task_force", "Task Force")],
        "Obligation Of",
        required=True,
        default="unit",
        help="Who carries the obligation: each responsible unit, the task force itself (one obligation a period, "
        "no unit is ever charged with it), or (with the party addon) each party organisation.",
    )
    subject_model = fields.Char(compute="_compute_subject_model", help="Technical: the model of the subjects.")
    unit_field = fields.Char(
        default="unit_id",
        help="Field of the counted records that links them to who carries the obligation (responsible units or "
        "party organisations, one or several); none for the task force's own obligations.",
    )
    unit_domain = fields.Char(
        "Applies to",
        default="[]",
        required=True,
        help="Which responsible units (or party organisations) carry the obligation, e.g. by unit type.",
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
    due = fields.Selection(
        [("period_end", "End of the Period"), ("work_plan_deadline", "Work Plan Deadline (Settings)")],
        "Due By",
        required=True,
        default="period_end",
        help="When the obligation falls due: at the end of its period, or (yearly rules) on the work plan deadline "
        "of the Settings, e.g. the approved annual work plan by 31 March. Only what is counted by then counts.",
    )
    reminder_target = fields.Selection(
        [("liaison", "Unit Liaison"), ("task_force", "Task-Force Head")],
        required=True,
        default="liaison",
        help="Who is reminded of a shortfall (the task force's own obligations: always its head).",
    )
    obligation_ids = fields.One2many("garbage.obligation", "rule_id", string="Obligations")
    # Set by the engine only (see _guarded_fields): a rule whose filter or fields no longer work is skipped.
    is_failing = fields.Boolean(
        "Failing", readonly=True, copy=False, help="The last count of this rule failed: it is skipped until it works."
    )
    failure_reason = fields.Text(readonly=True, copy=False)

    _sql_constraints = [
        ("min_count_positive", "CHECK(min_count > 0)", "The minimum count of a cadence rule must be positive."),
    ]

    @api.model
    def _guarded_fields(self):
        return {**super()._guarded_fields(), "is_failing": (), "failure_reason": ()}

    @api.model
    def _input_ranges(self):
        return {**super()._input_ranges(), "min_count": (1, MAX_MIN_COUNT, False)}

    def _period_bounds(self, day):
        """First day of the rule's period containing `day`, and the day the obligation falls due."""
        self.ensure_one()
        start, end = period_bounds(self.period, day)
        if self.due == "work_plan_deadline":
            deadline = self.company_id.garbage_work_plan_deadline
            month, month_day = parse_month_day(deadline) or parse_month_day(WORK_PLAN_DEADLINE_DEFAULT)
            end = min(end, date(start.year, month, month_day))
        return start, end

    @api.constrains("due", "period")
    def _check_due(self):
        if any(rule.due == "work_plan_deadline" and rule.period != "yearly" for rule in self):
            raise ValidationError(self.env._("Only a yearly cadence rule falls due on the work plan deadline."))

    @api.model
    def _subject_models(self):
        """{subject: (model carrying the obligation, column of garbage.obligation naming it)}; the task force
        (one obligation a period, on no record) is not among them."""
        return {"unit": ("garbage.unit", "unit_id")}

    @api.depends("subject")
    def _compute_subject_model(self):
        models_ = self._subject_models()
        for rule in self:
            subject_model = models_.get(rule.subject, ("garbage.unit",))[0]
            rule.subject_model = False if rule.subject == "task_force" else subject_model

    def _subject_model(self):
        self.ensure_one()
        return self._subject_models()[self.subject][0]

    def _subject_column(self):
        self.ensure_one()
        return self._subject_models()[self.subject][1]

    @api.model
    def _task_force_counted_models(self):
        """Models the task force's own obligations count that are linked to no unit (its mutual rounds)."""
        return ["garbage.mutual.round"]

    @api.model
    def _selection_counted_model(self):
        """The models a rule can count: stored, not transient, dated, linked to responsible units (or counted
        for the task force's own obligations)."""
        names = sorted(
            name
            for name, model in self.env.registry.items()
            if not model._abstract
            and not model._transient
            and model._auto
            and (
                name in self._task_force_counted_models()
                or any(
                    field.comodel_name == "garbage.unit" and field.type in ("many2one", "many2many") and field.store
                    for field in model._fields.values()
                )
            )
            and any(field.type in ("date", "datetime") and field.store for field in model._fields.values())
        )
        models_ = self.env["ir.model"].sudo().search([("model", "in", names)])
        return sorted(((model.model, model.name) for model in models_), key=lambda pair: pair[1])

    @api.depends("model_id")
    def _compute_counted_model(self):
        for rule in self:
            rule.counted_model = rule.model_id.model

    def _inverse_counted_model(self):
        for rule in self:
            rule.model_id = self.env["ir.model"]._get_id(rule.counted_model) if rule.counted_model else False

    @api.model_create_multi
    def create(self, vals_list):
        # model_id is required in the table: set it before the insert, not in the inverse after it
        for vals in vals_list:
            if vals.get("counted_model") and not vals.get("model_id"):
                vals["model_id"] = self.env["ir.model"]._get_id(vals["counted_model"])
        return super().create(vals_list)

    def write(self, vals):
        # Who owes a rule is part of its history: its obligations were counted for that subject (the migrations
        # of these addons move the shipped rules as the engine, keeping the counted obligations).
        if "subject" in vals and not self.env.su:
            moved = self.filtered(lambda rule: rule.subject != vals["subject"] and rule.obligation_ids)
            if moved:
                raise UserError(
                    self.env._(
                        "The rule “%(rule)s” already has obligations of its subject: archive it and create a new "
                        "rule for the other subject.",
                        rule=moved[0].name,
                    )
                )
        return super().write(vals)

    @api.constrains("model_id", "domain", "date_field", "unit_field", "unit_domain", "subject")
    def _check_fields(self):
        # As the engine counts: whatever the editing user may read (the task force may define a rule
        # counting records it cannot read itself), the rule must work for the daily job.
        for rule in self.sudo():
            model = rule.model_id
            if model.model not in self.env:
                raise ValidationError(
                    self.env._("The counted records of rule “%(rule)s” no longer exist.", rule=rule.name)
                )
            counted = self.env[model.model].sudo()
            date_field = counted._fields.get(rule.date_field)
            if not date_field or date_field.type not in ("date", "datetime"):
                raise ValidationError(
                    self.env._("“%(field)s” is not a date field of %(model)s.", field=rule.date_field, model=model.name)
                )
            # the task force's own obligations count every counted record, whatever it links to
            subject_model = None if rule.subject == "task_force" else rule._subject_model()
            unit_field = counted._fields.get(rule.unit_field)
            if subject_model and (not unit_field or unit_field.comodel_name != subject_model or not unit_field.store):
                raise ValidationError(
                    self.env._(
                        "“%(field)s” does not link %(model)s to %(subject)s.",
                        field=rule.unit_field,
                        model=model.name,
                        subject=self.env["ir.model"]._get(subject_model).name,
                    )
                )
            try:
                with self.env.cr.savepoint(flush=False):  # a constraint runs inside a flush
                    counted.search_count(safe_eval(rule.domain), limit=1)
                    if subject_model:
                        self.env[subject_model].sudo().search_count(safe_eval(rule.unit_domain), limit=1)
            except Exception as error:
                raise ValidationError(
                    self.env._("The filters of rule “%(rule)s” are not valid: %(error)s", rule=rule.name, error=error)
                ) from error

    def _count_batches(self, day):
        """[(rules, (period start, due day))]: these rules in batches counted by one statement each, the
        rules of every town that count the same records the same way over the same period (a district's towns
        start from the same rules): the district's obligations cost a statement per kind of rule, not per town."""
        batches = {}
        for rule in self:
            bounds = rule._period_bounds(day)
            key = (
                bounds,
                rule.period,
                rule.model_name,
                rule.domain,
                rule.date_field,
                rule.subject,
                rule.unit_field,
                rule.unit_domain,
                town_tz(self.env, rule.company_id).zone,  # a datetime counts on its town's day
            )
            if rule.subject == "task_force" and not rule._counts_per_town():
                key += (rule.id,)  # counted for its own town only: one rule per statement
            batches.setdefault(key, self.browse())
            batches[key] |= rule
        return [(rules, key[0]) for key, rules in batches.items()]

    def _counts_per_town(self):
        """Whether the counted records carry their town (a stored company): a batch of towns' rules then counts
        each town's records apart."""
        self.ensure_one()
        company = self.env[self.model_name]._fields.get("company_id")
        return bool(company and company.store and company.comodel_name == "res.company")

    def _count_domain(self, date_start, date_end):
        """The domain of the records this rule counts over the town's days [date_start, date_end]: a record dated
        by a datetime (a meeting's start) counts on the day it falls on in the rule's town, not in UTC."""
        rule = self[:1]
        if self.env[rule.model_name]._fields[rule.date_field].type == "datetime":
            timezone = town_tz(self.env, rule.company_id)

            def town_midnight(day):
                """The UTC moment (as stored) the town's `day` starts."""
                moment = timezone.localize(datetime.combine(day, time.min)).astimezone(pytz.utc)
                return moment.replace(tzinfo=None)

            date_start = town_midnight(date_start)
            date_end = town_midnight(date_end + relativedelta(days=1)) - relativedelta(microseconds=1)
        return safe_eval(rule.domain) + [(rule.date_field, ">=", date_start), (rule.date_field, "<=", date_end)]

    def _count_query(self, date_start, date_end):
        """SQL of the (subject id, count) rows of the records these rules count over [date_start, date_end]:
        rules of `_count_batches`' batch, i.e. of one or several towns counting alike. The task force's own
        obligations have no subject: their rows are (town id, count).

        Built by the ORM (domain, active records, a link to the units or organisations) so that the
        obligations can be counted and written in one statement.
        """
        rule = self[:1]
        counted = self.env[rule.model_name].sudo()
        domain = rule._count_domain(date_start, date_end)
        per_town = rule._counts_per_town()
        if per_town:
            # the rules' towns only: every town's records of the period would be counted, then dropped
            domain.append(("company_id", "in", self.company_id.ids))
        if rule.subject == "task_force":
            # one count per town for its task force
            counted.flush_model([rule.date_field])
            query = counted._search(domain)
            if not per_town:
                return query.select(SQL("%s", rule.company_id.id), SQL("COUNT(*)"))
            town = counted._read_group_groupby("company_id", query)
            query.groupby = town
            return query.select(town, SQL("COUNT(*)"))
        # a stored computed unit link (e.g. a meeting's units) may still be pending in this transaction
        counted.flush_model([rule.unit_field, rule.date_field])
        query = counted._search(domain)
        unit = counted._read_group_groupby(rule.unit_field, query)
        query.groupby = unit
        return query.select(unit, SQL("COUNT(*)"))

    def _mark_failing(self, reasons):
        """Flag the rules of `reasons` ({rule: reason}) as failing, and tell the task force once per failure:
        one activity on the rule for the task-force head when it starts failing, none on the next runs."""
        head = self.env["garbage.escalation"]._get_taskforce_head(self.company_id[:1])
        town = self._company_lang_env()  # stored: in the town's language, whichever job found the failure
        for rule, reason in reasons.items():
            starts = not rule.is_failing
            rule.sudo().write({"is_failing": True, "failure_reason": reason})
            if starts and head:
                rule.sudo().activity_schedule(
                    "mail.mail_activity_data_todo",
                    summary=town._("Cadence rule failing: %(rule)s", rule=rule.with_env(town).name),
                    note=town._(
                        "The cadence rule “%(rule)s” could not be counted and is skipped until it is fixed: "
                        "%(reason)s",
                        rule=rule.with_env(town).name,
                        reason=reason,
                    ),
                    user_id=head.id,
                )

    def _mark_working(self):
        """The rules counted again: clear their flag and close the failure activity."""
        fixed = self.filtered("is_failing")
        if not fixed:
            return
        fixed.sudo().write({"is_failing": False, "failure_reason": False})
        todo = self.env.ref("mail.mail_activity_data_todo")
        activities = fixed.sudo().activity_ids.filtered(
            lambda activity: activity.automated and activity.activity_type_id == todo
        )
        activities.action_feedback(feedback=self._company_lang_env()._("The rule works again."))
