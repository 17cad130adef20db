"""Each town government is a company under the district office: the party side of one town is invisible and
untouchable from another, its party-building assessment counts its own facts only, with its own weights."""

import importlib.util
from datetime import date, datetime
from pathlib import Path

from odoo.addons.garbage_sorting.tests.web_client import WebClientMixin
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import HttpCase, TransactionCase, new_test_user, tagged
from odoo.tools import mute_logger

from ..models.party_building_assessment import WEIGHT_PARTS, building_ratios, building_score, building_weights

PB = "party_branch_linkage.party_branch_linkage_group_"
# refusals of the ORM (rules, company checks) are logged; they are what the tests expect
QUIET = ("odoo.models", "odoo.addons.base.models.ir_rule", "odoo.models.unlink")


class TownsMixin:
    """Two towns under a district office, each with its party side and its people."""

    @classmethod
    def _setup_towns(cls):
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True, no_mail_to_attendees=True))
        Company = cls.env["res.company"]
        cls.district = Company.create({"name": "PTW District Office", "party_building_weight_programme": 20.0})
        cls.town_a = Company.create({"name": "PTW Town A", "parent_id": cls.district.id})
        cls.town_b = Company.create({"name": "PTW Town B", "parent_id": cls.district.id})
        cls.year = date.today().year - 1  # a whole year: every quarter due, whatever today is
        cls.towns = {}
        for key, town in (("a", cls.town_a), ("b", cls.town_b)):
            cls.towns[key] = cls._make_town(key, town)

    @classmethod
    def _make_town(cls, key, town):
        """A town's party side: a unit, a committee and a branch leading the unit, with a member, a work
        programme, a brand project, a six-entries activity, a publicity meeting and this year's assessment;
        a secretary (of the branch) and a town party committee member working in the town only."""
        env = cls.env
        users = {
            role: new_test_user(
                env,
                login=f"ptw_{role}_{key}",
                groups=PB + role,
                company_id=town.id,
                company_ids=[(6, 0, town.ids)],
            )
            for role in ("secretary", "committee")
        }
        unit = env["garbage.unit"].create(
            {"name": f"PTW Village {key}", "code": f"PTW-{key}", "unit_type": "village", "company_id": town.id}
        )
        Organization = env["party.organization"]
        committee = Organization.create(
            {"name": f"PTW Committee {key}", "org_type": "committee", "company_id": town.id}
        )
        branch = Organization.create(
            {
                "name": f"PTW Branch {key}",
                "parent_id": committee.id,
                "secretary_id": users["secretary"].id,
                "unit_ids": [(6, 0, unit.ids)],
                "company_id": town.id,
            }
        )
        partner = env["res.partner"].create(
            {"name": f"PTW Volunteer {key}", "is_volunteer": True, "company_id": town.id}
        )
        employee = env["hr.employee"].create({"name": f"PTW Member {key}", "work_contact_id": partner.id})
        member = env["party.member"].create(
            {
                "member_type": "in_service",
                "employee_id": employee.id,
                "organization_ids": [(6, 0, branch.ids)],
                "company_id": town.id,
            }
        )
        programme = env["party.work.programme"].create(
            {"organization_id": branch.id, "year": cls.year, "date_adopted": date(cls.year, 2, 1), "state": "approved"}
        )
        project = env["party.brand.project"].create(
            {
                "name": f"PTW Project {key}",
                "organization_ids": [(6, 0, branch.ids)],
                "date_start": date(cls.year, 1, 1),
                "state": "running",
                "company_id": town.id,
            }
        )
        activity = env["party.grassroots.activity"].create(
            {
                "name": f"PTW Activity {key}",
                "date": date(cls.year, 5, 1),
                "entry_type": "community",
                "organization_id": branch.id,
                "member_ids": [(6, 0, member.ids)],
                "hours": 2,
                "state": "done",
            }
        )
        meeting = env["calendar.event"].create(
            {
                "name": f"PTW Work Meeting {key}",
                "party_meeting_kind": "work",
                "party_organization_id": branch.id,
                "start": datetime(cls.year, 3, 10, 2),
                "stop": datetime(cls.year, 3, 10, 4),
                "partner_ids": [],
            }
        )
        assessment = (
            env["party.building.assessment"].with_company(town).create({"organization_id": branch.id, "year": cls.year})
        )
        return {
            "town": town,
            "users": users,
            "unit": unit,
            "organizations": committee | branch,
            "branch": branch,
            "partner": partner,
            "member": member,
            "programme": programme,
            "project": project,
            "activity": activity,
            "meeting": meeting,
            "assessment": assessment,
        }


@tagged("post_install", "-at_install")
class TestPartyTowns(TownsMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_towns()

    def _pairs(self):
        """(own town, other town) both ways."""
        return [(self.towns["a"], self.towns["b"]), (self.towns["b"], self.towns["a"])]

    def test_records_belong_to_their_town(self):
        for town in self.towns.values():
            for name in ("organizations", "member", "programme", "project", "activity", "assessment"):
                with self.subTest(town=town["town"].name, records=name):
                    self.assertEqual(town[name].company_id, town["town"])
        highlight = self.env["party.brand.highlight"].create(
            {"name": "PTW Highlight", "project_id": self.towns["b"]["project"].id}
        )
        self.assertEqual(highlight.company_id, self.town_b)
        item = self.env["party.action.item"].create(
            {"name": "PTW Item", "meeting_id": self.towns["b"]["meeting"].id, "owner_id": self.towns["b"]["partner"].id}
        )
        self.assertEqual(item.company_id, self.town_b, "a meeting's follow-up is of its organiser's town")

    @mute_logger(*QUIET)
    def test_each_role_sees_nothing_of_the_other_town(self):
        models = {
            "party.organization": "organizations",
            "party.member": "member",
            "party.work.programme": "programme",
            "party.brand.project": "project",
            "party.grassroots.activity": "activity",
            "party.building.assessment": "assessment",
            "calendar.event": "meeting",
        }
        for own, other in self._pairs():
            for user in own["users"].values():
                for model, name in models.items():
                    with self.subTest(user=user.login, model=model):
                        Model = self.env[model].with_user(user)
                        self.assertFalse(Model.search([("id", "in", other[name].ids)]))
                        self.assertEqual(Model.search_count([("id", "in", own[name].ids)]), len(own[name]))
                        with self.assertRaises(AccessError):
                            other[name].with_user(user).read(["name"])
                        # the list, the export and the pivot ask for the same records
                        self.assertFalse(
                            Model.search_read([("id", "in", other[name].ids)], ["id"])
                            + Model.web_read_group([("id", "in", other[name].ids)], [], ["id"])["groups"]
                        )
                with self.subTest(user=user.login, what="grades"):
                    self.assertFalse(
                        self.env["party.building.assessment.grade"]
                        .with_user(user)
                        .search([("assessment_id", "in", other["assessment"].ids)])
                    )

    @mute_logger(*QUIET)
    def test_each_role_changes_nothing_of_the_other_town(self):
        for own, other in self._pairs():
            secretary, committee = own["users"]["secretary"], own["users"]["committee"]
            for user in (secretary, committee):
                with self.subTest(user=user.login):
                    with self.assertRaises(AccessError), self.cr.savepoint():
                        other["branch"].with_user(user).write({"name": "Taken over"})
                    with self.assertRaises(AccessError), self.cr.savepoint():
                        other["member"].with_user(user).write({"duty_publicity": True})
                    with self.assertRaises(AccessError), self.cr.savepoint():
                        other["programme"].with_user(user).write({"content": "<p>Ours now</p>"})
                    with self.assertRaises(AccessError), self.cr.savepoint():
                        other["assessment"].with_user(user).action_recompute()
                    with self.assertRaises(UserError), self.cr.savepoint():
                        other["meeting"].with_user(user).write({"name": "Moved"})
                    with self.assertRaises(UserError), self.cr.savepoint():
                        self.env["calendar.event"].with_user(user).create(
                            {
                                "name": "PTW Meeting of the other town",
                                "party_meeting_kind": "publicity",
                                "party_organization_id": other["branch"].id,
                                "start": datetime(self.year, 6, 1, 2),
                                "stop": datetime(self.year, 6, 1, 3),
                            }
                        )
            with self.subTest(user=committee.login, what="create in the other town"):
                with self.assertRaises(UserError), self.cr.savepoint():
                    self.env["party.organization"].with_user(committee).create(
                        {"name": "PTW Planted", "company_id": other["town"].id}
                    )
                with self.assertRaises(UserError), self.cr.savepoint():
                    self.env["party.organization"].with_user(committee).create(
                        {"name": "PTW Planted", "parent_id": other["organizations"][0].id}
                    )
                with self.assertRaises(UserError), self.cr.savepoint():
                    self.env["party.building.assessment.grade"].with_user(committee).create(
                        {"assessment_id": other["assessment"].id, "grade": "poor"}
                    )
                with self.assertRaises(UserError), self.cr.savepoint():
                    own["branch"].with_user(committee).write({"unit_ids": [(4, other["unit"].id)]})
                with self.assertRaises(AccessError), self.cr.savepoint():
                    other["branch"].with_user(committee)._get_annual_review_data(self.year)
            with self.subTest(user=secretary.login, what="members of the other town"):
                with self.assertRaises(UserError), self.cr.savepoint():
                    self.env["party.member"].with_user(secretary).create(
                        {
                            "member_type": "other",
                            "partner_id": self.env["res.partner"].create({"name": "PTW Stranger"}).id,
                            "organization_ids": [(6, 0, other["branch"].ids)],
                        }
                    )
                with self.assertRaises(UserError), self.cr.savepoint():
                    own["branch"].with_user(secretary).write({"member_ids": [(4, other["member"].id)]})
        # nothing moved
        self.assertEqual(self.towns["a"]["branch"].name, "PTW Branch a")
        self.assertEqual(self.towns["b"]["branch"].member_ids, self.towns["b"]["member"])

    def test_records_of_two_towns_are_never_linked(self):
        a, b = self.towns["a"], self.towns["b"]
        with self.assertRaises(UserError), self.cr.savepoint():
            a["branch"].write({"unit_ids": [(4, b["unit"].id)]})
        with self.assertRaises(UserError), self.cr.savepoint():
            b["unit"].write({"party_organization_ids": [(4, a["branch"].id)]})
        with self.assertRaises(UserError), self.cr.savepoint():
            self.env["party.grassroots.activity"].create(
                {
                    "name": "PTW Mixed",
                    "date": date(self.year, 6, 1),
                    "entry_type": "school",
                    "organization_id": a["branch"].id,
                    "member_ids": [(6, 0, b["member"].ids)],
                    "hours": 1,
                }
            )
        with self.assertRaises(ValidationError), self.cr.savepoint():
            self.env["calendar.event"].create(
                {
                    "name": "PTW Mixed meeting",
                    "party_meeting_kind": "work",
                    "party_organization_id": a["branch"].id,
                    "garbage_unit_ids": [(6, 0, b["unit"].ids)],
                    "start": datetime(self.year, 6, 1, 2),
                    "stop": datetime(self.year, 6, 1, 3),
                }
            )

    def test_assessment_counts_its_own_town_only(self):
        a, b = self.towns["a"], self.towns["b"]
        # A's member is a volunteer of A: no hours of theirs are recorded in B (they would count nowhere)
        with self.assertRaises(UserError):
            self.env["garbage.volunteer.hour"].create(
                {
                    "partner_id": a["partner"].id,
                    "date": date(self.year, 6, 1),
                    "hours": 7,
                    "state": "approved",
                    "company_id": self.town_b.id,
                }
            )
        self.env["garbage.volunteer.hour"].create(
            {
                "partner_id": a["partner"].id,
                "date": date(self.year, 6, 2),
                "hours": 3,
                "state": "approved",
                "company_id": self.town_a.id,
            }
        )
        (a["assessment"] | b["assessment"])._recompute_figures()
        for town in (a, b):
            self.assertRecordValues(
                town["assessment"],
                [
                    {
                        "company_id": town["town"].id,
                        "unit_count": 1,
                        "meeting_count": 1,
                        "meeting_quarters": 1,
                        "programme_adopted": True,
                        "activity_count": 1,
                        "member_count": 1,
                        "brand_project_count": 1,
                    }
                ],
            )
        self.assertEqual(a["assessment"].volunteer_hours, 3.0)
        self.assertEqual(b["assessment"].volunteer_hours, 0.0)
        # A's yearly refresh creates and counts A's assessments only, the daily job each town's
        Assessment = self.env["party.building.assessment"]
        Assessment.with_company(self.town_a)._refresh_year(self.year)
        self.assertEqual(
            Assessment.search([("year", "=", self.year), ("company_id", "=", self.town_a.id)]).organization_id,
            a["organizations"],
        )
        self.assertFalse(Assessment.search([("organization_id", "=", b["organizations"][0].id)]))
        Assessment._cron_refresh()
        this_year = date.today().year
        for town in (a, b):
            self.assertEqual(
                Assessment.search(
                    [("year", "=", this_year), ("organization_id", "in", town["organizations"].ids)]
                ).company_id,
                town["town"],
            )

    def test_weights_are_each_towns_own(self):
        a, b = self.towns["a"], self.towns["b"]
        self.env["res.config.settings"].with_company(self.town_b).create(
            {"party_building_weight_programme": 80.0, "party_building_weight_brand": 0.0}
        ).execute()
        self.assertEqual(self.town_b.party_building_weight_programme, 80.0)
        self.assertEqual(self.town_a.party_building_weight_programme, 20.0, "the other town keeps its own")
        (a["assessment"] | b["assessment"])._recompute_figures()
        scores = {}
        for key, town in self.towns.items():
            assessment = town["assessment"]
            ratios = building_ratios(
                {name: assessment[name] for name in assessment._fields if name in assessment}, False
            )
            self.assertEqual(assessment.score, building_score(ratios, building_weights(town["town"])))
            scores[key] = assessment.score
        # the same facts, weighed otherwise
        self.assertNotEqual(scores["a"], scores["b"])

    def test_a_new_town_starts_from_the_district_weights(self):
        weights = {name: 7.0 + index for index, (name, __) in enumerate(WEIGHT_PARTS.values())}
        self.district.write(weights)
        town = self.env["res.company"].create({"name": "PTW Town C", "parent_id": self.district.id})
        self.assertRecordValues(town, [weights])
        self.assertEqual(self.town_a.party_building_weight_programme, 20.0, "an existing town keeps its weights")
        alone = self.env["res.company"].create({"name": "PTW Lone Town"})
        self.assertEqual(building_weights(alone), {part: default for part, (__, default) in WEIGHT_PARTS.items()})
        with self.assertRaises(ValidationError), self.cr.savepoint():
            self.env["res.company"].create(
                {"name": "PTW Town D", "parent_id": self.district.id, "party_building_weight_units": float("nan")}
            )

    def test_a_towns_cadence_counts_its_own_meetings(self):
        """A meeting has no town of its own: the task force's 1+1+N activity of the main town is not met by a
        1+1+N group's training in another town."""
        rule = self.env.ref("party_branch_linkage.garbage_obligation_rule_one_one_n")
        main = rule.company_id
        b = self.towns["b"]
        group_b = self.env["party.linkage.group"].create(
            {
                "name": "PTW 1+1+N B",
                "kind": "one_one_n",
                "unit_ids": [(6, 0, b["unit"].ids)],
                "company_id": b["town"].id,
            }
        )
        month = date(self.year, 8, 1)
        self.env["calendar.event"].create(
            {
                "name": "PTW training B",
                "party_meeting_kind": "training",
                "party_linkage_group_id": group_b.id,
                "start": datetime(self.year, 8, 12, 2),
                "stop": datetime(self.year, 8, 12, 4),
                "partner_ids": [],
            }
        )
        Obligation = self.env["garbage.obligation"].with_company(main)
        self.assertEqual(Obligation._sync(month, rule).done, 0)
        group_main = self.env["party.linkage.group"].create({"name": "PTW 1+1+N main", "kind": "one_one_n"})
        self.assertEqual(group_main.company_id, main)
        self.env["calendar.event"].create(
            {
                "name": "PTW training main",
                "party_meeting_kind": "training",
                "party_linkage_group_id": group_main.id,
                "start": datetime(self.year, 8, 13, 2),
                "stop": datetime(self.year, 8, 13, 4),
                "partner_ids": [],
            }
        )
        self.assertEqual(Obligation._sync(month, rule).done, 1)


@tagged("post_install", "-at_install")
class TestPartyTownWeightsMigration(TransactionCase):
    def test_the_weight_parameters_become_every_towns_weights(self):
        path = Path(__file__).resolve().parents[1] / "migrations" / "18.0.1.4.0" / "post-town-weights.py"
        spec = importlib.util.spec_from_file_location("party_post_town_weights", path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        second = self.env["res.company"].create({"name": "PTW Migrated Town"})
        Param = self.env["ir.config_parameter"].sudo()
        Param.set_param("party_branch_linkage.building_weight_units", "45")
        Param.set_param("party_branch_linkage.building_weight_brand", "nan")  # edited by hand: the default stays
        Param.set_param("party_branch_linkage.building_weight_review", "0")
        module.migrate(self.env.cr, "18.0.1.3.0")
        for town in (self.env.ref("base.main_company"), second):
            town.invalidate_recordset()
            self.assertRecordValues(
                town,
                [
                    {
                        "party_building_weight_units": 45.0,
                        "party_building_weight_brand": 5.0,
                        "party_building_weight_review": 0.0,
                    }
                ],
            )
        self.assertFalse(Param.search([("key", "like", "party_branch_linkage.building_weight_")]))


@tagged("post_install", "-at_install")
class TestPartyTownsHttp(TownsMixin, WebClientMixin, HttpCase):
    """The boundary as the web client asks: RPC, the annual review's downloads and the Print menu."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_towns()

    def test_the_other_towns_organisations_stay_out_of_every_answer(self):
        for key, other_key in (("a", "b"), ("b", "a")):
            own, other = self.towns[key], self.towns[other_key]
            for user in own["users"].values():
                with self.subTest(user=user.login):
                    self.authenticate(user.login, user.login)
                    context = self.user_context()
                    found = self.jsonrpc(
                        "/web/dataset/call_kw/party.organization/web_search_read",
                        {
                            "model": "party.organization",
                            "method": "web_search_read",
                            "args": [],
                            "kwargs": {"domain": [], "specification": {"name": {}}, "context": context},
                        },
                    )
                    names = {record["name"] for record in found["records"]}
                    self.assertIn(f"PTW Branch {key}", names)
                    self.assertNotIn(f"PTW Branch {other_key}", names)
                    with self.assertRaisesRegex(Exception, "AccessError"):
                        self.jsonrpc(
                            "/web/dataset/call_kw/party.building.assessment/read",
                            {
                                "model": "party.building.assessment",
                                "method": "read",
                                "args": [other["assessment"].ids, ["score"]],
                                "kwargs": {"context": context},
                            },
                        )
                    url = f"/party_branch_linkage/annual_review/%s/{self.year}.xlsx"
                    if user == own["users"]["committee"]:
                        response = self.url_open(url % own["branch"].id)
                        self.assertEqual(response.status_code, 200)
                        cells = {
                            str(cell)
                            for sheet in self.workbook(response).worksheets
                            for row in sheet.values
                            for cell in row
                        }
                        self.assertIn(f"PTW Village {key}", cells)
                    self.assert_refused(self.url_open(url % other["branch"].id), f"PTW Village {other_key}")
                    action = self.print_menu(
                        "party.organization", other["branch"], "party_branch_linkage.party_annual_review_report"
                    )
                    self.assert_refused(self.execute(action), f"PTW Village {other_key}")
