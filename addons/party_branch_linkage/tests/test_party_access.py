from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import PartyCase


@tagged("post_install", "-at_install")
class TestPartyAccess(PartyCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.member_user = new_test_user(
            cls.env, login="pt_member", groups="party_branch_linkage.party_branch_linkage_group_member"
        )
        cls.manager = new_test_user(cls.env, login="pt_manager", groups="garbage_sorting.garbage_sorting_group_manager")
        cls.liaison = new_test_user(cls.env, login="pt_liaison", groups="garbage_sorting.garbage_sorting_group_liaison")
        cls.employee = new_test_user(cls.env, login="pt_employee", groups="base.group_user")
        cls.village.user_ids = [(4, cls.liaison.id)]
        Project = cls.env["party.brand.project"]
        cls.village_project = Project.create(
            {"name": "Village Brand", "organization_ids": [(6, 0, cls.village_branch.ids)]}
        )
        cls.community_project = Project.create(
            {"name": "Community Brand", "organization_ids": [(6, 0, cls.community_branch.ids)]}
        )

    def test_secretary_edits_own_organization_and_below(self):
        self.village_branch.with_user(self.secretary).write({"name": "Village Branch (renamed)"})
        self.action_branch.with_user(self.secretary).write({"name": "Village Action Branch (renamed)"})
        # Which units an organisation leads, and new organisations, are the town party committee's.
        with self.assertRaises(AccessError):
            self.action_branch.with_user(self.secretary).write({"unit_ids": [(4, self.village.id)]})
        with self.assertRaises(AccessError):
            self.env["party.organization"].with_user(self.secretary).create(
                {"name": "New Action Branch", "org_type": "action_branch", "parent_id": self.village_branch.id}
            )
        self.assertFalse(self.action_branch.unit_ids)
        self.assertFalse(self.env["party.organization"].search([("name", "=", "New Action Branch")]))
        with self.assertRaises(AccessError):
            self.community_branch.with_user(self.secretary).write({"name": "Not mine"})
        with self.assertRaises(AccessError):
            self.committee.with_user(self.secretary).write({"name": "Not mine either"})
        self.assertEqual(self.community_branch.name, "Community Branch")
        # Reading the others is fine.
        self.assertEqual(self.community_branch.with_user(self.secretary).name, "Community Branch")

    def test_secretary_edits_what_hangs_off_own_organization(self):
        self.assertIs(self.village_project.with_user(self.secretary).action_start(), True)
        self.assertEqual(self.village_project.state, "running")
        with self.assertRaises(AccessError):
            self.community_project.with_user(self.secretary).action_start()
        self.assertEqual(self.community_project.state, "draft")
        partner = self.env["res.partner"].create({"name": "New Member"})
        Member = self.env["party.member"].with_user(self.secretary)
        Member.create({"partner_id": partner.id, "organization_ids": [(6, 0, self.action_branch.ids)]})
        with self.assertRaises(AccessError):
            Member.create(
                {
                    "partner_id": self.env["res.partner"].create({"name": "Other"}).id,
                    "organization_ids": [(6, 0, self.community_branch.ids)],
                }
            )
        Activity = self.env["party.grassroots.activity"].with_user(self.secretary)
        values = {"name": "Market day", "entry_type": "market", "hours": 2, "member_ids": [(6, 0, [])]}
        Activity.create({**values, "organization_id": self.village_branch.id})
        with self.assertRaises(AccessError):
            Activity.create({**values, "organization_id": self.community_branch.id})

    def test_member_reads_but_does_not_write(self):
        self.assertEqual(self.village_project.with_user(self.member_user).name, "Village Brand")
        self.assertEqual(self.village_branch.with_user(self.member_user).secretary_id, self.secretary)
        with self.assertRaises(AccessError):
            self.village_branch.with_user(self.member_user).write({"name": "x"})
        with self.assertRaises(AccessError):
            self.village_project.with_user(self.member_user).write({"name": "x"})

    def test_task_force_manages_all(self):
        self.community_branch.with_user(self.manager).write({"name": "Renamed by the task force"})
        self.community_project.with_user(self.manager).action_start()
        self.assertEqual(self.community_branch.name, "Renamed by the task force")

    def test_only_the_task_force_marks_highlights_for_publicity(self):
        highlight = (
            self.env["party.brand.highlight"]
            .with_user(self.secretary)
            .create({"name": "Door sorting", "project_id": self.village_project.id})
        )
        with self.assertRaises(AccessError):
            highlight.with_user(self.secretary).action_mark_publicity()
        self.assertFalse(highlight.is_publicized)
        highlight.with_user(self.manager).action_mark_publicity()
        self.assertTrue(highlight.is_publicized)

    def test_liaison_sees_the_meetings_of_own_units_only(self):
        own = self._meeting("work", "2026-03-10 01:00:00", party_organizer_unit_id=self.village.id)
        other = self._meeting("work", "2026-03-10 01:00:00", party_organizer_unit_id=self.community.id)
        private_life = self.env["calendar.event"].create(
            {"name": "Town fair", "start": "2026-03-10 01:00:00", "stop": "2026-03-10 02:00:00"}
        )
        Event = self.env["calendar.event"].with_user(self.liaison)
        visible = Event.search([("id", "in", (own | other | private_life).ids)])
        self.assertEqual(visible, own | private_life)
        self.assertEqual(own.with_user(self.liaison).name, own.name)
        with self.assertRaises(AccessError):
            other.with_user(self.liaison).read(["name"])
        # Odoo's own rules are untouched for everybody else.
        for user in (self.employee, self.member_user, self.manager):
            self.assertEqual(
                self.env["calendar.event"].with_user(user).search_count([("id", "in", (own | other).ids)]), 2
            )
        # The liaison opens the meeting's form, party page included.
        form_fields = self.env["calendar.event"].with_user(self.liaison).get_views([(False, "form")])["models"]
        self.assertIn("party_meeting_kind", form_fields["calendar.event"]["fields"])
        own.party_organization_id = self.village_branch
        values = own.with_user(self.liaison).web_read(
            {
                "party_organization_id": {"fields": {"display_name": {}}},
                "garbage_unit_ids": {"fields": {"display_name": {}}},
                "party_action_item_ids": {"fields": {"name": {}}},
            }
        )[0]
        self.assertEqual(values["party_organization_id"]["display_name"], "Test Committee / Village Branch")
        # A liaison invited to another unit's meeting sees it.
        other.partner_ids = [(4, self.liaison.partner_id.id)]
        values = other.with_user(self.liaison).web_read(
            {"name": {}, "party_organizer_unit_id": {"fields": {"display_name": {}}}}
        )[0]
        self.assertEqual(values["name"], other.name)
        self.assertEqual(values["party_organizer_unit_id"]["display_name"], "Test Community")
