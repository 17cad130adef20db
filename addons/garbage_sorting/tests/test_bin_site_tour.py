from datetime import timedelta

from odoo.tests import HttpCase, tagged

from .common import setup_volunteers
from .test_bin_site_portal import duty_now_vals


@tagged("post_install", "-at_install")
class TestBinSiteTour(HttpCase):
    def test_scan_check_in_check_out_in_the_browser(self):
        setup_volunteers(self)
        self.portal_user.lang = "en_US"
        self.site.write({"latitude": 30.0, "longitude": 120.0})
        duty = self.env["garbage.volunteer.duty"].create(duty_now_vals(self.site, self.volunteer))
        url = f"/my/bin-site/{self.site.id}?token={self.site.access_token}"
        self.start_tour(url, "garbage_sorting_bin_site_check_in_tour", login="gs_vt_volunteer")
        attendance = duty.attendance_ids
        self.assertEqual((len(attendance), attendance.check_in_distance), (1, 100))
        # An hour on duty later (the server's clock is the browser's: move the check-in back instead)
        attendance.write({"check_in": attendance.check_in.replace(microsecond=0) - timedelta(hours=1)})
        self.start_tour(url, "garbage_sorting_bin_site_check_out_tour", login="gs_vt_volunteer")
        self.assertTrue(attendance.check_out)
        self.assertEqual((duty.state, duty.persuasion_count, duty.problem_wrong_sorting), ("done", 3, True))
        self.assertEqual(attendance.hour_id.state, "submitted")
