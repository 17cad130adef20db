from datetime import date

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged

from ..models.garbage_mutual_round import pair_units
from .common import GarbageSortingCase


@tagged("post_install", "-at_install")
class TestMutualRound(GarbageSortingCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.units = cls.own_unit | cls.other_unit | cls.agency
        cls.units |= cls.env["garbage.unit"].create(
            [{"name": f"Round Unit {i}", "code": f"T-R{i}", "unit_type": "enterprise"} for i in range(3)]
        )

    def _run_wizard(self, units, user=None):
        wizard = Form(self.env["garbage.mutual.round.wizard"].with_user(user or self.manager))
        wizard.unit_ids.clear()
        for unit in units:
            wizard.unit_ids.add(unit)
        action = wizard.save().action_create_round()
        return self.env["garbage.mutual.round"].browse(action["res_id"])

    def _assert_valid(self, pairs, ids):
        self.assertEqual(sorted(inspector for inspector, _ in pairs), sorted(ids))
        self.assertEqual(sorted(inspected for _, inspected in pairs), sorted(ids))
        self.assertFalse([pair for pair in pairs if pair[0] == pair[1]])

    def test_pairing_is_a_deterministic_derangement(self):
        ids = [11, 12, 13, 14, 15]
        pairs = pair_units(ids)
        self._assert_valid(pairs, ids)
        self.assertEqual(pairs, pair_units(ids))
        self.assertEqual(pairs, [(11, 12), (12, 13), (13, 14), (14, 15), (15, 11)])

    def test_pairing_avoids_previous_pairs(self):
        ids = [1, 2, 3, 4]
        first = pair_units(ids)
        second = pair_units(ids, set(first))
        self._assert_valid(second, ids)
        self.assertFalse(set(first) & set(second))
        third = pair_units(ids, set(second))
        self._assert_valid(third, ids)
        self.assertFalse(set(second) & set(third))

    def test_pairing_impossible_cases(self):
        self.assertIsNone(pair_units([1]))
        self.assertIsNone(pair_units([1, 2], {(1, 2)}))
        self.assertEqual(pair_units([1, 2]), [(1, 2), (2, 1)])

    def test_wizard_defaults_to_all_active_units_and_standard_checklist(self):
        wizard = self.env["garbage.mutual.round.wizard"].with_user(self.manager).create({})
        # the town's own units (the superuser's search sees every town's)
        self.assertEqual(wizard.unit_ids, self.env["garbage.unit"].search([("company_id", "=", self.env.company.id)]))
        self.assertEqual(wizard.template_id, self.template)

    def test_wizard_creates_draft_inspections_without_repeating_previous_round(self):
        first = self._run_wizard(self.units)
        self.assertEqual(len(first.inspection_ids), len(self.units))
        for inspection in first.inspection_ids:
            self.assertEqual(inspection.source, "mutual")
            self.assertEqual(inspection.state, "draft")
            self.assertNotEqual(inspection.unit_id, inspection.inspecting_unit_id)
            self.assertEqual(inspection.inspector_ids, inspection.inspecting_unit_id.user_ids)
            self.assertEqual(len(inspection.line_ids), len(self.template.item_ids))
        self.assertEqual(first.inspection_ids.unit_id, self.units)
        self.assertEqual(first.inspection_ids.inspecting_unit_id, self.units)
        second = self._run_wizard(self.units)
        self.assertFalse(first._get_pairs() & second._get_pairs())
        self.assertEqual(len(second._get_pairs()), len(self.units))

    def test_assigned_unit_fills_its_inspection(self):
        mutual_round = self._run_wizard(self.units)
        mine = mutual_round.inspection_ids.filtered(lambda i: i.inspecting_unit_id == self.own_unit)
        mine.line_ids[0].with_user(self.liaison).score = 0
        mine.with_user(self.liaison).action_done()
        self.assertEqual(mine.state, "done")
        self.assertTrue(mine.rectification_ids)

    def test_impossible_round_is_refused_and_nothing_stored(self):
        pair = self.own_unit | self.other_unit
        self._run_wizard(pair)
        rounds = self.env["garbage.mutual.round"].search_count([])
        inspections = self.env["garbage.inspection"].search_count([])
        with self.assertRaises(UserError):
            self._run_wizard(pair)
        self.assertEqual(self.env["garbage.mutual.round"].search_count([]), rounds)
        self.assertEqual(self.env["garbage.inspection"].search_count([]), inspections)

    def test_only_task_force_organises_rounds(self):
        for user in (self.liaison, self.inspector, self.leader):
            with self.assertRaises(AccessError):
                self.env["garbage.mutual.round.wizard"].with_user(user).create({"unit_ids": self.units.ids})
            with self.assertRaises(AccessError):
                self.env["garbage.mutual.round"].with_user(user).create({})


@tagged("post_install", "-at_install")
class TestMutualRoundWindow(GarbageSortingCase):
    """A round's mutual inspections are made within its two months (March-April here, in the town's time): a unit
    records a refusal and dates its inspection back within them only until they are over; the task force always.
    A refusal tells the refused unit's liaison and the task-force head, until the task force withdraws it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.garbage_taskforce_head_id = cls.manager
        cls.admin = cls.env.ref("base.user_admin")
        with freeze_time("2025-03-03"):
            mutual_round = (
                cls.env["garbage.mutual.round"]
                .with_user(cls.manager)
                .create(
                    {
                        "date": date(2025, 3, 3),
                        "pair_ids": [
                            Command.create({"inspecting_unit_id": inspecting.id, "unit_id": inspected.id})
                            for inspecting, inspected in (
                                (cls.own_unit, cls.other_unit),
                                (cls.other_unit, cls.own_unit),
                            )
                        ],
                    }
                )
            )
            mutual_round.with_user(cls.manager).action_confirm()
        # ours: the liaison's village inspects the other village; theirs: the other way round
        cls.ours = mutual_round.inspection_ids.filtered(
            lambda inspection: inspection.inspecting_unit_id == cls.own_unit
        )
        cls.theirs = mutual_round.inspection_ids - cls.ours

    def _assert_refused(self, call, text):
        """`call` is refused with a UserError (not an access error) saying `text`; its savepoint keeps nothing."""
        with self.assertRaises(UserError) as caught:
            call()
        self.assertNotIsInstance(caught.exception, AccessError)
        self.assertIn(text, str(caught.exception))

    def test_a_refusal_tells_the_refused_unit_and_the_head_until_it_is_withdrawn(self):
        reason = "The village office was locked."
        # 23:00 on 30 April in the town: the round's last day
        with freeze_time("2025-04-30 15:00:00"):
            self.assertTrue(self.ours.with_user(self.liaison).user_may_refuse)
            self.ours.with_user(self.liaison).action_refuse(reason)
        activities = self.ours.activity_ids
        self.assertEqual(activities.user_id, self.other_liaison | self.manager, "not the unit that recorded it")
        self.assertEqual(set(activities.mapped("summary")), {f"Mutual inspection {self.ours.name} refused"})
        self.assertEqual(set(activities.mapped("date_deadline")), {date(2025, 4, 30)})
        self.assertIn(reason, activities[0].note)
        self.assertIn(self.other_unit.name, activities[0].note)
        # the refused unit reads its own activity
        self.assertEqual(
            self.env["mail.activity"].with_user(self.other_liaison).search([("res_id", "=", self.ours.id)]).user_id,
            self.other_liaison,
        )
        # only the task force withdraws the refusal, which closes them
        with self.assertRaises(AccessError):
            self.ours.with_user(self.liaison).action_reset_to_draft()
        self.assertEqual(self.ours.activity_ids, activities)
        self.ours.with_user(self.manager).action_reset_to_draft()
        self.assertFalse(self.ours.activity_ids)
        self.assertEqual(
            len(self.ours.message_ids.filtered(lambda message: "Refusal withdrawn by the task force." in message.body)),
            2,
            "one line a closed activity",
        )
        # refused again, in a town that speaks Chinese: its activities too, whoever records it
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env.company.partner_id.lang = "zh_CN"
        self.liaison.lang = "en_US"
        with freeze_time("2025-04-30 15:00:00"):
            self.ours.with_user(self.liaison).action_refuse(reason)
        self.assertEqual(len(self.ours.activity_ids), 2)
        for activity in self.ours.activity_ids:
            self.assertIn("互查", activity.summary)
            self.assertIn("互查", activity.note)

    def test_after_the_two_months_only_the_task_force_records_a_refusal(self):
        # 1 May, 01:00 in the town (still 30 April in UTC): the round's two months are over
        with freeze_time("2025-04-30 17:00:00"):
            self._assert_refused(
                lambda: self.ours.with_user(self.liaison).action_refuse("Locked."),
                "only the task force records a refusal after them",
            )
            for user in (self.other_liaison, self.inspector, self.leader):
                with self.subTest(user=user.login), self.assertRaises(AccessError):
                    self.ours.with_user(user).action_refuse("Locked.")
            # the form offers the button as the server accepts it
            self.assertFalse(self.ours.with_user(self.liaison).user_may_refuse)
            self.assertTrue(self.ours.with_user(self.manager).user_may_refuse)
            self.assertEqual((self.ours.state, self.ours.refusal_reason), ("draft", False))
            self.assertFalse(self.ours.activity_ids)
            self.ours.with_user(self.manager).action_refuse("Locked.")
        self.assertEqual((self.ours.state, self.ours.refusal_date), ("refused", date(2025, 5, 1)))
        self.assertEqual(self.ours.activity_ids.user_id, self.other_liaison | self.manager)

    def test_never_dated_before_the_round_nor_back_into_it_once_it_is_over(self):
        with freeze_time("2025-04-10"):
            # before the round: nobody, the task force and the administrator included
            for user in (self.liaison, self.manager, self.admin):
                with self.subTest(user=user.login), self.assertRaises(ValidationError):
                    self.ours.with_user(user).write({"date": date(2025, 3, 2)})
            # nor does moving the round leave its inspections before it
            with self.assertRaises(ValidationError):
                self.ours.mutual_round_id.with_user(self.manager).write({"date": date(2025, 3, 10)})
            self.assertEqual(self.ours.mutual_round_id.date, date(2025, 3, 3))
            # within the two months, the unit dates it on the day it made it
            self.ours.with_user(self.liaison).write({"date": date(2025, 4, 9)})
        with freeze_time("2025-05-06"):
            # after them, a unit dates it the day it is made, not back within the round (nor closes it so)
            for inspection, user in ((self.ours, self.liaison), (self.theirs, self.other_liaison)):
                with self.subTest(user=user.login):
                    self._assert_refused(
                        lambda inspection=inspection, user=user: inspection.with_user(user).write(
                            {"date": date(2025, 4, 28)}
                        ),
                        "not back within the round",
                    )
                    self._assert_refused(
                        lambda inspection=inspection, user=user: inspection.with_user(user).action_done(),
                        "not back within the round",
                    )
            self.assertEqual((self.ours.date, self.ours.state), (date(2025, 4, 9), "draft"))
            self.assertEqual((self.theirs.date, self.theirs.state), (date(2025, 3, 3), "draft"))
            self.ours.with_user(self.liaison).write({"date": date(2025, 5, 6)})
            self.ours.with_user(self.liaison).action_done()
            # the task force dates one back within the round (made then, recorded late)
            self.theirs.with_user(self.manager).write({"date": date(2025, 4, 28)})
            self.theirs.with_user(self.manager).action_done()
        self.assertEqual((self.ours.state, self.ours.date), ("done", date(2025, 5, 6)))
        self.assertEqual((self.theirs.state, self.theirs.date), ("done", date(2025, 4, 28)))
