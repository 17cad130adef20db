from odoo import api, fields, models
from odoo.exceptions import UserError

from .garbage_guard_mixin import MANAGER_GROUP

UNIT_TYPES = [
    ("village", "Administrative Village"),
    ("community", "Community"),
    ("agency", "Town Agency"),
    ("institution", "Town-level Institution"),
    ("enterprise", "Enterprise"),
]


class GarbageUnit(models.Model):
    _name = "garbage.unit"
    _description = "Responsible Unit"
    _inherit = ["garbage.guard.mixin", "mail.thread", "mail.activity.mixin"]
    _order = "unit_type, code, name"

    name = fields.Char(required=True, tracking=True, translate=False)
    # Each town government is a company: a unit is assessed, ranked and seen within its own town only.
    company_id = fields.Many2one(
        "res.company", "Town", required=True, index=True, default=lambda self: self.env.company, tracking=True
    )
    code = fields.Char(required=True, tracking=True, help="Short code used in reports and QR codes.")
    unit_type = fields.Selection(UNIT_TYPES, string="Type", required=True, tracking=True)
    peer_group = fields.Selection(
        [
            ("village_community", "Villages and Communities"),
            ("agency_institution", "Agencies and Institutions"),
            ("enterprise", "Enterprises"),
        ],
        compute="_compute_peer_group",
        store=True,
        help="Units are ranked within their peer group in the monthly assessment.",
    )
    active = fields.Boolean(default=True, tracking=True)
    is_key_enterprise = fields.Boolean("Key Enterprise", tracking=True)
    is_chamber = fields.Boolean(
        "Chamber of Commerce",
        tracking=True,
        help="The chamber of commerce organises the 'three meetings' of the enterprises.",
    )
    # The unit's head (约谈单位负责人: the level-2 interview is with them) and the three named people of the
    # mechanism (M1.2)
    head_id = fields.Many2one(
        "res.partner",
        "Unit Head",
        tracking=True,
        help="The unit's principal head (单位主要负责人): invited to the interview of a second grey listing.",
    )
    head_phone = fields.Char(related="head_id.phone", string="Head Phone")
    leader_id = fields.Many2one("res.partner", "Unit Leader in Charge", tracking=True)
    leader_phone = fields.Char(related="leader_id.phone", string="Leader Phone")
    line_head_id = fields.Many2one("res.partner", "Line Head", tracking=True)
    line_head_phone = fields.Char(related="line_head_id.phone", string="Line Head Phone")
    liaison_id = fields.Many2one("res.partner", "Liaison", tracking=True)
    liaison_phone = fields.Char(related="liaison_id.phone", string="Liaison Phone")
    user_ids = fields.Many2many(
        "res.users",
        "garbage_unit_res_users_rel",
        "unit_id",
        "user_id",
        string="Acting Users",
        help="Users who act for this unit: they see and edit its records.",
    )
    superior_partner_id = fields.Many2one(
        "res.partner",
        "Superior Authority",
        tracking=True,
        help="Receives the report when the unit reaches the third grey listing of a year.",
    )
    street = fields.Char("Address")
    latitude = fields.Float(digits=(10, 7))
    longitude = fields.Float(digits=(10, 7))
    note = fields.Html("Notes")
    color = fields.Integer()
    bin_site_count = fields.Integer(compute="_compute_record_counts")
    work_plan_count = fields.Integer(compute="_compute_record_counts")
    inspection_count = fields.Integer(compute="_compute_record_counts")
    rectification_count = fields.Integer(compute="_compute_record_counts")
    volunteer_count = fields.Integer(compute="_compute_volunteer_figures")
    volunteer_hours = fields.Float("Approved Volunteer Hours", compute="_compute_volunteer_figures")
    # The partners in the work (居委会、业委会、物业、公共机构): kept by the liaison, not assessed.
    work_partner_ids = fields.One2many("garbage.unit.partner", "unit_id", string="Partners in the Work")

    _sql_constraints = [
        ("code_unique", "unique(company_id, code)", "The unit code must be unique in its town."),
    ]

    @api.model
    def _input_ranges(self):
        return {**super()._input_ranges(), "latitude": (-90, 90, False), "longitude": (-180, 180, False)}

    @api.model
    def _guarded_fields(self):
        """What places the unit in the assessment (whether and against whom it is ranked, who acts for it, who
        answers for it, where its level-3 report goes, what it is obliged to) belongs to the task force;
        the unit's liaison keeps the rest (address, coordinates, notes...). The monthly results and annual
        records are the engine's."""
        base = {name: groups for name, groups in super()._guarded_fields().items() if name in self._fields}
        task_force = (MANAGER_GROUP,)
        return {
            **base,
            "active": task_force,
            "code": task_force,
            "unit_type": task_force,
            "peer_group": (),
            "superior_partner_id": task_force,
            "user_ids": task_force,
            "head_id": task_force,
            "leader_id": task_force,
            "line_head_id": task_force,
            "liaison_id": task_force,
            "is_key_enterprise": task_force,
            "is_chamber": task_force,
            "annual_ids": (),
            "assessment_ids": (),
        }

    @api.depends("unit_type", *(f"company_id.garbage_peer_group_{unit_type}" for unit_type, __ in UNIT_TYPES))
    def _compute_peer_group(self):
        """The peer group the unit's town puts its type in (the town's Settings)."""
        for unit in self:
            unit.peer_group = unit.unit_type and unit.company_id[f"garbage_peer_group_{unit.unit_type}"]

    def _compute_record_counts(self):
        counts = {}
        for field_name, model in (
            ("bin_site_count", "garbage.bin.site"),
            ("work_plan_count", "garbage.work.plan"),
            ("inspection_count", "garbage.inspection"),
            ("rectification_count", "garbage.rectification"),
        ):
            counts[field_name] = dict(
                self.env[model]._read_group([("unit_id", "in", self.ids)], ["unit_id"], ["__count"])
            )
        for unit in self:
            for field_name, unit_counts in counts.items():
                unit[field_name] = unit_counts.get(unit, 0)

    def _compute_volunteer_figures(self):
        volunteers = dict(
            self.env["res.partner"]._read_group(
                [("is_volunteer", "=", True), ("volunteer_unit_ids", "in", self.ids)],
                ["volunteer_unit_ids"],
                ["__count"],
            )
        )
        # a total, readable by every role that reads the unit (inspectors have no access to the entries)
        hours = dict(
            self.env["garbage.volunteer.hour"]
            .sudo()
            ._read_group([("unit_id", "in", self.ids), ("state", "=", "approved")], ["unit_id"], ["hours:sum"])
        )
        for unit in self:
            unit.volunteer_count = volunteers.get(unit, 0)
            unit.volunteer_hours = hours.get(unit, 0.0)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_with_history(self):
        """A unit that was inspected, planned, assessed or held to a cadence keeps its history: archive it."""
        history = [
            ("garbage.inspection", "unit_id"),
            ("garbage.rectification", "unit_id"),
            ("garbage.work.plan", "unit_id"),
            ("garbage.obligation", "unit_id"),
            ("garbage.assessment", "unit_id"),
            ("garbage.escalation", "unit_id"),
            ("garbage.unit.annual", "unit_id"),
            ("garbage.bin.site", "unit_id"),
        ]
        for model, field_name in history:
            if (
                self.env[model]
                .sudo()
                .with_context(active_test=False)
                .search_count([(field_name, "in", self.ids)], limit=1)
            ):
                raise UserError(
                    self.env._("A unit with a history of inspections or results cannot be deleted: archive it.")
                )

    def toggle_active(self):
        super().toggle_active()
        return True  # core returns None (so do action_archive/action_unarchive), which XML-RPC cannot send back

    def action_view_volunteers(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("garbage_sorting.res_partner_action_volunteer")
        action["domain"] = [("is_volunteer", "=", True), ("volunteer_unit_ids", "in", self.ids)]
        action["context"] = {"default_is_volunteer": True, "default_volunteer_unit_ids": [self.id]}
        return action

    def action_view_volunteer_hours(self):
        action = self._action_open_related("garbage_sorting.garbage_volunteer_hour_action")
        action["context"] = {"default_unit_id": self.id, "search_default_approved": 1}
        return action

    def _action_open_related(self, xml_id):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(xml_id)
        action["domain"] = [("unit_id", "=", self.id)]
        action["context"] = {"default_unit_id": self.id}
        return action

    def action_view_bin_sites(self):
        return self._action_open_related("garbage_sorting.garbage_bin_site_action")

    def action_view_work_plans(self):
        return self._action_open_related("garbage_sorting.garbage_work_plan_action")

    def action_view_inspections(self):
        return self._action_open_related("garbage_sorting.garbage_inspection_action")

    def action_view_rectifications(self):
        return self._action_open_related("garbage_sorting.garbage_rectification_action")

    def _get_liaison_users(self):
        """Users who receive the unit's reminders: the liaison's own user, else the acting users."""
        self.ensure_one()
        return self.liaison_id.user_ids[:1] or self.user_ids

    def _get_reminder_user(self):
        """The one user who receives the unit's to-dos: its liaison (or first acting user), else its town's
        task-force head, so that no reminder or task is left with nobody (nor sent to another town)."""
        self.ensure_one()
        return self._get_liaison_users()[:1] or self.env["garbage.escalation"]._get_taskforce_head(self.company_id)
