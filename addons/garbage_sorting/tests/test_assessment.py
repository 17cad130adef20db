from freezegun import freeze_time
from psycopg2.errors import UniqueViolation

from odoo.exceptions import ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger

from ..models.garbage_assessment_period import assessment_params, score_units, weighted_score
from .common import AssessmentCase, month

DEFAULTS = assessment_params(lambda key, default: default)


@tagged("post_install", "-at_install")
class TestScoreRules(AssessmentCase):
    """The rules as plain functions: weights, ranks, lists and flags."""

    def test_weights_renormalised_over_present_sources(self):
        weights = DEFAULTS["weights"]
        self.assertAlmostEqual(weighted_score({"patrol": 80, "mutual": 90, "self": 100}, weights), 87.0)
        # Patrol and self only: 0.5 and 0.2 become 5/7 and 2/7.
        self.assertAlmostEqual(weighted_score({"patrol": 80, "self": 100}, weights), (80 * 0.5 + 100 * 0.2) / 0.7)
        self.assertAlmostEqual(weighted_score({"mutual": 77}, weights), 77.0)
        self.assertIsNone(weighted_score({}, weights))

    def test_ties_share_rank_and_lists(self):
        groups = dict.fromkeys("abcdef", "village_community") | {"x": "enterprise", "n": "village_community"}
        means = {
            "a": {"patrol": 95},
            "b": {"patrol": 95},
            "c": {"patrol": 92},
            "d": {"patrol": 91},  # rank 4: score is red-worthy but the rank is not
            "e": {"patrol": 70},  # 70 is not below 70: normal
            "f": {"patrol": 69.99},
            "x": {"patrol": 60},  # alone in its peer group: rank 1 but grey
        }
        results = score_units(groups, means, {}, {}, DEFAULTS)
        self.assertEqual([results[key]["rank"] for key in "abcdef"], [1, 1, 3, 4, 5, 6])
        self.assertEqual(
            [results[key]["result"] for key in "abcdef"], ["red", "red", "red", "normal", "normal", "grey"]
        )
        self.assertEqual([results[key]["red_flag"] for key in "abcdef"], [True, True, False, False, False, False])
        self.assertEqual((results["x"]["rank"], results["x"]["result"], results["x"]["red_flag"]), (1, "grey", False))
        self.assertEqual((results["n"]["rank"], results["n"]["result"]), (0, "none"))

    def test_no_red_no_flag(self):
        results = score_units({"a": "enterprise"}, {"a": {"self": 89.99}}, {}, {}, DEFAULTS)
        self.assertEqual((results["a"]["result"], results["a"]["red_flag"]), ("normal", False))

    def test_penalties_and_clamp(self):
        results = score_units(
            {"a": "enterprise", "b": "enterprise"},
            {"a": {"patrol": 100}, "b": {"patrol": 8}},
            {"a": 1, "b": 1},
            {"a": 2, "b": 3},
            DEFAULTS,
        )
        self.assertEqual(results["a"]["score"], 91.0)  # 100 - 5 - 2 × 2
        self.assertEqual(results["b"]["score"], 0.0)  # clamped, never negative


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
        best = self._line(period, v1)
        self.assertEqual((best.score, best.rank, best.result, best.red_flag), (95, 1, "red", True))
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
        # Every fifth unit is grey: publishing creates escalations and activities too.
        self._month_all_sources(
            [(unit, 60 if index % 5 == 0 else 80 + index % 15) for index, unit in enumerate(units)], when
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
