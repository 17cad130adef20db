import base64
from datetime import datetime, time, timedelta

import pytz

from odoo import api, fields, models
from odoo.addons.garbage_sorting.models.garbage_guard_mixin import company_lang_env, town_today, town_tz
from odoo.addons.garbage_sorting.models.garbage_input_mixin import (
    check_input_values,
    check_number,
    check_text_values,
    context_defaults,
)
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.osv import expression
from odoo.tools import file_open

MANAGER_GROUP = "garbage_sorting.garbage_sorting_group_manager"
LIAISON_GROUP = "garbage_sorting.garbage_sorting_group_liaison"
# A unit's own quarterly meetings (工作例会、党群议事会、治理联席会): its liaison may record them too.
UNIT_QUARTERLY_KINDS = ("work", "deliberation", "governance")
# A meeting may be signed in to from this long before it starts.
SIGN_IN_OPENS = timedelta(hours=1)
# A party meeting lasts at most a year (in hours): its end then stays within the supported calendar.
MAX_MEETING_HOURS = 366 * 24
# When a party meeting takes place: checked like the dates and numbers of the addons' own records.
TIME_FIELDS = ("start", "stop", "start_date", "stop_date", "duration")
# What makes a meeting count, and where: in a month already published, only the task force changes it.
COUNTING_FIELDS = {
    "party_meeting_kind",
    "party_organizer_unit_id",
    "party_organization_id",
    "party_linkage_group_id",
    "garbage_unit_ids",
    "start",
    "stop",
    "start_date",
    "stop_date",
    "allday",
    "party_state",
    "active",
}

MEETING_KINDS = [
    ("work", "Work Meeting"),
    ("deliberation", "Party–Mass Deliberation Meeting"),
    ("governance", "Governance Joint Meeting"),
    ("publicity", "Publicity and Education Activity"),
    ("training", "Industry Party-Member Publicity Training"),
    ("seminar", "Problem Seminar"),
    ("symposium", "Exchange Symposium"),
    ("chamber_training", "Chamber Training Meeting"),
    ("chamber_symposium", "Chamber Symposium"),
    ("chamber_seminar", "Chamber Seminar"),
    ("mutual_learning", "Mutual Learning and Inspection"),
]


class CalendarEvent(models.Model):
    _name = "calendar.event"
    _inherit = ["calendar.event", "garbage.photo.mixin"]

    party_meeting_kind = fields.Selection(MEETING_KINDS, "Meeting Kind", index=True, tracking=True)
    party_organizer_unit_id = fields.Many2one("garbage.unit", "Organizing Unit", index=True, tracking=True)
    party_organization_id = fields.Many2one(
        "party.organization", "Organizing Party Organization", index=True, tracking=True
    )
    party_linkage_group_id = fields.Many2one(
        "party.linkage.group", "Organizing Linkage Group", index=True, tracking=True
    )
    party_brand_project_id = fields.Many2one("party.brand.project", "Brand Project", index=True)
    party_state = fields.Selection(
        [("confirmed", "Confirmed"), ("cancelled", "Cancelled")],
        "Party Meeting Status",
        default="confirmed",
        index=True,
        tracking=True,
        help="A cancelled party meeting no longer counts towards the cadence obligations. Only its organiser's "
        "secretary and the task force cancel it, with the button.",
    )
    party_user_can_manage = fields.Boolean(
        "I Organise This Meeting",
        compute="_compute_party_user_can_manage",
        help="Technical: the current user is the organiser's secretary or the task force, who alone change a "
        "party meeting that counts towards the cadence obligations.",
    )
    garbage_unit_ids = fields.Many2many(
        "garbage.unit",
        "calendar_event_garbage_unit_rel",
        "event_id",
        "unit_id",
        string="Units Concerned",
        compute="_compute_garbage_unit_ids",
        store=True,
        precompute=True,
        readonly=False,
        help="The organising unit and the linkage group's units: the meeting counts in their cadence. A party "
        "organisation's meeting counts for the organisation itself, not for every unit it leads.",
    )
    party_user_organizes = fields.Boolean(
        "Organised by My Organizations",
        compute="_compute_party_user_organizes",
        search="_search_party_user_organizes",
        help="Technical: organised by a party organization whose secretary the current user is (or one below it), "
        "by a unit it leads or by one of its linkage groups.",
    )
    party_signed_partner_ids = fields.Many2many(
        "res.partner",
        "calendar_event_party_signed_partner_rel",
        "event_id",
        "partner_id",
        string="Signed In",
    )
    party_signed_count = fields.Integer("Signed-in Count", compute="_compute_party_signed_count")
    party_minutes = fields.Html("Minutes")
    party_resolutions = fields.Html("Resolutions")
    party_photo_ids = fields.Many2many(
        "ir.attachment", "calendar_event_party_photo_rel", "event_id", "attachment_id", string="Photos", copy=False
    )
    party_action_item_ids = fields.One2many("party.action.item", "meeting_id", string="Action Items")
    party_carried_item_ids = fields.Many2many(
        "party.action.item",
        compute="_compute_party_carried_item_ids",
        string="Open Items Carried Over",
        help="Action items of earlier meetings of the same organiser that are not closed yet.",
    )

    @api.depends(
        "party_organizer_unit_id",
        "party_linkage_group_id.unit_ids",
        "party_linkage_group_id.lead_unit_id",
    )
    def _compute_garbage_unit_ids(self):
        # An organisation's meeting (a general branch's) is the organisation's own: it no longer counts in the
        # cadence of every unit the organisation leads (each unit holds its own quarterly meetings).
        for event in self:
            event.garbage_unit_ids = (
                event.party_organizer_unit_id
                | event.party_linkage_group_id.lead_unit_id
                | event.party_linkage_group_id.unit_ids
            )

    @api.depends("party_organizer_unit_id", "party_organization_id", "party_linkage_group_id")
    @api.depends_context("uid")
    def _compute_party_user_organizes(self):
        mine = self.search([("id", "in", self.ids), ("party_user_organizes", "=", True)]) if self.ids else self
        for event in self:
            event.party_user_organizes = event in mine

    def _search_party_user_organizes(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Unsupported search on “Organised by My Organizations”."))
        scope = self.env["party.organization"]._get_secretary_scope()
        domain = [
            "|",
            "|",
            ("party_organization_id", "in", scope.ids),
            ("party_organizer_unit_id", "in", scope.unit_ids.ids),
            ("party_linkage_group_id", "in", scope.linkage_group_ids.ids),
        ]
        return domain if (operator == "=") == value else ["!", *domain]

    @api.model
    def _search(self, domain, *args, **kwargs):
        """The cadence engine counts its towns' meetings (`party_town_ids`): those organised by the towns' party
        organisations, units or linkage groups (a meeting has no town of its own)."""
        if towns := self.env.context.get("party_town_ids"):
            domain = expression.AND([domain, self._party_town_domain(towns)])
        return super()._search(domain, *args, **kwargs)

    @api.model
    def _party_town_domain(self, company_ids):
        """The meetings organised in the towns `company_ids`."""
        return [
            "|",
            "|",
            ("party_organization_id.company_id", "in", company_ids),
            ("party_organizer_unit_id.company_id", "in", company_ids),
            ("party_linkage_group_id.company_id", "in", company_ids),
        ]

    @api.model
    def _party_meetings_action(self):
        """The Party Meetings menu: the list of party meetings, a secretary's opening on their organisations' own
        (not the calendar's week of the meetings they attend, nor the whole town's)."""
        action = self.env["ir.actions.act_window"]._for_xml_id("party_branch_linkage.calendar_event_action_party")
        context = {"search_default_party_meetings": 1, "party_meeting_defaults": True}
        if self.env["party.organization"]._get_secretary_scope():
            context["search_default_party_my_organizations"] = 1
        action["context"] = context
        return action

    @api.model
    def _photo_fields(self):
        return ("party_photo_ids",)

    def _photo_keepers(self):
        # Party meetings keep photos; an ordinary event's files are Odoo's business alone.
        return self.exists().filtered(lambda event: event.party_meeting_kind or event.party_photo_ids)

    @api.depends("party_signed_partner_ids")
    def _compute_party_signed_count(self):
        for event in self:
            event.party_signed_count = len(event.party_signed_partner_ids)

    @api.depends("party_organizer_unit_id", "party_organization_id", "party_linkage_group_id", "start")
    def _compute_party_carried_item_ids(self):
        Item = self.env["party.action.item"]
        for event in self:
            organizer = event._party_organizer_domain()
            if not organizer or not event.start:
                event.party_carried_item_ids = Item
                continue
            event.party_carried_item_ids = Item.search(
                [("state", "=", "open"), ("meeting_start", "<", event.start)]
                + [(f"meeting_id.{name}", "=", value) for name, value in organizer]
            )

    @api.depends(
        "party_meeting_kind",
        "party_organizer_unit_id",
        "party_organization_id",
        "party_linkage_group_id",
        "garbage_unit_ids",
    )
    @api.depends_context("uid")
    def _compute_party_user_can_manage(self):
        manager = self._party_is_manager()
        scope = self.env["party.organization"]._get_secretary_scope() if not manager else None
        for event in self:
            event.party_user_can_manage = (
                manager or event._party_refusal(scope) is None or event._party_liaison_refusal() is None
            )

    @api.constrains(
        "party_meeting_kind",
        "party_organizer_unit_id",
        "party_organization_id",
        "party_linkage_group_id",
        "party_brand_project_id",
        "garbage_unit_ids",
    )
    def _check_party_organizer(self):
        for event in self:
            if event.party_meeting_kind and not event._party_organizer_domain():
                raise ValidationError(
                    self.env._(
                        "The meeting “%(name)s” needs its organiser: a unit, a party organization or a linkage group.",
                        name=event.name,
                    )
                )
            if len(event._party_companies()) > 1:
                raise ValidationError(
                    self.env._(
                        "The organisers, brand project and units of the meeting “%(name)s” must all be of one town.",
                        name=event.name,
                    )
                )

    @api.constrains(*TIME_FIELDS, "party_meeting_kind")
    def _check_party_meeting_time(self):
        """A party meeting takes place within the supported calendar (it is counted in its month, signed in to an
        hour before it starts), whatever set its dates: a computed end, or an ordinary event made a party meeting.
        An ordinary event is core's alone: it keeps any date core's calendar takes."""
        for event in self.filtered("party_meeting_kind"):
            check_input_values(event, {name: event[name] for name in TIME_FIELDS})

    @api.model
    def _party_check_input(self, vals):
        """The values written on party meetings go through the addons' input checks (dates within the supported
        calendar, finite numbers, storable text) and their duration lasts at most a year, before core's calendar
        computes the meeting's end from them."""
        check_input_values(self, vals)
        if vals.get("duration") not in (None, False):
            label = self._fields["duration"]._description_string(self.env)
            check_number(self.env, vals["duration"], label, 0, MAX_MEETING_HOURS)

    def _add_missing_default_values(self, values):
        # The complete values of a new event (its defaults included, which may make it a party meeting).
        values = super()._add_missing_default_values(values)
        if values.get("party_meeting_kind"):
            self._party_check_input(values)
        return values

    def _party_companies(self):
        """The towns (companies) of what the party meetings of `self` are organised by and concern (sudo: a
        meeting is Odoo's calendar event, which has no town of its own)."""
        events = self.sudo()
        return (
            events.party_organization_id.company_id
            | events.party_organizer_unit_id.company_id
            | events.party_linkage_group_id.company_id
            | events.party_brand_project_id.company_id
            | events.garbage_unit_ids.company_id
        )

    def _party_organizer_domain(self):
        """The organiser ("same body") as (field, id) pairs; empty when there is none."""
        self.ensure_one()
        return [
            (name, self[name].id)
            for name in ("party_organizer_unit_id", "party_organization_id", "party_linkage_group_id")
            if self[name]
        ]

    # Who owns a party meeting. A meeting with a kind counts towards the cadence obligations of its
    # units, so only its organiser's secretary (of the organisation, or of one above it) and the task
    # force create, change, cancel or delete it:
    # - organised by a party organisation: that organisation's secretary or one above;
    # - organised by a unit: the secretary of an organisation leading the unit (or above);
    # - organised by a linkage group: the secretary of one of the group's organisations (or above);
    # with every organiser set owned by the user, and no unit concerned beyond the organisers' units.
    # Attendees sign themselves in with the button, nothing else. A past meeting that counts is never
    # deleted: it is cancelled (and stops counting).

    @api.model
    def default_get(self, fields_list):
        """From the liaison's menu (or their quarterly-meeting reminder): their unit organises the meeting."""
        defaults = super().default_get(fields_list)
        if (
            self.env.context.get("party_liaison_unit_meeting")
            and "party_organizer_unit_id" in fields_list
            and not defaults.get("party_organizer_unit_id")
        ):
            units = self.env["garbage.unit"].search([("user_ids", "in", self.env.uid)], limit=2)
            if len(units) == 1:
                defaults["party_organizer_unit_id"] = units.id
        if self.env.context.get("party_meeting_defaults"):
            defaults.update(self._party_default_organizer(fields_list, defaults))
        return defaults

    @api.model
    def _party_default_organizer(self, fields_list, defaults):
        """A new party meeting from the Party Meetings menu: organised by the user's own organisation (its
        monthly publicity activity) or, for a unit's liaison, by their unit (its work meeting), when there is
        exactly one; nothing is guessed otherwise."""
        organizer_fields = ("party_organizer_unit_id", "party_organization_id", "party_linkage_group_id")
        if any(defaults.get(name) for name in organizer_fields) or defaults.get("party_meeting_kind"):
            return {}
        own = (
            self.env["party.organization"]
            .sudo()
            .search([("secretary_id", "=", self.env.uid), ("company_id", "=", self.env.company.id)], limit=2)
        )
        if len(own) == 1:
            found = {"party_organization_id": own.id, "party_meeting_kind": "publicity"}
        else:
            units = self.env["garbage.unit"].search([("user_ids", "in", self.env.uid)], limit=2)
            if len(units) != 1 or own:
                return {}
            found = {"party_organizer_unit_id": units.id, "party_meeting_kind": "work"}
        return {name: value for name, value in found.items() if name in fields_list}

    @api.model
    def _party_is_manager(self):
        return self.env.su or self.env.user.has_group(MANAGER_GROUP)

    def _party_refusal(self, scope):
        """Why the user (secretary of `scope`) may not own this meeting; None when they may."""
        self.ensure_one()
        event = self.sudo()
        unit, organization, group = (
            event.party_organizer_unit_id,
            event.party_organization_id,
            event.party_linkage_group_id,
        )
        if (
            not (unit or organization or group)
            or (organization and organization not in scope)
            or (unit and not (unit.with_context(active_test=False).party_organization_ids & scope))
            or (group and not (group.organization_ids & scope))
        ):
            return self.env._(
                "Only the secretary of the organising party organization (or of one above it) and the task force "
                "create, change, cancel or delete the meeting “%(name)s”: it counts towards the cadence obligations.",
                name=event.name,
            )
        if event.garbage_unit_ids - (unit | organization.unit_ids | group.lead_unit_id | group.unit_ids):
            return self.env._(
                "The meeting “%(name)s” concerns only the units of its organiser: %(units)s do not belong to it.",
                name=event.name,
                units=", ".join(
                    (
                        event.garbage_unit_ids - unit - organization.unit_ids - group.lead_unit_id - group.unit_ids
                    ).mapped("name")
                ),
            )
        return None

    # A unit's liaison records the unit's own quarterly meetings (organised by the unit alone, concerning it
    # alone) and owns what they record: they change, cancel or delete only the meetings they recorded, never
    # one recorded by a secretary or by the task force, nor another unit's or another kind's.

    def _party_liaison_refusal(self):
        """Why the user, as a liaison, may not own this meeting; None when they may (their own unit's quarterly
        meeting, recorded by them: a new meeting is being recorded by them)."""
        self.ensure_one()
        event = self.sudo()
        user = self.env.user
        unit = event.party_organizer_unit_id
        if (
            not user.has_group(LIAISON_GROUP)
            or event.party_meeting_kind not in UNIT_QUARTERLY_KINDS
            or not unit
            or user not in unit.user_ids
            or event.party_organization_id
            or event.party_linkage_group_id
            or event.garbage_unit_ids - unit
            or (event.create_uid and event.create_uid != user)
        ):
            return self.env._(
                "A unit's liaison records only their own unit's quarterly meetings (work meeting, party–mass "
                "deliberation, governance joint meeting, organised by the unit alone) and changes only those they "
                "recorded: “%(name)s” is not one of them.",
                name=event.name,
            )
        return None

    def _party_check_owner(self):
        """Refuse unless the user owns every party meeting (with a kind) of `self`: as the organiser's secretary,
        or as the liaison who recorded their unit's quarterly meeting."""
        meetings = self.filtered("party_meeting_kind")
        if not meetings or self._party_is_manager():
            return
        scope = self.env["party.organization"]._get_secretary_scope()
        liaison = self.env.user.has_group(LIAISON_GROUP)
        for meeting in meetings:
            if (reason := meeting._party_refusal(scope)) is not None:
                if not liaison:
                    raise AccessError(reason)
                if (liaison_reason := meeting._party_liaison_refusal()) is not None:
                    raise AccessError(liaison_reason if not scope else f"{reason}\n{liaison_reason}")

    def _party_check_open_months(self):
        """Refuse a change of what counts in a month whose assessment is published (locked), unless task force.

        The month is the town's day of the meeting's start, as the cadence engine counts it.
        """
        meetings = self.filtered(lambda event: event.party_meeting_kind and event.start)
        if not meetings or self._party_is_manager():
            return
        town_days = {meeting: meeting._party_town_day() for meeting in meetings}
        days = set(town_days.values())
        Period = self.env["garbage.assessment.period"].sudo()
        published = Period.search(
            [
                ("company_id", "in", meetings._party_companies().ids),
                ("state", "=", "published"),
                ("date_start", "<=", max(days)),
                ("date_end", ">=", min(days)),
            ]
        )
        closed = [
            meeting
            for meeting in meetings
            if any(
                period.company_id in meeting._party_companies()
                and period.date_start <= town_days[meeting] <= period.date_end
                for period in published
            )
        ]
        if closed:
            raise AccessError(
                self.env._(
                    "The assessment of the month of “%(name)s” is published: only the task force changes what "
                    "counts in it.",
                    name=closed[0].name,
                )
            )

    def _party_check_manage(self):
        """What hangs off a meeting (action items) is changed by whoever may change the meeting."""
        self._party_check_owner()
        self.filtered(lambda event: not event.party_meeting_kind).check_access("write")

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            # minutes, resolutions, a title with a NUL: a clear error, not a server error
            check_text_values(self, {**context_defaults(self, vals), **vals})
        if not self._party_is_manager() and any(
            vals.get("party_state", "confirmed") != "confirmed" for vals in vals_list
        ):
            raise AccessError(self.env._("A party meeting is cancelled with its button, not created cancelled."))
        events = super().create(vals_list)
        events._party_check_owner()
        events._party_check_open_months()
        events._party_recount()
        return events

    def write(self, vals):
        check_text_values(self, vals)
        # the party meetings written, or the events this write makes party meetings
        if "party_meeting_kind" in vals:
            party = vals["party_meeting_kind"]
        else:
            party = self.sudo().filtered("party_meeting_kind")
        if party:
            self._party_check_input(vals)
        counting = bool(COUNTING_FIELDS & set(vals))
        if not self._party_is_manager():
            if "party_state" in vals:
                raise AccessError(self.env._("A party meeting is cancelled or restored with its buttons."))
            self._party_check_owner()
            if counting:
                self._party_check_open_months()
        days = self._party_counted_days() if counting else set()
        result = super().write(vals)
        self._party_check_owner()
        if counting:
            self._party_check_open_months()
            self._party_recount(days)
        return result

    def unlink(self):
        days = self._party_counted_days()
        result = super().unlink()
        self.env["garbage.obligation"]._recount_counted(self._name, days)
        return result

    def _party_town_day(self):
        """The day of the meeting's start in its town (as the cadence engine and the assessment count it): at
        07:30 on 1 April in Shanghai it is April, whatever UTC says."""
        self.ensure_one()
        timezone = town_tz(self.env, self._party_companies()[:1] or None)
        return pytz.utc.localize(self.start).astimezone(timezone).date()

    def _party_counted_days(self):
        """The town's days (as the cadence engine counts) of the party meetings of `self`."""
        return {event._party_town_day() for event in self.sudo() if event.party_meeting_kind and event.start}

    def _party_recount(self, days_before=frozenset()):
        """A party meeting counts once it has taken place: recount the obligations of its days (and of the days
        it was moved from), in one pass for the batch; a future one is counted by the nightly job once held."""
        days = set(days_before) | self._party_counted_days()
        if days:
            self.env["garbage.obligation"]._recount_counted(self._name, days)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_counting_meeting(self):
        now = fields.Datetime.now()
        held = self.filtered(lambda event: event.party_meeting_kind and event.start and event.start <= now)
        if held:
            raise UserError(
                self.env._(
                    "The party meeting “%(name)s” has taken place and counts towards the cadence obligations: "
                    "it is never deleted; cancel it instead.",
                    name=held[0].name,
                )
            )
        self._party_check_owner()
        self._party_check_open_months()

    def action_party_cancel(self):
        """Cancel the party meetings: they stop counting towards the cadence obligations."""
        self._party_check_action()
        self.sudo().write({"party_state": "cancelled"})
        return True

    def action_party_restore(self):
        """Count a cancelled party meeting again."""
        self._party_check_action()
        self.sudo().write({"party_state": "confirmed"})
        return True

    def _party_check_action(self):
        if not_party := self.filtered(lambda event: not event.party_meeting_kind):
            raise UserError(self.env._("“%(name)s” is not a party meeting.", name=not_party[0].name))
        self.check_access("write")
        self._party_check_owner()
        self._party_check_open_months()

    def action_party_sign_in(self):
        """The current user, an attendee (or the organiser), signs in to the meeting."""
        partner = self.env.user.partner_id
        self.check_access("read")
        manager = self._party_is_manager()
        scope = self.env["party.organization"]._get_secretary_scope()
        now = fields.Datetime.now()
        for event in self.sudo():
            if not event.party_meeting_kind or event.party_state == "cancelled":
                raise UserError(self.env._("“%(name)s” is not a party meeting one can sign in to.", name=event.name))
            if partner not in event.partner_ids and not manager and event._party_refusal(scope) is not None:
                raise AccessError(self.env._("Only the attendees of “%(name)s” sign in to it.", name=event.name))
            if event.start and now + SIGN_IN_OPENS < event.start:
                raise UserError(
                    self.env._("The sign-in of “%(name)s” opens an hour before it starts.", name=event.name)
                )
        # Sudo: attendees may not edit the meeting, only add themselves to who came.
        self.sudo().write({"party_signed_partner_ids": [fields.Command.link(partner.id)]})
        return True

    @api.model
    def _demo_liaison_meeting(self):
        """Demo only: 滨河社区's liaison records the unit's work meeting of today from their own menu, with its
        attendees, minutes and a photo (09:30 in the town)."""
        liaison = self.env.ref("garbage_sorting.user_liaison_demo")
        unit = self.env.ref("garbage_sorting.garbage_unit_binhe_demo")
        start = datetime.combine(town_today(self.env), time(1, 30))
        with file_open("garbage_sorting/demo/files/rectification_after_binhe.png", "rb") as photo:
            datas = base64.b64encode(photo.read())
        town = company_lang_env(self.env)
        as_liaison = self.with_user(liaison).with_context(
            tracking_disable=True, mail_create_nolog=True, no_mail_to_attendees=True
        )
        # uploaded first (as the form's upload does), then added to the meeting's photos
        photo = as_liaison.env["ir.attachment"].create(
            {"name": town._("Work meeting photo.png"), "datas": datas, "res_model": self._name, "res_id": 0}
        )
        return as_liaison.create(
            {
                "name": "滨河社区垃圾分类工作例会（联络员记录）",
                "party_meeting_kind": "work",
                "party_organizer_unit_id": unit.id,
                "start": start,
                "stop": start + timedelta(hours=2),
                "partner_ids": [fields.Command.set((liaison | unit.user_ids).partner_id.ids)],
                "party_minutes": "<p>通报东门桶站满溢问题的整改进度，明确楼道长分片督导，下月起每周三集中清运。</p>",
                "party_photo_ids": [fields.Command.set(photo.ids)],
            }
        )
