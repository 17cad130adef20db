import io

import openpyxl

from odoo.http import content_disposition
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools.misc import get_lang

from .common import AssessmentCase, month
from .web_client import WebClientMixin

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@tagged("post_install", "-at_install")
class TestReportRoutes(WebClientMixin, HttpCase, AssessmentCase):
    """The XLSX downloads: the buttons' requests as the web client sends them (`web_client.py`), then the same
    URLs typed by hand by roles without the button, with ids and dates that are no ids nor dates."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.own, cls.foreign = cls._units(2, "village", prefix="H")
        cls.own.user_ids = [(4, cls.liaison.id)]
        cls.period = cls._publish_month(cls, month(2024, 4), [(cls.own, 93), (cls.foreign, 65)])
        cls.annual_own, cls.annual_foreign = (
            cls.env["garbage.unit.annual"].search([("unit_id", "=", unit.id), ("year", "=", 2024)])
            for unit in (cls.own, cls.foreign)
        )
        cls.manager.lang = cls.liaison.lang = "en_US"

    def _t(self, source, **params):
        """A text of the downloads in the language the request falls back to: the test database
        runs in Chinese only, so the users' en_US gives way to it."""
        lang = get_lang(self.env, self.manager.lang).code
        return self.env(context=dict(self.env.context, lang=lang))._(source, **params)

    def _get(self, url):
        return self.url_open(url, allow_redirects=False)

    def test_manager_downloads_the_bulletin(self):
        self.authenticate("gs_manager", "gs_manager")
        response = self.execute(self.press("garbage.assessment.period", self.period, "action_download_bulletin"))
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.headers["Content-Type"], XLSX)
        self.assertEqual(
            response.headers["Content-Disposition"],
            content_disposition(self._t("Monthly Bulletin %(month)s.xlsx", month="2024-04")),
        )
        workbook = openpyxl.load_workbook(io.BytesIO(response.content))
        villages = workbook["2024-04 Villages & Communities"]
        self.assertEqual([row[1] for row in villages.iter_rows(min_row=3, values_only=True)], ["H 0", "H 1"])

    def test_liaison_and_bad_ids_get_no_bulletin(self):
        self.authenticate("gs_manager", "gs_manager")
        action = self.press("garbage.assessment.period", self.period, "action_download_bulletin")
        self.assertEqual(action["url"], f"/garbage_sorting/bulletin?period_ids={self.period.id}")
        self.authenticate("gs_liaison", "gs_liaison")
        response = self.execute(action)
        self.assertEqual(response.status_code, 403)
        self.assertNotIn(XLSX, response.headers.get("Content-Type", ""))
        self.assertNotIn(b"H 1", response.content)
        self.authenticate("gs_manager", "gs_manager")
        for query in (
            "period_ids=999999",
            "period_ids=abc",
            "",
            "period_ids=-1",
            "period_ids=0",
            "period_ids=2147483648",
            "period_ids=99999999999999999999999",
            f"period_ids={self.period.id},999999",
            "period_ids=,",
        ):
            self.assertEqual(self._get(f"/garbage_sorting/bulletin?{query}").status_code, 404, query)
        draft = self.Period.create({"date_start": month(2024, 5)})
        self.assertEqual(self._get(f"/garbage_sorting/bulletin?period_ids={draft.id}").status_code, 404)

    def test_annual_evaluation_follows_record_rules(self):
        self.authenticate("gs_liaison", "gs_liaison")
        # Someone else's record is the same 404 as a missing one, also mixed with the liaison's own.
        for ids in (f"{self.annual_foreign.id}", f"{self.annual_own.id},{self.annual_foreign.id}"):
            response = self._get(f"/garbage_sorting/annual_evaluation?annual_ids={ids}")
            self.assertEqual(response.status_code, 404, ids)
            self.assertNotIn(b"H 1", response.content)
        # Odoo's own report route reads with the same rights: refused, nothing of the other unit.
        response = self._get(f"/report/html/garbage_sorting.report_annual_evaluation/{self.annual_foreign.id}")
        self.assertEqual(response.status_code, 403)
        self.assertNotIn(b"H 1", response.content)
        # the list's button, on the liaison's own record
        response = self.execute(self.press("garbage.unit.annual", self.annual_own, "action_download_evaluation_xlsx"))
        self.assertEqual(response.status_code, 200)
        self.assertEqual(
            response.headers["Content-Disposition"],
            content_disposition(self._t("Annual Evaluation %(years)s.xlsx", years="2024")),
        )
        sheet = self.workbook(response)["2024"]
        self.assertEqual([row[0] for row in sheet.iter_rows(min_row=3, values_only=True)], ["H 0"])
        self.authenticate("gs_manager", "gs_manager")
        response = self.execute(self.press("garbage.unit.annual", self.annual_own, "action_download_evaluation_xlsx"))
        sheet = self.workbook(response)["2024"]
        self.assertEqual(sorted(row[0] for row in sheet.iter_rows(min_row=3, values_only=True)), ["H 0", "H 1"])

    def test_volunteer_hours_for_coordinators_and_leaders_only(self):
        self.authenticate("gs_leader", "gs_leader")
        wizard_action = self.load_action("garbage_sorting.garbage_volunteer_hour_report_action")
        wizard, __ = self.save_wizard(wizard_action, {"date_from": "2024-05-01", "date_to": "2024-05-31"})
        action = self.press("garbage.volunteer.hour.report", wizard, "action_download")
        url = action["url"]
        self.assertEqual(url, "/garbage_sorting/volunteer_hours?date_from=2024-05-01&date_to=2024-05-31")
        response = self.execute(action)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.headers["Content-Type"], XLSX)
        self.assertEqual(
            openpyxl.load_workbook(io.BytesIO(response.content)).sheetnames,
            [self._t("By Volunteer"), self._t("By Unit")],
        )
        self.assertEqual(self._get(url.replace("2024-05-31", "2024-04-01")).status_code, 404)
        self.authenticate("gs_liaison", "gs_liaison")
        self.assertEqual(self._get(url).status_code, 403)

    def test_portal_users_get_no_report(self):
        new_test_user(self.env, login="gs_report_portal", groups="base.group_portal")
        self.authenticate("gs_report_portal", "gs_report_portal")
        for url, status in (
            (f"/garbage_sorting/bulletin?period_ids={self.period.id}", 404),
            (f"/garbage_sorting/annual_evaluation?annual_ids={self.annual_own.id}", 404),
            ("/garbage_sorting/volunteer_hours?date_from=2024-05-01&date_to=2024-05-31", 403),
            (f"/report/html/garbage_sorting.report_annual_evaluation/{self.annual_own.id}", 403),
        ):
            response = self._get(url)
            self.assertEqual(response.status_code, status, url)
            self.assertNotIn(b"H 0", response.content)

    def test_bad_dates_and_ids_are_refused_not_server_errors(self):
        self.authenticate("gs_leader", "gs_leader")
        for date_from, date_to in (
            ("2024-13-45", "2024-12-31"),
            ("99999-01-01", "99999-12-31"),
            ("abc", "2024-05-31"),
            ("", ""),
            ("2024-05-01", None),
        ):
            query = f"date_from={date_from}" + (f"&date_to={date_to}" if date_to is not None else "")
            self.assertEqual(self._get(f"/garbage_sorting/volunteer_hours?{query}").status_code, 404, query)
        for ids in ("abc", "-3", "2147483648", "1e9", ""):
            self.assertEqual(self._get(f"/garbage_sorting/annual_evaluation?annual_ids={ids}").status_code, 404, ids)
        # The certificate through Odoo's report route: a date that is no date is refused (400), not a 500.
        self.authenticate("gs_manager", "gs_manager")
        partner = self.env["res.partner"].create({"name": "Certificate Volunteer"})
        response = self._get(
            f"/report/html/garbage_sorting.report_volunteer_certificate/{partner.id}"
            '?options={"date_from": "2024-99-99"}'
        )
        self.assertEqual(response.status_code, 400)
        response = self._get(f"/report/html/garbage_sorting.report_volunteer_certificate/{partner.id}")
        self.assertEqual(response.status_code, 200)
        self.assertIn(b"Certificate Volunteer", response.content)
