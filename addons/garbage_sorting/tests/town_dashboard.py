"""What the town dashboard must show, computed from the records (not through the dashboard's own filters)."""

import base64
import json
import re
from collections import defaultdict

from odoo.tools.translate import code_translations

DASHBOARD_XMLID = "garbage_sorting.spreadsheet_dashboard_garbage_town_overview"
LIST_CALL = re.compile(r'ODOO\.LIST\((\d+),(\d+),"(\w+)"\)')


def dashboard_data(env):
    dashboard = env.ref(DASHBOARD_XMLID)
    return json.loads(base64.b64decode(dashboard.sudo().spreadsheet_binary_data))


def web_translator(env, lang):
    """The client's _t in `lang` (what `=_t("...")` cells and chart titles show): the web terms of every
    installed module, as the web client loads them, ours last."""
    modules = env["ir.module.module"].sudo().search([("state", "=", "installed")]).mapped("name")
    strings = {}
    for module in sorted(modules, key=lambda name: name == "garbage_sorting"):
        for message in code_translations.get_web_translations(module, lang or "en_US")["messages"]:
            strings[message["id"]] = message["string"]
    return lambda term: strings.get(term, term)


def list_cells(data):
    """{(list id, row, field): cell reference} for the dashboard sheet's list cells (a yes/no cell counts as
    its boolean field: the last list call of the formula)."""
    cells = {}
    for ref, cell in data["sheets"][0]["cells"].items():
        calls = LIST_CALL.findall(cell.get("content", ""))
        if calls and not cell["content"].startswith("=ODOO.LIST.HEADER"):
            list_id, row, field = calls[-1]
            cells[(list_id, int(row), field)] = ref
    return cells


def town_dashboard_expectations(env):
    """The cells, figures and score trend the dashboard must show to env.user (in env's language)."""
    data = dashboard_data(env)
    translate = web_translator(env, env.lang)
    latest = env["garbage.assessment.period"].search([("state", "=", "published")], order="date_start desc", limit=1)
    month = [("period_id", "=", latest.id)]
    Assessment = env["garbage.assessment"]
    lines = Assessment.search(month)
    count = {result: len(lines.filtered(lambda line, r=result: line.result == r)) for result in ("red", "grey", "none")}
    ending_in_month = [("date_end", ">=", latest.date_start), ("date_end", "<=", latest.date_end)]
    obligations = env["garbage.obligation"].search(ending_in_month)
    hours = env["garbage.volunteer.hour"].search(
        [("date", ">=", latest.date_start), ("date", "<=", latest.date_end), ("state", "=", "approved")]
    )
    met = len(obligations.filtered(lambda obligation: obligation.state == "met"))
    cells = [
        {
            "sheet": "Dashboard",
            "xc": "A1",
            "kind": "text",
            "expect": translate("Town Waste Sorting Overview, latest published month: %s").replace("%s", latest.name),
        },
        {"sheet": "Data", "xc": "C8", "kind": "text", "expect": latest.name},
        {"sheet": "Data", "xc": "C1", "kind": "value", "expect": count["red"]},
        {"sheet": "Data", "xc": "C2", "kind": "value", "expect": count["grey"]},
        {"sheet": "Data", "xc": "C3", "kind": "value", "expect": count["none"]},
        {"sheet": "Data", "xc": "C4", "kind": "value", "expect": sum(lines.mapped("overdue_count"))},
        {"sheet": "Data", "xc": "C5", "kind": "value", "expect": met},
        {"sheet": "Data", "xc": "C7", "kind": "value", "expect": len(obligations)},
        {"sheet": "Data", "xc": "C6", "kind": "value", "expect": round(sum(hours.mapped("hours")), 2)},
    ]
    # The lists of the month, line by line: the units, their peer group, yes/no words for booleans.
    sources = {
        "1": [*month, ("result", "=", "red")],
        "2": [*month, ("result", "=", "grey")],
        "3": [*month, ("result", "=", "none")],
        # the task force's own obligations, latest periods first
        "7": [("is_task_force", "=", True)],
    }
    positions = list_cells(data)
    for list_id, domain in sources.items():
        source = data["lists"][list_id]
        Model = env[source["model"]]
        order = ", ".join(f"{term['name']} {'asc' if term['asc'] else 'desc'}" for term in source["orderBy"])
        records = Model.search(domain, order=order, limit=10)
        for (cell_list, row, field), ref in sorted(positions.items()):
            if cell_list != list_id or Model._fields[field].type not in ("many2one", "boolean", "selection"):
                continue
            record = records[row - 1] if row <= len(records) else None
            cells.append({"sheet": "Dashboard", "xc": ref, "kind": "text", "expect": _shown(record, field, translate)})
    # The score trend: per peer group, the average score of the assessed units of each published month.
    assessed = Assessment.search([("period_id.state", "=", "published"), ("result", "!=", "none")])
    months = sorted(set(assessed.mapped("date_start")))
    labels = dict(Assessment._fields["peer_group"]._description_selection(env))
    scores = defaultdict(list)
    for line in assessed:
        scores[(line.peer_group, line.date_start)].append(line.score)
    series = {
        labels[group]: [
            round(sum(scores[(group, day)]) / len(scores[(group, day)]), 2) if scores[(group, day)] else 0
            for day in months
        ]
        for group in sorted({line.peer_group for line in assessed})
    }
    return {
        "cells": cells,
        "chart": {"figure_id": "garbage-score-trend", "labels": len(months), "series": series},
        "latest": latest.name,
    }


def _shown(record, field, translate):
    if record is None:
        return ""
    value = record[field]
    kind = record._fields[field].type
    if kind == "boolean":
        return translate("Yes") if value else translate("No")
    if kind == "many2one":
        return value.display_name
    return dict(record._fields[field]._description_selection(record.env)).get(value, "")
