"""Write the district dashboard: addons/garbage_sorting/data/files/garbage_district_dashboard.json.

Usage: python3 scripts/build_district_dashboard.py [OUTPUT]

The sibling of build_town_dashboard.py (same spreadsheet structure, Odoo 18's own): it reads the district roll-up
(`garbage.district.rollup`, the towns' published months only). The figures and the list are each town's latest
published month (the search-only flag `is_latest_published`), so the file holds no date and no town; the charts
draw one line or bar series per town over the published months. Texts are English `_t("...")` terms translated
in i18n/zh_CN.po.
"""

import json
import sys
from pathlib import Path

MODEL = "garbage.district.rollup"
ROLLUP_MENU = "garbage_sorting.garbage_district_rollup_menu"
LATEST = [["is_latest_published", "=", True]]
ROWS = 20  # a district's towns
COLUMNS = [
    "company_id",
    "name",
    "coverage",
    "red_count",
    "grey_count",
    "escalation_1_count",
    "escalation_2_count",
    "escalation_3_count",
    "veto_count",
    "volunteer_hours",
    "party_approved_count",
]
NUMBERS = COLUMNS[2:]


def col(index):
    return "ABCDEFGHIJKLMNOPQRSTUVWXYZ"[index]


def q(text):
    return json.dumps(text, ensure_ascii=False)


def t(text):
    return f"_t({q(text)})"


pivots = {
    "1": {
        "type": "ODOO",
        "fieldMatching": {},
        "context": {},
        "domain": LATEST,
        "id": "1",
        "measures": [
            {"id": name, "fieldName": name} for name in ("__count", "red_count", "grey_count", "volunteer_hours")
        ],
        "model": MODEL,
        "name": "District - Latest Published Months",
        "sortedColumn": None,
        "formulaId": "1",
        "columns": [],
        "rows": [],
    }
}
lists = {
    "1": {
        "columns": COLUMNS,
        "domain": LATEST,
        "model": MODEL,
        "context": {},
        "orderBy": [{"name": "company_id", "asc": True}],
        "id": "1",
        "name": "Towns' Latest Published Months",
        "fieldMatching": {},
    }
}

# ---------------------------------------------------------------- Data sheet
KPIS = [
    # (label, measure, scorecard background)
    ("Towns", "__count", "#FFFFFF"),
    ("Red List", "red_count", "#FDECEA"),
    ("Grey List", "grey_count", "#EEEEEE"),
    ("Approved Volunteer Hours", "volunteer_hours", "#ECFDF5"),
]
data_cells = {}
for index, (label, measure, __) in enumerate(KPIS, start=1):
    data_cells[f"A{index}"] = {"content": f"={t(label)}"}
    data_cells[f"B{index}"] = {"content": f'=PIVOT.VALUE(1,"{measure}")'}
    data_cells[f"C{index}"] = {"content": f"=B{index}+0"}

data_sheet = {
    "id": "garbage-district-data",
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


put("A1", f"={t('District Waste Sorting Overview: each town’s latest published month')}", TITLE)
row_sizes[0] = 40

# the towns side by side: one line per town (its latest published month)
row = 6
put(f"A{row + 1}", f"={t('The Towns’ Latest Published Months')}", HEADING)
row_sizes[row] = 40
header_row = row + 1
for index, name in enumerate(COLUMNS):
    put(f"{col(index)}{header_row + 1}", f'=ODOO.LIST.HEADER(1,"{name}")', HEADER)
for line in range(1, ROWS + 1):
    for index, name in enumerate(COLUMNS):
        value = f'ODOO.LIST(1,{line},"{name}")'
        numeric = f'=IF(ODOO.LIST(1,{line},"company_id")="","",{value}+0)'
        content = numeric if name in NUMBERS else f"={value}"
        put(f"{col(index)}{header_row + line + 1}", content, BODY)
row = header_row + ROWS + 2

CHARTS = [
    # (figure id, heading, measure, chart type)
    ("garbage-district-coverage", "Coverage per Town (%, published months)", "coverage", "odoo_line"),
    ("garbage-district-red", "Red List per Town (published months)", "red_count", "odoo_bar"),
    ("garbage-district-grey", "Grey List per Town (published months)", "grey_count", "odoo_bar"),
]
chart_rows = {}
for figure_id, heading, __, ___ in CHARTS:
    put(f"A{row + 1}", f"={t(heading)}", HEADING)
    row_sizes[row] = 40
    chart_rows[figure_id] = row + 1
    row += 16

DEFAULT_ROW = 23


def y_of(row_index):
    return sum(row_sizes.get(r, DEFAULT_ROW) for r in range(row_index))


figures = []
WIDTH, GAP = 180, 6
for index, (label, __, background) in enumerate(KPIS):
    figures.append(
        {
            "id": f"garbage-district-kpi-{index + 1}",
            "x": index * (WIDTH + GAP),
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
            },
        }
    )
for figure_id, __, measure, chart_type in CHARTS:
    group_by = ["date_start:month", "company_id"]
    figures.append(
        {
            "id": figure_id,
            "x": 0,
            "y": y_of(chart_rows[figure_id]) + 4,
            "width": 1200,
            "height": 15 * DEFAULT_ROW - 10,
            "tag": "chart",
            "data": {
                "title": {"text": ""},
                "background": "#FFFFFF",
                "legendPosition": "top",
                "metaData": {
                    "groupBy": group_by,
                    "measure": measure,
                    "order": None,
                    "resModel": MODEL,
                    "mode": chart_type.removeprefix("odoo_"),
                },
                "searchParams": {
                    "comparison": None,
                    "context": {},
                    "domain": [],
                    "groupBy": group_by,
                    "orderBy": [],
                },
                "type": chart_type,
                "verticalAxisPosition": "left",
                "stacked": False,
                **({"fillArea": False} if chart_type == "odoo_line" else {}),
                "fieldMatching": {},
            },
        }
    )

dashboard_sheet = {
    "id": "garbage-district-overview",
    "name": "Dashboard",
    "colNumber": len(COLUMNS),
    "rowNumber": row + 2,
    "rows": {str(r): {"size": s} for r, s in sorted(row_sizes.items())},
    "cols": {str(index): {"size": 170 if index < 2 else 110} for index in range(len(COLUMNS))},
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
    "chartOdooMenusReferences": dict.fromkeys((chart[0] for chart in CHARTS), ROLLUP_MENU),
}

OUTPUT = Path(__file__).parent.parent / "addons/garbage_sorting/data/files/garbage_district_dashboard.json"
with open(sys.argv[1] if len(sys.argv) > 1 else OUTPUT, "w", encoding="utf-8") as out:
    json.dump(data, out, ensure_ascii=False, indent=4)
    out.write("\n")
