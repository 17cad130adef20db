from odoo import api, models


class IrActionsReport(models.Model):
    _inherit = "ir.actions.report"

    @api.model
    def _town_report_modules(self):
        return (*super()._town_report_modules(), "party_branch_linkage")
