"""The level-3 report (the unit's year, attached to its third grey listing and sent to its superior authority) is a
PDF in the town's language on the town's letterhead, whoever publishes the month and in whatever language."""

import base64

from odoo.tests import tagged

from .common import AssessmentCase, month, pdf_text


@tagged("post_install", "-at_install")
class TestLevelThreeReportDocument(AssessmentCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.write({"name": "测试镇人民政府"})
        cls.env.company.partner_id.write(
            {
                "lang": "zh_CN",
                "street": "和平路8号",
                "city": "测试镇",
                "zip": "311299",
                "country_id": cls.env.ref("base.cn").id,
                "state_id": cls.env.ref("base.state_cn_ZJ").id,
            }
        )
        cls.manager.lang = "en_US"
        cls.grey, cls.good = cls._units(2, "community", prefix="灰榜社区")
        cls.grey.superior_partner_id = cls.env["res.partner"].create({"name": "区住建局"})

    def _third_grey_listing(self, publisher):
        for number in (3, 4):
            self._publish_month(month(2024, number), [(self.grey, 60), (self.good, 85)])
        self._month_all_sources([(self.grey, 55), (self.good, 85)], month(2024, 5))
        period = self.Period.create({"date_start": month(2024, 5)})
        period.action_compute()
        period.with_env(publisher).action_publish()
        escalation = period.escalation_ids.filtered(lambda escalation: escalation.unit_id == self.grey)
        self.assertEqual(escalation.level, "3")
        return escalation.report_attachment_id

    def _assert_town_document(self, attachment):
        self.assertEqual(attachment.mimetype, "application/pdf")
        self.assertTrue(attachment.name.endswith(".pdf"), attachment.name)
        content = base64.b64decode(attachment.datas)
        self.assertTrue(content.startswith(b"%PDF"))
        text = pdf_text(content)
        for expected in (
            "年度垃圾分类工作报告 2024: 灰榜社区 0",
            "上级主管部门: 区住建局",
            "月度结果",
            "灰榜",
            "测试镇人民政府",
            "和平路8号",
            "311299",
            "浙江省",
        ):
            self.assertIn(expected, text)
        for english in ("Annual waste sorting report", "Monthly results", "Superior authority", "Grey"):
            self.assertNotIn(english, text)

    def test_published_by_a_task_force_working_in_english(self):
        attachment = self._third_grey_listing(self.Period.with_context(lang="en_US").env)
        self._assert_town_document(attachment)
        self.assertEqual(attachment.name, "2024 年度垃圾分类工作报告 - 灰榜社区 0.pdf")

    def test_published_from_a_job_without_language(self):
        """A scheduled job's environment has no language at all (the scheduler's context is empty)."""
        attachment = self._third_grey_listing(self.env(user=self.manager, context={}))
        self._assert_town_document(attachment)
