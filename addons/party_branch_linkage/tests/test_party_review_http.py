"""The secretary's annual review as the web client downloads it.

The organisation's form has a button "Annual Review" (an act_window: the review wizard). Its dialog has two
buttons: Print PDF (a report action with data: the client posts /report/download for
`/report/pdf/<report>?options=<data>&context=<context>`, no id in the path) and Download XLSX (an act_url).
The Print menu of the organisations prints the review of the selected ones (`/report/pdf/<report>/<ids>`).
Every request here is the one the client sends (garbage_sorting/tests/web_client.py).
"""

import json
from urllib.parse import unquote

from odoo.addons.garbage_sorting.tests.web_client import WebClientMixin, report_url
from odoo.tests import HttpCase, new_test_user, tagged

PARTY = "party_branch_linkage.party_branch_linkage_group_"
REPORT = "party_branch_linkage.party_annual_review_report"


@tagged("post_install", "-at_install")
class TestPartyAnnualReviewDownload(WebClientMixin, HttpCase):
    """The annual review over HTTP: the organisation's secretary gets it; nobody else learns anything."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        users = {
            login: new_test_user(cls.env, login=login, groups=groups, lang="zh_CN")
            for login, groups in (
                ("pt_http_secretary", PARTY + "secretary"),
                ("pt_http_secretary2", PARTY + "secretary"),
                ("pt_http_member", PARTY + "member"),
                ("pt_http_liaison", "garbage_sorting.garbage_sorting_group_liaison"),
                ("pt_http_inspector", "garbage_sorting.garbage_sorting_group_inspector"),
                ("pt_http_outsider", "base.group_user"),
                ("pt_http_leader", "garbage_sorting.garbage_sorting_group_leader"),
                ("pt_http_portal", "base.group_portal"),
            )
        }
        cls.users = users
        Unit = cls.env["garbage.unit"]
        cls.own_unit = Unit.create({"name": "Own Review Village", "code": "PRH-1", "unit_type": "village"})
        cls.foreign_unit = Unit.create({"name": "Foreign Grey Village", "code": "PRH-2", "unit_type": "village"})
        cls.foreign_unit.user_ids = [(4, users["pt_http_liaison"].id)]
        Organization = cls.env["party.organization"]
        cls.committee = Organization.create({"name": "Download Committee", "org_type": "committee"})
        cls.organization = Organization.create(
            {
                "name": "Own Review Branch",
                "parent_id": cls.committee.id,
                "secretary_id": users["pt_http_secretary"].id,
                "unit_ids": [(6, 0, cls.own_unit.ids)],
            }
        )
        cls.foreign = Organization.create(
            {
                "name": "Foreign Review Branch",
                "parent_id": cls.committee.id,
                "secretary_id": users["pt_http_secretary2"].id,
                "unit_ids": [(6, 0, cls.foreign_unit.ids)],
            }
        )
        cls.env["garbage.unit.annual"].create(
            [
                {"unit_id": cls.own_unit.id, "year": 2025, "red_count": 3, "grey_count": 0},
                {"unit_id": cls.foreign_unit.id, "year": 2025, "red_count": 0, "grey_count": 2, "veto": True},
            ]
        )

    def _review_action(self, organization, year=2025, button="action_print_pdf"):
        """The organisation's form → Annual Review → the dialog (organisation, year) → `button`."""
        wizard_action = self.press(
            "party.organization",
            organization,
            "party_branch_linkage.party_annual_review_action",
            button_type="action",
            button_context={"default_organization_id": organization.id},
        )
        wizard, context = self.save_wizard(wizard_action, {"organization_id": organization.id, "year": year})
        return self.press("party.annual.review", wizard, button, record_context=context)

    def _rows(self, workbook):
        return [
            [cell for cell in row if cell is not None]
            for sheet in workbook.worksheets
            for row in sheet.iter_rows(values_only=True)
        ]

    def test_the_print_button_asks_for_the_review_without_an_id_in_the_path(self):
        """What left the review blank: the client's URL for an action with data carries no id."""
        self.authenticate("pt_http_secretary", "pt_http_secretary")
        action = self._review_action(self.organization)
        url = report_url(action, "pdf")
        self.assertTrue(url.startswith("/report/pdf/party_branch_linkage.report_party_annual_review?options="), url)
        self.assertEqual(action["data"]["year"], 2025)

    def test_secretary_prints_the_review_of_her_organisation(self):
        self.authenticate("pt_http_secretary", "pt_http_secretary")
        text = self.pdf_text(self.execute(self._review_action(self.organization)))
        for expected in ("Own Review Branch · 2025", "书记", "Own Review Village", "单位", "红榜次数", "优先推荐"):
            self.assertIn(expected, text)
        zh = self.env(context=dict(self.env.context, lang="zh_CN"))._
        # the rewards and penalties of the year: no assessment recorded, the review says so (the stored record's
        # print: test_party_building_assessment_http); a table cell may wrap in the PDF: compared without the
        # line breaks
        flat = "".join(text.split())
        self.assertIn(f"{zh('Rewards and Penalties')}{zh('Annual Outcome')}", flat)
        missing = zh("No party-building assessment is recorded for this organization and year.")
        self.assertIn("".join(missing.split()), flat.split(zh("Rewards and Penalties"))[1])
        self.assertNotIn("Foreign Grey Village", text)

    def test_secretary_downloads_the_review_workbook(self):
        self.authenticate("pt_http_secretary", "pt_http_secretary")
        action = self._review_action(self.organization, button="action_download_xlsx")
        workbook = self.workbook(self.execute(action))
        self.assertEqual(len(workbook.sheetnames), 11)
        rows = self._rows(workbook)
        own = next(row for row in rows if "Own Review Village" in row)
        self.assertIn(3, own, "the unit's red listings")
        self.assertFalse([row for row in rows if "Foreign Grey Village" in row])

    def test_leader_prints_the_whole_town_and_several_organisations_at_once(self):
        self.authenticate("pt_http_leader", "pt_http_leader")
        workbook = self.workbook(self.execute(self._review_action(self.committee, button="action_download_xlsx")))
        names = {cell for row in self._rows(workbook) for cell in row}
        self.assertTrue({"Own Review Village", "Foreign Grey Village"} <= names)
        # the Print menu of the list, two organisations selected: one PDF, a review each (this year's)
        action = self.print_menu("party.organization", self.organization | self.foreign, REPORT)
        self.assertEqual(
            report_url(action, "pdf"), f"/report/pdf/{action['report_name']}/{self.organization.id},{self.foreign.id}"
        )
        text = self.pdf_text(self.execute(action))
        self.assertIn("Own Review Branch", text)
        self.assertIn("Foreign Review Branch", text)
        self.assertLess(text.index("Own Review Branch"), text.index("Foreign Review Branch"))

    def test_a_long_organisation_name_keeps_the_download_header_short(self):
        """An organisation named in five thousand Chinese characters: its review downloads (the dialog's XLSX button,
        the PDF route beside it, the Print menu) under a file name holding the name cut to 60 characters, in a
        Content-Disposition header far below nginx's 8 KB."""
        self.organization.name = "党" * 5000

        def file_name(response, extension):
            self.assertEqual(response.status_code, 200)
            header = response.headers["Content-Disposition"]
            self.assertLess(len(header), 1024)
            name = unquote(header.split("filename*=UTF-8''", 1)[1])
            self.assertIn("党" * 59 + "…", name)
            self.assertNotIn("党" * 60, name)
            self.assertTrue(name.endswith(extension), name)

        self.authenticate("pt_http_secretary", "pt_http_secretary")
        response = self.execute(self._review_action(self.organization, button="action_download_xlsx"))
        self.assertTrue(self.workbook(response).sheetnames)
        file_name(response, ".xlsx")
        response = self.url_open(f"/party_branch_linkage/annual_review/{self.organization.id}/2025.pdf")
        self.assertTrue(response.content.startswith(b"%PDF"))
        file_name(response, ".pdf")
        self.authenticate("pt_http_leader", "pt_http_leader")
        response = self.execute(self.print_menu("party.organization", self.organization, REPORT))
        self.assertIn("党" * 500, "".join(self.pdf_text(response).split()))
        file_name(response, ".pdf")

    def test_nobody_else_learns_anything(self):
        """The other roles have no such button on this organisation (its dialog refuses them), and the requests the
        secretary's buttons sent, replayed as them, bring no document and nothing of the units."""
        self.authenticate("pt_http_secretary", "pt_http_secretary")
        pdf_action = self._review_action(self.organization)
        xlsx_action = self._review_action(self.organization, button="action_download_xlsx")
        for login in (
            "pt_http_secretary2",
            "pt_http_member",
            "pt_http_liaison",
            "pt_http_inspector",
            "pt_http_outsider",
            "pt_http_portal",
        ):
            with self.subTest(login=login):
                self.authenticate(login, login)
                self.assert_refused(self.execute(pdf_action), "Own Review Village")
                self.assert_refused(self.execute(xlsx_action), "Own Review Village")
                if login != "pt_http_portal":
                    with self.assertRaisesRegex(Exception, "AccessError"):
                        self._review_action(self.organization)
                # the whole town's review (the committee) would name the foreign units too
                committee = dict(pdf_action, data={**pdf_action["data"], "organization_ids": self.committee.ids})
                self.assert_refused(self.execute(committee), "Foreign Grey Village")

    def test_data_that_names_no_organisation_is_a_clear_refusal(self):
        self.authenticate("pt_http_secretary", "pt_http_secretary")
        action = self._review_action(self.organization)
        for organization_ids in ([], ["abc"], [2**31], [-1], [999999], "1,2", [True]):
            with self.subTest(organization_ids=organization_ids):
                data = dict(action["data"], organization_ids=organization_ids)
                context = {key: value for key, value in action["context"].items() if key != "active_ids"}
                response = self.execute(dict(action, data=data, context=context))
                self.assert_refused(response, "Own Review Village")

    def test_invalid_ids_and_years_are_404(self):
        """The XLSX button's URL (and the PDF route beside it) with ids and years typed by hand."""
        self.authenticate("pt_http_secretary", "pt_http_secretary")
        for organization_id, year in (
            (999999, 2025),
            (2**31, 2025),
            (99999999999999999999, 2025),
            (self.organization.id, 0),
            (self.organization.id, 99999),
            (self.organization.id, "abc"),
            (self.organization.id, -1),
            ("abc", 2025),
            (-1, 2025),
        ):
            for ext in ("xlsx", "pdf"):
                with self.subTest(organization_id=organization_id, year=year, ext=ext):
                    url = f"/party_branch_linkage/annual_review/{organization_id}/{year}.{ext}"
                    self.assertEqual(self.url_open(url, allow_redirects=False).status_code, 404)
        # the Print button's request with a year that is no year: a clear refusal, not a server error
        action = self._review_action(self.organization)
        for year in (0, 99999, "abc", -5):
            with self.subTest(year=year):
                self.assert_refused(self.execute(dict(action, data={**action["data"], "year": year})))
        # Odoo's own HTML route, as typed: refused (400), not a server error
        response = self.url_open(
            f"/report/html/party_branch_linkage.report_party_annual_review/{self.organization.id}"
            f"?options={json.dumps({'year': 0})}"
        )
        self.assertEqual(response.status_code, 400)
