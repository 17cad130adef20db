from datetime import date, datetime, timedelta

from odoo import fields
from odoo.exceptions import UserError, ValidationError
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

@tagged("post_install", "-at_install")
class TestPartyMeetingTime(PartyCase):
    """Issue 18: a party meeting takes place within the supported calendar (1949–9998) and lasts a finite number
    of hours, for every role that records one; an ordinary event is core's alone and keeps any date."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.liaison = new_test_user(cls.env, login="pm_liaison", groups=GROUP + "liaison")
        cls.village.user_ids = [(4, cls.liaison.id)]
        cls.manager = new_test_user(cls.env, login="pm_manager", groups=GROUP + "manager")
        cls.employee = new_test_user(cls.env, login="pm_employee", groups="base.group_user")
        cls.admin = cls.env.ref("base.user_admin")
        cls.organizers = {
            cls.secretary: {"party_meeting_kind": "publicity", "party_organization_id": cls.village_branch.id},
            cls.liaison: {"party_meeting_kind": "work", "party_organizer_unit_id": cls.village.id},
            cls.manager: {"party_meeting_kind": "seminar", "party_organization_id": cls.village_branch.id},
            cls.admin: {"party_meeting_kind": "publicity", "party_organization_id": cls.village_branch.id},
        }
        cls.Event = cls.env["calendar.event"].with_context(no_mail_to_attendees=True)

    def assertRefused(self, call):
        with self.assertRaises(ValidationError), self.env.cr.savepoint():
            call()
        self.env.invalidate_all()

    # Times a party meeting may not take: beyond the supported calendar (the month it counts in, the hour its
    # sign-in opens would overflow), or lasting no finite number of hours.
    BAD_TIMES = (
        {"start": "9999-06-01 02:00:00", "stop": "9999-06-01 04:00:00"},
        {"start": datetime(1, 1, 1, 0, 30), "stop": datetime(1, 1, 1, 1, 30)},
        {"start": "1948-12-31 10:00:00", "stop": "1948-12-31 12:00:00"},
        {"allday": True, "start_date": "9999-12-31", "stop_date": "9999-12-31"},
        {"allday": True, "start_date": date(1, 1, 1), "stop_date": date(2026, 3, 10)},
        {"allday": True, "start_date": "2026-03-10", "stop_date": "9999-12-31"},
        # an end computed beyond the calendar
        {"start": "9998-12-31 20:00:00", "duration": 8},
        *({"start": "2026-03-10 01:00:00", "duration": value} for value in (*NOT_FINITE, -1, 1e11, 10**6)),
    )

    def test_party_meetings_out_of_the_calendar_are_refused_for_every_role(self):
        for user, organizer in self.organizers.items():
            for times in self.BAD_TIMES:
                with self.subTest(user=user.login, times=times):
                    self.assertRefused(
                        lambda user=user, values={**organizer, **times}: self.Event.with_user(user).create(
                            {"name": "Out of time", "partner_ids": [], **values}
                        )
                    )
        self.assertFalse(self.Event.with_context(active_test=False).search([("name", "=", "Out of time")]))

    def test_party_meetings_are_not_moved_out_of_the_calendar(self):
        for user, organizer in self.organizers.items():
            meeting = self.Event.with_user(user).create(
                {
                    "name": f"Meeting of {user.login}",
                    "start": "2026-03-10 01:00:00",
                    "stop": "2026-03-10 03:00:00",
                    "partner_ids": [],
                    **organizer,
                }
            )
            for times in self.BAD_TIMES:
                with self.subTest(user=user.login, times=times):
                    self.assertRefused(
                        lambda user=user, meeting=meeting, times=times: meeting.with_user(user).write(times)
                    )
                    self.assertEqual(
                        (meeting.start, meeting.stop, meeting.duration, meeting.allday),
                        (datetime(2026, 3, 10, 1), datetime(2026, 3, 10, 3), 2.0, False),
                    )

    def test_an_ordinary_event_keeps_any_date_until_it_becomes_a_party_meeting(self):
        # core's calendar is whole: any employee's all-day event may take the first and the last day of Python's
        Event = self.Event.with_user(self.employee)
        event = Event.create(
            {"name": "Away", "allday": True, "start_date": date(1, 1, 1), "stop_date": date(9999, 12, 31)}
        )
        self.assertEqual((event.start_date, event.stop_date), (date(1, 1, 1), date(9999, 12, 31)))
        event.write({"start_date": "9999-12-31"})
        self.assertEqual(event.start_date, date(9999, 12, 31))
        timed = Event.create({"name": "Long ago", "start": datetime(1, 1, 1, 0, 30), "stop": datetime(1, 1, 1, 1, 30)})
        self.assertEqual(timed.start, datetime(1, 1, 1, 0, 30))
        # made a party meeting, it must take place within the supported calendar
        for user in (self.secretary, self.manager, self.admin):
            for record in (event, timed):
                with self.subTest(user=user.login, event=record.name):
                    record.sudo().partner_ids = [(4, user.partner_id.id)]
                    self.assertRefused(
                        lambda user=user, record=record: record.with_user(user).write(self.organizers[self.secretary])
                    )
        self.assertFalse((event | timed).filtered("party_meeting_kind"))
        self.assertEqual(event.stop_date, date(9999, 12, 31))

    def test_the_calendar_edges_themselves_are_party_meeting_times(self):
        meeting = self.Event.with_user(self.secretary).create(
            {
                "name": "Edge",
                "allday": True,
                "start_date": "1949-01-01",
                "stop_date": "1949-01-01",
                "partner_ids": [(6, 0, self.secretary.partner_id.ids)],
                **self.organizers[self.secretary],
            }
        )
        self.assertEqual(meeting.start_date, date(1949, 1, 1))
        # its sign-in opened long ago
        meeting.with_user(self.secretary).action_party_sign_in()
        self.assertEqual(meeting.party_signed_partner_ids, self.secretary.partner_id)
        meeting.with_user(self.secretary).write({"start_date": "9998-12-31", "stop_date": "9998-12-31"})
        self.assertEqual(meeting.stop_date, date(9998, 12, 31))
        with self.assertRaisesRegex(UserError, "opens an hour before"):
            meeting.with_user(self.secretary).action_party_sign_in()

    def test_messages_in_chinese(self):
        Event = self.Event.with_user(self.secretary).with_context(lang="zh_CN")
        values = {"name": "Out of time", "partner_ids": [], **self.organizers[self.secretary]}
        with self.assertRaisesRegex(ValidationError, "必须是1949-01-01至9998-12-31之间的日期"):
            Event.create({**values, "start": "9999-06-01 02:00:00", "stop": "9999-06-01 04:00:00"})
        with self.assertRaisesRegex(ValidationError, "必须是有限的数字"):
            Event.create({**values, "start": "2026-03-10 01:00:00", "duration": NAN})
        with self.assertRaisesRegex(ValidationError, "必须在0到8784之间"):
            Event.create({**values, "start": "2026-03-10 01:00:00", "duration": 10**6})
