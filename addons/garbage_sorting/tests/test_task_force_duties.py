import importlib.util
import io
from datetime import date
from pathlib import Path

import openpyxl
from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import HttpCase, new_test_user, tagged

from .common import AssessmentCase, month
from .web_client import WebClientMixin

MIGRATION = Path(__file__).resolve().parents[1] / "migrations" / "18.0.1.3.0" / "post-task-force-duties.py"


@tagged("post_install", "-at_install")
class TestTaskForceDuties(AssessmentCase):
    """The task force organises the mutual rounds (镇专班每两月组织一次互学互查): its own obligation. A unit is charged
    only for its own part of a confirmed round: the inspection it skipped, or the one it refused."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.rule = cls.env.ref("garbage_sorting.garbage_obligation_rule_mutual_inspection")
        cls.rule.action_unarchive()
        cls.Obligation = cls.env["garbage.obligation"]
        cls.Round = cls.env["garbage.mutual.round"]
        cls.a, cls.b, cls.c = cls._units(3, "village")
        cls.a.user_ids = cls.liaison  # the liaison of A, the unit that inspects B
        cls.b_liaison = new_test_user(
            cls.env, login="gs_b_liaison", groups="garbage_sorting.garbage_sorting_group_liaison"
        )
        cls.b.user_ids = cls.b_liaison
        cls.inspector = new_test_user(
            cls.env, login="gs_td_inspector", groups="garbage_sorting.garbage_sorting_group_inspector"
        )

    def _round(self, day, pairs):
        """A round organised and confirmed by the task force: its draft mutual inspections, by pair."""
        mutual_round = self.Round.with_user(self.manager).create(
            {
                "date": day,
                "pair_ids": [
                    (0, 0, {"inspecting_unit_id": inspecting.id, "unit_id": inspected.id})
                    for inspecting, inspected in pairs
                ],
            }
        )
        mutual_round.with_user(self.manager).action_confirm()
        return {
            (inspection.inspecting_unit_id, inspection.unit_id): inspection
            for inspection in mutual_round.inspection_ids
        }

    def _task_force_obligation(self, day):
        obligation = self.Obligation._sync(day, self.rule)
        self.assertEqual(len(obligation), 1, "one obligation a period, the task force's")
        return obligation

    def _assessed(self, day):
        """Every unit inspected by the town and itself in the month, so that each is assessed."""
        self._inspect([(unit, source, day, 90) for unit in (self.a, self.b, self.c) for source in ("patrol", "self")])

    def _compute(self, day):
        period = self.Period.create({"date_start": day.replace(day=1)})
        period.action_compute()
        return period

    @freeze_time("2025-05-10")
    def test_the_round_is_the_task_forces_obligation_and_no_unit_pays_for_a_missing_one(self):
        jan_feb = self._task_force_obligation(date(2025, 1, 5))
        self.assertTrue(jan_feb.is_task_force)
        self.assertFalse(jan_feb.unit_id)
        self.assertEqual(
            (jan_feb.date_start, jan_feb.date_end, jan_feb.state), (date(2025, 1, 1), date(2025, 2, 28), "missed")
        )
        self.assertEqual(jan_feb._get_reminder_user(), self.manager, "the task-force head is reminded")
        # No round reached the units in January-February: none of them loses a point for it.
        self._assessed(date(2025, 2, 10))
        february = self._compute(date(2025, 2, 1))
        for unit in (self.a, self.b, self.c):
            line = self._line(february, unit)
            self.assertEqual((line.missed_count, line.skipped_count, line.penalty, line.score), (0, 0, 0, 90))
            self.assertFalse(line.deductions)
        # A confirmed round in March-April meets it; a draft one does not count.
        draft = self.Round.with_user(self.manager).create({"date": date(2025, 3, 1)})
        self.assertEqual(self._task_force_obligation(date(2025, 3, 5)).done, 0)
        draft.unlink()
        self._round(date(2025, 3, 1), [(self.a, self.b), (self.b, self.c), (self.c, self.a)])
        mar_apr = self._task_force_obligation(date(2025, 3, 5))
        self.assertEqual((mar_apr.done, mar_apr.state), (1, "met"))
        # Running the count again changes nothing.
        self.assertEqual(self._task_force_obligation(date(2025, 3, 5)), mar_apr)
        # Who sees it: the town leaders and the task force; a unit's liaison does not (not theirs).
        spring = [("is_task_force", "=", True), ("rule_id", "=", self.rule.id), ("date_end", "<=", "2025-04-30")]
        self.assertEqual(self.Obligation.with_user(self.leader).search(spring), jan_feb | mar_apr)
        self.assertFalse(self.Obligation.with_user(self.liaison).search([("is_task_force", "=", True)]))
        # A rule that has obligations keeps its subject (the task force archives it and makes a new rule).
        with self.assertRaises(UserError):
            self.rule.with_user(self.manager).write({"subject": "unit", "unit_field": "id"})
        # Nobody writes it, the task force included: the engine counts it.
        with self.assertRaises(AccessError):
            mar_apr.with_user(self.manager).write({"state": "missed"})
        with self.assertRaises(AccessError):
            self.Obligation.with_user(self.manager).create(
                {
                    "rule_id": self.rule.id,
                    "is_task_force": True,
                    "date_start": date(2025, 5, 1),
                    "date_end": date(2025, 6, 30),
                    "expected": 1,
                }
            )

    @freeze_time("2025-04-25")
    def test_a_short_round_reminds_the_task_force_head_never_a_liaison(self):
        self.env.company.partner_id.lang = "en_US"
        obligation = self._task_force_obligation(date(2025, 4, 25))
        self.Obligation._remind(obligation)
        self.assertEqual(obligation.activity_ids.user_id, self.manager)
        self.assertIn("Task Force", obligation.activity_ids.note)
        self.assertFalse(
            self.env["mail.activity"].search(
                [("res_model", "=", "garbage.obligation"), ("user_id", "in", (self.liaison | self.b_liaison).ids)]
            )
        )

    def test_a_skipped_part_of_a_confirmed_round_charges_the_inspecting_unit_after_the_two_months(self):
        with freeze_time("2025-03-02"):
            inspections = self._round(date(2025, 3, 1), [(self.a, self.b), (self.b, self.c), (self.c, self.a)])
        with freeze_time("2025-03-20"):
            done = inspections[(self.b, self.c)].with_user(self.manager)
            done.write({"date": date(2025, 3, 20)})
            done.action_done()
        with freeze_time("2025-05-02"):
            late = inspections[(self.c, self.a)].with_user(self.manager)
            late.write({"date": date(2025, 5, 2)})  # after the round's two months: too late
            late.action_done()
        # A (inspecting B) never did its part.
        with freeze_time("2025-04-20"):
            self._assessed(date(2025, 4, 10))
            april = self._compute(date(2025, 4, 1))
            self.assertFalse(self._line(april, self.a).skipped_count, "not skipped before the two months are over")
        with freeze_time("2025-05-10"):
            self._assessed(date(2025, 3, 10))
            march = self._compute(date(2025, 3, 1))
            april.action_compute()
        self.assertFalse(sum(march.line_ids.mapped("skipped_count")), "charged in the period's last month only")
        line_a, line_b, line_c = (self._line(april, unit) for unit in (self.a, self.b, self.c))
        self.assertEqual((line_a.skipped_count, line_a.penalty, line_a.score), (1, 5, 85))
        self.assertEqual(
            line_a.deductions,
            f"Mutual inspection {inspections[(self.a, self.b)].name} of {self.b.name} not done by 2025-04-30",
        )
        self.assertEqual((line_b.skipped_count, line_b.penalty), (0, 0), "the inspected unit pays for nothing")
        self.assertFalse(line_b.deductions)
        self.assertEqual(line_c.skipped_count, 1, "done after the two months: skipped all the same")
        # The reason is stored in the town's language, whatever language the task force computes in.
        self.env.company.partner_id.lang = "zh_CN"
        self.env["res.lang"]._activate_lang("zh_CN")
        april.with_user(self.manager).with_context(lang="en_US").action_compute()
        self.assertIn("互查", self._line(april, self.a).deductions)

    def test_a_round_confirmed_too_late_charges_nobody(self):
        """The task force confirmed the March-April round only in May: the units had no time, nobody pays."""
        with freeze_time("2025-05-03"):
            inspections = self._round(date(2025, 3, 1), [(self.a, self.b), (self.b, self.a)])
        self.assertEqual(inspections[(self.a, self.b)].mutual_round_id.date_confirmed, date(2025, 5, 3))
        with freeze_time("2025-05-10"):
            self._assessed(date(2025, 4, 10))
            april = self._compute(date(2025, 4, 1))
        self.assertFalse(sum(april.line_ids.mapped("skipped_count")))
        # nobody sets the day of confirmation by hand
        with self.assertRaises(AccessError):
            inspections[(self.a, self.b)].mutual_round_id.with_user(self.manager).write(
                {"date_confirmed": "2025-03-01"}
            )

    def test_refusal_is_recorded_by_the_inspecting_unit_and_charges_the_refusing_unit(self):
        with freeze_time("2025-03-02"):
            inspections = self._round(date(2025, 3, 1), [(self.a, self.b), (self.b, self.c), (self.c, self.a)])
        inspection = inspections[(self.a, self.b)]
        reason = "The village office was locked; the village head refused the inspectors entry."
        with freeze_time("2025-03-15"):
            # The inspected unit does not refuse on its own behalf, nor does anyone else record it.
            for user in (self.b_liaison, self.inspector, self.leader):
                with self.subTest(user=user.login), self.assertRaises(AccessError):
                    inspection.with_user(user).action_refuse(reason)
            # Not by hand, not without a reason.
            for vals in ({"state": "refused"}, {"refusal_reason": reason}, {"refusal_date": "2025-03-01"}):
                with self.subTest(vals=vals), self.assertRaises(AccessError):
                    inspection.with_user(self.liaison).write(vals)
            for empty in ("", "   ", None):
                with self.assertRaises(ValidationError):
                    inspection.with_user(self.liaison).action_refuse(empty)
            with self.assertRaises(ValidationError):
                inspection.with_user(self.liaison).action_refuse("x" * 2001)
            self.assertEqual(inspection.state, "draft")
            # The inspecting unit's liaison records it, through the wizard its form opens.
            wizard = (
                self.env["garbage.inspection.refuse.wizard"]
                .with_user(self.liaison)
                .create({"inspection_id": inspection.id, "reason": reason})
            )
            wizard.action_refuse()
        self.assertEqual(
            (inspection.state, inspection.refusal_reason, inspection.refusal_date),
            ("refused", reason, date(2025, 3, 15)),
        )
        # Refused is final for the units: not done, not changed, not refused again.
        with self.assertRaises(UserError):
            inspection.with_user(self.liaison).action_done()
        with self.assertRaises(UserError):
            inspection.with_user(self.liaison).write({"note": "<p>We came back</p>"})
        with self.assertRaises(UserError):
            inspection.with_user(self.liaison).action_refuse("again")
        # B pays in March (the month of the refusal); A, which could not inspect, pays for nothing in April.
        with freeze_time("2025-05-10"):
            self._assessed(date(2025, 3, 10))
            self._assessed(date(2025, 4, 10))
            for other in (inspections[(self.b, self.c)], inspections[(self.c, self.a)]):
                other.with_user(self.manager).action_done()
            march, april = self._compute(date(2025, 3, 1)), self._compute(date(2025, 4, 1))
        line = self._line(march, self.b)
        self.assertEqual((line.skipped_count, line.penalty, line.score), (1, 5, 85))
        self.assertEqual(line.deductions, f"Refused mutual inspection {inspection.name} by {self.a.name}: {reason}")
        self.assertFalse(self._line(april, self.a).skipped_count)
        self.assertFalse(self._line(march, self.a).skipped_count)
        # Only the task force withdraws a refusal (the inspection is to be made again).
        with self.assertRaises(AccessError):
            inspection.with_user(self.liaison).action_reset_to_draft()
        inspection.with_user(self.manager).action_reset_to_draft()
        self.assertEqual(
            (inspection.state, inspection.refusal_reason, inspection.refusal_date), ("draft", False, False)
        )

    @freeze_time("2025-05-10")
    def test_only_a_mutual_inspection_in_draft_can_be_refused(self):
        own = self._inspection_of(self.a, "self")
        with self.assertRaises(UserError):
            own.with_user(self.manager).action_refuse("No")
        with freeze_time("2025-03-02"):
            inspections = self._round(date(2025, 3, 1), [(self.a, self.b), (self.b, self.a)])
        inspections[(self.a, self.b)].with_user(self.manager).action_done()
        with self.assertRaises(UserError):
            inspections[(self.a, self.b)].with_user(self.manager).action_refuse("Too late")

    def _inspection_of(self, unit, source):
        return self._inspect([(unit, source, date(2025, 5, 2), 90)], state="draft")

    @freeze_time("2025-05-10")
    def test_deductions_list_each_missed_obligation_of_the_units_own(self):
        self_rule = self.env.ref("garbage_sorting.garbage_obligation_rule_self_inspection")
        self._inspect([(unit, "patrol", date(2025, 4, 10), 90) for unit in (self.a, self.b)])
        self._inspect([(self.b, "self", date(2025, 4, 12), 90)])
        # the units' obligations of a rule that became the task force's (as an old database keeps them)
        self.env["garbage.obligation"].create(
            {
                "rule_id": self.rule.id,
                "unit_id": self.a.id,
                "date_start": date(2025, 3, 1),
                "date_end": date(2025, 4, 30),
                "expected": 1,
                "state": "missed",
            }
        )
        april = self._compute(date(2025, 4, 1))
        line = self._line(april, self.a)
        self.assertEqual((line.missed_count, line.penalty), (1, 5), "the self-inspection only, not the old mutual one")
        self.assertEqual(line.deductions, f"Missed: {self_rule.name} (2025-04-01 to 2025-04-30, 0 of 1 done)")
        self.assertFalse(self._line(april, self.b).deductions)

    @freeze_time("2025-05-10")
    def test_bulletin_shows_the_task_forces_obligations_and_the_deductions(self):
        with freeze_time("2025-03-02"):
            inspections = self._round(date(2025, 3, 1), [(self.a, self.b), (self.b, self.a)])
        inspections[(self.b, self.a)].with_user(self.manager).action_done()
        self.Obligation._sync(date(2025, 3, 5), self.rule)
        self._assessed(date(2025, 4, 10))
        april = self._compute(date(2025, 4, 1))
        april.action_publish()
        self.leader.lang = "en_US"
        workbook = openpyxl.load_workbook(
            io.BytesIO(self.env["report.garbage_sorting.monthly_bulletin"].with_user(self.leader)._get_xlsx(april))
        )
        sheets = {sheet.title: sheet for sheet in workbook.worksheets}
        task_force = next(sheet for title, sheet in sheets.items() if title.endswith("Task Force"))
        rows = list(task_force.iter_rows(min_row=3, values_only=True))
        self.assertEqual(rows, [(self.rule.name, "2025-03-01", "2025-04-30", 1, 1, "Met")])
        villages = next(sheet for title, sheet in sheets.items() if "Villages" in title)
        header = [cell.value for cell in villages[2]]
        self.assertEqual(header[-1], "Deductions")
        deductions = {row[1]: row[-1] for row in villages.iter_rows(min_row=3, values_only=True)}
        self.assertIn(inspections[(self.a, self.b)].name, deductions[self.a.name])
        self.assertIsNone(deductions[self.b.name])

    def test_migration_moves_the_rule_to_the_task_force_and_keeps_the_units_history(self):
        inspection_model = self.env["ir.model"]._get_id("garbage.inspection")
        self.rule.with_context(lang="en_US").write(
            {
                "model_id": inspection_model,
                "domain": "[('source', '=', 'mutual'), ('state', '=', 'done')]",
                "date_field": "date",
                "subject": "unit",
                "unit_field": "unit_id",
                "reminder_target": "liaison",
            }
        )
        Obligation = self.env["garbage.obligation"]
        missed = Obligation.create(
            {
                "rule_id": self.rule.id,
                "unit_id": self.a.id,
                "date_start": date(2025, 1, 1),
                "date_end": date(2025, 2, 28),
                "expected": 1,
                "state": "missed",
            }
        )
        pending = Obligation.create(
            {
                "rule_id": self.rule.id,
                "unit_id": self.b.id,
                "date_start": date(2025, 3, 1),
                "date_end": date(2025, 4, 30),
                "expected": 1,
                "state": "pending",
            }
        )
        spec = importlib.util.spec_from_file_location("garbage_post_migrate_1_3", MIGRATION)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        for __ in range(2):  # twice: nothing more changes
            module.migrate(self.env.cr, "18.0.1.2.0")
            self.env.invalidate_all()
            self.assertEqual(
                (self.rule.subject, self.rule.model_id.model, self.rule.domain, self.rule.reminder_target),
                ("task_force", "garbage.mutual.round", "[('state', '=', 'confirmed')]", "task_force"),
            )
            self.assertTrue(missed.exists(), "a counted obligation is history: kept")
            self.assertFalse(pending.exists(), "not yet counted: no history, gone")
        # the kept one charges nobody any more
        with freeze_time("2025-03-10"):
            self._assessed(date(2025, 2, 10))
            self.assertFalse(self._line(self._compute(date(2025, 2, 1)), self.a).missed_count)
        # A rule the task force changed is left as it is.
        other = self.rule.copy(
            {
                "subject": "unit",
                "model_id": inspection_model,
                "unit_field": "unit_id",
                "domain": "[('source', '=', 'mutual')]",
            }
        )
        self.env["ir.model.data"].search(
            [("model", "=", self.rule._name), ("res_id", "=", self.rule.id)]
        ).res_id = other.id
        module.migrate(self.env.cr, "18.0.1.2.0")
        self.assertEqual(other.subject, "unit")


@tagged("post_install", "-at_install")
class TestDutiesInTheBulletinDownload(WebClientMixin, HttpCase, AssessmentCase):
    """The bulletin as the town leader downloads it with the period's button: the task force's own obligations
    and each unit's deductions; a liaison gets none of it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.rule = cls.env.ref("garbage_sorting.garbage_obligation_rule_mutual_inspection")
        cls.rule.action_unarchive()
        cls.a, cls.b = cls._units(2, "village", prefix="HB")
        cls.a.user_ids = cls.liaison
        with freeze_time("2024-03-02"):
            mutual_round = cls.env["garbage.mutual.round"].create(
                {
                    "date": date(2024, 3, 1),
                    "pair_ids": [
                        (0, 0, {"inspecting_unit_id": cls.a.id, "unit_id": cls.b.id}),
                        (0, 0, {"inspecting_unit_id": cls.b.id, "unit_id": cls.a.id}),
                    ],
                }
            )
            mutual_round.with_user(cls.manager).action_confirm()
        cls.skipped = mutual_round.inspection_ids.filtered(lambda inspection: inspection.inspecting_unit_id == cls.a)
        (mutual_round.inspection_ids - cls.skipped).action_done()
        cls.env["garbage.obligation"]._sync(date(2024, 3, 5), cls.rule)
        cls.april = cls._publish_month(cls, month(2024, 4), [(cls.a, 90), (cls.b, 90)])
        cls.leader.password = "gs_leader"
        cls.leader.lang = cls.liaison.lang = "en_US"

    def _t(self, source):
        """A text of the bulletin: in the downloading user's own language (its sheets are written in it)."""
        return self.env(context=dict(self.env.context, lang=self.leader.lang))._(source)

    def test_leader_downloads_the_task_forces_obligations_and_the_deductions(self):
        self.authenticate("gs_leader", "gs_leader")
        response = self.execute(self.press("garbage.assessment.period", self.april, "action_download_bulletin"))
        self.assertEqual(response.status_code, 200)
        workbook = openpyxl.load_workbook(io.BytesIO(response.content))
        sheet = workbook[f"2024-04 {self._t('Task Force')}"]
        rows = list(sheet.iter_rows(min_row=3, values_only=True))
        name = self.rule.with_context(lang=self.leader.lang).name
        self.assertEqual([row[:5] for row in rows], [(name, "2024-03-01", "2024-04-30", 1, 1)])
        villages = next(
            sheet for sheet in workbook.worksheets if sheet.title.startswith("2024-04") and sheet.max_column == 8
        )
        self.assertEqual(villages.cell(2, 8).value, self._t("Deductions"))
        deductions = {row[1]: row[7] for row in villages.iter_rows(min_row=3, values_only=True)}
        self.assertIn(self.skipped.name, deductions[self.a.name])
        self.assertIsNone(deductions[self.b.name])
        # the liaison of the charged unit gets no bulletin
        self.authenticate("gs_liaison", "gs_liaison")
        refused = self.url_open(f"/garbage_sorting/bulletin?period_ids={self.april.id}", allow_redirects=False)
        self.assertEqual(refused.status_code, 403)
        self.assertNotIn(self.skipped.name.encode(), refused.content)
