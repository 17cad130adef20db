from . import party_annual_review, party_building_assessment_reopen
