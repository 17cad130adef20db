from urllib.parse import urlencode

from odoo import api, models

from .xlsx_workbook import build_workbook


class GarbageUnitAnnual(models.Model):
    _inherit = "garbage.unit.annual"

    def action_download_evaluation_xlsx(self):
        self.check_access("read")
        return {
            "type": "ir.actions.act_url",
            "url": "/garbage_sorting/annual_evaluation?" + urlencode({"annual_ids": ",".join(map(str, self.ids))}),
            "target": "download",
        }

    def _get_evaluation_records(self):
        """Every annual record the user reads of the selected records' years, ranked for the award evaluation."""
        self.check_access("read")
        return self.search(
            [("company_id", "in", self.company_id.ids), ("year", "in", sorted(set(self.mapped("year"))))],
            order="year, " + self._order,
        )

    def _get_evaluation_rows(self):
        env = self.with_context(lang=self.env.user.lang).env
        # The unit's own field: the annual record's stored copy is written by SQL and can lag behind.
        peer_groups = dict(env["garbage.unit"]._fields["peer_group"]._description_selection(env))
        headers = [
            env._("Unit"),
            env._("Peer Group"),
            env._("Red Listings"),
            env._("Grey Listings"),
            env._("Red Flags Won"),
            env._("Longest Red Run"),
            env._("One-Vote Veto"),
            env._("Recommended"),
        ]
        yes = env._("Yes")
        rows = [
            [
                annual.unit_id.name,
                peer_groups.get(annual.unit_id.peer_group),
                annual.red_count,
                annual.grey_count,
                annual.flag_count,
                annual.longest_red_streak,
                yes if annual.veto else None,
                yes if annual.recommended else None,
            ]
            for annual in self
        ]
        return headers, rows

    def _get_evaluation_xlsx(self):
        """One sheet per year of the records (already filtered to what the user reads)."""
        env = self.with_context(lang=self.env.user.lang).env
        sheets = []
        for year in sorted(set(self.mapped("year"))):
            headers, rows = self.filtered(lambda annual, year=year: annual.year == year)._get_evaluation_rows()
            sheets.append(
                {
                    "name": str(year),
                    "title": env._("Annual award evaluation %(year)s", year=year),
                    "headers": headers,
                    "rows": rows,
                }
            )
        return build_workbook(sheets)


class ReportAnnualEvaluation(models.AbstractModel):
    _name = "report.garbage_sorting.report_annual_evaluation"
    _description = "Annual Award Evaluation Report"

    @api.model
    def _get_report_values(self, docids, data=None):
        annuals = self.env["garbage.unit.annual"].browse(docids)._get_evaluation_records()
        years = []
        for year in sorted(set(annuals.mapped("year"))):
            records = annuals.filtered(lambda annual, year=year: annual.year == year)
            headers, rows = records._get_evaluation_rows()
            years.append({"year": year, "headers": headers, "rows": rows})
        return {"doc_ids": docids, "doc_model": "garbage.unit.annual", "docs": annuals, "years": years}
