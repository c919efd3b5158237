"""Colours that stay readable in any palette, and the dark theme used by ``--screenshot --theme dark``.

Widgets used to hard-code colours chosen for a white window (grey help text #4d4d4d, a green "done"
#009E73, white text on label colours), which became unreadable on a dark desktop palette. Every such
colour now goes through :func:`readable`: the wished-for hue, moved towards black or white just enough to
reach WCAG AA contrast (4.5:1, ``core.colours``) against the palette the widget really has. Text on a
label colour is black or white, whichever contrasts more (:func:`text_on`).
"""

from __future__ import annotations

from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication, QLabel, QStyleFactory, QWidget

from annotator.core import colours

THEMES = ("light", "dark")

# Warning banners: Okabe–Ito yellow on a light window, a dark amber on a dark one; text picked by contrast.
WARNING_LIGHT = "#F0E442"
WARNING_DARK = "#5C5416"


def palette_of(widget: QWidget | None = None) -> QPalette:
    return widget.palette() if widget is not None else QGuiApplication.palette()


def is_dark(palette: QPalette) -> bool:
    return palette.color(QPalette.ColorRole.Window).lightness() < 128


def readable(wanted: str, palette: QPalette, role: QPalette.ColorRole = QPalette.ColorRole.Window,
             minimum: float = colours.AA_CONTRAST) -> QColor:
    """``wanted``, or the nearest colour of its hue that reaches ``minimum`` contrast on ``role``."""
    background = palette.color(role).name()
    return QColor(colours.ensure_contrast(wanted, background, minimum))


def text_on(background: str) -> QColor:
    """Black or white, whichever is readable on ``background`` (a label colour)."""
    return QColor(colours.readable_text(background))


def muted(palette: QPalette, role: QPalette.ColorRole = QPalette.ColorRole.Window) -> QColor:
    """Secondary text (help, ids, descriptions): the palette's text, half-way to the background, kept AA."""
    text = palette.color(QPalette.ColorRole.WindowText if role == QPalette.ColorRole.Window
                         else QPalette.ColorRole.Text)
    back = palette.color(role)
    mixed = colours.blend(text.name(), back.name(), 0.7)
    return readable(colours.to_hex(mixed), palette, role)


def set_text_colour(label: QLabel, colour: QColor) -> None:
    """Colour a label's text through its palette (not a style sheet), so a test reads what is painted."""
    palette = label.palette()
    palette.setColor(QPalette.ColorRole.WindowText, colour)
    palette.setColor(QPalette.ColorRole.Text, colour)
    label.setPalette(palette)


def warning_style(palette: QPalette) -> tuple[QColor, QColor]:
    """(background, text) of a warning banner for this palette."""
    background = WARNING_DARK if is_dark(palette) else WARNING_LIGHT
    return QColor(background), text_on(background)


def style_banner(label: QLabel, object_name: str) -> None:
    """A warning banner (read-only database, scheme not editable) in colours that fit the palette."""
    background, text = warning_style(label.palette())
    label.setObjectName(object_name)
    label.setStyleSheet(f"QLabel#{object_name} {{ background: {background.name()}; color: {text.name()};"
                        " padding: 6px 10px; font-weight: 600; border-radius: 3px; }")


def dark_palette() -> QPalette:
    """A dark palette for the Fusion style (the colours of common dark desktop themes)."""
    p = QPalette()
    role, group = QPalette.ColorRole, QPalette.ColorGroup
    for r, value in ((role.Window, "#2b2b2b"), (role.WindowText, "#e6e6e6"), (role.Base, "#1e1e1e"),
                     (role.AlternateBase, "#262626"), (role.ToolTipBase, "#3a3a3a"), (role.ToolTipText, "#f0f0f0"),
                     (role.Text, "#e6e6e6"), (role.Button, "#353535"), (role.ButtonText, "#e6e6e6"),
                     (role.BrightText, "#ff6b6b"), (role.Link, "#6cb4ff"), (role.Highlight, "#2f65ca"),
                     (role.HighlightedText, "#ffffff"), (role.PlaceholderText, "#9a9a9a"), (role.Light, "#4a4a4a"),
                     (role.Midlight, "#3d3d3d"), (role.Mid, "#2f2f2f"), (role.Dark, "#191919"),
                     (role.Shadow, "#000000")):
        p.setColor(r, QColor(value))
    for r in (role.WindowText, role.Text, role.ButtonText):
        p.setColor(group.Disabled, r, QColor("#7f7f7f"))
    return p


def apply_theme(app: QApplication, theme: str) -> None:
    """Fusion with a light or dark palette, the same on every platform (screenshots are comparable)."""
    if theme not in THEMES:
        raise ValueError(f"unknown theme {theme!r}")
    style = QStyleFactory.create("Fusion")
    if style is not None:
        app.setStyle(style)
    app.setPalette(dark_palette() if theme == "dark" else (style.standardPalette() if style else QPalette()))
