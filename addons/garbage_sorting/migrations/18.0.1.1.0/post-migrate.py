"""Mutual inspection rounds are prepared (draft) then confirmed: every existing round was created with its
inspections by the wizard, so it is confirmed."""


def migrate(cr, version):
    cr.execute("UPDATE garbage_mutual_round SET state = 'confirmed'")
