import base64
import json

from dateutil.relativedelta import relativedelta
from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import AssessmentCase, month


@tagged("post_install", "-at_install")
class TestTownDashboard(AssessmentCase):
    def test_dashboard_data_sources_name_real_models_and_fields(self):
        dashboard = self.env.ref("garbage_sorting.spreadsheet_dashboard_garbage_town_overview")
        self.assertTrue(dashboard.is_published)
        self.assertIn(self.env.ref("garbage_sorting.garbage_sorting_group_leader"), dashboard.group_ids)
        data = json.loads(base64.b64decode(dashboard.spreadsheet_binary_data))
        sources = list(data["lists"].values()) + list(data["pivots"].values())
        self.assertEqual(
            {source["model"] for source in sources},
            {"garbage.assessment", "garbage.escalation", "garbage.rectification", "garbage.volunteer.hour"},
        )
        filter_ids = {global_filter["id"] for global_filter in data["globalFilters"]}
        for source in sources:
            Model = self.env[source["model"]]
            fields = (
                source.get("columns", [])
                if "measures" not in source
                else [measure["fieldName"] for measure in source["measures"]]
                + [group["fieldName"] for group in source["rows"] + source["columns"]]
            )
            fields += [term[0] for term in source["domain"]] + [order["name"] for order in source.get("orderBy", [])]
            for name in fields:
                self.assertIn(name, Model._fields, f"{source['name']}: {source['model']}.{name}")
            for filter_id, matching in source["fieldMatching"].items():
                self.assertIn(filter_id, filter_ids)
                self.assertIn(matching["chain"], Model._fields)
            Model.search(source["domain"], limit=1)  # a domain the ORM accepts
        # Every list formula of the sheet points at a declared list and one of its columns.
        for cell in data["sheets"][0]["cells"].values():
            content = cell["content"]
            if content.startswith("=ODOO.LIST("):
                list_id, __, field = content[len("=ODOO.LIST(") : -1].split(",")
                self.assertIn(field.strip('"'), data["lists"][list_id]["columns"])

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
