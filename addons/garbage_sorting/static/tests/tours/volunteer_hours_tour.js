/** @odoo-module **/
import { registry } from "@web/core/registry";

// A volunteer opens the portal on their phone, logs 2.5 hours and finds them in the list.
registry.category("web_tour.tours").add("garbage_sorting_volunteer_hours_tour", {
    url: "/my",
    steps: () => [
        {
            content: "Open the volunteer hours",
            trigger: "a[href='/my/volunteer-hours']",
            run: "click",
        },
        {
            content: "Log new hours",
            trigger: "a.o_gs_log_hours",
            run: "click",
        },
        {
            content: "Enter the hours",
            trigger: "form.o_gs_hour_form input[name=hours]",
            run: "edit 2.5",
        },
        {
            content: "Describe the work",
            trigger: "form.o_gs_hour_form textarea[name=note]",
            run: "edit 桶边督导：劝导居民分类投放",
        },
        {
            content: "Submit for approval",
            trigger: "button.o_gs_submit",
            run: "click",
        },
        {
            content: "The new entry is listed with its hours",
            trigger: ".o_gs_hour_rows tr:first-child td:contains('2.5')",
        },
        {
            content: "The hours waiting for approval include the new entry",
            trigger: ".o_gs_total_pending:contains('2.5')",
        },
    ],
});
