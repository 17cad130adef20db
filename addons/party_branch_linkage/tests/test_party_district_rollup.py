from datetime import date

from odoo import Command
from odoo.tests import TransactionCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestPartyDistrictRollup(TransactionCase):
    """The district roll-up's party-building column: each town's approved assessments of the month's year,
    counted and averaged (drafts and other years left out), for the district office."""

    def test_party_building_assessments_of_the_year(self):
        district = self.env["res.company"].create({"name": "示范区城市管理办公室"})
        town_a = self.env["res.company"].create({"name": "东湖镇人民政府", "parent_id": district.id})
        town_b = self.env["res.company"].create({"name": "青石镇人民政府", "parent_id": district.id})
        for town in town_a | town_b:
            env = self.env(context=dict(self.env.context, allowed_company_ids=town.ids))
            unit = env["garbage.unit"].create({"name": f"{town.name}村", "code": "R-1", "unit_type": "village"})
            inspection = env["garbage.inspection"].create(
                {
                    "unit_id": unit.id,
                    "source": "patrol",
                    "date": date(2024, 4, 10),
                    "line_ids": [Command.create({"name": "Overall", "max_score": 100, "score": 95})],
                }
            )
            inspection.action_done()
            period = env["garbage.assessment.period"].create({"date_start": date(2024, 4, 1)})
            period.action_compute()
            period.action_publish()
        env_a = self.env(context=dict(self.env.context, allowed_company_ids=town_a.ids))
        organizations = env_a["party.organization"].create(
            [{"name": name} for name in ("东湖村党支部", "东湖社区党支部", "东湖中学党支部", "东湖卫生院党支部")]
        )
        assessments = env_a["party.building.assessment"].create(
            [
                {"organization_id": organization.id, "year": year}
                for organization, year in zip(organizations, (2024, 2024, 2024, 2023), strict=True)
            ]
        )
        # approved as the committee's approval stores them (the engine writes in sudo)
        for assessment, state, score in zip(
            assessments, ("approved", "approved", "draft", "approved"), (80.0, 91.0, 20.0, 10.0), strict=True
        ):
            assessment.sudo().write({"state": state, "score": score})
        self.assertEqual(assessments.company_id, town_a)
        district_user = new_test_user(
            self.env,
            login="pbl_district_office",
            groups="garbage_sorting.garbage_sorting_group_district",
            company_id=district.id,
            company_ids=[Command.set((district | town_a | town_b).ids)],
        )
        Rollup = self.env["garbage.district.rollup"].with_user(district_user)
        rows = Rollup.with_context(allowed_company_ids=(district | town_a | town_b).ids).search(
            [("date_start", "=", date(2024, 4, 1))]
        )
        row_a = rows.filtered(lambda row: row.company_id == town_a)
        row_b = rows.filtered(lambda row: row.company_id == town_b)
        self.assertEqual((row_a.party_approved_count, row_a.party_score), (2, 85.5))
        self.assertEqual((row_b.party_approved_count, row_b.party_score), (0, 0.0))
