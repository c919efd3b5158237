"""Qt's own log messages: passed on to stderr, except platform notices that say nothing to a user.

The offscreen platform (``--screenshot``, CI) warns "This plugin does not support propagateSizeHints()"
every time a window is shown: it only means there is no window manager to tell about size hints. A
command-line user who asked for a screenshot should see a clean terminal, so exactly such notices are
dropped; every other Qt warning still reaches stderr unchanged.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QMessageLogContext, QtMsgType, qFormatLogMessage, qInstallMessageHandler

# Complete messages (not fragments), so an unrelated warning is never swallowed by accident.
PLATFORM_NOTICES = frozenset({
    "This plugin does not support propagateSizeHints()",
    "This plugin does not support raise()",  # a --view screenshot raises the agreement or curation window
})

def _handle(kind: QtMsgType, context: QMessageLogContext, message: str) -> None:
    if message in PLATFORM_NOTICES:
        return
    # formatted as Qt's default handler would (it honours QT_MESSAGE_PATTERN)
    print(qFormatLogMessage(kind, context, message), file=sys.stderr, flush=True)


def install_message_filter() -> None:
    """Route Qt's messages through the filter above.

    Installed again on every call rather than once per process: something else (pytest-qt's capture, for
    one) may have put its own handler in place since, and installing the same handler twice is harmless.
    """
    qInstallMessageHandler(_handle)
