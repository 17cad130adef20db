import base64
import json
import logging
from collections import defaultdict
from datetime import datetime, time, timedelta

import pytz

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL

from .file_names import file_name_part
from .garbage_guard_mixin import MANAGER_GROUP, company_lang_env, town_today, town_tz
from .garbage_input_mixin import MAX_DATE, MIN_DATE

_logger = logging.getLogger(__name__)

LEADER_GROUP = "garbage_sorting.garbage_sorting_group_leader"

STATE_SEQUENCE = {"open": 1, "done": 2, "cancel": 3}  # open escalations first: the task force's work queue
INTERVIEW_TYPE_XMLID = "garbage_sorting.calendar_event_type_interview"
# The level-2 interview: one hour in the town leader's working hours (local time, weekdays), from the day after
# the publication to the escalation's deadline; starting hours in the morning and the afternoon.
INTERVIEW_HOURS = (9, 10, 14, 15, 16)
INTERVIEW_LENGTH = timedelta(hours=1)
INTERVIEW_SEARCH_DAYS = 30  # when the deadline has no free hour left, the first free one after it
ESCALATION_LEVELS = [
    ("1", "Visit and Guidance"),
    ("2", "Interview"),
    ("3", "Report to Superior Authority"),
]


def _has_text(html):
    """An Html field that says something (an empty editor leaves tags behind)."""
    return bool(html and html.striptags().strip())


class GarbageEscalation(models.Model):
    _name = "garbage.escalation"
    _description = "Grey-List Escalation"
    _inherit = ["garbage.guard.mixin", "mail.thread", "mail.activity.mixin"]
    _order = "state_sequence, date_deadline, level desc, id desc"
    _check_company_auto = True

    company_id = fields.Many2one(related="unit_id.company_id", string="Town", store=True, index=True, precompute=True)
    name = fields.Char(compute="_compute_name", store=True)
    unit_id = fields.Many2one("garbage.unit", "Unit", required=True, index=True, ondelete="restrict", tracking=True)
    period_id = fields.Many2one(
        "garbage.assessment.period",
        "Assessment",
        required=True,
        index=True,
        ondelete="restrict",
        check_company=True,
    )
    year = fields.Integer(related="period_id.year", store=True, aggregator=False)
    # What the analyses group by (interval year or month): an Integer year would read "2,026" on their axes.
    date_start = fields.Date("Month", related="period_id.date_start", store=True)
    level = fields.Selection(ESCALATION_LEVELS, required=True, tracking=True)
    grey_count = fields.Integer(
        "Grey Listings This Year",
        readonly=True,
        aggregator="max",
        help="Grey listings of the unit in the year, this one included.",
    )
    responsible_id = fields.Many2one("res.users", "Responsible", tracking=True, index=True)
    date_deadline = fields.Date("Deadline", tracking=True)
    state = fields.Selection(
        [("open", "Open"), ("done", "Done"), ("cancel", "Withdrawn")],
        default="open",
        required=True,
        tracking=True,
        index=True,
    )
    state_sequence = fields.Integer(compute="_compute_state_sequence", store=True)
    outcome = fields.Html("Outcome Notes")
    # Level 2: closed once its meeting was held (over, with minutes), or with the reason it closes without it.
    interview_minutes = fields.Html(
        help="What was said at the interview meeting: needed to close an interview once held."
    )
    close_reason = fields.Text(
        "Closed Without the Interview Because",
        help="Why this interview escalation closes although its meeting was not held (or has no minutes).",
    )
    interview_held = fields.Boolean(
        compute="_compute_interview_held",
        help="Technical: the interview meeting is over (its end is past) and its minutes are recorded.",
    )
    # A reopened month keeps its open escalations until it is published again (see _reconcile).
    awaiting_recount = fields.Boolean(
        "Awaiting the Recount",
        readonly=True,
        copy=False,
        help="Its month was reopened: the escalation stays open, and publishing the month again keeps it if the "
        "unit is still grey at this level, or withdraws it with the reason.",
    )
    withdrawal_reason = fields.Text(readonly=True, copy=False)
    event_id = fields.Many2one("calendar.event", "Interview Meeting", readonly=True, ondelete="set null")
    # when and where the interview is: what the leader needs of the meeting, not its name only
    interview_start = fields.Datetime(
        "Interview Time", related="event_id.start", help="When the interview meeting starts."
    )
    interview_location = fields.Char(
        "Interview Place", related="event_id.location", help="Where the interview meeting is held."
    )
    report_attachment_id = fields.Many2one("ir.attachment", "Annual Report", readonly=True, ondelete="set null")
    superior_partner_id = fields.Many2one(related="unit_id.superior_partner_id")
    unit_leader_id = fields.Many2one(related="unit_id.leader_id")
    # what the form shows: the button and notes the server would accept from this user
    user_may_close = fields.Boolean(compute="_compute_user_may_close", help="Technical: may write its outcome.")

    @api.model
    def _guarded_fields(self):
        """An escalation is the engine's consequence of a published grey listing: which unit, month, level and
        count, its meeting and report are never written by hand. The task force assigns it (responsible,
        deadline); the outcome is written by its responsible or the task force while it is open (`write`)."""
        task_force = (MANAGER_GROUP,)
        engine = (
            "name",
            "unit_id",
            "period_id",
            "year",
            "date_start",
            "level",
            "grey_count",
            "state_sequence",
            "event_id",
            "interview_start",
            "interview_location",
            "report_attachment_id",
            "superior_partner_id",
            "unit_leader_id",
            "interview_held",
            "awaiting_recount",
            "withdrawal_reason",
        )
        workers = (MANAGER_GROUP, "garbage_sorting.garbage_sorting_group_leader")
        return {
            **super()._guarded_fields(),
            **dict.fromkeys(engine, ()),
            "responsible_id": task_force,
            "date_deadline": task_force,
            "outcome": workers,
            "interview_minutes": workers,
            "close_reason": workers,
        }

    @api.depends_context("uid")
    @api.depends("responsible_id", "state")
    def _compute_user_may_close(self):
        is_task_force = self._is_manager()
        writable = self.filtered("id")._filtered_access("write")
        for escalation in self:
            escalation.user_may_close = (
                escalation in writable
                and escalation.state == "open"
                and (is_task_force or escalation.responsible_id == self.env.user)
            )

    @api.depends("level", "event_id", "interview_minutes")
    def _compute_interview_held(self):
        now = fields.Datetime.now()
        for escalation in self:
            event = escalation.sudo().event_id
            escalation.interview_held = bool(
                escalation.level == "2"
                and event.active
                and event.stop
                and event.stop <= now
                and _has_text(escalation.interview_minutes)
            )

    @api.depends("unit_id", "period_id", "level")
    def _compute_name(self):
        for escalation in self:
            escalation.name = escalation._make_name(escalation.period_id, escalation.unit_id, escalation.level)

    @api.model
    def _make_name(self, period, unit, level, levels=None):
        """Stored, hence in the town's language whoever publishes (`levels`: the labels, read once a batch)."""
        levels = levels or self._level_labels()
        return f"{period.name} · {unit.name} · {levels.get(level, '')}"

    @api.model
    def _level_labels(self, company=None):
        """The levels' labels in the language of the town `company` (by default the current one)."""
        return dict(self._fields["level"]._description_selection(company_lang_env(self.env, company)))

    @api.depends("state")
    def _compute_state_sequence(self):
        for escalation in self:
            escalation.state_sequence = STATE_SEQUENCE[escalation.state]

    def write(self, vals):
        if not self._is_manager():
            self._check_responsible()
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_always(self):
        """The grey ladder is history: a recount withdraws an escalation whose cause is gone, nobody deletes one."""
        raise UserError(
            self.env._(
                "An escalation cannot be deleted: publishing its month again after a recount withdraws it when its "
                "cause is gone."
            )
        )

    def _check_responsible(self):
        """Besides the task force, only the responsible of an open escalation works on it."""
        for escalation in self:
            if escalation.responsible_id != self.env.user:
                raise AccessError(self.env._("Only its responsible or the task force works on an escalation."))
            if escalation.state != "open":
                raise UserError(self.env._("A closed or withdrawn escalation can no longer be changed."))

    def action_done(self):
        self.check_access("write")
        if not self._is_manager():
            self._check_responsible()
        self.invalidate_recordset(["interview_held"])  # it depends on the time: never a cached answer
        for escalation in self:
            if escalation.state != "open":
                raise UserError(self.env._("Only an open escalation can be marked as done."))
            if not _has_text(escalation.outcome):
                raise UserError(self.env._("Record the outcome before closing the escalation."))
            if (
                escalation.level == "2"
                and not escalation.interview_held
                and not (escalation.close_reason or "").strip()
            ):
                raise UserError(escalation._interview_not_held_message())
        self.sudo().write({"state": "done", "awaiting_recount": False})
        self._close_activities(self._company_lang_env()._("Escalation done."))
        return True

    def _interview_not_held_message(self):
        """Why this interview cannot be closed yet, as the user reads it."""
        event = self.sudo().event_id
        if event.active and event.stop and event.stop > fields.Datetime.now():
            start = pytz.utc.localize(event.start).astimezone(town_tz(self.env))
            return self.env._(
                "The interview of %(unit)s has not taken place yet (planned on %(date)s): close the escalation after "
                "the meeting, with its minutes, or state why it closes without it.",
                unit=self.unit_id.name,
                date=start.strftime("%Y-%m-%d %H:%M"),
            )
        if event.active and event.stop:
            return self.env._(
                "Record the minutes of the interview of %(unit)s before closing the escalation, or state why it "
                "closes without them.",
                unit=self.unit_id.name,
            )
        return self.env._(
            "The interview of %(unit)s has no meeting: state why the escalation closes without it.",
            unit=self.unit_id.name,
        )

    def action_view_report(self):
        self.ensure_one()
        if not self.report_attachment_id:
            raise UserError(self.env._("This escalation has no annual report."))
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{self.report_attachment_id.id}?download=true",
            "target": "new",
        }

    # Business methods

    @api.model
    def _get_configured_user(self, field_name, group, company=None):
        """The user named in the town's Settings, else the first active user of the group working in the town
        (`company`, by default the current one)."""
        company = (company or self.env.company).sudo()
        user = company[field_name]
        if user.active:
            return user
        # one query, not the group's users and their companies read in Python (twice a publication of each town)
        return (
            self.env["res.users"]
            .sudo()
            .search(
                [("groups_id", "in", self.env.ref(group).id), ("share", "=", False), ("company_ids", "in", company.id)],
                order="id",
                limit=1,
            )
        )

    @api.model
    def _get_configured_users(self, field_name, group, companies):
        """{town: user} of `_get_configured_user` for the towns `companies` at once: the users named in their
        Settings, the others' first active user of the group working in the town, in two queries."""
        users = {company: company.sudo()[field_name] for company in companies}
        users = {company: user for company, user in users.items() if user.active}
        missing = companies.filtered(lambda company: company not in users)
        candidates = (
            self.env["res.users"]
            .sudo()
            .search(
                [
                    ("groups_id", "in", self.env.ref(group).id),
                    ("share", "=", False),
                    ("company_ids", "in", missing.ids),
                ],
                order="id",
            )
            if missing
            else self.env["res.users"]
        )
        for company in missing:
            users[company] = candidates.filtered(lambda user, company=company: company in user.company_ids)[:1]
        return users

    @api.model
    def _get_taskforce_head(self, company=None):
        return self._get_configured_user(
            "garbage_taskforce_head_id", "garbage_sorting.garbage_sorting_group_manager", company
        )

    @api.model
    def _get_town_leader(self, company=None):
        return self._get_configured_user(
            "garbage_town_leader_id", "garbage_sorting.garbage_sorting_group_leader", company
        )

    @api.model
    def _create_for_grey(self, entries, periods):
        """The grey ladder of a publication of `periods` (one month per town): entries are (unit, level, grey
        count) tuples, each unit's escalation on its town's month.

        Each escalation comes with a to-do activity for its responsible, who follows it (what
        mail.activity's create does), without the assignment e-mail (as with mail_activity_quick_update):
        a month can list hundreds of units grey, and the deadline is two weeks away. No creation message
        nor publisher-as-follower: the activity announces the escalation. All of it is one statement
        whatever the number of grey units and towns, where the ORM's create would spend most of the publication
        on per-record bookkeeping.
        """
        period_of = {period.company_id: period for period in periods}
        heads = self._get_configured_users("garbage_taskforce_head_id", MANAGER_GROUP, periods.company_id)
        leaders = self._get_configured_users("garbage_town_leader_id", LEADER_GROUP, periods.company_id)
        default_subtypes, __, external_subtypes = self.env["mail.message.subtype"].default_subtypes(self._name)
        follower_subtypes = {
            (user.partner_id.id, subtype.id)
            for user in self.env["res.users"].union(*heads.values(), *leaders.values())
            for subtype in (external_subtypes if user.share else default_subtypes)
        }
        # stored texts, in each town's language whoever publishes
        summaries, levels, deadlines = {}, {}, {}
        for company in periods.company_id:
            town = company_lang_env(self.env, company)
            summaries[company.id] = {
                "1": town._("Visit the unit and guide its waste sorting"),
                "2": town._("Interview the head of the unit"),
                "3": town._("Send the annual report to the unit's superior authority"),
            }
            levels[company.id] = self._level_labels(company)
            deadlines[company] = town_today(self.env, company) + timedelta(days=14)
        self.env.flush_all()
        rows = self.env.execute_query(
            SQL(
                """
                WITH escalation AS (
                    INSERT INTO garbage_escalation (name, unit_id, company_id, period_id, year, date_start, level,
                                                    grey_count,
                                                    responsible_id, date_deadline, state, state_sequence,
                                                    create_uid, write_uid, create_date, write_date)
                    -- the name as _make_name writes it
                    SELECT concat_ws(' · ', period.name, unit.name,
                                     %(levels)s::jsonb -> unit.company_id::text ->> entry.level),
                           entry.unit_id, unit.company_id, period.id, period.year, period.date_start, entry.level,
                           entry.grey_count,
                           entry.responsible_id, entry.deadline, 'open', %(open)s,
                           %(uid)s, %(uid)s, now() at time zone 'UTC', now() at time zone 'UTC'
                      FROM unnest(%(units)s::int[], %(entry_levels)s::varchar[], %(counts)s::int[],
                                  %(responsibles)s::int[], %(entry_periods)s::int[], %(deadlines)s::date[])
                           AS entry(unit_id, level, grey_count, responsible_id, period_id, deadline)
                      JOIN garbage_unit unit ON unit.id = entry.unit_id
                      JOIN garbage_assessment_period period ON period.id = entry.period_id
                 RETURNING id, name, level, responsible_id, date_deadline, company_id
                ), assigned AS (
                    SELECT escalation.*, responsible.partner_id, partner.tz
                      FROM escalation
                      JOIN res_users responsible ON responsible.id = escalation.responsible_id
                      JOIN res_partner partner ON partner.id = responsible.partner_id
                ), activity AS (
                    INSERT INTO mail_activity (res_model_id, res_model, res_id, res_name, activity_type_id, summary,
                                               user_id, user_tz, date_deadline, automated, active,
                                               create_uid, write_uid, create_date, write_date)
                    SELECT %(model_id)s, %(model)s, id, name, %(type)s,
                           %(summaries)s::jsonb -> company_id::text ->> level,
                           responsible_id, tz, date_deadline, true, true,
                           %(uid)s, %(uid)s, now() at time zone 'UTC', now() at time zone 'UTC'
                      FROM assigned
                ), follower AS (
                    INSERT INTO mail_followers (res_model, res_id, partner_id)
                    SELECT %(model)s, id, partner_id FROM assigned
                 RETURNING id, partner_id
                ), subscription AS (
                    INSERT INTO mail_followers_mail_message_subtype_rel (mail_followers_id, mail_message_subtype_id)
                    SELECT follower.id, subtype.id
                      FROM follower
                      JOIN unnest(%(subtype_partners)s::int[], %(subtypes)s::int[]) AS subtype(partner_id, id)
                        ON subtype.partner_id = follower.partner_id
                )
                SELECT id, level FROM escalation
                """,
                open=STATE_SEQUENCE["open"],
                uid=self.env.uid,
                levels=json.dumps(levels),
                units=[unit.id for unit, __, __ in entries],
                entry_levels=[str(level) for __, level, __ in entries],
                counts=[count for __, __, count in entries],
                responsibles=[
                    (leaders if level == 2 else heads)[unit.company_id].id or None for unit, level, __ in entries
                ],
                entry_periods=[period_of[unit.company_id].id for unit, __, __ in entries],
                deadlines=[deadlines[unit.company_id] for unit, __, __ in entries],
                model_id=self.env["ir.model"]._get_id(self._name),
                model=self._name,
                type=self.env.ref("mail.mail_activity_data_todo").id,
                summaries=json.dumps(summaries),
                subtype_partners=[partner_id for partner_id, __ in sorted(follower_subtypes)],
                subtypes=[subtype_id for __, subtype_id in sorted(follower_subtypes)],
            )
        )
        self.env.invalidate_all()  # written in SQL: nothing cached may miss the new records
        escalations = self.sudo().browse(escalation_id for escalation_id, __ in rows)
        for company, town_escalations in escalations.grouped("company_id").items():
            if interviewed := town_escalations.filtered(lambda escalation: escalation.level == "2"):
                interviewed.with_company(company)._create_interviews()
            if reported := town_escalations.filtered(lambda escalation: escalation.level == "3"):
                reported.with_company(company)._attach_annual_reports()
        return escalations

    def _interview_busy_times(self, chairs, date_from, date_to):
        """{chair: [(start, stop)]} of the chairs' calendar events overlapping [date_from, date_to] (UTC,
        naive), in one query. Read as the engine for the busy times only (nothing of them is shown); an
        all-day event takes its whole days in the chair's time zone. Any employee may invite the chair to an event
        at the edge of core's calendar: the planner never fails on one."""
        events = (
            self.env["calendar.event"]
            .sudo()
            .search_fetch(
                [
                    "|",
                    ("user_id", "in", chairs.ids),
                    ("partner_ids", "in", chairs.partner_id.ids),
                    ("start", "<", date_to + timedelta(days=1)),
                    ("stop", ">", date_from - timedelta(days=1)),
                    ("show_as", "=", "busy"),
                ],
                ["start", "stop", "allday", "start_date", "stop_date", "user_id", "partner_ids"],
            )
        )
        busy = {chair: [] for chair in chairs}
        for event in events:
            for chair in chairs:
                if event.user_id != chair and chair.partner_id not in event.partner_ids:
                    continue
                if event.allday:
                    # Core's calendar takes any date (year 1, 9999): the days beyond the supported calendar are
                    # busy as its first and last days, so the day after and the time zone never overflow.
                    timezone = pytz.timezone(chair.tz or "Asia/Shanghai")
                    first_day = min(max(event.start_date, MIN_DATE), MAX_DATE)
                    last_day = min(max(event.stop_date, MIN_DATE), MAX_DATE)
                    start = timezone.localize(datetime.combine(first_day, time.min))
                    stop = timezone.localize(datetime.combine(last_day + timedelta(days=1), time.min))
                    busy[chair].append(
                        (
                            start.astimezone(pytz.utc).replace(tzinfo=None),
                            stop.astimezone(pytz.utc).replace(tzinfo=None),
                        )
                    )
                else:
                    busy[chair].append((event.start, event.stop))
        return busy

    @api.model
    def _interview_slots(self, chair, day_from, day_to):
        """The chair's working hours from `day_from` to `day_to` (weekdays), as (start, stop) in UTC."""
        timezone = pytz.timezone(chair.tz or "Asia/Shanghai")
        day = day_from
        while day <= day_to:
            if day.weekday() < 5:
                for hour in INTERVIEW_HOURS:
                    start = timezone.localize(datetime.combine(day, time(hour, 0))).astimezone(pytz.utc)
                    start = start.replace(tzinfo=None)
                    yield start, start + INTERVIEW_LENGTH
            day += timedelta(days=1)

    def _plan_interviews(self):
        """{escalation: (start, stop)}: for each level-2 escalation the first free hour of its chair (the
        town leader, its responsible) from tomorrow to its deadline: within working hours, clear of the chair's
        other meetings and of the interviews planned in the same batch (two interviews never share an hour).
        Past the deadline only when no hour is free before it."""
        tomorrow = town_today(self.env) + timedelta(days=1)
        last_day = max([escalation.date_deadline or tomorrow for escalation in self] + [tomorrow])
        chairs = self.responsible_id
        busy = (
            self._interview_busy_times(
                chairs, datetime.combine(tomorrow, time.min), datetime.combine(last_day, time.max)
            )
            if chairs
            else {}
        )
        planned = {}
        for escalation in self.sorted(lambda e: (e.date_deadline or tomorrow, e.id)):
            chair = escalation.responsible_id
            taken = busy.setdefault(chair, [])
            deadline = escalation.date_deadline or tomorrow
            for start, stop in self._interview_slots(
                chair, tomorrow, max(deadline, tomorrow) + timedelta(days=INTERVIEW_SEARCH_DAYS)
            ):
                if all(stop <= busy_start or start >= busy_stop for busy_start, busy_stop in taken):
                    planned[escalation] = (start, stop)
                    taken.append((start, stop))
                    break
        return planned

    def _interview_event_values(self, town):
        """What the interview meeting says besides its time: its kind (the town's interview meeting type) and its
        place (Settings › Interview place, by default the town government's meeting room); the party addon adds
        the unit concerned."""
        self.ensure_one()
        company = self.company_id.sudo()
        address = " ".join(filter(None, (company.city, company.street))) or company.name
        place = company.garbage_interview_location
        return {
            "categ_ids": [fields.Command.set(self._interview_event_type(town).ids)],
            "location": place or town._("Meeting room, %(address)s", address=address),
        }

    @api.model
    def _interview_event_type(self, town):
        """The meeting type of the interviews, created on first use with its name in the town's language (a
        meeting type's name is not translatable, so no data file could name it in Chinese)."""
        kind = self.env.ref(INTERVIEW_TYPE_XMLID, raise_if_not_found=False)
        if not kind:
            kind = self.env["calendar.event.type"].sudo().create({"name": town._("Grey-list Interview")})
            self.env["ir.model.data"]._update_xmlids(
                [{"xml_id": INTERVIEW_TYPE_XMLID, "record": kind, "noupdate": True}]
            )
        return kind

    def _create_interviews(self):
        """Level 2: a draft meeting (no invitation sent yet) chaired by the town leader with the unit's head and
        its leader in charge, in a free hour of the leader's calendar before the deadline."""
        town = self._company_lang_env()
        planned = self._plan_interviews()
        interviews = self.filtered(lambda escalation: escalation in planned)
        events = (
            self.env["calendar.event"]
            .sudo()
            # its chatter's creation line in the town's language too
            .with_context(no_mail_to_attendees=True, dont_notify=True, lang=town.lang)
            .create(
                [
                    {
                        **escalation._interview_event_values(town),
                        "name": town._("Grey-list interview: %(unit)s", unit=escalation.unit_id.name),
                        "start": planned[escalation][0],
                        "stop": planned[escalation][1],
                        "user_id": escalation.responsible_id.id,
                        "partner_ids": [
                            fields.Command.set(
                                (
                                    escalation.responsible_id.partner_id
                                    | escalation.unit_id.head_id
                                    | escalation.unit_id.leader_id
                                ).ids
                            )
                        ],
                        "description": town._(
                            "Interview with the head of %(unit)s after its grey listing of %(month)s.",
                            unit=escalation.unit_id.name,
                            month=escalation.period_id.name,
                        ),
                    }
                    for escalation in interviews
                ]
            )
        )
        for escalation, event in zip(interviews, events, strict=True):
            escalation.event_id = event

    def _attach_annual_reports(self):
        """Level 3: the PDF of the unit's year, attached to the escalation for the superior authority."""
        Annual = self.env["garbage.unit.annual"].sudo()
        town = self._company_lang_env()
        for escalation in self:
            annual = Annual._get_or_create(escalation.unit_id, escalation.year)
            content, extension, mimetype = self._render_annual_report(annual)
            escalation.report_attachment_id = Annual.env["ir.attachment"].create(
                {
                    "name": town._(
                        "Annual waste sorting report %(year)s - %(unit)s.%(extension)s",
                        year=escalation.year,
                        unit=file_name_part(escalation.unit_id.name),
                        extension=extension,
                    ),
                    "type": "binary",
                    "datas": base64.b64encode(content),
                    "res_model": self._name,
                    "res_id": escalation.id,
                    "mimetype": mimetype,
                }
            )

    @api.model
    def _render_annual_report(self, annual):
        """The unit's year as a PDF, in the town's language and on its letterhead, whichever job or user publishes
        (the report itself sees to both, see `ir.actions.report`); as a web page only when the server cannot make
        PDFs (no or broken wkhtmltopdf), so that publishing never fails for want of a PDF engine."""
        Report = self.env["ir.actions.report"].sudo()
        report = "garbage_sorting.garbage_unit_annual_report"
        if Report.get_wkhtmltopdf_state() != "install":
            try:
                return Report._render_qweb_pdf(report, annual.ids)[0], "pdf", "application/pdf"
            except UserError as error:
                _logger.warning("Annual report of %s attached as a web page: %s", annual.unit_id.name, error)
        return Report._render_qweb_html(report, annual.ids)[0], "html", "text/html"

    @api.model
    def _reconcile(self, entries, periods):
        """The grey ladder of a publication of `periods` (one month per town), keeping the work already done when a
        month is published again.

        entries are (unit, level, grey count) tuples of the recount. Of the months' escalations (the withdrawn
        ones aside): one at the unit's level is kept, open or done (the open one takes the new grey count and,
        at level 3, the year's report again); a done one at another level, or of a unit no longer grey, stays
        done (its visit, interview or report was held) with a note; an open one whose cause is gone (the unit is
        no longer grey, or its level changed) is withdrawn with the reason. Only the units with no escalation
        at their level get a new one (`_create_for_grey`). A few queries and grouped writes, whatever the
        number of units.
        """
        wanted = {unit.id: (str(level), count) for unit, level, count in entries}
        Escalation = self.sudo()  # the engine's consequences of the publication
        existing = Escalation.search([("period_id", "in", periods.ids), ("state", "!=", "cancel")], order="id")
        covered = set()
        kept, recount, withdrawals, notes = (
            Escalation,
            defaultdict(Escalation.browse),
            defaultdict(Escalation.browse),
            {},
        )
        for escalation in existing:
            level, count = wanted.get(escalation.unit_id.id, (None, 0))
            if escalation.level == level:
                covered.add(escalation.unit_id.id)
                if escalation.state == "open":
                    kept |= escalation
                    if escalation.grey_count != count:
                        recount[count] |= escalation
                continue
            # the texts are stored: in the town's language
            town = company_lang_env(self.env, escalation.company_id)
            reason = escalation._recount_reason(level, count)
            if escalation.state == "open":
                withdrawals[town._("Withdrawn, nothing was done at this level yet. %(reason)s", reason=reason)] |= (
                    escalation
                )
            else:
                notes[escalation.id] = town._("The work done stays recorded. %(reason)s", reason=reason)
        self._withdraw(withdrawals)
        for count, escalations in recount.items():
            escalations.write({"grey_count": count})
        flagged = kept.filtered("awaiting_recount")
        flagged.write({"awaiting_recount": False})
        for escalation in flagged:
            notes[escalation.id] = company_lang_env(self.env, escalation.company_id)._(
                "Kept after the recount of %(month)s: the unit is still grey at this level.",
                month=escalation.period_id.name,
            )
        if notes:
            Escalation.browse(notes)._message_log_batch(bodies=notes)
        reported = kept.filtered(lambda escalation: escalation.level == "3")
        for company, town_reported in reported.grouped("company_id").items():
            town_reported.with_company(company)._attach_annual_reports()  # the year's figures after the recount
        new = [(unit, level, count) for unit, level, count in entries if unit.id not in covered]
        return kept | (self._create_for_grey(new, periods) if new else Escalation)

    def _recount_reason(self, level, count):
        """Why the recount of its month leaves this escalation behind: the unit is no longer grey (`level` None),
        or is at `level` with `count` grey listings (in the town's language)."""
        town = company_lang_env(self.env, self.company_id)
        month = self.period_id.name
        if level is None:
            return town._("After the recount of %(month)s the unit is no longer grey this month.", month=month)
        return town._(
            "After the recount of %(month)s the unit has %(count)s grey listings this year: its level is now "
            "%(level)s.",
            month=month,
            count=count,
            level=self._level_labels(self.company_id).get(level, level),
        )

    def _await_recount(self, month):
        """Reopening a month keeps its escalations: the done ones stay done, the open ones go on (their
        activity, their interview meeting) flagged until the month is published again (`_reconcile`)."""
        waiting = self.sudo().filtered(lambda escalation: escalation.state == "open")
        if not waiting:
            return
        waiting.write({"awaiting_recount": True})
        note = self._company_lang_env()._(
            "The assessment %(month)s was reopened: this escalation stays open, awaiting the recount. Publishing "
            "the month again keeps it if the unit is still grey at this level, and withdraws it otherwise.",
            month=month,
        )
        waiting._message_log_batch(bodies=dict.fromkeys(waiting.ids, note))

    def _withdraw(self, withdrawals):
        """{reason: escalations}: withdraw them with their reason (stored and in the chatter), close their
        activities with it and archive their interview meetings. Nothing is deleted: the history stays."""
        for reason, withdrawn in withdrawals.items():
            escalations = withdrawn.sudo()
            escalations.event_id.write({"active": False})
            escalations.write({"state": "cancel", "withdrawal_reason": reason, "awaiting_recount": False})
            answered = escalations._close_activities(reason)
            unanswered = escalations - answered
            unanswered._message_log_batch(bodies=dict.fromkeys(unanswered.ids, reason))
