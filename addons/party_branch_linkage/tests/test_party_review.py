import io
from datetime import date

import openpyxl
from freezegun import freeze_time

from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import PartyCase


@tagged("post_install", "-at_install")
class TestPartyAnnualReview(PartyCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, lang="en_US"))
        cls.members = cls._in_service_members(
            [
                {
                    "name": "Member A",
                    "organization_ids": [(6, 0, cls.village_branch.ids)],
                    "duty_publicity": True,
                },
                {"name": "Member B", "organization_ids": [(6, 0, cls.community_branch.ids)]},
            ]
        )
        Activity = cls.env["party.grassroots.activity"]
        cls.activities = Activity.create(
            [
                {
                    "name": "Market day",
                    "date": "2025-05-10",
                    "entry_type": "market",
                    "organization_id": cls.village_branch.id,
                    "member_ids": [(6, 0, cls.members.ids)],
                    "hours": 3,
                },
                {
                    "name": "School lesson",
                    "date": "2025-09-01",
                    "entry_type": "school",
                    "organization_id": cls.community_branch.id,
                    "member_ids": [(6, 0, cls.members[1].ids)],
                    "hours": 2,
                },
                {
                    "name": "Last year's visit",
                    "date": "2024-12-20",
                    "entry_type": "village",
                    "organization_id": cls.village_branch.id,
                    "member_ids": [(6, 0, cls.members[0].ids)],
                    "hours": 5,
                },
            ]
        )
        cls.activities.action_done()
        project = cls.env["party.brand.project"].create(
            {"name": "Green Hills", "organization_ids": [(6, 0, cls.village_branch.ids)], "date_start": "2025-01-01"}
        )
        cls.env["party.brand.highlight"].create(
            [
                {"name": "Door sorting", "project_id": project.id, "date": "2025-06-01", "is_typical_case": True},
                {"name": "Old story", "project_id": project.id, "date": "2024-06-01"},
            ]
        )

    def test_members_hours_come_from_finished_activities(self):
        self.assertEqual(self.members[0].grassroots_hours, 8)
        self.assertEqual(self.members[1].grassroots_hours, 5)
        draft = self.env["party.grassroots.activity"].create(
            {
                "name": "Planned",
                "entry_type": "community",
                "organization_id": self.village_branch.id,
                "member_ids": [(6, 0, self.members[0].ids)],
                "hours": 4,
            }
        )
        self.assertEqual(self.members[0].grassroots_hours, 8, "a planned activity does not count yet")
        draft.action_done()
        self.assertEqual(self.members[0].grassroots_hours, 12)

    @freeze_time("2026-01-10")
    def test_xlsx_review_matches_the_database(self):
        self._meeting("work", "2025-02-10 01:00:00", party_organizer_unit_id=self.village.id)
        self._meeting("publicity", "2025-03-10 01:00:00", party_organization_id=self.village_branch.id)
        self._meeting("publicity", "2025-04-10 01:00:00", party_organization_id=self.community_branch.id)
        rule_work = self.env.ref("party_branch_linkage.garbage_obligation_rule_work")
        rule_publicity = self.env.ref("party_branch_linkage.garbage_obligation_rule_publicity")
        Obligation = self.env["garbage.obligation"]
        for month in range(1, 13):
            Obligation._sync(date(2025, month, 1), rule_work | rule_publicity)

        content = self.committee._get_annual_review_xlsx(2025)
        workbook = openpyxl.load_workbook(io.BytesIO(content))
        self.assertEqual(
            workbook.sheetnames,
            [
                "Units",
                "Cadence",
                "Meetings",
                "Activities",
                "Highlights",
                "Members",
                "Work Programme",
                "Organization Cadence",
                "Assessment Figures",
                "Review Grades",
                "Rewards and Penalties",
            ],
        )

        units = workbook["Units"]
        self.assertEqual([cell.value for cell in units[2]][:2], ["Code", "Unit"])
        self.assertEqual(
            {row[1] for row in units.iter_rows(min_row=3, values_only=True)}, {"Test Village", "Test Community"}
        )

        cadence = workbook["Cadence"]
        self.assertEqual([cell.value for cell in cadence[2]], ["Rule", "Obligations", "Expected", "Held", "Missed"])
        rows = {row[0]: row[1:] for row in cadence.iter_rows(min_row=3, values_only=True)}
        organizations = self.committee | self.village_branch | self.action_branch | self.community_branch
        domain = [
            "|",
            ("unit_id", "in", (self.village | self.community).ids),
            ("party_organization_id", "in", organizations.ids),
            ("date_start", ">=", "2025-01-01"),
            ("date_start", "<=", "2025-12-31"),
        ]
        for rule in rule_work | rule_publicity:
            obligations = Obligation.search(domain + [("rule_id", "=", rule.id)])
            self.assertEqual(
                rows[rule.name],
                (
                    len(obligations),
                    sum(obligations.mapped("expected")),
                    sum(obligations.mapped("done")),
                    len(obligations.filtered(lambda o: o.state == "missed")),
                ),
            )
        # Two units × four quarters; the village held one work meeting; the publicity is the organisations':
        # four organisations × twelve months (the action branch and the committee lead no unit), two held.
        self.assertEqual(rows[rule_work.name], (8, 8, 1, 7))
        self.assertEqual(rows[rule_publicity.name], (48, 48, 2, 46))
        own = list(workbook["Organization Cadence"].iter_rows(min_row=3, values_only=True))
        self.assertEqual(len(own), 48)
        held = [row for row in own if row[5] == "Met"]
        self.assertEqual(
            sorted((row[0], row[2]) for row in held),
            [
                ("Test Committee / Community Branch", "2025-04-01 – 2025-04-30"),
                ("Test Committee / Village Branch", "2025-03-01 – 2025-03-31"),
            ],
        )

        meetings = {row[0]: row[1] for row in workbook["Meetings"].iter_rows(min_row=3, values_only=True)}
        self.assertEqual(meetings, {"Work Meeting": 1, "Publicity and Education Activity": 2})

        activities = list(workbook["Activities"].iter_rows(min_row=3, values_only=True))
        self.assertEqual(
            [(row[1], row[3], row[4]) for row in activities], [("Market day", 2, 6), ("School lesson", 1, 2)]
        )

        highlights = list(workbook["Highlights"].iter_rows(min_row=3, values_only=True))
        self.assertEqual([(row[2], row[3]) for row in highlights], [("Door sorting", "Yes")])

        members = {row[0]: row[1:] for row in workbook["Members"].iter_rows(min_row=3, values_only=True)}
        self.assertEqual(members["Member A"][2], 3, "only the hours of the year under review")
        self.assertEqual(members["Member A"][1], "Leads Publicity")
        self.assertEqual(members["Member B"][2], 5)

        # A branch's review covers its own units only.
        branch_units = openpyxl.load_workbook(io.BytesIO(self.village_branch._get_annual_review_xlsx(2025)))["Units"]
        self.assertEqual([row[1] for row in branch_units.iter_rows(min_row=3, values_only=True)], ["Test Village"])

    def test_review_shows_each_organization_work_programme(self):
        self.env["party.work.programme"].create(
            {
                "organization_id": self.village_branch.id,
                "year": 2025,
                "date_adopted": "2025-02-20",
                "content": "<p>Every household sorts its waste</p>",
            }
        )
        sheet = openpyxl.load_workbook(io.BytesIO(self.committee._get_annual_review_xlsx(2025)))["Work Programme"]
        rows = {row[0]: row[1:] for row in sheet.iter_rows(min_row=3, values_only=True)}
        self.assertEqual(rows["Test Committee / Village Branch"][:2], ("2025-02-20", "Every household sorts its waste"))
        self.assertEqual(rows["Test Committee / Community Branch"][1], "No work programme this year.")
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html(
                "party_branch_linkage.party_annual_review_report", self.committee.ids, data={"year": 2025}
            )[0]
            .decode()
        )
        self.assertIn("Every household sorts its waste", html)
        self.assertIn("Work Programme", html)

    def test_secretary_drafts_own_programme_only(self):
        Programme = self.env["party.work.programme"]
        own = Programme.with_user(self.secretary).create({"organization_id": self.village_branch.id, "year": 2026})
        own.with_user(self.secretary).write({"content": "<p>Plan</p>"})
        with self.assertRaises(AccessError):
            Programme.with_user(self.secretary).create({"organization_id": self.community_branch.id, "year": 2026})
        with self.assertRaises(AccessError):
            own.with_user(self.other_secretary).write({"content": "<p>Not mine</p>"})
        with self.assertRaises(AccessError):
            own.with_user(self.secretary).write({"organization_id": self.community_branch.id})
        with self.assertRaises(AccessError):
            own.with_user(self.secretary).unlink()
        self.assertEqual((own.organization_id, str(own.content)), (self.village_branch, "<p>Plan</p>"))
        # every party member reads it
        self.assertTrue(own.with_user(self.other_secretary).read(["content"]))

    def test_pdf_review_renders_the_same_sections(self):
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html(
                "party_branch_linkage.party_annual_review_report", self.committee.ids, data={"year": 2025}
            )[0]
            .decode()
        )
        for text in ("Test Committee", "Cadence", "Door sorting", "Market day", "Member A"):
            self.assertIn(text, html)
        self.assertNotIn("Old story", html)

    def test_review_wizard_prints_and_downloads_the_chosen_year(self):
        wizard = (
            self.env["party.annual.review"]
            .with_user(self.secretary)
            .create({"organization_id": self.village_branch.id, "year": 2025})
        )
        pdf = wizard.action_print_pdf()
        self.assertEqual(pdf["report_name"], "party_branch_linkage.report_party_annual_review")
        self.assertEqual(pdf["data"]["year"], 2025)
        self.assertEqual(pdf["context"]["active_ids"], self.village_branch.ids)
        xlsx = wizard.action_download_xlsx()
        self.assertEqual(xlsx["url"], f"/party_branch_linkage/annual_review/{self.village_branch.id}/2025.xlsx")
