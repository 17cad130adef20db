from odoo.exceptions import ValidationError
from odoo.tests import Form, tagged

from .common import PartyCase


@tagged("post_install", "-at_install")
class TestPartyMeeting(PartyCase):
    def test_meeting_kind_needs_an_organizer(self):
        Event = self.env["calendar.event"]
        with self.assertRaises(ValidationError), self.env.cr.savepoint():
            self._meeting("work", "2026-03-10 01:00:00", name="Orphan meeting")
        self.assertFalse(Event.search([("name", "=", "Orphan meeting")]))
        # An ordinary calendar event needs no organiser.
        self.assertTrue(
            Event.create({"name": "Dentist", "start": "2026-03-10 01:00:00", "stop": "2026-03-10 02:00:00"})
        )

    def test_staff_create_meetings_from_the_calendar_form(self):
        group = self.env["party.linkage.group"].create(
            {
                "name": "1+1+N",
                "kind": "one_one_n",
                "lead_unit_id": self.bureau.id,
                "unit_ids": [(6, 0, self.community.ids)],
            }
        )
        with Form(self.env["calendar.event"]) as form:
            form.name = "Joint meeting"
            form.party_meeting_kind = "governance"
            form.party_organizer_unit_id = self.village
            form.party_organization_id = self.village_branch
            form.party_linkage_group_id = group
        meeting = form.record
        self.assertEqual(meeting.garbage_unit_ids, self.village | self.community | self.bureau)
        self.assertEqual(self.village.party_meeting_count, 1)
        self.assertEqual(group.meeting_count, 1)

    def test_action_item_needs_an_owner(self):
        meeting = self._meeting("work", "2026-03-10 01:00:00", party_organizer_unit_id=self.village.id)
        Item = self.env["party.action.item"]
        with self.assertRaises(ValidationError), self.env.cr.savepoint():
            Item.create({"name": "Buy bins", "meeting_id": meeting.id})
        self.assertFalse(Item.search([("name", "=", "Buy bins")]))

    def test_open_action_items_carry_over_to_the_next_meeting_of_the_same_body(self):
        owner = self.env["res.partner"].create({"name": "Owner"})
        first = self._meeting("work", "2026-01-10 01:00:00", party_organizer_unit_id=self.village.id)
        items = self.env["party.action.item"].create(
            [
                {"name": "Add bins", "meeting_id": first.id, "owner_id": owner.id},
                {"name": "Post notice", "meeting_id": first.id, "owner_id": owner.id},
            ]
        )
        items[1].action_close()
        following = self._meeting("deliberation", "2026-02-10 01:00:00", party_organizer_unit_id=self.village.id)
        other_body = self._meeting("work", "2026-02-10 01:00:00", party_organizer_unit_id=self.community.id)
        self.assertEqual(following.party_carried_item_ids, items[0])
        self.assertFalse(other_body.party_carried_item_ids)
        self.assertFalse(first.party_carried_item_ids, "an item does not carry over to its own meeting")
        items[0].action_close()
        following.invalidate_recordset(["party_carried_item_ids"])
        self.assertFalse(following.party_carried_item_ids)

    def test_sign_in(self):
        meeting = self._meeting("publicity", "2026-03-10 01:00:00", party_organization_id=self.village_branch.id)
        meeting.with_user(self.secretary).action_party_sign_in()
        self.assertEqual(meeting.party_signed_partner_ids, self.secretary.partner_id)
        self.assertEqual(meeting.party_signed_count, 1)
