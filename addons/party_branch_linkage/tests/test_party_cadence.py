from datetime import date

from freezegun import freeze_time

from odoo.tests import new_test_user, tagged

from .common import PartyCase


@tagged("post_install", "-at_install")
class TestPartyCadence(PartyCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Obligation = cls.env["garbage.obligation"]
        ref = cls.env.ref
        cls.rule_work = ref("party_branch_linkage.garbage_obligation_rule_work")
        cls.rule_publicity = ref("party_branch_linkage.garbage_obligation_rule_publicity")
        cls.rule_one_one_n = ref("party_branch_linkage.garbage_obligation_rule_one_one_n")
        cls.rule_chamber_training = ref("party_branch_linkage.garbage_obligation_rule_chamber_training")
        cls.rule_chamber_symposium = ref("party_branch_linkage.garbage_obligation_rule_chamber_symposium")

    def _obligations(self, day, rule, units):
        obligations = self.Obligation._sync(day, rule)
        return {obligation.unit_id: obligation for obligation in obligations if obligation.unit_id in units}

    def _org_obligations(self, day, rule, organizations):
        obligations = self.Obligation._sync(day, rule)
        return {
            obligation.party_organization_id: obligation
            for obligation in obligations
            if obligation.party_organization_id in organizations
        }

    @freeze_time("2026-04-10")
    def test_quarterly_work_meeting_at_the_quarter_boundary(self):
        # Counted on the town's day (Asia/Shanghai): 15:30 UTC on 31 March (23:30 in the town) still belongs to
        # Q1; 23:30 UTC on 31 March (07:30 on 1 April in the town) to Q2.
        self._meeting("work", "2026-03-31 15:30:00", party_organizer_unit_id=self.village.id)
        self._meeting("work", "2026-03-31 23:30:00", party_organizer_unit_id=self.community.id)
        q1 = self._obligations(date(2026, 2, 1), self.rule_work, self.units)
        self.assertEqual(q1[self.village].state, "met")
        self.assertEqual(q1[self.village].done, 1)
        self.assertEqual(
            (q1[self.village].date_start, q1[self.village].date_end), (date(2026, 1, 1), date(2026, 3, 31))
        )
        # Missed obligations land in the quarter's last month: March is the month the score loses them.
        self.assertEqual(q1[self.community].state, "missed")
        self.assertEqual(q1[self.bureau].state, "missed")
        self.assertEqual(q1[self.community].date_end, date(2026, 3, 31))
        q2 = self._obligations(date(2026, 4, 10), self.rule_work, self.units)
        self.assertEqual(q2[self.community].state, "met")
        self.assertEqual(q2[self.village].state, "pending", "Q2 is running: nothing is missed yet")
        # Another kind of meeting does not count as a work meeting.
        self._meeting("deliberation", "2026-04-02 01:00:00", party_organizer_unit_id=self.bureau.id)
        q2 = self._obligations(date(2026, 4, 10), self.rule_work, self.units)
        self.assertEqual(q2[self.bureau].done, 0)

    @freeze_time("2026-04-10")
    def test_general_branch_meeting_counts_for_itself_not_for_the_units_it_leads(self):
        # the village branch holds a work meeting: the village it leads still owes its own
        branch_meeting = self._meeting("work", "2026-02-10 01:00:00", party_organization_id=self.village_branch.id)
        self.assertFalse(branch_meeting.garbage_unit_ids, "an organisation's meeting does not spread to its units")
        q1 = self._obligations(date(2026, 2, 1), self.rule_work, self.units)
        self.assertEqual((q1[self.village].done, q1[self.village].state), (0, "missed"))
        # a linkage group's meeting is not the unit's own quarterly meeting either
        group = self.env["party.linkage.group"].create(
            {
                "name": "Joint",
                "kind": "one_one_n",
                "lead_unit_id": self.bureau.id,
                "unit_ids": [(6, 0, self.village.ids)],
            }
        )
        self._meeting("work", "2026-02-11 01:00:00", party_linkage_group_id=group.id)
        q1 = self._obligations(date(2026, 2, 1), self.rule_work, self.units)
        self.assertEqual(q1[self.village].done, 0)
        # the unit's own meeting counts
        self._meeting("work", "2026-02-12 01:00:00", party_organizer_unit_id=self.village.id)
        q1 = self._obligations(date(2026, 2, 1), self.rule_work, self.units)
        self.assertEqual((q1[self.village].done, q1[self.village].state), (1, "met"))
        self.assertFalse(
            self.Obligation.search([("rule_id", "=", self.rule_work.id), ("party_organization_id", "!=", False)])
        )

    @freeze_time("2026-03-05")
    def test_monthly_publicity_of_each_organization_at_the_month_boundary(self):
        self._meeting("publicity", "2026-01-31 10:00:00", party_organization_id=self.village_branch.id)
        self._meeting("publicity", "2026-02-01 02:00:00", party_organization_id=self.community_branch.id)
        # the committee leads no unit: its publicity counts for itself
        self._meeting("publicity", "2026-02-03 02:00:00", party_organization_id=self.committee.id)
        organizations = self.committee | self.village_branch | self.action_branch | self.community_branch
        january = self._org_obligations(date(2026, 1, 15), self.rule_publicity, organizations)
        february = self._org_obligations(date(2026, 2, 15), self.rule_publicity, organizations)
        self.assertEqual(set(january), set(organizations), "every organisation owes it, leading units or not")
        self.assertFalse(
            self.Obligation.search([("rule_id", "=", self.rule_publicity.id), ("unit_id", "!=", False)]),
            "publicity is the organisations' obligation, not the units'",
        )
        self.assertEqual(january[self.village_branch].state, "met")
        self.assertEqual(january[self.community_branch].state, "missed")
        self.assertEqual(january[self.community_branch].date_end, date(2026, 1, 31))
        self.assertEqual(january[self.action_branch].state, "missed")
        self.assertEqual(february[self.village_branch].state, "missed")
        self.assertEqual(february[self.village_branch].date_end, date(2026, 2, 28))
        self.assertEqual(february[self.community_branch].state, "met")
        self.assertEqual(february[self.committee].state, "met")
        self.assertEqual(january[self.committee].state, "missed", "a sub-organisation's activity is its own")
        # Re-running the sync changes nothing (the engine is idempotent).
        again = self._org_obligations(date(2026, 2, 15), self.rule_publicity, organizations)
        self.assertEqual(again, february)
        # An organisation's missed publicity is no unit's penalty: the units' assessment ignores it.
        period = self.env["garbage.assessment.period"].create({"date_start": date(2026, 1, 1)})
        period.action_compute()
        for unit in self.units:
            line = period.line_ids.filtered(lambda line, unit=unit: line.unit_id == unit)
            own = self.Obligation.search_count(
                [("unit_id", "=", unit.id), ("state", "=", "missed"), ("date_end", "=", date(2026, 1, 31))]
            )
            self.assertEqual(line.missed_count, own)
        # The organisation's year reads back for the review and its rewards/penalties.
        year = self.Obligation._get_organization_year(self.community_branch | self.committee, 2026)
        self.assertEqual(year[self.community_branch].mapped("state"), ["missed", "met"])

    @freeze_time("2024-04-05")
    def test_one_one_n_one_activity_a_month_of_any_kind(self):
        group = self.env["party.linkage.group"].create(
            {
                "name": "1+1+N",
                "kind": "one_one_n",
                "lead_unit_id": self.bureau.id,
                "unit_ids": [(6, 0, self.village.ids)],
            }
        )
        # (a year before the demo town's own 1+1+N activities)
        self._meeting("training", "2024-02-12 02:00:00", party_linkage_group_id=group.id)
        self._meeting("symposium", "2024-03-20 02:00:00", party_linkage_group_id=group.id)

        def task_force(day):
            obligation = self.Obligation._sync(day, self.rule_one_one_n)
            self.assertEqual(len(obligation), 1, "the task force's own, one a month")
            self.assertFalse(obligation.unit_id, "no member unit owes the group's activity")
            return obligation

        february = task_force(date(2024, 2, 1))
        self.assertEqual((february.is_task_force, february.state, february.expected), (True, "met", 1))
        self.assertEqual(task_force(date(2024, 3, 1)).state, "met", "any kind counts")
        self.assertEqual(task_force(date(2024, 1, 1)).state, "missed")
        # another kind of meeting is no 1+1+N activity
        self._meeting("publicity", "2024-01-20 02:00:00", party_linkage_group_id=group.id)
        self.assertEqual(task_force(date(2024, 1, 1)).state, "missed")

    @freeze_time("2026-06-15")
    def test_chamber_three_meetings_at_the_year_boundary(self):
        chamber = self.env["garbage.unit"].create(
            {"name": "Test Chamber", "code": "PT-E1", "unit_type": "enterprise", "is_chamber": True}
        )
        self._meeting("chamber_training", "2025-12-31 15:00:00", party_organizer_unit_id=chamber.id)
        self._meeting("chamber_symposium", "2026-01-01 00:00:00", party_organizer_unit_id=chamber.id)
        units = self.units | chamber
        training_2025 = self._obligations(date(2025, 5, 1), self.rule_chamber_training, units)
        symposium_2025 = self._obligations(date(2025, 5, 1), self.rule_chamber_symposium, units)
        self.assertEqual(list(training_2025), [chamber], "only the chamber carries the three meetings")
        self.assertEqual(training_2025[chamber].state, "met")
        self.assertEqual(symposium_2025[chamber].state, "missed")
        self.assertEqual(symposium_2025[chamber].date_end, date(2025, 12, 31))
        training_2026 = self._obligations(date(2026, 6, 15), self.rule_chamber_training, units)
        symposium_2026 = self._obligations(date(2026, 6, 15), self.rule_chamber_symposium, units)
        self.assertEqual(training_2026[chamber].state, "pending")
        self.assertEqual(symposium_2026[chamber].state, "met")

    @freeze_time("2026-03-25")
    def test_reminders_reach_the_liaison_or_the_secretary_once(self):
        liaison = new_test_user(self.env, login="pt_liaison", groups="garbage_sorting.garbage_sorting_group_liaison")
        head = new_test_user(self.env, login="pt_head", groups="garbage_sorting.garbage_sorting_group_manager")
        self.env.company.garbage_taskforce_head_id = head
        self.village.liaison_id = liaison.partner_id
        work = self.Obligation._sync(date(2026, 3, 25), self.rule_work).filtered(lambda o: o.unit_id == self.village)
        organizations = self.village_branch | self.community_branch | self.action_branch
        publicity = self.Obligation._sync(date(2026, 3, 25), self.rule_publicity).filtered(
            lambda o: o.party_organization_id in organizations
        )
        self.Obligation._remind(work | publicity)
        self.assertEqual(work.activity_ids.user_id, liaison)
        by_org = {obligation.party_organization_id: obligation for obligation in publicity}
        self.assertEqual(by_org[self.village_branch].activity_ids.user_id, self.secretary)
        self.assertEqual(by_org[self.community_branch].activity_ids.user_id, self.other_secretary)
        # an organisation without a secretary: the task-force head is reminded
        self.assertEqual(by_org[self.action_branch].activity_ids.user_id, head)
        self.assertIn(self.village_branch.name, by_org[self.village_branch].activity_ids.note)
        # the secretary reads the reminded obligation of their organisation, not another's
        Obligation = self.Obligation.with_user(self.secretary)
        self.assertEqual(
            Obligation.search([("rule_id", "=", self.rule_publicity.id), ("date_start", "=", date(2026, 3, 1))]),
            by_org[self.village_branch] | by_org[self.action_branch],
        )
        # Never twice.
        self.Obligation._remind(work | publicity)
        self.Obligation._cron_refresh()
        self.assertEqual(len(work.activity_ids), 1)
        self.assertEqual(len(by_org[self.village_branch].activity_ids), 1)
        self.assertTrue(all((work | publicity).mapped("reminded")))

    @freeze_time("2026-04-10")
    def test_a_meeting_counts_in_the_month_of_its_day_in_the_town(self):
        # 07:30 on 1 April in the town is still 31 March in UTC: April's activity, not March's
        meeting = self._meeting("publicity", "2026-03-31 23:30:00", party_organization_id=self.village_branch.id)
        march = self._org_obligations(date(2026, 3, 15), self.rule_publicity, self.village_branch)
        april = self._org_obligations(date(2026, 4, 10), self.rule_publicity, self.village_branch)
        self.assertEqual((march[self.village_branch].done, march[self.village_branch].state), (0, "missed"))
        self.assertEqual((april[self.village_branch].done, april[self.village_branch].state), (1, "met"))
        self.assertEqual(april[self.village_branch]._get_counted_records(), meeting, "what counted says the same")
        self.assertFalse(march[self.village_branch]._get_counted_records())
        # moved to 23:30 on 31 March in the town, it is March's (recounted at once: it took place)
        meeting.write({"start": "2026-03-31 15:30:00", "stop": "2026-03-31 16:30:00"})
        self.assertEqual((march[self.village_branch].done, march[self.village_branch].state), (1, "met"))
        self.assertEqual((april[self.village_branch].done, april[self.village_branch].state), (0, "pending"))

    def test_a_meeting_counts_once_it_has_taken_place(self):
        """A meeting planned for later meets nothing yet: the daily job counts it once held, and ends the reminder
        that the short quarter brought."""
        liaison = new_test_user(
            self.env, login="pt_held_liaison", groups="garbage_sorting.garbage_sorting_group_liaison"
        )
        self.village.liaison_id = liaison.partner_id
        q2 = [("rule_id", "=", self.rule_work.id), ("unit_id", "=", self.village.id), ("date_start", "=", "2026-04-01")]
        # 22 June in the town, the quarter's last days: the village plans its work meeting for 26 June
        with freeze_time("2026-06-22 02:00:00"):
            self.Obligation._cron_refresh()
            meeting = self._meeting("work", "2026-06-26 02:00:00", party_organizer_unit_id=self.village.id)
            obligation = self.Obligation.search(q2)
            self.assertEqual((obligation.done, obligation.state), (0, "pending"), "planned, not held")
            self.assertFalse(obligation._get_counted_records())
            self.Obligation._cron_refresh()
            self.assertEqual((obligation.done, obligation.state), (0, "pending"))
            self.assertEqual(obligation.activity_ids.user_id, liaison, "the short quarter is reminded")
        # an hour after it started, the nightly job counts it and closes the reminder
        with freeze_time("2026-06-26 03:00:00"):
            self.assertEqual(obligation.done, 0, "nothing counts it but the recount")
            self.Obligation._cron_refresh()
            self.assertEqual((obligation.done, obligation.state), (1, "met"))
            self.assertEqual(obligation._get_counted_records(), meeting)
            self.assertFalse(obligation.activity_ids)
            # a held meeting cancelled is recounted at once
            meeting.action_party_cancel()
            self.assertEqual((obligation.done, obligation.state), (0, "pending"))

    def test_a_meeting_held_on_the_quarters_last_evening_counts_when_the_job_closes_the_quarter(self):
        q2 = [("rule_id", "=", self.rule_work.id), ("unit_id", "=", self.village.id), ("date_start", "=", "2026-04-01")]
        # 30 June, 10:00 in the town: the meeting is planned for 20:00 that evening
        with freeze_time("2026-06-30 02:00:00"):
            meeting = self._meeting("work", "2026-06-30 12:00:00", party_organizer_unit_id=self.village.id)
            self.Obligation._cron_refresh()
            obligation = self.Obligation.search(q2)
            self.assertEqual((obligation.done, obligation.state), (0, "pending"))
        # 1 July, 02:00 in the town (still 30 June in UTC): the job closes the second quarter with it
        with freeze_time("2026-06-30 18:00:00"):
            self.Obligation._cron_refresh()
            self.assertEqual((obligation.done, obligation.state), (1, "met"))
            self.assertEqual(obligation._get_counted_records(), meeting)
