from odoo import api, fields, models

from .garbage_input_mixin import MAX_CHECK_POINTS

WASTE_CATEGORIES = [
    ("recyclable", "Recyclables"),
    ("hazardous", "Hazardous Waste"),
    ("kitchen", "Kitchen Waste"),
    ("other", "Other Waste"),
]
ITEM_CATEGORIES = [("general", "General"), *WASTE_CATEGORIES]


class GarbageInspectionTemplate(models.Model):
    _name = "garbage.inspection.template"
    _description = "Inspection Checklist Template"
    _inherit = ["garbage.input.mixin"]
    _order = "sequence, name"
    _check_company_auto = True

    company_id = fields.Many2one(
        "res.company", "Town", required=True, index=True, default=lambda self: self.env.company
    )
    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    item_ids = fields.One2many("garbage.inspection.template.item", "template_id", string="Checks", copy=True)
    total_score = fields.Float(compute="_compute_total_score")

    def _compute_total_score(self):
        for template in self:
            template.total_score = sum(template.item_ids.mapped("max_score"))


class GarbageInspectionTemplateItem(models.Model):
    _name = "garbage.inspection.template.item"
    _description = "Inspection Check"
    _inherit = ["garbage.input.mixin"]
    _order = "template_id, sequence, id"
    _check_company_auto = True

    company_id = fields.Many2one(
        related="template_id.company_id", string="Town", store=True, index=True, precompute=True
    )
    template_id = fields.Many2one("garbage.inspection.template", required=True, ondelete="cascade", index=True)
    sequence = fields.Integer(default=10)
    name = fields.Char("Check", required=True, translate=True)
    category = fields.Selection(ITEM_CATEGORIES, required=True, default="general")
    max_score = fields.Float("Maximum Score", required=True, default=10.0)

    _sql_constraints = [
        ("max_score_positive", "CHECK(max_score > 0)", "The maximum score of a check must be positive."),
    ]

    @api.model
    def _input_ranges(self):
        return {**super()._input_ranges(), "max_score": (0, MAX_CHECK_POINTS, True)}
