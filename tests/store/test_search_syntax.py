"""The search box's syntax — OR, -word, "exact phrase" — means the same on SQLite FTS5 and PostgreSQL, and
syntax it does not support is one clear sentence (also in the document list), never a database error."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from annotator.core.errors import AnnotatorError
from annotator.core.model import DocumentRecord, doc_id_for
from annotator.core.search_query import parse_search
from annotator.core.text import text_sha256
from annotator.store import repository as repo
from annotator.store.models import Document
from annotator.store.search import filter_by_search, update_search_index

TEXTS = {
    "korea": "Crews from North Korea worked in Pyŏngyang's shipyards.",
    "korea-south": "Crews from South Korea went north to the border.",
    "poland": "A recruiter in Kraków placed the welders on the night shift.",
    "qatar": "Welders in Doha said the recruiter kept their passports.",
}


def _titles(store, query: str) -> set[str]:  # type: ignore[no-untyped-def]
    with store.session() as session:
        return set(session.scalars(filter_by_search(select(Document.title), session, query)))


@pytest.fixture
def corpus(any_store):  # type: ignore[no-untyped-def]
    with any_store.write() as session:
        for title, body in TEXTS.items():
            sha = text_sha256(body)
            repo.add_document(session, DocumentRecord(doc_id_for(sha), body, sha, {"title": title}))
        update_search_index(session)
    return any_store


def test_or_exclusion_and_phrases_on_both_databases(corpus) -> None:  # type: ignore[no-untyped-def]
    assert _titles(corpus, "korea") == {"korea", "korea-south"}
    assert _titles(corpus, '"north korea"') == {"korea"}  # the phrase, not both words anywhere
    assert _titles(corpus, "north korea") == {"korea", "korea-south"}
    assert _titles(corpus, "korea -south") == {"korea"}
    assert _titles(corpus, 'crews -"north korea"') == {"korea-south"}
    assert _titles(corpus, "krakow OR doha") == {"poland", "qatar"}
    assert _titles(corpus, "krakow OR doha welders") == {"poland", "qatar"}
    assert _titles(corpus, "krakow OR doha -passports") == {"poland"}
    assert _titles(corpus, '"night shift" OR pyongyang') == {"poland", "korea"}
    assert _titles(corpus, "recruit") == {"poland", "qatar"}  # words still find what they begin
    assert _titles(corpus, '"recruit"') == set()  # a phrase is exact
    assert _titles(corpus, "krakow OR") == {"poland"}  # still typing
    assert _titles(corpus, '"north kor') == set() and _titles(corpus, '"north korea') == {"korea"}


@pytest.mark.parametrize("query", ["(korea)", "korea AND south", "NOT south", "title:korea", "OR korea",
                                   "korea OR OR south", "-south", "korea OR -south", 'ko"rea'])
def test_unsupported_syntax_is_one_sentence(corpus, query: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(AnnotatorError) as raised:
        _titles(corpus, query)
    message = str(raised.value)
    assert message.startswith("search: ") and "\n" not in message


def test_user_text_never_becomes_an_operator(corpus) -> None:  # type: ignore[no-untyped-def]
    for query in ["NEAR/2 korea", "korea*", "^korea", "+korea", "{korea}", "korea-"]:
        parsed = parse_search(query)
        assert parsed.fts5().count('"') % 2 == 0
        _titles(corpus, query)  # runs on both databases without a syntax error
    assert _titles(corpus, "^korea") == {"korea", "korea-south"}
