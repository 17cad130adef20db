"""What the town's text asks and the first version lacked (issue 12, point 7)."""

import io

import openpyxl

from odoo.exceptions import ValidationError
from odoo.tests import Form, tagged

from ..models.party_organization_review import annual_outcome
from .common import PartyCase


@tagged("post_install", "-at_install")
class TestLinkageGroupText(PartyCase):
    def test_demo_working_group_has_its_123_mechanism(self):
        group = self.env.ref("party_branch_linkage.party_linkage_group_working_demo")
        self.assertEqual(group.kind, "working_group")
        self.assertIn("共建共治", group.central_goal)
        self.assertIn("宣传教育", group.line_publicity)
        self.assertIn("督查检查", group.line_supervision)
        self.assertTrue(group.measure_one and group.measure_two and group.measure_three)

    def test_every_group_model_of_the_text_is_a_kind(self):
        kinds = dict(self.env["party.linkage.group"]._fields["kind"]._description_selection(self.env))
        self.assertTrue(
            {"gov_enterprise", "chamber_led", "institution", "strong_weak", "strong_strong", "line_area"} <= set(kinds)
        )
        self.assertEqual(self.env.ref("party_branch_linkage.party_linkage_group_line_area_demo").kind, "line_area")

    def test_the_123_page_shows_for_the_working_group_only(self):
        group = self.env["party.linkage.group"].create({"name": "Working Group", "kind": "working_group"})
        with Form(group) as form:
            form.central_goal = "Co-building and co-governance"
            form.line_publicity = "Monthly publicity"
            form.measure_one = "Red and grey lists"
        self.assertEqual(group.central_goal, "Co-building and co-governance")
        arch = self.env["party.linkage.group"].get_view(view_type="form")["arch"]
        self.assertIn('name="mechanism_123"', arch)
        self.assertIn("kind != 'working_group'", arch)


@tagged("post_install", "-at_install")
class TestSixEntriesInService(PartyCase):
    """Only in-service members go on the "six entries" (在职党员进基层), as the secretary records them."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.in_service = cls._in_service_members(
            [{"name": "Serving Member", "organization_ids": [(6, 0, cls.village_branch.ids)]}]
        )
        partner = cls.env["res.partner"].create({"name": "Retired Member"})
        cls.retired = cls.env["party.member"].create(
            {"partner_id": partner.id, "organization_ids": [(6, 0, cls.village_branch.ids)]}
        )
        cls.Activity = cls.env["party.grassroots.activity"].with_user(cls.secretary)
        cls.values = {
            "name": "Market day",
            "date": "2026-01-10",
            "entry_type": "market",
            "organization_id": cls.village_branch.id,
            "hours": 2,
        }

    def test_secretary_cannot_send_a_member_not_in_service(self):
        before = self.env["party.grassroots.activity"].search_count([])
        with self.assertRaises(ValidationError) as refusal, self.env.cr.savepoint():
            self.Activity.create({**self.values, "member_ids": [(6, 0, (self.in_service | self.retired).ids)]})
        self.assertIn("Retired Member", str(refusal.exception))
        self.assertEqual(self.env["party.grassroots.activity"].search_count([]), before)
        # Adding (joining) them later is refused the same way; the activity keeps its members.
        activity = self.Activity.create({**self.values, "member_ids": [(6, 0, self.in_service.ids)]})
        with self.assertRaises(ValidationError), self.env.cr.savepoint():
            activity.write({"member_ids": [(4, self.retired.id)]})
        self.assertEqual(activity.member_ids, self.in_service)
        # The in-service member goes, and the activity is done.
        self.assertIs(activity.action_done(), True)
        self.assertEqual(self.in_service.grassroots_hours, 2)

    def test_refusal_is_translated(self):
        activity = self.Activity.create({**self.values, "member_ids": [(6, 0, self.in_service.ids)]})
        with self.assertRaises(ValidationError) as refusal, self.env.cr.savepoint():
            activity.with_context(lang="zh_CN").write({"member_ids": [(4, self.retired.id)]})
        zh = self.env(context={"lang": "zh_CN"})._
        message = zh(
            "Only in-service party members go to the grassroots (the 'six entries'): "
            "%(members)s are not in-service members.",
            members="Retired Member",
        )
        self.assertEqual(str(refusal.exception), message)

    def test_a_planned_goer_stays_in_service(self):
        self.Activity.create({**self.values, "member_ids": [(6, 0, self.in_service.ids)]})
        with self.assertRaises(ValidationError), self.env.cr.savepoint():
            self.in_service.write({"member_type": "other", "partner_id": self.in_service.partner_id.id})
        self.assertEqual(self.in_service.member_type, "in_service")


@tagged("post_install", "-at_install")
class TestOrganizationRewardsAndPenalties(PartyCase):
    """奖惩激励: the organisation's outcome of the year follows its units' red/grey record."""

    def _row(self, name, red=0, grey=0, veto=False, recommended=False, flags=0):
        return {
            "name": name,
            "red_count": red,
            "grey_count": grey,
            "veto": veto,
            "recommended": recommended,
            "flag_count": flags,
        }

    def test_the_rule(self):
        self.assertEqual(annual_outcome([])[0], "none")
        self.assertEqual(annual_outcome([self._row("A")])[0], "none")
        self.assertEqual(annual_outcome([self._row("A", red=1, flags=1)])[0], "reward")
        self.assertEqual(annual_outcome([self._row("A", red=3, recommended=True, flags=3)])[0], "reward")
        self.assertEqual(
            annual_outcome([self._row("A", red=3, recommended=True), self._row("B", grey=1)])[0], "warning"
        )
        outcome, figures = annual_outcome([self._row("A", red=5), self._row("B", grey=2, veto=True)])
        self.assertEqual(outcome, "penalty")
        self.assertEqual((figures["red"], figures["grey"], figures["vetoed"]), (["A"], ["B"], ["B"]))
        # A unit without a record of the year ("" figures) counts for nothing.
        blank = {"name": "C", **dict.fromkeys(("red_count", "grey_count", "veto", "recommended", "flag_count"), "")}
        self.assertEqual(annual_outcome([blank, self._row("A", red=1)])[0], "reward")

    def test_review_shows_the_stored_outcome(self):
        """The review prints the stored party-building assessment's reward or penalty, not one of its own."""
        Annual = self.env["garbage.unit.annual"]
        Annual.create(
            [
                {"unit_id": self.village.id, "year": 2025, "red_count": 4, "flag_count": 4, "recommended": True},
                {"unit_id": self.community.id, "year": 2025, "grey_count": 2, "veto": True},
            ]
        )
        # no record yet: the review says so
        village = self.village_branch.with_user(self.secretary)._get_annual_review_data(2025)
        self.assertFalse(village["outcome"])
        Assessment = self.env["party.building.assessment"]
        assessments = Assessment.create(
            [{"organization_id": org.id, "year": 2025} for org in (self.village_branch, self.community_branch)]
        )
        self.assertEqual(assessments.mapped("unit_outcome"), ["reward", "penalty"])
        # what is stored is printed (here set by the engine to show that nothing is recomputed at print time)
        assessments[0].write({"outcome": "reward", "outcome_reason": "Stored reason"})
        village = self.village_branch.with_user(self.secretary)._get_annual_review_data(2025)
        self.assertEqual(village["outcome"], "reward")
        self.assertEqual(self.community_branch._get_annual_review_data(2025)["outcome"], "penalty")
        self.assertFalse(self.committee._get_annual_review_data(2025)["outcome"], "the committee has no record")
        workbook = openpyxl.load_workbook(
            io.BytesIO(self.village_branch.with_context(lang="en_US")._get_annual_review_xlsx(2025))
        )
        sheet = workbook["Rewards and Penalties"]
        self.assertEqual([cell.value for cell in sheet[2]][:3], ["Annual Outcome", "Reason", "Status"])
        row = [cell.value for cell in sheet[3]]
        self.assertEqual(row[:3], ["Reward", "Stored reason", "Draft (not approved yet)"])
        self.assertEqual((row[5], row[6], row[7]), ("Test Village", 4, "Test Village"))
        section = self.village_branch.with_context(lang="zh_CN")._get_annual_review_sheets(2025)[1][-1]
        zh = self.env(context={"lang": "zh_CN"})._
        outcomes = dict(Assessment._fields["outcome"]._description_selection(self.env(context={"lang": "zh_CN"})))
        self.assertEqual((section[0], section[2][0][0]), (zh("Rewards and Penalties"), outcomes["reward"]))
        missing = self.committee.with_context(lang="en_US")._get_annual_review_sheets(2025)[1][-1]
        self.assertEqual(missing[2][0][0], "No party-building assessment is recorded for this organization and year.")
