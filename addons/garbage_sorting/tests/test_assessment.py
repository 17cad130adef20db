from freezegun import freeze_time
from psycopg2.errors import UniqueViolation

from odoo.exceptions import ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import AssessmentCase, month


@tagged("post_install", "-at_install")
class TestScoreRules(AssessmentCase):
    """The scoring rules as the task force reads them in a computed month: weights, ranks, lists, flags."""

    def _compute_may(self, entries):
        """May 2025 computed after done inspections (unit, source, score) dated the 10th."""
        may = month(2025, 5)
        self._inspect([(unit, source, may.replace(day=10), score) for unit, source, score in entries])
        period = self.Period.create({"date_start": may})
        period.action_compute()
        return period

    # On the month's last day the self-inspection cadence is still pending: no penalty but the tested ones.
    @freeze_time("2025-05-31")
    def test_weights_renormalised_over_present_sources(self):
        every, patrol_self, mutual, none = self._units(4, "enterprise")
        period = self._compute_may(
            [
                (every, "patrol", 80),
                (every, "mutual", 90),
                (every, "self", 100),
                (patrol_self, "patrol", 80),
                (patrol_self, "self", 100),
                (mutual, "mutual", 77),
            ]
        )
        self.assertEqual(self._line(period, every).score, 87.0)
        # Patrol and self only: 0.5 and 0.2 become 5/7 and 2/7.
        line = self._line(period, patrol_self)
        self.assertEqual((line.score, line.sources), (round((80 * 0.5 + 100 * 0.2) / 0.7, 2), "patrol,self"))
        self.assertEqual(self._line(period, mutual).score, 77.0)
        line = self._line(period, none)
        self.assertEqual((line.result, line.rank, line.score, line.sources), ("none", 0, 0.0, False))

    @freeze_time("2025-05-31")
    def test_ties_share_rank_and_lists(self):
        villages = self._units(7, "village")
        enterprise = self._units(1, "enterprise", prefix="E")
        # 91 is red-worthy but ranks 4th; 70 is not below 70; the seventh village has no inspection.
        scores = [95, 95, 92, 91, 70, 69.99]
        period = self._compute_may(
            [(unit, "patrol", score) for unit, score in zip(villages[:6], scores, strict=True)]
            + [(enterprise, "patrol", 60)]
        )
        lines = [self._line(period, unit) for unit in villages[:6]]
        self.assertEqual([line.rank for line in lines], [1, 1, 3, 4, 5, 6])
        self.assertEqual([line.result for line in lines], ["red", "red", "red", "normal", "normal", "grey"])
        self.assertEqual([line.red_flag for line in lines], [True, True, False, False, False, False])
        # Alone in its peer group: first, and grey all the same.
        line = self._line(period, enterprise)
        self.assertEqual((line.rank, line.result, line.red_flag), (1, "grey", False))
        line = self._line(period, villages[6])
        self.assertEqual((line.rank, line.result, line.red_flag), (0, "none", False))

    @freeze_time("2025-05-31")
    def test_no_red_no_flag(self):
        unit = self._units(1, "enterprise")
        line = self._line(self._compute_may([(unit, "self", 89.99)]), unit)
        self.assertEqual((line.rank, line.result, line.red_flag), (1, "normal", False))

    @freeze_time("2025-07-15")
    def test_penalty_never_makes_a_score_negative(self):
        unit = self._units(1, "enterprise")
        # A low patrol and no self-inspection in May: 8 - 5 is 3, and three overdue rectifications take 6 more.
        inspection = self._inspect([(unit, "patrol", month(2025, 5).replace(day=10), 8)])
        self.env["garbage.rectification"].create(
            [{"name": name, "inspection_id": inspection.id, "deadline": month(2025, 5)} for name in "ABC"]
        )
        period = self.Period.create({"date_start": month(2025, 5)})
        period.action_compute()
        line = self._line(period, unit)
        self.assertEqual((line.missed_count, line.overdue_count, line.penalty), (1, 3, 11))
        self.assertEqual((line.base_score, line.score, line.result), (8, 0, "grey"))


@tagged("post_install", "-at_install")
class TestCompute(AssessmentCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.villages = cls._units(3, "village")
        cls.agency = cls._units(1, "agency")

    def test_score_from_done_inspections_of_the_month(self):
        v0, v1, v2 = self.villages
        may = month(2025, 5)
        self._inspect(
            [
                (v0, "patrol", may.replace(day=2), 80),
                (v0, "patrol", may.replace(day=31), 100),  # patrol mean 90
                (v0, "mutual", may.replace(day=15), 70),
                (v0, "self", may.replace(day=3), 100),
                (v0, "patrol", month(2025, 6), 0),  # next month: ignored
                (v0, "patrol", month(2025, 4).replace(day=30), 0),  # previous month: ignored
                (v1, "self", may.replace(day=3), 95),
                (self.agency, "self", may.replace(day=3), 50),
            ]
        )
        self._inspect([(v0, "mutual", may.replace(day=20), 0), (v2, "patrol", may.replace(day=20), 100)], state="draft")
        period = self.Period.create({"date_start": may})
        period.action_compute()
        self.assertEqual(period.state, "computed")
        self.assertEqual(len(period.line_ids), 4)
        line = self._line(period, v0)
        self.assertEqual((line.patrol_mean, line.mutual_mean, line.self_mean), (90, 70, 100))
        self.assertAlmostEqual(line.score, 0.5 * 90 + 0.3 * 70 + 0.2 * 100)
        self.assertEqual((line.rank, line.result), (2, "normal"))
        # First on its own self-inspection only: red needs the town's eyes, so no red list and no flag.
        best = self._line(period, v1)
        self.assertEqual((best.score, best.rank, best.result, best.red_flag), (95, 1, "normal", False))
        self.assertEqual(period.red_count, 0)
        # Draft inspections do not count: v2 has none done, so it is a gap, not a zero.
        gap = self._line(period, v2)
        self.assertEqual((gap.result, gap.rank, gap.score), ("none", 0, 0))
        self.assertEqual(period.none_count, 1)
        # Ranked within its own peer group: the lone agency is first, and grey.
        agency = self._line(period, self.agency)
        self.assertEqual((agency.rank, agency.result, agency.peer_group), (1, "grey", "agency_institution"))
        self.assertEqual(period.agency_line_ids, agency)
        self.assertEqual(len(period.village_line_ids), 3)

    @freeze_time("2025-07-15")
    def test_missed_obligation_and_overdue_rectification(self):
        v0, v1, v2 = self.villages
        june = month(2025, 6)
        # v0 and v1 skip their self-inspection (missed cadence); v2 does it.
        self._inspect([(v0, "patrol", june, 100), (v1, "patrol", june, 100), (v2, "self", june, 100)])
        patrol = self.env["garbage.inspection"].search([("unit_id", "=", v1.id), ("date", "=", june)])
        Rectification = self.env["garbage.rectification"]
        Rectification.create(
            [
                # overdue at June's end: deadline passed, never verified
                {"name": "A", "inspection_id": patrol.id, "deadline": month(2025, 6).replace(day=20)},
                # verified after the month's end: still overdue at the month's end
                {
                    "name": "B",
                    "inspection_id": patrol.id,
                    "deadline": month(2025, 6).replace(day=10),
                    "state": "verified",
                    "date_verified": month(2025, 7).replace(day=2),
                },
                # verified in time, and one whose deadline is the last day: not overdue
                {
                    "name": "C",
                    "inspection_id": patrol.id,
                    "deadline": month(2025, 6).replace(day=10),
                    "state": "verified",
                    "date_verified": month(2025, 6).replace(day=9),
                },
                {"name": "D", "inspection_id": patrol.id, "deadline": month(2025, 6).replace(day=30)},
            ]
        )
        period = self.Period.create({"date_start": june})
        period.action_compute()
        line0, line1, line2 = (self._line(period, unit) for unit in self.villages)
        self.assertEqual((line0.missed_count, line0.overdue_count, line0.score), (1, 0, 95))
        self.assertEqual((line1.missed_count, line1.overdue_count, line1.score), (1, 2, 91))
        self.assertEqual((line2.missed_count, line2.score), (0, 100))
        # The June obligations were closed as missed by the computation itself.
        obligations = self.env["garbage.obligation"].search(
            [("unit_id", "in", self.villages.ids), ("date_start", "=", june)]
        )
        self.assertEqual(sorted(obligations.mapped("state")), ["met", "missed", "missed"])
        # Verifying the open one today changes nothing for June: recomputing is idempotent.
        Rectification.search([("name", "=", "A"), ("unit_id", "=", v1.id)]).write(
            {"state": "verified", "date_verified": month(2025, 7).replace(day=15)}
        )
        fields_ = ["unit_id", "score", "rank", "result", "red_flag", "penalty", "missed_count", "overdue_count"]
        before = sorted(period.line_ids.sorted("unit_id").read(fields_), key=lambda row: row["unit_id"])
        period.action_compute()
        after = sorted(period.line_ids.sorted("unit_id").read(fields_), key=lambda row: row["unit_id"])
        self.assertEqual([dict(row, id=0) for row in before], [dict(row, id=0) for row in after])

    def test_settings_change_weights_and_thresholds(self):
        v0, v1, __ = self.villages
        march = month(2025, 3)
        self._inspect([(v0, "patrol", march, 60), (v0, "self", march, 100), (v1, "patrol", march, 85)])
        settings = self.env["res.config.settings"].create(
            {
                "garbage_weight_patrol": 1.0,
                "garbage_weight_self": 1.0,
                "garbage_red_min_score": 80.0,
                "garbage_grey_below_score": 50,
            }
        )
        settings.execute()
        period = self.Period.create({"date_start": march})
        period.action_compute()
        self.assertEqual(self._line(period, v0).score, 80.0)
        self.assertEqual(self._line(period, v1).result, "red")
        self.assertEqual(self._line(period, v0).result, "red")  # 80 ≥ 80, rank 2

    def test_one_period_per_month_starting_on_the_first(self):
        with self.assertRaises(ValidationError):
            self.Period.create({"date_start": month(2025, 2).replace(day=2)})
        self.Period.create({"date_start": month(2025, 2)})
        with self.assertRaises(UniqueViolation), mute_logger("odoo.sql_db"), self.cr.savepoint():
            self.Period.create({"date_start": month(2025, 2)})

    def test_cron_computes_previous_month_once(self):
        v0 = self.villages[0]
        self._inspect([(v0, "self", month(2025, 1).replace(day=31), 93)])
        with freeze_time("2025-02-01"):
            self.env["garbage.assessment.period"]._cron_create_previous_month()
        period = self.env["garbage.assessment.period"].search([("date_start", "=", month(2025, 1))])
        self.assertEqual(period.state, "computed")
        self.assertEqual(self._line(period, v0).score, 93)
        lines = period.line_ids
        with freeze_time("2025-02-01"):
            self.env["garbage.assessment.period"]._cron_create_previous_month()
        self.assertEqual(self.env["garbage.assessment.period"].search([("date_start", "=", month(2025, 1))]), period)
        self.assertEqual(period.line_ids, lines)
        self.assertEqual(period.state, "computed", "publishing stays a human decision")


@tagged("post_install", "-at_install")
class TestBatchQueries(AssessmentCase):
    def _run(self, count, when, prefix):
        units = self._units(count, "enterprise", prefix=prefix)
        # The earlier runs' units are inspected too (a normal month for them): a unit the town did not
        # inspect would make the publication wait for the task force's confirmation.
        earlier = self.env["garbage.unit"].search([]) - units
        # Every fifth unit is grey: publishing creates escalations and activities too.
        self._month_all_sources(
            [(unit, 60 if index % 5 == 0 else 80 + index % 15) for index, unit in enumerate(units)]
            + [(unit, 85) for unit in earlier],
            when,
        )
        period = self.Period.create({"date_start": when})
        self.env.flush_all()
        self.env.invalidate_all()
        start = self.cr.sql_log_count
        period.action_compute()
        period.action_publish()
        self.env.flush_all()
        return self.cr.sql_log_count - start, period

    def test_compute_and_publish_queries_do_not_grow_with_units(self):
        self._run(5, month(2024, 1), "W")  # warm the caches
        small, period = self._run(5, month(2024, 2), "S")
        self.assertEqual(len(period.escalation_ids), 1)
        large, period = self._run(50, month(2024, 3), "L")
        self.assertEqual(len(period.escalation_ids), 10)
        self.assertEqual(large, small, f"compute + publish: {small} queries for 5 units, {large} for 50")


@tagged("post_install", "-at_install")
class TestDistrictQueries(AssessmentCase):
    """A district of several towns: a town's month, the towns' months computed and published together and the
    daily job cost the same number of queries whatever the number of towns and of units
    (scripts/bench_assessment.py measures their time at district size)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.town_a = cls.env.company
        cls.district = cls.env["res.company"].create({"name": "District Office"})
        # the same task force and leaders in every town: each town's escalations have their responsible
        (cls.manager | cls.leader).company_ids = [(4, cls.district.id)]

    def _town(self, name):
        town = self.env["res.company"].create({"name": name, "parent_id": self.district.id})
        (self.manager | self.leader).company_ids = [(4, town.id)]
        town.write({"garbage_taskforce_head_id": self.manager.id, "garbage_town_leader_id": self.leader.id})
        town.partner_id.lang = "en_US"
        return town

    def _town_env(self, town):
        return self.env(context=dict(self.env.context, allowed_company_ids=town.ids))

    def _town_units(self, town, count, prefix):
        """`count` units of `town`, each inspected by the three sources in June 2024 (every fifth grey)."""
        env = self._town_env(town)
        units = env["garbage.unit"].create(
            [
                {"name": f"{prefix} {index}", "code": f"{prefix}-{index}", "unit_type": "enterprise"}
                for index in range(count)
            ]
        )
        inspections = env["garbage.inspection"].create(
            [
                {
                    "unit_id": unit.id,
                    "source": source,
                    "date": month(2024, 6).replace(day=10),
                    "inspecting_unit_id": False,
                    "line_ids": [(0, 0, {"name": "Overall", "max_score": 100, "score": 60 if index % 5 == 0 else 85})],
                }
                for index, unit in enumerate(units)
                for source in ("patrol", "mutual", "self")
            ]
        )
        inspections.action_done()
        # settled on the day: no overdue rectification in the month
        for rectification in env["garbage.rectification"].search([("inspection_id", "in", inspections.ids)]):
            rectification.write({"state": "verified", "date_verified": rectification.inspection_id.date})
        return units

    def _months_queries(self, towns):
        """Queries of computing and publishing June of `towns` together, as the district's towns' months."""
        periods = self.env["garbage.assessment.period"].create(
            [{"date_start": month(2024, 6), "company_id": town.id} for town in towns]
        )
        self.env.flush_all()
        self.env.invalidate_all()
        start = self.cr.sql_log_count
        periods.action_compute()
        periods.action_publish()
        self.env.flush_all()
        return self.cr.sql_log_count - start, periods

    def test_a_towns_month_costs_the_same_queries_whatever_the_towns_and_units(self):
        warm = self._town("Warm-up Town")
        self._town_units(warm, 5, "W")
        self._months_queries(warm)
        town_b = self._town("Town B")
        self._town_units(town_b, 5, "B")
        small, period = self._months_queries(town_b)
        self.assertEqual(len(period.escalation_ids), 1)
        # two more towns, the last one ten times larger
        self._town_units(self._town("Town C"), 5, "C")
        town_d = self._town("Town D")
        self._town_units(town_d, 50, "D")
        large, period = self._months_queries(town_d)
        self.assertEqual(len(period.escalation_ids), 10)
        self.assertEqual(period.line_ids.unit_id.company_id, town_d, "the town's own units only")
        self.assertEqual(large, small, f"a town's month: {small} queries for 5 units of 3 towns, {large} for 50 of 5")

    def test_the_towns_months_together_cost_the_same_queries_whatever_the_towns_and_units(self):
        warm = self._town("Warm-up Town")
        self._town_units(warm, 5, "W")
        self._months_queries(warm)
        two = self._town("Town B") | self._town("Town C")
        for index, town in enumerate(two):
            self._town_units(town, 5, f"T{index}")
        few, periods = self._months_queries(two)
        self.assertEqual(len(periods.escalation_ids), 2)
        four = self.env["res.company"].union(*(self._town(f"Town {name}") for name in "DEFG"))
        for index, town in enumerate(four):
            self._town_units(town, 50 if index == 3 else 5, f"U{index}")
        many, periods = self._months_queries(four)
        self.assertEqual(len(periods.escalation_ids), 13)
        for period in periods:
            self.assertEqual(period.line_ids.unit_id.company_id, period.company_id, "each town's own units only")
            self.assertEqual(period.escalation_ids.unit_id.company_id, period.company_id)
            self.assertEqual(period.state, "published")
        self.assertEqual(many, few, f"the towns' months: {few} queries for 2 towns of 5 units, {many} for 4 (65 units)")

    def _daily_job_queries(self):
        """The daily job's queries on its second run of the day (the first creates the periods' obligations)."""
        with freeze_time("2024-06-12 10:00:00"):
            self.env["garbage.obligation"]._cron_refresh()
            self.env.flush_all()
            self.env.invalidate_all()
            start = self.cr.sql_log_count
            self.env["garbage.obligation"]._cron_refresh()
            self.env.flush_all()
            return self.cr.sql_log_count - start

    def test_daily_job_queries_do_not_grow_with_units_nor_towns(self):
        self._town_units(self.town_a, 5, "A")
        self._daily_job_queries()  # warm the caches
        one_town = self._daily_job_queries()
        self._town_units(self._town("Town B"), 5, "B")
        two_towns = self._daily_job_queries()
        self._town_units(self._town("Town C"), 50, "C")
        three_towns = self._daily_job_queries()
        obligations = self.env["garbage.obligation"].search_count([("date_start", "=", month(2024, 6))])
        self.assertEqual(obligations, 60, "each town's units have their June obligation")
        # the towns' rules (copies of the district's) are counted together, a statement per kind of rule
        self.assertEqual(
            (two_towns, three_towns),
            (one_town, one_town),
            f"daily job: {one_town}, {two_towns}, {three_towns} queries for 1, 2 and 3 towns of 5, 5 and 50 units",
        )
