from datetime import date, datetime

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError
from odoo.tests import TransactionCase, tagged

from ..models.garbage_volunteer_duty import distance_m
from .common import setup_volunteers


@tagged("post_install", "-at_install")
class TestVolunteerDuty(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        setup_volunteers(cls)
        cls.Duty = cls.env["garbage.volunteer.duty"]
        cls.duty = cls.Duty.create(
            {
                "duty_type": "supervision",
                "site_id": cls.site.id,
                "date": date(2026, 5, 20),
                "time_start": 7,
                "time_end": 9,
                "volunteer_ids": [(6, 0, cls.volunteer.ids)],
            }
        )

    def test_unit_comes_from_site(self):
        self.assertEqual(self.duty.unit_id, self.unit)

    def test_distance(self):
        self.assertEqual(round(distance_m(30.25, 120.15, 30.25, 120.15)), 0)
        # One thousandth of a degree of latitude is about 111 m.
        self.assertAlmostEqual(distance_m(30.25, 120.15, 30.251, 120.15), 111.2, delta=0.5)

    def test_check_in_and_out_creates_hours_from_real_duration(self):
        duty = self.duty.with_user(self.portal_user)
        # 07:00 and 08:45 in the town (Asia/Shanghai, UTC+8) on the duty's day.
        with freeze_time(datetime(2026, 5, 19, 23, 0)):
            self.assertIs(duty.action_check_in(30.251, 120.15), True)
        attendance = self.duty.attendance_ids
        self.assertEqual(attendance.check_in_distance, 111)
        with freeze_time(datetime(2026, 5, 20, 0, 45)):
            self.assertIs(duty.action_check_out(None, None, persuasions=4, problems=["wrong_sorting"]), True)
        hour = attendance.hour_id
        self.assertEqual(hour.hours, 1.75)
        self.assertEqual((hour.source, hour.state, hour.duty_id), ("checkin", "submitted", self.duty))
        self.assertEqual((hour.unit_id, hour.site_id, hour.activity_type), (self.unit, self.site, "supervision"))
        self.assertFalse(attendance.check_out_distance)
        self.assertEqual(self.duty.state, "done")
        self.assertEqual(self.duty.persuasion_count, 4)
        self.assertTrue(self.duty.problem_wrong_sorting)
        self.assertFalse(self.duty.problem_littering)
        with freeze_time(datetime(2026, 5, 20, 1, 0)), self.assertRaises(UserError):
            duty.action_check_out()

    def test_check_in_refused(self):
        # Not assigned: the duty does not even exist for this volunteer.
        with freeze_time(datetime(2026, 5, 19, 23, 0)), self.assertRaises(AccessError):
            self.duty.with_user(self.other_portal_user).action_check_in()
        with freeze_time(datetime(2026, 5, 20, 23, 0)), self.assertRaises(UserError):
            self.duty.with_user(self.portal_user).action_check_in()
        with freeze_time(datetime(2026, 5, 19, 23, 0)), self.assertRaises(UserError):
            self.duty.with_user(self.portal_user).action_check_out()
        with freeze_time(datetime(2026, 5, 19, 23, 0)):
            self.duty.with_user(self.portal_user).action_check_in()
            with self.assertRaises(UserError):
                self.duty.with_user(self.portal_user).action_check_in()
        self.assertEqual(len(self.duty.attendance_ids), 1)

    def test_portal_user_sees_only_assigned_duties(self):
        other = self.Duty.create(
            {"site_id": self.site.id, "date": date(2026, 5, 20), "volunteer_ids": [(6, 0, self.other_volunteer.ids)]}
        )
        self.assertEqual(self.Duty.with_user(self.portal_user).search([]), self.duty)
        with self.assertRaises(AccessError):
            other.with_user(self.portal_user).read(["date"])

    def test_monthly_cadence_rules(self):
        supervision = self.env.ref("garbage_sorting.garbage_obligation_rule_volunteer_supervision")
        correction = self.env.ref("garbage_sorting.garbage_obligation_rule_volunteer_correction")
        rules = supervision | correction
        obligations = (
            self.env["garbage.obligation"]
            ._sync(date(2026, 5, 20), rules)
            .filtered(lambda obligation: obligation.unit_id == self.unit)
        )
        self.assertEqual(obligations.mapped("done"), [0, 0])
        self.duty.action_done()
        self.Duty.create({"duty_type": "correction", "site_id": self.site.id, "date": date(2026, 5, 3)})
        obligations = self.env["garbage.obligation"]._sync(date(2026, 5, 20), rules)
        by_rule = {o.rule_id: o for o in obligations if o.unit_id == self.unit}
        self.assertEqual(by_rule[supervision].done, 1)
        self.assertEqual(by_rule[supervision].state, "met")
        # A planned (not done) correction does not count.
        self.assertEqual(by_rule[correction].done, 0)
