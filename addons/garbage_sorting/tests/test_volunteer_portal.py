import re
import xmlrpc.client
from datetime import datetime, time, timedelta

from freezegun import freeze_time
from markupsafe import escape

from odoo import fields
from odoo.tests import HttpCase, get_db_name, tagged
from odoo.tools.misc import get_lang

from .common import setup_volunteers


def without_csrf_token(html):
    """A page embeds a CSRF token that changes with time: it says nothing about the record asked for."""
    return re.sub(r"[0-9a-f]{40}o\d+", "<csrf>", html)


@tagged("post_install", "-at_install")
class TestVolunteerPortal(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        setup_volunteers(cls)
        cls.portal_user.lang = "en_US"
        # "today" is the volunteer's (Shanghai): the entries made here are checked against the same day
        cls.Hour = cls.Hour.with_context(tz=cls.portal_user.tz)
        cls.today = fields.Date.context_today(cls.Hour)
        cls.other_entry = cls.Hour.create(
            {"partner_id": cls.other_volunteer.id, "date": cls.today, "hours": 1.5, "source": "portal"}
        )

    def setUp(self):
        super().setUp()
        self.authenticate("gs_vt_volunteer", "gs_vt_volunteer")

    def _csrf(self):
        # Any page of the session carries a valid token in its forms.
        html = self.url_open("/my/volunteer-hours/new").text
        return html.split('name="csrf_token" value="')[1].split('"')[0]

    def _own_entries(self):
        return self.Hour.search([("partner_id", "=", self.volunteer.id)])

    def _post(self, url, data, **kwargs):
        return self.url_open(url, data={"csrf_token": self._csrf(), **data}, **kwargs)

    def _assert_message(self, source, page):
        """The page shows the message in the volunteer's language (the test database runs in Chinese
        only): every literal part of its translation, around the placeholders, is on the page."""
        lang = get_lang(self.env, self.portal_user.lang).code  # the language the request falls back to
        translated = self.env["ir.http"].with_context(lang=lang).env._(source)
        for part in re.split(r"%\(\w+\)s", translated):
            if part.strip():
                self.assertIn(str(escape(part.strip())), page)

    def _log(self, **data):
        values = {"date": fields.Date.to_string(self.today), "hours": "2", "activity_type": "supervision"}
        values.update(data)
        return self._post("/my/volunteer-hours/new", values)

    def test_home_shows_volunteer_hours_count(self):
        self.Hour.create({"partner_id": self.volunteer.id, "date": self.today, "hours": 1})
        response = self.url_open("/my")
        self.assertEqual(response.status_code, 200)
        self.assertIn("/my/volunteer-hours", response.text)
        counters = self.make_jsonrpc_request("/my/counters", {"counters": ["volunteer_hour_count"]})
        self.assertEqual(counters["volunteer_hour_count"], 1)

    def test_log_list_and_totals(self):
        response = self._log(hours="2.5", note="桶边督导", submit="submit")
        self.assertEqual(response.status_code, 200)
        entry = self._own_entries()
        self.assertEqual((entry.hours, entry.state, entry.source), (2.5, "submitted", "portal"))
        page = self.url_open("/my/volunteer-hours").text
        self.assertIn(f"/my/volunteer-hours/{entry.id}", page)
        self.assertIn('o_gs_total_pending">2.5<', page)
        self.assertNotIn(f"/my/volunteer-hours/{self.other_entry.id}", page)
        self.assertEqual(self.url_open(f"/my/volunteer-hours/{entry.id}").status_code, 200)
        # Filters and pager
        self.assertNotIn(f"/my/volunteer-hours/{entry.id}", self.url_open("/my/volunteer-hours?filterby=approved").text)
        self.assertEqual(self.url_open("/my/volunteer-hours/page/2?sortby=hours&filterby=junk").status_code, 200)

    def test_bad_input_redisplays_form_and_stores_nothing(self):
        too_old = fields.Date.to_string(self.today - timedelta(days=61))
        tomorrow = fields.Date.to_string(self.today + timedelta(days=1))
        cases = [
            ({"hours": "0"}, "The number of hours must be greater than zero."),
            ({"hours": "-2"}, "The number of hours must be greater than zero."),
            ({"hours": "13"}, "One entry cannot exceed %(max)s hours."),
            ({"hours": "abc"}, "Please give the hours as a number, e.g. 1.5."),
            ({"hours": ""}, "Please give the hours as a number, e.g. 1.5."),
            ({"date": ""}, "Please give the date as YYYY-MM-DD."),
            ({"date": "20-05-2026"}, "Please give the date as YYYY-MM-DD."),
            ({"date": tomorrow}, "Hours cannot be logged for a future date."),
            ({"date": too_old}, "Hours older than %(days)s days can no longer be logged."),
            ({"unit_id": str(self.other_unit.id)}, "Please choose one of the units you serve."),
            ({"unit_id": "x"}, "Please choose one of the units you serve."),
            ({"activity_type": "party"}, "Please choose an activity."),
        ]
        for data, message in cases:
            with self.subTest(data=data):
                response = self._log(**data)
                self.assertEqual(response.status_code, 200)
                self.assertIn("o_gs_error", response.text)
                self._assert_message(message, response.text)
                self.assertFalse(self._own_entries())
        # Across entries: 12 + 12 fill the day, one more hour is refused.
        self._log(hours="12")
        self._log(hours="12")
        response = self._log(hours="1")
        self._assert_message(
            "%(name)s would have %(total)s hours on %(date)s: a day holds at most %(max)s hours.", response.text
        )
        self.assertEqual(len(self._own_entries()), 2)

    def test_errors_are_translated(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.portal_user.lang = "zh_CN"
        response = self._log(hours="abc")
        expected = self.env["ir.http"].with_context(lang="zh_CN").env._("Please give the hours as a number, e.g. 1.5.")
        self.assertIn(expected, response.text)

    def test_post_without_csrf_is_refused(self):
        data = {"date": fields.Date.to_string(self.today), "hours": "2"}
        response = self.url_open("/my/volunteer-hours/new", data=data)
        self.assertEqual(response.status_code, 400)
        response = self.url_open("/my/volunteer-hours/new", data={**data, "csrf_token": "forged"})
        self.assertEqual(response.status_code, 400)
        self.assertFalse(self._own_entries())

    def test_note_is_escaped(self):
        script = '<script>alert("x")</script><b>bold</b>'
        self._log(note=script)
        entry = self._own_entries()
        self.assertEqual(entry.note, script)
        html = self.url_open(f"/my/volunteer-hours/{entry.id}").text
        self.assertNotIn("<script>alert", html)
        self.assertIn("&lt;script&gt;alert", html)

    def test_other_or_missing_entry_gives_the_same_not_found(self):
        missing_id = self.Hour.search([], order="id desc", limit=1).id + 1000
        answers = []
        for hour_id in (self.other_entry.id, missing_id):
            get = self.url_open(f"/my/volunteer-hours/{hour_id}", allow_redirects=False)
            post = self._post(f"/my/volunteer-hours/{hour_id}", {"hours": "1", "date": str(self.today)})
            delete = self._post(f"/my/volunteer-hours/{hour_id}/delete", {})
            answers.append([(r.status_code, without_csrf_token(r.text)) for r in (get, post, delete)])
        self.assertEqual([code for code, __ in answers[0]], [404, 404, 404])
        self.assertEqual(answers[0], answers[1])
        self.assertEqual(self.other_entry.hours, 1.5)
        self.assertTrue(self.other_entry.exists())

    def test_other_or_missing_duty_gives_the_same_not_found(self):
        duty = self.env["garbage.volunteer.duty"].create(
            {"site_id": self.site.id, "date": self.today, "volunteer_ids": [(6, 0, self.other_volunteer.ids)]}
        )
        answers = [self._post(f"/my/volunteer-duties/{duty_id}/check-in", {}) for duty_id in (duty.id, duty.id + 1000)]
        self.assertEqual([r.status_code for r in answers], [404, 404])
        self.assertEqual(without_csrf_token(answers[0].text), without_csrf_token(answers[1].text))
        self.assertFalse(duty.attendance_ids)

    def test_edit_and_delete_until_approved(self):
        self._log(hours="2")
        entry = self._own_entries()
        self._post(f"/my/volunteer-hours/{entry.id}", {"date": str(self.today), "hours": "3", "submit": "submit"})
        self.assertEqual((entry.hours, entry.state), (3.0, "submitted"))
        entry.with_user(self.coordinator).action_approve()
        response = self._post(f"/my/volunteer-hours/{entry.id}", {"date": str(self.today), "hours": "5"})
        self._assert_message("Approved hours are locked: ask your coordinator to change them.", response.text)
        self._post(f"/my/volunteer-hours/{entry.id}/delete", {})
        self.assertEqual((entry.exists(), entry.hours), (entry, 3.0))
        # A draft entry can be deleted.
        self._log(hours="1")
        draft = self._own_entries() - entry
        self._post(f"/my/volunteer-hours/{draft.id}/delete", {})
        self.assertFalse(draft.exists())

    def test_duty_check_in_and_out(self):
        duty = self.env["garbage.volunteer.duty"].create(
            {"site_id": self.site.id, "date": self.today, "volunteer_ids": [(6, 0, self.volunteer.ids)]}
        )
        # 07:00 in the town (UTC+8): the duty's start (07:00-09:00 by default).
        check_in = datetime.combine(self.today, time(0, 0)) - timedelta(hours=1)
        with freeze_time(check_in):
            self.assertIn(f"/my/volunteer-duties/{duty.id}/check-in", self.url_open("/my/volunteer-hours").text)
            self._post(f"/my/volunteer-duties/{duty.id}/check-in", {"latitude": "30.2501", "longitude": "120.15"})
        self.assertEqual(duty.attendance_ids.check_in_distance, 11)
        response = self._post(f"/my/volunteer-duties/{duty.id}/check-out", {"persuasions": "many"})
        self._assert_message("Please give the number of persuasions as a whole number.", response.text)
        self.assertFalse(duty.attendance_ids.check_out)
        with freeze_time(check_in + timedelta(hours=1, minutes=30)):
            self._post(f"/my/volunteer-duties/{duty.id}/check-out", {"persuasions": "3", "problem_littering": "on"})
        self.assertEqual(duty.attendance_ids.hour_id.hours, 1.5)
        self.assertEqual((duty.state, duty.persuasion_count, duty.problem_littering), ("done", 3, True))

    def test_certificate(self):
        approved = self.Hour.create(
            {"partner_id": self.volunteer.id, "date": self.today, "hours": 4, "state": "approved"}
        )
        self.Hour.create({"partner_id": self.volunteer.id, "date": self.today, "hours": 1, "state": "submitted"})
        response = self.url_open(
            f"/my/volunteer-hours/certificate?date_from={self.today.replace(day=1)}&date_to={self.today}"
        )
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.headers["Content-Type"], "application/pdf")
        self.assertTrue(response.content)
        self.assertTrue(approved)

    def test_non_finite_numbers_and_long_text_are_refused_in_the_form(self):
        for hours in ("nan", "inf", "-inf", "1e309", "Infinity"):
            with self.subTest(hours=hours):
                response = self._log(hours=hours)
                self.assertEqual(response.status_code, 200)
                self._assert_message("Please give the hours as a number, e.g. 1.5.", response.text)
        response = self._log(note="x" * 2001)
        self.assertEqual(response.status_code, 200)
        self._assert_message("A note or a reason holds at most %(max)s characters.", response.text)
        self.assertFalse(self._own_entries())

    def test_positions_and_findings_are_checked(self):
        duty = self.env["garbage.volunteer.duty"].create(
            {"site_id": self.site.id, "date": self.today, "volunteer_ids": [(6, 0, self.volunteer.ids)]}
        )
        check_in = datetime.combine(self.today, time(0, 0)) - timedelta(hours=1)  # 07:00 in the town
        url = f"/my/volunteer-duties/{duty.id}"
        with freeze_time(check_in):
            for position, message in [
                ({"latitude": "30.25"}, "A position needs both its latitude and its longitude, or neither."),
                ({"longitude": "120.15"}, "A position needs both its latitude and its longitude, or neither."),
                ({"latitude": "nan", "longitude": "120"}, "%(field)s must be a finite number."),
                ({"latitude": "1e309", "longitude": "120"}, "%(field)s must be a finite number."),
                (
                    {"latitude": "91", "longitude": "120"},
                    "A latitude lies between -90 and 90 and a longitude between -180 and 180.",
                ),
            ]:
                with self.subTest(position=position):
                    response = self._post(f"{url}/check-in", position)
                    self.assertEqual(response.status_code, 200)
                    self._assert_message(message, response.text)
            self.assertFalse(duty.attendance_ids)
            self._post(f"{url}/check-in", {"latitude": "30.25", "longitude": "120.15"})
        with freeze_time(check_in + timedelta(hours=1)):
            for persuasions, message in [
                ("²", "Please give the number of persuasions as a whole number."),
                ("1e309", "Please give the number of persuasions as a whole number."),
                ("99999999", "The number of persuasions must be a whole number from 0 to %(max)s."),
            ]:
                with self.subTest(persuasions=persuasions):
                    response = self._post(f"{url}/check-out", {"persuasions": persuasions})
                    self.assertEqual(response.status_code, 200)
                    self._assert_message(message, response.text)
            self.assertFalse(duty.attendance_ids.check_out)
            self._post(f"{url}/check-out", {"persuasions": "2"})
        hour = duty.attendance_ids.hour_id
        self.assertEqual((hour.hours, hour.source, duty.persuasion_count), (1.0, "checkin", 2))
        # The check-in entry is read-only for the volunteer, in the form as over RPC.
        self.assertIn("o_gs_checkin_locked", self.url_open(f"/my/volunteer-hours/{hour.id}").text)
        response = self._post(f"/my/volunteer-hours/{hour.id}", {"date": str(self.today), "hours": "12"})
        self._assert_message(
            "Hours from a check-in follow the duty's times: they cannot be changed, only rejected.", response.text
        )
        self._post(f"/my/volunteer-hours/{hour.id}/delete", {})
        self.assertEqual((hour.exists(), hour.hours), (hour, 1.0))

    def test_check_in_outside_the_duty_window_is_refused(self):
        duty = self.env["garbage.volunteer.duty"].create(
            {"site_id": self.site.id, "date": self.today, "volunteer_ids": [(6, 0, self.volunteer.ids)]}
        )
        with freeze_time(datetime.combine(self.today, time(4, 0))):  # 12:00 in the town, duty 07:00-09:00
            response = self._post(f"/my/volunteer-duties/{duty.id}/check-in", {})
        self.assertEqual(response.status_code, 200)
        self._assert_message(
            "This duty runs from %(start)s to %(end)s: you can check in from %(minutes)s minutes before "
            "its start until %(minutes)s minutes after its end.",
            response.text,
        )
        self.assertFalse(duty.attendance_ids)

    def test_rpc_callers_get_an_answer_and_clear_errors(self):
        """Over XML-RPC, as integrators call: every action answers True, bad numbers are a clear fault."""
        db, password = get_db_name(), "gs_vt_volunteer"
        uid = self.portal_user.id

        def call(model, method, *args, **kwargs):
            return self.xmlrpc_object.execute_kw(db, uid, password, model, method, list(args), kwargs)

        for hours in (float("nan"), float("inf"), "1e309"):
            with self.subTest(hours=hours), self.assertRaises(xmlrpc.client.Fault) as fault:
                call("garbage.volunteer.hour", "create", {"date": str(self.today), "hours": hours})
            self.assertIn("must be a finite number", fault.exception.faultString)
        self.assertFalse(self._own_entries())
        entry_id = call("garbage.volunteer.hour", "create", {"date": str(self.today), "hours": 2})
        self.assertIs(call("garbage.volunteer.hour", "action_submit", [entry_id]), True)
        with self.assertRaises(xmlrpc.client.Fault):
            call("garbage.volunteer.hour", "write", [entry_id], {"state": "approved"})
        duty = self.env["garbage.volunteer.duty"].create(
            {"site_id": self.site.id, "date": self.today, "volunteer_ids": [(6, 0, self.volunteer.ids)]}
        )
        check_in = datetime.combine(self.today, time(0, 0)) - timedelta(hours=1)  # 07:00 in the town
        with freeze_time(check_in):
            with self.assertRaises(xmlrpc.client.Fault) as fault:
                call("garbage.volunteer.duty", "action_check_in", [duty.id], latitude=float("nan"), longitude=120.0)
            self.assertIn("must be a finite number", fault.exception.faultString)
            self.assertFalse(duty.attendance_ids)
            self.assertIs(call("garbage.volunteer.duty", "action_check_in", [duty.id]), True)
        with freeze_time(check_in + timedelta(hours=12)):
            self.assertIs(call("garbage.volunteer.duty", "action_check_out", [duty.id], persuasions=1), True)
        # The example: in at 07:00, out at 19:00 for a 07:00-09:00 duty earns 2.5 h, not 12.
        self.assertEqual(duty.attendance_ids.hour_id.hours, 2.5)
        entry = self.Hour.browse(entry_id)
        self.assertEqual((entry.state, entry.source), ("submitted", "portal"))

    def test_json_rpc_non_finite_numbers_are_a_clear_error(self):
        """JSON-RPC bodies may carry NaN and Infinity (Python's JSON reader accepts them): a clear error."""
        for literal in ("NaN", "Infinity", "-Infinity", "1e309"):
            body = (
                '{"jsonrpc": "2.0", "method": "call", "id": 1, "params": {"model": "garbage.volunteer.hour", '
                f'"method": "create", "args": [{{"date": "{self.today}", "hours": {literal}}}], "kwargs": {{}}}}}}'
            )
            with self.subTest(literal=literal):
                response = self.url_open(
                    "/web/dataset/call_kw", data=body, headers={"Content-Type": "application/json"}
                )
                self.assertEqual(response.status_code, 200)
                error = response.json()["error"]["data"]
                self.assertEqual(error["name"], "odoo.exceptions.ValidationError")
        self.assertFalse(self._own_entries())
