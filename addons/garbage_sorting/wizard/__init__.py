from . import garbage_volunteer_hour_reject
