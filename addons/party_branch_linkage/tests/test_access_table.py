"""The README's "Who may change what" tables are the access rules, not a description of them.

The tables are generated here from what the server enforces (ir.model.access per role, and each guarded
model's `_guarded_fields()`); the test fails when the README says anything else, and prints the tables
to paste.
"""

import re
from pathlib import Path

from odoo.tests import TransactionCase, new_test_user, tagged

README = Path(__file__).resolve().parents[3] / "README.md"
GS = "garbage_sorting.garbage_sorting_group_"
PB = "party_branch_linkage.party_branch_linkage_group_"

# (README heading, demo login, groups of a user in that role)
ROLES = [
    ("Task force", "taskforce", GS + "manager"),
    ("Town leader", "leader", GS + "leader"),
    ("Inspector", "inspector", GS + "inspector"),
    ("Unit liaison", "liaison", GS + "liaison"),
    ("Volunteer coordinator", "coordinator", GS + "coordinator"),
    ("Town party committee", "committee", PB + "committee"),
    ("Party secretary", "secretary", PB + "secretary"),
    ("Party member", "member", PB + "member"),
    ("Volunteer (portal)", "volunteer", "base.group_portal"),
    ("District office", "district", GS + "district"),
]
MODELS = [
    "garbage.unit",
    "garbage.unit.partner",
    "garbage.bin.site",
    "garbage.work.plan",
    "garbage.inspection",
    "garbage.rectification",
    "garbage.obligation.rule",
    "garbage.obligation",
    "garbage.assessment.period",
    "garbage.assessment",
    "garbage.escalation",
    "garbage.unit.annual",
    "garbage.volunteer.duty",
    "garbage.volunteer.hour",
    "garbage.volunteer.certificate",
    "party.organization",
    "party.member",
    "party.brand.project",
    "party.linkage.group",
    "party.grassroots.activity",
    "party.work.programme",
    "party.annual.review",
    "party.building.assessment",
    "party.building.assessment.grade",
]
OPERATIONS = (("create", "create"), ("write", "edit"), ("unlink", "delete"))
GROUP_NAMES = {
    GS + "manager": "task force",
    PB + "committee": "town party committee",
    PB + "secretary": "party secretary",
}


def access_tables(env):
    """One Markdown table per role: what it may create, edit and delete, what stays out of its hands, what it
    only reads."""
    tables = []
    for heading, login, groups in ROLES:
        user = new_test_user(env, login=f"access_table_{login}", groups=groups)
        rows = ["| records | may | never directly |", "|---|---|---|"]
        read_only = []
        for model in MODELS:
            Model = env[model].with_user(user)
            if not Model.has_access("read"):
                continue
            may = [label for operation, label in OPERATIONS if Model.has_access(operation)]
            if may:
                rows.append(f"| {env[model]._description} (`{model}`) | {', '.join(may)} | {_guarded_summary(Model)} |")
            else:
                read_only.append(env[model]._description)
        table = "\n".join(rows) if len(rows) > 2 else "Changes nothing directly."
        reads = f"\n\nReads only: {', '.join(read_only)}." if read_only else ""
        tables.append(f"#### {heading}\n\n{table}{reads}")
    return "\n\n".join(tables)


def _guarded_summary(Model):
    """The guarded fields this user may not set, and who sets them instead."""
    if "guard_readonly_fields" not in Model._fields:
        return ""
    guarded = {name: groups for name, groups in Model._guarded_fields().items() if name in Model._fields}
    by_owner = {}
    for name in Model._guard_refused_fields(list(guarded)):
        owner = " or ".join(GROUP_NAMES.get(group, group) for group in guarded[name]) or "buttons and engine only"
        by_owner.setdefault(owner, set()).add(Model._fields[name].string)
    return "; ".join(f"{', '.join(sorted(labels))} ({owner})" for owner, labels in sorted(by_owner.items()))


@tagged("post_install", "-at_install")
class TestAccessTable(TransactionCase):
    def test_readme_tables_are_the_access_rules(self):
        expected = access_tables(self.env)
        text = README.read_text(encoding="utf-8")
        match = re.search(r"<!-- access-tables -->\n(.*?)<!-- /access-tables -->", text, re.S)
        self.assertTrue(match, "README.md has no <!-- access-tables --> section")
        self.assertEqual(
            match.group(1).strip(), expected, f"README's access tables differ; paste these:\n\n{expected}\n"
        )
