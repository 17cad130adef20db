from odoo.tests import new_test_user


def setup_volunteers(cls):
    """Two units with a bin site each, a coordinator, and two volunteers with portal logins."""
    env = cls.env
    cls.unit = env["garbage.unit"].create({"name": "测试村", "code": "VT-1", "unit_type": "village"})
    cls.other_unit = env["garbage.unit"].create({"name": "测试社区", "code": "VT-2", "unit_type": "community"})
    cls.site = env["garbage.bin.site"].create(
        {"name": "测试投放点", "unit_id": cls.unit.id, "latitude": 30.25, "longitude": 120.15}
    )
    cls.coordinator = new_test_user(
        env, login="gs_vt_coordinator", groups="base.group_user,garbage_sorting.garbage_sorting_group_coordinator"
    )
    cls.portal_user = new_test_user(
        env, login="gs_vt_volunteer", password="gs_vt_volunteer", groups="base.group_portal"
    )
    cls.other_portal_user = new_test_user(
        env, login="gs_vt_volunteer2", password="gs_vt_volunteer2", groups="base.group_portal"
    )
    cls.volunteer = cls.portal_user.partner_id
    cls.other_volunteer = cls.other_portal_user.partner_id
    (cls.volunteer | cls.other_volunteer).write(
        {"is_volunteer": True, "volunteer_category": "teacher", "volunteer_unit_ids": [(6, 0, cls.unit.ids)]}
    )
    cls.Hour = env["garbage.volunteer.hour"]
