import json

from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestUnitMeetingsOnAPhone(HttpCase):
    """The demo liaison's unit meetings on a 390 px phone: cards with their kind as a badge, then the list and a
    meeting's form, none of them scrolling sideways (garbage_sorting's phone cards tour)."""

    browser_size = "390x844"
    touch_enabled = True

    def test_liaison_opens_the_units_meetings_as_cards(self):
        liaison = self.env.ref("garbage_sorting.user_liaison_demo")
        action = self.env.ref("party_branch_linkage.calendar_event_action_unit_meetings")
        views = action.sudo().read(["views", "mobile_view_mode"])[0]
        self.assertIn("kanban", [view_type for __, view_type in views["views"]])
        self.assertEqual(views["mobile_view_mode"], "kanban")
        self.assertTrue(
            self.env["calendar.event"]
            .with_user(liaison)
            .search_count([("party_organizer_unit_id.user_ids", "in", liaison.ids)]),
            "the demo liaison's unit has meetings to show",
        )
        url = "/odoo/action-party_branch_linkage.calendar_event_action_unit_meetings"
        options = {"stepDelay": 0, "keepWatchBrowser": False, "debug": False, "startUrl": url}
        tour = "garbage_sorting_phone_cards_tour"
        self.start_tour(url, tour, login="liaison", code=f"odoo.startTour({tour!r}, {json.dumps(options)})", timeout=90)
