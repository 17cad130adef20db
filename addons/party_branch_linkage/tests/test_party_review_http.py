import io

import openpyxl

from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestPartyAnnualReviewDownload(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.member = new_test_user(
            cls.env, login="pt_http_member", groups="party_branch_linkage.party_branch_linkage_group_member"
        )
        cls.outsider = new_test_user(cls.env, login="pt_http_outsider", groups="base.group_user")
        cls.organization = cls.env["party.organization"].create({"name": "Download Committee", "org_type": "committee"})
        cls.url = f"/party_branch_linkage/annual_review/{cls.organization.id}/2025.xlsx"

    def test_member_downloads_the_xlsx(self):
        self.authenticate("pt_http_member", "pt_http_member")
        response = self.url_open(self.url)
        self.assertEqual(response.status_code, 200)
        self.assertIn("spreadsheetml", response.headers["Content-Type"])
        workbook = openpyxl.load_workbook(io.BytesIO(response.content))
        self.assertEqual(len(workbook.sheetnames), 6)

    def test_outsider_is_refused(self):
        self.authenticate("pt_http_outsider", "pt_http_outsider")
        response = self.url_open(self.url)
        self.assertEqual(response.status_code, 403)
        self.assertNotIn("spreadsheetml", response.headers.get("Content-Type", ""))
