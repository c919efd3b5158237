"""Live views: the change fingerprint (both dialects) and the polling watcher with real Qt signals."""

from __future__ import annotations

import time

import psycopg
import pytest

from annotator.store import repository as repo
from annotator.store.changes import change_token, changed_layers, current_token
from annotator.store.database import open_store
from annotator.store.models import utcnow
from annotator.ui.common.live import CONNECTED, OFFLINE, RECONNECTING, LiveWatcher
from tests.pg_server import SUPERUSER, PostgresServer
from tests.team.test_both_dialects import _doc


def _seed(store) -> int:  # type: ignore[no-untyped-def]
    with store.write() as session:
        repo.ensure_default_scheme(session)
        doc, _ = repo.add_document(session, _doc("Drivers were tracked by GPS around the clock."))
        return doc.id


def test_the_fingerprint_moves_with_every_kind_of_change(any_store) -> None:
    doc_id = _seed(any_store)
    tokens = [current_token(any_store)]

    def step(action) -> None:  # type: ignore[no-untyped-def]
        with any_store.write() as session:
            action(session)
        tokens.append(current_token(any_store))
        assert tokens[-1] != tokens[-2], f"change {len(tokens) - 1} was not noticed"

    span = {}
    step(lambda s: span.setdefault("v", repo.add_span(s, doc_id, "ana", 0, 7, "surveillance", actor="ana")))
    step(lambda s: repo.update_span(s, span["v"].id, actor="ana", label="injury"))
    step(lambda s: repo.update_span(s, span["v"].id, actor="ana", note="checked"))
    step(lambda s: repo.delete_span(s, span["v"].id, actor="ana"))
    step(lambda s: repo.set_status(s, doc_id, "ana", "done", actor="ana"))
    step(lambda s: repo.add_document(s, _doc("A second article about night work.")))
    step(lambda s: repo.set_role(s, "ben", "curator"))
    # Reading changes nothing.
    with any_store.session() as session:
        repo.list_spans(session, doc_id, "ana")
        assert change_token(session) == tokens[-1]


def test_changed_layers_lists_what_to_refresh(any_store) -> None:
    doc_id = _seed(any_store)
    with any_store.write() as session:
        repo.add_span(session, doc_id, "ana", 0, 7, "surveillance", actor="ana")
    since = utcnow()
    time.sleep(0.01)
    with any_store.write() as session:
        repo.add_span(session, doc_id, "ben", 0, 7, "surveillance", actor="ben")
        assert [(d, n) for d, n, _ in changed_layers(session, since)] == [(doc_id, "ben")]


def test_watcher_reports_a_colleague_s_change(qtbot, any_store_url: str) -> None:
    mine, theirs = open_store(any_store_url), open_store(any_store_url)
    doc_id = _seed(mine)
    watcher = LiveWatcher(mine, interval_ms=50)
    try:
        watcher.start()
        # On a loaded machine the first poll (a new connection) may take longer than two 50 ms intervals,
        # and the watcher rightly says "reconnecting…" first: what counts is that it gets connected.
        qtbot.waitUntil(lambda: watcher.state == CONNECTED, timeout=10000)
        qtbot.waitUntil(lambda: watcher._token is not None, timeout=5000)
        with qtbot.assertNotEmitted(watcher.data_changed, wait=300):
            pass
        with qtbot.waitSignal(watcher.data_changed, timeout=5000), theirs.write() as session:
            repo.add_span(session, doc_id, "ben", 0, 7, "surveillance", actor="ben")
    finally:
        watcher.stop()
        mine.close()
        theirs.close()


@pytest.mark.postgres
def test_watcher_goes_offline_and_reconnects_by_itself(qtbot, pg_server: PostgresServer, pg_url: str) -> None:
    store = open_store(pg_url)
    doc_id = _seed(store)
    watcher = LiveWatcher(store, interval_ms=50, offline_after=2)
    states: list[str] = []
    watcher.connection_state.connect(states.append)
    try:
        watcher.start()
        qtbot.waitUntil(lambda: states == [CONNECTED], timeout=5000)
        pg_server.stop()
        try:
            qtbot.waitUntil(lambda: states[-1:] == [OFFLINE], timeout=10000)
            assert states == [CONNECTED, RECONNECTING, OFFLINE]
            assert "is unavailable" in watcher.last_error
        finally:
            pg_server.start()
        with store.write() as session:  # a change made while the view was offline
            repo.add_span(session, doc_id, "ana", 0, 7, "surveillance", actor="ana")
        with qtbot.waitSignal(watcher.data_changed, timeout=10000):
            pass
        assert states[-1] == CONNECTED
    finally:
        watcher.stop()
        store.close()


@pytest.mark.postgres
def test_a_hanging_query_never_blocks_the_ui(qtbot, pg_server: PostgresServer, pg_url: str) -> None:
    store = open_store(pg_url)
    _seed(store)
    watcher = LiveWatcher(store, interval_ms=50)
    states: list[str] = []
    watcher.connection_state.connect(states.append)
    database = pg_url.rsplit("/", 1)[1]
    try:
        watcher.start()
        qtbot.waitUntil(lambda: states == [CONNECTED], timeout=5000)
        # Another session holds an exclusive lock: the watcher's query waits on the server.
        with psycopg.connect(host=pg_server.host, port=pg_server.port, user=SUPERUSER, dbname=database) as lock:
            lock.execute("LOCK TABLE layers IN ACCESS EXCLUSIVE MODE")
            started = time.monotonic()
            qtbot.waitUntil(lambda: states[-1:] == [RECONNECTING], timeout=5000)
            # The event loop kept turning: the state change itself came through it, within the deadline.
            assert time.monotonic() - started < 5
            lock.rollback()
        qtbot.waitUntil(lambda: states[-1:] == [CONNECTED], timeout=5000)
        assert states == [CONNECTED, RECONNECTING, CONNECTED]
    finally:
        watcher.stop()
        store.close()
