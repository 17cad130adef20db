import logging

from odoo.tests import TransactionCase, tagged

_logger = logging.getLogger(__name__)


class DemoStoryChecks:
    """A reviewer's walk through the demo town, login by login: what each of the README's demo logins sees
    when they log in (read with their own rights), logged so that the walk can be followed."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        ref = cls.env.ref
        cls.taskforce = ref("garbage_sorting.user_taskforce_demo")
        cls.leader = ref("garbage_sorting.user_leader_demo")
        cls.inspector = ref("garbage_sorting.user_inspector_demo")
        cls.liaison = ref("garbage_sorting.user_liaison_demo")
        cls.coordinator = ref("garbage_sorting.user_coordinator_demo")
        cls.secretary = ref("party_branch_linkage.user_secretary_demo")

    def _activities(self, user, model):
        activities = (
            self.env["mail.activity"].with_user(user).search([("user_id", "=", user.id), ("res_model", "=", model)])
        )
        _logger.info(
            "demo walk: %s sees %s activities on %s: %s",
            user.login,
            len(activities),
            model,
            "; ".join(activities.mapped("summary")[:5]),
        )
        return activities

    def test_duties_are_charged_to_whoever_owes_them(self):
        ref = self.env.ref
        rules = ref("garbage_sorting.garbage_obligation_rule_mutual_inspection") | ref(
            "party_branch_linkage.garbage_obligation_rule_one_one_n"
        )
        # The task force's own obligations (mutual rounds, 1+1+N activities) show to it, met period after period.
        own = self.env["garbage.obligation"].with_user(self.taskforce).search([("is_task_force", "=", True)])
        self.assertEqual(own.rule_id, rules)
        self.assertIn("met", own.filtered(lambda o: o.rule_id == rules[0]).mapped("state"))
        self.assertIn("met", own.filtered(lambda o: o.rule_id == rules[1]).mapped("state"))
        self.assertFalse(own.unit_id)
        self.assertFalse(
            self.env["garbage.obligation"].search([("rule_id", "in", rules.ids), ("unit_id", "!=", False)])
        )
        self.assertFalse(self.env["garbage.obligation"].with_user(self.liaison).search([("is_task_force", "=", True)]))
        _logger.info("demo walk: taskforce sees %s obligations of its own", len(own))
        # 锦绣社区 skipped its part of a confirmed round: charged in a published month, with the reason.
        charged = (
            self.env["garbage.assessment"]
            .with_user(self.leader)
            .search([("skipped_count", ">", 0), ("period_id.state", "=", "published")])
        )
        self.assertEqual(charged.unit_id, ref("garbage_sorting.garbage_unit_jinxiu_demo"))
        skipped = self.env["garbage.inspection"].search(
            [("inspecting_unit_id", "=", charged.unit_id.id), ("state", "=", "draft"), ("mutual_round_id", "!=", False)]
        )
        self.assertIn(skipped.name, charged.deductions)
        self.assertEqual(
            charged.penalty, 5 * (charged.missed_count + charged.skipped_count) + 2 * charged.overdue_count
        )
        _logger.info("demo walk: %s charged: %s", charged.unit_id.name, charged.deductions)
        # The liaison recorded 滨河社区's work meeting of this month, and owns it.
        meetings = (
            self.env["calendar.event"]
            .with_user(self.liaison)
            .search([("party_meeting_kind", "=", "work"), ("create_uid", "=", self.liaison.id)])
        )
        self.assertEqual(meetings.party_organizer_unit_id, ref("garbage_sorting.garbage_unit_binhe_demo"))
        self.assertTrue(meetings.party_minutes and meetings.party_photo_ids and meetings.partner_ids)
        self.assertTrue(meetings.party_user_can_manage)

    def test_settings_name_the_task_force_head_and_the_town_leader(self):
        town = self.env.company
        self.assertEqual(town.garbage_taskforce_head_id, self.taskforce)
        self.assertEqual(town.garbage_town_leader_id, self.leader)

    def test_every_demo_unit_has_its_people(self):
        units = self.env["garbage.unit"].search([("company_id", "=", self.taskforce.company_id.id)])
        self.assertEqual(len(units), 21)
        for unit in units:
            with self.subTest(unit=unit.name):
                for person in (unit.leader_id, unit.line_head_id, unit.liaison_id):
                    self.assertTrue(person, f"{unit.name} lacks a person in charge")
                    self.assertTrue(person.phone or person.mobile, f"{person.name} has no phone")
                    self.assertTrue(any("\u4e00" <= char <= "\u9fff" for char in person.name), person.name)

    def test_taskforce_sees_the_level_one_and_three_escalations(self):
        escalations = self.env["garbage.escalation"].with_user(self.taskforce).search([("state", "=", "open")])
        self.assertTrue(escalations)
        activities = self._activities(self.taskforce, "garbage.escalation")
        levels = set(self.env["garbage.escalation"].browse(activities.mapped("res_id")).mapped("level"))
        self.assertIn("3", levels)
        self.assertIn("1", levels)

    def test_leader_sees_the_interviews(self):
        escalations = (
            self.env["garbage.escalation"].with_user(self.leader).search([("level", "=", "2"), ("state", "=", "open")])
        )
        self.assertTrue(escalations)
        self.assertEqual(escalations.responsible_id, self.leader)
        interviews = escalations.event_id.with_user(self.leader)
        self.assertTrue(interviews)
        self.assertEqual(set(interviews.mapped("user_id")), {self.leader})
        for interview in interviews:
            self.assertIn(self.leader.partner_id, interview.partner_ids)
            self.assertTrue(interview.name)
        _logger.info("demo walk: leader has the interviews %s", ", ".join(interviews.mapped("name")))
        self.assertTrue(self._activities(self.leader, "garbage.escalation"))

    def test_liaison_has_rectifications_and_reminders_to_answer(self):
        rectifications = (
            self.env["garbage.rectification"].with_user(self.liaison).search([("state", "in", ("open", "submitted"))])
        )
        self.assertTrue(rectifications)
        activities = self._activities(self.liaison, "garbage.rectification")
        open_ones = (
            self.env["garbage.rectification"].browse(activities.mapped("res_id")).filtered(lambda r: r.state == "open")
        )
        self.assertTrue(open_ones, "the liaison has a rectification to answer")
        # 滨河社区 has not held this month's overdue-time correction yet: its liaison is reminded.
        reminders = self._activities(self.liaison, "garbage.obligation")
        reminded = self.env["garbage.obligation"].browse(reminders.mapped("res_id"))
        self.assertIn(self.env.ref("garbage_sorting.garbage_unit_binhe_demo"), reminded.unit_id)
        self.assertIn("pending", reminded.mapped("state"))

    def test_inspector_coordinator_and_secretary_see_their_work(self):
        inspections = self.env["garbage.inspection"].with_user(self.inspector).search([])
        self.assertTrue(inspections)
        _logger.info("demo walk: inspector sees %s inspections", len(inspections))
        duties = self.env["garbage.volunteer.duty"].with_user(self.coordinator).search([])
        self.assertTrue(duties)
        _logger.info("demo walk: coordinator sees %s duties", len(duties))
        organizations = self.env["party.organization"].with_user(self.secretary).search([])
        self.assertIn(self.env.ref("party_branch_linkage.party_organization_qingshan_demo"), organizations)
        meetings = self.env["calendar.event"].with_user(self.secretary).search([("party_meeting_kind", "!=", False)])
        self.assertTrue(meetings)
        _logger.info("demo walk: secretary sees %s party meetings", len(meetings))
        # 青山村党支部 has not held this month's publicity yet: its secretary is reminded.
        self.assertTrue(self._activities(self.secretary, "garbage.obligation"), "the secretary is reminded")


@tagged("post_install", "-at_install")
class TestDemoStory(DemoStoryChecks, TransactionCase):
    """The walk on the demo town as installed (the same walk runs on other days in tests/any_day)."""
