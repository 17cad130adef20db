"""Issue 19 on an existing database (the cadence rules are noupdate data): the monthly "1+1+N" activity is the
task force's own obligation (专班与商会联动、专班与骨干企业、各责任单位互动), no longer each member unit's.

- the rule, if still as shipped, counts the activities of the 1+1+N groups for the task force;
- the member units' obligations of the rule still pending (not yet counted, so not history) are deleted, with
  their reminders; their met and missed ones stay as history and no longer count in any assessment computed
  from now on (only unit rules charge units), a published month keeping its results.

A rule the task force changed since it was shipped is left as it is.
"""

from odoo import SUPERUSER_ID, api

SHIPPED_DOMAIN = (
    "[('party_meeting_kind', 'in', ['training', 'seminar', 'symposium']), ('party_state', '!=', 'cancelled')]"
)
SHIPPED_UNITS = (
    "['|', ('party_linkage_group_ids.kind', '=', 'one_one_n'), ('party_led_linkage_group_ids.kind', '=', 'one_one_n')]"
)


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    rule = env.ref("party_branch_linkage.garbage_obligation_rule_one_one_n", raise_if_not_found=False)
    if not rule or rule.subject != "unit" or rule.domain != SHIPPED_DOMAIN or rule.unit_domain != SHIPPED_UNITS:
        return
    env["garbage.obligation"].search(
        [("rule_id", "=", rule.id), ("unit_id", "!=", False), ("state", "=", "pending")]
    ).unlink()
    rule.with_context(lang="en_US").write(
        {
            "domain": "[('party_meeting_kind', 'in', ['training', 'seminar', 'symposium']), "
            "('party_state', '!=', 'cancelled'), ('party_linkage_group_id.kind', '=', 'one_one_n')]",
            "subject": "task_force",
            "unit_field": False,
            "unit_domain": "[]",
            "reminder_target": "task_force",
            "description": 'The task force holds at least one "1+1+N" linkage activity a month with the chamber, '
            "the key enterprises and the responsible units: an industry party-member publicity training "
            "(行业党员宣传培训会), a problem seminar (问题研讨会) or an exchange symposium (交流座谈会) "
            "of a 1+1+N group.",
        }
    )
