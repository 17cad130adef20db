from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, tagged

from ..models.garbage_mutual_round import pair_units
from .common import GarbageSortingCase


@tagged("post_install", "-at_install")
class TestMutualRound(GarbageSortingCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.units = cls.own_unit | cls.other_unit | cls.agency
        cls.units |= cls.env["garbage.unit"].create(
            [{"name": f"Round Unit {i}", "code": f"T-R{i}", "unit_type": "enterprise"} for i in range(3)]
        )

    def _run_wizard(self, units, user=None):
        wizard = Form(self.env["garbage.mutual.round.wizard"].with_user(user or self.manager))
        wizard.unit_ids.clear()
        for unit in units:
            wizard.unit_ids.add(unit)
        action = wizard.save().action_create_round()
        return self.env["garbage.mutual.round"].browse(action["res_id"])

    def _assert_valid(self, pairs, ids):
        self.assertEqual(sorted(inspector for inspector, _ in pairs), sorted(ids))
        self.assertEqual(sorted(inspected for _, inspected in pairs), sorted(ids))
        self.assertFalse([pair for pair in pairs if pair[0] == pair[1]])

    def test_pairing_is_a_deterministic_derangement(self):
        ids = [11, 12, 13, 14, 15]
        pairs = pair_units(ids)
        self._assert_valid(pairs, ids)
        self.assertEqual(pairs, pair_units(ids))
        self.assertEqual(pairs, [(11, 12), (12, 13), (13, 14), (14, 15), (15, 11)])

    def test_pairing_avoids_previous_pairs(self):
        ids = [1, 2, 3, 4]
        first = pair_units(ids)
        second = pair_units(ids, set(first))
        self._assert_valid(second, ids)
        self.assertFalse(set(first) & set(second))
        third = pair_units(ids, set(second))
        self._assert_valid(third, ids)
        self.assertFalse(set(second) & set(third))

    def test_pairing_impossible_cases(self):
        self.assertIsNone(pair_units([1]))
        self.assertIsNone(pair_units([1, 2], {(1, 2)}))
        self.assertEqual(pair_units([1, 2]), [(1, 2), (2, 1)])

    def test_wizard_defaults_to_all_active_units_and_standard_checklist(self):
        wizard = self.env["garbage.mutual.round.wizard"].with_user(self.manager).create({})
        # the town's own units (the superuser's search sees every town's)
        self.assertEqual(wizard.unit_ids, self.env["garbage.unit"].search([("company_id", "=", self.env.company.id)]))
        self.assertEqual(wizard.template_id, self.template)

    def test_wizard_creates_draft_inspections_without_repeating_previous_round(self):
        first = self._run_wizard(self.units)
        self.assertEqual(len(first.inspection_ids), len(self.units))
        for inspection in first.inspection_ids:
            self.assertEqual(inspection.source, "mutual")
            self.assertEqual(inspection.state, "draft")
            self.assertNotEqual(inspection.unit_id, inspection.inspecting_unit_id)
            self.assertEqual(inspection.inspector_ids, inspection.inspecting_unit_id.user_ids)
            self.assertEqual(len(inspection.line_ids), len(self.template.item_ids))
        self.assertEqual(first.inspection_ids.unit_id, self.units)
        self.assertEqual(first.inspection_ids.inspecting_unit_id, self.units)
        second = self._run_wizard(self.units)
        self.assertFalse(first._get_pairs() & second._get_pairs())
        self.assertEqual(len(second._get_pairs()), len(self.units))

    def test_assigned_unit_fills_its_inspection(self):
        mutual_round = self._run_wizard(self.units)
        mine = mutual_round.inspection_ids.filtered(lambda i: i.inspecting_unit_id == self.own_unit)
        mine.line_ids[0].with_user(self.liaison).score = 0
        mine.with_user(self.liaison).action_done()
        self.assertEqual(mine.state, "done")
        self.assertTrue(mine.rectification_ids)

    def test_impossible_round_is_refused_and_nothing_stored(self):
        pair = self.own_unit | self.other_unit
        self._run_wizard(pair)
        rounds = self.env["garbage.mutual.round"].search_count([])
        inspections = self.env["garbage.inspection"].search_count([])
        with self.assertRaises(UserError):
            self._run_wizard(pair)
        self.assertEqual(self.env["garbage.mutual.round"].search_count([]), rounds)
        self.assertEqual(self.env["garbage.inspection"].search_count([]), inspections)

    def test_only_task_force_organises_rounds(self):
        for user in (self.liaison, self.inspector, self.leader):
            with self.assertRaises(AccessError):
                self.env["garbage.mutual.round.wizard"].with_user(user).create({"unit_ids": self.units.ids})
            with self.assertRaises(AccessError):
                self.env["garbage.mutual.round"].with_user(user).create({})
