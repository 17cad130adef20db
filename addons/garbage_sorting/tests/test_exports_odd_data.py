"""Whatever is stored, every export of the addon downloads, and its texts stay texts.

- A name that looks like a formula (`=HYPERLINK(...)`, `+`, `-`, `@`) is written into the workbooks as text: a
  spreadsheet shows it as typed and never evaluates it (openpyxl reads it as a string cell, `data_type == "s"`).
- An empty or odd name, an archived unit, a unit without a liaison, a name longer than a cell: the downloads answer
  their document, never a server error.
Every download goes through the button that offers it, as the web client sends it (`web_client.py`).
"""

import io
import json
from urllib.parse import unquote

import openpyxl

from odoo import http
from odoo.tests import HttpCase, tagged

from ..models.file_names import file_name_part, short_file_name
from ..report.xlsx_workbook import build_workbook, sheet_name
from .common import AssessmentCase, month
from .web_client import WebClientMixin

HYPERLINK = '=HYPERLINK("http://x","y")'
# the texts a spreadsheet would take for formulas, each as a unit, a person or a note
FORMULAS = (HYPERLINK, "+1+1", "-2+3", "@SUM(1,2)", '=CMD|" /C calc"!A0')
# A name in a file name is cut to 60 characters: percent-encoded in the Content-Disposition header, five thousand
# Chinese characters would make it over 40 KB (nginx answers 502 above 8 KB).
LONG_NAME = "长" * 5000
SHORT_NAME = "长" * 59 + "…"
HEADER_MAX = 1024


@tagged("post_install", "-at_install")
class TestExportsOfOddData(WebClientMixin, HttpCase, AssessmentCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        Unit = cls.env["garbage.unit"]
        cls.formula_unit, cls.plus_unit, cls.minus_unit, cls.at_unit, cls.empty_unit, cls.long_unit = Unit.create(
            [
                {"name": HYPERLINK, "code": "ODD-1", "unit_type": "village"},
                {"name": "+1+1", "code": "ODD-2", "unit_type": "village"},
                {"name": "-2+3", "code": "ODD-3", "unit_type": "agency"},
                {"name": "@SUM(1,2)", "code": "ODD-4", "unit_type": "enterprise"},
                {"name": "Soon Empty", "code": "ODD-5", "unit_type": "village"},
                {"name": "长" * 33000, "code": "ODD-6", "unit_type": "village"},
            ]
        )
        # grey in each month like the formula unit: its year is printed and its level-3 report attached
        cls.long_named = Unit.create({"name": LONG_NAME, "code": "ODD-7", "unit_type": "village"})
        # the task-force head (responsible of the escalations) has a name that looks like a formula too
        cls.manager.name = '=CMD|" /C calc"!A0'
        units = cls.formula_unit | cls.plus_unit | cls.minus_unit | cls.at_unit | cls.empty_unit
        # grey twice (escalations of levels 1 and 2), the formula unit a third time (its level-3 report); the unit
        # with the long name neither red nor grey (no annual record: it is in the bulletin only)
        for number in (3, 4, 5):
            scores = [(unit, 60 if number < 5 or unit == cls.formula_unit else 85) for unit in units]
            cls.period = cls._publish_month(
                cls, month(2024, number), [*scores, (cls.long_unit, 80), (cls.long_named, 60)]
            )
        # what is stored afterwards: a name emptied in the database, an archived unit (no unit has a liaison)
        cls.env.cr.execute("UPDATE garbage_unit SET name = '' WHERE id = %s", [cls.empty_unit.id])
        cls.env.invalidate_all()
        cls.minus_unit.action_archive()
        cls.annuals = cls.env["garbage.unit.annual"].search([("year", "=", 2024), ("unit_id", "in", units.ids)])
        cls.site = cls.env["garbage.bin.site"].create({"name": "@SITE", "unit_id": cls.minus_unit.id})
        cls.volunteer = cls.env["res.partner"].create(
            {"name": "@HYPERLINK(1)", "is_volunteer": True, "volunteer_unit_ids": [(6, 0, cls.formula_unit.ids)]}
        )
        cls.env["garbage.volunteer.hour"].create(
            {
                "partner_id": cls.volunteer.id,
                "unit_id": cls.formula_unit.id,
                "date": "2024-05-03",
                "hours": 2,
                "note": "=1+1",
                "state": "approved",
            }
        )

    def _string_cells(self, workbook):
        """{value: data type} of every cell holding one of the formula-like texts."""
        return {
            cell.value: cell.data_type
            for sheet in workbook.worksheets
            for row in sheet.iter_rows()
            for cell in row
            if isinstance(cell.value, str) and cell.value in FORMULAS + ("@HYPERLINK(1)",)
        }

    def _workbooks(self):
        """Each workbook of the addon, downloaded by its button."""
        self.authenticate("gs_manager", "gs_manager")
        yield "bulletin", self.execute(self.press("garbage.assessment.period", self.period, "action_download_bulletin"))
        yield (
            "annual evaluation",
            self.execute(self.press("garbage.unit.annual", self.annuals, "action_download_evaluation_xlsx")),
        )
        self.authenticate("gs_leader", "gs_leader")
        wizard_action = self.load_action("garbage_sorting.garbage_volunteer_hour_report_action")
        wizard, __ = self.save_wizard(wizard_action, {"date_from": "2024-05-01", "date_to": "2024-05-31"})
        yield "volunteer hours", self.execute(self.press("garbage.volunteer.hour.report", wizard, "action_download"))

    def _client_download(self, route, data):
        """`download({url, data: {data: JSON.stringify(data)}})` of the web client: a multipart form post."""
        fields = {"data": json.dumps(data), "csrf_token": http.Request.csrf_token(self)}
        return self.url_open(route, files={key: (None, value) for key, value in fields.items()}, allow_redirects=False)

    def _list_export(self, model, records, field_names, groupby=()):
        """A list's Export dialog, "Export" to XLSX (web/static/src/views/view_dialogs/export_data_dialog.js)."""
        return self._client_download(
            "/web/export/xlsx",
            {
                "import_compat": False,
                "context": self.user_context(),
                "domain": [("id", "in", records.ids)],
                "fields": [
                    {"name": name, "label": name, "type": self.env[model]._fields[name].type} for name in field_names
                ],
                "groupby": list(groupby),
                "ids": records.ids,
                "model": model,
            },
        )

    def _pivot_download(self, model, rows):
        """A pivot's "Download xlsx" (`exportData()` of web/static/src/views/pivot/pivot_model.js): one measure,
        a row per group whose title is the group's name, the groups as the pivot shows them."""
        return self._client_download(
            "/web/pivot/export_xlsx",
            {
                "model": model,
                "title": "Pivot",
                "col_group_headers": [[{"title": "Total", "width": 1, "height": 1, "is_bold": True}]],
                "measure_headers": [{"title": "Count", "width": 1, "height": 1, "is_bold": True}],
                "origin_headers": [],
                "rows": [
                    {"title": title, "indent": 0, "values": [{"is_bold": False, "value": count}]}
                    for title, count in rows
                ],
                "measure_count": 1,
                "origin_count": 1,
            },
        )

    def test_the_web_clients_own_spreadsheets_of_town_records_write_texts_as_texts(self):
        """A list exported to XLSX (plain and grouped) and a pivot downloaded, as the task force does: the units'
        names stay texts. Core's exports of its own models are unchanged."""
        self.manager.groups_id += self.env.ref("base.group_allow_export")  # a list's Export, granted as core does
        self.authenticate("gs_manager", "gs_manager")
        units = self.formula_unit | self.plus_unit | self.at_unit
        lines = self.period.line_ids.filtered(lambda line: line.unit_id in units)
        pivot_rows = [
            (unit.display_name, count)
            for unit, count in self.env["garbage.assessment"]._read_group(
                [("id", "in", lines.ids)], ["unit_id"], ["__count"]
            )
        ]
        for name, response in (
            ("list", self._list_export("garbage.unit", units, ["name", "code"])),
            ("grouped list", self._list_export("garbage.assessment", lines, ["score"], groupby=["unit_id"])),
            ("pivot", self._pivot_download("garbage.assessment", pivot_rows)),
        ):
            with self.subTest(export=name):
                self.assertEqual(response.status_code, 200, response.text[:300])
                cells = [
                    cell
                    for sheet in self.workbook(response).worksheets
                    for row in sheet.iter_rows()
                    for cell in row
                    if str(cell.value).startswith(HYPERLINK)  # a grouped list's group is "name (count)"
                ]
                self.assertTrue(cells)
                self.assertEqual({cell.data_type for cell in cells}, {"s"})
        # a partner (core's model) named like a formula: its export is core's own, as without the addons
        partner = self.env["res.partner"].create({"name": "=1+1"})
        sheet = self.workbook(self._list_export("res.partner", partner, ["name"])).active
        self.assertEqual(sheet.cell(2, 1).data_type, "f", "core's export of its own models is untouched")

    def test_texts_that_look_like_formulas_are_written_as_texts(self):
        expected = {
            "bulletin": set(FORMULAS),  # units, their escalations' responsible
            "annual evaluation": {HYPERLINK, "+1+1", "-2+3", "@SUM(1,2)"},
            "volunteer hours": {"@HYPERLINK(1)", HYPERLINK},  # the volunteer and the unit served
        }
        for name, response in self._workbooks():
            with self.subTest(workbook=name):
                cells = self._string_cells(self.workbook(response))
                self.assertEqual(set(cells), expected[name])
                self.assertEqual(set(cells.values()), {"s"}, cells)

    def test_every_export_renders_whatever_is_stored(self):
        """An emptied name, an archived unit, a unit without liaison, a name longer than an Excel cell: each
        download answers its document."""
        for name, response in self._workbooks():
            with self.subTest(workbook=name):
                workbook = self.workbook(response)
                self.assertTrue(workbook.sheetnames)
        self.authenticate("gs_manager", "gs_manager")
        bulletin = self.workbook(
            self.execute(self.press("garbage.assessment.period", self.period, "action_download_bulletin"))
        )
        names = [row[1] for sheet in bulletin.worksheets[:3] for row in sheet.iter_rows(min_row=3, values_only=True)]
        self.assertIn("-2+3", names, "the archived unit keeps its line")
        self.assertIn(None, names, "the emptied name is an empty cell")
        self.assertIn("长" * 32767, names, "a name longer than a cell is cut to the cell's size")
        # the PDFs: the annual evaluation and the level-3 reports of the same units, the label of an archived
        # unit's site
        for report in (
            "garbage_sorting.garbage_unit_annual_evaluation_report",
            "garbage_sorting.garbage_unit_annual_report",
        ):
            with self.subTest(report=report):
                text = self.pdf_text(self.execute(self.print_menu("garbage.unit.annual", self.annuals, report)))
                self.assertIn(HYPERLINK, text)
                self.assertIn("@SUM(1,2)", text)
        text = self.pdf_text(self.execute(self.press("garbage.bin.site", self.site, "action_print_labels")))
        self.assertIn("@SITE", text)
        # the level-3 report stored by the publication, for the unit named like a formula
        escalation = self.env["garbage.escalation"].search(
            [("unit_id", "=", self.formula_unit.id), ("level", "=", "3")]
        )
        self.assertEqual(escalation.report_attachment_id.mimetype, "application/pdf")
        self.assertIn(
            HYPERLINK, self.pdf_text(self.execute(self.press("garbage.escalation", escalation, "action_view_report")))
        )

    def assertDownloadName(self, response, extension):
        """The download's file name holds the long name cut short; its header stays far below nginx's 8 KB."""
        header = response.headers["Content-Disposition"]
        self.assertLess(len(header), HEADER_MAX)
        self.assertTrue(header.startswith("attachment;"), header)
        name = unquote(header.split("filename*=UTF-8''", 1)[1])
        self.assertIn(SHORT_NAME, name)
        self.assertNotIn("长" * 60, name)
        self.assertTrue(name.endswith(extension), name)

    def test_file_name_part(self):
        self.assertEqual(file_name_part(False), "")
        self.assertEqual(file_name_part(" Riverside\n\tVillage "), "Riverside Village")
        self.assertEqual(file_name_part("长" * 60), "长" * 60)
        self.assertEqual(file_name_part(LONG_NAME), SHORT_NAME)
        self.assertEqual(short_file_name("长" * 100 + ".pdf"), SHORT_NAME + ".pdf")
        self.assertEqual(short_file_name("长" * 100 + "." + "x" * 20), SHORT_NAME)

    def test_a_long_name_keeps_the_download_header_short(self):
        """A unit named in five thousand Chinese characters: its printed year and its level-3 report download, under a
        file name whose name part is cut to 60 characters."""
        self.authenticate("gs_manager", "gs_manager")
        annual = self.env["garbage.unit.annual"].search([("unit_id", "=", self.long_named.id), ("year", "=", 2024)])
        response = self.execute(
            self.print_menu("garbage.unit.annual", annual, "garbage_sorting.garbage_unit_annual_report")
        )
        # the report itself names the unit in full (over several lines)
        self.assertIn(LONG_NAME, "".join(self.pdf_text(response).split()))
        self.assertDownloadName(response, ".pdf")
        escalation = self.env["garbage.escalation"].search([("unit_id", "=", self.long_named.id), ("level", "=", "3")])
        attachment = escalation.report_attachment_id
        self.assertIn(SHORT_NAME, attachment.name)
        self.assertNotIn("长" * 61, attachment.name)
        response = self.execute(self.press("garbage.escalation", escalation, "action_view_report"))
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.content, attachment.raw)
        self.assertDownloadName(response, ".pdf")

    def test_a_volunteer_with_a_long_name_downloads_the_certificate(self):
        """The task force prints the certificate of a volunteer named in five thousand characters: the download
        (the web client's /report/download) is named with the name cut short."""
        self.volunteer.name = LONG_NAME
        self.authenticate("gs_manager", "gs_manager")
        response = self.execute(
            self.print_menu("res.partner", self.volunteer, "garbage_sorting.action_report_volunteer_certificate")
        )
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response.content.startswith(b"%PDF"))
        self.assertDownloadName(response, ".pdf")

    def test_sheet_names_from_any_stored_name(self):
        """A worksheet named after whatever is stored (control characters, the characters Excel forbids, a lone
        surrogate, an apostrophe at either end, Excel's reserved "History", nothing) is a name Excel opens."""
        odd_names = (
            None,
            "",
            "   ",
            "'''",
            "Riverside\x00\x01\x1f\x7f Village\n\t",
            "[A]:B*C?D/E\\F",
            "\ud800Village",
            "'Quoted'",
            "History",
            "长" * 5000,
            "a" * 30 + "'b",
            "Riverside\x85\x9fVillage",
        )
        for name in odd_names:
            with self.subTest(name=name):
                sheet = sheet_name(name)
                self.assertTrue(0 < len(sheet) <= 31, sheet)
                self.assertFalse(set(sheet) & set("[]:*?/\\"), sheet)
                self.assertFalse(sheet.startswith("'") or sheet.endswith("'"), sheet)
                self.assertTrue(sheet.isprintable(), repr(sheet))
                self.assertNotEqual(sheet.lower(), "history")
                sheet.encode("utf-8")
        self.assertEqual(sheet_name("Riverside\x00\x01 Village\n"), "Riverside Village")
        self.assertEqual(sheet_name("[A]:B"), "A B")
        content = build_workbook(
            [{"name": name, "title": "Odd", "headers": ["Name"], "rows": [["x"]]} for name in odd_names]
        )
        sheets = openpyxl.load_workbook(io.BytesIO(content)).sheetnames
        self.assertEqual(len({sheet.lower() for sheet in sheets}), len(odd_names))
