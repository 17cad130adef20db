"""Every PDF and XLSX of the addon has its real content, fetched through the URL the web client uses.

PDFs are rendered for real (Odoo renders HTML in test mode unless `force_report_rendering` is in the
context, as core's own report tests do) and read back with pdftotext; XLSX files are opened with openpyxl.
The reports of the addon (`grep -rn ir.actions.report addons/garbage_sorting/report`):
- Bin Site QR Code (PDF), Annual Waste Sorting Report (level 3, PDF), Volunteer Hours Certificate (PDF),
  Annual Evaluation (PDF);
- the XLSX routes: monthly bulletin, annual evaluation, volunteer hours.
"""

import io
import json
from datetime import date
from unittest.mock import patch

import openpyxl

from odoo.addons.base.models.ir_actions_report import IrActionsReport as BaseIrActionsReport
from odoo.exceptions import UserError
from odoo.tests import HttpCase, new_test_user, tagged

from .common import AssessmentCase, month, pdf_text, use_unreachable_report_url

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Real PDFs in test mode, in the town's language.
PDF_CONTEXT = json.dumps({"force_report_rendering": True, "lang": "zh_CN"})


@tagged("post_install", "-at_install")
class TestReportsContent(HttpCase, AssessmentCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        use_unreachable_report_url(cls.env)
        cls.env_zh = cls.env(context=dict(cls.env.context, lang="zh_CN"))
        Partner = cls.env["res.partner"]
        cls.superior = Partner.create({"name": "镇农业农村办公室"})
        cls.leader_partner = Partner.create({"name": "周建国"})
        Unit = cls.env["garbage.unit"]
        cls.star, cls.grey, cls.other = Unit.create(
            [
                {"name": "青松社区", "code": "RC-1", "unit_type": "community"},
                {
                    "name": "白鹭社区",
                    "code": "RC-2",
                    "unit_type": "community",
                    "leader_id": cls.leader_partner.id,
                    "superior_partner_id": cls.superior.id,
                },
                {"name": "金桂社区", "code": "RC-3", "unit_type": "community"},
            ]
        )
        cls.grey.user_ids = [(4, cls.liaison.id)]
        for number, grey_score in ((3, 65), (4, 60), (5, 80)):
            cls.period = cls._publish_month(
                cls, month(2024, number), [(cls.star, 96), (cls.grey, grey_score), (cls.other, 85)]
            )
        cls.annuals = cls.env["garbage.unit.annual"].search([("year", "=", 2024)])
        cls.annual_star = cls.annuals.filtered(lambda annual: annual.unit_id == cls.star)
        cls.annual_grey = cls.annuals.filtered(lambda annual: annual.unit_id == cls.grey)
        cls.site = cls.env["garbage.bin.site"].create(
            {"name": "白鹭社区三号投放点", "unit_id": cls.grey.id, "latitude": 30.25, "longitude": 120.15}
        )
        cls.coordinator = new_test_user(
            cls.env, login="gs_rc_coordinator", groups="garbage_sorting.garbage_sorting_group_coordinator"
        )
        cls.volunteer = Partner.create(
            {"name": "林晓燕", "is_volunteer": True, "volunteer_unit_ids": [(6, 0, cls.grey.ids)]}
        )
        cls.env["garbage.volunteer.hour"].create(
            [
                {"partner_id": cls.volunteer.id, "unit_id": cls.grey.id, "date": day, "hours": hours, "state": state}
                for day, hours, state in (
                    (date(2024, 5, 3), 2.5, "approved"),
                    (date(2024, 5, 10), 1.5, "approved"),
                    (date(2024, 5, 12), 6.0, "submitted"),
                )
            ]
        )
        (cls.manager | cls.leader | cls.liaison | cls.coordinator).write({"lang": "zh_CN"})

    def _zh(self, source):
        return self.env_zh._(source)

    def _get(self, url):
        return self.url_open(url, allow_redirects=False)

    def _pdf_text(self, report_name, ids, **options):
        """The text of the PDF the web client downloads for `report_name` (Odoo's /report/pdf route)."""
        url = f"/report/pdf/{report_name}/{','.join(str(record_id) for record_id in ids)}?context={PDF_CONTEXT}"
        if options:
            url += f"&options={json.dumps(options)}"
        response = self._get(url)
        self.assertEqual(response.status_code, 200, url)
        self.assertEqual(response.headers["Content-Type"], "application/pdf")
        self.assertTrue(response.content.startswith(b"%PDF"), response.content[:300])
        return pdf_text(response.content)

    def _xlsx_cells(self, url):
        """{sheet title: [row values without the empty cells]} of the XLSX the route downloads."""
        response = self._get(url)
        self.assertEqual(response.status_code, 200, url)
        self.assertEqual(response.headers["Content-Type"], XLSX)
        workbook = openpyxl.load_workbook(io.BytesIO(response.content))
        return {
            sheet.title: [[cell for cell in row if cell is not None] for row in sheet.iter_rows(values_only=True)]
            for sheet in workbook.worksheets
        }

    def _row(self, cells, first):
        return next(row for rows in cells.values() for row in rows if first in row)

    # PDF reports

    def test_annual_evaluation_pdf(self):
        self.authenticate("gs_manager", "gs_manager")
        text = self._pdf_text("garbage_sorting.report_annual_evaluation", self.annual_star.ids)
        self.assertIn("年度评优评先 2024", text)
        for expected in ("青松社区", "白鹭社区", "金桂社区", "红榜次数", "一票否决"):
            self.assertIn(expected, text)
        # The star community's figures: red 3 times, never grey, 3 flags, a run of 3.
        self.assertIn("青松社区 村(社区)组 3 0 3 3", text)
        # A liaison prints their own unit only: the others stay out.
        self.authenticate("gs_liaison", "gs_liaison")
        text = self._pdf_text("garbage_sorting.report_annual_evaluation", self.annual_grey.ids)
        self.assertIn("白鹭社区", text)
        self.assertNotIn("青松社区", text)

    def test_level_three_annual_unit_report_pdf(self):
        self.authenticate("gs_manager", "gs_manager")
        text = self._pdf_text("garbage_sorting.report_garbage_unit_annual", self.annual_grey.ids)
        for expected in (
            "年度垃圾分类工作报告 2024: 白鹭社区",
            "周建国",
            "镇农业农村办公室",
            "月度结果",
            "2024-03",
            "2024-05",
            "检查记录",
            "自查自纠",
            "灰榜",
        ):
            self.assertIn(expected, text)
        self.assertNotIn("青松社区", text)

    def test_volunteer_certificate_pdf(self):
        self.authenticate("gs_rc_coordinator", "gs_rc_coordinator")
        text = self._pdf_text(
            "garbage_sorting.report_volunteer_certificate",
            self.volunteer.ids,
            date_from="2024-05-01",
            date_to="2024-05-31",
        )
        for expected in ("志愿服务证明", "林晓燕", "白鹭社区", "4.0", "镇垃圾分类减量工作专班"):
            self.assertIn(expected, text)
        self.assertNotIn("6.0", text, "the submitted, not approved, hours are not certified")

    def test_bin_site_qr_pdf(self):
        self.authenticate("gs_manager", "gs_manager")
        text = self._pdf_text("garbage_sorting.report_garbage_bin_site_qr", self.site.ids)
        for expected in ("白鹭社区三号投放点", "白鹭社区", self.site.code):
            self.assertIn(expected, text)

    def test_several_records_in_one_pdf(self):
        """Selecting several records and printing (what the list's Print menu asks /report/pdf for): each record
        is in the PDF, also with a wkhtmltopdf that prints one document per run (this machine's 0.12.6)."""
        other_site = self.env["garbage.bin.site"].create({"name": "青松社区一号投放点", "unit_id": self.star.id})
        self.authenticate("gs_manager", "gs_manager")
        text = self._pdf_text("garbage_sorting.report_garbage_bin_site_qr", (self.site | other_site).ids)
        for expected in ("白鹭社区三号投放点", "青松社区一号投放点", self.site.code, other_site.code):
            self.assertIn(expected, text)
        self.assertLess(text.index("白鹭社区三号投放点"), text.index("青松社区一号投放点"), "in the selection's order")
        text = self._pdf_text("garbage_sorting.report_garbage_bin_site_label", (self.site | other_site).ids)
        for expected in ("白鹭社区三号投放点", "青松社区一号投放点", self.site.code, other_site.code):
            self.assertIn(expected, text)
        text = self._pdf_text("garbage_sorting.report_garbage_unit_annual", (self.annual_star | self.annual_grey).ids)
        for expected in (
            "年度垃圾分类工作报告 2024: 青松社区",
            "年度垃圾分类工作报告 2024: 白鹭社区",
            "镇农业农村办公室",
        ):
            self.assertIn(expected, text)

    def test_an_empty_pdf_is_a_clear_error(self):
        """When wkhtmltopdf writes nothing (a build that refuses the job), the user reads why, not a traceback."""
        report = self.env.ref("garbage_sorting.garbage_bin_site_report_qr")
        with (
            patch.object(BaseIrActionsReport, "_run_wkhtmltopdf", return_value=b""),
            self.assertRaisesRegex(UserError, "wkhtmltopdf"),
        ):
            report.with_context(force_report_rendering=True)._render_qweb_pdf(report.report_name, self.site.ids)

    # XLSX downloads

    def test_monthly_bulletin_xlsx(self):
        self.authenticate("gs_manager", "gs_manager")
        cells = self._xlsx_cells(f"/garbage_sorting/bulletin?period_ids={self.period.id}")
        headers = self._row(cells, self._zh("Rank"))
        self.assertEqual(headers[:3], [self._zh("Rank"), self._zh("Unit"), self._zh("Score")])
        for unit in (self.star, self.grey, self.other):
            line = self._line(self.period, unit)
            row = self._row(cells, unit.name)
            self.assertEqual(row[:3], [line.rank, unit.name, line.score])
        self.assertEqual(self._row(cells, "青松社区")[:3], [1, "青松社区", 96])

    def test_annual_evaluation_xlsx(self):
        self.authenticate("gs_manager", "gs_manager")
        cells = self._xlsx_cells(f"/garbage_sorting/annual_evaluation?annual_ids={self.annual_star.id}")
        self.assertIn(self._zh("Red Listings"), self._row(cells, self._zh("Unit")))
        yes = self._zh("Yes")
        peer_groups = dict(self.env["garbage.unit"]._fields["peer_group"]._description_selection(self.env_zh))
        self.assertEqual(self._row(cells, "青松社区")[1:], [peer_groups["village_community"], 3, 0, 3, 3, yes])
        self.assertEqual(self._row(cells, "白鹭社区")[2:4], [0, 2])
        self.assertIn(yes, self._row(cells, "白鹭社区")[4:], "the one-vote veto")

    def test_volunteer_hours_xlsx(self):
        self.authenticate("gs_rc_coordinator", "gs_rc_coordinator")
        cells = self._xlsx_cells("/garbage_sorting/volunteer_hours?date_from=2024-05-01&date_to=2024-05-31")
        self.assertEqual(len(cells), 2, "by volunteer and by unit")
        self.assertIn(self._zh("Hours"), self._row(cells, self._zh("Volunteer")))
        volunteer = self._row(cells, "林晓燕")
        self.assertEqual(volunteer[-2:], [2, 4.0], "two approved entries, 4 hours; the submitted one is left out")
        self.assertEqual(self._row(cells, "白鹭社区")[-3:], [1, 2, 4.0])
