from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestPartyViews(TransactionCase):
    """The demo users open every screen of the Party Building menu."""

    def test_demo_users_open_the_party_building_screens(self):
        secretary = self.env.ref("party_branch_linkage.user_secretary_demo")
        self.assertEqual(secretary.lang, "zh_CN")
        self.assertEqual(self.env.ref("party_branch_linkage.party_organization_qingshan_demo").secretary_id, secretary)
        menu = self.env.ref("party_branch_linkage.party_branch_linkage_menu_root")
        for xmlid in ("party_branch_linkage.user_secretary_demo", "garbage_sorting.user_liaison_demo"):
            user = self.env.ref(xmlid)
            visible = self.env["ir.ui.menu"].with_user(user)._visible_menu_ids()
            self.assertIn(menu.id, visible, xmlid)
            for action_xmlid in (
                "party_branch_linkage.party_organization_action",
                "party_branch_linkage.party_member_action",
                "party_branch_linkage.calendar_event_action_party",
                "party_branch_linkage.party_action_item_action",
                "party_branch_linkage.party_brand_project_action",
                "party_branch_linkage.party_brand_highlight_action",
                "party_branch_linkage.party_linkage_group_action",
                "party_branch_linkage.party_grassroots_activity_action",
            ):
                action = self.env.ref(action_xmlid)
                Model = self.env[action.res_model].with_user(user)
                if not Model.has_access("read"):
                    continue
                views = [(False, view_type) for view_type in action.view_mode.split(",")] + [(False, "search")]
                self.assertTrue(Model.get_views(views)["views"], action_xmlid)
                self.assertTrue(
                    Model.search([], limit=1) or action_xmlid == "party_branch_linkage.party_action_item_action"
                )
