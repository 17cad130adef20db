from odoo.tests import TransactionCase, new_test_user


class PartyCase(TransactionCase):
    """Test units, organisations and users of their own, apart from the demo town."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        Unit = cls.env["garbage.unit"]
        cls.village = Unit.create({"name": "Test Village", "code": "PT-V1", "unit_type": "village"})
        cls.community = Unit.create({"name": "Test Community", "code": "PT-C1", "unit_type": "community"})
        cls.bureau = Unit.create({"name": "Test Bureau", "code": "PT-A1", "unit_type": "agency"})
        cls.units = cls.village | cls.community | cls.bureau
        cls.secretary = new_test_user(
            cls.env, login="pt_secretary", groups="party_branch_linkage.party_branch_linkage_group_secretary"
        )
        cls.other_secretary = new_test_user(
            cls.env, login="pt_secretary2", groups="party_branch_linkage.party_branch_linkage_group_secretary"
        )
        Organization = cls.env["party.organization"]
        cls.committee = Organization.create({"name": "Test Committee", "org_type": "committee"})
        cls.village_branch = Organization.create(
            {
                "name": "Village Branch",
                "parent_id": cls.committee.id,
                "secretary_id": cls.secretary.id,
                "unit_ids": [(6, 0, cls.village.ids)],
            }
        )
        cls.action_branch = Organization.create(
            {"name": "Village Action Branch", "org_type": "action_branch", "parent_id": cls.village_branch.id}
        )
        cls.community_branch = Organization.create(
            {
                "name": "Community Branch",
                "parent_id": cls.committee.id,
                "secretary_id": cls.other_secretary.id,
                "unit_ids": [(6, 0, cls.community.ids)],
            }
        )

    def _meeting(self, kind, start, **values):
        return self.env["calendar.event"].create(
            {
                "name": f"{kind} {start}",
                "party_meeting_kind": kind,
                "start": start,
                "stop": start,
                "partner_ids": [],
                **values,
            }
        )

    @classmethod
    def _in_service_members(cls, vals_list):
        """In-service members (an employee each, whose work contact is `partner_id` when given): only they go
        on the "six entries" grassroots activities."""
        Employee = cls.env["hr.employee"]
        members = cls.env["party.member"]
        for member_vals in vals_list:
            vals = dict(member_vals)
            partner = cls.env["res.partner"].browse(vals.pop("partner_id", False))
            employee = Employee.create(
                {
                    "name": vals.pop("name", partner.name or "Member"),
                    **({"work_contact_id": partner.id} if partner else {}),
                }
            )
            members |= members.create({"member_type": "in_service", "employee_id": employee.id, **vals})
        return members
