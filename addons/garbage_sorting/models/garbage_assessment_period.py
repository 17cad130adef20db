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

    # Actions

    def action_compute(self):
        self._check_manager()
        for period in self:
            period._lock()  # never rewrite the results under a publication in progress
            if period.state == "published":
                raise UserError(self.env._("A published assessment is locked: reopen it first."))
            period._compute_lines()
        return True

    def action_publish(self):
        """Publish, or open the confirmation when the month needs one (units the town did not inspect,
        a month not over yet): nothing is published then until the task force confirms in the wizard.
        No argument nor context key skips the confirmation: any RPC caller could send them."""
        self._check_manager()
        for period in self:
            period._check_publishable()
        to_confirm = self.filtered(lambda period: period._get_publish_warnings())
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
        for period in self:
            period._publish()
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
        """Lock the period row so that two computations, publications or reopenings never run together."""
        self.ensure_one()
        try:
            with self.env.cr.savepoint(flush=False):
                self.env.cr.execute(
                    SQL("SELECT id FROM garbage_assessment_period WHERE id = %s FOR UPDATE NOWAIT", self.id)
                )
        except psycopg2.errors.LockNotAvailable as error:
            raise UserError(
                self.env._(
                    "The assessment %(month)s is being computed, published or reopened right now: try again.",
                    month=self.name,
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
        self.ensure_one()
        # The obligations falling due this month must be closed before they are counted (the daily job keeps
        # the others, which this month does not count, up to date).
        rules = self.env["garbage.obligation.rule"].sudo().search([("company_id", "=", self.company_id.id)])
        due = rules.filtered(lambda rule: self.date_start <= rule._period_bounds(self.date_end)[1] <= self.date_end)
        self.env["garbage.obligation"].sudo()._recount(self.date_end, due)
        self.env["garbage.assessment"]._replace_lines(self, self._get_params())
        self.sudo().write({"state": "computed", "date_computed": fields.Datetime.now()})

    def _check_publishable(self):
        """Under the row lock: the period is computed and not yet published."""
        self.ensure_one()
        self._lock()
        if self.state == "published":
            raise UserError(self.env._("The assessment %(month)s is already published.", month=self.name))
        if self.state != "computed":
            raise UserError(self.env._("Compute the assessment %(month)s before publishing it.", month=self.name))
        self._check_no_later_published()
        self._check_veto_current()

    def _check_no_later_published(self):
        """The grey ladder counts the year's published months in order: a month's escalations (their level) follow
        from the months before it. Publishing or reopening a month under later published months of the same year
        would leave their escalations on the wrong level, so it is refused, naming the months to reopen first
        (newest first; then publish oldest first). Another year's months do not count the same grey listings."""
        self.ensure_one()
        # Under the period's own lock: the year's later months are held too, so that a later month published,
        # computed or reopened at the same moment waits for this one instead of counting without it.
        try:
            with self.env.cr.savepoint(flush=False):
                self.env.cr.execute(
                    SQL(
                        "SELECT id FROM garbage_assessment_period WHERE company_id = %s AND year = %s "
                        "AND date_start > %s FOR SHARE NOWAIT",
                        self.company_id.id,
                        self.year,
                        self.date_start,
                    )
                )
        except psycopg2.errors.LockNotAvailable as error:
            raise UserError(
                self.env._(
                    "A later month of %(year)s is being computed, published or reopened right now: try %(month)s "
                    "again once it is done.",
                    year=self.year,
                    month=self.name,
                )
            ) from error
        later = (
            self.sudo()
            .search(
                [
                    ("company_id", "=", self.company_id.id),
                    ("state", "=", "published"),
                    ("year", "=", self.year),
                    ("date_start", ">", self.date_start),
                ],
                order="date_start",
            )
            .mapped("name")
        )
        if not later:
            return
        raise UserError(
            self.env._(
                "Reopen %(months)s first, newest first: the escalations of the later months of %(year)s count the "
                "grey listings of %(month)s. Then publish the months again, oldest first.",
                months=", ".join(reversed(later)),
                year=self.year,
                month=self.name,
            )
        )

    def _check_veto_current(self):
        """The one-vote veto of the lines (no red flag) counts the year's months published before this one
        when it was computed: an earlier month published or reopened since then must not go unnoticed."""
        self.ensure_one()
        self.env["garbage.assessment"].flush_model(["period_id", "unit_id", "result", "vetoed"])
        self.flush_model(["company_id", "state", "year", "date_start"])
        [(stale,)] = self.env.execute_query(
            SQL(
                """
                -- materialized once and probed by hash: the planner cannot turn it into a loop per line
                WITH vetoed AS MATERIALIZED (
                    SELECT grey.unit_id FROM garbage_assessment grey
                      JOIN garbage_assessment_period earlier ON earlier.id = grey.period_id
                     WHERE earlier.company_id = %(company)s AND earlier.state = 'published'
                       AND earlier.year = %(year)s AND earlier.date_start < %(start)s AND grey.result = 'grey'
                     GROUP BY grey.unit_id HAVING COUNT(*) >= %(veto_grey_count)s
                )
                SELECT COUNT(*) FROM garbage_assessment line
                 WHERE line.period_id = %(period)s
                   AND line.vetoed IS DISTINCT FROM (line.unit_id IN (SELECT unit_id FROM vetoed))
                """,
                company=self.company_id.id,
                year=self.date_start.year,
                start=self.date_start,
                veto_grey_count=VETO_GREY_COUNT,
                period=self.id,
            )
        )
        if stale:
            raise UserError(
                self.env._(
                    "An earlier month of %(year)s was published or reopened after %(month)s was computed: the "
                    "one-vote veto of %(count)s unit(s) changed. Recompute %(month)s before publishing it.",
                    year=self.date_start.year,
                    month=self.name,
                    count=stale,
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

    def _get_publish_warnings(self):
        """What publishing this month asks the task force to confirm, as sentences (empty: nothing)."""
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
        unit_ids = self.company_id.garbage_publish_confirm_uninspected and self._get_uninspected_unit_ids().get(self.id)
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
        self.ensure_one()
        grey_lines = (
            self.env["garbage.assessment"]
            .sudo()
            .search_fetch([("period_id", "=", self.id), ("result", "=", "grey")], ["unit_id"], order="id")
        )
        # n = grey listings of the unit in the year's published periods up to this one, this one included.
        earlier = dict(
            self.env["garbage.assessment"]
            .sudo()
            ._read_group(
                [
                    ("result", "=", "grey"),
                    ("unit_id", "in", grey_lines.unit_id.ids),
                    ("period_id.state", "=", "published"),
                    ("period_id.year", "=", self.year),
                    ("period_id.date_start", "<", self.date_start),
                ],
                ["unit_id"],
                ["__count"],
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
        self.env["garbage.unit.annual"]._recompute_with_next(self.year, company=self.company_id)
        counts = [(line.unit_id, earlier.get(line.unit_id, 0) + 1) for line in grey_lines]
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
        """1st of the month: create and compute each town's last month's assessment; publishing stays human.

        A period that already exists is left alone, so running the job twice changes nothing.
        """
        towns = [company for (company,) in self.env["garbage.unit"].sudo()._read_group([], ["company_id"])]
        for company in towns:
            town = self.with_company(company)
            today = town_today(town.env)  # the town's 1st, not UTC's
            month = today.replace(day=1) - relativedelta(months=1)
            if not town.search_count([("company_id", "=", company.id), ("date_start", "=", month)]):
                town.create({"date_start": month, "company_id": company.id}).action_compute()
