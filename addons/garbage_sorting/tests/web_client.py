"""The requests the Odoo 18 web client sends when a user presses a button that downloads something.

A test replays them as the logged-in user (HttpCase `authenticate`), step by step as the client does
(`web/static/src/webclient/actions/action_service.js`, `reports/utils.js`, `core/network/download.js`):
- a button `type="object"` posts `/web/dataset/call_button/<model>/<method>` and executes the action it returns;
- a button `type="action"` (and the Print menu) loads the action (`/web/action/load`) with the records as
  `active_ids`;
- an `ir.actions.act_url` is opened at its URL;
- an `ir.actions.report` asks `/report/check_wkhtmltopdf`, then posts `/report/download` with the URL that
  `getReportUrl` builds: `/report/pdf/<report>/<ids>`, or `/report/pdf/<report>?options=<data>&context=<context>`
  when the action carries `data` (then no id is in the path).
Nothing here builds a URL of its own: every download goes through the one the client would use.
"""

import html
import io
import json
import re
from urllib.parse import quote

import openpyxl

from odoo import http
from odoo.tests import HttpCase
from odoo.tools.safe_eval import safe_eval

from .common import first_town_env, pdf_text, run_scheduled_jobs

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Context keys of the current view that the client drops before executing a button's action.
CTX_KEY_REGEX = re.compile(
    r"^(?:(?:default_|search_default_|show_).+|.+_view_ref|group_by|active_id|active_ids|orderedBy)$"
)


def js_json(value):
    """JSON.stringify(value): no spaces."""
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def encode_uri_component(text):
    return quote(text, safe="-_.!~*'()")


def report_url(action, report_type):
    """`getReportUrl(action, type)` of web/static/src/webclient/actions/reports/utils.js (pdf and text)."""
    url = f"/report/{report_type}/{action['report_name']}"
    action_context = action.get("context") or {}
    if action.get("data") and js_json(action["data"]) != "{}":
        options = encode_uri_component(js_json(action["data"]))
        context = encode_uri_component(js_json(action_context))
        return f"{url}?options={options}&context={context}"
    if action_context.get("active_ids"):
        url += "/" + ",".join(str(record_id) for record_id in action_context["active_ids"])
    return url


class WebClientMixin:
    """Mix into an HttpCase: press a button as the web client does, then read what it downloads."""

    def user_context(self):
        """The client's `user.context`: the session's (lang, tz, uid) and the active company."""
        user = self.env["res.users"].browse(self.session.uid)
        return {**self.session.context, "allowed_company_ids": user.company_id.ids}

    def make_context(self, *contexts):
        """`makeContext`: merged left to right, string contexts evaluated with what came before."""
        merged, evaluation = {}, dict(self.user_context())
        for context in contexts:
            values = safe_eval(context or "{}", evaluation) if isinstance(context, str) else context
            merged.update(values or {})
            evaluation.update(merged)
        return merged

    def jsonrpc(self, route, params):
        return self.make_jsonrpc_request(route, params)

    def load_action(self, action, context=None):
        """`_loadAction` then `_preprocessAction`: the action as the client holds it."""
        action_id = action if isinstance(action, int) else self.env.ref(action).id
        loaded = self.jsonrpc(
            "/web/action/load", {"action_id": action_id, "context": self.make_context(self.user_context(), context)}
        )
        loaded["context"] = self.make_context(context or {}, loaded.get("context") or {})
        return loaded

    def press(self, model, records, name, button_type="object", record_context=None, button_context=None):
        """`doActionButton` for a button of a view of `model` showing `records` (a form: one record; a list's
        header: the selected ones); returns the action the client then executes."""
        record_context = self.make_context(self.user_context(), record_context or {})
        context = self.make_context(record_context, button_context or {})
        res_id = records.id if len(records) == 1 else None
        if button_type == "object":
            args = [[res_id]] if res_id else [records.ids]
            action = self.jsonrpc(
                f"/web/dataset/call_button/{model}/{name}",
                {"args": args, "kwargs": {"context": context}, "method": name, "model": model},
            )
            action = action if isinstance(action, dict) else {"type": "ir.actions.act_window_close"}
        else:
            # the action as the server reads it: what the client sent to load it is not kept in it
            context.update(active_id=res_id, active_ids=records.ids, active_model=model)
            action_id = name if isinstance(name, int) else self.env.ref(name).id
            action = self.jsonrpc(
                "/web/action/load", {"action_id": action_id, "context": self.make_context(self.user_context(), context)}
            )
        current = {key: value for key, value in record_context.items() if not CTX_KEY_REGEX.match(key)}
        active = {"active_model": model, **({"active_id": res_id, "active_ids": [res_id]} if res_id else {})}
        action["context"] = self.make_context(current, button_context or {}, active, action.get("context") or {})
        return action

    def print_menu(self, model, records, report):
        """The list's or form's Print menu (a report bound to the model): the action loaded with the records."""
        return self.load_action(report, {"active_id": records[:1].id, "active_ids": records.ids, "active_model": model})

    def save_wizard(self, action, values):
        """A wizard's dialog (an act_window with `target="new"`): the form is saved before its button runs."""
        self.assertEqual(action["type"], "ir.actions.act_window")
        context = self.make_context(self.user_context(), action.get("context") or {})
        saved = self.jsonrpc(
            f"/web/dataset/call_kw/{action['res_model']}/web_save",
            {
                "model": action["res_model"],
                "method": "web_save",
                "args": [[], values],
                "kwargs": {"context": context, "specification": {}},
            },
        )
        return self.env[action["res_model"]].browse(saved[0]["id"]), context

    def execute(self, action):
        """Execute the action as the client does and return the HTTP response of the download."""
        if action["type"] == "ir.actions.act_url":
            url = action["url"]
            if not url.startswith(("http", "/")):
                url = "/" + url
            return self.url_open(url, allow_redirects=False)
        self.assertEqual(action["type"], "ir.actions.report", action)
        report_type = action["report_type"].removeprefix("qweb-")
        self.assertEqual(self.jsonrpc("/report/check_wkhtmltopdf", {}), "ok", "the client prints PDFs only then")
        download_context = {**self.user_context(), **(action.get("context") or {})}
        fields = {
            "data": js_json([report_url(action, report_type), action["report_type"]]),
            "context": js_json(download_context),
            "token": "dummy-because-api-expects-one",
            "csrf_token": http.Request.csrf_token(self),
        }
        # FormData: a multipart form
        return self.url_open(
            "/report/download", files={key: (None, value) for key, value in fields.items()}, allow_redirects=False
        )

    def print_in_browser(self, url, tour, login, expected_pdf):
        """Run `tour` in Chromium as `login` from `url`: it presses the print button and waits until the browser
        saved a PDF of the size of `expected_pdf`, the document the same request gave this test (whose text the
        test checked). See static/tests/tours/download_watch.js."""
        expected = js_json({"size": len(expected_pdf)})
        options = js_json({"stepDelay": 0, "keepWatchBrowser": False, "debug": False, "startUrl": url})
        code = (
            f"sessionStorage.setItem('gs_expected_download', {json.dumps(expected)});"
            f"odoo.startTour({tour!r}, {options})"
        )
        self.start_tour(url, tour, login=login, code=code, timeout=60)

    # Reading what came down

    def pdf_text(self, response):
        self.assertEqual(response.status_code, 200, response.text[:2000])
        self.assertEqual(response.headers["Content-Type"], "application/pdf")
        self.assertTrue(response.content.startswith(b"%PDF"), response.content[:300])
        return pdf_text(response.content)

    def workbook(self, response):
        self.assertEqual(response.status_code, 200, response.text[:2000])
        self.assertEqual(response.headers["Content-Type"], XLSX)
        return openpyxl.load_workbook(io.BytesIO(response.content))

    def assert_refused(self, response, *secrets):
        """No document, and none of `secrets` in the answer: a 403 or 404, or the error that `/report/download`
        answers the client (an HTML page holding the serialized AccessError or UserError, which the client shows
        as an error dialog instead of downloading it)."""
        self.assertFalse(response.content.startswith((b"%PDF", b"PK")), "a document came down")
        self.assertNotIn("application/pdf", response.headers.get("Content-Type", ""))
        self.assertNotIn(XLSX, response.headers.get("Content-Type", ""))
        if response.status_code == 200:
            error = html.unescape(response.text)
            self.assertIn("Odoo Server Error", error)
            self.assertRegex(error, r"odoo\.exceptions\.(AccessError|UserError|ValidationError|MissingError)")
        else:
            self.assertIn(response.status_code, (403, 404), response.text[:500])
        for secret in secrets:
            self.assertNotIn(secret, html.unescape(response.text))


class ServedTownCase(WebClientMixin, HttpCase):
    """The demo town as it is served: its scheduled jobs have run (see `run_scheduled_jobs`), then its people
    press their buttons in the web client. The demo logins' password is their login."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = first_town_env(cls.env)
        cls.crons = run_scheduled_jobs(cls.env)
