from urllib.parse import urlencode

from odoo import api, fields, models
from odoo.exceptions import AccessError, ValidationError

from .xlsx_workbook import build_workbook

REPORT_GROUPS = ("garbage_sorting.garbage_sorting_group_coordinator", "garbage_sorting.garbage_sorting_group_leader")


class GarbageVolunteerHourReport(models.TransientModel):
    _name = "garbage.volunteer.hour.report"
    _description = "Volunteer Hours Report"

    date_from = fields.Date("From", required=True, default=lambda self: fields.Date.context_today(self).replace(day=1))
    date_to = fields.Date("To", required=True, default=fields.Date.context_today)

    @api.constrains("date_from", "date_to")
    def _check_dates(self):
        if any(wizard.date_from > wizard.date_to for wizard in self):
            raise ValidationError(self.env._("The report starts before it ends: check the dates."))

    def action_download(self):
        self.ensure_one()
        self.env["garbage.volunteer.hour.report"]._check_report_access()
        query = urlencode({"date_from": str(self.date_from), "date_to": str(self.date_to)})
        return {"type": "ir.actions.act_url", "url": f"/garbage_sorting/volunteer_hours?{query}", "target": "download"}

    @api.model
    def _check_report_access(self):
        if not any(self.env.user.has_group(group) for group in REPORT_GROUPS):
            raise AccessError(self.env._("Only coordinators and town leaders download the volunteer hours report."))

    @api.model
    def _get_xlsx(self, date_from, date_to):
        """Approved hours between the dates (included), per volunteer and per unit, as XLSX bytes."""
        self._check_report_access()
        env = self.with_context(lang=self.env.user.lang).env
        Hour = env["garbage.volunteer.hour"]
        categories = dict(Hour._fields["volunteer_category"]._description_selection(env))
        domain = [("state", "=", "approved"), ("date", ">=", date_from), ("date", "<=", date_to)]
        by_volunteer = Hour._read_group(
            domain, ["partner_id", "volunteer_category"], ["hours:sum", "__count"], order="hours:sum desc"
        )
        by_unit = Hour._read_group(
            domain, ["unit_id"], ["hours:sum", "__count", "partner_id:count_distinct"], order="hours:sum desc"
        )
        span = env._("%(date_from)s to %(date_to)s", date_from=date_from, date_to=date_to)
        return build_workbook(
            [
                {
                    "name": env._("By Volunteer"),
                    "title": env._("Approved volunteer hours, %(span)s", span=span),
                    "headers": [env._("Volunteer"), env._("Category"), env._("Entries"), env._("Hours")],
                    "rows": [
                        [partner.name, categories.get(category), count, round(hours, 2)]
                        for partner, category, hours, count in by_volunteer
                    ],
                },
                {
                    "name": env._("By Unit"),
                    "title": env._("Approved volunteer hours per unit, %(span)s", span=span),
                    "headers": [env._("Unit"), env._("Volunteers"), env._("Entries"), env._("Hours")],
                    "rows": [
                        [unit.name or env._("No unit"), volunteers, count, round(hours, 2)]
                        for unit, hours, count, volunteers in by_unit
                    ],
                },
            ]
        )
