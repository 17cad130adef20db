from datetime import date, timedelta

from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged

from .common import PartyCase

GROUP = "garbage_sorting.garbage_sorting_group_"
PARTY = "party_branch_linkage.party_branch_linkage_group_"


@tagged("post_install", "-at_install")
class TestPartyIntegrity(PartyCase):
    """Party records that count are owned: each role tries what it may not, and the owner what it may."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.liaison = new_test_user(cls.env, login="pi_liaison", groups=GROUP + "liaison")
        cls.inspector = new_test_user(cls.env, login="pi_inspector", groups=GROUP + "inspector")
        cls.member_user = new_test_user(cls.env, login="pi_member", groups=PARTY + "member")
        cls.employee = new_test_user(cls.env, login="pi_employee", groups="base.group_user")
        cls.manager = new_test_user(cls.env, login="pi_manager", groups=GROUP + "manager")
        cls.committee_user = new_test_user(cls.env, login="pi_committee", groups=PARTY + "committee")
        cls.village.user_ids = [(4, cls.liaison.id)]
        cls.group = cls.env["party.linkage.group"].create(
            {
                "name": "Village pairing",
                "kind": "strong_weak",
                "lead_unit_id": cls.village.id,
                "organization_ids": [(6, 0, cls.village_branch.ids)],
            }
        )
        # Held earlier this month: the demo's published months (before this one) are the task force's.
        now = fields.Datetime.now()
        cls.past = max(now - timedelta(hours=2), now.replace(day=1, hour=0, minute=0, second=0, microsecond=0))
        cls.future = fields.Datetime.now() + timedelta(days=30)
        # A counting meeting of the village branch, held a month ago, that the liaison attended.
        cls.meeting = cls.env["calendar.event"].create(
            {
                "name": "Village work meeting",
                "party_meeting_kind": "work",
                "party_organizer_unit_id": cls.village.id,
                "start": cls.past,
                "stop": cls.past + timedelta(hours=2),
                "partner_ids": [(6, 0, cls.liaison.partner_id.ids)],
                "party_minutes": "<p>Original minutes</p>",
            }
        )
        cls.outsiders = {
            "liaison": cls.liaison,
            "inspector": cls.inspector,
            "other secretary": cls.other_secretary,
            "party member": cls.member_user,
            "employee": cls.employee,
        }

    def _meeting_values(self, **values):
        return {
            "name": "Counting meeting",
            "party_meeting_kind": "work",
            "start": self.past,
            "stop": self.past + timedelta(hours=1),
            "partner_ids": [],
            **values,
        }

    # Meetings

    def test_only_the_owner_creates_a_counting_meeting(self):
        Event = self.env["calendar.event"]
        organisers = [
            {"party_organizer_unit_id": self.village.id},
            {"party_organization_id": self.village_branch.id},
            {"party_linkage_group_id": self.group.id},
        ]
        for role, user in self.outsiders.items():
            for organiser in organisers:
                if role == "liaison" and organiser == organisers[0]:
                    continue  # the unit's own quarterly meeting: its liaison records it (issue 19)
                with self.subTest(role=role, organiser=organiser), self.assertRaises(AccessError):
                    Event.with_user(user).create(self._meeting_values(name=f"By {role}", **organiser))
                self.assertFalse(Event.search([("name", "=", f"By {role}")]))
        # An ordinary event, and turning it into a counting one afterwards: the liaison's own unit's quarterly
        # meeting, yes; the village branch's, no.
        own_event = Event.with_user(self.liaison).create(
            {"name": "Liaison's own", "start": self.past, "stop": self.past + timedelta(hours=1)}
        )
        with self.assertRaises(AccessError), self.env.cr.savepoint():
            own_event.with_user(self.liaison).write(
                {"party_meeting_kind": "work", "party_organization_id": self.village_branch.id}
            )
        own_event.invalidate_recordset()
        self.assertFalse(own_event.party_meeting_kind)
        own_event.with_user(self.liaison).write(
            {"party_meeting_kind": "work", "party_organizer_unit_id": self.village.id}
        )
        self.assertEqual(own_event.garbage_unit_ids, self.village)
        # The owning secretary (of the organisation, the unit's or the group's) and the task force.
        for user in (self.secretary, self.manager):
            for organiser in organisers:
                meeting = Event.with_user(user).create(self._meeting_values(name=f"By {user.login}", **organiser))
                self.assertEqual(meeting.party_meeting_kind, "work")
        # A secretary does not make their meeting count for units they do not lead.
        with self.assertRaises(AccessError):
            Event.with_user(self.secretary).create(
                self._meeting_values(
                    name="Reaching out",
                    party_organization_id=self.village_branch.id,
                    garbage_unit_ids=[(6, 0, (self.village | self.community).ids)],
                )
            )
        with self.assertRaises(AccessError):
            Event.with_user(self.secretary).create(
                self._meeting_values(
                    name="Joint",
                    party_organization_id=self.village_branch.id,
                    party_organizer_unit_id=self.community.id,
                )
            )
        self.assertFalse(Event.search([("name", "in", ("Reaching out", "Joint"))]))

    def test_only_the_owner_edits_a_counting_meeting(self):
        attempts = [
            {"name": "Renamed"},
            {"party_minutes": "<p>Forged</p>"},
            {"party_resolutions": "<p>Forged</p>"},
            {"start": self.past - timedelta(days=40), "stop": self.past - timedelta(days=40)},
            {"party_meeting_kind": "governance"},
            {"party_meeting_kind": False},
            {"party_organizer_unit_id": self.community.id},
            {"garbage_unit_ids": [(4, self.community.id)]},
            {"party_signed_partner_ids": [(4, self.employee.partner_id.id)]},
            {"active": False},
            {"party_state": "cancelled"},
        ]
        for role, user in self.outsiders.items():
            for values in attempts:
                with self.subTest(role=role, values=values), self.assertRaises(AccessError):
                    self.meeting.with_user(user).write(values)
        self.assertEqual(self.meeting.name, "Village work meeting")
        self.assertEqual(self.meeting.party_minutes, "<p>Original minutes</p>")
        self.assertEqual(self.meeting.party_meeting_kind, "work")
        self.assertEqual(self.meeting.garbage_unit_ids, self.village)
        self.assertTrue(self.meeting.active)
        self.assertFalse(self.meeting.party_signed_partner_ids)
        # The owner writes the minutes, but neither moves the meeting to another unit nor widens it.
        self.meeting.with_user(self.secretary).write({"party_minutes": "<p>Real minutes</p>"})
        self.assertEqual(self.meeting.party_minutes, "<p>Real minutes</p>")
        for values in (
            {"party_organizer_unit_id": self.community.id},
            {"garbage_unit_ids": [(4, self.community.id)]},
            {"party_state": "cancelled"},
        ):
            with self.subTest(values=values), self.assertRaises(AccessError):
                self.meeting.with_user(self.secretary).write(values)
        self.assertEqual(self.meeting.garbage_unit_ids, self.village)
        # The task force may correct anything.
        self.meeting.with_user(self.manager).write({"name": "Corrected by the task force"})
        self.assertEqual(self.meeting.name, "Corrected by the task force")
        # The form says who may change it.
        self.assertTrue(self.meeting.with_user(self.secretary).party_user_can_manage)
        self.assertFalse(self.meeting.with_user(self.other_secretary).party_user_can_manage)

    def test_a_cancelled_meeting_stops_counting(self):
        rule = self.env.ref("party_branch_linkage.garbage_obligation_rule_work")
        with freeze_time("2031-02-10"):
            meeting = self._meeting("work", "2031-01-15 01:00:00", party_organizer_unit_id=self.village.id)

            def done():
                obligations = self.env["garbage.obligation"]._sync(date(2031, 1, 15), rule)
                return obligations.filtered(lambda obligation: obligation.unit_id == self.village).done

            self.assertEqual(done(), 1)
            for user in (self.liaison, self.inspector, self.other_secretary, self.member_user):
                with self.assertRaises(AccessError):
                    meeting.with_user(user).action_party_cancel()
            self.assertEqual(meeting.party_state, "confirmed")
            self.assertIs(meeting.with_user(self.secretary).action_party_cancel(), True)
            self.assertEqual(meeting.party_state, "cancelled")
            self.assertEqual(done(), 0)
            with self.assertRaises(UserError):
                meeting.with_user(self.liaison).action_party_sign_in()
            self.assertIs(meeting.with_user(self.manager).action_party_restore(), True)
            self.assertEqual(done(), 1)
            # Archiving is a cancellation too (the owner's), and does not count either.
            meeting.with_user(self.secretary).action_archive()
            self.assertEqual(done(), 0)

    def test_a_published_month_is_the_task_forces(self):
        period = self.env["garbage.assessment.period"].create({"date_start": "2031-06-01"})
        period.write({"state": "published"})
        meeting = self._meeting("work", "2031-06-10 01:00:00", party_organizer_unit_id=self.village.id)
        open_month = self._meeting("work", "2031-07-10 01:00:00", party_organizer_unit_id=self.village.id)
        as_secretary = meeting.with_user(self.secretary)
        as_secretary.write({"party_minutes": "<p>Minutes typed up later</p>"})
        for values in (
            {"start": "2031-06-20 01:00:00", "stop": "2031-06-20 02:00:00"},
            {"party_meeting_kind": "governance"},
            {"active": False},
        ):
            with self.subTest(values=values), self.assertRaises(AccessError):
                as_secretary.write(values)
        with self.assertRaises(AccessError):
            as_secretary.action_party_cancel()
        # Nor is a meeting added to, or moved into, the published month afterwards.
        with self.assertRaises(AccessError):
            self.env["calendar.event"].with_user(self.secretary).create(
                self._meeting_values(
                    name="Backdated",
                    party_organizer_unit_id=self.village.id,
                    start="2031-06-15 01:00:00",
                    stop="2031-06-15 02:00:00",
                )
            )
        with self.assertRaises(AccessError):
            open_month.with_user(self.secretary).write({"start": "2031-06-28 01:00:00", "stop": "2031-06-28 02:00:00"})
        self.assertEqual((meeting.party_state, meeting.party_meeting_kind), ("confirmed", "work"))
        self.assertEqual(open_month.start, fields.Datetime.to_datetime("2031-07-10 01:00:00"))
        self.assertFalse(self.env["calendar.event"].search([("name", "=", "Backdated")]))
        # In an open month the owner still moves it; the task force corrects a closed month.
        open_month.with_user(self.secretary).write({"start": "2031-07-12 01:00:00", "stop": "2031-07-12 02:00:00"})
        self.assertIs(meeting.with_user(self.manager).action_party_cancel(), True)
        self.assertEqual(meeting.party_state, "cancelled")

    def test_nobody_deletes_a_held_meeting(self):
        for user in (self.liaison, self.inspector, self.other_secretary, self.secretary, self.manager):
            with self.subTest(user=user.login), self.assertRaises(UserError):
                self.meeting.with_user(user).unlink()
        with self.assertRaises(UserError):
            self.meeting.unlink()
        self.assertTrue(self.meeting.exists())
        # A meeting still to come is deleted by its owner only.
        planned = self.env["calendar.event"].create(
            self._meeting_values(
                name="Planned", party_organizer_unit_id=self.village.id, start=self.future, stop=self.future
            )
        )
        for user in (self.liaison, self.inspector, self.other_secretary):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                planned.with_user(user).unlink()
        self.assertTrue(planned.exists())
        planned.with_user(self.secretary).unlink()
        self.assertFalse(planned.exists())

    def test_attendees_sign_themselves_in_only(self):
        self.assertIs(self.meeting.with_user(self.liaison).action_party_sign_in(), True)
        self.assertEqual(self.meeting.party_signed_partner_ids, self.liaison.partner_id)
        for user in (self.inspector, self.member_user, self.other_secretary):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self.meeting.with_user(user).action_party_sign_in()
        self.assertEqual(self.meeting.party_signed_partner_ids, self.liaison.partner_id)
        # Nobody signs in to a meeting weeks ahead.
        planned = self.env["calendar.event"].create(
            self._meeting_values(
                name="Planned",
                party_organizer_unit_id=self.village.id,
                start=self.future,
                stop=self.future,
                partner_ids=[(6, 0, self.liaison.partner_id.ids)],
            )
        )
        with self.assertRaises(UserError):
            planned.with_user(self.liaison).action_party_sign_in()
        self.assertFalse(planned.party_signed_partner_ids)

    def test_action_items_belong_to_the_meeting_owner(self):
        Item = self.env["party.action.item"]
        owner = self.liaison.partner_id
        for user in (self.liaison, self.inspector, self.other_secretary, self.employee):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                Item.with_user(user).create({"name": "Forged", "meeting_id": self.meeting.id, "owner_id": owner.id})
        self.assertFalse(Item.search([("name", "=", "Forged")]))
        item = Item.with_user(self.secretary).create(
            {"name": "Add bins", "meeting_id": self.meeting.id, "owner_id": owner.id}
        )
        with self.assertRaises(AccessError):
            item.with_user(self.secretary).write({"state": "done"})
        for user in (self.inspector, self.other_secretary, self.employee):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                item.with_user(user).write({"name": "Changed"})
        # The item's owner (the liaison) reports the outcome and closes it, nothing else.
        with self.assertRaises(AccessError):
            item.with_user(self.liaison).write({"deadline": "2099-01-01"})
        item.with_user(self.liaison).write({"note": "Two bins added"})
        with self.assertRaises(AccessError):
            item.with_user(self.other_secretary).action_close()
        self.assertIs(item.with_user(self.liaison).action_close(), True)
        self.assertEqual((item.state, item.note), ("done", "Two bins added"))
        self.assertIs(item.with_user(self.secretary).action_reopen(), True)
        self.assertEqual(item.state, "open")

    # Organisations and what hangs off them

    def test_the_party_structure_is_the_committees(self):
        Organization = self.env["party.organization"]
        for user in (self.secretary, self.other_secretary, self.member_user, self.liaison):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                Organization.with_user(user).create(
                    {"name": "Own creation", "parent_id": self.committee.id, "secretary_id": user.id}
                )
        self.assertFalse(Organization.search([("name", "=", "Own creation")]))
        attempts = [
            {"parent_id": False},
            {"parent_id": self.community_branch.id},
            {"secretary_id": self.other_secretary.id},
            {"org_type": "committee"},
            {"unit_ids": [(4, self.community.id)]},
            {"active": False},
            {"linkage_group_ids": [(5, 0, 0)]},
            {"brand_project_ids": [(0, 0, {"name": "Sneaked in"})]},
            {"child_ids": [(4, self.community_branch.id)]},
        ]
        for values in attempts:
            with self.subTest(values=values), self.assertRaises(AccessError):
                self.village_branch.with_user(self.secretary).write(values)
        self.assertEqual(
            (
                self.village_branch.parent_id,
                self.village_branch.secretary_id,
                self.village_branch.org_type,
                self.village_branch.unit_ids,
                self.community_branch.parent_id,
            ),
            (self.committee, self.secretary, "branch", self.village, self.committee),
        )
        # The secretary keeps editing the rest of their own organisation.
        self.village_branch.with_user(self.secretary).write({"name": "Qingshan Branch"})
        self.assertIn("'parent_id'", str(self.village_branch.with_user(self.secretary).guard_readonly_fields))
        # (the mixin's compute does not depend on the user: read it afresh for another one)
        self.village_branch.invalidate_recordset(["guard_readonly_fields"])
        self.assertNotIn("parent_id", self.village_branch.with_user(self.committee_user).guard_readonly_fields)
        # The town party committee (and the task force) create, re-parent and hand over.
        for user in (self.committee_user, self.manager):
            new = Organization.with_user(user).create(
                {"name": f"New by {user.login}", "parent_id": self.committee.id, "secretary_id": self.secretary.id}
            )
            new.with_user(user).write(
                {
                    "parent_id": self.village_branch.id,
                    "secretary_id": self.other_secretary.id,
                    "org_type": "action_branch",
                }
            )
            self.assertEqual(new.parent_id, self.village_branch)
        self.action_branch.with_user(self.committee_user).write({"unit_ids": [(4, self.village.id)]})
        self.assertEqual(self.action_branch.unit_ids, self.village)

    def test_secretaries_move_members_within_their_own_organisations(self):
        partners = self.env["res.partner"].create([{"name": "Own Member"}, {"name": "Their Member"}])
        Member = self.env["party.member"]
        own = Member.create({"partner_id": partners[0].id, "organization_ids": [(6, 0, self.village_branch.ids)]})
        theirs = Member.create({"partner_id": partners[1].id, "organization_ids": [(6, 0, self.community_branch.ids)]})
        with self.assertRaises(AccessError):
            own.with_user(self.secretary).write({"organization_ids": [(6, 0, self.community_branch.ids)]})
        with self.assertRaises(AccessError):
            Member.with_user(self.secretary).create(
                {
                    "partner_id": self.env["res.partner"].create({"name": "Double"}).id,
                    "organization_ids": [(6, 0, (self.action_branch | self.community_branch).ids)],
                }
            )
        # Linking another organisation's member from the organisation's side.
        with self.assertRaises(AccessError):
            self.village_branch.with_user(self.secretary).write({"member_ids": [(4, theirs.id)]})
        with self.assertRaises(AccessError):
            own.with_user(self.secretary).write({"grassroots_hours": 99})
        self.assertEqual(own.organization_ids, self.village_branch)
        self.assertEqual(theirs.organization_ids, self.community_branch)
        # Within their own organisations, fine.
        own.with_user(self.secretary).write({"organization_ids": [(4, self.action_branch.id)], "duty_publicity": True})
        self.assertEqual(own.organization_ids, self.village_branch | self.action_branch)

    def test_linkage_groups_units_and_organisations_are_the_committees(self):
        for values in (
            {"unit_ids": [(4, self.community.id)]},
            {"lead_unit_id": self.community.id},
            {"organization_ids": [(4, self.community_branch.id)]},
            {"kind": "one_one_n"},
            {"active": False},
        ):
            with self.subTest(values=values), self.assertRaises(AccessError):
                self.group.with_user(self.secretary).write(values)
        self.assertEqual(
            (self.group.kind, self.group.lead_unit_id, self.group.unit_ids),
            ("strong_weak", self.village, self.env["garbage.unit"]),
        )
        self.group.with_user(self.secretary).write({"name": "Village pairing (renamed)"})
        with self.assertRaises(AccessError):
            self.env["party.linkage.group"].with_user(self.secretary).create(
                {"name": "Own group", "organization_ids": [(6, 0, self.village_branch.ids)]}
            )
        self.group.with_user(self.committee_user).write({"unit_ids": [(4, self.community.id)]})
        self.assertEqual(self.group.unit_ids, self.community)
        # Nor does a liaison tie their unit to an organisation or a group from the unit.
        for values in (
            {"party_organization_ids": [(4, self.community_branch.id)]},
            {"party_linkage_group_ids": [(4, self.group.id)]},
        ):
            with self.subTest(values=values), self.assertRaises(AccessError):
                self.village.with_user(self.liaison).write(values)
        self.assertEqual(self.village.party_organization_ids, self.village_branch)

    def test_brand_projects_and_activities_move_through_their_buttons(self):
        project = self.env["party.brand.project"].create(
            {"name": "Green Hills", "organization_ids": [(6, 0, self.village_branch.ids)]}
        )
        with self.assertRaises(AccessError):
            project.with_user(self.secretary).write({"state": "running"})
        with self.assertRaises(AccessError):
            project.with_user(self.secretary).write({"organization_ids": [(4, self.community_branch.id)]})
        with self.assertRaises(AccessError):
            project.with_user(self.other_secretary).action_start()
        self.assertEqual(project.state, "draft")
        self.assertIs(project.with_user(self.secretary).action_start(), True)
        self.assertIs(project.with_user(self.secretary).action_done(), True)
        with self.assertRaises(UserError):
            project.with_user(self.secretary).action_start()
        self.assertEqual(project.state, "done")

        Activity = self.env["party.grassroots.activity"].with_user(self.secretary)
        activity = Activity.create(
            {
                "name": "Market day",
                "date": "2026-01-10",
                "entry_type": "market",
                "organization_id": self.village_branch.id,
                "hours": 2,
                "member_ids": [(6, 0, [])],
            }
        )
        for values in ({"state": "done"}, {"volunteer_hours_logged": True}):
            with self.subTest(values=values), self.assertRaises(AccessError):
                activity.write(values)
        with self.assertRaises(AccessError):
            activity.write({"organization_id": self.community_branch.id})
        own_member, stranger = self._in_service_members(
            [
                {"name": "Own Goer", "organization_ids": [(6, 0, self.action_branch.ids)]},
                {"name": "Stranger", "organization_ids": [(6, 0, self.community_branch.ids)]},
            ]
        )
        with self.assertRaises(AccessError):
            activity.write({"member_ids": [(4, stranger.id)]})
        with self.assertRaises(AccessError):
            own_member.with_user(self.secretary).write({"grassroots_activity_ids": [(4, activity.id)]})
        activity.write({"member_ids": [(4, own_member.id)]})
        self.assertEqual(activity.member_ids, own_member)
        with self.assertRaises(AccessError):
            activity.with_user(self.other_secretary).action_done()
        self.assertIs(activity.action_done(), True)
        self.assertEqual(activity.state, "done")
        with self.assertRaises(AccessError):
            activity.write({"hours": 12})
        with self.assertRaises(UserError):
            activity.with_user(self.manager).unlink()
        self.assertEqual(activity.hours, 2)

    def test_public_methods_answer(self):
        """Every button returns True or an action (XML-RPC cannot marshal None)."""
        highlight = self.env["party.brand.highlight"].create(
            {
                "name": "Door sorting",
                "project_id": self.env["party.brand.project"]
                .create({"name": "P", "organization_ids": [(6, 0, self.village_branch.ids)]})
                .id,
            }
        )
        self.assertIs(highlight.with_user(self.manager).action_mark_publicity(), True)
        with self.assertRaises(AccessError):
            highlight.with_user(self.secretary).unlink()
        self.assertTrue(highlight.exists(), "a highlight chosen for publicity stays")
        self.assertIs(highlight.with_user(self.manager).action_unmark_publicity(), True)
        for method in ("action_view_members", "action_view_brand_projects", "action_view_meetings"):
            self.assertIsInstance(getattr(self.village_branch, method)(), dict)
        self.assertIsInstance(self.group.action_view_meetings(), dict)
        self.assertIsInstance(self.village.action_view_party_meetings(), dict)

    # The annual review

    def test_annual_review_is_read_by_its_secretaries_and_the_town(self):
        self.assertEqual(self.village_branch.with_user(self.secretary)._get_annual_review_data(2026)["year"], 2026)
        self.assertTrue(self.village_branch.with_user(self.manager)._get_annual_review_data(2026))
        self.assertTrue(self.village_branch.with_user(self.committee_user)._get_annual_review_data(2026))
        for user in (self.other_secretary, self.liaison, self.inspector, self.member_user, self.employee):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self.village_branch.with_user(user)._get_annual_review_data(2026)
        for year in (0, -1, 99999, "abc", None):
            with self.subTest(year=year), self.assertRaises(ValidationError):
                self.village_branch.with_user(self.secretary)._get_annual_review_data(year)
        Wizard = self.env["party.annual.review"].with_user(self.other_secretary)
        wizard = Wizard.create({"organization_id": self.village_branch.id, "year": 2026})
        with self.assertRaises(AccessError):
            wizard.action_download_xlsx()
        with self.assertRaises(ValidationError):
            Wizard.create({"organization_id": self.village_branch.id, "year": 99999})
        wizard = (
            self.env["party.annual.review"]
            .with_user(self.secretary)
            .create({"organization_id": self.village_branch.id, "year": 2026})
        )
        self.assertEqual(wizard.action_download_xlsx()["type"], "ir.actions.act_url")
