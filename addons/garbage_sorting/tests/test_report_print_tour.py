from odoo.tests import tagged

from .web_client import ServedTownCase


@tagged("post_install", "-at_install")
class TestReportPrintTour(ServedTownCase):
    """The web client in Chromium, on the served demo town: the task force opens a bin site and presses Print Label;
    the browser must save the PDF the server answered (`static/tests/tours/download_watch.js` notes what the client
    saves: without the click, or with an error instead of the label, nothing is noted and the tour fails)."""

    def test_task_force_prints_a_bin_site_label_in_the_browser(self):
        site = self.env.ref("garbage_sorting.garbage_bin_site_xinqiao_1_demo")
        # the same button through the requests the client sends: the label it downloads, read back
        self.authenticate("taskforce", "taskforce")
        action = self.press("garbage.bin.site", site, "garbage_sorting.garbage_bin_site_report_label", "action")
        response = self.execute(action)
        text = self.pdf_text(response)
        self.assertIn(site.name, text)
        self.assertIn(site.code, text)
        self.print_in_browser(
            f"/odoo/action-garbage_sorting.garbage_bin_site_action/{site.id}",
            "garbage_sorting_bin_site_label_print_tour",
            "taskforce",
            response.content,
        )
