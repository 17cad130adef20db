from odoo import fields, models


class GarbageBinSite(models.Model):
    _name = "garbage.bin.site"
    _description = "Bin Site"
    _inherit = ["mail.thread"]
    _order = "unit_id, name"

    name = fields.Char(required=True, tracking=True)
    unit_id = fields.Many2one("garbage.unit", "Unit", required=True, index=True, ondelete="restrict", tracking=True)
    active = fields.Boolean(default=True, tracking=True)
    latitude = fields.Float(digits=(10, 7))
    longitude = fields.Float(digits=(10, 7))
    has_recyclable = fields.Boolean("Recyclables Bin", default=True)
    has_hazardous = fields.Boolean("Hazardous Waste Bin", default=True)
    has_kitchen = fields.Boolean("Kitchen Waste Bin", default=True)
    has_other = fields.Boolean("Other Waste Bin", default=True)
    disposal_windows = fields.Char(help="Scheduled disposal times (定时定点), e.g. 07:00-09:00, 18:00-20:00.")
