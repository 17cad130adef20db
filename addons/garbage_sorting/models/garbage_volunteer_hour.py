import math
from datetime import timedelta

from odoo import api, fields, models, tools
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL

from .garbage_guard_mixin import town_today

COORDINATOR_GROUP = "garbage_sorting.garbage_sorting_group_coordinator"
MAX_HOURS_PER_ENTRY = 12
MAX_HOURS_PER_DAY = 24
MAX_TEXT_LENGTH = 2000
MILESTONES = (10, 50, 100, 200)
ACTIVITY_TYPES = [
    ("supervision", "Bin-side Supervision"),
    ("correction", "Overdue-time Correction"),
    ("publicity", "Publicity and Mobilisation"),
    ("other", "Other"),
]
# What a volunteer may set on their own entries; every other field belongs to coordinators (and some to
# the engine alone: the state, who approved, why rejected, where the entry came from, its duty).
VOLUNTEER_FIELDS = {"partner_id", "date", "hours", "activity_type", "unit_id", "site_id", "note"}
ENGINE_FIELDS = {
    "state",
    "approved_by_id",
    "approved_once",
    "reject_reason",
    "source",
    "duty_id",
    "volunteer_category",
}
# An entry from a check-out carries the duty's real times: only its note can still change.
CHECKIN_EDITABLE_FIELDS = {"note"}
# The fields that move hours into or out of a volunteer's day (the daily cap); so does leaving "rejected" (the
# only state whose hours do not count): see `write()`.
DAY_FIELDS = {"partner_id", "date", "hours"}


def next_milestone(total):
    """The first milestone (10, 50, 100, 200 hours) not reached yet, or None once all are."""
    return next((milestone for milestone in MILESTONES if total < milestone), None)


def to_finite_number(env, value, label):
    """A number given over the portal, JSON-RPC or XML-RPC as a finite float; a clear error otherwise.

    NaN, infinities and '1e309' are refused here, before the ORM rounds them (which would fail with a
    server error) or stores them.
    """
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        number = None
    else:
        try:
            number = float(value.strip().replace(",", ".") if isinstance(value, str) else value)
        except (ValueError, OverflowError):
            number = None
    if number is None or not math.isfinite(number):
        raise ValidationError(env._("%(field)s must be a finite number.", field=label))
    return number


def to_valid_date(env, value):
    """A date given over RPC (a date or "YYYY-MM-DD") or a clear error, never a server error."""
    try:
        day = fields.Date.to_date(value)
    except (TypeError, ValueError):
        day = None
    if not day:
        raise ValidationError(env._("Please give the date as YYYY-MM-DD."))
    return day


class GarbageVolunteerHour(models.Model):
    _name = "garbage.volunteer.hour"
    _description = "Volunteer Hours"
    _inherit = ["garbage.guard.mixin", "mail.thread"]
    _order = "date desc, id desc"
    _rec_name = "partner_id"
    _check_company_auto = True

    company_id = fields.Many2one(
        "res.company", "Town", required=True, index=True, default=lambda self: self.env.company
    )
    partner_id = fields.Many2one(
        "res.partner",
        "Volunteer",
        required=True,
        index=True,
        ondelete="restrict",
        domain=[("is_volunteer", "=", True)],
        check_company=True,
        tracking=True,
        default=lambda self: self._default_partner(),
    )
    # precomputed: stored by the INSERT itself, not by an UPDATE after it
    volunteer_category = fields.Selection(related="partner_id.volunteer_category", store=True, precompute=True)
    date = fields.Date(required=True, default=fields.Date.context_today, tracking=True)
    hours = fields.Float(required=True, digits=(16, 2), aggregator="sum", tracking=True)
    activity_type = fields.Selection(ACTIVITY_TYPES, required=True, default="supervision")
    unit_id = fields.Many2one("garbage.unit", "Unit", index=True, ondelete="restrict", check_company=True)
    site_id = fields.Many2one(
        "garbage.bin.site",
        "Bin Site",
        ondelete="set null",
        domain="[('unit_id', '=?', unit_id)]",
        check_company=True,
    )
    duty_id = fields.Many2one(
        "garbage.volunteer.duty", "Duty", index="btree_not_null", ondelete="set null", check_company=True
    )
    note = fields.Text()
    source = fields.Selection(
        [("portal", "Portal"), ("checkin", "Check-in"), ("coordinator", "Entered by Coordinator")],
        required=True,
        default=lambda self: self._default_source(),
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
    approved_once = fields.Boolean(
        readonly=True,
        copy=False,
        help="These hours were approved at some point: they are history and never deleted, even after a reset.",
    )

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
    def _default_source(self):
        """What a user logs is from the portal (a volunteer) or entered by a coordinator (an employee);
        check-in entries only come from a check-out."""
        return "portal" if self.env.user.share else "coordinator"

    @api.model
    def _guarded_fields(self):
        """Coordinators own every field but the volunteer's list; the engine alone owns ENGINE_FIELDS."""
        coordinator = (COORDINATOR_GROUP,)
        guarded = {
            name: coordinator
            for name, field in self._fields.items()
            if name not in VOLUNTEER_FIELDS and not field.automatic and (field.store or field.inverse)
        }
        guarded.update(dict.fromkeys(ENGINE_FIELDS, ()))
        return {**super()._guarded_fields(), **guarded}

    def _max_age_days(self):
        return (self.company_id[:1] or self.env.company).garbage_volunteer_hours_max_age_days

    @api.constrains("hours")
    def _check_hours(self):
        for entry in self:
            if not math.isfinite(entry.hours) or entry.hours <= 0:
                raise ValidationError(self.env._("The number of hours must be greater than zero."))
            if entry.hours > MAX_HOURS_PER_ENTRY:
                raise ValidationError(self.env._("One entry cannot exceed %(max)s hours.", max=MAX_HOURS_PER_ENTRY))

    @api.constrains("partner_id")
    def _check_partner_is_volunteer(self):
        for entry in self:
            if not entry.partner_id.is_volunteer:
                raise ValidationError(
                    self.env._("%(name)s is not a volunteer: only volunteers get hours.", name=entry.partner_id.name)
                )

    @api.constrains("note", "reject_reason")
    def _check_text_length(self):
        for entry in self:
            if len(entry.note or "") > MAX_TEXT_LENGTH or len(entry.reject_reason or "") > MAX_TEXT_LENGTH:
                raise ValidationError(
                    self.env._("A note or a reason holds at most %(max)s characters.", max=MAX_TEXT_LENGTH)
                )

    @api.constrains("unit_id", "site_id")
    def _check_site_unit(self):
        for entry in self:
            if entry.site_id and entry.unit_id and entry.site_id.unit_id != entry.unit_id:
                raise ValidationError(self.env._("The bin site must belong to the unit of the entry."))

    @api.constrains("date", "source")
    def _check_date(self):
        today = town_today(self.env)
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

    @api.constrains("partner_id", "date", "hours")
    def _check_daily_total(self):
        """At most 24 hours a day per volunteer. Holds under concurrency: see `_lock_volunteer_days`."""
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

    def _lock_volunteer_days(self, partner_ids):
        """Serialise the hours of these volunteers until this transaction ends.

        The daily cap reads the day's total and then stores: two requests doing that at once would both
        see room for their hours. A lock alone is not enough under PostgreSQL's REPEATABLE READ (Odoo's
        isolation): the second request would wait, then still read its older snapshot. So the volunteer's
        partner row is locked *and* touched (a no-op update): a transaction that waited for it, or that
        started before another one touched it and committed, fails with a serialization error, and Odoo
        retries the whole request with a fresh snapshot that sees the other's hours.
        """
        ids = sorted({partner_id for partner_id in partner_ids if partner_id})
        if ids:
            self.env.cr.execute(
                SQL("SELECT id FROM res_partner WHERE id IN %s ORDER BY id FOR NO KEY UPDATE", tuple(ids))
            )
            self.env.cr.execute(SQL("UPDATE res_partner SET write_date = write_date WHERE id IN %s", tuple(ids)))

    def _is_coordinator(self):
        return self.env.su or self.env.user.has_group(COORDINATOR_GROUP)

    @api.model
    def _clean_values(self, vals):
        """Numbers as finite floats (a clear error instead of a server error), before anything is stored."""
        if "hours" in vals:
            hours = to_finite_number(self.env, vals["hours"], self.env._("The number of hours"))
            # The range too, before the ORM rounds a huge number (which fails with a server error).
            if hours <= 0:
                raise ValidationError(self.env._("The number of hours must be greater than zero."))
            if hours > MAX_HOURS_PER_ENTRY:
                raise ValidationError(self.env._("One entry cannot exceed %(max)s hours.", max=MAX_HOURS_PER_ENTRY))
            vals = dict(vals, hours=hours)
        if "date" in vals:
            vals = dict(vals, date=to_valid_date(self.env, vals["date"]))
        return vals

    def _check_own_values(self, vals):
        """What a volunteer (or a coordinator on their own hours) may set: their own hours, for the units
        they serve, from the volunteer's list of fields."""
        partner = self.env.user.partner_id
        if set(vals) - VOLUNTEER_FIELDS:
            raise AccessError(self.env._("Only a coordinator can change these fields."))
        if "partner_id" in vals and vals["partner_id"] != partner.id:
            raise AccessError(self.env._("You can only log your own hours."))
        served = partner.sudo().volunteer_unit_ids
        if vals.get("unit_id") and vals["unit_id"] not in served.ids:
            raise AccessError(self.env._("Please choose one of the units you serve."))
        if vals.get("site_id"):
            site = self.env["garbage.bin.site"].sudo().browse(vals["site_id"]).exists()
            if not site or site.unit_id not in served:
                raise AccessError(self.env._("Please choose a bin site of the units you serve."))

    @api.model_create_multi
    def create(self, vals_list):
        records = self._without_guarded_defaults()
        vals_list = [records._clean_values(vals) for vals in vals_list]
        default_partner_id = (records._default_partner() or records.env["res.partner"]).id
        if not records.env.su:
            for vals in vals_list:
                if (
                    not records._is_coordinator()
                    or vals.get("partner_id", default_partner_id) == records.env.user.partner_id.id
                ):
                    records._check_own_values({key: value for key, value in vals.items() if key != "source"})
        records._lock_volunteer_days(vals.get("partner_id", default_partner_id) for vals in vals_list)
        return super(GarbageVolunteerHour, records).create(vals_list)

    def write(self, vals):
        vals = self._clean_values(vals)
        if not self.env.su:
            self._check_write_rights(vals)
        # Rejected hours do not count in their day: leaving "rejected" adds them back, the other moves change nothing.
        counted_again = self.browse()
        if vals.get("state", "rejected") != "rejected":
            counted_again = self.filtered(lambda entry: entry.state == "rejected")
        if DAY_FIELDS & set(vals) or counted_again:
            self._lock_volunteer_days([*self.partner_id.ids, vals.get("partner_id")])
        result = super().write(vals)
        counted_again._check_daily_total()
        return result

    def _check_write_rights(self, vals):
        """Who may change what on existing entries, beyond the guard's field list:
        - approved hours are locked for everyone (a coordinator resets them to draft first);
        - an entry from a check-out keeps its duty's times: only its note changes;
        - a volunteer, and a coordinator on their own hours, only write the volunteer's fields."""
        if any(entry.state == "approved" for entry in self):
            if not self._is_coordinator():
                raise UserError(self.env._("Approved hours are locked: ask your coordinator to change them."))
            raise UserError(self.env._("Approved hours are locked: reset them to draft before changing them."))
        if any(entry.source == "checkin" for entry in self) and set(vals) - CHECKIN_EDITABLE_FIELDS:
            raise AccessError(
                self.env._("Hours from a check-in follow the duty's times: they cannot be changed, only rejected.")
            )
        own = self.filtered(lambda entry: entry.partner_id == self.env.user.partner_id)
        if vals.get("partner_id") == self.env.user.partner_id.id and own != self:
            raise AccessError(self.env._("Nobody takes over the hours of another volunteer."))
        if own or not self._is_coordinator():
            self._check_own_values(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_approved_or_checkin(self):
        if any(entry.state == "approved" or entry.approved_once for entry in self):
            raise UserError(
                self.env._("Approved hours are history: they are never deleted (a coordinator can reject them).")
            )
        if not self._is_coordinator() and any(entry.source == "checkin" for entry in self):
            raise UserError(self.env._("Hours from a check-in cannot be deleted: your coordinator reviews them."))

    def _check_coordinator(self):
        if not self._is_coordinator():
            raise AccessError(self.env._("Only a volunteer coordinator can approve or reject hours."))
        if not self.env.su and any(entry.partner_id == self.env.user.partner_id for entry in self):
            raise AccessError(self.env._("Nobody approves, rejects or reopens their own hours."))
        self.check_access("write")

    def action_submit(self):
        """Send draft or rejected hours for approval (the volunteer's own, or any for a coordinator)."""
        self.check_access("write")
        if not self._is_coordinator() and any(entry.partner_id != self.env.user.partner_id for entry in self):
            raise AccessError(self.env._("You can only log your own hours."))
        self.filtered(lambda entry: entry.state in ("draft", "rejected")).sudo().write({"state": "submitted"})
        return True

    def action_approve(self):
        self._check_coordinator()
        if any(entry.state == "approved" for entry in self):
            raise UserError(self.env._("Some of the selected hours are already approved."))
        if any(entry.state == "rejected" for entry in self):
            raise UserError(self.env._("Rejected hours go back to draft before they can be approved."))
        self.sudo().write(
            {"state": "approved", "approved_by_id": self.env.user.id, "approved_once": True, "reject_reason": False}
        )
        return True

    def action_reject(self, reason=None):
        """Reject (or, for approved hours, cancel) with a reason the volunteer sees."""
        self._check_coordinator()
        if not isinstance(reason, str) or not reason.strip():
            raise UserError(self.env._("Please give the reason for rejecting these hours."))
        if len(reason.strip()) > MAX_TEXT_LENGTH:
            raise UserError(self.env._("A note or a reason holds at most %(max)s characters.", max=MAX_TEXT_LENGTH))
        self.sudo().write({"state": "rejected", "reject_reason": reason.strip(), "approved_by_id": False})
        return True

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
        self.filtered(lambda entry: entry.state in ("approved", "rejected")).sudo().write(
            {"state": "draft", "approved_by_id": False}
        )
        return True

    @api.model
    def _get_totals(self, partner):
        """Hours of a volunteer: approved this month, this year, all time, waiting for approval, next milestone."""
        today = town_today(self.env)
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
