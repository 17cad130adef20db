"""The party records that carry the town's history are archived or cancelled, never deleted, whoever asks (the task
force, an administrator working without superuser rights): the database would otherwise delete or orphan what hangs
on them (an organisation's obligations and meetings, a project's highlights, who went on a done activity). The
report file of an approved assessment is replaced or deleted by nobody. What has no history yet is still deleted."""

import base64
from datetime import date, datetime

from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from .common import PartyCase

GS = "garbage_sorting.garbage_sorting_group_"
PB = "party_branch_linkage.party_branch_linkage_group_"


@tagged("post_install", "-at_install")
class TestHistoryKept(PartyCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.manager = new_test_user(cls.env, login="hk_manager", groups=GS + "manager")
        cls.committee_user = new_test_user(cls.env, login="hk_committee", groups=PB + "committee")
        cls.admin = cls.env.ref("base.user_admin")
        cls.deleters = (cls.manager, cls.admin)

    def _refused(self, records, message):
        """Deleting `records` is refused to the task force, the administrator and the superuser alike."""
        for user in self.deleters:
            with self.subTest(user=user.login), self.assertRaisesRegex(UserError, message):
                records.with_user(user).unlink()
        with self.assertRaisesRegex(UserError, message):
            records.unlink()
        self.assertEqual(records.exists(), records)

    def _organization(self, name, **vals):
        return self.env["party.organization"].create({"name": name, "parent_id": self.committee.id, **vals})

    def _project(self, name, **vals):
        return self.env["party.brand.project"].create(
            {"name": name, "organization_ids": self.village_branch.ids, "date_start": date(2025, 1, 1), **vals}
        )

    def _approved_assessment(self, organization, year):
        assessment = self.env["party.building.assessment"].create({"organization_id": organization.id, "year": year})
        assessment.write({"state": "approved"})  # as the engine does on the committee's approval
        return assessment

    # Organisations

    def test_organization_with_history_is_archived_not_deleted(self):
        publicity = self.env.ref("party_branch_linkage.garbage_obligation_rule_publicity")
        histories = {
            "obligation": lambda organization: self.env["garbage.obligation"].create(
                {
                    "rule_id": publicity.id,
                    "party_organization_id": organization.id,
                    "date_start": date(2025, 1, 1),
                    "date_end": date(2025, 1, 31),
                    "expected": 1,
                    "state": "missed",
                }
            ),
            "held meeting": lambda organization: self._meeting(
                "publicity", datetime(2025, 3, 10, 2), party_organization_id=organization.id
            ),
            "member": lambda organization: self.env["party.member"].create(
                {
                    "partner_id": self.env["res.partner"].create({"name": "HK member"}).id,
                    "organization_ids": organization.ids,
                }
            ),
            "brand project": lambda organization: self.env["party.brand.project"].create(
                {"name": "HK project", "organization_ids": organization.ids}
            ),
            "assessment": lambda organization: self.env["party.building.assessment"].create(
                {"organization_id": organization.id, "year": 2025}
            ),
            "work programme": lambda organization: self.env["party.work.programme"].create(
                {"organization_id": organization.id, "year": 2025}
            ),
            "grassroots activity": lambda organization: self.env["party.grassroots.activity"].create(
                {
                    "name": "HK into the village",
                    "date": date(2025, 4, 1),
                    "entry_type": "village",
                    "organization_id": organization.id,
                    "hours": 2,
                }
            ),
            "branch": lambda organization: self._organization("HK sub-branch", parent_id=organization.id),
        }
        for kind, make in histories.items():
            with self.subTest(history=kind):
                organization = self._organization(f"HK {kind}")
                history = make(organization)
                self.assertTrue(history)
                self._refused(organization, "archive it instead")
                self.assertTrue(history.exists(), kind)
        # archived, it stays with its history
        organization.with_user(self.manager).action_archive()
        self.assertFalse(organization.active)
        # an organisation with nothing yet is deleted, by either
        for user in self.deleters:
            blank = self._organization(f"HK blank {user.login}")
            blank.with_user(user).unlink()
            self.assertFalse(blank.exists())

    def test_held_meetings_keep_their_organiser(self):
        organization = self._organization("HK organiser")
        meeting = self._meeting("publicity", datetime(2025, 3, 10, 2), party_organization_id=organization.id)
        self._refused(organization, "archive it instead")
        self.assertEqual(meeting.party_organization_id, organization)
        # deleting several at once: the refusal names the one with a history, and nothing is deleted
        blank = self._organization("HK blank beside it")
        self._refused(blank | organization, "HK organiser")
        self.assertTrue(blank.exists())

    # Brand projects

    def test_project_with_history_is_cancelled_not_deleted(self):
        publicized = self._project("HK publicized")
        highlight = self.env["party.brand.highlight"].create({"name": "Door to door", "project_id": publicized.id})
        highlight.with_user(self.manager).action_mark_publicity()
        typical = self._project("HK typical")
        self.env["party.brand.highlight"].create(
            {"name": "Model street", "project_id": typical.id, "is_typical_case": True}
        )
        counted = self._project("HK counted", state="running")
        self.env["party.brand.highlight"].create({"name": "Plain", "project_id": counted.id, "date": date(2025, 5, 1)})
        self._approved_assessment(self.village_branch, 2025)
        held = self._project("HK held")
        meeting = self._meeting(
            "publicity",
            datetime(2025, 3, 10, 2),
            party_organization_id=self.village_branch.id,
            party_brand_project_id=held.id,
        )
        for project in (publicized, typical, counted, held):
            with self.subTest(project=project.name):
                highlights = project.highlight_ids
                self._refused(project, "cancel it instead")
                self.assertEqual(project.highlight_ids, highlights)
        self.assertTrue(highlight.exists())
        self.assertEqual(meeting.party_brand_project_id, held)
        self.assertIs(held.with_user(self.manager).action_cancel(), True)
        # a plain highlight of a year no approved assessment counted goes with its project
        for user in self.deleters:
            plain = self._project(f"HK plain {user.login}", state="running", date_start=date(2024, 1, 1))
            other = self.env["party.brand.highlight"].create(
                {"name": "Plain 2024", "project_id": plain.id, "date": date(2024, 5, 1)}
            )
            plain.with_user(user).unlink()
            self.assertFalse(plain.exists() or other.exists())

    # Members

    def test_member_with_history_is_archived_not_deleted(self):
        went, lead, volunteer, blank, blank2 = self._in_service_members(
            [
                {"name": "HK went", "organization_ids": self.action_branch.ids},
                {"name": "HK leads", "duty_publicity": True},
                {
                    "name": "HK volunteer",
                    "partner_id": self.env["res.partner"].create({"name": "HK volunteer", "is_volunteer": True}).id,
                },
                {"name": "HK blank"},
                {"name": "HK blank 2"},
            ]
        )
        activity = self.env["party.grassroots.activity"].create(
            {
                "name": "HK into the village",
                "date": date(2025, 4, 1),
                "entry_type": "village",
                "organization_id": self.action_branch.id,
                "member_ids": went.ids,
                "hours": 3,
                "state": "done",
            }
        )
        self.env["garbage.volunteer.hour"].create(
            {"partner_id": volunteer.partner_id.id, "date": date(2025, 6, 1), "hours": 4, "state": "approved"}
        )
        for member in (went, lead, volunteer):
            with self.subTest(member=member.name):
                self._refused(member, "archive them instead")
        self.assertEqual(activity.member_ids, went)
        self.assertEqual(went.grassroots_hours, 3)
        went.with_user(self.manager).action_archive()
        self.assertEqual(activity.with_context(active_test=False).member_ids, went)
        # a member with nothing recorded yet is deleted, by either
        for user, member in zip(self.deleters, (blank, blank2), strict=True):
            member.with_user(user).unlink()
            self.assertFalse(member.exists())

    # The report of an approved assessment

    def test_report_file_of_an_approved_assessment_stays(self):
        assessment = self.env["party.building.assessment"].create(
            {"organization_id": self.village_branch.id, "year": 2025}
        )
        original = b"%PDF our year"
        assessment.with_user(self.secretary).write(
            {"report_file": base64.b64encode(original), "report_filename": "report.pdf"}
        )
        Attachment = self.env["ir.attachment"]
        place = [
            ("res_model", "=", assessment._name),
            ("res_id", "=", assessment.id),
            ("res_field", "=", "report_file"),
        ]
        report = Attachment.search(place)
        self.assertEqual(report.raw, original)
        assessment.write({"state": "approved"})  # as the engine does on the committee's approval
        for user in (self.secretary, self.committee_user, *self.deleters):
            with self.subTest(user=user.login):
                for vals in ({"raw": b"forged"}, {"datas": base64.b64encode(b"forged")}, {"res_id": 0}):
                    with self.assertRaisesRegex(AccessError, "approved assessment"):
                        report.with_user(user).write(vals)
                with self.assertRaises(AccessError):  # core's own check first for those without write access
                    report.with_user(user).unlink()
                with self.assertRaises(AccessError):
                    Attachment.with_user(user).create(
                        {
                            "name": "other.pdf",
                            "raw": b"forged",
                            "res_model": assessment._name,
                            "res_id": assessment.id,
                            "res_field": "report_file",
                        }
                    )
        for user in (self.secretary, self.admin):
            with self.subTest(user=user.login), self.assertRaisesRegex(AccessError, "approved assessment"):
                report.with_user(user).unlink()
        # nor is another file moved into its place
        stray = Attachment.with_user(self.secretary).create({"name": "stray.pdf", "raw": b"stray"})
        with self.assertRaisesRegex(AccessError, "approved assessment"):
            stray.write({"res_model": assessment._name, "res_id": assessment.id, "res_field": "report_file"})
        self.assertEqual(Attachment.search(place), report)
        assessment.invalidate_recordset()
        self.assertEqual(base64.b64decode(assessment.report_file), original)
        # reopened, its secretary replaces it again
        assessment.write({"state": "draft"})
        report.with_user(self.secretary).write({"raw": b"%PDF corrected"})
        assessment.invalidate_recordset()
        self.assertEqual(base64.b64decode(assessment.report_file), b"%PDF corrected")
        report.with_user(self.secretary).unlink()
        assessment.invalidate_recordset()
        self.assertFalse(assessment.report_file)
