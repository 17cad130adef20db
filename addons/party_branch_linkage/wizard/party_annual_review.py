from odoo import api, fields, models


class PartyAnnualReview(models.TransientModel):
    """Choose the organisation and the year of the secretary's annual review (no state: it only prints)."""

    _name = "party.annual.review"
    _description = "Annual Party-Building Review"
    # NaN or infinity as the year would fail in the ORM's int() before the year's check
    _inherit = ["garbage.input.mixin"]

    organization_id = fields.Many2one("party.organization", "Party Organization", required=True)
    year = fields.Integer(required=True, default=lambda self: fields.Date.context_today(self).year)

    @api.constrains("year")
    def _check_year(self):
        for wizard in self:
            self.env["party.organization"]._check_review_year(wizard.year)

    def _check_review(self):
        self.ensure_one()
        self.env["party.organization"]._check_review_year(self.year)
        self.organization_id._check_annual_review_access()

    def action_print_pdf(self):
        self._check_review()
        # The web client prints an action with data from /report/pdf/<report>?options=<data>: no id in the path,
        # so the data name the organisation (the report reads it there, see its _get_report_values).
        return self.env.ref("party_branch_linkage.party_annual_review_report").report_action(
            self.organization_id, data={"year": self.year, "organization_ids": self.organization_id.ids}
        )

    def action_download_xlsx(self):
        self._check_review()
        return {
            "type": "ir.actions.act_url",
            "url": f"/party_branch_linkage/annual_review/{self.organization_id.id}/{self.year}.xlsx",
            "target": "download",
        }
