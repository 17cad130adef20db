"""Hours are earned, not typed: each role tries to bend the volunteer records and is refused, nothing changed.

Every refusal runs in a savepoint, as one RPC call runs in one transaction, and the test then checks
that the record (or the table) is as before. Each legitimate path is run as the role too.
"""

from datetime import date, datetime

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import TransactionCase, new_test_user, tagged

from .common import GROUP, setup_volunteers

NOT_FINITE = (float("nan"), float("inf"), float("-inf"), "1e309", "nan", "abc", True, [1])


@tagged("post_install", "-at_install")
@freeze_time("2026-05-20 04:00:00")  # 12:00 in the town (UTC+8)
class TestVolunteerRights(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        setup_volunteers(cls)
        cls.env = cls.env(context=dict(cls.env.context, lang="en_US", tz="Asia/Shanghai"))
        cls.Hour = cls.Hour.with_env(cls.env)
        cls.liaison = new_test_user(cls.env, login="gs_vr_liaison", groups=GROUP + "liaison")
        cls.unit.user_ids = [(4, cls.liaison.id)]
        cls.inspector = new_test_user(cls.env, login="gs_vr_inspector", groups=GROUP + "inspector")
        cls.leader = new_test_user(cls.env, login="gs_vr_leader", groups=GROUP + "leader")
        cls.other_coordinator = new_test_user(cls.env, login="gs_vr_coordinator2", groups=GROUP + "coordinator")
        cls.Duty = cls.env["garbage.volunteer.duty"]
        cls.duty = cls.Duty.create(
            {
                "site_id": cls.site.id,
                "date": date(2026, 5, 20),
                "time_start": 7,
                "time_end": 9,
                "volunteer_ids": [(6, 0, cls.volunteer.ids)],
            }
        )

    def _refused(self, exception, function, *args, **kwargs):
        with self.assertRaises(exception), self.env.cr.savepoint():
            function(*args, **kwargs)

    def _entry(self, **vals):
        return self.Hour.create(
            {"partner_id": self.volunteer.id, "date": date(2026, 5, 19), "hours": 2, "source": "portal", **vals}
        )

    def _snapshot(self, records, fields):
        records.invalidate_recordset()
        return records.read(fields)

    def _check_in_out(self, check_in, check_out, duty=None):
        duty = duty or self.duty
        with freeze_time(check_in):
            duty.with_user(self.portal_user).action_check_in()
        with freeze_time(check_out):
            duty.with_user(self.portal_user).action_check_out()
        return self.Hour.search([("duty_id", "=", duty.id)])

    # Check-in window and credited hours

    def test_check_out_credits_at_most_the_duty_and_tolerance(self):
        # The example: in at 07:00, out at 19:00 for a 07:00-09:00 duty. Credited: 07:00-09:30.
        hour = self._check_in_out(datetime(2026, 5, 19, 23, 0), datetime(2026, 5, 20, 11, 0))
        self.assertEqual((hour.hours, hour.source, hour.state), (2.5, "checkin", "submitted"))

    def test_early_check_in_counts_from_the_tolerance_only(self):
        # 06:40 (within 30 min) to 08:00: 1 h 20; never more than 2 h + 30 min even when early and late.
        hour = self._check_in_out(datetime(2026, 5, 19, 22, 40), datetime(2026, 5, 20, 0, 0))
        self.assertEqual(hour.hours, 1.33)
        duty = self.Duty.create(
            {"site_id": self.site.id, "date": date(2026, 5, 20), "volunteer_ids": [(6, 0, self.volunteer.ids)]}
        )
        hour = self._check_in_out(datetime(2026, 5, 19, 22, 30), datetime(2026, 5, 20, 3, 0), duty)
        self.assertEqual(hour.hours, 2.5)

    def test_check_in_outside_the_window_is_refused(self):
        duty = self.duty.with_user(self.portal_user)
        for moment in (datetime(2026, 5, 19, 22, 29), datetime(2026, 5, 20, 1, 31), datetime(2026, 5, 20, 23, 0)):
            with self.subTest(moment=moment), freeze_time(moment):
                self._refused(UserError, duty.action_check_in)
        self.assertFalse(self.duty.attendance_ids)

    def test_tolerance_comes_from_the_settings(self):
        self.env["res.config.settings"].create({"garbage_checkin_tolerance_minutes": 0}).execute()
        self.assertEqual(self.env.company.garbage_checkin_tolerance_minutes, 0)
        with freeze_time(datetime(2026, 5, 19, 22, 50)):
            self._refused(UserError, self.duty.with_user(self.portal_user).action_check_in)
        hour = self._check_in_out(datetime(2026, 5, 19, 23, 0), datetime(2026, 5, 20, 3, 0))
        self.assertEqual(hour.hours, 2)
        for minutes in (-5, 100000):
            with self.subTest(minutes=minutes):
                self._refused(
                    ValidationError,
                    self.env["res.config.settings"].create,
                    {"garbage_checkin_tolerance_minutes": minutes},
                )

    def test_check_in_position_and_findings_must_be_valid(self):
        duty = self.duty.with_user(self.portal_user)
        with freeze_time(datetime(2026, 5, 19, 23, 0)):
            for latitude, longitude in [
                (float("nan"), 120.15),
                (30.25, float("inf")),
                ("1e309", "120"),
                (30.25, None),
                (None, 120.15),
                (91, 120),
                (30, -181),
                ("north", "east"),
            ]:
                with self.subTest(latitude=latitude, longitude=longitude):
                    self._refused(ValidationError, duty.action_check_in, latitude, longitude)
            self.assertFalse(self.duty.attendance_ids)
            duty.action_check_in(30.25, 120.15)
        with freeze_time(datetime(2026, 5, 20, 0, 0)):
            for persuasions, problems in [
                (float("nan"), []),
                (float("inf"), []),
                (-1, []),
                (1001, []),
                (2.5, []),
                ("many", []),
                (0, ["littering", "state"]),
                (0, "littering"),
            ]:
                with self.subTest(persuasions=persuasions, problems=problems):
                    self._refused(ValidationError, duty.action_check_out, None, None, persuasions, problems)
            self._refused(ValidationError, duty.action_check_out, float("nan"), float("nan"))
            self.assertFalse(self.duty.attendance_ids.check_out)
            self.assertFalse(self.Hour.search([("duty_id", "=", self.duty.id)]))
            self.assertEqual((self.duty.state, self.duty.persuasion_count), ("planned", 0))
            duty.action_check_out(30.2501, 120.15, 12, ["littering"])
        self.assertEqual(self.duty.attendance_ids.check_in_distance, 0)
        self.assertEqual(self.duty.attendance_ids.check_out_distance, 11)
        self.assertEqual((self.duty.persuasion_count, self.duty.problem_littering), (12, True))

    def test_no_distance_from_a_site_without_a_valid_position(self):
        self.site.write({"latitude": 0, "longitude": 0})
        with freeze_time(datetime(2026, 5, 19, 23, 0)):
            self.duty.with_user(self.portal_user).action_check_in(30.25, 120.15)
        self.assertFalse(self.duty.attendance_ids.check_in_distance)

    # Check-in entries cannot be edited

    def test_check_in_entries_keep_the_duty_times(self):
        hour = self._check_in_out(datetime(2026, 5, 19, 23, 0), datetime(2026, 5, 20, 1, 0))
        fields = ["hours", "date", "duty_id", "source", "partner_id", "unit_id", "state"]
        before = self._snapshot(hour, fields)
        for user in (self.portal_user, self.coordinator):
            for vals in (
                {"hours": 12},
                {"date": date(2026, 5, 18)},
                {"duty_id": False},
                {"source": "portal"},
                {"unit_id": self.other_unit.id},
                {"state": "approved"},
            ):
                with self.subTest(user=user.login, vals=vals):
                    self._refused(AccessError, hour.with_user(user).write, vals)
        self._refused(UserError, hour.with_user(self.portal_user).unlink)
        self.assertEqual(self._snapshot(hour, fields), before)
        # The note stays editable, and the coordinator decides.
        hour.with_user(self.coordinator).write({"note": "checked"})
        self.assertIs(hour.with_user(self.coordinator).action_approve(), True)
        self.assertEqual(hour.state, "approved")

    def test_attendance_cannot_be_forged(self):
        Attendance = self.env["garbage.volunteer.attendance"]
        values = {"duty_id": self.duty.id, "partner_id": self.volunteer.id, "check_in": datetime(2026, 5, 20, 0, 0)}
        for user in (self.portal_user, self.coordinator, self.liaison):
            with self.subTest(user=user.login):
                self._refused(AccessError, Attendance.with_user(user).create, values)
        with freeze_time(datetime(2026, 5, 19, 23, 0)):
            self.duty.with_user(self.portal_user).action_check_in()
        attendance = self.duty.attendance_ids
        for user in (self.portal_user, self.coordinator):
            with self.subTest(user=user.login):
                self._refused(AccessError, attendance.with_user(user).write, {"check_in": datetime(2026, 5, 19, 0, 0)})
                self._refused(AccessError, attendance.with_user(user).unlink)
                self._refused(AccessError, self.duty.with_user(user).write, {"attendance_ids": [(2, attendance.id)]})
        self.assertEqual(attendance.check_in, datetime(2026, 5, 19, 23, 0))

    # What a volunteer may set

    def test_volunteer_never_sets_source_state_or_engine_fields(self):
        Hour = self.Hour.with_user(self.portal_user)
        base = {"partner_id": self.volunteer.id, "date": date(2026, 5, 19), "hours": 2}
        for vals in (
            {"source": "checkin"},
            {"source": "coordinator"},
            {"state": "submitted"},
            {"state": "approved"},
            {"approved_by_id": self.coordinator.id},
            {"reject_reason": "x"},
            {"duty_id": self.duty.id},
            {"unit_id": self.other_unit.id},
        ):
            with self.subTest(vals=vals):
                self._refused(AccessError, Hour.create, {**base, **vals})
        self.assertFalse(self.Hour.search([("partner_id", "=", self.volunteer.id)]))
        # Context defaults are the caller's choice: they do not open the guard either.
        entry = Hour.with_context(
            default_state="approved", default_source="checkin", default_duty_id=self.duty.id
        ).create(base)
        self.assertEqual((entry.state, entry.source, entry.duty_id), ("draft", "portal", self.Duty))
        for vals in ({"state": "approved"}, {"source": "checkin"}, {"approved_by_id": self.coordinator.id}):
            with self.subTest(vals=vals):
                self._refused(AccessError, entry.with_user(self.portal_user).write, vals)
        self.assertEqual(entry.state, "draft")
        self.assertIs(entry.with_user(self.portal_user).action_submit(), True)
        self.assertEqual(entry.state, "submitted")

    def test_volunteer_cannot_raise_hours_of_entries_not_their_own_draft(self):
        other = self._entry(partner_id=self.other_volunteer.id)
        approved = self._entry(date=date(2026, 5, 18))
        approved.action_submit()
        approved.with_user(self.coordinator).action_approve()
        self._refused(AccessError, other.with_user(self.portal_user).write, {"hours": 12})
        self._refused(UserError, approved.with_user(self.portal_user).write, {"hours": 12})
        self._refused(AccessError, approved.with_user(self.portal_user).action_submit)
        self.assertEqual((other.hours, approved.hours, approved.state), (2, 2, "approved"))

    def test_numbers_must_be_finite_and_in_range(self):
        Hour = self.Hour.with_user(self.portal_user)
        base = {"partner_id": self.volunteer.id, "date": date(2026, 5, 19)}
        for hours in (*NOT_FINITE, 0, -1, 12.01, 1e308):
            with self.subTest(hours=hours):
                self._refused(ValidationError, Hour.create, {**base, "hours": hours})
        self.assertFalse(self.Hour.search([("partner_id", "=", self.volunteer.id)]))
        for day in ("2026-13-45", "tomorrow", 42, False):
            with self.subTest(date=day):
                self._refused(ValidationError, Hour.create, {**base, "hours": 1, "date": day})
        entry = Hour.create({**base, "hours": "1.5"})
        for hours in NOT_FINITE:
            with self.subTest(write=hours):
                self._refused(ValidationError, entry.write, {"hours": hours})
        self.assertEqual(entry.hours, 1.5)

    def test_text_fields_are_bounded(self):
        entry = self._entry()
        self._refused(ValidationError, entry.with_user(self.portal_user).write, {"note": "x" * 2001})
        entry.with_user(self.portal_user).write({"note": "x" * 2000})
        entry.action_submit()
        for reason in ("x" * 2001, ["x"], None, "  "):
            with self.subTest(reason=str(reason)[:10]):
                self._refused(UserError, entry.with_user(self.coordinator).action_reject, reason)
        self._refused(ValidationError, self.duty.with_user(self.coordinator).write, {"note": "x" * 2001})
        self.assertEqual((entry.state, entry.reject_reason), ("submitted", False))

    # Only volunteers get hours, nobody approves their own

    def test_only_volunteers_get_hours(self):
        Hour = self.Hour.with_user(self.coordinator)
        stranger = self.env["res.partner"].create({"name": "路人"})
        for partner in (self.coordinator.partner_id, stranger):
            with self.subTest(partner=partner.name):
                self._refused(
                    ValidationError, Hour.create, {"partner_id": partner.id, "date": date(2026, 5, 19), "hours": 2}
                )
        entry = Hour.create({"partner_id": self.volunteer.id, "date": date(2026, 5, 19), "hours": 2})
        self.assertEqual(entry.source, "coordinator")
        self._refused(ValidationError, entry.with_user(self.coordinator).write, {"partner_id": stranger.id})
        self.assertEqual(entry.partner_id, self.volunteer)

    def test_nobody_approves_their_own_hours(self):
        self.coordinator.partner_id.write({"is_volunteer": True, "volunteer_category": "grid_worker"})
        entry = self.Hour.with_user(self.coordinator).create(
            {"partner_id": self.coordinator.partner_id.id, "date": date(2026, 5, 19), "hours": 3}
        )
        self.assertIs(entry.with_user(self.coordinator).action_submit(), True)
        for action in ("action_approve", "action_reset_to_draft", "action_open_reject_wizard"):
            with self.subTest(action=action):
                self._refused(AccessError, getattr(entry.with_user(self.coordinator), action))
        self._refused(AccessError, entry.with_user(self.coordinator).action_reject, "mine")
        self._refused(AccessError, entry.with_user(self.coordinator).write, {"approved_by_id": self.coordinator.id})
        self.assertEqual(entry.state, "submitted")
        # Their own hours follow the volunteers' rules, and another coordinator decides.
        self._refused(AccessError, entry.with_user(self.coordinator).write, {"source": "portal"})
        self.assertIs(entry.with_user(self.other_coordinator).action_approve(), True)
        self.assertEqual((entry.state, entry.approved_by_id), ("approved", self.other_coordinator))
        # Nor do they take over another volunteer's hours.
        other = self._entry()
        self._refused(
            AccessError, other.with_user(self.coordinator).write, {"partner_id": self.coordinator.partner_id.id}
        )
        self.assertEqual(other.partner_id, self.volunteer)

    def test_other_roles_cannot_decide_hours(self):
        entry = self._entry()
        entry.action_submit()
        for user in (self.liaison, self.inspector, self.leader, self.portal_user, self.other_portal_user):
            for action in ("action_approve", "action_reset_to_draft"):
                with self.subTest(user=user.login, action=action):
                    self._refused(AccessError, getattr(entry.with_user(user), action))
            with self.subTest(user=user.login):
                self._refused(AccessError, entry.with_user(user).action_reject, "no")
                if user != self.portal_user:  # the volunteer may still correct their own submitted entry
                    self._refused(AccessError, entry.with_user(user).write, {"hours": 5})
        for user in (self.liaison, self.inspector, self.leader):
            self._refused(
                AccessError,
                self.Hour.with_user(user).create,
                {"partner_id": self.volunteer.id, "date": date(2026, 5, 19), "hours": 1},
            )
        self.assertEqual((entry.state, entry.hours), ("submitted", 2))

    def test_approved_hours_are_never_deleted(self):
        entry = self._entry()
        entry.action_submit()
        self.assertIs(entry.with_user(self.coordinator).action_approve(), True)
        self._refused(UserError, entry.with_user(self.coordinator).unlink)
        self._refused(AccessError, entry.with_user(self.portal_user).unlink)
        self._refused(UserError, entry.unlink)
        # Cancelling is rejecting, with a reason.
        self.assertIs(entry.with_user(self.other_coordinator).action_reject("重复登记"), True)
        self.assertEqual((entry.state, entry.reject_reason), ("rejected", "重复登记"))
        self.assertIs(entry.with_user(self.coordinator).action_reset_to_draft(), True)
        # Once approved, always history: a reset to draft does not open the way to deleting it.
        self._refused(UserError, entry.with_user(self.coordinator).unlink)
        self._refused(UserError, entry.with_user(self.portal_user).unlink)
        self.assertIs(entry.with_user(self.portal_user).action_submit(), True)
        self.assertEqual(entry.state, "submitted")

    def test_wizard_rejects_with_reason(self):
        entry = self._entry()
        entry.action_submit()
        wizard = (
            self.env["garbage.volunteer.hour.reject"]
            .with_user(self.coordinator)
            .create({"hour_ids": [(6, 0, entry.ids)], "reason": "日期有误"})
        )
        self.assertEqual(wizard.action_reject(), {"type": "ir.actions.act_window_close"})
        self.assertEqual(entry.state, "rejected")

    # Duties

    def test_duty_states_move_through_their_actions(self):
        Duty = self.Duty.with_user(self.liaison)
        vals = {"site_id": self.site.id, "date": date(2026, 5, 19)}
        self._refused(AccessError, Duty.create, {**vals, "state": "done"})
        duty = Duty.with_context(default_state="done").create(vals)
        self.assertEqual(duty.state, "planned")
        self._refused(AccessError, duty.write, {"state": "done"})
        self._refused(AccessError, duty.action_done)
        self.assertEqual(duty.state, "planned")
        for user in (self.portal_user, self.inspector, self.leader):
            with self.subTest(user=user.login):
                self._refused(AccessError, duty.with_user(user).action_done)
                self._refused(AccessError, duty.with_user(user).action_cancel)
        self.assertEqual(duty.state, "planned")
        self.assertIs(duty.with_user(self.coordinator).action_done(), True)
        self.assertEqual(duty.state, "done")
        # Done counts towards the unit's cadence: its liaison can neither move nor cancel it.
        for change in (
            {"date": date(2026, 4, 30)},
            {"duty_type": "correction"},
            {"time_end": 12},
            {"volunteer_ids": [(4, self.other_volunteer.id)]},
        ):
            with self.subTest(change=change):
                self._refused(UserError, duty.write, change)
        self._refused(AccessError, duty.action_cancel)
        self._refused(AccessError, duty.with_user(self.coordinator).action_cancel)
        self._refused(UserError, duty.with_user(self.coordinator).unlink)
        self.assertEqual((duty.state, duty.date, duty.duty_type), ("done", date(2026, 5, 19), "supervision"))
        # A planned duty of their own unit: the liaison may cancel it.
        planned = Duty.create(vals)
        self.assertIs(planned.action_cancel(), True)
        self.assertEqual(planned.state, "cancelled")

    def test_duty_done_only_on_or_after_its_date(self):
        duty = self.Duty.create({"site_id": self.site.id, "date": date(2026, 5, 21)})
        self._refused(UserError, duty.with_user(self.coordinator).action_done)
        self.assertEqual(duty.state, "planned")

    def test_duty_numbers_and_findings(self):
        duty = self.duty.with_user(self.coordinator)
        for vals in (
            {"persuasion_count": float("nan")},
            {"persuasion_count": "1e309"},
            {"persuasion_count": -1},
            {"persuasion_count": 10**12},
            {"time_start": float("nan")},
            {"time_end": float("inf")},
            {"time_start": 0, "time_end": 13},
            {"date": "2026-02-30"},
        ):
            with self.subTest(vals=vals):
                self._refused(ValidationError, duty.write, vals)
        # Findings are what volunteers report at check-out: a liaison does not type them.
        self._refused(AccessError, self.duty.with_user(self.liaison).write, {"persuasion_count": 50})
        self._refused(AccessError, self.duty.with_user(self.liaison).write, {"problem_littering": True})
        self.assertEqual((self.duty.persuasion_count, self.duty.time_start, self.duty.time_end), (0, 7, 9))
        duty.write({"persuasion_count": 5})
        self.assertEqual(self.duty.persuasion_count, 5)

    def test_duty_volunteers_are_volunteers(self):
        stranger = self.env["res.partner"].create({"name": "路人"})
        self._refused(
            ValidationError, self.duty.with_user(self.coordinator).write, {"volunteer_ids": [(4, stranger.id)]}
        )
        self.assertEqual(self.duty.volunteer_ids, self.volunteer)

    def test_liaison_cannot_touch_other_units_duties(self):
        other_site = self.env["garbage.bin.site"].create({"name": "其他投放点", "unit_id": self.other_unit.id})
        other = self.Duty.create({"site_id": other_site.id, "date": date(2026, 5, 19)})
        self._refused(AccessError, other.with_user(self.liaison).write, {"note": "x"})
        self._refused(AccessError, other.with_user(self.liaison).action_cancel)
        self._refused(AccessError, self.Duty.with_user(self.liaison).create, {"site_id": other_site.id})
        self.assertEqual(other.state, "planned")
        # The unit of a duty is its site's: nobody moves a site through a duty.
        for user in (self.liaison, self.coordinator):
            self._refused(AccessError, self.duty.with_user(user).write, {"unit_id": self.other_unit.id})
        self.assertEqual((self.duty.unit_id, self.site.unit_id), (self.unit, self.unit))

    # Partners

    def test_only_coordinators_decide_who_is_a_volunteer(self):
        partner_manager = new_test_user(
            self.env, login="gs_vr_contacts", groups=GROUP + "liaison,base.group_partner_manager"
        )
        stranger = self.env["res.partner"].create({"name": "路人"})
        Partner = self.env["res.partner"].with_user(partner_manager)
        self._refused(AccessError, stranger.with_user(partner_manager).write, {"is_volunteer": True})
        self._refused(AccessError, self.volunteer.with_user(partner_manager).write, {"is_volunteer": False})
        self._refused(
            AccessError,
            self.volunteer.with_user(partner_manager).write,
            {"volunteer_unit_ids": [(4, self.other_unit.id)]},
        )
        self._refused(AccessError, Partner.create, {"name": "新人", "is_volunteer": True})
        created = Partner.with_context(default_is_volunteer=True).create({"name": "新人"})
        self.assertFalse(created.is_volunteer)
        self.assertFalse(stranger.is_volunteer)
        self.assertTrue(self.volunteer.is_volunteer)
        self.assertEqual(self.volunteer.volunteer_unit_ids, self.unit)
        self.assertFalse(self.volunteer.with_user(partner_manager).volunteer_editable)
        # Other fields of a contact stay theirs; coordinators manage volunteers.
        stranger.with_user(partner_manager).write({"phone": "123"})
        coordinator = new_test_user(
            self.env, login="gs_vr_coord_contacts", groups=GROUP + "coordinator,base.group_partner_manager"
        )
        stranger.with_user(coordinator).write({"is_volunteer": True, "volunteer_category": "teacher"})
        self.assertTrue(stranger.is_volunteer)
        self.assertTrue(stranger.with_user(coordinator).volunteer_editable)

    # The declaration, role by role

    def _other_value(self, record, name):
        """A value different from the record's, of the field's type."""
        field = record._fields[name]
        if field.type in ("many2one", "many2many", "one2many"):
            other = self.env[field.comodel_name].search([("id", "not in", record[name].ids)], limit=1)
            return other.id if field.type == "many2one" else [(6, 0, other.ids)]
        if field.type == "selection":
            keys = [key for key, __ in field._description_selection(self.env)]
            return next(key for key in keys if key != record[name])
        return {
            "boolean": not record[name],
            "integer": (record[name] or 0) + 1,
            "float": (record[name] or 0) + 1,
            "char": "x",
            "text": "x",
            "html": "<p>x</p>",
            "date": date(2026, 5, 1),
            "datetime": datetime(2026, 5, 1, 1, 0),
            "json": ["x"],
        }[field.type]

    def test_every_guarded_field_is_refused_to_the_roles_it_does_not_name(self):
        entry = self._entry()
        duty = self.Duty.create({"site_id": self.site.id, "date": date(2026, 5, 19)})
        cases = [
            (entry, self.portal_user, ("coordinator", "engine")),
            (entry, self.coordinator, ("engine",)),
            (duty, self.liaison, ("coordinator", "engine")),
            (duty, self.coordinator, ("engine",)),
        ]
        checked = 0
        for record, user, refused in cases:
            for name, groups in record._guarded_fields().items():
                kind = "engine" if not groups else "coordinator"
                field = record._fields[name]
                if kind not in refused or not field.store or field.automatic:
                    continue
                with self.subTest(model=record._name, user=user.login, field=name):
                    before = record.read([name])
                    self._refused(AccessError, record.with_user(user).write, {name: self._other_value(record, name)})
                    record.invalidate_recordset()
                    self.assertEqual(record.read([name]), before)
                    checked += 1
        self.assertGreater(checked, 20)
        # The form's readonly comes from the same declaration.
        # (invalidated between users: the mixin's compute does not depend on the user in the cache)
        self.assertIn("state", entry.with_user(self.coordinator).guard_readonly_fields)
        self.assertNotIn("persuasion_count", duty.with_user(self.coordinator).guard_readonly_fields)
        duty.invalidate_recordset(["guard_readonly_fields"])
        self.assertIn("persuasion_count", duty.with_user(self.liaison).guard_readonly_fields)
