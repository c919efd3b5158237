"""How long the team dashboard takes to open at 100,000 documents, on SQLite and PostgreSQL (target < 1 s).

Run on demand (not part of the test suite):

    python bench/bench_dashboard.py [--docs 100000] [--analysts 10] [--dialect sqlite|postgresql|both]

It fills a fresh database with ``bench/team_corpus.py`` (every document assigned, 20 % to two analysts,
80 % of the layers done, spans timed over a year of workdays), then times, in the same run and on the
same warm connection: the **baseline** ``SELECT COUNT(*) FROM spans`` (the least any figure over all
spans costs), then ``store.dashboard.dashboard`` (what the window's worker runs) and its parts. Each is
the median of five runs; the PostgreSQL server is the test fixture's throw-away one (``tests/pg_server.py``).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

TARGET_S = 1.0
ANALYSTS = ("amira", "bo", "chen", "dara", "eli", "femi", "gus", "hana", "ivo", "jun")


CPU: dict[int, float] = {}
"""The median CPU time of this process for the last ``median_time`` call (keyed by id of the function)."""


def median_time(fn: Callable[[], object], runs: int = 5) -> float:
    """Median wall time of ``fn``; its median CPU time in this process goes to ``CPU[id(fn)]``."""
    times, cpu = [], []
    for _ in range(runs):
        c, t = time.process_time(), time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
        cpu.append(time.process_time() - c)
    CPU[id(fn)] = statistics.median(cpu)
    return statistics.median(times)


def measure(url: str, docs: int, analysts: int, label: str) -> bool:
    from sqlalchemy import text
    from team_corpus import make_team_corpus

    from annotator.store import dashboard as dash
    from annotator.store.database import open_store

    store = open_store(url)
    try:
        t = time.perf_counter()
        counts = make_team_corpus(store, docs, ANALYSTS[:analysts], weeks=52)
        print(f"[{label}] generated {counts} in {time.perf_counter() - t:.1f} s")
        if store.dialect == "postgresql":
            with store.write() as session:
                session.execute(text("ANALYZE"))
        with store.session() as session:
            names = dict(session.execute(text("SELECT id, name FROM annotators WHERE name <> 'lead'")).all())
            jobs = {"baseline": lambda: session.execute(text("SELECT COUNT(*) FROM spans")).scalar(),
                    "whole": lambda: dash.dashboard(session),
                    "hours": lambda: dash.hours_by_analyst(session),
                    "agreement": lambda: dash._agreement(session, names)}
            wall = {name: median_time(job) for name, job in jobs.items()}
            cpu = {name: CPU[id(job)] for name, job in jobs.items()}
        baseline, whole, sessions, agreement = wall["baseline"], wall["whole"], wall["hours"], wall["agreement"]
        print(f"[{label}] load average while measuring: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
        print(f"[{label}] baseline COUNT(*) over spans: {baseline * 1000:8.1f} ms")
        print(f"[{label}] dashboard (everything):      {whole * 1000:8.1f} ms  ({whole / baseline:.0f}× baseline)"
              f"  target < {TARGET_S * 1000:.0f} ms: {'met' if whole < TARGET_S else 'NOT met'}")
        print(f"[{label}]   of which hours of work:    {sessions * 1000:8.1f} ms")
        print(f"[{label}]   of which agreement:        {agreement * 1000:8.1f} ms")
        print(f"[{label}] CPU time of this process (the figure a loaded machine cannot inflate; SQLite runs "
              f"here, a server's work is not counted): baseline {cpu['baseline'] * 1000:.1f} ms, dashboard "
              f"{cpu['whole'] * 1000:.1f} ms (hours {cpu['hours'] * 1000:.1f}, agreement {cpu['agreement'] * 1000:.1f})")
        return whole < TARGET_S
    finally:
        store.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=100_000)
    parser.add_argument("--analysts", type=int, default=10)
    parser.add_argument("--dialect", choices=("sqlite", "postgresql", "both"), default="both")
    args = parser.parse_args()
    ok = True
    if args.dialect in ("sqlite", "both"):
        with tempfile.TemporaryDirectory() as tmp:
            ok &= measure(str(Path(tmp) / "bench.sqlite3"), args.docs, args.analysts, "sqlite")
    if args.dialect in ("postgresql", "both"):
        from tests.pg_server import start_server

        server = start_server()
        try:
            ok &= measure(server.url(server.create_database()), args.docs, args.analysts, "postgresql")
        finally:
            server.cleanup()
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
