from collections import defaultdict
from datetime import timedelta

from odoo import api, fields, models
from odoo.tools.safe_eval import safe_eval

from .garbage_obligation_rule import period_bounds


class GarbageObligation(models.Model):
    _name = "garbage.obligation"
    _description = "Cadence Obligation"
    # mail.thread too: scheduling a reminder notifies the liaison through the record's thread.
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "date_start desc, unit_id, rule_id"

    rule_id = fields.Many2one("garbage.obligation.rule", "Rule", required=True, ondelete="cascade", index=True)
    unit_id = fields.Many2one("garbage.unit", "Unit", required=True, ondelete="cascade", index=True)
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

    _sql_constraints = [
        (
            "rule_unit_period_unique",
            "unique(rule_id, unit_id, date_start)",
            "A unit has one obligation per rule and period.",
        ),
    ]

    @api.depends("expected", "done")
    def _compute_shortfall(self):
        for obligation in self:
            obligation.shortfall = max(obligation.expected - obligation.done, 0)

    @api.depends("rule_id", "unit_id", "date_start")
    def _compute_display_name(self):
        for obligation in self:
            obligation.display_name = f"{obligation.unit_id.name} · {obligation.rule_id.name} · {obligation.date_start}"

    @staticmethod
    def _state_for(done, expected, date_end, today):
        if done >= expected:
            return "met"
        return "missed" if date_end < today else "pending"

    @api.model
    def _sync(self, day, rules=None):
        """Bring the obligations of the periods containing `day` up to date, for every active rule.

        Creates what is missing and rewrites done/state from the counted records, so running it
        any number of times gives the same result. Returns the obligations of those periods.
        """
        today = fields.Date.context_today(self)
        rules = rules if rules is not None else self.env["garbage.obligation.rule"].search([])
        Unit = self.env["garbage.unit"]
        result = self.browse()
        for rule in rules:
            date_start, date_end = period_bounds(rule.period, day)
            units = Unit.search(safe_eval(rule.unit_domain))
            counts = rule._count_done(units, date_start, date_end)
            existing = self.search_fetch(
                [("rule_id", "=", rule.id), ("date_start", "=", date_start)],
                ["unit_id", "done", "state", "expected", "date_end"],
            )
            existing_by_unit = {obligation.unit_id.id: obligation for obligation in existing}
            to_create = []
            updates = defaultdict(lambda: self.browse())
            for unit in units:
                done = counts.get(unit.id, 0)
                state = self._state_for(done, rule.min_count, date_end, today)
                obligation = existing_by_unit.get(unit.id)
                if not obligation:
                    to_create.append(
                        {
                            "rule_id": rule.id,
                            "unit_id": unit.id,
                            "date_start": date_start,
                            "date_end": date_end,
                            "expected": rule.min_count,
                            "done": done,
                            "state": state,
                        }
                    )
                elif (obligation.done, obligation.state, obligation.expected, obligation.date_end) != (
                    done,
                    state,
                    rule.min_count,
                    date_end,
                ):
                    updates[(done, state, rule.min_count)] |= obligation
            for (done, state, expected), obligations in updates.items():
                # date_end too: a rule whose period changed keeps the same date_start (e.g. Q1 and January)
                obligations.write({"done": done, "state": state, "expected": expected, "date_end": date_end})
            # obligations are bookkeeping: no creation message nor follower each (thousands a month)
            quiet = self.with_context(mail_create_nolog=True, mail_create_nosubscribe=True, tracking_disable=True)
            result |= existing | quiet.create(to_create)
        return result

    @api.model
    def _remind(self, obligations):
        """One reminder activity per short obligation close to its period's end; never twice."""
        days = int(self.env["ir.config_parameter"].sudo().get_param("garbage_sorting.obligation_reminder_days", 10))
        today = fields.Date.context_today(self)
        due = obligations.filtered(
            lambda o: o.state == "pending" and not o.reminded and o.date_end - timedelta(days=days) <= today
        )
        reminded = self.browse()
        for obligation in due:
            user = obligation._get_reminder_user()
            # Without anyone to remind, the obligation stays eligible until a liaison is named.
            if user:
                reminded |= obligation
                obligation.activity_schedule(
                    "mail.mail_activity_data_todo",
                    date_deadline=obligation.date_end,
                    summary=self.env._("Cadence due: %s", obligation.rule_id.name),
                    note=self.env._(
                        "%(unit)s has done %(done)s of %(expected)s by %(end)s.",
                        unit=obligation.unit_id.name,
                        done=obligation.done,
                        expected=obligation.expected,
                        end=obligation.date_end,
                    ),
                    user_id=user.id,
                )
        reminded.write({"reminded": True})

    def _get_reminder_user(self):
        """Who is reminded, by the rule's reminder target (extended by the party addon)."""
        self.ensure_one()
        return self.unit_id._get_liaison_users()[:1]

    @api.model
    def _cron_refresh(self):
        """Daily: close each rule's previous period, sync the current one, then remind."""
        today = fields.Date.context_today(self)
        rules = self.env["garbage.obligation.rule"].search([])
        for rule in rules:
            current_start = period_bounds(rule.period, today)[0]
            self._sync(current_start - timedelta(days=1), rule)
        self._remind(self._sync(today, rules))
