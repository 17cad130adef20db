{
    "name": "Party Branch Linkage",
    "summary": "Party organisations, brand projects, linkage groups and their meetings leading waste sorting",
    "version": "18.0.1.0.0",
    "category": "Services/Waste Sorting",
    "author": "XX Town Waste Sorting Task Force",
    "website": "https://example.org/garbage-sorting",
    "license": "LGPL-3",
    "depends": ["garbage_sorting", "hr", "calendar", "mail"],
    "data": [
        "security/party_branch_linkage_groups.xml",
        "security/ir.model.access.csv",
        "views/party_organization_views.xml",
        "views/party_branch_linkage_menus.xml",
    ],
    "demo": [
        "demo/party_organization_demo.xml",
    ],
    "installable": True,
}
