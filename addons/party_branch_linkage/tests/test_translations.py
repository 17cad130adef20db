from odoo.addons.garbage_sorting.tests.common import TranslationCompletenessMixin
from odoo.exceptions import ValidationError
from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestTranslations(TranslationCompletenessMixin, TransactionCase):
    module = "party_branch_linkage"

    def test_chinese_user_reads_the_chinese_error(self):
        Event = self.env["calendar.event"].with_context(lang="zh_CN")
        with self.assertRaises(ValidationError) as caught, self.env.cr.savepoint():
            Event.create(
                {
                    "name": "无组织方的例会",
                    "start": "2026-03-10 01:00:00",
                    "stop": "2026-03-10 02:00:00",
                    "party_meeting_kind": "work",
                }
            )
        self.assertEqual(str(caught.exception), "会议“无组织方的例会”需要指定组织方：单位、党组织或联动小组。")
        self.assertFalse(self.env["calendar.event"].search([("name", "=", "无组织方的例会")]))

    def test_chinese_user_reads_chinese_labels(self):
        field = self.env["party.organization"].with_context(lang="zh_CN").fields_get(["org_type"])["org_type"]
        self.assertIn(("action_branch", "行动支部"), field["selection"])
        self.assertEqual(field["string"], "类型")
