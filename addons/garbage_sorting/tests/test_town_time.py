"""The town's date, not UTC's nor the job's: at 00:30 on the 1st in Asia/Shanghai it is 16:30 the day before in
UTC, and a scheduled job runs without a time zone of its own."""

from datetime import date

from freezegun import freeze_time

from odoo.exceptions import ValidationError
from odoo.tests import tagged

from ..models.garbage_guard_mixin import town_today
from .common import GarbageSortingCase

# 1 January 2027, 00:30 in the town; 31 December 2026, 16:30 in UTC.
NEW_YEAR_IN_TOWN = "2026-12-31 16:30:00"


@tagged("post_install", "-at_install")
class TestTownTime(GarbageSortingCase):
    def test_town_today_is_the_town_date(self):
        self.env.company.partner_id.tz = False  # no time zone on the company: the mechanism's town
        with freeze_time(NEW_YEAR_IN_TOWN):
            self.assertEqual(town_today(self.env), date(2027, 1, 1))
            self.assertEqual(town_today(self.env(context={"tz": "UTC"})), date(2027, 1, 1))
        self.env.company.partner_id.tz = "Europe/Paris"
        with freeze_time(NEW_YEAR_IN_TOWN):
            self.assertEqual(town_today(self.env), date(2026, 12, 31))

    def test_inspection_of_the_towns_new_year_is_not_in_the_future(self):
        """A job or a user without a time zone records the town's first inspection of the year at 00:30."""
        with freeze_time(NEW_YEAR_IN_TOWN):
            inspection = self._inspection(self.own_unit, date=date(2027, 1, 1))
            self.assertEqual(inspection.date, date(2027, 1, 1))
            with self.assertRaises(ValidationError), self.env.cr.savepoint():
                self._inspection(self.own_unit, date=date(2027, 1, 2))

    def test_monthly_job_creates_the_month_just_ended_in_the_town(self):
        Period = self.env["garbage.assessment.period"].with_context(tz=False)
        with freeze_time("2027-02-28 16:30:00"):  # 1 March, 00:30 in the town
            Period._cron_create_previous_month()
        self.assertTrue(Period.search([("date_start", "=", date(2027, 2, 1))]))
        self.assertFalse(Period.search([("date_start", "=", date(2027, 1, 1))]))

    def test_daily_job_opens_the_towns_new_month(self):
        Obligation = self.env["garbage.obligation"].with_context(tz=False)
        rule = self.env.ref("garbage_sorting.garbage_obligation_rule_self_inspection")
        with freeze_time("2028-02-29 16:30:00"):  # 1 March 2028, 00:30 in the town; still 29 February in UTC
            Obligation._cron_refresh()
        obligation = Obligation.search([("rule_id", "=", rule.id), ("unit_id", "=", self.own_unit.id)])
        self.assertIn(date(2028, 3, 1), obligation.mapped("date_start"))
