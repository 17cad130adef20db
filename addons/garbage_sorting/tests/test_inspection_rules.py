from datetime import date

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged
from odoo.tools import mute_logger

from .common import GarbageSortingCase


@tagged("post_install", "-at_install")
class TestInspectionRules(GarbageSortingCase):
    def _count(self):
        return self.env["garbage.inspection"].search_count([])

    def test_template_fills_lines_and_score(self):
        inspection = self._inspection(self.own_unit, user=self.liaison)
        self.assertEqual(len(inspection.line_ids), len(self.template.item_ids))
        self.assertEqual(inspection.score, 100.0)
        inspection.line_ids[0].score = inspection.line_ids[0].max_score - 3
        self.assertAlmostEqual(inspection.score, round(100 * 97 / 100, 2))

    def test_liaison_records_self_inspection_of_own_unit_only(self):
        inspection = self._inspection(self.own_unit, user=self.liaison)
        self.assertEqual(inspection.inspector_ids, self.liaison)
        before = self._count()
        with self.assertRaises(AccessError), mute_logger("odoo.models"):
            self._inspection(self.other_unit, user=self.liaison)
        with self.assertRaises(AccessError):
            self._inspection(self.own_unit, source="patrol", user=self.liaison)
        with self.assertRaises(AccessError):
            self._inspection(self.own_unit, source="mutual", user=self.liaison, inspecting_unit_id=self.other_unit.id)
        self.assertEqual(self._count(), before)

    def test_liaison_cannot_read_or_edit_other_units_inspection(self):
        other = self._inspection(self.other_unit, user=self.other_liaison)
        with self.assertRaises(AccessError):
            other.with_user(self.liaison).read(["score"])
        with self.assertRaises(AccessError):
            other.with_user(self.liaison).write({"note": "<p>edited</p>"})
        with self.assertRaises(AccessError):
            other.line_ids[0].with_user(self.liaison).write({"score": 0})
        self.assertEqual(other.line_ids[0].score, other.line_ids[0].max_score)
        self.assertFalse(other.note)

    def test_liaison_cannot_move_inspection_to_another_unit(self):
        inspection = self._inspection(self.own_unit, user=self.liaison)
        with self.assertRaises(AccessError), self.env.cr.savepoint():
            inspection.with_user(self.liaison).write({"unit_id": self.other_unit.id})
        self.assertEqual(inspection.unit_id, self.own_unit)

    def test_liaison_edits_own_unit_not_others(self):
        self.own_unit.with_user(self.liaison).street = "Group 3"
        self.assertEqual(self.own_unit.street, "Group 3")
        with self.assertRaises(AccessError):
            self.other_unit.with_user(self.liaison).write({"street": "Group 3"})
        self.assertFalse(self.other_unit.street)

    def test_inspector_records_patrols_not_self_inspections(self):
        patrol = self._inspection(self.own_unit, source="patrol", user=self.inspector)
        patrol.line_ids[0].with_user(self.inspector).score = 1
        self.assertEqual(patrol.line_ids[0].score, 1)
        # reads everything, edits only own patrols
        liaison_one = self._inspection(self.own_unit, user=self.liaison)
        liaison_one.with_user(self.inspector).read(["score"])
        with self.assertRaises(AccessError):
            liaison_one.with_user(self.inspector).write({"note": "<p>x</p>"})
        other_patrol = self._inspection(self.other_unit, source="patrol", user=self.manager)
        with self.assertRaises(AccessError):
            other_patrol.with_user(self.inspector).write({"note": "<p>x</p>"})
        before = self._count()
        with self.assertRaises(AccessError):
            self._inspection(self.own_unit, source="self", user=self.inspector)
        self.assertEqual(self._count(), before)

    def test_mutual_inspection_filled_by_assigned_inspecting_unit(self):
        mutual = self._inspection(
            self.other_unit, source="mutual", user=self.manager, inspecting_unit_id=self.own_unit.id
        )
        mutual.line_ids[0].with_user(self.liaison).score = 2
        mutual.with_user(self.liaison).action_done()
        self.assertEqual(mutual.state, "done")
        # the inspected unit reads it but does not fill it in
        mutual.with_user(self.other_liaison).read(["score"])
        other_mutual = self._inspection(
            self.own_unit, source="mutual", user=self.manager, inspecting_unit_id=self.other_unit.id
        )
        with self.assertRaises(AccessError):
            other_mutual.line_ids[0].with_user(self.liaison).write({"score": 0})

    def test_coordinator_and_leader_read_only(self):
        inspection = self._inspection(self.own_unit, user=self.liaison)
        for user in (self.coordinator, self.leader):
            inspection.with_user(user).read(["score"])
            inspection.line_ids.with_user(user).read(["score"])
            with self.assertRaises(AccessError):
                inspection.with_user(user).write({"note": "<p>x</p>"})
            with self.assertRaises(AccessError):
                self._inspection(self.own_unit, source="patrol", user=user)

    def test_done_inspection_is_locked_except_for_manager(self):
        inspection = self._inspection(self.own_unit, user=self.liaison)
        inspection.with_user(self.liaison).action_done()
        for user in (self.liaison, self.inspector):
            with self.assertRaises(UserError):
                inspection.with_user(user).write({"note": "<p>changed</p>"})
        with self.assertRaises(UserError):
            inspection.line_ids[0].with_user(self.liaison).write({"score": 0})
        with self.assertRaises(UserError):
            inspection.with_user(self.liaison).unlink()
        self.assertFalse(inspection.note)
        self.assertEqual(inspection.score, 100.0)
        with self.assertRaises(AccessError):
            inspection.with_user(self.liaison).action_reset_to_draft()
        with self.assertRaises(AccessError):
            inspection.with_user(self.inspector).action_reset_to_draft()
        self.assertEqual(inspection.state, "done")
        inspection.with_user(self.manager).action_reset_to_draft()
        self.assertEqual(inspection.state, "draft")
        self.env.cr.flush()  # tracking values are written just before commit
        self.env.invalidate_all()
        labels = dict(inspection._fields["state"]._description_selection(self.env))
        tracked = inspection.sudo().message_ids.tracking_value_ids.filtered(lambda t: t.field_id.name == "state")
        self.assertIn((labels["done"], labels["draft"]), [(t.old_value_char, t.new_value_char) for t in tracked])
        inspection.line_ids[0].with_user(self.liaison).score = 0
        self.assertLess(inspection.score, 100.0)

    def test_line_score_out_of_range_rejected(self):
        inspection = self._inspection(self.own_unit, user=self.liaison)
        line = inspection.line_ids[0]
        Line = self.env["garbage.inspection.line"]
        lines_before = Line.search_count([])
        for bad in (-1, line.max_score + 1):
            with self.assertRaises(ValidationError), self.env.cr.savepoint():
                line.with_user(self.liaison).score = bad
            with self.assertRaises(ValidationError), self.env.cr.savepoint():
                Line.with_user(self.manager).create(
                    {"inspection_id": inspection.id, "name": "Extra", "max_score": 5, "score": bad}
                )
        self.assertEqual(line.score, line.max_score)
        self.assertEqual(Line.search_count([]), lines_before)

    def test_mutual_inspection_of_itself_rejected(self):
        before = self._count()
        with self.assertRaises(ValidationError), self.env.cr.savepoint():
            self._inspection(self.own_unit, source="mutual", user=self.manager, inspecting_unit_id=self.own_unit.id)
        self.assertEqual(self._count(), before)
        env_en = self.env(context=dict(self.env.context, lang="en_US"))
        with self.assertRaisesRegex(ValidationError, "cannot inspect itself"), self.env.cr.savepoint():
            env_en["garbage.inspection"].create(
                {"unit_id": self.own_unit.id, "source": "mutual", "inspecting_unit_id": self.own_unit.id}
            )

    @freeze_time("2026-05-10")
    def test_inspection_in_future_rejected(self):
        before = self._count()
        with self.assertRaises(ValidationError), self.env.cr.savepoint():
            self._inspection(self.own_unit, user=self.liaison, date=date(2026, 5, 11))
        self.assertEqual(self._count(), before)
        self.assertTrue(self._inspection(self.own_unit, user=self.liaison, date=date(2026, 5, 10)))

    def test_templates_editable_by_task_force_only(self):
        for user in (self.liaison, self.inspector, self.leader):
            self.template.with_user(user).read(["name"])
            with self.assertRaises(AccessError):
                self.template.with_user(user).write({"name": "Mine"})
            with self.assertRaises(AccessError):
                self.template.item_ids[0].with_user(user).write({"max_score": 1})
        self.template.with_user(self.manager).item_ids[0].max_score = 20
        self.assertEqual(self.template.item_ids[0].max_score, 20)

    def test_form_fills_checklist(self):
        form = Form(self.env["garbage.inspection"].with_user(self.liaison))
        form.unit_id = self.own_unit
        form.template_id = self.template
        inspection = form.save()
        self.assertEqual(len(inspection.line_ids), len(self.template.item_ids))
