import re
from datetime import datetime, timedelta
from urllib.parse import urlencode

import babel.dates

from odoo import fields, http
from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.addons.portal.controllers.portal import pager as portal_pager
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.http import request
from odoo.tools.misc import babel_locale_parse, get_lang, posix_to_ldml

from ..models.garbage_input_mixin import MAX_INTEGER
from ..models.garbage_volunteer_duty import PROBLEMS
from ..models.garbage_volunteer_hour import to_finite_number
from ..models.res_partner import INVITATION_ROUTE, MIN_PASSWORD_LENGTH

HOURS_PER_PAGE = 20


def _record_id(record_id):
    """An id from the URL as one a record may have: beyond PostgreSQL's integer (werkzeug's `<int:>` takes any
    number of digits) the query would fail, so it is no record (0), the same 404 as a missing one."""
    return record_id if 0 < record_id <= MAX_INTEGER else 0


class VolunteerPortal(CustomerPortal):
    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "volunteer_hour_count" in counters:
            Hour = request.env["garbage.volunteer.hour"]
            values["volunteer_hour_count"] = (
                Hour.search_count([("partner_id", "=", request.env.user.partner_id.id)])
                if Hour.has_access("read")
                else 0
            )
        return values

    # Page titles: "<page> · <town>" (the layout adds the town)

    @http.route()
    def home(self, **kw):
        response = super().home(**kw)
        response.qcontext.setdefault("title", request.env._("My Account"))
        return response

    @http.route()
    def account(self, redirect=None, **post):
        response = super().account(redirect=redirect, **post)
        if getattr(response, "qcontext", None) is not None:
            response.qcontext.setdefault("title", request.env._("My Details"))
        return response

    # Helpers

    def _volunteer_hour_searchbar_filters(self):
        today = fields.Date.context_today(request.env.user)
        return {
            "all": {"label": request.env._("All"), "domain": []},
            "month": {"label": request.env._("This Month"), "domain": [("date", ">=", today.replace(day=1))]},
            "year": {"label": request.env._("This Year"), "domain": [("date", ">=", today.replace(month=1, day=1))]},
            "to_approve": {
                "label": request.env._("Waiting for Approval"),
                "domain": [("state", "in", ("draft", "submitted"))],
            },
            "approved": {"label": request.env._("Approved"), "domain": [("state", "=", "approved")]},
            "rejected": {"label": request.env._("Rejected"), "domain": [("state", "=", "rejected")]},
        }

    def _volunteer_hour_searchbar_sortings(self):
        return {
            "date": {"label": request.env._("Newest"), "order": "date desc, id desc"},
            "hours": {"label": request.env._("Hours"), "order": "hours desc, id desc"},
        }

    def _get_own_hour(self, hour_id):
        """The entry if it is the user's own; the same 404 for another volunteer's entry or a missing id."""
        partner = request.env.user.partner_id
        hour_id = _record_id(hour_id)
        hour = request.env["garbage.volunteer.hour"].search([("id", "=", hour_id), ("partner_id", "=", partner.id)])
        if not hour:
            raise request.not_found()
        return hour

    def _get_own_duty(self, duty_id):
        partner = request.env.user.partner_id
        duty_id = _record_id(duty_id)
        duty = request.env["garbage.volunteer.duty"].search([("id", "=", duty_id), ("volunteer_ids", "in", partner.id)])
        if not duty:
            raise request.not_found()
        return duty

    def _volunteer_form_values(self, hour=None, post=None, error=None):
        partner = request.env.user.partner_id.sudo()
        units = partner.volunteer_unit_ids
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "volunteer_hour_form",
                "hour": hour.sudo() if hour else None,
                "units": units,
                "sites": request.env["garbage.bin.site"].sudo().search([("unit_id", "in", units.ids)]),
                "activity_types": request.env["garbage.volunteer.hour"]
                ._fields["activity_type"]
                ._description_selection(request.env),
                "form": post or {},
                "error": error,
                "title": request.env._("Volunteer hours entry") if hour else request.env._("Log volunteer hours"),
                "today": fields.Date.context_today(request.env.user),
            }
        )
        return values

    def _parse_hour_form(self, post):
        """Form fields → (vals, error message). Nothing is stored when there is an error."""

        partner = request.env.user.partner_id.sudo()
        try:
            date = fields.Date.to_date((post.get("date") or "").strip())
        except ValueError:
            date = None
        if not date:
            return None, request.env._("Please give the date as YYYY-MM-DD.")
        try:
            hours = to_finite_number(request.env, post.get("hours") or "", "")
        except ValidationError:
            return None, request.env._("Please give the hours as a number, e.g. 1.5.")
        activity_types = dict(request.env["garbage.volunteer.hour"]._fields["activity_type"].selection)
        activity_type = post.get("activity_type") or "supervision"
        if activity_type not in activity_types:
            return None, request.env._("Please choose an activity.")
        # A note too long is refused by the entry's constraint, with its message.
        vals = {"date": date, "hours": hours, "activity_type": activity_type, "note": post.get("note") or False}
        unit_id, site_id = post.get("unit_id"), post.get("site_id")
        if unit_id:
            if not unit_id.isdecimal() or int(unit_id) not in partner.volunteer_unit_ids.ids:
                return None, request.env._("Please choose one of the units you serve.")
            vals["unit_id"] = int(unit_id)
        if site_id:
            site = request.env["garbage.bin.site"].sudo().browse(int(site_id) if site_id.isdecimal() else 0).exists()
            if not site or site.unit_id not in partner.volunteer_unit_ids:
                return None, request.env._("Please choose a bin site of the units you serve.")
            vals.update(site_id=site.id, unit_id=site.unit_id.id)
        return vals, None

    def _save_hour(self, hour, post):
        """Create or update from the form, then submit when asked; returns an error message (nothing
        stored) or None. The state only moves through the entry's action, as for any other caller."""
        vals, error = self._parse_hour_form(post)
        if error:
            return error
        try:
            with request.env.cr.savepoint():
                if hour:
                    hour.write(vals)
                else:
                    vals.update(partner_id=request.env.user.partner_id.id)
                    # No "created" note nor follower per entry: the state changes are tracked.
                    hour = (
                        request.env["garbage.volunteer.hour"]
                        .with_context(mail_create_nolog=True, mail_create_nosubscribe=True)
                        .create(vals)
                    )
                if post.get("submit") == "submit":
                    hour.action_submit()
        except (ValidationError, UserError, AccessError) as exc:
            return exc.args[0]
        return None

    # Routes

    @http.route(["/my/volunteer-hours", "/my/volunteer-hours/page/<int:page>"], type="http", auth="user", website=True)
    def portal_my_volunteer_hours(self, page=1, sortby="date", filterby="all", **kw):
        return self._render_volunteer_hours(page, sortby, filterby)

    def _render_volunteer_hours(self, page=1, sortby="date", filterby="all", error=None, checkout=None):
        Hour = request.env["garbage.volunteer.hour"]
        partner = request.env.user.partner_id
        filters = self._volunteer_hour_searchbar_filters()
        sortings = self._volunteer_hour_searchbar_sortings()
        filterby = filterby if filterby in filters else "all"
        sortby = sortby if sortby in sortings else "date"
        domain = [("partner_id", "=", partner.id)] + filters[filterby]["domain"]
        count = Hour.search_count(domain)
        pager = portal_pager(
            url="/my/volunteer-hours",
            url_args={"sortby": sortby, "filterby": filterby},
            total=count,
            page=page,
            step=HOURS_PER_PAGE,
        )
        hours = Hour.search_fetch(
            domain,
            ["date", "activity_type", "unit_id", "hours", "state"],
            order=sortings[sortby]["order"],
            limit=HOURS_PER_PAGE,
            offset=pager["offset"],
        )
        today = fields.Date.context_today(request.env.user)
        duties = request.env["garbage.volunteer.duty"].search(
            [
                ("volunteer_ids", "in", partner.id),
                ("date", ">=", today - timedelta(days=7)),
                ("state", "!=", "cancelled"),
            ],
            order="date, time_start",
            limit=10,
        )
        lang = get_lang(request.env)
        locale = babel_locale_parse(lang.code)
        date_pattern = posix_to_ldml(lang.date_format, locale=locale)
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "volunteer_hours",
                "hours": hours.sudo(),
                # The rows' texts formatted here, as a t-field converter would per cell but with the language's
                # pattern looked up once: the list is the page every volunteer opens, and its 80 converter calls
                # took a fifth of its time.
                "hour_dates": {
                    hour.id: babel.dates.format_date(hour.date, date_pattern, locale=locale) for hour in hours
                },
                "activity_labels": dict(Hour._fields["activity_type"]._description_selection(request.env)),
                "state_labels": dict(Hour._fields["state"]._description_selection(request.env)),
                "duties": duties.sudo(),
                "attendances": {
                    a.duty_id.id: a for a in duties.attendance_ids.filtered(lambda a: a.partner_id == partner)
                },
                "windows": duties._attendance_status(),
                "checkout": checkout or {},
                "totals": Hour._get_totals(partner),
                "pager": pager,
                "default_url": "/my/volunteer-hours",
                "searchbar_sortings": sortings,
                "sortby": sortby,
                "searchbar_filters": filters,
                "filterby": filterby,
                "today": today,
                "error": error,
                "title": request.env._("Volunteer hours"),
            }
        )
        return request.render("garbage_sorting.portal_my_volunteer_hours", values)

    @http.route("/my/volunteer-hours/new", type="http", auth="user", methods=["GET", "POST"], website=True)
    def portal_volunteer_hour_new(self, **post):
        if request.httprequest.method == "POST":
            error = self._save_hour(None, post)
            if not error:
                return request.redirect("/my/volunteer-hours")
            return request.render(
                "garbage_sorting.portal_volunteer_hour_form", self._volunteer_form_values(None, post, error)
            )
        return request.render("garbage_sorting.portal_volunteer_hour_form", self._volunteer_form_values())

    @http.route("/my/volunteer-hours/<int:hour_id>", type="http", auth="user", methods=["GET", "POST"], website=True)
    def portal_volunteer_hour(self, hour_id, **post):
        hour = self._get_own_hour(hour_id)
        if request.httprequest.method == "POST":
            if hour.state == "approved":
                error = request.env._("Approved hours are locked: ask your coordinator to change them.")
            elif hour.source == "checkin":
                error = request.env._(
                    "Hours from a check-in follow the duty's times: they cannot be changed, only rejected."
                )
            else:
                error = self._save_hour(hour, post)
            if not error:
                return request.redirect(f"/my/volunteer-hours/{hour.id}")
            return request.render(
                "garbage_sorting.portal_volunteer_hour_form", self._volunteer_form_values(hour, post, error)
            )
        return request.render("garbage_sorting.portal_volunteer_hour_form", self._volunteer_form_values(hour))

    @http.route("/my/volunteer-hours/<int:hour_id>/delete", type="http", auth="user", methods=["POST"], website=True)
    def portal_volunteer_hour_delete(self, hour_id, **post):
        hour = self._get_own_hour(hour_id)
        try:
            with request.env.cr.savepoint():
                hour.unlink()
        except (UserError, AccessError) as exc:
            return request.render(
                "garbage_sorting.portal_volunteer_hour_form", self._volunteer_form_values(hour, None, exc.args[0])
            )
        return request.redirect("/my/volunteer-hours")

    @http.route(
        ["/my/volunteer-duties/<int:duty_id>/check-in", "/my/volunteer-duties/<int:duty_id>/check-out"],
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
    )
    def portal_volunteer_duty_attend(self, duty_id, **post):
        duty = self._get_own_duty(duty_id)
        checking_in = request.httprequest.path.endswith("/check-in")
        error = self._attend(duty, checking_in, post)
        if error:
            return self._render_volunteer_hours(error=error, checkout=self._typed_checkout(duty, checking_in, post))
        return request.redirect("/my/volunteer-hours")

    def _typed_checkout(self, duty, checking_in, post):
        """What the volunteer typed into a refused check-out, to fill the form again (nothing is lost)."""
        if checking_in:
            return {}
        return {
            "duty_id": duty.id,
            "persuasions": (post.get("persuasions") or "")[:12],
            **{f"problem_{problem}": bool(post.get(f"problem_{problem}")) for problem in PROBLEMS},
        }

    def _attend(self, duty, checking_in, post):
        """Check in or out from a posted form; returns an error message (nothing stored) or None.
        The model checks the position and the findings (finite numbers, on earth, both or neither)."""
        latitude, longitude = post.get("latitude") or None, post.get("longitude") or None
        try:
            with request.env.cr.savepoint():
                if checking_in:
                    duty.action_check_in(latitude, longitude)
                else:
                    persuasions = (post.get("persuasions") or "0").strip()
                    if not re.fullmatch(r"[0-9]{1,9}", persuasions):
                        raise UserError(request.env._("Please give the number of persuasions as a whole number."))
                    problems = [problem for problem in PROBLEMS if post.get(f"problem_{problem}")]
                    duty.action_check_out(latitude, longitude, int(persuasions), problems)
        except (UserError, AccessError) as exc:
            return exc.args[0]
        return None

    @http.route("/my/volunteer-hours/certificate", type="http", auth="user", website=True)
    def portal_volunteer_certificate(self, date_from=None, date_to=None, **kw):
        partner = request.env.user.partner_id
        if not request.env["garbage.volunteer.hour"].has_access("read"):
            raise request.not_found()
        try:
            data = {
                "date_from": fields.Date.to_string(fields.Date.to_date(date_from)) if date_from else False,
                "date_to": fields.Date.to_string(fields.Date.to_date(date_to)) if date_to else False,
            }
        except ValueError:
            data = {"date_from": False, "date_to": False}
        # The report only covers the requesting volunteer: their partner id, never one from the request.
        pdf, __ = (
            request.env["ir.actions.report"]
            .sudo()
            ._render_qweb_pdf("garbage_sorting.action_report_volunteer_certificate", partner.ids, data=data)
        )
        filename = request.env._("volunteer-certificate.pdf")
        headers = [
            ("Content-Type", "application/pdf"),
            ("Content-Length", len(pdf)),
            ("Content-Disposition", http.content_disposition(filename)),
        ]
        return request.make_response(pdf, headers=headers)

    # Bin sites: the QR code on the bins opens the site's page, where a volunteer on duty checks in or out

    def _get_scanned_site(self, site_id, token):
        """The bin site of a scanned QR code; the same 404 for a wrong id, a wrong token or an archived site.
        Only its name, code and unit are shown: the token is what the label gives anyone standing there."""
        site = request.env["garbage.bin.site"].sudo().browse(_record_id(site_id)).exists()
        if not site or not site.active or not site._check_token(token):
            raise request.not_found()
        return site

    def _site_url(self, site, **params):
        return f"/my/bin-site/{site.id}?{urlencode({'token': site.access_token, **params})}"

    def _render_bin_site(self, site, error=None, done=None, checkout=None):
        partner = request.env.user.partner_id
        Duty = request.env["garbage.volunteer.duty"]
        today = datetime.now(Duty._town_tz()).date()
        duties = Duty.browse()
        if Duty.has_access("read"):
            # The user's own duties (their rights decide what they read), at this site, today.
            duties = Duty.search(
                [
                    ("site_id", "=", site.id),
                    ("volunteer_ids", "in", partner.id),
                    ("date", "=", today),
                    ("state", "!=", "cancelled"),
                ],
                order="time_start, id",
            )
        attendances = {a.duty_id.id: a for a in duties.attendance_ids.filtered(lambda a: a.partner_id == partner)}
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "bin_site",
                "site": site,
                "token": site.access_token,
                "duties": duties.sudo(),
                "attendances": attendances,
                "local_time": lambda duty, moment: duty._format_local(moment)[-5:],
                "windows": duties._attendance_status(),
                "checkout": checkout or {},
                "today": today,
                "error": error,
                "done": done if done in ("in", "out") else None,
                "title": site.name,
            }
        )
        return request.render("garbage_sorting.portal_bin_site", values)

    @http.route("/my/bin-site/<int:site_id>", type="http", auth="user", methods=["GET"], website=True)
    def portal_bin_site(self, site_id, token=None, done=None, **kw):
        site = self._get_scanned_site(site_id, token)
        return self._render_bin_site(site, done=done)

    @http.route(
        ["/my/bin-site/<int:site_id>/<int:duty_id>/check-in", "/my/bin-site/<int:site_id>/<int:duty_id>/check-out"],
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
    )
    def portal_bin_site_attend(self, site_id, duty_id, token=None, **post):
        site = self._get_scanned_site(site_id, token)
        duty = self._get_own_duty(duty_id)
        if duty.sudo().site_id != site:
            raise request.not_found()
        checking_in = request.httprequest.path.endswith("/check-in")
        error = self._attend(duty, checking_in, post)
        if error:
            return self._render_bin_site(site, error=error, checkout=self._typed_checkout(duty, checking_in, post))
        # Post/redirect/get: reloading the confirmation never checks in (or out) twice.
        return request.redirect(self._site_url(site, done="in" if checking_in else "out"))

    # Certificates: the QR code printed on them opens this public page

    @http.route("/certificate/verify/<string:token>", type="http", auth="public", methods=["GET"], website=True)
    def certificate_verify(self, token, **kw):
        """What a certificate's QR code shows anyone: its number, the volunteer's name, the hours, the period
        and the date it was issued, or that it was revoked or does not exist. Nothing else of the volunteer."""
        certificate = request.env["garbage.volunteer.certificate"].sudo().search([("token", "=", token)], limit=1)
        values = {
            "certificate": certificate,
            "volunteer_name": certificate.partner_id.name if certificate else "",
        }
        return request.render("garbage_sorting.certificate_verify", values, status=200 if certificate else 404)

    # First login of an invited volunteer: the link (or its QR code) the coordinator gave them

    @http.route(f"{INVITATION_ROUTE}/<string:token>", type="http", auth="public", methods=["GET", "POST"], website=True)
    def volunteer_welcome(self, token, **post):
        """Set a password with the one-time invitation link, then log in with the mobile number. The token is
        the only key; the model checks it, its expiry and the password, and closes the invitation."""
        Partner = request.env["res.partner"]
        partner = Partner._volunteer_invitation(token)
        if partner.lang:
            # The volunteer's page in the volunteer's language, whatever the phone's browser asks for.
            request.update_context(lang=partner.lang)
            Partner = request.env["res.partner"]
        values = {
            "title": request.env._("Welcome"),
            "invited": bool(partner),
            "login": partner.user_ids[:1].login if partner else "",
            "min_length": MIN_PASSWORD_LENGTH,
            "error": None,
        }
        if not partner:
            return request.render("garbage_sorting.volunteer_welcome", values, status=404)
        if request.httprequest.method == "POST":
            try:
                login = Partner._volunteer_accept_invitation(token, post.get("password"), post.get("confirm_password"))
            except ValidationError as exc:
                values["error"] = exc.args[0]
                return request.render("garbage_sorting.volunteer_welcome", values)
            credential = {"login": login, "password": post["password"], "type": "password"}
            request.session.authenticate(request.db, credential)
            return request.redirect("/my/volunteer-hours")
        return request.render("garbage_sorting.volunteer_welcome", values)
