import importlib.util
from pathlib import Path

from odoo.tests import tagged

from .common import PartyCase

MIGRATION = Path(__file__).resolve().parents[1] / "migrations" / "18.0.1.2.0" / "post-migrate.py"


@tagged("post_install", "-at_install")
class TestCadenceMigration(PartyCase):
    """An existing database (noupdate rules as 18.0.1.1.0 shipped them) gets the rules of issue 12."""

    def _migrate(self):
        spec = importlib.util.spec_from_file_location("party_post_migrate_1_2", MIGRATION)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        module.migrate(self.env.cr, "18.0.1.1.0")
        self.env.invalidate_all()

    def test_old_rules_move_to_the_new_cadence(self):
        ref = self.env.ref
        Rule = self.env["garbage.obligation.rule"]
        calendar = self.env["ir.model"]._get_id("calendar.event")
        old = {}
        for kind in ("training", "seminar", "symposium"):
            old[kind] = Rule.create(
                {
                    "name": f"Monthly 1+1+N {kind}",
                    "model_id": calendar,
                    "domain": f"[('party_meeting_kind', '=', '{kind}'), ('party_state', '!=', 'cancelled')]",
                    "date_field": "start",
                    "unit_field": "garbage_unit_ids",
                }
            )
            self.env["ir.model.data"].create(
                {
                    "module": "party_branch_linkage",
                    "name": f"garbage_obligation_rule_{kind}",
                    "model": Rule._name,
                    "res_id": old[kind].id,
                    "noupdate": True,
                }
            )
        publicity, work = (
            ref("party_branch_linkage.garbage_obligation_rule_publicity"),
            ref("party_branch_linkage.garbage_obligation_rule_work"),
        )
        publicity.write(
            {
                "subject": "unit",
                "unit_field": "garbage_unit_ids",
                "unit_domain": "[('party_organization_ids', '!=', False)]",
            }
        )
        work.unit_field = "garbage_unit_ids"
        meeting = self._meeting("work", "2026-02-10 01:00:00", party_organization_id=self.village_branch.id)
        meeting.garbage_unit_ids = self.village  # as the old compute spread it
        self._migrate()
        self.assertFalse(any(rule.active for rule in old.values()), "the three old rules are archived")
        self.assertTrue(all(rule.exists() for rule in old.values()), "with their history")
        self.assertEqual(
            (publicity.subject, publicity.unit_field, publicity.unit_domain),
            ("party_organization", "party_organization_id", "[]"),
        )
        self.assertEqual(work.unit_field, "party_organizer_unit_id")
        self.assertFalse(meeting.garbage_unit_ids)
        self.assertTrue(ref("party_branch_linkage.garbage_obligation_rule_one_one_n").active)
        # Twice: nothing more changes.
        self._migrate()
        self.assertEqual(publicity.subject, "party_organization")


@tagged("post_install", "-at_install")
class TestProgrammeStateMigration(PartyCase):
    """An existing database's work programmes (18.0.1.4.0 had no state) keep what they counted as."""

    def test_programmes_keep_what_they_counted_as(self):
        spec = importlib.util.spec_from_file_location(
            "party_post_migrate_1_5",
            MIGRATION.parents[1] / "18.0.1.5.0" / "post-programme-state.py",
        )
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        Programme = self.env["party.work.programme"]
        adopted, written, empty = Programme.create(
            [
                {"organization_id": self.village_branch.id, "year": 2025, "content": "<p>Ours</p>"},
                {"organization_id": self.community_branch.id, "year": 2025, "content": "<p>Theirs</p>"},
                {"organization_id": self.action_branch.id, "year": 2025, "content": "<p>&nbsp;<br></p>"},
            ]
        )
        adopted.sudo().write({"date_adopted": "2025-03-01"})
        self.env.flush_all()
        for _run in range(2):  # twice: the same result
            module.migrate(self.env.cr, "18.0.1.4.0")
            self.env.invalidate_all()
            self.assertEqual(
                [adopted.state, written.state, empty.state, adopted.date_adopted.isoformat()],
                ["approved", "submitted", "draft", "2025-03-01"],
            )
