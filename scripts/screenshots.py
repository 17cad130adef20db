"""Take the README's screenshots of the running demo database, one login per role.

Usage: screenshots.py BASE_URL CHROMIUM OUTPUT_DIR [SITE] [CERTIFICATE_TOKEN]
(SITE: "<id>?token=<token>" of the bin site where the demo volunteer is on duty today, as its QR code
opens it; an issued certificate's token: the pages they open)
"""

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

DESKTOP = {"width": 1440, "height": 900}
PHONE = {"width": 390, "height": 844}

# (file name, login, path, viewport, open the first record): what each role's guide shows.
GS = "/odoo/action-garbage_sorting."
PB = "/odoo/action-party_branch_linkage."
SHOTS = [
    ("taskforce-period", "taskforce", GS + "garbage_assessment_period_action", DESKTOP, True),
    ("taskforce-escalations", "taskforce", GS + "garbage_escalation_action", DESKTOP, False),
    ("taskforce-units", "taskforce", GS + "garbage_unit_action?view_type=kanban", DESKTOP, False),
    ("taskforce-dashboard", "taskforce", "/odoo/dashboards", DESKTOP, False),
    ("liaison-rectifications", "liaison", GS + "garbage_rectification_action", DESKTOP, False),
    ("liaison-obligations", "liaison", GS + "garbage_obligation_action", DESKTOP, False),
    ("inspector-inspection", "inspector", GS + "garbage_inspection_action", DESKTOP, True),
    ("leader-annual", "leader", GS + "garbage_unit_annual_action", DESKTOP, False),
    ("coordinator-hours", "coordinator", GS + "garbage_volunteer_hour_action", DESKTOP, False),
    ("secretary-organization", "secretary", PB + "party_organization_action", DESKTOP, True),
    ("volunteer-portal", "volunteer", "/my/volunteer-hours", PHONE, False),
    ("inspector-phone", "inspector", GS + "garbage_inspection_action", PHONE, True),
    # the field roles' cards: what a phone opens first
    ("liaison-phone-obligations", "liaison", GS + "garbage_obligation_action", PHONE, False),
    ("liaison-phone-rectifications", "liaison", GS + "garbage_rectification_action", PHONE, False),
    ("inspector-phone-cards", "inspector", GS + "garbage_inspection_action", PHONE, False),
    ("coordinator-phone-hours", "coordinator", GS + "garbage_volunteer_hour_action", PHONE, False),
    ("volunteer-bin-site", "volunteer", "/my/bin-site/{site}", PHONE, False),
    ("certificate-verify", None, "/certificate/verify/{token}", PHONE, False),
]


def main(base_url, chromium, out_dir, site="", token=""):
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"],
        )
        for name, login, path_template, viewport, open_first in SHOTS:
            if ("{site}" in path_template and not site) or ("{token}" in path_template and not token):
                print(f"{name}.png skipped: no bin site on duty today / no certificate in the database")
                continue
            path = path_template.format(site=site, token=token)
            context = browser.new_context(viewport=viewport, locale="zh-CN")
            page = context.new_page()
            # Served with workers, the bus websocket lives on another port: the pictures do not need it.
            page.route("**/websocket**", lambda route: route.abort())
            if login:  # else a public page, as anyone scanning a QR code sees it
                page.goto(f"{base_url}/web/login")
                page.fill("input[name=login]", login)
                page.fill("input[name=password]", login)
                page.click("button[type=submit]")
                # wherever the role lands (its landing page differs), the session is open once it left the form
                page.wait_for_function("!location.pathname.startsWith('/web/login')", timeout=60000)
            page.goto(f"{base_url}{path}")
            # The web client never goes network-idle (its bus stays open): wait for the view.
            page.wait_for_selector(
                ".o_view_controller, .o_portal_wrap, .o_spreadsheet_dashboard_action, .o_gs_certificate_verify",
                timeout=60000,
            )
            if open_first:
                # a row on a desktop, a card on a phone (which opens the action's cards first)
                page.click(".o_data_row .o_data_cell, .o_kanban_view .o_kanban_record:not(.o_kanban_ghost)")
                page.wait_for_selector(".o_form_view", timeout=60000)
            if "dashboards" in path:  # the figures load after the sheet: wait for the chart, then its data
                page.wait_for_selector(".o-spreadsheet .o-figure canvas", timeout=60000)
                page.wait_for_timeout(4000)
            page.wait_for_timeout(1500)
            page.screenshot(path=str(out / f"{name}.png"))
            print(f"{name}.png")
            context.close()
        browser.close()


if __name__ == "__main__":
    main(*sys.argv[1:6])
