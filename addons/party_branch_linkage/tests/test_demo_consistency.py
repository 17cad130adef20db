from odoo.tests import TransactionCase, tagged


class DemoConsistencyChecks:
    """The demo town adds up: its published months are exactly what computing them again gives, with every
    cadence rule and meeting of both addons, and the story the README tells holds."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.taskforce = cls.env.ref("garbage_sorting.user_taskforce_demo")
        cls.periods = (
            cls.env["garbage.assessment.period"]
            .search([("state", "=", "published"), ("company_id", "=", cls.taskforce.company_id.id)])
            .sorted("date_start")
        )

    def _unit(self, key):
        return self.env.ref(f"garbage_sorting.garbage_unit_{key}_demo")

    def _snapshot(self):
        lines = self.periods.line_ids.sorted(lambda line: (line.period_id.date_start, line.unit_id.id))
        return [
            (line.period_id.name, line.unit_id.name, line.score, line.rank, line.result, line.red_flag)
            for line in lines
        ]

    def _annual_snapshot(self):
        records = self.env["garbage.unit.annual"].search([("year", "in", self.periods.mapped("year"))])
        return sorted(
            (r.year, r.unit_id.name, r.red_count, r.grey_count, r.flag_count, r.veto, r.recommended) for r in records
        )

    def _republish(self):
        """Reopen newest first, then compute and publish oldest first, as the task force."""
        periods = self.periods.with_user(self.taskforce)
        for period in periods.sorted("date_start", reverse=True):
            period.action_reopen()
        for period in periods:
            period.action_compute()
            if isinstance(period.action_publish(), dict):
                wizard = period.env["garbage.assessment.publish.wizard"].create(
                    {"period_id": period.id, "note": "复核演示数据：文化站本月未检查。"}
                )
                wizard.action_confirm()
        self.env.invalidate_all()

    def test_the_demo_months_are_published(self):
        """Six months, or back to last August before June (the story needs five months of one year)."""
        months = self.env["garbage.assessment.period"]._demo_months()
        self.assertEqual(self.periods.mapped("date_start"), months)
        self.assertGreaterEqual(len(months), 6)
        self.assertEqual(len(self.periods.line_ids), len(months) * 21)

    def test_recomputing_every_demo_month_changes_nothing(self):
        lines, annual = self._snapshot(), self._annual_snapshot()
        self._republish()
        after = self._snapshot()
        moved = [(old, new) for old, new in zip(lines, after, strict=True) if old != new]
        self.assertFalse(moved, "recomputing the demo months moved these lines (before, after)")
        self.assertEqual(self._annual_snapshot(), annual)

    def test_recomputing_one_month_alone_changes_nothing(self):
        for period in self.periods.with_user(self.taskforce).sorted("date_start", reverse=True):
            with self.subTest(month=period.name):
                before = [
                    (line.unit_id.id, line.score, line.rank, line.result, line.red_flag) for line in period.line_ids
                ]
                period.action_reopen()
                period.action_compute()
                self.env.invalidate_all()
                after = [
                    (line.unit_id.id, line.score, line.rank, line.result, line.red_flag) for line in period.line_ids
                ]
                self.assertEqual(sorted(after), sorted(before))

    def test_the_story_holds(self):
        year = self.periods[-1].year
        ladder_year = max(
            set(self.periods.mapped("year")), key=lambda y: len(self.periods.filtered(lambda p: p.year == y))
        )
        Annual = self.env["garbage.unit.annual"]

        def annual(key, y=ladder_year):
            return Annual.search([("unit_id", "=", self._unit(key).id), ("year", "=", y)])

        # 桃源村: red every month, recommended.
        taoyuan = self.periods.line_ids.filtered(lambda line: line.unit_id == self._unit("taoyuan"))
        self.assertEqual(set(taoyuan.mapped("result")), {"red"})
        self.assertTrue(annual("taoyuan").recommended)
        # 东港村: red three months, then grey twice: vetoed, its recommendation withdrawn.
        donggang = annual("donggang")
        self.assertGreaterEqual(donggang.red_count, 3)
        self.assertEqual(donggang.grey_count, 2)
        self.assertTrue(donggang.veto)
        self.assertFalse(donggang.recommended)
        # 新桥村: grey three months running, up to the level-3 report to the superior authority.
        xinqiao = self.env["garbage.escalation"].search([("unit_id", "=", self._unit("xinqiao").id)])
        self.assertEqual(sorted(xinqiao.mapped("level")), ["1", "2", "3"])
        # 市实验学校: grey once.
        self.assertEqual(annual("school").grey_count, 1)
        # 纺织厂 wins the enterprises' red flag.
        flags = self.periods.line_ids.filtered(lambda line: line.red_flag and line.peer_group == "enterprise")
        self.assertIn(self._unit("textile"), flags.unit_id)
        # 文化站 is not assessed last month.
        culture = self.periods[-1].line_ids.filtered(lambda line: line.unit_id == self._unit("culture"))
        self.assertFalse(culture.town_inspected)
        self.assertNotIn(culture.result, ("red", "grey"))
        self.assertTrue(self.periods[-1].publish_confirmed_by_id)
        self.assertTrue(year)


@tagged("post_install", "-at_install")
class TestDemoConsistency(DemoConsistencyChecks, TransactionCase):
    """The checks on the demo town as installed (the same checks run on other days in tests/any_day)."""
