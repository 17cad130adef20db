from datetime import date

from freezegun import freeze_time

from odoo.exceptions import ValidationError
from odoo.tests import new_test_user, tagged

from .common import PartyCase


@tagged("post_install", "-at_install")
class TestPartyLinkage(PartyCase):
    def _inspection(self, unit, day, score):
        inspection = self.env["garbage.inspection"].create(
            {
                "unit_id": unit.id,
                "source": "self",
                "date": day,
                "line_ids": [(0, 0, {"name": "Sorting at the bins", "max_score": 10, "score": score})],
            }
        )
        inspection.action_done()
        return inspection

    @freeze_time("2026-03-20")
    def test_pairing_shows_both_sides_month_by_month(self):
        pairing = self.env["party.linkage.group"].create(
            {
                "name": "Village helps community",
                "kind": "strong_weak",
                "lead_unit_id": self.village.id,
                "unit_ids": [(6, 0, self.community.ids)],
            }
        )
        self._inspection(self.village, "2026-01-10", 9)
        self._inspection(self.village, "2026-01-20", 10)
        self._inspection(self.community, "2026-01-15", 6)
        self._inspection(self.community, "2026-02-15", 7)
        self._inspection(self.bureau, "2026-02-15", 2)
        results = pairing._get_side_results(date(2025, 4, 1), date(2026, 3, 20))
        inspection = {key: value["inspection"] for key, value in results.items()}
        january, february = date(2026, 1, 1), date(2026, 2, 1)
        self.assertEqual(
            inspection,
            {(self.village, january): 95.0, (self.community, january): 60.0, (self.community, february): 70.0},
        )
        html = str(pairing.with_context(lang="en_US").result_html)
        self.assertIn("Test Village", html)
        self.assertIn("Test Community", html)
        self.assertIn("2026-02", html)
        self.assertNotIn("Test Bureau", html)

    @freeze_time("2026-03-20")
    def test_pairing_results_follow_the_readers_rights(self):
        pairing = self.env["party.linkage.group"].create(
            {
                "name": "Village helps community",
                "kind": "strong_weak",
                "lead_unit_id": self.village.id,
                "unit_ids": [(6, 0, self.community.ids)],
                "organization_ids": [(6, 0, self.village_branch.ids)],
            }
        )
        self._inspection(self.village, "2026-01-10", 9)
        self._inspection(self.community, "2026-01-15", 6)
        liaison = new_test_user(self.env, login="pl_liaison", groups="garbage_sorting.garbage_sorting_group_liaison")
        self.community.user_ids = [(4, liaison.id)]
        member = new_test_user(
            self.env, login="pl_member", groups="party_branch_linkage.party_branch_linkage_group_member"
        )
        january = date(2026, 1, 1)

        def inspection_results(user):
            results = pairing.with_user(user)._get_side_results(date(2025, 4, 1), date(2026, 3, 20))
            return {(unit.id, month): value["inspection"] for (unit, month), value in results.items()}

        # The group's own secretary follows both sides.
        self.assertEqual(
            inspection_results(self.secretary), {(self.village.id, january): 90.0, (self.community.id, january): 60.0}
        )
        # A liaison of the paired unit sees their own unit only; the secretary of another
        # organisation and a plain member see what their own rights show (nothing here).
        self.assertEqual(inspection_results(liaison), {(self.community.id, january): 60.0})
        self.assertEqual(inspection_results(self.other_secretary), {})
        self.assertEqual(inspection_results(member), {})
        html = str(pairing.with_user(liaison).result_html)
        self.assertIn("60.0", html)
        self.assertNotIn("90.0", html, "the lead village's figures stay hidden from the paired unit's liaison")


@tagged("post_install", "-at_install")
class TestGrassrootsActivity(PartyCase):
    def test_activity_cannot_be_done_before_its_date(self):
        member = self._in_service_members([{"name": "M"}])
        activity = self.env["party.grassroots.activity"].create(
            {
                "name": "Next week's market",
                "date": "2999-01-01",
                "entry_type": "market",
                "organization_id": self.village_branch.id,
                "member_ids": [(6, 0, member.ids)],
                "hours": 2,
            }
        )
        with self.assertRaises(ValidationError), self.env.cr.savepoint():
            activity.action_done()
        self.assertEqual(activity.state, "draft")
        self.assertEqual(member.grassroots_hours, 0)
        with self.assertRaises(ValidationError), self.env.cr.savepoint():
            activity.hours = 13

    def test_hours_reach_the_volunteer_records_once(self):
        # The volunteer module may or may not be installed next to this one: both cases are checked.
        volunteer_module = "garbage.volunteer.hour" in self.env
        volunteer, other = self.env["res.partner"].create([{"name": "Volunteer Member"}, {"name": "Other Member"}])
        if volunteer_module:
            volunteer.is_volunteer = True
        members = self._in_service_members([{"partner_id": volunteer.id}, {"partner_id": other.id}])
        activity = self.env["party.grassroots.activity"].create(
            {
                "name": "Community sorting day",
                "date": "2026-01-10",
                "entry_type": "community",
                "organization_id": self.village_branch.id,
                "unit_id": self.community.id,
                "member_ids": [(6, 0, members.ids)],
                "hours": 3,
            }
        )
        activity.action_done()
        self.assertEqual(members.mapped("grassroots_hours"), [3, 3])
        self.assertEqual(activity.volunteer_hours_logged, volunteer_module)
        if volunteer_module:
            activity._add_volunteer_hours()
            hours = self.env["garbage.volunteer.hour"].search([("partner_id", "in", (volunteer | other).ids)])
            self.assertEqual(hours.partner_id, volunteer, "only the volunteer, only once")
            self.assertEqual((hours.hours, hours.state, hours.unit_id), (3, "submitted", self.community))
