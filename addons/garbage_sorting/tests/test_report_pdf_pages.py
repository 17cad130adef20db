"""What the town's PDF reports hand to wkhtmltopdf: pages that need no web server and no web font.

Odoo's report pages link their stylesheets (fetched from the server while the print waits, which hangs a server
that is still loading or serves one request at a time) and the company layout's web font (Lato), whose letters
wkhtmltopdf draws as outlines without text: pdftotext read no digit nor Latin letter of the certificate. The town's
reports carry their stylesheets in the page, without web fonts, in the machine's fonts; the ERP's other reports are
printed as core prints them.
"""

from odoo.tests import TransactionCase, tagged

from ..models.ir_actions_report import wkhtmltopdf_has_patched_qt
from .common import setup_volunteers


@tagged("post_install", "-at_install")
class TestTownReportPages(TransactionCase):
    def _pages(self, report_ref, ids, data=None):
        Report = self.env["ir.actions.report"]
        report = Report._get_report(report_ref)
        html = Report._render_qweb_html(report_ref, ids, data=data)[0]
        bodies, __, header, footer, __ = report._prepare_html(html, report_model=report.model)
        return bodies, header, footer

    def test_the_certificate_needs_no_server_and_no_web_font(self):
        setup_volunteers(self)
        self.env.company.partner_id.write({"street": "和平路8号", "lang": "zh_CN"})
        bodies, header, footer = self._pages("garbage_sorting.action_report_volunteer_certificate", self.volunteer.ids)
        for page in (*bodies, header, footer):
            self.assertNotIn("/web/assets/", page, "no stylesheet to fetch")
            self.assertNotIn("@font-face", page, "no web font")
            self.assertIn("<style>", page)
            self.assertIn('<base href="about:blank"', page)
            self.assertIn('class="o_gs_town_report o_body_pdf', page, "the machine's fonts (report_pdf.scss)")
        self.assertIn("Noto Sans CJK SC", bodies[0], "the town's font stack is in the page's styles")
        if not wkhtmltopdf_has_patched_qt():
            # this wkhtmltopdf prints no header: the letterhead is in the document itself
            self.assertIn("和平路8号", bodies[0])

    def test_the_erps_other_reports_are_printed_as_core_prints_them(self):
        module = self.env.ref("base.module_base")
        bodies, __, __ = self._pages("base.ir_module_reference_print", module.ids)
        self.assertIn("/web/assets/", bodies[0])
        self.assertNotIn("o_gs_town_report", bodies[0])
