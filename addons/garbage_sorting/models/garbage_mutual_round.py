from odoo import api, fields, models


def pair_units(unit_ids, forbidden_pairs=frozenset()):
    """Assign to every unit (in the given order) another unit to inspect.

    Each unit inspects exactly one unit and is inspected by exactly one; nobody inspects itself and no
    (inspector, inspected) pair of ``forbidden_pairs`` is used. Candidates are tried in rotation order
    (the next unit first), so the same input always gives the same pairing. Returns a list of
    (inspector, inspected) tuples, or None when no such pairing exists.
    """
    count = len(unit_ids)
    if count < 2:
        return None
    assigned = [None] * count
    taken = set()

    def assign(index):
        if index == count:
            return True
        for shift in range(1, count):
            candidate = (index + shift) % count
            pair = (unit_ids[index], unit_ids[candidate])
            if candidate in taken or pair in forbidden_pairs:
                continue
            assigned[index] = candidate
            taken.add(candidate)
            if assign(index + 1):
                return True
            taken.discard(candidate)
        return False

    if not assign(0):
        return None
    return [(unit_ids[index], unit_ids[assigned[index]]) for index in range(count)]


class GarbageMutualRound(models.Model):
    _name = "garbage.mutual.round"
    _description = "Mutual Inspection Round"
    _inherit = ["garbage.guard.mixin", "mail.thread"]
    _order = "date desc, id desc"

    name = fields.Char("Reference", readonly=True, copy=False, default=lambda self: self.env._("New"))
    date = fields.Date(required=True, default=fields.Date.context_today, tracking=True)
    inspection_ids = fields.One2many("garbage.inspection", "mutual_round_id", string="Inspections")
    inspection_count = fields.Integer(compute="_compute_inspection_stats")
    done_count = fields.Integer("Done", compute="_compute_inspection_stats")

    @api.model
    def _guarded_fields(self):
        """The reference is numbered; the round's inspections are created by its wizard."""
        base = {name: groups for name, groups in super()._guarded_fields().items() if name in self._fields}
        return {**base, "name": (), "inspection_ids": ()}

    @api.model
    def _guard_creation_fields(self):
        return ("name",)  # create() numbers every round

    @api.depends("inspection_ids.state")
    def _compute_inspection_stats(self):
        for mutual_round in self:
            mutual_round.inspection_count = len(mutual_round.inspection_ids)
            mutual_round.done_count = len(mutual_round.inspection_ids.filtered(lambda i: i.state == "done"))

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if not self.env.su or vals.get("name", self.env._("New")) == self.env._("New"):
                vals["name"] = self.env["ir.sequence"].sudo().next_by_code("garbage.mutual.round") or self.env._("New")
        return super().create(vals_list)

    def _get_pairs(self):
        """The (inspecting unit id, inspected unit id) pairs of this round."""
        return {(inspection.inspecting_unit_id.id, inspection.unit_id.id) for inspection in self.inspection_ids}

    def action_view_inspections(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("garbage_sorting.garbage_inspection_action")
        action["domain"] = [("mutual_round_id", "=", self.id)]
        action["context"] = {"create": False}
        return action
