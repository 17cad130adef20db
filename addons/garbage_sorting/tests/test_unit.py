from odoo.exceptions import AccessError
from odoo.tests import TransactionCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestUnit(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.liaison = new_test_user(cls.env, login="gs_liaison", groups="garbage_sorting.garbage_sorting_group_liaison")
        Unit = cls.env["garbage.unit"]
        cls.own_unit = Unit.create(
            {"name": "Test Village", "code": "T-V1", "unit_type": "village", "user_ids": [(4, cls.liaison.id)]}
        )
        cls.other_unit = Unit.create({"name": "Test Bureau", "code": "T-A1", "unit_type": "agency"})

    def test_peer_group_follows_type(self):
        self.assertEqual(self.own_unit.peer_group, "village_community")
        self.assertEqual(self.other_unit.peer_group, "agency_institution")
        self.other_unit.unit_type = "enterprise"
        self.assertEqual(self.other_unit.peer_group, "enterprise")

    def test_liaison_sees_only_own_units(self):
        units = self.env["garbage.unit"].with_user(self.liaison).search([("code", "like", "T-")])
        self.assertEqual(units, self.own_unit)
        with self.assertRaises(AccessError):
            self.other_unit.with_user(self.liaison).read(["name"])
