"""The units' partners in the work (居委会、业委会、物业、公共机构): kept by the unit's liaison."""

from odoo.exceptions import AccessError
from odoo.tests import Form, tagged

from .common import GarbageSortingCase


@tagged("post_install", "-at_install")
class TestUnitPartners(GarbageSortingCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.committee = cls.env["res.partner"].create({"name": "Riverside Residents' Committee"})
        cls.property = cls.env["res.partner"].create({"name": "Green Home Property"})

    def test_liaison_keeps_the_partners_of_own_unit_from_the_form(self):
        with Form(self.own_unit.with_user(self.liaison)) as form:
            with form.work_partner_ids.new() as line:
                line.role = "residents_committee"
                line.partner_id = self.committee
            with form.work_partner_ids.new() as line:
                line.role = "property_management"
                line.partner_id = self.property
        self.assertEqual(
            sorted(self.own_unit.work_partner_ids.mapped("role")), ["property_management", "residents_committee"]
        )
        partner = self.own_unit.work_partner_ids.filtered(lambda line: line.role == "property_management")
        partner.with_user(self.liaison).write({"note": "Cleans the bins daily"})
        partner.with_user(self.liaison).unlink()
        self.assertEqual(self.own_unit.work_partner_ids.partner_id, self.committee)

    def test_nobody_else_changes_them(self):
        line = self.env["garbage.unit.partner"].create(
            {"unit_id": self.own_unit.id, "role": "owners_committee", "partner_id": self.committee.id}
        )
        # Another unit's liaison neither reads nor changes them, nor adds to the unit.
        with self.assertRaises(AccessError):
            line.with_user(self.other_liaison).read(["role"])
        for user in (self.other_liaison, self.inspector, self.coordinator, self.leader):
            with self.subTest(user=user.login):
                with self.assertRaises(AccessError):
                    line.with_user(user).write({"partner_id": self.property.id})
                with self.assertRaises(AccessError):
                    self.env["garbage.unit.partner"].with_user(user).create(
                        {"unit_id": self.own_unit.id, "role": "property_management", "partner_id": self.property.id}
                    )
                with self.assertRaises(AccessError):
                    line.with_user(user).unlink()
        # The unit's own liaison keeps the line on the unit: not moved to someone else's unit.
        with self.assertRaises(AccessError):
            line.with_user(self.liaison).write({"unit_id": self.other_unit.id})
        with self.assertRaises(AccessError):
            self.own_unit.with_user(self.liaison).write(
                {"work_partner_ids": [(1, line.id, {"unit_id": self.other_unit.id})]}
            )
        self.assertEqual(line.unit_id, self.own_unit)
        self.assertEqual((line.partner_id, line.role), (self.committee, "owners_committee"))
        self.assertEqual(len(self.own_unit.work_partner_ids), 1)
        # The town roles read them.
        for user in (self.inspector, self.coordinator, self.leader):
            self.assertEqual(line.with_user(user).partner_id, self.committee)

    def test_demo_units_have_chinese_partners(self):
        unit = self.env.ref("garbage_sorting.garbage_unit_jinxiu_demo")
        self.assertEqual(
            set(unit.work_partner_ids.mapped("role")),
            {"residents_committee", "owners_committee", "property_management", "public_institution"},
        )
        self.assertIn("锦绣社区居民委员会", unit.work_partner_ids.partner_id.mapped("name"))
