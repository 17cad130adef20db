from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import GarbageSortingCase


@tagged("post_install", "-at_install")
class TestBinSite(GarbageSortingCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.site = cls.env["garbage.bin.site"].create({"name": "Group 1 kiosk", "unit_id": cls.own_unit.id})

    def test_code_is_a_stable_unique_identifier(self):
        other = self.env["garbage.bin.site"].create({"name": "Group 2 kiosk", "unit_id": self.own_unit.id})
        self.assertTrue(self.site.code.startswith("BIN-"))
        self.assertNotEqual(self.site.code, other.code)
        self.site.name = "Group 1 kiosk (renamed)"
        # The QR code opens the site's portal page (its id and scan token), whatever its name
        self.assertIn(f"%2Fmy%2Fbin-site%2F{self.site.id}%3Ftoken%3D{self.site.access_token}", self.site.qr_code_url)

    def test_qr_report_prints_code_and_qr_image(self):
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html("garbage_sorting.report_garbage_bin_site_qr", self.site.ids)[0]
            .decode()
        )
        self.assertIn('src="data:image/png;base64,', html)
        self.assertIn(self.site.code, html)
        self.assertIn("Group 1 kiosk", html)
        png = self.env["ir.actions.report"].barcode("QR", self.site.code, width=300, height=300)
        self.assertTrue(png.startswith(b"\x89PNG"))

    def test_archive_hides_site(self):
        self.site.active = False
        self.assertFalse(self.env["garbage.bin.site"].search([("id", "=", self.site.id)]))

    def test_liaison_manages_own_units_sites_only(self):
        Site = self.env["garbage.bin.site"].with_user(self.liaison)
        mine = Site.create({"name": "New kiosk", "unit_id": self.own_unit.id})
        mine.disposal_windows = "07:00-09:00"
        other = self.env["garbage.bin.site"].create({"name": "Their kiosk", "unit_id": self.other_unit.id})
        before = self.env["garbage.bin.site"].search_count([])
        with self.assertRaises(AccessError):
            other.with_user(self.liaison).read(["name"])
        with self.assertRaises(AccessError):
            other.with_user(self.liaison).write({"name": "Mine now"})
        with self.assertRaises(AccessError):
            Site.create({"name": "Sneaky", "unit_id": self.other_unit.id})
        with self.assertRaises(AccessError), self.env.cr.savepoint():
            mine.write({"unit_id": self.other_unit.id})
        self.assertEqual(self.env["garbage.bin.site"].search_count([]), before)
        self.assertEqual(other.name, "Their kiosk")
        self.assertEqual(mine.unit_id, self.own_unit)

    def test_town_roles_read_all_sites_manager_edits(self):
        for user in (self.inspector, self.coordinator, self.leader):
            self.site.with_user(user).read(["name"])
            with self.assertRaises(AccessError):
                self.site.with_user(user).write({"name": "x"})
        self.site.with_user(self.manager).name = "Checked"
        self.assertEqual(self.site.name, "Checked")


@tagged("post_install", "-at_install")
class TestUnitSmartButtons(GarbageSortingCase):
    def test_counts_and_actions(self):
        self.env["garbage.bin.site"].create([{"name": n, "unit_id": self.own_unit.id} for n in ("A", "B")])
        self.env["garbage.work.plan"].create({"unit_id": self.own_unit.id, "year": 2026})
        inspection = self._inspection(self.own_unit, source="patrol", user=self.inspector)
        inspection.line_ids[0].with_user(self.inspector).score = 0
        inspection.with_user(self.inspector).action_done()
        unit = self.own_unit.with_user(self.liaison)
        self.assertEqual(
            (unit.bin_site_count, unit.work_plan_count, unit.inspection_count, unit.rectification_count),
            (2, 1, 1, 1),
        )
        action = unit.action_view_rectifications()
        self.assertEqual(self.env[action["res_model"]].search(action["domain"]), inspection.rectification_ids)
        self.assertEqual(unit.action_view_bin_sites()["context"]["default_unit_id"], unit.id)
        self.assertEqual(self.other_unit.bin_site_count, 0)

    def test_demo_units_have_sites_plans_and_open_rectifications(self):
        qingshan = self.env.ref("garbage_sorting.garbage_unit_qingshan_demo")
        self.assertEqual(self.env.ref("garbage_sorting.garbage_bin_site_qingshan_1_demo").name, "青山村一组垃圾分类亭")
        self.assertGreaterEqual(qingshan.bin_site_count, 2)
        self.assertEqual(qingshan.work_plan_count, 1)
        demo_round = self.env.ref("garbage_sorting.garbage_mutual_round_villages_demo")
        self.assertEqual(len(demo_round.inspection_ids), 4)
        self.assertTrue(qingshan.rectification_count)


@tagged("post_install", "-at_install")
class TestViewsPerRole(GarbageSortingCase):
    def test_every_role_opens_the_views(self):
        views = {
            "garbage.unit": ["list", "kanban", "form", "search"],
            "garbage.bin.site": ["list", "form", "search"],
            "garbage.work.plan": ["list", "form", "search"],
            "garbage.inspection": ["list", "form", "search", "calendar", "pivot", "graph"],
            "garbage.rectification": ["list", "kanban", "form", "search", "pivot", "graph"],
            "garbage.mutual.round": ["list", "form"],
        }
        for user in (self.liaison, self.inspector, self.coordinator, self.leader, self.manager):
            for model, view_types in views.items():
                result = self.env[model].with_user(user).get_views([(False, view_type) for view_type in view_types])
                self.assertEqual(set(result["views"]), set(view_types))
