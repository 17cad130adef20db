from . import (
    test_access_table,
    test_party_access,
    test_party_cadence,
    test_party_integrity,
    test_party_landing,
    test_party_linkage,
    test_party_meeting,
    test_party_organization,
    test_party_review,
    test_party_review_http,
    test_party_views,
    test_translations,
)
