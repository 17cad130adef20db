from odoo import http
from odoo.addons.garbage_sorting.models.file_names import file_name_part
from odoo.exceptions import AccessError, UserError
from odoo.http import content_disposition, request

# Ids beyond PostgreSQL's integer are no record (and would break the query).
MAX_ID = 2**31 - 1


class PartyAnnualReviewController(http.Controller):
    def _review_organization(self, organization_id, year):
        """The organisation whose review the user may read, and the year; 404 otherwise.

        A missing organisation, one the user may not review and a year that is no year all get the same
        404, like the portal: the answer does not tell which organisations exist.
        """
        Organization = request.env["party.organization"]
        organization = Organization.browse(organization_id if 0 < organization_id <= MAX_ID else []).exists()
        if not organization:
            raise request.not_found()
        try:
            year = Organization._check_review_year(year)
            organization._check_annual_review_access()
        except (AccessError, UserError):
            raise request.not_found() from None
        return organization, year

    @http.route("/party_branch_linkage/annual_review/<int:organization_id>/<int:year>.xlsx", type="http", auth="user")
    def annual_review_xlsx(self, organization_id, year):
        organization, year = self._review_organization(organization_id, year)
        content = organization._get_annual_review_xlsx(year)
        filename = request.env._(
            "Annual Review %(organization)s %(year)s.xlsx", organization=file_name_part(organization.name), year=year
        )
        return request.make_response(
            content,
            headers=[
                ("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
                ("Content-Length", len(content)),
                ("Content-Disposition", content_disposition(filename)),
            ],
        )

    @http.route("/party_branch_linkage/annual_review/<int:organization_id>/<int:year>.pdf", type="http", auth="user")
    def annual_review_pdf(self, organization_id, year):
        organization, year = self._review_organization(organization_id, year)
        # The user's environment: the report checks the access again itself.
        content, __ = request.env["ir.actions.report"]._render_qweb_pdf(
            "party_branch_linkage.party_annual_review_report", organization.ids, data={"year": year}
        )
        filename = request.env._(
            "Annual Review %(organization)s %(year)s.pdf", organization=file_name_part(organization.name), year=year
        )
        return request.make_response(
            content,
            headers=[
                ("Content-Type", "application/pdf"),
                ("Content-Length", len(content)),
                ("Content-Disposition", content_disposition(filename)),
            ],
        )
