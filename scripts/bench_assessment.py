"""Benchmark of the monthly assessment (run by scripts/bench.sh, which sets up Odoo and the database).

Town size: 2,000 units of one town and a year of done inspections (one a week per unit: 104,000, three
checks each), rectifications and volunteer duties, inserted in batch; May is computed and published by the
addon, then June is scored three ways:
  1. the addon: action_compute + action_publish (obligations, lines, escalations, annual records);
  2. the floor: hand-written SQL of the same compute + publish: one query that computes the same scores, ranks
     and lists and stores them, one that publishes them (the months, and the grey units' escalations with
     their to-do activities and followers);
  3. a straightforward per-unit ORM loop, as a typical custom module would write it.
District size (unless --no-district): a district office with 20 towns of 200 units (4,000), then another
with 20 towns of 2,000 (40,000), the same year of inspections and duties each (without the checks, which
the assessment does not read); June of one town, and of the 20 towns at once, by the addon and by the floor
(one statement for the 20 towns); then the daily cadence job over every town.
The methods produce the same scores, ranks and lists, the addon and the floor the same escalations (checked), and
the times and ratios are printed.
"""

import argparse
import json
import os
import sys
import time
from collections import defaultdict
from datetime import date

from dateutil.relativedelta import relativedelta
from freezegun import freeze_time

import odoo
from odoo import SUPERUSER_ID, api
from odoo.tools import SQL

UNITS = 2000  # town size
TOWNS = 20  # the district
SMALL_PER_TOWN, LARGE_PER_TOWN = 200, 2000  # x10 units: 4,000 then 40,000 over the district
RUNS = 5  # each method runs this many times; the best run counts (this machine is shared)
DISTRICT_RUNS = 3  # at 40,000 units
YEAR = 2025
MONTH = date(YEAR, 6, 1)
MONTH_END = date(YEAR, 6, 30)
# the escalations' to-do summaries, as the addon writes them for a town in English (the bench database's language)
SUMMARIES = {
    "1": "Visit the unit and guide its waste sorting",
    "2": "Interview the head of the unit",
    "3": "Send the annual report to the unit's superior authority",
}
TYPES = ["village", "community", "agency", "institution", "enterprise"]
PEER_GROUP = {
    "village": "village_community",
    "community": "village_community",
    "agency": "agency_institution",
    "institution": "agency_institution",
    "enterprise": "enterprise",
}


def generate(env, towns, per_town, prefix, checks=True):
    """`per_town` units in each town of `towns` (codes `prefix`0000...), a year of their done inspections,
    checks (when `checks`), rectifications and volunteer duties, all by set-based SQL."""
    cr = env.cr
    started = time.perf_counter()
    env.flush_all()
    cr.execute(
        SQL(
            """
            INSERT INTO garbage_unit (name, code, unit_type, peer_group, active, company_id,
                                      create_uid, write_uid, create_date, write_date)
            SELECT 'Bench unit ' || %(prefix)s || lpad(n::text, 4, '0'), %(prefix)s || lpad(n::text, 4, '0'),
                   (%(types)s::varchar[])[1 + mod(n, 5)], (%(groups)s::varchar[])[1 + mod(n, 5)], true, town,
                   %(uid)s, %(uid)s, now(), now()
              FROM unnest(%(towns)s::int[]) AS town CROSS JOIN generate_series(0, %(last)s) AS n
            RETURNING id
            """,
            prefix=prefix,
            types=TYPES,
            groups=[PEER_GROUP[unit_type] for unit_type in TYPES],
            uid=SUPERUSER_ID,
            towns=towns.ids,
            last=per_town - 1,
        )
    )
    unit_ids = [unit_id for (unit_id,) in cr.fetchall()]
    # One inspection a week per unit, the source rotating so that every month has the three of them;
    # scores spread deterministically between 55 and 100. Rows are stored in date order, as months of
    # recording leave them (the planner's choice of index depends on it).
    cr.execute(
        SQL(
            """
            INSERT INTO garbage_inspection (name, unit_id, company_id, unit_type, peer_group, source, state, date,
                                            score, create_uid, write_uid, create_date, write_date)
            SELECT 'BENCH/' || u.id || '/' || w, u.id, u.company_id, u.unit_type, u.peer_group,
                   (ARRAY['patrol', 'mutual', 'self'])[1 + mod(w + u.id, 3)], 'done',
                   %s::date + w * 7, 55 + mod(u.id * 7919 + w * 104729, 46), %s, %s, now(), now()
              FROM garbage_unit u CROSS JOIN generate_series(0, 51) AS w
             WHERE u.id = ANY(%s)
             ORDER BY w, u.id -- in the order of the year, as the towns record them
            """,
            date(YEAR, 1, 1),
            SUPERUSER_ID,
            SUPERUSER_ID,
            unit_ids,
        )
    )
    inspections = cr.rowcount
    lines = 0
    if checks:
        cr.execute(
            SQL(
                """
                INSERT INTO garbage_inspection_line (inspection_id, company_id, sequence, name, category, max_score,
                                                     score)
                SELECT i.id, i.company_id, s, 'Check ' || s, 'general', 10, i.score / 10
                  FROM garbage_inspection i CROSS JOIN generate_series(1, 3) AS s
                 WHERE i.unit_id = ANY(%s)
                """,
                unit_ids,
            )
        )
        lines = cr.rowcount
    # A rectification for one unit in seven, due mid-May and never verified: overdue in June.
    cr.execute(
        SQL(
            """
            INSERT INTO garbage_rectification (name, inspection_id, unit_id, company_id, state, deadline,
                                               create_date, write_date)
            SELECT 'Bench problem', MIN(i.id), i.unit_id, MIN(i.company_id), 'open', %s, now(), now()
              FROM garbage_inspection i
             WHERE i.unit_id = ANY(%s) AND mod(i.unit_id, 7) = 0
             GROUP BY i.unit_id
            """,
            date(YEAR, 5, 15),
            unit_ids,
        )
    )
    # The units do their monthly bin-side supervision and overdue-time correction (the default cadence
    # of the volunteers' duties): one bin site each, two done duties a month.
    cr.execute(
        SQL(
            """
            INSERT INTO garbage_bin_site (name, code, unit_id, company_id, active, create_date, write_date)
            SELECT 'Bench site', 'BENCH-' || u.id, u.id, u.company_id, true, now(), now()
              FROM garbage_unit u WHERE u.id = ANY(%s)
            RETURNING id
            """,
            unit_ids,
        )
    )
    site_ids = [site_id for (site_id,) in cr.fetchall()]
    cr.execute(
        SQL(
            """
            INSERT INTO garbage_volunteer_duty (duty_type, site_id, unit_id, company_id, date, time_start, time_end,
                                                state, create_date, write_date)
            SELECT t, s.id, s.unit_id, s.company_id, (%s::date + (m || ' months')::interval)::date + 10, 7, 9,
                   'done', now(), now()
              FROM garbage_bin_site s CROSS JOIN generate_series(0, 11) AS m
                   CROSS JOIN unnest(ARRAY['supervision', 'correction']) AS t
             WHERE s.id = ANY(%s)
             ORDER BY m, s.id -- in the order of the year
            """,
            date(YEAR, 1, 1),
            site_ids,
        )
    )
    cr.execute("ANALYZE")
    env.invalidate_all()
    return inspections, lines, time.perf_counter() - started


FLOOR_QUERY = """
WITH means AS (
    SELECT unit_id, source, AVG(score) AS mean,
           CASE source WHEN 'patrol' THEN %(w_patrol)s WHEN 'mutual' THEN %(w_mutual)s ELSE %(w_self)s END AS weight
      FROM garbage_inspection
     WHERE company_id = ANY(%(towns)s) AND state = 'done' AND date BETWEEN %(start)s AND %(end)s
     GROUP BY unit_id, source
), weighted AS (
    SELECT unit_id, SUM(mean * weight) / SUM(weight) AS base FROM means GROUP BY unit_id
), missed AS (
    SELECT unit_id, COUNT(*) AS n FROM garbage_obligation
     WHERE company_id = ANY(%(towns)s) AND state = 'missed' AND date_end BETWEEN %(start)s AND %(end)s
     GROUP BY unit_id
), overdue AS (
    SELECT unit_id, COUNT(*) AS n FROM garbage_rectification
     WHERE company_id = ANY(%(towns)s) AND deadline < %(end)s
       AND (date_verified IS NULL OR date_verified > %(end)s) GROUP BY unit_id
), scored AS (
    SELECT u.id AS unit_id, u.company_id, u.unit_type, u.peer_group, w.base,
           COALESCE(m.n, 0) AS missed, COALESCE(o.n, 0) AS overdue,
           ROUND(LEAST(GREATEST(
               w.base - %(p_missed)s * COALESCE(m.n, 0) - %(p_overdue)s * COALESCE(o.n, 0), 0), 100), 2) AS score
      FROM garbage_unit u
      JOIN weighted w ON w.unit_id = u.id
      LEFT JOIN missed m ON m.unit_id = u.id
      LEFT JOIN overdue o ON o.unit_id = u.id
     WHERE u.active AND u.company_id = ANY(%(towns)s)
), ranked AS (
    SELECT *, RANK() OVER (PARTITION BY company_id, peer_group ORDER BY score DESC) AS rank FROM scored
)
INSERT INTO garbage_assessment (period_id, company_id, unit_id, unit_type, peer_group, base_score, missed_count,
                                overdue_count, score, rank, result)
SELECT period.id, ranked.company_id, unit_id, unit_type, peer_group, base, missed, overdue, score, rank,
       CASE WHEN score >= 90 AND rank <= 3 THEN 'red' WHEN score < 70 THEN 'grey' ELSE 'normal' END
  FROM ranked JOIN unnest(%(towns)s::int[], %(periods)s::int[]) AS period(company_id, id)
       ON period.company_id = ranked.company_id
RETURNING unit_id, score, rank, result
"""


# Publishing by hand: the months published, and for each grey unit an escalation at its rung of the ladder (its
# grey listings in the year's published months, this one included: 1 visit, 2 interview, 3 report), with a to-do
# activity for its responsible (the town's task force head; its leader for an interview), who follows it.
FLOOR_PUBLISH = """
WITH published AS (
    UPDATE garbage_assessment_period
       SET state = 'published', date_published = now() at time zone 'UTC', published_by_id = %(uid)s,
           write_uid = %(uid)s, write_date = now() at time zone 'UTC'
     WHERE id = ANY(%(periods)s)
), grey AS (
    SELECT line.unit_id, period.id AS period_id, period.name AS period_name, period.year, period.date_start,
           period.company_id, 1 + COUNT(earlier_line.id) AS grey_count
      FROM garbage_assessment line
      JOIN garbage_assessment_period period ON period.id = line.period_id
      LEFT JOIN garbage_assessment_period earlier
        ON earlier.company_id = period.company_id AND earlier.year = period.year
       AND earlier.date_start < period.date_start AND earlier.state = 'published'
      LEFT JOIN garbage_assessment earlier_line
        ON earlier_line.period_id = earlier.id AND earlier_line.unit_id = line.unit_id AND earlier_line.result = 'grey'
     WHERE line.period_id = ANY(%(periods)s) AND line.result = 'grey'
     GROUP BY line.unit_id, period.id
), responsible AS (
    SELECT company.id AS company_id,
           COALESCE(company.garbage_taskforce_head_id, (
               SELECT MIN(member.uid) FROM res_groups_users_rel member
                 JOIN res_users u ON u.id = member.uid AND u.active AND NOT u.share
                 JOIN res_company_users_rel works ON works.user_id = u.id AND works.cid = company.id
                WHERE member.gid = %(manager_group)s)) AS head_id,
           COALESCE(company.garbage_town_leader_id, (
               SELECT MIN(member.uid) FROM res_groups_users_rel member
                 JOIN res_users u ON u.id = member.uid AND u.active AND NOT u.share
                 JOIN res_company_users_rel works ON works.user_id = u.id AND works.cid = company.id
                WHERE member.gid = %(leader_group)s)) AS leader_id
      FROM res_company company WHERE company.id = ANY(%(towns)s)
), escalation AS (
    INSERT INTO garbage_escalation (name, unit_id, company_id, period_id, year, date_start, level, grey_count,
                                    responsible_id, date_deadline, state, state_sequence,
                                    create_uid, write_uid, create_date, write_date)
    SELECT concat_ws(' · ', grey.period_name, unit.name, %(labels)s::jsonb ->> LEAST(grey.grey_count, 3)::text),
           grey.unit_id, grey.company_id, grey.period_id, grey.year, grey.date_start,
           LEAST(grey.grey_count, 3)::text, grey.grey_count,
           CASE WHEN grey.grey_count = 2 THEN responsible.leader_id ELSE responsible.head_id END,
           (now() AT TIME ZONE 'Asia/Shanghai')::date + 14, 'open', 1,
           %(uid)s, %(uid)s, now() at time zone 'UTC', now() at time zone 'UTC'
      FROM grey
      JOIN garbage_unit unit ON unit.id = grey.unit_id
      JOIN responsible ON responsible.company_id = grey.company_id
    RETURNING id, unit_id, name, level, grey_count, responsible_id, date_deadline
), assigned AS (
    SELECT escalation.*, u.partner_id, partner.tz
      FROM escalation
      JOIN res_users u ON u.id = escalation.responsible_id
      JOIN res_partner partner ON partner.id = u.partner_id
), activity AS (
    INSERT INTO mail_activity (res_model_id, res_model, res_id, res_name, activity_type_id, summary, user_id, user_tz,
                               date_deadline, automated, active, create_uid, write_uid, create_date, write_date)
    SELECT %(model_id)s, 'garbage.escalation', id, name, %(todo)s, %(summaries)s::jsonb ->> level, responsible_id, tz,
           date_deadline, true, true, %(uid)s, %(uid)s, now() at time zone 'UTC', now() at time zone 'UTC'
      FROM assigned
), follower AS (
    INSERT INTO mail_followers (res_model, res_id, partner_id)
    SELECT 'garbage.escalation', id, partner_id FROM assigned
    RETURNING id
), subscription AS (
    INSERT INTO mail_followers_mail_message_subtype_rel (mail_followers_id, mail_message_subtype_id)
    SELECT follower.id, subtype FROM follower CROSS JOIN unnest(%(subtypes)s::int[]) AS subtype
)
SELECT unit_id, level, grey_count, responsible_id FROM escalation
"""


def sql_floor(env, periods):
    """The hand-written query over the towns of `periods` (one period per town), in one statement."""
    params = {
        "w_patrol": 0.5,
        "w_mutual": 0.3,
        "w_self": 0.2,
        "p_missed": 5,
        "p_overdue": 2,
        "start": MONTH,
        "end": MONTH_END,
        "towns": periods.company_id.ids,
        "periods": [periods.filtered(lambda p, town=town: p.company_id == town).id for town in periods.company_id],
    }
    publish = {
        "uid": env.uid,
        "periods": params["periods"],
        "towns": params["towns"],
        "manager_group": env.ref("garbage_sorting.garbage_sorting_group_manager").id,
        "leader_group": env.ref("garbage_sorting.garbage_sorting_group_leader").id,
        "labels": json.dumps(env["garbage.escalation"]._level_labels(periods.company_id[:1])),
        "summaries": json.dumps(SUMMARIES),
        "model_id": env["ir.model"]._get_id("garbage.escalation"),
        "todo": env.ref("mail.mail_activity_data_todo").id,
        "subtypes": env["mail.message.subtype"].default_subtypes("garbage.escalation")[0].ids,
    }
    env.flush_all()
    started = time.perf_counter()
    env.cr.execute(FLOOR_QUERY, params)
    rows = env.cr.fetchall()
    lines_time = time.perf_counter() - started
    env.cr.execute(FLOOR_PUBLISH, publish)
    escalations = {unit: (level, count, responsible or False) for unit, level, count, responsible in env.cr.fetchall()}
    elapsed = time.perf_counter() - started
    results = {unit: (float(score), rank, result) for unit, score, rank, result in rows}
    return elapsed, lines_time, results, escalations


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


def create_periods(env, towns):
    return env["garbage.assessment.period"].create([{"date_start": MONTH, "company_id": town.id} for town in towns])


def floor_run(env, towns, runs):
    """Best of `runs` of the floor, each in a savepoint rolled back: (time, time of its scoring statement alone,
    results, escalations)."""
    times, lines_times = [], []
    for __ in range(runs):
        env.cr.execute("SAVEPOINT bench_floor")
        elapsed, lines_time, results, escalations = sql_floor(env, create_periods(env, towns))
        times.append(elapsed)
        lines_times.append(lines_time)
        env.cr.execute("ROLLBACK TO SAVEPOINT bench_floor")
        env.invalidate_all()
    return min(times), min(lines_times), results, escalations


def addon_run(env, towns, runs):
    """Compute + publish of the towns' month, `runs` times, each run from a new period rolled back afterwards:
    (best time, best compute time, results, escalations)."""
    addon_times, compute_times = [], []
    for __ in range(runs):
        env.cr.execute("SAVEPOINT bench_addon")
        periods = create_periods(env, towns)
        env.flush_all()
        started = time.perf_counter()
        periods.action_compute()
        env.flush_all()
        compute_times.append(time.perf_counter() - started)
        periods.action_publish()
        env.flush_all()
        addon_times.append(time.perf_counter() - started)
        assert all(period.state == "published" for period in periods)
        results = {line.unit_id.id: (line.score, line.rank, line.result) for line in periods.line_ids}
        escalations = {
            escalation.unit_id.id: (escalation.level, escalation.grey_count, escalation.responsible_id.id)
            for escalation in periods.escalation_ids
        }
        env.cr.execute("ROLLBACK TO SAVEPOINT bench_addon")
        env.invalidate_all()
    return min(addon_times), min(compute_times), results, escalations


def compare(label, env, towns, runs, target=2.0):
    """Floor and addon side by side on the towns' month; the results and the escalations must be the same."""
    floor_time, lines_time, floor_results, floor_escalations = floor_run(env, towns, runs)
    addon_time, compute_time, addon_results, addon_escalations = addon_run(env, towns, runs)
    assert addon_results == floor_results, f"{label}: the addon and the floor must give the same results"
    differences = {
        unit: (addon_escalations.get(unit), floor_escalations.get(unit))
        for unit in addon_escalations.keys() | floor_escalations.keys()
        if addon_escalations.get(unit) != floor_escalations.get(unit)
    }
    assert not differences, f"{label}: the addon and the floor must escalate alike: {sorted(differences.items())[:5]}"
    red = sum(1 for __, __, result in addon_results.values() if result == "red")
    grey = sum(1 for __, __, result in addon_results.values() if result == "grey")
    assert len(addon_escalations) == grey, "one escalation per grey unit"
    ratio = addon_time / floor_time
    print(f"{label}: {len(addon_results)} units, {red} red, {grey} grey (escalations)")
    print(f"  addon compute + publish : {addon_time:8.3f} s   (compute {compute_time:.3f} s; best of {runs})")
    print(f"  hand-written SQL floor  : {floor_time:8.3f} s   (scoring {lines_time:.3f} s; best of {runs})")
    verdict = "met" if ratio <= target else "NOT met"
    print(f"  addon / SQL floor       : {ratio:8.2f} x   (target <= {target:g}: {verdict})")
    print(f"  addon / scoring alone   : {addon_time / lines_time:8.2f} x")
    return {
        "addon": addon_time,
        "compute": compute_time,
        "floor": floor_time,
        "lines": lines_time,
        "ratio": ratio,
        "results": addon_results,
    }


def prepare_june(env, towns):
    """May computed and published by the addon in every town, so that June is a month of the year like most
    (the year's annual records exist: publishing writes those whose figures change, and a unit grey in May
    goes up the ladder); then the daily cadence job has closed June before the assessment runs (as in
    production)."""
    started = time.perf_counter()
    may = env["garbage.assessment.period"].create(
        [{"date_start": MONTH - relativedelta(months=1), "company_id": town.id} for town in towns]
    )
    may.action_compute()
    may.action_publish()
    env["garbage.obligation"]._recount(MONTH_END)
    env.flush_all()
    env.cr.execute("ANALYZE")
    env.cr.commit()
    print(f"  May computed and published by the addon, June's cadence closed: {time.perf_counter() - started:.1f} s")


def town_size(env):
    """One town of 2,000 units: addon, floor and the per-unit ORM loop."""
    town = env.company
    inspections, lines, generated = generate(env, town, UNITS, "B")
    env.cr.commit()
    print(f"Town: {UNITS} units, {inspections} done inspections and {lines} checks generated in {generated:.1f} s")
    prepare_june(env, town)
    env.cr.execute("SAVEPOINT bench_loop")
    loop_time, loop_results = orm_loop(env, create_periods(env, town))
    env.cr.execute("ROLLBACK TO SAVEPOINT bench_loop")
    env.invalidate_all()
    figures = compare(f"Town size, month {MONTH:%Y-%m}", env, town, RUNS)
    assert figures["results"] == loop_results, "the per-unit loop must give the same results"
    print(f"  per-unit ORM loop       : {loop_time:8.3f} s")
    print(f"  per-unit loop / addon   : {loop_time / figures['addon']:8.1f} x   (target >= 10)")
    # the town's own units stay: a district holds other towns' data besides its own
    return figures


def cadence_job(env):
    """The daily job over every town, on a day of June: the first run of the day closes May (its obligations
    are created), the second finds little to change (the steady state of the other days)."""
    times = []
    with freeze_time(f"{YEAR}-06-20 10:00:00"):
        for __ in range(2):
            env.invalidate_all()
            started = os.times().elapsed  # the wall clock freezegun leaves alone
            env["garbage.obligation"]._cron_refresh()
            env.flush_all()
            times.append(os.times().elapsed - started)
    return times


def district(env):
    """A district office with 20 towns of 200 units, and one with 20 towns of 2,000 (x10 units)."""
    figures = {}
    for per_town, prefix in ((SMALL_PER_TOWN, "S"), (LARGE_PER_TOWN, "L")):
        district_office = env["res.company"].create({"name": f"Bench District {prefix}"})
        towns = env["res.company"].create(
            [{"name": f"Bench Town {prefix}{index:02d}", "parent_id": district_office.id} for index in range(TOWNS)]
        )
        inspections, __, generated = generate(env, towns, per_town, prefix, checks=False)
        env.cr.commit()
        units = per_town * TOWNS
        print(
            f"\nDistrict: {TOWNS} towns, {units} units ({inspections} done inspections generated in {generated:.1f} s)"
        )
        prepare_june(env, towns)
        runs = RUNS if per_town == SMALL_PER_TOWN else DISTRICT_RUNS
        figures[units] = {
            "one": compare(f"One town's month ({per_town} units)", env, towns[:1], runs),
            "all": compare(f"All {TOWNS} towns' months ({units} units)", env, towns, runs),
        }
    small, large = sorted(figures)
    factor = large / small
    for key, label in (("one", "one town's month"), ("all", "all towns' months")):
        growth = figures[large][key]["addon"] / figures[small][key]["addon"]
        floor_growth = figures[large][key]["floor"] / figures[small][key]["floor"]
        print(
            f"Growth of {label}, x{factor:g} units: addon x{growth:.1f}, floor x{floor_growth:.1f} "
            f"(target <= x{factor:g}: {'met' if growth <= factor else 'NOT met'})"
        )
    first, steady = cadence_job(env)
    total = env["garbage.unit"].search_count([])
    towns = env["res.company"].search_count([])
    print(
        f"Daily cadence job over every town ({towns} companies, {total} active units): first run of the day "
        f"{first:.2f} s, second {steady:.2f} s (target < 10 s: {'met' if max(first, steady) < 10 else 'NOT met'})"
    )
    env.cr.rollback()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--database", required=True)
    parser.add_argument("--no-district", action="store_true", help="only the town-size benchmark")
    args, odoo_args = parser.parse_known_args()
    odoo.tools.config.parse_config(odoo_args)
    registry = odoo.modules.registry.Registry(args.database)
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        env["garbage.unit"].search([]).action_archive()  # only the bench units
        started = time.perf_counter()
        town_size(env)
        if not args.no_district:
            district(env)
        print(f"\nBenchmark done in {time.perf_counter() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
