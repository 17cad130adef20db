"""The annual review prints the stored party-building assessment, as the web client downloads it.

The review wizard's buttons (Print PDF, Download XLSX) through the URLs the Odoo 18 web client requests
(garbage_sorting/tests/web_client.py): the reward or penalty, the score, the review's result and grades are the
approved record's, never worked out at print time; without a record the review says so.
"""

from odoo.addons.garbage_sorting.tests.web_client import WebClientMixin
from odoo.tests import HttpCase, new_test_user, tagged

PARTY = "party_branch_linkage.party_branch_linkage_group_"


@tagged("post_install", "-at_install")
class TestAssessmentInTheReview(WebClientMixin, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.users = {
            login: new_test_user(cls.env, login=login, name=login, groups=groups, lang="zh_CN")
            for login, groups in (
                ("pba_http_secretary", PARTY + "secretary"),
                ("pba_http_committee", PARTY + "committee"),
                ("pba_http_leader", "garbage_sorting.garbage_sorting_group_leader"),
            )
        }
        Unit = cls.env["garbage.unit"]
        cls.own_unit = Unit.create({"name": "Assessed Village", "code": "PBH-1", "unit_type": "village"})
        cls.other_unit = Unit.create({"name": "Unassessed Village", "code": "PBH-2", "unit_type": "village"})
        Organization = cls.env["party.organization"]
        cls.organization = Organization.create(
            {
                "name": "Assessed Branch",
                "secretary_id": cls.users["pba_http_secretary"].id,
                "unit_ids": [(6, 0, cls.own_unit.ids)],
            }
        )
        cls.unassessed = Organization.create({"name": "Unassessed Branch", "unit_ids": [(6, 0, cls.other_unit.ids)]})
        cls.env["garbage.unit.annual"].create({"unit_id": cls.own_unit.id, "year": 2025, "red_count": 3})
        committee = cls.users["pba_http_committee"]
        cls.assessment = (
            cls.env["party.building.assessment"]
            .with_user(committee)
            .create({"organization_id": cls.organization.id, "year": 2025})
        )
        cls.env["party.building.assessment.grade"].with_user(committee).create(
            {"assessment_id": cls.assessment.id, "grade": "fairly_good", "comment": "Solid publicity work"}
        )
        cls.assessment.with_user(committee).action_approve()

    def _review_action(self, organization, button="action_print_pdf"):
        wizard_action = self.press(
            "party.organization",
            organization,
            "party_branch_linkage.party_annual_review_action",
            button_type="action",
            button_context={"default_organization_id": organization.id},
        )
        wizard, context = self.save_wizard(wizard_action, {"organization_id": organization.id, "year": 2025})
        return self.press("party.annual.review", wizard, button, record_context=context)

    def _labels(self, name):
        field = self.env["party.building.assessment"]._fields[name]
        return dict(field._description_selection(self.env(context={"lang": "zh_CN"})))

    def test_the_pdf_prints_the_stored_record(self):
        zh = self.env(context={"lang": "zh_CN"})._
        self.authenticate("pba_http_secretary", "pba_http_secretary")
        flat = "".join(self.pdf_text(self.execute(self._review_action(self.organization))).split())
        self.assertIn("AssessedBranch·2025", flat)
        section = flat.split(zh("Rewards and Penalties"))[-1]
        self.assertIn(self._labels("outcome")[self.assessment.outcome], section)
        self.assertIn(self._labels("state")["approved"], section)
        self.assertIn(self._labels("review_result")["fairly_good"], section)
        self.assertIn(zh("Review Grades"), flat)
        self.assertIn("Solidpublicitywork", flat)
        self.assertIn("pba_http_committee", flat)
        # the print follows what is stored, not what the facts would give today
        forced = "reward" if self.assessment.outcome != "reward" else "warning"
        self.assessment.sudo().write({"outcome": forced, "outcome_reason": "Stored reason XYZ"})
        flat = "".join(self.pdf_text(self.execute(self._review_action(self.organization))).split())
        section = flat.split(zh("Rewards and Penalties"))[-1]
        self.assertIn(self._labels("outcome")[forced], section)
        self.assertIn("StoredreasonXYZ", section)

    def test_the_workbook_prints_the_stored_record(self):
        self.authenticate("pba_http_secretary", "pba_http_secretary")
        workbook = self.workbook(self.execute(self._review_action(self.organization, button="action_download_xlsx")))
        zh = self.env(context={"lang": "zh_CN"})._
        sheet = workbook[zh("Rewards and Penalties")]
        row = [cell.value for cell in sheet[3]]
        self.assertEqual(row[0], self._labels("outcome")[self.assessment.outcome])
        self.assertEqual(row[3], self.assessment.score)
        self.assertEqual(row[4], self._labels("review_result")["fairly_good"])
        grades = [[cell.value for cell in row] for row in workbook[zh("Review Grades")].iter_rows(min_row=3)]
        self.assertEqual(
            grades, [["pba_http_committee", self._labels("review_result")["fairly_good"], "Solid publicity work"]]
        )
        figures = {row[0]: row[1] for row in workbook[zh("Assessment Figures")].iter_rows(min_row=3, values_only=True)}
        field = self.env["party.building.assessment"]._fields["red_unit_count"]
        self.assertEqual(figures[field._description_string(self.env(context={"lang": "zh_CN"}))], 1)

    def test_without_a_record_the_review_says_so(self):
        zh = self.env(context={"lang": "zh_CN"})._
        missing = zh("No party-building assessment is recorded for this organization and year.")
        self.authenticate("pba_http_leader", "pba_http_leader")
        flat = "".join(self.pdf_text(self.execute(self._review_action(self.unassessed))).split())
        self.assertIn("".join(missing.split()), flat)
        workbook = self.workbook(self.execute(self._review_action(self.unassessed, button="action_download_xlsx")))
        self.assertEqual(workbook[zh("Rewards and Penalties")]["A3"].value, missing)
