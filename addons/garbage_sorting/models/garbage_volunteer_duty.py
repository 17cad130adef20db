import math
from datetime import datetime, time, timedelta

import pytz

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools.sql import create_index

from .garbage_guard_mixin import town_today, town_tz
from .garbage_volunteer_hour import (
    COORDINATOR_GROUP,
    MAX_HOURS_PER_ENTRY,
    MAX_TEXT_LENGTH,
    to_finite_number,
    to_valid_date,
)

EARTH_RADIUS_M = 6371000
MAX_PERSUASIONS_PER_CHECKOUT = 1000
MAX_PERSUASIONS_PER_DUTY = 100000
PROBLEMS = ("littering", "wrong_sorting", "wrong_time")
# What places a duty in the unit's monthly cadence (M4) or bounds the hours of its check-ins: fixed once
# the duty is done or cancelled, or once a volunteer checked in (only the task force corrects it then).
COUNTING_FIELDS = {"duty_type", "site_id", "date", "time_start", "time_end", "volunteer_ids"}


def distance_m(lat1, lon1, lat2, lon2):
    """Great-circle distance in metres between two points given in degrees (haversine)."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    d_phi, d_lambda = math.radians(lat2 - lat1), math.radians(lon2 - lon1)
    a = math.sin(d_phi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(d_lambda / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(a))


def valid_position(latitude, longitude):
    """A real place on earth (0, 0 stands for "no position": nobody supervises bins in the Gulf of Guinea)."""
    return (
        isinstance(latitude, int | float)
        and isinstance(longitude, int | float)
        and math.isfinite(latitude)
        and math.isfinite(longitude)
        and -90 <= latitude <= 90
        and -180 <= longitude <= 180
        and (latitude or longitude)
    )


class GarbageVolunteerDuty(models.Model):
    _name = "garbage.volunteer.duty"
    _description = "Volunteer Duty"
    _inherit = ["garbage.guard.mixin", "garbage.photo.mixin", "mail.thread", "mail.activity.mixin"]
    _order = "date desc, time_start, id desc"
    _check_company_auto = True

    company_id = fields.Many2one(related="site_id.company_id", string="Town", store=True, index=True, precompute=True)
    duty_type = fields.Selection(
        [("supervision", "Bin-side Supervision"), ("correction", "Overdue-time Correction")],
        "Type",
        required=True,
        default="supervision",
        tracking=True,
    )
    site_id = fields.Many2one("garbage.bin.site", "Bin Site", required=True, ondelete="restrict", tracking=True)
    unit_id = fields.Many2one(related="site_id.unit_id", store=True, index=True, string="Unit")
    date = fields.Date(required=True, default=fields.Date.context_today, index=True, tracking=True)
    time_start = fields.Float("From", default=7.0, help="Start of the shift (hours, local time).")
    time_end = fields.Float("To", default=9.0, help="End of the shift (hours, local time).")
    volunteer_ids = fields.Many2many(
        "res.partner",
        "garbage_volunteer_duty_partner_rel",
        "duty_id",
        "partner_id",
        string="Volunteers",
        domain=[("is_volunteer", "=", True)],
        check_company=True,
    )
    attendance_ids = fields.One2many("garbage.volunteer.attendance", "duty_id", string="Check-ins")
    persuasion_count = fields.Integer("Persuasions", aggregator="sum", help="Number of persuasions (劝导次数).")
    problem_littering = fields.Boolean("Littering Seen")
    problem_wrong_sorting = fields.Boolean("Wrong Sorting Seen")
    problem_wrong_time = fields.Boolean("Wrong-time Disposal Seen")
    photo_ids = fields.Many2many("ir.attachment", string="Photos", copy=False)
    note = fields.Text()
    state = fields.Selection(
        [("planned", "Planned"), ("done", "Done"), ("missed", "Missed"), ("cancelled", "Cancelled")],
        required=True,
        default="planned",
        index=True,
        tracking=True,
    )

    def init(self):
        # The cadence rules count one town's duties of a period (daily, and when a month is assessed): the
        # town's index alone reads its whole year of duties (scripts/bench_assessment.py).
        create_index(self.env.cr, "garbage_volunteer_duty_company_date_index", self._table, ["company_id", "date"])

    @api.model
    def _guarded_fields(self):
        """What volunteers report at check-out is corrected by coordinators only; check-ins are the engine's."""
        coordinator = (COORDINATOR_GROUP,)
        return {
            **super()._guarded_fields(),
            "persuasion_count": coordinator,
            **{f"problem_{problem}": coordinator for problem in PROBLEMS},
            "attendance_ids": (),
            # Related to the site: writing it would move the bin site itself to another unit.
            "unit_id": (),
        }

    @api.model
    def _photo_fields(self):
        return ("photo_ids",)

    @api.model
    def _input_ranges(self):
        return {**super()._input_ranges(), "time_start": (0, 24, False), "time_end": (0, 24, False)}

    @api.depends("duty_type", "site_id", "date")
    def _compute_display_name(self):
        types = dict(self._fields["duty_type"]._description_selection(self.env))
        for duty in self:
            duty.display_name = f"{types.get(duty.duty_type, '')} · {duty.site_id.name or ''} · {duty.date or ''}"

    @api.constrains("time_start", "time_end")
    def _check_times(self):
        for duty in self:
            if not 0 <= duty.time_start < duty.time_end <= 24:
                raise ValidationError(self.env._("A duty must end after it starts, within the same day."))
            if duty.time_end - duty.time_start > MAX_HOURS_PER_ENTRY:
                raise ValidationError(self.env._("A duty lasts at most %(max)s hours.", max=MAX_HOURS_PER_ENTRY))

    @api.constrains("persuasion_count", "note")
    def _check_findings(self):
        for duty in self:
            if not 0 <= duty.persuasion_count <= MAX_PERSUASIONS_PER_DUTY:
                raise ValidationError(
                    self.env._(
                        "The number of persuasions must be a whole number from 0 to %(max)s.",
                        max=MAX_PERSUASIONS_PER_DUTY,
                    )
                )
            if len(duty.note or "") > MAX_TEXT_LENGTH:
                raise ValidationError(
                    self.env._("A note or a reason holds at most %(max)s characters.", max=MAX_TEXT_LENGTH)
                )

    @api.constrains("volunteer_ids")
    def _check_volunteers(self):
        for duty in self:
            if not all(duty.volunteer_ids.mapped("is_volunteer")):
                raise ValidationError(self.env._("Only volunteers can be assigned to a duty."))

    @api.model
    def _clean_values(self, vals):
        """Finite numbers only: NaN, infinities and '1e309' are refused with a clear message."""
        vals = dict(vals)
        if "date" in vals:
            vals["date"] = to_valid_date(self.env, vals["date"])
        for name in ("time_start", "time_end"):
            if name in vals:
                vals[name] = to_finite_number(self.env, vals[name], self._fields[name]._description_string(self.env))
        if "persuasion_count" in vals:
            number = to_finite_number(
                self.env, vals["persuasion_count"], self._fields["persuasion_count"]._description_string(self.env)
            )
            if number != int(number) or not 0 <= number <= MAX_PERSUASIONS_PER_DUTY:
                raise ValidationError(
                    self.env._(
                        "The number of persuasions must be a whole number from 0 to %(max)s.",
                        max=MAX_PERSUASIONS_PER_DUTY,
                    )
                )
            vals["persuasion_count"] = int(number)
        return vals

    @api.model_create_multi
    def create(self, vals_list):
        records = self._without_guarded_defaults()
        return super(GarbageVolunteerDuty, records).create([records._clean_values(vals) for vals in vals_list])

    def write(self, vals):
        vals = self._clean_values(vals)
        if (
            COUNTING_FIELDS & set(vals)
            and not self._is_manager()
            and any(duty.state != "planned" or duty.attendance_ids for duty in self)
        ):
            raise UserError(
                self.env._(
                    "Once volunteers checked in, or the duty is done or cancelled, its type, site, date, times "
                    "and volunteers are fixed: only the task force corrects them."
                )
            )
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_done_or_attended(self):
        if any(duty.state == "done" or duty.attendance_ids for duty in self):
            raise UserError(
                self.env._("A duty that was done or has check-ins is history: cancel it instead of deleting it.")
            )

    def _is_coordinator(self):
        return self.env.su or self.env.user.has_group(COORDINATOR_GROUP)

    def action_done(self):
        """Confirm that planned duties took place (a check-out does it too): coordinators and the task force.

        A done duty counts towards its unit's monthly cadence, so the unit's own liaison cannot do it.
        """
        self.check_access("write")
        if not self._is_coordinator():
            raise AccessError(self.env._("Only a volunteer coordinator or the task force can mark a duty done."))
        if any(duty.state != "planned" for duty in self):
            raise UserError(self.env._("Only a planned duty can be marked done."))
        if any(duty.date > town_today(self.env) for duty in self):
            raise UserError(self.env._("A duty cannot be done before its date."))
        self.sudo().write({"state": "done"})
        return True

    def action_cancel(self):
        """Cancel planned duties (their unit's liaison, coordinators); a done duty only by the task force."""
        self.check_access("write")
        if not self._is_manager() and any(duty.state == "done" for duty in self):
            raise AccessError(self.env._("Only the task force can cancel a duty that was done."))
        self.filtered(lambda duty: duty.state != "cancelled").sudo().write({"state": "cancelled"})
        return True

    # Check-in and check-out

    def _checkin_tolerance(self):
        """Minutes before the start and after the end of a duty that still count (the town's Settings)."""
        return (self.company_id[:1] or self.env.company).garbage_checkin_tolerance_minutes

    def _town_tz(self):
        """The time zone of the duty's times: the town's (the company's), never one a volunteer can choose."""
        return town_tz(self.env)

    def _window(self):
        """(start, end) of the duty in UTC (naive, like Datetime fields)."""
        self.ensure_one()
        tz = self._town_tz()
        day = datetime.combine(self.date, time())

        def utc(hours):
            return tz.localize(day + timedelta(hours=hours)).astimezone(pytz.utc).replace(tzinfo=None)

        return utc(self.time_start), utc(self.time_end)

    def _attendance_window(self):
        """(opens, closes) in UTC (naive): the duty's time widened by the check-in tolerance, exactly what
        the check-in accepts, so that the portal offers the button only when the server will take it."""
        self.ensure_one()
        start, end = self._window()
        tolerance = timedelta(minutes=self._checkin_tolerance())
        return start - tolerance, end + tolerance

    def _attendance_status(self, now=None):
        """{duty id: ("open" | "not_yet" | "passed", local time the window opens or closed, "HH:MM" or
        "YYYY-MM-DD HH:MM")} for the portal, in the town's time zone."""
        now = now or fields.Datetime.now()
        today = town_today(self.env)
        status = {}
        for duty in self:
            opens, closes = duty._attendance_window()
            if now < opens:
                moment = duty._format_local(opens)
                status[duty.id] = ("not_yet", moment[-5:] if duty.date == today else moment)
            elif now > closes:
                status[duty.id] = ("passed", duty._format_local(closes)[-5:])
            else:
                status[duty.id] = ("open", duty._format_local(closes)[-5:])
        return status

    @api.model
    def _cron_mark_missed(self):
        """Planned duties whose check-in window has closed with nobody checked in become missed.

        The windows are the town's local times (its time zone), so a duty from 7:00 to 9:00 in Asia/Shanghai
        is missed from 9:00 plus the tolerance there, i.e. 1:00 UTC and a few minutes: one search, one write.
        """
        now = fields.Datetime.now()
        candidates = self.sudo().search(
            [("state", "=", "planned"), ("date", "<=", town_today(self.env)), ("attendance_ids", "=", False)]
        )
        missed = candidates.filtered(lambda duty: duty._attendance_window()[1] < now)
        if missed:
            missed.write({"state": "missed"})
        return missed

    def _format_local(self, moment):
        return pytz.utc.localize(moment).astimezone(self._town_tz()).strftime("%Y-%m-%d %H:%M")

    @api.model
    def _parse_position(self, latitude, longitude):
        """(latitude, longitude) as finite numbers on earth, or (0, 0) when the browser gave none."""
        given = [value not in (None, False, "") for value in (latitude, longitude)]
        if not any(given):
            return 0.0, 0.0
        if not all(given):
            raise ValidationError(self.env._("A position needs both its latitude and its longitude, or neither."))
        latitude = to_finite_number(self.env, latitude, self.env._("The latitude"))
        longitude = to_finite_number(self.env, longitude, self.env._("The longitude"))
        if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
            raise ValidationError(
                self.env._("A latitude lies between -90 and 90 and a longitude between -180 and 180.")
            )
        return latitude, longitude

    @api.model
    def _parse_findings(self, persuasions, problems):
        number = to_finite_number(self.env, persuasions or 0, self.env._("The number of persuasions"))
        if number != int(number) or not 0 <= number <= MAX_PERSUASIONS_PER_CHECKOUT:
            raise ValidationError(
                self.env._(
                    "The number of persuasions must be a whole number from 0 to %(max)s.",
                    max=MAX_PERSUASIONS_PER_CHECKOUT,
                )
            )
        if not isinstance(problems, list | tuple) or any(problem not in PROBLEMS for problem in problems):
            raise ValidationError(self.env._("Unknown problem: choose among littering, wrong sorting, wrong time."))
        return int(number), list(problems)

    def _get_attendance(self, partner):
        self.ensure_one()
        return self.attendance_ids.filtered(lambda attendance: attendance.partner_id == partner)[:1]

    def _check_can_attend(self, partner):
        self.ensure_one()
        if partner not in self.volunteer_ids:
            raise UserError(self.env._("You are not assigned to this duty."))
        if self.state == "cancelled":
            raise UserError(self.env._("This duty was cancelled."))

    def action_check_in(self, latitude=None, longitude=None):
        """Check the current user's volunteer in, within the duty's time (give or take the tolerance of the
        Settings); the position is kept when the browser gave one."""
        self.ensure_one()
        self.check_access("read")
        latitude, longitude = self._parse_position(latitude, longitude)
        partner = self.env.user.partner_id
        self._check_can_attend(partner)
        # Two check-ins (or check-outs) at once: the second waits, then is retried and sees the first.
        self.env["garbage.volunteer.hour"]._lock_volunteer_days([partner.id])
        if self._get_attendance(partner):
            raise UserError(self.env._("You already checked in for this duty."))
        start, end = self._window()
        tolerance = timedelta(minutes=self._checkin_tolerance())
        now = fields.Datetime.now()
        opens, closes = self._attendance_window()
        if not opens <= now <= closes:
            raise UserError(
                self.env._(
                    "This duty runs from %(start)s to %(end)s: you can check in from %(minutes)s minutes before "
                    "its start until %(minutes)s minutes after its end.",
                    start=self._format_local(start),
                    end=self._format_local(end)[-5:],
                    minutes=int(tolerance.total_seconds() // 60),
                )
            )
        self.env["garbage.volunteer.attendance"].sudo().create(
            {
                "duty_id": self.id,
                "partner_id": partner.id,
                "check_in": now,
                "check_in_latitude": latitude,
                "check_in_longitude": longitude,
            }
        )
        return True

    def _credited_hours(self, check_in, check_out):
        """The hours a check-in/out earns: its overlap with the duty's time widened by the tolerance, never
        more than the duty's length plus the tolerance (nor than one entry holds)."""
        self.ensure_one()
        start, end = self._window()
        tolerance = timedelta(minutes=self._checkin_tolerance())
        overlap = min(check_out, end + tolerance) - max(check_in, start - tolerance)
        longest = (end - start) + tolerance
        seconds = max(min(overlap, longest).total_seconds(), 0)
        return round(min(seconds / 3600, MAX_HOURS_PER_ENTRY), 2)

    def action_check_out(self, latitude=None, longitude=None, persuasions=0, problems=()):
        """Check out: record what was seen and create the hour entry from the time really spent on the duty."""
        self.ensure_one()
        self.check_access("read")
        latitude, longitude = self._parse_position(latitude, longitude)
        persuasions, problems = self._parse_findings(persuasions, problems)
        partner = self.env.user.partner_id
        self.env["garbage.volunteer.hour"]._lock_volunteer_days([partner.id])
        attendance = self._get_attendance(partner)
        if not attendance:
            raise UserError(self.env._("Check in before checking out."))
        if attendance.check_out:
            raise UserError(self.env._("You already checked out of this duty."))
        if self.state == "cancelled":
            raise UserError(self.env._("This duty was cancelled."))
        now = fields.Datetime.now()
        hours = self._credited_hours(attendance.check_in, now)
        if hours <= 0:
            raise UserError(self.env._("Checked out too soon after checking in: there are no hours to record."))
        duty = self.sudo()
        hour = (
            self.env["garbage.volunteer.hour"]
            .sudo()
            .create(
                {
                    "partner_id": partner.id,
                    "date": duty.date,
                    "hours": hours,
                    "activity_type": duty.duty_type,
                    "unit_id": duty.unit_id.id,
                    "site_id": duty.site_id.id,
                    "duty_id": duty.id,
                    "source": "checkin",
                    "state": "submitted",
                }
            )
        )
        attendance.sudo().write(
            {"check_out": now, "check_out_latitude": latitude, "check_out_longitude": longitude, "hour_id": hour.id}
        )
        duty_vals = {"persuasion_count": duty.persuasion_count + persuasions, "state": "done"}
        duty_vals.update({f"problem_{problem}": True for problem in problems})
        duty.write(duty_vals)
        return True


class GarbageVolunteerAttendance(models.Model):
    _name = "garbage.volunteer.attendance"
    _description = "Volunteer Check-in"
    _inherit = ["garbage.guard.mixin"]
    _order = "check_in desc, id desc"
    _check_company_auto = True

    company_id = fields.Many2one(related="duty_id.company_id", string="Town", store=True, index=True, precompute=True)
    duty_id = fields.Many2one("garbage.volunteer.duty", "Duty", required=True, ondelete="cascade", index=True)
    partner_id = fields.Many2one("res.partner", "Volunteer", required=True, ondelete="restrict", index=True)
    check_in = fields.Datetime(required=True)
    check_out = fields.Datetime()
    check_in_latitude = fields.Float(digits=(10, 7))
    check_in_longitude = fields.Float(digits=(10, 7))
    check_out_latitude = fields.Float(digits=(10, 7))
    check_out_longitude = fields.Float(digits=(10, 7))
    check_in_distance = fields.Integer(
        "Distance at Check-in (m)", compute="_compute_distances", store=True, help="Empty when no position was given."
    )
    check_out_distance = fields.Integer("Distance at Check-out (m)", compute="_compute_distances", store=True)
    hour_id = fields.Many2one("garbage.volunteer.hour", "Hour Entry", ondelete="set null", check_company=True)

    _sql_constraints = [
        ("duty_partner_unique", "unique(duty_id, partner_id)", "A volunteer checks in once per duty."),
    ]

    @api.model
    def _guarded_fields(self):
        """A check-in is only ever written by the check-in and check-out of the volunteer themself."""
        names = [name for name, field in self._fields.items() if field.store and not field.automatic]
        return {**super()._guarded_fields(), **dict.fromkeys(names, ())}

    @api.depends(
        "check_in_latitude",
        "check_in_longitude",
        "check_out_latitude",
        "check_out_longitude",
        "duty_id.site_id.latitude",
        "duty_id.site_id.longitude",
    )
    def _compute_distances(self):
        for attendance in self:
            site = attendance.duty_id.site_id
            for moment in ("check_in", "check_out"):
                lat, lon = attendance[f"{moment}_latitude"], attendance[f"{moment}_longitude"]
                attendance[f"{moment}_distance"] = (
                    round(distance_m(lat, lon, site.latitude, site.longitude))
                    if valid_position(lat, lon) and valid_position(site.latitude, site.longitude)
                    else False
                )
