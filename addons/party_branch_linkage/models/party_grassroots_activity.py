from odoo import api, fields, models
from odoo.addons.garbage_sorting.models.garbage_guard_mixin import town_today
from odoo.exceptions import AccessError, UserError, ValidationError

from .party_organization import check_one_town


class PartyGrassrootsActivity(models.Model):
    _name = "party.grassroots.activity"
    _description = "In-service Party Members to the Grassroots"
    _inherit = ["garbage.guard.mixin", "mail.thread"]
    _order = "date desc, id desc"
    _check_company_auto = True

    name = fields.Char("Activity", required=True, tracking=True)
    date = fields.Date(required=True, default=fields.Date.context_today, tracking=True)
    entry_type = fields.Selection(
        [
            ("village", "Into Villages"),
            ("community", "Into Communities"),
            ("school", "Into Schools"),
            ("enterprise", "Into Enterprises"),
            ("market", "Into Markets"),
            ("business_district", "Into Business Districts"),
        ],
        "Entry",
        required=True,
        tracking=True,
        help="The 'six entries' of M4.",
    )
    organization_id = fields.Many2one("party.organization", "Party Organization", required=True, index=True)
    company_id = fields.Many2one(
        related="organization_id.company_id", string="Town", store=True, index=True, precompute=True
    )
    unit_id = fields.Many2one(
        "garbage.unit", "Host Unit", check_company=True, help="The village, community or enterprise visited."
    )
    member_ids = fields.Many2many(
        "party.member",
        "party_grassroots_activity_member_rel",
        "activity_id",
        "member_id",
        string="Members Who Went",
        required=True,
        check_company=True,
    )
    hours = fields.Float("Hours per Member", required=True, tracking=True)
    description = fields.Html("What Was Done")
    state = fields.Selection([("draft", "Planned"), ("done", "Done")], required=True, default="draft", tracking=True)
    volunteer_hours_logged = fields.Boolean(
        readonly=True, help="The hours were added to the volunteer records of the members who are volunteers."
    )

    @api.constrains("hours")
    def _check_hours(self):
        # written so that NaN (for which every comparison is false) fails it too
        if any(not 0 < activity.hours <= 12 for activity in self):
            raise ValidationError(self.env._("The hours of an activity must be more than 0 and at most 12."))

    @api.constrains("state", "date")
    def _check_done_date(self):
        today = town_today(self.env)
        if any(activity.state == "done" and activity.date > today for activity in self):
            raise ValidationError(self.env._("An activity cannot be done before its date."))

    @api.constrains("organization_id", "member_ids")
    def _check_one_town(self):
        check_one_town(self, ("member_ids",))

    @api.constrains("member_ids")
    def _check_in_service_members(self):
        """The "six entries" are the in-service members' (在职党员进基层): the others take part otherwise."""
        for activity in self:
            if others := activity.member_ids.filtered(lambda member: member.member_type != "in_service"):
                raise ValidationError(
                    self.env._(
                        "Only in-service party members go to the grassroots (the 'six entries'): "
                        "%(members)s are not in-service members.",
                        members=", ".join(others.mapped("name")),
                    )
                )

    @api.model
    def _guarded_fields(self):
        return {**super()._guarded_fields(), "volunteer_hours_logged": ()}

    @api.model
    def _input_ranges(self):
        # as `_check_hours`, checked before anything is stored (a volunteer entry holds at most 12 hours too)
        return {**super()._input_ranges(), "hours": (0, 12, True)}

    @api.model_create_multi
    def create(self, vals_list):
        activities = super().create(vals_list)
        activities._check_own_members()
        return activities

    def _check_own_members(self):
        """A secretary sends the members of the organisation (or of those below it), not someone else's:
        their hours go to the members' records (and to the volunteers' hours)."""
        if self._is_manager():
            return
        Organization = self.env["party.organization"].sudo()
        for activity in self.sudo():
            members = Organization.search([("id", "child_of", activity.organization_id.ids)]).member_ids
            if strangers := activity.member_ids - members:
                raise AccessError(
                    self.env._(
                        "%(members)s are not members of %(organization)s or of an organization below it.",
                        members=", ".join(strangers.mapped("name")),
                        organization=activity.organization_id.complete_name,
                    )
                )

    def write(self, vals):
        # A done activity is history: its hours went to the members (and the volunteers' records).
        if (
            not self._is_manager()
            and set(vals) - {"description"}
            and any(activity.state == "done" for activity in self)
        ):
            raise AccessError(self.env._("A done grassroots activity is changed by the task force only."))
        result = super().write(vals)
        if "organization_id" in vals and not self.env.su:
            # Moved onto another organisation: it must be one the user edits too.
            self.check_access("write")
        if {"organization_id", "member_ids"} & set(vals):
            self._check_own_members()
        return result

    @api.ondelete(at_uninstall=False)
    def _unlink_except_done(self):
        if any(activity.state == "done" for activity in self):
            raise UserError(self.env._("A done grassroots activity is history: it is never deleted."))

    def action_done(self):
        """Mark the activity done (by whoever edits it) and log the volunteers' hours."""
        self.check_access("write")
        if self.filtered(lambda activity: activity.state != "draft"):
            raise UserError(self.env._("Only a planned activity can be marked done."))
        self.sudo().write({"state": "done"})
        self._add_volunteer_hours()
        return True

    def _add_volunteer_hours(self):
        """Submit the hours of the members who are volunteers to their coordinator, once per activity.

        Runs only when the volunteer module's `garbage.volunteer.hour` exists in this database.
        """
        if "garbage.volunteer.hour" not in self.env:
            return
        todo = self.filtered(lambda activity: activity.state == "done" and not activity.volunteer_hours_logged)
        vals_list = [
            {
                "partner_id": member.partner_id.id,
                "date": activity.date,
                "hours": activity.hours,
                "activity_type": "publicity",
                "unit_id": activity.unit_id.id,
                "source": "coordinator",
                "state": "submitted",
                "note": activity.name,
                "company_id": activity.company_id.id,
            }
            for activity in todo
            for member in activity.member_ids
            if member.partner_id.is_volunteer
        ]
        self.env["garbage.volunteer.hour"].sudo().create(vals_list)
        todo.sudo().write({"volunteer_hours_logged": True})
