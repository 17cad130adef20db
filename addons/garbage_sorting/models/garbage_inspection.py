from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import plaintext2html
from odoo.tools.sql import create_index

from .garbage_guard_mixin import MANAGER_GROUP, company_lang_env, town_today
from .garbage_input_mixin import MAX_CHECK_POINTS
from .garbage_inspection_template import ITEM_CATEGORIES
from .garbage_obligation import engine_fields
from .garbage_obligation_rule import period_bounds

INSPECTOR_GROUP = "garbage_sorting.garbage_sorting_group_inspector"
REFUSAL_REASON_MAX_LENGTH = 2000

INSPECTION_SOURCES = [
    ("self", "Self-inspection"),
    ("patrol", "Town Patrol"),
    ("mutual", "Mutual Inspection"),
]


class GarbageInspection(models.Model):
    _name = "garbage.inspection"
    _description = "Inspection"
    _inherit = ["garbage.guard.mixin", "mail.thread", "mail.activity.mixin"]
    _order = "date desc, id desc"
    _check_company_auto = True

    company_id = fields.Many2one(related="unit_id.company_id", string="Town", store=True, index=True, precompute=True)
    name = fields.Char("Reference", readonly=True, copy=False, default=lambda self: self.env._("New"))
    unit_id = fields.Many2one("garbage.unit", "Inspected Unit", required=True, index=True, tracking=True)
    unit_type = fields.Selection(related="unit_id.unit_type", store=True)
    peer_group = fields.Selection(related="unit_id.peer_group", store=True)
    source = fields.Selection(
        INSPECTION_SOURCES, required=True, default=lambda self: self._default_source(), tracking=True
    )
    date = fields.Date(required=True, default=fields.Date.context_today, index=True, tracking=True)
    inspector_ids = fields.Many2many(
        "res.users", string="Inspectors", default=lambda self: self.env.user, tracking=True
    )
    inspecting_unit_id = fields.Many2one(
        "garbage.unit",
        "Inspecting Unit",
        help="For a mutual inspection: the unit assigned to inspect.",
        check_company=True,
    )
    template_id = fields.Many2one("garbage.inspection.template", "Checklist", tracking=True, check_company=True)
    mutual_round_id = fields.Many2one(
        "garbage.mutual.round",
        "Mutual Inspection Round",
        index=True,
        ondelete="restrict",
        readonly=True,
        check_company=True,
    )
    rectification_ids = fields.One2many("garbage.rectification", "inspection_id", string="Rectifications")
    rectification_count = fields.Integer(compute="_compute_rectification_count")
    line_ids = fields.One2many("garbage.inspection.line", "inspection_id", string="Checks", copy=True)
    score = fields.Float(compute="_compute_score", store=True, digits=(5, 2), aggregator="avg", tracking=True)
    state = fields.Selection(
        [("draft", "Draft"), ("done", "Done"), ("refused", "Refused")],
        default="draft",
        required=True,
        tracking=True,
        copy=False,
        help="A mutual inspection the inspected unit would not undergo is recorded as refused, with the reason: the "
        "inspected unit is charged for it in the monthly assessment.",
    )
    refusal_reason = fields.Text(
        copy=False, tracking=True, help="Why the mutual inspection could not take place: the inspected unit refused."
    )
    refusal_date = fields.Date(copy=False, help="The day the refusal was recorded: it is charged in that month.")
    note = fields.Html()
    # what the form shows: the buttons and the checklist edits the server would accept from this user
    user_may_record = fields.Boolean(compute="_compute_user_rights", help="Technical: may close this inspection.")
    user_is_task_force = fields.Boolean(compute="_compute_user_rights", help="Technical: task force or engine.")
    user_may_refuse = fields.Boolean(
        compute="_compute_user_rights", help="Technical: may record that the inspected unit refused it."
    )

    def init(self):
        # The monthly assessment reads one town's month of inspections, and its refusals (few): at district
        # size an index on the date alone reads every town's month (scripts/bench_assessment.py).
        create_index(self.env.cr, "garbage_inspection_company_date_index", self._table, ["company_id", "date"])
        create_index(
            self.env.cr,
            "garbage_inspection_company_refusal_index",
            self._table,
            ["company_id", "refusal_date"],
            where="state = 'refused'",
        )

    @api.model
    def _default_source(self):
        """An inspector walks the town: their new inspection is a patrol; a unit's liaison inspects itself."""
        return "patrol" if self.env.user.has_group(INSPECTOR_GROUP) else "self"

    @api.model
    def _guarded_fields(self):
        """The score is computed from the checks and the reference numbered: nobody writes them. What is
        inspected, by whom and against which checklist is set when the inspection is created (record rules
        decide who creates which) and changed afterwards by the task force only; so is a mutual round."""
        task_force = (MANAGER_GROUP,)
        return {
            **super()._guarded_fields(),
            "name": (),
            "score": (),
            "rectification_ids": (),
            "unit_id": task_force,
            "unit_type": (),
            "peer_group": (),
            "source": task_force,
            "inspecting_unit_id": task_force,
            "template_id": task_force,
            "mutual_round_id": task_force,
            # recorded with the refusal button (action_refuse), never by hand
            "refusal_reason": (),
            "refusal_date": (),
        }

    @api.model
    def _guard_creation_fields(self):
        # name: create() numbers every inspection (what a caller sends is replaced)
        return (*super()._guard_creation_fields(), "name", "unit_id", "source", "inspecting_unit_id", "template_id")

    @api.model
    def _get_done_locked_fields(self):
        """What a done inspection keeps as it was found (as core's `sale.order.line._get_protected_fields()`):
        every field of its own, its unit, date, note and checks included (the mail layer's followers,
        activities and messages go on). Nobody but the engine changes them, the task force and the
        administrator included, as with a published month: the task force resets the inspection to draft
        first (`action_reset_to_draft`, tracked in the chatter). Its checks are locked with it (see
        `garbage.inspection.line._get_done_locked_fields`)."""
        return set(engine_fields(self))

    @api.depends("display_name", "state")
    @api.depends_context("uid")
    def _compute_guard_readonly_fields(self):
        """The form's readonly follows the server: the guarded fields, and everything of a done inspection."""
        result = super()._compute_guard_readonly_fields()
        if not self.env.su:
            locked = self._get_done_locked_fields()
            for inspection in self.filtered(lambda inspection: inspection.state == "done"):
                inspection.guard_readonly_fields = sorted(set(inspection.guard_readonly_fields or ()) | locked)
        return result

    def _guard_done_lock(self, field_names, what=None):
        """Refuse changing `field_names` (or, with `what`, the checks named by it) of these inspections when one
        of them is done: everybody but the engine, with one message naming what cannot change."""
        if self.env.su:
            return
        done = self.filtered(lambda inspection: inspection.state == "done")
        if not done:
            return
        if what is None:
            locked = self._get_done_locked_fields()
            names = [name for name in field_names if name in locked]
            if not names:
                return
            what = ", ".join(f"“{self._fields[name]._description_string(self.env)}”" for name in names)
        raise UserError(
            self.env._(
                "The inspection %(inspection)s is done and locked (%(fields)s): it changes only once the task force "
                "resets it to draft.",
                inspection=done[0].name,
                fields=what,
            )
        )

    @api.depends("line_ids.score", "line_ids.max_score")
    def _compute_score(self):
        for inspection in self:
            maximum = sum(inspection.line_ids.mapped("max_score"))
            obtained = sum(inspection.line_ids.mapped("score"))
            inspection.score = round(100.0 * obtained / maximum, 2) if maximum else 0.0

    @api.depends_context("uid")
    @api.depends("state", "unit_id", "source", "inspecting_unit_id", "date", "mutual_round_id")
    def _compute_user_rights(self):
        """Who may write an inspection closes it. A new one (its form not saved yet) is closed by whoever may
        create it: the button saves it first, then the server checks as for any other. The dependencies make
        the form compute it for a new record too (a field without any is left as the form sent it: False).
        A refusal is recorded as `action_refuse` accepts it: by the task force, or within the round's two months."""
        origins = self.browse([inspection._origin.id for inspection in self if inspection._origin.id])
        recordable = origins._filtered_access("write")
        may_create = self.has_access("create")
        is_task_force = self._is_manager()
        today = town_today(self.env)
        for inspection in self:
            origin = inspection._origin
            inspection.user_may_record = origin in recordable if origin.id else may_create
            inspection.user_is_task_force = is_task_force
            inspection.user_may_refuse = bool(
                inspection.user_may_record
                and inspection.state == "draft"
                and inspection.source == "mutual"
                and inspection.inspecting_unit_id
                and inspection.date
                and (is_task_force or inspection._round_end() >= today)
            )

    def _compute_rectification_count(self):
        counts = dict(
            self.env["garbage.rectification"]._read_group(
                [("inspection_id", "in", self.ids)], ["inspection_id"], ["__count"]
            )
        )
        for inspection in self:
            inspection.rectification_count = counts.get(inspection, 0)

    @api.model
    def _default_template_id(self):
        """The town's only checklist; none when there are several (no guess)."""
        templates = self.env["garbage.inspection.template"].search([("company_id", "=", self.env.company.id)], limit=2)
        return templates if len(templates) == 1 else templates.browse()

    # On the source (which every new form has by default): the form opens on the only checklist, its checks
    # filled. Not a field default: a record created by code gets no checklist it did not ask for.
    @api.onchange("source")
    def _onchange_preselect_checklist(self):
        if self.state == "draft" and not self.template_id and not self.line_ids:
            self.template_id = self._default_template_id()
            self._onchange_template_id()

    @api.onchange("template_id")
    def _onchange_template_id(self):
        """Choosing the checklist fills the checks at once, each at full marks (what is wrong is marked down)."""
        if self.state != "draft" or not self.template_id:
            return
        items = self.template_id.item_ids
        kept = self.line_ids.filtered(lambda line: line.item_id in items or not line.item_id)
        missing = items - kept.item_id
        self.line_ids = [fields.Command.unlink(line.id) for line in self.line_ids - kept] + [
            fields.Command.create(
                {
                    "item_id": item.id,
                    "sequence": item.sequence,
                    "name": item.name,
                    "category": item.category,
                    "max_score": item.max_score,
                    "score": item.max_score,
                }
            )
            for item in missing
        ]

    @api.constrains("date")
    def _check_date(self):
        today = town_today(self.env)
        if any(inspection.date > today for inspection in self):
            raise ValidationError(self.env._("An inspection cannot be dated in the future."))

    @api.constrains("date", "mutual_round_id")
    def _check_round_date(self):
        """A round's inspection is made from the round's date on, never before it."""
        for inspection in self:
            mutual_round = inspection.sudo().mutual_round_id
            if mutual_round and inspection.date < mutual_round.date:
                raise ValidationError(
                    self.env._(
                        "The mutual inspection %(inspection)s of the round %(round)s cannot be dated before the "
                        "round (%(date)s).",
                        inspection=inspection.name,
                        round=mutual_round.name,
                        date=mutual_round.date,
                    )
                )

    def _round_end(self):
        """The last day of the two months this mutual inspection belongs to: its round's, else its date's."""
        self.ensure_one()
        return period_bounds("bimonthly", self.sudo().mutual_round_id.date or self.date)[1]

    def _check_not_backdated(self):
        """Once its round's two months are over, a round's inspection is dated the day it is made: only the task
        force dates it back within the round (a unit would otherwise dodge the charge for a skipped part)."""
        if self._is_manager():
            return
        today = town_today(self.env)
        for inspection in self.filtered("mutual_round_id"):
            end = inspection._round_end()
            if end < today and inspection.date <= end:
                raise UserError(
                    self.env._(
                        "The two months of the round of the mutual inspection %(inspection)s ended on %(end)s: made "
                        "after them, it is dated the day it is made (after %(end)s), not back within the round.",
                        inspection=inspection.name,
                        end=end,
                    )
                )

    @api.constrains("source", "unit_id", "inspecting_unit_id")
    def _check_inspecting_unit(self):
        for inspection in self:
            if inspection.source == "mutual" and inspection.inspecting_unit_id == inspection.unit_id:
                raise ValidationError(self.env._("In a mutual inspection a unit cannot inspect itself."))

    @api.model_create_multi
    def create(self, vals_list):
        templates = self.env["garbage.inspection.template"].browse(
            [vals["template_id"] for vals in vals_list if vals.get("template_id") and not vals.get("line_ids")]
        )
        for vals in vals_list:
            if not self.env.su or vals.get("name", self.env._("New")) == self.env._("New"):
                vals["name"] = self.env["ir.sequence"].sudo().next_by_code("garbage.inspection") or self.env._("New")
            if vals.get("template_id") and not vals.get("line_ids"):
                template = templates.filtered(lambda t, tid=vals["template_id"]: t.id == tid)
                vals["line_ids"] = [
                    fields.Command.create({"item_id": item.id, "max_score": item.max_score, "score": item.max_score})
                    for item in template.item_ids
                ]
        inspections = super().create(vals_list)
        inspections._check_independent()
        return inspections

    def _check_independent(self):
        """The town's eyes are someone else's: nobody but the task force records a patrol or a mutual
        inspection of a unit they act for (a unit's own users record its self-inspections)."""
        if self._is_manager():
            return
        if any(i.source != "self" and self.env.user in i.sudo().unit_id.user_ids for i in self):
            raise AccessError(self.env._("Nobody inspects, for the town or another unit, a unit they act for."))

    def write(self, vals):
        self._guard_done_lock(vals)
        if not self._is_manager() and (refused := self.filtered(lambda inspection: inspection.state == "refused")):
            raise UserError(
                self.env._(
                    "The mutual inspection %(inspection)s was refused: only the task force changes it, by resetting it "
                    "to draft.",
                    inspection=refused[0].name,
                )
            )
        result = super().write(vals)
        if "date" in vals:
            self._check_not_backdated()
        if vals.keys() & {"unit_id", "source", "inspecting_unit_id", "inspector_ids"}:
            # record rules are checked before a write: check again so nobody moves a record out of their reach
            self.check_access("write")
        return result

    @api.ondelete(at_uninstall=False)
    def _unlink_except_done(self):
        """A done inspection is the record of what was found: nobody deletes it (the task force may reset it)."""
        if any(inspection.state == "done" for inspection in self):
            raise UserError(self.env._("A done inspection cannot be deleted."))
        # a reset inspection keeps its rectifications, which would go with it
        if self.sudo().rectification_ids:
            raise UserError(self.env._("An inspection that opened rectifications cannot be deleted."))

    def action_done(self):
        # who records the inspection closes it: the record rules say who that is (write access)
        self.check_access("write")
        for inspection in self:
            if inspection.state != "draft":
                raise UserError(self.env._("Only a draft inspection can be marked as done."))
            if not inspection.line_ids:
                raise UserError(self.env._("An inspection needs at least one check before it is done."))
            if missing := inspection.template_id.item_ids - inspection.line_ids.item_id:
                raise UserError(
                    self.env._(
                        "Every check of the checklist must be scored before the inspection is done; missing: "
                        "%(checks)s.",
                        checks=", ".join(missing.mapped("name")),
                    )
                )
        self._check_independent()
        self._check_not_backdated()
        self.sudo().write({"state": "done"})
        self._create_rectifications()
        return True

    def action_reset_to_draft(self):
        """The task force reopens a done inspection, or withdraws a refusal (the reason stays in the chatter)."""
        if not self._is_manager():
            raise AccessError(self.env._("Only the task force can reset a done inspection to draft."))
        self.check_access("write")
        self.filtered(lambda i: i.state == "done").sudo().write({"state": "draft"})
        refused = self.filtered(lambda i: i.state == "refused").sudo()
        refused.write({"state": "draft", "refusal_reason": False, "refusal_date": False})
        for inspection in refused:
            # the refusal's activities end with it (in the town's language)
            inspection._close_activities(
                company_lang_env(self.env, inspection.company_id)._("Refusal withdrawn by the task force.")
            )
        return True

    def action_refuse(self, reason):
        """Record that the inspected unit refused this draft mutual inspection, and why: the inspecting unit (who
        may fill the inspection) or the task force records it; the inspected unit is charged for it in the month
        of the refusal. Nobody records a refusal of an inspection of a unit they act for, and only the task force
        records one after the round's two months. The refused unit's liaisons and the task-force head are told
        (an activity each)."""
        reason = (reason or "").strip()
        if not reason:
            raise ValidationError(self.env._("Give the reason why the mutual inspection could not take place."))
        if len(reason) > REFUSAL_REASON_MAX_LENGTH:
            raise ValidationError(
                self.env._("Keep the reason under %(count)s characters.", count=REFUSAL_REASON_MAX_LENGTH)
            )
        self.check_access("write")
        is_task_force = self._is_manager()
        today = town_today(self.env)
        for inspection in self:
            if inspection.source != "mutual" or not inspection.inspecting_unit_id:
                raise UserError(
                    self.env._("Only a mutual inspection can be refused (%(inspection)s).", inspection=inspection.name)
                )
            if inspection.state != "draft":
                raise UserError(
                    self.env._(
                        "Only a draft mutual inspection can be recorded as refused (%(inspection)s).",
                        inspection=inspection.name,
                    )
                )
            if not is_task_force and (end := inspection._round_end()) < today:
                raise UserError(
                    self.env._(
                        "The two months of the mutual inspection %(inspection)s ended on %(end)s: only the task force "
                        "records a refusal after them.",
                        inspection=inspection.name,
                        end=end,
                    )
                )
        self._check_independent()
        self.sudo().write({"state": "refused", "refusal_reason": reason, "refusal_date": today})
        self._notify_refusal()
        return True

    def _notify_refusal(self):
        """An activity for each liaison of the refused unit and for the task-force head, in the town's language
        (sudo: the inspecting unit may not read the refused unit's liaisons)."""
        Escalation = self.env["garbage.escalation"]
        for inspection in self.sudo():
            town = company_lang_env(self.env, inspection.company_id)
            users = inspection.unit_id._get_liaison_users() | Escalation._get_taskforce_head(inspection.company_id)
            summary = town._("Mutual inspection %(inspection)s refused", inspection=inspection.name)
            note = plaintext2html(
                town._(
                    "%(inspecting)s recorded on %(date)s that %(unit)s refused the mutual inspection %(inspection)s: "
                    "%(reason)s\nThe refusal is charged to %(unit)s in the assessment of that month; the task force "
                    "may withdraw it by resetting the inspection to draft.",
                    inspecting=inspection.inspecting_unit_id.name,
                    date=inspection.refusal_date,
                    unit=inspection.unit_id.name,
                    inspection=inspection.name,
                    reason=inspection.refusal_reason,
                )
            )
            for user in users.filtered("active"):
                inspection.activity_schedule(
                    "mail.mail_activity_data_todo",
                    date_deadline=inspection.refusal_date,
                    summary=summary,
                    note=note,
                    user_id=user.id,
                )

    def action_view_rectifications(self):
        """The rectifications this inspection opened: the one there is in its form (what the inspector walking
        on checks at once on the phone), several in a list."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("garbage_sorting.garbage_rectification_action")
        action["domain"] = [("inspection_id", "=", self.id)]
        action["context"] = {"create": False}
        rectifications = self.env["garbage.rectification"].search(action["domain"], limit=2)
        if len(rectifications) == 1:
            action.update(views=[(False, "form")], view_mode="form", res_id=rectifications.id)
        return action

    def _create_rectifications(self):
        """One rectification per check below full marks that has none yet (a reset inspection keeps them)."""
        lines = self.line_ids.filtered(lambda line: line.score < line.max_score)
        Rectification = self.env["garbage.rectification"].sudo()  # liaisons close their own self-inspections
        existing = Rectification.search([("inspection_line_id", "in", lines.ids)]).inspection_line_id
        vals_list = [
            {
                "name": line.name,
                "description": line.remark,
                "inspection_id": line.inspection_id.id,
                "inspection_line_id": line.id,
                "assignee_id": line.inspection_id.unit_id._get_liaison_users()[:1].id,
                "deadline": line.inspection_id.date
                + timedelta(days=line.inspection_id.company_id.garbage_rectification_days),
                "photo_before_ids": [fields.Command.set(line.photo_ids.ids)],
            }
            # sudo: an inspecting unit may not read the inspected unit's liaison
            for line in (lines - existing).sudo()
        ]
        return Rectification.create(vals_list)


class GarbageInspectionLine(models.Model):
    _name = "garbage.inspection.line"
    _description = "Inspection Check Result"
    _inherit = ["garbage.guard.mixin", "garbage.photo.mixin"]
    _order = "inspection_id, sequence, id"
    _check_company_auto = True

    company_id = fields.Many2one(
        related="inspection_id.company_id", string="Town", store=True, index=True, precompute=True
    )
    inspection_id = fields.Many2one("garbage.inspection", required=True, ondelete="cascade", index=True)
    sequence = fields.Integer(default=10)
    item_id = fields.Many2one("garbage.inspection.template.item", "Check", ondelete="restrict", check_company=True)
    name = fields.Char(compute="_compute_from_item", store=True, readonly=False, precompute=True, required=True)
    category = fields.Selection(
        ITEM_CATEGORIES, compute="_compute_from_item", store=True, readonly=False, precompute=True
    )
    max_score = fields.Float("Maximum Score", required=True, default=10.0)
    score = fields.Float(required=True, default=0.0)
    remark = fields.Char()
    photo_ids = fields.Many2many("ir.attachment", string="Photos", copy=False)

    @api.model
    def _photo_fields(self):
        return ("photo_ids",)

    def _photos_locked(self):
        return self.filtered(lambda line: line.inspection_id.state == "done")

    def _photos_locked_for_all(self):
        # a done inspection's photos are locked with it, for the task force too (it resets the inspection first)
        return self._photos_locked()

    @api.depends("item_id")
    def _compute_from_item(self):
        for line in self:
            if line.item_id:
                line.name = line.item_id.name
                line.category = line.item_id.category
            elif not line.category:
                line.category = "general"

    @api.model
    def _guarded_fields(self):
        """Who inspects scores the checks; the checks themselves (which, out of how much) are the task
        force's checklist: a check is added from the inspection's checklist, with its maximum, and stays."""
        base = {name: groups for name, groups in super()._guarded_fields().items() if name in self._fields}
        task_force = (MANAGER_GROUP,)
        return {
            **base,
            "inspection_id": task_force,
            "item_id": task_force,
            "name": task_force,
            "category": task_force,
            "max_score": task_force,
        }

    @api.model
    def _guard_creation_fields(self):
        # create() takes the name, category and maximum from the check for whoever is not the task force
        return (*super()._guard_creation_fields(), "inspection_id", "item_id", "name", "category", "max_score")

    @api.model
    def _get_done_locked_fields(self):
        """What the checks of a done inspection keep as they were found: all of it (score, maximum, remark,
        photos, which check, in which inspection, in which order). No check is added or removed either."""
        return set(engine_fields(self))

    @api.model
    def _input_ranges(self):
        """Points are finite, a check's maximum is more than 0 (an inspection's score divides by the maximums)
        and at most MAX_CHECK_POINTS; a score is also at most its check's maximum (`_check_score`)."""
        return {
            **super()._input_ranges(),
            "score": (0, MAX_CHECK_POINTS, False),
            "max_score": (0, MAX_CHECK_POINTS, True),
        }

    def _guard_done_lock(self, vals):
        """Refuse writing `vals` on checks of a done inspection, or moving a check into one."""
        if self.env.su:
            return
        locked = self._get_done_locked_fields()
        names = [name for name in vals if name in locked]
        if not names:
            return
        what = ", ".join(f"“{self._fields[name]._description_string(self.env)}”" for name in names)
        self.inspection_id._guard_done_lock((), what=what)
        if vals.get("inspection_id"):
            self.env["garbage.inspection"].browse(vals["inspection_id"])._guard_done_lock((), what=what)

    @api.model_create_multi
    def create(self, vals_list):
        # a check is not added to a done inspection, by anybody but the engine
        if not self.env.su:
            self.env["garbage.inspection"].browse(
                {vals.get("inspection_id") or 0 for vals in vals_list} - {0}
            )._guard_done_lock((), what=self.env._("a new check"))
        if not self._is_manager():
            inspections = self.env["garbage.inspection"].browse(
                {vals.get("inspection_id") or 0 for vals in vals_list} - {0}
            )
            items = self.env["garbage.inspection.template.item"].browse(
                {vals.get("item_id") or 0 for vals in vals_list} - {0}
            )
            checklists = {inspection.id: inspection.template_id.item_ids for inspection in inspections}
            scored = {inspection.id: inspection.line_ids.item_id for inspection in inspections}
            for vals in vals_list:
                item = items.browse(vals.get("item_id") or ()) & items
                inspection_id = vals.get("inspection_id")
                if (
                    not item
                    or item not in checklists.get(inspection_id, items.browse())
                    or item in scored[inspection_id]
                ):
                    raise AccessError(
                        self.env._(
                            "A check is added once, from the inspection's checklist; other checks are added by the "
                            "task force."
                        )
                    )
                scored[inspection_id] |= item
                vals.update(name=item.name, category=item.category, max_score=item.max_score)
        return super().create(vals_list)

    def write(self, vals):
        self._guard_done_lock(vals)
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_locked_or_checklist(self):
        """The checklist is complete: only the task force removes a check (and not from a done inspection)."""
        self.inspection_id._guard_done_lock((), what=self.env._("removing a check"))
        if not self._is_manager():
            raise AccessError(self.env._("Only the task force removes a check from an inspection."))

    @api.constrains("score", "max_score")
    def _check_score(self):
        for line in self:
            # written so that NaN (for which every comparison is false) fails it too
            if not 0 <= line.score <= line.max_score:
                raise ValidationError(
                    self.env._(
                        "The score of check “%(check)s” must be between 0 and %(maximum)s.",
                        check=line.name,
                        maximum=line.max_score,
                    )
                )
