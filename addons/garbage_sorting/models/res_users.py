from odoo import models

# Where each role's working day starts, first match wins (the task force sees the months, the leader the
# results, the inspector the inspections, the coordinator the duties, the liaison the unit's obligations).
HOME_ACTIONS = (
    ("garbage_sorting.garbage_sorting_group_manager", "garbage_sorting.garbage_assessment_period_action"),
    ("garbage_sorting.garbage_sorting_group_leader", "garbage_sorting.garbage_escalation_action"),
    ("garbage_sorting.garbage_sorting_group_inspector", "garbage_sorting.garbage_inspection_action"),
    ("garbage_sorting.garbage_sorting_group_coordinator", "garbage_sorting.garbage_volunteer_duty_action"),
    ("garbage_sorting.garbage_sorting_group_liaison", "garbage_sorting.garbage_obligation_action"),
)


class ResUsers(models.Model):
    _inherit = "res.users"

    def _garbage_home_action(self):
        """The action the web client opens after login when the user chose no home action of their own.

        Decided from the user's groups each time (nothing stored), so a user created later or given another
        role lands on their work too. Returns an ``ir.actions.actions`` record or an empty one.
        """
        self.ensure_one()
        for group, xmlid in HOME_ACTIONS:
            if self.has_group(group):
                return self.env.ref(xmlid, raise_if_not_found=False) or self.env["ir.actions.actions"]
        return self.env["ir.actions.actions"]
