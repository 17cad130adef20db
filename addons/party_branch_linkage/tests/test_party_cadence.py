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
        cls.rule_training = ref("party_branch_linkage.garbage_obligation_rule_training")
        cls.rule_chamber_training = ref("party_branch_linkage.garbage_obligation_rule_chamber_training")
        cls.rule_chamber_symposium = ref("party_branch_linkage.garbage_obligation_rule_chamber_symposium")

    def _obligations(self, day, rule, units):
        obligations = self.Obligation._sync(day, rule)
        return {obligation.unit_id: obligation for obligation in obligations if obligation.unit_id in units}

    @freeze_time("2026-04-10")
    def test_quarterly_work_meeting_at_the_quarter_boundary(self):
        # 23:00 UTC on 31 March still belongs to Q1; 00:30 UTC on 1 April to Q2.
        self._meeting("work", "2026-03-31 23:00:00", party_organizer_unit_id=self.village.id)
        self._meeting("work", "2026-04-01 00:30:00", party_organizer_unit_id=self.community.id)
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

    @freeze_time("2026-03-05")
    def test_monthly_publicity_of_each_organization_at_the_month_boundary(self):
        self._meeting("publicity", "2026-01-31 10:00:00", party_organization_id=self.village_branch.id)
        self._meeting("publicity", "2026-02-01 02:00:00", party_organization_id=self.community_branch.id)
        january = self._obligations(date(2026, 1, 15), self.rule_publicity, self.units)
        february = self._obligations(date(2026, 2, 15), self.rule_publicity, self.units)
        self.assertNotIn(self.bureau, january, "a unit no organisation leads has no publicity obligation")
        self.assertEqual(january[self.village].state, "met")
        self.assertEqual(january[self.community].state, "missed")
        self.assertEqual(january[self.community].date_end, date(2026, 1, 31))
        self.assertEqual(february[self.village].state, "missed")
        self.assertEqual(february[self.village].date_end, date(2026, 2, 28))
        self.assertEqual(february[self.community].state, "met")
        # Re-running the sync changes nothing (the engine is idempotent).
        again = self._obligations(date(2026, 2, 15), self.rule_publicity, self.units)
        self.assertEqual(again, february)

    @freeze_time("2026-03-05")
    def test_one_one_n_units_carry_the_monthly_training(self):
        group = self.env["party.linkage.group"].create(
            {
                "name": "1+1+N",
                "kind": "one_one_n",
                "lead_unit_id": self.bureau.id,
                "unit_ids": [(6, 0, self.village.ids)],
            }
        )
        self._meeting("training", "2026-02-12 02:00:00", party_linkage_group_id=group.id)
        february = self._obligations(date(2026, 2, 1), self.rule_training, self.units)
        self.assertEqual(set(february), {self.bureau, self.village}, "the lead and the member units, no one else")
        self.assertTrue(all(obligation.state == "met" for obligation in february.values()))
        january = self._obligations(date(2026, 1, 1), self.rule_training, self.units)
        self.assertTrue(all(obligation.state == "missed" for obligation in january.values()))

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
        self.village.liaison_id = liaison.partner_id
        work = self.Obligation._sync(date(2026, 3, 25), self.rule_work).filtered(lambda o: o.unit_id == self.village)
        publicity = self.Obligation._sync(date(2026, 3, 25), self.rule_publicity).filtered(
            lambda o: o.unit_id in (self.village | self.community)
        )
        self.Obligation._remind(work | publicity)
        self.assertEqual(work.activity_ids.user_id, liaison)
        by_unit = {obligation.unit_id: obligation for obligation in publicity}
        self.assertEqual(by_unit[self.village].activity_ids.user_id, self.secretary)
        self.assertEqual(by_unit[self.community].activity_ids.user_id, self.other_secretary)
        # The closest organisation's secretary wins over the one above it.
        action_secretary = new_test_user(
            self.env, login="pt_secretary3", groups="party_branch_linkage.party_branch_linkage_group_secretary"
        )
        self.action_branch.write({"secretary_id": action_secretary.id, "unit_ids": [(4, self.village.id)]})
        self.assertEqual(self.village._get_party_secretary(), action_secretary)
        # Never twice.
        self.Obligation._remind(work | publicity)
        self.Obligation._cron_refresh()
        self.assertEqual(len(work.activity_ids), 1)
        self.assertEqual(len(by_unit[self.village].activity_ids), 1)
        self.assertTrue(all((work | publicity).mapped("reminded")))

    @freeze_time("2026-03-25")
    def test_reminder_goes_to_the_liaison_when_no_secretary_is_on_record(self):
        liaison = new_test_user(self.env, login="pt_liaison2", groups="garbage_sorting.garbage_sorting_group_liaison")
        self.community.liaison_id = liaison.partner_id
        self.community_branch.secretary_id = False
        publicity = self.Obligation._sync(date(2026, 3, 25), self.rule_publicity).filtered(
            lambda o: o.unit_id == self.community
        )
        self.Obligation._remind(publicity)
        self.assertEqual(publicity.activity_ids.user_id, liaison)
