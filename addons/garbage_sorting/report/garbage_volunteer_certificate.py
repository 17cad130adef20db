from odoo import api, fields, models
from odoo.exceptions import UserError


class ReportVolunteerCertificate(models.AbstractModel):
    _name = "report.garbage_sorting.report_volunteer_certificate"
    _description = "Volunteer Hours Certificate"

    @api.model
    def _get_report_values(self, docids, data=None):
        data = data or {}
        partners = self.env["res.partner"].browse(docids)
        try:
            date_from = fields.Date.to_date(data.get("date_from") or False)
            date_to = fields.Date.to_date(data.get("date_to") or False)
        except (TypeError, ValueError):
            raise UserError(self.env._("The certificate's dates are not valid dates.")) from None
        # Read with the user's rights: a volunteer reads their own hours, a coordinator those of all.
        domain = [("partner_id", "in", partners.ids), ("state", "=", "approved")]
        if date_from:
            domain.append(("date", ">=", date_from))
        if date_to:
            domain.append(("date", "<=", date_to))
        entries = self.env["garbage.volunteer.hour"].search(domain, order="date, id")
        entries_by_partner = {
            partner.id: entries.filtered(lambda e, p=partner: e.partner_id == p) for partner in partners
        }
        # Each certificate printed is issued: a number and a token for its QR code (the same ones when the
        # same period and hours are printed again). Only hours the printing user may read are certified.
        Certificate = self.env["garbage.volunteer.certificate"]
        certificates = {
            partner.id: Certificate._issue(
                partner, date_from, date_to, sum(entries_by_partner[partner.id].mapped("hours"))
            )
            for partner in partners
            if entries_by_partner[partner.id]
        }
        return {
            "doc_ids": partners.ids,
            "doc_model": "res.partner",
            "docs": partners,
            "date_from": date_from,
            "date_to": date_to,
            "entries_by_partner": entries_by_partner,
            "certificates": certificates,
            "today": fields.Date.context_today(self),
        }
