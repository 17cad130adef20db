from . import (
    garbage_assessment_publish_wizard,
    garbage_inspection_refuse_wizard,
    garbage_mutual_round_wizard,
    garbage_rectification_deadline_wizard,
    garbage_rectification_reject_wizard,
    garbage_volunteer_hour_reject,
)
