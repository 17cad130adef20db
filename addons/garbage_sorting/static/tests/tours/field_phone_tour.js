/** @odoo-module **/
import { registry } from "@web/core/registry";

// The field roles on a 390 px phone (test_field_phone.py): their actions open as cards, nothing scrolls
// sideways, and the next step is done from a card or from the form's own button, never from the ⚙ menu.

/** The page may scroll down, never sideways. */
function assertNoSidewaysScroll(where) {
    const width = document.documentElement.scrollWidth;
    if (width > window.innerWidth) {
        throw new Error(`${where} scrolls sideways: ${width} px on a ${window.innerWidth} px screen.`);
    }
}

/** What the test marked for this run (a record's reference or name). */
function mark() {
    return sessionStorage.getItem("gs_phone_mark") || "";
}

const CARD = ".o_kanban_view.o_garbage_field_kanban .o_kanban_record:not(.o_kanban_ghost)";

// Any action of a field role: cards with their state as a badge, then its list, then one record's form.
registry.category("web_tour.tours").add("garbage_sorting_phone_cards_tour", {
    steps: () => [
        {
            content: "The action opens as cards on a phone",
            trigger: CARD,
            run() {
                const cards = document.querySelectorAll(CARD);
                for (const card of cards) {
                    if (!card.querySelector(".badge")) {
                        throw new Error(`A card shows no state badge: ${card.innerText}`);
                    }
                }
                assertNoSidewaysScroll("The cards");
            },
        },
        {
            content: "Switch to the list",
            trigger: ".o_control_panel .o_cp_switch_buttons button",
            run: "click",
        },
        {
            trigger: ".o-dropdown-item:has(.oi-view-list)",
            run: "click",
        },
        {
            content: "The list fits the screen",
            trigger: ".o_list_view .o_data_row",
            run() {
                assertNoSidewaysScroll("The list");
            },
        },
        {
            content: "Open a row",
            trigger: ".o_list_view .o_data_row:first .o_data_cell:first",
            run: "click",
        },
        {
            content: "The form fits the screen",
            trigger: ".o_form_view .o_form_sheet",
            run() {
                assertNoSidewaysScroll("The form");
            },
        },
    ],
});

// The liaison's rectifications: the rejected one shows why and when; one is submitted from its card, another
// from its form's own 提交复查 button.
registry.category("web_tour.tours").add("garbage_sorting_liaison_phone_tour", {
    steps: () => {
        const [rejected, fromCard, fromForm, reason] = mark().split("|");
        return [
            {
                content: "The rejected rectification shows the reason and the day on its card",
                trigger: `${CARD}:contains(${rejected}) .o_garbage_card_rejection:contains(${reason})`,
                run() {
                    if (!this.anchor.querySelector(".o_garbage_rejected_on")?.innerText.trim()) {
                        throw new Error("The rejected card shows no rejection date.");
                    }
                    assertNoSidewaysScroll("The rectification cards");
                },
            },
            {
                content: "Submit one for recheck straight from its card",
                trigger: `${CARD}:contains(${fromCard}) button[name=action_submit]`,
                run: "click",
            },
            {
                content: "Its card shows it submitted: no more button",
                trigger: `${CARD}:contains(${fromCard}):not(:has(button[name=action_submit])) .badge.text-bg-info`,
            },
            {
                content: "Open another one",
                trigger: `${CARD}:contains(${fromForm}) .fw-bold`,
                run: "click",
            },
            {
                content: "提交复查 is on the phone's form itself, not in the ⚙ menu",
                trigger: ".o_form_view .o_garbage_submit_mobile:visible",
                run() {
                    assertNoSidewaysScroll("The rectification form");
                    this.anchor.click();
                },
            },
            {
                content: "Submitted: the button is gone",
                trigger: ".o_form_view:not(:has(.o_garbage_submit_mobile)) .o_form_sheet",
            },
        ];
    },
});

// The inspector: a draft inspection is closed from its card, a submitted rectification verified from its card.
registry.category("web_tour.tours").add("garbage_sorting_inspector_cards_tour", {
    steps: () => [
        {
            content: "Close the draft inspection from its card",
            trigger: `${CARD}:contains(${mark()}) button[name=action_done]`,
            run() {
                assertNoSidewaysScroll("The inspection cards");
                this.anchor.click();
            },
        },
        {
            content: "Its card shows it done, with its score",
            trigger: `${CARD}:contains(${mark()}):not(:has(button[name=action_done])) .badge.text-bg-success`,
        },
        {
            trigger: `${CARD}:contains(${mark()}) .o_garbage_card_figure`,
        },
    ],
});

registry.category("web_tour.tours").add("garbage_sorting_inspector_recheck_tour", {
    steps: () => [
        {
            content: "Verify the submitted rectification from its card",
            trigger: `${CARD}:contains(${mark()}) button[name=action_verify]`,
            run() {
                assertNoSidewaysScroll("The rectification cards");
                this.anchor.click();
            },
        },
        {
            content: "Verified: it leaves the cards still to recheck",
            trigger: `.o_kanban_view.o_garbage_field_kanban:not(:has(.o_kanban_record:contains(${mark()})))`,
        },
    ],
});
