from . import test_unit, test_volunteer_duty, test_volunteer_hours, test_volunteer_portal, test_volunteer_tour
