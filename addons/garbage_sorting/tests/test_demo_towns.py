from odoo.exceptions import AccessError
from odoo.tests import HttpCase, TransactionCase, tagged
from odoo.tests.common import JsonRpcException

FIRST_TOWN_LOGINS = ("taskforce", "leader", "inspector", "liaison", "coordinator")
SECOND_TOWN_LOGINS = ("taskforce2", "leader2", "inspector2", "liaison2", "coordinator2")
TOWN_MODELS = ("garbage.unit", "garbage.bin.site", "garbage.inspection", "garbage.assessment.period")


class DemoTownsChecks:
    """The demo district: XX镇 (the first town) and 石塘镇 (a small second town) under one district office, each
    town's logins inside their own town, each town's lists ranked among its own units."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        ref = cls.env.ref
        cls.district = ref("garbage_sorting.res_company_district_demo")
        cls.first_town = ref("base.main_company")
        cls.second_town = ref("garbage_sorting.res_company_shitang_demo")
        cls.users = cls.env["res.users"].search([("login", "in", FIRST_TOWN_LOGINS + SECOND_TOWN_LOGINS)])

    def _user(self, login):
        return self.users.filtered(lambda user: user.login == login)

    def test_two_towns_under_one_district(self):
        self.assertFalse(self.district.parent_id)
        self.assertEqual(self.first_town.parent_id, self.district)
        self.assertEqual(self.second_town.parent_id, self.district)
        self.assertEqual(self.first_town.root_id, self.district)
        self.assertEqual(
            self.env["res.company"].search([("id", "child_of", self.district.id)]),
            self.district | self.first_town | self.second_town,
        )
        district_user = self.env.ref("garbage_sorting.user_district_demo")
        self.assertEqual(district_user.company_id, self.district)
        self.assertEqual(district_user.company_ids, self.district | self.first_town | self.second_town)
        # 石塘镇 started from the district's checklist and cadence rules, copies of its own (the waste-sorting
        # ones: its party side is not in the demo)
        Rule = self.env["garbage.obligation.rule"]
        town_rules = set(Rule.search([("company_id", "=", self.second_town.id)]).mapped("name"))
        self.assertLessEqual(town_rules, set(Rule.search([("company_id", "=", self.district.id)]).mapped("name")))
        self.assertIn(self.env.ref("garbage_sorting.garbage_obligation_rule_self_inspection").name, town_rules)
        units = self.env["garbage.unit"].search([("company_id", "=", self.second_town.id)])
        self.assertEqual(len(units), 8)
        self.assertEqual(set(units.mapped("peer_group")), {"village_community", "agency_institution", "enterprise"})

    def test_each_towns_logins_see_only_their_town(self):
        for logins, town, other in (
            (FIRST_TOWN_LOGINS, self.first_town, self.second_town),
            (SECOND_TOWN_LOGINS, self.second_town, self.first_town),
        ):
            for login in logins:
                user = self._user(login)
                with self.subTest(login=login):
                    self.assertEqual(user.company_ids, town)
                    self.assertEqual(user.lang, "zh_CN")
                    self.assertEqual(user.tz, "Asia/Shanghai")
                    for model in TOWN_MODELS:
                        records = self.env[model].with_user(user).search([])
                        self.assertTrue(records, f"{login} sees no {model}")
                        self.assertEqual(records.company_id, town, f"{login} sees another town's {model}")
                    # another town's unit, asked by id: refused
                    foreign = self.env["garbage.unit"].search([("company_id", "=", other.id)], limit=1)
                    with self.assertRaises(AccessError):
                        foreign.with_user(user).read(["name"])
                    # nor can they switch to the other town
                    with self.assertRaises(AccessError):
                        self.env["garbage.unit"].with_user(user).with_context(allowed_company_ids=other.ids).search([])

    def test_second_town_publishes_its_own_red_and_grey(self):
        taskforce = self._user("taskforce2")
        Period = self.env["garbage.assessment.period"].with_user(taskforce)
        latest = Period._get_latest_published()
        self.assertEqual(latest.company_id, self.second_town)
        self.assertEqual(latest.publish_confirmed_by_id, self.env["res.users"], "every unit inspected")
        lines = latest.line_ids
        self.assertEqual(lines.unit_id.company_id, self.second_town)
        self.assertEqual(len(lines), 8)
        ref = self.env.ref
        self.assertEqual(
            lines.filtered(lambda line: line.result == "red").unit_id,
            ref("garbage_sorting.garbage_unit_shitang_shanglin_demo"),
            [(line.unit_id.name, line.score, line.result, line.deductions) for line in lines],
        )
        self.assertEqual(
            lines.filtered(lambda line: line.result == "grey").unit_id,
            ref("garbage_sorting.garbage_unit_shitang_xikou_demo"),
        )
        # ranked among its own five villages and communities, not among the district's
        villages = lines.filtered(lambda line: line.peer_group == "village_community")
        self.assertEqual(sorted(villages.mapped("rank")), [1, 2, 3, 4, 5])
        # its grey unit is visited by its own task force head
        escalation = self.env["garbage.escalation"].with_user(taskforce).search([("period_id", "=", latest.id)])
        self.assertEqual(escalation.unit_id, ref("garbage_sorting.garbage_unit_shitang_xikou_demo"))
        self.assertEqual(escalation.company_id, self.second_town)
        # computed again, the month's lists are the published ones
        before = sorted((line.unit_id.id, line.score, line.rank, line.result) for line in lines)
        latest.action_reopen()
        latest.action_compute()
        self.env.invalidate_all()
        self.assertEqual(
            sorted((line.unit_id.id, line.score, line.rank, line.result) for line in latest.line_ids), before
        )
        # its last month is computed, waiting for its task force: unpublished
        newest = Period.search([], order="date_start desc", limit=1)
        self.assertEqual(newest.state, "computed")
        self.assertGreater(newest.date_start, latest.date_start)

    def test_second_towns_reminders_stay_in_it(self):
        """Its units without a liaison login are reminded through its own task-force head, not the first
        town's."""
        obligations = self.env["garbage.obligation"].search([("company_id", "=", self.second_town.id)])
        activities = self.env["mail.activity"].search(
            [("res_model", "=", "garbage.obligation"), ("res_id", "in", obligations.ids)]
        )
        self.assertTrue(activities)
        self.assertEqual(activities.user_id.company_ids, self.second_town)
        self.assertIn(self._user("taskforce2"), activities.user_id)

    def test_first_towns_figures_are_its_own(self):
        taskforce = self._user("taskforce")
        latest = self.env["garbage.assessment.period"].with_user(taskforce)._get_latest_published()
        self.assertEqual(latest.company_id, self.first_town)
        units = self.env["garbage.unit"].search([("company_id", "=", self.first_town.id)])
        self.assertEqual(latest.line_ids.unit_id, units)
        for group in set(units.mapped("peer_group")):
            ranks = latest.line_ids.filtered(lambda line, group=group: line.peer_group == group).mapped("rank")
            self.assertLessEqual(max(ranks), len(units.filtered(lambda unit, group=group: unit.peer_group == group)))

        def figures():
            return sorted((line.unit_id.id, line.score, line.rank, line.result) for line in latest.line_ids)

        before = figures()
        counts = {
            result: len(latest.line_ids.filtered(lambda line, r=result: line.result == r)) for result in ("red", "grey")
        }
        # computed again from its own units only, the month's lists are the published ones
        latest.action_reopen()
        latest.action_compute()
        self.env.invalidate_all()
        self.assertEqual(figures(), before)
        self.assertEqual(
            counts,
            {
                result: len(latest.line_ids.filtered(lambda line, r=result: line.result == r))
                for result in ("red", "grey")
            },
        )


@tagged("post_install", "-at_install")
class TestDemoTowns(DemoTownsChecks, TransactionCase):
    pass


@tagged("post_install", "-at_install")
class TestDemoTownsOverHttp(HttpCase):
    """The boundary tried by hand, as the README tells: the second town's liaison in the web client, its
    volunteer in the portal."""

    def _search_read_units(self, allowed_company_ids):
        return self.make_jsonrpc_request(
            "/web/dataset/call_kw/garbage.unit/search_read",
            {
                "model": "garbage.unit",
                "method": "search_read",
                "args": [],
                "kwargs": {
                    "domain": [],
                    "fields": ["name", "company_id"],
                    "context": {"lang": "zh_CN", "allowed_company_ids": allowed_company_ids},
                },
            },
        )

    def test_second_towns_liaison_reads_only_its_units(self):
        town = self.env.ref("garbage_sorting.res_company_shitang_demo")
        self.authenticate("liaison2", "liaison2")
        units = self._search_read_units(town.ids)
        names = {unit["name"] for unit in units}
        self.assertIn("上林村", names)
        self.assertNotIn("青山村", names)
        self.assertEqual({unit["company_id"][0] for unit in units}, {town.id})
        # asking for the first town's records by switching to it: refused
        with self.assertRaises(JsonRpcException):
            self._search_read_units(self.env.ref("base.main_company").ids)

    def test_second_towns_volunteer_sees_only_her_hours(self):
        self.authenticate("volunteer2", "volunteer2")
        page = self.url_open("/my/volunteer-hours")
        self.assertEqual(page.status_code, 200)
        self.assertIn("上林村", page.text)
        for first_town_place in ("青山村", "滨河社区"):
            self.assertNotIn(first_town_place, page.text)
