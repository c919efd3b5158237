"""Colours for text and backgrounds taken from the widget's palette, never fixed hex values.

Fixed light colours (a lane header on #eeeeee, resolved groups in #4d4d4d) were unreadable with a dark
desktop theme: white text on light grey, dark grey on near-black. Every colour here is a palette role or
a blend of two, and where a blend is used its contrast against the background it sits on is raised to at
least :data:`MIN_CONTRAST` (WCAG AA for body text) by moving it back towards the palette's text colour.
"""

from __future__ import annotations

from PySide6.QtGui import QColor, QPalette

MIN_CONTRAST = 4.5


def luminance(colour: QColor) -> float:
    """WCAG relative luminance of an opaque colour."""

    def channel(value: int) -> float:
        v = value / 255.0
        return v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4

    return 0.2126 * channel(colour.red()) + 0.7152 * channel(colour.green()) + 0.0722 * channel(colour.blue())


def contrast(a: QColor, b: QColor) -> float:
    """WCAG contrast ratio (1 to 21)."""
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def blend(a: QColor, b: QColor, t: float) -> QColor:
    """``a`` moved the fraction ``t`` of the way to ``b``."""
    return QColor(round(a.red() + (b.red() - a.red()) * t), round(a.green() + (b.green() - a.green()) * t),
                  round(a.blue() + (b.blue() - a.blue()) * t))


def readable(colour: QColor, backgrounds: list[QColor], text: QColor) -> QColor:
    """``colour``, moved towards ``text`` until it reads on every one of ``backgrounds`` (≥ 4.5:1), or the
    best of ``text``, black and white when even that is not enough."""
    for step in range(11):
        candidate = blend(colour, text, step / 10)
        if all(contrast(candidate, bg) >= MIN_CONTRAST for bg in backgrounds):
            return candidate
    return max((text, QColor("#000000"), QColor("#ffffff")), key=lambda c: min(contrast(c, bg) for bg in backgrounds))


def dimmed_text(palette: QPalette) -> QColor:
    """Text that reads as "done, less important" on the list's base and alternate rows, still ≥ 4.5:1."""
    base, alt = palette.color(QPalette.ColorRole.Base), palette.color(QPalette.ColorRole.AlternateBase)
    text = palette.color(QPalette.ColorRole.Text)
    return readable(blend(text, base, 0.45), [base, alt], text)


def message_colour(palette: QPalette, *, error: bool) -> QColor:
    """A red (refusal) or green (done) for a message line on the window background, readable in any theme."""
    window, text = palette.color(QPalette.ColorRole.Window), palette.color(QPalette.ColorRole.WindowText)
    hue = QColor("#c0392b") if error else QColor("#2e8b3e")
    return readable(hue, [window], text)


def header_colours(palette: QPalette, *, accent: bool) -> tuple[QColor, QColor]:
    """(background, text) of a lane heading: the alternate base, or for gold a tint of the highlight."""
    base = palette.color(QPalette.ColorRole.Base)
    text = palette.color(QPalette.ColorRole.Text)
    background = palette.color(QPalette.ColorRole.AlternateBase)
    if accent:
        background = blend(base, palette.color(QPalette.ColorRole.Highlight), 0.3)
    return background, readable(text, [background], text)


def on_colour(background: QColor) -> QColor:
    """Black or white, whichever reads better on a label's own colour."""
    return QColor("#000000") if contrast(QColor("#000000"), background) >= contrast(QColor("#ffffff"), background) \
        else QColor("#ffffff")
