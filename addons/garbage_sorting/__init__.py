# The models first: the controllers import the report package, whose models extend them.
from . import models, report, wizard, controllers  # noqa: I001
