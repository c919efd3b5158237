"""Start-up time of the command line against a bare interpreter, measured in the same run.

Run: python bench/bench_startup.py [--runs 7]
Every case is a fresh child process (``python -m annotator ...`` with this checkout first on the path), so
each figure includes interpreter start, imports and, for ``export``, opening the database. The cases run
round-robin (one of each, then the next round) after one unmeasured warm-up each, so a burst of load
from elsewhere on the machine hits every case alike; the table shows the wall-clock median and its ratio
to the baseline ``python -c pass``.

``--version`` and ``--help`` must stay under 0.15 s: they import neither SQLAlchemy nor Alembic, numpy,
trafilatura or Qt (``tests/cli/test_startup.py`` checks the imports). ``export`` on an empty database
pays for SQLAlchemy and the format registry; on a fresh ``--db`` path it is refused (exit 1) before
anything is created.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _env() -> dict[str, str]:
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH")) if p))
    env.pop("ANNOTATOR_DB", None)
    return env


def _run(argv: list[str], expect: int) -> float:
    t0 = time.perf_counter()
    result = subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=_env(), cwd=ROOT)
    elapsed = time.perf_counter() - t0
    if result.returncode != expect:
        raise SystemExit(f"{' '.join(argv)} exited {result.returncode}, expected {expect}:\n"
                         f"{result.stderr.decode(errors='replace')}")
    return elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="measured runs per case (default 7)")
    args = parser.parse_args()

    py = sys.executable
    cli = [py, "-m", "annotator"]
    with tempfile.TemporaryDirectory(prefix="annotator-bench-startup-") as folder:
        empty = Path(folder) / "empty.sqlite3"
        fresh = Path(folder) / "never-created.sqlite3"
        # an empty, migrated database (the scheme export creates it)
        _run([*cli, "--db", str(empty), "scheme", "export", "-o", str(Path(folder) / "scheme.json")], 0)
        cases = [
            ("`python -c pass` (baseline)", [py, "-c", "pass"], 0),
            ("`annotator --version`", [*cli, "--version"], 0),
            ("`annotator --help`", [*cli, "--help"], 0),
            ("`annotator export -o -`, empty database", [*cli, "--db", str(empty), "export", "-o", "-"], 0),
            ("`annotator export -o -`, fresh `--db` path (refused)", [*cli, "--db", str(fresh), "export", "-o", "-"], 1),
        ]
        times: dict[str, list[float]] = {name: [] for name, _, _ in cases}
        for _name, argv, expect in cases:  # warm-up: byte-code caches, page cache
            _run(argv, expect)
        for _ in range(args.runs):
            for name, argv, expect in cases:
                times[name].append(_run(argv, expect))
        if fresh.exists():
            raise SystemExit("export on a fresh --db path created the database")

    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"Python {platform.python_version()} on {platform.machine()}, {os.cpu_count()} cores, "
          f"load average {load:.2f}; median of {args.runs} runs each, wall clock")
    print()
    print("| command | median | min | ratio to baseline |")
    print("|---|---|---|---|")
    baseline = statistics.median(times[cases[0][0]])
    for name, _, _ in cases:
        median = statistics.median(times[name])
        print(f"| {name} | {median * 1000:.0f} ms | {min(times[name]) * 1000:.0f} ms | {median / baseline:.1f}× |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
