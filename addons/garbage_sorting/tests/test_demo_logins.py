import re

from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestDemoLogins(HttpCase):
    """The README's demo logins work through the real login form (password = login)."""

    def _login(self, login):
        page = self.url_open("/web/login")
        self.assertEqual(page.status_code, 200)
        token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
        return self.url_open(
            "/web/login", data={"login": login, "password": login, "csrf_token": token}, allow_redirects=True
        )

    def test_every_role_logs_in_to_the_web_client(self):
        for login in ("taskforce", "leader", "inspector", "liaison", "coordinator"):
            with self.subTest(login=login):
                self.opener.cookies.clear()
                response = self._login(login)
                self.assertEqual(response.status_code, 200)
                self.assertTrue(response.url.endswith("/odoo"), response.url)

    def test_volunteer_logs_in_to_the_portal(self):
        response = self._login("volunteer")
        self.assertEqual(response.status_code, 200)
        self.assertIn("/my", response.url)

    def test_wrong_password_is_refused(self):
        page = self.url_open("/web/login")
        token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
        response = self.url_open("/web/login", data={"login": "taskforce", "password": "nope", "csrf_token": token})
        self.assertFalse(response.url.endswith("/odoo"))
