import re

from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestSecretaryLanding(HttpCase):
    """A branch secretary lands on their own organisation after login, not on Discuss."""

    def _login(self, login):
        self.opener.cookies.clear()
        page = self.url_open("/web/login")
        token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
        return self.url_open("/web/login", data={"login": login, "password": login, "csrf_token": token})

    def test_secretary_lands_on_their_organisation(self):
        response = self._login("secretary")
        self.assertTrue(response.url.endswith("/odoo"), response.url)
        info = self.make_jsonrpc_request("/web/session/get_session_info")
        action = self.env.ref("party_branch_linkage.party_organization_action_mine")
        self.assertEqual(info["home_action_id"], action.id)
        self.assertIn("search_default_mine", action.context)
        secretary = self.env.ref("party_branch_linkage.user_secretary_demo")
        mine = self.env["party.organization"].with_user(secretary).search([("user_is_secretary", "=", True)])
        self.assertTrue(mine)
        self.assertIn(secretary, mine.mapped("secretary_id"))

    def test_the_leader_who_is_also_committee_secretary_lands_on_waste_sorting(self):
        self._login("leader")
        info = self.make_jsonrpc_request("/web/session/get_session_info")
        self.assertEqual(info["home_action_id"], self.env.ref("garbage_sorting.garbage_assessment_action").id)
