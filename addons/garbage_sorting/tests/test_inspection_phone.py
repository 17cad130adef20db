from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, HttpCase, tagged

from .common import PHOTO_PNG, GarbageSortingCase, after_photo


@tagged("post_install", "-at_install")
class TestInspectionPhone(GarbageSortingCase):
    """What the inspector's phone flow relies on: the checklist fills the checks, a patrol by default, the
    "after" photo before a recheck, and the reason asked for in a dialog."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.own_unit.liaison_id = cls.liaison.partner_id

    def _submitted(self):
        inspection = self._inspection(self.own_unit, source="patrol", user=self.inspector)
        inspection.line_ids[:1].with_user(self.inspector).score = 1
        inspection.with_user(self.inspector).action_done()
        rectification = after_photo(inspection.rectification_ids)
        rectification.with_user(self.liaison).action_submit()
        return rectification

    def test_choosing_the_checklist_fills_the_checks(self):
        form = Form(self.env["garbage.inspection"].with_user(self.inspector))
        self.assertEqual(form.source, "patrol")
        form.unit_id = self.own_unit
        # the only checklist is preselected, its checks filled at once (choosing it again keeps them)
        self.assertEqual(form.template_id, self.template)
        self.assertEqual(len(form.line_ids), len(self.template.item_ids))
        form.template_id = self.template
        self.assertEqual(len(form.line_ids), len(self.template.item_ids))
        with form.line_ids.edit(0) as line:
            self.assertEqual(line.score, line.max_score)
            line.score = 0
            line.remark = "桶盖破损"
        inspection = form.save()
        self.assertEqual(inspection.line_ids.item_id, self.template.item_ids)
        self.assertEqual(inspection.line_ids.mapped("max_score"), self.template.item_ids.mapped("max_score"))
        self.assertEqual(inspection.line_ids[0].score, 0)
        self.assertEqual(inspection.inspector_ids, self.inspector)
        self.assertIs(inspection.with_user(self.inspector).action_done(), True)
        self.assertEqual(inspection.rectification_ids.inspection_line_id, inspection.line_ids[0])

    def test_default_source_per_role(self):
        Inspection = self.env["garbage.inspection"]
        for user, source in ((self.inspector, "patrol"), (self.manager, "patrol"), (self.liaison, "self")):
            self.assertEqual(Inspection.with_user(user).default_get(["source"])["source"], source, user.login)
        form = Form(Inspection.with_user(self.liaison))
        form.unit_id = self.own_unit
        form.template_id = self.template
        inspection = form.save()
        self.assertEqual((inspection.source, len(inspection.line_ids)), ("self", len(self.template.item_ids)))

    def test_photo_taken_before_saving_is_readable_by_the_unit(self):
        # the phone uploads the photo before the check is saved: the inspector's own file, for a check, unattached
        photo = (
            self.env["ir.attachment"]
            .with_user(self.inspector)
            .create({"name": "bin.png", "datas": PHOTO_PNG, "res_model": "garbage.inspection.line", "res_id": 0})
        )
        inspection = self._inspection(self.own_unit, source="patrol", user=self.inspector)
        inspection.line_ids[:1].with_user(self.inspector).write({"score": 1, "photo_ids": [(4, photo.id)]})
        self.assertEqual((photo.res_model, photo.res_id), ("garbage.inspection.line", inspection.line_ids[0].id))
        inspection.with_user(self.inspector).action_done()
        rectification = inspection.rectification_ids
        self.assertEqual(rectification.photo_before_ids, photo)
        self.assertEqual(rectification.with_user(self.liaison).photo_before_ids.datas, PHOTO_PNG)
        # nobody moves somebody else's file onto their record
        other = (
            self.env["ir.attachment"]
            .with_user(self.liaison)
            .create({"name": "x.png", "datas": PHOTO_PNG, "res_model": "garbage.rectification", "res_id": 0})
        )
        with self.assertRaises(AccessError):
            rectification.with_user(self.inspector).write({"photo_before_ids": [(4, other.id)]})
        self.assertEqual((other.res_model, other.res_id), ("garbage.rectification", 0))
        self.assertEqual(rectification.photo_before_ids, photo)

    def test_submit_needs_the_after_photo(self):
        inspection = self._inspection(self.own_unit, source="patrol", user=self.inspector)
        inspection.line_ids[:1].with_user(self.inspector).score = 1
        inspection.with_user(self.inspector).action_done()
        rectification = inspection.rectification_ids
        with self.assertRaisesRegex(UserError, "After"):
            rectification.with_user(self.liaison).action_submit()
        self.assertRecordValues(rectification, [{"state": "open", "photo_after_ids": []}])
        # uploaded from the rectification's form, for it
        photo = (
            self.env["ir.attachment"]
            .with_user(self.liaison)
            .create(
                {"name": "after.png", "datas": PHOTO_PNG, "res_model": rectification._name, "res_id": rectification.id}
            )
        )
        rectification.with_user(self.liaison).photo_after_ids = [(4, photo.id)]
        self.assertEqual((photo.res_model, photo.res_id), ("garbage.rectification", rectification.id))
        self.assertIs(rectification.with_user(self.liaison).action_submit(), True)
        self.assertEqual(rectification.state, "submitted")
        # the rechecking inspector sees the photo
        self.assertEqual(rectification.with_user(self.inspector).photo_after_ids.datas, PHOTO_PNG)

    def test_reject_wizard(self):
        rectification = self._submitted()
        Wizard = self.env["garbage.rectification.reject.wizard"]
        # a liaison neither opens the dialog nor rejects through it
        with self.assertRaises(AccessError):
            Wizard.with_user(self.liaison).create({"rectification_id": rectification.id, "reason": "x"})
        wizard = Wizard.create({"rectification_id": rectification.id, "reason": "x"})
        with self.assertRaises(AccessError):
            wizard.with_user(self.liaison).action_reject()
        self.assertRecordValues(rectification, [{"state": "submitted", "reject_reason": False}])
        # the inspector gives a reason, not blanks
        inspector_wizard = Wizard.with_user(self.inspector).create(
            {"rectification_id": rectification.id, "reason": "   "}
        )
        with self.assertRaises(UserError):
            inspector_wizard.action_reject()
        self.assertEqual(rectification.state, "submitted")
        inspector_wizard.reason = "可回收物桶仍然满溢"
        action = inspector_wizard.action_reject()
        self.assertEqual(action["type"], "ir.actions.act_window_close")
        self.assertRecordValues(rectification, [{"state": "open", "reject_reason": "可回收物桶仍然满溢"}])
        self.assertIn("可回收物桶仍然满溢", rectification.message_ids[0].body)

    def test_reject_wizard_not_for_a_unit_one_acts_for(self):
        rectification = self._submitted()
        self.inspector.groups_id = [(4, self.env.ref("garbage_sorting.garbage_sorting_group_liaison").id)]
        self.own_unit.user_ids = [(4, self.inspector.id)]
        wizard = (
            self.env["garbage.rectification.reject.wizard"]
            .with_user(self.inspector)
            .create({"rectification_id": rectification.id, "reason": "Still mixed"})
        )
        with self.assertRaises(AccessError):
            wizard.action_reject()
        self.assertRecordValues(rectification, [{"state": "submitted", "reject_reason": False}])


@tagged("post_install", "-at_install")
class TestInspectorPhoneTour(HttpCase):
    browser_size = "390x844"
    touch_enabled = True

    def test_inspector_phone_flow(self):
        inspector = self.env.ref("garbage_sorting.user_inspector_demo")
        unit = self.env["garbage.unit"].search([("name", "=", "青山村")], limit=1)
        Inspection = self.env["garbage.inspection"]
        before = Inspection.search([])
        self.start_tour(
            "/odoo/action-garbage_sorting.garbage_inspection_action/new",
            "garbage_sorting_inspector_phone_tour",
            login="inspector",
        )
        inspection = Inspection.search([]) - before
        self.assertRecordValues(
            inspection, [{"unit_id": unit.id, "source": "patrol", "state": "done", "inspector_ids": inspector.ids}]
        )
        failed = inspection.line_ids.filtered(lambda line: line.score < line.max_score)
        self.assertEqual((failed.score, failed.remark), (5.0, "可回收物桶满溢"))
        self.assertEqual(len(failed.photo_ids), 1)
        # the photo went up with the camera before anything was saved, as the inspector's own fresh upload
        self.assertEqual(failed.photo_ids.create_uid, inspector)
        self.assertEqual((failed.photo_ids.res_model, failed.photo_ids.res_id), (failed._name, failed.id))
        rectification = inspection.rectification_ids
        self.assertRecordValues(rectification, [{"unit_id": unit.id, "inspection_line_id": failed.id, "state": "open"}])
        self.assertTrue(rectification.deadline)
        self.assertEqual(rectification.photo_before_ids, failed.photo_ids)
