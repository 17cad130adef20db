import functools
import logging
import subprocess

from odoo import models
from odoo.addons.base.models.ir_actions_report import _get_wkhtmltopdf_bin
from odoo.exceptions import UserError
from odoo.tools.pdf import merge_pdf

_logger = logging.getLogger(__name__)


@functools.cache
def wkhtmltopdf_prints_several_documents():
    """Whether the wkhtmltopdf binary takes several HTML documents in one run.

    Odoo hands wkhtmltopdf one document per "article" of a report, one per record when several are printed.
    A wkhtmltopdf built against an unpatched Qt (Debian's and Ubuntu's package, 0.12.6 on this machine) refuses
    that ("does not support more than one input document") and writes no PDF; the builds with the patched Qt
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
        options = {
            "report_ref": report_ref,
            "header": header,
            "footer": footer,
            "landscape": landscape,
            "specific_paperformat_args": specific_paperformat_args,
            "set_viewport_size": set_viewport_size,
        }
        if len(bodies) > 1 and not wkhtmltopdf_prints_several_documents():
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
