import json

from lxml import etree

from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, tagged

from .common import GarbageSortingCase, after_photo

# What the liaison, the inspector and the coordinator open from their menus: on a phone each shows cards first.
FIELD_ACTIONS = {
    "liaison": (
        "garbage_sorting.garbage_obligation_action",
        "garbage_sorting.garbage_inspection_action",
        "garbage_sorting.garbage_rectification_action",
        "garbage_sorting.garbage_escalation_action",
        "garbage_sorting.garbage_volunteer_duty_action",
        "garbage_sorting.garbage_volunteer_hour_action",
    ),
    "inspector": ("garbage_sorting.garbage_inspection_action", "garbage_sorting.garbage_rectification_action"),
    "coordinator": (
        "garbage_sorting.garbage_volunteer_duty_action",
        "garbage_sorting.garbage_volunteer_hour_action",
    ),
}


def web_client_views(action):
    """The (view id, type) pairs the web client receives for `action`, and the type a phone opens first."""
    data = action.sudo().read(["views", "mobile_view_mode"])[0]
    types = [view_type for _view, view_type in data["views"]]
    first = data["mobile_view_mode"] if data["mobile_view_mode"] in types else types[0]
    return data["views"], first


@tagged("post_install", "-at_install")
class TestFieldCards(GarbageSortingCase):
    """The cards behind the phone: every field action opens on them, for its role, with the next step that
    the server accepts from that role only."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.own_unit.liaison_id = cls.liaison.partner_id

    def _failed(self):
        inspection = self._inspection(self.own_unit, source="patrol", user=self.inspector)
        inspection.line_ids[:1].with_user(self.inspector).score = 0
        inspection.with_user(self.inspector).action_done()
        return inspection.rectification_ids

    def test_every_field_action_opens_on_cards(self):
        users = {"liaison": self.liaison, "inspector": self.inspector, "coordinator": self.coordinator}
        for role, xmlids in FIELD_ACTIONS.items():
            for xmlid in xmlids:
                action = self.env.ref(xmlid)
                views, first = web_client_views(action)
                self.assertEqual(first, "kanban", xmlid)
                model = self.env[action.res_model].with_user(users[role])
                kanban = model.get_views(views)["views"]["kanban"]["arch"]
                self.assertIn("o_garbage_field_kanban", etree.fromstring(kanban).get("class"), (role, xmlid))

    def test_card_buttons_follow_the_role(self):
        kanban = self.env["garbage.volunteer.hour"].with_user(self.liaison).get_views([(False, "kanban")])
        self.assertNotIn("action_approve", kanban["views"]["kanban"]["arch"])
        kanban = self.env["garbage.volunteer.hour"].with_user(self.coordinator).get_views([(False, "kanban")])
        self.assertIn("action_approve", kanban["views"]["kanban"]["arch"])
        # the phone form of a rectification carries 提交复查 in its sheet, outside the header's ⚙ menu
        form = self.env["garbage.rectification"].with_user(self.liaison).get_views([(False, "form")])
        sheet = etree.fromstring(form["views"]["form"]["arch"]).find(".//sheet")
        self.assertTrue(sheet.xpath(".//button[@name='action_submit'][contains(@class, 'd-md-none')]"))

    def test_rejection_is_dated_and_shown_until_resubmitted(self):
        rectification = after_photo(self._failed())
        rectification.with_user(self.liaison).action_submit()
        self.assertFalse(rectification.date_rejected)
        rectification.with_user(self.inspector).action_reject("桶边仍有散落垃圾")
        self.assertRecordValues(rectification, [{"state": "open", "reject_reason": "桶边仍有散落垃圾"}])
        self.assertTrue(rectification.date_rejected)
        # nobody dates a rejection by hand: not the unit, not the inspector
        for user in (self.liaison, self.inspector):
            with self.assertRaises(AccessError):
                rectification.with_user(user).write({"date_rejected": "2020-01-01"})
        self.assertNotEqual(str(rectification.date_rejected), "2020-01-01")

    def test_card_steps_are_refused_to_the_wrong_role(self):
        rectification = self._failed()
        # the card hides 提交复查 until the "after" photo is there; called anyway, the server refuses it
        with self.assertRaises(UserError):
            rectification.with_user(self.liaison).action_submit()
        after_photo(rectification).with_user(self.liaison).action_submit()
        # the liaison does not verify their own unit's work from a card
        with self.assertRaises(AccessError):
            rectification.with_user(self.liaison).action_verify()
        self.assertEqual(rectification.state, "submitted")
        duty = self.env["garbage.volunteer.duty"].create(
            {"site_id": self.env["garbage.bin.site"].create({"name": "一号亭", "unit_id": self.own_unit.id}).id}
        )
        with self.assertRaises(AccessError):
            duty.with_user(self.liaison).action_done()
        self.assertEqual(duty.state, "planned")


@tagged("post_install", "-at_install")
class TestFieldPhoneTour(HttpCase):
    """The liaison and the inspector of the demo town on a 390 px phone."""

    browser_size = "390x844"
    touch_enabled = True

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.liaison = cls.env.ref("garbage_sorting.user_liaison_demo")
        cls.inspector = cls.env.ref("garbage_sorting.user_inspector_demo")
        cls.coordinator = cls.env.ref("garbage_sorting.user_coordinator_demo")
        cls.unit = cls.env["garbage.unit"].search([("user_ids", "in", cls.liaison.ids)], limit=1)
        cls.template = cls.env.ref("garbage_sorting.garbage_inspection_template_standard")

    def _rectification(self, name):
        inspection = (
            self.env["garbage.inspection"]
            .with_user(self.inspector)
            .create({"unit_id": self.unit.id, "source": "patrol", "template_id": self.template.id})
        )
        inspection.line_ids[:1].score = 0
        inspection.action_done()
        rectification = inspection.rectification_ids.sudo()
        rectification.name = name
        return rectification.with_env(self.env)

    def _tour(self, url, tour, login, mark=""):
        options = {"stepDelay": 0, "keepWatchBrowser": False, "debug": False, "startUrl": url}
        code = (
            f"sessionStorage.setItem('gs_phone_mark', {json.dumps(mark)});"
            f"odoo.startTour({tour!r}, {json.dumps(options)})"
        )
        self.start_tour(url, tour, login=login, code=code, timeout=90)

    def test_liaison_on_a_phone(self):
        reason = "桶边仍有散落垃圾"
        rejected = after_photo(self._rectification("手机·被退回的整改"))
        rejected.with_user(self.liaison).action_submit()
        rejected.with_user(self.inspector).action_reject(reason)
        rejected.photo_after_ids.unlink()
        from_card = after_photo(self._rectification("手机·卡片上提交"))
        from_form = after_photo(self._rectification("手机·表单上提交"))
        # the unit's own check of this month, among the liaison's inspections
        self.env["garbage.inspection"].with_user(self.liaison).create(
            {"unit_id": self.unit.id, "source": "self", "template_id": self.template.id}
        )
        # an escalation of the unit's grey month (the demo liaison's unit has none)
        period = self.env["garbage.assessment.period"].search([("state", "=", "published")], limit=1)
        self.env["garbage.escalation"].create(
            {
                "unit_id": self.unit.id,
                "period_id": period.id,
                "level": "1",
                "responsible_id": self.env.ref("garbage_sorting.user_taskforce_demo").id,
            }
        )
        # the landing (the unit's obligations), then every other field action: cards, list and form fit
        self._tour("/odoo", "garbage_sorting_phone_cards_tour", "liaison")
        for xmlid in (
            "garbage_rectification_action",
            "garbage_inspection_action",
            "garbage_escalation_action",
            "garbage_volunteer_duty_action",
            "garbage_volunteer_hour_action",
        ):
            self._tour(f"/odoo/action-garbage_sorting.{xmlid}", "garbage_sorting_phone_cards_tour", "liaison")
        self._tour(
            "/odoo/action-garbage_sorting.garbage_rectification_action",
            "garbage_sorting_liaison_phone_tour",
            "liaison",
            mark="|".join((rejected.name, from_card.name, from_form.name, reason)),
        )
        self.assertRecordValues(
            rejected + from_card + from_form, [{"state": "open"}, {"state": "submitted"}, {"state": "submitted"}]
        )

    def test_inspector_on_a_phone(self):
        draft = (
            self.env["garbage.inspection"]
            .with_user(self.inspector)
            .create({"unit_id": self.unit.id, "source": "patrol", "template_id": self.template.id})
        )
        submitted = after_photo(self._rectification("手机·待复查的整改"))
        submitted.with_user(self.liaison).action_submit()
        self._tour("/odoo", "garbage_sorting_phone_cards_tour", "inspector")
        self._tour(
            "/odoo/action-garbage_sorting.garbage_rectification_action", "garbage_sorting_phone_cards_tour", "inspector"
        )
        self._tour("/odoo", "garbage_sorting_inspector_cards_tour", "inspector", mark=draft.name)
        self.assertEqual(draft.state, "done")
        self._tour(
            "/odoo/action-garbage_sorting.garbage_rectification_action",
            "garbage_sorting_inspector_recheck_tour",
            "inspector",
            mark=submitted.name,
        )
        self.assertEqual(submitted.state, "verified")

    def test_coordinator_on_a_phone(self):
        for xmlid in ("garbage_volunteer_duty_action", "garbage_volunteer_hour_action"):
            self._tour(f"/odoo/action-garbage_sorting.{xmlid}", "garbage_sorting_phone_cards_tour", "coordinator")
