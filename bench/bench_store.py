"""Import/export throughput and import memory against a plain sqlite3 + json baseline (issue: foundation).

Run: python bench/bench_store.py [--docs 20000]
Baseline: the same documents and spans inserted with the standard library's sqlite3 and json in one
transaction, then read back to JSONL records of the same shape as ours (quote and context per span).
Both sides run as commands in child processes — ours is the real CLI (into a new database, as a first
import would), the baseline is this file re-run with ``--baseline`` — so each time includes its own
interpreter start, and peak memory is each child's own (ru_maxrss). "start-up" is our command on an empty
file: interpreter, modules and creating the database.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus_gen import write_corpus  # noqa: E402


def baseline_import(src: Path, db: Path) -> float:
    t0 = time.perf_counter()
    con = sqlite3.connect(db)
    con.executescript(
        "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
        "CREATE TABLE docs(id INTEGER PRIMARY KEY, doc_id TEXT UNIQUE, sha TEXT UNIQUE, text TEXT, meta TEXT);"
        "CREATE TABLE spans(id INTEGER PRIMARY KEY, doc INTEGER, annotator TEXT, start INT, end_ INT, label TEXT, quote TEXT);"
    )
    with con, open(src, encoding="utf-8") as lines:
        seen: dict[str, int] = {}
        for line in lines:
            rec = json.loads(line)
            sha = hashlib.sha256(rec["text"].encode()).hexdigest()
            if sha not in seen:
                cur = con.execute("INSERT INTO docs(doc_id, sha, text, meta) VALUES (?,?,?,?)",
                                  (rec["doc_id"], sha, rec["text"], json.dumps(rec["meta"])))
                seen[sha] = cur.lastrowid
            con.executemany("INSERT INTO spans(doc, annotator, start, end_, label, quote) VALUES (?,?,?,?,?,?)",
                            [(seen[sha], rec["annotator"], s["start"], s["end"], s["label"], s["text"]) for s in rec["spans"]])
    con.close()
    return time.perf_counter() - t0


def baseline_export(db: Path, out: Path) -> float:
    """Read every document with its spans back out as one JSONL line per (document, annotator)."""
    t0 = time.perf_counter()
    con = sqlite3.connect(db)
    spans: dict[int, dict[str, list]] = {}
    for doc, annotator, start, end, label, quote in con.execute(
        "SELECT doc, annotator, start, end_, label, quote FROM spans ORDER BY doc, annotator, start, end_"
    ):
        spans.setdefault(doc, {}).setdefault(annotator, []).append((start, end, label, quote))
    with open(out, "w", encoding="utf-8") as stream:
        for did, doc_id, sha, text, meta in con.execute("SELECT id, doc_id, sha, text, meta FROM docs ORDER BY doc_id"):
            for annotator, items in sorted(spans.get(did, {}).items()):
                # The same record shape as the native export (quote, 32 characters of context each side).
                out_spans = [{"start": s, "end": e, "label": lab, "text": q, "prefix": text[max(0, s - 32):s],
                              "suffix": text[e:e + 32], "attributes": {}, "note": None} for s, e, lab, q in items]
                stream.write(json.dumps({"doc_id": doc_id, "text": text, "text_sha256": sha, "meta": json.loads(meta),
                                         "annotator": annotator, "status": "done", "spans": out_spans},
                                        ensure_ascii=False) + "\n")
    con.close()
    return time.perf_counter() - t0


def run_child(command: list[str], env: dict[str, str] | None = None) -> tuple[float, float]:
    """Wall time and peak RSS (MB) of one command in a fresh child process.

    ru_maxrss of RUSAGE_CHILDREN is the largest child so far, so each measurement runs in its own
    intermediate process (``python -c`` that runs the command and reports its child's peak).
    """
    probe = (
        "import json,resource,subprocess,sys,time;"
        "t=time.perf_counter();p=subprocess.run(sys.argv[1:],capture_output=True,text=True);"
        "e=time.perf_counter()-t;"
        "print(json.dumps([p.returncode,e,resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss/1024,p.stderr]))"
    )
    out = subprocess.run([sys.executable, "-c", probe, *command], env=env, capture_output=True, text=True, check=True)
    code, elapsed, peak, err = json.loads(out.stdout)
    if code != 0:
        raise SystemExit(f"{' '.join(command)} failed: {err}")
    return elapsed, peak


def run_cli(*args: str, env: dict[str, str]) -> tuple[float, float]:
    """Wall time and peak RSS (MB) of one annotator CLI run."""
    return run_child([sys.executable, "-m", "annotator", *args], env)


def run_baseline(*args: str) -> tuple[float, float]:
    """Wall time and peak RSS (MB) of the baseline, run as a command like ours."""
    return run_child([sys.executable, str(Path(__file__).resolve()), "--baseline", *args])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--docs", type=int, default=20_000)
    parser.add_argument("--spans", type=float, default=9.5)
    parser.add_argument("--baseline", nargs=3, metavar=("STEP", "IN", "OUT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.baseline:
        step, first, second = args.baseline
        (baseline_import if step == "import" else baseline_export)(Path(first), Path(second))
        return
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        src = folder / "corpus.jsonl"
        records, spans = write_corpus(src, args.docs, args.spans, ["analyst"])
        size_mb = src.stat().st_size / 1e6
        base_imp, base_peak = run_baseline("import", str(src), str(folder / "base.sqlite3"))
        base_exp, _ = run_baseline("export", str(folder / "base.sqlite3"), str(folder / "base.jsonl"))
        env = dict(os.environ, ANNOTATOR_DB=str(folder / "ours.sqlite3"))
        ours_imp, peak = run_cli("import", str(src), "--quiet", env=env)
        # The fixed part of the import above: interpreter, modules, a new database, an empty file.
        (folder / "empty.jsonl").write_text("", encoding="utf-8")
        start_only, _ = run_cli("import", str(folder / "empty.jsonl"), "--quiet",
                                env=dict(env, ANNOTATOR_DB=str(folder / "empty.sqlite3")))
        ours_exp, _ = run_cli("export", "-o", str(folder / "ours.jsonl"), env=env)
        out_mb = (folder / "ours.jsonl").stat().st_size / 1e6
    print(f"# annotator store benchmark — {time.strftime('%Y-%m-%d')} — {platform.machine()}, "
          f"{os.cpu_count()} cores, Python {platform.python_version()}")
    print(f"corpus: {args.docs:,} documents, {spans:,} spans, {size_mb:.1f} MB JSONL in, {out_mb:.1f} MB out")
    print()
    print("| figure | annotator (CLI) | baseline (sqlite3+json script) | ratio | target |")
    print("|---|---|---|---|---|")
    print(f"| import (incl. start-up; ours {start_only:.2f} s) | {ours_imp:.2f} s | {base_imp:.2f} s | {ours_imp / base_imp:.2f}× | ≤ 2.5× |")
    print(f"| export (incl. start-up) | {ours_exp:.2f} s | {base_exp:.2f} s | {ours_exp / base_exp:.2f}× | ≤ 2× |")
    print(f"| import peak memory (RSS) | {peak:.0f} MB | {base_peak:.0f} MB | {peak / base_peak:.2f}× | ≤ 250 MB |")


if __name__ == "__main__":
    main()
