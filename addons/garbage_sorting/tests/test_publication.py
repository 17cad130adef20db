from datetime import date

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, new_test_user, tagged

from .common import AssessmentCase, month


@tagged("post_install", "-at_install")
class TestGreyLadder(AssessmentCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.grey, cls.good = cls._units(2, "community")
        cls.grey.leader_id = cls.env["res.partner"].create({"name": "Unit Leader"})

    def _escalation(self, period, unit=None):
        return period.escalation_ids.filtered(lambda escalation: escalation.unit_id == (unit or self.grey))

    def test_ladder_levels_and_their_work(self):
        first = self._publish_month(month(2024, 4), [(self.grey, 65), (self.good, 85)])
        escalation = self._escalation(first)
        self.assertEqual((escalation.level, escalation.grey_count, escalation.state), ("1", 1, "open"))
        self.assertEqual(escalation.responsible_id, self.manager)
        self.assertEqual(escalation.activity_ids.user_id, self.manager)
        self.assertFalse(self._escalation(first, self.good))
        # A normal month in between does not reset the count: it is the year's grey listings.
        self._publish_month(month(2024, 5), [(self.grey, 75), (self.good, 85)])
        second = self._publish_month(month(2024, 6), [(self.grey, 60), (self.good, 85)])
        escalation = self._escalation(second)
        self.assertEqual((escalation.level, escalation.grey_count), ("2", 2))
        self.assertEqual(escalation.responsible_id, self.leader)
        self.assertEqual(escalation.activity_ids.user_id, self.leader)
        self.assertEqual(escalation.event_id.user_id, self.leader)
        self.assertIn(self.grey.leader_id, escalation.event_id.partner_ids)
        third = self._publish_month(month(2024, 7), [(self.grey, 50), (self.good, 85)])
        fourth = self._publish_month(month(2024, 8), [(self.grey, 50), (self.good, 85)])
        for period, count in ((third, 3), (fourth, 4)):
            escalation = self._escalation(period)
            self.assertEqual((escalation.level, escalation.grey_count), ("3", count))
            self.assertEqual(escalation.responsible_id, self.manager)
            attachment = escalation.report_attachment_id
            self.assertEqual((attachment.res_model, attachment.res_id), ("garbage.escalation", escalation.id))
            self.assertTrue(attachment.raw)
        annual = self._annual(self.grey, 2024)
        self.assertEqual((annual.grey_count, annual.veto, annual.red_count), (4, True, 0))
        self.assertEqual(self.grey.annual_ids, annual)

    def test_responsible_sees_the_escalation_in_activities_and_follows_it(self):
        self.manager.tz = "Asia/Shanghai"
        with freeze_time("2024-05-02"):
            period = self._publish_month(month(2024, 4), [(self.grey, 65), (self.good, 85)])
        escalation = self._escalation(period)
        self.assertEqual(escalation.name, f"2024-04 · {self.grey.name} · Visit and Guidance")
        activity = escalation.activity_ids
        self.assertEqual(
            (activity.summary, activity.res_name, activity.user_tz, activity.date_deadline, activity.activity_type_id),
            (
                "Visit the unit and guide its waste sorting",
                escalation.name,
                "Asia/Shanghai",
                date(2024, 5, 16),
                self.env.ref("mail.mail_activity_data_todo"),
            ),
        )
        # In the responsible's activity menu, and following the escalation with the default subtypes.
        groups = {group["model"]: group for group in self.manager.with_user(self.manager)._get_activity_groups()}
        self.assertEqual(groups["garbage.escalation"]["total_count"], 1)
        self.assertEqual(escalation.message_partner_ids, self.manager.partner_id)
        self.assertIn(self.env.ref("mail.mt_comment"), escalation.message_follower_ids.subtype_ids)

    def test_grey_count_restarts_in_january(self):
        self._publish_month(month(2024, 11), [(self.grey, 60), (self.good, 85)])
        december = self._publish_month(month(2024, 12), [(self.grey, 60), (self.good, 85)])
        self.assertEqual(self._escalation(december).level, "2")
        january = self._publish_month(month(2025, 1), [(self.grey, 60), (self.good, 85)])
        escalation = self._escalation(january)
        self.assertEqual((escalation.level, escalation.grey_count), ("1", 1))
        self.assertEqual(self._annual(self.grey, 2024).grey_count, 2)
        self.assertTrue(self._annual(self.grey, 2024).veto)
        self.assertEqual(self._annual(self.grey, 2025).grey_count, 1)
        self.assertFalse(self._annual(self.grey, 2025).veto)

    def test_default_responsibles_without_settings(self):
        self.env.company.write({"garbage_taskforce_head_id": False, "garbage_town_leader_id": False})
        Escalation = self.env["garbage.escalation"]
        manager_group = self.env.ref("garbage_sorting.garbage_sorting_group_manager")
        leader_group = self.env.ref("garbage_sorting.garbage_sorting_group_leader")
        in_town = manager_group.users.filtered(lambda user: user.active and self.env.company in user.company_ids)
        self.assertEqual(Escalation._get_taskforce_head(), in_town.sorted("id")[:1])
        in_town = leader_group.users.filtered(lambda user: user.active and self.env.company in user.company_ids)
        self.assertEqual(Escalation._get_town_leader(), in_town.sorted("id")[:1])

    def test_responsibles_from_settings(self):
        head = new_test_user(self.env, login="gs_head2", groups="garbage_sorting.garbage_sorting_group_manager")
        self.env["res.config.settings"].create({"garbage_taskforce_head_id": head.id}).execute()
        period = self._publish_month(month(2024, 4), [(self.grey, 65), (self.good, 85)])
        self.assertEqual(self._escalation(period).responsible_id, head)
        self.assertEqual(self._escalation(period).activity_ids.user_id, head)

    def test_period_form_and_unit_smart_buttons(self):
        self._month_all_sources([(self.grey, 65), (self.good, 95)], month(2024, 4))
        with Form(self.Period) as form:
            form.date_start = month(2024, 4)
        period = form.record
        self.assertEqual((period.name, period.date_end, period.state), ("2024-04", date(2024, 4, 30), "draft"))
        period.action_compute()
        self.assertEqual((period.red_count, period.grey_count, period.none_count), (1, 1, 0))
        self.assertEqual(len(period.village_line_ids), 2)
        period.action_publish()
        self.assertEqual((period.escalation_count, self.grey.escalation_count, self.grey.assessment_count), (1, 1, 1))
        action = self.grey.action_view_assessments()
        self.assertEqual(self.env["garbage.assessment"].search(action["domain"]).period_id, period)

    def test_escalation_needs_outcome_to_close(self):
        period = self._publish_month(month(2024, 4), [(self.grey, 65), (self.good, 85)])
        escalation = self._escalation(period).with_user(self.manager)
        with self.assertRaises(UserError):
            escalation.action_done()
        self.assertEqual(escalation.state, "open")
        escalation.outcome = "<p>Visited with the liaison; bins relabelled.</p>"
        escalation.action_done()
        self.assertEqual(escalation.state, "done")
        self.assertFalse(escalation.activity_ids)
        self.env.cr.precommit.run()  # tracking is written when the transaction commits
        self.assertTrue(escalation.sudo().message_ids.tracking_value_ids, "state changes are tracked")


@tagged("post_install", "-at_install")
class TestPublishOnce(AssessmentCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.grey, cls.red = cls._units(2, "enterprise")

    def _consequences(self, period):
        open_escalations = period.escalation_ids.filtered(lambda e: e.state == "open")
        annual = self._annual(self.grey, period.year)
        return (
            sorted((e.unit_id.id, e.level, e.grey_count) for e in open_escalations),
            len(open_escalations.activity_ids),
            (annual.grey_count, annual.veto),
        )

    def test_double_publish_raises_and_creates_nothing(self):
        self._publish_month(month(2024, 9), [(self.grey, 60), (self.red, 95)])
        period = self._publish_month(month(2024, 10), [(self.grey, 60), (self.red, 95)])
        before = self._consequences(period)
        with self.assertRaises(UserError):
            period.action_publish()
        self.assertEqual(self._consequences(period), before)
        self.assertEqual(len(period.escalation_ids), 1)

    def test_reopen_then_publish_gives_the_same_consequences_once(self):
        self._publish_month(month(2024, 9), [(self.grey, 60), (self.red, 95)])
        period = self._publish_month(month(2024, 10), [(self.grey, 60), (self.red, 95)])
        published = self._consequences(period)
        self.assertEqual(published[0], [(self.grey.id, "2", 2)])
        self.assertEqual(published[2], (2, True))
        event = period.escalation_ids.event_id
        self.assertTrue(event)

        period.action_reopen()
        self.assertEqual(period.state, "computed")
        escalation = period.escalation_ids
        # The escalation stays open with its activity and its meeting, awaiting the recount.
        self.assertEqual((escalation.state, escalation.awaiting_recount), ("open", True))
        self.assertEqual(len(escalation.activity_ids), 1)
        self.assertTrue(event.active, "the interview meeting waits for the recount too")
        self.assertTrue(any("awaiting the recount" in message.body for message in escalation.message_ids))
        self.assertEqual(self._annual(self.grey, 2024).grey_count, 1)
        self.assertFalse(self._annual(self.grey, 2024).veto)
        with self.assertRaises(UserError):
            period.action_reopen()

        period.action_compute()
        period.action_publish()
        self.assertEqual(self._consequences(period), published)
        # the same escalation, kept: nothing withdrawn, nothing created twice
        self.assertEqual(period.escalation_ids, escalation)
        self.assertEqual((escalation.state, escalation.awaiting_recount, escalation.event_id), ("open", False, event))

    def test_published_period_and_lines_are_locked(self):
        period = self._publish_month(month(2024, 9), [(self.grey, 60), (self.red, 95)])
        line = self._line(period, self.red)
        for env in (self.env, period.with_user(self.manager).env):
            with self.assertRaises(UserError):
                line.with_env(env).write({"score": 10})
            with self.assertRaises(UserError):
                line.with_env(env).unlink()
            with self.assertRaises(UserError):
                period.with_env(env).write({"date_start": month(2024, 8)})
            with self.assertRaises(UserError):
                period.with_env(env).unlink()
            with self.assertRaises(UserError):
                period.with_env(env).action_compute()
        self.assertEqual((line.score, period.date_start, period.state), (95, month(2024, 9), "published"))

    def test_publish_needs_a_computed_period(self):
        period = self.Period.create({"date_start": month(2024, 9)})
        with self.assertRaises(UserError):
            period.action_publish()
        self.assertEqual(period.state, "draft")


@tagged("post_install", "-at_install")
class TestAnnualRecord(AssessmentCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.star, cls.other, cls.third = cls._units(3, "agency")

    def _month(self, number, star, other=85, third=80):
        return self._publish_month(month(2024, number), [(self.star, star), (self.other, other), (self.third, third)])

    def test_three_red_months_in_a_row_recommend_once(self):
        self._month(1, 95)
        self._month(2, 95)
        annual = self._annual(self.star, 2024)
        self.assertEqual((annual.red_streak, annual.recommended), (2, False))
        third = self._month(3, 95)
        self.assertEqual((annual.red_count, annual.red_streak, annual.flag_count, annual.recommended), (3, 3, 3, True))
        self.assertEqual(annual.recommended_period_id, third)
        self._month(4, 80)  # the run breaks; the recommendation stays
        self._month(5, 95)
        self._month(6, 95)
        self._month(7, 95)  # a second run of three: still one recommendation, from March
        self.assertEqual((annual.red_streak, annual.longest_red_streak, annual.red_count), (3, 3, 6))
        self.assertEqual(annual.recommended_period_id, third)
        self.assertEqual(self.env["garbage.unit.annual"].search_count([("unit_id", "=", self.star.id)]), 1)

    def test_annual_record_follows_the_unit_type(self):
        self._month(1, 95)
        annual = self._annual(self.star, 2024)
        self.assertEqual((annual.unit_type, annual.peer_group), ("agency", "agency_institution"))
        self.star.unit_type = "enterprise"  # an agency turned into a company: the next publication says so
        self._month(2, 95)
        self.assertEqual((annual.unit_type, annual.peer_group), ("enterprise", "enterprise"))

    def test_unpublished_month_breaks_the_run(self):
        self._month(1, 95)
        self._month(2, 95)
        # March is computed but not published; April and May are red.
        self._month_all_sources([(self.star, 95), (self.other, 85), (self.third, 80)], month(2024, 3))
        self.Period.create({"date_start": month(2024, 3)}).action_compute()
        self._month(4, 95)
        self._month(5, 95)
        annual = self._annual(self.star, 2024)
        self.assertEqual((annual.red_count, annual.longest_red_streak, annual.recommended), (4, 2, False))

    def test_veto_blocks_then_withdraws_recommendation(self):
        # The veto first: grey twice, then three red months never recommend.
        self._month(1, 60)
        self._month(2, 60)
        self._month(3, 95)
        self._month(4, 95)
        self._month(5, 95)
        annual = self._annual(self.star, 2024)
        self.assertEqual((annual.veto, annual.red_streak, annual.recommended), (True, 3, False))

        # Another unit is recommended first and vetoed later in the year: the veto withdraws it.
        self.assertTrue(self._annual(self.other, 2024).grey_count == 0)
        for number in (6, 7, 8):
            self._month(number, 80, other=96)
        other = self._annual(self.other, 2024)
        self.assertTrue(other.recommended)
        self._month(9, 80, other=50)
        self.assertTrue(other.recommended, "one grey listing is no veto")
        october = self._month(10, 80, other=50)
        self.assertEqual((other.veto, other.recommended), (True, False))
        self.assertFalse(other.recommended_period_id)
        # Reopening October lifts the veto: the recommendation comes back.
        october.action_reopen()
        self.assertEqual((other.veto, other.recommended), (False, True))

    def _across(self, year, number, star, other=85, third=80):
        return self._publish_month(month(year, number), [(self.star, star), (self.other, other), (self.third, third)])

    def test_red_november_december_january_recommend_in_january(self):
        self._across(2024, 11, 95, other=60)
        self._across(2024, 12, 95)
        last_year = self._annual(self.star, 2024)
        self.assertEqual((last_year.red_count, last_year.red_streak, last_year.recommended), (2, 2, False))
        january = self._across(2025, 1, 95, other=60)
        annual = self._annual(self.star, 2025)
        # three consecutive months across New Year: recommended in the year of the third
        self.assertEqual((annual.red_count, annual.red_streak, annual.recommended), (1, 3, True))
        self.assertEqual(annual.recommended_period_id, january)
        self.assertFalse(last_year.recommended, "the recommendation belongs to the year of the third red month")
        # grey counts stay per calendar year: grey in November and January is no veto
        other_2024, other_2025 = self._annual(self.other, 2024), self._annual(self.other, 2025)
        self.assertEqual((other_2024.grey_count, other_2024.veto), (1, False))
        self.assertEqual((other_2025.grey_count, other_2025.veto), (1, False))

    def test_vetoed_year_still_blocks_a_run_across_new_year(self):
        self._across(2024, 11, 95)
        self._across(2024, 12, 95)
        self._across(2025, 1, 95)
        annual = self._annual(self.star, 2025)
        self.assertTrue(annual.recommended)
        self._across(2025, 2, 60)
        self._across(2025, 3, 60)
        self.assertEqual((annual.grey_count, annual.veto, annual.recommended), (2, True, False))
        self.assertFalse(annual.recommended_period_id)
        self.assertFalse(self._annual(self.star, 2024).veto, "the veto is the year's own")


@tagged("post_install", "-at_install")
class TestAssessmentAccess(AssessmentCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.own, cls.foreign = cls._units(2, "village")
        cls.own.user_ids = cls.liaison
        cls.period = cls.env["garbage.assessment.period"].create({"date_start": month(2024, 2)})
        cls._month_all_sources([(cls.own, 60), (cls.foreign, 95)], month(2024, 2))
        cls.period.action_compute()

    def test_only_managers_publish_and_reopen(self):
        for user in (self.leader, self.liaison):
            with self.assertRaises(AccessError):
                self.period.with_user(user).action_publish()
            with self.assertRaises(AccessError):
                self.period.with_user(user).action_compute()
            with self.assertRaises(AccessError):
                self.env["garbage.assessment.period"].with_user(user).create({"date_start": month(2024, 3)})
        self.assertEqual(self.period.state, "computed")
        self.assertFalse(self.period.escalation_ids)
        self.period.with_user(self.manager).action_publish()
        with self.assertRaises(AccessError):
            self.period.with_user(self.leader).action_reopen()
        self.assertEqual(self.period.state, "published")
        self.period.with_user(self.manager).action_reopen()
        self.assertEqual(self.period.state, "computed")

    def test_every_role_opens_periods_and_units(self):
        self.period.with_user(self.manager).action_publish()
        inspector = new_test_user(
            self.env, login="gs_inspector", groups="garbage_sorting.garbage_sorting_group_inspector"
        )
        for user in (inspector, self.leader, self.liaison):
            period = self.period.with_user(user)
            self.assertEqual(period.escalation_count, 1)
            self.assertEqual(period.read(["red_count", "grey_count", "state"])[0]["state"], "published")
            self.assertEqual(self.own.with_user(user).escalation_count, 1)

    def test_leader_reads_all_liaison_the_published_list(self):
        """The lists are public (公示): a liaison reads every unit's published result, never a computed one."""
        Line = self.env["garbage.assessment"].with_user(self.liaison)
        self.assertFalse(Line.search([("period_id", "=", self.period.id)]), "computed, not published")
        self.period.with_user(self.manager).action_publish()
        lines = self.env["garbage.assessment"].with_user(self.leader).search([("period_id", "=", self.period.id)])
        self.assertEqual(lines.unit_id, self.own | self.foreign)
        self.assertTrue(self.period.escalation_ids.with_user(self.leader).read(["level"]))
        self.assertEqual(Line.search([("period_id", "=", self.period.id)]).unit_id, self.own | self.foreign)
        self.assertTrue(self._line(self.period, self.foreign).with_user(self.liaison).read(["score"]))
        with self.assertRaises(AccessError):
            self._line(self.period, self.own).with_user(self.liaison).write({"score": 100})
        annual = self.env["garbage.unit.annual"].with_user(self.liaison).search([("year", "=", 2024)])
        self.assertEqual(annual.unit_id, self.own)
        escalation = self.env["garbage.escalation"].with_user(self.liaison).search([("period_id", "=", self.period.id)])
        self.assertEqual(escalation.unit_id, self.own)
        with self.assertRaises(AccessError):
            escalation.write({"outcome": "<p>done</p>"})
