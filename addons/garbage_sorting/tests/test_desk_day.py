import math

from dateutil.relativedelta import relativedelta
from lxml import etree

from odoo.exceptions import AccessError
from odoo.tests import Form, TransactionCase, new_test_user, tagged
from odoo.tools.safe_eval import safe_eval

from ..models.garbage_guard_mixin import town_today
from .common import GROUP, AssessmentCase, GarbageSortingCase, month


def arch_of(model, view_type, view_id=False):
    return etree.fromstring(model.get_views([(view_id, view_type)])["views"][view_type]["arch"])


@tagged("post_install", "-at_install")
class TestTaskForceDesk(AssessmentCase):
    """The task force's and the leader's months: a new month that can be assessed, one confirmation to publish,
    ranks by peer group, a red flag that is no toggle, the red/grey list of a month apart from the analysis."""

    def test_new_period_defaults_to_a_month_still_to_assess(self):
        last_month = town_today(self.env) + relativedelta(day=1, months=-1)
        Period = self.Period.with_user(self.manager)
        default = Period.default_get(["date_start"])["date_start"]
        self.assertFalse(Period.search([("date_start", "=", default)]), "never a month already assessed")
        self.assertGreaterEqual(default, last_month)
        if default == last_month:
            Period.create({"date_start": default})
        taken = Period.default_get(["date_start"])["date_start"]
        self.assertFalse(Period.search([("date_start", "=", taken)]))
        Period.create({"date_start": taken})
        self.assertEqual(Period.default_get(["date_start"])["date_start"], taken + relativedelta(months=1))

    def test_publishing_asks_once(self):
        form = arch_of(self.Period.with_user(self.manager), "form")
        buttons = form.xpath("//header/button[@name='action_publish']")
        self.assertEqual(len(buttons), 2)
        confirming = [button for button in buttons if button.get("confirm")]
        self.assertEqual(len(confirming), 1)
        # the generic confirmation only where no wizard follows (the model's publish warnings: a month not over,
        # units the town did not inspect), the wizard alone otherwise
        for month_over, uninspected in ((True, 0), (False, 0), (True, 2), (False, 2)):
            values = {"state": "computed", "month_over": month_over, "uninspected_count": uninspected}
            visible = [button for button in buttons if not safe_eval(button.get("invisible"), values)]
            self.assertEqual(len(visible), 1, values)
            self.assertEqual(bool(visible[0].get("confirm")), month_over and not uninspected, values)
        # the wizard names the uninspected units once (in its text), not again as tags
        wizard = arch_of(self.env["garbage.assessment.publish.wizard"].with_user(self.manager), "form")
        self.assertFalse(wizard.xpath("//field[@name='uninspected_unit_ids']"))
        self.assertIn("grey-list escalations", etree.tostring(wizard, encoding="unicode"))
        # a month with units the town did not inspect: the button opens the wizard, nothing is published
        inspected, absent = self._units(2, "village", prefix="ONE")
        self._inspect([(inspected, "patrol", month(2003, 4).replace(day=10), 95)])
        period = self.Period.create({"date_start": month(2003, 4)})
        period.action_compute()
        self.assertGreater(period.uninspected_count, 0)
        action = period.with_user(self.manager).action_publish()
        self.assertEqual(action["res_model"], "garbage.assessment.publish.wizard")
        self.assertEqual(period.state, "computed")

    def test_ranks_read_by_peer_group_and_rank(self):
        villages = self._units(3, "village", prefix="RV")
        communities = self._units(3, "community", prefix="RC")
        scores = list(zip(villages, (97, 80, 91), strict=True)) + list(zip(communities, (70, 99, 85), strict=True))
        period = self._publish_month(month(2003, 6), scores)
        list_view = arch_of(self.env["garbage.assessment"].with_user(self.leader), "list")
        order = list_view.get("default_order")
        rows = (
            self.env["garbage.assessment"]
            .with_user(self.leader)
            .search([("period_id", "=", period.id), ("unit_id", "in", (villages | communities).ids)], order=order)
        )
        by_group = {}
        for row in rows:
            by_group.setdefault(row.peer_group, []).append(row.rank)
        for peer_group, ranks in by_group.items():
            self.assertEqual(ranks, sorted(ranks), peer_group)
        self.assertEqual(rows.mapped("peer_group"), sorted(rows.mapped("peer_group")), "one peer group after another")
        # the month's form lists them the same way
        form = arch_of(self.Period.with_user(self.leader), "form")
        for page in ("village_line_ids", "agency_line_ids"):
            self.assertEqual(
                form.xpath(f"//field[@name='{page}']/list")[0].get("default_order"), "peer_group, rank, unit_id"
            )

    def test_red_flag_is_shown_not_toggled(self):
        for model in ("garbage.assessment", "garbage.assessment.period"):
            for view_type in ("list", "form"):
                arch = arch_of(self.env[model].with_user(self.leader), view_type)
                for node in arch.xpath("//field[@name='red_flag']"):
                    self.assertNotEqual(node.get("widget"), "boolean_toggle", model)
                    self.assertEqual(node.get("readonly"), "1", model)
        line = self.env["garbage.assessment"].search([], limit=1)
        if line:
            with self.assertRaises(AccessError):
                line.with_user(self.leader).write({"red_flag": not line.red_flag})

    def test_results_are_a_list_of_the_latest_month_and_the_analysis_a_pivot(self):
        Action = self.env["ir.actions.act_window"]
        results = Action._for_xml_id("garbage_sorting.garbage_assessment_action")
        analysis = Action._for_xml_id("garbage_sorting.garbage_assessment_action_analysis")
        self.assertEqual(results["views"][0][1], "list")
        self.assertEqual(analysis["views"][0][1], "pivot")
        context = safe_eval(results["context"])
        self.assertEqual(context["search_default_latest_published"], 1)
        self.assertEqual(context["search_default_group_peer_group"], 1)
        search = arch_of(self.env["garbage.assessment"].with_user(self.leader), "search")
        domain = safe_eval(search.xpath("//filter[@name='latest_published']")[0].get("domain"))
        latest = self.Period._get_latest_published()
        lines = self.env["garbage.assessment"].with_user(self.leader).search(domain)
        self.assertEqual(lines.period_id, latest)
        self.assertEqual(arch_of(self.env["garbage.assessment"], "list").get("expand"), "1")

    def test_annual_list_shows_vetoed_then_recommended_first(self):
        vetoed, recommended, plain = self._units(3, "village", prefix="YR")
        Annual = self.env["garbage.unit.annual"]
        Annual.create(
            [
                {"unit_id": plain.id, "year": 2003, "red_count": 5},
                {"unit_id": recommended.id, "year": 2003, "recommended": True, "red_count": 3},
                {"unit_id": vetoed.id, "year": 2003, "veto": True, "grey_count": 2},
            ]
        )
        order = arch_of(Annual.with_user(self.leader), "list").get("default_order")
        rows = Annual.with_user(self.leader).search(
            [("year", "=", 2003), ("unit_id", "in", (vetoed | recommended | plain).ids)], order=order
        )
        self.assertEqual(rows.unit_id, vetoed | recommended | plain)
        self.assertEqual(rows.mapped("unit_id").ids, [vetoed.id, recommended.id, plain.id])


@tagged("post_install", "-at_install")
class TestLiaisonDesk(GarbageSortingCase):
    """The liaison at the desk: obligations open onto what counted, pending first; a rectification says whom to
    call; the unit's users show on its form; the only checklist is preselected."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.own_unit.write(
            {"user_ids": [(4, cls.liaison.id)], "liaison_id": cls.liaison.partner_id.id, "street": "一组"}
        )
        cls.liaison.partner_id.phone = "13900000001"
        cls.Obligation = cls.env["garbage.obligation"]
        cls.rule = cls.env["garbage.obligation.rule"].create(
            {
                "name": "Monthly self-inspection (desk)",
                "counted_model": "garbage.inspection",
                "domain": "[('source', '=', 'self'), ('state', '=', 'done')]",
                "date_field": "date",
                "unit_field": "unit_id",
                "unit_domain": f"[('id', 'in', {(cls.own_unit | cls.other_unit).ids})]",
                "period": "monthly",
                "min_count": 2,
            }
        )

    def test_an_obligation_opens_onto_what_counted_and_what_is_missing(self):
        today = town_today(self.env)
        inspection = self._inspection(self.own_unit, user=self.liaison, date=today)
        inspection.with_user(self.liaison).action_done()
        other = self._inspection(self.other_unit, date=today)
        other.action_done()
        obligations = self.Obligation._sync(today, self.rule)
        own = obligations.filtered(lambda o: o.unit_id == self.own_unit).with_user(self.liaison)
        self.assertEqual((own.done, own.state), (1, "pending"))
        self.assertIn(inspection.display_name, own.counted_summary)
        self.assertNotIn(other.display_name, own.counted_summary, "another unit's inspection did not count")
        self.assertIn("1", own.counted_summary)  # still missing: 1
        action = own.action_view_counted()
        self.assertEqual(self.env[action["res_model"]].with_user(self.liaison).search(action["domain"]), inspection)
        form = arch_of(self.Obligation.with_user(self.liaison), "form")
        self.assertTrue(form.xpath("//field[@name='counted_summary']"))
        self.assertTrue(form.xpath("//button[@name='action_view_counted']"))
        # the figures stay the engine's
        with self.assertRaises(AccessError):
            own.write({"done": 2})

    def test_pending_obligations_come_first(self):
        today = town_today(self.env)
        for _count in range(2):
            self._inspection(self.other_unit, date=today).action_done()
        self.Obligation._sync(today, self.rule)
        self.Obligation._sync(today - relativedelta(months=2), self.rule)  # a past month: missed
        order = arch_of(self.Obligation.with_user(self.manager), "list").get("default_order")
        self.assertTrue(order.startswith("is_pending desc"))
        rows = self.Obligation.with_user(self.manager).search([("rule_id", "=", self.rule.id)], order=order)
        states = rows.mapped("state")
        self.assertEqual(set(states), {"pending", "met", "missed"})
        first_other = next(index for index, state in enumerate(states) if state != "pending")
        self.assertNotIn("pending", states[first_other:])
        self.assertEqual(rows.filtered("is_pending"), rows.filtered(lambda o: o.state == "pending"))

    def test_a_rectification_says_whom_to_call(self):
        inspection = self._inspection(self.own_unit, source="patrol", user=self.inspector)
        inspection.line_ids[:1].with_user(self.inspector).write({"score": 0, "remark": "桶盖破损"})
        inspection.with_user(self.inspector).action_done()
        rectification = inspection.rectification_ids.with_user(self.inspector)
        self.assertEqual(rectification.unit_liaison_id, self.liaison.partner_id)
        self.assertEqual(rectification.unit_liaison_phone, "13900000001")
        form = arch_of(self.env["garbage.rectification"].with_user(self.inspector), "form")
        self.assertTrue(form.xpath("//field[@name='unit_liaison_phone'][@widget='phone']"))
        # nobody changes the unit's liaison through the rectification
        for user in (self.inspector, self.liaison):
            with self.assertRaises(AccessError):
                rectification.with_user(user).write({"unit_liaison_id": self.other_liaison.partner_id.id})
        self.assertEqual(self.own_unit.liaison_id, self.liaison.partner_id)

    def test_the_units_users_show_on_its_form(self):
        form = arch_of(self.env["garbage.unit"].with_user(self.liaison), "form")
        self.assertTrue(form.xpath("//field[@name='user_ids']"), "the liaison sees who acts for the unit")
        with self.assertRaises(AccessError):
            self.own_unit.with_user(self.liaison).write({"user_ids": [(4, self.other_liaison.id)]})

    def test_the_only_checklist_is_preselected(self):
        Template = self.env["garbage.inspection.template"]
        others = Template.search([("id", "!=", self.template.id)])
        others.active = False
        self.assertEqual(Template.search([]), self.template)
        form = Form(self.env["garbage.inspection"].with_user(self.inspector))
        self.assertEqual(form.template_id, self.template)
        self.assertEqual(len(form.line_ids), len(self.template.item_ids), "its checks filled at once")
        form.unit_id = self.own_unit
        inspection = form.save()
        self.assertEqual(inspection.line_ids.item_id, self.template.item_ids)
        # with two checklists, none is guessed
        Template.create({"name": "桶站专项检查"})
        self.assertFalse(Form(self.env["garbage.inspection"].with_user(self.inspector)).template_id)


@tagged("post_install", "-at_install")
class TestDemoPlaces(TransactionCase):
    """The demo town: one bin site per place, and the liaison named on a unit is the user who acts for it."""

    def test_one_bin_site_per_place(self):
        sites = self.env["garbage.bin.site"].search([("latitude", "!=", 0)])
        by_unit = {}
        for site in sites:
            by_unit.setdefault(site.unit_id, []).append(site)
        for unit, unit_sites in by_unit.items():
            for index, site in enumerate(unit_sites):
                for other in unit_sites[index + 1 :]:
                    # an equirectangular distance is plenty at a village's scale
                    dx = math.radians(other.longitude - site.longitude) * math.cos(math.radians(site.latitude))
                    distance = 6371000 * math.hypot(dx, math.radians(other.latitude - site.latitude))
                    self.assertGreater(distance, 80, f"{unit.name}: {site.name} / {other.name}")
                    self.assertNotEqual(site.name[:8], other.name[:8], f"{unit.name}: {site.name} / {other.name}")
        qingshan = self.env.ref("garbage_sorting.garbage_unit_qingshan_demo")
        self.assertEqual(
            self.env["garbage.bin.site"].search_count([("unit_id", "=", qingshan.id)]), 2, "a kiosk and a hall"
        )

    def test_the_liaison_named_on_a_unit_acts_for_it(self):
        liaison = self.env.ref("garbage_sorting.user_liaison_demo")
        units = self.env["garbage.unit"].search([("user_ids", "in", liaison.id)])
        self.assertIn(self.env.ref("garbage_sorting.garbage_unit_qingshan_demo"), units)
        for unit in units:
            self.assertEqual(unit.liaison_id, liaison.partner_id, unit.name)
            self.assertTrue(unit.liaison_phone)

    def test_the_leader_lands_on_escalations(self):
        leader = new_test_user(self.env, login="t_desk_leader", groups=GROUP + "leader")
        self.assertEqual(leader._garbage_home_action(), self.env.ref("garbage_sorting.garbage_escalation_action"))
