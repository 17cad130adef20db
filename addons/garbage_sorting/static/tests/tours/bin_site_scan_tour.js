/** @odoo-module **/
import { registry } from "@web/core/registry";

// The phone's position, about 100 m north of the bin site of the test (30.0, 120.0).
function fakePosition() {
    navigator.geolocation.getCurrentPosition = (success) =>
        success({ coords: { latitude: 30.0009, longitude: 120.0 } });
}

// A volunteer scans the QR code of a bin site (the test opens its link) and checks in with one tap.
registry.category("web_tour.tours").add("garbage_sorting_bin_site_check_in_tour", {
    steps: () => [
        {
            content: "The scanned site's page shows today's duty",
            trigger: ".o_gs_bin_site .o_gs_site_duty button.o_gs_check_in",
            run: fakePosition,
        },
        {
            content: "Check in with one tap",
            trigger: "button.o_gs_check_in",
            run: "click",
        },
        {
            content: "The page confirms the check-in with the distance to the site",
            trigger: ".o_gs_checked_in .o_gs_checkin_distance:contains('100')",
        },
        {
            content: "The check-out form is offered",
            trigger: "button.o_gs_check_out",
        },
    ],
});

// Later at the same site: the volunteer checks out and the hours go for approval.
registry.category("web_tour.tours").add("garbage_sorting_bin_site_check_out_tour", {
    steps: () => [
        {
            content: "The check-out form of today's duty",
            trigger: ".o_gs_bin_site button.o_gs_check_out",
            run: fakePosition,
        },
        {
            content: "Count the persuasions",
            trigger: ".o_gs_site_duty input[name=persuasions]",
            run: "edit 3",
        },
        {
            content: "Note wrong sorting",
            trigger: ".o_gs_site_duty input[name=problem_wrong_sorting]",
            run: "click",
        },
        {
            content: "Check out with one tap",
            trigger: "button.o_gs_check_out",
            run: "click",
        },
        {
            content: "The page confirms the check-out",
            trigger: ".o_gs_checked_out .o_gs_checkout_time",
        },
    ],
});
