from odoo import api, fields, models
from odoo.exceptions import UserError

# Ids beyond PostgreSQL's integer are no record (and would break the query).
MAX_ID = 2**31 - 1


class ReportPartyAnnualReview(models.AbstractModel):
    _name = "report.party_branch_linkage.report_party_annual_review"
    _description = "Annual Party-Building Review Report"

    @api.model
    def _get_report_values(self, docids, data=None):
        """Rendered with the user's rights: each organisation's review checks who may read it first.

        The organisations come from the ids in the URL (the Print menu: `/report/pdf/<report>/<ids>`) or, when
        the review wizard prints a year (an action with `data`), from its data: the web client then asks for
        `/report/pdf/<report>?options=<data>&context=<action context>` with no id in the path.
        """
        Organization = self.env["party.organization"]
        data = data or {}
        year = Organization._check_review_year(data["year"] if "year" in data else fields.Date.context_today(self).year)
        organizations = Organization.browse(self._review_organization_ids(docids, data)).exists()
        if not organizations:
            raise UserError(self.env._("Choose the party organization whose annual review is printed."))
        organizations._check_annual_review_access()
        return {
            "doc_ids": organizations.ids,
            "doc_model": "party.organization",
            "docs": organizations,
            "reviews": {
                organization.id: organization._get_annual_review_sheets(year) for organization in organizations
            },
        }

    @api.model
    def _review_organization_ids(self, docids, data):
        """The ids of the path, else the wizard's (`data`), else the action's context (`active_ids` of
        organisations): whatever the client sends, a list of integers or a clear error."""
        context = data.get("context") or {}
        ids = docids or data.get("organization_ids")
        if not ids and context.get("active_model", "party.organization") == "party.organization":
            ids = context.get("active_ids")
        if isinstance(ids, int):
            ids = [ids]
        if not isinstance(ids, list | tuple) or not all(
            isinstance(record_id, int) and not isinstance(record_id, bool) and 0 < record_id <= MAX_ID
            for record_id in ids
        ):
            raise UserError(self.env._("Choose the party organization whose annual review is printed."))
        return list(ids)
