"""Team-mode load test: 10 annotators writing to one PostgreSQL server at once, over loopback.

Run on demand (not part of the test suite):  python bench/bench_team_load.py [--workers 10] [--spans 1000]

It starts a throw-away server the way the test fixture does, then runs two phases with the same number
of concurrent processes:

1. baseline — raw psycopg, one autocommitted INSERT / UPDATE / DELETE per operation on a plain table,
   back to back (no think time): the floor set by the network round trip, the server and the commit;
2. annotator — each process is one annotator using the real store (``store.write()`` + repository
   function per operation: permission check, offsets check, layer bookkeeping, one commit): create N
   spans, change every one (label and end), delete every other one. Meanwhile the parent polls the
   live-view fingerprint as an open window would.

Then it verifies the result against what every process was told to do: 0 lost and 0 duplicated spans,
every layer's ``span_count`` equal to its real count. It prints p50/p95/p99 latency per operation next
to the baseline and their ratio; the target is p95 < 10 ms for each annotator operation.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

LABELS = ("working_hours", "injury", "surveillance", "remittance", "sanctions")
TARGET_P95_MS = 10.0


def article_text(length: int) -> str:
    """A synthetic article long enough for every worker's spans (our own words, repeated)."""
    sentence = "Workers on the night shift reported long hours, missing wages and constant camera checks. "
    return (sentence * (length // len(sentence) + 1))[:length]


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    index = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[index]


# ------------------------------------------------------------------------------------------------ workers
def _pause(seconds: float) -> None:
    if seconds > 0:
        time.sleep(seconds)


def baseline_worker(conninfo: dict, worker: int, n: int, think: float, barrier, results) -> None:  # type: ignore[no-untyped-def]
    import psycopg

    timings: dict[str, list[float]] = {"create": [], "change": [], "delete": []}
    with psycopg.connect(**conninfo, autocommit=True) as conn:
        barrier.wait()
        ids = []
        for j in range(n):
            t = time.perf_counter()
            row = conn.execute("INSERT INTO bench_raw (worker, start_, end_, label) VALUES (%s, %s, %s, %s) "
                               "RETURNING id", (worker, j, j + 10, LABELS[j % 5])).fetchone()
            timings["create"].append(time.perf_counter() - t)
            _pause(think)
            ids.append(row[0])
        for j, rid in enumerate(ids):
            t = time.perf_counter()
            conn.execute("UPDATE bench_raw SET end_ = %s, label = %s WHERE id = %s", (j + 12, LABELS[(j + 1) % 5], rid))
            timings["change"].append(time.perf_counter() - t)
            _pause(think)
        for rid in ids[::2]:
            t = time.perf_counter()
            conn.execute("DELETE FROM bench_raw WHERE id = %s", (rid,))
            timings["delete"].append(time.perf_counter() - t)
            _pause(think)
    results.put((worker, timings, None))


def annotator_worker(url: str, doc_id: int, worker: int, n: int, think: float, barrier, results) -> None:  # type: ignore[no-untyped-def]
    from annotator.store import repository as repo
    from annotator.store.database import open_store

    name = f"annotator-{worker:02d}"
    timings: dict[str, list[float]] = {"create": [], "change": [], "delete": []}
    store = open_store(url)
    try:
        with store.write() as session:  # create the annotator and layer outside the timed loop
            repo.get_or_create_layer(session, doc_id, name, actor=name)
        barrier.wait()
        cpu_start = time.process_time()
        ids = []
        for j in range(n):
            t = time.perf_counter()
            with store.write() as session:
                span = repo.add_span(session, doc_id, name, j, j + 10, LABELS[j % 5], actor=name)
            timings["create"].append(time.perf_counter() - t)
            _pause(think)
            ids.append(span.id)
        for j, span_id in enumerate(ids):
            t = time.perf_counter()
            with store.write() as session:
                repo.update_span(session, span_id, actor=name, label=LABELS[(j + 1) % 5], end=j + 12)
            timings["change"].append(time.perf_counter() - t)
            _pause(think)
        for span_id in ids[::2]:
            t = time.perf_counter()
            with store.write() as session:
                repo.delete_span(session, span_id, actor=name)
            timings["delete"].append(time.perf_counter() - t)
            _pause(think)
    except Exception as exc:  # noqa: BLE001 - report any failure to the parent instead of hanging it
        results.put((worker, timings, f"{exc.__class__.__name__}: {exc}"))
        return
    finally:
        store.close()
    timings["client_cpu"] = [(time.process_time() - cpu_start) / max(1, sum(len(v) for v in timings.values()))]
    results.put((worker, timings, None))


def run_phase(ctx, target, args_for, workers: int, poll=None) -> tuple[dict[str, list[float]], float, list[float]]:  # type: ignore[no-untyped-def]
    barrier = ctx.Barrier(workers + 1)
    results = ctx.Queue()
    procs = [ctx.Process(target=target, args=(*args_for(w), barrier, results)) for w in range(workers)]
    for p in procs:
        p.start()
    barrier.wait()
    started = time.perf_counter()
    merged: dict[str, list[float]] = {"create": [], "change": [], "delete": []}
    polls: list[float] = []
    pending = workers
    while pending:
        try:
            worker, timings, error = results.get(timeout=0.2 if poll else 600)
        except Exception:  # queue.Empty: poll the fingerprint as a live view would
            if poll is not None:
                t = time.perf_counter()
                poll()
                polls.append(time.perf_counter() - t)
            continue
        if error:
            raise SystemExit(f"worker {worker} failed: {error}")
        for op, values in timings.items():
            merged.setdefault(op, []).extend(values)
        pending -= 1
    elapsed = time.perf_counter() - started
    for p in procs:
        p.join()
    return merged, elapsed, polls


# ------------------------------------------------------------------------------------------------ main
def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=10)
    parser.add_argument("--spans", type=int, default=1000)
    parser.add_argument("--think-ms", type=float, default=0.0,
                        help="pause between one annotator's operations (0: back to back, the harshest case)")
    parser.add_argument("--durable", action="store_true",
                        help="production-like server (fsync and synchronous_commit on) instead of the test fixture's")
    args = parser.parse_args()

    import psycopg
    from sqlalchemy import func, select

    from annotator.core.model import DocumentRecord, doc_id_for
    from annotator.core.text import text_sha256
    from annotator.store import repository as repo
    from annotator.store.changes import current_token
    from annotator.store.database import open_store
    from annotator.store.models import Annotator, Layer, Span
    from tests.pg_server import SUPERUSER, start_server

    print(f"starting PostgreSQL… ({args.workers} workers × {args.spans} spans)")
    server = start_server(durable=args.durable)
    try:
        name = server.create_database()
        url = server.url(name)
        conninfo = {"host": server.host, "port": server.port, "user": SUPERUSER, "dbname": name}
        with psycopg.connect(**conninfo, autocommit=True) as conn:
            conn.execute("CREATE TABLE bench_raw (id serial PRIMARY KEY, worker int NOT NULL, start_ int NOT NULL, "
                         "end_ int NOT NULL, label varchar(64) NOT NULL)")
        store = open_store(url)
        text = article_text(args.spans + 100)
        sha = text_sha256(text)
        with store.write() as session:
            repo.ensure_default_scheme(session)
            repo.get_or_create_annotator(session, "lead")  # the admin; workers are plain annotators
            doc, _ = repo.add_document(session, DocumentRecord(doc_id_for(sha), text, sha, {"title": "bench"}))
            doc_id = doc.id

        ctx = mp.get_context("spawn")
        think = args.think_ms / 1000
        # What the server's backends are doing while the annotators work: lock waits would show here.
        waits: Counter[str] = Counter()
        sampler = psycopg.connect(**conninfo, autocommit=True)

        def watch() -> None:
            current_token(store)
            for (event,) in sampler.execute(
                    "SELECT coalesce(wait_event_type || ':' || wait_event, 'on CPU') FROM pg_stat_activity "
                    "WHERE backend_type = 'client backend' AND state = 'active' AND pid <> pg_backend_pid()"):
                waits[event] += 1
        base, base_elapsed, _ = run_phase(ctx, baseline_worker, lambda w: (conninfo, w, args.spans, 0.0), args.workers)
        store_t, store_elapsed, polls = run_phase(
            ctx, annotator_worker, lambda w: (url, doc_id, w, args.spans, think), args.workers,
            poll=watch)
        sampler.close()

        # ---- verification: exactly what the workers were told to leave behind
        lost = duplicated = wrong_counts = 0
        with store.session() as session:
            for w in range(args.workers):
                owner = f"annotator-{w:02d}"
                rows = session.execute(
                    select(Span.start, Span.end, Span.label_id, Layer.span_count)
                    .join(Layer, Span.layer_id == Layer.id).join(Annotator, Layer.annotator_id == Annotator.id)
                    .where(Annotator.name == owner)
                ).all()
                labels = {v: k for k, v in repo.label_ids(session).items()}
                got = [(s, e, labels[lid]) for s, e, lid, _ in rows]
                expected = {(j, j + 12, LABELS[(j + 1) % 5]) for j in range(1, args.spans, 2)}
                lost += len(expected - set(got))
                duplicated += len(got) - len(set(got)) + len(set(got) - expected)
                counts = {c for *_, c in rows}
                wrong_counts += int(counts != {len(expected)})
            total = session.scalar(select(func.count(Span.id)))
        store.close()
    finally:
        server.cleanup()

    ms = 1000.0
    server_kind = "durable commits" if args.durable else "fixture settings: fsync off"
    print(f"\n{args.workers} concurrent processes, {args.spans} spans each, think time {args.think_ms:g} ms, "
          f"PostgreSQL over 127.0.0.1 ({server_kind}), {os.cpu_count()} CPU cores")
    header = f"{'operation':<10}{'n':>7}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}   {'raw p50':>8}{'raw p95':>9}   {'p95 ratio':>9}  target"
    print(header)
    print("-" * len(header))
    ok = True
    for op in ("create", "change", "delete"):
        s, b = store_t[op], base[op]
        p95 = percentile(s, 95) * ms
        ok &= p95 < TARGET_P95_MS
        print(f"{op:<10}{len(s):>7}{percentile(s, 50) * ms:>9.2f}{p95:>9.2f}{percentile(s, 99) * ms:>9.2f}   "
              f"{percentile(b, 50) * ms:>8.2f}{percentile(b, 95) * ms:>9.2f}   "
              f"{p95 / (percentile(b, 95) * ms):>8.1f}x  {'ok' if p95 < TARGET_P95_MS else 'MISSED'} (<{TARGET_P95_MS:g})")
    if polls:
        print(f"{'live poll':<10}{len(polls):>7}{percentile(polls, 50) * ms:>9.2f}{percentile(polls, 95) * ms:>9.2f}"
              f"{percentile(polls, 99) * ms:>9.2f}   (fingerprint read by a watching window during the load)")
    if store_t.get("client_cpu"):
        print(f"client CPU per annotator operation (process time): {statistics.fmean(store_t['client_cpu']) * ms:.2f} ms")
    if waits:
        print("server backends seen busy (sampled with the polls): "
              + ", ".join(f"{event} {n}" for event, n in waits.most_common(6)))
    n_ops = sum(len(store_t[op]) for op in ("create", "change", "delete"))
    print(f"\nthroughput: annotator {n_ops / store_elapsed:,.0f} ops/s in {store_elapsed:.1f} s; "
          f"raw {sum(len(v) for v in base.values()) / base_elapsed:,.0f} ops/s in {base_elapsed:.1f} s; "
          f"mean op {statistics.fmean(v for op in ('create', 'change', 'delete') for v in store_t[op]) * ms:.2f} ms")
    print(f"verification: {total} spans stored (expected {args.workers * (args.spans // 2)}), "
          f"{lost} lost, {duplicated} duplicated/unexpected, {wrong_counts} layers with a wrong span_count")
    ok &= lost == 0 and duplicated == 0 and wrong_counts == 0 and total == args.workers * (args.spans // 2)
    print("result:", "PASS" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
