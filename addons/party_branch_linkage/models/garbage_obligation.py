from odoo import api, fields, models


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


class GarbageObligation(models.Model):
    _inherit = "garbage.obligation"

    # The subject of an organisation's obligation (its unit_id is empty): counted for the organisation only,
    # it is no unit's penalty in the monthly assessment; it shows in the secretary's annual review.
    party_organization_id = fields.Many2one("party.organization", "Party Organization", ondelete="cascade", index=True)

    _sql_constraints = [
        (
            "rule_party_organization_period_unique",
            "unique(rule_id, party_organization_id, date_start)",
            "A party organization has one obligation per rule and period.",
        ),
        (
            "one_subject",
            "CHECK((unit_id IS NULL) != (party_organization_id IS NULL))",
            "An obligation is carried by a unit or by a party organization.",
        ),
    ]

    @api.depends("rule_id", "unit_id", "party_organization_id", "date_start")
    def _compute_display_name(self):
        return super()._compute_display_name()

    def _get_subject(self):
        self.ensure_one()
        return self.party_organization_id or super()._get_subject()

    def _get_reminder_user(self):
        self.ensure_one()
        if self.party_organization_id:
            # the organisation's secretary; without one, the task-force head
            return (self.party_organization_id.secretary_id or self.env["garbage.escalation"]._get_taskforce_head())[:1]
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
