from datetime import timedelta

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from ..models.garbage_guard_mixin import town_today
from .common import GarbageSortingCase, after_photo


@tagged("post_install", "-at_install")
class TestRectification(GarbageSortingCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.liaison_partner = cls.liaison.partner_id
        cls.own_unit.liaison_id = cls.liaison_partner

    @property
    def today(self):
        # the town's day: from 16:00 UTC it is already tomorrow in Asia/Shanghai
        return town_today(self.env)

    def _failed_inspection(self, failures=2, source="patrol", unit=None, day=None):
        inspection = self._inspection(unit or self.own_unit, source=source, user=self.inspector, date=day or self.today)
        for line in inspection.line_ids[:failures]:
            line.with_user(self.inspector).write({"score": line.max_score - 1, "remark": "Bin lid broken"})
        inspection.with_user(self.inspector).action_done()
        after_photo(inspection.rectification_ids)
        return inspection

    def test_each_failed_check_gives_a_rectification(self):
        self.env["res.config.settings"].create({"garbage_rectification_days": 5}).execute()
        inspection = self._failed_inspection(failures=2, day=self.today - timedelta(days=1))
        rectifications = inspection.rectification_ids
        self.assertEqual(len(rectifications), 2)
        self.assertEqual(rectifications.inspection_line_id, inspection.line_ids[:2])
        self.assertEqual(set(rectifications.mapped("state")), {"open"})
        self.assertEqual(rectifications.assignee_id, self.liaison)
        self.assertEqual(set(rectifications.mapped("deadline")), {inspection.date + timedelta(days=5)})
        self.assertEqual(rectifications.unit_id, self.own_unit)

    def test_full_marks_gives_none_and_default_deadline_is_seven_days(self):
        self.assertFalse(self._failed_inspection(failures=0).rectification_ids)
        rectification = self._failed_inspection(failures=1).rectification_ids
        self.assertEqual(rectification.deadline, self.today + timedelta(days=7))

    def test_liaison_gets_one_activity_per_new_rectification(self):
        inspection = self._failed_inspection(failures=3)
        activities = inspection.rectification_ids.activity_ids
        self.assertEqual(len(activities), 3)
        self.assertEqual(activities.user_id, self.liaison)
        # a reset and a second closing creates nothing new
        inspection.with_user(self.manager).action_reset_to_draft()
        inspection.with_user(self.manager).action_done()
        self.assertEqual(len(inspection.rectification_ids), 3)
        self.assertEqual(len(inspection.rectification_ids.activity_ids), 3)

    def test_submit_verify_loop(self):
        rectification = self._failed_inspection(failures=1).rectification_ids
        with self.assertRaises(AccessError):
            rectification.with_user(self.liaison).action_verify()
        rectification.with_user(self.liaison).action_submit()
        self.assertEqual(rectification.state, "submitted")
        with self.assertRaises(AccessError):
            rectification.with_user(self.liaison).action_verify()
        with self.assertRaises(AccessError):
            rectification.with_user(self.liaison).write({"state": "verified"})
        self.assertEqual(rectification.state, "submitted")
        rectification.with_user(self.inspector).action_verify()
        self.assertEqual(rectification.state, "verified")
        self.assertEqual(rectification.date_verified, self.today)
        self.assertFalse(rectification.activity_ids)

    def test_reject_needs_reason_and_reopens(self):
        rectification = self._failed_inspection(failures=1).rectification_ids
        rectification.with_user(self.liaison).action_submit()
        with self.assertRaises(UserError):
            rectification.with_user(self.inspector).action_reject()
        self.assertEqual(rectification.state, "submitted")
        rectification.with_user(self.inspector).reject_reason = "Kitchen bin still mixed"
        rectification.with_user(self.inspector).action_reject()
        self.assertEqual(rectification.state, "open")
        self.assertIn("Kitchen bin still mixed", rectification.message_ids[0].body)

    def test_verified_rectification_locked_except_for_manager(self):
        rectification = self._failed_inspection(failures=1).rectification_ids
        rectification.with_user(self.liaison).action_submit()
        rectification.with_user(self.inspector).action_verify()
        for user in (self.liaison, self.inspector):
            with self.assertRaises(UserError):
                rectification.with_user(user).write({"deadline": self.today + timedelta(days=30)})
        self.assertEqual(rectification.deadline, self.today + timedelta(days=7))
        with self.assertRaises(AccessError):
            rectification.with_user(self.manager).write({"state": "open", "date_verified": False})
        self.assertEqual(rectification.state, "verified")
        rectification.with_user(self.manager).write({"description": "Lids replaced"})
        self.assertEqual(rectification.description, "Lids replaced")

    def test_overdue_is_always_current(self):
        """No job to wait for: past its deadline and not verified is overdue in every list and filter, the
        same rule the monthly assessment counts (work handed in waits for its recheck: still overdue)."""
        with freeze_time(self.today - timedelta(days=10)):
            late, handed_in, verified = self._failed_inspection(failures=3).rectification_ids
        fresh = self._failed_inspection(failures=1).rectification_ids
        handed_in.with_user(self.liaison).action_submit()
        verified.with_user(self.liaison).action_submit()
        verified.with_user(self.inspector).action_verify()
        every = late | handed_in | verified | fresh
        self.assertEqual(every.mapped("is_overdue"), [True, True, False, False])
        Rectification = self.env["garbage.rectification"].with_user(self.liaison)
        self.assertEqual(Rectification.search([("id", "in", every.ids), ("is_overdue", "=", True)]), late | handed_in)
        self.assertEqual(Rectification.search([("id", "in", every.ids), ("is_overdue", "!=", True)]), verified | fresh)
        self.assertEqual(Rectification.search([("id", "in", every.ids), ("is_overdue", "=", False)]), verified | fresh)
        # the day after its deadline a fresh one is overdue without anything run
        with freeze_time(fresh.deadline + timedelta(days=1)):
            fresh.invalidate_recordset(["is_overdue"])
            self.assertTrue(fresh.is_overdue)
        late.with_user(self.manager).action_extend_deadline(self.today + timedelta(days=2), "Bins on order")
        self.assertFalse(late.is_overdue)
        # nobody sets it by hand
        with self.assertRaises(AccessError):
            late.with_user(self.manager).write({"is_overdue": True})

    def test_liaison_sees_own_units_rectifications_only(self):
        own = self._failed_inspection(failures=1).rectification_ids
        other = self._failed_inspection(failures=1, unit=self.other_unit).rectification_ids
        visible = self.env["garbage.rectification"].with_user(self.liaison).search([("id", "in", (own | other).ids)])
        self.assertEqual(visible, own)
        with self.assertRaises(AccessError):
            other.with_user(self.liaison).action_submit()
        self.assertEqual(other.state, "open")
        with self.assertRaises(AccessError):
            self.env["garbage.rectification"].with_user(self.liaison).create(
                {"name": "x", "inspection_id": own.inspection_id.id, "deadline": self.today}
            )
        for user in (self.coordinator, self.leader):
            (own | other).with_user(user).read(["state"])
            with self.assertRaises(AccessError):
                own.with_user(user).write({"description": "x"})

    def test_analysis_groups_by_unit(self):
        self._failed_inspection(failures=2)
        groups = self.env["garbage.rectification"]._read_group(
            [("unit_id", "=", self.own_unit.id)], ["unit_id", "state"], ["__count"]
        )
        self.assertEqual(groups, [(self.own_unit, "open", 2)])
