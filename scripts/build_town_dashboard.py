"""Write the town dashboard: addons/garbage_sorting/data/files/garbage_town_dashboard.json.

Usage: python3 scripts/build_town_dashboard.py [OUTPUT]

Odoo 18 Community cannot edit a dashboard in the browser: the file is written here, in the structure of
Odoo 18's own dashboards (spreadsheet version 21, "ODOO" pivots, odoo_line chart, scorecards reading a
"Data" sheet). Every figure and list of the month filters on the latest published month (search-only
flags), so the file holds no date; texts are English `_t("...")` terms translated in i18n/zh_CN.po.
"""

import json
import sys
from pathlib import Path

LATEST = [["is_latest_published", "=", True]]
LATEST_MONTH = [["in_latest_published_month", "=", True]]
ROWS = 10


def col(index):
    return "ABCDEFGHIJKLMNOPQRSTUVWXYZ"[index]


def q(text):
    return json.dumps(text, ensure_ascii=False)


def t(text):
    return f"_t({q(text)})"


pivots = {}
lists = {}


def pivot(pid, name, model, domain, measures, rows=(), sorted_measure=None):
    pivots[str(pid)] = {
        "type": "ODOO",
        "fieldMatching": {},
        "context": {},
        "domain": domain,
        "id": str(pid),
        "measures": [{"id": m, "fieldName": m} for m in measures],
        "model": model,
        "name": name,
        "sortedColumn": ({"groupId": [[], []], "measure": sorted_measure, "order": "desc"} if sorted_measure else None),
        "formulaId": str(pid),
        "columns": [],
        "rows": [{"fieldName": r} for r in rows],
    }


def lst(lid, name, model, domain, columns, order):
    lists[str(lid)] = {
        "columns": columns,
        "domain": domain,
        "model": model,
        "context": {},
        "orderBy": [{"name": n, "asc": a} for n, a in order],
        "id": str(lid),
        "name": name,
        "fieldMatching": {},
    }


# ---------------------------------------------------------------- data sources
pivot(1, "KPI - Red List", "garbage.assessment", [*LATEST, ["result", "=", "red"]], ["__count"])
pivot(2, "KPI - Grey List", "garbage.assessment", [*LATEST, ["result", "=", "grey"]], ["__count"])
pivot(3, "KPI - Not Assessed", "garbage.assessment", [*LATEST, ["result", "=", "none"]], ["__count"])
pivot(4, "KPI - Overdue Rectifications", "garbage.assessment", LATEST, ["overdue_count"])
pivot(5, "KPI - Obligations Met", "garbage.obligation", [*LATEST_MONTH, ["state", "=", "met"]], ["__count"])
pivot(6, "KPI - Obligations Due", "garbage.obligation", LATEST_MONTH, ["__count"])
pivot(7, "KPI - Volunteer Hours", "garbage.volunteer.hour", [*LATEST_MONTH, ["state", "=", "approved"]], ["hours"])
pivot(
    8,
    "Approved Volunteer Hours per Unit",
    "garbage.volunteer.hour",
    [*LATEST_MONTH, ["state", "=", "approved"], ["unit_id", "!=", False]],
    ["hours"],
    rows=["unit_id"],
    sorted_measure="hours",
)

lst(
    1,
    "Red List",
    "garbage.assessment",
    [*LATEST, ["result", "=", "red"]],
    ["peer_group", "rank", "unit_id", "score", "red_flag"],
    [("peer_group", True), ("rank", True), ("unit_id", True)],
)
lst(
    2,
    "Grey List",
    "garbage.assessment",
    [*LATEST, ["result", "=", "grey"]],
    ["peer_group", "unit_id", "score", "missed_count", "overdue_count", "vetoed"],
    [("score", True), ("unit_id", True)],
)
lst(
    3,
    "Not Assessed",
    "garbage.assessment",
    [*LATEST, ["result", "=", "none"]],
    ["peer_group", "unit_id"],
    [("peer_group", True), ("unit_id", True)],
)
lst(
    4,
    "Overdue Rectifications Today",
    "garbage.rectification",
    [["is_overdue", "=", True]],
    ["unit_id", "name", "deadline", "assignee_id", "state"],
    [("deadline", True)],
)
lst(
    5,
    "Open Escalations",
    "garbage.escalation",
    [["state", "=", "open"]],
    ["unit_id", "level", "grey_count", "responsible_id", "date_deadline"],
    [("date_deadline", True)],
)
lst(
    6,
    "Latest Published Month",
    "garbage.assessment.period",
    [["state", "=", "published"]],
    ["name", "date_start"],
    [("date_start", False)],
)

# the task force's own duties (mutual rounds, 1+1+N activities), latest periods first
lst(
    7,
    "Task Force's Own Obligations",
    "garbage.obligation",
    [["is_task_force", "=", True]],
    ["rule_id", "date_start", "date_end", "done", "expected", "state"],
    [("date_start", False), ("rule_id", True)],
)

# ---------------------------------------------------------------- Data sheet
KPIS = [
    # (label, formula of the figure, scorecard background)
    ("Red List", 'PIVOT.VALUE(1,"__count")', "#FDECEA"),
    ("Grey List", 'PIVOT.VALUE(2,"__count")', "#EEEEEE"),
    ("Not Assessed", 'PIVOT.VALUE(3,"__count")', "#F5F5F5"),
    ("Overdue at Month End", 'PIVOT.VALUE(4,"overdue_count")', "#FFF7ED"),
    ("Obligations Met", None, "#EFF6FF"),
    ("Volunteer Hours", 'PIVOT.VALUE(7,"hours")', "#ECFDF5"),
]
data_cells = {}
for index, (label, formula, __) in enumerate(KPIS, start=1):
    data_cells[f"A{index}"] = {"content": f"={t(label)}"}
    if formula:
        data_cells[f"B{index}"] = {"content": f"={formula}"}
        data_cells[f"C{index}"] = {"content": f"=B{index}+0"}
data_cells["B5"] = {"content": '=PIVOT.VALUE(5,"__count")'}
data_cells["A7"] = {"content": f"={t('Obligations Due')}"}
data_cells["B7"] = {"content": '=PIVOT.VALUE(6,"__count")'}
data_cells["C5"] = {"content": "=B5+0"}
data_cells["C7"] = {"content": "=B7+0"}

data_sheet = {
    "id": "garbage-town-data",
    "name": "Data",
    "colNumber": 26,
    "rowNumber": 100,
    "rows": {},
    "cols": {"0": {"size": 200}, "1": {"size": 100}, "2": {"size": 100}},
    "merges": [],
    "cells": data_cells,
    "styles": {},
    "formats": {},
    "borders": {},
    "conditionalFormats": [],
    "figures": [],
    "tables": [],
    "areGridLinesVisible": True,
    "isVisible": True,
    "headerGroups": {"ROW": [], "COL": []},
    "dataValidationRules": [],
    "comments": {},
}

# ---------------------------------------------------------------- Dashboard sheet
cells = {}
styles = {}
row_sizes = {}
TITLE, HEADING, HEADER, BODY = 1, 2, 3, 4


def put(ref, content, style=None):
    cells[ref] = {"content": content}
    if style:
        styles[ref] = style


put(
    "A1",
    f"=SUBSTITUTE({t('Town Waste Sorting Overview, latest published month: %s')},\"%s\",ODOO.LIST(6,1,\"name\"))",
    TITLE,
)
row_sizes[0] = 40

row = 6  # 0-based index of the chart heading
put(f"A{row + 1}", f"={t('Monthly Average Score per Peer Group (assessed units, published months)')}", HEADING)
row_sizes[row] = 40
chart_row = row + 1
row = chart_row + 15


def list_section(heading, list_id, columns, start_row, yes_no=(), numbers=()):
    """A heading, the list's column headers and ROWS lines; returns the next free row index."""
    put(f"A{start_row + 1}", f"={t(heading)}", HEADING)
    row_sizes[start_row] = 40
    header_row = start_row + 1
    for index, name in enumerate(columns):
        put(f"{col(index)}{header_row + 1}", f'=ODOO.LIST.HEADER({list_id},"{name}")', HEADER)
    for line in range(1, ROWS + 1):
        ref_row = header_row + line + 1
        for index, name in enumerate(columns):
            value = f'ODOO.LIST({list_id},{line},"{name}")'
            if name in numbers:
                first = f'ODOO.LIST({list_id},{line},"{columns[0]}")'
                content = f'=IF({first}="","",{value}+0)'
            elif name in yes_no:
                first = f'ODOO.LIST({list_id},{line},"{columns[0]}")'
                content = f'=IF({first}="","",IF({value},{t("Yes")},{t("No")}))'
            else:
                content = f"={value}"
            put(f"{col(index)}{ref_row}", content, BODY)
    return header_row + ROWS + 2


row = list_section("Red List of the Month", 1, lists["1"]["columns"], row, yes_no=("red_flag",))
row = list_section(
    "Grey List of the Month",
    2,
    lists["2"]["columns"],
    row,
    yes_no=("vetoed",),
    numbers=("missed_count", "overdue_count"),
)
row = list_section("Units Not Assessed in the Month", 3, lists["3"]["columns"], row)
# the hours per unit: a pivot (PIVOT.HEADER / PIVOT.VALUE), like core's "top" tables
put(f"A{row + 1}", f"={t('Approved Volunteer Hours of the Month per Unit')}", HEADING)
row_sizes[row] = 40
put(f"A{row + 2}", f"={t('Unit')}", HEADER)
put(f"B{row + 2}", f"={t('Hours')}", HEADER)
for line in range(1, ROWS + 1):
    put(f"A{row + 2 + line}", f'=PIVOT.HEADER(8,"#unit_id",{line})', BODY)
    put(f"B{row + 2 + line}", f'=PIVOT.VALUE(8,"hours","#unit_id",{line})', BODY)
row += ROWS + 3
row = list_section("Overdue Rectifications Today", 4, lists["4"]["columns"], row)
row = list_section("Open Escalations", 5, lists["5"]["columns"], row)
row = list_section("Task Force's Own Obligations", 7, lists["7"]["columns"], row, numbers=("done", "expected"))

DEFAULT_ROW = 23


def y_of(row_index):
    return sum(row_sizes.get(r, DEFAULT_ROW) for r in range(row_index))


figures = []
WIDTH, GAP, MONTH_WIDTH = 145, 6, 160
# first card: the month every figure is about (on a phone, the figures are all the dashboard shows)
data_cells["A8"] = {"content": f"={t('Latest Published Month')}"}
data_cells["C8"] = {"content": '=ODOO.LIST(6,1,"name")'}
figures.append(
    {
        "id": "garbage-kpi-month",
        "x": 0,
        "y": y_of(1) + 8,
        "width": MONTH_WIDTH,
        "height": 100,
        "tag": "chart",
        "data": {
            "baselineColorDown": "#DC6965",
            "baselineColorUp": "#00A04A",
            "baselineMode": "difference",
            "title": {"text": "Latest Published Month", "bold": True, "color": "#434343"},
            "type": "scorecard",
            "background": "#FFFFFF",
            "keyValue": "Data!C8",
            "humanize": False,
        },
    }
)
for index, (label, __, background) in enumerate(KPIS):
    figures.append(
        {
            "id": f"garbage-kpi-{index + 1}",
            "x": MONTH_WIDTH + GAP + index * (WIDTH + GAP),
            "y": y_of(1) + 8,
            "width": WIDTH,
            "height": 100,
            "tag": "chart",
            "data": {
                "baselineColorDown": "#DC6965",
                "baselineColorUp": "#00A04A",
                "baselineMode": "difference",
                "title": {"text": label, "bold": True, "color": "#434343"},
                "type": "scorecard",
                "background": background,
                "keyValue": f"Data!C{index + 1}",
                "humanize": False,
                # obligations: met, with the number due below
                **({"baselineMode": "text", "baseline": "Data!C7", "baselineDescr": "due"} if index == 4 else {}),
            },
        }
    )
figures.append(
    {
        "id": "garbage-score-trend",
        "x": 0,
        "y": y_of(chart_row) + 4,
        "width": 1066,
        "height": 15 * DEFAULT_ROW - 10,
        "tag": "chart",
        "data": {
            "title": {"text": ""},
            "background": "#FFFFFF",
            "legendPosition": "top",
            "metaData": {
                "groupBy": ["date_start:month", "peer_group"],
                "measure": "score",
                "order": None,
                "resModel": "garbage.assessment",
                "mode": "line",
            },
            "searchParams": {
                "comparison": None,
                "context": {},
                "domain": [["period_id.state", "=", "published"], ["result", "!=", "none"]],
                "groupBy": ["date_start:month", "peer_group"],
                "orderBy": [],
            },
            "type": "odoo_line",
            "verticalAxisPosition": "left",
            "stacked": False,
            "fillArea": False,
            "fieldMatching": {},
        },
    }
)

dashboard_sheet = {
    "id": "garbage-town-overview",
    "name": "Dashboard",
    "colNumber": 7,
    "rowNumber": row + 2,
    "rows": {str(r): {"size": s} for r, s in sorted(row_sizes.items())},
    "cols": {
        "0": {"size": 170},
        "1": {"size": 180},
        "2": {"size": 170},
        "3": {"size": 150},
        "4": {"size": 150},
        "5": {"size": 150},
        "6": {"size": 100},
    },
    "merges": [],
    "cells": cells,
    "styles": styles,
    "formats": {},
    "borders": {},
    "conditionalFormats": [],
    "figures": figures,
    "tables": [],
    "areGridLinesVisible": False,
    "isVisible": True,
    "headerGroups": {"ROW": [], "COL": []},
    "dataValidationRules": [],
    "comments": {},
}

data = {
    "version": 21,
    "sheets": [dashboard_sheet, data_sheet],
    "styles": {
        str(TITLE): {"textColor": "#b71c1c", "bold": True, "fontSize": 16},
        str(HEADING): {"textColor": "#434343", "fontSize": 11, "bold": True},
        str(HEADER): {"textColor": "#434343", "bold": True, "fillColor": "#f2f2f2"},
        str(BODY): {"textColor": "#434343", "verticalAlign": "middle"},
    },
    "formats": {},
    "borders": {},
    "revisionId": "START_REVISION",
    "uniqueFigureIds": True,
    "settings": {
        "locale": {
            "name": "English (US)",
            "code": "en_US",
            "thousandsSeparator": ",",
            "decimalSeparator": ".",
            "dateFormat": "yyyy-mm-dd",
            "timeFormat": "hh:mm:ss",
            "formulaArgSeparator": ",",
            "weekStart": 1,
        }
    },
    "pivots": pivots,
    "pivotNextId": len(pivots) + 1,
    "customTableStyles": {},
    "odooVersion": 12,
    "globalFilters": [],
    "lists": lists,
    "listNextId": len(lists) + 1,
    "chartOdooMenusReferences": {"garbage-score-trend": "garbage_sorting.garbage_assessment_analysis_menu"},
}

OUTPUT = Path(__file__).parent.parent / "addons/garbage_sorting/data/files/garbage_town_dashboard.json"
with open(sys.argv[1] if len(sys.argv) > 1 else OUTPUT, "w", encoding="utf-8") as out:
    json.dump(data, out, ensure_ascii=False, indent=4)
    out.write("\n")
