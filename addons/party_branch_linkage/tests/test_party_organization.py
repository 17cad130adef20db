from odoo.exceptions import UserError
from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestPartyOrganization(TransactionCase):
    def test_hierarchy_refuses_cycles(self):
        Organization = self.env["party.organization"]
        committee = Organization.create({"name": "Committee", "org_type": "committee"})
        branch = Organization.create({"name": "Branch", "parent_id": committee.id})
        self.assertEqual(branch.complete_name, "Committee / Branch")
        with self.assertRaises(UserError):
            committee.parent_id = branch
        self.assertFalse(committee.parent_id)
