from datetime import date

from freezegun import freeze_time

from odoo.tests import tagged

from ..models.garbage_obligation_rule import period_bounds
from .common import AssessmentCase, month


@tagged("post_install", "-at_install")
class TestPeriodBounds(AssessmentCase):
    def test_calendar_aligned_periods(self):
        cases = [
            ("monthly", date(2024, 2, 15), date(2024, 2, 1), date(2024, 2, 29)),  # leap February
            ("monthly", date(2025, 12, 31), date(2025, 12, 1), date(2025, 12, 31)),
            ("bimonthly", date(2025, 2, 28), date(2025, 1, 1), date(2025, 2, 28)),
            ("bimonthly", date(2025, 3, 1), date(2025, 3, 1), date(2025, 4, 30)),
            ("bimonthly", date(2025, 12, 5), date(2025, 11, 1), date(2025, 12, 31)),
            ("quarterly", date(2025, 3, 31), date(2025, 1, 1), date(2025, 3, 31)),
            ("quarterly", date(2025, 4, 1), date(2025, 4, 1), date(2025, 6, 30)),
            ("quarterly", date(2025, 11, 30), date(2025, 10, 1), date(2025, 12, 31)),
            ("yearly", date(2025, 7, 4), date(2025, 1, 1), date(2025, 12, 31)),
        ]
        for period, day, start, end in cases:
            with self.subTest(period=period, day=day):
                self.assertEqual(period_bounds(period, day), (start, end))


@tagged("post_install", "-at_install")
class TestObligations(AssessmentCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Obligation = cls.env["garbage.obligation"]
        cls.rule = cls.env.ref("garbage_sorting.garbage_obligation_rule_self_inspection")
        cls.village, cls.agency = cls._units(1, "village") | cls._units(1, "agency", prefix="A")
        liaison_partner = cls.liaison.partner_id
        cls.village.write({"liaison_id": liaison_partner.id, "user_ids": [(4, cls.liaison.id)]})
        cls.quarterly = cls.env["garbage.obligation.rule"].create(
            {
                "name": "Quarterly patrol",
                "model_id": cls.env["ir.model"]._get_id("garbage.inspection"),
                "domain": "[('source', '=', 'patrol'), ('state', '=', 'done')]",
                "unit_domain": "[('unit_type', '=', 'village')]",
                "period": "quarterly",
                "min_count": 1,
            }
        )

    def _of(self, unit, rule, start):
        return self.Obligation.search(
            [("unit_id", "=", unit.id), ("rule_id", "=", rule.id), ("date_start", "=", start)]
        )

    @freeze_time("2025-05-20")
    def test_sync_is_idempotent_and_counts(self):
        self._inspect([(self.village, "self", date(2025, 5, 3), 90), (self.village, "self", date(2025, 5, 9), 90)])
        self._inspect([(self.agency, "self", date(2025, 5, 3), 90)], state="draft")
        first = self.Obligation._sync(date(2025, 5, 20))
        village = self._of(self.village, self.rule, month(2025, 5))
        agency = self._of(self.agency, self.rule, month(2025, 5))
        self.assertEqual((village.done, village.state, village.date_end), (2, "met", date(2025, 5, 31)))
        self.assertEqual((agency.done, agency.state, agency.shortfall), (0, "pending", 1))
        # Only villages carry the quarterly rule.
        self.assertTrue(self._of(self.village, self.quarterly, month(2025, 4)))
        self.assertFalse(self._of(self.agency, self.quarterly, month(2025, 4)))
        count = self.Obligation.search_count([])
        second = self.Obligation._sync(date(2025, 5, 1))
        self.assertEqual(second, first)
        self.assertEqual(self.Obligation.search_count([]), count)
        self.assertEqual((village.done, village.state), (2, "met"))

    def test_missed_once_the_period_is_over(self):
        with freeze_time("2025-05-31"):
            self.Obligation._sync(date(2025, 5, 31))
        obligation = self._of(self.agency, self.rule, month(2025, 5))
        self.assertEqual(obligation.state, "pending")
        with freeze_time("2025-06-01"):
            self.Obligation._cron_refresh()
        self.assertEqual(obligation.state, "missed")
        self.assertTrue(self._of(self.agency, self.rule, month(2025, 6)), "the new month is opened")
        # A late self-inspection dated in May still counts when May is synced again.
        with freeze_time("2025-06-02"):
            self._inspect([(self.agency, "self", date(2025, 5, 30), 90)])
            self.Obligation._cron_refresh()
            self.Obligation._sync(date(2025, 5, 1))
        self.assertEqual(obligation.state, "met")

    def test_rule_period_change_moves_the_period_end(self):
        with freeze_time("2025-01-10"):
            self.Obligation._sync(date(2025, 1, 10), self.rule)
            obligation = self._of(self.village, self.rule, month(2025, 1))
            self.rule.period = "quarterly"
            self.Obligation._sync(date(2025, 1, 10), self.rule)
        self.assertEqual(obligation.date_end, date(2025, 3, 31))

    def _reminders(self, unit):
        obligations = self.Obligation.search([("unit_id", "=", unit.id)])
        return obligations.activity_ids

    def test_one_reminder_in_the_last_days(self):
        with freeze_time("2025-05-20"):  # 11 days before the end: too early
            self.Obligation._cron_refresh()
        self.assertFalse(self._reminders(self.village))
        with freeze_time("2025-05-21"):  # 10 days before the end
            self.Obligation._cron_refresh()
            self.Obligation._cron_refresh()
        reminders = self._reminders(self.village).filtered(
            lambda a: a.res_id == self._of(self.village, self.rule, month(2025, 5)).id
        )
        self.assertEqual(len(reminders), 1)
        self.assertEqual(reminders.user_id, self.liaison)
        self.assertEqual(reminders.date_deadline, date(2025, 5, 31))
        self.assertTrue(self._of(self.village, self.rule, month(2025, 5)).reminded)
        # Done with it and reminded again the next day? Never.
        reminders.unlink()
        with freeze_time("2025-05-22"):
            self.Obligation._cron_refresh()
        self.assertFalse(
            self._reminders(self.village).filtered(
                lambda a: a.res_id == self._of(self.village, self.rule, month(2025, 5)).id
            )
        )

    def test_met_obligation_is_not_reminded(self):
        with freeze_time("2025-05-25"):
            self._inspect([(self.village, "self", date(2025, 5, 3), 90)])
            self.Obligation._cron_refresh()
        self.assertFalse(self._of(self.village, self.rule, month(2025, 5)).activity_ids)

    def test_reminder_days_from_settings(self):
        self.env["res.config.settings"].create({"garbage_obligation_reminder_days": 20}).execute()
        with freeze_time("2025-05-11"):  # 20 days before the end of May
            self.Obligation._cron_refresh()
        self.assertEqual(len(self._of(self.village, self.rule, month(2025, 5)).activity_ids), 1)

    def test_unit_without_liaison_reminds_the_task_force_head(self):
        """A reminder never goes nowhere: without a liaison (nor anyone acting for the unit), the task force's
        head is reminded; once reminded, naming a liaison reminds nobody twice."""
        with freeze_time("2025-05-25"):
            self.Obligation._cron_refresh()
        obligation = self._of(self.agency, self.rule, month(2025, 5))
        self.assertEqual(obligation.activity_ids.user_id, self.manager)
        self.assertTrue(obligation.reminded)
        self.agency.user_ids = self.liaison
        with freeze_time("2025-05-26"):
            self.Obligation._cron_refresh()
        self.assertEqual(obligation.activity_ids.user_id, self.manager)

    @freeze_time("2025-07-05")
    def test_missed_quarter_counts_in_its_last_month(self):
        # Self-inspections every month (the monthly rule is met) but no patrol in Q2: quarterly missed.
        self._inspect([(self.village, "self", month(2025, number), 100) for number in (4, 5, 6)])
        scores = {}
        for number in (4, 5, 6):
            period = self.Period.create({"date_start": month(2025, number)})
            period.action_compute()
            scores[number] = self._line(period, self.village)
        self.assertEqual([scores[n].missed_count for n in (4, 5, 6)], [0, 0, 1])
        self.assertEqual([scores[n].score for n in (4, 5, 6)], [100, 100, 95])
