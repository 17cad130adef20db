import base64
import math
import re
import xmlrpc.client as xmlrpclib
from datetime import date, timedelta

from odoo import fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tests.common import JsonRpcException
from odoo.tools import mute_logger

from .common import GROUP, PHOTO_PNG, GarbageSortingCase, RefusalAssertions, setup_volunteers

NAN, INF = float("nan"), float("inf")
# What RPC callers can send for a number that is none: NaN and infinities as floats (XML-RPC's <double>, Python's
# JSON), as text, and a literal too big for a float.
NOT_FINITE = (NAN, INF, -INF, "nan", "inf", "1e309")


@tagged("post_install", "-at_install")
class BadInputCase(RefusalAssertions, GarbageSortingCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.admin = cls.env.ref("base.user_admin")


@tagged("post_install", "-at_install")
class TestBadNumbers(BadInputCase):
    """Every number a user writes is finite and in its range, whoever writes it, the task force and the
    administrator included."""

    def test_nan_score_on_a_checklist_line_is_refused_for_every_role(self):
        self_inspection = self._inspection(self.own_unit, user=self.liaison)
        patrol = self._inspection(self.other_unit, source="patrol", user=self.inspector)
        for inspection, users in (
            (self_inspection, (self.liaison, self.manager, self.admin)),
            (patrol, (self.inspector, self.manager, self.admin)),
        ):
            line = inspection.line_ids[0]
            for user in users:
                for value in NOT_FINITE:
                    with self.subTest(user=user.login, value=value):
                        self.assertRefused(
                            lambda line=line, user=user, value=value: line.with_user(user).write({"score": value})
                        )
                        self.assertEqual(line.score, line.max_score)
            # nor through the inspection's own form (its checks' one2many)
            self.assertRefused(
                lambda inspection=inspection, line=line, user=users[0]: inspection.with_user(user).write(
                    {"line_ids": [(1, line.id, {"score": NAN})]}
                )
            )
            self.assertEqual(inspection.score, 100.0)
            self.assertTrue(math.isfinite(inspection.score))

    def test_checklist_maximum_points_are_positive_and_bounded_for_task_force_and_admin(self):
        inspection = self._inspection(self.own_unit, user=self.liaison)
        line = inspection.line_ids[0]
        maximum = line.max_score
        for user in (self.manager, self.admin):
            for value in (0, -5, 100.5, 1e300, *NOT_FINITE):
                with self.subTest(user=user.login, value=value):
                    self.assertRefused(lambda user=user, value=value: line.with_user(user).write({"max_score": value}))
                    self.assertEqual(line.max_score, maximum)
            # nor as a new check of their own
            Line = self.env["garbage.inspection.line"].with_user(user)
            for value in (0, INF, NAN):
                self.assertRefused(
                    lambda Line=Line, value=value: Line.create(
                        {"inspection_id": inspection.id, "name": "Extra", "max_score": value, "score": 0}
                    )
                )
            self.assertEqual(len(inspection.line_ids), len(self.template.item_ids))
        # the bound is said in the message
        with self.assertRaisesRegex(ValidationError, "more than 0 and at most 100"):
            line.with_user(self.manager).write({"max_score": 0})
        # within the bounds the task force corrects a maximum, and the score follows
        line.with_user(self.manager).write({"max_score": 100, "score": 50})
        self.assertEqual((line.max_score, line.score), (100, 50))
        self.assertTrue(0 < inspection.score < 100)
        # a score stays within its check's maximum
        self.assertRefused(lambda: line.with_user(self.liaison).write({"score": 100.5}))
        self.assertRefused(lambda: line.with_user(self.liaison).write({"score": -1}))

    def test_checklist_items_have_finite_positive_bounded_points(self):
        Item = self.env["garbage.inspection.template.item"]
        item = self.template.item_ids[0]
        points = item.max_score
        for user in (self.manager, self.admin):
            for value in (0, -1, 101, *NOT_FINITE):
                with self.subTest(user=user.login, value=value):
                    self.assertRefused(lambda user=user, value=value: item.with_user(user).write({"max_score": value}))
                    self.assertRefused(
                        lambda user=user, value=value: Item.with_user(user).create(
                            {"template_id": self.template.id, "name": "Extra", "max_score": value}
                        )
                    )
            self.assertEqual(item.max_score, points)
        # a checklist that lost its items' points would give every inspection a score of NaN or 0
        self.assertRefused(
            lambda: Item.with_context(default_max_score=NAN).create({"template_id": self.template.id, "name": "X"})
        )
        self.assertFalse(Item.search([("name", "=", "Extra")]))
        self.assertTrue(all(0 < points <= 100 for points in self.template.item_ids.mapped("max_score")))

    def test_coordinates_lie_on_earth(self):
        site = self.env["garbage.bin.site"].create({"name": "Gate", "unit_id": self.own_unit.id})
        for record, user in ((self.own_unit, self.liaison), (self.own_unit, self.manager), (site, self.admin)):
            for vals in (
                {"latitude": 90.5},
                {"latitude": -91},
                {"longitude": 180.5},
                {"longitude": NAN},
                {"latitude": INF},
                {"latitude": "nan"},
            ):
                with self.subTest(model=record._name, user=user.login, vals=vals):
                    self.assertRefused(lambda record=record, user=user, vals=vals: record.with_user(user).write(vals))
            record.with_user(user).write({"latitude": 30.25, "longitude": 120.15})
            self.assertEqual((record.latitude, record.longitude), (30.25, 120.15))

    def test_duty_times_are_hours_of_a_day(self):
        site = self.env["garbage.bin.site"].create({"name": "Gate", "unit_id": self.own_unit.id})
        Duty = self.env["garbage.volunteer.duty"]
        for user in (self.coordinator, self.manager, self.admin):
            for vals in ({"time_start": NAN}, {"time_end": INF}, {"time_start": -1}, {"time_end": 25}):
                with self.subTest(user=user.login, vals=vals):
                    self.assertRefused(
                        lambda user=user, vals=vals: Duty.with_user(user).create({"site_id": site.id, **vals})
                    )
        self.assertFalse(Duty.search([("site_id", "=", site.id)]))

    def test_cadence_rule_minimum_count_is_a_real_count(self):
        rule = self.env.ref("garbage_sorting.garbage_obligation_rule_self_inspection")
        count = rule.min_count
        Rule = self.env["garbage.obligation.rule"]
        for user in (self.manager, self.admin):
            # "2.5" and "1e3" as text: the ORM's int() would fail on them
            for value in (0, -1, 1001, 2**40, "2.5", "1e3", [1], *NOT_FINITE):
                with self.subTest(user=user.login, value=value):
                    # a ValidationError, not the table's CHECK failing in the database
                    self.assertRefused(lambda user=user, value=value: rule.with_user(user).write({"min_count": value}))
                    self.assertRefused(
                        lambda user=user, value=value: Rule.with_user(user).create(
                            {"name": "Bad", "model_id": rule.model_id.id, "min_count": value}
                        )
                    )
        self.assertEqual(rule.min_count, count)
        self.assertFalse(Rule.search([("name", "=", "Bad")]))

    def test_work_plan_year_is_a_year(self):
        Plan = self.env["garbage.work.plan"]
        for user in (self.liaison, self.manager, self.admin):
            for year in (0, 2000, 9999, 99999, 2**40, NAN, INF):
                with self.subTest(user=user.login, year=year):
                    self.assertRefused(
                        lambda user=user, year=year: Plan.with_user(user).create(
                            {"unit_id": self.own_unit.id, "year": year}
                        )
                    )
        self.assertFalse(Plan.search([("unit_id", "=", self.own_unit.id)]))
        plan = Plan.with_user(self.liaison).create({"unit_id": self.own_unit.id, "year": 2031})
        self.assertRefused(lambda: plan.with_user(self.manager).write({"year": 10000}))
        self.assertEqual(plan.year, 2031)

    def test_integers_beyond_a_column_and_text_the_database_cannot_store(self):
        for vals in ({"color": 2**40}, {"color": NAN}, {"name": "Village\x00"}, {"street": "\ud800"}):
            with self.subTest(vals=vals):
                self.assertRefused(lambda vals=vals: self.own_unit.with_user(self.manager).write(vals))
        self.assertEqual(self.own_unit.name, "Own Village")

    def test_nothing_refused_reaches_the_score_or_the_deadline(self):
        """A refused value is not stored: closing the inspection afterwards computes what was really scored."""
        inspection = self._inspection(self.own_unit, user=self.liaison)
        line = inspection.line_ids[0]
        self.assertRefused(lambda: line.with_user(self.liaison).write({"score": NAN}))
        line.with_user(self.liaison).write({"score": 0})
        inspection.with_user(self.liaison).action_done()
        self.assertEqual(inspection.score, round(100.0 * (100 - line.max_score) / 100, 2))
        self.assertEqual(inspection.rectification_ids.deadline, inspection.date + timedelta(days=7))


# Text PostgreSQL cannot store: a NUL character, a lone surrogate (both reach the server over JSON-RPC).
UNSTORABLE = ("x\x00", "\ud800")


@tagged("post_install", "-at_install")
class TestUnstorableText(BadInputCase):
    """The dialogs' reasons and notes, the unit's partners and contacts refuse text the database cannot store
    with the translated error, as the role that reaches them; nothing is stored, and clean text goes in."""

    def _text_inputs(self):
        """(model, the record's other values, the text field, the user who reaches it)."""
        today = fields.Date.context_today(self.env["garbage.volunteer.hour"])
        volunteer = self.env["res.partner"].create(
            {
                "name": "Volunteer",
                "is_volunteer": True,
                "volunteer_category": "teacher",
                "volunteer_unit_ids": [(6, 0, self.own_unit.ids)],
            }
        )
        hour = self.env["garbage.volunteer.hour"].create(
            {"partner_id": volunteer.id, "date": today - timedelta(days=1), "hours": 2, "source": "portal"}
        )
        patrol = self._inspection(self.own_unit, source="patrol", user=self.inspector)
        patrol.line_ids[:1].with_user(self.inspector).score = 0
        patrol.with_user(self.inspector).action_done()
        period = self.env["garbage.assessment.period"].with_user(self.manager).create({"date_start": date(2031, 1, 1)})
        committee = self.env["res.partner"].create({"name": "Residents' Committee"})
        return (
            ("garbage.volunteer.hour.reject", {"hour_ids": [(6, 0, hour.ids)]}, "reason", self.coordinator),
            (
                "garbage.inspection.refuse.wizard",
                {"inspection_id": self._inspection(self.own_unit, user=self.liaison).id},
                "reason",
                self.liaison,
            ),
            (
                "garbage.rectification.reject.wizard",
                {"rectification_id": patrol.rectification_ids[:1].id},
                "reason",
                self.inspector,
            ),
            ("garbage.assessment.publish.wizard", {"period_id": period.id}, "note", self.manager),
            (
                "garbage.unit.partner",
                {"unit_id": self.own_unit.id, "role": "residents_committee", "partner_id": committee.id},
                "note",
                self.liaison,
            ),
            ("res.partner", {"is_volunteer": True, "volunteer_category": "teacher"}, "name", self.coordinator),
        )

    def test_reasons_notes_and_names_refuse_what_cannot_be_stored(self):
        for model, vals, name, user in self._text_inputs():
            Model = self.env[model].with_user(user)
            count = Model.sudo().search_count([])
            for value in UNSTORABLE:
                with self.subTest(model=model, value=value):
                    self.assertRefused(
                        lambda Model=Model, vals=vals, name=name, value=value: Model.create({**vals, name: value})
                    )
                    # nor as a context default, as a button's context brings it
                    self.assertRefused(
                        lambda Model=Model, vals=vals, name=name, value=value: Model.with_context(
                            **{f"default_{name}": value}
                        ).create(vals)
                    )
            self.assertEqual(Model.sudo().search_count([]), count)
            # clean text goes in, and is refused when changed to what cannot be stored
            record = Model.create({**vals, name: "Clean 文字"})
            for value in UNSTORABLE:
                with self.subTest(model=model, value=value, write=True):
                    self.assertRefused(lambda record=record, name=name, value=value: record.write({name: value}))
            self.assertEqual(record[name], "Clean 文字")
        with self.assertRaisesRegex(ValidationError, "What They Do contains characters that cannot be stored"):
            self.env["garbage.unit.partner"].with_user(self.liaison).create(
                {
                    "unit_id": self.own_unit.id,
                    "role": "owners_committee",
                    "partner_id": self.admin.partner_id.id,
                    "note": "x\x00",
                }
            )

    def test_the_message_reads_in_chinese(self):
        Wizard = self.env["garbage.volunteer.hour.reject"].with_user(self.coordinator).with_context(lang="zh_CN")
        with self.assertRaisesRegex(ValidationError, "包含无法保存的字符"):
            Wizard.create({"reason": "\ud800"})


@tagged("post_install", "-at_install")
class TestBadSettings(BadInputCase):
    """The settings (weights, penalties, thresholds, days, minutes) are finite numbers in their range, whether
    set in the Settings or by hand in the system parameters; what reads them never fails on a bad one."""

    SETTINGS = {
        "garbage_weight_patrol": (NAN, INF, -0.1, 101),
        "garbage_weight_mutual": (NAN, -1),
        "garbage_weight_self": (INF, 1e300),
        "garbage_penalty_missed": (NAN, -1, 100.5),
        "garbage_penalty_overdue": (INF, -2),
        "garbage_red_min_score": (NAN, 101, -1),
        "garbage_red_max_rank": (NAN, INF, 0, -3, 2**40),
        "garbage_grey_below_score": (NAN, 200),
        "garbage_obligation_reminder_days": (NAN, -1, 400),
        "garbage_rectification_days": (INF, 0, 10**6),
        "garbage_volunteer_hours_max_age_days": (NAN, 0, 10**7),
        "garbage_checkin_tolerance_minutes": (NAN, -1, 241),
    }

    def test_settings_refuse_numbers_out_of_range(self):
        Settings = self.env["res.config.settings"].with_user(self.admin)
        town = self.env.company
        before = {name: town[name] for name in self.SETTINGS}
        for name, values in self.SETTINGS.items():
            for value in values:
                with self.subTest(setting=name, value=value):
                    self.assertRefused(lambda name=name, value=value: Settings.create({name: value}).execute())
        town.invalidate_recordset()
        self.assertEqual({name: town[name] for name in self.SETTINGS}, before)
        # every kind of inspection weighing nothing would leave every unit unassessed
        self.assertRefused(
            lambda: Settings.create(
                {"garbage_weight_patrol": 0, "garbage_weight_mutual": 0, "garbage_weight_self": 0}
            ).execute()
        )

    def test_a_setting_of_zero_stays_zero(self):
        """No penalty for overdue rectifications is a choice of the town, not a reset to the default."""
        self.env["res.config.settings"].with_user(self.admin).create(
            {"garbage_penalty_overdue": 0, "garbage_weight_self": 0, "garbage_obligation_reminder_days": 0}
        ).execute()
        params = self.env["garbage.assessment.period"]._get_params()
        self.assertEqual((params["penalty_overdue"], params["weight_self"]), (0.0, 0.0))
        self.assertEqual(self.env["res.config.settings"].create({}).garbage_obligation_reminder_days, 0)

    def test_town_settings_written_on_the_company_directly(self):
        """The same refusals when the town's settings are written on its company over RPC, not the Settings."""
        town = self.env.company.with_user(self.admin)
        for name, value in (
            ("garbage_weight_patrol", NAN),
            ("garbage_red_max_rank", INF),
            ("garbage_red_max_rank", 0),
            ("garbage_rectification_days", -7),
            ("garbage_penalty_missed", "abc"),
        ):
            with self.subTest(name=name, value=value):
                self.assertRefused(lambda name=name, value=value: town.write({name: value}))
        params = self.env["garbage.assessment.period"]._get_params()
        self.assertEqual((params["weight_patrol"], params["red_max_rank"]), (0.5, 3))
        inspection = self._inspection(self.own_unit, user=self.liaison)
        inspection.line_ids[0].with_user(self.liaison).score = 0
        inspection.with_user(self.liaison).action_done()
        self.assertEqual((inspection.rectification_ids.deadline - inspection.date).days, 7)

    def test_settings_refused_on_save_and_for_the_task_force(self):
        """The Settings saved again (a write) refuse the same numbers, in the user's language; the task force has
        no Settings to open (refused before anything is written), the town's values stay."""
        town = self.env.company
        before = {name: town[name] for name in self.SETTINGS}
        settings = self.env["res.config.settings"].with_user(self.admin).create({})
        for name, values in self.SETTINGS.items():
            for value in values:
                with self.subTest(setting=name, value=value):
                    self.assertRefused(lambda name=name, value=value: settings.write({name: value}))
                    self.assertRefused(
                        lambda name=name, value=value: self.env["res.config.settings"]
                        .with_user(self.admin)
                        .with_context(**{f"default_{name}": value})
                        .create({})
                        .execute()
                    )
                    self.assertRefusedToTaskForce(
                        lambda name=name, value=value: self.env["res.config.settings"]
                        .with_user(self.manager)
                        .create({name: value})
                    )
                    self.assertRefusedToTaskForce(
                        lambda name=name, value=value: town.with_user(self.manager).write({name: value})
                    )
        # a number in range: the task force is refused the Settings and the town themselves
        self.assertRefused(
            lambda: self.env["res.config.settings"].with_user(self.manager).create({"garbage_penalty_missed": 3}),
            AccessError,
        )
        self.assertRefused(lambda: town.with_user(self.manager).write({"garbage_penalty_missed": 3}), AccessError)
        town.invalidate_recordset()
        self.assertEqual({name: town[name] for name in self.SETTINGS}, before)
        zh_settings = settings.with_context(lang="zh_CN")
        with self.assertRaisesRegex(ValidationError, "必须是有限的数字"), self.env.cr.savepoint():
            zh_settings.write({"garbage_weight_patrol": NAN})
        with self.assertRaisesRegex(ValidationError, "必须在0到100之间"), self.env.cr.savepoint():
            zh_settings.write({"garbage_penalty_missed": 101})

    def test_a_new_town_takes_no_bad_setting(self):
        """A town created over RPC with a bad setting (in its values or its context's defaults) is refused."""
        Company = self.env["res.company"].with_user(self.admin)
        for name, value in (
            ("garbage_weight_patrol", NAN),
            ("garbage_red_max_rank", 2**40),
            ("garbage_rectification_days", 0),
        ):
            with self.subTest(name=name, value=value):
                self.assertRefused(lambda name=name, value=value: Company.create({"name": "Bad Town", name: value}))
                self.assertRefused(
                    lambda name=name, value=value: Company.with_context(**{f"default_{name}": value}).create(
                        {"name": "Bad Town"}
                    )
                )
        self.assertFalse(Company.search([("name", "=", "Bad Town")]))


@tagged("post_install", "-at_install")
class TestBadDates(BadInputCase):
    """Dates lie in the supported calendar (1949-01-01 to 9998-12-31): at its edge a clear, translated error,
    never a ValueError from a period's end, the month after it or a deadline."""

    def test_assessment_month_in_year_9999(self):
        Period = self.env["garbage.assessment.period"]
        for user in (self.manager, self.admin):
            for value in (date(9999, 12, 1), "9999-12-01", date(9999, 1, 1), "0001-01-01", "2024-13-01", "01/12/2024"):
                with self.subTest(user=user.login, value=value):
                    self.assertRefused(
                        lambda user=user, value=value: Period.with_user(user).create({"date_start": value})
                    )
                    # a context default is input too
                    self.assertRefused(
                        lambda user=user, value=value: Period.with_user(user)
                        .with_context(default_date_start=value)
                        .create({})
                    )
        self.assertFalse(Period.search([("date_start", ">=", date(9999, 1, 1))]))
        period = Period.with_user(self.manager).create({"date_start": date(2020, 3, 1)})
        self.assertRefused(lambda: period.with_user(self.manager).write({"date_start": date(9999, 12, 1)}))
        self.assertEqual(period.date_start, date(2020, 3, 1))
        with self.assertRaisesRegex(ValidationError, "1949-01-01 to 9998-12-31"):
            period.with_user(self.manager).write({"date_start": date(9999, 12, 1)})
        # the last month of the supported calendar works to its end
        last = Period.with_user(self.manager).create({"date_start": date(9998, 12, 1)})
        self.assertEqual((last.date_end, last.year), (date(9998, 12, 31), 9998))
        last.with_user(self.manager).action_compute()
        self.assertEqual(last.state, "computed")

    def test_deadlines_and_windows_at_the_calendar_edge(self):
        self.own_unit.liaison_id = self.liaison.partner_id
        inspection = self._inspection(self.own_unit, source="patrol", user=self.inspector)
        inspection.line_ids[0].with_user(self.inspector).score = 0
        inspection.with_user(self.inspector).action_done()
        rectification = inspection.rectification_ids
        deadline = rectification.deadline
        for user in (self.manager, self.admin):
            with self.subTest(user=user.login):
                self.assertRefused(
                    lambda user=user: rectification.with_user(user).action_extend_deadline("9999-12-31", "More time")
                )
                self.assertRefused(
                    lambda user=user: self.env["garbage.rectification.deadline.wizard"]
                    .with_user(user)
                    .create({"rectification_id": rectification.id, "new_deadline": "9999-12-31", "reason": "x"})
                )
                self.assertRefused(
                    lambda user=user: self.env["garbage.mutual.round.wizard"]
                    .with_user(user)
                    .create({"date": date(9999, 12, 31)})
                )
        self.assertEqual(rectification.deadline, deadline)
        site = self.env["garbage.bin.site"].create({"name": "Gate", "unit_id": self.own_unit.id})
        for user in (self.coordinator, self.manager):
            self.assertRefused(
                lambda user=user: self.env["garbage.volunteer.duty"]
                .with_user(user)
                .create({"site_id": site.id, "date": date(9999, 12, 31)})
            )
        plan = self.env["garbage.work.plan"].with_user(self.liaison).create({"unit_id": self.own_unit.id, "year": 2031})
        for value in ("9999-12-31", "0001-01-01", "31.12.2031"):
            self.assertRefused(
                lambda value=value: self.env["garbage.work.plan.line"]
                .with_user(self.liaison)
                .create({"plan_id": plan.id, "name": "Publicity week", "date": value})
            )
        self.assertFalse(plan.line_ids)

    def test_date_message_in_chinese(self):
        Period = self.env["garbage.assessment.period"].with_user(self.manager).with_context(lang="zh_CN")
        with self.assertRaisesRegex(ValidationError, "必须是1949-01-01至9998-12-31之间的日期"):
            Period.create({"date_start": date(9999, 12, 1)})
        line = self._inspection(self.own_unit, user=self.liaison).line_ids[0]
        with self.assertRaisesRegex(ValidationError, "必须是有限的数字"):
            line.with_user(self.manager).with_context(lang="zh_CN").write({"max_score": INF})
        with self.assertRaisesRegex(ValidationError, "必须大于0且不超过100"):
            line.with_user(self.manager).with_context(lang="zh_CN").write({"max_score": 0})


@tagged("post_install", "-at_install")
class TestDoneInspectionLocked(BadInputCase):
    """A done inspection is the record of what was found: its unit, date, note and checks (scores, maximums,
    remarks, photos, checks added or removed) change for nobody but the engine, the task force and the
    administrator included; the task force resets it to draft first, which the chatter keeps."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.photo = (
            cls.env["ir.attachment"]
            .with_user(cls.liaison)
            .create({"name": "bins.png", "datas": PHOTO_PNG, "res_model": "garbage.inspection.line", "res_id": 0})
        )
        cls.inspection = cls._inspection(cls.own_unit, user=cls.liaison)
        cls.inspection.line_ids[0].with_user(cls.liaison).write({"photo_ids": [(4, cls.photo.id)]})
        cls.inspection.with_user(cls.liaison).action_done()
        cls.fresh = (
            cls.env["ir.attachment"]
            .with_user(cls.liaison)
            .create({"name": "more.png", "datas": PHOTO_PNG, "res_model": "garbage.inspection.line", "res_id": 0})
        )

    def _snapshot(self):
        self.env.invalidate_all()
        inspection = self.inspection
        return (
            inspection.unit_id,
            inspection.date,
            inspection.note,
            inspection.inspector_ids,
            inspection.score,
            [
                (line.id, line.score, line.max_score, line.remark, line.sequence, line.photo_ids.ids)
                for line in inspection.line_ids
            ],
            self.photo.datas,
        )

    def test_every_role_is_refused_every_change(self):
        inspection, line = self.inspection, self.inspection.line_ids[0]
        item = line.item_id
        writes = [
            (inspection, {"note": "<p>fine after all</p>"}),
            (inspection, {"unit_id": self.other_unit.id}),
            (inspection, {"date": date(2020, 1, 1)}),
            (inspection, {"inspector_ids": [(6, 0, [])]}),
            (inspection, {"template_id": False}),
            (inspection, {"line_ids": [(1, line.id, {"score": 0})]}),
            (inspection, {"line_ids": [(2, line.id)]}),
            (line, {"score": 0}),
            (line, {"max_score": 20}),
            (line, {"remark": "not so fine"}),
            (line, {"sequence": 99}),
            (line, {"name": "Another check"}),
            (line, {"photo_ids": [(4, self.fresh.id)]}),
            (line, {"photo_ids": [(5,)]}),
        ]
        before = self._snapshot()
        for user in (self.liaison, self.inspector, self.manager, self.admin):
            for record, vals in writes:
                with self.subTest(user=user.login, model=record._name, vals=vals):
                    self.assertRefused(
                        lambda record=record, user=user, vals=vals: record.with_user(user).write(vals), UserError
                    )
            with self.subTest(user=user.login, action="remove a check"):
                self.assertRefused(lambda user=user: line.with_user(user).unlink(), UserError)
            with self.subTest(user=user.login, action="add a check"):
                self.assertRefused(
                    lambda user=user: self.env["garbage.inspection.line"]
                    .with_user(user)
                    .create({"inspection_id": inspection.id, "item_id": item.id, "name": "Extra", "score": 1}),
                    UserError,
                )
            with self.subTest(user=user.login, action="replace or delete a photo"):
                self.assertRefused(
                    lambda user=user: self.photo.with_user(user).write({"datas": base64.b64encode(b"GIF89a")}),
                    UserError,
                )
                self.assertRefused(lambda user=user: self.photo.with_user(user).unlink(), UserError)
        self.assertEqual(self._snapshot(), before)
        self.assertEqual(inspection.state, "done")

    def test_the_declaration_covers_the_inspection_and_its_checks(self):
        locked = self.env["garbage.inspection"]._get_done_locked_fields()
        self.assertLessEqual({"unit_id", "date", "note", "line_ids", "inspector_ids", "source", "template_id"}, locked)
        self.assertLessEqual(
            {"score", "max_score", "remark", "photo_ids", "inspection_id", "sequence"},
            self.env["garbage.inspection.line"]._get_done_locked_fields(),
        )
        # what the mail layer keeps going (followers, activities, messages) is not the inspection's record
        self.assertFalse(locked & {"message_follower_ids", "activity_ids", "message_ids"})
        # each field of the declaration, written by the task force: refused, naming it
        inspection = self.inspection.with_user(self.manager)
        for name in sorted(locked & {"note", "unit_id", "date", "source", "inspecting_unit_id"}):
            label = inspection._fields[name]._description_string(self.env)
            with self.subTest(field=name), self.assertRaisesRegex(UserError, re.escape(f"“{label}”")):
                inspection.write({name: inspection[name] if name != "note" else "<p>x</p>"})
        # the form follows the same rule
        self.assertLessEqual({"note", "unit_id", "date", "line_ids"}, set(inspection.guard_readonly_fields))

    def test_the_message_names_what_and_reads_in_chinese(self):
        as_liaison = self.inspection.with_user(self.liaison)
        with self.assertRaisesRegex(UserError, "is done and locked .*“Notes”|is done and locked .*“Note”"):
            as_liaison.write({"note": "<p>x</p>"})
        with self.assertRaisesRegex(UserError, "已完成并锁定.*镇专班"):
            as_liaison.with_context(lang="zh_CN").write({"note": "<p>x</p>"})
        with self.assertRaisesRegex(UserError, "已完成并锁定"):
            self.inspection.line_ids[0].with_user(self.manager).with_context(lang="zh_CN").write({"score": 0})

    def test_the_task_force_resets_it_to_draft_first(self):
        line = self.inspection.line_ids[0]
        self.inspection.with_user(self.manager).action_reset_to_draft()
        self.assertEqual(self.inspection.state, "draft")
        self.inspection.with_user(self.manager).write({"note": "<p>corrected</p>"})
        line.with_user(self.manager).write({"score": 0})
        self.photo.with_user(self.manager).write({"name": "bins-corrected.png", "datas": base64.b64encode(b"GIF89a")})
        self.inspection.with_user(self.liaison).action_done()
        self.assertEqual((self.inspection.state, str(self.inspection.note)), ("done", "<p>corrected</p>"))
        self.assertRefused(lambda: line.with_user(self.manager).write({"score": line.max_score}), UserError)
        self.assertEqual(line.score, 0)

    def test_the_engine_still_writes(self):
        """The demo history and the actions write as the superuser: the lock is the users'."""
        self.inspection.sudo().write({"note": "<p>engine</p>"})
        self.assertEqual(str(self.inspection.note), "<p>engine</p>")


@tagged("post_install", "-at_install")
class TestBadInputOverRpc(HttpCase):
    """What XML-RPC callers get for NaN and infinity: the translated refusal (a warning), not a server error."""

    def test_nan_and_infinity_over_xmlrpc(self):
        manager = new_test_user(self.env, login="t_bad_rpc_manager", groups=GROUP + "manager")
        unit = self.env["garbage.unit"].create({"name": "RPC Village", "code": "T-BAD-RPC", "unit_type": "village"})
        template = self.env.ref("garbage_sorting.garbage_inspection_template_standard")
        inspection = (
            self.env["garbage.inspection"]
            .with_user(manager)
            .create({"unit_id": unit.id, "source": "patrol", "template_id": template.id})
        )
        line = inspection.line_ids[0]
        maximum = line.max_score

        def call(model, method, *args):
            return self.xmlrpc_object.execute_kw(
                self.env.cr.dbname, manager.id, manager.login, model, method, list(args), {}
            )

        for vals in ({"max_score": NAN}, {"max_score": INF}, {"max_score": 0}, {"score": NAN}):
            with self.subTest(vals=vals), mute_logger("odoo.http"):
                with self.assertRaises(xmlrpclib.Fault) as caught:
                    call("garbage.inspection.line", "write", line.ids, vals)
                # 2: Odoo's code for a UserError (a warning shown to the user), 1 would be a server error
                self.assertEqual(caught.exception.faultCode, 2, caught.exception.faultString)
        with mute_logger("odoo.http"), self.assertRaises(xmlrpclib.Fault) as caught:
            call("garbage.assessment.period", "create", {"date_start": "9999-12-01"})
        self.assertEqual(caught.exception.faultCode, 2, caught.exception.faultString)
        self.env.invalidate_all()
        self.assertEqual((line.max_score, line.score), (maximum, maximum))

    def test_unstorable_text_over_jsonrpc(self):
        """A lone surrogate and a NUL sent by the web client's JSON-RPC get the translated refusal."""
        new_test_user(self.env, login="t_bad_rpc_coordinator", groups=GROUP + "coordinator")
        self.authenticate("t_bad_rpc_coordinator", "t_bad_rpc_coordinator")
        count = self.env["garbage.volunteer.hour.reject"].search_count([])
        for value in UNSTORABLE:
            with self.subTest(value=value), mute_logger("odoo.http"):
                with self.assertRaises(JsonRpcException) as caught:
                    self.make_jsonrpc_request(
                        "/web/dataset/call_kw/garbage.volunteer.hour.reject/create",
                        {
                            "model": "garbage.volunteer.hour.reject",
                            "method": "create",
                            "args": [{"reason": value}],
                            "kwargs": {},
                        },
                    )
                self.assertEqual(caught.exception.args[0], "odoo.exceptions.ValidationError")
        self.assertEqual(self.env["garbage.volunteer.hour.reject"].search_count([]), count)


@tagged("post_install", "-at_install")
class TestIdsBeyondAnInteger(HttpCase):
    """An id in a URL or a query string beyond PostgreSQL's integer (a link mistyped or cut wrong) is the same 404
    as any missing record, never a server error."""

    HUGE = (2**31, 2**63, 10**30)

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        setup_volunteers(cls)
        new_test_user(cls.env, login="t_big_id_manager", groups=GROUP + "manager")

    def test_portal_pages_of_a_volunteer(self):
        self.authenticate("gs_vt_volunteer", "gs_vt_volunteer")
        html = self.url_open("/my/volunteer-hours/new").text
        csrf = html.split('name="csrf_token" value="')[1].split('"')[0]
        for number in self.HUGE:
            with self.subTest(id=number), mute_logger("odoo.http"):
                for url in (f"/my/volunteer-hours/{number}", f"/my/bin-site/{number}?token=x"):
                    self.assertEqual(self.url_open(url, allow_redirects=False).status_code, 404, url)
                for url in (
                    f"/my/volunteer-hours/{number}",
                    f"/my/volunteer-hours/{number}/delete",
                    f"/my/volunteer-duties/{number}/check-in",
                    f"/my/bin-site/{self.site.id}/{number}/check-in?token={self.site.access_token}",
                ):
                    response = self.url_open(url, data={"csrf_token": csrf, "hours": "1"}, allow_redirects=False)
                    self.assertEqual(response.status_code, 404, url)
                # a page beyond the last is the last page
                self.assertEqual(self.url_open(f"/my/volunteer-hours/page/{number}").status_code, 200)

    def test_downloads_of_the_task_force(self):
        self.authenticate("t_big_id_manager", "t_big_id_manager")
        for number in self.HUGE:
            for url in (
                f"/garbage_sorting/bulletin?period_ids={number}",
                f"/garbage_sorting/annual_evaluation?annual_ids={number}",
                f"/report/pdf/garbage_sorting.report_garbage_unit_annual/{number}",
            ):
                with self.subTest(url=url), mute_logger("odoo.http"):
                    self.assertIn(self.url_open(url).status_code, (400, 404), url)

    def test_the_leaderboard_of_a_unit_with_a_large_id(self):
        """The leaderboard numbers its rows from their unit's id (times 10000): a unit numbered beyond 214748 is
        listed like any, and a row id beyond an integer (in the web client's URL) reads as no row."""
        unit = self.env["garbage.unit"].create({"name": "Far Village", "code": "T-BIG-ID", "unit_type": "village"})
        self.env.cr.execute("UPDATE garbage_unit SET id = %s WHERE id = %s", [10**6, unit.id])
        self.env.invalidate_all()
        unit = unit.browse(10**6)
        self.volunteer.volunteer_unit_ids = [(4, unit.id)]
        self.Hour.create(
            {"partner_id": self.volunteer.id, "unit_id": unit.id, "date": "2025-03-01", "hours": 2, "state": "approved"}
        )
        self.authenticate("t_big_id_manager", "t_big_id_manager")

        def call(method, *args, **kwargs):
            model = "garbage.volunteer.leaderboard"
            return self.make_jsonrpc_request(
                f"/web/dataset/call_kw/{model}/{method}",
                {"model": model, "method": method, "args": list(args), "kwargs": kwargs},
            )

        rows = call("web_search_read", domain=[["unit_id", "=", unit.id]], specification={"hours": {}})["records"]
        self.assertEqual(rows, [{"id": 10**10 + 2025, "hours": 2.0}])
        self.assertEqual(call("web_read", [10**10 + 2025], specification={"hours": {}}), rows)
        for number in self.HUGE:
            self.assertEqual(call("web_read", [number * 10000], specification={"hours": {}}), [])
