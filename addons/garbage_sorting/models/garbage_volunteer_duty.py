import math

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

EARTH_RADIUS_M = 6371000


def distance_m(lat1, lon1, lat2, lon2):
    """Great-circle distance in metres between two points given in degrees (haversine)."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    d_phi, d_lambda = math.radians(lat2 - lat1), math.radians(lon2 - lon1)
    a = math.sin(d_phi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(d_lambda / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(a))


class GarbageVolunteerDuty(models.Model):
    _name = "garbage.volunteer.duty"
    _description = "Volunteer Duty"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "date desc, time_start, id desc"

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
    )
    attendance_ids = fields.One2many("garbage.volunteer.attendance", "duty_id", string="Check-ins")
    persuasion_count = fields.Integer("Persuasions", aggregator="sum", help="Number of persuasions (劝导次数).")
    problem_littering = fields.Boolean("Littering Seen")
    problem_wrong_sorting = fields.Boolean("Wrong Sorting Seen")
    problem_wrong_time = fields.Boolean("Wrong-time Disposal Seen")
    photo_ids = fields.Many2many("ir.attachment", string="Photos")
    note = fields.Text()
    state = fields.Selection(
        [("planned", "Planned"), ("done", "Done"), ("cancelled", "Cancelled")],
        required=True,
        default="planned",
        index=True,
        tracking=True,
    )

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

    def action_done(self):
        self.write({"state": "done"})

    def action_cancel(self):
        self.write({"state": "cancelled"})

    def _get_attendance(self, partner):
        self.ensure_one()
        return self.attendance_ids.filtered(lambda attendance: attendance.partner_id == partner)[:1]

    def _check_can_attend(self, partner):
        self.ensure_one()
        if partner not in self.volunteer_ids:
            raise UserError(self.env._("You are not assigned to this duty."))
        if self.state == "cancelled":
            raise UserError(self.env._("This duty was cancelled."))
        if self.date != fields.Date.context_today(self):
            raise UserError(self.env._("You can only check in on the day of the duty."))

    def action_check_in(self, latitude=None, longitude=None):
        """Check the current user's volunteer in; the position is kept when the browser gave one."""
        self.ensure_one()
        self.check_access("read")
        partner = self.env.user.partner_id
        self._check_can_attend(partner)
        if self._get_attendance(partner):
            raise UserError(self.env._("You already checked in for this duty."))
        return (
            self.env["garbage.volunteer.attendance"]
            .sudo()
            .create(
                {
                    "duty_id": self.id,
                    "partner_id": partner.id,
                    "check_in": fields.Datetime.now(),
                    "check_in_latitude": latitude,
                    "check_in_longitude": longitude,
                }
            )
        )

    def action_check_out(self, latitude=None, longitude=None, persuasions=0, problems=()):
        """Check out: record what was seen and create the hour entry from the real duration."""
        self.ensure_one()
        self.check_access("read")
        partner = self.env.user.partner_id
        attendance = self._get_attendance(partner)
        if not attendance:
            raise UserError(self.env._("Check in before checking out."))
        if attendance.check_out:
            raise UserError(self.env._("You already checked out of this duty."))
        if persuasions < 0:
            raise UserError(self.env._("The number of persuasions cannot be negative."))
        now = fields.Datetime.now()
        hours = round((now - attendance.check_in).total_seconds() / 3600, 2)
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
                    "hours": min(hours, 12),
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
        return hour


class GarbageVolunteerAttendance(models.Model):
    _name = "garbage.volunteer.attendance"
    _description = "Volunteer Check-in"
    _order = "check_in desc, id desc"

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
    hour_id = fields.Many2one("garbage.volunteer.hour", "Hour Entry", ondelete="set null")

    _sql_constraints = [
        ("duty_partner_unique", "unique(duty_id, partner_id)", "A volunteer checks in once per duty."),
    ]

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
            located = site.latitude or site.longitude
            for moment in ("check_in", "check_out"):
                lat, lon = attendance[f"{moment}_latitude"], attendance[f"{moment}_longitude"]
                attendance[f"{moment}_distance"] = (
                    round(distance_m(lat, lon, site.latitude, site.longitude)) if located and (lat or lon) else False
                )
