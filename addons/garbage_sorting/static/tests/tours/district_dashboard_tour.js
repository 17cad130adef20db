/** @odoo-module **/
import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_service/tour_utils";

// The figures the test computed from the database (set by the Python test before the tour starts).
function expected() {
    return JSON.parse(sessionStorage.getItem("garbage_sorting_district_dashboard_expected"));
}

/** The spreadsheet model of the open dashboard, found in the web client's component tree. */
function dashboardModel() {
    const nodes = [odoo.__WOWL_DEBUG__.root.__owl__];
    while (nodes.length) {
        const node = nodes.shift();
        const model = node.component?.state?.activeDashboard?.model;
        if (model) {
            return model;
        }
        nodes.push(...Object.values(node.children || {}));
    }
    return undefined;
}

function toPosition(xc) {
    const [, letter, digits] = xc.match(/^([A-Z])(\d+)$/);
    return { col: letter.charCodeAt(0) - 65, row: Number(digits) - 1 };
}

/** Each checked cell as the dashboard shows it, and each chart's series (one per town). */
function shown(model, want) {
    const cells = want.cells.map(({ sheet, xc, kind }) => {
        const sheetId = model.getters.getSheetIdByName(sheet);
        const cell = model.getters.getEvaluatedCell({ sheetId, ...toPosition(xc) });
        return kind === "value" ? cell.value : String(cell.formattedValue ?? "");
    });
    const charts = {};
    for (const figureId of Object.keys(want.charts)) {
        const data = model.getters.getChartRuntime(figureId)?.chartJsConfig?.data;
        charts[figureId] = Object.fromEntries(
            (data?.datasets || []).map((dataset) => [dataset.label, dataset.data.map((value) => Number(value) || 0)])
        );
    }
    return { cells, charts };
}

function isLoaded(view, want) {
    return (
        !view.cells.some((value) => String(value).startsWith("Loading")) &&
        Object.keys(want.charts).every((figureId) => Object.keys(view.charts[figureId]).length > 0)
    );
}

function differences(view, want) {
    const wrong = [];
    want.cells.forEach((check, index) => {
        const got = view.cells[index];
        const same =
            typeof check.expect === "number"
                ? typeof got === "number" && Math.abs(got - check.expect) < 0.005
                : got === check.expect;
        if (!same) {
            wrong.push(`${check.sheet}!${check.xc}: ${JSON.stringify(got)} != ${JSON.stringify(check.expect)}`);
        }
    });
    for (const [figureId, series] of Object.entries(want.charts)) {
        const got = view.charts[figureId];
        for (const [town, values] of Object.entries(series)) {
            const close =
                got[town] &&
                got[town].length === values.length &&
                got[town].every((value, index) => Math.abs(value - values[index]) < 0.051);
            if (!close) {
                wrong.push(`${figureId} ${town}: ${JSON.stringify(got[town])} != ${JSON.stringify(values)}`);
            }
        }
        if (Object.keys(got).length !== Object.keys(series).length) {
            wrong.push(`${figureId}: series ${Object.keys(got)} != ${Object.keys(series)}`);
        }
    }
    return wrong;
}

registry.category("web_tour.tours").add("garbage_sorting_district_dashboard_tour", {
    steps: () => [
        stepUtils.showAppsMenuItem(),
        {
            content: "Open the Dashboards app",
            trigger: '.o_app[data-menu-xmlid="spreadsheet_dashboard.spreadsheet_dashboard_menu_root"]',
            run: "click",
        },
        {
            content: "Open the district dashboard",
            trigger: ".o_search_panel_category_value:contains(全区垃圾分类总览), .o_search_panel_category_value:contains(District Waste Sorting Overview)",
            run: "click",
        },
        {
            content: "The dashboard is drawn",
            trigger: ".o_search_panel_category_value.active:contains(全区垃圾分类总览), .o_search_panel_category_value.active:contains(District Waste Sorting Overview)",
        },
        {
            trigger: ".o_spreadsheet_dashboard_action .o-spreadsheet .o-grid canvas",
        },
        {
            content: "Each town's latest published month, and a series per town in every chart",
            trigger: ".o_spreadsheet_dashboard_action .o-figure",
            async run() {
                const want = expected();
                const deadline = Date.now() + 20000;
                let view;
                for (;;) {
                    const model = dashboardModel();
                    view = model && shown(model, want);
                    if (view && isLoaded(view, want)) {
                        break;
                    }
                    if (Date.now() > deadline) {
                        throw new Error(`The dashboard did not load in 20 s: ${JSON.stringify(view)}`);
                    }
                    await new Promise((resolve) => setTimeout(resolve, 100));
                }
                const wrong = differences(view, want);
                if (wrong.length) {
                    throw new Error(`The dashboard shows other figures:\n${wrong.join("\n")}`);
                }
                document.body.classList.add("o_garbage_dashboard_checked");
            },
        },
        {
            content: "The client still answers: fold the dashboards panel",
            trigger: "body.o_garbage_dashboard_checked .o_spreadsheet_dashboard_search_panel button:has(.fa-angle-double-left)",
            run: "click",
        },
        {
            trigger: ".o_spreadsheet_dashboard_action .o_search_panel_sidebar",
        },
    ],
});
