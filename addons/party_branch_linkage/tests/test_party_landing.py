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
        self.assertEqual(info["home_action_id"], self.env.ref("garbage_sorting.garbage_escalation_action").id)

    def test_secretary_sees_their_organisations_first(self):
        """Party Organizations (the menu's action) lists the secretary's own organisation and those below it
        first, then the town's in the usual order: as the secretary, over RPC, in the list and the kanban."""
        secretary = self.env.ref("party_branch_linkage.user_secretary_demo")
        Organization = self.env["party.organization"]
        mine = Organization.with_user(secretary).search([("user_is_secretary", "=", True)])
        self.assertIn(self.env.ref("party_branch_linkage.party_organization_qingshan_demo"), mine)
        everything = Organization.search([], order="complete_name")
        expected = mine.sorted("complete_name") + (everything - mine)
        # (recordsets compare as sets: the order is in their ids)
        self.assertNotEqual(expected.ids, everything.ids, "the secretary's organisation is not first by name anyway")
        self.assertEqual(Organization.with_user(secretary).search([]).ids, expected.ids)
        # Someone who is nobody's secretary sees the usual order.
        self.assertEqual(Organization.with_user(self.env.ref("base.user_admin")).search([]).ids, everything.ids)

        # The menu's action, as the web client loads it: no order of its own, nor in its list and kanban.
        action = self.env.ref("party_branch_linkage.party_organization_menu").action
        self.assertEqual(action, self.env.ref("party_branch_linkage.party_organization_action"))
        self.assertFalse(action.domain)
        for view_type in ("list", "kanban"):
            arch = Organization.with_user(secretary).get_views([(False, view_type)])["views"][view_type]["arch"]
            self.assertNotIn("default_order", arch)
        self._login("secretary")
        for method, kwargs in (
            ("web_search_read", {"specification": {"complete_name": {}}, "order": "", "limit": 80}),
            ("search_read", {"fields": ["complete_name"]}),
        ):
            rows = self.make_jsonrpc_request(
                f"/web/dataset/call_kw/party.organization/{method}",
                {"model": "party.organization", "method": method, "args": [[]], "kwargs": kwargs},
            )
            records = rows["records"] if method == "web_search_read" else rows
            self.assertEqual([row["id"] for row in records], expected.ids, method)
        # Grouped by type (read_group orders the groups; the rows inside follow the same order).
        groups = Organization.with_user(secretary).read_group([], ["__count"], ["org_type"])
        self.assertEqual(sum(group["org_type_count"] for group in groups), len(everything))
        # Another model's rows grouped by organisation: the groups come in the organisations' order too.
        meetings = self.env["calendar.event"].with_user(secretary)
        groups = meetings.read_group([("party_organization_id", "!=", False)], ["__count"], ["party_organization_id"])
        order = [group["party_organization_id"][0] for group in groups]
        self.assertEqual(order, [org for org in expected.ids if org in order])
