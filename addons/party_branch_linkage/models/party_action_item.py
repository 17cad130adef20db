from odoo import api, fields, models
from odoo.exceptions import ValidationError


class PartyActionItem(models.Model):
    _name = "party.action.item"
    _description = "Meeting Action Item"
    _inherit = ["mail.thread"]
    _order = "state desc, deadline, id"

    name = fields.Char("Action", required=True, tracking=True)
    meeting_id = fields.Many2one("calendar.event", "Meeting", required=True, ondelete="cascade", index=True)
    meeting_start = fields.Datetime(related="meeting_id.start", store=True, string="Meeting Date")
    owner_id = fields.Many2one("res.partner", "Owner", tracking=True)
    deadline = fields.Date(tracking=True)
    state = fields.Selection([("open", "Open"), ("done", "Closed")], required=True, default="open", tracking=True)
    date_closed = fields.Date("Closed On", readonly=True)
    note = fields.Text("Outcome")

    # `state` always comes with a default, so the check runs on every creation.
    @api.constrains("owner_id", "state")
    def _check_owner(self):
        for item in self:
            if not item.owner_id:
                raise ValidationError(self.env._("The action item “%(name)s” needs an owner.", name=item.name))

    def action_close(self):
        self.write({"state": "done", "date_closed": fields.Date.context_today(self)})

    def action_reopen(self):
        self.write({"state": "open", "date_closed": False})
