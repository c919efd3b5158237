"""The desktop app (PySide6). Imports store and core; nothing below it imports Qt.

Importing the package applies :mod:`annotator.ui.common.pyside_compat` (a guard against a PySide6 6.12.0
reference-counting bug that otherwise aborts the interpreter after a few thousand Qt calls).
"""

from annotator.ui.common import pyside_compat as _pyside_compat

_pyside_compat.apply()
