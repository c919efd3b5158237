"""Guard against a reference-counting bug in PySide6 6.12.0 on CPython before 3.12.

Measured here: every Python call of ``Signal.emit()`` returns ``True`` without taking a reference, and
every wrapped C++ method returning ``void`` (``setText``, ``start``, ...) returns ``None`` the same way.
Each call therefore removes one reference from the interpreter's ``True``/``None`` singletons, and after a
few thousand calls CPython aborts with "Fatal Python error: bool_dealloc / none_dealloc" — a crash after
some minutes of tagging. CPython 3.12 made these singletons immortal, so there the bug is harmless.

The guard probes for the bug once and, only if it is present, gives the two singletons a reference
count so large (2**40) that no session can exhaust it. The singletons are statically allocated and
never freed, so a large count has no other effect.
"""

from __future__ import annotations

import ctypes
import sys

_RESERVE = 1 << 40
_applied = False


def _leaks() -> tuple[bool, bool]:
    from PySide6.QtCore import QObject, Signal

    class _Probe(QObject):
        ping = Signal()

    probe = _Probe()
    true_before, none_before = sys.getrefcount(True), sys.getrefcount(None)
    for _ in range(4):
        probe.ping.emit()
        probe.setObjectName("probe")
    true_lost = sys.getrefcount(True) < true_before
    none_lost = sys.getrefcount(None) < none_before
    probe.deleteLater()
    return true_lost, none_lost


def apply() -> bool:
    """Protect ``True`` and ``None`` if this PySide6 leaks their references; returns whether it did."""
    global _applied
    if _applied or sys.version_info >= (3, 12) or sys.implementation.name != "cpython":
        return _applied
    true_lost, none_lost = _leaks()
    for obj, lost in ((True, true_lost), (None, none_lost)):
        if lost:
            ctypes.c_ssize_t.from_address(id(obj)).value += _RESERVE
    _applied = true_lost or none_lost
    return _applied
