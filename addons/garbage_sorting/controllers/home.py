from odoo import http
from odoo.addons.portal.controllers.web import Home
from odoo.addons.web.controllers.utils import is_user_internal
from odoo.http import request


class VolunteerHome(Home):
    def _login_redirect(self, uid, redirect=None):
        # A volunteer's portal day starts on their hours and duties, not on the generic portal home.
        if (
            not redirect
            and not is_user_internal(uid)
            and request.env["res.users"].sudo().browse(uid).partner_id.is_volunteer
        ):
            redirect = "/my/volunteer-hours"
        return super()._login_redirect(uid, redirect=redirect)

    @http.route()
    def web_login(self, redirect=None, **kw):
        # The login page is the town's too: "<page> · <town>" (the layout adds the town).
        response = super().web_login(redirect=redirect, **kw)
        if getattr(response, "qcontext", None) is not None:
            response.qcontext.setdefault("title", request.env._("Log in"))
        return response
