from . import portal, reports
