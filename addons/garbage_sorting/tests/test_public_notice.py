"""公示: the published lists are public, and nothing else is.

As the people concerned: anyone without a login (HTTP), a portal user calling JSON-RPC, each unit's liaison
(`with_user`), and the town's roles printing the notice through the requests the web client sends for its button
(`web_client.py`), read back with pdftotext.
"""

import io
import subprocess
import tempfile
from pathlib import Path
from urllib.parse import unquote

from PIL import Image

from odoo.exceptions import AccessError
from odoo.tests import HttpCase, JsonRpcException, new_test_user, tagged

from .common import AssessmentCase, first_town_env, month
from .web_client import WebClientMixin

NOTICE = "/garbage_sorting/notice"


def pdf_images(content):
    """The images a PDF holds (`pdfimages`), as PIL images in black and white."""
    with tempfile.TemporaryDirectory() as folder:
        pdf = Path(folder, "notice.pdf")
        pdf.write_bytes(content)
        subprocess.run(["pdfimages", "-png", str(pdf), str(Path(folder, "image"))], check=True, capture_output=True)
        return [Image.open(path).convert("L").copy() for path in sorted(Path(folder).glob("image-*.png"))]


def qr_likeness(image, expected_png):
    """The share of pixels (on a common 99 x 99 grid, black or white) in which `image` shows the QR code
    `expected_png`: about 1 for the same code, less for another (their finder patterns and margins agree)."""
    expected = Image.open(io.BytesIO(expected_png)).convert("L")
    size = (99, 99)
    first = [pixel < 128 for pixel in image.resize(size).getdata()]
    second = [pixel < 128 for pixel in expected.resize(size).getdata()]
    return sum(a == b for a, b in zip(first, second, strict=True)) / len(first)


@tagged("post_install", "-at_install")
class TestPublicNotice(WebClientMixin, HttpCase, AssessmentCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        # the town works in Chinese: its notice and its page are written in it, whoever reads them
        cls.env.company.partner_id.lang = "zh_CN"
        Unit = cls.env["garbage.unit"]
        units = Unit.create(
            [
                {"name": "桃花村", "code": "PN-1", "unit_type": "village"},
                {"name": "杏林村", "code": "PN-2", "unit_type": "village"},
                {"name": "柳荫社区", "code": "PN-3", "unit_type": "community"},
                {"name": "石桥村", "code": "PN-4", "unit_type": "village"},
                {"name": "镇卫生院", "code": "PN-5", "unit_type": "agency"},
                {"name": "恒丰纸业有限公司", "code": "PN-6", "unit_type": "enterprise"},
            ]
        )
        cls.flag_village, cls.red_village, cls.normal_village, cls.grey_village, cls.agency, cls.enterprise = units
        cls.liaison_partner = cls.env["res.partner"].create({"name": "吴晓梅", "phone": "13912345678"})
        cls.normal_village.write({"liaison_id": cls.liaison_partner.id, "user_ids": [(4, cls.liaison.id)]})
        cls.other_liaison = new_test_user(
            cls.env, login="gs_pn_liaison2", groups="garbage_sorting.garbage_sorting_group_liaison"
        )
        cls.grey_village.user_ids = [(4, cls.other_liaison.id)]
        cls.portal_user = new_test_user(cls.env, login="gs_pn_portal", groups="base.group_portal")
        cls.inspector = new_test_user(
            cls.env, login="gs_pn_inspector", groups="garbage_sorting.garbage_sorting_group_inspector"
        )
        # March: published; April: computed, not published (the normal village would be red in it).
        cls.march = cls._publish_month(
            cls,
            month(2024, 3),
            [
                (cls.flag_village, 97),
                (cls.red_village, 93),
                (cls.normal_village, 86),
                (cls.grey_village, 61),
                (cls.agency, 94),
                (cls.enterprise, 55),
            ],
        )
        cls._month_all_sources([(cls.normal_village, 99), (cls.grey_village, 58)], month(2024, 4))
        cls.april = cls.Period.create({"date_start": month(2024, 4)})
        cls.april.action_compute()
        cls.env.company.garbage_public_notice = True
        cls.admin = cls.env.ref("base.user_admin")

    def _page(self, path=NOTICE):
        response = self.url_open(path, allow_redirects=False)
        return response.status_code, response.text

    def _settings(self, public):
        self.env["res.config.settings"].with_user(self.admin).create({"garbage_public_notice": public}).execute()

    # The results as they stand

    def test_the_month_results_the_tests_rely_on(self):
        self.assertEqual((self.march.state, self.april.state), ("published", "computed"))
        results = {line.unit_id: (line.result, line.red_flag) for line in self.march.line_ids}
        self.assertEqual(results[self.flag_village], ("red", True))
        self.assertEqual(results[self.red_village], ("red", False))
        self.assertEqual(results[self.normal_village], ("normal", False))
        self.assertEqual(results[self.grey_village], ("grey", False))
        self.assertEqual(results[self.agency], ("red", True))
        self.assertEqual(results[self.enterprise], ("grey", False))
        self.assertEqual(self._line(self.april, self.normal_village).result, "red")

    # Anyone, without a login

    def test_public_page_lists_the_published_months_only(self):
        status, text = self._page()
        self.assertEqual(status, 200)
        self.assertIn("垃圾分类红灰榜", text)
        # each month's link names its town (the page of another town is at ?town=<its id>)
        self.assertIn(f'href="/garbage_sorting/notice/2024-03?town={self.env.company.id}"', text)
        self.assertNotIn("2024-04", text, "a computed month is not published")

    def test_public_month_page_shows_the_lists_and_nothing_else(self):
        status, text = self._page(f"{NOTICE}/2024-03")
        self.assertEqual(status, 200)
        for expected in ("桃花村", "杏林村", "石桥村", "镇卫生院", "恒丰纸业有限公司", "97.00", "61.00", "2024-03"):
            self.assertIn(expected, text)
        for label in ("红榜", "灰榜", "村(社区)组", "企业组", "流动小红旗", "月份： <span>2024-03</span>"):
            self.assertIn(label, text)
        self.assertEqual(text.count("★"), 2, "the village's and the agency's flag holders")
        # a unit neither red nor grey: not named, not scored; nobody's name nor phone
        for secret in ("柳荫社区", "86.00", "吴晓梅", "13912345678", "99.00"):
            self.assertNotIn(secret, text)

    def test_unpublished_missing_and_malformed_months_are_404(self):
        for month_path in ("2024-04", "2024-05", "2024-3", "abcd-ef", "2024-03-01"):
            with self.subTest(month=month_path):
                status, text = self._page(f"{NOTICE}/{month_path}")
                self.assertEqual(status, 404)
                self.assertNotIn("柳荫社区", text)

    def test_settings_turn_the_page_off(self):
        Settings = self.env["res.config.settings"].with_user(self.admin)
        self.assertTrue(Settings.create({}).garbage_public_notice, "on by default")
        self._settings(False)
        self.assertFalse(Settings.create({}).garbage_public_notice)
        for path in (NOTICE, f"{NOTICE}/2024-03"):
            with self.subTest(path=path):
                status, text = self._page(path)
                self.assertEqual(status, 404)
                self.assertNotIn("桃花村", text)
        self._settings(True)
        self.assertEqual(self._page(f"{NOTICE}/2024-03")[0], 200)

    def test_a_reopened_month_leaves_the_page_until_published_again(self):
        self.march.action_reopen()
        status, text = self._page()
        self.assertEqual(status, 200)
        self.assertNotIn("2024-03", text)
        self.assertEqual(self._page(f"{NOTICE}/2024-03")[0], 404)
        in_march = [("date_start", "=", "2024-03-01")]
        self.assertFalse(self.env["garbage.assessment.notice"].with_user(self.portal_user).search(in_march))
        self.assertFalse(self.env["garbage.assessment.notice.month"].with_user(self.liaison).search(in_march))
        self.march.action_publish()
        status, text = self._page(f"{NOTICE}/2024-03")
        self.assertEqual(status, 200)
        self.assertIn("桃花村", text)

    # A portal user, over JSON-RPC

    def _call_kw(self, model, method, args, **kwargs):
        return self.make_jsonrpc_request(
            f"/web/dataset/call_kw/{model}/{method}",
            {"model": model, "method": method, "args": args, "kwargs": kwargs},
        )

    def test_portal_user_over_json_rpc_reads_the_published_lists_only(self):
        self.authenticate("gs_pn_portal", "gs_pn_portal")
        in_2024 = [("date_start", ">=", "2024-01-01"), ("date_start", "<", "2025-01-01")]
        entries = self._call_kw("garbage.assessment.notice", "search_read", [in_2024], fields=[])
        self.assertEqual(
            sorted(entry["unit_name"] for entry in entries),
            sorted(["桃花村", "杏林村", "石桥村", "镇卫生院", "恒丰纸业有限公司"]),
        )
        self.assertFalse({entry["month_id"][1] for entry in entries} - {"2024-03"})
        self.assertFalse({"unit_id", "period_id", "liaison_id"} & set(entries[0]), "no link to the units or the month")
        months = self._call_kw("garbage.assessment.notice.month", "search_read", [in_2024], fields=["name"])
        self.assertEqual([month_values["name"] for month_values in months], ["2024-03"])
        april_lines = self.april.line_ids.ids
        self.assertFalse(self._call_kw("garbage.assessment.notice", "search", [[("id", "in", april_lines)]]))
        for model, method, args in (
            ("garbage.assessment", "search_read", [[]]),
            ("garbage.assessment", "read", [april_lines, ["score"]]),
            ("garbage.assessment.period", "search_read", [[]]),
            ("garbage.assessment.notice", "write", [[entries[0]["id"]], {"score": 100}]),
            ("garbage.assessment.notice", "unlink", [[entries[0]["id"]]]),
        ):
            with self.subTest(model=model, method=method), self.assertRaisesRegex(JsonRpcException, "AccessError"):
                self._call_kw(model, method, args)

    # Each unit's liaison, in the back office

    def test_each_liaison_reads_the_whole_published_list_never_a_computed_month(self):
        for liaison in (self.liaison, self.other_liaison):
            with self.subTest(liaison=liaison.login):
                Line = self.env["garbage.assessment"].with_user(liaison)
                self.assertEqual(Line.search([("period_id", "=", self.march.id)]).unit_id, self.march.line_ids.unit_id)
                self.assertTrue(self._line(self.march, self.flag_village).with_user(liaison).read(["score", "rank"]))
                self.assertFalse(Line.search([("period_id", "=", self.april.id)]))
                with self.assertRaises(AccessError):
                    self.april.line_ids.with_user(liaison).read(["score"])
                # what the results menu asks: the published months of every unit
                read = Line.web_search_read(
                    [("period_id", "in", (self.march | self.april).ids)], {"unit_id": {"fields": {"display_name": {}}}}
                )
                self.assertEqual(read["length"], 6, "March's six units, none of April")
                self.assertIn("桃花村", {record["unit_id"]["display_name"] for record in read["records"]})
                # what the results pivot asks: the scores by unit, every unit named
                groups = Line.read_group([("period_id", "=", self.march.id)], ["score:avg"], ["unit_id"])
                self.assertEqual(
                    {group["unit_id"][1] for group in groups}, set(self.march.line_ids.unit_id.mapped("name"))
                )
        # the liaison's own unit in the computed month: not even its own line
        with self.assertRaises(AccessError):
            self._line(self.april, self.normal_village).with_user(self.liaison).read(["result"])
        # a month reopened goes back out of their reach
        self.march.action_reopen()
        self.assertFalse(
            self.env["garbage.assessment"].with_user(self.liaison).search([("date_start", "<", "2025-01-01")])
        )

    def test_town_roles_and_the_liaisons_other_records_stay_as_they_were(self):
        for user in (self.inspector, self.leader, self.manager):
            with self.subTest(user=user.login):
                self.assertEqual(
                    self.env["garbage.assessment"].with_user(user).search([("period_id", "=", self.april.id)]),
                    self.april.line_ids,
                )
        # annual records and escalations: a liaison's own units only
        annuals = self.env["garbage.unit.annual"].with_user(self.other_liaison).search([("year", "=", 2024)])
        self.assertEqual(annuals.unit_id, self.grey_village)
        escalations = self.env["garbage.escalation"].with_user(self.liaison).search([])
        self.assertFalse(
            escalations - escalations.filtered(lambda escalation: escalation.unit_id == self.normal_village)
        )
        self.assertTrue(self.env["garbage.escalation"].with_user(self.other_liaison).search([]))
        with self.assertRaises(AccessError):
            self.grey_village.with_user(self.liaison).read(["name"])

    # The printed notice

    def test_printed_notice_through_the_button(self):
        self.authenticate("gs_leader", "gs_leader")
        action = self.press("garbage.assessment.period", self.march, "action_print_notice")
        response = self.execute(action)
        text = self.pdf_text(response)
        for expected in ("桃花村", "杏林村", "石桥村", "镇卫生院", "恒丰纸业有限公司", "2024-03", "97.00"):
            self.assertIn(expected, text)
        for label in (
            "垃圾分类红灰榜公示",
            "月份: 2024-03",
            "红榜",
            "灰榜",
            "村(社区)组",
            "机关和市镇单位组",
            "企业组",
        ):
            self.assertIn(label, text)
        self.assertEqual(text.count("★"), 2)
        red_list, grey_list = text.index("红榜 村(社区)组 排名"), text.index("灰榜 单位 考核组别")
        self.assertLess(red_list, text.index("桃花村"))
        self.assertLess(text.index("桃花村"), grey_list, "the red list first, then the grey list")
        self.assertLess(grey_list, text.index("石桥村"))
        self.assertIn(self.env.company.name, text, "the town's letterhead")
        for secret in ("柳荫社区", "86.00", "吴晓梅", "13912345678"):
            self.assertNotIn(secret, text)
        # the file's name is the town's, in its language, whoever prints it
        self.assertIn("红灰榜公示 2024-03.pdf", unquote(response.headers["Content-Disposition"]))
        # the QR code of the month's page: the image is the code of that address, not of another one
        url = f"{self.march.get_base_url()}{NOTICE}/2024-03?town={self.march.company_id.id}"
        self.assertIn(url, text)
        Report = self.env["ir.actions.report"]
        expected = Report.barcode("QR", url, width=240, height=240)
        other = Report.barcode(
            "QR", f"{self.march.get_base_url()}{NOTICE}/2024-02?town={self.march.company_id.id}", width=240, height=240
        )
        images = pdf_images(response.content)
        best = max(images, key=lambda image: qr_likeness(image, expected))
        mismatch, other_mismatch = 1 - qr_likeness(best, expected), 1 - qr_likeness(best, other)
        self.assertLess(mismatch, 0.01, "the month's address, pixel for pixel (but for the scaling's edges)")
        self.assertGreater(other_mismatch, 20 * mismatch, "not another month's address")

    def test_notice_of_a_month_not_published_is_refused(self):
        self.authenticate("gs_leader", "gs_leader")
        with self.assertRaisesRegex(JsonRpcException, "UserError"):
            self.press("garbage.assessment.period", self.april, "action_print_notice")
        # the report's own URL, as the client would request it for that month
        action = self.press("garbage.assessment.period", self.march, "action_print_notice")
        action["context"] = {**action["context"], "active_ids": self.april.ids, "active_id": self.april.id}
        self.assert_refused(self.execute(action), "柳荫社区", "99.00")

    def test_no_qr_code_while_the_page_is_off(self):
        self._settings(False)
        self.authenticate("gs_leader", "gs_leader")
        text = self.pdf_text(self.execute(self.press("garbage.assessment.period", self.march, "action_print_notice")))
        self.assertIn("桃花村", text)
        self.assertNotIn(NOTICE, text)

    def test_print_button_is_for_the_town_roles(self):
        for user, visible in ((self.leader, True), (self.inspector, True), (self.liaison, False)):
            with self.subTest(user=user.login):
                arch = self.env["garbage.assessment.period"].with_user(user).get_views([(False, "form")])
                form = arch["views"]["form"]["arch"]
                self.assertEqual('name="action_print_notice"' in form, visible)


@tagged("post_install", "-at_install")
class TestDemoNotice(HttpCase):
    """The demo town shows its public notice as installed (the setting is on unless turned off)."""

    def test_demo_latest_published_month_is_public(self):
        latest = first_town_env(self.env)["garbage.assessment.period"]._get_latest_published()
        self.assertTrue(latest, "the demo has published months")
        months = self.url_open(NOTICE)
        self.assertEqual(months.status_code, 200)
        self.assertIn(f'href="{NOTICE}/{latest.name}?town={latest.company_id.id}"', months.text)
        page = self.url_open(f"{NOTICE}/{latest.name}")
        self.assertEqual(page.status_code, 200)
        self.assertIn("桃源村", page.text, "red every month of the demo, with the villages' red flag")
        self.assertIn("★", page.text)
        for liaison in latest.line_ids.unit_id.liaison_id:
            self.assertNotIn(liaison.name, page.text)
            if liaison.phone:
                self.assertNotIn(liaison.phone, page.text)
