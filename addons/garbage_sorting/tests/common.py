import io
import re
import subprocess
import tempfile
import unicodedata
from collections import Counter
from datetime import date
from pathlib import Path

import polib

from odoo.exceptions import AccessError, ValidationError
from odoo.tests import TransactionCase, new_test_user
from odoo.tools.translate import trans_export

GROUP = "garbage_sorting.garbage_sorting_group_"


class RefusalAssertions:
    """Bad input is refused with a translated error, never a server error, and nothing of the call is stored."""

    def assertRefused(self, call, exception=ValidationError):
        """`call()` is refused with `exception`; what it did is rolled back."""
        with self.assertRaises(exception), self.env.cr.savepoint():
            call()
        self.env.invalidate_all()

    def assertRefusedToTaskForce(self, call):
        """The task force has no Settings to write (an AccessError), a number nobody may write is refused to it
        first (a ValidationError): refused either way, nothing stored."""
        with self.assertRaises(Exception) as caught, self.env.cr.savepoint():
            call()
        self.assertIsInstance(caught.exception, AccessError | ValidationError)
        self.env.invalidate_all()


def first_town_env(env):
    """`env` working in the demo's first town only (XX镇, the main company), as its own staff do: the superuser
    is in every company of the database (the district and its second town too)."""
    return env(context=dict(env.context, allowed_company_ids=env.ref("base.main_company").ids))


def every_town_env(env):
    """`env` without a current town: for tests whose users work in towns of their own."""
    return env(context={key: value for key, value in env.context.items() if key != "allowed_company_ids"})


class GarbageSortingCase(TransactionCase):
    """Two villages (one the liaison's own), an agency, and one user per role."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = first_town_env(cls.env)
        # What the code stores is in the company's language (zh_CN in the demo town): these tests read it in English.
        cls.env.company.partner_id.lang = "en_US"
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


# a 1x1 PNG: what a phone camera hands in, as small as it gets
PHOTO_PNG = b"iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGPQqzUCAAG6AN7Eir+IAAAAAElFTkSuQmCC"


def after_photo(rectifications):
    """Hand each rectification the "after" photo it needs to be submitted for recheck (as the engine)."""
    for rectification in rectifications:
        photo = (
            rectification.env["ir.attachment"]
            .sudo()
            .create(
                {"name": "after.png", "datas": PHOTO_PNG, "res_model": rectification._name, "res_id": rectification.id}
            )
        )
        rectification.sudo().photo_after_ids = [(4, photo.id)]
    return rectifications


class TranslationCompletenessMixin:
    """Every term the addon exports (fields, selections, views, errors, reports, portal...) has
    a Chinese translation in its i18n/zh_CN.po that keeps the placeholders and markup of the
    English term. Mix into a TransactionCase and set `module`."""

    module = None
    # %(name)s, %s, {name}: what Python and QWeb substitute at runtime.
    PLACEHOLDER = re.compile(r"%\([a-z_]+\)[sdf]|%[sdfg]|\{[a-z_0-9]*\}")
    # Tag names and QWeb/HTML attribute names: the markup a translation must keep.
    MARKUP = re.compile(r"<(/?[a-zA-Z][\w-]*)|\b(t-[\w-]+|class|href|title|value|type|name)=")

    def _chinese_po(self):
        return polib.pofile(str(Path(__file__).resolve().parents[2] / self.module / "i18n" / "zh_CN.po"))

    def test_every_exported_term_is_translated_to_chinese(self):
        buffer = io.BytesIO()
        trans_export(False, [self.module], buffer, "po", self.env.cr)
        exported = {entry.msgid for entry in polib.pofile(buffer.getvalue().decode())}
        entries = self._chinese_po()
        translated = {entry.msgid for entry in entries if entry.msgstr and not entry.fuzzy}
        # an empty entry beside a translated twin of the same term: which one Odoo loads is luck
        untranslated = {entry.msgid for entry in entries if not entry.msgstr}
        missing = sorted((exported - translated) | (exported & untranslated))
        self.assertFalse(missing, f"{len(missing)} terms of {self.module} have no zh_CN translation: {missing[:20]}")

    def test_chinese_po_has_each_term_once(self):
        counts = Counter((entry.msgctxt, entry.msgid) for entry in self._chinese_po())
        twice = sorted((msgid for msgid, count in counts.items() if count > 1), key=str)
        self.assertFalse(twice, f"terms defined twice in {self.module}/i18n/zh_CN.po: {twice[:20]}")

    def test_chinese_po_has_no_fuzzy_entry(self):
        fuzzy = [entry.msgid for entry in self._chinese_po() if entry.fuzzy]
        self.assertFalse(fuzzy, f"fuzzy entries in {self.module}/i18n/zh_CN.po: {fuzzy[:20]}")

    def test_translations_keep_placeholders_and_markup(self):
        wrong = [
            (entry.msgid, entry.msgstr)
            for entry in self._chinese_po()
            if entry.msgstr
            and any(
                sorted(pattern.findall(entry.msgid)) != sorted(pattern.findall(entry.msgstr))
                for pattern in (self.PLACEHOLDER, self.MARKUP)
            )
        ]
        self.assertFalse(wrong, f"zh_CN translations of {self.module} that change placeholders or markup: {wrong[:10]}")

    # An amount of hours in English ("%(max)s hours", "hours this year" after a figure)...
    HOURS_AMOUNT = re.compile(r"(%\([a-z_]+\)[sdfg]|%[sdfg]|\d)\s+hours?\b|^hours?\b")
    # ...and the other ways of writing the unit that the Chinese texts must not mix in: 时 alone after a figure,
    # 钟头, 工时, 时数, h / hr(s) / hour(s).
    OTHER_HOUR_UNITS = re.compile(
        r"(%\([a-z_]+\)[sdfg]|%[sdfg]|\d)\s*(时(?![间长段刻])|h\b|hrs?\b|hours?\b)|钟头|工时|时数", re.IGNORECASE
    )
    # One Chinese term per concept (MECHANISM.md, the town's text): what must not be written instead.
    GLOSSARY = {
        r"\bhours?\b": ("志愿时长", "工时", "钟头"),  # 志愿服务时长 (volunteer hours), 小时 (the unit)
        r"\bescalations?\b": ("升级",),  # 灰榜约谈
        r"\btask force\b": ("工作专班",),  # 镇专班 (镇垃圾分类减量工作专班 in full)
        r"\bbin[- ]sites?\b": ("桶点", "点位"),  # 投放点
        r"\bliaisons?\b": ("联系人",),  # 联络员
        r"\brectifications?\b": ("改正", "纠正"),  # 整改
    }

    def test_hours_are_written_in_xiaoshi(self):
        """The unit of hours reads 小时 in every Chinese text, never 时, 钟头, 工时 or h."""
        entries = [
            entry for entry in self._chinese_po() if entry.msgstr and re.search(r"\bhours?\b", entry.msgid, re.I)
        ]
        wrong_unit = [
            (entry.msgid, entry.msgstr)
            for entry in entries
            if self.OTHER_HOUR_UNITS.search(entry.msgstr.replace("小时", ""))
        ]
        self.assertFalse(wrong_unit, f"{self.module}: hours written with another unit than 小时: {wrong_unit[:10]}")
        without_unit = [
            (entry.msgid, entry.msgstr)
            for entry in entries
            if self.HOURS_AMOUNT.search(entry.msgid) and "小时" not in entry.msgstr
        ]
        self.assertFalse(without_unit, f"{self.module}: an amount of hours without 小时: {without_unit[:10]}")

    def test_one_chinese_term_per_concept(self):
        wrong = [
            (entry.msgid, entry.msgstr, forbidden)
            for entry in self._chinese_po()
            for pattern, forbidden_terms in self.GLOSSARY.items()
            if re.search(pattern, entry.msgid, re.IGNORECASE)
            for forbidden in forbidden_terms
            if forbidden in entry.msgstr.replace("减量工作专班", "")
        ]
        self.assertFalse(wrong, f"{self.module}: terms translated another way than the glossary's: {wrong[:10]}")


class AssessmentCase(TransactionCase):
    """Units of our own only (the demo units are archived) and quick done inspections."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = first_town_env(cls.env)
        # What the code stores is in the company's language (zh_CN in the demo town): these tests read it in English.
        cls.env.company.partner_id.lang = "en_US"
        cls.env["garbage.unit"].search([]).action_archive()
        # Only this addon's default cadence counts here (other addons add rules of their own).
        cls.env["garbage.obligation.rule"].search(
            [("id", "!=", cls.env.ref("garbage_sorting.garbage_obligation_rule_self_inspection").id)]
        ).action_archive()
        cls.manager = new_test_user(
            cls.env, login="gs_manager", name="Task Force Head", groups="garbage_sorting.garbage_sorting_group_manager"
        )
        cls.leader = new_test_user(
            cls.env, login="gs_leader", name="Town Leader", groups="garbage_sorting.garbage_sorting_group_leader"
        )
        cls.liaison = new_test_user(cls.env, login="gs_liaison", groups="garbage_sorting.garbage_sorting_group_liaison")
        cls.env.company.write({"garbage_taskforce_head_id": cls.manager.id, "garbage_town_leader_id": cls.leader.id})
        cls.Period = cls.env["garbage.assessment.period"].with_user(cls.manager)
        cls.template = cls.env.ref("garbage_sorting.garbage_inspection_template_standard")

    @classmethod
    def _units(cls, count, unit_type="village", prefix="U"):
        Unit = cls.env["garbage.unit"]
        return Unit.create(
            [
                {"name": f"{prefix} {index}", "code": f"{prefix}-{unit_type}-{index}", "unit_type": unit_type}
                for index in range(count)
            ]
        )

    @classmethod
    def _inspect(cls, entries, state="done"):
        """entries: (unit, source, date, score) tuples; one check of 100 points each."""
        inspections = cls.env["garbage.inspection"].create(
            [
                {
                    "unit_id": unit.id,
                    "source": source,
                    "date": day,
                    "inspecting_unit_id": False,
                    "line_ids": [(0, 0, {"name": "Overall", "max_score": 100, "score": score})],
                }
                for unit, source, day, score in entries
            ]
        )
        if state == "done":
            inspections.action_done()
            # Checks below full marks open rectifications: settle them on the inspection day, so only
            # the tests about overdue rectifications see that penalty.
            for rectification in cls.env["garbage.rectification"].search([("inspection_id", "in", inspections.ids)]):
                rectification.write({"state": "verified", "date_verified": rectification.inspection_id.date})
        return inspections

    @classmethod
    def _month_all_sources(cls, units_scores, month):
        """The same score from the three sources, self-inspection included (no missed cadence)."""
        return cls._inspect(
            [
                (unit, source, month.replace(day=10), score)
                for unit, score in units_scores
                for source in ("patrol", "mutual", "self")
            ]
        )

    def _publish_month(self, month, units_scores):
        self._month_all_sources(units_scores, month)
        period = self.Period.create({"date_start": month})
        period.action_compute()
        period.action_publish()
        return period

    @staticmethod
    def _line(period, unit):
        return period.line_ids.filtered(lambda line: line.unit_id == unit)

    def _annual(self, unit, year):
        return self.env["garbage.unit.annual"].search([("unit_id", "=", unit.id), ("year", "=", year)])


def month(year, number):
    return date(year, number, 1)


def setup_volunteers(cls):
    """Two units with a bin site each, a coordinator, and two volunteers with portal logins."""
    env = cls.env
    # Duties run on the town's clock (the company's time zone), whatever the volunteers' own settings.
    env.company.partner_id.tz = "Asia/Shanghai"
    cls.unit = env["garbage.unit"].create({"name": "测试村", "code": "VT-1", "unit_type": "village"})
    cls.other_unit = env["garbage.unit"].create({"name": "测试社区", "code": "VT-2", "unit_type": "community"})
    cls.site = env["garbage.bin.site"].create(
        {"name": "测试投放点", "unit_id": cls.unit.id, "latitude": 30.25, "longitude": 120.15}
    )
    cls.coordinator = new_test_user(
        env, login="gs_vt_coordinator", groups="base.group_user,garbage_sorting.garbage_sorting_group_coordinator"
    )
    # In the town's time zone: "today" in the portal is the volunteers' today, not the server's (UTC).
    cls.portal_user = new_test_user(
        env, login="gs_vt_volunteer", password="gs_vt_volunteer", groups="base.group_portal", tz="Asia/Shanghai"
    )
    cls.other_portal_user = new_test_user(
        env, login="gs_vt_volunteer2", password="gs_vt_volunteer2", groups="base.group_portal", tz="Asia/Shanghai"
    )
    cls.volunteer = cls.portal_user.partner_id
    cls.other_volunteer = cls.other_portal_user.partner_id
    (cls.volunteer | cls.other_volunteer).write(
        {"is_volunteer": True, "volunteer_category": "teacher", "volunteer_unit_ids": [(6, 0, cls.unit.ids)]}
    )
    cls.Hour = env["garbage.volunteer.hour"]


# pdftotext reads some CJK glyphs of the Noto fonts as their radicals (⻘ for 青): back to the characters.
CJK_RADICALS = str.maketrans(
    "⺠⺟⺮⻁⻄⻅⻆⻉⻊⻋⻓⻔⻗⻘⻙⻚⻛⻜⻝⻢⻣⻥⻦⻧⻨⻩⻪⻬⻮⻰⻳",
    "民母竹虎西见角贝足车长门雨青韦页风飞食马骨鱼鸟卤麦黄黾齐齿龙龟",
)


def pdf_text(content):
    """The text of a PDF as pdftotext reads it, its lines joined by spaces and the CJK radicals normalised."""
    with tempfile.NamedTemporaryFile(suffix=".pdf") as pdf:
        pdf.write(content)
        pdf.flush()
        text = subprocess.run(["pdftotext", pdf.name, "-"], capture_output=True, check=True, text=True).stdout
    return " ".join(unicodedata.normalize("NFKC", text).translate(CJK_RADICALS).split())


def run_scheduled_jobs(env, modules=("garbage_sorting", "party_branch_linkage")):
    """Every scheduled job of these addons, once, as on a served town: each as the scheduler runs it, as the
    job's user and with the scheduler's context (no language), through its server action, in the scheduler's
    order (`ir.cron.method_direct_trigger`, the "Run Manually" button). A fresh test database has never run them:
    the daily cadence job, for instance, is what creates the party organisations' own obligations."""
    data = env["ir.model.data"].sudo().search([("model", "=", "ir.cron"), ("module", "in", list(modules))])
    crons = env["ir.cron"].sudo().browse(data.mapped("res_id")).exists().sorted(lambda cron: (cron.priority, cron.id))
    for cron in crons:
        cron.method_direct_trigger()
    env.invalidate_all()
    return crons
