from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from .garbage_guard_mixin import company_lang_env, town_today

INSPECTOR_GROUP = "garbage_sorting.garbage_sorting_group_inspector"
REASON_MAX_LENGTH = 2000  # a reason goes into the chatter, read by everybody following the rectification


class GarbageRectification(models.Model):
    _name = "garbage.rectification"
    _description = "Rectification"
    _inherit = ["garbage.guard.mixin", "garbage.photo.mixin", "mail.thread", "mail.activity.mixin"]
    _order = "deadline, id"
    _check_company_auto = True

    company_id = fields.Many2one(
        related="inspection_id.company_id", string="Town", store=True, index=True, precompute=True
    )
    name = fields.Char("Problem", required=True, tracking=True)
    description = fields.Text("Details")
    inspection_id = fields.Many2one("garbage.inspection", required=True, index=True, ondelete="cascade")
    inspection_line_id = fields.Many2one(
        "garbage.inspection.line", "Failed Check", ondelete="set null", check_company=True
    )
    unit_id = fields.Many2one(related="inspection_id.unit_id", store=True, index=True)
    source = fields.Selection(related="inspection_id.source", store=True, string="Found By")
    # whom to call about it: the unit's liaison
    unit_liaison_id = fields.Many2one(related="unit_id.liaison_id", string="Unit Liaison")
    unit_liaison_phone = fields.Char(related="unit_id.liaison_phone", string="Liaison Phone")
    assignee_id = fields.Many2one("res.users", "Assignee", tracking=True)
    deadline = fields.Date(required=True, tracking=True, index=True)
    state = fields.Selection(
        [("open", "Open"), ("submitted", "Submitted"), ("verified", "Verified")],
        default="open",
        required=True,
        tracking=True,
        index=True,
    )
    is_overdue = fields.Boolean(
        "Overdue",
        compute="_compute_is_overdue",
        search="_search_is_overdue",
        help="Past its deadline and not verified yet, as the monthly assessment counts it.",
    )
    date_verified = fields.Date("Verified On", readonly=True, copy=False)
    photo_before_ids = fields.Many2many(
        "ir.attachment",
        "garbage_rectification_photo_before_rel",
        "rectification_id",
        "attachment_id",
        "Photos Before",
        copy=False,
    )
    photo_after_ids = fields.Many2many(
        "ir.attachment",
        "garbage_rectification_photo_after_rel",
        "rectification_id",
        "attachment_id",
        "Photos After",
        copy=False,
    )
    reject_reason = fields.Text("Rejection Reason", tracking=True, copy=False)
    date_rejected = fields.Date(
        "Rejected On", readonly=True, copy=False, help="The day of the last recheck that sent it back."
    )
    # what the form shows: the buttons the server would accept from this user
    user_may_submit = fields.Boolean(compute="_compute_user_rights", help="Technical: may submit it for recheck.")
    user_may_recheck = fields.Boolean(compute="_compute_user_rights", help="Technical: may verify or reject it.")
    user_is_task_force = fields.Boolean(compute="_compute_user_rights", help="Technical: task force or engine.")

    @api.model
    def _guarded_fields(self):
        """A rectification is opened by the engine from a failed check: what was found, where, and by when
        it must be put right are not the unit's to change. The deadline moves only through
        `action_extend_deadline` (task force, with a reason); the state only through the actions; the
        recheck's reason is the inspector's."""
        rechecker = (INSPECTOR_GROUP,)
        return {
            **super()._guarded_fields(),
            "inspection_id": (),
            "inspection_line_id": (),
            "unit_id": (),
            "unit_liaison_id": (),
            "unit_liaison_phone": (),
            "source": (),
            "deadline": (),
            "is_overdue": (),
            "date_verified": (),
            "date_rejected": (),
            "name": rechecker,
            "description": rechecker,
            "photo_before_ids": rechecker,
            "reject_reason": rechecker,
        }

    @api.model
    def _photo_fields(self):
        return ("photo_before_ids", "photo_after_ids")

    def _photos_locked(self):
        return self.filtered(lambda rectification: rectification.state == "verified")

    @api.depends_context("uid")
    @api.depends("unit_id", "assignee_id")
    def _compute_user_rights(self):
        user = self.env.user
        is_task_force = self._is_manager()
        is_inspector = self.env.su or user.has_group(INSPECTOR_GROUP)
        writable = self.filtered("id")._filtered_access("write")
        for rectification in self:
            own_unit = user in rectification.unit_id.user_ids
            may_write = rectification in writable
            rectification.user_is_task_force = is_task_force
            rectification.user_may_submit = may_write and (
                is_task_force or own_unit or rectification.assignee_id == user
            )
            rectification.user_may_recheck = may_write and is_inspector and (is_task_force or not own_unit)

    @api.model
    def _overdue_domain(self, day):
        """The one rule of "overdue", the same in every list, filter, colour and in the monthly assessment
        (`garbage.assessment._replace_lines` counts at the month's end `deadline < end of month and not
        verified by then`): on `day`, a rectification is overdue when its deadline has passed (the deadline
        day itself still counts as in time) and it has not been verified. Work handed in and waiting for its
        recheck is still overdue: it is put right only once an inspector has verified it."""
        return [("state", "!=", "verified"), ("deadline", "<", day)]

    @api.depends("state", "deadline")
    def _compute_is_overdue(self):
        today = town_today(self.env)
        for rectification in self:
            rectification.is_overdue = bool(
                rectification.state != "verified" and rectification.deadline and rectification.deadline < today
            )

    def _search_is_overdue(self, operator, value):
        if operator in ("in", "not in"):
            values = {bool(v) for v in value}
            if len(values) != 1:
                return [] if (operator == "in") == (len(values) == 2) else [("id", "=", False)]
            operator, value = ("=" if operator == "in" else "!="), values.pop()
        if operator not in ("=", "!="):
            raise UserError(self.env._("Overdue can only be searched as true or false."))
        today = town_today(self.env)
        if (operator == "=") == bool(value):
            return self._overdue_domain(today)
        return ["|", ("state", "=", "verified"), ("deadline", ">=", today)]

    @api.model_create_multi
    def create(self, vals_list):
        # always assigned: to the unit's liaison, else the task force's head
        Inspection = self.env["garbage.inspection"].sudo()
        for vals in vals_list:
            if not vals.get("assignee_id") and vals.get("inspection_id"):
                vals["assignee_id"] = Inspection.browse(vals["inspection_id"]).unit_id._get_reminder_user().id
        rectifications = super().create(vals_list)
        rectifications._schedule_liaison_activities()
        return rectifications

    def write(self, vals):
        if not self._is_manager() and any(rectification.state == "verified" for rectification in self):
            raise UserError(self.env._("A verified rectification can only be changed by the task force."))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_verified(self):
        if any(rectification.state == "verified" for rectification in self):
            raise UserError(self.env._("A verified rectification is part of the unit's record: it cannot be deleted."))

    def _todo_values(self, user, deadline, summary):
        """The values of an automated to-do on this rectification (created in batches by the callers)."""
        self.ensure_one()
        return {
            "res_model_id": self.env["ir.model"]._get_id(self._name),
            "res_id": self.id,
            "activity_type_id": self.env.ref("mail.mail_activity_data_todo").id,
            "automated": True,
            "user_id": user.id,
            "date_deadline": deadline,
            "summary": summary,
        }

    def _schedule_liaison_activities(self):
        """One to-do for the unit's liaison (else the assignee, else the task force's head) per rectification
        to put right, created in one batch; its summary in the town's language."""
        town = company_lang_env(self.env)
        vals_list = []
        for rectification in self.filtered(lambda r: r.state == "open"):
            user = (
                rectification.unit_id._get_liaison_users()[:1]
                or rectification.assignee_id
                or rectification.unit_id._get_reminder_user()
            )
            if user:
                vals_list.append(
                    rectification._todo_values(
                        user, rectification.deadline, town._("Rectify: %(problem)s", problem=rectification.name)
                    )
                )
        self.env["mail.activity"].sudo().create(vals_list)

    def _schedule_recheck_activities(self):
        """Handed in: one to-do to recheck it for an inspector of its inspection who does not act for the
        unit (nobody rechecks their own unit), else the task force's head."""
        town = company_lang_env(self.env)
        vals_list = []
        for rectification in self.sudo():
            unit = rectification.unit_id
            inspectors = rectification.inspection_id.inspector_ids.filtered(
                lambda user, unit=unit: user.active and user not in unit.user_ids and user.has_group(INSPECTOR_GROUP)
            )
            user = inspectors[:1] or self.env["garbage.escalation"]._get_taskforce_head(rectification.company_id)
            if user:
                vals_list.append(
                    rectification._todo_values(
                        user,
                        town_today(self.env),
                        town._("Recheck: %(problem)s", problem=rectification.name),
                    )
                )
        self.env["mail.activity"].sudo().create(vals_list)

    def action_submit(self):
        """The unit hands its work in: its acting users (the assignee among them) or the task force."""
        self.check_access("write")
        for rectification in self:
            if rectification.state != "open":
                raise UserError(self.env._("Only an open rectification can be submitted for recheck."))
            if not (
                self._is_manager()
                or self.env.user in rectification.unit_id.user_ids
                or self.env.user == rectification.assignee_id
            ):
                raise AccessError(self.env._("Only the unit or the task force submits its rectification for recheck."))
            if not rectification.sudo().photo_after_ids:
                raise UserError(
                    self.env._(
                        "Add a photo of the rectified site (“After”) before submitting “%(problem)s” for recheck.",
                        problem=rectification.name,
                    )
                )
        self.sudo().write({"state": "submitted"})
        self._close_activities(self._company_lang_env()._("Submitted for recheck."))
        self._schedule_recheck_activities()
        return True

    def _check_recheck_rights(self):
        """Inspectors and the task force recheck, but nobody rechecks the work of a unit they act for."""
        self.check_access("write")
        if not self.env.su and not self.env.user.has_group(INSPECTOR_GROUP):
            raise AccessError(self.env._("Only an inspector or the task force rechecks a rectification."))
        if not self._is_manager() and self.env.user in self.unit_id.user_ids:
            raise AccessError(self.env._("Nobody rechecks the rectification of a unit they act for."))
        if any(rectification.state != "submitted" for rectification in self):
            raise UserError(self.env._("Only a submitted rectification can be verified or rejected."))

    def action_verify(self):
        self._check_recheck_rights()
        self.sudo().write({"state": "verified", "date_verified": town_today(self.env)})
        self._close_activities(self._company_lang_env()._("Verified at recheck."))
        return True

    def action_reject(self, reason=None):
        """Send the work back with the reason (given here, or written in the form's reason field first)."""
        self._check_recheck_rights()
        if reason is not None:
            if not isinstance(reason, str):
                raise ValidationError(self.env._("Give the reason why the rectification is rejected."))
            self.write({"reject_reason": reason})
        if any(not (rectification.reject_reason or "").strip() for rectification in self):
            raise UserError(self.env._("Give the reason why the rectification is rejected."))
        self.sudo().write({"state": "open", "date_rejected": town_today(self.env)})
        town = self._company_lang_env()
        for rectification in self:
            # the recheck's to-do is done with the reason; without one, the reason goes to the chatter
            reason = town._("Rejected at recheck: %(reason)s", reason=rectification.reject_reason)
            if not rectification._close_activities(reason):
                rectification.message_post(body=reason)
        self._schedule_liaison_activities()  # back to the unit
        return True

    def action_extend_deadline(self, new_deadline, reason):
        """The task force gives more time, with a reason kept in the chatter: the one way a deadline moves."""
        if not self._is_manager():
            raise AccessError(self.env._("Only the task force extends the deadline of a rectification."))
        self.check_access("write")
        try:
            new_deadline = fields.Date.to_date(new_deadline)
        except (TypeError, ValueError):
            new_deadline = None
        reason = reason.strip() if isinstance(reason, str) else ""
        if not new_deadline:
            raise ValidationError(self.env._("Give the new deadline."))
        if not reason:
            raise ValidationError(self.env._("Give the reason why the deadline is extended."))
        if len(reason) > REASON_MAX_LENGTH:
            raise ValidationError(self.env._("Keep the reason under %(count)s characters.", count=REASON_MAX_LENGTH))
        for rectification in self:
            if rectification.state == "verified":
                raise UserError(self.env._("A verified rectification has no deadline left to extend."))
            if new_deadline <= rectification.deadline:
                raise ValidationError(
                    self.env._(
                        "The new deadline must be later than the current one (%(deadline)s).",
                        deadline=rectification.deadline,
                    )
                )
        self.sudo().write({"deadline": new_deadline})
        # the unit's to-do follows the new deadline
        self.env["mail.activity"].sudo().search(
            [("res_model", "=", self._name), ("res_id", "in", self.ids), ("automated", "=", True)]
        ).filtered(lambda activity: activity.date_deadline < new_deadline).write({"date_deadline": new_deadline})
        town = self._company_lang_env()
        for rectification in self:
            rectification.message_post(
                body=town._(
                    "Deadline extended to %(deadline)s by the task force: %(reason)s",
                    deadline=new_deadline,
                    reason=reason,
                )
            )
        return True

    @api.model
    def _cron_mark_overdue(self):
        """Kept for the scheduled action of databases installed before "overdue" was computed: nothing to do,
        `is_overdue` is always current (see `_overdue_domain`)."""
        return True
