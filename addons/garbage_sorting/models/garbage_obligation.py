import logging
from collections import defaultdict
from datetime import timedelta

import psycopg2
from markupsafe import Markup

from odoo import api, fields, models
from odoo.osv import expression
from odoo.tools import SQL
from odoo.tools.safe_eval import safe_eval
from odoo.tools.sql import create_index

from .garbage_guard_mixin import company_lang_env, town_today

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
        # the obligations of a town's rules in a period (the daily job and the assessment recount them)
        create_index(self.env.cr, "garbage_obligation_rule_date_start_index", self._table, ["rule_id", "date_start"])
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
        domain = rule._count_domain(self.date_start, self.date_end)  # what the engine counts, in the town's days
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
        assessment counts in SQL): returns {rule id: period start} of the rules counted. The rules of several
        towns that count alike are counted together (`garbage.obligation.rule._count_batches`)."""
        rules = rules if rules is not None else self.env["garbage.obligation.rule"].search([])
        # Everything pending is written before the savepoints, which then need no flush of their own (a
        # flushing savepoint would also run the precommit hooks, e.g. tracking, in the middle of the count).
        self.env.flush_all()
        periods, failures = {}, {}
        for batch, (date_start, date_end) in rules._count_batches(day):
            self._upsert_batch(batch, date_start, date_end, periods, failures)
        if failures:
            self.env["garbage.obligation.rule"]._mark_failing(failures)
        rules.filtered(lambda rule: rule not in failures)._mark_working()
        # Stored values were written in SQL: drop what the cache holds of them.
        self.invalidate_model()
        self._close_settled_reminders(periods)
        return periods

    @api.model
    def _upsert_batch(self, rules, date_start, date_end, periods, failures):
        """Count `rules` (one batch) in one statement; when it fails, each rule on its own: one bad rule hurts only
        itself. Its error is rolled back to the savepoint, the rule is flagged in `failures` (and the task force
        told), and every other rule is counted (in `periods`, {rule id: period start})."""
        try:
            with self.env.cr.savepoint(flush=False):
                self._upsert(rules, date_start, date_end)
        except psycopg2.OperationalError:
            raise  # a lock, a serialization failure, a cancelled query: the job's failure, not the rule's
        except Exception as error:  # any error of the rule's filter or fields
            if len(rules) > 1:
                for rule in rules:
                    self._upsert_batch(rule, date_start, date_end, periods, failures)
                return
            _logger.warning("Cadence rule %s (id %s) skipped: %s", rules.name, rules.id, error)
            failures[rules] = str(error) or type(error).__name__
        else:
            periods.update(dict.fromkeys(rules.ids, date_start))

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
        for company, obligations in settled.grouped("company_id").items():
            town = company_lang_env(self.env, company)
            obligations.filtered(lambda o: o.state == "met")._close_activities(town._("Cadence met."))
            obligations.filtered(lambda o: o.state == "missed")._close_activities(
                town._("The period ended with the cadence missed.")
            )

    @api.model
    def _upsert(self, rules, date_start, date_end):
        """The obligations of a batch of rules (`_count_batches`: one per town at most) and period, counted and
        written in one statement.

        The daily job goes over every unit and rule, where little changes from one day to the next:
        only the obligations whose figures changed are written, which the ORM could only do after
        reading and comparing them all.
        """
        rule = rules[:1]
        if rule.subject == "task_force":
            return self._upsert_task_force(rules, date_start, date_end)
        # the subjects (units, or party organisations) that carry the rules in their towns, and the column naming them
        subjects = self.env[rule._subject_model()]._search(
            expression.AND([safe_eval(rule.unit_domain), [("company_id", "in", rules.company_id.ids)]])
        )
        column = SQL.identifier(rule._subject_column())
        # execute_query flushes what the counted records' filters read
        self.env.execute_query(
            SQL(
                """
                WITH counted AS (
                    SELECT * FROM (%(counts)s) AS counted(subject_id, done)
                ), rule AS (
                    SELECT * FROM unnest(%(rules)s::int[], %(towns)s::int[], %(expected)s::int[], %(todays)s::date[])
                                  AS rule(id, company_id, expected, today)
                ), figures AS (
                    SELECT rule.id AS rule_id, rule.company_id, rule.expected, subject.id AS subject_id,
                           COALESCE(counted.done, 0) AS done,
                           CASE WHEN COALESCE(counted.done, 0) >= rule.expected THEN 'met'
                                WHEN %(end)s < rule.today THEN 'missed'
                                ELSE 'pending' END AS state
                      FROM (%(subjects)s) AS subject(id, company_id)
                      JOIN rule ON rule.company_id = subject.company_id
                      LEFT JOIN counted ON counted.subject_id = subject.id
                ), changed AS (
                    SELECT figures.* FROM figures
                      -- the batch's rules named: the period's obligations of these towns only, not the district's
                      LEFT JOIN garbage_obligation AS obligation
                        ON obligation.rule_id = figures.rule_id AND obligation.%(column)s = figures.subject_id
                       AND obligation.rule_id = ANY(%(rules)s) AND obligation.date_start = %(start)s
                     WHERE obligation.id IS NULL
                        OR (obligation.period, obligation.date_end, obligation.expected, obligation.done,
                            obligation.state)
                           IS DISTINCT FROM (%(period)s, %(end)s, figures.expected, figures.done, figures.state)
                )
                INSERT INTO garbage_obligation AS obligation (
                       rule_id, company_id, %(column)s, period, date_start, date_end, expected, done, shortfall, state,
                       create_uid, write_uid, create_date, write_date)
                SELECT rule_id, company_id, subject_id, %(period)s, %(start)s, %(end)s, expected, done,
                       GREATEST(expected - done, 0), state,
                       %(uid)s, %(uid)s, now() at time zone 'UTC', now() at time zone 'UTC'
                  FROM changed
                    ON CONFLICT (rule_id, %(column)s, date_start) DO UPDATE
                   SET period = excluded.period, date_end = excluded.date_end, expected = excluded.expected,
                       done = excluded.done, shortfall = excluded.shortfall, state = excluded.state,
                       write_uid = excluded.write_uid, write_date = excluded.write_date
                """,
                counts=rules._count_query(date_start, date_end),
                subjects=subjects.select(
                    SQL.identifier(subjects.table, "id"), SQL.identifier(subjects.table, "company_id")
                ),
                column=column,
                period=rule.period,
                start=date_start,
                end=date_end,
                uid=self.env.uid,
                **self._rule_columns(rules),
            )
        )

    @api.model
    def _rule_columns(self, rules):
        """The per-rule parameters of a batch's statement: rule, town, minimum count and the town's today."""
        todays = {town: town_today(self.env, town) for town in rules.company_id}
        return {
            "rules": rules.ids,
            "towns": [rule.company_id.id for rule in rules],
            "expected": [rule.min_count for rule in rules],
            "todays": [todays[rule.company_id] for rule in rules],
        }

    @api.model
    def _upsert_task_force(self, rules, date_start, date_end):
        """The task force's own obligations of a batch of rules (one per town) and period, on no subject, counted
        and written in one statement, as `_upsert` does for the units'."""
        self.env.execute_query(
            SQL(
                """
                WITH counted AS (
                    SELECT * FROM (%(counts)s) AS counted(company_id, done)
                ), stated AS (
                    SELECT rule.id AS rule_id, rule.company_id, rule.expected, COALESCE(counted.done, 0) AS done,
                           CASE WHEN COALESCE(counted.done, 0) >= rule.expected THEN 'met'
                                WHEN %(end)s < rule.today THEN 'missed'
                                ELSE 'pending' END AS state
                      FROM unnest(%(rules)s::int[], %(towns)s::int[], %(expected)s::int[], %(todays)s::date[])
                           AS rule(id, company_id, expected, today)
                      LEFT JOIN counted ON counted.company_id = rule.company_id
                )
                INSERT INTO garbage_obligation AS obligation (
                       rule_id, company_id, is_task_force, period, date_start, date_end, expected, done, shortfall,
                       state,
                       create_uid, write_uid, create_date, write_date)
                SELECT rule_id, company_id, TRUE, %(period)s, %(start)s, %(end)s, expected, done,
                       GREATEST(expected - done, 0), state,
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
                counts=rules._count_query(date_start, date_end),
                period=rules[:1].period,
                start=date_start,
                end=date_end,
                uid=self.env.uid,
                **self._rule_columns(rules),
            )
        )

    @api.model
    def _remind(self, obligations):
        """One reminder activity per short obligation close to its period's end (in its town's days and
        language); never twice."""
        todo = self.env.ref("mail.mail_activity_data_todo")
        model_id = self.env["ir.model"]._get_id(self._name)
        reminded_ids, vals_list = [], []
        for company, town_obligations in obligations.grouped("company_id").items():
            horizon = town_today(self.env, company) + timedelta(days=company.garbage_obligation_reminder_days)
            town = company_lang_env(self.env, company)  # stored: in the town's language, not the job's
            due = town_obligations.filtered(
                lambda o, horizon=horizon: o.state == "pending" and not o.reminded and o.date_end <= horizon
            )
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
        # One batch at the end of a month, when every short obligation of the towns falls due together:
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
        """Daily: close each rule's previous period, sync the current one, then remind. In each town's time:
        the job runs without a time zone of its own, and a town's month starts at midnight in the town. The
        towns' rules are counted together (a statement per kind of rule and day, not per town)."""
        rules = self.env["garbage.obligation.rule"].search([])
        todays = {company: town_today(self.env, company) for company in rules.company_id}
        closing, current = defaultdict(rules.browse), defaultdict(rules.browse)
        for rule in rules:
            today = todays[rule.company_id]
            closing[rule._period_bounds(today)[0] - timedelta(days=1)] |= rule
            current[today] |= rule
        for day, day_rules in sorted(closing.items()):
            self._recount(day, day_rules)
        periods = {}
        for day, day_rules in sorted(current.items()):
            periods.update(self._recount(day, day_rules))
        self._remind(self._reminder_candidates(periods, todays))

    @api.model
    def _reminder_candidates(self, periods, todays):
        """Of the obligations of `periods` ({rule id: period start}), those that `_remind` may remind on the towns'
        `todays` ({company: its today}), found by the database: reading the towns' thousands of obligations of the
        month to keep a few would cost the daily job a query per thousand of them."""
        if not periods:
            return self.browse()
        return self.search(
            expression.AND(
                [
                    expression.OR(
                        [("rule_id", "=", rule_id), ("date_start", "=", date_start)]
                        for rule_id, date_start in periods.items()
                    ),
                    expression.OR(
                        [
                            ("company_id", "=", company.id),
                            ("date_end", "<=", today + timedelta(days=company.garbage_obligation_reminder_days)),
                        ]
                        for company, today in todays.items()
                    ),
                    [("state", "=", "pending"), ("reminded", "=", False)],
                ]
            )
        )
