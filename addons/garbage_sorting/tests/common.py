import io
from pathlib import Path

import polib

from odoo.tests import TransactionCase, new_test_user
from odoo.tools.translate import trans_export

GROUP = "garbage_sorting.garbage_sorting_group_"


class GarbageSortingCase(TransactionCase):
    """Two villages (one the liaison's own), an agency, and one user per role."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.liaison = new_test_user(cls.env, login="t_liaison", groups=GROUP + "liaison")
        cls.other_liaison = new_test_user(cls.env, login="t_liaison2", groups=GROUP + "liaison")
        cls.inspector = new_test_user(cls.env, login="t_inspector", groups=GROUP + "inspector")
        cls.coordinator = new_test_user(cls.env, login="t_coordinator", groups=GROUP + "coordinator")
        cls.leader = new_test_user(cls.env, login="t_leader", groups=GROUP + "leader")
        cls.manager = new_test_user(cls.env, login="t_manager", groups=GROUP + "manager")
        Unit = cls.env["garbage.unit"]
        cls.own_unit = Unit.create(
            {"name": "Own Village", "code": "T-OWN", "unit_type": "village", "user_ids": [(4, cls.liaison.id)]}
        )
        cls.other_unit = Unit.create(
            {"name": "Other Village", "code": "T-OTH", "unit_type": "village", "user_ids": [(4, cls.other_liaison.id)]}
        )
        cls.agency = Unit.create({"name": "Test Bureau", "code": "T-AGY", "unit_type": "agency"})
        cls.template = cls.env.ref("garbage_sorting.garbage_inspection_template_standard")

    @classmethod
    def _inspection(cls, unit, source="self", user=None, **vals):
        Inspection = cls.env["garbage.inspection"]
        if user:
            Inspection = Inspection.with_user(user)
        return Inspection.create({"unit_id": unit.id, "source": source, "template_id": cls.template.id, **vals})


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
