"""Each town is a company with its own settings: the system parameters that held the one town's weights of the
party-building assessment become the weights of every company (the records themselves went to the main company
with their new `company_id`). A parameter edited by hand into something that is not a valid weight is left for
the field's default."""

import math

from odoo import SUPERUSER_ID, api

# {system parameter: res.company field}
SETTINGS = {
    f"party_branch_linkage.building_weight_{part}": f"party_building_weight_{part}"
    for part in ("units", "publicity", "meetings", "programme", "activities", "volunteers", "brand", "review")
}


def _weight(raw):
    try:
        number = float((raw or "").strip())
    except ValueError:
        return None
    return number if math.isfinite(number) and 0 <= number <= 100 else None


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    Param = env["ir.config_parameter"]
    companies = env["res.company"].with_context(active_test=False).search([])
    values = {}
    for parameter in Param.search([("key", "in", list(SETTINGS))]):
        if (weight := _weight(parameter.value)) is not None:
            values[SETTINGS[parameter.key]] = weight
    if values:
        try:
            with cr.savepoint():
                companies.write(values)
        except Exception:  # every weight 0: each company keeps the defaults
            pass
    Param.search([("key", "in", list(SETTINGS))]).unlink()
