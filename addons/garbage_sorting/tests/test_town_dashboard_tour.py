import json

from odoo.tests import HttpCase, tagged

from .town_dashboard import town_dashboard_expectations

TOUR = "garbage_sorting_town_dashboard_tour"


@tagged("post_install", "-at_install")
class TestTownDashboardTour(HttpCase):
    """The town dashboard in a real Chromium: opened from the Dashboards menu, it shows the latest published
    month's figures, its red and grey lists with yes/no words, and the score trend, and the client stays
    responsive (the tour goes on after the data are in)."""

    def _open_dashboard(self, login):
        user = self.env["res.users"].search([("login", "=", login)])
        env = self.env(user=user, context=dict(self.env.context, lang=user.lang))
        expected = town_dashboard_expectations(env)
        options = {"stepDelay": 0, "keepWatchBrowser": False, "debug": False, "startUrl": "/odoo"}
        code = (
            f"sessionStorage.setItem('garbage_sorting_town_dashboard_expected', {json.dumps(json.dumps(expected))});"
            f"odoo.startTour({TOUR!r}, {json.dumps(options)})"
        )
        # A frozen client never reaches the tour's last step: the test fails after `timeout` seconds (the tour
        # itself takes about 15 s, the data 20 s at most).
        self.start_tour("/odoo", TOUR, login=login, code=code, timeout=45)
        return expected

    def test_task_force_sees_the_latest_published_month(self):
        expected = self._open_dashboard("taskforce")
        # the demo town's latest published month, in Chinese
        self.assertTrue(expected["latest"])
        self.assertIn("最新发布月份", expected["cells"][0]["expect"])
        self.assertIn("是", {cell["expect"] for cell in expected["cells"]})

    def test_admin_sees_the_same_month(self):
        expected = self._open_dashboard("admin")
        self.assertIn(expected["latest"], expected["cells"][0]["expect"])
