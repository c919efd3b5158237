"""Benchmark: agreement report on a large synthetic corpus.

Run with ``python bench/bench_agreement.py [--docs 20000] [--annotators 3] [--seed 1]``.

Builds ~20,000 documents of ~1,000 characters (about 20 M characters) with three annotators who
tag a shared set of "true" spans with some noise (dropped spans, moved boundaries, swapped labels,
extra spans), about 560,000 spans in all. Times ``compute_agreement`` and measures its peak memory
(tracemalloc, in a second run so tracing does not slow the timed one), then times two baselines on
the same data in the same run and prints ratios:

* ``numpy units pass``: the bare minimum, painting each annotator × label coverage with a difference
  array and cumsum (what any character-level computation must at least do);
* ``krippendorff pkg, 1 label``: the ``krippendorff`` package's nominal α on one label's binary
  character units (3 × 20 M), i.e. what one of our ~30 figures costs with the usual tool.

Targets: compute_agreement < 5 s and < 1 GB peak.
"""

from __future__ import annotations

import argparse
import gc
import os
import resource
import sys
import time
import tracemalloc
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from annotator.core.agreement import AgreementInput, compute_agreement  # noqa: E402

LABELS = ["working_hours", "injury", "surveillance", "remittance", "sanctions"]


def make_corpus(n_docs: int, n_annotators: int, seed: int) -> AgreementInput:
    """Synthetic documents and noisy annotator layers around shared true spans."""
    rng = np.random.default_rng(seed)
    lengths = rng.integers(600, 1400, n_docs)
    alphabet = np.frombuffer(b"etaoinshrdlucmfwypvbgkqjxz     \n", dtype=np.uint8)
    chars = alphabet[rng.integers(0, alphabet.size, int(lengths.sum()))]
    big = chars.tobytes().decode("ascii")
    bounds = np.concatenate(([0], np.cumsum(lengths)))
    doc_ids = [f"d-{i:06d}" for i in range(n_docs)]
    documents = [(doc_ids[i], big[bounds[i]:bounds[i + 1]]) for i in range(n_docs)]

    per_doc = 10
    n_true = n_docs * per_doc
    t_doc = np.repeat(np.arange(n_docs), per_doc)
    t_len = rng.integers(5, 80, n_true)
    t_start = (rng.random(n_true) * (lengths[t_doc] - t_len)).astype(np.int64)
    t_label = rng.integers(0, len(LABELS), n_true)

    spans: dict[str, dict[str, list[tuple[int, int, str]]]] = {}
    for a in range(n_annotators):
        keep = rng.random(n_true) < 0.9
        s = t_start[keep].copy()
        e = s + t_len[keep]
        lab = t_label[keep].copy()
        d = t_doc[keep]
        moved = rng.random(s.size) < 0.3
        s[moved] += rng.integers(-5, 6, int(moved.sum()))
        e[moved] += rng.integers(-5, 6, int(moved.sum()))
        swapped = rng.random(s.size) < 0.05
        lab[swapped] = rng.integers(0, len(LABELS), int(swapped.sum()))
        n_extra = int(0.03 * n_true)
        xd = rng.integers(0, n_docs, n_extra)
        xl = rng.integers(3, 40, n_extra)
        xs = (rng.random(n_extra) * (lengths[xd] - xl)).astype(np.int64)
        s = np.concatenate((s, xs))
        e = np.concatenate((e, xs + xl))
        lab = np.concatenate((lab, rng.integers(0, len(LABELS), n_extra)))
        d = np.concatenate((d, xd))
        s = np.clip(s, 0, lengths[d] - 1)
        e = np.clip(e, s + 1, lengths[d])
        layer: dict[str, list[tuple[int, int, str]]] = {}
        for di, si, ei, li in zip(d.tolist(), s.tolist(), e.tolist(), lab.tolist(), strict=True):
            layer.setdefault(doc_ids[di], []).append((si, ei, LABELS[li]))
        spans[f"annotator-{a + 1}"] = layer
    return AgreementInput(annotators=list(spans), documents=documents, spans=spans, labels=list(LABELS))


def numpy_units_baseline(inp: AgreementInput) -> float:
    """Paint every annotator × label coverage over the concatenated corpus; nothing else.

    Span tuples are turned into arrays before the clock starts, so this times only the painting
    (difference array + cumsum per annotator and label): the floor for any character-level figure.
    """
    docs = sorted(inp.documents)
    base = {doc_id: off for (doc_id, _), off in zip(docs, np.cumsum([0] + [len(t) for _, t in docs]), strict=False)}
    n = sum(len(t) for _, t in docs)
    arrays = []
    for name in inp.annotators:
        rows = [(s + base[d], e + base[d], inp.labels.index(lab))
                for d, lst in inp.spans[name].items() for s, e, lab in lst]
        arrays.append(np.array(rows, dtype=np.int64))
    t0 = time.perf_counter()
    for arr in arrays:
        for lab in range(len(inp.labels)):
            sel = arr[arr[:, 2] == lab]
            diff = np.zeros(n + 1, dtype=np.int32)
            np.add.at(diff, sel[:, 0], 1)
            np.add.at(diff, sel[:, 1], -1)
            _ = np.cumsum(diff[:n]) > 0
    return time.perf_counter() - t0


def krippendorff_baseline(inp: AgreementInput) -> float | None:
    """The krippendorff package's nominal α on one label's binary character units."""
    try:
        import krippendorff
    except ImportError:
        return None
    docs = sorted(inp.documents)
    offsets = np.cumsum([0] + [len(t) for _, t in docs])
    base = {doc_id: int(off) for (doc_id, _), off in zip(docs, offsets, strict=False)}
    n = int(offsets[-1])
    label = inp.labels[0]
    data = np.zeros((len(inp.annotators), n), dtype=np.float64)
    for r, name in enumerate(sorted(inp.annotators)):
        diff = np.zeros(n + 1, dtype=np.int32)
        for d, lst in inp.spans[name].items():
            for s, e, lab in lst:
                if lab == label:
                    diff[base[d] + s] += 1
                    diff[base[d] + e] -= 1
        data[r] = np.cumsum(diff[:n]) > 0
    t0 = time.perf_counter()
    krippendorff.alpha(reliability_data=data, level_of_measurement="nominal")
    return time.perf_counter() - t0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=int, default=20_000)
    ap.add_argument("--annotators", type=int, default=3)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args(argv)

    t0 = time.perf_counter()
    inp = make_corpus(args.docs, args.annotators, args.seed)
    n_chars = sum(len(t) for _, t in inp.documents)
    n_spans = sum(len(lst) for layer in inp.spans.values() for lst in layer.values())
    print(f"corpus: {args.docs} documents, {n_chars:,} characters, {args.annotators} annotators, "
          f"{n_spans:,} spans (built in {time.perf_counter() - t0:.1f} s)")

    gc.collect()
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    t0, c0 = time.perf_counter(), time.process_time()
    report = compute_agreement(inp)
    t_ours, c_ours = time.perf_counter() - t0, time.process_time() - c0
    rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss

    gc.collect()
    tracemalloc.start()
    compute_agreement(inp)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    t_ws0 = time.perf_counter()
    compute_agreement(inp, exclude_whitespace=True)
    t_ws = time.perf_counter() - t_ws0

    t_units = numpy_units_baseline(inp)
    t_kripp = krippendorff_baseline(inp)

    rows = [
        ("compute_agreement (all figures)", t_ours, 1.0),
        ("compute_agreement, exclude_whitespace", t_ws, t_ws / t_ours),
        ("baseline: numpy units pass", t_units, t_ours / t_units),
        ("baseline: krippendorff pkg, 1 label", t_kripp, (t_ours / t_kripp) if t_kripp else None),
    ]
    print()
    print(f"{'step':<40} {'seconds':>8} {'ours / step':>12}")
    print("-" * 62)
    for name, secs, ratio in rows:
        s = "n/a" if secs is None else f"{secs:8.2f}"
        r = "" if ratio is None or name.startswith("compute_agreement (") else f"{ratio:12.2f}"
        print(f"{name:<40} {s:>8} {r:>12}")
    print()
    print(f"compute_agreement CPU time: {c_ours:.2f} s (wall {t_ours:.2f} s; the two differ when the "
          f"machine is shared; load average now {os.getloadavg()[0]:.1f})")
    print(f"peak traced memory of compute_agreement: {peak / 2**20:,.0f} MiB (target < 1024)")
    print(f"process max RSS: {rss_after / 1024:,.0f} MiB (before the call: {rss_before / 1024:,.0f} MiB)")
    print(f"time target < 5 s: {'met' if t_ours < 5 else 'NOT met'} (wall); "
          f"memory target < 1 GiB: {'met' if peak < 2**30 else 'NOT met'}")
    o = report.overall
    print(f"overall: alpha={o['krippendorff_alpha']:.4f} fleiss={o['fleiss_kappa']:.4f} "
          f"ac1={o['gwet_ac1']:.4f} alpha_u={o['alpha_u']:.4f} f1_exact={o['span_f1_exact']:.4f} "
          f"f1_overlap={o['span_f1_overlap']:.4f}; disagreement runs: {report.disagreements_total:,}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
