"""Calling the reference packages (krippendorff, scikit-learn, …) and comparing their figures with ours.

A reference that raises or returns NaN/inf for a degenerate case means "undefined", which our code reports
as None; shared by every cross-check so both sides of a comparison follow one rule.
"""

from __future__ import annotations

import math
import warnings


def reference(fn, *args, **kwargs) -> float | None:  # type: ignore[no-untyped-def]
    """The reference figure, or None where the package finds it undefined."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            value = float(fn(*args, **kwargs))
        except (ValueError, ZeroDivisionError):
            return None
    return None if math.isnan(value) or math.isinf(value) else value


def same(ours: float | None, ref: float | None) -> None:
    """Our figure equals the reference to 1e-9, and is None exactly where the reference is undefined."""
    if ref is None:
        assert ours is None
    else:
        assert ours is not None and abs(ours - ref) < 1e-9, (ours, ref)
