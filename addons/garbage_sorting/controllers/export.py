"""The web client's own spreadsheet downloads (a list's Export, a pivot's Download xlsx) of the town's records
write every text as text, as the addons' own workbooks do (report/xlsx_workbook.py).

Core's export controllers open their workbook with xlsxwriter's defaults, so a unit named `=HYPERLINK(...)` would
be a live formula and `http://...` a link. Their `xlsxwriter` becomes a stand-in that opens the workbook with the
text options while one of these routes exports a model of the addons, and exactly as before for any other model.
"""

import contextlib
import contextvars
import json

from odoo import http
from odoo.addons.web.controllers import export, pivot
from odoo.tools.misc import xlsxwriter

from ..report.xlsx_workbook import WORKBOOK_OPTIONS

TOWN_MODULES = ("garbage_sorting", "party_branch_linkage")
_texts_as_texts = contextvars.ContextVar("garbage_sorting_xlsx_texts_as_texts", default=False)


class _XlsxWriterOfExports:
    """xlsxwriter as web's export controllers see it (their module's `xlsxwriter` name)."""

    def __getattr__(self, name):
        return getattr(xlsxwriter, name)

    def Workbook(self, filename=None, options=None):  # xlsxwriter's own name
        if _texts_as_texts.get():
            options = {**(options or {}), **WORKBOOK_OPTIONS}
        return xlsxwriter.Workbook(filename, options)


export.xlsxwriter = pivot.xlsxwriter = _XlsxWriterOfExports()


def _exports_town_records(data):
    """Whether `data` (the client's JSON) exports a model of the addons."""
    try:
        model = json.loads(data).get("model")
    except (TypeError, ValueError, AttributeError):
        return False  # core's controller answers the malformed request as it always does
    Model = http.request.env.get(model) if isinstance(model, str) else None
    return Model is not None and Model._original_module in TOWN_MODULES


@contextlib.contextmanager
def _texts_as_texts_for(data):
    token = _texts_as_texts.set(_exports_town_records(data))
    try:
        yield
    finally:
        _texts_as_texts.reset(token)


class TownListExport(export.ExcelExport):
    @http.route()
    def web_export_xlsx(self, data):
        with _texts_as_texts_for(data):
            return super().web_export_xlsx(data)


class TownPivotExport(pivot.TableExporter):
    @http.route()
    def export_xlsx(self, data, **kw):
        with _texts_as_texts_for(data):
            return super().export_xlsx(data, **kw)
