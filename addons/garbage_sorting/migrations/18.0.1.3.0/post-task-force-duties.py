"""Issue 19 on an existing database (the cadence rules are noupdate data): organising the two-monthly mutual
learning and inspection round is the task force's own obligation, no longer each unit's.

- the rule, if still as shipped, counts the task force's confirmed rounds (subject "task_force");
- the units' obligations of the rule still pending (not yet counted, so not history) are deleted, with their
  reminders;
- the rounds confirmed before this version count as confirmed on their date (a unit is charged for a part
  of a confirmed round it skipped only when the round was confirmed within its two months);
- the units' met and missed obligations of the rule stay as the history of what was counted then; they no
  longer count in any assessment computed from now on (only unit rules charge units: see
  garbage.assessment._replace_lines), and a published month keeps the results it was published with.

A rule the task force changed since it was shipped is left as it is.
"""

from odoo import SUPERUSER_ID, api

SHIPPED_DOMAIN = "[('source', '=', 'mutual'), ('state', '=', 'done')]"


def migrate(cr, version):
    # A unit is charged for a part of a round it skipped only when the round was confirmed within its two
    # months: the rounds confirmed before this version count as confirmed on their date.
    cr.execute(
        "UPDATE garbage_mutual_round SET date_confirmed = date WHERE state = 'confirmed' AND date_confirmed IS NULL"
    )
    env = api.Environment(cr, SUPERUSER_ID, {})
    rule = env.ref("garbage_sorting.garbage_obligation_rule_mutual_inspection", raise_if_not_found=False)
    if not rule or rule.subject != "unit" or rule.model_id.model != "garbage.inspection":
        return
    if rule.domain != SHIPPED_DOMAIN or rule.unit_field != "unit_id" or rule.period != "bimonthly":
        return
    env["garbage.obligation"].search(
        [("rule_id", "=", rule.id), ("unit_id", "!=", False), ("state", "=", "pending")]
    ).unlink()
    rule.with_context(lang="en_US").write(
        {
            "name": "Mutual inspection round every two months",
            "model_id": env["ir.model"]._get_id("garbage.mutual.round"),
            "domain": "[('state', '=', 'confirmed')]",
            "date_field": "date",
            "subject": "task_force",
            "unit_field": False,
            "unit_domain": "[]",
            "reminder_target": "task_force",
            "description": "The task force organises a round of mutual learning and mutual inspection (互学互查) "
            "every two months: at least one confirmed round dated in the period.",
        }
    )
