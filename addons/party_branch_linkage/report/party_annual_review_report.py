from odoo import api, fields, models


class ReportPartyAnnualReview(models.AbstractModel):
    _name = "report.party_branch_linkage.report_party_annual_review"
    _description = "Annual Party-Building Review Report"

    @api.model
    def _get_report_values(self, docids, data=None):
        """Rendered with the user's rights: each organisation's review checks who may read it first."""
        Organization = self.env["party.organization"]
        data = data or {}
        year = Organization._check_review_year(data["year"] if "year" in data else fields.Date.context_today(self).year)
        organizations = Organization.browse(docids)
        return {
            "doc_ids": docids,
            "doc_model": "party.organization",
            "docs": organizations,
            "reviews": {
                organization.id: organization._get_annual_review_sheets(year) for organization in organizations
            },
        }
