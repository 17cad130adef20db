from odoo import fields
from odoo.addons.garbage_sorting.tests.web_client import ServedTownCase
from odoo.tests import tagged


@tagged("post_install", "-at_install")
class TestPartyReviewPrintTour(ServedTownCase):
    """The web client in Chromium, on the served demo town: the secretary of 青山村党支部 opens the organisation,
    asks for its annual review and presses Print PDF; the browser must save the PDF the server answered to the
    request the client built (an action with data: /report/pdf/<report>?options=…&context=…, no id in the path).
    `garbage_sorting/static/tests/tours/download_watch.js` notes what the client saves: without the click, or with an
    error, or with another document than the review (the blank page of before), the tour fails."""

    def test_secretary_prints_the_annual_review_in_the_browser(self):
        organization = self.env.ref("party_branch_linkage.party_organization_qingshan_demo")
        year = fields.Date.context_today(self.env.ref("party_branch_linkage.user_secretary_demo")).year
        # the same clicks through the requests the client sends: the review it downloads, read back
        self.authenticate("secretary", "secretary")
        wizard_action = self.press(
            "party.organization",
            organization,
            "party_branch_linkage.party_annual_review_action",
            button_type="action",
            button_context={"default_organization_id": organization.id},
        )
        wizard, context = self.save_wizard(wizard_action, {"organization_id": organization.id, "year": year})
        response = self.execute(self.press("party.annual.review", wizard, "action_print_pdf", record_context=context))
        text = self.pdf_text(response)
        for expected in (f"青山村党支部 · {year}", "青山村", "书记", "XX镇人民政府"):
            self.assertIn(expected, text)
        self.print_in_browser(
            f"/odoo/action-party_branch_linkage.party_organization_action/{organization.id}",
            "party_branch_linkage_review_print_tour",
            "secretary",
            response.content,
        )
