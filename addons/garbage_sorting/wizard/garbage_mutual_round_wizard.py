from odoo import api, fields, models
from odoo.exceptions import UserError

from ..models.garbage_mutual_round import pair_units


class GarbageMutualRoundWizard(models.TransientModel):
    _name = "garbage.mutual.round.wizard"
    _description = "Organise a Mutual Inspection Round"

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
        self.ensure_one()
        units = self.unit_ids.sorted(lambda unit: (unit.code, unit.id))
        pairs = pair_units(units.ids, self.previous_round_id._get_pairs())
        if pairs is None:
            raise UserError(
                self.env._(
                    "These units cannot be paired: select at least two units, and enough of them that no pair of the "
                    "previous round repeats."
                )
            )
        mutual_round = self.env["garbage.mutual.round"].create({"date": self.date})
        inspecting_units = self.env["garbage.unit"].browse([inspecting for inspecting, _inspected in pairs])
        users_by_unit = {unit.id: unit.user_ids.ids for unit in inspecting_units}
        self.env["garbage.inspection"].create(
            [
                {
                    "mutual_round_id": mutual_round.id,
                    "source": "mutual",
                    "date": self.date,
                    "unit_id": inspected,
                    "inspecting_unit_id": inspecting,
                    "inspector_ids": [fields.Command.set(users_by_unit[inspecting])],
                    "template_id": self.template_id.id,
                }
                for inspecting, inspected in pairs
            ]
        )
        return {
            "type": "ir.actions.act_window",
            "res_model": "garbage.mutual.round",
            "res_id": mutual_round.id,
            "view_mode": "form",
        }
