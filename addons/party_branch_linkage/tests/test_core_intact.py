"""The ERP's own calendar behaves as without the addons: archived events, recurring series and private events,
for every user; only the party meetings of a plain unit liaison are narrowed down (as before).

Odoo's own tests of calendar, hr, portal and mail are compared with and without the addons by
`scripts/core_tests.sh` (part of `make test`); these are the scenarios a user meets.
"""

from datetime import datetime, timedelta

from dateutil.relativedelta import relativedelta

from odoo import fields
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import PartyCase


@tagged("post_install", "-at_install")
class TestCoreIntact(PartyCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.admin = cls.env.ref("base.user_admin")
        cls.employee = new_test_user(cls.env, login="ci_employee", groups="base.group_user")
        cls.colleague = new_test_user(cls.env, login="ci_colleague", groups="base.group_user")
        cls.liaison = new_test_user(cls.env, login="ci_liaison", groups="garbage_sorting.garbage_sorting_group_liaison")
        cls.other_liaison = new_test_user(
            cls.env, login="ci_liaison2", groups="garbage_sorting.garbage_sorting_group_liaison"
        )
        cls.manager = new_test_user(cls.env, login="ci_manager", groups="garbage_sorting.garbage_sorting_group_manager")
        cls.village.user_ids = [(4, cls.liaison.id)]
        cls.community.user_ids = [(4, cls.other_liaison.id)]
        # in a month no assessment is published for: a party meeting's organiser may still change it
        cls.start = fields.Datetime.now().replace(microsecond=0) + timedelta(days=10)
        # as the web client does: the "Archived" filter searches `active = False`, without a context of its own
        cls.Event = cls.env["calendar.event"]

    def _event(self, user, **values):
        return (
            self.env["calendar.event"]
            .with_user(user)
            .create(
                {
                    "name": "Dentist",
                    "start": self.start,
                    "stop": self.start + timedelta(hours=1),
                    "partner_ids": [(4, user.partner_id.id)],
                    **values,
                }
            )
        )

    def _party_meeting(self, unit):
        """A work meeting of `unit`, created by the secretary of its party branch."""
        secretary = self.secretary if unit == self.village else self.other_secretary
        values = {"party_meeting_kind": "work", "party_organizer_unit_id": unit.id, "partner_ids": []}
        return self._event(secretary, name=f"Work meeting of {unit.name}", **values)

    def test_archived_event_is_restored_as_without_the_addons(self):
        """Whoever restores an archived event in Odoo restores it with the addons: its organiser, an attendee,
        a plain unit liaison for their own event, the administrator."""
        own = self._event(
            self.employee, partner_ids=[(4, self.employee.partner_id.id), (4, self.colleague.partner_id.id)]
        )
        liaisons_own = self._event(self.liaison, name="Liaison's dentist")
        cases = [
            (own, self.employee),  # the organiser
            (own, self.colleague),  # an attendee
            (own, self.admin),
            (liaisons_own, self.liaison),  # a plain liaison, their own ordinary event
            (liaisons_own, self.admin),
            (own, self.liaison),  # any employee may, in Odoo: so may a liaison
        ]
        for event, user in cases:
            with self.subTest(event=event.name, user=user.login):
                event.action_archive()
                self.assertFalse(event.active)
                self.env.invalidate_all()  # what follows is the user's next request
                # an archived event is found by the user who may restore it (the "Archived" filter) ...
                found = self.Event.with_user(user).search([("id", "=", event.id), ("active", "=", False)])
                self.assertEqual(found, event)
                self.assertEqual(found.name, event.name)
                # ... and restored
                found.action_unarchive()
                self.assertTrue(event.active)

    def test_archived_party_meeting(self):
        """An archived party meeting is restored by whoever may change it (its organiser's secretary, the task
        force, the administrator) and read by the liaison of its unit; another unit's liaison still never sees it,
        archived or not."""
        meeting = self._party_meeting(self.village)
        item = self.env["party.action.item"].create(
            {"name": "Add bins", "meeting_id": meeting.id, "owner_id": self.secretary.partner_id.id}
        )
        for user in (self.secretary, self.manager, self.admin):
            with self.subTest(user=user.login):
                meeting.with_user(user).action_archive()
                self.assertFalse(meeting.active)
                self.env.invalidate_all()
                self.Event.with_user(user).browse(meeting.id).action_unarchive()
                self.assertTrue(meeting.active)
        meeting.action_archive()
        self.env.invalidate_all()
        # the liaison of the village reads the archived meeting and its action items; they do not change it
        as_liaison = self.Event.with_user(self.liaison)
        self.assertEqual(as_liaison.search([("id", "=", meeting.id), ("active", "=", False)]), meeting)
        self.assertEqual(as_liaison.browse(meeting.id).name, meeting.name)
        self.assertEqual(self.env["party.action.item"].with_user(self.liaison).search([("id", "=", item.id)]), item)
        with self.assertRaises(AccessError):
            as_liaison.browse(meeting.id).action_unarchive()
        self.assertFalse(meeting.active)
        # another unit's liaison: neither the meeting nor its items, archived or restored
        as_other = self.Event.with_user(self.other_liaison)
        for active in (False, True):
            meeting.active = active
            self.assertFalse(as_other.search([("id", "=", meeting.id), ("active", "in", (True, False))]))
            with self.assertRaises(AccessError):
                as_other.browse(meeting.id).read(["name"])
            self.assertFalse(self.env["party.action.item"].with_user(self.other_liaison).search([("id", "=", item.id)]))
            with self.assertRaises(AccessError):
                item.with_user(self.other_liaison).read(["name"])

    def test_recurring_series_update(self):
        """Odoo's TestUpdateMonthlyByDate.test_attendees_state_after_update, by the administrator, a plain employee
        and a plain liaison organising the series: updating a series archives its events and recreates them."""
        Recurrence = self.env["calendar.recurrence"]
        for organizer in (self.admin, self.employee, self.liaison):
            with self.subTest(organizer=organizer.login):
                attendee = self.env["res.partner"].create({"name": "Attendee", "email": "attendee@example.com"})
                first = (
                    self.env["calendar.event"]
                    .with_user(organizer)
                    .create(
                        {
                            "name": "Recurrence",
                            "start": datetime(2023, 10, 18, 8, 0),
                            "stop": datetime(2023, 10, 18, 10, 0),
                            "rrule": "FREQ=WEEKLY;COUNT=5;BYDAY=WE",
                            "recurrency": True,
                            "partner_ids": [(4, organizer.partner_id.id), (4, attendee.id)],
                        }
                    )
                )
                last_id = first.recurrence_id.id
                first.recurrence_id.calendar_event_ids.attendee_ids.state = "accepted"
                # the whole series moves by two hours
                first.write(
                    {
                        "start": first.start + relativedelta(hours=2),
                        "stop": first.stop + relativedelta(hours=2),
                        "recurrence_update": "all_events",
                    }
                )
                first = Recurrence.search([("id", ">", last_id)]).base_event_id
                last_id = first.recurrence_id.id
                events = first.recurrence_id.calendar_event_ids.sorted("start")
                self.assertEqual(len(events), 5)
                self.assertEqual(events[0].start, datetime(2023, 10, 18, 10, 0))
                for line in events.attendee_ids:
                    self.assertEqual(
                        line.state, "accepted" if line.partner_id == organizer.partner_id else "needsAction"
                    )
                # then from its second event on
                events.attendee_ids.state = "accepted"
                second = events[1].with_user(organizer)
                second.write(
                    {
                        "start": second.start + relativedelta(hours=2),
                        "stop": second.stop + relativedelta(hours=2),
                        "recurrence_update": "future_events",
                    }
                )
                second = Recurrence.search([("id", ">", last_id)]).base_event_id
                self.assertTrue(first.active)
                self.assertEqual(set(first.attendee_ids.mapped("state")), {"accepted"})
                self.assertEqual(second.start, datetime(2023, 10, 25, 12, 0))
                for line in second.recurrence_id.calendar_event_ids.attendee_ids:
                    self.assertEqual(
                        line.state, "accepted" if line.partner_id == organizer.partner_id else "needsAction"
                    )
                # the organiser archives the new part of the series and restores it
                series = second.recurrence_id.calendar_event_ids.with_user(organizer)
                series.action_archive()
                self.env.invalidate_all()
                self.Event.with_user(organizer).browse(series.ids).action_unarchive()
                self.assertTrue(all(series.mapped("active")))

    def test_private_events_keep_odoo_semantics(self):
        """A private event is the organiser's and its attendees'; any other employee, a plain liaison included,
        sees only that the time is taken, and changes nothing (Odoo's own private-events rule)."""
        private = self._event(
            self.employee,
            name="Medical appointment",
            location="Clinic",
            privacy="private",
            partner_ids=[(4, self.employee.partner_id.id), (4, self.colleague.partner_id.id)],
        )
        for user in (self.employee, self.colleague):
            self.assertEqual(private.with_user(user).read(["name", "location"])[0]["location"], "Clinic")
            private.with_user(user).write({"description": f"seen by {user.login}"})
        for user in (self.liaison, self.manager):
            with self.subTest(user=user.login):
                self.env.invalidate_all()
                values = private.with_user(user).read(["name", "location"])[0]
                self.assertNotEqual(values["name"], "Medical appointment")
                self.assertFalse(values["location"])
                with self.assertRaises(AccessError):
                    private.with_user(user).write({"name": "Taken over"})
        self.assertEqual(private.name, "Medical appointment")
        # archived, it is restored by its organiser as in Odoo
        private.with_user(self.employee).action_archive()
        self.env.invalidate_all()
        self.Event.with_user(self.employee).browse(private.id).action_unarchive()
        self.assertTrue(private.active)

    def test_plain_liaison_still_narrowed_to_own_units(self):
        """The one restriction of the addons on the calendar: a unit liaison with no other role reads the party
        meetings of their own units (and those they organise or attend), every ordinary event as in Odoo."""
        own = self._party_meeting(self.village)
        other = self._party_meeting(self.community)
        ordinary = self._event(self.employee, name="Town fair")
        events = own | other | ordinary
        self.assertEqual(self.Event.with_user(self.liaison).search([("id", "in", events.ids)]), own | ordinary)
        self.assertEqual(self.Event.with_user(self.other_liaison).search([("id", "in", events.ids)]), other | ordinary)
        # everybody else: all of them, as in Odoo
        party_member = new_test_user(
            self.env,
            login="ci_liaison_member",
            groups="garbage_sorting.garbage_sorting_group_liaison,party_branch_linkage.party_branch_linkage_group_member",
        )
        for user in (self.employee, self.admin, self.manager, self.secretary, party_member):
            with self.subTest(user=user.login):
                self.assertEqual(self.Event.with_user(user).search([("id", "in", events.ids)]), events)
        # an invitation opens the meeting to the invited liaison
        other.partner_ids = [(4, self.liaison.partner_id.id)]
        self.assertEqual(other.with_user(self.liaison).name, other.name)

    def test_files_of_ordinary_events_are_odoo_s(self):
        """The photo guard concerns party meetings: the files of an ordinary event move as in Odoo."""
        event = self._event(self.employee)
        other = self._event(self.employee, name="Dentist again")
        Attachment = self.env["ir.attachment"]
        agenda = Attachment.with_user(self.employee).create(
            {"name": "agenda.txt", "raw": b"agenda", "res_model": "calendar.event", "res_id": event.id}
        )
        agenda.write({"res_id": other.id})
        self.assertEqual(agenda.res_id, other.id)
        meeting = self._party_meeting(self.village)
        photo = Attachment.with_user(self.secretary).create(
            {"name": "photo.png", "raw": b"png", "res_model": "calendar.event", "res_id": meeting.id}
        )
        with self.assertRaisesRegex(AccessError, "stays with the record"):
            photo.write({"res_id": self._party_meeting(self.village).id})
        self.assertEqual(photo.res_id, meeting.id)
