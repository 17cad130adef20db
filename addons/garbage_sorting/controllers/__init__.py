from . import home, portal, reports
