"""Each town is a company with its own settings: the system parameters that held the one town's weights of the
party-building assessment become the weights of every company. A parameter edited by hand into something that is
not a valid weight is left for the field's default.

The records themselves went to the main company with their new `company_id`; a record whose town follows another
record's (a related field) is given its parent's town here when the update computed it before its parent's (the
grades of the assessments, whose own town is new too)."""

import math

from odoo import SUPERUSER_ID, api
from odoo.tools import SQL

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


# (table, its parent link, the parent's table), parents first
RELATED_TOWNS = [
    ("party_building_assessment", "organization_id", "party_organization"),
    ("party_building_assessment_grade", "assessment_id", "party_building_assessment"),
    ("party_brand_highlight", "project_id", "party_brand_project"),
    ("party_grassroots_activity", "organization_id", "party_organization"),
    ("party_work_programme", "organization_id", "party_organization"),
]


def migrate(cr, version):
    for table, link, parent in RELATED_TOWNS:
        cr.execute(
            SQL(
                "UPDATE %(table)s child SET company_id = parent.company_id FROM %(parent)s parent"
                " WHERE parent.id = child.%(link)s AND child.company_id IS NULL",
                table=SQL.identifier(table),
                parent=SQL.identifier(parent),
                link=SQL.identifier(link),
            )
        )
    env = api.Environment(cr, SUPERUSER_ID, {})
    env.invalidate_all()
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
