from odoo import models


class ResUsers(models.Model):
    _inherit = "res.users"

    def _garbage_home_action(self):
        # The town's staff land on their waste-sorting work; a branch secretary on their own organisation.
        action = super()._garbage_home_action()
        if not action and self.has_group("party_branch_linkage.party_branch_linkage_group_member"):
            action = self.env.ref("party_branch_linkage.party_organization_action_mine", raise_if_not_found=False)
        return action or self.env["ir.actions.actions"]
