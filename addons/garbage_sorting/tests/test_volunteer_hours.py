from datetime import date, timedelta

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, TransactionCase, new_test_user, tagged

from ..models.garbage_volunteer_hour import next_milestone
from .common import setup_volunteers


@tagged("post_install", "-at_install")
@freeze_time("2026-05-20")
class TestVolunteerHours(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        setup_volunteers(cls)
        cls.env = cls.env(context=dict(cls.env.context, lang="en_US"))
        cls.Hour = cls.Hour.with_env(cls.env)

    def _log(self, user=None, submit=False, **vals):
        values = {"partner_id": self.volunteer.id, "date": date(2026, 5, 19), "hours": 2.0, "source": "portal"}
        values.update(vals)
        # One call = one transaction, as over RPC: a refused entry leaves nothing behind.
        with self.env.cr.savepoint():
            entry = self.Hour.with_user(user or self.portal_user).create(values)
            if submit:
                entry.action_submit()
            return entry

    def _count(self):
        return self.Hour.search_count([("partner_id", "in", (self.volunteer | self.other_volunteer).ids)])

    def test_volunteer_logs_hours(self):
        entry = self._log(submit=True)
        self.assertEqual(entry.volunteer_category, "teacher")
        self.assertEqual(entry.state, "submitted")

    def test_hours_must_be_positive(self):
        for hours in (0, -1.5):
            with self.subTest(hours=hours), self.assertRaisesRegex(ValidationError, "greater than zero"):
                self._log(hours=hours)
        self.assertEqual(self._count(), 0)

    def test_at_most_twelve_hours_per_entry(self):
        self._log(hours=12)
        with self.assertRaisesRegex(ValidationError, "cannot exceed 12 hours"):
            self._log(hours=12.5, date=date(2026, 5, 18))
        self.assertEqual(self._count(), 1)

    def test_at_most_twenty_four_hours_per_day(self):
        self._log(hours=12)
        self._log(hours=10)
        with self.assertRaisesRegex(ValidationError, "at most 24 hours"):
            self._log(hours=3)
        # A rejected entry does not count in the day.
        rejected = self.Hour.search([("partner_id", "=", self.volunteer.id), ("hours", "=", 12)])
        rejected.sudo().state = "rejected"
        self._log(hours=3)
        # ... until it is sent again or reopened: its 12 hours would make 25.
        for user, action in ((self.portal_user, "action_submit"), (self.coordinator, "action_reset_to_draft")):
            with self.assertRaisesRegex(ValidationError, "at most 24 hours"), self.env.cr.savepoint():
                getattr(rejected.with_user(user), action)()
            rejected.invalidate_recordset()
            self.assertEqual(rejected.state, "rejected")
        # The day of another volunteer is separate.
        self._log(user=self.other_portal_user, partner_id=self.other_volunteer.id, hours=12)
        self.assertEqual(self._count(), 4)

    def test_no_future_date(self):
        with self.assertRaisesRegex(ValidationError, "future"):
            self._log(date=date(2026, 5, 21))
        with self.assertRaisesRegex(ValidationError, "future"):
            self._log(user=self.coordinator, source="coordinator", date=date(2026, 5, 21))
        self.assertEqual(self._count(), 0)

    def test_no_date_older_than_configured_age(self):
        self._log(date=date(2026, 5, 20) - timedelta(days=60))
        with self.assertRaisesRegex(ValidationError, "older than 60 days"):
            self._log(date=date(2026, 5, 20) - timedelta(days=61))
        self.env["res.config.settings"].create({"garbage_volunteer_hours_max_age_days": 90}).execute()
        self.assertEqual(self.env.company.garbage_volunteer_hours_max_age_days, 90)
        self._log(date=date(2026, 5, 20) - timedelta(days=90))
        with self.assertRaisesRegex(ValidationError, "older than 90 days"):
            self._log(date=date(2026, 5, 20) - timedelta(days=91))
        # A coordinator transcribing a paper sign-in sheet is not bound by the portal limit.
        self.Hour.with_user(self.coordinator).create(
            {"partner_id": self.volunteer.id, "date": date(2026, 1, 5), "hours": 3}
        )
        self.assertEqual(self._count(), 3)

    def test_volunteer_cannot_log_for_someone_else_or_approve(self):
        with self.assertRaises(AccessError):
            self._log(partner_id=self.other_volunteer.id)
        with self.assertRaises(AccessError):
            self._log(state="approved")
        entry = self._log()
        with self.assertRaises(AccessError):
            entry.with_user(self.portal_user).write({"state": "approved"})
        with self.assertRaises(AccessError):
            entry.with_user(self.portal_user).action_approve()
        self.assertEqual(entry.state, "draft")

    def test_portal_user_never_sees_other_hours(self):
        own = self._log()
        other = self._log(user=self.other_portal_user, partner_id=self.other_volunteer.id)
        Hour = self.Hour.with_user(self.portal_user)
        self.assertEqual(Hour.search([]), own)
        self.assertEqual(Hour.search_count([("id", "=", other.id)]), 0)
        with self.assertRaises(AccessError):
            other.with_user(self.portal_user).read(["hours"])
        with self.assertRaises(AccessError):
            other.with_user(self.portal_user).write({"hours": 1})
        with self.assertRaises(AccessError):
            other.with_user(self.portal_user).unlink()
        self.assertEqual(Hour._read_group([], [], ["hours:sum"]), [(2.0,)])

    def test_approved_entries_are_locked(self):
        entry = self._log(submit=True)
        entry.with_user(self.coordinator).action_approve()
        self.assertEqual(entry.state, "approved")
        self.assertEqual(entry.approved_by_id, self.coordinator)
        with self.assertRaises(UserError):
            entry.with_user(self.portal_user).write({"hours": 5})
        with self.assertRaises(UserError):
            entry.with_user(self.portal_user).unlink()
        self.assertEqual(entry.hours, 2.0)
        # The coordinator too: approved hours are corrected after resetting them to draft.
        with self.assertRaises(UserError):
            entry.with_user(self.coordinator).write({"hours": 3})
        self.assertEqual(entry.hours, 2.0)
        entry.with_user(self.coordinator).action_reset_to_draft()
        entry.with_user(self.coordinator).write({"hours": 3})
        self.assertEqual((entry.hours, entry.state), (3.0, "draft"))

    def test_bulk_approve_and_reject_with_reason(self):
        entries = self._log(submit=True) | self._log(submit=True, date=date(2026, 5, 18))
        entries |= self._log(user=self.other_portal_user, partner_id=self.other_volunteer.id, submit=True)
        entries[:2].with_user(self.coordinator).action_approve()
        self.assertEqual(entries.mapped("state"), ["approved", "approved", "submitted"])

        action = entries[2:].with_user(self.coordinator).action_open_reject_wizard()
        wizard = Form(self.env[action["res_model"]].with_user(self.coordinator).with_context(**action["context"]))
        wizard.reason = "日期有误"
        wizard.save().action_reject()
        self.assertEqual(entries[2].state, "rejected")
        self.assertEqual(entries[2].reject_reason, "日期有误")
        with self.assertRaisesRegex(UserError, "reason"):
            entries[2].with_user(self.coordinator).action_reject("  ")
        with self.assertRaisesRegex(UserError, "already approved"):
            entries[:1].with_user(self.coordinator).action_approve()

    def test_totals_and_milestones(self):
        self.assertEqual([next_milestone(t) for t in (0, 9.5, 10, 60, 199, 200)], [10, 10, 50, 100, 200, None])
        self._log(hours=4, submit=True)
        approved = self._log(hours=8, date=date(2026, 4, 20)) | self._log(hours=6, date=date(2026, 5, 2))
        approved.sudo().state = "approved"
        self.Hour.sudo().create(
            {"partner_id": self.volunteer.id, "date": date(2025, 12, 1), "hours": 5, "state": "approved"}
        )
        totals = self.Hour._get_totals(self.volunteer)
        self.assertEqual(
            (totals["month"], totals["year"], totals["total"], totals["pending"], totals["milestone"]),
            (6, 14, 19, 4, 50),
        )
        self.assertEqual(totals["to_milestone"], 31)
        self.assertEqual(self.volunteer.volunteer_hours_approved, 19)
        self.assertEqual(self.volunteer.volunteer_hours_year, 14)

    def test_coordinator_invites_volunteer_to_portal(self):
        # By mobile number, without e-mail: the login is the number (test_volunteer_time_and_login has the rest).
        partner = self.env["res.partner"].create(
            {"name": "钱老师", "mobile": "139 0570 0009", "is_volunteer": True, "volunteer_category": "teacher"}
        )
        partner.with_user(self.coordinator).action_volunteer_invite_mobile()
        self.assertEqual(partner.user_ids.login, "13905700009")
        self.assertTrue(partner.user_ids.has_group("base.group_portal"))
        self.assertFalse(partner.user_ids.has_group("base.group_user"))
        # Only volunteers go through this button.
        with self.assertRaises(UserError):
            self.env["res.partner"].create({"name": "路人", "mobile": "13905700010"}).with_user(
                self.coordinator
            ).action_volunteer_invite_mobile()

    def test_unit_form_shows_its_volunteers_and_approved_hours(self):
        Hour = self.Hour.sudo()
        Hour.create({"partner_id": self.volunteer.id, "unit_id": self.unit.id, "date": date(2026, 5, 1), "hours": 2})
        Hour.create(
            {"partner_id": self.volunteer.id, "unit_id": self.unit.id, "date": date(2026, 5, 2), "hours": 4}
        ).write({"state": "approved"})
        self.assertEqual((self.unit.volunteer_count, self.unit.volunteer_hours), (2, 4.0))
        self.assertEqual((self.other_unit.volunteer_count, self.other_unit.volunteer_hours), (0, 0.0))
        inspector = new_test_user(
            self.env, login="gs_vt_inspector", groups="garbage_sorting.garbage_sorting_group_inspector"
        )
        self.assertEqual(self.unit.with_user(inspector).volunteer_hours, 4.0)
        action = self.unit.action_view_volunteers()
        self.assertEqual(self.env["res.partner"].search(action["domain"]), self.volunteer | self.other_volunteer)

    def test_unit_leaderboard_counts_approved_hours_only(self):
        Hour = self.Hour.sudo()
        Hour.create(
            [
                {"partner_id": self.volunteer.id, "unit_id": self.unit.id, "date": date(2026, 5, 1), "hours": 2},
                {"partner_id": self.other_volunteer.id, "unit_id": self.unit.id, "date": date(2026, 5, 2), "hours": 3},
                {"partner_id": self.volunteer.id, "unit_id": self.other_unit.id, "date": date(2026, 5, 3), "hours": 8},
            ]
        ).write({"state": "approved"})
        Hour.create({"partner_id": self.volunteer.id, "unit_id": self.unit.id, "date": date(2026, 5, 4), "hours": 9})
        self.env.flush_all()
        board = self.env["garbage.volunteer.leaderboard"].search(
            [("unit_id", "in", (self.unit | self.other_unit).ids), ("year", "=", 2026)]
        )
        self.assertEqual(
            [(row.unit_id, row.hours, row.volunteer_count) for row in board],
            [(self.other_unit, 8, 1), (self.unit, 5, 2)],
        )
