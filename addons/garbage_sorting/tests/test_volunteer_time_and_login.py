"""Issue 20: the duty's time told truthfully in the portal, duties nobody attended turn missed, volunteers get
a login by their mobile number, and the portal pages are the town's."""

import re
from datetime import date, datetime
from urllib.parse import urlparse

from freezegun import freeze_time
from lxml import etree

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools.misc import get_lang
from odoo.tools.safe_eval import safe_eval

from .common import setup_volunteers

DUTY_DAY = date(2026, 5, 20)
# 07:00-09:00 in Shanghai (UTC+8) is 23:00 (the day before) to 01:00 UTC; the tolerance is set to 30 minutes.
BEFORE = datetime(2026, 5, 19, 22, 0)  # 06:00 in the town: the window opens at 06:30
INSIDE = datetime(2026, 5, 19, 23, 10)  # 07:10 in the town
AFTER = datetime(2026, 5, 20, 1, 40)  # 09:40 in the town: the window closed at 09:30


@tagged("post_install", "-at_install")
class TestDutyWindowAndLogins(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        setup_volunteers(cls)
        cls.portal_user.lang = "en_US"
        cls.env.company.garbage_checkin_tolerance_minutes = 30
        cls.Duty = cls.env["garbage.volunteer.duty"]
        cls.duty = cls.Duty.create(
            {
                "site_id": cls.site.id,
                "date": DUTY_DAY,
                "time_start": 7,
                "time_end": 9,
                "volunteer_ids": cls.volunteer.ids,
            }
        )
        cls.liaison = new_test_user(
            cls.env, login="gs_vtl_liaison", groups="base.group_user,garbage_sorting.garbage_sorting_group_liaison"
        )

    def _page(self):
        return self.url_open("/my/volunteer-hours").text

    def _post(self, url, data):
        # Any form of the session carries a valid token.
        html = self.url_open("/my/volunteer-hours/new").text
        csrf = html.split('name="csrf_token" value="')[1].split('"')[0]
        return self.url_open(url, data={"csrf_token": csrf, **data})

    # The duty's window

    def test_check_in_is_offered_only_inside_the_window(self):
        self.authenticate("gs_vt_volunteer", "gs_vt_volunteer")
        check_in_url = f"/my/volunteer-duties/{self.duty.id}/check-in"
        with freeze_time(BEFORE):
            page = self._page()
            self.assertNotIn(check_in_url, page)
            self.assertIn("o_gs_window_not_yet", page)
            opens = etree.fromstring(page, etree.HTMLParser()).xpath(
                "//*[contains(@class, 'o_gs_window_not_yet')]//strong"
            )
            self.assertEqual(opens[0].text, "06:30")
            # The server refuses it too: what the page says is what the server does.
            self._post(check_in_url, {})
            self.assertFalse(self.duty.attendance_ids)
        with freeze_time(AFTER):
            page = self._page()
            self.assertNotIn(check_in_url, page)
            self.assertIn("o_gs_window_passed", page)
            self.assertIn("09:30", page)
            self._post(check_in_url, {})
            self.assertFalse(self.duty.attendance_ids)
        with freeze_time(INSIDE):
            page = self._page()
            self.assertIn(check_in_url, page)
            self.assertNotIn("o_gs_window_not_yet", page)
            self._post(check_in_url, {})
            self.assertEqual(self.duty.attendance_ids.partner_id, self.volunteer)

    def test_refused_check_out_keeps_what_was_typed(self):
        self.authenticate("gs_vt_volunteer", "gs_vt_volunteer")
        with freeze_time(INSIDE):
            self._post(f"/my/volunteer-duties/{self.duty.id}/check-in", {})
            # At once: no hours to record, the check-out is refused, the volunteer's findings stay in the form.
            response = self._post(
                f"/my/volunteer-duties/{self.duty.id}/check-out",
                {"persuasions": "7", "problem_littering": "on", "problem_wrong_time": "on"},
            )
        self.assertIn("alert-danger", response.text)
        self.assertFalse(self.duty.attendance_ids.check_out)
        form = etree.fromstring(response.content, etree.HTMLParser())
        persuasions = form.xpath(f"//input[@id='gs_persuasions_{self.duty.id}']")[0]
        self.assertEqual(persuasions.get("value"), "7")
        checked = {box.get("name") for box in form.xpath("//input[@type='checkbox'][@checked]")}
        self.assertEqual(checked, {"problem_littering", "problem_wrong_time"})

    def test_unattended_duty_turns_missed_in_the_towns_time(self):
        evening = self.Duty.create(
            {
                "site_id": self.site.id,
                "date": DUTY_DAY,
                "time_start": 20,
                "time_end": 22,
                "volunteer_ids": self.volunteer.ids,
            }
        )
        next_morning = self.Duty.create(
            {
                "site_id": self.site.id,
                "date": date(2026, 5, 21),
                "time_start": 7,
                "time_end": 9,
                "volunteer_ids": self.volunteer.ids,
            }
        )
        attended = self.Duty.create(
            {
                "site_id": self.site.id,
                "date": DUTY_DAY,
                "time_start": 7,
                "time_end": 8,
                "volunteer_ids": self.volunteer.ids,
            }
        )
        with freeze_time(INSIDE):
            attended.with_user(self.portal_user).action_check_in()
        # 09:20 in the town (01:20 UTC): the morning window is still open.
        with freeze_time(datetime(2026, 5, 20, 1, 20)):
            self.Duty._cron_mark_missed()
        self.assertEqual(self.duty.state, "planned")
        # 09:40 in the town: the morning duty is missed; the evening one (20:00-22:00, i.e. 12:00 UTC) is not.
        with freeze_time(AFTER):
            self.Duty._cron_mark_missed()
        self.assertEqual((self.duty.state, evening.state, attended.state), ("missed", "planned", "planned"))
        # 22:40 in the town is 14:40 UTC on the same day: the evening duty is missed then, not at 22:40 UTC.
        with freeze_time(datetime(2026, 5, 20, 14, 40)):
            self.Duty._cron_mark_missed()
        self.assertEqual(evening.state, "missed")
        # 07:40 on the 21st in the town is still the 20th in UTC: tomorrow's duty runs, it is not missed.
        with freeze_time(datetime(2026, 5, 20, 23, 40)):
            self.Duty._cron_mark_missed()
        self.assertEqual(next_morning.state, "planned")

        # The coordinator's filters: "Upcoming" no longer lists a missed duty, "Missed" does.
        Duty = self.Duty.with_user(self.coordinator)
        arch = etree.fromstring(Duty.get_views([(False, "search")])["views"]["search"]["arch"])

        def filtered(name, today):
            domain = arch.xpath(f"//filter[@name='{name}']")[0].get("domain")
            return Duty.search(safe_eval(domain, {"context_today": lambda: today}))

        upcoming = filtered("upcoming", DUTY_DAY)
        self.assertNotIn(self.duty, upcoming)
        self.assertIn(next_morning, upcoming)
        self.assertEqual(filtered("missed", DUTY_DAY) & (self.duty | evening | next_morning), self.duty | evening)
        # The coordinator's dashboard (Duties Analysis, this year by default) counts them per month and state.
        action = self.env.ref("garbage_sorting.garbage_volunteer_duty_action_analysis")
        self.assertEqual(action.view_mode.split(",")[0], "graph")
        self.assertIn("search_default_this_year", action.context)
        this_year = filtered("this_year", DUTY_DAY).ids
        ours = [("id", "in", (self.duty | evening | next_morning | attended).ids)]
        groups = Duty._read_group([*ours, ("id", "in", this_year)], ["date:month", "state"], ["__count"])
        may = date(2026, 5, 1)
        self.assertEqual(
            sorted((month, state, count) for month, state, count in groups), [(may, "missed", 2), (may, "planned", 2)]
        )
        # The list shows it in red; the volunteer's page says it was missed.
        list_arch = Duty.get_views([(False, "list")])["views"]["list"]["arch"]
        self.assertIn("state == 'missed'", list_arch)
        self.authenticate("gs_vt_volunteer", "gs_vt_volunteer")
        with freeze_time(datetime(2026, 5, 20, 23, 40)):
            self.assertIn("o_gs_duty_missed", self._page())

    def test_duty_volunteers_are_existing_volunteers_only(self):
        form = etree.fromstring(
            self.Duty.with_user(self.coordinator).get_views([(False, "form")])["views"]["form"]["arch"]
        )
        options = form.xpath("//field[@name='volunteer_ids']")[0].get("options")
        self.assertIn("'no_create': True", options)
        passer_by = self.env["res.partner"].create({"name": "王小明"})
        with self.assertRaises(ValidationError):
            self.duty.with_user(self.coordinator).write({"volunteer_ids": [Command.link(passer_by.id)]})
        self.assertNotIn(passer_by, self.duty.volunteer_ids)

    # Logins by mobile number

    def _invite(self, user, partner):
        return partner.with_user(user).action_volunteer_invite_mobile()

    def test_coordinator_invites_by_mobile_and_the_volunteer_logs_in(self):
        partner = self.env["res.partner"].create(
            {"name": "钱桂兰", "phone": "+86 139-0570-0001", "is_volunteer": True, "volunteer_category": "teacher"}
        )
        self.assertEqual(partner.with_user(self.coordinator).volunteer_access, "none")
        self.coordinator.partner_id.email = False  # like the demo's: no e-mail needed on either side
        action = self._invite(self.coordinator, partner)
        self.assertEqual((action["res_model"], action["res_id"], action["target"]), ("res.partner", partner.id, "new"))
        user = partner.user_ids
        self.assertEqual(user.login, "13905700001")
        self.assertIn("13905700001", partner.message_ids[:1].body)
        self.assertTrue(user.has_group("base.group_portal"))
        self.assertFalse(user.has_group("base.group_user"))
        self.assertEqual(partner.with_user(self.coordinator).volunteer_access, "invited")
        as_coordinator = partner.with_user(self.coordinator)
        self.assertTrue(as_coordinator.volunteer_invite_qr, "the link is shown as a QR code")
        path = urlparse(as_coordinator.volunteer_invite_url).path
        # Nobody else reads the link: not the liaison, not the volunteer.
        for user_without in (self.liaison, self.portal_user):
            with self.assertRaises(AccessError):
                partner.with_user(user_without).read(["volunteer_invite_url"])

        # The volunteer opens the link (not logged in), chooses a password, and is logged in.
        page = self.url_open(path)
        self.assertEqual(page.status_code, 200)
        self.assertIn("13905700001", page.text)
        csrf = page.text.split('name="csrf_token" value="')[1].split('"')[0]
        for password, confirmation in (("short", "short"), ("sorting-2026", "sorting-2027")):
            response = self.url_open(
                path, data={"csrf_token": csrf, "password": password, "confirm_password": confirmation}
            )
            self.assertIn("o_gs_error", response.text)
        response = self.url_open(
            path, data={"csrf_token": csrf, "password": "sorting-2026", "confirm_password": "sorting-2026"}
        )
        self.assertEqual(urlparse(response.url).path, "/my/volunteer-hours")
        self.assertEqual(response.status_code, 200)

        # The link works once, for anyone who got hold of it.
        self.opener.cookies.clear()  # another phone, nobody logged in
        login_page = self.url_open("/web/login").text
        csrf = login_page.split('name="csrf_token" value="')[1].split('"')[0]
        self.assertEqual(self.url_open(path).status_code, 404)
        reused = self.url_open(
            path, data={"csrf_token": csrf, "password": "takeover-1", "confirm_password": "takeover-1"}
        )
        self.assertEqual(reused.status_code, 404)

        # From now on: the mobile number and the password, on the portal's login page.
        response = self.url_open(
            "/web/login", data={"csrf_token": csrf, "login": "13905700001", "password": "sorting-2026"}
        )
        self.assertEqual(urlparse(response.url).path, "/my/volunteer-hours")
        self.assertEqual(partner.with_user(self.coordinator).volunteer_access, "active")
        # The coordinator sees who has access in the volunteers' list.
        list_arch = (
            self.env["res.partner"]
            .with_user(self.coordinator)
            .get_views([(self.env.ref("garbage_sorting.res_partner_view_list_volunteer").id, "list")])["views"]["list"][
                "arch"
            ]
        )
        self.assertIn('name="volunteer_access"', list_arch)

    def test_who_may_not_invite(self):
        partner = self.env["res.partner"].create(
            {"name": "孙建国", "mobile": "13905700002", "is_volunteer": True, "volunteer_category": "veteran"}
        )
        for user in (self.portal_user, self.liaison):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self._invite(user, partner)
        self.assertFalse(partner.user_ids)
        # Nobody writes an invitation token by hand, not even a coordinator.
        with self.assertRaises(AccessError):
            partner.with_user(self.coordinator).write({"volunteer_invite_token": "x" * 40})
        planted = (
            self.env["res.partner"]
            .with_user(self.coordinator)
            .with_context(default_volunteer_invite_token="y" * 43, default_volunteer_invite_expiry="2099-01-01")
            .create({"name": "周大伯"})
        )
        self.assertFalse(planted.sudo().volunteer_invite_token)
        # No mobile number, or not a volunteer: a clear refusal, no login.
        no_mobile = self.env["res.partner"].create(
            {"name": "李阿姨", "is_volunteer": True, "volunteer_category": "volunteer"}
        )
        with self.assertRaises(UserError):
            self._invite(self.coordinator, no_mobile)
        with self.assertRaises(UserError):
            self._invite(self.coordinator, self.env["res.partner"].create({"name": "路人", "mobile": "13905700003"}))
        self.assertFalse(no_mobile.user_ids)
        # A wrong or guessed token opens nothing.
        self.assertEqual(self.url_open("/volunteer/welcome/" + "A" * 43).status_code, 404)

    # The town's portal

    def test_portal_pages_are_the_towns(self):
        company = self.env.company.name
        self.authenticate("gs_vt_volunteer", "gs_vt_volunteer")
        # The language the pages fall back to when the volunteer's is not installed (the test database: Chinese).
        env = self.env(context={"lang": get_lang(self.env, self.portal_user.lang).code})
        for url, page in (("/my/volunteer-hours", env._("Volunteer hours")), ("/my", env._("My Account"))):
            with self.subTest(url=url):
                html = self.url_open(url).text
                title = re.search(r"<title>(.*?)</title>", html, re.S).group(1).strip()
                self.assertEqual(title, f"{page} · {company}")
                self.assertNotIn("Powered by", html)
                self.assertNotIn("utm_source=db", html)
        self.opener.cookies.clear()  # another phone, nobody logged in
        html = self.url_open("/web/login").text
        self.assertNotIn("utm_source=db", html)
        self.assertIn(f"· {company}</title>", html)
