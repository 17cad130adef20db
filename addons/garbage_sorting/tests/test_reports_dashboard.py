import json
import re

from dateutil.relativedelta import relativedelta
from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import UserError
from odoo.tests import tagged
from odoo.tools import file_open
from odoo.tools.translate import extract_spreadsheet_terms

from .common import AssessmentCase, month
from .town_dashboard import DASHBOARD_XMLID, LIST_CALL, dashboard_data, list_cells, web_translator


@tagged("post_install", "-at_install")
class TestTownDashboard(AssessmentCase):
    def test_dashboard_data_sources_name_real_models_and_fields(self):
        dashboard = self.env.ref(DASHBOARD_XMLID)
        self.assertTrue(dashboard.is_published)
        self.assertIn(self.env.ref("garbage_sorting.garbage_sorting_group_leader"), dashboard.group_ids)
        data = dashboard_data(self.env)
        # the file format of Odoo 18's own dashboards (same version, revision and keys)
        with file_open("spreadsheet_dashboard_hr_expense/data/files/expense_dashboard.json") as core_file:
            core = json.load(core_file)
        for key in ("version", "odooVersion", "revisionId"):
            self.assertEqual(data[key], core[key], key)
        self.assertEqual(set(data), set(core))
        leader = self.env.ref("garbage_sorting.user_leader_demo")
        sources = [*data["lists"].values(), *data["pivots"].values()]
        self.assertEqual(
            {source["model"] for source in sources},
            {
                "garbage.assessment",
                "garbage.assessment.period",
                "garbage.escalation",
                "garbage.obligation",
                "garbage.rectification",
                "garbage.volunteer.hour",
            },
        )
        for source in data["lists"].values():
            Model = self.env[source["model"]].with_user(leader)
            for name in [*source["columns"], *(term["name"] for term in source["orderBy"])]:
                self.assertIn(name, Model._fields, f"{source['name']}: {source['model']}.{name}")
            order = ", ".join(f"{term['name']} {'asc' if term['asc'] else 'desc'}" for term in source["orderBy"])
            Model.search_read(source["domain"], source["columns"], order=order, limit=10)
        for source in data["pivots"].values():
            Model = self.env[source["model"]].with_user(leader)
            measures = [measure["fieldName"] for measure in source["measures"] if measure["fieldName"] != "__count"]
            groupby = [group["fieldName"] for group in source["rows"] + source["columns"]]
            for name in measures:
                field = Model._fields[name]
                self.assertTrue(field.store and field.aggregator, f"{source['name']}: {name} cannot be summed up")
            Model.read_group(
                source["domain"], [f"{name}:{Model._fields[name].aggregator}" for name in measures], groupby
            )
        (chart,) = [
            figure for figure in data["sheets"][0]["figures"] if figure["data"]["type"] in ("odoo_line", "odoo_bar")
        ]
        meta, params = chart["data"]["metaData"], chart["data"]["searchParams"]
        Assessment = self.env[meta["resModel"]].with_user(leader)
        self.assertEqual((meta["measure"], Assessment._fields[meta["measure"]].aggregator), ("score", "avg"))
        self.assertEqual(meta["groupBy"], ["date_start:month", "peer_group"])
        Assessment.read_group(params["domain"], ["score:avg"], meta["groupBy"], lazy=False)
        # unassessed units (no score) are left out of the averages, whatever their stored score
        self.assertIn(["result", "!=", "none"], params["domain"])
        self.assertFalse(Assessment.search([*params["domain"], ("result", "=", "none")]))
        self.assertEqual(
            data["chartOdooMenusReferences"], {chart["id"]: "garbage_sorting.garbage_assessment_analysis_menu"}
        )
        self.env.ref(data["chartOdooMenusReferences"][chart["id"]])
        # Every formula points at a declared source and one of its fields.
        for ref, cell in [(ref, cell) for sheet in data["sheets"] for ref, cell in sheet["cells"].items()]:
            content = cell["content"]
            for list_id, __, field in LIST_CALL.findall(content):
                self.assertIn(field, data["lists"][list_id]["columns"], ref)
            for list_id, field in re.findall(r'ODOO\.LIST\.HEADER\((\d+),"(\w+)"\)', content):
                self.assertIn(field, data["lists"][list_id]["columns"], ref)
            for pivot_id, measure in re.findall(r'PIVOT\.VALUE\((\d+),"(\w+)"', content):
                self.assertIn(measure, [m["fieldName"] for m in data["pivots"][pivot_id]["measures"]], ref)
            for pivot_id, field in re.findall(r'PIVOT\.HEADER\((\d+),"#(\w+)"', content):
                self.assertIn(field, [group["fieldName"] for group in data["pivots"][pivot_id]["rows"]], ref)
        # The scorecards read the Data sheet's figures.
        keys = [
            figure["data"]["keyValue"]
            for figure in data["sheets"][0]["figures"]
            if figure["data"]["type"] == "scorecard"
        ]
        self.assertEqual(keys, ["Data!C8"] + [f"Data!C{row}" for row in range(1, 7)])

    def test_dashboard_shows_one_month_yes_no_words_and_chinese(self):
        data = dashboard_data(self.env)
        # No period filter that could disagree with the month shown: every figure and list of the month
        # follows the latest published month, and the heading names it.
        self.assertEqual(data["globalFilters"], [])
        latest = [["is_latest_published", "=", True]]
        latest_month = [["in_latest_published_month", "=", True]]
        for pivot_id in "1234":
            self.assertEqual(data["pivots"][pivot_id]["domain"][:1], latest)
        for pivot_id in "5678":
            self.assertEqual(data["pivots"][pivot_id]["domain"][:1], latest_month)
        for list_id in "123":
            self.assertEqual(data["lists"][list_id]["domain"][:1], latest)
        self.assertEqual(data["lists"]["6"]["domain"], [["state", "=", "published"]])
        self.assertEqual(data["lists"]["6"]["orderBy"], [{"name": "date_start", "asc": False}])
        self.assertIn('ODOO.LIST(6,1,"name")', data["sheets"][0]["cells"]["A1"]["content"])
        # Booleans are words: every boolean list cell is an IF(...) between _t("Yes") and _t("No").
        cells = data["sheets"][0]["cells"]
        booleans = 0
        for (list_id, __, field), ref in list_cells(data).items():
            if self.env[data["lists"][list_id]["model"]]._fields[field].type == "boolean":
                booleans += 1
                self.assertRegex(
                    cells[ref]["content"], r'^=IF\(.*IF\(ODOO\.LIST\(.*\),_t\("Yes"\),_t\("No"\)\)\)$', ref
                )
        self.assertEqual(booleans, 20)  # red flag and veto, ten lines each
        # Chinese users read Chinese: every text of the file has its zh_CN translation for the web client.
        with file_open("garbage_sorting/data/files/garbage_town_dashboard.json", "rb") as dashboard_file:
            terms = [term for __, __, term, __ in extract_spreadsheet_terms(dashboard_file, [], [], {})]
        self.assertGreater(len(terms), 20)
        translate = web_translator(self.env, "zh_CN")
        missing = [term for term in terms if translate(term) == term]
        self.assertFalse(missing, "dashboard terms without a zh_CN translation")
        self.assertEqual(translate("Yes"), "是")

    def test_latest_published_flag_follows_publish_and_reopen(self):
        units = self._units(2, "village", prefix="D")
        # The demo town has published months already: ours are the next ones, up to the current month.
        Period = self.env["garbage.assessment.period"]
        before = Period.search([("state", "=", "published")], order="date_start desc", limit=1)
        last = Period.search([], order="date_start desc", limit=1)
        first = last.date_start + relativedelta(months=1) if last else month(fields.Date.today().year, 1)
        months = [first + relativedelta(months=index) for index in range(2)]
        Assessment = self.env["garbage.assessment"]
        latest = [("is_latest_published", "=", True)]
        self.assertEqual(Assessment.search(latest).period_id, before)
        with freeze_time(months[1] + relativedelta(months=1, days=1)):
            earlier = self._publish_month(months[0], [(units[0], 95), (units[1], 60)])
            self.assertEqual(Assessment.search(latest).period_id, earlier)
            later = self._publish_month(months[1], [(units[0], 96), (units[1], 62)])
            self.assertEqual(Assessment.search(latest).period_id, later)
            self.assertEqual(Assessment.search([*latest, ("result", "=", "grey")]).unit_id, units[1])
            later.action_reopen()
            self.assertEqual(Assessment.search(latest).period_id, earlier)
            earlier.action_reopen()
            self.assertEqual(Assessment.search(latest).period_id, before)
            self.assertNotIn(before, Assessment.search([("is_latest_published", "=", False)]).period_id)
        with self.assertRaises(UserError):
            Assessment.search([("is_latest_published", "in", [True])])
