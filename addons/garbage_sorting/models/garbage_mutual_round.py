import logging

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from .garbage_guard_mixin import town_today
from .garbage_obligation_rule import period_bounds

_logger = logging.getLogger(__name__)


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
    # activities: the task-force head is asked to confirm the round the job prepared
    _inherit = ["garbage.guard.mixin", "mail.thread", "mail.activity.mixin"]
    _order = "date desc, id desc"
    _check_company_auto = True

    company_id = fields.Many2one(
        "res.company", "Town", required=True, index=True, default=lambda self: self.env.company
    )
    name = fields.Char("Reference", readonly=True, copy=False, default=lambda self: self.env._("New"))
    date = fields.Date(required=True, default=fields.Date.context_today, tracking=True)
    state = fields.Selection(
        [("draft", "To Confirm"), ("confirmed", "Confirmed")],
        required=True,
        default="draft",
        tracking=True,
        copy=False,
        help="A round is prepared (pairs) and then confirmed by the task force, which creates its inspections.",
    )
    template_id = fields.Many2one(
        "garbage.inspection.template",
        "Checklist",
        default=lambda self: self._default_template_id(),
        check_company=True,
    )
    date_confirmed = fields.Date(
        "Confirmed On",
        readonly=True,
        copy=False,
        help="The day the task force confirmed the round: a unit is charged for a part it skipped only when the "
        "round was confirmed within its two months.",
    )
    pair_ids = fields.One2many("garbage.mutual.round.pair", "round_id", string="Pairs", copy=False)
    inspection_ids = fields.One2many("garbage.inspection", "mutual_round_id", string="Inspections")
    inspection_count = fields.Integer(compute="_compute_inspection_stats")
    done_count = fields.Integer("Done", compute="_compute_inspection_stats")

    @api.model
    def _guarded_fields(self):
        """The reference is numbered; the state moves by action_confirm, which creates the inspections."""
        base = {name: groups for name, groups in super()._guarded_fields().items() if name in self._fields}
        return {**base, "name": (), "inspection_ids": (), "state": (), "date_confirmed": ()}

    @api.model
    def _guard_creation_fields(self):
        return (
            *super()._guard_creation_fields(),
            "name",
        )  # create() numbers every round

    @api.depends("inspection_ids.state")
    def _compute_inspection_stats(self):
        for mutual_round in self:
            mutual_round.inspection_count = len(mutual_round.inspection_ids)
            mutual_round.done_count = len(mutual_round.inspection_ids.filtered(lambda i: i.state == "done"))

    @api.constrains("date")
    def _check_inspections_not_before(self):
        """Moved, a round keeps its inspections on or after its date (as `garbage.inspection` checks them)."""
        for mutual_round in self:
            early = mutual_round.sudo().inspection_ids.filtered(
                lambda inspection, day=mutual_round.date: inspection.date < day
            )
            if early:
                raise ValidationError(
                    self.env._(
                        "The round %(round)s cannot be dated after its mutual inspection %(inspection)s (%(date)s).",
                        round=mutual_round.name,
                        inspection=early[0].name,
                        date=early[0].date,
                    )
                )

    @api.model
    def _default_template_id(self):
        """The standard checklist, or, in a town that has its own copies, the town's first one."""
        standard = self.env.ref("garbage_sorting.garbage_inspection_template_standard", False)
        if standard and standard.company_id == self.env.company:
            return standard
        return self.env["garbage.inspection.template"].search([("company_id", "=", self.env.company.id)], limit=1)

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if not self.env.su or vals.get("name", self.env._("New")) == self.env._("New"):
                vals["name"] = self.env["ir.sequence"].sudo().next_by_code("garbage.mutual.round") or self.env._("New")
        return super().create(vals_list)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_confirmed(self):
        if self.filtered(lambda mutual_round: mutual_round.state != "draft"):
            raise UserError(self.env._("A confirmed mutual inspection round is history: it cannot be deleted."))

    def _get_pairs(self):
        """The (inspecting unit id, inspected unit id) pairs of these rounds: planned, or inspections made."""
        pairs = {(pair.inspecting_unit_id.id, pair.unit_id.id) for pair in self.pair_ids}
        return pairs | {(inspection.inspecting_unit_id.id, inspection.unit_id.id) for inspection in self.inspection_ids}

    @api.model
    def _get_year_pairs(self, year):
        """Every (inspecting unit id, inspected unit id) pair already used in `year`: in rounds (planned or
        confirmed) and in mutual inspections recorded outside any round."""
        start, end = fields.Date.to_date(f"{year}-01-01"), fields.Date.to_date(f"{year}-12-31")
        rounds = self.sudo().search([("date", ">=", start), ("date", "<=", end)])
        inspections = (
            self.env["garbage.inspection"]
            .sudo()
            .search_fetch(
                [
                    ("source", "=", "mutual"),
                    ("inspecting_unit_id", "!=", False),
                    ("date", ">=", start),
                    ("date", "<=", end),
                ],
                ["inspecting_unit_id", "unit_id"],
            )
        )
        pairs = {(inspection.inspecting_unit_id.id, inspection.unit_id.id) for inspection in inspections}
        return pairs | rounds._get_pairs()

    @api.model
    def _prepare(self, day, units, template=None, forbidden=frozenset()):
        """A draft round on `day` pairing `units` (in their order), with no pair of the year nor of `forbidden`.

        Returns the round, or None when the units cannot be paired."""
        pairs = pair_units(units.ids, self._get_year_pairs(day.year) | set(forbidden))
        if pairs is None:
            return None
        vals = {
            "date": day,
            "pair_ids": [
                fields.Command.create({"inspecting_unit_id": inspecting, "unit_id": inspected})
                for inspecting, inspected in pairs
            ],
        }
        if template:
            vals["template_id"] = template.id
        return self.create(vals)

    def action_confirm(self):
        """The task force confirms the pairs: each becomes a draft mutual inspection of the inspecting unit."""
        if not self._is_manager():
            raise AccessError(self.env._("Only the task force confirms a mutual inspection round."))
        self.check_access("write")
        for mutual_round in self:
            if mutual_round.state != "draft":
                raise UserError(self.env._("The round %(name)s is already confirmed.", name=mutual_round.name))
            if not mutual_round.pair_ids:
                raise UserError(self.env._("The round %(name)s has no pairs to inspect.", name=mutual_round.name))
            if not mutual_round.template_id:
                raise UserError(self.env._("The round %(name)s needs its checklist.", name=mutual_round.name))
        inspections = []
        for mutual_round in self:
            for pair in mutual_round.pair_ids:
                inspections.append(
                    {
                        "mutual_round_id": mutual_round.id,
                        "source": "mutual",
                        "date": mutual_round.date,
                        "unit_id": pair.unit_id.id,
                        "inspecting_unit_id": pair.inspecting_unit_id.id,
                        "inspector_ids": [fields.Command.set(pair.inspecting_unit_id.user_ids.ids)],
                        "template_id": mutual_round.template_id.id,
                    }
                )
        self.env["garbage.inspection"].create(inspections)
        self.sudo().write({"state": "confirmed", "date_confirmed": town_today(self.env)})
        todo = self.env.ref("mail.mail_activity_data_todo")
        self.sudo().activity_ids.filtered(lambda activity: activity.activity_type_id == todo).action_feedback(
            feedback=self._company_lang_env()._("Round confirmed.")
        )
        return True

    @api.model
    def _cron_prepare_round(self):
        """Start of each two-month period: prepare the period's round (draft) for the task force to confirm.

        Every active unit inspects another one; no unit inspects itself and no pair of the year repeats
        (units of the same peer group side by side, so they mostly inspect their peers). A period that
        already has a round (prepared, or organised by hand) gets nothing more: running it twice adds nothing.
        Each town pairs its own units.
        """
        for company in self.env["res.company"].search([]):
            self.with_company(company)._prepare_town_round()
        return True

    def _prepare_town_round(self):
        company = self.env.company
        today = town_today(self.env)  # the town's 1st, not UTC's
        start, end = period_bounds("bimonthly", today)
        Round = self.sudo()
        if Round.search_count([("company_id", "=", company.id), ("date", ">=", start), ("date", "<=", end)], limit=1):
            return
        units = (
            self.env["garbage.unit"]
            .sudo()
            .search([("company_id", "=", company.id)])
            .sorted(lambda unit: (unit.peer_group or "", unit.code or "", unit.id))
        )
        if not units:
            return
        mutual_round = Round._prepare(start, units)
        if mutual_round is None:
            _logger.warning("Mutual inspection round of %s not prepared: the units cannot be paired.", start)
            return
        if head := self.env["garbage.escalation"]._get_taskforce_head():
            town = self._company_lang_env()  # stored: in the town's language, not the job's
            mutual_round.activity_schedule(
                "mail.mail_activity_data_todo",
                date_deadline=start,
                summary=town._("Confirm the mutual inspection round %(name)s", name=mutual_round.name),
                note=town._(
                    "The units are paired for the mutual inspections of %(start)s to %(end)s: check the pairs and "
                    "confirm the round to create the inspections.",
                    start=start,
                    end=end,
                ),
                user_id=head.id,
            )

    def action_view_inspections(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("garbage_sorting.garbage_inspection_action")
        action["domain"] = [("mutual_round_id", "=", self.id)]
        action["context"] = {"create": False}
        return action


class GarbageMutualRoundPair(models.Model):
    _name = "garbage.mutual.round.pair"
    _description = "Mutual Inspection Pair"
    _order = "round_id, id"
    _check_company_auto = True

    company_id = fields.Many2one(related="round_id.company_id", string="Town", store=True, index=True, precompute=True)
    round_id = fields.Many2one("garbage.mutual.round", "Round", required=True, index=True, ondelete="cascade")
    inspecting_unit_id = fields.Many2one(
        "garbage.unit", "Inspecting Unit", required=True, ondelete="restrict", check_company=True
    )
    unit_id = fields.Many2one("garbage.unit", "Inspected Unit", required=True, ondelete="restrict", check_company=True)

    _sql_constraints = [
        ("inspector_unique", "unique(round_id, inspecting_unit_id)", "A unit inspects one unit per round."),
        ("inspected_unique", "unique(round_id, unit_id)", "A unit is inspected once per round."),
        ("not_itself", "CHECK(inspecting_unit_id != unit_id)", "In a mutual inspection a unit cannot inspect itself."),
    ]

    @api.constrains("inspecting_unit_id", "unit_id", "round_id")
    def _check_not_repeated(self):
        for pair in self:
            year_pairs = pair.round_id._get_year_pairs(pair.round_id.date.year)
            others = self.search_count(
                [
                    ("id", "!=", pair.id),
                    ("inspecting_unit_id", "=", pair.inspecting_unit_id.id),
                    ("unit_id", "=", pair.unit_id.id),
                    ("round_id.date", ">=", pair.round_id.date.replace(month=1, day=1)),
                    ("round_id.date", "<=", pair.round_id.date.replace(month=12, day=31)),
                ]
            )
            if others or ((pair.inspecting_unit_id.id, pair.unit_id.id) in year_pairs - pair.round_id._get_pairs()):
                raise ValidationError(
                    self.env._(
                        "%(inspecting)s already inspected %(inspected)s this year: a pair does not repeat within "
                        "the year.",
                        inspecting=pair.inspecting_unit_id.name,
                        inspected=pair.unit_id.name,
                    )
                )

    def _check_round_draft(self):
        if not self.env.su and self.round_id.filtered(lambda mutual_round: mutual_round.state != "draft"):
            raise UserError(self.env._("The pairs of a confirmed round no longer change."))

    @api.model_create_multi
    def create(self, vals_list):
        pairs = super().create(vals_list)
        pairs._check_round_draft()
        return pairs

    def write(self, vals):
        self._check_round_draft()
        result = super().write(vals)
        self._check_round_draft()
        return result

    @api.ondelete(at_uninstall=False)
    def _unlink_except_confirmed(self):
        self._check_round_draft()
