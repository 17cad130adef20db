import datetime
import io
import math
import numbers
import re

import xlsxwriter

# Characters Excel refuses in a sheet name (those it forbids, control characters, which XML cannot hold, and lone
# surrogates, which UTF-8 cannot), its length limit and the name it keeps for itself.
SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\\x00-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]+")
SHEET_NAME_MAX = 31
SHEET_NAME_RESERVED = "history"
# What xlsxwriter would otherwise read into a text: "=..." as a live formula, "http://..." as a link, "1e5" as a
# number. Every text of these workbooks (names of units, organisations and people, notes) is written as text.
WORKBOOK_OPTIONS = {
    "in_memory": True,
    "strings_to_formulas": False,
    "strings_to_urls": False,
    "strings_to_numbers": False,
}


def sheet_name(name):
    """A worksheet name Excel opens, whatever name is stored: the characters it refuses made spaces, on one line,
    at most 31 characters, never starting or ending with an apostrophe, never empty nor "History"."""
    text = " ".join(SHEET_NAME_FORBIDDEN.sub(" ", str(name or "")).split())
    text = text.strip(" '")[:SHEET_NAME_MAX].rstrip(" '") or "-"
    return f"{text} -" if text.lower() == SHEET_NAME_RESERVED else text


def write_cell(sheet, row, col, value, cell_format=None):
    """The one writer of every cell of the addons' workbooks: numbers as numbers, everything else as text.

    A text is never a formula, a link or a number, whatever it starts with (`=HYPERLINK(...)`, `+`, `-`, `@`):
    it is written with `write_string`, so a spreadsheet shows it as typed and never evaluates it. Nothing stored
    breaks the download: no value (None, False, "") is an empty cell, a number that is no number (NaN, infinite) too,
    a date is written as its ISO text.
    """
    if value is None or value is False or value == "":
        return sheet.write_blank(row, col, None, cell_format)
    if isinstance(value, numbers.Real) and not isinstance(value, bool):
        if not math.isfinite(value):
            return sheet.write_blank(row, col, None, cell_format)
        return sheet.write_number(row, col, value, cell_format)
    if isinstance(value, datetime.date):
        value = value.isoformat()
    return sheet.write_string(row, col, str(value), cell_format)


def write_row(sheet, row, values, cell_format=None):
    for col, value in enumerate(values):
        write_cell(sheet, row, col, value, cell_format)


def build_workbook(sheets):
    """An XLSX workbook (bytes) from plain values, every cell written by `write_cell`.

    sheets: list of dicts with `name`, `title` (first row), `headers` (second row), `rows` (from the third),
    and optionally `chart`: {"title", "category_column", "value_column"} for a column chart of the rows.
    """
    output = io.BytesIO()
    workbook = xlsxwriter.Workbook(output, WORKBOOK_OPTIONS)
    title_format = workbook.add_format({"bold": True, "font_size": 14})
    header_format = workbook.add_format({"bold": True, "bg_color": "#E2EFDA", "border": 1, "text_wrap": True})
    used_names = set()
    for sheet_values in sheets:
        name = sheet_name(sheet_values["name"])
        # Two sections whose names differ only beyond 31 characters (or in case) still get a sheet each.
        base, number = name, 1
        while name.lower() in used_names:
            number += 1
            suffix = f" ({number})"
            name = base[: SHEET_NAME_MAX - len(suffix)] + suffix
        used_names.add(name.lower())
        sheet = workbook.add_worksheet(name)
        headers, rows = sheet_values["headers"], sheet_values["rows"]
        write_cell(sheet, 0, 0, sheet_values["title"], title_format)
        write_row(sheet, 1, headers, header_format)
        for index, row in enumerate(rows, start=2):
            write_row(sheet, index, row)
        sheet.set_column(0, max(len(headers) - 1, 0), 16)
        sheet.freeze_panes(2, 0)
        chart_values = sheet_values.get("chart")
        if chart_values and rows:
            chart = workbook.add_chart({"type": "column"})
            last_row = len(rows) + 1
            chart.add_series(
                {
                    "name": chart_values["title"],
                    "categories": [name, 2, chart_values["category_column"], last_row, chart_values["category_column"]],
                    "values": [name, 2, chart_values["value_column"], last_row, chart_values["value_column"]],
                }
            )
            chart.set_title({"name": chart_values["title"]})
            chart.set_legend({"none": True})
            chart.set_y_axis({"min": 0, "max": 100})
            sheet.insert_chart(1, len(headers) + 1, chart, {"x_scale": 1.5, "y_scale": 1.3})
    workbook.close()
    return output.getvalue()
