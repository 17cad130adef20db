"""The party-building score's own parts are certified by the town party committee, never by the secretary scored:
the work programme is submitted with its content by its secretary and approved by the committee (which writes its
adoption date), and a brand highlight is made a typical case by the committee or the task force."""

from odoo.addons.garbage_sorting.models.garbage_guard_mixin import town_today
from odoo.addons.garbage_sorting.tests.web_client import WebClientMixin
from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tests.common import JsonRpcException
from odoo.tools import mute_logger

from .common import PartyCase

PB = "party_branch_linkage.party_branch_linkage_group_"
GS = "garbage_sorting.garbage_sorting_group_"
YEAR = 2026


@tagged("post_install", "-at_install")
class TestProgrammeApproval(PartyCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.committee_user = new_test_user(cls.env, login="ppa_committee", groups=PB + "committee")
        cls.taskforce = new_test_user(cls.env, login="ppa_taskforce", groups=GS + "manager")
        # like the demo leader: in the committee and secretary of the top organisation
        cls.top_secretary = new_test_user(cls.env, login="ppa_top", groups=f"{PB}committee,{GS}leader")
        cls.committee.secretary_id = cls.top_secretary
        cls.Programme = cls.env["party.work.programme"]

    def _figures(self, organization):
        figures = self.env["party.building.assessment"]._count_facts(organization, YEAR)[organization.id]
        return figures["programme_submitted"], figures["programme_adopted"]

    def test_the_secretary_submits_and_the_committee_approves(self):
        Programme = self.Programme.with_user(self.secretary)
        # the adoption date, the approver and the state are never the secretary's
        for values in ({"date_adopted": "2026-02-01"}, {"approved_by_id": self.secretary.id}, {"state": "approved"}):
            with self.subTest(values=values), self.assertRaises(AccessError):
                Programme.create({"organization_id": self.village_branch.id, "year": YEAR, **values})
        self.assertFalse(self.Programme.search([("organization_id", "=", self.village_branch.id)]))
        programme = Programme.create({"organization_id": self.village_branch.id, "year": YEAR})
        self.assertEqual(self._figures(self.village_branch), (False, False), "a draft is not submitted")
        with self.assertRaisesRegex(UserError, "empty"):
            programme.action_submit()
        programme.write({"content": "<p><br></p>"})
        with self.assertRaisesRegex(UserError, "empty"):
            programme.action_submit()
        programme.write({"content": "<p>Every household sorts</p>"})
        for values in ({"date_adopted": "2026-02-01"}, {"approved_by_id": self.secretary.id}, {"state": "approved"}):
            with self.subTest(values=values), self.assertRaises(AccessError):
                programme.write(values)
        programme.action_submit()
        self.assertEqual(programme.state, "submitted")
        self.assertEqual(self._figures(self.village_branch), (True, False))
        # submitted: its text is locked, and she does not approve it
        with self.assertRaises(UserError):
            programme.write({"content": "<p>Changed after submitting</p>"})
        for user in (self.secretary, self.other_secretary):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                programme.with_user(user).action_approve()
        self.assertRecordValues(programme, [{"state": "submitted", "date_adopted": False, "approved_by_id": False}])
        programme.with_user(self.committee_user).action_approve()
        self.assertRecordValues(
            programme,
            [{"state": "approved", "date_adopted": town_today(self.env), "approved_by_id": self.committee_user.id}],
        )
        self.assertEqual(self._figures(self.village_branch), (True, True))
        # only the committee withdraws the approval
        with self.assertRaises(AccessError):
            programme.action_draft()
        self.assertEqual(programme.state, "approved")
        programme.with_user(self.taskforce).action_draft()
        self.assertRecordValues(programme, [{"state": "draft", "date_adopted": False, "approved_by_id": False}])
        # a submitted one she withdraws herself
        programme.action_submit()
        programme.action_draft()
        self.assertEqual(programme.state, "draft")

    def test_a_document_alone_may_be_submitted(self):
        programme = self.Programme.with_user(self.secretary).create(
            {"organization_id": self.village_branch.id, "year": YEAR, "document": "UERGIGRvY3VtZW50"}
        )
        programme.action_submit()
        self.assertEqual(programme.state, "submitted")

    def test_nobody_approves_the_programme_of_their_own_organisation(self):
        own = self.Programme.create({"organization_id": self.committee.id, "year": YEAR, "content": "<p>Town</p>"})
        own.action_submit()
        with self.assertRaisesRegex(AccessError, "secretary of Test Committee"):
            own.with_user(self.top_secretary).action_approve()
        self.assertEqual(own.state, "submitted")
        own.with_user(self.committee_user).action_approve()
        self.assertEqual(own.approved_by_id, self.committee_user)
        # the top secretary approves the branches' programmes, not writes them
        branch = self.Programme.create({"organization_id": self.village_branch.id, "year": YEAR, "content": "<p>B</p>"})
        branch.action_submit()
        branch.with_user(self.top_secretary).action_approve()
        self.assertEqual(branch.approved_by_id, self.top_secretary)

    def test_the_approval_is_tracked(self):
        programme = self.Programme.create(
            {"organization_id": self.village_branch.id, "year": YEAR, "content": "<p>P</p>"}
        )
        programme.action_submit()
        # the record of the test is "just created" until its transaction's tracking is done
        self.env.flush_all()
        self.env.cr.precommit.run()
        programme = programme.with_env(self.env(context={}))
        programme.with_user(self.committee_user).action_approve()
        programme.env.flush_all()
        programme.env.cr.precommit.run()
        tracked = programme.message_ids.tracking_value_ids.mapped("field_id.name")
        self.assertIn("date_adopted", tracked)
        self.assertIn("approved_by_id", tracked)

    def test_only_the_committee_or_the_task_force_chooses_typical_cases(self):
        project = self.env["party.brand.project"].create(
            {"name": "PPA Brand", "organization_ids": self.village_branch.ids, "date_start": "2026-01-01"}
        )
        project.action_start()
        Highlight = self.env["party.brand.highlight"].with_user(self.secretary)
        with self.assertRaises(AccessError):
            Highlight.create({"name": "Mine is typical", "project_id": project.id, "is_typical_case": True})
        self.assertFalse(project.highlight_ids)
        highlight = Highlight.create({"name": "Door sorting", "project_id": project.id, "date": "2026-03-01"})
        with self.assertRaises(AccessError):
            highlight.write({"is_typical_case": True})
        with self.assertRaises(AccessError):
            highlight.action_mark_typical()
        self.assertFalse(highlight.is_typical_case)
        # the flag is read-only in her form
        self.assertTrue(highlight._fields["is_typical_case"].readonly)
        highlight.with_user(self.committee_user).action_mark_typical()
        self.assertTrue(highlight.is_typical_case)
        with self.assertRaises(AccessError):
            highlight.write({"is_typical_case": False})
        highlight.with_user(self.taskforce).action_unmark_typical()
        self.assertFalse(highlight.is_typical_case)
        # a committee member who is the secretary of one of the project's organisations does not choose
        top = self.env["party.brand.project"].create(
            {"name": "PPA Town Brand", "organization_ids": self.committee.ids, "date_start": "2026-01-01"}
        )
        town_highlight = self.env["party.brand.highlight"].create({"name": "Town day", "project_id": top.id})
        with self.assertRaises(AccessError):
            town_highlight.with_user(self.top_secretary).action_mark_typical()
        self.assertFalse(town_highlight.is_typical_case)

    def test_each_role_refused_nothing_stored(self):
        """The adoption date, the approver and the state are nobody's to write, not even the committee's, the
        task force's or the admin's: only Approve writes them. Approve itself is the committee's (the task force
        and the admin sit in it), never a secretary's, an evaluator outside the committee's or a member's."""
        admin = self.env.ref("base.user_admin")
        member = new_test_user(self.env, login="ppa_member", groups=PB + "member")
        programme = self.Programme.create(
            {"organization_id": self.village_branch.id, "year": YEAR, "content": "<p>Ours</p>"}
        )
        programme.action_submit()
        everyone = (self.secretary, self.other_secretary, self.committee_user, self.taskforce, admin)
        for user in everyone:
            for values in ({"date_adopted": "2026-02-01"}, {"approved_by_id": user.id}, {"state": "approved"}):
                with self.subTest(user=user.login, values=values), self.assertRaises(AccessError):
                    programme.with_user(user).write(values)
                with self.subTest(user=user.login, create=values), self.assertRaises(AccessError):
                    self.Programme.with_user(user).create(
                        {"organization_id": self.community_branch.id, "year": YEAR, **values}
                    )
        for user in (self.secretary, self.other_secretary, member):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                programme.with_user(user).action_approve()
        self.assertRecordValues(programme, [{"state": "submitted", "date_adopted": False, "approved_by_id": False}])
        self.assertFalse(self.Programme.search([("organization_id", "=", self.community_branch.id)]))
        for user in (self.committee_user, self.taskforce, admin):
            with self.subTest(user=user.login):
                programme.with_user(user).action_approve()
                self.assertRecordValues(programme, [{"state": "approved", "approved_by_id": user.id}])
                programme.with_user(user).action_draft()
                programme.action_submit()
        # the refusal of an empty programme is in the user's language
        self.env.ref("base.lang_zh_CN").active = True
        empty = self.Programme.create({"organization_id": self.community_branch.id, "year": YEAR})
        with self.assertRaisesRegex(UserError, "为空"):
            empty.with_user(self.other_secretary).with_context(lang="zh_CN").action_submit()
        self.assertEqual(empty.state, "draft")

    def test_typical_case_refused_per_role(self):
        admin = self.env.ref("base.user_admin")
        member = new_test_user(self.env, login="ppa_member2", groups=PB + "member")
        project = self.env["party.brand.project"].create(
            {"name": "PPA Roles Brand", "organization_ids": self.village_branch.ids, "date_start": "2026-01-01"}
        )
        highlight = self.env["party.brand.highlight"].create({"name": "Roles day", "project_id": project.id})
        for user in (self.secretary, self.other_secretary, member):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                highlight.with_user(user).action_mark_typical()
            with self.subTest(user=user.login, write=True), self.assertRaises(AccessError):
                highlight.with_user(user).write({"is_typical_case": True})
        self.assertFalse(highlight.is_typical_case)
        for user in (self.committee_user, self.taskforce, admin):
            with self.subTest(user=user.login):
                highlight.with_user(user).action_mark_typical()
                self.assertTrue(highlight.is_typical_case)
                highlight.with_user(user).action_unmark_typical()
                self.assertFalse(highlight.is_typical_case)


@tagged("post_install", "-at_install")
class TestProgrammeApprovalRpc(WebClientMixin, HttpCase):
    """The same refusals over JSON-RPC, as any client could send them."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.secretary = new_test_user(cls.env, login="ppa_rpc_secretary", groups=PB + "secretary")
        cls.branch = cls.env["party.organization"].create({"name": "PPA RPC Branch", "secretary_id": cls.secretary.id})
        cls.programme = cls.env["party.work.programme"].create(
            {"organization_id": cls.branch.id, "year": YEAR, "content": "<p>Ours</p>", "state": "submitted"}
        )
        cls.project = cls.env["party.brand.project"].create(
            {"name": "PPA RPC Brand", "organization_ids": cls.branch.ids, "state": "running"}
        )
        cls.highlight = cls.env["party.brand.highlight"].create({"name": "PPA RPC Day", "project_id": cls.project.id})

    def _call(self, model, method, args, kwargs=None):
        return self.jsonrpc(
            f"/web/dataset/call_kw/{model}/{method}",
            {
                "model": model,
                "method": method,
                "args": args,
                "kwargs": {"context": self.user_context(), **(kwargs or {})},
            },
        )

    def test_the_secretary_certifies_nothing_over_rpc(self):
        self.authenticate("ppa_rpc_secretary", "ppa_rpc_secretary")
        refusals = [
            ("party.work.programme", "write", [self.programme.ids, {"date_adopted": "2026-02-01"}]),
            ("party.work.programme", "write", [self.programme.ids, {"state": "approved"}]),
            ("party.work.programme", "action_approve", [self.programme.ids]),
            ("party.brand.highlight", "write", [self.highlight.ids, {"is_typical_case": True}]),
            ("party.brand.highlight", "action_mark_typical", [self.highlight.ids]),
            (
                "party.brand.highlight",
                "create",
                [{"name": "PPA RPC typical", "project_id": self.project.id, "is_typical_case": True}],
            ),
        ]
        for model, method, args in refusals:
            with (
                self.subTest(model=model, method=method),
                mute_logger("odoo.http"),
                self.assertRaisesRegex(JsonRpcException, "AccessError"),
            ):
                self._call(model, method, args)
        with mute_logger("odoo.http"), self.assertRaisesRegex(JsonRpcException, "AccessError"):
            self.jsonrpc(
                "/web/dataset/call_button/party.work.programme/action_approve",
                {
                    "model": "party.work.programme",
                    "method": "action_approve",
                    "args": [self.programme.ids],
                    "kwargs": {"context": self.user_context()},
                },
            )
        self.assertRecordValues(self.programme, [{"state": "submitted", "date_adopted": False}])
        self.assertFalse(self.highlight.is_typical_case)
        self.assertFalse(self.env["party.brand.highlight"].search([("name", "=", "PPA RPC typical")]))
