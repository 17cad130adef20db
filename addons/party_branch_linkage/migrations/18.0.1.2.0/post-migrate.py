"""Issue 12 on an existing database (the cadence rules are noupdate data):

- "1+1+N" is one activity a month of any of its kinds: the three monthly rules (training, seminar,
  symposium) are archived (their obligations stay as history); the new rule comes with the data file;
- the monthly publicity is every party organisation's own obligation, counted on the organising
  organisation: the rule moves to the organisations, and the units' pending publicity obligations go;
- a unit's quarterly meetings are its own (organised by the unit);
- a party organisation's meetings no longer count for every unit it leads (calendar.event.garbage_unit_ids).

A rule the task force changed since it was shipped is left as it is.
"""

from odoo import SUPERUSER_ID, api

OLD_ONE_ONE_N = ("training", "seminar", "symposium")
QUARTERLY = ("work", "deliberation", "governance")


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})

    def rule(name):
        return env.ref(f"party_branch_linkage.garbage_obligation_rule_{name}", raise_if_not_found=False)

    for kind in OLD_ONE_ONE_N:
        if (old := rule(kind)) and old.active:
            old.active = False
    for kind in QUARTERLY:
        quarterly = rule(kind)
        if quarterly and quarterly.unit_field == "garbage_unit_ids" and quarterly.unit_domain == "[]":
            quarterly.unit_field = "party_organizer_unit_id"
    publicity = rule("publicity")
    if (
        publicity
        and publicity.subject == "unit"
        and publicity.unit_field == "garbage_unit_ids"
        and publicity.unit_domain == "[('party_organization_ids', '!=', False)]"
    ):
        # not yet counted, so not history: the units' pending publicity obligations
        env["garbage.obligation"].search(
            [("rule_id", "=", publicity.id), ("unit_id", "!=", False), ("state", "=", "pending")]
        ).sudo().unlink()
        publicity.write(
            {
                "subject": "party_organization",
                "unit_field": "party_organization_id",
                "unit_domain": "[]",
                "description": "Every party organisation, whether it leads units or not, runs at least one publicity "
                "and education activity (宣传教育活动) a month; its secretary is reminded.",
            }
        )
    events = env["calendar.event"].with_context(active_test=False).search([("party_organization_id", "!=", False)])
    if events:
        env.add_to_compute(events._fields["garbage_unit_ids"], events)
        events.flush_recordset(["garbage_unit_ids"])
