#!/usr/bin/env python3
"""Load test of the volunteer portal (issue 5), run by scripts/bench_portal.sh against a served Odoo.

N concurrent volunteers (logins bench1..benchN, password = login) each repeat, for a bounded number of
rounds and time: open their hours list, open the log form, log a 0.25 h entry. The same number of
requests on the portal home page /my, by the same users, is the baseline. Prints p50/p95/max latency
and errors of both, side by side; the target is a p95 no higher than that of /my (1.0x) and no errors.

Both phases first run unmeasured warm-up rounds: each worker process keeps its own caches per user (the
record rules and access rights of each model a page touches), so a volunteer's first requests on each worker
cost up to ten more queries; the hours pages touch more models than /my. The figures are the steady state
of long-lived workers, not these first requests (errors of the warm-up still count).
"""

import argparse
import json
import random
import re
import statistics
import threading
import time
from datetime import date, timedelta

import requests

CSRF_RE = re.compile(r'name="csrf_token" value="([^"]+)"')


def percentile(values, fraction):
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


class Volunteer:
    def __init__(self, url, login):
        self.url, self.login = url, login
        self.session = requests.Session()
        self.timings = {}
        self.errors = []

    def _timed(self, name, method, path, **kwargs):
        start = time.perf_counter()
        try:
            response = self.session.request(method, self.url + path, timeout=60, **kwargs)
            elapsed = time.perf_counter() - start
            if response.status_code >= 400 or (method == "POST" and response.status_code != 303):
                self.errors.append(f"{name}: HTTP {response.status_code}")
            self.timings.setdefault(name, []).append(elapsed)
            return response
        except requests.RequestException as error:
            self.errors.append(f"{name}: {error}")
            return None

    def log_in(self):
        page = self.session.get(self.url + "/web/login", timeout=60).text
        token = CSRF_RE.search(page).group(1)
        response = self.session.post(
            self.url + "/web/login",
            data={"login": self.login, "password": self.login, "csrf_token": token, "redirect": "/my"},
            timeout=60,
        )
        if "/web/login" in response.url:
            raise RuntimeError(f"{self.login} could not log in")

    def round_home(self):
        for _ in range(3):
            self._timed("/my", "GET", "/my")

    def round_hours(self):
        self._timed("hours list", "GET", "/my/volunteer-hours")
        form = self._timed("log form", "GET", "/my/volunteer-hours/new")
        match = form is not None and CSRF_RE.search(form.text)
        if not match:
            self.errors.append("log form: no CSRF token")
            return
        day = date.today() - timedelta(days=random.randint(1, 30))
        data = {
            "csrf_token": match.group(1),
            "date": day.isoformat(),
            "hours": "0.25",
            "activity_type": "supervision",
            "note": "压测",
            "submit": "submit",
        }
        self._timed("log entry (POST)", "POST", "/my/volunteer-hours/new", data=data, allow_redirects=False)


def run_phase(volunteers, method, rounds, deadline):
    def work(volunteer):
        end = time.monotonic() + deadline
        for _ in range(rounds):
            if time.monotonic() > end:
                break
            getattr(volunteer, method)()

    start = time.perf_counter()
    threads = [threading.Thread(target=work, args=(volunteer,)) for volunteer in volunteers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.perf_counter() - start


def summarise(volunteers, names, duration):
    rows = {}
    for name in names + ["all"]:
        values = [t for v in volunteers for key, ts in v.timings.items() if name in ("all", key) for t in ts]
        rows[name] = {
            "requests": len(values),
            "p50_ms": round(statistics.median(values) * 1000, 1) if values else None,
            "p95_ms": round(percentile(values, 0.95) * 1000, 1) if values else None,
            "max_ms": round(max(values) * 1000, 1) if values else None,
            "req_per_s": round(len(values) / duration, 1),
        }
    return rows


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--url", default="http://127.0.0.1:8769")
    parser.add_argument("--users", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=25, help="rounds per volunteer and phase (3 requests each)")
    parser.add_argument("--warmup", type=int, default=8, help="unmeasured rounds per volunteer and phase first")
    parser.add_argument("--deadline", type=float, default=180, help="seconds per phase at most")
    parser.add_argument("--json", help="write the figures to this file")
    args = parser.parse_args()

    home = [Volunteer(args.url, f"bench{i}") for i in range(1, args.users + 1)]
    hours = [Volunteer(args.url, f"bench{i}") for i in range(1, args.users + 1)]
    for volunteer in home + hours:
        volunteer.log_in()

    for volunteers, method in ((home, "round_home"), (hours, "round_hours")):
        run_phase(volunteers, method, args.warmup, args.deadline)
        for volunteer in volunteers:
            volunteer.timings.clear()

    results = {}
    duration = run_phase(home, "round_home", args.rounds, args.deadline)
    results["/my"] = summarise(home, ["/my"], duration)
    duration = run_phase(hours, "round_hours", args.rounds, args.deadline)
    results["hours"] = summarise(hours, ["hours list", "log form", "log entry (POST)"], duration)
    errors = [error for volunteer in home + hours for error in volunteer.errors]

    print(
        f"\n{args.users} concurrent volunteers, {args.rounds} rounds each (3 requests a round)"
        f" after {args.warmup} warm-up rounds\n"
    )
    print(f"{'request':<22}{'count':>8}{'p50 ms':>10}{'p95 ms':>10}{'max ms':>10}{'req/s':>8}")
    for phase, rows in results.items():
        for name, row in rows.items():
            label = f"{phase} · {name}" if name == "all" else name
            print(
                f"{label:<22}{row['requests']:>8}{row['p50_ms']:>10}{row['p95_ms']:>10}"
                f"{row['max_ms']:>10}{row['req_per_s']:>8}"
            )
    ratio = results["hours"]["all"]["p95_ms"] / results["/my"]["all"]["p95_ms"]
    home_errors = sum(len(volunteer.errors) for volunteer in home)
    print(f"\nerrors: {len(errors)} (/my {home_errors}, hours {len(errors) - home_errors})  {sorted(set(errors))[:5]}")
    print(
        f"p95 hours flow / p95 /my = {ratio:.2f} (target <= 1.0): {'met' if ratio <= 1.0 and not errors else 'NOT met'}"
    )
    if args.json:
        with open(args.json, "w") as handle:
            json.dump({"results": results, "errors": len(errors), "p95_ratio": round(ratio, 2)}, handle, indent=2)


if __name__ == "__main__":
    main()
