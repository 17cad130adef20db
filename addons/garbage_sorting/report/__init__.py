from . import (
    garbage_assessment_bulletin,
    garbage_assessment_notice,
    garbage_district_bulletin,
    garbage_unit_annual_evaluation,
    garbage_volunteer_certificate,
    garbage_volunteer_hour_report,
    garbage_volunteer_leaderboard,
)
