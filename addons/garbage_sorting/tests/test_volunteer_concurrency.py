import re
import threading

import requests

from odoo import SUPERUSER_ID, api, fields
from odoo.tests import HttpCase, new_test_user, tagged

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
        session_id, csrf = self._login()
        barrier = threading.Barrier(PARALLEL)
        responses = [None] * PARALLEL

        def post(index):
            data = {
                "csrf_token": csrf,
                "date": fields.Date.to_string(self.today),
                "hours": str(HOURS),
                "activity_type": "supervision",
                "submit": "submit",
            }
            barrier.wait()
            responses[index] = requests.post(
                f"{self.base_url()}/my/volunteer-hours/new",
                data=data,
                cookies={"session_id": session_id},
                timeout=120,
            )

        threads = [threading.Thread(target=post, args=(index,)) for index in range(PARALLEL)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

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
