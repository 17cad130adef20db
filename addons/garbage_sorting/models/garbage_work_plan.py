from datetime import date, timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from .garbage_guard_mixin import MANAGER_GROUP, town_today
from .garbage_input_mixin import MAX_YEAR


class GarbageWorkPlan(models.Model):
    _name = "garbage.work.plan"
    _description = "Annual Work Plan"
    _inherit = ["garbage.guard.mixin", "mail.thread", "mail.activity.mixin"]
    _order = "year desc, unit_id"
    _check_company_auto = True

    company_id = fields.Many2one(related="unit_id.company_id", string="Town", store=True, index=True, precompute=True)
    name = fields.Char(compute="_compute_name", store=True)
    unit_id = fields.Many2one("garbage.unit", "Unit", required=True, index=True, ondelete="restrict", tracking=True)
    year = fields.Integer(
        required=True, default=lambda self: fields.Date.context_today(self).year, tracking=True, aggregator=False
    )
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
    # What the yearly cadence rule counts (同步部署、同步考核): the day the plan counts as approved for its year,
    # the first of January when approved before the year; none when not approved, or approved after its year.
    date_counted = fields.Date(
        "Counts From",
        compute="_compute_date_counted",
        store=True,
        index=True,
        help="The day the approved plan counts for its year in the cadence (the 1st of January when approved "
        "earlier): a plan approved after the work plan deadline of the Settings misses the yearly obligation.",
    )
    # what the form shows: the buttons the server would accept from this user
    user_may_submit = fields.Boolean(compute="_compute_user_rights", help="Technical: may submit or withdraw it.")
    user_is_task_force = fields.Boolean(compute="_compute_user_rights", help="Technical: task force or engine.")

    _sql_constraints = [
        ("unit_year_unique", "unique(unit_id, year)", "A unit has only one work plan per year."),
        ("year_valid", "CHECK(year > 2000)", "The year of a work plan must be a real year."),
    ]

    @api.model
    def _guarded_fields(self):
        """The approval is the task force's and recorded by the engine; a plan stays with the unit it was
        drafted for (record rules decide who drafts for which unit)."""
        return {
            **super()._guarded_fields(),
            "name": (),
            "approved_by_id": (),
            "date_approved": (),
            "date_counted": (),
            "unit_id": (MANAGER_GROUP,),
        }

    @api.model
    def _guard_creation_fields(self):
        return (
            *super()._guard_creation_fields(),
            "unit_id",
        )

    @api.model
    def _input_ranges(self):
        # after 2000 (the table's CHECK), within the supported calendar
        return {**super()._input_ranges(), "year": (2001, MAX_YEAR, False)}

    @api.depends_context("uid")
    @api.depends("unit_id")
    def _compute_user_rights(self):
        is_task_force = self._is_manager()
        for plan in self:
            plan.user_is_task_force = is_task_force
            plan.user_may_submit = is_task_force or self.env.user in plan.unit_id.user_ids

    @api.depends("state", "date_approved", "year")
    def _compute_date_counted(self):
        for plan in self:
            approved = plan.state == "approved" and plan.date_approved
            if not approved or not plan.year or approved.year > plan.year:
                plan.date_counted = False
            else:
                plan.date_counted = max(approved, date(plan.year, 1, 1))

    @api.depends("unit_id.name", "year")
    def _compute_name(self):
        for plan in self:
            # stored: in the town's language whoever drafts it
            plan.name = plan._company_lang_env()._(
                "%(unit)s work plan %(year)s", unit=plan.unit_id.name or "", year=plan.year
            )

    def write(self, vals):
        self._check_editable()
        result = super().write(vals)
        if "unit_id" in vals:
            self.check_access("write")  # rules are checked before a write: a plan cannot leave its writer's reach
        return result

    @api.ondelete(at_uninstall=False)
    def _unlink_except_approved(self):
        if any(plan.state == "approved" for plan in self):
            raise UserError(self.env._("An approved work plan cannot be deleted."))

    def _check_editable(self):
        if self._is_manager():
            return
        if any(plan.state == "approved" for plan in self):
            raise UserError(self.env._("An approved work plan can only be changed by the task force."))

    def _check_unit_or_manager(self):
        """The unit's acting users (or the task force) submit and withdraw its plan."""
        self.check_access("write")
        if not self._is_manager() and any(self.env.user not in plan.unit_id.user_ids for plan in self):
            raise AccessError(self.env._("Only the unit's own users or the task force submit or withdraw its plan."))

    def action_submit(self):
        self._check_unit_or_manager()
        if any(plan.state != "draft" for plan in self):
            raise UserError(self.env._("Only a draft work plan can be submitted."))
        self.sudo().write({"state": "submitted"})
        self._schedule_approval_activities()
        return True

    def _schedule_approval_activities(self):
        """A submitted plan waits for the task force: one to-do for its head per plan, in the town's language."""
        Escalation = self.env["garbage.escalation"]
        heads = {company: Escalation._get_taskforce_head(company) for company in self.company_id}
        town = self._company_lang_env()
        self.env["mail.activity"].sudo().create(
            [
                {
                    "res_model_id": self.env["ir.model"]._get_id(self._name),
                    "res_id": plan.id,
                    "activity_type_id": self.env.ref("mail.mail_activity_data_todo").id,
                    "automated": True,
                    "user_id": heads[plan.company_id].id,
                    "date_deadline": town_today(self.env) + timedelta(days=7),
                    "summary": town._("Approve the work plan: %(plan)s", plan=plan.name),
                }
                for plan in self
                if heads[plan.company_id]
            ]
        )

    def action_approve(self):
        if not self._is_manager():
            raise AccessError(self.env._("Only the task force approves work plans."))
        self.check_access("write")
        if any(plan.state != "submitted" for plan in self):
            raise UserError(self.env._("Only a submitted work plan can be approved."))
        self.sudo().write({"state": "approved", "approved_by_id": self.env.uid, "date_approved": town_today(self.env)})
        self._close_activities(self._company_lang_env()._("Work plan approved."))
        return True

    def action_reset_to_draft(self):
        self._check_unit_or_manager()
        if any(plan.state == "approved" for plan in self) and not self._is_manager():
            raise AccessError(self.env._("Only the task force reopens an approved work plan."))
        self.sudo().write({"state": "draft", "approved_by_id": False, "date_approved": False})
        self._close_activities(self._company_lang_env()._("Work plan back to draft."))
        return True


class GarbageWorkPlanLine(models.Model):
    _name = "garbage.work.plan.line"
    _description = "Work Plan Item"
    _inherit = ["garbage.input.mixin"]
    _order = "plan_id, date, sequence, id"
    _check_company_auto = True

    company_id = fields.Many2one(related="plan_id.company_id", string="Town", store=True, index=True, precompute=True)
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
        if "plan_id" in vals and not self.env["garbage.work.plan"]._is_manager():
            raise AccessError(self.env._("An item stays in its work plan: add it to the other plan instead."))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_approved_plan(self):
        self.plan_id._check_editable()
