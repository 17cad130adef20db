"""The secretary's annual review, whatever is stored: its texts stay texts in the workbook, and it downloads.

Names of the organisation, its units and members, activities, highlights and the work programme's text that
look like formulas (`=HYPERLINK(...)`, `+`, `-`, `@`) are string cells (openpyxl `data_type == "s"`), never live
formulas; an emptied unit name, an archived unit and obligations of the organisation itself (no unit) are
rendered, in the XLSX and in the PDF, downloaded by the review's buttons as the web client sends them.
"""

from datetime import date

from odoo.addons.garbage_sorting.tests.web_client import WebClientMixin
from odoo.tests import HttpCase, tagged

from .common import PartyCase

HYPERLINK = '=HYPERLINK("http://x","y")'
FORMULAS = (HYPERLINK, "+1+1", "@SUM(1,2)", "=1+1", "@member")


@tagged("post_install", "-at_install")
class TestPartyReviewOddData(WebClientMixin, HttpCase, PartyCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.secretary.lang = "zh_CN"
        cls.village_branch.name = HYPERLINK
        Unit = cls.env["garbage.unit"]
        cls.archived, cls.emptied = Unit.create(
            [
                {"name": "-2+3", "code": "PT-ODD-1", "unit_type": "village"},
                {"name": "Soon Empty", "code": "PT-ODD-2", "unit_type": "village"},
            ]
        )
        cls.village.name = "+1+1"
        cls.village_branch.unit_ids = [(4, cls.archived.id), (4, cls.emptied.id)]
        cls.env["garbage.unit.annual"].create(
            [
                {"unit_id": cls.village.id, "year": 2025, "red_count": 3},
                {"unit_id": cls.archived.id, "year": 2025, "grey_count": 2, "veto": True},
                {"unit_id": cls.emptied.id, "year": 2025, "grey_count": 1},
            ]
        )
        members = cls._in_service_members(
            [{"name": "@member", "organization_ids": [(6, 0, cls.village_branch.ids)], "duty_publicity": True}]
        )
        activity = cls.env["party.grassroots.activity"].create(
            {
                "name": "@SUM(1,2)",
                "date": "2025-05-10",
                "entry_type": "market",
                "organization_id": cls.village_branch.id,
                "member_ids": [(6, 0, members.ids)],
                "hours": 3,
            }
        )
        activity.action_done()
        project = cls.env["party.brand.project"].create(
            {"name": "=1+1", "organization_ids": [(6, 0, cls.village_branch.ids)], "date_start": "2025-01-01"}
        )
        highlight = cls.env["party.brand.highlight"].create(
            {"name": "=1+1", "project_id": project.id, "date": "2025-06-01"}
        )
        cls.env["party.work.programme"].create(
            {"organization_id": cls.village_branch.id, "year": 2025, "content": "<p>=1+1</p>"}
        )
        # the organisation's own obligations (no unit): its monthly publicity, counted by the daily job
        publicity = cls.env.ref("party_branch_linkage.garbage_obligation_rule_publicity")
        cls.env["garbage.obligation"]._sync(date(2025, 3, 1), publicity)
        # then what is stored changes: a name emptied in the database, a unit archived, a media link that is no
        # web address (refused today, stored before)
        cls.env.cr.execute("UPDATE garbage_unit SET name = '' WHERE id = %s", [cls.emptied.id])
        cls.env.cr.execute("UPDATE party_brand_highlight SET media_url = %s WHERE id = %s", [HYPERLINK, highlight.id])
        cls.env.invalidate_all()
        cls.archived.action_archive()

    def _review(self, button):
        self.authenticate("pt_secretary", "pt_secretary")
        wizard_action = self.press(
            "party.organization",
            self.village_branch,
            "party_branch_linkage.party_annual_review_action",
            button_type="action",
            button_context={"default_organization_id": self.village_branch.id},
        )
        wizard, context = self.save_wizard(wizard_action, {"organization_id": self.village_branch.id, "year": 2025})
        return self.execute(self.press("party.annual.review", wizard, button, record_context=context))

    def test_the_workbook_writes_every_text_as_text(self):
        workbook = self.workbook(self._review("action_download_xlsx"))
        cells = {}
        for sheet in workbook.worksheets:
            for row in sheet.iter_rows():
                for cell in row:
                    if isinstance(cell.value, str) and any(formula in cell.value for formula in FORMULAS):
                        cells.setdefault(cell.value, set()).add(cell.data_type)
        # the organisation, its unit, the member, the activity, the highlight and its link, the programme (the
        # archived unit is no longer one of the organisation's units: it is not listed, and breaks nothing)
        for text in (HYPERLINK, "+1+1", "@SUM(1,2)", "=1+1", "@member"):
            self.assertIn(text, cells)
        self.assertEqual(set().union(*cells.values()), {"s"}, cells)
        # the organisation's own obligations are listed by the organisation's name
        own = list(workbook.worksheets[7].iter_rows(min_row=3, values_only=True))
        self.assertTrue(own)
        self.assertTrue(all(HYPERLINK in row[0] for row in own))

    def test_the_pdf_renders_whatever_is_stored(self):
        text = self.pdf_text(self._review("action_print_pdf"))
        for expected in (HYPERLINK, "+1+1", "PT-ODD-2", "@SUM(1,2)", "@member"):
            self.assertIn(expected, text)
