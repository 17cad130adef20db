from . import (
    calendar_event,
    garbage_obligation,
    garbage_unit,
    party_action_item,
    party_brand_project,
    party_grassroots_activity,
    party_linkage_group,
    party_member,
    party_organization,
    party_organization_review,
    party_work_programme,
)
