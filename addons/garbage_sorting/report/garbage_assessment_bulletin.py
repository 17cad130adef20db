from collections import defaultdict

from dateutil.relativedelta import relativedelta

from odoo import api, models

from .xlsx_workbook import build_workbook

PEER_GROUPS = ("village_community", "agency_institution", "enterprise")
# What a unit that was not assessed shows instead of a score, a rank or a change (never 0).
NOT_ASSESSED = "—"


class ReportMonthlyBulletin(models.AbstractModel):
    _name = "report.garbage_sorting.monthly_bulletin"
    _description = "Monthly Bulletin (XLSX)"

    @api.model
    def _get_xlsx(self, periods):
        """The monthly bulletin of the (published) periods as XLSX bytes, in the user's language."""
        periods._check_bulletin_access()
        return build_workbook(self._get_sheets(periods))

    @api.model
    def _get_sheets(self, periods):
        env = self.with_context(lang=self.env.user.lang).env
        periods = periods.with_env(env).sorted("date_start")
        Assessment = env["garbage.assessment"]
        results = dict(Assessment._fields["result"]._description_selection(env))
        peer_groups = dict(Assessment._fields["peer_group"]._description_selection(env))
        levels = dict(env["garbage.escalation"]._fields["level"]._description_selection(env))
        escalation_states = dict(env["garbage.escalation"]._fields["state"]._description_selection(env))
        yes = env._("Yes")
        # Excel sheet names have 31 characters at most: short names, the full one in the sheet's title.
        sheet_labels = {
            "village_community": env._("Villages & Communities"),
            "agency_institution": env._("Agencies & Institutions"),
            "enterprise": env._("Enterprises"),
        }

        # One search for the months' results and the previous months' published ones.
        previous_months = [period.date_start - relativedelta(months=1) for period in periods]
        lines = Assessment.search_fetch(
            [
                "|",
                ("period_id", "in", periods.ids),
                "&",
                "&",
                ("date_start", "in", previous_months),
                ("company_id", "in", periods.company_id.ids),
                ("period_id.state", "=", "published"),
            ],
            [
                "period_id",
                "date_start",
                "unit_id",
                "peer_group",
                "score",
                "rank",
                "result",
                "red_flag",
                "overdue_count",
                "deductions",
            ],
        )
        # A unit not assessed last month has no previous score (not 0): no "change" against it either.
        previous_score = {
            (line.date_start, line.unit_id.id): line.score if line.result != "none" else NOT_ASSESSED for line in lines
        }
        lines_by_period = defaultdict(list)
        for line in lines.filtered(lambda line: line.period_id in periods):
            lines_by_period[line.period_id].append(line)
        escalations = env["garbage.escalation"].search_fetch(
            [("period_id", "in", periods.ids)],
            ["period_id", "unit_id", "level", "grey_count", "responsible_id", "date_deadline", "state"],
            order="level desc, unit_id",
        )
        # Per month and per subject (a unit, or a party organisation's own obligations when that addon is in).
        obligation_counts = defaultdict(dict)  # {month: {subject: {state: count}}}
        months = [(period.date_start, period.date_end) for period in periods]
        # the months' towns only, whatever other towns the user works in
        obligation_domain = [("company_id", "in", periods.company_id.ids)] + ["|"] * (len(months) - 1)
        for start, end in months:
            obligation_domain += ["&", ("date_end", ">=", start), ("date_end", "<=", end)]
        Obligation = env["garbage.obligation"]
        for __, column in env["garbage.obligation.rule"]._subject_models().values():
            for subject, state, month, count in Obligation._read_group(
                obligation_domain + [(column, "!=", False)], [column, "state", "date_end:month"], ["__count"]
            ):
                obligation_counts[month].setdefault(subject, defaultdict(int))[state] += count

        # The task force's own duties (its mutual rounds, the 1+1+N activities): no unit is charged with them.
        obligation_states = dict(Obligation._fields["state"]._description_selection(env))
        task_force_obligations = Obligation.search_fetch(
            obligation_domain + [("is_task_force", "=", True)],
            ["rule_id", "date_start", "date_end", "expected", "done", "state"],
            order="date_end, rule_id",
        )

        sheets = []
        for period in periods:
            prefix = period.name
            period_lines = lines_by_period[period]
            for peer_group in PEER_GROUPS:
                group_lines = sorted(
                    (line for line in period_lines if line.peer_group == peer_group),
                    key=lambda line: (not line.rank, line.rank or 0, line.unit_id.name or ""),
                )
                rows = []
                for line in group_lines:
                    before = previous_score.get((period.date_start - relativedelta(months=1), line.unit_id.id))
                    assessed = line.result != "none"
                    comparable = assessed and before is not None and before != NOT_ASSESSED
                    rows.append(
                        [
                            line.rank or None if assessed else NOT_ASSESSED,
                            line.unit_id.name,
                            line.score if assessed else NOT_ASSESSED,
                            before,
                            round(line.score - before, 2) if comparable else (None if assessed else NOT_ASSESSED),
                            results[line.result],
                            yes if line.red_flag else None,
                            line.deductions or None,
                        ]
                    )
                sheets.append(
                    {
                        "name": f"{prefix} {sheet_labels[peer_group]}",
                        "title": env._(
                            "Monthly bulletin %(month)s: %(group)s", month=prefix, group=peer_groups[peer_group]
                        ),
                        "headers": [
                            env._("Rank"),
                            env._("Unit"),
                            env._("Score"),
                            env._("Previous Month"),
                            env._("Change"),
                            env._("Result"),
                            env._("Red Flag"),
                            env._("Deductions"),
                        ],
                        "rows": rows,
                        "chart": {"title": env._("Scores"), "category_column": 1, "value_column": 2},
                    }
                )
            sheets.append(
                {
                    "name": f"{prefix} {env._('Escalations')}",
                    "title": env._("Grey-list escalations opened by the assessment %(month)s", month=prefix),
                    "headers": [
                        env._("Unit"),
                        env._("Level"),
                        env._("Grey Listings This Year"),
                        env._("Responsible"),
                        env._("Deadline"),
                        env._("State"),
                    ],
                    "rows": [
                        [
                            escalation.unit_id.name,
                            levels[escalation.level],
                            escalation.grey_count,
                            escalation.responsible_id.name or None,
                            escalation.date_deadline and str(escalation.date_deadline),
                            escalation_states[escalation.state],
                        ]
                        for escalation in escalations
                        if escalation.period_id == period
                    ],
                }
            )
            counts = obligation_counts[period.date_start]
            sheets.append(
                {
                    "name": f"{prefix} {env._('Obligations')}",
                    "title": env._("Obligations whose period ends in %(month)s", month=prefix),
                    "headers": [env._("Obligation Of"), env._("Met"), env._("Missed"), env._("Pending")],
                    "rows": [
                        [
                            subject.display_name,
                            counts[subject]["met"],
                            counts[subject]["missed"],
                            counts[subject]["pending"],
                        ]
                        for subject in sorted(
                            counts,
                            key=lambda subject: (-counts[subject]["missed"], subject._name, subject.display_name or ""),
                        )
                    ],
                }
            )
            sheets.append(
                {
                    "name": f"{prefix} {env._('Task Force')}",
                    "title": env._("The task force's own obligations whose period ends in %(month)s", month=prefix),
                    "headers": [
                        env._("Obligation"),
                        env._("Period Start"),
                        env._("Period End"),
                        env._("Expected"),
                        env._("Done"),
                        env._("State"),
                    ],
                    "rows": [
                        [
                            obligation.rule_id.name,
                            str(obligation.date_start),
                            str(obligation.date_end),
                            obligation.expected,
                            obligation.done,
                            obligation_states[obligation.state],
                        ]
                        for obligation in task_force_obligations
                        if period.date_start <= obligation.date_end <= period.date_end
                    ],
                }
            )
            # The assessment's own count (the one its penalty used), not a second definition of "overdue".
            overdue_lines = sorted(
                (line for line in period_lines if line.overdue_count),
                key=lambda line: (-line.overdue_count, line.unit_id.name or ""),
            )
            sheets.append(
                {
                    "name": f"{prefix} {env._('Overdue Rectifications')}",
                    "title": env._("Rectifications overdue at the end of %(month)s", month=prefix),
                    "headers": [env._("Unit"), env._("Peer Group"), env._("Overdue Rectifications")],
                    "rows": [
                        [line.unit_id.name, peer_groups.get(line.peer_group), line.overdue_count]
                        for line in overdue_lines
                    ],
                }
            )
        return sheets
