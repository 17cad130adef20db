from werkzeug.exceptions import Forbidden

from odoo import fields, http
from odoo.exceptions import AccessError, UserError
from odoo.http import content_disposition, request

from ..models.file_names import file_name_part
from ..models.garbage_guard_mixin import company_lang_env

XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Ids beyond PostgreSQL's integer are no record (and would break the query).
MAX_ID = 2**31 - 1


class GarbageSortingReports(http.Controller):
    def _browse_ids(self, model, ids):
        """The records of a comma-separated id list the user may read.

        A malformed list, a missing record and someone else's record all get the same 404, like the
        portal: the answer does not tell which records exist. (A report the user's role may not download
        at all is a 403, raised by the report itself.)
        """
        try:
            record_ids = {int(record_id) for record_id in (ids or "").split(",") if record_id.strip()}
        except ValueError:
            raise request.not_found() from None
        if not record_ids or any(not 0 < record_id <= MAX_ID for record_id in record_ids):
            raise request.not_found()
        records = request.env[model].browse(sorted(record_ids)).exists()
        if len(records) != len(record_ids) or records._filtered_access("read") != records:
            raise request.not_found()
        return records

    def _xlsx_response(self, content, filename):
        return request.make_response(
            content,
            headers=[
                ("Content-Type", XLSX_MIMETYPE),
                ("Content-Length", len(content)),
                ("Content-Disposition", content_disposition(filename)),
            ],
        )

    @http.route("/garbage_sorting/bulletin", type="http", auth="user")
    def bulletin(self, period_ids=None, **kw):
        periods = self._browse_ids("garbage.assessment.period", period_ids)
        try:
            content = request.env["report.garbage_sorting.monthly_bulletin"]._get_xlsx(periods)
        except AccessError:
            raise Forbidden() from None
        except UserError:
            raise request.not_found() from None
        months = sorted(periods.mapped("name"))
        month = months[0] if len(months) == 1 else f"{months[0]}_{months[-1]}"
        return self._xlsx_response(content, request.env._("Monthly Bulletin %(month)s.xlsx", month=month))

    @http.route("/garbage_sorting/district_bulletin", type="http", auth="user")
    def district_bulletin(self, month=None, **kw):
        try:
            month = fields.Date.to_date(month)
        except ValueError:
            raise request.not_found() from None
        if not month or month.day != 1:
            raise request.not_found()
        try:
            content = request.env["report.garbage_sorting.district_bulletin"]._get_xlsx(month)
        except AccessError:
            raise Forbidden() from None
        # the file goes round the district office: named in its language
        filename = company_lang_env(request.env)._("District Bulletin %(month)s.xlsx", month=month.strftime("%Y-%m"))
        return self._xlsx_response(content, filename)

    @http.route("/garbage_sorting/annual_evaluation", type="http", auth="user")
    def annual_evaluation(self, annual_ids=None, **kw):
        selected = self._browse_ids("garbage.unit.annual", annual_ids)
        try:
            annuals = selected._get_evaluation_records()
        except AccessError:
            raise Forbidden() from None
        years = file_name_part("_".join(str(year) for year in sorted(set(annuals.mapped("year")))))
        return self._xlsx_response(
            annuals._get_evaluation_xlsx(), request.env._("Annual Evaluation %(years)s.xlsx", years=years)
        )

    @http.route("/garbage_sorting/volunteer_hours", type="http", auth="user")
    def volunteer_hours(self, date_from=None, date_to=None, **kw):
        try:
            date_from, date_to = fields.Date.to_date(date_from), fields.Date.to_date(date_to)
        except ValueError:
            raise request.not_found() from None
        if not date_from or not date_to or date_from > date_to:
            raise request.not_found()
        try:
            content = request.env["garbage.volunteer.hour.report"]._get_xlsx(date_from, date_to)
        except AccessError:
            raise Forbidden() from None
        filename = request.env._("Volunteer Hours %(date_from)s %(date_to)s.xlsx", date_from=date_from, date_to=date_to)
        return self._xlsx_response(content, filename)
