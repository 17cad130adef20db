"""Every PDF and XLSX of the addon has its real content, downloaded by the buttons that offer it through the
requests the web client sends (`web_client.py`), as the role that has the button.

The town's PDFs are real PDFs also in test mode (they need no web server, see `ir.actions.report`), read back with
pdftotext; XLSX files are opened with openpyxl. The reports of the addon
(`grep -rn ir.actions.report addons/garbage_sorting/report`):
- Bin Site QR Code and Labels (PDF), Annual Waste Sorting Report (level 3, PDF), Volunteer Hours Certificate (PDF,
  from the portal), Annual Evaluation (PDF);
- the XLSX buttons (act_url): monthly bulletin, annual evaluation, volunteer hours.
"""

from datetime import date
from unittest.mock import patch

from odoo.addons.base.models.ir_actions_report import IrActionsReport as BaseIrActionsReport
from odoo.exceptions import UserError
from odoo.tests import HttpCase, new_test_user, tagged

from .common import AssessmentCase, month
from .web_client import WebClientMixin


@tagged("post_install", "-at_install")
class TestReportsContent(WebClientMixin, HttpCase, AssessmentCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        # the town works in Chinese: its documents (the level-3 report, the certificates) are written in it
        cls.env.company.partner_id.lang = "zh_CN"
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
        cls.volunteer_user = new_test_user(
            cls.env, login="gs_rc_volunteer", name="林晓燕", groups="base.group_portal", lang="en_US"
        )
        cls.volunteer = cls.volunteer_user.partner_id
        cls.volunteer.write({"is_volunteer": True, "volunteer_unit_ids": [(6, 0, cls.grey.ids)]})
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

    def _print_menu(self, model, records, report):
        """The text of the PDF the list's (or form's) Print menu downloads for `records`."""
        return self.pdf_text(self.execute(self.print_menu(model, records, report)))

    def _xlsx_cells(self, model, records, method):
        """{sheet title: [row values without the empty cells]} of the XLSX the button `method` downloads."""
        workbook = self.workbook(self.execute(self.press(model, records, method)))
        return {
            sheet.title: [[cell for cell in row if cell is not None] for row in sheet.iter_rows(values_only=True)]
            for sheet in workbook.worksheets
        }

    def _row(self, cells, first):
        return next(row for rows in cells.values() for row in rows if first in row)

    # PDF reports

    def test_annual_evaluation_pdf(self):
        self.authenticate("gs_manager", "gs_manager")
        evaluation = "garbage_sorting.garbage_unit_annual_evaluation_report"
        text = self._print_menu("garbage.unit.annual", self.annual_star, evaluation)
        self.assertIn("年度评优评先 2024", text)
        for expected in ("青松社区", "白鹭社区", "金桂社区", "红榜次数", "一票否决"):
            self.assertIn(expected, text)
        # The star community's figures: red 3 times, never grey, 3 flags, a run of 3.
        self.assertIn("青松社区 村(社区)组 3 0 3 3", text)
        # A liaison prints their own unit only: the others stay out.
        self.authenticate("gs_liaison", "gs_liaison")
        text = self._print_menu("garbage.unit.annual", self.annual_grey, evaluation)
        self.assertIn("白鹭社区", text)
        self.assertNotIn("青松社区", text)

    def test_level_three_annual_unit_report_pdf(self):
        self.authenticate("gs_manager", "gs_manager")
        text = self._print_menu("garbage.unit.annual", self.annual_grey, "garbage_sorting.garbage_unit_annual_report")
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
        """The volunteer's portal button (a form asking for the period): the town's certificate, in Chinese whatever
        the volunteer's own language, its figures searchable."""
        self.authenticate("gs_rc_volunteer", "gs_rc_volunteer")
        text = self.pdf_text(self.url_open("/my/volunteer-hours/certificate?date_from=2024-05-01&date_to=2024-05-31"))
        certificate = self.env["garbage.volunteer.certificate"].search([("partner_id", "=", self.volunteer.id)])
        for expected in (
            "志愿服务证明",
            certificate.number,
            "林晓燕",
            "白鹭社区",
            "2024-05-01",
            "2024-05-31",
            "4.0",
            "2.50",
            "镇垃圾分类减量工作专班",
        ):
            self.assertIn(expected, text)
        self.assertNotIn("6.0", text, "the submitted, not approved, hours are not certified")
        self.assertNotIn("Certificate", text)

    def test_bin_site_qr_pdf(self):
        self.authenticate("gs_manager", "gs_manager")
        for report in ("garbage_sorting.garbage_bin_site_report_qr", "garbage_sorting.garbage_bin_site_report_label"):
            with self.subTest(report=report):
                action = self.press("garbage.bin.site", self.site, report, button_type="action")
                text = self.pdf_text(self.execute(action))
                for expected in ("白鹭社区三号投放点", "白鹭社区", self.site.code):
                    self.assertIn(expected, text)

    def test_several_records_in_one_pdf(self):
        """Selecting several records and printing them (the list's Print Labels button, the Print menu): each
        record is in the PDF, also with a wkhtmltopdf that prints one document per run (this machine's 0.12.6)."""
        other_site = self.env["garbage.bin.site"].create({"name": "青松社区一号投放点", "unit_id": self.star.id})
        sites = self.site | other_site
        self.authenticate("gs_manager", "gs_manager")
        text = self._print_menu("garbage.bin.site", sites, "garbage_sorting.garbage_bin_site_report_qr")
        for expected in ("白鹭社区三号投放点", "青松社区一号投放点", self.site.code, other_site.code):
            self.assertIn(expected, text)
        self.assertLess(text.index("白鹭社区三号投放点"), text.index("青松社区一号投放点"), "in the selection's order")
        text = self.pdf_text(self.execute(self.press("garbage.bin.site", sites, "action_print_labels")))
        for expected in ("白鹭社区三号投放点", "青松社区一号投放点", self.site.code, other_site.code):
            self.assertIn(expected, text)
        text = self._print_menu(
            "garbage.unit.annual", self.annual_star | self.annual_grey, "garbage_sorting.garbage_unit_annual_report"
        )
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
        cells = self._xlsx_cells("garbage.assessment.period", self.period, "action_download_bulletin")
        headers = self._row(cells, self._zh("Rank"))
        self.assertEqual(headers[:3], [self._zh("Rank"), self._zh("Unit"), self._zh("Score")])
        for unit in (self.star, self.grey, self.other):
            line = self._line(self.period, unit)
            row = self._row(cells, unit.name)
            self.assertEqual(row[:3], [line.rank, unit.name, line.score])
        self.assertEqual(self._row(cells, "青松社区")[:3], [1, "青松社区", 96])

    def test_annual_evaluation_xlsx(self):
        self.authenticate("gs_manager", "gs_manager")
        cells = self._xlsx_cells("garbage.unit.annual", self.annual_star, "action_download_evaluation_xlsx")
        self.assertIn(self._zh("Red Listings"), self._row(cells, self._zh("Unit")))
        yes = self._zh("Yes")
        peer_groups = dict(self.env["garbage.unit"]._fields["peer_group"]._description_selection(self.env_zh))
        self.assertEqual(self._row(cells, "青松社区")[1:], [peer_groups["village_community"], 3, 0, 3, 3, yes])
        self.assertEqual(self._row(cells, "白鹭社区")[2:4], [0, 2])
        self.assertIn(yes, self._row(cells, "白鹭社区")[4:], "the one-vote veto")

    def test_volunteer_hours_xlsx(self):
        self.authenticate("gs_rc_coordinator", "gs_rc_coordinator")
        wizard_action = self.load_action("garbage_sorting.garbage_volunteer_hour_report_action")
        wizard, __ = self.save_wizard(wizard_action, {"date_from": "2024-05-01", "date_to": "2024-05-31"})
        cells = self._xlsx_cells("garbage.volunteer.hour.report", wizard, "action_download")
        self.assertEqual(len(cells), 2, "by volunteer and by unit")
        self.assertIn(self._zh("Hours"), self._row(cells, self._zh("Volunteer")))
        volunteer = self._row(cells, "林晓燕")
        self.assertEqual(volunteer[-2:], [2, 4.0], "two approved entries, 4 hours; the submitted one is left out")
        self.assertEqual(self._row(cells, "白鹭社区")[-3:], [1, 2, 4.0])
