from odoo import fields, models


class PartyAnnualReview(models.TransientModel):
    _name = "party.annual.review"
    _description = "Annual Party-Building Review"

    organization_id = fields.Many2one("party.organization", "Party Organization", required=True)
    year = fields.Integer(required=True, default=lambda self: fields.Date.context_today(self).year)

    def action_print_pdf(self):
        self.ensure_one()
        return self.env.ref("party_branch_linkage.party_annual_review_report").report_action(
            self.organization_id, data={"year": self.year}
        )

    def action_download_xlsx(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_url",
            "url": f"/party_branch_linkage/annual_review/{self.organization_id.id}/{self.year}.xlsx",
            "target": "download",
        }
