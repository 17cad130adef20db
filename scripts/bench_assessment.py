"""Benchmark of the monthly assessment (run by scripts/bench.sh, which sets up Odoo and the database).

2,000 units and a year of done inspections (one a week per unit: 104,000, three checks each) are
inserted in batch; then one month is scored three ways:
  1. the addon: action_compute + action_publish (obligations, lines, escalations, annual records);
  2. the floor: one hand-written SQL query that computes the same scores, ranks and lists and stores them;
  3. a straightforward per-unit ORM loop, as a typical custom module would write it.
The three produce the same scores (checked), and the times and ratios are printed.
"""

import argparse
import sys
import time
from collections import defaultdict
from datetime import date

import odoo
from odoo import SUPERUSER_ID, api
from odoo.tools import SQL

UNITS = 2000
RUNS = 5  # each method runs this many times; the best run counts (this machine is shared)
YEAR = 2025
MONTH = date(YEAR, 6, 1)
MONTH_END = date(YEAR, 6, 30)
TYPES = ["village", "community", "agency", "institution", "enterprise"]
PEER_GROUP = {
    "village": "village_community",
    "community": "village_community",
    "agency": "agency_institution",
    "institution": "agency_institution",
    "enterprise": "enterprise",
}


def generate(env):
    """Units through the ORM, then inspections, checks and rectifications by set-based SQL."""
    cr = env.cr
    started = time.perf_counter()
    env["garbage.unit"].with_context(tracking_disable=True).create(
        [
            {"name": f"Bench unit {index:04d}", "code": f"B{index:04d}", "unit_type": TYPES[index % len(TYPES)]}
            for index in range(UNITS)
        ]
    )
    env.flush_all()
    # One inspection a week per unit, the source rotating so that every month has the three of them;
    # scores spread deterministically between 55 and 100.
    cr.execute(
        SQL(
            """
            INSERT INTO garbage_inspection (name, unit_id, unit_type, peer_group, source, state, date, score,
                                            create_uid, write_uid, create_date, write_date)
            SELECT 'BENCH/' || u.id || '/' || w, u.id, u.unit_type, u.peer_group,
                   (ARRAY['patrol', 'mutual', 'self'])[1 + mod(w + u.id, 3)], 'done',
                   %s::date + w * 7, 55 + mod(u.id * 7919 + w * 104729, 46), %s, %s, now(), now()
              FROM garbage_unit u CROSS JOIN generate_series(0, 51) AS w
             WHERE u.code LIKE %s
            """,
            date(YEAR, 1, 1),
            SUPERUSER_ID,
            SUPERUSER_ID,
            "B%",
        )
    )
    inspections = cr.rowcount
    cr.execute(
        SQL(
            """
            INSERT INTO garbage_inspection_line (inspection_id, sequence, name, category, max_score, score)
            SELECT i.id, s, 'Check ' || s, 'general', 10, i.score / 10
              FROM garbage_inspection i CROSS JOIN generate_series(1, 3) AS s
             WHERE i.name LIKE %s
            """,
            "BENCH/%",
        )
    )
    lines = cr.rowcount
    # A rectification for one unit in seven, due mid-May and never verified: overdue in June.
    cr.execute(
        SQL(
            """
            INSERT INTO garbage_rectification (name, inspection_id, unit_id, state, deadline, create_date, write_date)
            SELECT 'Bench problem', MIN(i.id), i.unit_id, 'open', %s, now(), now()
              FROM garbage_inspection i
             WHERE i.name LIKE %s AND mod(i.unit_id, 7) = 0
             GROUP BY i.unit_id
            """,
            date(YEAR, 5, 15),
            "BENCH/%",
        )
    )
    # The units do their monthly bin-side supervision and overdue-time correction (the default cadence
    # of the volunteers' duties): one bin site each, two done duties a month.
    cr.execute(
        SQL(
            """
            INSERT INTO garbage_bin_site (name, code, unit_id, active, create_date, write_date)
            SELECT 'Bench site', 'BENCH-' || u.id, u.id, true, now(), now() FROM garbage_unit u WHERE u.code LIKE %s
            """,
            "B%",
        )
    )
    cr.execute(
        SQL(
            """
            INSERT INTO garbage_volunteer_duty (duty_type, site_id, unit_id, date, time_start, time_end, state,
                                                create_date, write_date)
            SELECT t, s.id, s.unit_id, (%s::date + (m || ' months')::interval)::date + 10, 7, 9, 'done', now(), now()
              FROM garbage_bin_site s CROSS JOIN generate_series(0, 11) AS m
                   CROSS JOIN unnest(ARRAY['supervision', 'correction']) AS t
             WHERE s.code LIKE %s
            """,
            date(YEAR, 1, 1),
            "BENCH-%",
        )
    )
    cr.execute("ANALYZE")
    return inspections, lines, time.perf_counter() - started


FLOOR_QUERY = """
WITH means AS (
    SELECT unit_id, source, AVG(score) AS mean,
           CASE source WHEN 'patrol' THEN %(w_patrol)s WHEN 'mutual' THEN %(w_mutual)s ELSE %(w_self)s END AS weight
      FROM garbage_inspection
     WHERE state = 'done' AND date BETWEEN %(start)s AND %(end)s
     GROUP BY unit_id, source
), weighted AS (
    SELECT unit_id, SUM(mean * weight) / SUM(weight) AS base FROM means GROUP BY unit_id
), missed AS (
    SELECT unit_id, COUNT(*) AS n FROM garbage_obligation
     WHERE state = 'missed' AND date_end BETWEEN %(start)s AND %(end)s GROUP BY unit_id
), overdue AS (
    SELECT unit_id, COUNT(*) AS n FROM garbage_rectification
     WHERE deadline < %(end)s AND (date_verified IS NULL OR date_verified > %(end)s) GROUP BY unit_id
), scored AS (
    SELECT u.id AS unit_id, u.unit_type, u.peer_group, w.base,
           COALESCE(m.n, 0) AS missed, COALESCE(o.n, 0) AS overdue,
           ROUND(LEAST(GREATEST(
               w.base - %(p_missed)s * COALESCE(m.n, 0) - %(p_overdue)s * COALESCE(o.n, 0), 0), 100), 2) AS score
      FROM garbage_unit u
      JOIN weighted w ON w.unit_id = u.id
      LEFT JOIN missed m ON m.unit_id = u.id
      LEFT JOIN overdue o ON o.unit_id = u.id
     WHERE u.active
), ranked AS (
    SELECT *, RANK() OVER (PARTITION BY peer_group ORDER BY score DESC) AS rank FROM scored
)
INSERT INTO garbage_assessment (period_id, unit_id, unit_type, peer_group, base_score, missed_count, overdue_count,
                                score, rank, result)
SELECT %(period)s, unit_id, unit_type, peer_group, base, missed, overdue, score, rank,
       CASE WHEN score >= 90 AND rank <= 3 THEN 'red' WHEN score < 70 THEN 'grey' ELSE 'normal' END
  FROM ranked
RETURNING unit_id, score, rank, result
"""


def sql_floor(env, period):
    params = {
        "w_patrol": 0.5,
        "w_mutual": 0.3,
        "w_self": 0.2,
        "p_missed": 5,
        "p_overdue": 2,
        "start": MONTH,
        "end": MONTH_END,
        "period": period.id,
    }
    started = time.perf_counter()
    env.cr.execute(FLOOR_QUERY, params)
    rows = env.cr.fetchall()
    return time.perf_counter() - started, {unit: (float(score), rank, result) for unit, score, rank, result in rows}


def orm_loop(env, period):
    """What a typical module does: per unit, search its inspections, obligations and rectifications."""
    started = time.perf_counter()
    Inspection, Obligation = env["garbage.inspection"], env["garbage.obligation"]
    Rectification, Line = env["garbage.rectification"], env["garbage.assessment"]
    weights = {"patrol": 0.5, "mutual": 0.3, "self": 0.2}
    scores = {}
    for unit in env["garbage.unit"].search([]):
        inspections = Inspection.search(
            [("unit_id", "=", unit.id), ("state", "=", "done"), ("date", ">=", MONTH), ("date", "<=", MONTH_END)]
        )
        if not inspections:
            continue
        by_source = defaultdict(list)
        for inspection in inspections:
            by_source[inspection.source].append(inspection.score)
        total = sum(weights[source] for source in by_source)
        base = sum(sum(values) / len(values) * weights[source] for source, values in by_source.items()) / total
        missed = Obligation.search_count(
            [
                ("unit_id", "=", unit.id),
                ("state", "=", "missed"),
                ("date_end", ">=", MONTH),
                ("date_end", "<=", MONTH_END),
            ]
        )
        overdue = Rectification.search_count(
            [
                ("unit_id", "=", unit.id),
                ("deadline", "<", MONTH_END),
                "|",
                ("date_verified", "=", False),
                ("date_verified", ">", MONTH_END),
            ]
        )
        scores[unit] = round(min(max(base - 5 * missed - 2 * overdue, 0), 100), 2)
    results = {}
    for unit, score in scores.items():
        peers = [other for other in scores if other.peer_group == unit.peer_group]
        rank = 1 + sum(1 for other in peers if scores[other] > score)
        result = "red" if score >= 90 and rank <= 3 else "grey" if score < 70 else "normal"
        Line.create({"period_id": period.id, "unit_id": unit.id, "score": score, "rank": rank, "result": result})
        results[unit.id] = (score, rank, result)
    env.flush_all()
    return time.perf_counter() - started, results


def addon_run(Period, runs=RUNS):
    """Compute + publish, as many times as the floor: each run after a reopen gives the same results, once."""
    env = Period.env
    period = Period.create({"date_start": MONTH})
    env.flush_all()
    addon_times, compute_times = [], []
    for attempt in range(runs):
        if attempt:
            period.action_reopen()
            env.flush_all()
        started = time.perf_counter()
        period.action_compute()
        env.flush_all()
        compute_times.append(time.perf_counter() - started)
        period.action_publish()
        env.flush_all()
        addon_times.append(time.perf_counter() - started)
    open_escalations = period.escalation_ids.filtered(lambda escalation: escalation.state == "open")
    assert len(open_escalations) == len(period.escalation_ids) // runs, "reopen + publish: consequences once"
    return period, min(addon_times), min(compute_times)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--database", required=True)
    args, odoo_args = parser.parse_known_args()
    odoo.tools.config.parse_config(odoo_args)
    registry = odoo.modules.registry.Registry(args.database)
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        env["garbage.unit"].search([]).action_archive()  # only the bench units
        inspections, lines, generated = generate(env)
        print(f"Generated {UNITS} units, {inspections} done inspections and {lines} checks in {generated:.1f} s")
        # The daily cadence job has closed June before the assessment runs (as in production).
        env["garbage.obligation"]._sync(MONTH_END)
        env.flush_all()
        Period = env["garbage.assessment.period"]

        cr.execute("SAVEPOINT bench_loop")
        loop_time, loop_results = orm_loop(env, Period.create({"date_start": MONTH}))
        cr.execute("ROLLBACK TO SAVEPOINT bench_loop")
        env.invalidate_all()

        floor_times = []
        for __ in range(RUNS):
            cr.execute("SAVEPOINT bench_floor")
            elapsed, floor_results = sql_floor(env, Period.create({"date_start": MONTH}))
            floor_times.append(elapsed)
            cr.execute("ROLLBACK TO SAVEPOINT bench_floor")
            env.invalidate_all()
        floor_time = min(floor_times)

        period, addon_time, compute_time = addon_run(Period)
        addon_results = {line.unit_id.id: (line.score, line.rank, line.result) for line in period.line_ids}
        assert addon_results == floor_results == loop_results, "the three methods must give the same results"
        grey = sum(1 for __, __, result in addon_results.values() if result == "grey")
        red = sum(1 for __, __, result in addon_results.values() if result == "red")
        print(f"Month {MONTH:%Y-%m}: {len(addon_results)} units assessed, {red} red, {grey} grey (escalations)")
        print(f"  addon compute + publish : {addon_time:8.3f} s   (compute {compute_time:.3f} s; best of {RUNS})")
        print(f"  hand-written SQL floor  : {floor_time:8.3f} s   (best of {RUNS})")
        print(f"  per-unit ORM loop       : {loop_time:8.3f} s")
        print(f"  addon / SQL floor       : {addon_time / floor_time:8.1f} x   (target <= 3)")
        print(f"  addon compute / floor   : {compute_time / floor_time:8.1f} x   (scores only, as the floor)")
        print(f"  per-unit loop / addon   : {loop_time / addon_time:8.1f} x   (target >= 10)")
        cr.rollback()
    return 0


if __name__ == "__main__":
    sys.exit(main())
