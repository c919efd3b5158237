"""The across-laptops review workflow through the real command line (issue: agreement and curation)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli_helpers import run_cli

TEXT = (
    "Workers on the harbour site said shifts ran for fourteen hours, and minders kept their passports. "
    "Most of the wages went to the state trading company."
)


def _span(phrase: str, label: str) -> dict:
    start = TEXT.index(phrase)
    return {"start": start, "end": start + len(phrase), "label": label}


def _analyst_db(capsys, tmp_path: Path, name: str, spans: list[dict]) -> Path:
    """One analyst's laptop: the article imported, their layer tagged and marked done, then exported."""
    db = tmp_path / f"{name}.sqlite3"
    article = tmp_path / "article.txt"
    article.write_text(TEXT, encoding="utf-8")
    assert run_cli(capsys, "--db", db, "import", article).code == 0
    layer = tmp_path / f"{name}-layer.jsonl"
    layer.write_text(json.dumps({"text": TEXT, "annotator": name, "status": "done", "spans": spans}) + "\n", encoding="utf-8")
    assert run_cli(capsys, "--db", db, "import", layer).code == 0
    export = tmp_path / f"{name}-export.jsonl"
    assert run_cli(capsys, "--db", db, "export", "-o", export, "--annotator", name).code == 0
    return export


def test_two_analysts_exports_merged_give_the_expected_agreement(capsys, tmp_path: Path) -> None:
    ana = _analyst_db(capsys, tmp_path, "ana", [_span("fourteen hours", "working_hours"), _span("minders", "surveillance")])
    bo = _analyst_db(capsys, tmp_path, "bo", [_span("fourteen hours", "working_hours"), _span("wages", "remittance")])
    lead = tmp_path / "lead.sqlite3"
    result = run_cli(capsys, "--db", lead, "import", ana, bo)
    assert result.code == 0 and "1 document added" in result.out and "1 duplicate" in result.out

    result = run_cli(capsys, "--db", lead, "agreement", "--json")
    assert result.code == 0, result.err
    report = json.loads(result.out)
    assert report["annotators"] == ["ana", "bo"] and report["documents"] == 1
    assert report["characters"] == len(TEXT)
    pair = report["pairs"][0]
    assert pair["annotators"] == ["ana", "bo"]
    assert (pair["tp"], pair["fp"], pair["fn"]) == (1, 1, 1)
    assert pair["span_f1_exact"] == pytest.approx(0.5)
    assert report["per_label"]["working_hours"]["span_f1_exact"] == pytest.approx(1.0)
    assert report["per_label"]["working_hours"]["krippendorff_alpha"] == pytest.approx(1.0)
    assert report["per_label"]["surveillance"]["span_f1_exact"] == pytest.approx(0.0)
    # Cohen's kappa on per-character label sets, computed by hand for this text:
    n = len(TEXT)
    a_only, b_only, both = len("minders"), len("wages"), len("fourteen hours")
    po = (n - a_only - b_only) / n
    # categories: working_hours (both: 14/14), surveillance (A:7), remittance (B:5), O (rest)
    pa = {"wh": both / n, "sv": a_only / n, "rm": 0, "O": (n - both - a_only) / n}
    pb = {"wh": both / n, "sv": 0, "rm": b_only / n, "O": (n - both - b_only) / n}
    pe = sum(pa[k] * pb[k] for k in pa)
    assert pair["cohen_kappa"] == pytest.approx((po - pe) / (1 - pe))

    html = tmp_path / "report.html"
    result = run_cli(capsys, "--db", lead, "agreement", "--html", html)
    assert result.code == 0 and "Krippendorff" in result.out
    page = html.read_text(encoding="utf-8")
    assert "minders" in page and "http://" not in page and "https://" not in page


def test_agreement_without_done_layers_is_a_clear_error(capsys, tmp_path: Path) -> None:
    db = tmp_path / "db.sqlite3"
    src = tmp_path / "x.jsonl"
    src.write_text(json.dumps({"text": TEXT, "annotator": "ana", "status": "in_progress", "spans": []}) + "\n")
    assert run_cli(capsys, "--db", db, "import", src).code == 0
    result = run_cli(capsys, "--db", db, "agreement")
    assert result.code == 1 and "no annotator has a layer marked done" in result.err
    result = run_cli(capsys, "--db", db, "agreement", "--annotator", "nobody")
    assert result.code == 1 and "no annotator called 'nobody'" in result.err
    result = run_cli(capsys, "--db", db, "agreement", "--include-in-progress", "--label", "bogus")
    assert result.code == 1 and "unknown label 'bogus'" in result.err
