"""The agreement job (store.agreement_scope.run_agreement): the one path the command line and the view share."""

from __future__ import annotations

import json

import pytest

from annotator.core.agreement import AgreementCancelled, compute_agreement
from annotator.core.errors import AnnotatorError
from annotator.core.formats.articles import document_from_text
from annotator.store import repository as repo
from annotator.store.agreement_scope import EmptyScope, build_input, run_agreement
from tests.cli_helpers import run_cli

TEXT = "Crews said their shifts ran for sixteen hours, and two workers were hurt when a cable snapped."
A, B = "analyst-a", "analyst-b"


def span(phrase: str) -> tuple[int, int]:
    start = TEXT.index(phrase)
    return start, start + len(phrase)


@pytest.fixture
def tagged(store):  # type: ignore[no-untyped-def]
    with store.write() as session:
        repo.ensure_default_scheme(session)
        row, _ = repo.add_document(session, document_from_text(TEXT, {"title": "Harbour"}))
        repo.add_span(session, row.id, A, *span("sixteen hours"), "working_hours")
        repo.add_span(session, row.id, B, *span("shifts ran for sixteen hours"), "working_hours")
        repo.add_span(session, row.id, A, *span("two workers were hurt"), "injury")
        repo.add_span(session, row.id, B, *span("two workers were hurt"), "injury")
        repo.set_status(session, row.id, A, "done")
        repo.set_status(session, row.id, B, "in_progress")
    return store, row.id


def test_the_job_is_scope_then_the_core_computation(tagged) -> None:
    store, pk = tagged
    steps: list[tuple[float, str]] = []
    job = run_agreement(store, [A, B], include_in_progress=True, progress=lambda f, m: steps.append((f, m)))
    with store.session() as session:
        expected = compute_agreement(build_input(session, [A, B], include_in_progress=True))
    assert job.report.to_json() == expected.to_json()
    assert job.scope.annotators == [A, B] and [d for d, _ in job.scope.documents] == job.report.doc_ids
    doc_id = job.report.doc_ids[0]
    assert job.doc_pks == {doc_id: pk} and job.titles == {doc_id: "Harbour"} and job.include_in_progress
    assert steps[0] == (0.0, "Reading the layers in scope…") and steps[-1][0] == pytest.approx(1.0)
    only_injury = run_agreement(store, [A, B], ["injury"], include_in_progress=True)
    assert only_injury.report.labels == ["injury"] and only_injury.scope.labels == ["injury"]


def test_empty_scope_unknown_documents_and_cancelling(tagged) -> None:
    store, _pk = tagged
    with pytest.raises(EmptyScope, match=f"no document has a layer marked done by every one of {A}, {B}; "
                                         "nothing to compare$"):
        run_agreement(store, [A, B])
    with pytest.raises(AnnotatorError, match="no document id or title contains 'timber'"):
        run_agreement(store, [A, B], doc_filter=" timber ", include_in_progress=True)
    assert run_agreement(store, [A, B], doc_filter="harb", include_in_progress=True).report.documents == 1
    with pytest.raises(AgreementCancelled):
        run_agreement(store, [A, B], include_in_progress=True, cancelled=lambda: True)


def test_the_command_line_runs_the_same_job(capsys, tagged, db_path) -> None:
    store, _pk = tagged
    want = run_agreement(store, [A, B], include_in_progress=True).report.to_json()
    store.close()
    result = run_cli(capsys, "--db", db_path, "agreement", "--include-in-progress", "--json")
    assert result.code == 0, result.err
    assert json.loads(result.out) == json.loads(json.dumps(want))
    result = run_cli(capsys, "--db", db_path, "agreement", "--annotator", A, "--annotator", B)
    assert result.code == 1
    assert result.err.strip() == (f"annotator: no document has a layer marked done by every one of {A}, {B}; "
                                  "nothing to compare (use --include-in-progress to include unfinished layers)")
