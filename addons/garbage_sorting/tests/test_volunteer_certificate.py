from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, new_test_user, tagged

from .common import pdf_text, setup_volunteers


@tagged("post_install", "-at_install")
class TestVolunteerCertificate(HttpCase):
    """A downloaded certificate is issued with a number and a token; its QR code opens a public page."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        setup_volunteers(cls)
        cls.portal_user.lang = "en_US"
        cls.volunteer.write({"name": "李明华", "phone": "13800001111", "email": "volunteer@example.org"})
        cls.Certificate = cls.env["garbage.volunteer.certificate"]
        cls.Hour.create({"partner_id": cls.volunteer.id, "date": "2026-03-02", "hours": 4, "state": "approved"})
        cls.Hour.create({"partner_id": cls.volunteer.id, "date": "2026-03-09", "hours": 2.5, "state": "approved"})
        cls.Hour.create({"partner_id": cls.volunteer.id, "date": "2026-03-10", "hours": 1, "state": "submitted"})

    def _download(self, date_from="2026-03-01", date_to="2026-03-31"):
        self.authenticate("gs_vt_volunteer", "gs_vt_volunteer")
        return self.url_open(f"/my/volunteer-hours/certificate?date_from={date_from}&date_to={date_to}")

    def _certificates(self):
        return self.Certificate.search([("partner_id", "=", self.volunteer.id)])

    def test_download_issues_a_numbered_certificate_once_per_range(self):
        response = self._download()
        self.assertEqual(response.status_code, 200)
        certificate = self._certificates()
        self.assertEqual(len(certificate), 1)
        self.assertTrue(certificate.number.startswith("ZYFW-"))
        self.assertEqual(certificate.hours, 6.5)  # approved hours only
        self.assertEqual((str(certificate.date_from), str(certificate.date_to)), ("2026-03-01", "2026-03-31"))
        self.assertEqual(certificate.state, "valid")
        self.assertGreaterEqual(len(certificate.token), 32)
        self.assertFalse(certificate.token.isdecimal())
        if not response.content.startswith(b"%PDF"):  # test mode renders the report as HTML
            self.assertIn(certificate.number, response.text)
            self.assertIn(f'data-verify-url="{certificate._verify_url()}"', response.text)
        self.assertTrue(certificate._verify_url().endswith(f"/certificate/verify/{certificate.token}"))
        # The same range again: the same certificate
        self._download()
        self.assertEqual(self._certificates(), certificate)
        # Another range: another number and token
        self._download(date_from="2026-03-05")
        certificates = self._certificates()
        self.assertEqual(len(certificates), 2)
        self.assertEqual(len(set(certificates.mapped("number"))), 2)
        self.assertEqual(len(set(certificates.sudo().mapped("token"))), 2)

    def test_certificate_is_a_chinese_pdf_whose_figures_are_text(self):
        """The certificate is the town's document: in its language whatever the volunteer's (en_US here), on its
        letterhead, and its number, dates and hours can be searched and copied (pdftotext reads them; the web font
        of the company's layout drew them as outlines without text)."""
        self.env.company.partner_id.lang = "zh_CN"
        response = self._download()
        self.assertEqual(response.headers["Content-Type"], "application/pdf")
        self.assertTrue(response.content.startswith(b"%PDF"))
        text = pdf_text(response.content)
        certificate = self._certificates()
        for expected in (
            "志愿服务证明",
            "李明华",
            certificate.number,
            "2026-03-01",
            "2026-03-31",
            "6.5",
            "4.00",
            "2.50",
            self.env.company.name,
        ):
            self.assertIn(expected, text)
        self.assertRegex(text, r"ZYFW-\d{4}-\d{5}")
        self.assertNotIn("Certificate of Volunteer Service", text)

    def test_no_approved_hours_no_certificate(self):
        self._download(date_from="2025-01-01", date_to="2025-12-31")
        self.assertFalse(self._certificates())

    def _verify(self, token):
        self.authenticate(None, None)  # anyone with a phone
        return self.url_open(f"/certificate/verify/{token}")

    def test_public_page_shows_a_valid_certificate_and_nothing_else(self):
        self._download()
        certificate = self._certificates()
        response = self._verify(certificate.token)
        self.assertEqual(response.status_code, 200)
        page = response.text
        self.assertIn("o_gs_certificate_valid", page)
        self.assertIn(self.volunteer.name, page)
        self.assertIn(certificate.number, page)
        self.assertIn("6.5", page)
        self.assertIn("2026-03-01", page)
        self.assertIn(str(certificate.issue_date), page)
        # who issued it: the town, by name and logo
        self.assertIn(self.env.company.name, page)
        self.assertIn(f"/logo.png?company={self.env.company.id}", page)
        for private in ("13800001111", "volunteer@example.org", "测试村", "测试投放点", "gs_vt_volunteer"):
            self.assertNotIn(private, page)

    def test_revoked_certificate_says_so(self):
        self._download()
        certificate = self._certificates()
        certificate.with_user(self.coordinator).action_revoke()
        self.assertEqual(certificate.state, "revoked")
        response = self._verify(certificate.token)
        self.assertEqual(response.status_code, 200)
        self.assertIn("o_gs_certificate_revoked", response.text)
        self.assertIn("该证明已被撤销，不再有效。", response.text)
        self.assertNotIn("o_gs_certificate_valid", response.text)
        # A revoked certificate is not handed out again: the next download issues a new one
        self._download()
        self.assertEqual(len(self._certificates()), 2)

    def test_unknown_token_or_id_says_it_does_not_exist(self):
        self._download()
        certificate = self._certificates()
        for token in ("x" * 32, str(certificate.id), certificate.number, certificate.token[:-1]):
            with self.subTest(token=token):
                response = self._verify(token)
                self.assertEqual(response.status_code, 404)
                self.assertIn("o_gs_certificate_unknown", response.text)
                self.assertNotIn(self.volunteer.name, response.text)

    def test_who_may_revoke_and_nobody_types_a_certificate(self):
        self._download()
        certificate = self._certificates()
        employee = new_test_user(self.env, login="gs_cert_employee", groups="base.group_user")
        liaison = new_test_user(
            self.env, login="gs_cert_liaison", groups="base.group_user,garbage_sorting.garbage_sorting_group_liaison"
        )
        for user in (employee, liaison, self.portal_user):
            with self.subTest(user=user.login), self.assertRaises(AccessError), self.env.cr.savepoint():
                certificate.with_user(user).action_revoke()
        for vals in ({"hours": 100}, {"state": "revoked"}, {"token": "guess"}, {"partner_id": self.other_volunteer.id}):
            with self.subTest(vals=vals), self.assertRaises(AccessError), self.env.cr.savepoint():
                certificate.with_user(self.coordinator).write(vals)
        with self.assertRaises(AccessError), self.env.cr.savepoint():
            self.Certificate.with_user(self.coordinator).create({"number": "FAKE", "partner_id": self.volunteer.id})
        with self.assertRaises(AccessError), self.env.cr.savepoint():
            certificate.with_user(self.coordinator).unlink()
        with self.assertRaises(UserError), self.env.cr.savepoint():
            certificate.unlink()  # not even the superuser: revoke instead
        self.assertEqual((certificate.state, certificate.hours), ("valid", 6.5))
        self.assertTrue(certificate.with_user(self.coordinator).action_revoke())
        with self.assertRaises(UserError), self.env.cr.savepoint():
            certificate.with_user(self.coordinator).action_revoke()
        # The volunteer cannot read the register of certificates over RPC either
        with self.assertRaises(AccessError):
            self.Certificate.with_user(self.portal_user).search([])
