"""Starting the desktop app: QApplication, first run, opening the store, the main window, screenshots.

Nothing here may block a scripted run: with ``--screenshot`` or on an offscreen platform the analyst's
name comes from ``--annotator`` / ``ANNOTATOR_USER`` / settings / the login name without a dialog.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, cast

from PySide6.QtCore import QCoreApplication, QSettings
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QInputDialog, QMessageBox, QWidget

from annotator.config import acting_annotator, config_path, login_name, save_settings
from annotator.core.errors import AnnotatorError
from annotator.store.database import Store, open_store, resolve_url
from annotator.store.repository import check_annotator_name
from annotator.ui.common.qt_messages import install_message_filter

if TYPE_CHECKING:  # both load after the application object exists
    from annotator.ui.common.live import LiveWatcher
    from annotator.ui.shell.main_window import MainWindow

HEADLESS_PLATFORMS = ("offscreen", "minimal", "vnc")


def application() -> QApplication:
    install_message_filter()
    app = QApplication.instance()
    if app is None:
        app = QApplication(sys.argv[:1])
    QCoreApplication.setOrganizationName("annotator")
    QCoreApplication.setApplicationName("annotator")
    # Lets Wayland desktops match the window to its menu entry (resources/linux/*.desktop).
    QGuiApplication.setDesktopFileName("io.github.annotator.Annotator")
    _set_window_icon()
    # Keep QSettings beside settings.json (XDG config dir), so tests and portable setups stay isolated.
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(config_path().parent))
    return cast(QApplication, app)  # instance() is typed as the base class; the app is always a QApplication


def interactive(screenshot: str | None) -> bool:
    return screenshot is None and QGuiApplication.platformName() not in HEADLESS_PLATFORMS


def choose_annotator(explicit: str | None, *, ask: bool) -> str:
    """The acting annotator; on first run ask (when a person is there) and remember the answer."""
    name = acting_annotator(explicit)
    if name:
        return check_annotator_name(name)
    name = login_name()
    if ask:
        answer, ok = QInputDialog.getText(None, "Welcome to annotator",
                                          "Your name as an analyst (it is saved with every span you tag):",
                                          text=name)
        if ok and answer.strip():
            name = answer
    name = check_annotator_name(name)
    save_settings({"annotator": name})
    return name


def open_for_app(db: str | None, read_only: bool) -> tuple[Store, str | None]:
    """Open the store; a file without write permission opens read-only with a reason for the banner."""
    url = resolve_url(db)
    if read_only:
        return open_store(db, read_only=True), "opened with --read-only"
    if url.startswith("sqlite:///"):
        path = Path(url[len("sqlite:///"):])
        if path.exists() and not os.access(path, os.W_OK):
            return open_store(db, read_only=True), "the database file is not writable"
    return open_store(db), None


def is_default_database(db: str | None) -> bool:
    return db is None and not os.environ.get("ANNOTATOR_DB")


def run_app(db: str | None = None, annotator: str | None = None, screenshot: str | None = None,
            doc: str | None = None, read_only: bool = False, *, size: tuple[int, int] | None = None,
            view: str = "main", theme: str | None = None) -> int:
    app = application()
    if theme is not None:
        from annotator.ui.common.theme import apply_theme

        apply_theme(app, theme)
    ask = interactive(screenshot)
    try:
        name = choose_annotator(annotator, ask=ask)
        store, reason = open_for_app(db, read_only)
    except AnnotatorError as exc:
        if ask:
            QMessageBox.critical(None, "annotator", str(exc))
        raise
    from annotator.ui.shell.main_window import MainWindow
    from annotator.ui.shell.window_settings import default_settings

    if reason is None and is_default_database(db):
        _first_run_samples(store)
    window = MainWindow(store, name, settings=default_settings(), read_only_reason=reason)
    window.keep_settings = screenshot is None  # a scripted picture must not change the analyst's next start
    doc_pk = None
    if doc:
        from annotator.store.queries import find_document_pk

        with store.session() as session:
            doc_pk = find_document_pk(session, doc)
        if doc_pk is None:
            store.close()
            raise AnnotatorError(f"no document {doc!r} in this database")
    window.open_initial(doc_pk)
    if screenshot:
        try:
            return save_screenshot(window, Path(screenshot), size=size, view=view)
        finally:
            window.close()
            store.close()
    _index_in_background(store)  # documents a command-line import added since the last session
    watcher = watch_for_changes(window, store)
    app.aboutToQuit.connect(watcher.stop)
    window.show()
    try:
        return app.exec()
    finally:
        store.close()


def _index_in_background(store: Store) -> None:
    """Bring the search index up to date on a plain thread (it touches no widget) while the window opens."""
    import contextlib
    import threading

    from annotator.ui.common.workers import index_for_search

    def run() -> None:
        # Best effort: if this fails (a busy or closing database), the first search indexes what is missing.
        with contextlib.suppress(Exception):
            index_for_search(store)

    threading.Thread(target=run, name="search-index", daemon=True).start()


def watch_for_changes(window: MainWindow, store: Store) -> LiveWatcher:
    """Keep the window current with others' work (team mode, or a CLI import into the same file).

    A colleague's change reaches every view as ``Changes(corpus=True)`` through the window's session: the
    document list re-reads its rows and the open document is re-read when it shows someone else's layer.
    The acting annotator's own edits never cause a reload (the watcher ignores their layers), which would
    cost a query over every document and move the list while they work. The connection state appears in
    the status bar when it is not plainly "connected".
    """
    from annotator.ui.common.live import LiveWatcher
    from annotator.ui.ops.changes import Changes

    session = window.session
    watcher = LiveWatcher(store, ignore_annotator=session.annotator, parent=window)
    watcher.data_changed.connect(lambda: session.publish(Changes(corpus=True)))
    watcher.connection_state.connect(lambda state: window.show_connection_state(state, watcher.last_error))
    watcher.start()
    return watcher


def _set_window_icon() -> None:
    from PySide6.QtGui import QIcon

    from annotator.resources_path import resources_dir

    icon = resources_dir() / "icons" / "annotator.svg"
    if icon.exists():
        QGuiApplication.setWindowIcon(QIcon(str(icon)))


def _first_run_samples(store: Store) -> None:
    from annotator.store.repository import count_documents
    from annotator.ui.shell.first_run import load_samples

    with store.session() as session:
        empty = not count_documents(session)
    if empty:
        load_samples(store)


def screenshot_target(window: MainWindow, view: str) -> QWidget:
    """The window ``--view`` asks for: the main window, its evidence window, or its agreement (computed) or
    curation window.

    AnnotatorError, in one line, when the database has nothing to compare or the computation fails.
    """
    if view == "main":
        return window
    if view == "evidence":
        return window.evidence_tools.open_view()
    if view == "dashboard":
        return _loaded_dashboard(window)
    from annotator.store.agreement_scope import candidate_annotators

    with window.store.session() as db:
        names = candidate_annotators(db)
    if len(names) < 2:
        raise AnnotatorError(f"--view {view} needs two analysts with layers marked done; this database has "
                             f"{len(names) or 'no'} analyst{'' if len(names) == 1 else 's'} with finished layers")
    tools = window.agreement_tools
    if view == "curation":
        curation = tools.open_curation()
        if curation is None:
            raise AnnotatorError(window.last_error or "nothing to curate")
        return curation
    agreement = tools.open_agreement()
    from PySide6.QtCore import QEventLoop, QTimer

    loop = QEventLoop()
    outcome: list[str] = []
    agreement.computed.connect(lambda _run: loop.quit())
    agreement.compute_failed.connect(outcome.append)
    agreement.compute_failed.connect(loop.quit)
    QTimer.singleShot(300_000, loop.quit)
    if not agreement.compute():
        raise AnnotatorError(agreement.last_error or "the agreement could not be computed")
    loop.exec()
    if outcome or agreement.report is None:
        raise AnnotatorError(outcome[0] if outcome else "the agreement computation did not finish in 5 minutes")
    return agreement


def _loaded_dashboard(window: MainWindow) -> QWidget:
    """The team dashboard once its worker has read the figures (AnnotatorError when it could not)."""
    from PySide6.QtCore import QEventLoop, QTimer

    dashboard = window.dashboard_tools.open_view()
    loop = QEventLoop()
    dashboard.loaded.connect(loop.quit)
    QTimer.singleShot(300_000, loop.quit)
    if dashboard.data is None and not dashboard.last_error:
        loop.exec()
    if dashboard.data is None:
        raise AnnotatorError(dashboard.last_error or "the dashboard figures were not read in 5 minutes")
    return dashboard


def save_screenshot(window: MainWindow, path: Path, *, size: tuple[int, int] | None = None,
                    view: str = "main") -> int:
    """Render the window (or, with ``view``, the agreement or curation window) offscreen to a PNG of exactly
    ``size`` pixels when given; AnnotatorError when it cannot be made or written."""
    window.show()
    QApplication.processEvents()
    target = screenshot_target(window, view)
    if size is not None:
        from PySide6.QtCore import QSize

        target.resize(QSize(*size))
    target.show()
    for _ in range(3):
        QApplication.processEvents()
    image = target.grab().toImage()
    image.setDevicePixelRatio(1.0)
    if size is not None and (image.width(), image.height()) != size:
        least = target.minimumSizeHint().expandedTo(target.minimumSize())
        raise AnnotatorError(f"the {view} window cannot be drawn at {size[0]}x{size[1]}: it needs at least "
                             f"{least.width()}x{least.height()} pixels")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise AnnotatorError(f"cannot create the folder ({exc.strerror or exc})", path=str(path)) from None
    if not image.save(str(path), "PNG"):  # type: ignore[call-overload]  # PySide6 takes str here; its stub says bytes
        raise AnnotatorError("could not write the screenshot", path=str(path))
    return 0
