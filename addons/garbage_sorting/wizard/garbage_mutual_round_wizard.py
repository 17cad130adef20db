from odoo import api, fields, models
from odoo.exceptions import UserError


class GarbageMutualRoundWizard(models.TransientModel):
    _name = "garbage.mutual.round.wizard"
    _description = "Organise a Mutual Inspection Round"
    _inherit = ["garbage.input.mixin"]

    date = fields.Date(required=True, default=fields.Date.context_today)
    unit_ids = fields.Many2many("garbage.unit", string="Units", default=lambda self: self._default_unit_ids())
    template_id = fields.Many2one(
        "garbage.inspection.template",
        "Checklist",
        required=True,
        default=lambda self: self.env.ref("garbage_sorting.garbage_inspection_template_standard", False),
    )
    previous_round_id = fields.Many2one(
        "garbage.mutual.round",
        "Previous Round",
        default=lambda self: self.env["garbage.mutual.round"].search([], limit=1),
        help="No unit inspects again the unit it inspected in this round.",
    )

    @api.model
    def _default_unit_ids(self):
        return self.env["garbage.unit"].search([])

    def action_create_round(self):
        """Pair the units (no pair of the previous round nor of the year repeats) and confirm the round."""
        self.ensure_one()
        units = self.unit_ids.sorted(lambda unit: (unit.code, unit.id))
        mutual_round = self.env["garbage.mutual.round"]._prepare(
            self.date, units, self.template_id, self.previous_round_id._get_pairs()
        )
        if mutual_round is None:
            raise UserError(
                self.env._(
                    "These units cannot be paired: select at least two units, and enough of them that no pair of the "
                    "previous round or of the year repeats."
                )
            )
        mutual_round.action_confirm()
        return {
            "type": "ir.actions.act_window",
            "res_model": "garbage.mutual.round",
            "res_id": mutual_round.id,
            "view_mode": "form",
        }
