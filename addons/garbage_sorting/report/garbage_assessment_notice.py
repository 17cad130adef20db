import base64

from odoo import api, models
from odoo.exceptions import UserError

from ..models.garbage_guard_mixin import company_lang_env


class ReportAssessmentNotice(models.AbstractModel):
    _name = "report.garbage_sorting.report_assessment_notice"
    _description = "Printed Notice of the Monthly Lists"

    @api.model
    def _get_report_values(self, docids, data=None):
        """The notice prints what the public page shows, read from the same views with the printer's rights:
        a month that is not published has nothing to print and is refused."""
        periods = self.env["garbage.assessment.period"].browse(docids)
        periods._check_notice_printable()
        months = self.env["garbage.assessment.notice.month"].browse(periods.ids)
        public = months._is_public()
        notices = []
        for month in months:
            values = month._get_notice_values()
            if public:  # the QR code leads to the page only while the page is open
                url = month._notice_url()
                png = self.env["ir.actions.report"].barcode("QR", url, width=240, height=240)
                values.update(url=url, qr_src=f"data:image/png;base64,{base64.b64encode(png).decode()}")
            notices.append(values)
        return {"doc_ids": periods.ids, "doc_model": "garbage.assessment.period", "docs": periods, "notices": notices}


class GarbageAssessmentPeriod(models.Model):
    _inherit = "garbage.assessment.period"

    def action_print_notice(self):
        """The printed notice (公示) of published months, to post at the town hall and the units."""
        self._check_notice_printable()
        return self.env.ref("garbage_sorting.garbage_assessment_notice_report").report_action(self)

    def _check_notice_printable(self):
        self.check_access("read")
        if not self or any(period.state != "published" for period in self):
            raise UserError(self.env._("Only a published month has a notice: publish it first."))

    def _notice_file_name(self):
        """The PDF's name in the town's language, whoever prints it."""
        return company_lang_env(self.env)._("Red and Grey Lists %(month)s", month=self[:1].name)
