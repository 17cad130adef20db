"""The cadence rules (noupdate data) stop counting cancelled party meetings."""

from odoo import SUPERUSER_ID, api

KINDS = (
    "work",
    "deliberation",
    "governance",
    "publicity",
    "training",
    "seminar",
    "symposium",
    "chamber_training",
    "chamber_symposium",
    "chamber_seminar",
)


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    for kind in KINDS:
        rule = env.ref(f"party_branch_linkage.garbage_obligation_rule_{kind}", raise_if_not_found=False)
        if rule and rule.domain == f"[('party_meeting_kind', '=', '{kind}')]":
            rule.domain = f"[('party_meeting_kind', '=', '{kind}'), ('party_state', '!=', 'cancelled')]"
