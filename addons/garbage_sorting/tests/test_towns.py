import importlib.util
import json
from datetime import date
from pathlib import Path

from freezegun import freeze_time
from psycopg2 import IntegrityError

from odoo import Command, http
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tests.common import JsonRpcException
from odoo.tools import mute_logger

from .common import GROUP, AssessmentCase, every_town_env, month
from .web_client import XLSX, WebClientMixin

# What a town's staff may reach: every model of the addon that carries the town's work.
TOWN_MODELS = (
    "garbage.unit",
    "garbage.bin.site",
    "garbage.inspection",
    "garbage.inspection.line",
    "garbage.rectification",
    "garbage.assessment.period",
    "garbage.assessment",
    "garbage.escalation",
    "garbage.obligation",
    "garbage.obligation.rule",
    "garbage.unit.annual",
    "garbage.volunteer.duty",
    "garbage.volunteer.hour",
    "garbage.inspection.template",
    "garbage.mutual.round",
)
ROLES = ("manager", "leader", "inspector", "coordinator", "liaison")
MIGRATION = Path(__file__).resolve().parents[1] / "migrations" / "18.0.1.4.0" / "post-town-settings.py"


class TownsCase(AssessmentCase):
    """Two towns of one district on one database: the demo town (the main company, town A) and 青石镇 (town B),
    a branch of a district office created here, each with a user per role and a month published."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.town_a = cls.env.company
        cls.env = every_town_env(cls.env)  # each town's users below work in their own
        cls.district = cls.env["res.company"].create({"name": "示范区城市管理办公室"})
        cls.town_b = cls.env["res.company"].create(
            {"name": "青石镇人民政府", "parent_id": cls.district.id, "garbage_red_min_score": 80}
        )
        cls.town_b.partner_id.lang = "en_US"
        cls.users = {}
        for town, suffix in ((cls.town_a, "a"), (cls.town_b, "b")):
            for role in ROLES:  # one user per role and town, working in that town only
                cls.users[role, suffix] = new_test_user(
                    cls.env,
                    login=f"gs_town_{role}_{suffix}",
                    groups=GROUP + role,
                    company_id=town.id,
                    company_ids=[Command.set(town.ids)],
                )
        B = cls.env(context=dict(cls.env.context, allowed_company_ids=cls.town_b.ids))
        cls.town_b.partner_id.tz = cls.town_a.partner_id.tz = "Asia/Shanghai"
        cls.town_b.write(
            {
                "garbage_taskforce_head_id": cls.users["manager", "b"].id,
                "garbage_town_leader_id": cls.users["leader", "b"].id,
            }
        )
        # the same codes in both towns: a code is unique in its town only
        cls.units_a = cls._units(3, prefix="T")
        cls.units_b = cls._units_in(B, 3, prefix="T")
        cls.units_a[0].user_ids = cls.users["liaison", "a"]
        cls.units_b[0].user_ids = cls.users["liaison", "b"]
        # April 2024 in both towns: same scores, each town ranks its own units
        scores = (95, 85, 60)
        cls._month_all_sources(list(zip(cls.units_a, scores, strict=True)), month(2024, 4))
        cls._month_all_sources(list(zip(cls.units_b, scores, strict=True)), month(2024, 4))
        cls.april_a = cls.Period.create({"date_start": month(2024, 4)})
        cls.april_b = (
            cls.env["garbage.assessment.period"]
            .with_user(cls.users["manager", "b"])
            .create({"date_start": month(2024, 4)})
        )
        for period in (cls.april_a, cls.april_b):
            period.action_compute()
        cls.april_a.action_publish()
        cls.april_b.with_user(cls.users["manager", "b"]).action_publish()
        # each town's volunteers, duties, hours, mutual round and obligations
        for town, units in ((cls.town_a, cls.units_a), (cls.town_b, cls.units_b)):
            env = cls.env(context=dict(cls.env.context, allowed_company_ids=town.ids))
            site = env["garbage.bin.site"].create({"name": f"{town.name}投放点", "unit_id": units[0].id})
            volunteer = env["res.partner"].create({"name": f"{town.name}志愿者", "is_volunteer": True})
            duty = env["garbage.volunteer.duty"].create(
                {"site_id": site.id, "date": date(2024, 4, 12), "volunteer_ids": volunteer.ids}
            )
            env["garbage.volunteer.hour"].create(
                {"partner_id": volunteer.id, "unit_id": units[0].id, "date": date(2024, 4, 12), "hours": 2}
            )
            env["garbage.mutual.round"].create({"date": date(2024, 5, 1)})
            setattr(cls, f"duty_{'a' if town == cls.town_a else 'b'}", duty)
        cls.env["garbage.obligation"]._sync(date(2024, 4, 15))

    @classmethod
    def _units_in(cls, env, count, prefix):
        return env["garbage.unit"].create(
            [
                {"name": f"{prefix} {index}", "code": f"{prefix}-village-{index}", "unit_type": "village"}
                for index in range(count)
            ]
        )

    def _town_records(self, town):
        """One record of each town model of `town` (as the engine sees them)."""
        records = {}
        for model in TOWN_MODELS:
            record = self.env[model].sudo().search([("company_id", "=", town.id)], limit=1)
            self.assertTrue(record, f"{model} has a record in {town.name}")
            records[model] = record
        return records


@tagged("post_install", "-at_install")
class TestTownBoundary(TownsCase):
    def test_every_record_belongs_to_one_town(self):
        for model in TOWN_MODELS:
            field = self.env[model]._fields["company_id"]
            self.assertEqual(field.comodel_name, "res.company", model)
            self.assertFalse(self.env[model].sudo().search_count([("company_id", "=", False)]), model)
        self.assertEqual(set(self.april_b.line_ids.unit_id.company_id), {self.town_b})
        self.assertEqual(self.april_b.escalation_ids.company_id, self.town_b)

    def test_each_role_sees_only_its_town_both_ways(self):
        records = {"a": self._town_records(self.town_a), "b": self._town_records(self.town_b)}
        for (role, own), user in self.users.items():
            other = "b" if own == "a" else "a"
            for model, record in records[other].items():
                Model = self.env[model].with_user(user)
                if not self.env["ir.model.access"].with_user(user).check(model, "read", raise_exception=False):
                    continue
                with self.subTest(role=role, town=own, model=model):
                    self.assertFalse(Model.search([("id", "=", record.id)]))
                    self.assertFalse(Model.search_count([("company_id", "=", record.company_id.id)]))
                    with self.assertRaises(AccessError):
                        record.with_user(user).read(["company_id"])
                    if self.env["ir.model.access"].with_user(user).check(model, "write", raise_exception=False):
                        with self.assertRaises(AccessError):
                            record.with_user(user).write({"company_id": self.users[role, own].company_id.id})
                    groups = Model.read_group([], ["company_id"], ["company_id"])
                    self.assertNotIn(record.company_id.id, [group["company_id"][0] for group in groups])

    def test_nobody_moves_a_record_to_another_town(self):
        unit = self.units_a[1]
        for user in (self.users["manager", "a"], self.env.ref("base.user_admin")):
            with self.subTest(user=user.login), self.assertRaises(AccessError):  # the administrator included
                unit.with_user(user).write({"company_id": self.town_b.id})
        inspection = self.env["garbage.inspection"].search([("unit_id", "=", unit.id)], limit=1)
        with self.assertRaises(UserError):  # locked once done, and never moved anyway
            inspection.with_user(self.users["manager", "a"]).write({"company_id": self.town_b.id})
        self.assertEqual((unit.company_id, inspection.company_id), (self.town_a, self.town_a))

    def test_no_record_of_one_town_points_into_another(self):
        inspector = self.users["inspector", "a"]
        Inspection = self.env["garbage.inspection"].with_user(inspector)
        with self.assertRaises(UserError), mute_logger("odoo.models"):  # an AccessError is a UserError
            Inspection.create({"unit_id": self.units_b[1].id, "source": "patrol"})
        # even the engine cannot tie a town's inspection to another town's checklist or mutual round
        template_b = self.env["garbage.inspection.template"].with_company(self.town_b).create({"name": "青石镇清单"})
        with self.assertRaises(UserError):
            self.env["garbage.inspection"].create(
                {"unit_id": self.units_a[1].id, "source": "patrol", "template_id": template_b.id}
            )

    def test_units_are_ranked_within_their_own_town(self):
        for period, units in ((self.april_a, self.units_a), (self.april_b, self.units_b)):
            self.assertEqual(period.line_ids.unit_id, units)
            self.assertEqual([self._line(period, unit).rank for unit in units], [1, 2, 3])
        # each town's settings: 85 is red in town B (red from 80), not in town A (red from 90)
        self.assertEqual([self._line(self.april_a, unit).result for unit in self.units_a], ["red", "normal", "grey"])
        self.assertEqual([self._line(self.april_b, unit).result for unit in self.units_b], ["red", "red", "grey"])
        # the grey ladder of each town goes to that town's task-force head
        self.assertEqual(self.april_b.escalation_ids.responsible_id, self.users["manager", "b"])
        self.assertEqual(self.april_a.escalation_ids.responsible_id, self.manager)

    def test_one_month_per_town(self):
        self.assertEqual(self.april_a.date_start, self.april_b.date_start)
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"), self.cr.savepoint():
            self.Period.create({"date_start": month(2024, 4)})

    def test_a_new_town_starts_from_its_districts_settings(self):
        self.district.write({"garbage_red_min_score": 85, "garbage_rectification_days": 10})
        town_c = self.env["res.company"].create({"name": "白沙镇人民政府", "parent_id": self.district.id})
        self.assertEqual((town_c.garbage_red_min_score, town_c.garbage_rectification_days), (85, 10))
        # and keeps its own afterwards
        self.env["res.config.settings"].with_company(town_c).create({"garbage_red_min_score": 70}).execute()
        self.assertEqual((town_c.garbage_red_min_score, self.district.garbage_red_min_score), (70, 85))
        self.assertEqual(self.town_a.garbage_red_min_score, 90)

    def test_upgrade_moves_the_one_towns_parameters_into_every_towns_settings(self):
        Param = self.env["ir.config_parameter"].sudo()
        Param.set_param("garbage_sorting.red_min_score", "88")
        Param.set_param("garbage_sorting.public_notice", "False")
        Param.set_param("garbage_sorting.taskforce_head_id", str(self.manager.id))
        # edited by hand into nonsense: the town keeps its setting
        Param.set_param("garbage_sorting.rectification_days", "nan")
        volunteer = self.env["res.partner"].create({"name": "老志愿者", "is_volunteer": True, "company_id": False})
        spec = importlib.util.spec_from_file_location("garbage_post_migrate_1_4", MIGRATION)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        module.migrate(self.env.cr, "18.0.1.3.0")
        self.env.invalidate_all()
        for town in (self.town_a, self.town_b):
            self.assertRecordValues(
                town,
                [
                    {
                        "garbage_red_min_score": 88,
                        "garbage_public_notice": False,
                        "garbage_taskforce_head_id": self.manager.id,
                        "garbage_rectification_days": 7,
                    }
                ],
            )
        for key in ("red_min_score", "public_notice", "taskforce_head_id", "rectification_days"):
            self.assertFalse(Param.get_param(f"garbage_sorting.{key}"), "the parameter is gone")
        self.assertEqual(volunteer.company_id, self.env.ref("base.main_company"))

    def test_settings_are_the_current_towns(self):
        admin = self.env.ref("base.user_admin")
        admin.company_ids |= self.town_b
        Settings = self.env["res.config.settings"].with_user(admin)
        Settings.with_company(self.town_b).create({"garbage_penalty_missed": 9}).execute()
        self.assertEqual((self.town_a.garbage_penalty_missed, self.town_b.garbage_penalty_missed), (5, 9))
        with self.assertRaises(ValidationError):
            Settings.with_company(self.town_b).create({"garbage_red_max_rank": 0}).execute()


@tagged("post_install", "-at_install")
class TestTownJobs(TownsCase):
    def test_monthly_job_assesses_each_town(self):
        Period = self.env["garbage.assessment.period"].sudo()
        with self.freeze_town_day(date(2024, 6, 1)):
            Period._cron_create_previous_month()
        may = Period.search([("date_start", "=", month(2024, 5))])
        # the district office has no units of its own: no month to assess
        self.assertEqual(set(may.company_id), {self.town_a, self.town_b})
        for period in may:
            self.assertEqual(set(period.line_ids.unit_id.company_id) - {period.company_id}, set())

    def test_the_towns_months_computed_and_published_together_are_each_towns_own(self):
        """The district's months at once (the monthly job computes them so; a task force may select several): each
        town with its own settings, ladder, people and language, as if published one by one."""
        self.town_b.partner_id.lang = "zh_CN"
        scores = (95, 85, 60)
        for units in (self.units_a, self.units_b):
            self._month_all_sources(list(zip(units, scores, strict=True)), month(2024, 5))
        # as the monthly job, which works in every town (a town's task force computes its own town's months only)
        may = self.env["garbage.assessment.period"].create(
            [{"date_start": month(2024, 5), "company_id": town.id} for town in (self.town_a, self.town_b)]
        )
        may.action_compute()
        may.action_publish()
        may_a, may_b = may

        def results(period, units):
            return [period.line_ids.filtered(lambda line, unit=unit: line.unit_id == unit).result for unit in units]

        self.assertEqual(results(may_a, self.units_a), ["red", "normal", "grey"])
        self.assertEqual(results(may_b, self.units_b), ["red", "red", "grey"], "town B reds from 80 points")
        # grey in April and May: the interview, chaired by each town's own leader, named in each town's language
        escalation_a, escalation_b = may_a.escalation_ids, may_b.escalation_ids
        self.assertEqual((escalation_a.unit_id, escalation_b.unit_id), (self.units_a[2], self.units_b[2]))
        self.assertEqual((escalation_a.level, escalation_b.level), ("2", "2"))
        self.assertEqual(escalation_b.responsible_id, self.users["leader", "b"])
        self.assertIn(self.town_a, escalation_a.responsible_id.company_ids)
        self.assertEqual(escalation_a.name, f"2024-05 · {self.units_a[2].name} · Interview")
        self.assertEqual(escalation_b.name, f"2024-05 · {self.units_b[2].name} · 约谈")
        self.assertEqual(escalation_b.activity_ids.summary, "约谈单位负责人")
        # two months of one town published together go oldest first: July counts June's grey listing
        for day in (month(2024, 6), month(2024, 7)):
            self._month_all_sources(list(zip(self.units_a, scores, strict=True)), day)
        summer = self.Period.create([{"date_start": day} for day in (month(2024, 7), month(2024, 6))])
        summer.action_compute()
        summer.action_publish()
        july, june = summer
        self.assertEqual((june.escalation_ids.grey_count, july.escalation_ids.grey_count), (3, 4))
        self.assertEqual((june.escalation_ids.level, july.escalation_ids.level), ("3", "3"))

    def test_a_towns_task_force_cannot_assess_another_towns_month_alone_or_with_its_own(self):
        """Computing and publishing several months at once writes as the engine: each month given is still checked
        against the user's own access first, so another town's month is refused, and nothing of either is stored."""
        for day in (month(2024, 5), month(2024, 6)):
            self._month_all_sources(list(zip(self.units_b, (95, 85, 60), strict=True)), day)
        Months = self.env["garbage.assessment.period"]
        may_b = Months.create({"date_start": month(2024, 5), "company_id": self.town_b.id})
        june_b = Months.create({"date_start": month(2024, 6), "company_id": self.town_b.id})
        june_b.action_compute()
        manager_a = self.users["manager", "a"]
        may_a = Months.browse(Months.with_user(manager_a).create({"date_start": month(2024, 5)}).id)
        with self.assertRaises(AccessError):
            Months.with_user(manager_a).create({"date_start": month(2024, 7), "company_id": self.town_b.id})
        for periods, action in (
            (may_b, "action_compute"),
            (may_a | may_b, "action_compute"),
            (june_b, "action_publish"),
            (may_a | june_b, "action_publish"),
        ):
            with self.subTest(action=action, towns=periods.company_id.mapped("name")), self.assertRaises(AccessError):
                getattr(periods.with_user(manager_a), action)()
        self.assertEqual((may_a.state, may_b.state, june_b.state), ("draft", "draft", "computed"))
        self.assertFalse((may_a | may_b).line_ids, "nothing computed, not even the user's own town's month")
        self.assertFalse(june_b.escalation_ids)
        self.assertFalse(Months.search([("date_start", "=", month(2024, 7))]))

    def test_the_towns_cadence_rules_counted_together_keep_each_towns_minimum(self):
        """Town B's copy of the self-inspection rule asks for two a month: counted in the same statement as town A's
        rule, each town's units are held to their own town's minimum, and to their own records only."""
        Rule, Obligation = self.env["garbage.obligation.rule"], self.env["garbage.obligation"]
        rule_a = self.env.ref("garbage_sorting.garbage_obligation_rule_self_inspection")
        rule_b = Rule.search([("company_id", "=", self.town_b.id), ("name", "=", rule_a.name)])
        self.assertEqual(len(rule_b), 1)
        rule_b.min_count = 2
        self.assertEqual(len((rule_a | rule_b)._count_batches(date(2024, 4, 15))), 1, "one statement for both")
        Obligation._recount(date(2024, 4, 15), rule_a | rule_b)
        for rule, units, figures in (
            (rule_a, self.units_a, (1, 1, "met")),
            (rule_b, self.units_b, (2, 1, "missed")),
        ):
            obligations = Obligation.search([("rule_id", "=", rule.id), ("date_start", "=", month(2024, 4))])
            self.assertEqual(obligations.unit_id.company_id, rule.company_id, "each town's rule on its own units")
            for obligation in obligations.filtered(lambda obligation, units=units: obligation.unit_id in units):
                self.assertEqual((obligation.expected, obligation.done, obligation.state), figures)
            self.assertEqual(len(obligations.filtered(lambda obligation, units=units: obligation.unit_id in units)), 3)

    def test_mutual_round_pairs_units_of_one_town(self):
        Round = self.env["garbage.mutual.round"].sudo()
        with self.freeze_town_day(date(2024, 7, 1)):
            Round._cron_prepare_round()
        for town in (self.town_a, self.town_b):
            mutual_round = Round.search(
                [("company_id", "=", town.id), ("date", ">=", date(2024, 7, 1)), ("date", "<=", date(2024, 8, 31))]
            )
            self.assertEqual(len(mutual_round), 1)
            pairs = mutual_round.pair_ids
            self.assertEqual(set((pairs.unit_id | pairs.inspecting_unit_id).company_id), {town})

    def freeze_town_day(self, day):
        return freeze_time(f"{day} 02:00:00")  # 10:00 in the towns


@tagged("post_install", "-at_install")
class TestTownPages(HttpCase):
    """The public notice of each town, without login: `?town=` picks the town, each town's switch is its own."""

    def test_each_town_has_its_public_notice(self):
        town_a = self.env.company
        town_b = self.env["res.company"].create({"name": "青石镇人民政府"})
        units = (
            self.env["garbage.unit"]
            .with_company(town_b)
            .create([{"name": f"青石{index}村", "code": f"QS-{index}", "unit_type": "village"} for index in range(2)])
        )
        inspections = self.env["garbage.inspection"].create(
            [
                {
                    "unit_id": unit.id,
                    "source": "patrol",
                    "date": date(2024, 4, 10),
                    "line_ids": [(0, 0, {"name": "Overall", "max_score": 100, "score": score})],
                }
                for unit, score in zip(units, (96, 50), strict=True)
            ]
        )
        inspections.action_done()
        period = self.env["garbage.assessment.period"].with_company(town_b).create({"date_start": month(2024, 4)})
        period.action_compute()
        period.action_publish()
        page = self.url_open(f"/garbage_sorting/notice/2024-04?town={town_b.id}")
        self.assertEqual(page.status_code, 200)
        self.assertIn("青石1村", page.text)  # on the grey list
        self.assertIn("青石镇人民政府", page.text)
        # the main town's page does not show the other town's units
        own = self.url_open("/garbage_sorting/notice")
        self.assertNotIn("青石1村", own.text)
        # town B closes its page: only its own
        town_b.garbage_public_notice = False
        self.assertEqual(self.url_open(f"/garbage_sorting/notice/2024-04?town={town_b.id}").status_code, 404)
        self.assertEqual(self.url_open(f"/garbage_sorting/notice?town={town_b.id}").status_code, 404)
        self.assertTrue(town_a.garbage_public_notice)


@tagged("post_install", "-at_install")
class TestTownsOverHttp(WebClientMixin, HttpCase):
    """The boundary as the web client crosses it: JSON-RPC reads, the bulletin and the printed notice, the
    list's export, as the other town's task force."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.town_a = cls.env.company
        cls.town_b = cls.env["res.company"].create({"name": "青石镇人民政府"})
        cls.manager_b = new_test_user(
            cls.env,
            login="gs_http_manager_b",
            password="gs_http_manager_b",
            groups=GROUP + "manager",
            company_id=cls.town_b.id,
            company_ids=[Command.set(cls.town_b.ids)],
        )
        cls.unit_a = cls.env["garbage.unit"].create({"name": "甲镇秘密村", "code": "HTTP-A", "unit_type": "village"})
        cls.unit_b = (
            cls.env["garbage.unit"]
            .with_company(cls.town_b)
            .create({"name": "青石村", "code": "HTTP-B", "unit_type": "village"})
        )
        inspection = cls.env["garbage.inspection"].create(
            {
                "unit_id": cls.unit_a.id,
                "source": "patrol",
                "date": date(2024, 4, 10),
                "line_ids": [(0, 0, {"name": "Overall", "max_score": 100, "score": 50})],
            }
        )
        inspection.action_done()
        cls.period_a = cls.env["garbage.assessment.period"].create({"date_start": month(2024, 4)})
        cls.period_a.action_compute()
        cls.period_a.action_publish()

    def test_other_towns_task_force_reads_nothing_over_json_rpc(self):
        self.authenticate("gs_http_manager_b", "gs_http_manager_b")
        names = self.jsonrpc(
            "/web/dataset/call_kw/garbage.unit/search_read",
            {
                "model": "garbage.unit",
                "method": "search_read",
                "args": [[]],
                "kwargs": {"fields": ["name"], "context": self.user_context()},
            },
        )
        self.assertEqual([record["name"] for record in names], ["青石村"])
        # naming another town's record, or switching to a town one does not work in, is refused
        with self.assertRaises(JsonRpcException) as refused, mute_logger("odoo.http"):
            self.jsonrpc(
                "/web/dataset/call_kw/garbage.unit/read",
                {
                    "model": "garbage.unit",
                    "method": "read",
                    "args": [self.unit_a.ids, ["name"]],
                    "kwargs": {"context": {**self.user_context(), "allowed_company_ids": self.town_a.ids}},
                },
            )
        self.assertEqual(str(refused.exception), "odoo.exceptions.AccessError")

    def test_other_towns_task_force_downloads_nothing(self):
        self.authenticate("gs_http_manager_b", "gs_http_manager_b")
        bulletin = self.url_open(f"/garbage_sorting/bulletin?period_ids={self.period_a.id}", allow_redirects=False)
        self.assert_refused(bulletin, "甲镇秘密村")
        report = self.env.ref("garbage_sorting.garbage_assessment_notice_report")
        action = self.print_menu("garbage.assessment.period", self.period_a, report.id)
        self.assert_refused(self.execute(action), "甲镇秘密村")
        export = self.url_open(
            "/web/export/xlsx",
            data={
                "data": json.dumps(
                    {
                        "import_compat": False,
                        "context": self.user_context(),
                        "domain": [],
                        "fields": [{"name": "name", "label": "Name"}],
                        "groupby": [],
                        "ids": self.unit_a.ids,
                        "model": "garbage.unit",
                    }
                ),
                "csrf_token": http.Request.csrf_token(self),
            },
            allow_redirects=False,
        )
        self.assertNotIn("甲镇秘密村".encode(), export.content)
        if export.headers.get("Content-Type", "").startswith(XLSX):
            rows = list(self.workbook(export).active.iter_rows(values_only=True))
            self.assertNotIn(("甲镇秘密村",), rows)
