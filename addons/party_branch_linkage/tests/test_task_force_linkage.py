import importlib.util
from datetime import date, datetime
from pathlib import Path

from freezegun import freeze_time

from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged
from odoo.tools.safe_eval import safe_eval

from .common import PartyCase

MIGRATION = Path(__file__).resolve().parents[1] / "migrations" / "18.0.1.3.0" / "post-task-force-duties.py"
PHOTO_PNG = b"iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGPQqzUCAAG6AN7Eir+IAAAAAElFTkSuQmCC"


@tagged("post_install", "-at_install")
class TestOneOneNIsTheTaskForces(PartyCase):
    """The 1+1+N linkage is the task force's (专班与商会联动、专班与骨干企业、各责任单位互动): its monthly
    activity is the task force's own obligation. No member unit is charged when none took place."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.partner_id.lang = "en_US"
        cls.rule = cls.env.ref("party_branch_linkage.garbage_obligation_rule_one_one_n")
        cls.group = cls.env["party.linkage.group"].create(
            {
                "name": "1+1+N",
                "kind": "one_one_n",
                "lead_unit_id": cls.bureau.id,
                "unit_ids": [(6, 0, (cls.village | cls.community).ids)],
                "organization_ids": [(6, 0, cls.village_branch.ids)],
            }
        )
        cls.other_group = cls.env["party.linkage.group"].create(
            {"name": "Working group", "kind": "working_group", "unit_ids": [(6, 0, cls.village.ids)]}
        )
        cls.head = new_test_user(cls.env, login="pt_tf_head", groups="garbage_sorting.garbage_sorting_group_manager")
        cls.env.company.garbage_taskforce_head_id = cls.head
        cls.Obligation = cls.env["garbage.obligation"]

    def _month(self, day):
        obligations = self.Obligation._sync(day, self.rule)
        self.assertEqual(len(obligations), 1, "one obligation a month: the task force's")
        return obligations

    @freeze_time("2024-04-10")
    def test_the_monthly_activity_is_counted_for_the_task_force_only(self):
        # February: the working group met, the 1+1+N group did not; a 1+1+N training was cancelled.
        self._meeting("training", "2024-02-16 06:30:00", party_linkage_group_id=self.other_group.id)
        cancelled = self._meeting("seminar", "2024-02-17 06:30:00", party_linkage_group_id=self.group.id)
        cancelled.action_party_cancel()
        february = self._month(date(2024, 2, 1))
        self.assertEqual(
            (february.is_task_force, february.unit_id, february.state), (True, self.env["garbage.unit"], "missed")
        )
        self.assertFalse(february.party_organization_id)
        self.assertEqual(february._get_reminder_user(), self.head)
        self.assertFalse(
            self.Obligation.search([("rule_id", "=", self.rule.id), ("unit_id", "!=", False)]),
            "no member unit owes the group's activity",
        )
        # March: a symposium of the 1+1+N group meets it.
        self._meeting("symposium", "2024-03-16 06:30:00", party_linkage_group_id=self.group.id)
        self.assertEqual(self._month(date(2024, 3, 1)).state, "met")
        # February's missing activity costs none of the group's units a point.
        inspections = self.env["garbage.inspection"].create(
            [
                {
                    "unit_id": unit.id,
                    "source": source,
                    "date": date(2024, 2, 10),
                    "line_ids": [(0, 0, {"name": "Overall", "max_score": 100, "score": 90})],
                }
                for unit in self.units
                for source in ("patrol", "self")
            ]
        )
        inspections.action_done()
        Period = self.env["garbage.assessment.period"]
        period = Period.search([("date_start", "=", date(2024, 2, 1))]) or Period.create(
            {"date_start": date(2024, 2, 1)}
        )
        period.action_compute()
        for line in period.line_ids.filtered(lambda line: line.unit_id in self.units):
            self.assertNotIn(self.rule.name, line.deductions or "")
        village = period.line_ids.filtered(lambda line: line.unit_id == self.village)
        own = self.Obligation.search(
            [
                ("unit_id", "=", self.village.id),
                ("state", "=", "missed"),
                ("date_end", ">=", "2024-02-01"),
                ("date_end", "<=", "2024-02-29"),
                ("rule_id.subject", "=", "unit"),
            ]
        )
        self.assertEqual(village.missed_count, len(own), "its own duties only (its quarterly meetings...)")
        self.assertEqual(village.penalty, 5 * len(own) + 2 * village.overdue_count)
        self.assertEqual(village.score, 90 - village.penalty)
        self.assertEqual(len(village.deductions.splitlines()), len(own) + bool(village.overdue_count))

    def test_migration_moves_the_rule_to_the_task_force(self):
        shipped = {
            "domain": "[('party_meeting_kind', 'in', ['training', 'seminar', 'symposium']), "
            "('party_state', '!=', 'cancelled')]",
            "subject": "unit",
            "unit_field": "garbage_unit_ids",
            "unit_domain": "['|', ('party_linkage_group_ids.kind', '=', 'one_one_n'), "
            "('party_led_linkage_group_ids.kind', '=', 'one_one_n')]",
            "reminder_target": "liaison",
        }
        self.rule.write(shipped)
        missed = self.Obligation.create(
            {
                "rule_id": self.rule.id,
                "unit_id": self.village.id,
                "date_start": date(2024, 1, 1),
                "date_end": date(2024, 1, 31),
                "expected": 1,
                "state": "missed",
            }
        )
        pending = self.Obligation.create(
            {
                "rule_id": self.rule.id,
                "unit_id": self.village.id,
                "date_start": date(2024, 2, 1),
                "date_end": date(2024, 2, 28),
                "expected": 1,
                "state": "pending",
            }
        )
        spec = importlib.util.spec_from_file_location("party_post_migrate_1_3", MIGRATION)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        for __ in range(2):
            module.migrate(self.env.cr, "18.0.1.2.0")
            self.env.invalidate_all()
            self.assertEqual(
                (self.rule.subject, self.rule.reminder_target, self.rule.unit_field),
                ("task_force", "task_force", False),
            )
            self.assertIn("('party_linkage_group_id.kind', '=', 'one_one_n')", self.rule.domain)
            self.assertTrue(missed.exists())
            self.assertFalse(pending.exists())


@tagged("post_install", "-at_install")
class TestLiaisonRecordsQuarterlyMeetings(PartyCase):
    """A liaison records their unit's quarterly meetings (工作例会、党群议事会、治理联席会), owns what they
    record, never backdates into a published month, and touches no other unit's or kind's meeting."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.liaison = new_test_user(
            cls.env, login="pt_unit_liaison", groups="garbage_sorting.garbage_sorting_group_liaison"
        )
        cls.other_liaison = new_test_user(
            cls.env, login="pt_unit_liaison2", groups="garbage_sorting.garbage_sorting_group_liaison"
        )
        cls.village.user_ids = cls.liaison
        cls.community.user_ids = cls.other_liaison
        cls.Event = cls.env["calendar.event"].with_user(cls.liaison)

    def _vals(self, start="2024-05-12 01:30:00", kind="work", unit=None, **values):
        return {
            "name": f"{kind} meeting",
            "party_meeting_kind": kind,
            "party_organizer_unit_id": (unit or self.village).id,
            "start": start,
            "stop": start,
            **values,
        }

    def _photo(self, user):
        return (
            self.env["ir.attachment"]
            .with_user(user)
            .create({"name": "meeting.png", "datas": PHOTO_PNG, "res_model": "calendar.event", "res_id": 0})
        )

    @freeze_time("2024-05-20 04:00:00")
    def test_liaison_records_and_keeps_their_units_quarterly_meeting(self):
        photo = self._photo(self.liaison)
        colleague = self.env["res.partner"].create({"name": "Village head"})
        meeting = self.Event.create(
            self._vals(
                partner_ids=[(6, 0, (self.liaison.partner_id | colleague).ids)],
                party_minutes="<p>Bins relabelled; a volunteer on duty at the east gate.</p>",
                party_photo_ids=[(6, 0, photo.ids)],
            )
        )
        self.assertTrue(meeting.party_user_can_manage)
        self.assertEqual(meeting.garbage_unit_ids, self.village)
        self.assertEqual(meeting.partner_ids, self.liaison.partner_id | colleague)
        self.assertEqual(meeting.party_photo_ids, photo)
        meeting.write({"party_minutes": "<p>And the notice board renewed.</p>", "party_meeting_kind": "deliberation"})
        self.assertEqual(meeting.party_meeting_kind, "deliberation")
        meeting.action_party_cancel()
        meeting.action_party_restore()
        # It counts in the unit's quarter, like the secretary's meetings do.
        rule = self.env.ref("party_branch_linkage.garbage_obligation_rule_deliberation")
        obligation = (
            self.env["garbage.obligation"]._sync(date(2024, 5, 1), rule).filtered(lambda o: o.unit_id == self.village)
        )
        self.assertEqual(obligation.done, 1)
        # The other liaison can do none of it.
        for vals in ({"party_minutes": "<p>No</p>"}, {"name": "Renamed"}):
            with self.assertRaises(AccessError):
                meeting.with_user(self.other_liaison).write(vals)
        with self.assertRaises(AccessError):
            meeting.with_user(self.other_liaison).action_party_cancel()

    @freeze_time("2024-05-20 04:00:00")
    def test_liaison_refused_other_units_other_kinds_and_others_meetings(self):
        refusals = {
            "another unit's": self._vals(unit=self.community),
            "a publicity activity": self._vals(kind="publicity"),
            "a 1+1+N training": self._vals(kind="training"),
            "with another unit concerned": self._vals(garbage_unit_ids=[(6, 0, (self.village | self.community).ids)]),
            "as a party organisation's": self._vals(party_organization_id=self.village_branch.id),
        }
        count = self.env["calendar.event"].search_count([])
        for label, vals in refusals.items():
            with self.subTest(label), self.assertRaises(AccessError):
                self.Event.create(vals)
        self.assertEqual(self.env["calendar.event"].search_count([]), count)
        # The unit's meeting the secretary recorded is the secretary's: the liaison reads it, changes nothing.
        secretarys = (
            self.env["calendar.event"]
            .with_user(self.secretary)
            .create(self._vals(start="2024-05-28 01:30:00", name="Secretary's work meeting"))
        )
        self.assertIn(secretarys, self.Event.search([]))
        self.assertFalse(secretarys.with_user(self.liaison).party_user_can_manage)
        for vals in (
            {"party_minutes": "<p>Mine now</p>"},
            {"start": "2024-05-13 01:30:00"},
            {"partner_ids": [(6, 0, [])]},
        ):
            with self.subTest(vals=vals), self.assertRaises(AccessError):
                secretarys.with_user(self.liaison).write(vals)
        with self.assertRaises(AccessError):
            secretarys.with_user(self.liaison).action_party_cancel()
        with self.assertRaises(AccessError):
            secretarys.with_user(self.liaison).unlink()
        # Nor does the liaison move their own meeting to another unit or kind.
        own = self.Event.create(self._vals())
        for vals in ({"party_organizer_unit_id": self.community.id}, {"party_meeting_kind": "publicity"}):
            with self.subTest(vals=vals), self.assertRaises(AccessError), self.env.cr.savepoint():
                own.write(vals)
        own.invalidate_recordset()
        self.assertEqual((own.party_organizer_unit_id, own.party_meeting_kind), (self.village, "work"))

    @freeze_time("2024-05-20 04:00:00")
    def test_liaison_does_not_backdate_into_a_published_month(self):
        Period = self.env["garbage.assessment.period"]
        march = Period.search([("date_start", "=", date(2024, 3, 1))]) or Period.create(
            {"date_start": date(2024, 3, 1)}
        )
        march.sudo().write({"state": "published"})  # as the task force's publishing leaves it
        with self.assertRaises(AccessError):
            self.Event.create(self._vals(start="2024-03-20 01:30:00"))
        own = self.Event.create(self._vals())
        with self.assertRaises(AccessError), self.env.cr.savepoint():
            own.write({"start": "2024-03-20 01:30:00", "stop": "2024-03-20 03:30:00"})
        own.invalidate_recordset()
        self.assertEqual(own.start, datetime(2024, 5, 12, 1, 30))
        # April is not published: recorded late, it still counts.
        self.assertTrue(self.Event.create(self._vals(start="2024-04-20 01:30:00")))

    @freeze_time("2024-06-25 04:00:00")
    def test_the_reminder_leads_to_recording_the_meeting(self):
        rule = self.env.ref("party_branch_linkage.garbage_obligation_rule_governance")
        obligation = (
            self.env["garbage.obligation"]._sync(date(2024, 6, 1), rule).filtered(lambda o: o.unit_id == self.village)
        )
        self.env["garbage.obligation"]._remind(obligation)
        self.assertEqual(obligation.activity_ids.user_id, self.liaison)
        mine = obligation.with_user(self.liaison)
        self.assertEqual(mine.party_meeting_kind_to_record, "governance")
        action = mine.action_record_meeting()
        self.assertEqual(action["res_model"], "calendar.event")
        Event = self.env["calendar.event"].with_user(self.liaison).with_context(**action["context"])
        # the meeting held yesterday, recorded: it counts at once (a planned one counts once held)
        meeting = Event.create({"start": "2024-06-24 01:30:00", "stop": "2024-06-24 03:30:00"})
        self.assertEqual((meeting.party_meeting_kind, meeting.party_organizer_unit_id), ("governance", self.village))
        self.assertEqual(
            self.env["garbage.obligation"]
            ._sync(date(2024, 6, 1), rule)
            .filtered(lambda o: o.unit_id == self.village)
            .state,
            "met",
        )
        # Their menu lists their unit's quarterly meetings, and a new one is their unit's.
        menu_action = (
            self.env["ir.actions.act_window"]
            .with_user(self.liaison)
            ._for_xml_id("party_branch_linkage.calendar_event_action_unit_meetings")
        )
        self.assertIn(meeting, self.Event.search(safe_eval(menu_action["domain"], {"uid": self.liaison.id})))
        defaults = self.Event.with_context(party_liaison_unit_meeting=True).default_get(["party_organizer_unit_id"])
        self.assertEqual(defaults["party_organizer_unit_id"], self.village.id)
        # A secretary's obligation (the organisation's publicity) has no unit meeting to record.
        publicity = self.env.ref("party_branch_linkage.garbage_obligation_rule_publicity")
        branch_obligation = self.env["garbage.obligation"]._sync(date(2024, 6, 1), publicity)[:1]
        self.assertFalse(branch_obligation.party_meeting_kind_to_record)
