"""What carries the town's history is archived, reopened or replaced by the engine, never deleted, whoever asks (the
task force, an administrator working without superuser rights): a cadence rule with obligations, a month once
published, the annual report attached to a level-3 escalation. What has no history yet is still deleted."""

import base64
import importlib.util
from datetime import date
from pathlib import Path

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged
from odoo.tools import SQL

from .common import AssessmentCase, month

MIGRATION = Path(__file__).resolve().parents[1] / "migrations" / "18.0.1.5.0" / "post-published-once.py"


@tagged("post_install", "-at_install")
class TestHistoryKept(AssessmentCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.admin = cls.env.ref("base.user_admin")
        cls.first, cls.second = cls._units(2, "community", prefix="Kept")
        cls.good_scores = [(cls.first, 85), (cls.second, 90)]

    # Cadence rules

    def _rule(self, name):
        return self.env.ref("garbage_sorting.garbage_obligation_rule_self_inspection").copy({"name": name})

    def test_rule_with_obligations_is_archived_not_deleted(self):
        rule = self._rule("Kept rule")
        missed = self.env["garbage.obligation"].create(
            {
                "rule_id": rule.id,
                "unit_id": self.first.id,
                "date_start": date(2024, 1, 1),
                "date_end": date(2024, 1, 31),
                "expected": 1,
                "state": "missed",
            }
        )
        for user in (self.manager, self.admin):
            with self.subTest(user=user.login), self.assertRaisesRegex(UserError, "archive it instead"):
                rule.with_user(user).unlink()
        with self.assertRaises(UserError):
            rule.unlink()  # nor the superuser: the obligations would go with it
        self.assertTrue(missed.exists())
        self.assertEqual(rule.obligation_ids, missed)
        rule.with_user(self.manager).action_archive()
        self.assertFalse(rule.active)
        # a rule nothing was counted for yet is deleted, by either
        for user in (self.manager, self.admin):
            blank = self._rule(f"Blank rule {user.login}")
            blank.with_user(user).unlink()
            self.assertFalse(blank.exists())

    # Months

    def test_month_once_published_is_never_deleted(self):
        period = self._publish_month(month(2024, 3), self.good_scores)
        self.assertTrue(period.published_once)
        period.action_reopen()
        self.assertEqual(period.state, "computed")
        self.assertTrue(period.published_once, "reopening does not make the month new")
        lines = period.line_ids
        self.assertTrue(lines)
        for user in (self.manager, self.admin):
            with self.subTest(user=user.login), self.assertRaisesRegex(UserError, "2024-03 was published"):
                period.with_user(user).unlink()
            # and nobody clears the flag by hand
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                period.with_user(user).write({"published_once": False})
        with self.assertRaises(UserError):
            period.sudo().unlink()
        self.assertTrue(period.exists())
        self.assertEqual(period.line_ids, lines)
        self.assertTrue(period.published_once)
        # published again, then reopened again: still history
        period.action_compute()
        period.action_publish()
        self.assertEqual((period.state, period.published_once), ("published", True))
        # a month computed but never published is deleted, by either, with its results
        for number, user in ((4, self.manager), (5, self.admin)):
            draft = self.Period.with_user(user).create({"date_start": month(2024, number)})
            draft.action_compute()
            self.assertFalse(draft.published_once)
            draft_lines = draft.line_ids
            draft.unlink()
            self.assertFalse(draft.exists() or draft_lines.exists())

    def test_migration_flags_the_months_published_before(self):
        published = self._publish_month(month(2023, 5), self.good_scores)
        # created by the monthly job, published and reopened later, each in its own transaction (the chatter
        # tracks what changed at the end of each)
        self._month_all_sources(self.good_scores, month(2023, 6))
        reopened = self.Period.create({"date_start": month(2023, 6)})
        reopened.action_compute()
        self.env.cr.precommit.run()
        reopened.action_publish()
        self.env.cr.precommit.run()
        reopened.action_reopen()
        self.env.cr.precommit.run()
        never = self.Period.create({"date_start": month(2023, 7)})
        never.action_compute()
        periods = published | reopened | never
        # as on a database of 18.0.1.4.0, before the flag
        self.env.flush_all()
        self.env.cr.execute(
            SQL("UPDATE garbage_assessment_period SET published_once = NULL WHERE id IN %s", tuple(periods.ids))
        )
        self.env.invalidate_all()
        self.assertFalse(any(periods.mapped("published_once")))
        spec = importlib.util.spec_from_file_location("garbage_post_migrate_1_5", MIGRATION)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        module.migrate(self.env.cr, "18.0.1.4.0")
        self.env.invalidate_all()
        self.assertEqual(periods.mapped("published_once"), [True, True, False])
        with self.assertRaises(UserError):
            reopened.with_user(self.admin).unlink()

    # The level-3 report

    def test_level_three_report_is_the_engine_s_alone(self):
        period = self._publish_month(month(2024, 6), self.good_scores)
        escalation = (
            self.env["garbage.escalation"]
            .sudo()
            .create({"unit_id": self.first.id, "period_id": period.id, "level": "3", "responsible_id": self.leader.id})
        )
        if not escalation.report_attachment_id:
            escalation._attach_annual_reports()  # as the engine does on publishing
        report = escalation.report_attachment_id
        self.assertTrue(report)
        original = report.raw
        other = (
            self.env["garbage.escalation"]
            .sudo()
            .create({"unit_id": self.second.id, "period_id": period.id, "level": "2", "responsible_id": self.leader.id})
        )
        # the leader in charge and the task force may write the escalation, which core's check would take as
        # leave to change its files; the administrator passes core's check too
        for user in (self.leader, self.manager, self.admin):
            as_user = report.with_user(user)
            for vals in (
                {"datas": base64.b64encode(b"forged")},
                {"raw": b"forged"},
                {"name": "renamed.pdf"},
                {"res_id": other.id},
                {"res_model": "res.partner", "res_id": user.partner_id.id},
            ):
                with self.subTest(user=user.login, vals=list(vals)), self.assertRaisesRegex(AccessError, "history"):
                    as_user.write(vals)
            with self.subTest(user=user.login), self.assertRaisesRegex(AccessError, "history"):
                as_user.unlink()
        # a liaison, who only reads the escalation, is refused as well
        for operation in (
            lambda: report.with_user(self.liaison).write({"raw": b"forged"}),
            report.with_user(self.liaison).unlink,
        ):
            with self.assertRaises(AccessError):
                operation()
        report.invalidate_recordset()
        self.assertEqual((report.raw, report.res_model, report.res_id), (original, escalation._name, escalation.id))
        self.assertEqual(escalation.report_attachment_id, report)
        # the engine attaches the year's report again after a recount: a new file beside the former one
        escalation._attach_annual_reports()
        self.assertNotEqual(escalation.report_attachment_id, report)
        self.assertTrue(report.exists())
        # the other files of an escalation are Odoo's, as everywhere
        note = (
            self.env["ir.attachment"]
            .with_user(self.manager)
            .create({"name": "visit.txt", "raw": b"visit", "res_model": escalation._name, "res_id": escalation.id})
        )
        note.write({"name": "visit notes.txt", "raw": b"visit notes"})
        note.unlink()
        self.assertFalse(note.exists())

    # Every other file is Odoo's, as before

    def test_other_attachments_are_core_s(self):
        """Core's own attachment rules are unchanged for what is not history: the owner of a file, or whoever may
        write its record, replaces and deletes it; someone else's file is refused by core's check, as before."""
        Attachment = self.env["ir.attachment"]
        for user in (self.liaison, self.leader, self.manager, self.admin):
            with self.subTest(user=user.login):
                own = Attachment.with_user(user).create({"name": "draft.txt", "raw": b"draft"})
                own.write({"name": "draft v2.txt", "raw": b"draft v2"})
                self.assertEqual(own.raw, b"draft v2")
                # on their own user, as core's signature images
                on_user = Attachment.with_user(user).create(
                    {"name": "card.txt", "raw": b"card", "res_model": "res.users", "res_id": user.id}
                )
                on_user.write({"name": "card v2.txt", "raw": b"card v2"})
                self.assertEqual(on_user.raw, b"card v2")
                (own | on_user).unlink()
                self.assertFalse((own | on_user).exists())
        # someone else's private file: core refuses it to an employee, as before, and lets the administrator in
        private = Attachment.with_user(self.manager).create({"name": "private.txt", "raw": b"mine"})
        for vals in ({"raw": b"theirs"}, None):
            with self.subTest(vals=vals), self.assertRaises(AccessError):
                if vals is None:
                    private.with_user(self.liaison).unlink()
                else:
                    private.with_user(self.liaison).write(vals)
        private.with_user(self.admin).unlink()
        self.assertFalse(private.exists())
