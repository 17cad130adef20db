import base64

from odoo import api, models


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
        notices = []
        for month in months:
            values = month._get_notice_values()
            if month.public:  # the QR code leads to the page only while the town's page is open
                url = month._notice_url()
                png = self.env["ir.actions.report"].barcode("QR", url, width=240, height=240)
                values.update(url=url, qr_src=f"data:image/png;base64,{base64.b64encode(png).decode()}")
            notices.append(values)
        return {"doc_ids": periods.ids, "doc_model": "garbage.assessment.period", "docs": periods, "notices": notices}
