"""The work programme has a state now: the town party committee approves it (its adoption date is written by the
approval). A programme that had its adoption date counted as approved and stays approved; one with some text
counted as submitted and stays submitted; an empty one is a draft, as it now counts (its document is new). Who
approved the existing ones is not known: their approver stays empty."""

from odoo.tools import SQL


def migrate(cr, version):
    cr.execute(
        SQL(
            """UPDATE party_work_programme
                  SET state = CASE
                      WHEN date_adopted IS NOT NULL THEN 'approved'
                      WHEN regexp_replace(COALESCE(content, ''), '<[^>]*>|&nbsp;|\\s', '', 'g') != '' THEN 'submitted'
                      ELSE 'draft'
                  END"""
        )
    )
