from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.tools import SQL

from .garbage_guard_mixin import town_today, town_tz

PEER_UNITS = {
    "village_community": [
        "qingshan",
        "baima",
        "taoyuan",
        "xinqiao",
        "donggang",
        "binhe",
        "jinxiu",
        "heping",
        "yangguang",
    ],
    "agency_institution": [
        "party_office",
        "law_enforcement",
        "agriculture",
        "social_affairs",
        "school",
        "hospital",
        "culture",
    ],
    "enterprise": ["chamber", "textile", "machinery", "food", "property"],
}

# The second town of the district (石塘镇), small: target score of each unit in the last three months, oldest
# first. 上林村 is red every month; 溪口村 is grey the month before last (the latest published one: last month
# is computed, waiting for its task force).
SECOND_TOWN = "garbage_sorting.res_company_shitang_demo"
SECOND_TOWN_PLAN = {
    "shanglin": (96, 95, 96),
    "xiazhuang": (84, 82, 86),
    "xikou": (80, 62, 78),
    "tangwan": (78, 81, 83),
    "xintang": (86, 85, 84),
    "office": (88, 87, 89),
    "health": (82, 85, 84),
    "seafood": (87, 88, 85),
}


class GarbageAssessmentPeriod(models.Model):
    _inherit = "garbage.assessment.period"

    @api.model
    def _demo_story_months(self, months):
        """The five months of one calendar year that carry the story: the last five of the latest year that has
        five months of history (`_demo_months` makes sure there is one)."""
        for year in sorted({month.year for month in months}, reverse=True):
            in_year = [month for month in months if month.year == year]
            if len(in_year) >= 5:
                return in_year[-5:]
        raise ValueError("the demo history holds no five months of one year")  # _demo_months rules it out

    @api.model
    def _demo_plan(self, months):
        """Target score of each demo unit per month (index 0 = oldest); None = no inspection at all.

        The story, in five months of one calendar year (grey counts and the veto are per year): 桃源村 is red every
        month (recommended); 东港村 is red three months, then grey twice (the veto withdraws its recommendation);
        新桥村 is grey the last three months running (visit, interview, report); 镇中心小学 is grey once; 大新纺织
        wins the enterprises' flag; 文化站 is not assessed last month.
        """
        story = [months.index(month) for month in self._demo_story_months(months)]
        ladder = story[-3:]
        plan = {}
        for offset, key in enumerate(key for keys in PEER_UNITS.values() for key in keys):
            plan[key] = [75 + (offset * 7 + index * 3) % 14 for index in range(len(months))]
        plan["taoyuan"] = [96] * len(months)
        plan["donggang"] = [80] * len(months)
        for index, score in zip(story, (94, 93, 94, 62, 61), strict=True):
            plan["donggang"][index] = score
        plan["xinqiao"] = [64 if index in ladder else 78 for index in range(len(months))]
        plan["school"][ladder[0]] = 63
        plan["textile"] = [86 if index % 2 else 95 for index in range(len(months))]
        plan["machinery"] = [91 if index % 2 else 84 for index in range(len(months))]
        plan["culture"][-1] = None
        return plan

    @api.model
    def _demo_line_scores(self, items, target):
        """Scores of the checklist items so that the inspection scores `target` percent."""
        total = sum(items.mapped("max_score"))
        missing = total * (100 - target) / 100
        scores = []
        for item in items:
            lost = min(item.max_score, missing)
            missing -= lost
            scores.append(item.max_score - lost)
        return scores

    @api.model
    def _demo_generate_history(self):
        """Demo only: months of inspections, rectifications and published red/grey lists, written in the town's
        language and dated in the town's time."""
        town = self._company_lang_env()
        self.with_env(town(context=dict(town.context, tz=town_tz(town).zone)))._demo_write_history()

    @api.model
    def _demo_write_history(self):
        ref = self.env.ref
        units = {key: ref(f"garbage_sorting.garbage_unit_{key}_demo") for keys in PEER_UNITS.values() for key in keys}
        template = ref("garbage_sorting.garbage_inspection_template_standard")
        items = template.item_ids.sorted("sequence")
        inspector = ref("garbage_sorting.user_inspector_demo")
        liaison = ref("garbage_sorting.user_liaison_demo")
        months = self._demo_months()
        plan = self._demo_plan(months)
        # The mutual inspections follow the two-month rhythm (每两月互学互查): one round in each two-month
        # period (Jan-Feb, Mar-Apr...), in its first month within the history, but for the period running now:
        # its round is this month's (garbage_inspection_demo.xml). Who inspects whom turns from round to round
        # (all units in one ring, peers side by side, the inspector 5 to 10 places on: never the pairs of this
        # month's round, 1, 2 or 4 places on), so no pair repeats in a year.
        ring = [key for keys in PEER_UNITS.values() for key in keys]
        mutual_months = {month for index, month in enumerate(months) if month.month % 2 or index == 0}
        if months[-1].month % 2:
            mutual_months.discard(months[-1])  # last month opened the period that runs on this month
        partner_of = {
            month: {key: ring[(index + 5 + (month.month - 1) // 2) % len(ring)] for index, key in enumerate(ring)}
            for month in mutual_months
        }
        self._demo_work_plans(units, months, ref("garbage_sorting.user_taskforce_demo"))
        vals_list = []
        for index, month in enumerate(months):
            for key, unit in units.items():
                target = plan[key][index]
                if target is None:
                    continue
                sources = [("patrol", target - 1, 8), ("mutual", target + 1, 15), ("self", target + 1, 3)]
                if month not in mutual_months:
                    sources.pop(1)
                if key == "property" and index == 2:
                    sources.pop()  # 物业公司 skips its self-inspection once: a missed cadence, -5 points
                for source, score, day in sources:
                    scores = self._demo_line_scores(items, min(score, 100))
                    vals_list.append(
                        {
                            "unit_id": unit.id,
                            "source": source,
                            "date": month + timedelta(days=day - 1),
                            "template_id": template.id,
                            "inspector_ids": [fields.Command.set((liaison if source == "self" else inspector).ids)],
                            "inspecting_unit_id": units[partner_of[month][key]].id if source == "mutual" else False,
                            "line_ids": [
                                fields.Command.create({"item_id": item.id, "max_score": item.max_score, "score": value})
                                for item, value in zip(items, scores, strict=True)
                            ],
                        }
                    )
        # history: the to-dos of those months were handed out long ago, nobody is notified of them today
        inspections = self.env["garbage.inspection"].with_context(mail_activity_quick_update=True).create(vals_list)
        skipped = self._demo_mutual_rounds(inspections, units, mutual_months, months)
        (inspections - skipped).action_done()
        # Every failed check opened a rectification: the demo units settle them within five days...
        opened = self.env["garbage.rectification"].search([("inspection_id", "in", inspections.ids)])
        for day, rectifications in opened.grouped(lambda r: r.inspection_id.date).items():
            rectifications.write({"state": "verified", "date_verified": day + timedelta(days=5)})
        # ...and their liaisons' to-dos went with the work, long ago: nobody carries them late.
        self.env["mail.activity"].search([("res_model", "=", opened._name), ("res_id", "in", opened.ids)]).unlink()
        # ...but for a few, which the red/grey lists then show.
        self._demo_rectifications(inspections, units, months)
        self._demo_duties(units, months)
        if not self._demo_publish_deferred():
            self._demo_publish_history()

    @api.model
    def _demo_mutual_rounds(self, inspections, units, mutual_months, months):
        """The task force organised each two-month period's round (its own obligation, met): one confirmed round
        per mutual month holding that month's mutual inspections. 锦绣社区 skipped its part of the last round
        whose two months are over: the inspection it was to make stays undone, and it is charged for it in the
        period's last month. Returns that skipped inspection."""
        Round = self.env["garbage.mutual.round"]
        template = self.env.ref("garbage_sorting.garbage_inspection_template_standard")
        for month in sorted(mutual_months):
            mutual_round = Round.create(
                {"date": month, "template_id": template.id, "state": "confirmed", "date_confirmed": month}
            )
            inspections.filtered(
                lambda inspection, month=month: inspection.source == "mutual"
                and inspection.date.replace(day=1) == month
            ).write({"mutual_round_id": mutual_round.id})
        # the rounds whose two months both lie in the history: the latest one is where 锦绣社区 skipped its part
        closed = [month for month in mutual_months if month.month % 2 and month + relativedelta(months=1) in months]
        if not closed:
            return inspections.browse()
        return inspections.filtered(
            lambda inspection: inspection.source == "mutual"
            and inspection.inspecting_unit_id == units["jinxiu"]
            and inspection.date.replace(day=1) == max(closed)
        )

    @api.model
    def _demo_today(self):
        """The demo's today: the town's date, the one its XML files use too (not the job's UTC date)."""
        return town_today(self.env)

    @api.model
    def _demo_work_plans(self, units, months, taskforce):
        """Each year of the history: the units without a work plan of their own in the demo files had theirs
        approved on 20 January (M1.1), so the yearly rule only charges the plans the demo shows still in the
        works (this year's, submitted or drafted)."""
        Plan = self.env["garbage.work.plan"].with_context(tracking_disable=True)
        today = self._demo_today()
        years = {month.year for month in months if date(month.year, 1, 20) <= today}
        planned = {(plan.unit_id, plan.year) for plan in Plan.search([("year", "in", list(years))])}
        Plan.create(
            [
                {
                    "unit_id": unit.id,
                    "year": year,
                    "state": "approved",
                    "approved_by_id": taskforce.id,
                    "date_approved": date(year, 1, 20),
                }
                for year in sorted(years)
                for unit in units.values()
                if (unit, year) not in planned
            ]
        )

    @api.model
    def _demo_months(self):
        """The demo months, oldest first: the six months before this one, and before June back to August of the
        previous year, so that one calendar year holds the story's five months (`_demo_story_months`)."""
        this_month = self._demo_today().replace(day=1)
        first = this_month - relativedelta(months=6)
        if this_month.month <= 5:
            first = min(first, date(this_month.year - 1, 8, 1))
        count = (this_month.year - first.year) * 12 + this_month.month - first.month
        return [this_month - relativedelta(months=back) for back in range(count, 0, -1)]

    @api.model
    def _demo_publish_deferred(self):
        """True when the party addon is installed with this one: its demo publishes the history once its
        meeting rules and meetings exist, so that the published lists are what computing them again gives."""
        return bool(
            self.env["ir.module.module"]
            .sudo()
            .search_count([("name", "=", "party_branch_linkage"), ("state", "in", ("to install", "installed"))])
        )

    @api.model
    def _demo_publish_history(self):
        """Demo only: compute and publish the six demo months, oldest first, as the task force does.

        Called once, after every demo record that counts exists (garbage_sorting alone, or the party addon's
        demo loaded last). Months already published (garbage_sorting installed first, the party addon later)
        are reopened newest first, then computed and published again oldest first through the same engine.
        """
        taskforce = self.env.ref("garbage_sorting.user_taskforce_demo")
        months = self._demo_months()
        Period = self.with_user(taskforce)
        existing = {period.date_start: period for period in Period.search([("date_start", "in", months)])}
        for month in reversed(months):
            if month in existing and existing[month].state == "published":
                existing[month].action_reopen()
        for month in months:
            period = existing.get(month) or Period.create({"date_start": month})
            period.action_compute()
            if isinstance(period.action_publish(), dict):
                # Units the town did not inspect (文化站 last month): the task force confirms, recorded.
                wizard = Period.env["garbage.assessment.publish.wizard"].create(
                    {
                        "period_id": period.id,
                        "note": self._company_lang_env()._(
                            "Demo history: published with the units listed as not inspected."
                        ),
                    }
                )
                wizard.action_confirm()
        # The oldest visits and reports are already handled; the latest ones wait in the task force's queue (an
        # interview closes only once its meeting is held, and the demo's are still to come).
        done = self.env["garbage.escalation"].search(
            [
                ("company_id", "=", taskforce.company_id.id),
                ("period_id.date_start", "<", months[-1]),
                ("state", "=", "open"),
                ("level", "!=", "2"),
            ],
            order="id",
            limit=2,
        )
        for escalation in done:
            escalation.outcome = self._company_lang_env()._(
                "Visited the unit with its liaison; bins relabelled, a supervisor now on duty."
            )
        done.with_user(taskforce).action_done()
        self._demo_publish_second_town()
        return True

    @api.model
    def _demo_first_town_in_district(self):
        """Demo only: the first town (the main company, XX镇) joins the district office created just before it.

        Odoo refuses to change a company's parent once created (res.company.write: "The company hierarchy cannot
        be changed"), as branches share data with their root. The first town is the database's own first company,
        created before any district existed; on a demo database being installed, nothing refers to its place in
        the hierarchy yet (no branch of it, the same currency as the office it joins), so the demo moves it under
        the office in SQL, with its materialised path. A real district creates its office first and its towns
        under it.
        """
        district = self.env.ref("garbage_sorting.res_company_district_demo")
        town = self.env.ref("base.main_company")
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                "UPDATE res_company SET parent_id = %s WHERE id = %s AND parent_id IS NULL",
                district.id,
                town.id,
            )
        )
        self.env.cr.execute(
            SQL(
                "UPDATE res_company SET parent_path = %s || parent_path WHERE parent_path LIKE %s",
                district.parent_path,
                f"{town.id}/%",
            )
        )
        self.env.registry.clear_cache()
        self.env["res.company"].invalidate_model()
        return True

    @api.model
    def _demo_generate_second_town(self):
        """Demo only: the second town's last three months of patrols and self-inspections, written in its own
        company, language and time."""
        company = self.env.ref(SECOND_TOWN)
        town = self.with_company(company)._company_lang_env()
        self.with_env(town(context=dict(town.context, tz=town_tz(town).zone)))._demo_write_second_town()

    @api.model
    def _demo_write_second_town(self):
        ref = self.env.ref
        company = self.env.company
        units = {key: ref(f"garbage_sorting.garbage_unit_shitang_{key}_demo") for key in SECOND_TOWN_PLAN}
        # its own copy of the district's standard checklist (res.company._garbage_copy_town_defaults)
        template = self.env["garbage.inspection.template"].search(
            [("company_id", "=", company.id)], order="id", limit=1
        )
        items = template.item_ids.sorted("sequence")
        inspector = ref("garbage_sorting.user_shitang_inspector_demo")
        liaison = ref("garbage_sorting.user_shitang_liaison_demo")
        months = self._demo_months()[-3:]
        self._demo_second_town_rules(company)
        self._demo_work_plans(units, months, ref("garbage_sorting.user_shitang_taskforce_demo"))
        vals_list = [
            {
                "unit_id": unit.id,
                "source": source,
                "date": month + timedelta(days=day - 1),
                "template_id": template.id,
                "inspector_ids": [fields.Command.set((liaison if source == "self" else inspector).ids)],
                "line_ids": [
                    fields.Command.create({"item_id": item.id, "max_score": item.max_score, "score": value})
                    for item, value in zip(items, self._demo_line_scores(items, min(score, 100)), strict=True)
                ],
            }
            for index, month in enumerate(months)
            for key, unit in units.items()
            for source, score, day in (
                ("patrol", SECOND_TOWN_PLAN[key][index] - 1, 9),
                ("self", SECOND_TOWN_PLAN[key][index] + 1, 4),
            )
        ]
        inspections = self.env["garbage.inspection"].with_context(mail_activity_quick_update=True).create(vals_list)
        inspections.action_done()
        # the failed checks were rectified within five days, and their to-dos went with the work
        opened = self.env["garbage.rectification"].search([("inspection_id", "in", inspections.ids)])
        for day, rectifications in opened.grouped(lambda r: r.inspection_id.date).items():
            rectifications.write({"state": "verified", "date_verified": day + timedelta(days=5)})
        self.env["mail.activity"].search([("res_model", "=", opened._name), ("res_id", "in", opened.ids)]).unlink()
        self._demo_duties(units, months)
        return True

    @api.model
    def _demo_second_town_rules(self, company):
        """The second town's party side (organisations, meetings) is not in the demo: it keeps this addon's
        cadence rules only. The party addon's, which its district holds when both addons were installed before
        their demo (tests/any_day), are archived in it, so that its months are the same whichever way the demo
        is loaded."""
        own = self.env["ir.model.data"].search(
            [("module", "=", "garbage_sorting"), ("model", "=", "garbage.obligation.rule")]
        )
        names = set(self.env["garbage.obligation.rule"].browse(own.mapped("res_id")).mapped("name"))
        rules = self.env["garbage.obligation.rule"].search([("company_id", "=", company.id)])
        rules.filtered(lambda rule: rule.name not in names).write({"active": False})

    @api.model
    def _demo_publish_second_town(self):
        """Demo only: the second town's task force computes its three months in its own town, through the same
        engine, and publishes the older two (last month's lists wait for it). Months already published are
        reopened newest first, as for the first town."""
        company = self.env.ref(SECOND_TOWN, raise_if_not_found=False)
        if not company:
            return False
        taskforce = self.env.ref("garbage_sorting.user_shitang_taskforce_demo")
        Period = self.with_user(taskforce).with_company(company)
        months = self._demo_months()[-3:]
        existing = {
            period.date_start: period
            for period in Period.search([("company_id", "=", company.id), ("date_start", "in", months)])
        }
        for month in reversed(months):
            if month in existing and existing[month].state == "published":
                existing[month].action_reopen()
        for month in months:
            period = existing.get(month) or Period.create({"date_start": month})
            period.action_compute()
            if month == months[-1]:
                continue
            if isinstance(period.action_publish(), dict):
                wizard = Period.env["garbage.assessment.publish.wizard"].create(
                    {
                        "period_id": period.id,
                        "note": Period._company_lang_env()._(
                            "Demo history: published with the units listed as not inspected."
                        ),
                    }
                )
                wizard.action_confirm()
        return True

    @api.model
    def _demo_remind(self):
        """Demo only: the daily job once, and this month's short obligations remind their people now, whatever
        the day of the month the demo is installed on (the job itself reminds in a period's last days)."""
        Obligation = self.env["garbage.obligation"]
        Obligation._cron_refresh()
        today = self._demo_today()
        pending = Obligation.search(
            [
                ("state", "=", "pending"),
                ("reminded", "=", False),
                ("date_start", "<=", today),
                ("date_end", ">=", today),
                ("rule_id.period", "=", "monthly"),
            ]
        )
        # every pending obligation of the month is reminded, whatever the towns' reminder days
        for company in pending.company_id:
            days = company.garbage_obligation_reminder_days
            company.garbage_obligation_reminder_days = 31
            Obligation._remind(pending.filtered(lambda obligation, company=company: obligation.company_id == company))
            company.garbage_obligation_reminder_days = days
        return True

    @api.model
    def _demo_rectifications(self, inspections, units, months):
        """Rectifications of the patrols: two left open past their deadline, one verified late, one on time, two
        open and not yet due."""
        patrols = {
            (inspection.unit_id, inspection.date.replace(day=1)): inspection
            for inspection in inspections
            if inspection.source == "patrol"
        }
        entries = [  # months counted back from the last one
            ("food", -5, "厨余垃圾桶破损未更换", 20, False),
            ("heping", -4, "投放点台账缺失", 18, False),
            ("heping", -3, "误投有害垃圾未及时分拣", 12, 40),
            ("qingshan", -3, "宣传栏内容过期", 15, 10),
            # last month's patrol: two still open, not yet due, in the demo liaison's units (青山村, 滨河社区)
            ("qingshan", -1, "可回收物投放点标识脱落", None, False),
            ("binhe", -1, "小区东门桶站满溢未及时清运", None, False),
        ]
        today = self._demo_today()
        self.env["garbage.rectification"].create(
            [
                {
                    "name": name,
                    "inspection_id": patrols[(units[key], months[index])].id,
                    "deadline": months[index] + timedelta(days=deadline_day)
                    if deadline_day
                    else today + timedelta(days=10),
                    "state": "verified" if verified_day else "open",
                    "date_verified": months[index] + timedelta(days=verified_day) if verified_day else False,
                }
                for key, index, name, deadline_day, verified_day in entries
            ]
        )

    @api.model
    def _demo_duties(self, units, months):
        """The units' monthly bin-side supervision and overdue-time correction (cadence of M4), done."""
        Site = self.env["garbage.bin.site"].with_context(tracking_disable=True)
        sites = dict(Site._read_group([("unit_id", "in", [u.id for u in units.values()])], ["unit_id"], ["id:min"]))
        for unit in units.values():
            if unit not in sites:
                sites[unit] = Site.create(
                    {"name": self._company_lang_env()._("%s main bin site", unit.name), "unit_id": unit.id}
                ).id
        self.env["garbage.volunteer.duty"].with_context(tracking_disable=True).create(
            [
                {
                    "duty_type": duty_type,
                    "site_id": site_id,
                    "date": month + timedelta(days=day),
                    "time_start": 7.0 if duty_type == "supervision" else 19.0,
                    "time_end": 9.0 if duty_type == "supervision" else 20.5,
                    "state": "done",
                }
                for month in months
                for site_id in sites.values()
                for duty_type, day in (("supervision", 11), ("correction", 19))
            ]
        )
