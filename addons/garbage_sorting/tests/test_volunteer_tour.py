from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestVolunteerTour(HttpCase):
    def test_volunteer_logs_hours_in_the_browser(self):
        user = self.env.ref("garbage_sorting.user_volunteer_demo")
        Hour = self.env["garbage.volunteer.hour"]
        # Start from nothing waiting for approval, so the page's figure is exactly the new entry.
        Hour.search([("partner_id", "=", user.partner_id.id), ("state", "in", ("draft", "submitted"))]).unlink()
        self.start_tour("/my", "garbage_sorting_volunteer_hours_tour", login="volunteer")
        entry = Hour.search([("partner_id", "=", user.partner_id.id)], limit=1)
        self.assertEqual((entry.hours, entry.state, entry.source), (2.5, "submitted", "portal"))
