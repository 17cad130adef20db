from datetime import date

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, TransactionCase, new_test_user, tagged
from odoo.tools import SQL, mute_logger

from .common import AssessmentCase, month

WIZARD = "garbage.assessment.publish.wizard"


@tagged("post_install", "-at_install")
class TestRedNeedsTheTown(AssessmentCase):
    """Point 3 of issue 11: a unit's own self-inspections never make it red nor win it the flag."""

    def _compute(self, entries, when=None):
        when = when or month(2025, 5)
        self._inspect([(unit, source, when.replace(day=10), score) for unit, source, score in entries])
        period = self.Period.create({"date_start": when})
        period.action_compute()
        return period

    def test_self_inspection_alone_is_never_red(self):
        own, seen, low = self._units(3, "village")
        period = self._compute([(own, "self", 100), (seen, "patrol", 95), (low, "self", 50)])
        line = self._line(period, own)
        # First of its group on its own word, and neither red nor flagged.
        self.assertEqual(
            (line.rank, line.score, line.result, line.red_flag, line.town_inspected), (1, 100, "normal", False, False)
        )
        line = self._line(period, seen)
        self.assertEqual((line.rank, line.result, line.red_flag, line.town_inspected), (2, "red", True, True))
        # Grey stays possible on self-inspection alone: it is part of the assessment.
        self.assertEqual(self._line(period, low).result, "grey")
        self.assertEqual(period.red_count, 1)

    def test_self_inspected_units_take_no_red_place(self):
        selfish = self._units(3, "agency", prefix="S")
        seen = self._units(2, "agency", prefix="T")
        period = self._compute(
            [(unit, "self", 100) for unit in selfish]
            + [(seen[0], "mutual", 95), (seen[0], "self", 95), (seen[1], "patrol", 91), (seen[1], "self", 91)]
        )
        # Ranks 4 and 5 of the group, but the best two the town inspected: the red places are theirs.
        self.assertEqual([self._line(period, unit).rank for unit in seen], [4, 5])
        self.assertEqual([self._line(period, unit).result for unit in seen], ["red", "red"])
        self.assertEqual([self._line(period, unit).red_flag for unit in seen], [True, False])
        self.assertEqual({self._line(period, unit).result for unit in selfish}, {"normal"})

    def test_mutual_inspection_counts_as_the_towns_eyes(self):
        unit = self._units(1, "enterprise")
        period = self._compute([(unit, "mutual", 92), (unit, "self", 100)])
        line = self._line(period, unit)
        self.assertEqual((line.result, line.red_flag, line.town_inspected), ("red", True, True))

    def test_compute_stays_one_statement(self):
        units = self._units(3, "village")
        self._inspect([(unit, "patrol", month(2025, 5).replace(day=3), 95) for unit in units])
        period = self.Period.create({"date_start": month(2025, 5)})
        Line = self.env["garbage.assessment"]
        period._get_params()
        self.env.flush_all()
        # DELETE + the INSERT...SELECT that scores, lists, vetoes and flags every unit.
        with self.assertQueryCount(2):
            Line._replace_lines(period)
        self.assertEqual(len(period.line_ids), 3)


@tagged("post_install", "-at_install")
class TestVetoPassesTheFlag(AssessmentCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.star, cls.second, cls.third = cls._units(3, "agency")

    def _month(self, number, star, second=85, third=80, year=2024):
        return self._publish_month(month(year, number), [(self.star, star), (self.second, second), (self.third, third)])

    def test_vetoed_unit_stays_red_without_flag_nor_recommendation(self):
        self._month(1, 60)
        february = self._month(2, 60)
        self.assertFalse(self._line(february, self.star).vetoed, "the veto counts the months before")
        march = self._month(3, 98, second=95)
        line = self._line(march, self.star)
        self.assertEqual((line.result, line.vetoed, line.red_flag, line.rank), ("red", True, False, 1))
        # The flag passes to the next red unit of the group that is not vetoed.
        runner_up = self._line(march, self.second)
        self.assertEqual((runner_up.result, runner_up.red_flag, runner_up.vetoed), ("red", True, False))
        self._month(4, 98, second=95)
        self._month(5, 98, second=70)  # no other red unit: nobody gets the flag
        may = self.env["garbage.assessment.period"].search([("date_start", "=", month(2024, 5))])
        self.assertFalse(may.line_ids.filtered("red_flag"))
        annual = self._annual(self.star, 2024)
        self.assertEqual(
            (annual.red_count, annual.red_streak, annual.flag_count, annual.veto, annual.recommended),
            (3, 3, 0, True, False),
        )
        self.assertEqual(self._annual(self.second, 2024).flag_count, 2)

    def test_veto_counts_published_months_of_the_same_year_only(self):
        self._month(11, 60, year=2023)
        self._month(12, 60, year=2023)
        january = self._month(1, 98)
        line = self._line(january, self.star)
        self.assertEqual((line.vetoed, line.red_flag), (False, True))
        # Two grey months computed but not published do not veto.
        for number in (2, 3):
            self._month_all_sources([(self.star, 60), (self.second, 85), (self.third, 80)], month(2024, number))
            self.Period.create({"date_start": month(2024, number)}).action_compute()
        april = self._month(4, 98)
        self.assertEqual((self._line(april, self.star).vetoed, self._line(april, self.star).red_flag), (False, True))

    def test_month_computed_before_an_earlier_publication_is_recomputed_first(self):
        self._month(1, 60)
        self._month_all_sources([(self.star, 60), (self.second, 85), (self.third, 80)], month(2024, 2))
        february = self.Period.create({"date_start": month(2024, 2)})
        february.action_compute()
        self._month_all_sources([(self.star, 98), (self.second, 95), (self.third, 80)], month(2024, 3))
        march = self.Period.create({"date_start": month(2024, 3)})
        march.action_compute()
        self.assertTrue(self._line(march, self.star).red_flag, "February is not published yet: no veto")
        february.action_publish()
        with self.assertRaises(UserError):
            march.action_publish()
        self.assertEqual((march.state, march.escalation_ids.ids), ("computed", []))
        march.action_compute()
        march.action_publish()
        line = self._line(march, self.star)
        self.assertEqual((line.vetoed, line.red_flag, self._line(march, self.second).red_flag), (True, False, True))

    def test_reopened_grey_month_lifts_the_veto_at_the_next_computation(self):
        self._month(1, 60)
        february = self._month(2, 60)
        march = self._month(3, 98, second=95)
        self.assertFalse(self._line(march, self.star).red_flag)
        march.action_reopen()
        february.action_reopen()
        march.action_compute()
        self.assertEqual((self._line(march, self.star).vetoed, self._line(march, self.star).red_flag), (False, True))


@tagged("post_install", "-at_install")
class TestPublishConfirmation(AssessmentCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.seen, cls.selfish, cls.absent = cls._units(3, "village")
        cls.gone = cls._units(1, "village", prefix="Z")
        cls.gone.action_archive()
        cls.inspector = new_test_user(
            cls.env, login="gs_inspector_i", groups="garbage_sorting.garbage_sorting_group_inspector"
        )
        may = month(2024, 5)
        cls._inspect(
            [
                (cls.seen, "patrol", may.replace(day=4), 95),
                (cls.seen, "self", may.replace(day=5), 95),
                (cls.selfish, "self", may.replace(day=6), 99),
            ]
        )
        cls._inspect([(cls.absent, "patrol", may.replace(day=7), 90)], state="draft")  # not done: not counted
        cls.period = cls.Period.create({"date_start": may})

    def test_draft_and_computed_periods_list_the_units_the_town_did_not_inspect(self):
        self.assertEqual(self.period.state, "draft")
        self.assertEqual(self.period.uninspected_unit_ids, self.selfish | self.absent)
        self.assertEqual(self.period.uninspected_count, 2)
        self.period.action_compute()
        self.period.invalidate_recordset(["uninspected_unit_ids", "uninspected_count"])
        self.assertEqual(self.period.uninspected_unit_ids, self.selfish | self.absent)
        # The leader reads the list too; a liaison only the count.
        self.assertEqual(self.period.with_user(self.leader).uninspected_unit_ids, self.selfish | self.absent)
        self.assertEqual(self.period.with_user(self.liaison).read(["uninspected_count"])[0]["uninspected_count"], 2)
        with self.assertRaises(AccessError):
            self.period.with_user(self.liaison).read(["uninspected_unit_ids"])

    def test_publishing_with_uninspected_units_needs_a_recorded_confirmation(self):
        self.period.action_compute()
        period = self.period.with_user(self.manager)
        # Neither a context key nor a second call publishes: only the wizard's confirmation does.
        for context in ({}, {"garbage_assessment_unlock": True, "confirmed": True, "publish_confirmed": True}):
            action = period.with_context(**context).action_publish()
            self.assertEqual((action["res_model"], action["target"]), (WIZARD, "new"))
            self.assertEqual((period.state, period.publish_confirmed_by_id.id), ("computed", False))
        wizard = (
            self.env[WIZARD]
            .with_user(self.manager)
            .with_context(**action["context"])
            .create({"note": "Patrol postponed"})
        )
        self.assertEqual(wizard.period_id, self.period)
        self.assertIn(self.selfish.name, wizard.warning_text)
        self.assertIn("no town patrol nor mutual inspection", wizard.warning_text)
        self.assertEqual(wizard.uninspected_unit_ids, self.selfish | self.absent)
        result = wizard.action_confirm()
        self.assertEqual(result["type"], "ir.actions.act_window_close")
        self.assertEqual(self.period.state, "published")
        self.assertEqual(self.period.publish_confirmed_by_id, self.manager)
        self.assertTrue(self.period.publish_confirmed_date)
        note = self.period.publish_confirmation_note
        self.assertIn(self.absent.name, note)
        self.assertIn("Patrol postponed", note)
        message = self.period.message_ids.filtered(lambda message: "explicit confirmation" in (message.body or ""))
        self.assertEqual(message.author_id, self.manager.partner_id)
        # What was confirmed names units: the town's roles read it, a liaison does not (nor in the chatter).
        self.assertNotIn(self.selfish.name, message.body)
        self.assertIn(self.selfish.name, self.period.with_user(self.leader).publish_confirmation_note)
        with self.assertRaises(AccessError):
            self.period.with_user(self.liaison).read(["publish_confirmation_note"])
        self.assertEqual(
            self.period.with_user(self.liaison).read(["publish_confirmed_by_id"])[0]["publish_confirmed_by_id"][0],
            self.manager.id,
        )
        # Reopening withdraws the publication and its confirmation; the chatter keeps it.
        period.action_reopen()
        self.assertEqual(
            (self.period.publish_confirmed_by_id.id, self.period.publish_confirmation_note), (False, False)
        )
        self.assertIn(message, self.period.message_ids)

    def test_only_the_task_force_confirms(self):
        self.period.action_compute()
        for user in (self.leader, self.liaison, self.inspector):
            with self.assertRaises(AccessError):
                self.env[WIZARD].with_user(user).create({"period_id": self.period.id})
            with self.assertRaises(AccessError):
                self.period.with_user(user).action_publish()
        wizard = self.env[WIZARD].with_user(self.manager).create({"period_id": self.period.id})
        for user in (self.leader, self.liaison):
            with self.assertRaises(AccessError):
                wizard.with_user(user).action_confirm()
        self.assertEqual(self.period.state, "computed")
        self.assertFalse(self.period.escalation_ids)

    def test_comment_is_bounded(self):
        self.period.action_compute()
        with self.assertRaises(ValidationError):
            self.env[WIZARD].with_user(self.manager).create({"period_id": self.period.id, "note": "x" * 2001})
        self.assertEqual(self.period.state, "computed")

    def test_confirming_twice_publishes_once(self):
        self.period.action_compute()
        wizard = self.env[WIZARD].with_user(self.manager).create({"period_id": self.period.id})
        wizard.action_confirm()
        with self.assertRaises(UserError):
            wizard.action_confirm()
        with self.assertRaises(UserError):
            self.env[WIZARD].with_user(self.manager).create({"period_id": self.period.id}).action_confirm()

    def test_a_month_not_over_needs_a_confirmation(self):
        june = month(2024, 6)
        self._inspect([(unit, "patrol", june.replace(day=3), 95) for unit in (self.seen, self.selfish, self.absent)])
        period = self.Period.create({"date_start": june})
        with freeze_time("2024-06-20"):
            period.action_compute()
            self.assertEqual(period.uninspected_count, 0)
            action = period.action_publish()
            self.assertEqual(action["res_model"], WIZARD)
            self.assertEqual(period.state, "computed")
            wizard = self.env[WIZARD].with_user(self.manager).create({"period_id": period.id})
            self.assertIn("not over yet", wizard.warning_text)
            wizard.action_confirm()
        self.assertEqual((period.state, period.publish_confirmed_by_id), ("published", self.manager))
        self.assertIn("2024-06-30", period.publish_confirmation_note)

    def test_a_month_over_and_fully_inspected_publishes_at_once(self):
        july = month(2024, 7)
        self._inspect([(unit, "mutual", july.replace(day=3), 85) for unit in (self.seen, self.selfish, self.absent)])
        period = self.Period.create({"date_start": july})
        period.action_compute()
        self.assertIs(period.action_publish(), True)
        self.assertEqual((period.state, period.publish_confirmed_by_id.id), ("published", False))

    def test_several_months_with_one_to_confirm_publish_none(self):
        july = month(2024, 7)
        self._inspect([(unit, "mutual", july.replace(day=3), 85) for unit in (self.seen, self.selfish, self.absent)])
        july_period = self.Period.create({"date_start": july})
        (self.period | july_period).action_compute()
        with self.assertRaises(UserError):
            (self.period | july_period).action_publish()
        self.assertEqual(set((self.period | july_period).mapped("state")), {"computed"})


@tagged("post_install", "-at_install")
class TestRuleFailure(AssessmentCase):
    """Point 7 of issue 11: one bad cadence rule hurts only itself."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.unit = cls._units(1, "village")
        Rule = cls.env["garbage.obligation.rule"]
        inspection = cls.env["ir.model"]._get_id("garbage.inspection")
        cls.good = cls.env.ref("garbage_sorting.garbage_obligation_rule_self_inspection")
        cls.bad_domain, cls.bad_date = Rule.create(
            [
                {"name": "Patrols", "model_id": inspection, "domain": "[('source', '=', 'patrol')]"},
                {"name": "Mutuals", "model_id": inspection, "domain": "[('source', '=', 'mutual')]"},
            ]
        )
        # What a rename, an uninstall or a hand edit leaves behind, past the constraint.
        cls.env.flush_all()
        cls.env.cr.execute(
            SQL(
                "UPDATE garbage_obligation_rule SET domain = %s WHERE id = %s",
                "[('no_such_field', '=', 1)",
                cls.bad_domain.id,
            )
        )
        cls.env.cr.execute(
            SQL("UPDATE garbage_obligation_rule SET date_field = 'gone_date' WHERE id = %s", cls.bad_date.id)
        )
        cls.env.invalidate_all()

    def _obligations(self, rule):
        return self.env["garbage.obligation"].search([("rule_id", "=", rule.id), ("unit_id", "=", self.unit.id)])

    def _failure_activities(self, rule):
        return rule.activity_ids.filtered(lambda activity: activity.user_id == self.manager)

    @mute_logger("odoo.addons.garbage_sorting.models.garbage_obligation")
    def test_bad_rules_are_skipped_flagged_and_reported_once(self):
        self._inspect([(self.unit, "self", date(2025, 5, 3), 90)])
        with freeze_time("2025-05-20"):
            obligations = self.env["garbage.obligation"]._sync(date(2025, 5, 20))
        self.assertEqual(obligations.rule_id, self.good)
        self.assertEqual(self._obligations(self.good).state, "met")
        for rule in self.bad_domain | self.bad_date:
            self.assertTrue(rule.is_failing)
            self.assertFalse(self._obligations(rule))
            self.assertTrue(rule.failure_reason)
            activity = self._failure_activities(rule)
            self.assertEqual(len(activity), 1, "the task-force head is told once")
            self.assertIn(rule.name, activity.summary)
        self.assertIn("gone_date", self.bad_date.failure_reason)
        self.assertFalse(self.good.is_failing)
        # The daily job and the monthly computation go on, and tell nobody twice.
        with freeze_time("2025-06-01"):
            self.env["garbage.obligation"]._cron_refresh()
            period = self.Period.create({"date_start": month(2025, 5)})
            period.action_compute()
        self.assertEqual(period.state, "computed")
        self.assertEqual(self._line(period, self.unit).missed_count, 0)
        for rule in self.bad_domain | self.bad_date:
            self.assertEqual(len(self._failure_activities(rule)), 1)
        # Repaired: the flag clears and the activity is closed.
        self.env.cr.execute(
            SQL(
                "UPDATE garbage_obligation_rule SET date_field = 'date', domain = '[]' WHERE id IN %s",
                (self.bad_domain.id, self.bad_date.id),
            )
        )
        self.env.invalidate_all()
        with freeze_time("2025-06-02"):
            self.env["garbage.obligation"]._cron_refresh()
        for rule in self.bad_domain | self.bad_date:
            self.assertEqual((rule.is_failing, rule.failure_reason), (False, False))
            self.assertFalse(self._failure_activities(rule))
            self.assertTrue(self._obligations(rule))

    @mute_logger("odoo.addons.garbage_sorting.models.garbage_obligation")
    def test_sql_error_of_a_rule_leaves_the_transaction_usable(self):
        # A domain the ORM accepts but the database refuses (an id compared with text).
        self.env.cr.execute(
            SQL(
                "UPDATE garbage_obligation_rule SET domain = %s, date_field = 'date' WHERE id = %s",
                "[('id', '=', 'abc')]",
                self.bad_date.id,
            )
        )
        self.env.invalidate_all()
        with freeze_time("2025-05-20"):
            self.env["garbage.obligation"]._sync(date(2025, 5, 20))
        self.assertTrue(self.bad_date.is_failing)
        self.assertTrue(self._obligations(self.good))
        self.assertTrue(self.env["garbage.unit"].search_count([]))  # the cursor still works

    def test_nobody_sets_the_failure_flag_by_hand(self):
        for user in (self.manager, self.liaison):
            with self.assertRaises(AccessError):
                self.good.with_user(user).write({"is_failing": True})
        self.assertFalse(self.good.is_failing)


@tagged("post_install", "-at_install")
class TestRuleAdministration(AssessmentCase):
    """The task force (not an administrator) creates, edits and archives cadence rules."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.inspector = new_test_user(
            cls.env, login="gs_inspector_r", groups="garbage_sorting.garbage_sorting_group_inspector"
        )
        cls.Rule = cls.env["garbage.obligation.rule"]

    def test_manager_creates_edits_and_archives_a_rule_in_the_form(self):
        Rule = self.Rule.with_user(self.manager)
        self.assertFalse(self.manager.has_group("base.group_erp_manager"))
        with Form(Rule) as form:
            form.name = "Monthly patrol"
            form.counted_model = "garbage.inspection"
            form.domain = "[('source', '=', 'patrol'), ('state', '=', 'done')]"
            form.unit_domain = "[('unit_type', '=', 'village')]"
            form.period = "monthly"
        rule = form.record
        self.assertEqual(rule.model_id.sudo().model, "garbage.inspection")
        self.assertEqual(rule.model_name, "garbage.inspection")
        with Form(rule) as form:
            form.min_count = 2
            form.period = "quarterly"
        self.assertEqual((rule.min_count, rule.period), (2, "quarterly"))
        rule.action_archive()
        self.assertFalse(rule.active)
        rule.action_unarchive()
        # A wrong field is still refused, with a clear message.
        with self.assertRaises(ValidationError):
            rule.write({"date_field": "name"})
        self.assertEqual(rule.date_field, "date")

    def test_the_counted_models_are_those_linked_to_units(self):
        choices = dict(self.Rule.with_user(self.manager)._selection_counted_model())
        self.assertIn("garbage.inspection", choices)
        self.assertIn("garbage.volunteer.duty", choices)
        self.assertNotIn("res.users", choices)
        # every rule shipped (this addon's and the party addon's) opens in the form with its model
        for rule in self.Rule.with_context(active_test=False).search([]):
            self.assertIn(rule.counted_model, choices, rule.name)
        with self.assertRaises(ValidationError):
            self.Rule.with_user(self.manager).create({"name": "Users", "counted_model": "res.users"})

    def test_rule_counting_records_the_manager_cannot_read_still_validates(self):
        # Nobody but liaisons reads inspections any more (say): the task force still defines the rule.
        liaison_group = self.env.ref("garbage_sorting.garbage_sorting_group_liaison")
        self.env["ir.model.access"].search(
            [("model_id.model", "=", "garbage.inspection"), ("group_id", "!=", liaison_group.id)]
        ).unlink()
        self.assertFalse(self.env["garbage.inspection"].with_user(self.manager).has_access("read"))
        rule = self.Rule.with_user(self.manager).create(
            {"name": "Self-inspections", "counted_model": "garbage.inspection", "domain": "[('source', '=', 'self')]"}
        )
        self.assertTrue(rule.exists())

    def test_liaison_and_inspector_cannot_create_nor_edit_rules(self):
        rule = self.env.ref("garbage_sorting.garbage_obligation_rule_self_inspection")
        for user in (self.liaison, self.inspector, self.leader):
            with self.assertRaises(AccessError):
                self.Rule.with_user(user).create({"name": "Mine", "counted_model": "garbage.inspection"})
            with self.assertRaises(AccessError):
                rule.with_user(user).write({"min_count": 5})
            with self.assertRaises(AccessError):
                rule.with_user(user).action_archive()
        self.assertEqual((rule.min_count, rule.active), (1, True))


class DemoPublicationChecks:
    """The demo's months were published at install; where units went uninspected, the task force confirmed."""

    def test_demo_months_published_with_recorded_confirmations(self):
        taskforce = self.env.ref("garbage_sorting.user_taskforce_demo")
        culture = self.env.ref("garbage_sorting.garbage_unit_culture_demo")
        periods = self.env["garbage.assessment.period"].search([("state", "=", "published")], order="date_start")
        self.assertGreaterEqual(len(periods), 6)
        last = periods[-1]
        self.assertEqual(last.publish_confirmed_by_id, taskforce)
        self.assertIn(culture.with_context(lang=self.env.company.partner_id.lang).name, last.publish_confirmation_note)
        self.assertIn(culture, last.uninspected_unit_ids)
        for period in periods:
            self.assertEqual(bool(period.publish_confirmed_by_id), bool(period.uninspected_unit_ids), period.name)


@tagged("post_install", "-at_install")
class TestDemoPublication(DemoPublicationChecks, TransactionCase):
    pass
