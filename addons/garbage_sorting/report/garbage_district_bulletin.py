from odoo import api, models

from .xlsx_workbook import build_workbook


class ReportDistrictBulletin(models.AbstractModel):
    _name = "report.garbage_sorting.district_bulletin"
    _description = "District Bulletin (XLSX)"

    @api.model
    def _get_xlsx(self, month):
        """The bulletin comparing the towns' published results of `month` (its first day) as XLSX bytes, in the
        user's language: one row per town on the first sheet, then each town's red and grey lists. It reads the
        roll-up and the published lists with the user's own rights: the towns switched on, published months."""
        self.env["garbage.district.rollup"]._check_district_office()
        return build_workbook(self._get_sheets(month))

    @api.model
    def _get_sheets(self, month):
        env = self.with_context(lang=self.env.user.lang).env
        rows = env["garbage.district.rollup"].search([("date_start", "=", month)])
        rows = rows.sorted(lambda row: row.company_id.name or "")
        entries = env["garbage.assessment.notice"].search_fetch(
            [("date_start", "=", month), ("company_id", "in", rows.company_id.ids)],
            ["company_id", "unit_name", "peer_group", "result", "red_flag", "rank", "score"],
        )
        results = dict(entries._fields["result"]._description_selection(env))
        peer_groups = dict(entries._fields["peer_group"]._description_selection(env))
        yes = env._("Yes")
        label = month.strftime("%Y-%m")
        sheets = [
            {
                "name": env._("Towns %(month)s", month=label),
                "title": env._("District bulletin %(month)s: the towns' published results", month=label),
                "headers": [
                    env._("Town"),
                    env._("Assessed Units"),
                    env._("Inspected by the Town"),
                    env._("Coverage (%)"),
                    env._("Red List"),
                    env._("Grey List"),
                    env._("Level 1: Visits"),
                    env._("Level 2: Interviews"),
                    env._("Level 3: Reports"),
                    env._("Vetoed Units"),
                    env._("Approved Volunteer Hours"),
                    env._("Approved Party-Building Assessments"),
                    env._("Average Party-Building Score"),
                ],
                "rows": [
                    [
                        row.company_id.name,
                        row.unit_count,
                        row.inspected_count,
                        row.coverage,
                        row.red_count,
                        row.grey_count,
                        row.escalation_1_count,
                        row.escalation_2_count,
                        row.escalation_3_count,
                        row.veto_count,
                        row.volunteer_hours,
                        row.party_approved_count,
                        row.party_score if row.party_approved_count else None,
                    ]
                    for row in rows
                ],
                "chart": {"title": env._("Coverage (%)"), "category_column": 0, "value_column": 3},
            }
        ]
        order = {"red": 0, "grey": 1}
        for town in rows.company_id:
            listed = sorted(
                (entry for entry in entries if entry.company_id == town),
                key=lambda entry: (order[entry.result], entry.peer_group or "", entry.rank or 0, entry.unit_name),
            )
            sheets.append(
                {
                    "name": town.name,
                    "title": env._("%(town)s: red and grey lists %(month)s", town=town.name, month=label),
                    "headers": [
                        env._("List"),
                        env._("Unit"),
                        env._("Peer Group"),
                        env._("Rank"),
                        env._("Score"),
                        env._("Red Flag"),
                    ],
                    "rows": [
                        [
                            results[entry.result],
                            entry.unit_name,
                            peer_groups.get(entry.peer_group),
                            entry.rank or None,
                            entry.score,
                            yes if entry.red_flag else None,
                        ]
                        for entry in listed
                    ],
                }
            )
        return sheets
