from . import party_annual_review
