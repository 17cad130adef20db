from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, tagged

from .common import PartyCase


@tagged("post_install", "-at_install")
class TestPartyOrganization(PartyCase):
    def test_hierarchy_refuses_cycles(self):
        Organization = self.env["party.organization"]
        committee = Organization.create({"name": "Committee", "org_type": "committee"})
        branch = Organization.create({"name": "Branch", "parent_id": committee.id})
        self.assertEqual(branch.complete_name, "Committee / Branch")
        with self.assertRaises(UserError):
            committee.parent_id = branch
        self.assertFalse(committee.parent_id)

    def test_member_in_two_organizations_of_the_same_level_is_refused(self):
        Member = self.env["party.member"]
        partner = self.env["res.partner"].create({"name": "Retired Member"})
        with self.assertRaises(ValidationError), self.env.cr.savepoint():
            Member.create(
                {
                    "partner_id": partner.id,
                    "organization_ids": [(6, 0, (self.village_branch | self.community_branch).ids)],
                }
            )
        self.assertFalse(Member.search([("partner_id", "=", partner.id)]))

        # A branch and an action branch are two levels: allowed.
        member = Member.create(
            {"partner_id": partner.id, "organization_ids": [(6, 0, (self.village_branch | self.action_branch).ids)]}
        )
        with self.assertRaises(ValidationError), self.env.cr.savepoint():
            member.organization_ids = [(4, self.community_branch.id)]
        self.assertEqual(member.organization_ids, self.village_branch | self.action_branch)
        # The same mistake made from the organisation's side.
        with self.assertRaises(ValidationError), self.env.cr.savepoint():
            self.community_branch.member_ids = [(4, member.id)]
        self.assertNotIn(member, self.community_branch.member_ids)

    def test_in_service_member_is_an_employee(self):
        employee = self.env["hr.employee"].create({"name": "Bureau Clerk"})
        with Form(self.env["party.member"]) as form:
            form.member_type = "in_service"
            form.employee_id = employee
            form.unit_id = self.bureau
            form.duty_publicity = True
            form.organization_ids.add(self.village_branch)
        member = form.record
        self.assertEqual(member.name, "Bureau Clerk")
        self.assertEqual(member.partner_id, employee.work_contact_id)
        self.assertIn(member, self.village_branch.member_ids)
        self.assertEqual(self.village_branch.member_count, 1)
        with self.assertRaises(ValidationError), self.env.cr.savepoint():
            self.env["party.member"].create({"name": "Nobody", "member_type": "in_service"})
        self.assertFalse(self.env["party.member"].search([("name", "=", "Nobody")]))

    def test_units_know_their_organizations(self):
        self.assertEqual(self.village.party_organization_ids, self.village_branch)
        self.action_branch.unit_ids = [(4, self.village.id)]
        self.assertEqual(self.village.party_organization_ids, self.village_branch | self.action_branch)
        self.assertEqual(self.committee._get_subtree_units(), self.village | self.community)
