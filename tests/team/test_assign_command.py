"""``annotator assign`` and ``annotator assignments`` (the issue's acceptance), on SQLite and PostgreSQL.

100 documents, three analysts, 20 % overlap, seed 1: every document assigned, 20 with two analysts, loads
within one of each other; a second run changes nothing; the JSON list matches what was planned.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from annotator.cli import main


def _import(url: str, tmp_path: Path, count: int, start: int = 0) -> None:
    path = tmp_path / f"docs{start}.jsonl"
    path.write_text("".join(json.dumps({"doc_id": f"doc-{i:03d}", "text": f"Article {i} about shift work."}) + "\n"
                            for i in range(start, start + count)), encoding="utf-8")
    assert main(["import", str(path), "--db", url, "--quiet"]) == 0


def _listed(url: str, capsys: pytest.CaptureFixture[str], *extra: str) -> list[dict]:
    capsys.readouterr()
    assert main(["assignments", "--json", "--db", url, *extra]) == 0
    return json.loads(capsys.readouterr().out)


def test_assign_100_documents_to_three_analysts_with_20_percent_overlap(
        any_store_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _import(any_store_url, tmp_path, 100)
    capsys.readouterr()
    args = ["assign", "--to", "a", "b", "c", "--overlap", "0.2", "--seed", "1", "--db", any_store_url,
            "--annotator", "lead"]
    assert main(args) == 0
    out = capsys.readouterr().out
    assert out.startswith("assigned 100 documents (20 to 2 analysts): a ")
    listed = _listed(any_store_url, capsys)
    assert [row["doc_id"] for row in listed] == [f"doc-{i:03d}" for i in range(100)]
    assert Counter(len(row["annotators"]) for row in listed) == {1: 80, 2: 20}
    loads = Counter(name for row in listed for name in row["annotators"])
    assert set(loads) == {"a", "b", "c"} and max(loads.values()) - min(loads.values()) <= 1
    assert out.rstrip().endswith(", ".join(f"{n} {loads[n]}" for n in "abc"))
    # Re-running changes nothing.
    assert main(args) == 0
    assert capsys.readouterr().out == "no unassigned documents: nothing to assign\n"
    assert _listed(any_store_url, capsys) == listed
    # One analyst's list keeps each document's whole group.
    mine = _listed(any_store_url, capsys, "--annotator", "b")
    assert mine == [row for row in listed if "b" in row["annotators"]]
    # New documents only are assigned next time.
    _import(any_store_url, tmp_path, 5, start=100)
    capsys.readouterr()
    assert main(args) == 0
    assert capsys.readouterr().out.startswith("assigned 5 documents (1 to 2 analysts)")
    assert len(_listed(any_store_url, capsys)) == 105


def test_plain_listing_and_the_same_seed_gives_the_same_plan(tmp_path: Path,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    plans = []
    for name in ("one", "two"):
        db = str(tmp_path / f"{name}.sqlite3")
        _import(db, tmp_path, 12)
        assert main(["assign", "--to", "x", "y", "--overlap", "0.5", "--seed", "7", "--db", db]) == 0
        plans.append(_listed(db, capsys))
    assert plans[0] == plans[1]
    assert main(["assignments", "--db", str(tmp_path / "one.sqlite3")]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[-1] == "12 assigned documents" and lines[0].startswith("doc-000\t")


@pytest.mark.parametrize(("extra", "message"), [
    (["--overlap", "1.5"], "annotator: the overlap must be a fraction between 0 and 1, not 1.5\n"),
    (["--overlap", "0.5", "--per-document", "3"],
     "annotator: 3 analysts per overlap document needs at least 3 analysts, but only 2 were named\n"),
])
def test_impossible_options_are_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str], extra: list[str],
                                         message: str) -> None:
    db = str(tmp_path / "x.sqlite3")
    _import(db, tmp_path, 2)
    capsys.readouterr()
    assert main(["assign", "--to", "a", "b", *extra, "--db", db]) == 1
    assert capsys.readouterr().err == message


@pytest.mark.postgres
def test_an_analyst_is_refused_on_a_server(pg_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _import(pg_url, tmp_path, 3)
    assert main(["db", "role", "ben", "annotator", "--db", pg_url, "--annotator", "lead"]) == 0
    capsys.readouterr()
    assert main(["--annotator", "ben", "assign", "--to", "a", "--db", pg_url]) == 1
    assert capsys.readouterr().err == "annotator: ben may not assign documents: that needs the curator or admin role\n"
    assert _listed(pg_url, capsys) == []
    assert main(["assign", "--to", "a", "--db", pg_url, "--annotator", "lead"]) == 0
