"""An import hands the database's scheme to the format readers, so a value a file holds as text comes in
with the kind the scheme defines (brat writes every attribute value as text)."""

from __future__ import annotations

from pathlib import Path

from annotator.store import repository as repo
from annotator.store.importing import import_paths


def test_brat_attribute_values_are_stored_in_the_schemes_kind(store, tmp_path: Path) -> None:
    folder = tmp_path / "brat"
    folder.mkdir()
    (folder / "a.txt").write_text("They worked 22-hour days. Wages of 300 USD went home.", encoding="utf-8")
    (folder / "a.ann").write_text(
        "T1\tworking_hours 12 24\t22-hour days\nA1\thours_per_day T1 22\n"
        "T2\tremittance 35 42\t300 USD\nA2\tamount T2 300.5\nA3\tcurrency T2 USD\nA4\tnote_free T2 42\n",
        encoding="utf-8")
    summary = import_paths(store, [folder], annotator="ana")
    assert summary.refused == [] and summary.spans == 2
    with store.session() as session:
        (item,) = list(repo.iter_annotated_documents(session, None))
    attributes = {span.label: span.attributes for span in item.layers[0].spans}
    # numbers where the default scheme defines numbers; a free attribute stays the text the file gave
    assert attributes == {"working_hours": {"hours_per_day": 22},
                          "remittance": {"amount": 300.5, "currency": "USD", "note_free": "42"}}


def test_a_later_import_reads_by_the_stored_scheme(store, tmp_path: Path) -> None:
    from annotator.core.scheme_parts import AttributeDef
    from annotator.store import scheme_admin

    with store.session() as session:
        repo.ensure_default_scheme(session)
        session.commit()
    with store.session() as session:
        scheme = repo.get_scheme(session)
    injury = scheme.get("injury")
    assert injury is not None
    injury.attributes.append(AttributeDef("victims", "number"))
    with store.write() as session:
        scheme_admin.replace_scheme(session, scheme, actor="lead")
    folder = tmp_path / "brat"
    folder.mkdir()
    (folder / "b.txt").write_text("Two welders were burned.", encoding="utf-8")
    (folder / "b.ann").write_text("T1\tinjury 12 23\twere burned\nA1\tvictims T1 2\nA2\tseverity T1 serious\n",
                                  encoding="utf-8")
    assert import_paths(store, [folder], annotator="ana").refused == []
    with store.session() as session:
        (item,) = list(repo.iter_annotated_documents(session, None))
    assert item.layers[0].spans[0].attributes == {"victims": 2, "severity": "serious"}
