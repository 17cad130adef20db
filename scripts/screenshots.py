"""Take the README's screenshots of the running demo database, one login per role.

Usage: screenshots.py BASE_URL CHROMIUM OUTPUT_DIR
"""

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

DESKTOP = {"width": 1440, "height": 900}
PHONE = {"width": 390, "height": 844}

# (file name, login, path, viewport): what each role sees first in its guide.
SHOTS = [
    ("taskforce-units", "taskforce", "/odoo/action-garbage_sorting.garbage_unit_action?view_type=kanban", DESKTOP),
    ("taskforce-inspections", "taskforce", "/odoo/action-garbage_sorting.garbage_inspection_action", DESKTOP),
    ("liaison-inspections", "liaison", "/odoo/action-garbage_sorting.garbage_inspection_action", DESKTOP),
    ("inspector-inspections", "inspector", "/odoo/action-garbage_sorting.garbage_inspection_action", DESKTOP),
    ("leader-obligations", "leader", "/odoo/action-garbage_sorting.garbage_obligation_action", DESKTOP),
]


def main(base_url, chromium, out_dir):
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"],
        )
        for name, login, path, viewport in SHOTS:
            context = browser.new_context(viewport=viewport, locale="zh-CN")
            page = context.new_page()
            page.goto(f"{base_url}/web/login")
            page.fill("input[name=login]", login)
            page.fill("input[name=password]", login)
            page.click("button[type=submit]")
            page.wait_for_url("**/odoo**" if not path.startswith("/my") else "**/my**")
            page.goto(f"{base_url}{path}")
            # The web client never goes network-idle (its bus stays open): wait for the view.
            page.wait_for_selector(".o_view_controller, .o_portal_wrap", timeout=60000)
            page.wait_for_timeout(1500)
            page.screenshot(path=str(out / f"{name}.png"))
            print(f"{name}.png")
            context.close()
        browser.close()


if __name__ == "__main__":
    main(*sys.argv[1:4])
