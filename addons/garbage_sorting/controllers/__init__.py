from . import export, home, notice, portal, reports
