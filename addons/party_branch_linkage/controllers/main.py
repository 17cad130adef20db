from odoo import http
from odoo.http import content_disposition, request


class PartyAnnualReviewController(http.Controller):
    @http.route("/party_branch_linkage/annual_review/<int:organization_id>/<int:year>.xlsx", type="http", auth="user")
    def annual_review_xlsx(self, organization_id, year):
        organization = request.env["party.organization"].browse(organization_id).exists()
        if not organization:
            raise request.not_found()
        organization.check_access("read")
        content = organization._get_annual_review_xlsx(year)
        filename = request.env._(
            "Annual Review %(organization)s %(year)s.xlsx", organization=organization.name, year=year
        )
        return request.make_response(
            content,
            headers=[
                ("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
                ("Content-Disposition", content_disposition(filename)),
            ],
        )
