import io

import xlsxwriter

# Characters Excel refuses in a sheet name, and its length limit.
SHEET_NAME_FORBIDDEN = str.maketrans({char: " " for char in "[]:*?/\\"})
SHEET_NAME_MAX = 31


def sheet_name(name):
    return name.translate(SHEET_NAME_FORBIDDEN)[:SHEET_NAME_MAX]


def build_workbook(sheets):
    """An XLSX workbook (bytes) from plain values.

    sheets: list of dicts with `name`, `title` (first row), `headers` (second row), `rows` (from the third),
    and optionally `chart`: {"title", "category_column", "value_column"} for a column chart of the rows.
    """
    output = io.BytesIO()
    workbook = xlsxwriter.Workbook(output, {"in_memory": True})
    title_format = workbook.add_format({"bold": True, "font_size": 14})
    header_format = workbook.add_format({"bold": True, "bg_color": "#E2EFDA", "border": 1, "text_wrap": True})
    for sheet_values in sheets:
        name = sheet_name(sheet_values["name"])
        sheet = workbook.add_worksheet(name)
        headers, rows = sheet_values["headers"], sheet_values["rows"]
        sheet.write(0, 0, sheet_values["title"], title_format)
        sheet.write_row(1, 0, headers, header_format)
        for index, row in enumerate(rows, start=2):
            sheet.write_row(index, 0, ["" if value is None else value for value in row])
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
