import re

from dateutil.relativedelta import relativedelta
from lxml import etree

from odoo import fields
from odoo.exceptions import UserError
from odoo.tests import HttpCase, TransactionCase, new_test_user, tagged
from odoo.tools.safe_eval import safe_eval

from .common import GROUP, AssessmentCase, first_town_env, month
from .test_reports_xlsx import read_workbook, rows


def login(case, user_login):
    """Log in through the real form (password = login) and return the final response."""
    case.opener.cookies.clear()
    page = case.url_open("/web/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    return case.url_open(
        "/web/login", data={"login": user_login, "password": user_login, "csrf_token": token}, allow_redirects=True
    )


@tagged("post_install", "-at_install")
class TestLanding(HttpCase):
    """Each demo role lands on its work after login, not on Discuss."""

    def _home_action(self):
        info = self.make_jsonrpc_request("/web/session/get_session_info")
        return info["home_action_id"]

    def test_each_demo_role_lands_on_its_work(self):
        expected = {
            "taskforce": "garbage_sorting.garbage_assessment_period_action",
            "leader": "garbage_sorting.garbage_escalation_action",
            "inspector": "garbage_sorting.garbage_inspection_action",
            "coordinator": "garbage_sorting.garbage_volunteer_duty_action",
            "liaison": "garbage_sorting.garbage_obligation_action",
        }
        for user_login, xmlid in expected.items():
            with self.subTest(login=user_login):
                response = login(self, user_login)
                self.assertTrue(response.url.endswith("/odoo"), response.url)
                self.assertEqual(self._home_action(), self.env.ref(xmlid).id)

    def test_a_new_user_lands_by_group_and_a_chosen_home_action_wins(self):
        user = new_test_user(self.env, login="t_new_inspector", password="t_new_inspector", groups=GROUP + "inspector")
        login(self, "t_new_inspector")
        self.assertEqual(self._home_action(), self.env.ref("garbage_sorting.garbage_inspection_action").id)
        own = self.env.ref("garbage_sorting.garbage_rectification_action")
        user.action_id = own.id
        self.assertEqual(self._home_action(), own.id)

    def test_a_plain_employee_keeps_odoo_default(self):
        new_test_user(self.env, login="t_employee", password="t_employee", groups="base.group_user")
        login(self, "t_employee")
        self.assertFalse(self._home_action())

    def test_volunteer_lands_on_their_hours(self):
        response = login(self, "volunteer")
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response.url.endswith("/my/volunteer-hours"), response.url)

    def test_a_portal_user_who_is_no_volunteer_lands_on_the_portal_home(self):
        new_test_user(self.env, login="t_portal", password="t_portal", groups="base.group_portal")
        response = login(self, "t_portal")
        self.assertTrue(response.url.endswith("/my"), response.url)


@tagged("post_install", "-at_install")
class TestListDefaults(TransactionCase):
    """Every main list opens on what its user needs today."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = first_town_env(cls.env)

    def _action(self, xmlid):
        return self.env["ir.actions.act_window"]._for_xml_id(xmlid)

    def _filter_domain(self, model, name, user):
        arch = self.env[model].with_user(user).get_views([(False, "search")])["views"]["search"]["arch"]
        node = etree.fromstring(arch).xpath(f"//filter[@name='{name}']")[0]
        today = fields.Date.context_today(self.env.user)
        return safe_eval(
            node.get("domain"), {"context_today": lambda: today, "uid": user.id, "relativedelta": relativedelta}
        )

    def _context(self, xmlid):
        return safe_eval(self._action(xmlid)["context"], {"uid": self.env.uid})

    def test_inspector_opens_own_inspections_of_this_month(self):
        context = self._context("garbage_sorting.garbage_inspection_action")
        self.assertEqual(context.get("search_default_my"), 1)
        self.assertEqual(context.get("search_default_filter_date"), 1)
        arch = self.env["garbage.inspection"].get_views([(False, "search")])["views"]["search"]["arch"]
        node = etree.fromstring(arch).xpath("//filter[@name='filter_date']")[0]
        self.assertEqual(node.get("date"), "date")
        self.assertIn(node.get("default_period", "month"), ("month", "this_month"))

    def test_duties_open_on_upcoming_soonest_first(self):
        coordinator = new_test_user(self.env, login="t_coord_l", groups=GROUP + "coordinator")
        self.assertEqual(self._context("garbage_sorting.garbage_volunteer_duty_action")["search_default_upcoming"], 1)
        domain = self._filter_domain("garbage.volunteer.duty", "upcoming", coordinator)
        duties = self.env["garbage.volunteer.duty"].with_user(coordinator).search(domain)
        today = fields.Date.context_today(self.env.user)
        self.assertTrue(all(duty.date >= today and duty.state == "planned" for duty in duties))
        arch = self.env["garbage.volunteer.duty"].get_views([(False, "list")])["views"]["list"]["arch"]
        self.assertTrue(etree.fromstring(arch).get("default_order").startswith("date,"))

    def test_liaison_opens_current_obligations_with_a_helpful_empty_state(self):
        liaison = self.env.ref("garbage_sorting.user_liaison_demo")
        action = self._action("garbage_sorting.garbage_obligation_action")
        self.assertEqual(self._context("garbage_sorting.garbage_obligation_action"), {"search_default_current": 1})
        self.assertIn("current period", action["help"])
        domain = self._filter_domain("garbage.obligation", "current", liaison)
        today = fields.Date.context_today(self.env.user)
        for obligation in self.env["garbage.obligation"].with_user(liaison).search(domain):
            self.assertLessEqual(obligation.date_start, today)
            self.assertGreaterEqual(obligation.date_end, today)

    def test_annual_evaluation_opens_on_latest_year_grouped_and_expanded(self):
        # The latest year's records at once, flat: grouped by the year, Odoo would print the group's year as a
        # number ("2,026") in the year column.
        context = self._context("garbage_sorting.garbage_unit_annual_action")
        self.assertEqual(context, {"search_default_latest_year": 1})
        list_arch = etree.fromstring(
            self.env["garbage.unit.annual"].get_views([(False, "list")])["views"]["list"]["arch"]
        )
        self.assertEqual(list_arch.get("expand"), "1")
        self.assertEqual(list_arch.get("decoration-danger"), "veto")
        self.assertEqual(list_arch.get("decoration-success"), "recommended")
        # No sum of run lengths in the list.
        for name in ("red_streak", "longest_red_streak"):
            node = list_arch.xpath(f"//field[@name='{name}']")
            self.assertFalse(node and node[0].get("sum"))
            self.assertNotEqual(self.env["garbage.unit.annual"]._fields[name].aggregator, "sum")

    def test_latest_year_filter_as_the_leader(self):
        Annual = self.env["garbage.unit.annual"]
        unit = self.env["garbage.unit"].create({"name": "年度村", "code": "T-YEAR", "unit_type": "village"})
        latest = max(Annual.search([]).mapped("year") or [2000])
        Annual.create([{"unit_id": unit.id, "year": latest + 1}, {"unit_id": unit.id, "year": latest}])
        leader = new_test_user(self.env, login="t_leader_year", groups=GROUP + "leader")
        found = Annual.with_user(leader).search([("is_latest_year", "=", True)])
        self.assertEqual(set(found.mapped("year")), {latest + 1})
        self.assertNotIn(latest + 1, Annual.with_user(leader).search([("is_latest_year", "=", False)]).mapped("year"))

    def test_years_are_not_summed(self):
        # how years are displayed: TestYearsReadAsYears
        for model in ("garbage.assessment.period", "garbage.escalation", "garbage.unit.annual"):
            self.assertFalse(self.env[model]._fields["year"].aggregator, model)

    def test_volunteers_have_their_own_list_kanban_and_form(self):
        # The volunteers action opens their own list, kanban and form, not the company contact form.
        action = self._action("garbage_sorting.res_partner_action_volunteer")
        views = {mode: view_id for view_id, mode in action["views"]}
        self.assertEqual(views["form"], self.env.ref("garbage_sorting.res_partner_view_form_volunteer_only").id)
        self.assertEqual(views["kanban"], self.env.ref("garbage_sorting.res_partner_view_kanban_volunteer").id)
        coordinator = new_test_user(self.env, login="t_coord_form", groups=GROUP + "coordinator")
        arch = (
            self.env["res.partner"].with_user(coordinator).get_views([(views["form"], "form")])["views"]["form"]["arch"]
        )
        form = etree.fromstring(arch)
        self.assertEqual(form.xpath("//header/button")[0].get("name"), "action_volunteer_invite_mobile")
        buttons = [button.get("name") for button in form.xpath("//div[@name='button_box']/button")]
        self.assertEqual(buttons, ["action_view_volunteer_duties", "action_view_volunteer_hours"])
        self.assertFalse(form.xpath("//field[@name='vat']"), "no tax id on a volunteer")
        self.assertFalse(form.xpath("//page[@name='sales_purchases']"))

    def test_volunteer_duty_button_counts_and_opens_their_duties(self):
        coordinator = new_test_user(self.env, login="t_coord_duty", groups=GROUP + "coordinator")
        duty = self.env["garbage.volunteer.duty"].search(
            [("company_id", "=", self.env.company.id), ("state", "!=", "cancelled")], limit=1
        )
        if not duty:
            self.skipTest("no demo duty")
        partner = duty.volunteer_ids[:1].with_user(coordinator)
        self.assertGreaterEqual(partner.volunteer_duty_count, 1)
        action = partner.action_view_volunteer_duties()
        self.assertIn(duty, self.env["garbage.volunteer.duty"].with_user(coordinator).search(action["domain"]))


@tagged("post_install", "-at_install")
class TestMonthsAndUnassessed(AssessmentCase):
    """A period is a month (the one just ended by default); a unit not assessed shows "—", never 0."""

    def test_new_period_defaults_to_the_month_just_ended(self):
        # the month just ended, or the first month after it not assessed yet (test_desk_day)
        today = fields.Date.context_today(self.manager)
        expected = today + relativedelta(day=1, months=-1)
        while self.Period.search_count([("date_start", "=", expected)]):
            expected += relativedelta(months=1)
        defaults = self.Period.default_get(["date_start"])
        self.assertEqual(defaults["date_start"], expected)
        past = self.Period.create({"date_start": month(2001, 1)})
        self.assertEqual(past.name, "2001-01")
        self.assertTrue(past.month_over)
        future = self.Period.create({"date_start": today.replace(day=1) + relativedelta(years=5)})
        self.assertFalse(future.month_over, "a month not yet over is flagged on the form")
        arch = self.Period.get_views([(False, "form")])["views"]["form"]["arch"]
        self.assertIn("min_precision", arch)
        self.assertIn("month_over", arch)

    def test_unassessed_unit_shows_a_dash_in_lists_and_bulletin(self):
        assessed, missing = self._units(2, "village", prefix="D")
        april = self._period_with(month(2024, 4), [(assessed, 90)])
        may = self._period_with(month(2024, 5), [(assessed, 92), (missing, 85)])
        self.assertEqual(self._line(april, missing).result, "none")
        self.manager.lang = "en_US"
        villages = read_workbook(
            self.env["report.garbage_sorting.monthly_bulletin"].with_user(self.manager)._get_xlsx(april | may)
        )
        april_rows = {row[1]: row for row in rows(villages["2024-04 Villages & Communities"])}
        self.assertEqual(april_rows[missing.name][0], "—", "no rank 0")
        self.assertEqual(april_rows[missing.name][2], "—", "no score 0")
        self.assertEqual(april_rows[missing.name][4], "—")
        self.assertEqual(april_rows[assessed.name][2], self._line(april, assessed).score)
        may_rows = {row[1]: row for row in rows(villages["2024-05 Villages & Communities"])}
        # Not assessed in April: no previous score and no "change" against a score of 0.
        self.assertEqual(may_rows[missing.name][3], "—")
        self.assertIsNone(may_rows[missing.name][4])
        self.assertEqual(
            may_rows[assessed.name][4], round(may_rows[assessed.name][2] - april_rows[assessed.name][2], 2)
        )
        # Lists hide the score and rank of a unit not assessed.
        for view in (
            self.env["garbage.assessment"].get_views([(False, "list")])["views"]["list"]["arch"],
            self.Period.get_views([(False, "form")])["views"]["form"]["arch"],
        ):
            for node in etree.fromstring(view).xpath("//list//field[@name='score'] | //list//field[@name='rank']"):
                self.assertEqual(node.get("invisible"), "result == 'none'")

    def _period_with(self, start, units_scores):
        self._month_all_sources(units_scores, start)
        period = self.Period.create({"date_start": start})
        period.action_compute()
        period.sudo()._publish_confirmed(note="test")
        return period


@tagged("post_install", "-at_install")
class TestTownDashboardAtAGlance(AssessmentCase):
    """Search flags for the latest published month (obligations ending in it, hours served in it)."""

    def test_latest_month_flags_of_obligations_and_hours(self):
        latest = self.env["garbage.assessment.period"]._get_latest_published()
        Obligation = self.env["garbage.obligation"].with_user(self.leader)
        Hour = self.env["garbage.volunteer.hour"].with_user(self.leader)
        obligations = Obligation.search([("in_latest_published_month", "=", True)])
        hours = Hour.search([("in_latest_published_month", "=", True)])
        if latest:
            self.assertTrue(all(latest.date_start <= o.date_end <= latest.date_end for o in obligations))
            self.assertTrue(all(latest.date_start <= h.date <= latest.date_end for h in hours))
            self.assertTrue(all(o.in_latest_published_month for o in obligations))
        others = Obligation.search([("in_latest_published_month", "=", False)])
        self.assertFalse(obligations & others)
        with self.assertRaises(UserError):
            Hour.search([("in_latest_published_month", "in", [True])])


@tagged("post_install", "-at_install")
class TestYearsReadAsYears(TransactionCase):
    def test_every_year_shows_without_a_thousands_separator(self):
        """Odoo 18 formats an integer with the language's thousands separator ("2,026") unless the integer widget
        is told not to: a list cell only reads the option through the widget."""
        unformatted = []
        views = self.env["ir.ui.view"].search(
            [("type", "in", ("list", "form")), ("model", "=like", "garbage.%")]
        ) | self.env["ir.ui.view"].search([("type", "in", ("list", "form")), ("model", "=like", "party.%")])
        for view in views:
            Model = self.env[view.model]
            arch = etree.fromstring(Model.get_views([(view.id, view.type)])["views"][view.type]["arch"])
            for node in arch.iter("field"):
                # a field of a sub-view (an x2many's list) belongs to the x2many's model
                model = Model
                for ancestor in reversed(list(node.iterancestors("field"))):
                    model = self.env[model._fields[ancestor.get("name")].comodel_name]
                field = model._fields.get(node.get("name"))
                if not field or field.type != "integer" or field.name != "year":
                    continue
                if node.get("invisible") in ("1", "True") or node.get("column_invisible") in ("1", "True"):
                    continue
                if node.get("widget") != "integer" or "'enable_formatting': false" not in (node.get("options") or ""):
                    unformatted.append(f"{view.xml_id or view.name}: {model._name}.{field.name}")
        self.assertEqual(unformatted, [])
