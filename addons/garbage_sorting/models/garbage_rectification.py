from odoo import fields, models


class GarbageRectification(models.Model):
    _name = "garbage.rectification"
    _description = "Rectification"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "deadline, id"

    name = fields.Char("Problem", required=True, tracking=True)
    inspection_id = fields.Many2one("garbage.inspection", required=True, index=True, ondelete="cascade")
    inspection_line_id = fields.Many2one("garbage.inspection.line", "Failed Check", ondelete="set null")
    unit_id = fields.Many2one(related="inspection_id.unit_id", store=True, index=True)
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
