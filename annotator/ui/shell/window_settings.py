"""The main window's remembered state: size and place, panel widths, font size, list order, last document.

A base of :class:`~annotator.ui.shell.main_window.MainWindow`, kept apart from its layout and menus. The
settings live in an INI file beside annotator's ``settings.json`` (per user config folder), so tests and
portable set-ups stay isolated; a scripted screenshot does not write them (``keep_settings``).
"""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QSettings

from annotator.ui.common.screen_fit import fit_to_available
from annotator.ui.shell.panel_layout import DEFAULT_SIZE, PanelLayout

if TYPE_CHECKING:
    from annotator.ui.annotate.article_view import ArticleView

DEFAULT_POINT_SIZE = 13.0


def default_settings() -> QSettings:
    """QSettings in an INI file beside annotator's settings.json (isolated per user config dir)."""
    from annotator.config import config_path

    return QSettings(str(config_path().with_name("ui.ini")), QSettings.Format.IniFormat)


class WindowSettings(PanelLayout):
    """Restores what :meth:`MainWindow.closeEvent` saved; the window provides settings, article, docs."""

    settings: QSettings
    article: ArticleView

    def open_document(self, doc_pk: int, annotator: str | None = None) -> bool:
        raise NotImplementedError  # the window's

    def _restore_settings(self) -> None:
        s = self.settings
        geometry = s.value("geometry")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        else:
            self.resize(*DEFAULT_SIZE)
        state = s.value("window_state")
        if isinstance(state, QByteArray):
            self.restoreState(state)
        fit_to_available(self)  # a geometry saved on a bigger monitor, or the default on a small screen
        splitter = s.value("splitter")
        if isinstance(splitter, QByteArray):
            self.splitter.restoreState(splitter)
        else:
            self.splitter.setSizes(self._default_panel_sizes(self.width()))
        self.balance_panels()
        stored = s.value("font_size", DEFAULT_POINT_SIZE)  # a string when the file was written by hand
        try:
            size = float(stored) if isinstance(stored, (int, float, str)) else DEFAULT_POINT_SIZE
        except ValueError:
            size = DEFAULT_POINT_SIZE
        self.article.set_point_size(size)
        self.docs.restore_sort(s.value("document_sort", ""))

    def open_initial(self, doc_pk: int | None = None) -> None:
        """Open ``doc_pk``, else the last document seen, else the first in the list."""
        candidates = [doc_pk]
        last = self.settings.value("last_document", 0)
        with contextlib.suppress(ValueError):
            candidates.append((int(last or 0) or None) if isinstance(last, (int, str)) else None)
        candidates.append(self.docs.model.pks[0] if self.docs.model.pks else None)
        for pk in candidates:
            if pk is not None and self.open_document(pk):
                return
