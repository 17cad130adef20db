import io
import json
import shutil
import subprocess
import tempfile

import openpyxl

from odoo.addons.garbage_sorting.tests.common import pdf_text, use_unreachable_report_url
from odoo.tests import HttpCase, new_test_user, tagged

PARTY = "party_branch_linkage.party_branch_linkage_group_"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@tagged("post_install", "-at_install")
class TestPartyAnnualReviewDownload(HttpCase):
    """The annual review over HTTP: the organisation's secretary gets it; nobody else learns anything."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        use_unreachable_report_url(cls.env)
        users = {
            login: new_test_user(cls.env, login=login, groups=groups)
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
        Annual = cls.env["garbage.unit.annual"]
        if "garbage.unit.annual" in cls.env:
            Annual.create(
                [
                    {"unit_id": cls.own_unit.id, "year": 2025, "red_count": 3, "grey_count": 0},
                    {"unit_id": cls.foreign_unit.id, "year": 2025, "red_count": 0, "grey_count": 2, "veto": True},
                ]
            )

    def _url(self, organization_id, year, ext="xlsx"):
        return f"/party_branch_linkage/annual_review/{organization_id}/{year}.{ext}"

    def _get(self, url):
        return self.url_open(url, allow_redirects=False)

    def _rows(self, response):
        workbook = openpyxl.load_workbook(io.BytesIO(response.content))
        return [
            [cell for cell in row if cell is not None]
            for sheet in workbook.worksheets
            for row in sheet.iter_rows(values_only=True)
        ]

    def test_secretary_downloads_own_review_with_the_real_figures(self):
        self.authenticate("pt_http_secretary", "pt_http_secretary")
        response = self._get(self._url(self.organization.id, 2025))
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.headers["Content-Type"], XLSX)
        rows = self._rows(response)
        self.assertEqual(len(openpyxl.load_workbook(io.BytesIO(response.content)).sheetnames), 9)
        own = next(row for row in rows if "Own Review Village" in row)
        self.assertIn(3, own, "the unit's red listings")
        self.assertFalse([row for row in rows if "Foreign Grey Village" in row])
        # The committee's secretary of a branch reads only what is below; the leader reads the town's.
        self.authenticate("pt_http_leader", "pt_http_leader")
        response = self._get(self._url(self.committee.id, 2025))
        self.assertEqual(response.status_code, 200)
        names = {cell for row in self._rows(response) for cell in row}
        self.assertTrue({"Own Review Village", "Foreign Grey Village"} <= names)

    def test_nobody_else_learns_anything(self):
        for login in (
            "pt_http_secretary2",
            "pt_http_member",
            "pt_http_liaison",
            "pt_http_inspector",
            "pt_http_outsider",
            "pt_http_portal",
        ):
            self.authenticate(login, login)
            for ext in ("xlsx", "pdf"):
                with self.subTest(login=login, ext=ext):
                    response = self._get(self._url(self.organization.id, 2025, ext))
                    self.assertEqual(response.status_code, 404)
                    self.assertNotIn(b"Own Review Village", response.content)
                    self.assertNotIn(XLSX, response.headers.get("Content-Type", ""))
            # The whole town's review (the committee) would name the foreign units too.
            response = self._get(self._url(self.committee.id, 2025))
            self.assertEqual(response.status_code, 404, login)
            self.assertNotIn(b"Foreign Grey Village", response.content)
        # Through Odoo's own report route: refused, not a server error.
        self.authenticate("pt_http_liaison", "pt_http_liaison")
        response = self._get(f"/report/html/party_branch_linkage.report_party_annual_review/{self.organization.id}")
        self.assertEqual(response.status_code, 403)
        self.assertNotIn(b"Own Review Village", response.content)

    def test_invalid_ids_and_years_are_404(self):
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
                    self.assertEqual(self._get(self._url(organization_id, year, ext)).status_code, 404)
        # Odoo's own report route with a year that is no year: a clear refusal, not a server error.
        for year in (0, 99999, "abc", -5):
            options = json.dumps({"year": year})
            response = self._get(
                f"/report/html/party_branch_linkage.report_party_annual_review/{self.organization.id}"
                f"?options={options}"
            )
            self.assertEqual(response.status_code, 400, year)

    def test_secretary_prints_the_pdf(self):
        self.authenticate("pt_http_secretary", "pt_http_secretary")
        response = self._get(self._url(self.organization.id, 2025, "pdf"))
        self.assertEqual(response.status_code, 200)
        if response.content.startswith(b"%PDF"):
            self.assertEqual(response.headers["Content-Type"], "application/pdf")
            if not shutil.which("pdftotext"):
                return
            with tempfile.NamedTemporaryFile(suffix=".pdf") as pdf:
                pdf.write(response.content)
                pdf.flush()
                text = subprocess.run(["pdftotext", pdf.name, "-"], capture_output=True, check=True, text=True).stdout
        else:
            # Test mode renders reports as HTML (no wkhtmltopdf worker): the same content.
            text = response.content.decode()
        self.assertIn("Own Review Branch", text)
        self.assertIn("Own Review Village", text)
        self.assertNotIn("Foreign Grey Village", text)

    def _pdf_text(self, response):
        """The text of a real PDF (wkhtmltopdf, forced in test mode), as pdftotext reads it."""
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.headers["Content-Type"], "application/pdf")
        self.assertTrue(response.content.startswith(b"%PDF"), response.content[:300])
        return pdf_text(response.content)

    def test_review_pdf_has_its_text_in_chinese(self):
        """The PDF the web client prints (/report/pdf) has the review's text: no blank page."""
        self.authenticate("pt_http_secretary", "pt_http_secretary")
        options = json.dumps({"year": 2025})
        context = json.dumps({"force_report_rendering": True, "lang": "zh_CN"})
        response = self._get(
            f"/report/pdf/party_branch_linkage.report_party_annual_review/{self.organization.id}"
            f"?options={options}&context={context}"
        )
        text = self._pdf_text(response)
        for expected in ("Own Review Branch · 2025", "书记", "Own Review Village", "单位", "红榜次数", "优先推荐"):
            self.assertIn(expected, text)
        # The rewards and penalties of the year (a unit red three times, never grey: a reward).
        zh = self.env(context=dict(self.env.context, lang="zh_CN"))._
        # a table cell may wrap in the PDF: compare without the line breaks
        flat = "".join(text.split())
        self.assertIn(f"{zh('Rewards and Penalties')}{zh('Annual Outcome')}", flat)
        self.assertIn(zh("Reward"), flat.split(zh("Rewards and Penalties"))[1])
        self.assertNotIn("Foreign Grey Village", text)
