import functools
import logging
import re
import subprocess

import lxml.html

from odoo import api, models
from odoo.addons.base.models.ir_actions_report import _get_wkhtmltopdf_bin
from odoo.exceptions import UserError
from odoo.tools.pdf import merge_pdf

from .garbage_guard_mixin import company_lang_env

_logger = logging.getLogger(__name__)

# Where wkhtmltopdf of the town's reports looks for what the page links to: nowhere (see `_prepare_html`).
OFFLINE_REPORT_URL = "about:blank"
# A stylesheet link of a report page, as `web.minimal_layout` writes it (`/web/assets/<unique>/<bundle>.min.css`).
STYLESHEET_LINK = re.compile(
    r'<link\b[^>]*\bhref="[^"]*/web/assets/[^"/]+/(?P<bundle>[\w.]+?)(?P<rtl>\.rtl)?\.min\.css"[^>]*>'
)
# Web fonts: wkhtmltopdf draws their letters as outlines, without text (pdftotext reads no digit of them).
FONT_FACE = re.compile(r"@font-face\s*\{[^}]*\}")
BODY_START = re.compile(r"<body\b[^>]*>")


@functools.cache
def wkhtmltopdf_has_patched_qt():
    """Whether the wkhtmltopdf binary is built with the patched Qt, which Odoo's reports count on.

    A wkhtmltopdf built against an unpatched Qt (Debian's and Ubuntu's package, 0.12.6 on this machine) takes one
    HTML document per run, where Odoo hands it one per "article" of a report (one per record when several are
    printed): it refuses that ("does not support more than one input document") and writes no PDF. It also ignores
    `--header-html` and `--footer-html`: the company's letterhead is not printed. The builds with the patched Qt
    (wkhtmltopdf.org's packages, which Odoo recommends) say so in their version: "0.12.6 (with patched qt)".
    """
    try:
        version = subprocess.run(
            [_get_wkhtmltopdf_bin(), "--version"], capture_output=True, text=True, timeout=30, check=False
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return True  # no usable binary: Odoo's own checks report it
    return "patched qt" in version.lower()


class IrActionsReport(models.Model):
    _inherit = "ir.actions.report"

    @api.model
    def _town_report_modules(self):
        """The addons whose reports are printed as the town's documents (see `_prepare_html`)."""
        return ("garbage_sorting",)

    @api.model
    def _company_language_reports(self):
        """Reports that are documents the town issues, stores or sends: always in the town's language."""
        return (
            "garbage_sorting.garbage_unit_annual_report",
            "garbage_sorting.action_report_volunteer_certificate",
            "garbage_sorting.garbage_assessment_notice_report",
        )

    def _is_town_report(self):
        return len(self) == 1 and (self.xml_id or "").partition(".")[0] in self._town_report_modules()

    def _get_report_url(self, layout=None):
        if self._is_town_report():
            return OFFLINE_REPORT_URL
        return super()._get_report_url(layout=layout)

    def _prepare_html(self, html, report_model=False):
        """The town's reports are printed without asking any web server for anything.

        Odoo's pages link their stylesheets, which wkhtmltopdf fetches from the server while the request (or the
        job, or the install) that prints waits for it: a server still loading (an install while it serves), a single
        worker, or a test server serving one request at a time never answers, and the print hangs. Here the
        stylesheets are written into the page instead, and everything else points nowhere. Web fonts are left out:
        wkhtmltopdf draws their letters as outlines without text, so the PDF's digits and Latin letters could not be
        searched or copied; the page uses the machine's fonts (`static/src/report/report_pdf.scss`).

        A wkhtmltopdf without the patched Qt prints no header nor footer: each document then carries its own
        letterhead (the town's name and address) at its top and its footer at its end.
        """
        prepared = super()._prepare_html(html, report_model=report_model)
        if not prepared or not self._is_town_report():
            return prepared
        bodies, res_ids, header, footer, specific_paperformat_args = prepared
        stylesheets = {}

        def stylesheet(match):
            key = (match["bundle"], bool(match["rtl"]))
            if key not in stylesheets:
                bundle = self.env["ir.qweb"].sudo()._get_asset_bundle(key[0], css=True, js=False, rtl=key[1])
                css = b"\n".join(attachment.raw or b"" for attachment in bundle.css()).decode()
                stylesheets[key] = FONT_FACE.sub("", css).replace("</", "<\\/")
            return f"<style>{stylesheets[key]}</style>"

        def offline(page):
            page = STYLESHEET_LINK.sub(stylesheet, page)
            return page.replace('class="o_body_pdf', 'class="o_gs_town_report o_body_pdf', 1)

        if not wkhtmltopdf_has_patched_qt():
            bodies = self._with_letterhead(bodies, header, footer)
        return [offline(body) for body in bodies], res_ids, offline(header), offline(footer), specific_paperformat_args

    @api.model
    def _with_letterhead(self, bodies, header, footer):
        """Each body with its own header (at the top) and footer (at the end), as `web.minimal_layout` would
        have shown them on its pages: the n-th of each for the n-th body."""
        headers = lxml.html.fromstring(header).xpath("//div[@id='minimal_layout_report_headers']/*")
        footers = lxml.html.fromstring(footer).xpath("//div[@id='minimal_layout_report_footers']/*")
        if len(headers) != len(bodies):
            return bodies
        for footer_node in footers:
            # "Page x / y" is counted by wkhtmltopdf in its footers only: without them it would read "Page: /"
            for numbers in footer_node.xpath(".//*[span[contains(concat(' ', @class, ' '), ' topage ')]]"):
                numbers.drop_tree()
        result = []
        for index, body in enumerate(bodies):
            top = lxml.html.tostring(headers[index], encoding="unicode")
            end = lxml.html.tostring(footers[index], encoding="unicode") if len(footers) == len(bodies) else ""
            page = BODY_START.sub(lambda match, top=top: match[0] + top, body, count=1)
            result.append(page.replace("</body>", end + "</body>", 1) if end else page)
        return result

    def _pre_render_qweb_pdf(self, report_ref, res_ids=None, data=None):
        """The town's reports are real PDFs, also in test mode: Odoo prints web pages there instead because
        wkhtmltopdf would wait for the test server's stylesheets; these reports need no server."""
        report = self
        if self._get_report(report_ref)._is_town_report():
            report = self.with_context(force_report_rendering=True)
        return super(IrActionsReport, report)._pre_render_qweb_pdf(report_ref, res_ids=res_ids, data=data)

    def _render_qweb_html(self, report_ref, docids, data=None):
        """A document the town issues (a certificate) or sends (the annual report of level 3) is written in the
        town's language, whoever prints it and whichever job stores it."""
        report = self
        if self._get_report(report_ref).xml_id in self._company_language_reports():
            report = self.with_env(company_lang_env(self.env))
        return super(IrActionsReport, report)._render_qweb_html(report_ref, docids, data=data)

    def _run_wkhtmltopdf(
        self,
        bodies,
        report_ref=False,
        header=None,
        footer=None,
        landscape=False,
        specific_paperformat_args=None,
        set_viewport_size=False,
    ):
        """Several records printed at once with a wkhtmltopdf that prints one document per run: one run per
        record, the PDFs merged in order (what the patched build produces in one run). A PDF that still comes
        out empty is refused with a clear message instead of a broken download."""
        if report_ref and not wkhtmltopdf_has_patched_qt() and self._get_report(report_ref)._is_town_report():
            header = footer = None  # already in each document (`_with_letterhead`): this wkhtmltopdf ignores them
        options = {
            "report_ref": report_ref,
            "header": header,
            "footer": footer,
            "landscape": landscape,
            "specific_paperformat_args": specific_paperformat_args,
            "set_viewport_size": set_viewport_size,
        }
        if len(bodies) > 1 and not wkhtmltopdf_has_patched_qt():
            _logger.info("wkhtmltopdf without patched Qt: printing %d documents one by one", len(bodies))
            pdfs = [super(IrActionsReport, self)._run_wkhtmltopdf([body], **options) for body in bodies]
            if all(pdfs):
                return merge_pdf(pdfs)
            content = b""
        else:
            content = super()._run_wkhtmltopdf(bodies, **options)
        if not content:
            raise UserError(
                self.env._(
                    "The PDF could not be printed: wkhtmltopdf, the program that prints the reports, produced "
                    "nothing. Ask your administrator to check its installation (the server log names the error); "
                    "meanwhile print the records one by one."
                )
            )
        return content
