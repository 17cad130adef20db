import io
from pathlib import Path

import polib

from odoo.tools.translate import trans_export


class TranslationCompletenessMixin:
    """Every term the addon exports (fields, selections, views, errors, reports, portal...) has
    a Chinese translation in its i18n/zh_CN.po. Mix into a TransactionCase and set `module`."""

    module = None

    def test_every_exported_term_is_translated_to_chinese(self):
        buffer = io.BytesIO()
        trans_export(False, [self.module], buffer, "po", self.env.cr)
        exported = {entry.msgid for entry in polib.pofile(buffer.getvalue().decode())}
        po_path = Path(__file__).resolve().parents[2] / self.module / "i18n" / "zh_CN.po"
        translated = {entry.msgid for entry in polib.pofile(str(po_path)) if entry.msgstr and not entry.fuzzy}
        missing = sorted(exported - translated)
        self.assertFalse(missing, f"{len(missing)} terms of {self.module} have no zh_CN translation: {missing[:20]}")
