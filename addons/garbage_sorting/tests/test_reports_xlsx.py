import io
from datetime import date

import openpyxl

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, TransactionCase, new_test_user, tagged

from .common import AssessmentCase, month, setup_volunteers


def read_workbook(content):
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    return {sheet.title: sheet for sheet in workbook.worksheets}


def rows(sheet):
    """The data rows under the title (row 1) and the headers (row 2)."""
    return [list(row) for row in sheet.iter_rows(min_row=3, values_only=True)]


def headers(sheet):
    return [cell.value for cell in sheet[2]]


@tagged("post_install", "-at_install")
class TestMonthlyBulletin(AssessmentCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.star, cls.middle, cls.weak = cls._units(3, "village", prefix="V")
        cls.bureau, cls.office = cls._units(2, "agency", prefix="A")
        cls.april = cls._publish_month(
            cls, month(2024, 4), [(cls.star, 95), (cls.middle, 80), (cls.weak, 75), (cls.bureau, 92), (cls.office, 88)]
        )
        # May: the weak village is grey-listed and skips its self-inspection (a missed obligation);
        # a rectification of the middle village is still open past its deadline at the month's end.
        cls._month_all_sources([(cls.star, 96), (cls.middle, 82), (cls.bureau, 90), (cls.office, 91)], month(2024, 5))
        cls._inspect([(cls.weak, "patrol", date(2024, 5, 12), 60), (cls.weak, "mutual", date(2024, 5, 13), 62)])
        inspection = cls._inspect([(cls.middle, "patrol", date(2024, 5, 2), 100)])
        cls.overdue = cls.env["garbage.rectification"].create(
            {"name": "Overflowing kitchen bin", "inspection_id": inspection.id, "deadline": date(2024, 5, 20)}
        )
        cls.may = cls.Period.create({"date_start": month(2024, 5)})
        cls.may.action_compute()
        cls.may.action_publish()
        cls.periods = cls.april | cls.may

    def _bulletin(self, periods, lang="en_US"):
        self.manager.lang = lang
        return read_workbook(
            self.env["report.garbage_sorting.monthly_bulletin"].with_user(self.manager)._get_xlsx(periods)
        )

    def test_sheets_ranks_scores_and_change_against_previous_month(self):
        sheets = self._bulletin(self.may)
        self.assertEqual(
            list(sheets),
            [
                "2024-05 Villages & Communities",
                "2024-05 Agencies & Institutions",
                "2024-05 Enterprises",
                "2024-05 Escalations",
                "2024-05 Obligations",
                "2024-05 Task Force",
                "2024-05 Overdue Rectifications",
            ],
        )
        villages = sheets["2024-05 Villages & Communities"]
        self.assertEqual(
            headers(villages), ["Rank", "Unit", "Score", "Previous Month", "Change", "Result", "Red Flag", "Deductions"]
        )
        expected = []
        for unit in (self.star, self.middle, self.weak):
            line, before = self._line(self.may, unit), self._line(self.april, unit)
            expected.append(
                [
                    line.rank,
                    unit.name,
                    line.score,
                    before.score,
                    round(line.score - before.score, 2),
                    dict(line._fields["result"].selection)[line.result],
                    "Yes" if line.red_flag else None,
                    line.deductions or None,
                ]
            )
        self.assertEqual(rows(villages), sorted(expected, key=lambda row: row[0]))
        self.assertEqual(rows(villages)[0][1], self.star.name)
        self.assertEqual(rows(villages)[0][6], "Yes")
        self.assertEqual(rows(villages)[-1][5], "Grey List")
        self.assertEqual(len(villages._charts), 1, "a chart of the scores")
        self.assertFalse(rows(sheets["2024-05 Enterprises"]))

    def test_change_is_blank_without_a_previous_month(self):
        villages = self._bulletin(self.april)["2024-04 Villages & Communities"]
        self.assertEqual([row[3:5] for row in rows(villages)], [[None, None]] * 3)

    def test_escalations_obligations_and_overdue_rectifications(self):
        sheets = self._bulletin(self.may)
        escalation = self.may.escalation_ids
        self.assertEqual(escalation.unit_id, self.weak)
        self.assertEqual(
            rows(sheets["2024-05 Escalations"]),
            [[self.weak.name, "Visit and Guidance", 1, self.manager.name, str(escalation.date_deadline), "Open"]],
        )
        obligations = {row[0]: row[1:] for row in rows(sheets["2024-05 Obligations"])}
        counts = self.env["garbage.obligation"]._read_group(
            [("date_end", ">=", self.may.date_start), ("date_end", "<=", self.may.date_end)],
            ["unit_id", "state"],
            ["__count"],
        )
        expected = {}
        for unit, state, count in counts:
            expected.setdefault(unit.name, [0, 0, 0])[("met", "missed", "pending").index(state)] += count
        self.assertEqual(obligations, expected)
        self.assertEqual(obligations[self.weak.name][1], 1, "the skipped self-inspection is missed")
        self.assertEqual(next(iter(obligations)), self.weak.name, "units with missed obligations first")
        overdue = rows(sheets["2024-05 Overdue Rectifications"])
        self.assertEqual(overdue, [[self.middle.name, "Villages and Communities", 1]])
        self.assertEqual(self._line(self.may, self.middle).overdue_count, 1, "the same count as the assessment")

    def test_several_months_in_one_workbook(self):
        sheets = self._bulletin(self.periods)
        self.assertEqual(len(sheets), 14)
        self.assertEqual([name[:7] for name in sheets], ["2024-04"] * 7 + ["2024-05"] * 7)

    def test_chinese_headers_follow_the_user_language(self):
        sheets = list(self._bulletin(self.may, lang="zh_CN").values())
        env_zh = self.env(context=dict(self.env.context, lang="zh_CN"))
        self.assertEqual(headers(sheets[0])[:3], [env_zh._("Rank"), env_zh._("Unit"), env_zh._("Score")])
        results = dict(self.env["garbage.assessment"]._fields["result"]._description_selection(env_zh))
        self.assertIn(results["grey"], [row[5] for row in rows(sheets[0])])
        self.assertTrue(sheets[0].title.startswith("2024-05 " + env_zh._("Villages & Communities")[:10]))

    def test_access_and_published_only(self):
        with self.assertRaises(AccessError):
            self.may.with_user(self.liaison)._check_bulletin_access()
        draft = self.Period.create({"date_start": month(2024, 6)})
        with self.assertRaises(UserError):
            draft._check_bulletin_access()
        action = self.periods.with_user(self.leader).action_download_bulletin()
        self.assertEqual(action["type"], "ir.actions.act_url")
        self.assertEqual(action["url"], f"/garbage_sorting/bulletin?period_ids={self.april.id}%2C{self.may.id}")

    def test_list_button_downloads_the_selected_months(self):
        arch = self.env["garbage.assessment.period"].with_user(self.leader).get_views([(False, "list")])
        self.assertIn('name="action_download_bulletin"', arch["views"]["list"]["arch"])
        arch = self.env["garbage.assessment.period"].with_user(self.liaison).get_views([(False, "list")])
        self.assertNotIn("action_download_bulletin", arch["views"]["list"]["arch"])
        with self.assertRaises(AccessError):
            self.periods.with_user(self.liaison).action_download_bulletin()

    def test_one_query_per_sheet_whatever_the_units(self):
        Bulletin = self.env["report.garbage_sorting.monthly_bulletin"].with_user(self.manager)
        Bulletin._get_sheets(self.periods)  # warm the registry's caches
        self.env.invalidate_all()
        with self.assertQueryCount(11):  # two months: one query per sheet, none per unit
            Bulletin._get_sheets(self.periods)


@tagged("post_install", "-at_install")
class TestAnnualEvaluation(AssessmentCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.star, cls.grey, cls.other = cls._units(3, "community", prefix="C")
        cls.grey.user_ids = [(4, cls.liaison.id)]
        for number, grey_score in ((3, 65), (4, 60), (5, 80)):
            cls._publish_month(cls, month(2024, number), [(cls.star, 96), (cls.grey, grey_score), (cls.other, 85)])
        cls.annuals = cls.env["garbage.unit.annual"].search([("year", "=", 2024)])

    def test_xlsx_figures_match_the_annual_records(self):
        self.manager.lang = "en_US"
        selected = self.annuals[:1].with_user(self.manager)
        sheets = read_workbook(selected._get_evaluation_records()._get_evaluation_xlsx())
        self.assertEqual(list(sheets), ["2024"])
        sheet = sheets["2024"]
        self.assertEqual(
            headers(sheet),
            [
                "Unit",
                "Peer Group",
                "Red Listings",
                "Grey Listings",
                "Red Flags Won",
                "Longest Red Run",
                "One-Vote Veto",
                "Recommended",
            ],
        )
        figures = {row[0]: row for row in rows(sheet)}
        self.assertEqual(set(figures), {self.star.name, self.grey.name, self.other.name})
        for annual in self.annuals:
            self.assertEqual(
                figures[annual.unit_id.name][2:6],
                [annual.red_count, annual.grey_count, annual.flag_count, annual.longest_red_streak],
            )
        self.assertEqual(figures[self.star.name][1:], ["Villages and Communities", 3, 0, 3, 3, None, "Yes"])
        self.assertEqual(figures[self.grey.name][3], 2)
        self.assertEqual(figures[self.grey.name][6:], ["Yes", None])

    def test_chinese_headers(self):
        self.manager.lang = "zh_CN"
        sheet = read_workbook(self.annuals.with_user(self.manager)._get_evaluation_xlsx())["2024"]
        env_zh = self.env(context=dict(self.env.context, lang="zh_CN"))
        self.assertEqual(headers(sheet)[:3], [env_zh._("Unit"), env_zh._("Peer Group"), env_zh._("Red Listings")])
        peer_groups = dict(self.env["garbage.unit"]._fields["peer_group"]._description_selection(env_zh))
        self.assertEqual({row[1] for row in rows(sheet)}, {peer_groups["village_community"]})

    def test_liaison_gets_own_units_only_and_not_others(self):
        own = self.annuals.filtered(lambda annual: annual.unit_id == self.grey).with_user(self.liaison)
        self.assertEqual(own._get_evaluation_records().unit_id, self.grey)
        other = self.annuals.filtered(lambda annual: annual.unit_id == self.star).with_user(self.liaison)
        with self.assertRaises(AccessError):
            other._get_evaluation_records()

    def test_pdf_report_html_lists_units_and_figures(self):
        html = (
            self.env["ir.actions.report"]
            .with_user(self.manager)
            .with_context(lang="en_US")
            ._render_qweb_html("garbage_sorting.garbage_unit_annual_evaluation_report", self.annuals[:1].ids)[0]
            .decode()
        )
        self.assertIn("Annual award evaluation", html)
        self.assertEqual(html.count("o_annual_evaluation_row"), 3)
        for unit in (self.star, self.grey, self.other):
            self.assertIn(unit.name, html)
        star_row = html.split(self.star.name, 1)[1].split("</tr>", 1)[0]
        self.assertEqual(
            [cell.split("</span>")[0].rsplit(">", 1)[-1] for cell in star_row.split("<td>")[1:]][1:5],
            ["3", "0", "3", "3"],
        )

    def test_action_url(self):
        first, second = self.annuals[:2]
        action = (first | second).with_user(self.manager).action_download_evaluation_xlsx()
        self.assertEqual(action["url"], f"/garbage_sorting/annual_evaluation?annual_ids={first.id}%2C{second.id}")


@tagged("post_install", "-at_install")
class TestVolunteerHoursReport(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        setup_volunteers(cls)
        cls.leader = new_test_user(cls.env, login="gs_hr_leader", groups="garbage_sorting.garbage_sorting_group_leader")
        cls.liaison = new_test_user(
            cls.env, login="gs_hr_liaison", groups="garbage_sorting.garbage_sorting_group_liaison"
        )
        Hour = cls.env["garbage.volunteer.hour"]
        entries = [
            (cls.volunteer, cls.unit, date(2024, 5, 3), 2.5, "approved"),
            (cls.volunteer, cls.unit, date(2024, 5, 10), 1.5, "approved"),
            (cls.volunteer, cls.other_unit, date(2024, 5, 11), 3.0, "approved"),
            (cls.other_volunteer, cls.unit, date(2024, 5, 12), 4.0, "approved"),
            (cls.other_volunteer, cls.unit, date(2024, 5, 13), 6.0, "submitted"),  # not approved
            (cls.volunteer, cls.unit, date(2024, 6, 1), 5.0, "approved"),  # outside the range
        ]
        cls.hours = Hour.create(
            [
                {"partner_id": partner.id, "unit_id": unit.id, "date": day, "hours": hours, "state": state}
                for partner, unit, day, hours, state in entries
            ]
        )

    def test_approved_hours_per_volunteer_and_unit(self):
        self.coordinator.lang = "en_US"
        Report = self.env["garbage.volunteer.hour.report"].with_user(self.coordinator)
        sheets = read_workbook(Report._get_xlsx(date(2024, 5, 1), date(2024, 5, 31)))
        self.assertEqual(list(sheets), ["By Volunteer", "By Unit"])
        self.assertEqual(headers(sheets["By Volunteer"]), ["Volunteer", "Category", "Entries", "Hours"])
        self.assertEqual(
            rows(sheets["By Volunteer"]),
            [[self.volunteer.name, "Teacher", 3, 7.0], [self.other_volunteer.name, "Teacher", 1, 4.0]],
        )
        self.assertEqual(headers(sheets["By Unit"]), ["Unit", "Volunteers", "Entries", "Hours"])
        self.assertEqual(rows(sheets["By Unit"]), [[self.unit.name, 2, 3, 8.0], [self.other_unit.name, 1, 1, 3.0]])

    def test_chinese_headers(self):
        self.leader.lang = "zh_CN"
        sheets = read_workbook(
            self.env["garbage.volunteer.hour.report"]
            .with_user(self.leader)
            ._get_xlsx(date(2024, 5, 1), date(2024, 5, 31))
        )
        env_zh = self.env(context=dict(self.env.context, lang="zh_CN"))
        self.assertEqual(list(sheets), [env_zh._("By Volunteer"), env_zh._("By Unit")])
        self.assertEqual(headers(next(iter(sheets.values())))[-1], env_zh._("Hours"))

    def test_wizard_checks_dates_and_roles(self):
        with self.assertRaises(ValidationError):
            self.env["garbage.volunteer.hour.report"].with_user(self.coordinator).create(
                {"date_from": date(2024, 5, 31), "date_to": date(2024, 5, 1)}
            )
        form = Form(self.env["garbage.volunteer.hour.report"].with_user(self.coordinator))
        form.date_from, form.date_to = date(2024, 5, 1), date(2024, 5, 31)
        action = form.save().action_download()
        self.assertEqual(action["url"], "/garbage_sorting/volunteer_hours?date_from=2024-05-01&date_to=2024-05-31")
        with self.assertRaises(AccessError):
            self.env["garbage.volunteer.hour.report"].with_user(self.liaison)._get_xlsx(
                date(2024, 5, 1), date(2024, 5, 31)
            )
