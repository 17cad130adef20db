import re

from odoo import http
from odoo.http import request

from ..models.garbage_assessment_notice import NOTICE_ROUTE
from ..models.garbage_guard_mixin import company_lang_env, town_tz

MONTH = re.compile(r"\d{4}-\d{2}")


class AssessmentNotice(http.Controller):
    """公示: the published red and grey lists for anyone, without a login.

    The page reads the public views of the published lists (`garbage.assessment.notice*`) with the visitor's own
    rights (public, portal or internal users all read them): nothing unpublished or personal is in them, so
    nothing is fetched in sudo. Each town has its page (`?town=<company id>`, by default the visitor's company,
    i.e. the database's main town for anonymous visitors); a town's Settings can close it: its routes then
    answer 404.
    """

    def _notice_env(self, town):
        """The visitor's environment in the town's language and time (the notice is the town's document), and
        the town's id."""
        town_id = int(town) if isinstance(town, str) and town.isdigit() and len(town) < 10 else request.env.company.id
        if not request.env["garbage.assessment.notice.month"]._is_public(town_id):
            raise request.not_found()
        request.update_context(lang=company_lang_env(request.env).lang, tz=town_tz(request.env).zone)
        return request.env, town_id

    @http.route(NOTICE_ROUTE, type="http", auth="public", methods=["GET"])
    def notice_months(self, town=None, **kw):
        env, town_id = self._notice_env(town)
        months = env["garbage.assessment.notice.month"].search([("company_id", "=", town_id)])
        values = {
            "months": months,
            "town_id": town_id,
            "town_name": months[:1].town_name,
            "page_title": env._("Waste sorting red and grey lists"),
        }
        return request.render("garbage_sorting.assessment_notice_months", values)

    @http.route(f"{NOTICE_ROUTE}/<string:month>", type="http", auth="public", methods=["GET"])
    def notice_month(self, month, town=None, **kw):
        """One published month; a month not published (never, not yet, or reopened) is a 404 like a missing one."""
        env, town_id = self._notice_env(town)
        if not MONTH.fullmatch(month):
            raise request.not_found()
        published = env["garbage.assessment.notice.month"].search(
            [("company_id", "=", town_id), ("name", "=", month)], limit=1
        )
        if not published:
            raise request.not_found()
        values = {
            "notice": published._get_notice_values(),
            "town_id": town_id,
            "town_name": published.town_name,
            "page_title": env._("Red and Grey Lists %(month)s", month=published.name),
        }
        return request.render("garbage_sorting.assessment_notice_month", values)
