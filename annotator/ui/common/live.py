"""Live view of a shared database: notice colleagues' changes and the state of the connection.

A QTimer in the UI thread asks, every couple of seconds, for the store's change fingerprint
(``store/changes.py``); the query itself runs on a one-thread QThreadPool, so a slow or unreachable server
never freezes the window. Results come back through queued signals. At most one poll is in flight:
a poll that hangs (a server behind a dead network link) is not stacked up on, and after two intervals
without an answer the state turns to "reconnecting…" anyway.

Reconnecting needs no special code: the engine's pool pings connections before use and opens a new one
when the old is gone, so the next poll after the server returns simply succeeds. While offline the
watcher polls less often, to be gentle with a server that is restarting.
"""

from __future__ import annotations

import time
from functools import partial

from PySide6.QtCore import QObject, QThreadPool, QTimer, Signal, Slot

from annotator.store.changes import ChangeToken, current_token
from annotator.store.database import Store

CONNECTED = "connected"
RECONNECTING = "reconnecting…"
OFFLINE = "offline"


class _PollResults(QObject):
    """Carries a poll's outcome from the worker thread to the UI thread (queued connections)."""

    succeeded = Signal(object)
    failed = Signal(str)


def _poll(store: Store, results: _PollResults, ignore_annotator: str | None = None) -> None:
    """Runs on the pool's thread: read the fingerprint, report it or the reason it could not be read."""
    try:
        token = current_token(store, ignore_annotator)
    except Exception as exc:  # noqa: BLE001 - a worker must report, never die; AnnotatorError is the usual case
        results.failed.emit(str(exc) or exc.__class__.__name__)
    else:
        results.succeeded.emit(token)


class LiveWatcher(QObject):
    """Polls a store and emits ``data_changed`` when someone changed it, ``connection_state`` on transitions.

    ``connection_state`` carries "connected", "reconnecting…" (a poll failed or is overdue) or
    "offline" (``offline_after`` polls in a row failed). ``last_error`` holds the latest reason.
    """

    data_changed = Signal()
    connection_state = Signal(str)

    def __init__(self, store: Store, *, interval_ms: int = 2000, offline_after: int = 3,
                 ignore_annotator: str | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._store = store
        self._ignore_annotator = ignore_annotator  # the window's own user: their edits are already shown
        self._interval_ms = interval_ms
        self._offline_after = offline_after
        self._token: ChangeToken | None = None
        self._failures = 0
        self._in_flight_since: float | None = None
        self.state: str | None = None
        self.last_error = ""
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._results = _PollResults(self)
        self._results.succeeded.connect(self._on_succeeded)
        self._results.failed.connect(self._on_failed)
        self._timer = QTimer(self)
        self._timer.timeout.connect(self.poll_now)

    def start(self) -> None:
        self._timer.start(self._interval_ms)
        self.poll_now()

    def stop(self, wait_ms: int = 3000) -> None:
        """Stop polling; wait (bounded) for a poll in flight so the store can be closed after it."""
        self._timer.stop()
        self._pool.waitForDone(wait_ms)

    @Slot()
    def poll_now(self) -> None:
        """Start a poll unless one is running; an overdue poll marks the connection as reconnecting."""
        if self._in_flight_since is not None:
            if (time.monotonic() - self._in_flight_since) * 1000 > 2 * self._interval_ms and self.state != OFFLINE:
                self._set_state(RECONNECTING)
            return
        self._in_flight_since = time.monotonic()
        self._pool.start(partial(_poll, self._store, self._results, self._ignore_annotator))

    @Slot(object)
    def _on_succeeded(self, token: ChangeToken) -> None:
        self._in_flight_since = None
        self._failures = 0
        if self._timer.isActive() and self._timer.interval() != self._interval_ms:
            self._timer.setInterval(self._interval_ms)
        self._set_state(CONNECTED)
        changed = self._token is not None and token != self._token
        self._token = token
        if changed:
            self.data_changed.emit()

    @Slot(str)
    def _on_failed(self, reason: str) -> None:
        self._in_flight_since = None
        self._failures += 1
        self.last_error = reason
        if self._failures >= self._offline_after:
            self._set_state(OFFLINE)
            if self._timer.isActive():
                self._timer.setInterval(min(4 * self._interval_ms, 10_000))
        else:
            self._set_state(RECONNECTING)

    def _set_state(self, state: str) -> None:
        if state != self.state:
            self.state = state
            self.connection_state.emit(state)
