"""Odoo's own tests of the ERP apps the addons build on, to compare a database with and without the addons.

    python scripts/core_tests.py run --output RESULTS.json [--http] [--english] -- ODOO_OPTIONS...
    python scripts/core_tests.py compare WITHOUT.json WITH.json

`run` loads the registry of the database named in the Odoo options (every installed module loaded, as in
production), builds the suites of `MODULES` with `odoo.tests.loader.make_suite` for the at_install and
the post_install positions (at_install tests normally run while their module installs; here they run in
the loaded registry, the same way on both databases) and writes each test's outcome to a JSON file.
`compare` prints the tests that pass without the addons and fail with them, and exits non-zero when
there is one: installing the addons must not change how the ERP's own apps behave.

Called by `scripts/core_tests.sh` (part of `make test`); see README.md, "Core apps stay whole".
"""

import argparse
import json
import sys
import threading
import time
import unittest

MODULES = ("calendar", "hr", "portal", "mail")

# The subset, to hold CI's time budget (test ids starting with these are left out):
# - calendar, hr and portal run whole but for one calendar test, left out for its time alone (a minute a
#   database): it queues the invitations of a meeting of 50 attendees; the other invitation tests run;
# - mail runs its threads, messages, composer, templates, rendering, activities, attachments, partners, users
#   and companies, and leaves out what the addons neither extend nor call: Discuss (mail/tests/discuss:
#   channels, guests, calls, presence; two thirds of mail's time), emoji reactions, message translation,
#   link previews, outgoing mail servers, the publisher's update notification and mail's uninstall.
LEFT_OUT = (
    "odoo.addons.calendar.tests.test_event_notifications.TestEventNotifications"
    ".test_message_invite_email_notif_mass_queued",
    "odoo.addons.mail.tests.discuss.",
    "odoo.addons.mail.tests.test_message_reaction_controller.",
    "odoo.addons.mail.tests.test_mail_message_translate.",
    "odoo.addons.mail.tests.test_link_preview.",
    "odoo.addons.mail.tests.test_discuss_tools.",
    "odoo.addons.mail.tests.test_ir_mail_server.",
    "odoo.addons.mail.tests.test_update_notification.",
    "odoo.addons.mail.tests.test_uninstall.",
)
# Browser tours (Chromium) are skipped, in both databases alike (they show as skipped): they check the web
# client's screens, which the addons' Python does not change, at half a minute each. The tests that call the
# HTTP routes (HttpCase without a browser) run.

FAILED = ("fail", "error")


def _load(args):
    """The registry of the database named in the Odoo options, every installed module loaded."""
    import odoo  # imported here: Odoo is importable once its source is on the path, and test mode comes later
    from odoo.tools import config

    config.parse_config([*args.odoo_args, "--stop-after-init"])
    database = config["db_name"]
    if not database or "," in database:
        sys.exit("core_tests.py run: name one database (-d)")
    # Loaded with the tests off: in test mode Odoo would run each module's at_install tests while loading it,
    # before the modules that depend on it (the addons) are loaded.
    odoo.service.server.load_server_wide_modules()
    registry = odoo.modules.registry.Registry.new(database)
    if args.english:
        # Odoo's tests compare English texts: in a database that speaks only Chinese (the town's, with or
        # without the addons) a tenth of them fail on both sides and could hide a change. The copy under test
        # is switched to English, as Odoo's own test databases are: English active and everybody's language.
        with registry.cursor() as cr:
            env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
            env["res.lang"]._activate_lang("en_US")
            env["ir.default"].set("res.partner", "lang", "en_US")
            partners = env["res.partner"].with_context(active_test=False)
            partners.search([("lang", "not in", ("en_US", False))]).write({"lang": "en_US"})
    config["test_tags"] = args.tags
    config["test_enable"] = True
    threading.current_thread().dbname = database
    if args.http:
        # HttpCase tests talk to a running server, as under `odoo-bin --test-enable`.
        odoo.service.server.server = odoo.service.server.ThreadedServer(odoo.http.root)
        odoo.service.server.server.http_spawn()
    return registry


def _recorder():
    """A test result class: Odoo's (it logs as usual), plus each test's outcome by id."""
    from odoo.tests.result import OdooTestResult

    rank = ("pass", "skip", "fail", "error")

    class Recorder(OdooTestResult):
        def __init__(self):
            super().__init__()
            self.outcomes = {}

        def _record(self, test, outcome):
            if self._soft_fail:
                return  # a failure that Odoo retries (ODOO_TEST_FAILURE_RETRIES): the last try decides
            while getattr(test, "test_case", None) is not None:  # a subtest: its test fails
                test = test.test_case
            test_id = test.id()
            if rank.index(outcome) >= rank.index(self.outcomes.get(test_id, "pass")):
                self.outcomes[test_id] = outcome

        def addSuccess(self, test):
            super().addSuccess(test)
            self._record(test, "pass")

        def addSkip(self, test, reason):
            super().addSkip(test, reason)
            self._record(test, "skip")

        def addFailure(self, test, err):
            super().addFailure(test, err)
            self._record(test, "fail")

        def addError(self, test, err):
            super().addError(test, err)
            self._record(test, "error")

    return Recorder


def run(args):
    registry = _load(args)
    import odoo
    from odoo.modules import module
    from odoo.tests import common, loader

    if not args.tours:

        def browser_js(self, *args, **kwargs):
            raise unittest.SkipTest("browser tour (Chromium) not run by scripts/core_tests.py")

        common.HttpCase.browser_js = browser_js
    recorder = _recorder()
    outcomes, timings = {}, {}
    for position in ("at_install", "post_install"):
        started = time.time()
        suite = loader.make_suite(list(args.modules.split(",")), position)
        suite = type(suite)(test for test in suite if not test.id().startswith(LEFT_OUT))
        if suite.has_http_case():
            # as Odoo's runner does: the web client's first page would otherwise build them, in a request
            # that may time out
            with registry.cursor() as cr:
                odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})["ir.qweb"]._pregenerate_assets_bundles()
        result = recorder()
        module.current_test = True
        threading.current_thread().testing = True
        try:
            suite(result)
        finally:
            threading.current_thread().testing = False
            module.current_test = False
        outcomes.update(result.outcomes)
        timings[position] = round(time.time() - started, 1)
    database = registry.db_name
    with open(args.output, "w", encoding="utf-8") as output:
        json.dump({"database": database, "seconds": timings, "outcomes": outcomes}, output, indent=1, sort_keys=True)
    counts = {outcome: list(outcomes.values()).count(outcome) for outcome in ("pass", "skip", "fail", "error")}
    print(f"{database}: {len(outcomes)} tests {counts} in {sum(timings.values()):.0f} s {timings}")
    if odoo.service.server.server:
        odoo.service.server.server.httpd.shutdown()


def compare(args):
    with open(args.without, encoding="utf-8") as file:
        without = json.load(file)["outcomes"]
    with open(args.with_addons, encoding="utf-8") as file:
        with_addons = json.load(file)["outcomes"]
    # A class whose set-up fails reports one error ("setUpClass (module.Class)") instead of its tests.
    broken = sorted(
        test_id for test_id, outcome in with_addons.items() if outcome in FAILED and without.get(test_id) not in FAILED
    )
    not_run = sorted(
        test_id for test_id, outcome in without.items() if outcome == "pass" and test_id not in with_addons
    )
    both = sorted(
        test_id for test_id, outcome in with_addons.items() if outcome in FAILED and without.get(test_id) in FAILED
    )
    if both:
        print(f"{len(both)} test(s) fail with and without the addons (not the addons' doing):")
        print("".join(f"    {test_id}\n" for test_id in both), end="")
    if broken or not_run:
        print(f"{len(broken) + len(not_run)} core test(s) pass without the addons and fail with them:")
        print("".join(f"    {test_id}\n" for test_id in broken), end="")
        print("".join(f"    {test_id} (not run)\n" for test_id in not_run), end="")
        return 1
    print(f"Core tests: the {len(with_addons)} tests behave the same with and without the addons.")
    return 0


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    runner = commands.add_parser("run", help="run the core tests on one database")
    runner.add_argument("--output", required=True, help="JSON file of the outcomes")
    runner.add_argument("--modules", default=",".join(MODULES))
    runner.add_argument("--tags", default=",".join(f"/{name}" for name in MODULES), help="Odoo test tags")
    runner.add_argument("--http", action="store_true", help="serve HTTP for the HttpCase tests")
    runner.add_argument("--tours", action="store_true", help="run the browser tours too (Chromium)")
    runner.add_argument(
        "--english", action="store_true", help="switch the database to English first (it is changed: a copy!)"
    )
    runner.add_argument("odoo_args", nargs=argparse.REMAINDER, help="odoo-bin options, after --")
    comparer = commands.add_parser("compare", help="tests that pass without the addons and fail with them")
    comparer.add_argument("without")
    comparer.add_argument("with_addons")
    args = parser.parse_args()
    if args.command == "run":
        if args.odoo_args[:1] == ["--"]:
            args.odoo_args = args.odoo_args[1:]
        run(args)
        return 0
    return compare(args)


if __name__ == "__main__":
    sys.exit(main())
