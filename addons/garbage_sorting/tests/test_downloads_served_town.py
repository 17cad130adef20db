"""Every download a button of the waste-sorting addon offers, pressed in the demo town as it is served (its
scheduled jobs have run), as the role that has the button, through the requests the web client sends
(`web_client.py`); the PDF's text (pdftotext) and the workbook's cells (openpyxl) are checked.

The buttons (grep `type="action"`, `ir.actions.report`, `act_url` in views/ and report/, routes in controllers/):
- period form and list: Download Bulletin (XLSX, act_url);
- annual records list: Annual Evaluation (XLSX, act_url) and the Print menu: Annual Evaluation (PDF),
  Annual Waste Sorting Report (the level-3 report, PDF);
- escalation form: Annual Report (the stored level-3 PDF, act_url to the attachment);
- bin site list and form: Print Labels / Print Label, Print QR Code (PDF);
- volunteer hours report wizard: Download (XLSX, act_url);
- portal: the volunteer's certificate (PDF).
"""

import base64

from odoo.tests import tagged

from .common import pdf_text
from .web_client import ServedTownCase, report_url

TOWN = "XX镇人民政府"
TOWN_STREET = "人民路1号"


@tagged("post_install", "-at_install")
class TestDownloadsOnTheServedTown(ServedTownCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        ref = cls.env.ref
        cls.Period = cls.env["garbage.assessment.period"]
        # the superuser sees every town's records: the demo's first town is XX镇 (the main company)
        cls.in_town = [("company_id", "=", cls.env.company.id)]
        cls.latest = cls.Period.search(cls.in_town + [("state", "=", "published")], order="date_start desc", limit=1)
        cls.qingshan = ref("garbage_sorting.garbage_unit_qingshan_demo")
        cls.xinqiao = ref("garbage_sorting.garbage_unit_xinqiao_demo")
        cls.taoyuan = ref("garbage_sorting.garbage_unit_taoyuan_demo")
        cls.level_three = cls.env["garbage.escalation"].search(
            [("unit_id", "=", cls.xinqiao.id), ("level", "=", "3"), ("state", "!=", "cancel")], limit=1
        )
        cls.year = cls.latest.date_start.year
        cls.Annual = cls.env["garbage.unit.annual"]

    def _zh(self, source, **params):
        return self.env(context=dict(self.env.context, lang="zh_CN"))._(source, **params)

    def _sheet_rows(self, workbook, title):
        return [[cell for cell in row if cell is not None] for row in workbook[title].iter_rows(values_only=True)]

    # The monthly bulletin

    def test_the_jobs_ran_and_left_party_organisations_obligations_in_the_published_month(self):
        """What made the bulletin answer 500: obligations without a unit (the organisations' own), which only
        the daily job creates."""
        self.assertIn("garbage_sorting.ir_cron_garbage_obligation_refresh", self.crons.get_external_id().values())
        self.assertTrue(
            self.env["garbage.obligation"].search_count(
                [
                    ("unit_id", "=", False),
                    ("date_end", ">=", self.latest.date_start),
                    ("date_end", "<=", self.latest.date_end),
                ]
            )
        )

    def test_leader_downloads_the_bulletin_from_the_period_form(self):
        self.authenticate("leader", "leader")
        action = self.press("garbage.assessment.period", self.latest, "action_download_bulletin")
        workbook = self.workbook(self.execute(action))
        month = self.latest.name
        villages = self._sheet_rows(workbook, f"{month} {self._zh('Villages & Communities')}")
        self.assertEqual(villages[1][:3], [self._zh("Rank"), self._zh("Unit"), self._zh("Score")])
        taoyuan = self.latest.line_ids.filtered(lambda line: line.unit_id == self.taoyuan)
        self.assertIn([taoyuan.rank, "桃源村", taoyuan.score], [row[:3] for row in villages])
        # the organisations' own obligations are in the month's obligations, by the organisation's name
        obligations = self._sheet_rows(workbook, f"{month} {self._zh('Obligations')}")
        subjects = {row[0] for row in obligations[2:]}
        self.assertIn("青山村", subjects)
        self.assertIn("青山村党支部", " ".join(subjects))

    def test_task_force_downloads_several_months_from_the_list(self):
        periods = self.Period.search(self.in_town + [("state", "=", "published")], order="date_start desc", limit=3)
        self.authenticate("taskforce", "taskforce")
        action = self.press("garbage.assessment.period", periods, "action_download_bulletin")
        workbook = self.workbook(self.execute(action))
        for period in periods:
            self.assertIn(f"{period.name} {self._zh('Obligations')}", workbook.sheetnames)

    def test_liaison_has_no_bulletin(self):
        self.authenticate("liaison", "liaison")
        with self.assertRaisesRegex(Exception, "AccessError"):
            self.press("garbage.assessment.period", self.latest, "action_download_bulletin")
        # the URL the leader's button opens, typed by the liaison
        self.authenticate("leader", "leader")
        action = self.press("garbage.assessment.period", self.latest, "action_download_bulletin")
        self.authenticate("liaison", "liaison")
        self.assert_refused(self.execute(action), "桃源村")

    # The annual evaluation

    def test_leader_downloads_the_annual_evaluation_xlsx_and_pdf(self):
        annuals = self.Annual.search(self.in_town + [("year", "=", self.year)])
        self.authenticate("leader", "leader")
        action = self.press("garbage.unit.annual", annuals[:2], "action_download_evaluation_xlsx")
        rows = self._sheet_rows(self.workbook(self.execute(action)), str(self.year))
        self.assertEqual(rows[1][0], self._zh("Unit"))
        taoyuan = annuals.filtered(lambda annual: annual.unit_id == self.taoyuan)
        row = next(row for row in rows if row[0] == "桃源村")
        self.assertEqual(row[2:4], [taoyuan.red_count, taoyuan.grey_count])
        self.assertEqual(len(rows) - 2, len(annuals), "every unit of the year, whichever were selected")
        # the Print menu of the same list
        action = self.print_menu(
            "garbage.unit.annual", annuals[:2], "garbage_sorting.garbage_unit_annual_evaluation_report"
        )
        text = self.pdf_text(self.execute(action))
        for expected in (f"年度评优评先 {self.year}", "桃源村", "新桥村", "红榜次数", TOWN):
            self.assertIn(expected, text)

    def test_liaison_evaluates_own_units_only(self):
        own = self.Annual.search([("year", "=", self.year), ("unit_id", "=", self.qingshan.id)])
        foreign = self.Annual.search([("year", "=", self.year), ("unit_id", "=", self.xinqiao.id)])
        self.authenticate("liaison", "liaison")
        action = self.press("garbage.unit.annual", own, "action_download_evaluation_xlsx")
        rows = self._sheet_rows(self.workbook(self.execute(action)), str(self.year))
        names = {row[0] for row in rows[2:]}
        self.assertIn("青山村", names)
        self.assertNotIn("新桥村", names)
        # another unit's record: the button is not there (not in the liaison's list); its requests are refused
        with self.assertRaisesRegex(Exception, "AccessError"):
            self.press("garbage.unit.annual", foreign, "action_download_evaluation_xlsx")
        action = self.print_menu("garbage.unit.annual", foreign, "garbage_sorting.garbage_unit_annual_report")
        self.assert_refused(self.execute(action), "新桥村")

    # The level-3 report

    def test_level_three_report_is_a_chinese_pdf_on_the_towns_letterhead(self):
        """Stored when the demo was published (during the install, by the task force's history job)."""
        attachment = self.level_three.report_attachment_id
        self.assertEqual(attachment.mimetype, "application/pdf")
        self.assertTrue(attachment.name.endswith(".pdf"), attachment.name)
        self.assertIn("新桥村", attachment.name)
        text = pdf_text(base64.b64decode(attachment.datas))
        for expected in (
            f"年度垃圾分类工作报告 {self.level_three.year}",
            "新桥村",
            "月度结果",
            "灰榜",
            TOWN,
            TOWN_STREET,
            "浙江省",
        ):
            self.assertIn(expected, text)
        for english in ("Annual waste sorting report", "Monthly results", "San Francisco", "Odoo Report"):
            self.assertNotIn(english, text)
        # the task force opens it from the escalation (the form's "Annual Report" button)
        self.authenticate("taskforce", "taskforce")
        response = self.execute(self.press("garbage.escalation", self.level_three, "action_view_report"))
        self.assertEqual(pdf_text(self.pdf_response(response)), text)

    def pdf_response(self, response):
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.headers["Content-Type"], "application/pdf")
        return response.content

    def test_print_menu_prints_several_annual_reports_in_one_pdf(self):
        annuals = self.Annual.search(
            [("year", "=", self.year), ("unit_id", "in", (self.xinqiao | self.taoyuan).ids)], order="id"
        )
        self.assertEqual(len(annuals), 2)
        self.authenticate("taskforce", "taskforce")
        action = self.print_menu("garbage.unit.annual", annuals, "garbage_sorting.garbage_unit_annual_report")
        text = self.pdf_text(self.execute(action))
        for annual in annuals:
            self.assertIn(f"年度垃圾分类工作报告 {self.year}: {annual.unit_id.name}", text)
        self.assertEqual(text.count(TOWN_STREET), 2, "each report on the town's letterhead")

    def test_liaison_gets_no_other_units_level_three_report(self):
        self.authenticate("liaison", "liaison")
        with self.assertRaisesRegex(Exception, "AccessError|MissingError"):
            self.press("garbage.escalation", self.level_three, "action_view_report")
        response = self.url_open(f"/web/content/{self.level_three.report_attachment_id.id}?download=true")
        self.assert_refused(response, "新桥村")

    # Bin sites: labels and QR codes

    def test_bin_site_labels_of_several_sites_from_the_list(self):
        sites = self.env["garbage.bin.site"].search([("unit_id", "=", self.qingshan.id)])
        self.assertGreater(len(sites), 1)
        self.authenticate("liaison", "liaison")
        action = self.press("garbage.bin.site", sites, "action_print_labels")
        self.assertEqual(
            report_url(action, "pdf"), f"/report/pdf/{action['report_name']}/{','.join(map(str, sites.ids))}"
        )
        text = self.pdf_text(self.execute(action))
        for site in sites:
            self.assertIn(site.name, text)
            self.assertIn(site.code, text, "the code's Latin letters and digits are text")

    def test_bin_site_label_and_qr_code_from_the_form(self):
        site = self.env.ref("garbage_sorting.garbage_bin_site_xinqiao_1_demo")
        self.authenticate("taskforce", "taskforce")
        for report in ("garbage_sorting.garbage_bin_site_report_label", "garbage_sorting.garbage_bin_site_report_qr"):
            with self.subTest(report=report):
                action = self.press("garbage.bin.site", site, report, button_type="action")
                text = self.pdf_text(self.execute(action))
                self.assertIn(site.name, text)
                self.assertIn(site.code, text)
        # the liaison of other units has no such site in their list: no label of it either
        self.authenticate("liaison", "liaison")
        self.assert_refused(self.execute(action), site.name)

    # Volunteers: the hours report and the certificate

    def test_coordinator_downloads_the_volunteer_hours(self):
        self.authenticate("coordinator", "coordinator")
        wizard_action = self.load_action("garbage_sorting.garbage_volunteer_hour_report_action")
        wizard, context = self.save_wizard(
            wizard_action, {"date_from": f"{self.year - 1}-01-01", "date_to": f"{self.year}-12-31"}
        )
        action = self.press("garbage.volunteer.hour.report", wizard, "action_download", record_context=context)
        workbook = self.workbook(self.execute(action))
        approved = self.env["garbage.volunteer.hour"].search(
            self.in_town + [("state", "=", "approved"), ("date", ">=", f"{self.year - 1}-01-01")]
        )
        by_volunteer = self._sheet_rows(workbook, self._zh("By Volunteer"))
        self.assertEqual(sum(row[-1] for row in by_volunteer[2:]), round(sum(approved.mapped("hours")), 2))
        self.assertIn(approved[:1].partner_id.name, {row[0] for row in by_volunteer})
        self.authenticate("liaison", "liaison")
        self.assert_refused(self.execute(action), approved[:1].partner_id.name)

    def test_volunteer_downloads_a_chinese_certificate_with_searchable_figures(self):
        volunteer = self.env.ref("garbage_sorting.user_volunteer_demo")
        volunteer.lang = "en_US"  # the certificate is the town's document: in its language all the same
        self.authenticate("volunteer", "volunteer")
        response = self.url_open("/my/volunteer-hours/certificate?date_from=&date_to=")
        text = self.pdf_text(response)
        certificate = self.env["garbage.volunteer.certificate"].search(
            [("partner_id", "=", volunteer.partner_id.id)], order="id desc", limit=1
        )
        for expected in ("志愿服务证明", volunteer.partner_id.name, certificate.number, TOWN, TOWN_STREET):
            self.assertIn(expected, text)
        self.assertIn(f"{certificate.hours:g}", text.replace("4.50", "4.5"))
        self.assertRegex(certificate.number, r"ZYFW-\d{4}-\d{5}")
        self.assertNotIn("Certificate of Volunteer Service", text)
