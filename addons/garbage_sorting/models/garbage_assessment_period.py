from collections import defaultdict
from urllib.parse import urlencode

import psycopg2.errors
from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL

from .garbage_guard_mixin import company_lang_env, town_today

MANAGER_GROUP = "garbage_sorting.garbage_sorting_group_manager"
LEADER_GROUP = "garbage_sorting.garbage_sorting_group_leader"
VETO_GREY_COUNT = 2  # grey twice in a year: one-vote veto of every award that year (and of the red flag)
# Context key that lets the assessment's own actions (in sudo) write a published period and its lines.
UNLOCK_KEY = "garbage_assessment_unlock"


def assessment_params(company):
    """The assessment settings of the town `company`, as numbers (its Settings)."""
    names = (
        "weight_patrol",
        "weight_mutual",
        "weight_self",
        "penalty_missed",
        "penalty_overdue",
        "red_min_score",
        "red_max_rank",
        "grey_below_score",
    )
    return {name: company[f"garbage_{name}"] for name in names}


class GarbageAssessmentPeriod(models.Model):
    _name = "garbage.assessment.period"
    _description = "Monthly Assessment"
    _inherit = ["garbage.guard.mixin", "mail.thread", "mail.activity.mixin"]
    _order = "date_start desc"
    _rec_name = "name"
    _check_company_auto = True

    company_id = fields.Many2one(
        "res.company", "Town", required=True, index=True, default=lambda self: self.env.company
    )
    name = fields.Char(compute="_compute_name", store=True)
    date_start = fields.Date(
        "Month",
        required=True,
        index=True,
        tracking=True,
        default=lambda self: self._default_date_start(),
        help="First day of the assessed month; a new assessment defaults to the month just ended.",
    )
    date_end = fields.Date(compute="_compute_date_end", store=True)
    year = fields.Integer(compute="_compute_date_end", store=True, index=True, aggregator=False)
    state = fields.Selection(
        [("draft", "Draft"), ("computed", "Computed"), ("published", "Published")],
        default="draft",
        required=True,
        tracking=True,
        copy=False,
        index=True,
    )
    line_ids = fields.One2many("garbage.assessment", "period_id", string="Results")
    # The same results, one list per peer group, for the period form.
    village_line_ids = fields.One2many(
        "garbage.assessment", "period_id", domain=[("peer_group", "=", "village_community")], readonly=True
    )
    agency_line_ids = fields.One2many(
        "garbage.assessment", "period_id", domain=[("peer_group", "=", "agency_institution")], readonly=True
    )
    enterprise_line_ids = fields.One2many(
        "garbage.assessment", "period_id", domain=[("peer_group", "=", "enterprise")], readonly=True
    )
    escalation_ids = fields.One2many("garbage.escalation", "period_id", string="Escalations")
    date_computed = fields.Datetime("Computed On", readonly=True, copy=False)
    date_published = fields.Datetime("Published On", readonly=True, copy=False, tracking=True)
    published_by_id = fields.Many2one("res.users", "Published By", readonly=True, copy=False)
    published_once = fields.Boolean(
        readonly=True,
        copy=False,
        help="This month was published at some point: it is history and never deleted, even once reopened.",
    )
    red_count = fields.Integer("Red List", compute="_compute_counts")
    grey_count = fields.Integer("Grey List", compute="_compute_counts")
    none_count = fields.Integer("Not Assessed", compute="_compute_counts")
    escalation_count = fields.Integer(compute="_compute_counts")
    # Red needs the town's eyes: who the town did not inspect this month, before publishing.
    uninspected_unit_ids = fields.Many2many(
        "garbage.unit",
        string="Not Inspected by the Town",
        compute="_compute_uninspected",
        groups=f"{MANAGER_GROUP},{LEADER_GROUP}",
        help="Active units with no done town patrol nor mutual inspection dated in the month (from the results "
        "once computed): they cannot be red, and publishing the month needs the task force's confirmation.",
    )
    uninspected_count = fields.Integer("Units Not Inspected by the Town", compute="_compute_uninspected")
    month_over = fields.Boolean(
        compute="_compute_month_over", help="Technical: the month has ended (today is after its last day)."
    )
    # The task force's explicit confirmation of a publication that needed one (engine-set, never typed).
    publish_confirmed_by_id = fields.Many2one("res.users", "Publication Confirmed By", readonly=True, copy=False)
    publish_confirmed_date = fields.Datetime("Publication Confirmed On", readonly=True, copy=False)
    # It names the units the town did not inspect: the town's roles read it, not the units' liaisons.
    publish_confirmation_note = fields.Text(
        "What Was Confirmed",
        readonly=True,
        copy=False,
        groups=f"{MANAGER_GROUP},{LEADER_GROUP}",
        help="The warnings the task force confirmed when publishing, with its comment.",
    )

    _sql_constraints = [
        ("date_start_unique", "unique(company_id, date_start)", "A town has one assessment per month."),
    ]

    @api.model
    def _default_date_start(self):
        """The month just ended (the one the task force assesses at the start of a month) or, once it is
        assessed, the first month after it that is not: never a month that already has its assessment."""
        month = town_today(self.env) + relativedelta(day=1, months=-1)
        company = self.env.company
        taken = set(
            self.sudo().search([("company_id", "=", company.id), ("date_start", ">=", month)]).mapped("date_start")
        )
        while month in taken:
            month += relativedelta(months=1)
        return month

    @api.depends("date_start")
    def _compute_name(self):
        for period in self:
            period.name = period.date_start and period.date_start.strftime("%Y-%m")

    @api.depends("date_start")
    def _compute_date_end(self):
        for period in self:
            period.date_end = period.date_start and period.date_start + relativedelta(months=1, days=-1)
            period.year = period.date_start.year if period.date_start else 0

    @api.depends("line_ids.result", "escalation_ids.state")
    def _compute_counts(self):
        groups = self.env["garbage.assessment"]._read_group(
            [("period_id", "in", self.ids)], ["period_id", "result"], ["__count"]
        )
        counts = {(period.id, result): count for period, result, count in groups}
        # Every town role sees how many escalations a month produced, not the escalations themselves.
        escalations = dict(
            self.env["garbage.escalation"]
            .sudo()
            ._read_group([("period_id", "in", self.ids), ("state", "!=", "cancel")], ["period_id"], ["__count"])
        )
        for period in self:
            period.red_count = counts.get((period.id, "red"), 0)
            period.grey_count = counts.get((period.id, "grey"), 0)
            period.none_count = counts.get((period.id, "none"), 0)
            period.escalation_count = escalations.get(period, 0)

    @api.depends("date_end")
    def _compute_month_over(self):
        today = town_today(self.env)
        for period in self:
            period.month_over = bool(period.date_end) and period.date_end < today

    @api.depends("state", "date_start", "line_ids.town_inspected")
    def _compute_uninspected(self):
        uninspected = self._get_uninspected_unit_ids()
        for period in self:
            unit_ids = uninspected.get(period.id, [])
            period.uninspected_count = len(unit_ids)
            period.uninspected_unit_ids = [fields.Command.set(unit_ids)]

    @api.constrains("date_start")
    def _check_date_start(self):
        if any(period.date_start.day != 1 for period in self):
            raise ValidationError(self.env._("An assessment period starts on the first day of a month."))

    @api.model_create_multi
    def create(self, vals_list):
        self._check_manager()
        return super().create(vals_list)

    @api.model
    def _guarded_fields(self):
        """The month's results, state and publication record are the engine's (action_compute, action_publish,
        action_reopen); the month itself is the task force's."""
        engine = (
            "name",
            "date_end",
            "year",
            "line_ids",
            "village_line_ids",
            "agency_line_ids",
            "enterprise_line_ids",
            "escalation_ids",
            "date_computed",
            "date_published",
            "published_by_id",
            "published_once",
            "publish_confirmed_by_id",
            "publish_confirmed_date",
            "publish_confirmation_note",
        )
        return {**super()._guarded_fields(), **dict.fromkeys(engine, ()), "date_start": (MANAGER_GROUP,)}

    def write(self, vals):
        if not self._is_unlocked() and any(period.state == "published" for period in self):
            raise UserError(self.env._("A published assessment is locked: reopen it first."))
        if "date_start" in vals and not self.env.su and any(period.state != "draft" for period in self):
            raise UserError(self.env._("The month of a computed assessment cannot change: create another one."))
        if vals.get("state") == "published":
            vals = {**vals, "published_once": True}
        return super().write(vals)

    @api.model
    def _is_unlocked(self):
        """The engine's own actions write a published month: in sudo and saying so (UNLOCK_KEY); a context key
        alone, which any RPC caller can send, opens nothing."""
        return self.env.su and bool(self.env.context.get(UNLOCK_KEY))

    @api.ondelete(at_uninstall=False)
    def _unlink_except_published(self):
        if any(period.state == "published" for period in self):
            raise UserError(self.env._("A published assessment cannot be deleted."))
        # Reopened, a month that was published stays the history of what the town was told.
        if published := self.filtered("published_once"):
            raise UserError(
                self.env._(
                    "The assessment %(month)s was published: it is history and cannot be deleted, even reopened. "
                    "Compute and publish it again instead.",
                    month=published[0].name,
                )
            )

    # Actions

    def action_compute(self):
        self._check_manager()
        self._lock()  # never rewrite the results under a publication in progress
        if any(period.state == "published" for period in self):
            raise UserError(self.env._("A published assessment is locked: reopen it first."))
        self._compute_lines()
        return True

    def action_publish(self):
        """Publish, or open the confirmation when the month needs one (units the town did not inspect,
        a month not over yet): nothing is published then until the task force confirms in the wizard.
        No argument nor context key skips the confirmation: any RPC caller could send them."""
        self._check_manager()
        self._check_publishable()
        uninspected = self._get_uninspected_unit_ids()
        to_confirm = self.filtered(lambda period: period._get_publish_warnings(uninspected))
        if to_confirm:
            if len(self) > 1:
                raise UserError(
                    self.env._(
                        "Publish these months one by one: %(months)s need the task force's confirmation.",
                        months=", ".join(to_confirm.mapped("name")),
                    )
                )
            return {
                "type": "ir.actions.act_window",
                "name": self.env._("Confirm the Publication"),
                "res_model": "garbage.assessment.publish.wizard",
                "view_mode": "form",
                "views": [(False, "form")],
                "target": "new",
                "context": {"default_period_id": self.id},
            }
        self._publish()
        return True

    def action_reopen(self):
        self._check_manager()
        for period in self:
            period._lock()
            if period.state != "published":
                raise UserError(self.env._("Only a published assessment can be reopened."))
            period._check_no_later_published()
            period._withdraw()
        return True

    def action_download_bulletin(self):
        """Several months make one workbook, each sheet prefixed by its month: a manager compares the months
        side by side in one file (and mails it on) instead of unzipping one file per month."""
        self._check_bulletin_access()
        return {
            "type": "ir.actions.act_url",
            "url": "/garbage_sorting/bulletin?" + urlencode({"period_ids": ",".join(map(str, self.ids))}),
            "target": "download",
        }

    def _check_bulletin_access(self):
        """The bulletin names every unit and its escalations: town leaders and the task force only."""
        self.check_access("read")
        if not self.env.su and not self.env.user.has_group(LEADER_GROUP):
            raise AccessError(self.env._("Only the town leaders and the task force download the monthly bulletin."))
        if not self or any(period.state != "published" for period in self):
            raise UserError(self.env._("The bulletin covers published assessments only."))

    def action_print_notice(self):
        """The printed notice (公示) of published months, to post at the town hall and the units; it holds what
        the public page shows (garbage.assessment.notice)."""
        self._check_notice_printable()
        return self.env.ref("garbage_sorting.garbage_assessment_notice_report").report_action(self)

    def _check_notice_printable(self):
        self.check_access("read")
        if not self or any(period.state != "published" for period in self):
            raise UserError(self.env._("Only a published month has a notice: publish it first."))

    def _notice_file_name(self):
        """The notice's file name in the town's language, whoever prints it."""
        return company_lang_env(self.env)._("Red and Grey Lists %(month)s", month=self[:1].name)

    def action_view_escalations(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("garbage_sorting.garbage_escalation_action")
        action["domain"] = [("period_id", "=", self.id)]
        action["context"] = {"search_default_filter_open": 0}
        return action

    # Business methods

    @api.model
    def _check_manager(self):
        if not self.env.su and not self.env.user.has_group(MANAGER_GROUP):
            raise AccessError(self.env._("Only the task force assesses and publishes the monthly lists."))
        self.check_access("write")  # the actions then write as the engine (sudo)

    def _lock(self):
        """Lock the period rows so that two computations, publications or reopenings never run together."""
        try:
            with self.env.cr.savepoint(flush=False):
                self.env.cr.execute(
                    SQL("SELECT id FROM garbage_assessment_period WHERE id = ANY(%s) FOR UPDATE NOWAIT", self.ids)
                )
        except psycopg2.errors.LockNotAvailable as error:
            raise UserError(
                self.env._(
                    "The assessment %(month)s is being computed, published or reopened right now: try again.",
                    month=", ".join(self.mapped("name")),
                )
            ) from error
        # The state read before the lock may be stale: read it again under the lock.
        self.invalidate_recordset(["state"])

    @api.model
    def _get_latest_published(self):
        """The latest published month of each town the user works in (one period per town: a town user's
        own, a district office user's towns side by side)."""
        companies = self.env.companies
        periods = self.sudo().search(
            [("company_id", "in", companies.ids), ("state", "=", "published")], order="date_start desc"
        )
        latest = {}
        for period in periods:
            latest.setdefault(period.company_id, period)
        return self.browse([period.id for period in latest.values()])

    def _get_params(self):
        return assessment_params(self.company_id or self.env.company)

    def _compute_lines(self):
        """Score the months (of one or several towns) together: their cadence first, then one statement."""
        # The obligations falling due in a month must be closed before they are counted (the daily job keeps
        # the others, which the month does not count, up to date).
        rules = self.env["garbage.obligation.rule"].sudo().search([("company_id", "in", self.company_id.ids)])
        for date_end, periods in self.grouped("date_end").items():
            due = rules.filtered(
                lambda rule, date_end=date_end, towns=periods.company_id: rule.company_id in towns
                and date_end.replace(day=1) <= rule._period_bounds(date_end)[1] <= date_end
            )
            self.env["garbage.obligation"].sudo()._recount(date_end, due)
        self.env["garbage.assessment"]._replace_lines(self)
        self.sudo().write({"state": "computed", "date_computed": fields.Datetime.now()})

    def _check_publishable(self):
        """Under the row locks: the periods are computed and not yet published."""
        self._lock()
        for period in self:
            if period.state == "published":
                raise UserError(self.env._("The assessment %(month)s is already published.", month=period.name))
            if period.state != "computed":
                raise UserError(self.env._("Compute the assessment %(month)s before publishing it.", month=period.name))
        self._check_no_later_published()
        self._check_veto_current()

    def _check_no_later_published(self):
        """The grey ladder counts the year's published months in order: a month's escalations (their level) follow
        from the months before it. Publishing or reopening a month under later published months of the same year
        would leave their escalations on the wrong level, so it is refused, naming the months to reopen first
        (newest first; then publish oldest first). Another year's months do not count the same grey listings."""
        self.flush_model(["company_id", "state", "year", "date_start", "name"])
        # Under the periods' own locks: the years' later months are held too, so that a later month published,
        # computed or reopened at the same moment waits for these ones instead of counting without them.
        try:
            with self.env.cr.savepoint(flush=False):
                rows = self.env.execute_query(
                    SQL(
                        """
                        SELECT period.id, later.state, later.name
                          FROM garbage_assessment_period period
                          JOIN garbage_assessment_period later
                            ON later.company_id = period.company_id AND later.year = period.year
                           AND later.date_start > period.date_start
                         WHERE period.id = ANY(%s)
                         ORDER BY period.date_start, period.id, later.date_start
                           FOR SHARE OF later NOWAIT
                        """,
                        self.ids,
                    )
                )
        except psycopg2.errors.LockNotAvailable as error:
            raise UserError(
                self.env._(
                    "A later month of %(year)s is being computed, published or reopened right now: try %(month)s "
                    "again once it is done.",
                    year=", ".join(sorted({str(year) for year in self.mapped("year")})),
                    month=", ".join(self.mapped("name")),
                )
            ) from error
        later = defaultdict(list)
        for period_id, state, name in rows:
            if state == "published":
                later[period_id].append(name)
        for period in self.filtered(lambda period: later[period.id]):
            raise UserError(
                self.env._(
                    "Reopen %(months)s first, newest first: the escalations of the later months of %(year)s count "
                    "the grey listings of %(month)s. Then publish the months again, oldest first.",
                    months=", ".join(reversed(later[period.id])),
                    year=period.year,
                    month=period.name,
                )
            )

    def _check_veto_current(self):
        """The one-vote veto of the lines (no red flag) counts the year's months published before each month when
        it was computed: an earlier month published or reopened since then must not go unnoticed."""
        self.env["garbage.assessment"].flush_model(["period_id", "unit_id", "result", "vetoed"])
        self.flush_model(["company_id", "state", "year", "date_start"])
        stale = dict(
            self.env.execute_query(
                SQL(
                    """
                    -- materialized once and probed by hash: the planner cannot turn it into a loop per line
                    WITH vetoed AS MATERIALIZED (
                        SELECT period.id AS period_id, grey.unit_id
                          FROM garbage_assessment_period period
                          JOIN garbage_assessment_period earlier
                            ON earlier.company_id = period.company_id AND earlier.year = period.year
                           AND earlier.date_start < period.date_start AND earlier.state = 'published'
                          JOIN garbage_assessment grey ON grey.period_id = earlier.id AND grey.result = 'grey'
                         WHERE period.id = ANY(%(periods)s)
                         GROUP BY period.id, grey.unit_id HAVING COUNT(*) >= %(veto_grey_count)s
                    )
                    SELECT line.period_id, COUNT(*) FROM garbage_assessment line
                     WHERE line.period_id = ANY(%(periods)s)
                       AND line.vetoed IS DISTINCT FROM
                           ((line.period_id, line.unit_id) IN (SELECT period_id, unit_id FROM vetoed))
                     GROUP BY line.period_id
                    """,
                    periods=self.ids,
                    veto_grey_count=VETO_GREY_COUNT,
                )
            )
        )
        for period in self.filtered(lambda period: stale.get(period.id)):
            raise UserError(
                self.env._(
                    "An earlier month of %(year)s was published or reopened after %(month)s was computed: the "
                    "one-vote veto of %(count)s unit(s) changed. Recompute %(month)s before publishing it.",
                    year=period.year,
                    month=period.name,
                    count=stale[period.id],
                )
            )

    def _get_uninspected_unit_ids(self):
        """{period id: ids of the active units no done town patrol nor mutual inspection covers in its month}.

        A computed (or published) period answers from its results, i.e. what is (or was) published; a draft
        one from the inspections as they are now. Two queries at most, whatever the number of periods.
        """
        result = {}
        with_lines = self.filtered(lambda period: period.state != "draft" and period.id)
        if with_lines:
            groups = (
                self.env["garbage.assessment"]
                .sudo()
                ._read_group(
                    [("period_id", "in", with_lines.ids), ("town_inspected", "=", False)],
                    ["period_id"],
                    ["unit_id:array_agg"],
                )
            )
            result.update({period.id: sorted(unit_ids) for period, unit_ids in groups})
        drafts = (self - with_lines).filtered("id")
        if drafts:
            self.env["garbage.inspection"].flush_model(["state", "date", "source", "unit_id"])
            self.env["garbage.unit"].flush_model(["active"])
            rows = self.env.execute_query(
                SQL(
                    """
                    SELECT period.id, ARRAY_AGG(unit.id ORDER BY unit.id)
                      FROM garbage_assessment_period period
                      JOIN garbage_unit unit ON unit.active AND unit.company_id = period.company_id
                     WHERE period.id = ANY(%s)
                       AND NOT EXISTS (
                           SELECT 1 FROM garbage_inspection inspection
                            WHERE inspection.unit_id = unit.id AND inspection.state = 'done'
                              AND inspection.source IN ('patrol', 'mutual')
                              AND inspection.date BETWEEN period.date_start AND period.date_end)
                     GROUP BY period.id
                    """,
                    drafts.ids,
                )
            )
            result.update(dict(rows))
        return result

    def _get_publish_warnings(self, uninspected=None):
        """What publishing this month asks the task force to confirm, as sentences (empty: nothing). `uninspected`:
        `_get_uninspected_unit_ids()` of the months published together, when already read."""
        self.ensure_one()
        warnings = []
        today = town_today(self.env)
        if self.date_end and self.date_end >= today:
            warnings.append(
                self.env._(
                    "The month %(month)s is not over yet: it ends on %(date)s.",
                    month=self.name,
                    date=self.date_end,
                )
            )
        # the town chooses whether units left without the town's inspection ask for a confirmation
        if self.company_id.garbage_publish_confirm_uninspected:
            uninspected = uninspected if uninspected is not None else self._get_uninspected_unit_ids()
        unit_ids = self.company_id.garbage_publish_confirm_uninspected and uninspected.get(self.id)
        if unit_ids:
            names = self.env["garbage.unit"].sudo().browse(unit_ids).mapped("display_name")
            warnings.append(
                self.env._(
                    "%(count)s active unit(s) had no town patrol nor mutual inspection this month "
                    "(they cannot be red): %(units)s.",
                    count=len(unit_ids),
                    units=", ".join(names),
                )
            )
        return warnings

    def _publish_confirmed(self, note=False):
        """Publish with the task force's explicit confirmation, recorded on the period and in its chatter
        (in the company's language: the record is the town's, not the reader's)."""
        self.ensure_one()
        self._check_manager()
        self._check_publishable()
        lang = self.env.company.partner_id.lang or self.env.lang
        period = self.with_context(lang=lang)
        warnings = period._get_publish_warnings()
        note = (note or "").strip()
        text = "\n".join(warnings + ([period.env._("Comment: %(note)s", note=note)] if note else []))
        if not warnings:
            text = period.env._("Nothing needed a confirmation any more when it was given.") + (
                "\n" + text if text else ""
            )
        now = fields.Datetime.now()
        self._publish(
            {"publish_confirmed_by_id": self.env.uid, "publish_confirmed_date": now, "publish_confirmation_note": text}
        )
        # Every internal user reads the chatter: the message says that and by whom, the note (town roles
        # only) says what.
        self.sudo().message_post(
            body=period.env._("Published with the task force's explicit confirmation, recorded on the assessment."),
            subtype_xmlid="mail.mt_note",
        )
        return True

    def _publish(self, confirmation=None):
        """Publish the months: a town's months one after the other, oldest first (a month's escalations count the
        grey listings of the months published before it), the towns side by side (`_publish_together`)."""
        by_town = [town_periods.sorted("date_start") for town_periods in self.grouped("company_id").values()]
        for rank in range(max(map(len, by_town), default=0)):
            self.browse(
                period.id for town_periods in by_town if rank < len(town_periods) for period in town_periods[rank]
            )._publish_together(confirmation)

    def _publish_together(self, confirmation=None):
        """Publish these months, one per town at most, in a few statements whatever the number of towns."""
        grey_lines = (
            self.env["garbage.assessment"]
            .sudo()
            .search_fetch([("period_id", "in", self.ids), ("result", "=", "grey")], ["unit_id"], order="id")
        )
        # n = grey listings of the unit in the year's published periods up to this one, this one included.
        self.env["garbage.assessment"].flush_model(["period_id", "unit_id", "result"])
        earlier = dict(
            self.env.execute_query(
                SQL(
                    """
                    SELECT line.unit_id, COUNT(*)
                      FROM garbage_assessment_period period
                      JOIN garbage_assessment_period earlier
                        ON earlier.company_id = period.company_id AND earlier.year = period.year
                       AND earlier.date_start < period.date_start AND earlier.state = 'published'
                      JOIN garbage_assessment line ON line.period_id = earlier.id AND line.result = 'grey'
                     WHERE period.id = ANY(%s) AND line.unit_id = ANY(%s)
                     GROUP BY line.unit_id
                    """,
                    self.ids,
                    grey_lines.unit_id.ids,
                )
            )
        )
        # A confirmation belongs to one publication: a publication without one clears an earlier one
        # (the chatter keeps it).
        confirmation = confirmation or dict.fromkeys(
            ("publish_confirmed_by_id", "publish_confirmed_date", "publish_confirmation_note"), False
        )
        self.sudo().with_context(**{UNLOCK_KEY: True}).write(
            {
                "state": "published",
                "date_published": fields.Datetime.now(),
                "published_by_id": self.env.uid,
                **confirmation,
            }
        )
        # The annual records first: the level-3 report shows the year with this month in it.
        for year, periods in self.grouped("year").items():
            self.env["garbage.unit.annual"]._recompute_with_next(year, companies=periods.company_id)
        counts = [(line.unit_id, earlier.get(line.unit_id.id, 0) + 1) for line in grey_lines]
        self.env["garbage.escalation"]._reconcile([(unit, min(count, 3), count) for unit, count in counts], self)

    def _withdraw(self):
        """Reopen: withdraw the publication and recompute the annual records. The escalations stay, the open ones
        awaiting the recount: publishing the month again reconciles them (`garbage.escalation._reconcile`)."""
        self.ensure_one()
        self.escalation_ids._await_recount(self.name)
        self.sudo().with_context(**{UNLOCK_KEY: True}).write(
            {
                "state": "computed",
                "date_published": False,
                "published_by_id": False,
                # the confirmation went with the publication (the chatter keeps it)
                "publish_confirmed_by_id": False,
                "publish_confirmed_date": False,
                "publish_confirmation_note": False,
            }
        )
        # this month's units: those that were listed only in it fall back to an empty year
        self.env["garbage.unit.annual"]._recompute_with_next(self.year, self.line_ids.unit_id, self.company_id)

    @api.model
    def _cron_create_previous_month(self):
        """1st of the month: create and compute each town's last month's assessment (the towns together);
        publishing stays human.

        A period that already exists is left alone, so running the job twice changes nothing.
        """
        towns = [company for (company,) in self.env["garbage.unit"].sudo()._read_group([], ["company_id"])]
        # the town's 1st, not UTC's
        months = {town: town_today(self.env, town).replace(day=1) - relativedelta(months=1) for town in towns}
        existing = {
            (period.company_id, period.date_start)
            for period in self.sudo().search(
                [("company_id", "in", [town.id for town in towns]), ("date_start", "in", list(set(months.values())))]
            )
        }
        vals_list = [
            {"date_start": month, "company_id": town.id}
            for town, month in months.items()
            if (town, month) not in existing
        ]
        if vals_list:
            self.create(vals_list).action_compute()
