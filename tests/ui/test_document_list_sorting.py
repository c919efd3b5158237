"""Clicking a document list header sorts the list in SQL (again: descending), page by page, under any filter;
the open document stays selected, J/K walk the shown order and the window remembers the choice."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt

from annotator.core.formats.articles import document_from_text
from annotator.store import queries
from annotator.store import repository as repo
from annotator.store.queries import DocumentFilter, DocumentRow, DocumentSort
from annotator.ui.annotate import document_list
from annotator.ui.annotate.document_list import DocumentList
from tests.ui_helpers import ANALYST, make_window

STATUS_RANK = {"todo": 0, "in_progress": 1, "done": 2}
COLUMN_OF = {"title": 0, "published": 2, "status": 3, "spans": 4}
FILTERS = [DocumentFilter(), DocumentFilter(status="todo"), DocumentFilter(search="crane"),
           DocumentFilter(search="crane", status="in_progress")]


@pytest.fixture
def corpus(store):  # type: ignore[no-untyped-def]
    """37 documents with repeated titles, dates and counts (ties), some without a date, three statuses."""
    with store.write() as session:
        repo.ensure_default_scheme(session)
        pks = []
        for i in range(37):
            body = f"Article {i}: " + ("crane operators worked all night." if i % 3 else "wages were withheld.")
            meta = {"title": f"Story {(i * 7) % 11}"}
            if i % 4:
                meta["date"] = f"2024-0{1 + i % 5}-1{i % 3}"
            pks.append(repo.add_document(session, document_from_text(body, meta))[0].id)
        for pk in pks[::3]:
            repo.set_status(session, pk, ANALYST, "done", actor=ANALYST)
        for pk in pks[1::4]:
            repo.set_status(session, pk, ANALYST, "in_progress", actor=ANALYST)
        for n, pk in enumerate(pks[2::5]):
            for s in range(n % 3 + 1):
                repo.add_span(session, pk, ANALYST, s, s + 3, "injury", actor=ANALYST)
    return store


@pytest.fixture
def small_pages(monkeypatch):  # type: ignore[no-untyped-def]
    monkeypatch.setattr(document_list, "PAGE", 4)
    monkeypatch.setattr(document_list, "KEPT_PAGES", 2)


def expected_order(store, flt: DocumentFilter, key: str, descending: bool) -> list[int]:  # type: ignore[no-untyped-def]
    """The sorted ids computed in Python from the rows (NULL dates first ascending, as SQL sorts them)."""
    with store.session() as session:
        rows = queries.document_rows(session, queries.document_ids(session, ANALYST, flt), ANALYST)
        published = {pk: session.get(queries.Document, pk).published for pk in rows}

    def sort_key(row: DocumentRow) -> tuple:
        value = {"title": (row.title,), "published": (published[row.pk] is not None, published[row.pk] or ""),
                 "status": (STATUS_RANK[row.status],), "spans": (row.span_count,)}[key]
        return (*value, row.pk)

    ordered = [r.pk for r in sorted(rows.values(), key=sort_key)]
    return ordered[::-1] if descending else ordered


def click_header(qtbot, docs: DocumentList, col: int) -> None:  # type: ignore[no-untyped-def]
    header = docs.table.horizontalHeader()
    x = header.sectionViewportPosition(col) + header.sectionSize(col) // 2
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, header.height() // 2))


def shown(docs: DocumentList) -> list[int]:
    """Every row's id as the view reads it (through the model's pages, in display order)."""
    model = docs.model
    return [model.data(model.index(row, 0), Qt.ItemDataRole.UserRole) for row in range(model.rowCount())]


@pytest.mark.parametrize("flt", FILTERS, ids=lambda f: f"{f.search}|{f.status}")
def test_header_clicks_sort_each_column_both_ways_across_pages(qtbot, corpus, small_pages, flt) -> None:  # type: ignore[no-untyped-def]
    docs = DocumentList(corpus, ANALYST, [])
    qtbot.addWidget(docs)
    docs.resize(900, 600)  # wide enough to show every column
    docs.show()
    qtbot.waitExposed(docs)
    docs.search.setText(flt.search)
    docs.status.setCurrentIndex(docs.status.findData(flt.status))
    docs.apply_filter()
    header = docs.table.horizontalHeader()
    docs.fit_columns()
    assert not any(header.isSectionHidden(c) for c in range(5)), [header.isSectionHidden(c) for c in range(5)]
    assert not header.isSortIndicatorShown()
    for key, col in COLUMN_OF.items():
        for descending in (False, True):
            click_header(qtbot, docs, col)
            assert docs.model.document_sort == DocumentSort(key, descending)
            assert header.isSortIndicatorShown() and header.sortIndicatorSection() == col
            assert header.sortIndicatorOrder() == (Qt.SortOrder.DescendingOrder if descending
                                                   else Qt.SortOrder.AscendingOrder)
            expected = expected_order(corpus, flt, key, descending)
            assert expected, "a filter that lists nothing tests nothing"
            assert shown(docs) == expected
            # Backwards, too: pages dropped and read again by position are the same rows.
            assert [docs.model.pk_at(r) for r in reversed(range(len(expected)))] == expected[::-1]
            assert [docs.model.row_of(pk) for pk in expected] == list(range(len(expected)))
    click_header(qtbot, docs, 1)  # Source does not sort: the order and the indicator stay
    assert docs.model.document_sort == DocumentSort("spans", True) and header.sortIndicatorSection() == 4


def test_sorted_title_and_date_pages_walk_their_index(corpus) -> None:  # type: ignore[no-untyped-def]
    for key, index in (("title", "ix_documents_title"), ("published", "ix_documents_published")):
        with corpus.session() as session:
            query, order = queries._sorted(session, [queries.Document.id], ANALYST, DocumentFilter(),
                                           DocumentSort(key, True))
            sql = str(query.order_by(*order).limit(5).compile(compile_kwargs={"literal_binds": True}))
            plan = " ".join(str(r[-1]) for r in session.connection().exec_driver_sql("EXPLAIN QUERY PLAN " + sql))
        assert index in plan and "TEMP B-TREE" not in plan, plan


def test_open_document_stays_selected_and_j_k_follow_the_sorted_order(qtbot, corpus, small_pages,
                                                                       tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    window = make_window(qtbot, corpus, tmp_path / "ui.ini")
    ids = expected_order(corpus, DocumentFilter(), "title", True)
    window.open_document(ids[9])
    click_header(qtbot, window.docs, COLUMN_OF["title"])
    click_header(qtbot, window.docs, COLUMN_OF["title"])  # descending
    assert window.docs.model.document_sort == DocumentSort("title", True)
    assert window.docs.table.currentIndex().row() == 9  # still the open document, at its new row
    assert window.session.doc_pk == ids[9]
    qtbot.keyClick(window.article, Qt.Key.Key_J)
    assert window.session.doc_pk == ids[10]
    qtbot.keyClick(window.article, Qt.Key.Key_J)
    assert window.session.doc_pk == ids[11]
    for back in (10, 9, 8):
        qtbot.keyClick(window.article, Qt.Key.Key_K)
        assert window.session.doc_pk == ids[back]
    assert window.docs.table.currentIndex().row() == 8


def test_the_chosen_sort_is_remembered(qtbot, corpus, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    settings = tmp_path / "ui.ini"
    first = make_window(qtbot, corpus, settings, own_cleanup=True)
    click_header(qtbot, first.docs, COLUMN_OF["spans"])
    click_header(qtbot, first.docs, COLUMN_OF["spans"])
    assert first.docs.model.document_sort == DocumentSort("spans", True)
    first.close()
    first.deleteLater()
    again = make_window(qtbot, corpus, settings)
    assert again.docs.model.document_sort == DocumentSort("spans", True)
    header = again.docs.table.horizontalHeader()
    assert header.sortIndicatorSection() == COLUMN_OF["spans"]
    assert header.sortIndicatorOrder() == Qt.SortOrder.DescendingOrder
    assert shown(again.docs) == expected_order(corpus, DocumentFilter(), "spans", True)
    again.docs.restore_sort("-no-such-column")  # a hand-edited setting: import order, no traceback
    assert again.docs.model.document_sort is None and not header.isSortIndicatorShown()


def test_ctrl_enter_opens_the_next_undone_document_in_the_sorted_order(qtbot, corpus, small_pages,
                                                                       tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """Sorted by title, descending, with a filter: "done and next" goes down the list as shown, then wraps."""
    window = make_window(qtbot, corpus, tmp_path / "ui.ini")
    flt = DocumentFilter(search="crane")
    window.docs.search.setText("crane")
    qtbot.waitUntil(lambda: window.docs.model.filter.search == "crane")
    click_header(qtbot, window.docs, COLUMN_OF["title"])
    click_header(qtbot, window.docs, COLUMN_OF["title"])
    ids = expected_order(corpus, flt, "title", True)
    with corpus.session() as session:
        undone = [pk for pk in ids if queries.layer_status(session, pk, ANALYST) != "done"]
    assert undone != sorted(undone)  # the sorted order is not import order: the test can tell them apart
    window.open_document(undone[0])
    assert window.docs.model.document_sort == DocumentSort("title", True)
    for expected in undone[1:4]:
        qtbot.keyClick(window.article, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
        assert window.session.doc_pk == expected
    with corpus.session() as session:  # wraps around to the first undone row still in the list
        assert queries.next_undone(session, ANALYST, undone[-1], flt, DocumentSort("title", True)) == undone[3]


@pytest.mark.parametrize("key", ["title", "published", "status", "spans"])
def test_next_undone_follows_every_sort_column(any_store, key: str) -> None:  # type: ignore[no-untyped-def]
    """On SQLite and PostgreSQL: the next undone id is the first undone one after the current row."""
    with any_store.write() as session:
        repo.ensure_default_scheme(session)
        pks = [repo.add_document(session, document_from_text(f"Text {i} of the crane story.",
                                                             {"title": f"T{(i * 5) % 7}"}))[0].id for i in range(12)]
        for pk in pks[::4]:
            repo.set_status(session, pk, ANALYST, "done", actor=ANALYST)
        repo.add_span(session, pks[3], ANALYST, 0, 4, "injury", actor=ANALYST)
    for descending in (False, True):
        sort = DocumentSort(key, descending)
        with any_store.session() as session:
            order = [row.pk for row in queries.sorted_page(session, ANALYST, None, sort, limit=100)]
            done = {pk for pk in order if queries.layer_status(session, pk, ANALYST) == "done"}
            for i, pk in enumerate(order):
                later = [p for p in order[i + 1:] + order[:i] if p not in done]
                assert queries.next_undone(session, ANALYST, pk, None, sort) == (later[0] if later else None)
