import shutil
import subprocess
import tempfile
from datetime import datetime, timedelta
from urllib.parse import parse_qs, urlparse

import pytz

from odoo.exceptions import AccessError
from odoo.tests import HttpCase, TransactionCase, new_test_user, tagged

from .common import setup_volunteers


def duty_now_vals(site, partner):
    """A duty at `site` running now on the town's clock (an hour either side, within the day)."""
    now = datetime.now(pytz.timezone("Asia/Shanghai"))
    hours = now.hour + now.minute / 60
    return {
        "site_id": site.id,
        "date": now.date(),
        "time_start": max(0.0, round(hours - 1, 2)),
        "time_end": min(24.0, round(hours + 1, 2)),
        "volunteer_ids": [(6, 0, partner.ids)],
    }


@tagged("post_install", "-at_install")
class TestBinSitePortal(HttpCase):
    """The QR code on a bin site opens its portal page: check in and out there, with every refusal."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        setup_volunteers(cls)
        cls.portal_user.lang = "en_US"
        cls.other_portal_user.lang = "en_US"
        cls.site.write({"latitude": 30.0, "longitude": 120.0})
        cls.other_site = cls.env["garbage.bin.site"].create({"name": "另一投放点", "unit_id": cls.other_unit.id})
        cls.Duty = cls.env["garbage.volunteer.duty"]
        cls.duty = cls.Duty.create(duty_now_vals(cls.site, cls.volunteer))
        cls.Attendance = cls.env["garbage.volunteer.attendance"]

    def _url(self, site=None, token=None):
        site = site or self.site
        return f"/my/bin-site/{site.id}?token={token if token is not None else site.access_token}"

    def _csrf(self):
        html = self.url_open("/my/volunteer-hours/new").text
        return html.split('name="csrf_token" value="')[1].split('"')[0]

    def _post(self, action, duty=None, site=None, token=None, **data):
        site = site or self.site
        duty = duty or self.duty
        values = {"csrf_token": self._csrf(), "token": token if token is not None else site.access_token, **data}
        return self.url_open(f"/my/bin-site/{site.id}/{duty.id}/{action}", data=values, allow_redirects=False)

    def _attendance(self, partner=None):
        return self.Attendance.search(
            [("duty_id", "=", self.duty.id), ("partner_id", "=", (partner or self.volunteer).id)]
        )

    def test_qr_code_opens_the_site_page_with_its_token(self):
        self.assertTrue(self.site.access_token and len(self.site.access_token) >= 24)
        self.assertNotEqual(self.site.access_token, self.other_site.access_token)
        url = urlparse(self.site.portal_url)
        self.assertEqual(url.path, f"/my/bin-site/{self.site.id}")
        self.assertEqual(parse_qs(url.query)["token"], [self.site.access_token])
        # The QR image encodes that link (Odoo's barcode route)
        self.assertIn("/report/barcode/?barcode_type=QR&value=", self.site.qr_code_url)
        response = self.url_open(self.site.qr_code_url)
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response.content.startswith(b"\x89PNG"))

    def test_scanner_not_logged_in_goes_to_login_and_back(self):
        response = self.url_open(self._url(), allow_redirects=False)
        self.assertIn(response.status_code, (302, 303))
        location = response.headers["Location"]
        self.assertIn("/web/login", location)
        self.assertIn(f"/my/bin-site/{self.site.id}", parse_qs(urlparse(location).query)["redirect"][0])

    def test_wrong_site_or_token_is_not_found(self):
        self.authenticate("gs_vt_volunteer", "gs_vt_volunteer")
        for url in (
            self._url(token="wrong"),
            self._url(token=""),
            f"/my/bin-site/{self.site.id}",
            f"/my/bin-site/{self.site.id}?token={self.other_site.access_token}",
            f"/my/bin-site/999999999?token={self.site.access_token}",
        ):
            with self.subTest(url=url):
                response = self.url_open(url)
                self.assertEqual(response.status_code, 404)
                self.assertNotIn(self.site.name, response.text)
        self.other_site.action_archive()
        self.assertEqual(self.url_open(self._url(self.other_site)).status_code, 404)

    def test_renewed_token_retires_the_old_labels(self):
        old_url = self._url()
        self.site.action_reset_token()
        self.authenticate("gs_vt_volunteer", "gs_vt_volunteer")
        self.assertEqual(self.url_open(old_url).status_code, 404)
        self.assertEqual(self.url_open(self._url()).status_code, 200)

    def test_volunteer_on_duty_checks_in_and_out_with_redirects(self):
        self.authenticate("gs_vt_volunteer", "gs_vt_volunteer")
        page = self.url_open(self._url())
        self.assertEqual(page.status_code, 200)
        self.assertIn("测试投放点", page.text)
        self.assertIn("测试村", page.text)
        self.assertIn(f"/my/bin-site/{self.site.id}/{self.duty.id}/check-in", page.text)

        response = self._post("check-in", latitude="30.0009", longitude="120.0")
        self.assertEqual(response.status_code, 303)
        location = urlparse(response.headers["Location"])
        self.assertEqual(location.path, f"/my/bin-site/{self.site.id}")
        self.assertEqual(parse_qs(location.query), {"token": [self.site.access_token], "done": ["in"]})
        attendance = self._attendance()
        self.assertEqual(len(attendance), 1)
        self.assertEqual(attendance.check_in_distance, 100)
        confirmation = self.url_open(response.headers["Location"]).text
        local = pytz.utc.localize(attendance.check_in).astimezone(pytz.timezone("Asia/Shanghai"))
        self.assertIn(local.strftime("%H:%M"), confirmation)
        # the town's portal speaks Chinese (the company's language in the demo database)
        self.assertIn('o_gs_checkin_distance">100</strong> 米（距投放点）', confirmation)
        self.assertIn("/check-out", confirmation)

        # A second post (a reload that resends the form) checks in nobody twice
        again = self._post("check-in", latitude="30.0009", longitude="120.0")
        self.assertEqual(again.status_code, 200)
        self.assertIn("o_gs_error", again.text)
        self.assertEqual(len(self._attendance()), 1)

        # An hour later, the check-out sends the hours for approval
        attendance.write({"check_in": attendance.check_in - timedelta(hours=1)})
        response = self._post(
            "check-out", latitude="30.0009", longitude="120.0", persuasions="4", problem_littering="on"
        )
        self.assertEqual(response.status_code, 303)
        self.assertEqual(parse_qs(urlparse(response.headers["Location"]).query)["done"], ["out"])
        self.assertTrue(attendance.check_out)
        self.assertEqual((attendance.hour_id.state, attendance.hour_id.source), ("submitted", "checkin"))
        self.assertEqual((self.duty.state, self.duty.persuasion_count, self.duty.problem_littering), ("done", 4, True))
        confirmation = self.url_open(response.headers["Location"]).text
        self.assertIn("o_gs_checked_out", confirmation)
        self.assertNotIn("/check-out", confirmation)
        again = self._post("check-out")
        self.assertIn("o_gs_error", again.text)
        self.assertEqual(self.env["garbage.volunteer.hour"].search_count([("duty_id", "=", self.duty.id)]), 1)

    def test_position_is_checked_by_the_duty_rules(self):
        self.authenticate("gs_vt_volunteer", "gs_vt_volunteer")
        for latitude, longitude in (("nan", "120"), ("1e309", "120"), ("95", "120"), ("30", "")):
            with self.subTest(latitude=latitude, longitude=longitude):
                response = self._post("check-in", latitude=latitude, longitude=longitude)
                self.assertEqual(response.status_code, 200)
                self.assertIn("o_gs_error", response.text)
                self.assertFalse(self._attendance())
        response = self._post("check-out", persuasions="-1")
        self.assertIn("o_gs_error", response.text)

    def test_duty_out_of_its_time_is_refused(self):
        vals = duty_now_vals(self.site, self.volunteer)
        vals["date"] = vals["date"] + timedelta(days=1)
        tomorrow = self.Duty.create(vals)
        self.authenticate("gs_vt_volunteer", "gs_vt_volunteer")
        # Tomorrow's duty is not on today's page, and posting to it is refused by the duty's time window.
        self.assertNotIn(f"/{tomorrow.id}/check-in", self.url_open(self._url()).text)
        response = self._post("check-in", duty=tomorrow)
        self.assertIn("o_gs_error", response.text)
        self.assertFalse(tomorrow.attendance_ids)

    def test_without_csrf_token_nothing_is_posted(self):
        self.authenticate("gs_vt_volunteer", "gs_vt_volunteer")
        response = self.url_open(
            f"/my/bin-site/{self.site.id}/{self.duty.id}/check-in",
            data={"token": self.site.access_token},
            allow_redirects=False,
        )
        self.assertEqual(response.status_code, 400)
        self.assertFalse(self._attendance())

    def test_volunteer_without_duty_here_sees_a_clear_message(self):
        self.authenticate("gs_vt_volunteer2", "gs_vt_volunteer2")
        page = self.url_open(self._url())
        self.assertEqual(page.status_code, 200)
        self.assertIn("o_gs_no_duty", page.text)
        self.assertIn("您今天在这个投放点没有值守任务。", page.text)
        self.assertNotIn("/check-in", page.text)
        # Another volunteer's duty cannot be used, even with the right token
        self.assertEqual(self._post("check-in").status_code, 404)
        self.assertFalse(self._attendance(self.other_volunteer))
        self.assertFalse(self._attendance())

    def test_duty_of_another_site_or_wrong_token_is_not_found(self):
        other_duty = self.Duty.create(duty_now_vals(self.other_site, self.volunteer))
        self.authenticate("gs_vt_volunteer", "gs_vt_volunteer")
        self.assertEqual(self._post("check-in", duty=other_duty).status_code, 404)
        self.assertEqual(self._post("check-in", token="wrong").status_code, 404)
        self.assertEqual(self._post("check-in", token="").status_code, 404)
        self.assertFalse(other_duty.attendance_ids | self.duty.attendance_ids)
        # The GET is the only way to read the page: posting to it is not a check-in
        response = self.url_open(self._url(), data={"csrf_token": self._csrf()}, allow_redirects=False)
        self.assertEqual(response.status_code, 405)

    def test_employee_without_duties_sees_the_message(self):
        new_test_user(self.env, login="gs_vt_employee", password="gs_vt_employee", groups="base.group_user")
        self.authenticate("gs_vt_employee", "gs_vt_employee")
        page = self.url_open(self._url())
        self.assertEqual(page.status_code, 200)
        self.assertIn("o_gs_no_duty", page.text)

    def test_token_is_engine_only(self):
        manager = new_test_user(
            self.env, login="gs_vt_manager", groups="base.group_user,garbage_sorting.garbage_sorting_group_manager"
        )
        token = self.site.access_token
        for user in (manager, self.coordinator):
            with self.subTest(user=user.login), self.assertRaises(AccessError), self.env.cr.savepoint():
                self.site.with_user(user).write({"access_token": "chosen"})
        self.assertEqual(self.site.access_token, token)
        created = (
            self.env["garbage.bin.site"]
            .with_user(manager)
            .create({"name": "新点", "unit_id": self.unit.id, "access_token": "chosen"})
        )
        self.assertNotEqual(created.access_token, "chosen")
        with self.assertRaises(AccessError), self.env.cr.savepoint():
            self.site.with_user(self.coordinator).action_reset_token()
        self.assertEqual(self.site.access_token, token)
        self.assertTrue(self.site.with_user(manager).action_reset_token())
        self.assertNotEqual(self.site.access_token, token)


@tagged("post_install", "-at_install")
class TestBinSiteLabels(HttpCase):
    def test_task_force_prints_labels_eight_per_page(self):
        unit = self.env["garbage.unit"].create({"name": "标签测试村", "code": "LBL-1", "unit_type": "village"})
        sites = self.env["garbage.bin.site"].create([{"name": f"标签投放点{n}", "unit_id": unit.id} for n in range(10)])
        new_test_user(
            self.env,
            login="gs_lbl_manager",
            password="gs_lbl_manager",
            groups="base.group_user,garbage_sorting.garbage_sorting_group_manager",
        )
        self.authenticate("gs_lbl_manager", "gs_lbl_manager")
        ids = ",".join(map(str, sites.ids))
        # HTML: each label carries the QR code of the site's link, its name, unit and code
        html = self.url_open(f"/report/html/garbage_sorting.report_garbage_bin_site_label/{ids}").text
        self.assertEqual(html.count('class="o_gs_bin_label"'), 10)
        self.assertEqual(html.count('class="page o_gs_bin_labels"'), 2)  # 8 + 2
        for site in sites:
            self.assertIn(f'data-scan-url="{site.portal_url}"'.replace("&", "&amp;"), html)
            self.assertIn(site.name, html)
        self.assertEqual(html.count('src="data:image/png;base64,'), 10)  # the QR codes, inline


@tagged("post_install", "-at_install")
class TestBinSiteLabelsPdf(TransactionCase):
    def test_label_pdf_has_each_site_eight_per_a4_page(self):
        """The PDF itself (test mode serves reports as HTML unless asked; no HTTP request is open meanwhile, so
        wkhtmltopdf's requests for the report's style sheets wait for nothing)."""
        unit = self.env["garbage.unit"].create({"name": "标签测试村", "code": "LBL-1", "unit_type": "village"})
        sites = self.env["garbage.bin.site"].create([{"name": f"标签投放点{n}", "unit_id": unit.id} for n in range(10)])
        manager = new_test_user(
            self.env, login="gs_lbl_manager", groups="base.group_user,garbage_sorting.garbage_sorting_group_manager"
        )
        pdf_content, report_type = (
            self.env["ir.actions.report"]
            .with_user(manager)
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf("garbage_sorting.report_garbage_bin_site_label", sites.ids)
        )
        self.assertEqual(report_type, "pdf")
        self.assertTrue(pdf_content.startswith(b"%PDF"))
        if not shutil.which("pdftotext"):
            return
        with tempfile.NamedTemporaryFile(suffix=".pdf") as pdf:
            pdf.write(pdf_content)
            pdf.flush()
            text = subprocess.run(["pdftotext", pdf.name, "-"], capture_output=True, check=True, text=True).stdout
            info = subprocess.run(["pdfinfo", pdf.name], capture_output=True, check=False, text=True).stdout
        for site in sites:
            self.assertIn(site.name, text)
            self.assertIn(site.code, text)
        self.assertIn("标签测试村", text)
        if info:
            self.assertRegex(info, r"Pages:\s+2\n")  # 8 labels a page
            self.assertIn("(A4)", info)
