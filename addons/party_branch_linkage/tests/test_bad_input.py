from datetime import date, timedelta

from odoo import fields
from odoo.exceptions import ValidationError
from odoo.tests import new_test_user, tagged

from .common import PartyCase

GROUP = "garbage_sorting.garbage_sorting_group_"
PARTY = "party_branch_linkage.party_branch_linkage_group_"
NAN, INF = float("nan"), float("inf")
NOT_FINITE = (NAN, INF, -INF, "nan", "1e309")


@tagged("post_install", "-at_install")
class TestPartyBadInput(PartyCase):
    """The party's numbers and dates are refused with a clear, translated message when they are no number, not
    finite, out of their range or outside the supported calendar, for every role that writes them."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.manager = new_test_user(cls.env, login="pb_manager", groups=GROUP + "manager")
        cls.committee_user = new_test_user(cls.env, login="pb_committee", groups=PARTY + "committee")
        cls.admin = cls.env.ref("base.user_admin")
        cls.member = cls._in_service_members([{"name": "Goer", "organization_ids": [(6, 0, cls.village_branch.ids)]}])

    def assertRefused(self, call):
        with self.assertRaises(ValidationError), self.env.cr.savepoint():
            call()
        self.env.invalidate_all()

    def _activity_vals(self, **vals):
        return {
            "name": "Market day",
            "date": fields.Date.context_today(self.env["party.grassroots.activity"]) - timedelta(days=1),
            "entry_type": "market",
            "organization_id": self.village_branch.id,
            "member_ids": [(6, 0, self.member.ids)],
            "hours": 2,
            **vals,
        }

    def test_grassroots_hours_are_finite_and_in_range(self):
        Activity = self.env["party.grassroots.activity"]
        activity = Activity.with_user(self.secretary).create(self._activity_vals())
        for user in (self.secretary, self.committee_user, self.manager, self.admin):
            for value in (0, -1, 12.5, *NOT_FINITE):
                with self.subTest(user=user.login, value=value):
                    self.assertRefused(
                        lambda user=user, value=value: Activity.with_user(user).create(
                            self._activity_vals(name="Bad", hours=value)
                        )
                    )
                    self.assertRefused(lambda user=user, value=value: activity.with_user(user).write({"hours": value}))
        self.assertFalse(Activity.search([("name", "=", "Bad")]))
        self.assertEqual(activity.hours, 2)
        # NaN never reaches the members' hours nor the volunteers' records
        activity.with_user(self.secretary).action_done()
        self.assertEqual(self.member.grassroots_hours, 2)

    def test_work_programme_year_is_a_year(self):
        Programme = self.env["party.work.programme"]
        for user in (self.secretary, self.committee_user, self.manager, self.admin):
            for year in (0, 2000, 9999, 2**40, NAN, INF):
                with self.subTest(user=user.login, year=year):
                    self.assertRefused(
                        lambda user=user, year=year: Programme.with_user(user).create(
                            {"organization_id": self.village_branch.id, "year": year}
                        )
                    )
        self.assertFalse(Programme.search([("organization_id", "=", self.village_branch.id)]))
        programme = Programme.with_user(self.committee_user).create(
            {"organization_id": self.village_branch.id, "year": 2030}
        )
        self.assertRefused(lambda: programme.with_user(self.manager).write({"year": 10000}))
        self.assertEqual(programme.year, 2030)

    def test_annual_review_year_never_fails_on_a_number(self):
        Review = self.env["party.annual.review"].with_user(self.secretary)
        for year in (0, 1948, 9999, 10**6, *NOT_FINITE):
            with self.subTest(year=year):
                self.assertRefused(
                    lambda year=year: Review.create({"organization_id": self.village_branch.id, "year": year})
                )
                self.assertRefused(lambda year=year: self.env["party.organization"]._check_review_year(year))
        self.assertEqual(self.env["party.organization"]._check_review_year("2026"), 2026)
        with self.assertRaisesRegex(ValidationError, "必须是有限的数字"):
            Review.with_context(lang="zh_CN").create({"organization_id": self.village_branch.id, "year": INF})
        with self.assertRaisesRegex(ValidationError, "1949 and 9998"):
            Review.create({"organization_id": self.village_branch.id, "year": 10000})

    def test_dates_at_the_calendar_edge(self):
        project = self.env["party.brand.project"].create(
            {"name": "Green Hills", "organization_ids": [(6, 0, self.village_branch.ids)]}
        )
        Group = self.env["party.linkage.group"]
        group = Group.create(
            {
                "name": "Village pairing",
                "kind": "strong_weak",
                "lead_unit_id": self.village.id,
                "organization_ids": [(6, 0, self.village_branch.ids)],
            }
        )
        since = group.date_start
        Highlight = self.env["party.brand.highlight"]
        for user in (self.secretary, self.committee_user, self.manager, self.admin):
            for value in (date(9999, 12, 31), "9999-01-01", "0001-01-01", "2026-02-30"):
                with self.subTest(user=user.login, value=value):
                    self.assertRefused(
                        lambda user=user, value=value: project.with_user(user).write({"date_end": value})
                    )
                    self.assertRefused(
                        lambda user=user, value=value: Highlight.with_user(user).create(
                            {"name": "Door sorting", "project_id": project.id, "date": value}
                        )
                    )
                    self.assertRefused(
                        lambda user=user, value=value: self.env["party.grassroots.activity"]
                        .with_user(user)
                        .create(self._activity_vals(name="Edge", date=value))
                    )
                    self.assertRefused(
                        lambda user=user, value=value: group.with_user(user).write({"date_start": value})
                    )
        self.assertFalse(project.date_end)
        self.assertFalse(Highlight.search([("project_id", "=", project.id)]))
        self.assertEqual(group.date_start, since)
        # the last day of the supported calendar is a date like any other
        project.with_user(self.secretary).write({"date_end": date(9998, 12, 31)})
        self.assertEqual(project.date_end, date(9998, 12, 31))

    def test_messages_in_chinese(self):
        Activity = self.env["party.grassroots.activity"].with_user(self.secretary).with_context(lang="zh_CN")
        with self.assertRaisesRegex(ValidationError, "必须是有限的数字"):
            Activity.create(self._activity_vals(hours=NAN))
        with self.assertRaisesRegex(ValidationError, "必须是1949-01-01至9998-12-31之间的日期"):
            Activity.create(self._activity_vals(date=date(9999, 12, 31)))

    def test_text_the_database_cannot_store(self):
        """A NUL or a lone surrogate (JSON-RPC carries both) in the reopening's reason or a meeting's minutes: the
        translated refusal for the role that writes them, nothing stored; clean text goes in."""
        assessment = (
            self.env["party.building.assessment"]
            .with_user(self.committee_user)
            .create({"organization_id": self.village_branch.id, "year": 2025})
        )
        Reopen = self.env["party.building.assessment.reopen"].with_user(self.committee_user)
        now = fields.Datetime.now()
        past = max(now - timedelta(hours=2), now.replace(day=1, hour=0, minute=0, second=0, microsecond=0))
        meeting = self.env["calendar.event"].create(
            {
                "name": "Village work meeting",
                "party_meeting_kind": "work",
                "party_organizer_unit_id": self.village.id,
                "start": past,
                "stop": past + timedelta(hours=1),
                "partner_ids": [],
            }
        )
        Event = self.env["calendar.event"].with_user(self.secretary)
        for value in ("x\x00", "\ud800", "<p>minutes\x00</p>"):
            with self.subTest(value=value):
                self.assertRefused(lambda value=value: Reopen.create({"assessment_id": assessment.id, "reason": value}))
                self.assertRefused(
                    lambda value=value: meeting.with_user(self.secretary).write({"party_minutes": value})
                )
                self.assertRefused(
                    lambda value=value: Event.create(
                        {"name": "Meeting", "start": past, "stop": past, "party_resolutions": value}
                    )
                )
        self.assertFalse(Reopen.sudo().search([("assessment_id", "=", assessment.id)]))
        self.assertFalse(meeting.party_minutes)
        Reopen.create({"assessment_id": assessment.id, "reason": "Grey listing corrected"})
        meeting.with_user(self.secretary).write({"party_minutes": "<p>Bins relabelled</p>"})
        self.assertEqual(meeting.party_minutes, "<p>Bins relabelled</p>")
        with self.assertRaisesRegex(ValidationError, "Minutes contains characters that cannot be stored"):
            meeting.with_user(self.secretary).write({"party_minutes": "x\x00"})
        with self.assertRaisesRegex(ValidationError, "包含无法保存的字符"):
            Reopen.with_context(lang="zh_CN").create({"assessment_id": assessment.id, "reason": "\ud800"})

    def test_the_uploaded_report_keeps_a_short_file_name(self):
        """The secretary's uploaded report is downloaded under its file name: a long one is cut short (its
        extension kept), so that the download's header stays small."""
        assessment = (
            self.env["party.building.assessment"]
            .with_user(self.committee_user)
            .create({"organization_id": self.village_branch.id, "year": 2025})
        )
        assessment.with_user(self.secretary).write({"report_filename": "述职报告" * 250 + ".pdf"})
        self.assertEqual(assessment.report_filename, "述职报告" * 14 + "述职报…" + ".pdf")
        assessment.with_user(self.secretary).write({"report_filename": "report.docx"})
        self.assertEqual(assessment.report_filename, "report.docx")
