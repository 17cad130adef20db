from . import portal
from . import reports
