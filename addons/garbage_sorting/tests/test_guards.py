"""Who may change what: every guarded field, state and deletion, tried as every role.

The loop test goes over each guarded model's `_guarded_fields()` as each role (the way core's
project/tests/test_project_sharing_portal_access.py goes over its fields); the other tests are the
issue's attacks and the legitimate path beside each of them.
"""

from datetime import date, timedelta
from unittest.mock import patch
from xmlrpc import client as xmlrpclib

from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, HttpCase, new_test_user, tagged
from odoo.tools import mute_logger
from odoo.tools.translate import code_translations

from .common import GROUP, GarbageSortingCase, after_photo

REFUSED = UserError  # AccessError is a UserError


def _other_value(record, name):
    """A value different from the record's for the field `name` (what an attacker would write)."""
    field = record._fields[name]
    current = record.sudo()[name]
    env = record.env
    if field.type == "selection":
        return next(key for key, __ in field._description_selection(env) if key != current)
    if field.type == "many2one":
        return env[field.comodel_name].sudo().search([("id", "!=", current.id)], limit=1).id
    if field.type == "many2many":
        return [(6, 0, [])] if current else [(6, 0, env[field.comodel_name].sudo().search([], limit=1).ids)]
    if field.type in ("integer", "float", "monetary"):
        return (current or 0) + 7
    values = {
        "boolean": not current,
        "char": "tampered",
        "text": "tampered",
        "html": "<p>tampered</p>",
        "date": date(2099, 1, 1),
        "datetime": fields.Datetime.to_datetime("2099-01-01 00:00:00"),
        "one2many": [(5, 0, 0)],
    }
    return values.get(field.type)


@tagged("post_install", "-at_install")
class TestGuards(GarbageSortingCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.employee = new_test_user(cls.env, login="t_employee", groups="base.group_user")
        cls.portal = new_test_user(cls.env, login="t_portal", groups="base.group_portal")
        cls.own_unit.write({"liaison_id": cls.liaison.partner_id.id, "street": "Group 1"})
        cls.roles = {
            "liaison": cls.liaison,
            "inspector": cls.inspector,
            "coordinator": cls.coordinator,
            "leader": cls.leader,
            "manager": cls.manager,
            "employee": cls.employee,
            "portal": cls.portal,
        }
        # the party addon's roles, when it is installed beside this one
        for role in ("member", "secretary", "committee"):
            if group := cls.env.ref(
                f"party_branch_linkage.party_branch_linkage_group_{role}", raise_if_not_found=False
            ):
                cls.roles[role] = new_test_user(
                    cls.env, login=f"t_party_{role}", groups=group.get_external_id()[group.id]
                )

    # helpers

    def _failing(self, unit=None, source="patrol", user=None, failures=1):
        user = user or (self.inspector if source == "patrol" else self.liaison)
        inspection = self._inspection(unit or self.own_unit, source=source, user=user)
        for line in inspection.line_ids[:failures]:
            line.with_user(user).score = 0
        return inspection

    def _rectification(self, unit=None):
        inspection = self._failing(unit)
        inspection.with_user(self.inspector).action_done()
        return after_photo(inspection.rectification_ids)

    def _period(self, month=date(2020, 1, 1)):
        return self.env["garbage.assessment.period"].create({"date_start": month})

    def _samples(self):
        """One record of each guarded model of this addon, the ones a role would attack."""
        env = self.env
        period = self._period()
        rule = env.ref("garbage_sorting.garbage_obligation_rule_self_inspection")
        inspection = self._failing()
        rectification = self._rectification()
        escalation = env["garbage.escalation"].create(
            {"unit_id": self.own_unit.id, "period_id": period.id, "level": "2", "responsible_id": self.leader.id}
        )
        return {
            "garbage.unit": self.own_unit,
            "garbage.inspection": inspection,
            "garbage.inspection.line": inspection.line_ids[0],
            "garbage.rectification": rectification,
            "garbage.work.plan": env["garbage.work.plan"].create({"unit_id": self.own_unit.id, "year": 2026}),
            "garbage.escalation": escalation,
            "garbage.obligation": env["garbage.obligation"].create(
                {
                    "rule_id": rule.id,
                    "unit_id": self.own_unit.id,
                    "date_start": date(2020, 1, 1),
                    "date_end": date(2020, 1, 31),
                    "expected": 1,
                }
            ),
            "garbage.assessment": env["garbage.assessment"].create(
                {"period_id": period.id, "unit_id": self.own_unit.id}
            ),
            "garbage.unit.annual": env["garbage.unit.annual"].create({"unit_id": self.own_unit.id, "year": 2020}),
            "garbage.assessment.period": period,
            "garbage.bin.site": env["garbage.bin.site"].create({"name": "Kiosk", "unit_id": self.own_unit.id}),
            "garbage.mutual.round": env["garbage.mutual.round"].create({"date": date(2026, 1, 5)}),
        }

    # the declaration, as each role

    def test_guarded_fields_refused_to_every_role_not_listed(self):
        samples = self._samples()
        for model, record in samples.items():
            guarded = record._guarded_fields()
            self.assertTrue(set(guarded) <= set(record._fields), model)
            if "state" in record._fields:
                self.assertEqual(guarded["state"], (), f"{model}: states move only through actions")
            for role, user in self.roles.items():
                for name, groups in guarded.items():
                    if any(user.has_group(group) for group in groups):
                        continue
                    value = _other_value(record, name)
                    if value is None:
                        continue
                    before = record.sudo()[name]
                    with (
                        self.subTest(model=model, role=role, field=name),
                        self.assertRaises(REFUSED),
                        self.env.cr.savepoint(),
                        mute_logger("odoo.models", "odoo.models.unlink"),
                    ):
                        record.with_user(user).write({name: value})
                    record.invalidate_recordset()
                    self.assertEqual(record.sudo()[name], before, f"{model}.{name} changed by {role}")

    def test_guard_readonly_fields_follow_the_declaration(self):
        unit = self.own_unit.with_user(self.liaison)
        self.assertIn("code", unit.guard_readonly_fields)
        self.assertNotIn("street", unit.guard_readonly_fields)
        self.assertEqual(
            self.own_unit.with_user(self.manager).guard_readonly_fields,
            ["company_id", "peer_group", "annual_ids", "assessment_ids"],
        )
        inspection = self._inspection(self.own_unit, user=self.liaison).with_user(self.liaison)
        self.assertTrue({"score", "state", "unit_id", "template_id"} <= set(inspection.guard_readonly_fields))
        # a new inspection's unit and checklist are still the creator's to choose
        new = self.env["garbage.inspection"].with_user(self.liaison).new({})
        self.assertNotIn("unit_id", new.guard_readonly_fields)
        self.assertIn("score", new.guard_readonly_fields)
        # ... and the form of a new record gets the same list from its first onchange, as the web client asks it
        spec = {"display_name": {}, "unit_id": {}, "score": {}, "guard_readonly_fields": {}}
        values = self.env["garbage.inspection"].with_user(self.liaison).onchange({}, [], spec)["value"]
        self.assertIn("score", values["guard_readonly_fields"])
        self.assertNotIn("unit_id", values["guard_readonly_fields"])

    def test_forms_are_readonly_where_the_model_refuses(self):
        with Form(self.own_unit.with_user(self.liaison)) as form:
            form.street = "Group 9"
            for name in ("code", "unit_type", "superior_partner_id", "leader_id", "liaison_id"):
                with self.subTest(field=name), self.assertRaises(AssertionError):
                    setattr(form, name, False)
        self.assertEqual(self.own_unit.street, "Group 9")
        with Form(self.own_unit.with_user(self.manager)) as form:
            form.code = "T-OWN9"
        self.assertEqual(self.own_unit.code, "T-OWN9")
        # a new inspection's unit is the creator's to choose, a saved one's is not
        form = Form(self.env["garbage.inspection"].with_user(self.liaison))
        form.unit_id = self.own_unit
        form.template_id = self.template
        inspection = form.save()
        with Form(inspection.with_user(self.liaison)) as form, self.assertRaises(AssertionError):
            form.unit_id = self.other_unit
        rectification = self._rectification()
        with Form(rectification.with_user(self.liaison)) as form:
            for name in ("deadline", "name", "reject_reason"):
                with self.subTest(field=name), self.assertRaises(AssertionError):
                    setattr(form, name, False)

    # 1. what places a unit in the assessment

    def test_liaison_cannot_move_own_unit_in_the_assessment(self):
        unit = self.own_unit.with_user(self.liaison)
        attacks = {
            "active": False,
            "unit_type": "agency",
            "superior_partner_id": self.liaison.partner_id.id,
            "user_ids": [(4, self.other_liaison.id)],
            "code": "MINE",
            "leader_id": self.liaison.partner_id.id,
            "liaison_id": False,
            "is_key_enterprise": True,
        }
        for name, value in attacks.items():
            with self.subTest(field=name), self.assertRaises(AccessError):
                unit.write({name: value})
        with self.assertRaises(AccessError):
            unit.action_archive()
        with self.assertRaises(AccessError):
            unit.unlink()
        self.own_unit.invalidate_recordset()
        self.assertRecordValues(
            self.own_unit,
            [
                {
                    "active": True,
                    "unit_type": "village",
                    "peer_group": "village_community",
                    "superior_partner_id": False,
                    "user_ids": self.liaison.ids,
                    "code": "T-OWN",
                    "liaison_id": self.liaison.partner_id.id,
                }
            ],
        )
        # everything else stays the liaison's
        unit.write({"street": "Group 3", "note": "<p>Bins moved</p>", "latitude": 30.1, "longitude": 120.2, "color": 3})
        self.assertEqual(self.own_unit.street, "Group 3")

    def test_task_force_places_units_and_archives_them(self):
        unit = self.own_unit.with_user(self.manager)
        unit.write({"unit_type": "community", "code": "T-OWN2", "superior_partner_id": self.manager.partner_id.id})
        self.assertEqual(self.own_unit.peer_group, "village_community")
        self.assertIs(unit.action_archive(), True)
        self.assertFalse(self.own_unit.active)
        self.assertIs(unit.action_unarchive(), True)
        self.assertTrue(self.own_unit.active)
        for user in (self.liaison, self.inspector, self.leader):
            with self.assertRaises(AccessError):
                self.env["garbage.unit"].with_user(user).create({"name": "New", "code": "N-1", "unit_type": "village"})

    def test_unit_with_history_is_archived_not_deleted(self):
        self._rectification()
        with self.assertRaises(UserError):
            self.own_unit.with_user(self.manager).unlink()
        self.assertTrue(self.own_unit.exists())
        blank = self.env["garbage.unit"].create({"name": "Blank", "code": "T-BLANK", "unit_type": "village"})
        self.env["garbage.obligation"].search([("unit_id", "=", blank.id)]).sudo().unlink()
        blank.with_user(self.manager).unlink()
        self.assertFalse(blank.exists())

    # 2. computed and engine-owned values

    def test_liaison_cannot_score_a_failed_self_inspection_100(self):
        inspection = self._inspection(self.own_unit, user=self.liaison)
        inspection.line_ids.with_user(self.liaison).write({"score": 0})
        self.assertEqual(inspection.score, 0)
        as_liaison = inspection.with_user(self.liaison)
        for vals in ({"score": 100}, {"score": 100, "note": "<p>fine</p>"}, {"state": "done"}):
            with self.assertRaises(AccessError):
                as_liaison.write(vals)
        # nor by inflating the checklist: a bigger maximum, an extra or a repeated check, a removed check
        line = inspection.line_ids[0]
        with self.assertRaises(AccessError):
            line.with_user(self.liaison).write({"max_score": 0.0})
        Line = self.env["garbage.inspection.line"].with_user(self.liaison)
        with self.assertRaises(AccessError):
            Line.create({"inspection_id": inspection.id, "name": "Extra", "max_score": 1000, "score": 1000})
        with self.assertRaises(AccessError):
            Line.create({"inspection_id": inspection.id, "item_id": line.item_id.id, "score": 100})
        with self.assertRaises(AccessError):
            line.with_user(self.liaison).unlink()
        with self.assertRaises(AccessError):
            as_liaison.write({"line_ids": [(2, line.id)]})
        inspection.invalidate_recordset()
        self.assertEqual(inspection.score, 0)
        self.assertEqual(len(inspection.line_ids), len(self.template.item_ids))
        # the stored score is the computed one
        maximum = sum(inspection.line_ids.mapped("max_score"))
        self.assertEqual(inspection.score, round(100.0 * sum(inspection.line_ids.mapped("score")) / maximum, 2))
        self.assertIs(as_liaison.action_done(), True)
        self.assertEqual(inspection.state, "done")
        self.assertEqual(inspection.score, 0)
        self.assertEqual(len(inspection.rectification_ids), len(self.template.item_ids))

    def test_liaison_creates_checks_only_from_the_checklist(self):
        inspection = self._inspection(self.own_unit, user=self.liaison)
        missing = inspection.line_ids[-1]
        item = missing.item_id
        missing.sudo().unlink()  # as the task force
        with self.assertRaises(UserError):
            inspection.with_user(self.liaison).action_done()
        line = (
            self.env["garbage.inspection.line"]
            .with_user(self.liaison)
            .create({"inspection_id": inspection.id, "item_id": item.id, "max_score": 1000, "name": "Easy", "score": 1})
        )
        self.assertEqual((line.max_score, line.name), (item.max_score, item.name))
        self.assertIs(inspection.with_user(self.liaison).action_done(), True)

    def test_liaison_cannot_move_rectification_deadline_or_unit(self):
        rectification = self._rectification()
        other_inspection = self._failing(self.other_unit)
        own = rectification.with_user(self.liaison)
        before = rectification.read(["deadline", "inspection_id", "unit_id", "is_overdue", "name"])[0]
        attacks = [
            {"deadline": date(2099, 1, 1)},
            {"inspection_id": other_inspection.id},
            {"unit_id": self.other_unit.id},
            {"inspection_line_id": other_inspection.line_ids[0].id},
            {"is_overdue": True},
            {"date_verified": date.today()},
            {"name": "Nothing found"},
            {"state": "verified"},
        ]
        for vals in attacks:
            with self.subTest(vals=vals), self.assertRaises(AccessError):
                own.write(vals)
        # not even the task force writes a deadline directly: it extends it, with a reason
        with self.assertRaises(AccessError):
            rectification.with_user(self.manager).write({"deadline": date(2099, 1, 1)})
        self.assertEqual(rectification.read(list(before))[0], before)
        # nor through the inspection
        with self.assertRaises(AccessError):
            other_inspection.with_user(self.manager).write({"rectification_ids": [(4, rectification.id)]})
        self.assertEqual(rectification.inspection_id.unit_id, self.own_unit)

    def test_nobody_writes_obligations_results_or_annual_records(self):
        samples = self._samples()
        for model, vals in (
            ("garbage.obligation", {"done": 9, "state": "met"}),
            ("garbage.obligation", {"reminded": True}),
            ("garbage.assessment", {"score": 100, "result": "red", "red_flag": True}),
            ("garbage.unit.annual", {"recommended": True, "veto": False}),
        ):
            record = samples[model]
            for user in (self.liaison, self.leader, self.manager):
                with self.subTest(model=model, user=user.login), self.assertRaises(AccessError):
                    record.with_user(user).write(vals)
                with self.assertRaises(REFUSED):
                    record.with_user(user).unlink()
            self.assertTrue(record.exists())
        self.assertEqual(samples["garbage.obligation"].done, 0)
        self.assertEqual(samples["garbage.assessment"].result, "none")
        with self.assertRaises(AccessError):
            self.env["garbage.assessment"].with_user(self.manager).create(
                {"period_id": samples["garbage.assessment.period"].id, "unit_id": self.other_unit.id, "result": "red"}
            )

    # 3. the deadline extension

    def test_task_force_extends_deadline_with_reason_in_chatter(self):
        with freeze_time(date.today() - timedelta(days=20)):
            rectification = self._rectification()
        self.env["garbage.rectification"]._cron_mark_overdue()
        self.assertTrue(rectification.is_overdue)
        old_deadline = rectification.deadline
        new_deadline = date.today() + timedelta(days=10)
        Wizard = self.env["garbage.rectification.deadline.wizard"]
        for user in (self.liaison, self.inspector, self.leader):
            with self.assertRaises(AccessError):
                rectification.with_user(user).action_extend_deadline(new_deadline, "More time")
            with self.assertRaises(AccessError):
                Wizard.with_user(user).create(
                    {"rectification_id": rectification.id, "new_deadline": new_deadline, "reason": "x"}
                )
        as_manager = rectification.with_user(self.manager)
        with self.assertRaises(ValidationError):
            as_manager.action_extend_deadline(old_deadline - timedelta(days=1), "Earlier")
        with self.assertRaises(ValidationError):
            as_manager.action_extend_deadline(old_deadline, "Same day")
        for bad_deadline, bad_reason in (
            (new_deadline, "  "),
            (new_deadline, 42),
            (new_deadline, "x" * 2001),
            ("not a date", "More time"),
            (False, "More time"),
        ):
            with self.assertRaises(ValidationError):
                as_manager.action_extend_deadline(bad_deadline, bad_reason)
        self.assertEqual(rectification.deadline, old_deadline)
        wizard = Wizard.with_user(self.manager).create(
            {"rectification_id": rectification.id, "new_deadline": new_deadline, "reason": "Bins on order"}
        )
        self.assertEqual(wizard.current_deadline, old_deadline)
        self.assertEqual(wizard.action_extend(), {"type": "ir.actions.act_window_close"})
        self.assertEqual(rectification.deadline, new_deadline)
        self.assertFalse(rectification.is_overdue)
        self.assertIn("Bins on order", rectification.message_ids[0].body)
        self.env.cr.flush()
        self.env.invalidate_all()
        tracked = rectification.sudo().message_ids.tracking_value_ids.field_id.mapped("name")
        self.assertIn("deadline", tracked)

    def test_deadline_message_is_in_the_company_language(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env.company.partner_id.lang = "zh_CN"
        rectification = self._rectification()
        self.manager.lang = "en_US"
        # the term as zh_CN.po has it (read at runtime once the .pot lists the term)
        msgid = "Deadline extended to %(deadline)s by the task force: %(reason)s"
        chinese = {
            **code_translations.get_python_translations("garbage_sorting", "zh_CN"),
            msgid: "镇专班将期限延长至%(deadline)s：%(reason)s",
        }
        with patch.dict(code_translations.python_translations, {("garbage_sorting", "zh_CN"): chinese}):
            rectification.with_user(self.manager).action_extend_deadline(
                rectification.deadline + timedelta(days=3), "原因"
            )
        body = rectification.message_ids[0].body
        self.assertIn("原因", body)
        self.assertNotIn("Deadline extended", body)

    # 4. states move only through their actions

    def test_state_writes_refused_for_every_role(self):
        samples = self._samples()
        states = {
            "garbage.inspection": "done",
            "garbage.rectification": "verified",
            "garbage.work.plan": "approved",
            "garbage.escalation": "done",
            "garbage.assessment.period": "published",
        }
        for model, state in states.items():
            record = samples[model]
            before = record.state
            for role, user in self.roles.items():
                with self.subTest(model=model, role=role), self.assertRaises(REFUSED):
                    record.with_user(user).write({"state": state})
            self.assertEqual(record.state, before)

    def test_context_defaults_cannot_set_a_guarded_field(self):
        """RPC callers choose their context: a `default_state` is a value like any other."""
        Plan = self.env["garbage.work.plan"].with_user(self.liaison)
        plan = Plan.with_context(default_state="approved", default_approved_by_id=self.liaison.id).create(
            {"unit_id": self.own_unit.id, "year": 2031}
        )
        self.assertEqual(plan.state, "draft")
        self.assertFalse(plan.approved_by_id)
        # what the liaison may set still comes from the context (the unit's smart button sets the unit)
        plan = Plan.with_context(default_unit_id=self.own_unit.id).create({"year": 2032})
        self.assertEqual(plan.unit_id, self.own_unit)

    def test_failing_inspection_closes_only_through_its_action(self):
        inspection = self._failing(failures=2)
        for user in (self.inspector, self.manager):
            with self.assertRaises(AccessError):
                inspection.with_user(user).write({"state": "done"})
        self.assertEqual(inspection.state, "draft")
        self.assertFalse(inspection.rectification_ids)
        # not the inspected unit, another inspector, a leader or a coordinator
        other_inspector = new_test_user(self.env, login="t_inspector2", groups=GROUP + "inspector")
        for user in (self.liaison, other_inspector, self.leader, self.coordinator):
            with self.assertRaises(AccessError):
                inspection.with_user(user).action_done()
        self.assertIs(inspection.with_user(self.inspector).action_done(), True)
        self.assertEqual(len(inspection.rectification_ids), 2)
        # done is final for everybody but the task force, and never deleted
        with self.assertRaises(AccessError):
            inspection.with_user(self.inspector).action_reset_to_draft()
        with self.assertRaises(UserError):
            inspection.with_user(self.manager).unlink()
        self.assertIs(inspection.with_user(self.manager).action_reset_to_draft(), True)
        self.assertIs(inspection.with_user(self.inspector).action_done(), True)

    def test_mutual_inspection_closed_by_its_inspecting_unit(self):
        mutual = self._inspection(
            self.other_unit, source="mutual", user=self.manager, inspecting_unit_id=self.own_unit.id
        )
        with self.assertRaises(AccessError):
            mutual.with_user(self.other_liaison).action_done()
        # the inspecting unit cannot turn the inspection onto another unit
        with self.assertRaises(AccessError):
            mutual.with_user(self.liaison).write({"unit_id": self.agency.id})
        with self.assertRaises(AccessError):
            mutual.with_user(self.liaison).write({"source": "self"})
        self.assertIs(mutual.with_user(self.liaison).action_done(), True)
        self.assertEqual((mutual.unit_id, mutual.state), (self.other_unit, "done"))

    def test_inspector_cannot_verify_an_open_rectification(self):
        rectification = self._rectification()
        inspector = rectification.with_user(self.inspector)
        with self.assertRaises(AccessError):
            inspector.write({"state": "verified", "date_verified": date.today()})
        with self.assertRaises(UserError):
            inspector.action_verify()
        self.assertRecordValues(rectification, [{"state": "open", "date_verified": False}])
        # an inspector does not hand in the unit's work either
        with self.assertRaises(AccessError):
            inspector.action_submit()
        self.assertIs(rectification.with_user(self.liaison).action_submit(), True)
        with self.assertRaises(AccessError):
            rectification.with_user(self.liaison).action_verify()
        with self.assertRaises(UserError):
            inspector.action_reject()
        self.assertIs(inspector.action_reject(reason="Still mixed"), True)
        self.assertRecordValues(rectification, [{"state": "open", "reject_reason": "Still mixed"}])
        rectification.with_user(self.liaison).action_submit()
        self.assertIs(inspector.action_verify(), True)
        self.assertEqual(rectification.state, "verified")
        with self.assertRaises(UserError):
            rectification.with_user(self.manager).unlink()

    def test_nobody_rechecks_a_unit_they_act_for(self):
        rectification = self._rectification()
        self.inspector.groups_id = [(4, self.env.ref(GROUP + "liaison").id)]
        self.own_unit.user_ids = [(4, self.inspector.id)]
        rectification.with_user(self.liaison).action_submit()
        with self.assertRaises(AccessError):
            rectification.with_user(self.inspector).action_verify()
        self.assertEqual(rectification.state, "submitted")

    def test_nobody_inspects_a_unit_they_act_for(self):
        self.inspector.groups_id = [(4, self.env.ref(GROUP + "liaison").id)]
        self.own_unit.user_ids = [(4, self.inspector.id)]
        before = self.env["garbage.inspection"].search_count([])
        with self.assertRaises(AccessError):
            self._inspection(self.own_unit, source="patrol", user=self.inspector)
        self.assertEqual(self.env["garbage.inspection"].search_count([]), before)
        # a patrol recorded before the inspector joined the unit is not closed by them either
        patrol = self._inspection(self.other_unit, source="patrol", user=self.inspector)
        self.other_unit.user_ids = [(4, self.inspector.id)]
        with self.assertRaises(AccessError):
            patrol.with_user(self.inspector).action_done()
        self.assertEqual(patrol.state, "draft")
        # nor the inspecting unit's liaison who also acts for the inspected unit
        mutual = self._inspection(self.agency, source="mutual", user=self.manager, inspecting_unit_id=self.own_unit.id)
        self.agency.user_ids = [(4, self.liaison.id)]
        with self.assertRaises(AccessError):
            mutual.with_user(self.liaison).action_done()
        self.assertIs(
            self._inspection(self.own_unit, user=self.inspector).with_user(self.inspector).action_done(), True
        )

    def test_work_plan_states(self):
        plan = self.env["garbage.work.plan"].with_user(self.liaison).create({"unit_id": self.own_unit.id, "year": 2026})
        for vals in ({"state": "approved"}, {"approved_by_id": self.liaison.id}, {"unit_id": self.other_unit.id}):
            with self.assertRaises(AccessError):
                plan.with_user(self.liaison).write(vals)
        self.assertIs(plan.with_user(self.liaison).action_submit(), True)
        self.assertIs(plan.with_user(self.liaison).action_reset_to_draft(), True)
        self.assertIs(plan.with_user(self.liaison).action_submit(), True)
        with self.assertRaises(AccessError):
            plan.with_user(self.leader).action_approve()
        self.assertIs(plan.with_user(self.manager).action_approve(), True)
        self.assertRecordValues(plan, [{"state": "approved", "approved_by_id": self.manager.id}])
        with self.assertRaises(UserError):
            plan.with_user(self.manager).unlink()
        with self.assertRaises(AccessError):
            plan.with_user(self.liaison).action_reset_to_draft()
        self.assertIs(plan.with_user(self.manager).action_reset_to_draft(), True)

    def test_escalation_outcome_by_its_responsible_only(self):
        escalation = self._samples()["garbage.escalation"]
        other_leader = new_test_user(self.env, login="t_leader2", groups=GROUP + "leader")
        with self.assertRaises(AccessError):
            escalation.with_user(other_leader).write({"outcome": "<p>Done</p>"})
        with self.assertRaises(AccessError):
            escalation.with_user(other_leader).action_done()
        for vals in ({"responsible_id": other_leader.id}, {"date_deadline": date(2099, 1, 1)}, {"level": "1"}):
            with self.assertRaises(AccessError):
                escalation.with_user(self.leader).write(vals)
        with self.assertRaises(UserError):
            escalation.with_user(self.leader).action_done()  # no outcome yet
        escalation.with_user(self.leader).write({"outcome": "<p>Interview held</p>"})
        with self.assertRaises(UserError):
            escalation.with_user(self.leader).action_done()  # an interview with no meeting held nor reason
        escalation.with_user(self.leader).write({"close_reason": "Interviewed at the county's meeting."})
        self.assertIs(escalation.with_user(self.leader).action_done(), True)
        self.assertEqual(escalation.state, "done")
        with self.assertRaises(UserError):
            escalation.with_user(self.leader).write({"outcome": "<p>Rewritten</p>"})
        with self.assertRaises(UserError):
            escalation.with_user(self.manager).unlink()
        # the task force reassigns an open one
        reopened = escalation.copy({"state": "open"})
        reopened.with_user(self.manager).write({"responsible_id": other_leader.id, "date_deadline": date(2099, 1, 1)})
        self.assertEqual(reopened.responsible_id, other_leader)

    def test_period_moves_only_through_its_actions(self):
        period = self._period()
        Period = period.with_user(self.manager)
        for vals in ({"state": "published"}, {"date_published": fields.Datetime.now()}, {"line_ids": [(5, 0, 0)]}):
            with self.assertRaises(AccessError):
                Period.write(vals)
        period.sudo().write({"state": "published"})
        # a context key opens nothing (only the engine, in sudo, with it)
        with self.assertRaises(UserError):
            Period.with_context(garbage_assessment_unlock=True).write({"date_start": date(2020, 2, 1)})
        with self.assertRaises(UserError):
            Period.unlink()
        self.assertEqual((period.state, period.date_start), ("published", date(2020, 1, 1)))

    # 5. history is kept

    def test_history_is_never_deleted(self):
        samples = self._samples()
        inspection = samples["garbage.inspection"]
        inspection.with_user(self.inspector).action_done()
        for record in (inspection, samples["garbage.escalation"], samples["garbage.unit.annual"]):
            for user in (self.manager, self.liaison):
                with self.subTest(model=record._name, user=user.login), self.assertRaises(REFUSED):
                    record.with_user(user).unlink()
            self.assertTrue(record.exists())


@tagged("post_install", "-at_install")
class TestGuardsRpc(HttpCase):
    """Callers over XML-RPC get an answer (never None) and the same refusals."""

    def test_actions_answer_over_xmlrpc(self):
        manager = new_test_user(self.env, login="t_rpc_manager", groups=GROUP + "manager")
        liaison = new_test_user(self.env, login="t_rpc_liaison", groups=GROUP + "liaison")
        unit = self.env["garbage.unit"].create(
            {"name": "RPC Village", "code": "T-RPC", "unit_type": "village", "user_ids": [(4, liaison.id)]}
        )

        def call(user, model, method, *args, **kwargs):
            return self.xmlrpc_object.execute_kw(
                self.env.cr.dbname, user.id, user.login, model, method, list(args), kwargs
            )

        self.assertIs(call(manager, "garbage.unit", "action_archive", unit.ids), True)
        self.assertIs(call(manager, "garbage.unit", "action_unarchive", unit.ids), True)
        with self.assertRaises(xmlrpclib.Fault), mute_logger("odoo.http"):
            call(liaison, "garbage.unit", "write", unit.ids, {"code": "MINE"})
        self.assertEqual(unit.code, "T-RPC")
        template = self.env.ref("garbage_sorting.garbage_inspection_template_standard")
        inspection_id = call(
            liaison, "garbage.inspection", "create", {"unit_id": unit.id, "source": "self", "template_id": template.id}
        )
        self.assertIs(call(liaison, "garbage.inspection", "action_done", [inspection_id]), True)
        plan_id = call(liaison, "garbage.work.plan", "create", {"unit_id": unit.id, "year": 2026})
        self.assertIs(call(liaison, "garbage.work.plan", "action_submit", [plan_id]), True)
        self.assertIs(call(manager, "garbage.work.plan", "action_approve", [plan_id]), True)

    def test_guarded_forms_open_in_the_web_client(self):
        """The readonly expressions and button conditions evaluate in the browser (py.js) for each role."""
        liaison = new_test_user(self.env, login="t_web_liaison", groups=GROUP + "liaison")
        manager = new_test_user(self.env, login="t_web_manager", groups=GROUP + "manager")
        inspector = new_test_user(self.env, login="t_web_inspector", groups=GROUP + "inspector")
        unit = self.env["garbage.unit"].create(
            {"name": "Web Village", "code": "T-WEB", "unit_type": "village", "user_ids": [(4, liaison.id)]}
        )
        template = self.env.ref("garbage_sorting.garbage_inspection_template_standard")
        inspection = (
            self.env["garbage.inspection"]
            .with_user(inspector)
            .create({"unit_id": unit.id, "source": "patrol", "template_id": template.id})
        )
        inspection.line_ids[0].with_user(inspector).score = 0
        inspection.with_user(inspector).action_done()
        plan = self.env["garbage.work.plan"].create({"unit_id": unit.id, "year": 2026})
        code = """
            const ready = () => document.querySelector(".o_form_view .o_form_sheet .o_field_widget");
            const timer = setInterval(() => {
                if (ready()) {
                    clearInterval(timer);
                    console.log("test successful");
                }
            }, 100);
        """
        records = [
            ("garbage.unit", unit),
            ("garbage.inspection", inspection),
            ("garbage.rectification", inspection.rectification_ids[:1]),
            ("garbage.work.plan", plan),
        ]
        for user in (liaison, manager):
            for model, record in records:
                with self.subTest(user=user.login, model=model):
                    self.browser_js(f"/odoo/{model}/{record.id}", code, login=user.login, timeout=60)
