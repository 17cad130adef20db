"""The year boundary is exact: a vetoed year carries no red run, a run recommends once, the ladder of later
months is never left on a stale level, a reopened month keeps the work already done, and an interview closes
only once held (or with a reason)."""

from datetime import datetime

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from .common import AssessmentCase, month

# Monday 4 November 2024, 10:00 in the town (02:00 UTC): October is published; the interview is planned for the
# leader's first free hour, Tuesday 5 November 09:00 in the town (01:00 UTC).
PUBLISHED_IN_NOVEMBER = "2024-11-04 02:00:00"
INTERVIEW_START = datetime(2024, 11, 5, 1, 0)
AFTER_THE_INTERVIEW = "2024-11-05 02:30:00"


@tagged("post_install", "-at_install")
class TestRecommendationAcrossNewYear(AssessmentCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.star, cls.other = cls._units(2, "agency")

    def _month(self, year, number, star, other=85):
        return self._publish_month(month(year, number), [(self.star, star), (self.other, other)])

    def test_a_vetoed_year_carries_no_red_run_into_january(self):
        self._month(2024, 3, 60)
        self._month(2024, 4, 60)  # grey twice: 2024 is vetoed
        for number in (10, 11, 12):
            self._month(2024, number, 95)
        last_year = self._annual(self.star, 2024)
        self.assertEqual((last_year.veto, last_year.red_streak, last_year.recommended), (True, 3, False))
        self._month(2025, 1, 95)
        annual = self._annual(self.star, 2025)
        # the red run counts from January: one red month, no recommendation
        self.assertEqual((annual.red_streak, annual.recommended), (1, False))
        self._month(2025, 2, 95)
        self.assertFalse(annual.recommended)
        march = self._month(2025, 3, 95)
        self.assertEqual((annual.red_streak, annual.recommended, annual.recommended_period_id), (3, True, march))

    def test_one_run_recommends_once_across_new_year(self):
        for number in (10, 11, 12):
            self._month(2024, number, 95)
        december = self.Period.search([("date_start", "=", month(2024, 12))])
        last_year = self._annual(self.star, 2024)
        self.assertEqual((last_year.recommended, last_year.recommended_period_id), (True, december))
        for number in (1, 2, 3):
            self._month(2025, number, 95)
        annual = self._annual(self.star, 2025)
        # the same unbroken run, six months long: it earned its recommendation in 2024
        self.assertEqual((annual.red_streak, annual.red_count, annual.recommended), (6, 3, False))
        self.assertTrue(last_year.recommended, "2024 keeps its recommendation")
        # a new run in 2025 earns 2025's
        self._month(2025, 4, 80)
        self._month(2025, 5, 95)
        self._month(2025, 6, 95)
        july = self._month(2025, 7, 95)
        self.assertEqual((annual.recommended, annual.recommended_period_id), (True, july))

    def test_a_run_unrewarded_in_its_year_earns_the_next_years_recommendation(self):
        """2024 recommends its first run (January to March); its second run (October to December) earns nothing
        in 2024, so going on into January earns 2025's: each run earns one recommendation, never none."""
        for number in (1, 2, 3):
            self._month(2024, number, 95)
        self._month(2024, 4, 80)
        for number in (10, 11, 12):
            self._month(2024, number, 95)
        march = self.Period.search([("date_start", "=", month(2024, 3))])
        self.assertEqual(self._annual(self.star, 2024).recommended_period_id, march, "a year recommends once")
        january = self._month(2025, 1, 95)
        self.assertEqual(self._annual(self.star, 2025).recommended_period_id, january)
        self._month(2025, 2, 95)
        self.assertEqual(self._annual(self.star, 2025).recommended_period_id, january, "once")

    def test_two_red_months_before_new_year_still_recommend_in_january(self):
        self._month(2024, 11, 95)
        self._month(2024, 12, 95)
        january = self._month(2025, 1, 95)
        self.assertEqual(self._annual(self.star, 2025).recommended_period_id, january)
        self.assertFalse(self._annual(self.star, 2024).recommended)

    def test_reopening_december_under_a_published_january_recounts_both_years(self):
        for number in (10, 11, 12):
            self._month(2024, number, 95)
        self._month(2025, 1, 95)
        last_year, annual = self._annual(self.star, 2024), self._annual(self.star, 2025)
        self.assertEqual((last_year.recommended, annual.recommended), (True, False))
        december = self.Period.search([("date_start", "=", month(2024, 12))])
        # another year's months do not count December's grey listings: December reopens
        december.action_reopen()
        self.assertEqual((last_year.recommended, last_year.red_streak), (False, 2))
        self.assertEqual((annual.recommended, annual.red_streak), (False, 1), "December no longer carries the run")
        december.action_compute()
        december.action_publish()
        self.assertEqual((last_year.recommended, annual.recommended, annual.red_streak), (True, False, 4))


@tagged("post_install", "-at_install")
class TestLaterMonthsFirst(AssessmentCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.grey, cls.good = cls._units(2, "community")

    def _month(self, number, grey=60):
        return self._publish_month(month(2024, number), [(self.grey, grey), (self.good, 85)])

    @staticmethod
    def _ladder(periods):
        return sorted((escalation.id, escalation.level, escalation.state) for escalation in periods.escalation_ids)

    def test_reopening_under_later_published_months_is_refused(self):
        january, february, march = self._month(1), self._month(2), self._month(3)
        months = january | february | march
        ladder = self._ladder(months)
        with self.assertRaisesRegex(UserError, "Reopen 2024-03 first"):
            february.action_reopen()
        with self.assertRaisesRegex(UserError, "Reopen 2024-03, 2024-02 first"):
            january.action_reopen()
        with self.assertRaises(AccessError):
            march.with_user(self.leader).action_reopen()
        self.assertEqual(months.mapped("state"), ["published"] * 3)
        self.assertEqual(self._ladder(months), ladder)
        self.assertFalse(months.escalation_ids.filtered("awaiting_recount"))
        # newest first, then oldest first: the ladder is the same
        march.action_reopen()
        february.action_reopen()
        february.action_compute()
        february.action_publish()
        march.action_compute()
        march.action_publish()
        self.assertEqual(self._ladder(months), ladder)

    def test_publishing_under_a_later_published_month_is_refused(self):
        self._month(1)
        self._month_all_sources([(self.grey, 60), (self.good, 85)], month(2024, 2))
        february = self.Period.create({"date_start": month(2024, 2)})
        february.action_compute()
        march = self._month(3)
        self.assertEqual((march.escalation_ids.level, march.escalation_ids.grey_count), ("2", 2))
        with self.assertRaisesRegex(UserError, "Reopen 2024-03 first"):
            february.action_publish()
        # the confirmation wizard's path is refused the same way
        wizard = (
            self.env["garbage.assessment.publish.wizard"]
            .with_user(self.manager)
            .create({"period_id": february.id, "note": "Confirmed."})
        )
        with self.assertRaisesRegex(UserError, "Reopen 2024-03 first"):
            wizard.action_confirm()
        self.assertEqual((february.state, february.escalation_ids.ids), ("computed", []))
        # March reopened, February published, March again: March's escalation moves to level 3
        march.action_reopen()
        february.action_publish()
        march.action_compute()
        march.action_publish()
        current = march.escalation_ids.filtered(lambda escalation: escalation.state != "cancel")
        self.assertEqual((current.level, current.grey_count), ("3", 3))
        withdrawn = march.escalation_ids.filtered(lambda escalation: escalation.state == "cancel")
        self.assertEqual(withdrawn.level, "2")
        self.assertIn("level is now Report to Superior Authority", withdrawn.withdrawal_reason)

    def test_another_years_later_months_do_not_hold_a_month_back(self):
        november = self._month(11)
        december = self._month(12)
        january = self._publish_month(month(2025, 1), [(self.grey, 60), (self.good, 85)])
        january_escalation = january.escalation_ids
        self.assertEqual((december.escalation_ids.level, january_escalation.level), ("2", "1"))
        with self.assertRaisesRegex(UserError, "Reopen 2024-12 first"):
            november.action_reopen()
        december.action_reopen()
        self.assertEqual((january_escalation.state, january_escalation.awaiting_recount), ("open", False))
        december.action_compute()
        december.action_publish()
        self.assertEqual(december.escalation_ids.mapped("state"), ["open"])
        self.assertEqual(january.escalation_ids, january_escalation)


@tagged("post_install", "-at_install")
class TestRepublishKeepsTheWork(AssessmentCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.grey, cls.good = cls._units(2, "village")
        cls.grey.leader_id = cls.env["res.partner"].create({"name": "Unit Leader"})

    def _month(self, number, grey=60):
        return self._publish_month(month(2024, number), [(self.grey, grey), (self.good, 85)])

    def test_a_held_interview_stays_done_and_is_not_duplicated(self):
        with freeze_time(PUBLISHED_IN_NOVEMBER):
            self._month(9)
            october = self._month(10)
        interview = october.escalation_ids
        event = interview.event_id
        with freeze_time(AFTER_THE_INTERVIEW):
            interview.with_user(self.leader).write(
                {"outcome": "<p>The head will appoint a sorting supervisor.</p>", "interview_minutes": "<p>Held.</p>"}
            )
            interview.with_user(self.leader).action_done()
            self.assertEqual(interview.state, "done")
            october.action_reopen()
            self.assertEqual((interview.state, interview.awaiting_recount, event.active), ("done", False, True))
            october.action_compute()
            october.action_publish()
        self.assertEqual(october.escalation_ids, interview, "nothing new: the interview was held")
        self.assertEqual(
            (interview.state, interview.outcome), ("done", "<p>The head will appoint a sorting supervisor.</p>")
        )
        self.assertTrue(event.active)

    def test_an_open_escalation_waits_for_the_recount_and_is_kept(self):
        self._month(9)
        october = self._month(10)
        interview = october.escalation_ids
        event = interview.event_id
        october.action_reopen()
        self.assertEqual((interview.state, interview.awaiting_recount), ("open", True))
        self.assertEqual(interview.activity_ids.user_id, self.leader)
        self.assertTrue(event.active)
        # the responsible goes on writing while the month is reopened
        interview.with_user(self.leader).interview_minutes = "<p>Draft agenda.</p>"
        # the task force sees what waits for the recount
        waiting = self.env["garbage.escalation"].with_user(self.manager).search([("awaiting_recount", "=", True)])
        self.assertEqual(waiting, interview)
        october.action_compute()
        october.action_publish()
        self.assertEqual(october.escalation_ids, interview)
        self.assertEqual((interview.state, interview.awaiting_recount, interview.event_id), ("open", False, event))
        self.assertEqual(len(interview.activity_ids), 1)
        self.assertTrue(any("Kept after the recount of 2024-10" in message.body for message in interview.message_ids))

    def test_only_an_escalation_whose_cause_is_gone_is_withdrawn(self):
        september = self._month(9)
        october = self._month(10)
        visit, interview = september.escalation_ids, october.escalation_ids
        event = interview.event_id
        visit.with_user(self.manager).write({"outcome": "<p>Visited; bins relabelled.</p>"})
        visit.with_user(self.manager).action_done()
        october.action_reopen()
        september.action_reopen()
        # September recounted: the unit's mean is no longer grey
        self._month_all_sources([(self.grey, 100)], month(2024, 9))
        september.action_compute()
        september.action_publish()
        self.assertEqual(september.escalation_ids, visit)
        self.assertEqual(visit.state, "done", "the visit was held: it stays done")
        self.assertTrue(any("The work done stays recorded" in message.body for message in visit.message_ids))
        october.action_compute()
        october.action_publish()
        # October's interview: the unit is now grey once this year, and nothing was done yet: withdrawn
        self.assertEqual((interview.state, interview.awaiting_recount), ("cancel", False))
        self.assertIn("nothing was done at this level yet", interview.withdrawal_reason)
        self.assertIn("2024-10", interview.withdrawal_reason)
        self.assertTrue(any(interview.withdrawal_reason in (message.body or "") for message in interview.message_ids))
        self.assertFalse(interview.activity_ids)
        self.assertFalse(event.active, "the withdrawn interview's meeting is archived")
        self.assertTrue(event.exists())
        new = october.escalation_ids - interview
        self.assertEqual((new.level, new.grey_count, new.state), ("1", 1, "open"))
        self.assertEqual(new.activity_ids.user_id, self.manager)
        # nobody deletes the withdrawn one, nor rewrites its reason
        with self.assertRaises(UserError):
            interview.with_user(self.manager).unlink()
        with self.assertRaises(AccessError):
            interview.with_user(self.manager).write({"withdrawal_reason": "nothing"})
        with self.assertRaises(AccessError):
            new.with_user(self.manager).write({"awaiting_recount": True})

    def test_a_done_visit_counts_and_the_higher_level_is_added(self):
        self._month(9, grey=85)
        october = self._month(10)
        visit = october.escalation_ids
        self.assertEqual(visit.level, "1")
        visit.with_user(self.manager).write({"outcome": "<p>Visited.</p>"})
        visit.with_user(self.manager).action_done()
        october.action_reopen()
        september = self.Period.search([("date_start", "=", month(2024, 9))])
        september.action_reopen()
        self._month_all_sources([(self.grey, 40)], month(2024, 9))  # September recounted grey
        september.action_compute()
        september.action_publish()
        october.action_compute()
        october.action_publish()
        self.assertEqual(visit.state, "done")
        interview = october.escalation_ids - visit
        self.assertEqual((interview.level, interview.grey_count, interview.state), ("2", 2, "open"))
        self.assertTrue(interview.event_id.active)
        self.assertEqual(len(october.escalation_ids), 2)


@tagged("post_install", "-at_install")
class TestInterviewCloses(AssessmentCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.grey, cls.good = cls._units(2, "village")
        cls.other_leader = new_test_user(
            cls.env, login="gs_leader2", groups="garbage_sorting.garbage_sorting_group_leader"
        )

    def _interview(self):
        with freeze_time(PUBLISHED_IN_NOVEMBER):
            self._publish_month(month(2024, 9), [(self.grey, 60), (self.good, 85)])
            october = self._publish_month(month(2024, 10), [(self.grey, 60), (self.good, 85)])
        interview = october.escalation_ids
        self.assertEqual((interview.level, interview.responsible_id), ("2", self.leader))
        self.assertEqual(interview.event_id.start, INTERVIEW_START)
        return interview

    def test_an_interview_closes_once_held_with_minutes(self):
        interview = self._interview()
        as_leader = interview.with_user(self.leader)
        with freeze_time(PUBLISHED_IN_NOVEMBER):
            as_leader.write({"outcome": "<p>Agreed on a supervisor.</p>", "interview_minutes": "<p>Minutes.</p>"})
            for user in (self.leader, self.manager):
                with self.assertRaisesRegex(UserError, "has not taken place yet"):
                    interview.with_user(user).action_done()
            self.assertFalse(interview.interview_held)
        with freeze_time(AFTER_THE_INTERVIEW):
            as_leader.interview_minutes = "<p><br></p>"
            for user in (self.leader, self.manager):
                with self.assertRaisesRegex(UserError, "Record the minutes"):
                    interview.with_user(user).action_done()
            as_leader.interview_minutes = "<p>The head attended with the leader in charge.</p>"
            self.assertTrue(as_leader.interview_held)
            as_leader.action_done()
        self.assertEqual(interview.state, "done")
        with self.assertRaises(UserError):
            as_leader.write({"interview_minutes": "<p>Rewritten.</p>"})

    def test_an_interview_closes_with_a_stated_reason(self):
        interview = self._interview()
        as_manager = interview.with_user(self.manager)
        with freeze_time(PUBLISHED_IN_NOVEMBER):
            as_manager.write(
                {"outcome": "<p>The head was interviewed at the county meeting.</p>", "close_reason": "  "}
            )
            with self.assertRaisesRegex(UserError, "has not taken place yet"):
                as_manager.action_done()
            as_manager.close_reason = "The head was interviewed at the county meeting on 4 November."
            as_manager.action_done()
        self.assertEqual(interview.state, "done")
        self.assertTrue(interview.event_id.active, "the meeting stays in the calendar for the leader to cancel")

    def test_an_interview_without_a_meeting_needs_a_reason(self):
        interview = self._interview()
        interview.event_id.active = False  # the leader cancelled the meeting
        as_leader = interview.with_user(self.leader)
        as_leader.outcome = "<p>Done another way.</p>"
        with self.assertRaisesRegex(UserError, "has no meeting"):
            as_leader.action_done()
        as_leader.close_reason = "The unit merged into another one."
        as_leader.action_done()
        self.assertEqual(interview.state, "done")

    def test_nothing_bypasses_the_interview_rule(self):
        interview = self._interview()
        past = self.env["calendar.event"].create(
            {"name": "Old meeting", "start": datetime(2024, 1, 5, 1), "stop": datetime(2024, 1, 5, 2)}
        )
        for user in (self.leader, self.manager):
            as_user = interview.with_user(user)
            for vals in ({"state": "done"}, {"event_id": past.id}, {"interview_held": True}):
                with self.subTest(user=user.login, vals=vals), self.assertRaises(AccessError):
                    as_user.write(vals)
        for user in (self.other_leader, self.liaison):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                interview.with_user(user).write({"close_reason": "Not mine to close."})
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                interview.with_user(user).action_done()
        self.assertEqual((interview.state, interview.close_reason), ("open", False))

    def test_a_visit_closes_with_its_outcome_alone(self):
        with freeze_time(PUBLISHED_IN_NOVEMBER):
            period = self._publish_month(month(2024, 10), [(self.grey, 60), (self.good, 85)])
        visit = period.escalation_ids.with_user(self.manager)
        visit.outcome = "<p>Visited.</p>"
        visit.action_done()
        self.assertEqual(visit.state, "done")
