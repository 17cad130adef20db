import logging
from datetime import timedelta

import psycopg2
from markupsafe import Markup

from odoo import api, fields, models
from odoo.osv import expression
from odoo.tools import SQL
from odoo.tools.safe_eval import safe_eval
from odoo.tools.sql import create_index

from .garbage_guard_mixin import town_today

_logger = logging.getLogger(__name__)


def engine_fields(model):
    """{field: ()} for every field of `model` but the log columns, the mail layer's and the guard's own:
    records the engine writes whole, which nobody (the task force included) writes by hand."""
    env = model.env
    foreign = set(env["garbage.guard.mixin"]._fields) | set(env["mail.thread"]._fields)
    foreign |= set(env["mail.activity.mixin"]._fields)
    return {
        name: ()
        for name, field in model._fields.items()
        if not field.automatic and name not in foreign and name not in ("display_name",)
    }


class GarbageObligation(models.Model):
    _name = "garbage.obligation"
    _description = "Cadence Obligation"
    # mail.thread too: scheduling a reminder notifies the liaison through the record's thread.
    _inherit = ["garbage.guard.mixin", "mail.thread", "mail.activity.mixin"]
    _order = "date_start desc, unit_id, rule_id"
    _check_company_auto = True

    company_id = fields.Many2one(related="rule_id.company_id", string="Town", store=True, index=True, precompute=True)
    rule_id = fields.Many2one("garbage.obligation.rule", "Rule", required=True, ondelete="cascade", index=True)
    # The obligation's subject: a unit, or (party addon) a party organisation, by the rule's subject; none for
    # the task force's own obligations (is_task_force), which no unit is ever charged with.
    unit_id = fields.Many2one("garbage.unit", "Unit", ondelete="cascade", index=True, check_company=True)
    is_task_force = fields.Boolean(
        "Task Force's Own", index=True, help="An obligation of the task force itself: no unit is charged with it."
    )
    period = fields.Selection(related="rule_id.period", store=True)
    date_start = fields.Date("Period Start", required=True, index=True)
    date_end = fields.Date("Period End", required=True, index=True)
    expected = fields.Integer(required=True)
    done = fields.Integer()
    shortfall = fields.Integer(compute="_compute_shortfall", store=True)
    state = fields.Selection(
        [("pending", "Pending"), ("met", "Met"), ("missed", "Missed")], required=True, default="pending", index=True
    )
    reminded = fields.Boolean(help="A reminder activity was already scheduled for this period.")
    # What the form shows of the count: the records that counted (those the reader may read) and what is missing.
    counted_summary = fields.Html("What Counted", compute="_compute_counted_summary", sanitize=True)
    is_pending = fields.Boolean(
        compute="_compute_is_pending", help="Technical: still to do in its period (pending rows are listed first)."
    )

    _sql_constraints = [
        (
            "rule_unit_period_unique",
            "unique(rule_id, unit_id, date_start)",
            "A unit has one obligation per rule and period.",
        ),
    ]

    @api.model
    def _guarded_fields(self):
        """Counted from the records by the daily job: every figure (and the reminder flag) is the engine's."""
        return {**super()._guarded_fields(), **engine_fields(self)}

    def init(self):
        # one task-force obligation per rule and period (it has no subject column for the unique constraints)
        self.env.cr.execute(
            "CREATE UNIQUE INDEX IF NOT EXISTS garbage_obligation_task_force_period_unique "
            "ON garbage_obligation (rule_id, date_start) WHERE is_task_force"
        )
        # the assessment counts one town's obligations missed in the month
        create_index(
            self.env.cr,
            "garbage_obligation_company_state_date_end_index",
            self._table,
            ["company_id", "state", "date_end"],
        )

    @api.depends("expected", "done")
    def _compute_shortfall(self):
        for obligation in self:
            obligation.shortfall = max(obligation.expected - obligation.done, 0)

    @api.depends("state")
    def _compute_is_pending(self):
        for obligation in self:
            obligation.is_pending = obligation.state == "pending"

    def _order_field_to_sql(self, alias, field_name, direction, nulls, query):
        """Sorting on `is_pending` (not stored): pending rows first in the liaison's list, in the same statement."""
        if field_name != "is_pending":
            return super()._order_field_to_sql(alias, field_name, direction, nulls, query)
        state = self._field_to_sql(alias, "state", query)
        return SQL("(%s = 'pending') %s %s", state, direction, nulls)

    def _get_counted_records(self):
        """The records of the rule's model that counted in this obligation, as the current user may read them
        (the engine counts them all, sudo); an empty recordset when the user may not read that model."""
        self.ensure_one()
        rule = self.rule_id.sudo()
        Counted = self.env[rule.model_name]
        if not Counted.has_access("read"):
            return Counted
        date_start, date_end = self.date_start, self.date_end
        if Counted._fields[rule.date_field].type == "datetime":
            date_start = fields.Datetime.to_datetime(date_start)
            date_end = fields.Datetime.to_datetime(date_end) + timedelta(days=1, microseconds=-1)
        domain = safe_eval(rule.domain) + [(rule.date_field, ">=", date_start), (rule.date_field, "<=", date_end)]
        if not self.is_task_force:
            domain.append((rule.unit_field, "in", self._get_subject().ids))
        return Counted.search(domain, order=f"{rule.date_field} desc")

    @api.depends("rule_id", "unit_id", "date_start", "date_end", "done", "expected")
    @api.depends_context("uid")
    def _compute_counted_summary(self):
        for obligation in self:
            if not obligation.rule_id or not obligation.id:
                obligation.counted_summary = False
                continue
            records = obligation._get_counted_records()
            date_field = obligation.rule_id.sudo().date_field
            items = Markup("").join(
                Markup("<li>%s · %s</li>") % (fields.Date.to_date(record[date_field]), record.display_name)
                for record in records
            )
            parts = [Markup("<ul>%s</ul>") % items] if items else [Markup("<p>%s</p>") % self.env._("Nothing yet.")]
            if obligation.shortfall:
                parts.append(
                    Markup("<p class='text-warning fw-bold'>%s</p>")
                    % self.env._(
                        "Still missing: %(count)s by %(end)s.", count=obligation.shortfall, end=obligation.date_end
                    )
                )
            obligation.counted_summary = Markup("").join(parts)

    def action_view_counted(self):
        """The records that counted, in their own list (what the summary names)."""
        self.ensure_one()
        records = self._get_counted_records()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("What Counted: %(obligation)s", obligation=self.display_name),
            "res_model": records._name,
            "view_mode": "list,form",
            "views": [(False, "list"), (False, "form")],
            "domain": [("id", "in", records.ids)],
            "context": {"create": False},
        }

    @api.depends("rule_id", "unit_id", "is_task_force", "date_start")
    def _compute_display_name(self):
        for obligation in self:
            obligation.display_name = (
                f"{obligation._get_subject_name()} · {obligation.rule_id.name} · {obligation.date_start}"
            )

    def _get_subject(self):
        """Who carries the obligation: its unit (or, with the party addon, its party organisation); nothing
        for the task force's own."""
        self.ensure_one()
        return self.unit_id

    def _get_subject_name(self):
        self.ensure_one()
        return self.env._("Task Force") if self.is_task_force else self._get_subject().display_name

    @api.model
    def _sync(self, day, rules=None):
        """Bring the obligations of the periods containing `day` up to date, for every active rule.

        Creates what is missing and rewrites done/state from the counted records, so running it
        any number of times gives the same result. Returns the obligations of those periods.
        """
        periods = self._recount(day, rules)
        return self.search(
            expression.OR(
                [("rule_id", "=", rule_id), ("date_start", "=", date_start)] for rule_id, date_start in periods.items()
            )
        )

    @api.model
    def _recount(self, day, rules=None):
        """`_sync` without reading the obligations back (thousands of them at the end of a month, which the
        assessment counts in SQL): returns {rule id: period start} of the rules counted."""
        rules = rules if rules is not None else self.env["garbage.obligation.rule"].search([])
        # Everything pending is written before the savepoints, which then need no flush of their own (a
        # flushing savepoint would also run the precommit hooks, e.g. tracking, in the middle of the count).
        self.env.flush_all()
        periods, failures = {}, {}
        for rule in rules:
            date_start, date_end = rule._period_bounds(day)
            # One bad rule hurts only itself: its error is rolled back to the savepoint, the rule is
            # flagged (and the task force told), and every other rule is counted.
            try:
                with self.env.cr.savepoint(flush=False):
                    self._upsert(rule, date_start, date_end)
            except psycopg2.OperationalError:
                raise  # a lock, a serialization failure, a cancelled query: the job's failure, not the rule's
            except Exception as error:  # any error of the rule's filter or fields
                _logger.warning("Cadence rule %s (id %s) skipped: %s", rule.name, rule.id, error)
                failures[rule] = str(error) or type(error).__name__
            else:
                periods[rule.id] = date_start
        if failures:
            self.env["garbage.obligation.rule"]._mark_failing(failures)
        rules.filtered(lambda rule: rule not in failures)._mark_working()
        # Stored values were written in SQL: drop what the cache holds of them.
        self.invalidate_model()
        self._close_settled_reminders(periods)
        return periods

    @api.model
    def _recount_counted(self, model_name, days):
        """Recount now the obligations that records of `model_name` dated on `days` count in: a meeting saved,
        moved, cancelled or deleted shows on its obligation (and settles its reminder) at once, not after the
        nightly job. Only periods that already have obligations (the job creates those) are recounted."""
        days = {day for day in days if day}
        rules = self.env["garbage.obligation.rule"].sudo().search([("model_id.model", "=", model_name)])
        if not days or not rules:
            return
        wanted = {(rule, rule._period_bounds(day)[0]) for rule in rules for day in days}
        existing = set(
            self.sudo()._read_group(
                [("rule_id", "in", rules.ids), ("date_start", "in", list({start for _rule, start in wanted}))],
                ["rule_id", "date_start:day"],
            )
        )
        for rule, date_start in sorted(wanted & existing, key=lambda pair: (pair[1], pair[0].id)):
            self.sudo()._recount(date_start, rule)

    @api.model
    def _close_settled_reminders(self, periods):
        """A reminder ends with its obligation: done when the cadence is met, closed as missed when the period
        ended short (nothing is left to do), so that nobody carries it late. `periods`: {rule id: period start}
        of the obligations just counted; one query finds those still carrying a reminder."""
        if not periods:
            return
        settled = self.browse(
            row[0]
            for row in self.env.execute_query(
                SQL(
                    """
                    SELECT obligation.id
                      FROM garbage_obligation obligation
                      JOIN unnest(%s::int[], %s::date[]) AS period(rule_id, date_start)
                        ON period.rule_id = obligation.rule_id AND period.date_start = obligation.date_start
                     WHERE obligation.reminded AND obligation.state != 'pending'
                       AND EXISTS (SELECT 1 FROM mail_activity activity
                                    WHERE activity.res_model = %s AND activity.res_id = obligation.id
                                      AND activity.automated)
                    """,
                    list(periods),
                    list(periods.values()),
                    self._name,
                )
            )
        )
        if settled:
            town = self._company_lang_env()
            settled.filtered(lambda o: o.state == "met")._close_activities(town._("Cadence met."))
            settled.filtered(lambda o: o.state == "missed")._close_activities(
                town._("The period ended with the cadence missed.")
            )

    @api.model
    def _upsert(self, rule, date_start, date_end):
        """The obligations of one rule and period, counted and written in one statement.

        The daily job goes over every unit and rule, where little changes from one day to the next:
        only the obligations whose figures changed are written, which the ORM could only do after
        reading and comparing them all.
        """
        if rule.subject == "task_force":
            return self._upsert_task_force(rule, date_start, date_end)
        # the subjects (units, or party organisations) that carry the rule, and the column naming them
        subjects = self.env[rule._subject_model()]._search(
            expression.AND([safe_eval(rule.unit_domain), [("company_id", "=", rule.company_id.id)]])
        )
        column = SQL.identifier(rule._subject_column())
        # execute_query flushes what the counted records' filters read
        self.env.execute_query(
            SQL(
                """
                WITH counted AS (
                    SELECT * FROM (%(counts)s) AS counted(subject_id, done)
                ), figures AS (
                    SELECT subject.id AS subject_id, COALESCE(counted.done, 0) AS done,
                           CASE WHEN COALESCE(counted.done, 0) >= %(expected)s THEN 'met'
                                WHEN %(end)s < %(today)s THEN 'missed'
                                ELSE 'pending' END AS state
                      FROM (%(subjects)s) AS subject
                      LEFT JOIN counted ON counted.subject_id = subject.id
                ), changed AS (
                    SELECT figures.* FROM figures
                      LEFT JOIN garbage_obligation AS obligation
                        ON obligation.rule_id = %(rule)s AND obligation.%(column)s = figures.subject_id
                       AND obligation.date_start = %(start)s
                     WHERE obligation.id IS NULL
                        OR (obligation.period, obligation.date_end, obligation.expected, obligation.done,
                            obligation.state)
                           IS DISTINCT FROM (%(period)s, %(end)s, %(expected)s, figures.done, figures.state)
                )
                INSERT INTO garbage_obligation AS obligation (
                       rule_id, company_id, %(column)s, period, date_start, date_end, expected, done, shortfall, state,
                       create_uid, write_uid, create_date, write_date)
                SELECT %(rule)s, %(company)s, subject_id, %(period)s, %(start)s, %(end)s, %(expected)s, done,
                       GREATEST(%(expected)s - done, 0), state,
                       %(uid)s, %(uid)s, now() at time zone 'UTC', now() at time zone 'UTC'
                  FROM changed
                    ON CONFLICT (rule_id, %(column)s, date_start) DO UPDATE
                   SET period = excluded.period, date_end = excluded.date_end, expected = excluded.expected,
                       done = excluded.done, shortfall = excluded.shortfall, state = excluded.state,
                       write_uid = excluded.write_uid, write_date = excluded.write_date
                """,
                counts=rule._count_query(date_start, date_end),
                subjects=subjects.select(SQL.identifier(subjects.table, "id")),
                column=column,
                rule=rule.id,
                company=rule.company_id.id,
                period=rule.period,
                start=date_start,
                end=date_end,
                expected=rule.min_count,
                today=town_today(self.env),
                uid=self.env.uid,
            )
        )

    @api.model
    def _upsert_task_force(self, rule, date_start, date_end):
        """The task force's own obligation of one rule and period (on no subject), counted and written in one
        statement, as `_upsert` does for the units'."""
        self.env.execute_query(
            SQL(
                """
                WITH figures AS (
                    SELECT COALESCE(SUM(counted.done), 0) AS done FROM (%(counts)s) AS counted(subject_id, done)
                ), stated AS (
                    SELECT done, CASE WHEN done >= %(expected)s THEN 'met'
                                      WHEN %(end)s < %(today)s THEN 'missed'
                                      ELSE 'pending' END AS state
                      FROM figures
                )
                INSERT INTO garbage_obligation AS obligation (
                       rule_id, company_id, is_task_force, period, date_start, date_end, expected, done, shortfall,
                       state,
                       create_uid, write_uid, create_date, write_date)
                SELECT %(rule)s, %(company)s, TRUE, %(period)s, %(start)s, %(end)s, %(expected)s, done,
                       GREATEST(%(expected)s - done, 0), state,
                       %(uid)s, %(uid)s, now() at time zone 'UTC', now() at time zone 'UTC'
                  FROM stated
                    ON CONFLICT (rule_id, date_start) WHERE is_task_force DO UPDATE
                   SET period = excluded.period, date_end = excluded.date_end, expected = excluded.expected,
                       done = excluded.done, shortfall = excluded.shortfall, state = excluded.state,
                       write_uid = excluded.write_uid, write_date = excluded.write_date
                 WHERE (obligation.period, obligation.date_end, obligation.expected, obligation.done, obligation.state)
                       IS DISTINCT FROM (excluded.period, excluded.date_end, excluded.expected, excluded.done,
                                         excluded.state)
                """,
                counts=rule._count_query(date_start, date_end),
                rule=rule.id,
                company=rule.company_id.id,
                period=rule.period,
                start=date_start,
                end=date_end,
                expected=rule.min_count,
                today=town_today(self.env),
                uid=self.env.uid,
            )
        )

    @api.model
    def _remind(self, obligations):
        """One reminder activity per short obligation close to its period's end; never twice."""
        today = town_today(self.env)
        due = obligations.filtered(
            lambda o: o.state == "pending"
            and not o.reminded
            and o.date_end - timedelta(days=o.company_id.garbage_obligation_reminder_days) <= today
        )
        todo = self.env.ref("mail.mail_activity_data_todo")
        model_id = self.env["ir.model"]._get_id(self._name)
        town = self._company_lang_env()  # stored: in the town's language, not the job's
        reminded_ids, vals_list = [], []
        for obligation in due:
            user = obligation._get_reminder_user()
            # Without anyone to remind (not even a task force), the obligation stays eligible.
            if user:
                reminded_ids.append(obligation.id)
                vals_list.append(
                    {
                        "res_model_id": model_id,
                        "res_id": obligation.id,
                        "activity_type_id": todo.id,
                        "automated": True,
                        "date_deadline": obligation.date_end,
                        "summary": town._("Cadence due: %s", obligation.rule_id.with_env(town).name),
                        "note": town._(
                            "%(unit)s has done %(done)s of %(expected)s by %(end)s.",
                            unit=obligation.with_env(town)._get_subject_name(),
                            done=obligation.done,
                            expected=obligation.expected,
                            end=obligation.date_end,
                        ),
                        "user_id": user.id,
                    }
                )
        # One batch at the end of a month, when every short obligation of the town falls due together:
        # activity_schedule would insert each reminder and subscribe its liaison on its own (each liaison
        # is still notified of each reminder, as with activity_schedule).
        self.env["mail.activity"].create(vals_list)
        self.browse(reminded_ids).sudo().write({"reminded": True})

    def _get_reminder_user(self):
        """Who is reminded, by the rule's reminder target (extended by the party addon); the task force's own
        obligations remind its head."""
        self.ensure_one()
        if self.is_task_force or self.rule_id.reminder_target == "task_force":
            return self.env["garbage.escalation"]._get_taskforce_head(self.company_id)
        return self.unit_id._get_reminder_user()

    @api.model
    def _cron_refresh(self):
        """Daily: close each rule's previous period, sync the current one, then remind. In the town's time:
        the job runs without a time zone of its own, and the town's month starts at midnight in the town."""
        for company in self.env["res.company"].search([]):
            town = self.with_company(company)
            today = town_today(town.env)
            rules = town.env["garbage.obligation.rule"].search([("company_id", "=", company.id)])
            for rule in rules:
                current_start = rule._period_bounds(today)[0]
                town._recount(current_start - timedelta(days=1), rule)
            town._remind(town._reminder_candidates(town._recount(today, rules), today))

    @api.model
    def _reminder_candidates(self, periods, today):
        """Of the obligations of `periods` ({rule id: period start}), those of the current town that `_remind`
        may remind today, found by the database: reading the town's thousands of obligations of the month to
        keep a few would cost the daily job a query per thousand of them."""
        if not periods:
            return self.browse()
        horizon = today + timedelta(days=self.env.company.garbage_obligation_reminder_days)
        return self.search(
            expression.AND(
                [
                    expression.OR(
                        [("rule_id", "=", rule_id), ("date_start", "=", date_start)]
                        for rule_id, date_start in periods.items()
                    ),
                    [("state", "=", "pending"), ("reminded", "=", False), ("date_end", "<=", horizon)],
                ]
            )
        )
