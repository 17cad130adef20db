from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

MANAGER_GROUP = "garbage_sorting.garbage_sorting_group_manager"
INSPECTOR_GROUP = "garbage_sorting.garbage_sorting_group_inspector"


class GarbageRectification(models.Model):
    _name = "garbage.rectification"
    _description = "Rectification"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "deadline, id"

    name = fields.Char("Problem", required=True, tracking=True)
    description = fields.Text("Details")
    inspection_id = fields.Many2one("garbage.inspection", required=True, index=True, ondelete="cascade")
    inspection_line_id = fields.Many2one("garbage.inspection.line", "Failed Check", ondelete="set null")
    unit_id = fields.Many2one(related="inspection_id.unit_id", store=True, index=True)
    source = fields.Selection(related="inspection_id.source", store=True, string="Found By")
    assignee_id = fields.Many2one("res.users", "Assignee", tracking=True)
    deadline = fields.Date(required=True, tracking=True, index=True)
    state = fields.Selection(
        [("open", "Open"), ("submitted", "Submitted"), ("verified", "Verified")],
        default="open",
        required=True,
        tracking=True,
        index=True,
    )
    is_overdue = fields.Boolean("Overdue", index=True, tracking=True, help="Set daily for open ones past deadline.")
    date_verified = fields.Date("Verified On", readonly=True, copy=False)
    photo_before_ids = fields.Many2many(
        "ir.attachment", "garbage_rectification_photo_before_rel", "rectification_id", "attachment_id", "Photos Before"
    )
    photo_after_ids = fields.Many2many(
        "ir.attachment", "garbage_rectification_photo_after_rel", "rectification_id", "attachment_id", "Photos After"
    )
    reject_reason = fields.Text("Rejection Reason", tracking=True, copy=False)

    @api.model_create_multi
    def create(self, vals_list):
        rectifications = super().create(vals_list)
        rectifications._schedule_liaison_activities()
        return rectifications

    def write(self, vals):
        is_manager = self.env.su or self.env.user.has_group(MANAGER_GROUP)
        if not is_manager and any(rectification.state == "verified" for rectification in self):
            raise UserError(self.env._("A verified rectification can only be changed by the task force."))
        # Only the recheck decides: a unit may hand its work in, not approve or send it back itself.
        rechecking = vals.get("state", "submitted") != "submitted" or "date_verified" in vals
        if rechecking and not self.env.su:
            self._check_recheck_rights()
        return super().write(vals)

    def _schedule_liaison_activities(self):
        """One to-do for the unit's liaison per new rectification, created in one batch."""
        todo = self.env.ref("mail.mail_activity_data_todo")
        model_id = self.env["ir.model"]._get_id(self._name)
        vals_list = []
        for rectification in self:
            user = rectification.unit_id._get_liaison_users()[:1] or rectification.assignee_id
            if user:
                vals_list.append(
                    {
                        "res_model_id": model_id,
                        "res_id": rectification.id,
                        "activity_type_id": todo.id,
                        "automated": True,
                        "user_id": user.id,
                        "date_deadline": rectification.deadline,
                        # in the liaison's language, not the one of whoever closed the inspection
                        "summary": self.with_context(lang=user.lang).env._(
                            "Rectify: %(problem)s", problem=rectification.name
                        ),
                    }
                )
        self.env["mail.activity"].sudo().create(vals_list)

    def action_submit(self):
        if any(rectification.state != "open" for rectification in self):
            raise UserError(self.env._("Only an open rectification can be submitted for recheck."))
        self.write({"state": "submitted"})
        return True

    def _check_recheck_rights(self):
        if not self.env.user.has_group(INSPECTOR_GROUP):
            raise AccessError(self.env._("Only an inspector or the task force rechecks a rectification."))

    def action_verify(self):
        self._check_recheck_rights()
        if any(rectification.state != "submitted" for rectification in self):
            raise UserError(self.env._("Only a submitted rectification can be verified."))
        self.write({"state": "verified", "date_verified": fields.Date.context_today(self), "is_overdue": False})
        self.activity_feedback(["mail.mail_activity_data_todo"])
        return True

    def action_reject(self):
        self._check_recheck_rights()
        for rectification in self:
            if rectification.state != "submitted":
                raise UserError(self.env._("Only a submitted rectification can be rejected."))
            if not rectification.reject_reason:
                raise UserError(self.env._("Give the reason why the rectification is rejected."))
        self.write({"state": "open"})
        for rectification in self:
            rectification.message_post(
                body=self.env._("Rejected at recheck: %(reason)s", reason=rectification.reject_reason)
            )
        return True

    @api.model
    def _cron_mark_overdue(self):
        """Flag the open rectifications past their deadline, unflag the others (same result on every run)."""
        today = fields.Date.context_today(self)
        overdue_domain = [("state", "=", "open"), ("deadline", "<", today)]
        self.search([*overdue_domain, ("is_overdue", "=", False)]).write({"is_overdue": True})
        self.search([("is_overdue", "=", True), "|", ("state", "!=", "open"), ("deadline", ">=", today)]).write(
            {"is_overdue": False}
        )
        return True
