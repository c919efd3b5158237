"""Search folds accents the same way on SQLite (FTS5) and PostgreSQL (translate in the index expression)."""

from __future__ import annotations

import importlib.util
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import select, text

from annotator.core.model import DocumentRecord, doc_id_for
from annotator.core.search_fold import FOLD_FROM, FOLD_TO, fold_for_search
from annotator.core.text import text_sha256
from annotator.store import repository as repo
from annotator.store.models import Document
from annotator.store.search import filter_by_search, update_search_index

MIGRATION = (Path(__file__).resolve().parents[2] / "annotator" / "store" / "migrations" / "versions"
             / "0005_search_folds_accents.py")


def test_the_migration_indexes_the_expression_the_search_uses() -> None:
    spec = importlib.util.spec_from_file_location("migration_0005", MIGRATION)
    assert spec and spec.loader
    migration = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(migration)
    assert (migration.FOLD_FROM, migration.FOLD_TO) == (FOLD_FROM, FOLD_TO), (
        "search_fold changed: add a migration that rebuilds ix_documents_search with the new strings")


def test_the_folding_strings_pair_letters_one_to_one() -> None:
    assert len(FOLD_FROM) == len(FOLD_TO) == len(set(FOLD_FROM))
    assert FOLD_TO.isascii() and FOLD_TO.isalpha()
    for accented, plain in zip(FOLD_FROM, FOLD_TO, strict=True):
        assert accented.lower() != accented or plain.lower() == plain, (accented, plain)  # case kept


@given(st.text())
def test_folding_keeps_length_and_is_idempotent(value: str) -> None:
    folded = fold_for_search(value)
    assert len(folded) == len(value)
    assert fold_for_search(folded) == folded
    for before, after in zip(value, folded, strict=True):
        assert after == before or (before in FOLD_FROM and after.isascii())


@given(st.characters(min_codepoint=0xC0, max_codepoint=0x24F) | st.characters(min_codepoint=0x1E00, max_codepoint=0x1EFF))
def test_every_letter_with_an_ascii_base_is_folded(char: str) -> None:
    base = "".join(c for c in unicodedata.normalize("NFD", char) if not unicodedata.combining(c))
    if len(base) == 1 and base.isascii() and base.isalpha() and base != char:
        assert fold_for_search(char) == base


TEXTS = {
    "korea": "Officials in Pyŏngyang denied that Kim Jŏng-ŭn had signed the order.",
    "vietnam": "Crews from Đà Nẵng were moved to the port.",
    "poland": "A recruiter in Kraków placed the welders.",
    "cafe": "Le cafe\u0301 pre\u0300s du chantier fermait a\u0300 minuit.",  # decomposed accents
    "plain": "Pyongyang said nothing about Krakow or Da Nang.",
}


def _titles(store, query: str) -> set[str]:
    with store.session() as session:
        return set(session.scalars(filter_by_search(select(Document.title), session, query)))


def test_searches_match_with_and_without_accents_on_both_dialects(any_store) -> None:
    with any_store.write() as session:
        for title, body in TEXTS.items():
            sha = text_sha256(body)
            repo.add_document(session, DocumentRecord(doc_id_for(sha), body, sha, {"title": title}))
        update_search_index(session)
    assert _titles(any_store, "pyongyang") == {"korea", "plain"}
    assert _titles(any_store, "Pyŏngyang") == {"korea", "plain"}  # an accented query too
    assert _titles(any_store, "JONG") == {"korea"}
    assert _titles(any_store, "nang") == {"vietnam", "plain"}
    assert _titles(any_store, "Nẵng") == {"vietnam", "plain"}
    assert _titles(any_store, "da") == {"plain"}  # Đ has no decomposition: neither database folds it
    assert _titles(any_store, "krakow") == {"poland", "plain"}
    assert _titles(any_store, "KRAKÓW") == {"poland", "plain"}
    assert _titles(any_store, "minuit cafe") == {"cafe"}
    assert _titles(any_store, "pyongyang krakow") == {"plain"}


def test_sqlite_fts5_folds_the_same_letters() -> None:
    """The PostgreSQL folding is meant to match FTS5's remove_diacritics 2; find every letter they treat
    differently (FTS5 leaves the two letters with two stacked marks above A as they are)."""
    import sqlite3

    db = sqlite3.connect(":memory:")
    db.execute("CREATE VIRTUAL TABLE f USING fts5(t, tokenize='unicode61 remove_diacritics 2')")
    db.executemany("INSERT INTO f(rowid, t) VALUES (?, ?)", [(i, f"q{a}z") for i, a in enumerate(FOLD_FROM)])
    unfolded = {FOLD_FROM[i] for i, plain in enumerate(FOLD_TO)
                if (i,) not in db.execute("SELECT rowid FROM f WHERE f MATCH ?", (f'"q{plain}z"',)).fetchall()}
    assert unfolded <= {"Ǡ", "ǡ"}


@pytest.mark.postgres
def test_postgres_search_uses_the_folded_index(pg_url: str) -> None:
    from annotator.store.database import open_store

    store = open_store(pg_url)
    try:
        with store.write() as session:
            for number in range(200):
                body = f"Report {number} from Pyŏngyang about crews." if number % 50 == 0 else f"Report {number}."
                sha = text_sha256(body)
                repo.add_document(session, DocumentRecord(doc_id_for(sha), body, sha, {"title": str(number)}))
        with store.session() as session:
            session.execute(text("ANALYZE documents"))
            session.execute(text("SET LOCAL enable_seqscan = off"))
            statement = filter_by_search(select(Document.id), session, "pyongyang")
            compiled = statement.compile(session.get_bind())
            rows = session.connection().exec_driver_sql(f"EXPLAIN {compiled}", compiled.params)
            plan = "\n".join(row[0] for row in rows)
            assert "ix_documents_search" in plan, plan
            assert len(session.execute(statement).all()) == 4
    finally:
        store.close()
