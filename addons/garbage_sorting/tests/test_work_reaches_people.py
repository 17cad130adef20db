"""Issue 12: the interview with the unit's head in a free hour of the leader, activities that end with their
work, reminders that always reach a person, and stored texts in the town's language."""

import re
from datetime import date, datetime
from itertools import pairwise

import pytz
from freezegun import freeze_time

from odoo.tests import TransactionCase, new_test_user, tagged
from odoo.tools import SQL, html2plaintext, mute_logger

from .common import GROUP, AssessmentCase, GarbageSortingCase, after_photo, month

SHANGHAI = pytz.timezone("Asia/Shanghai")


def local(moment):
    return pytz.utc.localize(moment).astimezone(SHANGHAI)


@tagged("post_install", "-at_install")
class TestInterviewSlots(AssessmentCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.leader.tz = "Asia/Shanghai"
        cls.units = cls._units(3, "village", prefix="Grey")
        cls.good = cls._units(1, "village", prefix="Good")
        Partner = cls.env["res.partner"]
        for unit in cls.units:
            unit.head_id = Partner.create({"name": f"Head of {unit.name}"})
            unit.leader_id = Partner.create({"name": f"Leader of {unit.name}"})

    def test_three_interviews_in_three_free_hours_of_the_leader_before_the_deadline(self):
        scores = [(unit, 60) for unit in self.units] + [(self.good, 90)]
        with freeze_time("2024-05-02 03:00:00"):  # a Thursday
            # the leader already meets someone on Friday at 9:00 (Shanghai)
            busy = self.env["calendar.event"].create(
                {
                    "name": "Town meeting",
                    "start": datetime(2024, 5, 3, 1, 0),
                    "stop": datetime(2024, 5, 3, 2, 0),
                    "user_id": self.leader.id,
                    "partner_ids": [(6, 0, self.leader.partner_id.ids)],
                }
            )
            self._publish_month(month(2024, 3), scores)
            april = self._publish_month(month(2024, 4), scores)
        escalations = april.escalation_ids
        self.assertEqual(escalations.mapped("level"), ["2"] * 3)
        events = escalations.event_id
        self.assertEqual(len(events), 3)
        slots = sorted((event.start, event.stop) for event in events)
        for (__, stop), (start, __) in pairwise(slots):
            self.assertLessEqual(stop, start, "two interviews never share an hour")
        for start, stop in slots:
            self.assertTrue(stop <= busy.start or start >= busy.stop, "the leader's other meeting is kept free")
            begin, end = local(start), local(stop)
            self.assertLess(begin.weekday(), 5)
            self.assertTrue(9 <= begin.hour < 11 or 14 <= begin.hour < 17, begin)
            self.assertTrue(end.hour <= 11 or 14 < end.hour <= 17, end)
            self.assertGreater(begin.date(), date(2024, 5, 2))
            self.assertLessEqual(begin.date(), escalations[0].date_deadline)
        # Friday 9:00 is taken: the first interviews are at 10:00, 14:00 and 15:00
        self.assertEqual([local(start).hour for start, __ in slots], [10, 14, 15])
        for escalation in escalations:
            unit = escalation.unit_id
            event = escalation.event_id
            self.assertEqual(event.user_id, self.leader, "chaired by the town leader")
            self.assertEqual(event.partner_ids, unit.head_id | unit.leader_id | self.leader.partner_id)

    def _employees_all_day_event(self, start_date, stop_date):
        """An ordinary all-day busy event of any employee, the town leader invited: core's calendar takes it
        whatever its dates (the addons check only their own records and the party meetings)."""
        employee = new_test_user(self.env, login=f"gs_employee_{start_date.year}", groups="base.group_user")
        event = (
            self.env["calendar.event"]
            .with_user(employee)
            .create(
                {
                    "name": "Away",
                    "allday": True,
                    "start_date": start_date,
                    "stop_date": stop_date,
                    "show_as": "busy",
                    "partner_ids": [(6, 0, (employee.partner_id | self.leader.partner_id).ids)],
                }
            )
        )
        self.assertEqual((event.start_date, event.stop_date), (start_date, stop_date))
        return event

    def test_an_event_from_the_first_year_of_the_calendar_is_busy_until_it_ends(self):
        scores = [(unit, 60) for unit in self.units] + [(self.good, 90)]
        with freeze_time("2024-05-02 03:00:00"):  # a Thursday
            # from 1 January of year 1 to Friday: the leader is free from Monday
            self._employees_all_day_event(date(1, 1, 1), date(2024, 5, 3))
            self._publish_month(month(2024, 3), scores)
            april = self._publish_month(month(2024, 4), scores)
        self.assertEqual(april.state, "published")
        escalations = april.escalation_ids
        self.assertEqual(escalations.mapped("level"), ["2"] * 3)
        starts = sorted(local(start) for start in escalations.event_id.mapped("start"))
        self.assertEqual([(start.date(), start.hour) for start in starts], [(date(2024, 5, 6), h) for h in (9, 10, 14)])

    def test_an_event_to_the_last_day_of_the_calendar_never_fails_the_publication(self):
        scores = [(unit, 60) for unit in self.units] + [(self.good, 90)]
        with freeze_time("2024-05-02 03:00:00"):
            # the leader is away from today to 31 December 9999: no free hour for an interview
            self._employees_all_day_event(date(2024, 5, 2), date(9999, 12, 31))
            self._publish_month(month(2024, 3), scores)
            april = self._publish_month(month(2024, 4), scores)
        self.assertEqual(april.state, "published")
        escalations = april.escalation_ids
        self.assertEqual(escalations.mapped("level"), ["2"] * 3)
        self.assertEqual(escalations.responsible_id, self.leader)
        self.assertFalse(escalations.event_id, "the leader is busy for the whole search: no interview is planned")


@tagged("post_install", "-at_install")
class TestActivitiesEndWithTheirWork(GarbageSortingCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.own_unit.liaison_id = cls.liaison.partner_id
        cls.env.company.garbage_taskforce_head_id = cls.manager.id

    def _rectifications(self, failures=1, unit=None):
        inspection = self._inspection(unit or self.own_unit, source="patrol", user=self.inspector)
        for line in inspection.line_ids[:failures]:
            line.with_user(self.inspector).write({"score": line.max_score - 1})
        inspection.with_user(self.inspector).action_done()
        return inspection.rectification_ids

    def _open_activities(self, user, records):
        return self.env["mail.activity"].search(
            [("user_id", "=", user.id), ("res_model", "=", records._name), ("res_id", "in", records.ids)]
        )

    def test_rectification_activities_follow_the_work(self):
        first, second = self._rectifications(failures=2)
        after_photo(first | second)
        self.assertEqual(len(self._open_activities(self.liaison, first | second)), 2)
        first.with_user(self.liaison).action_submit()
        # the liaison's to-do is done, with its line in the chatter; the inspector now has the recheck
        self.assertEqual(self._open_activities(self.liaison, first | second).res_id, second.id)
        self.assertIn("Submitted for recheck.", html2plaintext(first.message_ids[0].body))
        recheck = self._open_activities(self.inspector, first)
        self.assertEqual(len(recheck), 1)
        first.with_user(self.inspector).reject_reason = "Lid still broken"
        first.with_user(self.inspector).action_reject()
        self.assertFalse(recheck.exists())
        self.assertIn("Lid still broken", html2plaintext(first.message_ids[0].body))
        self.assertEqual(len(self._open_activities(self.liaison, first)), 1, "rejected: back to the liaison")
        first.with_user(self.liaison).action_submit()
        first.with_user(self.inspector).action_verify()
        self.assertFalse(first.activity_ids)
        self.assertIn("Verified at recheck.", html2plaintext(first.message_ids[0].body))
        self.assertEqual(len(self._open_activities(self.liaison, first | second)), 1)

    def test_work_plan_approval_activity(self):
        plan = self.env["garbage.work.plan"].create({"unit_id": self.own_unit.id, "year": 2030})
        plan.with_user(self.liaison).action_submit()
        self.assertEqual(self._open_activities(self.manager, plan).summary, f"Approve the work plan: {plan.name}")
        plan.with_user(self.manager).action_approve()
        self.assertFalse(plan.activity_ids)
        self.assertIn("Work plan approved.", html2plaintext(plan.message_ids[0].body))

    def test_met_obligation_closes_its_reminder(self):
        rule = self.env.ref("garbage_sorting.garbage_obligation_rule_self_inspection")
        Obligation = self.env["garbage.obligation"]
        today = date.today()
        obligation = Obligation._sync(today, rule).filtered(lambda o: o.unit_id == self.own_unit)
        self.env.company.garbage_obligation_reminder_days = 40
        Obligation._remind(obligation)
        self.assertEqual(self._open_activities(self.liaison, obligation).date_deadline, obligation.date_end)
        self._inspection(self.own_unit, source="self", user=self.liaison, date=today).with_user(
            self.liaison
        ).action_done()
        Obligation._sync(today, rule)
        self.assertEqual(obligation.state, "met")
        self.assertFalse(self._open_activities(self.liaison, obligation))
        self.assertIn("Cadence met.", html2plaintext(obligation.message_ids[0].body))


@tagged("post_install", "-at_install")
class TestRemindersReachAPerson(GarbageSortingCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.garbage_taskforce_head_id = cls.manager.id
        # the agency has no liaison and nobody acting for it

    def test_rectification_without_liaison_goes_to_the_task_force_head(self):
        inspection = self._inspection(self.agency, source="patrol", user=self.inspector)
        inspection.line_ids[:1].with_user(self.inspector).write({"score": 0})
        inspection.with_user(self.inspector).action_done()
        rectification = inspection.rectification_ids
        self.assertEqual(rectification.assignee_id, self.manager)
        self.assertEqual(rectification.activity_ids.user_id, self.manager)

    def test_obligation_reminder_without_liaison_goes_to_the_task_force_head(self):
        rule = self.env.ref("garbage_sorting.garbage_obligation_rule_self_inspection")
        Obligation = self.env["garbage.obligation"]
        obligation = Obligation._sync(date.today(), rule).filtered(lambda o: o.unit_id == self.agency)
        self.env.company.garbage_obligation_reminder_days = 40
        Obligation._remind(obligation)
        self.assertTrue(obligation.reminded)
        self.assertEqual(obligation.activity_ids.user_id, self.manager)


# Words of Latin letters allowed in the Chinese town: file types, unit codes and the like.
ALLOWED_WORDS = {"pdf", "xlsx", "html", "png", "jpg", "xx", "qr", "odoobot"}  # OdooBot: the system user's name
ENGLISH_WORD = re.compile(r"[A-Za-z]{3,}")


def english_words(text):
    return {word for word in ENGLISH_WORD.findall(text or "") if word.lower() not in ALLOWED_WORDS}


class DemoTownChecks:
    """The demo database as installed (no fixture of ours: they would be written in the tests' language)."""

    def _english(self, texts):
        return {text: words for text in texts if (words := english_words(text))}

    def test_demo_town_stores_no_english(self):
        """The demo is installed as a Chinese town: what the code stored there is Chinese, not English."""
        if not self.env.ref("garbage_sorting.garbage_unit_qingshan_demo", raise_if_not_found=False):
            self.skipTest("no demo data")
        models = [
            name for name in self.env.registry if name.startswith(("garbage.", "party.")) and self.env[name]._auto
        ]
        codes = set(self.env["garbage.unit"].with_context(active_test=False).search([]).mapped("code"))
        Activity = self.env["mail.activity"].with_context(active_test=False)
        found = {
            "activity": self._english(Activity.search([("res_model", "in", models)]).mapped("summary")),
            "escalation": self._english(self.env["garbage.escalation"].search([]).mapped("name")),
            "work plan": self._english(self.env["garbage.work.plan"].search([]).mapped("name")),
            "publication": self._english(
                self.env["garbage.assessment.period"].search([]).mapped("publish_confirmation_note")
            ),
            "attachment": self._english(self.env["ir.attachment"].search([("res_model", "in", models)]).mapped("name")),
            "interview": self._english(self.env["garbage.escalation"].search([]).event_id.mapped("name")),
            "message": self._english(
                html2plaintext(body)
                for body in self.env["mail.message"]
                .search([("model", "in", models), ("body", "!=", False), ("body", "!=", "")])
                .mapped("body")
            ),
        }
        # Creation lines of the records the demo adds to the ERP (its staff, contacts, meetings): "员工 创建"
        self.env.cr.execute(
            r"""
            SELECT message.body FROM mail_message message
             WHERE message.body::text ~ '<p>[A-Za-z ]+ 创建</p>'
               AND (EXISTS (SELECT 1 FROM ir_model_data data
                             WHERE data.model = message.model AND data.res_id = message.res_id
                               AND data.module IN ('garbage_sorting', 'party_branch_linkage'))
                    OR (message.model = 'calendar.event'
                        AND message.res_id IN (SELECT event_id FROM garbage_escalation)))
            """
        )
        found["creation line"] = {body: {"English"} for (body,) in self.env.cr.fetchall()}
        found = {
            kind: {text: words - codes for text, words in texts.items() if words - codes}
            for kind, texts in found.items()
        }
        self.assertEqual({kind: texts for kind, texts in found.items() if texts}, {})

    def test_demo_liaison_carries_no_activity_for_done_work(self):
        liaison = self.env.ref("garbage_sorting.user_liaison_demo", raise_if_not_found=False)
        if not liaison:
            self.skipTest("no demo data")
        activities = self.env["mail.activity"].search(
            [("user_id", "=", liaison.id), ("res_model", "=", "garbage.rectification")]
        )
        rectifications = self.env["garbage.rectification"].browse(activities.mapped("res_id"))
        self.assertFalse(rectifications.filtered(lambda r: r.state != "open"))


@tagged("post_install", "-at_install")
class TestDemoTown(DemoTownChecks, TransactionCase):
    pass


@tagged("post_install", "-at_install")
class TestTownLanguage(GarbageSortingCase):
    def test_stored_texts_follow_the_company_language_not_the_user(self):
        """An English-speaking task force in a Chinese town: the names and reminders it causes are Chinese."""
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env.company.partner_id.lang = "zh_CN"
        self.manager.lang = "en_US"
        self.env.company.garbage_taskforce_head_id = self.manager.id
        plan = self.env["garbage.work.plan"].with_user(self.manager).create({"unit_id": self.agency.id, "year": 2031})
        self.assertFalse(english_words(plan.name) - {"Test", "Bureau"}, plan.name)
        plan.with_user(self.manager).action_submit()
        summary = plan.activity_ids.summary
        self.assertFalse(english_words(summary) - {"Test", "Bureau"}, summary)
        inspection = self._inspection(self.agency, source="patrol", user=self.inspector)
        inspection.line_ids[:1].with_user(self.inspector).write({"score": 0})
        inspection.with_user(self.manager).action_done()
        rectification = inspection.rectification_ids
        self.assertNotIn("Rectify", rectification.activity_ids.summary)
        # an error shown to the English-speaking user stays in English
        user = new_test_user(self.env, login="t_en_liaison", groups=GROUP + "liaison", lang="en_US")
        with self.assertRaisesRegex(Exception, "[A-Za-z]{5,}"):
            rectification.with_user(user).action_verify()
        self.assertEqual(rectification.state, "open")

    @mute_logger("odoo.addons.garbage_sorting.models.garbage_obligation")
    def test_scheduled_jobs_tell_the_task_force_in_the_town_language(self):
        """A scheduled job runs without a language of its own (English): what it stores for the task force, a
        failing cadence rule or a mutual round to confirm, is in the town's language."""
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env.company.partner_id.lang = "zh_CN"
        self.env.company.garbage_taskforce_head_id = self.manager.id
        job = self.env(context={"lang": "en_US"})
        rule = job["garbage.obligation.rule"].create(
            {"name": "巡查", "model_id": self.env["ir.model"]._get_id("garbage.inspection"), "domain": "[]"}
        )
        self.env.flush_all()
        self.env.cr.execute(SQL("UPDATE garbage_obligation_rule SET date_field = 'gone_date' WHERE id = %s", rule.id))
        self.env.invalidate_all()
        job["garbage.obligation"]._sync(date(2031, 5, 20), rule)
        self.assertTrue(rule.is_failing)
        self.assertFalse(english_words(rule.activity_ids.summary), rule.activity_ids.summary)
        with freeze_time("2031-03-01"):
            job["garbage.mutual.round"]._cron_prepare_round()
        prepared = self.env["garbage.mutual.round"].search(
            [("date", "=", date(2031, 3, 1)), ("company_id", "=", self.env.company.id)]
        )
        self.assertTrue(prepared.activity_ids)
        self.assertFalse(english_words(prepared.activity_ids.summary), prepared.activity_ids.summary)
