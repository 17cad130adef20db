from odoo import api, fields, models
from odoo.addons.garbage_sorting.models.garbage_guard_mixin import town_today
from odoo.exceptions import AccessError, ValidationError


class PartyActionItem(models.Model):
    """A meeting's follow-up: written by whoever may change the meeting; its owner reports and closes it."""

    _name = "party.action.item"
    _description = "Meeting Action Item"
    _inherit = ["garbage.guard.mixin", "mail.thread"]
    _order = "state desc, deadline, id"

    name = fields.Char("Action", required=True, tracking=True)
    meeting_id = fields.Many2one("calendar.event", "Meeting", required=True, ondelete="cascade", index=True)
    # A meeting (Odoo's calendar event) has no town: its item is of its organiser's town (the organisation's,
    # the unit's or the linkage group's), else of the town the item is written in.
    company_id = fields.Many2one(
        "res.company",
        "Town",
        compute="_compute_company_id",
        store=True,
        precompute=True,
        required=True,
        index=True,
    )
    meeting_start = fields.Datetime(related="meeting_id.start", store=True, string="Meeting Date")
    owner_id = fields.Many2one("res.partner", "Owner", tracking=True)
    deadline = fields.Date(tracking=True)
    state = fields.Selection([("open", "Open"), ("done", "Closed")], required=True, default="open", tracking=True)
    date_closed = fields.Date("Closed On", readonly=True)
    note = fields.Text("Outcome")

    @api.depends(
        "meeting_id.party_organization_id.company_id",
        "meeting_id.party_organizer_unit_id.company_id",
        "meeting_id.party_linkage_group_id.company_id",
    )
    def _compute_company_id(self):
        for item in self:
            meeting = item.meeting_id.sudo()
            item.company_id = (
                meeting.party_organization_id.company_id
                or meeting.party_organizer_unit_id.company_id
                or meeting.party_linkage_group_id.company_id
                or item.company_id
                or self.env.company
            )

    # `state` always comes with a default, so the check runs on every creation.
    @api.constrains("owner_id", "state")
    def _check_owner(self):
        for item in self:
            if not item.owner_id:
                raise ValidationError(self.env._("The action item “%(name)s” needs an owner.", name=item.name))

    @api.model
    def _guarded_fields(self):
        return {**super()._guarded_fields(), "date_closed": ()}

    @api.model_create_multi
    def create(self, vals_list):
        items = super().create(vals_list)
        if not self._is_manager():
            items.meeting_id._party_check_manage()
        return items

    def write(self, vals):
        if self._is_manager():
            return super().write(vals)
        # The item's owner reports the outcome; everything else is the meeting's organiser's.
        if set(vals) <= {"note"} and all(item.owner_id == self.env.user.partner_id for item in self):
            return super().write(vals)
        self.meeting_id._party_check_manage()
        result = super().write(vals)
        if "meeting_id" in vals:
            self.meeting_id._party_check_manage()
        return result

    def _check_close_right(self):
        """The meeting's organiser (secretary, task force) or the item's own owner."""
        self.check_access("read")
        if self._is_manager():
            return
        others = self.filtered(lambda item: item.owner_id != self.env.user.partner_id)
        try:
            others.meeting_id._party_check_manage()
        except AccessError:
            raise AccessError(
                self.env._("Only the item's owner and the meeting's organiser close or reopen an action item.")
            ) from None

    def action_close(self):
        self._check_close_right()
        self.sudo().write({"state": "done", "date_closed": town_today(self.env)})
        return True

    def action_reopen(self):
        self._check_close_right()
        self.sudo().write({"state": "open", "date_closed": False})
        return True
