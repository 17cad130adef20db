"""The party-building assessment (党建考核): figures from the facts, weights from the Settings, the review's grades,
the committee's approval and lock, the reward or penalty stored, and who sees which record."""

from datetime import date, datetime

from psycopg2 import IntegrityError

from odoo.addons.garbage_sorting.models.garbage_guard_mixin import town_today
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, new_test_user, tagged
from odoo.tools import mute_logger

from ..models.party_building_assessment import WEIGHT_PARTS, building_outcome, review_result
from .common import PartyCase

PB = "party_branch_linkage.party_branch_linkage_group_"
GS = "garbage_sorting.garbage_sorting_group_"


@tagged("post_install", "-at_install")
class TestPartyBuildingAssessment(PartyCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # What the engine stores is in the company's language: read here in English.
        cls.env.company.partner_id.lang = "en_US"
        cls.committee_user = new_test_user(cls.env, login="pba_committee", groups=PB + "committee")
        cls.committee_user2 = new_test_user(cls.env, login="pba_committee2", groups=PB + "committee")
        cls.taskforce = new_test_user(cls.env, login="pba_taskforce", groups=GS + "manager")
        cls.leader = new_test_user(cls.env, login="pba_leader", groups=GS + "leader")
        cls.member = new_test_user(cls.env, login="pba_member", groups=PB + "member")
        cls.liaison = new_test_user(cls.env, login="pba_liaison", groups=GS + "liaison")
        cls.Assessment = cls.env["party.building.assessment"]
        # The led units' year
        cls.env["garbage.unit.annual"].create(
            [
                {"unit_id": cls.village.id, "year": 2025, "red_count": 4, "flag_count": 2, "recommended": True},
                {"unit_id": cls.community.id, "year": 2025, "grey_count": 2, "veto": True},
            ]
        )
        # Quarterly meetings: Q1 by the village, Q2 by the action branch below; cancelled and other kinds do not count
        cls.env["calendar.event"].create(
            [
                cls._meeting_vals("work", datetime(2025, 2, 10, 2), party_organizer_unit_id=cls.village.id),
                cls._meeting_vals("work", datetime(2025, 3, 10, 2), party_organizer_unit_id=cls.village.id),
                cls._meeting_vals("deliberation", datetime(2025, 5, 10, 2), party_organization_id=cls.action_branch.id),
                cls._meeting_vals(
                    "governance",
                    datetime(2025, 8, 10, 2),
                    party_organizer_unit_id=cls.village.id,
                    party_state="cancelled",
                ),
                cls._meeting_vals("publicity", datetime(2025, 9, 10, 2), party_organization_id=cls.village_branch.id),
                cls._meeting_vals("work", datetime(2024, 11, 10, 2), party_organizer_unit_id=cls.village.id),
            ]
        )
        # The village branch's monthly publicity: ten months met, two missed, as the engine recorded them. Saving
        # the meetings above recounted the periods the daily job had opened (the demo's, on a demo database) for
        # every organisation: the test's organisations start from the obligations below only.
        cls.env["garbage.obligation"].search(
            [("party_organization_id", "in", (cls.village_branch | cls.community_branch | cls.action_branch).ids)]
        ).unlink()
        publicity = cls.env.ref("party_branch_linkage.garbage_obligation_rule_publicity")
        cls.env["garbage.obligation"].create(
            [
                {
                    "rule_id": publicity.id,
                    "party_organization_id": cls.village_branch.id,
                    "date_start": date(2025, month, 1),
                    "date_end": date(2025, month, 28),
                    "expected": 1,
                    "done": int(month <= 10),
                    "state": "met" if month <= 10 else "missed",
                }
                for month in range(1, 13)
            ]
        )
        cls.env["party.work.programme"].create(
            {
                "organization_id": cls.village_branch.id,
                "year": 2025,
                "content": "<p>Our programme</p>",
                "state": "approved",
                "date_adopted": date(2025, 3, 1),
            }
        )
        cls.env["party.work.programme"].create(
            {"organization_id": cls.community_branch.id, "year": 2025, "content": "<p>Ours</p>", "state": "submitted"}
        )
        # Members: two in service (one went to the grassroots), one volunteer with approved hours
        cls.volunteer_partner = cls.env["res.partner"].create({"name": "PBA Volunteer", "is_volunteer": True})
        cls.members = cls._in_service_members(
            [
                {
                    "name": "PBA Went",
                    "partner_id": cls.volunteer_partner.id,
                    "organization_ids": cls.village_branch.ids,
                },
                {"name": "PBA Stayed", "organization_ids": cls.village_branch.ids},
            ]
        )
        cls.env["party.grassroots.activity"].create(
            {
                "name": "PBA into the village",
                "date": date(2025, 4, 1),
                "entry_type": "village",
                "organization_id": cls.village_branch.id,
                "member_ids": cls.members[0].ids,
                "hours": 3,
                "state": "done",
            }
        )
        cls.env["garbage.volunteer.hour"].create(
            [
                {"partner_id": cls.volunteer_partner.id, "date": date(2025, 6, 1), "hours": 4, "state": "approved"},
                {"partner_id": cls.volunteer_partner.id, "date": date(2025, 6, 2), "hours": 5, "state": "rejected"},
            ]
        )
        project = cls.env["party.brand.project"].create(
            {
                "name": "PBA Green Branch",
                "organization_ids": cls.village_branch.ids,
                "date_start": date(2025, 1, 1),
                "state": "running",
            }
        )
        cls.env["party.brand.highlight"].create(
            [
                {"name": "PBA typical", "project_id": project.id, "date": date(2025, 7, 1), "is_typical_case": True},
                {"name": "PBA plain", "project_id": project.id, "date": date(2025, 8, 1)},
            ]
        )
        organizations = cls.committee | cls.village_branch | cls.action_branch | cls.community_branch
        cls.assessments = cls.Assessment.with_user(cls.committee_user).create(
            [{"organization_id": organization.id, "year": 2025} for organization in organizations]
        )
        cls.village_assessment = cls.assessments.filtered(lambda a: a.organization_id == cls.village_branch)
        cls.community_assessment = cls.assessments.filtered(lambda a: a.organization_id == cls.community_branch)

    @classmethod
    def _meeting_vals(cls, kind, start, **values):
        return {"name": f"{kind} {start}", "party_meeting_kind": kind, "start": start, "stop": start, **values}

    def _set_weights(self, **weights):
        values = {f"party_building_weight_{part}": weights.get(part, 0.0) for part in WEIGHT_PARTS}
        self.env["res.config.settings"].create(values).execute()

    def _grade(self, user, assessment, grade, comment=False):
        return (
            self.env["party.building.assessment.grade"]
            .with_user(user)
            .create({"assessment_id": assessment.id, "grade": grade, "comment": comment})
        )

    def test_figures_are_counted_from_the_facts(self):
        village = self.village_assessment
        self.assertRecordValues(
            village,
            [
                {
                    "unit_count": 1,
                    "assessed_unit_count": 1,
                    "red_unit_count": 1,
                    "red_count": 4,
                    "flag_count": 2,
                    "recommended_count": 1,
                    "grey_unit_count": 0,
                    "veto_count": 0,
                    "red_unit_names": "Test Village",
                    "unit_outcome": "reward",
                    "publicity_due": 12,
                    "publicity_met": 10,
                    "publicity_missed": 2,
                    "meeting_count": 3,  # two in Q1, one in Q2 by the action branch below; not the cancelled one
                    "meeting_quarters": 2,
                    "quarters_due": 4,
                    "programme_submitted": True,
                    "programme_adopted": True,
                    "activity_count": 1,
                    "activity_hours": 3.0,
                    "in_service_member_count": 2,
                    "activity_member_count": 1,
                    "member_count": 2,
                    "volunteer_member_count": 1,
                    "volunteer_hours": 4.0,  # the rejected entry does not count
                    "brand_project_count": 1,
                    "highlight_count": 2,
                    "typical_case_count": 1,
                    "state": "draft",
                }
            ],
        )
        self.assertRecordValues(
            self.community_assessment,
            [
                {
                    "unit_count": 1,
                    "grey_unit_count": 1,
                    "veto_count": 1,
                    "vetoed_unit_names": "Test Community",
                    "unit_outcome": "penalty",
                    "programme_submitted": True,
                    "programme_adopted": False,
                    "publicity_due": 0,
                    "meeting_count": 0,
                    "member_count": 0,
                }
            ],
        )
        committee = self.assessments.filtered(lambda a: a.organization_id == self.committee)
        # the committee answers for every unit led below it
        self.assertEqual((committee.unit_count, committee.veto_count, committee.red_unit_count), (2, 1, 1))
        # a fact added later counts once recomputed, by the secretary, while draft
        self.env["garbage.unit.annual"].search([("unit_id", "=", self.village.id)]).sudo().write({"grey_count": 1})
        village.with_user(self.secretary).action_recompute()
        self.assertEqual((village.grey_unit_count, village.unit_outcome), (1, "warning"))

    def test_figures_are_counted_in_batch(self):
        """The number of queries does not grow with the number of organisations."""
        Assessment = self.Assessment.sudo()
        few = self.assessments.organization_id
        Assessment._count_facts(few, 2025)  # warm the caches of the registry
        self.env.invalidate_all()
        queries = self.cr.sql_log_count
        Assessment._count_facts(few, 2025)
        one = self.cr.sql_log_count - queries
        self.env.invalidate_all()
        queries = self.cr.sql_log_count
        organizations = self.env["party.organization"].search([])
        self.assertGreater(len(organizations), 4)
        Assessment._count_facts(organizations, 2025)
        self.assertLessEqual(self.cr.sql_log_count - queries, one + 2)

    def test_the_score_follows_the_weights_of_the_settings(self):
        village = self.village_assessment
        # units only: one unit red and never grey
        self._set_weights(units=1)
        village.action_recompute()
        self.assertEqual(village.score, 100.0)
        # publicity only: 10 of 12 months
        self._set_weights(publicity=5)
        village.action_recompute()
        self.assertAlmostEqual(village.score, 83.33, places=2)
        # meetings and programme, equal: (2/4 + 1) / 2
        self._set_weights(meetings=10, programme=10)
        village.action_recompute()
        self.assertEqual(village.score, 75.0)
        self.assertIn("50% × 10", village.score_breakdown)
        # the defaults, as the README states them
        defaults = {part: default for part, (__, default) in WEIGHT_PARTS.items()}
        self._set_weights(**defaults)
        self.assertEqual(
            defaults,
            {
                "units": 30.0,
                "publicity": 15.0,
                "meetings": 15.0,
                "programme": 10.0,
                "activities": 10.0,
                "volunteers": 5.0,
                "brand": 5.0,
                "review": 10.0,
            },
        )
        village.action_recompute()
        # units 1, publicity 10/12, meetings 1/2, programme 1, activities 1/2, volunteers 1/2, brand 1; no review yet
        expected = (30 + 15 * 10 / 12 + 15 / 2 + 10 + 10 / 2 + 5 / 2 + 5) / 90 * 100
        self.assertAlmostEqual(village.score, round(expected, 2), places=2)

    def test_bad_settings_are_refused(self):
        Settings = self.env["res.config.settings"]
        town = self.env.company
        before = town.party_building_weight_units
        for value in (float("nan"), float("inf"), -1, 100.5, "abc", "1e309"):
            with self.subTest(value=value), self.assertRaises(ValidationError), self.cr.savepoint():
                Settings.create({"party_building_weight_units": value}).execute()
        with self.assertRaisesRegex(ValidationError, "weigh more than 0"), self.cr.savepoint():
            self._set_weights()
        # the town's own record refuses them too (RPC on res.company)
        for value in (float("nan"), -1, 100.5):
            with self.subTest(value=value), self.assertRaises(ValidationError), self.cr.savepoint():
                town.write({"party_building_weight_brand": value})
        town.invalidate_recordset()
        self.assertEqual(town.party_building_weight_units, before)
        self.assertFalse(
            self.env["ir.config_parameter"].sudo().search([("key", "like", "party_branch_linkage.building_weight_")])
        )

    def test_grades_give_the_review_result(self):
        self.assertEqual(review_result([]), (False, 0.0))
        self.assertEqual(review_result(["good", "fairly_good"])[0], "good")  # 3.5, half up
        self.assertEqual(review_result(["good", "poor"])[0], "fairly_good")  # 2.5
        self.assertEqual(review_result(["average", "poor"])[0], "average")  # 1.5
        self.assertEqual(review_result(["poor", "poor", "average"])[0], "poor")
        village = self.village_assessment
        grade = self._grade(self.committee_user, village, "good", "Thorough report")
        self.assertEqual((village.review_result, village.review_mean), ("good", 4.0))
        self._grade(self.committee_user2, village, "average")
        self.assertEqual((village.review_result, village.review_mean), ("fairly_good", 3.0))
        grade.with_user(self.committee_user).write({"grade": "poor"})
        self.assertEqual(village.review_result, "average")
        # an evaluator changes only their own grade, grades once, and only in their own name
        with self.assertRaises(AccessError):
            grade.with_user(self.committee_user2).write({"grade": "good"})
        with self.assertRaises(AccessError):
            grade.with_user(self.committee_user2).unlink()
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"), self.cr.savepoint():
            self._grade(self.committee_user, village, "good")
        with self.assertRaises(AccessError):
            self.env["party.building.assessment.grade"].with_user(self.committee_user).create(
                {"assessment_id": village.id, "grade": "good", "evaluator_id": self.taskforce.id}
            )
        # the secretary, the leader and a member grade nothing
        for user in (self.secretary, self.leader, self.member):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self._grade(user, village, "good")

    def test_the_outcome_rule(self):
        self.assertEqual(building_outcome("reward", 90, "good")[0], "reward")
        self.assertEqual(building_outcome("none", 85, "fairly_good")[0], "reward")
        self.assertEqual(building_outcome("reward", 84.9, "good")[0], "none")
        self.assertEqual(building_outcome("reward", 95, False), ("none", ["not_graded"]))
        self.assertEqual(building_outcome("warning", 95, "good")[0], "warning")
        self.assertEqual(building_outcome("reward", 95, "average")[0], "warning")
        self.assertEqual(building_outcome("reward", 70, "good")[0], "warning")
        self.assertEqual(building_outcome("penalty", 95, "good"), ("penalty", ["unit_vetoed"]))
        self.assertEqual(building_outcome("reward", 95, "poor")[0], "penalty")
        self.assertEqual(building_outcome("reward", 59, "good")[0], "penalty")
        # stored with its reason in the town's language
        self._set_weights(units=1, review=1)
        self._grade(self.committee_user, self.village_assessment, "good")
        self.village_assessment.action_recompute()
        self.assertEqual((self.village_assessment.score, self.village_assessment.outcome), (100.0, "reward"))
        self.assertIn("commended", self.village_assessment.outcome_reason)
        self._grade(self.committee_user, self.community_assessment, "good")
        self.assertEqual(self.community_assessment.outcome, "penalty")
        self.assertIn("vetoed", self.community_assessment.outcome_reason)

    def test_approval_locks_the_record_and_only_the_committee_reopens_it(self):
        village = self.village_assessment
        # draft: the secretary writes her report and nothing else
        village.with_user(self.secretary).write({"report": "<p>Our year</p>", "report_filename": "report.pdf"})
        for values in ({"score": 100}, {"outcome": "reward"}, {"state": "approved"}, {"year": 2024}):
            with self.subTest(values=values), self.assertRaises(AccessError):
                village.with_user(self.secretary).write(values)
        for user in (self.committee_user, self.taskforce):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                village.with_user(user).write({"publicity_met": 12})
        admin = self.env.ref("base.user_admin")
        others = (
            self.other_secretary,
            self.committee_user,
            self.taskforce,
            self.leader,
            self.member,
            self.liaison,
            admin,
        )
        for user in others:
            for values in ({"report": "<p>Not mine</p>"}, {"report_file": "UERG", "report_filename": "not-mine.pdf"}):
                with self.subTest(user=user.login, values=list(values)), self.assertRaises(AccessError):
                    village.with_user(user).write(values)
        self.assertRecordValues(village, [{"report": "<p>Our year</p>", "report_file": False}])
        # approval: the committee, once graded
        for user in (self.secretary, self.leader, self.other_secretary, self.member):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                village.with_user(user).action_approve()
        with self.assertRaisesRegex(UserError, "no grade yet"):
            village.with_user(self.committee_user).action_approve()
        self._grade(self.committee_user, village, "good")
        village.with_user(self.committee_user).action_approve()
        self.assertRecordValues(village, [{"state": "approved", "approved_by_id": self.committee_user.id}])
        stored = (village.score, village.outcome, village.review_result)
        # locked: nobody changes it, the facts no longer move it, no grade changes
        for user in (self.secretary, self.committee_user, self.taskforce):
            with self.subTest(user=user.login), self.assertRaises(UserError):
                village.with_user(user).write({"report": "<p>Later</p>"})
            with self.subTest(user=user.login), self.assertRaises(UserError):
                village.with_user(user).action_recompute()
            with self.subTest(user=user.login), self.assertRaises(UserError):  # AccessError for the secretary
                village.with_user(user).action_approve()
        with self.assertRaises(UserError):
            village.grade_ids.with_user(self.committee_user).write({"grade": "poor"})
        with self.assertRaises(UserError):
            self._grade(self.committee_user2, village, "poor")
        self.env["garbage.unit.annual"].search([("unit_id", "=", self.village.id)]).write({"grey_count": 3})
        self.Assessment._cron_refresh()
        self.assertEqual((village.score, village.outcome, village.review_result), stored)
        with self.assertRaises(UserError):
            village.unlink()
        # reopening: the committee alone, with a reason
        for user in (self.secretary, self.leader, self.other_secretary, self.member):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                village.with_user(user)._reopen("because")
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self.env["party.building.assessment.reopen"].with_user(user).create(
                    {"assessment_id": village.id, "reason": "because"}
                ).action_confirm()
        wizard = self.env["party.building.assessment.reopen"].with_user(self.committee_user)
        with self.assertRaisesRegex(UserError, "reason"):
            wizard.create({"assessment_id": village.id, "reason": "   "}).action_confirm()
        self.assertEqual(village.state, "approved")
        wizard.create({"assessment_id": village.id, "reason": "Grey listing corrected"}).action_confirm()
        self.assertRecordValues(village, [{"state": "draft", "approved_by_id": False}])
        self.assertIn("Grey listing corrected", village.message_ids[0].body)
        self.assertEqual(village.message_ids[0].author_id, self.committee_user.partner_id)

    def test_the_secretary_writes_her_report_in_the_form(self):
        """The form as the web client builds it: the report is hers, every figure and result is read-only."""
        for user in (self.secretary, self.committee_user, self.leader):
            with self.subTest(user=user.login):
                views = self.Assessment.with_user(user).get_views(
                    [(False, v) for v in ("list", "form", "pivot", "search")]
                )
                self.assertEqual(set(views["views"]), {"list", "form", "pivot", "search"})
        with Form(self.village_assessment.with_user(self.secretary)) as form:
            form.report = "<p>Ten months of publicity</p>"
            for name in ("score", "outcome", "publicity_met", "review_result"):
                with self.assertRaises(AssertionError):
                    setattr(form, name, 1)
        self.assertIn("Ten months", self.village_assessment.report)
        # the committee grades the report, it does not write it
        with Form(self.village_assessment.with_user(self.committee_user)) as form, self.assertRaises(AssertionError):
            form.report = "<p>Not the committee's</p>"

    def test_the_approval_is_tracked(self):
        # the records of the set-up are "just created" until their transaction's tracking is done
        self.env.flush_all()
        self.env.cr.precommit.run()
        village = self.village_assessment.with_env(self.env(context={}))
        self._grade(self.committee_user, village, "good")
        village.with_user(self.committee_user).action_approve()
        village.env.flush_all()
        village.env.cr.precommit.run()  # tracking is written when the transaction commits
        village.invalidate_recordset(["message_ids"])
        tracked = village.message_ids.tracking_value_ids.filtered(lambda value: value.field_id.name == "state")
        self.assertEqual(tracked.new_value_char, "Approved")

    def test_the_reopening_line_is_in_the_towns_language(self):
        self.env.ref("base.lang_zh_CN").active = True
        self.env.company.partner_id.lang = "zh_CN"
        village = self.village_assessment
        self._grade(self.committee_user, village, "good")
        village.with_user(self.committee_user).action_approve()
        village.with_user(self.committee_user.with_context(lang="en_US"))._reopen("纠正")
        zh = self.env(context={"lang": "zh_CN"})._
        self.assertIn(
            zh("Reopened by %(user)s: %(reason)s", user=self.committee_user.name, reason="纠正"),
            village.message_ids[0].body,
        )

    def test_secretary_sees_only_her_organisations(self):
        own = self.Assessment.with_user(self.secretary).search([("year", "=", 2025)])
        self.assertEqual(own.organization_id, self.village_branch | self.action_branch)
        other = self.Assessment.with_user(self.other_secretary).search([("year", "=", 2025)])
        self.assertEqual(other.organization_id, self.community_branch)
        with self.assertRaises(AccessError):
            self.community_assessment.with_user(self.secretary).read(["score"])
        for user in (self.committee_user, self.taskforce, self.leader):
            with self.subTest(user=user.login):
                self.assertLessEqual(self.assessments, self.Assessment.with_user(user).search([("year", "=", 2025)]))
        for user in (self.member, self.liaison):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self.Assessment.with_user(user).search([])
        # the grades follow the record
        self._grade(self.committee_user, self.community_assessment, "average")
        self.assertFalse(self.env["party.building.assessment.grade"].with_user(self.secretary).search([]))
        self.assertEqual(len(self.env["party.building.assessment.grade"].with_user(self.other_secretary).search([])), 1)
        # only the committee creates
        for user in (self.secretary, self.leader):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self.Assessment.with_user(user).create({"organization_id": self.village_branch.id, "year": 2024})
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self.Assessment.with_user(user).action_refresh_current_year()

    def test_the_daily_job_counts_this_years_assessments(self):
        year = town_today(self.env).year
        self.env.ref("party_branch_linkage.ir_cron_party_building_assessment_refresh").method_direct_trigger()
        assessments = self.Assessment.search([("year", "=", year)])
        self.assertEqual(assessments.organization_id, self.env["party.organization"].search([]))
        self.assertTrue(all(assessments.mapped("date_computed")))

    def test_the_top_secretary_in_the_committee_neither_writes_grades_nor_approves_her_own(self):
        """Like the demo leader: in the committee and secretary of the top organisation. She grades and approves
        the branches' assessments, never writes their reports, and never grades or approves her own."""
        top = new_test_user(self.env, login="pba_top", groups=f"{PB}committee,{GS}leader")
        self.committee.secretary_id = top
        top_assessment = self.assessments.filtered(lambda a: a.organization_id == self.committee)
        village = self.village_assessment
        with self.assertRaisesRegex(AccessError, "Village Branch"):
            village.with_user(top).write({"report": "<p>Overwritten from above</p>"})
        self.assertFalse(village.report)
        # the secretary of an organisation above the action branch does not write its report either
        action = self.assessments.filtered(lambda a: a.organization_id == self.action_branch)
        with self.assertRaises(AccessError):
            action.with_user(self.secretary).write({"report": "<p>For the branch below</p>"})
        self.assertFalse(action.report)
        # her own report she writes; the others grade and approve it
        top_assessment.with_user(top).write({"report": "<p>The town's year</p>"})
        with self.assertRaisesRegex(AccessError, "secretary of Test Committee"):
            self._grade(top, top_assessment, "good")
        self.assertFalse(top_assessment.grade_ids)
        self._grade(self.committee_user, top_assessment, "good")
        with self.assertRaisesRegex(AccessError, "secretary of Test Committee"):
            top_assessment.with_user(top).action_approve()
        self.assertEqual(top_assessment.state, "draft")
        top_assessment.with_user(self.committee_user).action_approve()
        self.assertEqual(top_assessment.state, "approved")
        # a branch's she grades and approves
        self._grade(top, village, "fairly_good")
        village.with_user(top).action_approve()
        self.assertEqual(village.approved_by_id, top)
        # the report field is read-only in her form of a branch's record, editable in her own
        self.assertIn("report", village.with_user(top).guard_readonly_fields)
        self.assertNotIn("report", self.community_assessment.with_user(self.other_secretary).guard_readonly_fields)

    def test_an_evaluator_named_secretary_loses_her_grade(self):
        """An evaluator is never the assessed organisation's secretary, not even when she becomes it later."""
        village = self.village_assessment
        self._grade(self.committee_user, village, "good")
        self._grade(self.committee_user2, village, "average")
        self._grade(self.committee_user, self.community_assessment, "good")
        self.village_branch.secretary_id = self.committee_user
        self.assertEqual(village.grade_ids.evaluator_id, self.committee_user2)
        self.assertEqual(village.review_result, "average")
        self.assertIn(f"{self.committee_user.name} is now the secretary of", village.message_ids[0].body)
        self.assertEqual(self.community_assessment.grade_ids.evaluator_id, self.committee_user, "not her organisation")
        with self.assertRaisesRegex(AccessError, "secretary of"):
            village.with_user(self.committee_user).action_approve()
        with self.assertRaisesRegex(AccessError, "secretary of"):
            self._grade(self.committee_user, village, "good")
        self.assertEqual(village.state, "draft")
        self.assertEqual(len(village.grade_ids), 1)

    def test_a_report_given_at_creation_is_its_secretarys_only(self):
        for user in (self.committee_user, self.taskforce, self.env.ref("base.user_admin")):
            for values in ({"report": "<p>Ours</p>"}, {"report_file": "UERG", "report_filename": "ours.pdf"}):
                with (
                    self.subTest(user=user.login, values=list(values)),
                    self.assertRaisesRegex(AccessError, "Only the secretary of"),
                ):
                    self.Assessment.with_user(user).create(
                        {"organization_id": self.village_branch.id, "year": 2024, **values}
                    )
        self.assertFalse(
            self.Assessment.search([("organization_id", "=", self.village_branch.id), ("year", "=", 2024)])
        )
        # without a report the committee creates it; a committee member writes the report of her own organisation
        self.Assessment.with_user(self.committee_user).create({"organization_id": self.village_branch.id, "year": 2024})
        top = new_test_user(self.env, login="pba_top_create", groups=PB + "committee")
        self.committee.secretary_id = top
        own = self.Assessment.with_user(top).create(
            {"organization_id": self.committee.id, "year": 2024, "report": "<p>The town's year</p>"}
        )
        self.assertIn("town's year", own.report)

    def test_a_report_changed_after_grading_withdraws_the_grades(self):
        self.env.ref("base.lang_zh_CN").active = True
        self.env.company.partner_id.lang = "zh_CN"
        self.env.flush_all()
        self.env.cr.precommit.run()
        village = self.village_assessment.with_env(self.env(context={}))
        village.with_user(self.secretary).write({"report": "<p>First version</p>"})
        village.env.flush_all()
        village.env.cr.precommit.run()
        self._grade(self.committee_user, village, "good")
        self._grade(self.committee_user2, village, "fairly_good")
        # the same text again, or only the file's name: the grades stay
        village.with_user(self.secretary).write({"report": "<p>First version</p>", "report_filename": "r.pdf"})
        self.assertEqual(len(village.grade_ids), 2)
        village.with_user(self.secretary.with_context(lang="en_US")).write({"report": "<p>Second version</p>"})
        self.assertFalse(village.grade_ids)
        self.assertRecordValues(village, [{"review_result": False, "review_mean": 0.0, "state": "draft"}])
        message = (
            "The secretary's report changed after it was graded: the grades of %(evaluators)s are withdrawn, "
            "to be given again on the report as now written."
        )
        evaluators = ", ".join((self.committee_user | self.committee_user2).mapped("name"))
        withdrawn = self.env(context={"lang": "zh_CN"})._(message, evaluators=evaluators)
        self.assertIn(withdrawn, village.message_ids[0].body)
        self.assertNotEqual(withdrawn, message % {"evaluators": evaluators}, "in the town's language")
        # the report's changes are in its history
        village.env.flush_all()
        village.env.cr.precommit.run()
        village.invalidate_recordset(["message_ids"])
        tracked = village.message_ids.tracking_value_ids.filtered(lambda value: value.field_id.name == "report_text")
        self.assertIn("Second version", tracked.mapped("new_value_text"))
        self.assertIn("First version", tracked.mapped("old_value_text"))
        # graded again, then approved: the report is locked
        self._grade(self.committee_user, village, "good")
        village.with_user(self.committee_user).action_approve()
        with self.assertRaises(UserError):
            village.with_user(self.secretary).write({"report": "<p>Third version</p>"})
        self.assertEqual(len(village.grade_ids), 1)


class DemoAssessmentChecks:
    """The demo's party-building assessments (also checked on every day of tests/any_day)."""

    def test_the_demo_holds_a_year_of_assessments(self):
        if not self.env.ref("party_branch_linkage.party_organization_qingshan_demo", raise_if_not_found=False):
            self.skipTest("no demo data")
        year = town_today(self.env).year
        organizations = self.env["party.organization"].search(
            [("id", "in", self.env["ir.model.data"].search([("model", "=", "party.organization")]).mapped("res_id"))]
        )
        last = self.env["party.building.assessment"].search([("year", "=", year - 1)])
        self.assertEqual(last.organization_id, organizations)
        approved = last.filtered(lambda assessment: assessment.state == "approved")
        self.assertGreater(len(approved), len(last) / 2)
        self.assertTrue(last - approved, "one is still in discussion")
        self.assertTrue(all(approved.mapped("grade_ids")))
        self.assertTrue(all(approved.mapped("outcome")))
        self.assertGreater(len(set(approved.mapped("outcome"))), 1, "not everybody gets the same outcome")
        current = self.env["party.building.assessment"].search([("year", "=", year)])
        self.assertEqual(current.organization_id, organizations)
        self.assertEqual(set(current.mapped("state")), {"draft"})
        # the demo secretary sees her branch's record and the action branch's below it
        secretary = self.env.ref("party_branch_linkage.user_secretary_demo")
        mine = self.env["party.building.assessment"].with_user(secretary).search([("year", "=", year - 1)])
        self.assertEqual(
            mine.organization_id,
            self.env["party.organization"].search(
                [("id", "child_of", self.env.ref("party_branch_linkage.party_organization_qingshan_demo").id)]
            ),
        )


@tagged("post_install", "-at_install")
class TestPartyBuildingAssessmentDemo(DemoAssessmentChecks, PartyCase):
    """The installed demo town's assessments."""
