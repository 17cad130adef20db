/** @odoo-module **/
import { registry } from "@web/core/registry";

import { pdfDownloadedStep, watchDownloads } from "@garbage_sorting/../tests/tours/download_watch";

// A party secretary opens their organisation, asks for its annual review and prints the PDF: the review wizard
// prints an action with data, the web client asks /report/download for /report/pdf/<report>?options=…&context=…
registry.category("web_tour.tours").add("party_branch_linkage_review_print_tour", {
    steps: () => [
        {
            content: "The organisation's form and its Annual Review button",
            trigger: ".o_form_view .o_form_statusbar button[name]:not(:disabled)",
            run: watchDownloads,
        },
        {
            content: "Open the annual review",
            trigger: ".o_form_view .o_form_statusbar button[name]",
            run: "click",
        },
        {
            content: "The review's dialog names the organisation",
            trigger: ".modal .o_form_view .o_field_widget[name=organization_id] input",
        },
        {
            content: "Print the PDF",
            trigger: ".modal .modal-footer button[name=action_print_pdf]",
            run: "click",
        },
        pdfDownloadedStep("The review came down as a PDF"),
    ],
});
