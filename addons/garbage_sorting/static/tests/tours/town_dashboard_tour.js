/** @odoo-module **/
import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_service/tour_utils";

// The figures the test computed from the database (set by the Python test before the tour starts).
function expected() {
    return JSON.parse(sessionStorage.getItem("garbage_sorting_town_dashboard_expected"));
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

function evaluatedCell(model, sheetName, xc) {
    const sheetId = model.getters.getSheetIdByName(sheetName);
    return model.getters.getEvaluatedCell({ sheetId, ...toPosition(xc) });
}

/** Each checked cell as the dashboard shows it (its value or its text) and the score trend's series. */
function shown(model, want) {
    const cells = want.cells.map(({ sheet, xc, kind }) => {
        const cell = evaluatedCell(model, sheet, xc);
        return kind === "value" ? cell.value : String(cell.formattedValue ?? "");
    });
    const data = model.getters.getChartRuntime(want.chart.figure_id)?.chartJsConfig?.data;
    const series = {};
    for (const dataset of data?.datasets || []) {
        series[dataset.label] = dataset.data.map((value) => Math.round(value * 100) / 100);
    }
    return { cells, labels: data ? data.labels.length : 0, series };
}

function isLoaded(view) {
    return view.labels > 0 && !view.cells.some((value) => String(value).startsWith("Loading"));
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
    if (view.labels !== want.chart.labels) {
        wrong.push(`chart: ${view.labels} months != ${want.chart.labels}`);
    }
    const close = (a, b) => a.length === b.length && a.every((value, index) => Math.abs(value - b[index]) < 0.011);
    for (const [label, values] of Object.entries(want.chart.series)) {
        if (!view.series[label] || !close(view.series[label], values)) {
            wrong.push(`chart ${label}: ${JSON.stringify(view.series[label])} != ${JSON.stringify(values)}`);
        }
    }
    if (Object.keys(view.series).length !== Object.keys(want.chart.series).length) {
        wrong.push(`chart series: ${Object.keys(view.series)} != ${Object.keys(want.chart.series)}`);
    }
    return wrong;
}

registry.category("web_tour.tours").add("garbage_sorting_town_dashboard_tour", {
    steps: () => [
        stepUtils.showAppsMenuItem(),
        {
            content: "Open the Dashboards app",
            trigger: '.o_app[data-menu-xmlid="spreadsheet_dashboard.spreadsheet_dashboard_menu_root"]',
            run: "click",
        },
        {
            content: "Open the town dashboard",
            trigger: ".o_search_panel_category_value:contains(全镇垃圾分类总览), .o_search_panel_category_value:contains(Town Waste Sorting Overview)",
            run: "click",
        },
        {
            content: "The dashboard is drawn",
            trigger: ".o_search_panel_category_value.active:contains(全镇垃圾分类总览), .o_search_panel_category_value.active:contains(Town Waste Sorting Overview)",
        },
        {
            trigger: ".o_spreadsheet_dashboard_action .o-spreadsheet .o-grid canvas",
        },
        {
            content: "The figures of the latest published month, the lists and the score trend",
            trigger: ".o_spreadsheet_dashboard_action .o-figure",
            async run() {
                const want = expected();
                const deadline = Date.now() + 20000;
                let view;
                for (;;) {
                    const model = dashboardModel();
                    view = model && shown(model, want);
                    if (view && isLoaded(view)) {
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
