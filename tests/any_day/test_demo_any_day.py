"""The demo town tells its story whatever today is.

`make test` runs this file on a database of its own, with both addons installed without demo data. For each
frozen "today" below, a test class loads the whole demo of both addons, in manifest order, exactly as the
install does (`convert_file`, demo mode), inside its own transaction; then the same demo, cadence and
assessment checks as the installed demo town's run on it, and the transaction is rolled back.

The days: one in each of the twelve months, chosen so that together they hold 1 January, 29 February of a
leap year, 31 December, the last day of 30-day months, the last hour of a 31-day month, and times where UTC
and Asia/Shanghai (the town's time zone) are on different days.
"""

from datetime import datetime

import pytz
from freezegun import freeze_time

from odoo.addons.garbage_sorting.tests.test_assessment_integrity import DemoPublicationChecks
from odoo.addons.garbage_sorting.tests.test_cadence_rhythm import DemoRhythmChecks
from odoo.addons.garbage_sorting.tests.test_demo_towns import DemoTownsChecks
from odoo.addons.garbage_sorting.tests.test_work_reaches_people import DemoTownChecks
from odoo.addons.party_branch_linkage.tests.test_demo_consistency import DemoConsistencyChecks
from odoo.addons.party_branch_linkage.tests.test_demo_story import DemoStoryChecks
from odoo.addons.party_branch_linkage.tests.test_party_building_assessment import DemoAssessmentChecks
from odoo.modules.module import get_manifest
from odoo.tests import TransactionCase, tagged
from odoo.tools import convert_file

TOWN_TZ = pytz.timezone("Asia/Shanghai")
DEMO_MODULES = ("garbage_sorting", "party_branch_linkage")

# Town time (Asia/Shanghai), with why each day is there.
DAYS = {
    "2027_01_01_0030": "1 January, 00:30 in the town: still 31 December in UTC",
    "2028_02_29_1200": "29 February of a leap year",
    "2027_03_31_2330": "the last hour of a 31-day month: 31 March in the town, already past 15:00 in UTC",
    "2027_04_30_1000": "the last day of a 30-day month",
    "2027_05_01_0700": "1 May in the town, still 30 April in UTC",
    "2027_06_15_0900": "mid-year, a month with the year's story in its own year",
    "2027_07_01_0010": "1 July in the town, still 30 June in UTC",
    "2027_08_31_2000": "31 August in the evening: the two dates agree, the next day is a new month",
    "2027_09_30_2359": "the last minute of a 30-day month",
    "2027_10_08_1500": "a day after the first week of a quarter",
    "2026_11_30_0900": "the last day of November",
    "2026_12_31_2300": "31 December, 23:00 in the town (15:00 in UTC)",
}


class DemoDayCase(TransactionCase):
    """The demo of both addons loaded under a frozen clock (`town_time`, in the town's time zone)."""

    town_time = None

    @classmethod
    def setUpClass(cls):
        local = TOWN_TZ.localize(datetime.strptime(cls.town_time, "%Y_%m_%d_%H%M"))
        freezer = freeze_time(local.astimezone(pytz.utc).replace(tzinfo=None))
        freezer.start()
        cls.addClassCleanup(freezer.stop)
        super().setUpClass()
        assert not cls.env.ref(
            "garbage_sorting.garbage_unit_qingshan_demo", raise_if_not_found=False
        ), "tests/any_day runs on a database installed without demo data"
        for module in DEMO_MODULES:
            idref = {}
            for filename in get_manifest(module)["demo"]:
                convert_file(cls.env, module, filename, idref, mode="init", noupdate=True, kind="demo")
        cls.env.flush_all()
        cls.env.invalidate_all()


CHECKS = (
    DemoConsistencyChecks,
    DemoStoryChecks,
    DemoRhythmChecks,
    DemoPublicationChecks,
    DemoTownChecks,
    DemoAssessmentChecks,
    DemoTownsChecks,
)

for _day, _why in DAYS.items():
    _name = f"TestDemoOn_{_day}"
    globals()[_name] = tagged("post_install", "-at_install", "any_day")(
        type(_name, (*CHECKS, DemoDayCase), {"town_time": _day, "__doc__": f"The demo on {_day}: {_why}."})
    )
