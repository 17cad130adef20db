from collections import defaultdict
from datetime import date

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, TransactionCase, new_test_user, tagged

from ..models.garbage_obligation_rule import period_bounds
from .common import AssessmentCase, month


@tagged("post_install", "-at_install")
class TestMutualRhythm(AssessmentCase):
    """Mutual inspection every two months (每两月互学互查): the job prepares, the task force confirms."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Round = cls.env["garbage.mutual.round"]
        cls.rule = cls.env.ref("garbage_sorting.garbage_obligation_rule_mutual_inspection")
        cls.rule.action_unarchive()
        cls.units = cls._units(4, "village") | cls._units(2, "enterprise", prefix="E")
        cls.units[0].user_ids = cls.liaison
        cls.inspector = new_test_user(
            cls.env, login="gs_rhythm_inspector", groups="garbage_sorting.garbage_sorting_group_inspector"
        )

    def _prepared(self):
        return self.Round.search([("state", "=", "draft")])

    @freeze_time("2025-03-01")
    def test_job_prepares_one_round_per_two_months_for_the_task_force(self):
        self.Round._cron_prepare_round()
        mutual_round = self._prepared()
        self.assertEqual(len(mutual_round), 1)
        self.assertEqual((mutual_round.date, mutual_round.state), (date(2025, 3, 1), "draft"))
        pairs = [(pair.inspecting_unit_id, pair.unit_id) for pair in mutual_round.pair_ids]
        self.assertEqual(len(pairs), len(self.units))
        self.assertFalse([pair for pair in pairs if pair[0] == pair[1]], "no unit inspects itself")
        self.assertEqual({pair[0] for pair in pairs}, set(self.units))
        self.assertEqual({pair[1] for pair in pairs}, set(self.units))
        self.assertFalse(mutual_round.inspection_ids, "nothing to inspect before the task force confirms")
        self.assertEqual(mutual_round.activity_ids.user_id, self.manager, "the task-force head is asked to confirm")
        # Twice (or later in the same period): nothing more.
        self.Round._cron_prepare_round()
        with freeze_time("2025-04-01"):
            self.Round._cron_prepare_round()
        self.assertEqual(
            self.Round.search_count([("date", ">=", date(2025, 1, 1)), ("date", "<=", date(2025, 12, 31))]), 1
        )

    def test_no_pair_repeats_within_the_year(self):
        seen = set()
        for number in (1, 3, 5):
            with freeze_time(f"2025-{number:02d}-01"):
                self.Round._cron_prepare_round()
                mutual_round = self.Round.search([("date", "=", date(2025, number, 1))])
                mutual_round.with_user(self.manager).action_confirm()
            pairs = mutual_round._get_pairs()
            self.assertFalse(pairs & seen, "a pair of the year repeats")
            seen |= pairs
        # A new year starts afresh: the first pairing comes back.
        with freeze_time("2026-01-01"):
            self.Round._cron_prepare_round()
        first = self.Round.search([("date", "=", date(2025, 1, 1))])
        self.assertEqual(self.Round.search([("date", "=", date(2026, 1, 1))])._get_pairs(), first._get_pairs())
        # The task force cannot set a pair of the year by hand either.
        draft = self.Round.search([("date", "=", date(2026, 1, 1))])
        inspecting, inspected = next(iter(sorted(draft._get_pairs())))
        with freeze_time("2026-01-02"), self.assertRaises(ValidationError):
            self.Round.with_user(self.manager).create(
                {
                    "date": date(2026, 2, 1),
                    "pair_ids": [(0, 0, {"inspecting_unit_id": inspecting, "unit_id": inspected})],
                }
            )

    @freeze_time("2025-03-02")
    def test_task_force_confirms_through_the_action_only(self):
        self.Round._cron_prepare_round()
        mutual_round = self._prepared()
        for user in (self.liaison, self.leader, self.inspector):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                mutual_round.with_user(user).action_confirm()
            with self.assertRaises(AccessError):
                mutual_round.with_user(user).write({"state": "confirmed"})
        with self.assertRaises(AccessError):
            mutual_round.with_user(self.manager).write({"state": "confirmed"})
        self.assertEqual(mutual_round.state, "draft")
        self.assertFalse(mutual_round.inspection_ids)
        # the task force may change the pairs before confirming
        pair = mutual_round.pair_ids[0]
        self.assertIs(mutual_round.with_user(self.manager).action_confirm(), True)
        self.assertEqual(mutual_round.state, "confirmed")
        self.assertEqual(len(mutual_round.inspection_ids), len(self.units))
        self.assertEqual(
            mutual_round._get_pairs(), {(p.inspecting_unit_id.id, p.unit_id.id) for p in mutual_round.pair_ids}
        )
        self.assertTrue(all(inspection.source == "mutual" for inspection in mutual_round.inspection_ids))
        self.assertFalse(mutual_round.activity_ids, "the request to confirm is done")
        with self.assertRaises(UserError):
            mutual_round.with_user(self.manager).action_confirm()
        with self.assertRaises(UserError):
            pair.with_user(self.manager).write({"unit_id": pair.inspecting_unit_id.id})
        with self.assertRaises(UserError):
            mutual_round.with_user(self.manager).unlink()
        self.assertEqual(len(mutual_round.inspection_ids), len(self.units))

    @freeze_time("2025-05-10")
    def test_rule_counts_the_task_forces_rounds_not_the_units_inspections(self):
        """Organising the round is the task force's duty (镇专班每两月组织): a unit that no round reached owes
        nothing (see test_task_force_duties for the parts a unit skips or refuses)."""
        village = self.units[0]
        self._inspect([(village, "mutual", date(2025, 2, 20), 90)])
        Obligation = self.env["garbage.obligation"]
        jan_feb = Obligation._sync(date(2025, 1, 5), self.rule)
        self.assertEqual(
            (jan_feb.is_task_force, jan_feb.unit_id, jan_feb.date_end, jan_feb.done, jan_feb.state),
            (True, village.browse(), date(2025, 2, 28), 0, "missed"),
            "a mutual inspection outside a round is no round of the task force",
        )
        self.assertFalse(Obligation.search([("rule_id", "=", self.rule.id), ("unit_id", "!=", False)]))
        for number in (3, 4):
            self._inspect([(village, source, date(2025, number, 10), 85) for source in ("patrol", "self")])
        april = self.Period.create({"date_start": month(2025, 4)})
        april.action_compute()
        self.assertEqual(self._line(april, village).missed_count, 0)


@tagged("post_install", "-at_install")
class TestWorkPlanDeadline(AssessmentCase):
    """The annual work plan is assessed with the rest (同步部署、同步考核)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.rule = cls.env.ref("garbage_sorting.garbage_obligation_rule_work_plan")
        cls.rule.action_unarchive()
        cls.on_time, cls.late, cls.none = cls._units(3, "agency")
        cls.Obligation = cls.env["garbage.obligation"]
        Plan = cls.env["garbage.work.plan"]
        cls.plans = Plan.create([{"unit_id": unit.id, "year": 2025} for unit in (cls.on_time, cls.late)])

    def _approve(self, plan, day):
        with freeze_time(day):
            plan.with_user(self.manager).action_submit()
            plan.with_user(self.manager).action_approve()

    def _year(self):
        return {o.unit_id: o for o in self.Obligation._sync(date(2025, 2, 1), self.rule)}

    @freeze_time("2025-06-01")
    def test_plan_approved_by_the_deadline_or_missed_in_that_month(self):
        self._approve(self.plans[0], "2024-12-20")  # approved before its year: counts from 1 January
        self._approve(self.plans[1], "2025-04-02")  # after 31 March: too late
        year = self._year()
        self.assertEqual(
            (year[self.on_time].date_start, year[self.on_time].date_end), (date(2025, 1, 1), date(2025, 3, 31))
        )
        self.assertEqual(year[self.on_time].state, "met")
        self.assertEqual(year[self.late].state, "missed")
        self.assertEqual(year[self.none].state, "missed")
        # the penalty is in March's assessment, the deadline's month, not in December's
        self._month_all_sources([(unit, 85) for unit in (self.on_time, self.late, self.none)], month(2025, 3))
        march = self.Period.create({"date_start": month(2025, 3)})
        march.action_compute()
        self.assertEqual(self._line(march, self.on_time).missed_count, 0)
        self.assertEqual(self._line(march, self.late).missed_count, 1)
        self.assertEqual(self._line(march, self.late).score, 80)

    @freeze_time("2025-03-20")
    def test_deadline_from_the_settings(self):
        self.assertEqual(self._year()[self.none].state, "pending", "the deadline is not past yet")
        settings = self.env["res.config.settings"].create({"garbage_work_plan_deadline": "03-15"})
        settings.execute()
        self.assertEqual(self.env.company.garbage_work_plan_deadline, "03-15")
        year = self._year()
        self.assertEqual((year[self.none].date_end, year[self.none].state), (date(2025, 3, 15), "missed"))
        for wrong in ("31-03", "02-29", "March", "13-01"):
            with self.subTest(value=wrong), self.assertRaises(ValidationError):
                self.env["res.config.settings"].create({"garbage_work_plan_deadline": wrong})
        self.assertEqual(self.env.company.garbage_work_plan_deadline, "03-15")

    @freeze_time("2025-06-01")
    def test_reopened_plan_stops_counting_and_nobody_sets_the_counted_date(self):
        self._approve(self.plans[0], "2025-02-01")
        self.assertEqual(self._year()[self.on_time].state, "met")
        with self.assertRaises(AccessError):
            self.plans[0].with_user(self.manager).write({"date_counted": "2025-01-01"})
        self.plans[0].with_user(self.manager).action_reset_to_draft()
        self.assertEqual(self._year()[self.on_time].state, "missed")

    def test_only_yearly_rules_fall_due_on_the_deadline(self):
        with self.assertRaises(ValidationError):
            self.rule.copy({"period": "monthly"})
        with Form(self.env["garbage.obligation.rule"].with_user(self.manager)) as form:
            form.name = "Plans by the deadline"
            form.counted_model = "garbage.work.plan"
            form.date_field = "date_counted"
            form.period = "yearly"
            form.due = "work_plan_deadline"
        self.assertEqual(form.record._period_bounds(date(2025, 8, 1)), (date(2025, 1, 1), date(2025, 3, 31)))


class DemoRhythmChecks:
    """The demo's mutual rounds: every two months, every unit once, no pair twice in a year."""

    def test_demo_mutual_inspections_every_two_months_without_repeated_pairs(self):
        town = self.env.ref("base.main_company")  # the first town's rounds (the second one holds none)
        published = self.env["garbage.assessment.period"].search(
            [("state", "=", "published"), ("company_id", "=", town.id)]
        )
        self.assertTrue(published)
        inspections = self.env["garbage.inspection"].search(
            [
                ("source", "=", "mutual"),
                ("state", "=", "done"),
                ("date", ">=", min(published.mapped("date_start"))),
                ("date", "<=", max(published.mapped("date_end"))),
            ]
        )
        by_period = defaultdict(list)
        for inspection in inspections:
            by_period[period_bounds("bimonthly", inspection.date)[0]].append(inspection)
        units = self.env["garbage.unit"].search([("company_id", "=", town.id)])
        # the one part of a round a unit skipped (锦绣社区's, charged to it): in its confirmed round, not done
        skipped = self.env["garbage.inspection"].search(
            [
                ("source", "=", "mutual"),
                ("state", "=", "draft"),
                ("mutual_round_id.state", "=", "confirmed"),
                ("date", ">=", min(published.mapped("date_start"))),
                ("date", "<=", max(published.mapped("date_end"))),
            ]
        )
        self.assertEqual(skipped.inspecting_unit_id, self.env.ref("garbage_sorting.garbage_unit_jinxiu_demo"))
        for inspection in skipped:
            by_period[period_bounds("bimonthly", inspection.date)[0]].append(inspection)
        for start, done in by_period.items():
            with self.subTest(period=start):
                self.assertEqual(len({inspection.date.month for inspection in done}), 1, "one round per period")
                self.assertEqual(sorted(i.unit_id.id for i in done), sorted(units.ids), "each unit inspected once")
                self.assertEqual(len({inspection.mutual_round_id for inspection in done}), 1, "in the round")
        self.assertGreaterEqual(len(by_period), 3)
        pairs = defaultdict(list)
        for inspection in self.env["garbage.inspection"].search([("source", "=", "mutual")]):
            pairs[(inspection.date.year, inspection.inspecting_unit_id, inspection.unit_id)].append(inspection)
        self.assertFalse([key for key, found in pairs.items() if len(found) > 1], "a pair repeats within a year")


@tagged("post_install", "-at_install")
class TestDemoRhythm(DemoRhythmChecks, TransactionCase):
    pass
