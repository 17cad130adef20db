from odoo import api, fields, models
from odoo.exceptions import UserError

from .calendar_event import MEETING_KINDS, UNIT_QUARTERLY_KINDS


class GarbageObligationRule(models.Model):
    _inherit = "garbage.obligation.rule"

    reminder_target = fields.Selection(
        selection_add=[("secretary", "Party Secretary")], ondelete={"secretary": "set default"}
    )
    # Every party organisation owes some of the cadence itself (its monthly publicity), led units or not.
    subject = fields.Selection(
        selection_add=[("party_organization", "Party Organization")], ondelete={"party_organization": "cascade"}
    )

    @api.model
    def _subject_models(self):
        return {**super()._subject_models(), "party_organization": ("party.organization", "party_organization_id")}

    def _count_domain(self, date_start, date_end):
        # A meeting counts once it has taken place (its start is past), not as soon as it is saved: a future
        # meeting without minutes meets no obligation yet (the nightly recount counts it once held).
        domain = super()._count_domain(date_start, date_end)
        if self[:1].model_name == "calendar.event":
            domain = [*domain, (self[:1].date_field, "<=", fields.Datetime.now())]
        return domain

    def _count_query(self, date_start, date_end):
        # A meeting (Odoo's calendar event) has no town of its own: the rules count those their towns'
        # organisations, units and linkage groups organise (see calendar.event `_search`).
        if self[:1].model_name == "calendar.event":
            return super(GarbageObligationRule, self.with_context(party_town_ids=self.company_id.ids))._count_query(
                date_start, date_end
            )
        return super()._count_query(date_start, date_end)


class GarbageObligation(models.Model):
    _inherit = "garbage.obligation"

    # The subject of an organisation's obligation (its unit_id is empty): counted for the organisation only,
    # it is no unit's penalty in the monthly assessment; it shows in the secretary's annual review.
    party_organization_id = fields.Many2one(
        "party.organization", "Party Organization", ondelete="cascade", index=True, check_company=True
    )
    # the unit's quarterly meeting kind its rule counts: the reminder leads to recording the meeting
    party_meeting_kind_to_record = fields.Selection(
        MEETING_KINDS, "Meeting to Record", compute="_compute_party_meeting_kind_to_record"
    )

    _sql_constraints = [
        (
            "rule_party_organization_period_unique",
            "unique(rule_id, party_organization_id, date_start)",
            "A party organization has one obligation per rule and period.",
        ),
        (
            "one_subject",
            "CHECK(num_nonnulls(unit_id, party_organization_id) = CASE WHEN is_task_force THEN 0 ELSE 1 END)",
            "An obligation is carried by a unit, by a party organization, or by the task force itself.",
        ),
    ]

    @api.depends("rule_id", "unit_id", "party_organization_id", "is_task_force", "date_start")
    def _compute_display_name(self):
        return super()._compute_display_name()

    def _get_subject(self):
        self.ensure_one()
        return self.party_organization_id or super()._get_subject()

    def _compute_party_meeting_kind_to_record(self):
        rules = {
            self.env.ref(f"party_branch_linkage.garbage_obligation_rule_{kind}", raise_if_not_found=False): kind
            for kind in UNIT_QUARTERLY_KINDS
        }
        for obligation in self:
            obligation.party_meeting_kind_to_record = rules.get(obligation.rule_id) if obligation.unit_id else False

    def action_record_meeting(self):
        """The unit's quarterly meeting this obligation counts, to record: the meeting form, the unit organising
        it, the kind the rule counts (the owner checks of calendar.event apply when it is saved)."""
        self.ensure_one()
        if not self.party_meeting_kind_to_record:
            raise UserError(self.env._("This obligation is not met by recording a meeting of the unit."))
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "party_branch_linkage.calendar_event_action_unit_meetings"
        )
        action.update(
            views=[(False, "form")],
            view_mode="form",
            context={
                "default_party_meeting_kind": self.party_meeting_kind_to_record,
                "default_party_organizer_unit_id": self.unit_id.id,
                "default_name": self.rule_id.name,
            },
        )
        return action

    def _get_reminder_user(self):
        self.ensure_one()
        if self.party_organization_id:
            # the organisation's secretary; without one, the task-force head
            return (
                self.party_organization_id.secretary_id
                or self.env["garbage.escalation"]._get_taskforce_head(self.company_id)
            )[:1]
        # Without a secretary on record, the unit's liaison is reminded instead.
        if self.rule_id.reminder_target == "secretary" and (secretary := self.unit_id._get_party_secretary()):
            return secretary
        return super()._get_reminder_user()

    @api.model
    def _get_organization_year(self, organizations, year):
        """{organisation: obligations of `year`} (sudo, periods ending in the year, by date), for the
        secretary's annual review and the organisation's rewards and penalties."""
        obligations = self.sudo().search(
            [
                ("party_organization_id", "in", organizations.ids),
                ("date_end", ">=", f"{year}-01-01"),
                ("date_end", "<=", f"{year}-12-31"),
            ],
            order="date_start, id",
        )
        return {
            organization: obligations.filtered(lambda o, org=organization: o.party_organization_id == org)
            for organization in organizations
        }
