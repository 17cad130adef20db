from datetime import date, datetime, timedelta

from odoo import fields
from odoo.addons.garbage_sorting.tests.common import RefusalAssertions
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tests.common import JsonRpcException
from odoo.tools import mute_logger

from ..models.res_config_settings import WEIGHT_FIELDS
from .common import PartyCase

GROUP = "garbage_sorting.garbage_sorting_group_"
PARTY = "party_branch_linkage.party_branch_linkage_group_"
NAN, INF = float("nan"), float("inf")
NOT_FINITE = (NAN, INF, -INF, "nan", "1e309")


@tagged("post_install", "-at_install")
class TestPartyBadInput(RefusalAssertions, PartyCase):
    """The party's numbers and dates are refused with a clear, translated message when they are no number, not
    finite, out of their range or outside the supported calendar, for every role that writes them."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.manager = new_test_user(cls.env, login="pb_manager", groups=GROUP + "manager")
        cls.committee_user = new_test_user(cls.env, login="pb_committee", groups=PARTY + "committee")
        cls.admin = cls.env.ref("base.user_admin")
        cls.member = cls._in_service_members([{"name": "Goer", "organization_ids": [(6, 0, cls.village_branch.ids)]}])

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

    def test_media_links_are_web_addresses_only(self):
        """A highlight's media link is opened from its form and the review: anything but an http(s) address (a
        script, inline data, a file) is refused for every role that writes highlights, nothing stored."""
        project = self.env["party.brand.project"].create(
            {"name": "Green Hills", "organization_ids": [(6, 0, self.village_branch.ids)]}
        )
        highlight = self.env["party.brand.highlight"].create({"name": "Door sorting", "project_id": project.id})
        Highlight = self.env["party.brand.highlight"]
        bad_links = (
            "javascript:alert(1)",
            "JavaScript:alert(document.cookie)",
            " javascript:alert(1)",
            "java\tscript:alert(1)",
            "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
            "vbscript:msgbox(1)",
            "file:///etc/passwd",
            "//example.org/news",
            "example.org/news",
            "http://",
            "https:///news",
            "http://exa mple.org",
            "http://example.org/\x00",
            "http://[::1",
        )
        for user in (self.secretary, self.manager, self.admin):
            for value in bad_links:
                with self.subTest(user=user.login, value=value):
                    self.assertRefused(
                        lambda user=user, value=value: Highlight.with_user(user).create(
                            {"name": "Linked", "project_id": project.id, "media_url": value}
                        )
                    )
                    self.assertRefused(
                        lambda user=user, value=value: highlight.with_user(user).write({"media_url": value})
                    )
        self.assertFalse(Highlight.search([("name", "=", "Linked")]))
        self.assertFalse(highlight.media_url)
        with self.assertRaisesRegex(ValidationError, "必须是以http://或https://开头的网址"), self.env.cr.savepoint():
            highlight.with_user(self.secretary).with_context(lang="zh_CN").write({"media_url": "javascript:alert(1)"})
        for value in ("https://example.org/news/qingshan?id=1#top", "HTTP://EXAMPLE.ORG", False, ""):
            highlight.with_user(self.secretary).write({"media_url": value})
            self.assertEqual(highlight.media_url or False, value or False)

    def test_building_weights_in_the_settings_and_on_the_town(self):
        """The party-building weights are finite numbers from 0 to 100, in the Settings (create, and write when
        saved again) and on the town itself (write and create), in the user's language; the task force has no
        Settings to open, nothing is stored."""
        town = self.env.company
        before = {name: town[name] for name in WEIGHT_FIELDS}
        settings = self.env["res.config.settings"].with_user(self.admin).create({})
        Settings = self.env["res.config.settings"]
        Company = self.env["res.company"].with_user(self.admin)
        for name in WEIGHT_FIELDS:
            for value in (*NOT_FINITE, -0.5, 100.5, 1e300, "abc"):
                with self.subTest(name=name, value=value):
                    self.assertRefused(
                        lambda name=name, value=value: Settings.with_user(self.admin).create({name: value})
                    )
                    self.assertRefused(lambda name=name, value=value: settings.write({name: value}))
                    self.assertRefused(lambda name=name, value=value: town.with_user(self.admin).write({name: value}))
                    self.assertRefused(
                        lambda name=name, value=value: Company.create({"name": "Weighed Town", name: value})
                    )
                    self.assertRefusedToTaskForce(
                        lambda name=name, value=value: Settings.with_user(self.manager).create({name: value})
                    )
                    self.assertRefusedToTaskForce(
                        lambda name=name, value=value: town.with_user(self.manager).write({name: value})
                    )
        # a weight in range: the task force is refused the Settings and the town themselves
        for call in (
            lambda: Settings.with_user(self.manager).create({"party_building_weight_units": 20}),
            lambda: town.with_user(self.manager).write({"party_building_weight_units": 20}),
        ):
            with self.assertRaises(AccessError), self.env.cr.savepoint():
                call()
        town.invalidate_recordset()
        self.assertEqual({name: town[name] for name in WEIGHT_FIELDS}, before)
        self.assertFalse(Company.search([("name", "=", "Weighed Town")]))
        zh_settings = settings.with_context(lang="zh_CN")
        with self.assertRaisesRegex(ValidationError, "必须是有限的数字"), self.env.cr.savepoint():
            zh_settings.write({"party_building_weight_units": NAN})
        with self.assertRaisesRegex(ValidationError, "必须在0到100.0之间"), self.env.cr.savepoint():
            zh_settings.write({"party_building_weight_review": 101})
        # every part weighing nothing is refused too; a weight in range is stored
        self.assertRefused(lambda: Settings.with_user(self.admin).create(dict.fromkeys(WEIGHT_FIELDS, 0)).execute())
        settings.write({"party_building_weight_review": 12.5})
        self.assertEqual(town.party_building_weight_review, 12.5)


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


@tagged("post_install", "-at_install")
class TestPartyBadInputOverHttp(HttpCase, PartyCase):
    """The refusals as the web client meets them: its form saved (`web_save`) answers the translated error, never
    a server error, and nothing is stored."""

    def save(self, model, record_id, values):
        with mute_logger("odoo.http"), self.assertRaises(JsonRpcException) as caught:
            self.make_jsonrpc_request(
                f"/web/dataset/call_kw/{model}/web_save",
                {
                    "model": model,
                    "method": "web_save",
                    "args": [[record_id] if record_id else [], values],
                    "kwargs": {"specification": {}},
                },
            )
        return caught.exception.args[0]

    def test_a_media_link_and_a_weight_saved_in_the_forms(self):
        project = self.env["party.brand.project"].create(
            {"name": "Green Hills", "organization_ids": [(6, 0, self.village_branch.ids)]}
        )
        highlight = self.env["party.brand.highlight"].create({"name": "Door sorting", "project_id": project.id})
        self.authenticate("pt_secretary", "pt_secretary")
        for value in ("javascript:alert(1)", "data:text/html,<script>alert(1)</script>"):
            self.assertEqual(
                self.save("party.brand.highlight", highlight.id, {"media_url": value}),
                "odoo.exceptions.ValidationError",
            )
            self.assertEqual(
                self.save(
                    "party.brand.highlight", None, {"name": "Linked", "project_id": project.id, "media_url": value}
                ),
                "odoo.exceptions.ValidationError",
            )
        self.env.invalidate_all()
        self.assertFalse(highlight.media_url)
        self.assertFalse(self.env["party.brand.highlight"].search([("name", "=", "Linked")]))
        town = self.env.company
        before = town.party_building_weight_units
        self.authenticate("admin", "admin")
        for value in ("nan", "inf", -1, 1000):
            with self.subTest(value=value):
                self.assertEqual(
                    self.save("res.config.settings", None, {"party_building_weight_units": value}),
                    "odoo.exceptions.ValidationError",
                )
        self.env.invalidate_all()
        self.assertEqual(town.party_building_weight_units, before)
