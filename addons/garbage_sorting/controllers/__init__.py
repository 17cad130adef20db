from . import home, notice, portal, reports
