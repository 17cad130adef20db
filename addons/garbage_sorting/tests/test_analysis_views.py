"""The analyses (pivot and graph views): averages over the units assessed only, years that read 2026."""

from lxml import etree

from odoo.tests import tagged

from .common import AssessmentCase, month

ANALYSED_MODULES = ("garbage_sorting", "party_branch_linkage")


@tagged("post_install", "-at_install")
class TestAnalysisViews(AssessmentCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.full, cls.patrolled, cls.idle = cls._units(3, "village", prefix="AV")
        cls.period = cls.Period.create({"date_start": month(2024, 6)})
        cls._month_all_sources([(cls.full, 90)], cls.period.date_start)
        cls._inspect([(cls.patrolled, "patrol", month(2024, 6).replace(day=12), 60)])
        cls.period.action_compute()

    def test_pivot_average_counts_the_assessed_units_only(self):
        """The pivot's average score of a month with a unit not assessed (shown "—") is the mean of the
        assessed units: the unassessed unit's line has no score rather than 0 (nor rank 0, nor source means)."""
        lines = self.period.line_ids
        idle = lines.filtered(lambda line: line.unit_id == self.idle)
        self.assertEqual(idle.result, "none")
        assessed = lines - idle
        self.assertEqual(len(assessed), 2)
        [group] = self.env["garbage.assessment"].read_group(
            [("period_id", "=", self.period.id)],
            ["score:avg", "base_score:avg", "rank:min", "patrol_mean:avg", "mutual_mean:avg", "self_mean:avg"],
            ["date_start:month"],
        )
        self.assertAlmostEqual(group["score"], sum(assessed.mapped("score")) / 2, places=2)
        self.assertAlmostEqual(group["base_score"], (90 + 60) / 2, places=2)
        self.assertEqual(group["rank"], 1, "the best rank of the month, not the unassessed unit's 0")
        # Each source's mean over the units it inspected: the patrolled unit has no mutual nor self mean.
        self.assertAlmostEqual(group["patrol_mean"], (90 + 60) / 2, places=2)
        self.assertAlmostEqual(group["mutual_mean"], 90, places=2)
        self.assertAlmostEqual(group["self_mean"], 90, places=2)
        # The month with only the unassessed unit in it: no average at all (an empty cell, not 0).
        [alone] = self.env["garbage.assessment"].read_group([("id", "=", idle.id)], ["score:avg"], ["date_start:month"])
        self.assertFalse(alone["score"])
        # What the forms, lists, bulletin and exports read is unchanged: the ORM reads 0, the views show "—".
        self.assertEqual((idle.score, idle.rank, idle.base_score, idle.patrol_mean), (0, 0, 0, 0))

    def test_the_escalation_graph_reads_years_as_2026(self):
        (self.full | self.patrolled | self.idle).action_archive()  # only the grey unit in January
        grey = self._units(1, "village", prefix="AG")
        # A year before any month of the database (the demo's included): the months of a year are published in
        # order, so January of a year with later published months would be refused.
        year = self.Period.search([], order="date_start", limit=1).date_start.year - 1
        published = self._publish_month(month(year, 1), [(grey, 50)])
        escalation = published.escalation_ids
        self.assertEqual(len(escalation), 1)
        self.assertEqual(escalation.date_start, month(year, 1), "set by the publication's set-based insert")
        graph = self.env["garbage.escalation"].get_views([(False, "graph")])["views"]["graph"]["arch"]
        first = etree.fromstring(graph).xpath("//field")[0]
        self.assertEqual((first.get("name"), first.get("interval")), ("date_start", "year"))
        [group] = self.env["garbage.escalation"].read_group(
            [("id", "=", escalation.id)], ["__count"], ["date_start:year"]
        )
        self.assertEqual(group["date_start:year"], str(year), "a year, not a thousands-separated number")

    def test_no_analysis_groups_by_a_number(self):
        """Every pivot and graph of both addons groups by dates (with an interval), selections or records:
        a number (an Integer year) would read "2,026" on the axis and the headers."""
        views = self.env["ir.ui.view"].search([("type", "in", ("pivot", "graph"))])
        ours = views.filtered(lambda view: view.xml_id.split(".")[0] in ANALYSED_MODULES)
        self.assertGreaterEqual(len(ours), 6)
        wrong = []
        for view in ours:
            fields = self.env[view.model]._fields
            for node in etree.fromstring(view.arch).xpath("//field[not(@type='measure')]"):
                field = fields[node.get("name")]
                if field.type in ("integer", "float", "monetary") or (
                    field.type in ("date", "datetime") and not node.get("interval")
                ):
                    wrong.append((view.xml_id, field.name))
        self.assertFalse(wrong)
