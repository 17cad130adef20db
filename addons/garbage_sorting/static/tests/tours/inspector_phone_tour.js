/** @odoo-module **/
import { registry } from "@web/core/registry";

/** A small photo drawn on the spot: what the phone camera would hand to the file input. */
async function takePhoto() {
    const canvas = document.createElement("canvas");
    canvas.width = canvas.height = 64;
    const context = canvas.getContext("2d");
    context.fillStyle = "#2e7d32";
    context.fillRect(0, 0, 64, 64);
    context.fillStyle = "#c62828";
    context.fillRect(16, 16, 32, 32);
    const blob = await new Promise((resolve) => canvas.toBlob(resolve, "image/png"));
    return new File([blob], "bin-site.png", { type: "image/png" });
}

// An inspector on a 390 px phone: new patrol, checklist, one check marked down with a photo, done (from the
// unsaved form), and the rectification it opened, with the photo as its "before".
registry.category("web_tour.tours").add("garbage_sorting_inspector_phone_tour", {
    steps: () => [
        {
            content: "A new inspection is a town patrol",
            trigger: ".o_form_view .o_field_widget[name=source]:contains(Town Patrol), .o_form_view .o_field_widget[name=source]:contains(巡查)",
        },
        {
            content: "Choose the inspected unit (on a phone: a full-screen list)",
            trigger: ".o_field_widget[name=unit_id] input",
            run: "click",
        },
        {
            trigger: ".modal .o_kanban_record:contains(青山村)",
            run: "click",
        },
        {
            content: "Choose the checklist",
            trigger: ".o_field_widget[name=unit_id] input:value(青山村)",
        },
        {
            trigger: ".o_field_widget[name=template_id] input",
            run: "click",
        },
        {
            trigger: ".modal .o_kanban_record:not(.o_kanban_ghost):first",
            run: "click",
        },
        {
            content: "The checks are there at once, as cards",
            trigger: ".o_field_widget[name=line_ids] .o_kanban_record:not(.o_kanban_ghost):eq(8)",
        },
        {
            content: "Open the first check",
            trigger: ".o_field_widget[name=line_ids] .o_kanban_record:first",
            run: "click",
        },
        {
            content: "Mark it down",
            trigger: ".modal .o_field_widget[name=score] input",
            run: "edit 5",
        },
        {
            content: "Note what is wrong",
            trigger: ".modal .o_field_widget[name=remark] input",
            run: "edit 可回收物桶满溢",
        },
        {
            content: "Take a photo",
            trigger: ".modal .o_field_widget[name=photo_ids] .o_garbage_photo_add",
            async run() {
                const input = document.querySelector(".modal .o_field_widget[name=photo_ids] input.o_input_file");
                const transfer = new DataTransfer();
                transfer.items.add(await takePhoto());
                input.files = transfer.files;
                input.dispatchEvent(new Event("change", { bubbles: true }));
            },
        },
        {
            content: "The photo shows as a thumbnail",
            trigger: ".modal .o_field_widget[name=photo_ids] .o_garbage_photo img",
        },
        {
            content: "Save the check",
            trigger: ".modal .o_form_button_save",
            run: "click",
        },
        {
            content: "The card shows the new score and the photo",
            trigger: ".o_field_widget[name=line_ids] .o_kanban_record:first .o_garbage_photo img",
        },
        {
            content: "Close the inspection straight from the unsaved form (the button saves it first)",
            trigger: ".o_form_view .o_garbage_done_mobile:visible",
            async run(helpers) {
                if (!window.location.pathname.endsWith("/new")) {
                    throw new Error(`The inspection should not be saved yet (at ${window.location.pathname}).`);
                }
                await helpers.click();
            },
        },
        {
            content: "Done and saved: the check marked down opened a rectification, one tap away",
            trigger: ".o_form_view:not(:has(.o_garbage_done_mobile)) .o_garbage_rectifications_mobile:visible",
            run: "click",
        },
        {
            content: "The rectification: the unit, its deadline...",
            trigger: ".o_form_view:has(.o_field_widget[name=photo_before_ids]) .o_field_widget[name=unit_id]:contains(青山村)",
        },
        {
            trigger: ".o_form_view:has(.o_field_widget[name=photo_before_ids]) .o_field_widget[name=deadline]:contains(20)",
        },
        {
            content: "... and the photo taken at the site as its \"before\"",
            trigger: ".o_form_view .o_field_widget[name=photo_before_ids] .o_garbage_photo img",
            async run() {
                const img = this.anchor;
                if (!img.complete) {
                    await new Promise((resolve) => {
                        img.addEventListener("load", resolve, { once: true });
                        img.addEventListener("error", resolve, { once: true });
                    });
                }
                if (!img.naturalWidth) {
                    throw new Error(`The "before" thumbnail did not load: ${img.src}`);
                }
                const view = document.querySelector(".o_form_view");
                if (view.scrollWidth > window.innerWidth) {
                    throw new Error(`The rectification scrolls sideways (${view.scrollWidth} px).`);
                }
            },
        },
    ],
});
