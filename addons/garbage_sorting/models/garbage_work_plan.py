from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

MANAGER_GROUP = "garbage_sorting.garbage_sorting_group_manager"


class GarbageWorkPlan(models.Model):
    _name = "garbage.work.plan"
    _description = "Annual Work Plan"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "year desc, unit_id"

    name = fields.Char(compute="_compute_name", store=True)
    unit_id = fields.Many2one("garbage.unit", "Unit", required=True, index=True, ondelete="restrict", tracking=True)
    year = fields.Integer(required=True, default=lambda self: fields.Date.context_today(self).year, tracking=True)
    state = fields.Selection(
        [("draft", "Draft"), ("submitted", "Submitted"), ("approved", "Approved")],
        default="draft",
        required=True,
        tracking=True,
        copy=False,
    )
    is_party_building = fields.Boolean(
        "In Party-Building Content",
        default=True,
        tracking=True,
        help="Waste sorting is part of the unit's party-building work and assessed with it (M1.1).",
    )
    goals = fields.Html()
    line_ids = fields.One2many("garbage.work.plan.line", "plan_id", string="Items", copy=True)
    approved_by_id = fields.Many2one("res.users", "Approved By", readonly=True, copy=False, tracking=True)
    date_approved = fields.Date("Approved On", readonly=True, copy=False)

    _sql_constraints = [
        ("unit_year_unique", "unique(unit_id, year)", "A unit has only one work plan per year."),
        ("year_valid", "CHECK(year > 2000)", "The year of a work plan must be a real year."),
    ]

    @api.depends("unit_id.name", "year")
    def _compute_name(self):
        for plan in self:
            plan.name = self.env._("%(unit)s work plan %(year)s", unit=plan.unit_id.name or "", year=plan.year)

    def write(self, vals):
        if (
            not self.env.su
            and not self.env.user.has_group(MANAGER_GROUP)
            and any(plan.state == "approved" for plan in self)
        ):
            raise UserError(self.env._("An approved work plan can only be changed by the task force."))
        result = super().write(vals)
        if "unit_id" in vals:
            self.check_access("write")  # rules are checked before a write: a plan cannot leave its writer's reach
        return result

    def _check_editable(self):
        if self.env.su or self.env.user.has_group(MANAGER_GROUP):
            return
        if any(plan.state == "approved" for plan in self):
            raise UserError(self.env._("An approved work plan can only be changed by the task force."))

    def action_submit(self):
        if any(plan.state != "draft" for plan in self):
            raise UserError(self.env._("Only a draft work plan can be submitted."))
        self.write({"state": "submitted"})
        return True

    def action_approve(self):
        if not self.env.user.has_group(MANAGER_GROUP):
            raise AccessError(self.env._("Only the task force approves work plans."))
        if any(plan.state != "submitted" for plan in self):
            raise UserError(self.env._("Only a submitted work plan can be approved."))
        self.write(
            {"state": "approved", "approved_by_id": self.env.uid, "date_approved": fields.Date.context_today(self)}
        )
        return True

    def action_reset_to_draft(self):
        if any(plan.state == "approved" for plan in self) and not self.env.user.has_group(MANAGER_GROUP):
            raise AccessError(self.env._("Only the task force reopens an approved work plan."))
        self.write({"state": "draft", "approved_by_id": False, "date_approved": False})
        return True


class GarbageWorkPlanLine(models.Model):
    _name = "garbage.work.plan.line"
    _description = "Work Plan Item"
    _order = "plan_id, date, sequence, id"

    plan_id = fields.Many2one("garbage.work.plan", required=True, ondelete="cascade", index=True)
    sequence = fields.Integer(default=10)
    date = fields.Date("Planned Date", required=True)
    name = fields.Char("Item", required=True)
    responsible = fields.Char(help="Person or department in charge of this item.")
    is_done = fields.Boolean("Done")

    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        lines.plan_id._check_editable()
        return lines

    def write(self, vals):
        self.plan_id._check_editable()
        return super().write(vals)

    def unlink(self):
        self.plan_id._check_editable()
        return super().unlink()
