from datetime import timedelta

from odoo import api, fields, models, tools
from odoo.exceptions import AccessError, UserError, ValidationError

MAX_HOURS_PER_ENTRY = 12
MAX_HOURS_PER_DAY = 24
DEFAULT_MAX_AGE_DAYS = 60
MILESTONES = (10, 50, 100, 200)
ACTIVITY_TYPES = [
    ("supervision", "Bin-side Supervision"),
    ("correction", "Overdue-time Correction"),
    ("publicity", "Publicity and Mobilisation"),
    ("other", "Other"),
]
# What a volunteer may set on their own entries; the rest belongs to coordinators.
VOLUNTEER_FIELDS = {"partner_id", "date", "hours", "activity_type", "unit_id", "site_id", "note", "state", "source"}


def next_milestone(total):
    """The first milestone (10, 50, 100, 200 hours) not reached yet, or None once all are."""
    return next((milestone for milestone in MILESTONES if total < milestone), None)


class GarbageVolunteerHour(models.Model):
    _name = "garbage.volunteer.hour"
    _description = "Volunteer Hours"
    _inherit = ["mail.thread"]
    _order = "date desc, id desc"
    _rec_name = "partner_id"

    partner_id = fields.Many2one(
        "res.partner",
        "Volunteer",
        required=True,
        index=True,
        ondelete="restrict",
        domain=[("is_volunteer", "=", True)],
        tracking=True,
        default=lambda self: self._default_partner(),
    )
    volunteer_category = fields.Selection(related="partner_id.volunteer_category", store=True)
    date = fields.Date(required=True, default=fields.Date.context_today, tracking=True)
    hours = fields.Float(required=True, digits=(16, 2), aggregator="sum", tracking=True)
    activity_type = fields.Selection(ACTIVITY_TYPES, required=True, default="supervision")
    unit_id = fields.Many2one("garbage.unit", "Unit", index=True, ondelete="restrict")
    site_id = fields.Many2one(
        "garbage.bin.site", "Bin Site", ondelete="set null", domain="[('unit_id', '=?', unit_id)]"
    )
    duty_id = fields.Many2one("garbage.volunteer.duty", "Duty", index="btree_not_null", ondelete="set null")
    note = fields.Text()
    source = fields.Selection(
        [("portal", "Portal"), ("checkin", "Check-in"), ("coordinator", "Entered by Coordinator")],
        required=True,
        default="coordinator",
    )
    state = fields.Selection(
        [("draft", "Draft"), ("submitted", "Submitted"), ("approved", "Approved"), ("rejected", "Rejected")],
        required=True,
        default="draft",
        index=True,
        tracking=True,
    )
    reject_reason = fields.Text("Rejection Reason", tracking=True)
    approved_by_id = fields.Many2one("res.users", "Approved By", readonly=True)

    def init(self):
        # The portal list of one volunteer reads "partner_id = X order by date desc, id desc": one index serves it.
        tools.create_index(
            self._cr, "garbage_volunteer_hour_partner_date_idx", self._table, ["partner_id", "date DESC", "id DESC"]
        )

    @api.model
    def _default_partner(self):
        partner = self.env.user.partner_id
        return partner if partner.is_volunteer else False

    @api.model
    def _max_age_days(self):
        value = self.env["ir.config_parameter"].sudo().get_param("garbage_sorting.volunteer_hours_max_age_days")
        try:
            return int(value) if value else DEFAULT_MAX_AGE_DAYS
        except ValueError:
            return DEFAULT_MAX_AGE_DAYS

    @api.constrains("hours")
    def _check_hours(self):
        for entry in self:
            if entry.hours <= 0:
                raise ValidationError(self.env._("The number of hours must be greater than zero."))
            if entry.hours > MAX_HOURS_PER_ENTRY:
                raise ValidationError(self.env._("One entry cannot exceed %(max)s hours.", max=MAX_HOURS_PER_ENTRY))

    @api.constrains("date", "source")
    def _check_date(self):
        today = fields.Date.context_today(self)
        max_age = self._max_age_days()
        for entry in self:
            if entry.date > today:
                raise ValidationError(self.env._("Hours cannot be logged for a future date."))
            # Coordinators transcribe paper records and check-outs carry real times: the age limit
            # only applies to what volunteers log themselves.
            if entry.source == "portal" and entry.date < today - timedelta(days=max_age):
                raise ValidationError(
                    self.env._("Hours older than %(days)s days can no longer be logged.", days=max_age)
                )

    @api.constrains("partner_id", "date", "hours", "state")
    def _check_daily_total(self):
        domain = [
            ("partner_id", "in", self.partner_id.ids),
            ("date", "in", list(set(self.mapped("date")))),
            ("state", "!=", "rejected"),
        ]
        totals = self.sudo()._read_group(domain, ["partner_id", "date:day"], ["hours:sum"])
        for partner, day, total in totals:
            if total > MAX_HOURS_PER_DAY:
                raise ValidationError(
                    self.env._(
                        "%(name)s would have %(total)s hours on %(date)s: a day holds at most %(max)s hours.",
                        name=partner.name,
                        total=round(total, 2),
                        date=day,
                        max=MAX_HOURS_PER_DAY,
                    )
                )

    def _is_coordinator(self):
        return self.env.su or self.env.user.has_group("garbage_sorting.garbage_sorting_group_coordinator")

    def _check_volunteer_values(self, vals_list):
        """Portal users only touch their own entries, and only up to submitting them."""
        if self._is_coordinator():
            return
        partner = self.env.user.partner_id
        for vals in vals_list:
            if set(vals) - VOLUNTEER_FIELDS:
                raise AccessError(self.env._("Only a coordinator can change these fields."))
            if "partner_id" in vals and vals["partner_id"] != partner.id:
                raise AccessError(self.env._("You can only log your own hours."))
            if vals.get("state", "draft") not in ("draft", "submitted"):
                raise AccessError(self.env._("Only a coordinator can approve or reject hours."))
            if vals.get("source", "portal") != "portal":
                raise AccessError(self.env._("Hours you log yourself come from the portal."))

    @api.model_create_multi
    def create(self, vals_list):
        self._check_volunteer_values(vals_list)
        return super().create(vals_list)

    def write(self, vals):
        self._check_volunteer_values([vals])
        if not self._is_coordinator() and any(entry.state == "approved" for entry in self):
            raise UserError(self.env._("Approved hours are locked: ask your coordinator to change them."))
        return super().write(vals)

    def unlink(self):
        if not self._is_coordinator() and any(entry.state == "approved" for entry in self):
            raise UserError(self.env._("Approved hours are locked: ask your coordinator to change them."))
        return super().unlink()

    def _check_coordinator(self):
        if not self._is_coordinator():
            raise AccessError(self.env._("Only a volunteer coordinator can approve or reject hours."))

    def action_submit(self):
        self.filtered(lambda entry: entry.state in ("draft", "rejected")).write({"state": "submitted"})

    def action_approve(self):
        self._check_coordinator()
        if any(entry.state == "approved" for entry in self):
            raise UserError(self.env._("Some of the selected hours are already approved."))
        self.write({"state": "approved", "approved_by_id": self.env.user.id, "reject_reason": False})

    def action_reject(self, reason):
        self._check_coordinator()
        if not (reason or "").strip():
            raise UserError(self.env._("Please give the reason for rejecting these hours."))
        self.write({"state": "rejected", "reject_reason": reason.strip(), "approved_by_id": False})

    def action_open_reject_wizard(self):
        self._check_coordinator()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Reject Hours"),
            "res_model": "garbage.volunteer.hour.reject",
            "view_mode": "form",
            "target": "new",
            "context": {"default_hour_ids": self.ids},
        }

    def action_reset_to_draft(self):
        self._check_coordinator()
        self.write({"state": "draft", "approved_by_id": False})

    @api.model
    def _get_totals(self, partner):
        """Hours of a volunteer: approved this month, this year, all time, waiting for approval, next milestone."""
        today = fields.Date.context_today(self)
        domain = [("partner_id", "=", partner.id), ("state", "in", ("draft", "submitted", "approved"))]
        groups = self.sudo()._read_group(domain, ["state", "date:month"], ["hours:sum"])
        approved = [(month, total) for state, month, total in groups if state == "approved"]
        month_start, year_start = today.replace(day=1), today.replace(month=1, day=1)
        total = sum(hours for __, hours in approved)
        milestone = next_milestone(total)
        return {
            "month": sum(hours for month, hours in approved if month >= month_start),
            "year": sum(hours for month, hours in approved if month >= year_start),
            "total": total,
            "pending": sum(hours for state, __, hours in groups if state != "approved"),
            "milestone": milestone,
            "to_milestone": (milestone or total) - total,
        }
