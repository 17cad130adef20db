"""A grey-list interview is held by its meeting's date passing: nobody but the engine and the task force moves,
archives or deletes the meeting of an escalation, and nobody moves its end into the past. Every other calendar
event is Odoo's as before."""

from datetime import datetime

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from .common import AssessmentCase, month

# Monday 4 November 2024, 10:00 in the town: October is published; the interview is planned for Tuesday
# 5 November 09:00 in the town (01:00 UTC).
PUBLISHED_IN_NOVEMBER = "2024-11-04 02:00:00"
INTERVIEW_START = datetime(2024, 11, 5, 1, 0)
INTERVIEW_STOP = datetime(2024, 11, 5, 2, 0)
AFTER_THE_INTERVIEW = "2024-11-05 02:30:00"


@tagged("post_install", "-at_install")
class TestInterviewMeetingGuard(AssessmentCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.grey, cls.good = cls._units(2, "village")
        cls.grey.user_ids = cls.liaison  # the grey unit's own liaison
        cls.employee = new_test_user(cls.env, login="gs_employee", groups="base.group_user")
        with freeze_time(PUBLISHED_IN_NOVEMBER):
            cls._publish_month(cls, month(2024, 9), [(cls.grey, 60), (cls.good, 85)])
            october = cls._publish_month(cls, month(2024, 10), [(cls.grey, 60), (cls.good, 85)])
        cls.interview = october.escalation_ids
        cls.event = cls.interview.event_id
        assert cls.interview.level == "2" and cls.event.start == INTERVIEW_START

    def _unchanged(self):
        self.event.invalidate_recordset()
        self.assertEqual(
            (self.event.start, self.event.stop, self.event.active), (INTERVIEW_START, INTERVIEW_STOP, True)
        )
        self.assertTrue(self.event.exists())

    def _assert_not_into_the_past(self, event, vals):
        """`vals` written on `event` is refused with the message on an end in the past (savepoint: nothing kept)."""
        with self.assertRaises(UserError) as caught:
            event.write(vals)
        self.assertIn("cannot end in the past", str(caught.exception))

    def test_nobody_but_the_task_force_moves_archives_or_deletes_the_meeting(self):
        changes = (
            {"start": datetime(2024, 11, 4, 0, 0), "stop": datetime(2024, 11, 4, 1, 0)},  # into the past
            {"start": datetime(2024, 11, 12, 1, 0), "stop": datetime(2024, 11, 12, 2, 0)},  # a week later
            {"stop": datetime(2024, 11, 5, 3, 0)},
            {"duration": 0.25},
            {"allday": True},
            {"active": False},
        )
        with freeze_time(PUBLISHED_IN_NOVEMBER):
            for user in (self.leader, self.liaison, self.employee):
                event = self.event.with_user(user)
                for vals in changes:
                    with self.subTest(user=user.login, vals=vals), self.assertRaises(AccessError):
                        event.write(vals)
                with self.subTest(user=user.login), self.assertRaises(AccessError):
                    event.action_archive()
                with self.subTest(user=user.login), self.assertRaises(AccessError):
                    event.unlink()
        self._unchanged()

    def test_the_leader_cannot_fake_a_held_interview(self):
        as_leader = self.interview.with_user(self.leader)
        with freeze_time(PUBLISHED_IN_NOVEMBER):
            with self.assertRaises(AccessError):
                self.event.with_user(self.leader).write(
                    {"start": datetime(2024, 11, 4, 0, 0), "stop": datetime(2024, 11, 4, 1, 0)}
                )
            # the minutes stay the leader's to write
            as_leader.write({"outcome": "<p>Agreed.</p>", "interview_minutes": "<p>Minutes.</p>"})
            self.assertFalse(as_leader.interview_held)
            with self.assertRaisesRegex(UserError, "has not taken place yet"):
                as_leader.action_done()
        self.assertEqual(self.interview.state, "open")
        self._unchanged()

    def test_the_task_force_moves_it_forward_but_never_into_the_past(self):
        as_manager = self.event.with_user(self.manager)
        admin = self.env.ref("base.user_admin")
        with freeze_time(PUBLISHED_IN_NOVEMBER):
            for user in (self.manager, admin):
                for vals in (
                    {"start": datetime(2024, 11, 4, 0, 0), "stop": datetime(2024, 11, 4, 1, 0)},
                    {"start": datetime(2024, 11, 3, 1, 0)},  # the end follows the start
                    {"allday": True, "start_date": "2024-11-01", "stop_date": "2024-11-01"},
                ):
                    with self.subTest(user=user.login, vals=vals):
                        self._assert_not_into_the_past(self.event.with_user(user), vals)
            self._unchanged()
            as_manager.write({"start": datetime(2024, 11, 12, 1, 0), "stop": datetime(2024, 11, 12, 2, 0)})
        self.assertEqual(self.interview.interview_start, datetime(2024, 11, 12, 1, 0))
        with freeze_time(AFTER_THE_INTERVIEW):
            self.interview.with_user(self.leader).interview_minutes = "<p>Minutes.</p>"
            self.assertFalse(self.interview.interview_held, "moved to next week: not held yet")
        # once held, its end is not moved back into the past either (another past hour)
        with freeze_time("2024-11-12 03:00:00"):
            self.interview.invalidate_recordset(["interview_held"])  # it depends on the time
            self.assertTrue(self.interview.interview_held)
            self._assert_not_into_the_past(
                as_manager, {"start": datetime(2024, 11, 11, 1, 0), "stop": datetime(2024, 11, 11, 2, 0)}
            )
            self.assertEqual(self.event.stop, datetime(2024, 11, 12, 2, 0))
            as_manager.action_archive()
        self.assertFalse(self.event.active)
        self.interview.invalidate_recordset(["interview_held"])
        self.assertFalse(self.interview.interview_held)

    def test_the_task_force_deletes_it(self):
        self.event.with_user(self.manager).unlink()
        self.assertFalse(self.interview.event_id)

    def test_other_events_are_odoos_as_before(self):
        event = (
            self.env["calendar.event"]
            .with_user(self.employee)
            .create({"name": "Team lunch", "start": datetime(2024, 11, 6, 4), "stop": datetime(2024, 11, 6, 5)})
        )
        # the interview's name and description are no more guarded than before
        self.event.with_user(self.employee).write({"description": "<p>Bring the sorting figures.</p>"})
        with freeze_time(PUBLISHED_IN_NOVEMBER):
            for user in (self.employee, self.liaison, self.leader):
                event.with_user(user).write({"start": datetime(2024, 11, 1, 4), "stop": datetime(2024, 11, 1, 5)})
                event.with_user(user).write({"active": False})
                event.with_user(user).write({"active": True})
            event.with_user(self.liaison).unlink()
        self.assertFalse(event.exists())
