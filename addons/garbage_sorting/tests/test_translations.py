from odoo.exceptions import ValidationError
from odoo.tests import TransactionCase, tagged

from .common import TranslationCompletenessMixin


@tagged("post_install", "-at_install")
class TestTranslations(TranslationCompletenessMixin, TransactionCase):
    module = "garbage_sorting"

    def test_chinese_user_reads_the_chinese_error(self):
        unit = self.env["garbage.unit"].create({"name": "译文村", "code": "I18N-1", "unit_type": "village"})
        Inspection = self.env["garbage.inspection"].with_context(lang="zh_CN")
        with self.assertRaises(ValidationError) as caught, self.env.cr.savepoint():
            Inspection.create(
                {
                    "unit_id": unit.id,
                    "source": "self",
                    "line_ids": [(0, 0, {"name": "桶具配置", "max_score": 10, "score": 12})],
                }
            )
        self.assertEqual(str(caught.exception), "检查项“桶具配置”的得分须在 0 到 10.0 之间。")
        self.assertFalse(self.env["garbage.inspection"].search([("unit_id", "=", unit.id)]))

    def test_chinese_user_reads_chinese_labels(self):
        Unit = self.env["garbage.unit"].with_context(lang="zh_CN")
        field = Unit.fields_get(["unit_type"])["unit_type"]
        self.assertEqual(
            dict(field["selection"]),
            {
                "village": "行政村",
                "community": "社区",
                "agency": "镇机关局(办)",
                "institution": "市镇单位",
                "enterprise": "企业",
            },
        )
        self.assertEqual(field["string"], "类型")
        root = self.env.ref("garbage_sorting.garbage_sorting_menu_root").with_context(lang="zh_CN")
        self.assertEqual(root.name, "垃圾分类")
