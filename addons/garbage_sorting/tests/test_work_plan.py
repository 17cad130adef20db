from psycopg2 import IntegrityError

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import GarbageSortingCase


@tagged("post_install", "-at_install")
class TestWorkPlan(GarbageSortingCase):
    def _plan(self, unit, user=None, year=2026):
        Plan = self.env["garbage.work.plan"].with_user(user or self.manager)
        return Plan.create(
            {
                "unit_id": unit.id,
                "year": year,
                "goals": "<p>Sorting in every household</p>",
                "line_ids": [(0, 0, {"date": f"{year}-03-01", "name": "Quarterly work meeting"})],
            }
        )

    def test_one_plan_per_unit_and_year(self):
        self._plan(self.own_unit)
        before = self.env["garbage.work.plan"].search_count([])
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"), self.env.cr.savepoint():
            self._plan(self.own_unit)
        self.assertEqual(self.env["garbage.work.plan"].search_count([]), before)
        self.assertTrue(self._plan(self.own_unit, year=2027))
        self.assertTrue(self._plan(self.other_unit))

    def test_liaison_drafts_and_submits_task_force_approves(self):
        plan = self._plan(self.own_unit, user=self.liaison)
        self.assertTrue(plan.is_party_building)
        self.assertEqual(plan.name, "Own Village work plan 2026")
        plan.with_user(self.liaison).action_submit()
        self.assertEqual(plan.state, "submitted")
        for user in (self.liaison, self.inspector, self.leader):
            with self.assertRaises(AccessError):
                plan.with_user(user).action_approve()
        self.assertEqual(plan.state, "submitted")
        plan.with_user(self.manager).action_approve()
        self.assertEqual(plan.state, "approved")
        self.assertEqual(plan.approved_by_id, self.manager)

    def test_approved_plan_locked_for_liaison(self):
        plan = self._plan(self.own_unit, user=self.liaison)
        plan.with_user(self.liaison).action_submit()
        plan.with_user(self.manager).action_approve()
        with self.assertRaises(UserError):
            plan.with_user(self.liaison).write({"goals": "<p>less</p>"})
        with self.assertRaises(UserError):
            plan.line_ids.with_user(self.liaison).write({"is_done": True})
        with self.assertRaises(UserError):
            plan.line_ids.with_user(self.liaison).unlink()
        self.assertFalse(plan.line_ids.is_done)
        with self.assertRaises(AccessError):
            plan.with_user(self.liaison).action_reset_to_draft()
        self.assertEqual(plan.state, "approved")
        plan.with_user(self.manager).action_reset_to_draft()
        self.assertEqual(plan.state, "draft")

    def test_liaison_cannot_touch_other_units_plan(self):
        other = self._plan(self.other_unit)
        before = self.env["garbage.work.plan"].search_count([])
        with self.assertRaises(AccessError):
            other.with_user(self.liaison).read(["goals"])
        with self.assertRaises(AccessError):
            other.with_user(self.liaison).write({"goals": "<p>mine</p>"})
        with self.assertRaises(AccessError):
            self._plan(self.other_unit, user=self.liaison, year=2027)
        with self.assertRaises(AccessError):
            other.line_ids.with_user(self.liaison).write({"name": "mine"})
        self.assertEqual(self.env["garbage.work.plan"].search_count([]), before)
        self.assertEqual(other.line_ids.name, "Quarterly work meeting")

    def test_town_roles_read_only(self):
        plan = self._plan(self.own_unit)
        for user in (self.inspector, self.coordinator, self.leader):
            plan.with_user(user).read(["goals", "line_ids"])
            with self.assertRaises(AccessError):
                plan.with_user(user).write({"goals": "<p>x</p>"})
            with self.assertRaises(AccessError):
                self._plan(self.agency, user=user)

    def test_state_is_tracked(self):
        plan = self._plan(self.own_unit, user=self.liaison)
        self.env.cr.flush()  # a record is tracked from the transaction after its creation
        plan.with_user(self.liaison).action_submit()
        self.env.cr.flush()
        self.env.invalidate_all()
        self.assertIn("state", plan.sudo().message_ids.tracking_value_ids.field_id.mapped("name"))
