import json
from datetime import date
from urllib.parse import unquote

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import mute_logger

from .common import GROUP, AssessmentCase, every_town_env, month
from .web_client import WebClientMixin

# The towns' own work: the district office reads none of it (no access right at all).
PRIVATE_MODELS = (
    "garbage.unit",
    "garbage.inspection",
    "garbage.inspection.line",
    "garbage.rectification",
    "garbage.assessment",
    "garbage.escalation",
    "garbage.obligation",
    "garbage.unit.annual",
    "garbage.unit.partner",
    "garbage.work.plan",
    "garbage.volunteer.duty",
    "garbage.volunteer.hour",
    "garbage.volunteer.certificate",
)
# What every employee may read: the district office reads none of it (its own record rule).
EMPLOYEE_MODELS = ("garbage.bin.site", "garbage.mutual.round", "garbage.volunteer.leaderboard")
APRIL, MAY = month(2024, 4), month(2024, 5)
TOUR = "garbage_sorting_district_dashboard_tour"
EXPECTED_KEY = "garbage_sorting_district_dashboard_expected"
# a unit's name a spreadsheet would run as a formula if it were written as one
FORMULA_NAME = '=HYPERLINK("http://evil.example","点我")'


@tagged("post_install", "-at_install")
class TestDistrictOffice(WebClientMixin, HttpCase, AssessmentCase):
    """A district office above two towns (companies under the district's company), each town with its units and
    months (published or not), and a district office user working in the district with both towns allowed."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = every_town_env(cls.env)  # each town's users below work in their own
        cls.district = cls.env["res.company"].create({"name": "示范区城市管理办公室"})
        cls.district.partner_id.lang = "zh_CN"
        cls.town_a = cls.env["res.company"].create({"name": "东湖镇人民政府", "parent_id": cls.district.id})
        cls.town_b = cls.env["res.company"].create({"name": "青石镇人民政府", "parent_id": cls.district.id})
        cls.towns = cls.town_a | cls.town_b
        cls.staff = {}
        for town, suffix in ((cls.town_a, "a"), (cls.town_b, "b")):
            town.partner_id.write({"lang": "en_US", "tz": "Asia/Shanghai"})
            for role in ("manager", "leader", "liaison"):
                cls.staff[role, suffix] = new_test_user(
                    cls.env,
                    login=f"gs_district_{role}_{suffix}",
                    groups=GROUP + role,
                    company_id=town.id,
                    company_ids=[Command.set(town.ids)],
                )
            town.write(
                {
                    "garbage_taskforce_head_id": cls.staff["manager", suffix].id,
                    "garbage_town_leader_id": cls.staff["leader", suffix].id,
                }
            )
        cls.district_user = new_test_user(
            cls.env,
            login="gs_district_office",
            name="区城管办",
            groups=GROUP + "district",
            company_id=cls.district.id,
            company_ids=[Command.set((cls.district | cls.towns).ids)],
        )
        # Town A: three units, one of them only self-inspected (not covered by the town); April published, May
        # computed only.
        cls.units_a = cls._town_units(cls.town_a, ("东湖村", "东湖社区", FORMULA_NAME))
        cls.units_a[0].user_ids = cls.staff["liaison", "a"]
        cls._town_inspect(
            cls.town_a,
            [(cls.units_a[0], source, APRIL.replace(day=10), 96) for source in ("patrol", "mutual", "self")]
            + [(cls.units_a[1], source, APRIL.replace(day=10), 50) for source in ("patrol", "self")]
            + [(cls.units_a[2], "self", APRIL.replace(day=11), 40)],
        )
        cls.april_a = cls._publish(cls.town_a, "a", APRIL)
        cls._town_inspect(cls.town_a, [(unit, "patrol", MAY.replace(day=8), 30) for unit in cls.units_a])
        cls.may_a = cls._compute(cls.town_a, "a", MAY)
        # Town B: two units, one grey three months running (level 3 in April, under the veto then).
        cls.units_b = cls._town_units(cls.town_b, ("青石村", "青石中学"))
        for number in (2, 3, 4):
            cls._town_inspect(
                cls.town_b,
                [(cls.units_b[0], source, month(2024, number).replace(day=12), 98) for source in ("patrol", "self")]
                + [(cls.units_b[1], source, month(2024, number).replace(day=12), 35) for source in ("mutual", "self")],
            )
            period = cls._publish(cls.town_b, "b", month(2024, number))
        cls.april_b = period
        # Volunteer hours: approved ones count in their month, waiting ones do not.
        for town, units, hours in ((cls.town_a, cls.units_a, (2.5, 1.5, 4)), (cls.town_b, cls.units_b, (3, 0, 1))):
            env = cls._town_env(town)
            volunteer = env["res.partner"].create({"name": f"{town.name}志愿者", "is_volunteer": True})
            approved = env["garbage.volunteer.hour"].create(
                [
                    {"partner_id": volunteer.id, "unit_id": units[0].id, "date": day, "hours": amount}
                    for day, amount in ((date(2024, 4, 3), hours[0]), (date(2024, 4, 30), hours[1]))
                    if amount
                ]
                + [{"partner_id": volunteer.id, "unit_id": units[0].id, "date": date(2024, 5, 1), "hours": 6}]
            )
            approved.action_approve()
            env["garbage.volunteer.hour"].create(
                {"partner_id": volunteer.id, "unit_id": units[0].id, "date": date(2024, 4, 20), "hours": hours[2]}
            )
        cls.Rollup = cls.env["garbage.district.rollup"]

    # Set-up helpers

    @classmethod
    def _town_env(cls, town):
        return cls.env(context=dict(cls.env.context, allowed_company_ids=town.ids))

    @classmethod
    def _town_units(cls, town, names):
        return cls._town_env(town)["garbage.unit"].create(
            [
                {"name": name, "code": f"D-{index}", "unit_type": "village" if index < 2 else "enterprise"}
                for index, name in enumerate(names)
            ]
        )

    @classmethod
    def _town_inspect(cls, town, entries):
        inspections = cls._town_env(town)["garbage.inspection"].create(
            [
                {
                    "unit_id": unit.id,
                    "source": source,
                    "date": day,
                    "inspecting_unit_id": False,
                    "line_ids": [(0, 0, {"name": "Overall", "max_score": 100, "score": score})],
                }
                for unit, source, day, score in entries
            ]
        )
        inspections.action_done()
        rectifications = cls.env["garbage.rectification"].search([("inspection_id", "in", inspections.ids)])
        for rectification in rectifications:
            rectification.write({"state": "verified", "date_verified": rectification.inspection_id.date})

    @classmethod
    def _compute(cls, town, suffix, first_day):
        Period = cls.env["garbage.assessment.period"].with_user(cls.staff["manager", suffix])
        period = Period.create({"date_start": first_day})
        period.action_compute()
        return period

    @classmethod
    def _publish(cls, town, suffix, first_day):
        period = cls._compute(town, suffix, first_day)
        if isinstance(period.action_publish(), dict):  # units the town did not inspect: the task force confirms
            period._publish_confirmed("checked")
        return period

    # What the roll-up must say, from the records

    def _expected_row(self, period):
        """The roll-up row of a published period, counted from the town's records (not from its results)."""
        records = self.env(su=True)
        town, start, end = period.company_id, period.date_start, period.date_end
        units = records["garbage.unit"].search([("company_id", "=", town.id)])
        inspected = records["garbage.inspection"].search(
            [
                ("company_id", "=", town.id),
                ("state", "=", "done"),
                ("source", "in", ("patrol", "mutual")),
                ("date", ">=", start),
                ("date", "<=", end),
            ]
        )
        lines = period.sudo().line_ids
        escalations = records["garbage.escalation"].search([("period_id", "=", period.id), ("state", "!=", "cancel")])
        hours = records["garbage.volunteer.hour"].search(
            [("company_id", "=", town.id), ("state", "=", "approved"), ("date", ">=", start), ("date", "<=", end)]
        )
        party = {"party_approved_count": 0}
        if "party.building.assessment" in records and "company_id" in records["party.building.assessment"]._fields:
            approved = records["party.building.assessment"].search(
                [("company_id", "=", town.id), ("year", "=", start.year), ("state", "=", "approved")]
            )
            party["party_approved_count"] = len(approved)
        return {
            "company_id": town,
            "date_start": start,
            "unit_count": len(units),
            "inspected_count": len(inspected.unit_id),
            "coverage": round(100 * len(inspected.unit_id) / len(units), 1),
            "red_count": len(lines.filtered(lambda line: line.result == "red")),
            "grey_count": len(lines.filtered(lambda line: line.result == "grey")),
            "veto_count": len(lines.filtered("vetoed")),
            "escalation_1_count": len(escalations.filtered(lambda escalation: escalation.level == "1")),
            "escalation_2_count": len(escalations.filtered(lambda escalation: escalation.level == "2")),
            "escalation_3_count": len(escalations.filtered(lambda escalation: escalation.level == "3")),
            "volunteer_hours": sum(hours.mapped("hours")),
            **party,
        }

    def _as_district(self, towns=None):
        """The district office user with the towns switched on (all of the district's by default)."""
        towns = self.towns if towns is None else towns
        return self.env(user=self.district_user, context={"allowed_company_ids": (self.district | towns).ids})

    def _row_values(self, row):
        return {name: row[name] for name in self._expected_row(self.april_a)}

    # The roll-up

    def test_rollup_rows_are_the_published_months_counted_from_the_records(self):
        rows = self._as_district()["garbage.district.rollup"].search([])
        published = self.env["garbage.assessment.period"].search(
            [("company_id", "in", self.towns.ids), ("state", "=", "published")]
        )
        self.assertEqual(sorted(rows.ids), sorted(published.ids), "one row per town and published month")
        self.assertNotIn(self.may_a.id, rows.ids, "a month computed but not published is not in the roll-up")
        for period in (self.april_a, self.april_b):
            self.assertEqual(self._row_values(rows.browse(period.id)), self._expected_row(period), period.name)
        # the set-up made the figures worth checking: a town's uncovered unit, a grey ladder up to level 3, a veto
        row_a, row_b = rows.browse(self.april_a.id), rows.browse(self.april_b.id)
        self.assertEqual((row_a.unit_count, row_a.inspected_count, row_a.coverage), (3, 2, 66.7))
        self.assertEqual(row_a.volunteer_hours, 4.0, "approved April hours only (not May's, nor the waiting ones)")
        self.assertEqual((row_b.grey_count, row_b.escalation_3_count, row_b.veto_count), (1, 1, 1))
        self.assertEqual(row_b.volunteer_hours, 3.0)

    def test_reopened_month_leaves_the_rollup(self):
        self.april_b.with_user(self.staff["manager", "b"]).action_reopen()
        rows = self._as_district()["garbage.district.rollup"].search([])
        self.assertNotIn(self.april_b.id, rows.ids)
        self.assertIn(self.april_a.id, rows.ids)

    def test_district_office_sees_the_towns_it_switched_on(self):
        Rollup = self._as_district(self.town_b)["garbage.district.rollup"]
        self.assertEqual(set(Rollup.search([]).company_id), {self.town_b})
        self.assertFalse(self._as_district(self.town_a.browse())["garbage.district.rollup"].search([]))
        # a pivot over the towns: one group per town, its months summed
        groups = self._as_district()["garbage.district.rollup"].read_group(
            [], ["red_count:sum", "grey_count:sum"], ["company_id"]
        )
        self.assertEqual({group["company_id"][0] for group in groups}, set(self.towns.ids))

    def test_town_staff_read_only_their_own_town_rows(self):
        for suffix, town in (("a", self.town_a), ("b", self.town_b)):
            for role in ("manager", "leader"):
                rows = self.env["garbage.district.rollup"].with_user(self.staff[role, suffix]).search([])
                self.assertTrue(rows)
                self.assertEqual(rows.company_id, town, f"{role} of {town.name}")
                # asking for the other town's companies changes nothing: they are not the user's
                with self.assertRaises(AccessError):
                    self.env["garbage.district.rollup"].with_user(self.staff[role, suffix]).with_context(
                        allowed_company_ids=self.towns.ids
                    ).search([])
        with self.assertRaises(AccessError):
            self.env["garbage.district.rollup"].with_user(self.staff["liaison", "a"]).search([])

    # What the district office may not do

    def test_district_office_reads_nothing_of_the_towns_work(self):
        env = self._as_district()
        for model in PRIVATE_MODELS:
            record = self.env[model].sudo().search([("company_id", "in", self.towns.ids)], limit=1)
            with self.subTest(model=model), self.assertRaises(AccessError):
                env[model].search([])
            if record:
                with self.subTest(model=model), self.assertRaises(AccessError):
                    record.with_env(env).read(["display_name"])
                with self.subTest(model=model), self.assertRaises(AccessError):
                    record.with_env(env).write({"display_name": "x"})
                with self.subTest(model=model), self.assertRaises(AccessError):
                    record.with_env(env).unlink()
            with self.subTest(model=model), self.assertRaises(AccessError):
                env[model].create({})
        for model in EMPLOYEE_MODELS:
            self.assertFalse(env[model].search([]), model)
        # the published months, and only those
        periods = env["garbage.assessment.period"].search([])
        self.assertTrue(periods)
        self.assertEqual(set(periods.mapped("state")), {"published"})
        self.assertNotIn(self.may_a, periods)
        with self.assertRaises(AccessError):
            self.may_a.with_env(env).read(["name"])

    @mute_logger("odoo.models.unlink")
    def test_district_office_cannot_change_a_towns_results(self):
        env = self._as_district()
        april, may = self.april_a.with_env(env), self.may_a.with_env(env)
        for action in (april.action_compute, april.action_reopen, may.action_compute, may.action_publish):
            with self.assertRaises(AccessError):
                action()
        # no access right to write or delete a month, and the published one is locked anyway (UserError: an
        # AccessError is one too)
        for period in (april, may):
            with self.assertRaises(UserError):
                period.write({"date_start": month(2024, 6)})
            with self.assertRaises(UserError):
                period.unlink()
        with self.assertRaises(AccessError):
            may.write({"state": "draft"})
        with self.assertRaises(AccessError):
            env["garbage.assessment.period"].create({"date_start": month(2024, 6), "company_id": self.town_a.id})
        with self.assertRaises(UserError):
            env["garbage.assessment.publish.wizard"].create({"period_id": self.may_a.id})
        rows = env["garbage.district.rollup"].search([])
        for operation in (lambda: rows.write({"red_count": 0}), rows.unlink, lambda: rows.create({"red_count": 0})):
            with self.assertRaises(AccessError):
                operation()
        # the months stand as the towns published them
        states = (self.april_a.state, self.may_a.state, self.april_b.state)
        self.assertEqual(states, ("published", "computed", "published"))

    # The district bulletin

    def _bulletin_action(self, login, rows, companies):
        self.authenticate(login, login)
        return self.press(
            "garbage.district.rollup",
            rows,
            "action_download_district_bulletin",
            record_context={"allowed_company_ids": companies.ids},
        )

    def test_district_bulletin_compares_the_towns(self):
        env = self.env(context={"lang": self.district_user.lang})
        rows = self._as_district()["garbage.district.rollup"].search([("date_start", "=", APRIL)])
        action = self._bulletin_action("gs_district_office", rows, self.district | self.towns)
        response = self.execute(action)
        self.assertIn("全区对比通报", unquote(response.headers["Content-Disposition"]), "named in Chinese")
        book = self.workbook(response)
        towns = book.worksheets[0]
        by_town = {towns.cell(row, 1).value: [cell.value for cell in towns[row]] for row in range(3, towns.max_row + 1)}
        self.assertEqual(set(by_town), {"东湖镇人民政府", "青石镇人民政府"})
        for period in (self.april_a, self.april_b):
            expected = self._expected_row(period)
            self.assertEqual(
                by_town[period.company_id.name][1:12],
                [
                    expected["unit_count"],
                    expected["inspected_count"],
                    expected["coverage"],
                    expected["red_count"],
                    expected["grey_count"],
                    expected["escalation_1_count"],
                    expected["escalation_2_count"],
                    expected["escalation_3_count"],
                    expected["veto_count"],
                    expected["volunteer_hours"],
                    expected["party_approved_count"],
                ],
            )
        # one sheet per town: its red and grey lists, every name as text (never a formula)
        self.assertEqual(book.sheetnames[1:], ["东湖镇人民政府", "青石镇人民政府"])
        for period in (self.april_a, self.april_b):
            sheet = book[period.company_id.name]
            listed = {row[1].value: row[0].value for row in sheet.iter_rows(min_row=3)}
            lines = period.sudo().line_ids.filtered(lambda line: line.result in ("red", "grey"))
            results = dict(lines._fields["result"]._description_selection(env))  # in the user's language
            self.assertEqual(listed, {line.unit_id.name: results[line.result] for line in lines})
        grey_a = {cell.value: cell for cell in book["东湖镇人民政府"]["B"]}
        self.assertIn(FORMULA_NAME, grey_a, "the formula-like unit is grey-listed in April")
        self.assertEqual(grey_a[FORMULA_NAME].data_type, "s")

    def test_district_bulletin_is_the_district_offices_only(self):
        url = "/garbage_sorting/district_bulletin?month=2024-04-01"
        for login in ("gs_district_manager_a", "gs_district_leader_b", "gs_district_liaison_a"):
            self.authenticate(login, login)
            with mute_logger("odoo.http"):
                self.assert_refused(self.url_open(url), "青石村", "东湖村")
        self.authenticate("gs_district_manager_a", "gs_district_manager_a")
        rows = self.env["garbage.district.rollup"].with_user(self.staff["manager", "a"]).search([])
        with mute_logger("odoo.http"), self.assertRaisesRegex(Exception, "AccessError"):
            self.press("garbage.district.rollup", rows, "action_download_district_bulletin")
        # malformed months are no bulletin
        self.authenticate("gs_district_office", "gs_district_office")
        for bad in ("2024-04-02", "x", ""):
            self.assertEqual(self.url_open(f"/garbage_sorting/district_bulletin?month={bad}").status_code, 404)
        # a month nobody published: the towns' rows are empty, nothing unpublished comes down
        book = self.workbook(self.url_open("/garbage_sorting/district_bulletin?month=2024-05-01"))
        self.assertEqual(book.worksheets[0].max_row, 2)
        self.assertEqual(len(book.worksheets), 1)

    # The district dashboard

    def test_district_dashboard_in_the_browser(self):
        """Opened in Chromium by the district office with the towns switched on: each town's latest published
        month on a line, the district's figures, and one series per town in each chart (published months)."""
        env = self._as_district()
        latest = env["garbage.district.rollup"].search([("is_latest_published", "=", True)], order="company_id")
        self.assertEqual(set(latest.ids), {self.april_a.id, self.april_b.id})
        cells = []
        for line, row in enumerate(latest, start=9):
            cells += [
                {"sheet": "Dashboard", "xc": f"A{line}", "kind": "text", "expect": row.company_id.display_name},
                {"sheet": "Dashboard", "xc": f"B{line}", "kind": "text", "expect": row.name},
                {"sheet": "Dashboard", "xc": f"C{line}", "kind": "value", "expect": row.coverage},
                {"sheet": "Dashboard", "xc": f"D{line}", "kind": "value", "expect": row.red_count},
                {"sheet": "Dashboard", "xc": f"E{line}", "kind": "value", "expect": row.grey_count},
                {"sheet": "Dashboard", "xc": f"H{line}", "kind": "value", "expect": row.escalation_3_count},
                {"sheet": "Dashboard", "xc": f"I{line}", "kind": "value", "expect": row.veto_count},
                {"sheet": "Dashboard", "xc": f"J{line}", "kind": "value", "expect": row.volunteer_hours},
            ]
        cells += [
            {"sheet": "Dashboard", "xc": f"A{9 + len(latest)}", "kind": "text", "expect": ""},
            {"sheet": "Data", "xc": "C1", "kind": "value", "expect": len(latest)},
            {"sheet": "Data", "xc": "C2", "kind": "value", "expect": sum(latest.mapped("red_count"))},
            {"sheet": "Data", "xc": "C3", "kind": "value", "expect": sum(latest.mapped("grey_count"))},
            {"sheet": "Data", "xc": "C4", "kind": "value", "expect": sum(latest.mapped("volunteer_hours"))},
        ]
        rows = env["garbage.district.rollup"].search([])
        months = sorted(set(rows.mapped("date_start")))
        charts = {
            figure_id: {
                town.display_name: [
                    next((row[measure] for row in rows if row.company_id == town and row.date_start == day), 0)
                    for day in months
                ]
                for town in rows.company_id
            }
            for figure_id, measure in (
                ("garbage-district-coverage", "coverage"),
                ("garbage-district-red", "red_count"),
                ("garbage-district-grey", "grey_count"),
            )
        }
        expected = {"cells": cells, "charts": charts}
        companies = "-".join(str(company_id) for company_id in (self.district | self.towns).ids)
        url = f"/odoo?cids={companies}"
        options = {"stepDelay": 0, "keepWatchBrowser": False, "debug": False, "startUrl": url}
        code = (
            f"sessionStorage.setItem({EXPECTED_KEY!r}, {json.dumps(json.dumps(expected))});"
            f"odoo.startTour({TOUR!r}, {json.dumps(options)})"
        )
        self.start_tour(url, TOUR, login="gs_district_office", code=code, timeout=60)
        # the town's task force has no such dashboard
        dashboard = self.env.ref("garbage_sorting.spreadsheet_dashboard_garbage_district_overview")
        self.assertFalse(
            self.env["spreadsheet.dashboard"].with_user(self.staff["manager", "a"]).search([("id", "=", dashboard.id)])
        )
