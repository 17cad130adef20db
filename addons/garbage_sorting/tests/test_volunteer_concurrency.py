import re
import threading
from datetime import timedelta

import pytz
import requests

from odoo import SUPERUSER_ID, api, fields
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import SQL

PARALLEL = 20
HOURS = 5  # four entries fit in a day of 24 hours, the fifth would make 25


@tagged("post_install", "-at_install")
class TestVolunteerDailyCapConcurrency(HttpCase):
    """Twenty portal entries for one day posted at the same moment against the running server.

    The registry is not in test mode: each request runs in its own real transaction on its own
    connection, as with Odoo's workers, so the daily cap must hold by its lock, not by luck.
    The data is committed (and removed afterwards) through cursors of our own.
    """

    registry_test_mode = False

    def _env(self, cr):
        return api.Environment(cr, SUPERUSER_ID, {})

    def setUp(self):
        super().setUp()
        with self.registry.cursor() as cr:
            env = self._env(cr)
            user = new_test_user(
                env,
                login="gs_vc_volunteer",
                password="gs_vc_volunteer pw",
                groups="base.group_portal",
                tz="Asia/Shanghai",
            )
            user.partner_id.write({"is_volunteer": True, "volunteer_category": "teacher"})
            self.user_id, self.partner_id = user.id, user.partner_id.id
            self.today = fields.Date.context_today(user.with_context(tz="Asia/Shanghai"))
        self.addCleanup(self._remove_data)

    def _remove_data(self):
        with self.registry.cursor() as cr:
            env = self._env(cr)
            env["garbage.volunteer.hour"].search([("partner_id", "=", self.partner_id)]).unlink()
            user = env["res.users"].browse(self.user_id)
            partner = user.partner_id
            user.unlink()
            partner.unlink()

    def _post_in_parallel(self, url, data, count=PARALLEL):
        """`count` POSTs of the same form at the same moment, each in its own thread; their responses."""
        session_id, csrf = self._login()
        barrier = threading.Barrier(count)
        responses = [None] * count

        def post(index):
            barrier.wait()
            responses[index] = requests.post(
                f"{self.base_url()}{url}",
                data={"csrf_token": csrf, **data},
                cookies={"session_id": session_id},
                timeout=120,
            )

        threads = [threading.Thread(target=post, args=(index,)) for index in range(count)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        return responses

    def _login(self):
        session = requests.Session()
        page = session.get(f"{self.base_url()}/web/login", timeout=30).text
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
        session.post(
            f"{self.base_url()}/web/login",
            data={"login": "gs_vc_volunteer", "password": "gs_vc_volunteer pw", "csrf_token": csrf},
            timeout=30,
        )
        form = session.get(f"{self.base_url()}/my/volunteer-hours/new", timeout=30)
        self.assertEqual(form.status_code, 200)
        return session.cookies.get("session_id"), re.search(r'name="csrf_token" value="([^"]+)"', form.text).group(1)

    def test_twenty_simultaneous_entries_never_exceed_the_day(self):
        data = {
            "date": fields.Date.to_string(self.today),
            "hours": str(HOURS),
            "activity_type": "supervision",
            "submit": "submit",
        }
        responses = self._post_in_parallel("/my/volunteer-hours/new", data)

        with self.registry.cursor() as cr:
            entries = self._env(cr)["garbage.volunteer.hour"].search(
                [("partner_id", "=", self.partner_id), ("date", "=", self.today)]
            )
            stored = (len(entries), sum(entries.mapped("hours")), set(entries.mapped("state")))
        self.assertEqual(stored, (4, 20.0, {"submitted"}))
        # Every request got an answer a volunteer understands: the list (saved) or the form with the cap.
        self.assertEqual([response.status_code for response in responses], [200] * PARALLEL)
        refused = [response for response in responses if "o_gs_error" in response.text]
        self.assertEqual(len(refused), PARALLEL - 4)
        # (the test database speaks Chinese: the message names the volunteer and the day's 25 hours)
        partner_name = "gs_vc_volunteer"
        self.assertTrue(
            all(partner_name in r.text and "25" in r.text for r in refused), refused[:1] and refused[0].text
        )

    def test_simultaneous_check_outs_credit_the_duty_once(self):
        with self.registry.cursor() as cr:
            env = self._env(cr)
            Duty = env["garbage.volunteer.duty"]
            now = fields.Datetime.now()
            local = pytz.utc.localize(now).astimezone(Duty._town_tz())
            hour = local.hour + local.minute / 60
            duty = Duty.create(
                {
                    "site_id": env.ref("garbage_sorting.garbage_bin_site_qingshan_2_demo").id,
                    "date": local.date(),
                    "time_start": max(0.0, hour - 1),
                    "time_end": min(24.0, hour + 1),
                    "volunteer_ids": [(6, 0, [self.partner_id])],
                }
            )
            env["garbage.volunteer.attendance"].create(
                {"duty_id": duty.id, "partner_id": self.partner_id, "check_in": now - timedelta(minutes=30)}
            )
            duty_id = duty.id
        self.addCleanup(self._remove_duty, duty_id)

        responses = self._post_in_parallel(f"/my/volunteer-duties/{duty_id}/check-out", {"persuasions": "3"}, 5)

        self.assertEqual([response.status_code for response in responses], [200] * 5)
        with self.registry.cursor() as cr:
            env = self._env(cr)
            duty = env["garbage.volunteer.duty"].browse(duty_id)
            entries = env["garbage.volunteer.hour"].search([("duty_id", "=", duty_id)])
            self.assertEqual(len(entries), 1)
            self.assertEqual(duty.attendance_ids.hour_id, entries)
            self.assertEqual((duty.state, duty.persuasion_count), ("done", 3))

    def _remove_duty(self, duty_id):
        # A duty with check-ins is history for everyone (no unlink): the test's own is removed in SQL.
        with self.registry.cursor() as cr:
            cr.execute(SQL("DELETE FROM garbage_volunteer_hour WHERE duty_id = %s", duty_id))
            cr.execute(SQL("DELETE FROM garbage_volunteer_duty WHERE id = %s", duty_id))
