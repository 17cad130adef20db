from datetime import date

from freezegun import freeze_time
from lxml import etree

from odoo.exceptions import AccessError
from odoo.tests import Form, TransactionCase, new_test_user, tagged

from .common import PartyCase

DEMO_ROLES = {
    "taskforce": "garbage_sorting.user_taskforce_demo",
    "leader": "garbage_sorting.user_leader_demo",
    "inspector": "garbage_sorting.user_inspector_demo",
    "coordinator": "garbage_sorting.user_coordinator_demo",
    "liaison": "garbage_sorting.user_liaison_demo",
    "secretary": "party_branch_linkage.user_secretary_demo",
}


@tagged("post_install", "-at_install")
class TestLandingsInsideTheirApp(TransactionCase):
    """Every role's landing is an action of a menu the user sees: the web client shows the app's menu bar."""

    def test_each_demo_role_lands_on_a_menu_of_their_app(self):
        app = self.env.ref("garbage_sorting.garbage_sorting_menu_root")
        for role, xmlid in DEMO_ROLES.items():
            with self.subTest(role=role):
                user = self.env.ref(xmlid)
                action = user._garbage_home_action()
                self.assertTrue(action, role)
                Menu = self.env["ir.ui.menu"].with_user(user)
                menus = Menu.search([("action", "=", f"{action.type},{action.id}")])
                visible_ids = Menu._visible_menu_ids()
                visible = menus.filtered(lambda menu, ids=visible_ids: menu.id in ids)
                self.assertTrue(visible, f"{role}: {action.name} has no menu of theirs")
                self.assertTrue(all(menu.parent_path.startswith(f"{app.id}/") for menu in visible), role)
        self.assertEqual(
            self.env.ref(DEMO_ROLES["leader"])._garbage_home_action(),
            self.env.ref("garbage_sorting.garbage_escalation_action"),
            "the leader lands on their escalations, not on a pivot",
        )


@tagged("post_install", "-at_install")
class TestSecretaryMeetings(PartyCase):
    """Party Meetings, as the secretary: their organisations' own meetings in a list; a new one organised by their
    organisation with its kind, the party fields under the title."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.own = cls._meeting(cls, "work", "2026-03-10 01:00:00", party_organizer_unit_id=cls.village.id)
        cls.own_org = cls._meeting(cls, "publicity", "2026-03-11 01:00:00", party_organization_id=cls.village_branch.id)
        cls.others = cls._meeting(cls, "work", "2026-03-12 01:00:00", party_organizer_unit_id=cls.community.id)
        cls.manager = new_test_user(cls.env, login="pt_desk_tf", groups="garbage_sorting.garbage_sorting_group_manager")

    def _menu_action(self, user):
        server_action = self.env.ref("party_branch_linkage.calendar_event_menu_party").action
        self.assertEqual(server_action, self.env.ref("party_branch_linkage.calendar_event_action_party_menu"))
        return server_action.with_user(user).run()

    def test_the_menu_opens_the_secretarys_own_meetings_in_a_list(self):
        action = self._menu_action(self.secretary)
        self.assertEqual(action["views"][0][1], "list", "a list first, not an empty week of the calendar")
        self.assertEqual(action["context"].get("search_default_party_my_organizations"), 1)
        arch = etree.fromstring(
            self.env["calendar.event"]
            .with_user(self.secretary)
            .get_views([(False, "search")])["views"]["search"]["arch"]
        )
        domain = arch.xpath("//filter[@name='party_my_organizations']")[0].get("domain")
        self.assertEqual(domain, "[('party_user_organizes', '=', True)]")
        Event = self.env["calendar.event"].with_user(self.secretary)
        mine = Event.search([("party_user_organizes", "=", True)])
        self.assertIn(self.own, mine)
        self.assertIn(self.own_org, mine)
        self.assertNotIn(self.others, mine, "another secretary's unit's meeting is not theirs")
        self.assertTrue(self.own.with_user(self.secretary).party_user_organizes)
        self.assertFalse(self.others.with_user(self.secretary).party_user_organizes)
        self.assertIn(self.others, Event.search([("party_user_organizes", "=", False)]))
        # the other secretary sees theirs, not these
        theirs = Event.with_user(self.other_secretary).search([("party_user_organizes", "=", True)])
        self.assertIn(self.others, theirs)
        self.assertNotIn(self.own, theirs)

    def test_someone_who_is_nobodys_secretary_opens_every_party_meeting(self):
        action = self._menu_action(self.manager)
        self.assertNotIn("search_default_party_my_organizations", action["context"])
        self.assertEqual(action["context"]["search_default_party_meetings"], 1)

    def test_a_new_meeting_is_organised_by_the_secretarys_organisation(self):
        Event = self.env["calendar.event"].with_user(self.secretary).with_context(party_meeting_defaults=True)
        form = Form(Event)
        self.assertEqual(form.party_organization_id, self.village_branch)
        self.assertEqual(form.party_meeting_kind, "publicity")
        self.assertFalse(form.party_organizer_unit_id)
        form.name = "本月宣传教育活动"
        meeting = form.save()
        self.assertEqual(meeting.party_organization_id, self.village_branch)
        # what the caller asks for wins (the obligation's Record the Meeting)
        asked = Event.with_context(
            default_party_meeting_kind="work", default_party_organizer_unit_id=self.village.id
        ).default_get(["party_meeting_kind", "party_organizer_unit_id", "party_organization_id"])
        self.assertEqual(asked["party_meeting_kind"], "work")
        self.assertNotIn("party_organization_id", asked)
        # not from elsewhere (an ordinary calendar event stays ordinary)
        plain = self.env["calendar.event"].with_user(self.secretary).default_get(["party_meeting_kind"])
        self.assertFalse(plain.get("party_meeting_kind"))

    def test_a_liaisons_new_meeting_is_their_units_work_meeting(self):
        liaison = new_test_user(self.env, login="pt_desk_li", groups="garbage_sorting.garbage_sorting_group_liaison")
        self.village.user_ids = [(4, liaison.id)]
        Event = self.env["calendar.event"].with_user(liaison).with_context(party_meeting_defaults=True)
        defaults = Event.default_get(["party_meeting_kind", "party_organizer_unit_id", "party_organization_id"])
        self.assertEqual(defaults["party_organizer_unit_id"], self.village.id)
        self.assertEqual(defaults["party_meeting_kind"], "work")
        # acting for two units: nothing is guessed
        self.community.user_ids = [(4, liaison.id)]
        defaults = Event.default_get(["party_meeting_kind", "party_organizer_unit_id"])
        self.assertFalse(defaults.get("party_organizer_unit_id"))
        self.assertFalse(defaults.get("party_meeting_kind"))

    def test_party_fields_sit_under_the_title(self):
        arch = etree.fromstring(
            self.env["calendar.event"].with_user(self.secretary).get_views([(False, "form")])["views"]["form"]["arch"]
        )
        top = arch.xpath("//group[@name='party_meeting_top']")
        self.assertTrue(top)
        self.assertFalse(top[0].xpath("ancestor::notebook"))
        names = [node.get("name") for node in top[0].iter("field")]
        self.assertEqual(names[:1], ["party_meeting_kind"])
        self.assertIn("party_organization_id", names)
        # each field once in the form (not again on the page)
        self.assertEqual(len(arch.xpath("//field[@name='party_meeting_kind']")), 1)


@tagged("post_install", "-at_install")
class TestMeetingCountsWhenSaved(PartyCase):
    """A held party meeting counts toward its obligation as soon as it is saved (not after the nightly job), and its
    reminder closes; cancelling, moving or deleting it counts again at once. A meeting still ahead counts once held
    (the nightly job, test_party_cadence)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Obligation = cls.env["garbage.obligation"]
        cls.rule_work = cls.env.ref("party_branch_linkage.garbage_obligation_rule_work")
        cls.rule_publicity = cls.env.ref("party_branch_linkage.garbage_obligation_rule_publicity")
        cls.env["garbage.unit"].search([]).user_ids  # noqa: B018 (warm the cache)

    def _work(self, unit):
        return self.Obligation.search(
            [("rule_id", "=", self.rule_work.id), ("unit_id", "=", unit.id), ("date_start", "=", date(2031, 4, 1))]
        )

    @freeze_time("2031-06-25 02:00:00")
    def test_the_secretarys_meeting_meets_the_obligation_and_closes_the_reminder(self):
        self.Obligation._remind(self.Obligation._sync(date(2031, 6, 25), self.rule_work))
        work = self._work(self.village)
        self.assertEqual((work.done, work.state), (0, "pending"))
        self.assertTrue(work.activity_ids, "the reminder is due ten days before the quarter ends")
        Event = self.env["calendar.event"].with_user(self.secretary)
        # held yesterday, recorded today
        meeting = Event.create(
            {
                "name": "二季度工作例会",
                "party_meeting_kind": "work",
                "party_organizer_unit_id": self.village.id,
                "start": "2031-06-24 01:00:00",
                "stop": "2031-06-24 02:00:00",
            }
        )
        work.invalidate_recordset()
        self.assertEqual((work.done, work.state), (1, "met"))
        self.assertFalse(work.activity_ids, "the reminder closed with the count")
        # the community's obligation did not move
        self.assertEqual(self._work(self.community).state, "pending")
        # cancelled: it stops counting at once
        meeting.action_party_cancel()
        work.invalidate_recordset()
        self.assertEqual((work.done, work.state), (0, "pending"))
        meeting.action_party_restore()
        work.invalidate_recordset()
        self.assertEqual(work.done, 1)
        # moved to the next quarter: this one is short again (the next quarter has no obligation yet: none made)
        meeting.write({"start": "2031-07-02 01:00:00", "stop": "2031-07-02 02:00:00"})
        work.invalidate_recordset()
        self.assertEqual((work.done, work.state), (0, "pending"))
        self.assertFalse(
            self.Obligation.search([("rule_id", "=", self.rule_work.id), ("date_start", "=", date(2031, 7, 1))]),
            "saving a meeting creates no obligation of a period the job has not opened",
        )
        # back on a day it was held: counted again
        meeting.write({"start": "2031-06-23 01:00:00", "stop": "2031-06-23 02:00:00"})
        work.invalidate_recordset()
        self.assertEqual(work.done, 1)
        # planned for later in the quarter: it counts once held, not yet
        meeting.write({"start": "2031-06-27 01:00:00", "stop": "2031-06-27 02:00:00"})
        work.invalidate_recordset()
        self.assertEqual((work.done, work.state), (0, "pending"))
        # deleted (it has not taken place): nothing to count
        meeting.unlink()
        work.invalidate_recordset()
        self.assertEqual((work.done, work.state), (0, "pending"))

    @freeze_time("2031-06-25 02:00:00")
    def test_what_does_not_count_does_not_move_the_obligation(self):
        self.Obligation._sync(date(2031, 6, 25), self.rule_work)
        work = self._work(self.village)
        # another kind, an ordinary event, another unit's meeting (all held yesterday)
        self._meeting("deliberation", "2031-06-24 01:00:00", party_organizer_unit_id=self.village.id)
        self.env["calendar.event"].create(
            {"name": "Dentist", "start": "2031-06-24 01:00:00", "stop": "2031-06-24 02:00:00"}
        )
        self._meeting("work", "2031-06-24 01:00:00", party_organizer_unit_id=self.community.id)
        work.invalidate_recordset()
        self.assertEqual((work.done, work.state), (0, "pending"))
        self.assertEqual(self._work(self.community).done, 1)
        # nobody writes the count by hand, the secretary included
        with self.assertRaises(AccessError):
            work.with_user(self.secretary).write({"done": 1})

    @freeze_time("2031-06-10 02:00:00")
    def test_an_organisations_publicity_counts_at_once_in_a_batch(self):
        self.Obligation._sync(date(2031, 6, 10), self.rule_publicity)
        self.env["calendar.event"].with_user(self.secretary).create(
            [
                {
                    "name": f"宣传活动 {day}",
                    "party_meeting_kind": "publicity",
                    "party_organization_id": self.village_branch.id,
                    "start": f"2031-06-{day:02d} 01:00:00",
                    "stop": f"2031-06-{day:02d} 02:00:00",
                }
                for day in (3, 4)
            ]
        )
        publicity = self.Obligation.search(
            [
                ("rule_id", "=", self.rule_publicity.id),
                ("party_organization_id", "=", self.village_branch.id),
                ("date_start", "=", date(2031, 6, 1)),
            ]
        )
        self.assertEqual((publicity.done, publicity.state), (2, "met"))


@tagged("post_install", "-at_install")
class TestInterviewMeeting(TransactionCase):
    """The leader's interview: the escalation shows when and where; the prepared meeting has its kind, unit and
    place."""

    def test_demo_interviews_have_their_kind_unit_and_place(self):
        leader = self.env.ref("garbage_sorting.user_leader_demo")
        escalations = (
            self.env["garbage.escalation"].with_user(leader).search([("level", "=", "2"), ("event_id", "!=", False)])
        )
        if not escalations:
            self.skipTest("no demo interview")
        kind = self.env.ref("garbage_sorting.calendar_event_type_interview")
        self.assertEqual(kind.name, "灰榜约谈", "named in the town's language")
        for escalation in escalations:
            event = escalation.sudo().event_id
            self.assertEqual(event.categ_ids, kind)
            self.assertEqual(event.garbage_unit_ids, escalation.unit_id)
            self.assertFalse(event.party_meeting_kind, "an interview counts in no cadence")
            self.assertTrue(event.location)
            self.assertEqual(escalation.interview_start, event.start)
            self.assertEqual(escalation.interview_location, event.location)
        # the leader reads them, and writes neither
        with self.assertRaises(AccessError):
            escalations[:1].write({"interview_location": "别处"})
        self.assertNotEqual(escalations[:1].sudo().event_id.location, "别处")

    def test_the_place_is_the_setting_or_the_town_address(self):
        escalation = self.env["garbage.escalation"].search([], limit=1)
        if not escalation:
            self.skipTest("no demo escalation")
        town = escalation._company_lang_env()
        values = escalation._interview_event_values(town)
        self.assertIn(self.env.company.street, values["location"])
        self.assertIn("会议室", values["location"])
        self.env.company.garbage_interview_location = "镇政府三楼会议室"
        self.assertEqual(escalation._interview_event_values(town)["location"], "镇政府三楼会议室")
        arch = self.env["garbage.escalation"].get_views([(False, "form")])["views"]["form"]["arch"]
        for name in ("interview_start", "interview_location"):
            self.assertIn(f'name="{name}"', arch)
