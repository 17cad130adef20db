from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

MEETING_KINDS = [
    ("work", "Work Meeting"),
    ("deliberation", "Party–Mass Deliberation Meeting"),
    ("governance", "Governance Joint Meeting"),
    ("publicity", "Publicity and Education Activity"),
    ("training", "Industry Party-Member Publicity Training"),
    ("seminar", "Problem Seminar"),
    ("symposium", "Exchange Symposium"),
    ("chamber_training", "Chamber Training Meeting"),
    ("chamber_symposium", "Chamber Symposium"),
    ("chamber_seminar", "Chamber Seminar"),
    ("mutual_learning", "Mutual Learning and Inspection"),
]


class CalendarEvent(models.Model):
    _inherit = "calendar.event"

    party_meeting_kind = fields.Selection(MEETING_KINDS, "Meeting Kind", index=True, tracking=True)
    party_organizer_unit_id = fields.Many2one("garbage.unit", "Organizing Unit", index=True, tracking=True)
    party_organization_id = fields.Many2one(
        "party.organization", "Organizing Party Organization", index=True, tracking=True
    )
    party_linkage_group_id = fields.Many2one(
        "party.linkage.group", "Organizing Linkage Group", index=True, tracking=True
    )
    party_brand_project_id = fields.Many2one("party.brand.project", "Brand Project", index=True)
    garbage_unit_ids = fields.Many2many(
        "garbage.unit",
        "calendar_event_garbage_unit_rel",
        "event_id",
        "unit_id",
        string="Units Concerned",
        compute="_compute_garbage_unit_ids",
        store=True,
        precompute=True,
        readonly=False,
        help="The organising unit, the units the organisation leads and the linkage group's units: "
        "the meeting counts in their cadence.",
    )
    party_signed_partner_ids = fields.Many2many(
        "res.partner",
        "calendar_event_party_signed_partner_rel",
        "event_id",
        "partner_id",
        string="Signed In",
    )
    party_signed_count = fields.Integer("Signed-in Count", compute="_compute_party_signed_count")
    party_minutes = fields.Html("Minutes")
    party_resolutions = fields.Html("Resolutions")
    party_photo_ids = fields.Many2many(
        "ir.attachment", "calendar_event_party_photo_rel", "event_id", "attachment_id", string="Photos"
    )
    party_action_item_ids = fields.One2many("party.action.item", "meeting_id", string="Action Items")
    party_carried_item_ids = fields.Many2many(
        "party.action.item",
        compute="_compute_party_carried_item_ids",
        string="Open Items Carried Over",
        help="Action items of earlier meetings of the same organiser that are not closed yet.",
    )

    party_visible = fields.Boolean(
        compute="_compute_party_visible",
        search="_search_party_visible",
        help="Technical: a liaison only sees the party meetings of their own units (record rule).",
    )

    @api.depends(
        "party_organizer_unit_id",
        "party_organization_id.unit_ids",
        "party_linkage_group_id.unit_ids",
        "party_linkage_group_id.lead_unit_id",
    )
    def _compute_garbage_unit_ids(self):
        for event in self:
            event.garbage_unit_ids = (
                event.party_organizer_unit_id
                | event.party_organization_id.unit_ids
                | event.party_linkage_group_id.lead_unit_id
                | event.party_linkage_group_id.unit_ids
            )

    @api.depends("party_signed_partner_ids")
    def _compute_party_signed_count(self):
        for event in self:
            event.party_signed_count = len(event.party_signed_partner_ids)

    @api.depends("party_organizer_unit_id", "party_organization_id", "party_linkage_group_id", "start")
    def _compute_party_carried_item_ids(self):
        Item = self.env["party.action.item"]
        for event in self:
            organizer = event._party_organizer_domain()
            if not organizer or not event.start:
                event.party_carried_item_ids = Item
                continue
            event.party_carried_item_ids = Item.search(
                [("state", "=", "open"), ("meeting_start", "<", event.start)]
                + [(f"meeting_id.{name}", "=", value) for name, value in organizer]
            )

    def _compute_party_visible(self):
        visible = self.search([("id", "in", self.ids), ("party_visible", "=", True)])
        for event in self:
            event.party_visible = event in visible

    def _search_party_visible(self, operator, value):
        if operator != "=" or value is not True:
            raise UserError(self.env._("Unsupported search on the meeting visibility."))
        user = self.env.user
        # Every internal user reads every event in Odoo; only a liaison with no town or party
        # role is narrowed down to the party meetings of their units (or that they attend).
        if not user.has_group("garbage_sorting.garbage_sorting_group_liaison") or user.has_groups(
            "party_branch_linkage.party_branch_linkage_group_member,"
            "garbage_sorting.garbage_sorting_group_inspector,"
            "garbage_sorting.garbage_sorting_group_coordinator,"
            "garbage_sorting.garbage_sorting_group_leader"
        ):
            return []
        return [
            "|",
            "|",
            "|",
            ("party_meeting_kind", "=", False),
            ("garbage_unit_ids.user_ids", "in", user.id),
            ("user_id", "=", user.id),
            ("partner_ids", "in", user.partner_id.id),
        ]

    @api.constrains("party_meeting_kind", "party_organizer_unit_id", "party_organization_id", "party_linkage_group_id")
    def _check_party_organizer(self):
        for event in self:
            if event.party_meeting_kind and not event._party_organizer_domain():
                raise ValidationError(
                    self.env._(
                        "The meeting “%(name)s” needs its organiser: a unit, a party organization or a linkage group.",
                        name=event.name,
                    )
                )

    def _party_organizer_domain(self):
        """The organiser ("same body") as (field, id) pairs; empty when there is none."""
        self.ensure_one()
        return [
            (name, self[name].id)
            for name in ("party_organizer_unit_id", "party_organization_id", "party_linkage_group_id")
            if self[name]
        ]

    def action_party_sign_in(self):
        """The current user signs in to the meeting."""
        self.write({"party_signed_partner_ids": [fields.Command.link(self.env.user.partner_id.id)]})
