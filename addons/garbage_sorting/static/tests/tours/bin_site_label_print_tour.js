/** @odoo-module **/
import { registry } from "@web/core/registry";

import { pdfDownloadedStep, watchDownloads } from "./download_watch";

// The task force opens a bin site and prints its label: the web client downloads a PDF.
registry.category("web_tour.tours").add("garbage_sorting_bin_site_label_print_tour", {
    steps: () => [
        {
            content: "The bin site's form, with its Print Label button",
            trigger: ".o_form_view .o_form_statusbar button.btn-primary:not(:disabled)",
            run: watchDownloads,
        },
        {
            content: "Print the label",
            trigger: ".o_form_view .o_form_statusbar button.btn-primary",
            run: "click",
        },
        pdfDownloadedStep("The label came down as a PDF"),
    ],
});
