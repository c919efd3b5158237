"""Colour maths for readable text and distinguishable labels, without Qt.

Labels carry a colour the analyst chose; the app paints text on it (label chips and table cells) and
paints it translucently under the article's text. Two questions follow, and both are answered here so
that the rules are tested once and the widgets only ask:

* **Which text colour is readable on this background?** WCAG 2.x relative luminance and contrast ratio
  (https://www.w3.org/TR/WCAG21/#dfn-contrast-ratio); :func:`readable_text` picks black or white,
  whichever contrasts more, and :func:`ensure_contrast` moves a wished-for colour towards black or white
  until it reaches a ratio (4.5:1 is WCAG AA for body text) against a palette's background.
* **Can two labels be told apart?** CIEDE2000 colour difference (Sharma, Wu & Dalal 2005) between the
  two colours, also after simulating protanopia, deuteranopia and tritanopia with the full-severity
  matrices of Machado, Oliveira & Fernandes 2009 (applied to linear sRGB). :func:`similar_pairs` lists the
  pairs closer than :data:`DISTINCT_DELTA_E` under normal vision or any of the three simulations.

Colours are ``#RRGGBB`` strings or ``(r, g, b)`` tuples of 0–255 integers.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

RGB = tuple[int, int, int]

AA_CONTRAST = 4.5
"""WCAG AA minimum contrast for normal-size text."""

DISTINCT_DELTA_E = 10.0
"""Two label colours (as bars, chips and swatches: full colour) closer than this are hard to tell apart.

ΔE2000 ≈ 2 is a just-noticeable difference side by side; a label colour must be recognised alone, as a
thin underline or a small chip, so the bar is set much higher. Checked under normal vision and the three
simulated deficiencies: every pair of Okabe–Ito's palette (and of the default scheme) stays above 10;
red #E41A1C against green #4DAF4A under deuteranopia (ΔE 9.8) does not.
"""

FILL_DELTA_E = 5.0
"""Two label colours whose article fills (translucent, over the page) are closer than this look alike.

The fill under the text is a pale tint (about a fifth of the colour), which squeezes differences: the
default scheme's Injury #56B4E9 and Sanctions #0072B2, 22 apart in full colour, are 3.7 apart as fills
on white, and read as one label; every other default pair is at least 11 apart.
"""

FILL_ALPHA_LIGHT = 56 / 255
"""Opacity of a span's fill on a light page (the article view paints with it; the faintest case)."""

VISION = ("normal", "protanopia", "deuteranopia", "tritanopia")

# Machado, Oliveira & Fernandes (2009), severity 1.0, on linear RGB.
_MACHADO: dict[str, tuple[tuple[float, float, float], ...]] = {
    "protanopia": ((0.152286, 1.052583, -0.204868),
                   (0.114503, 0.786281, 0.099216),
                   (-0.003882, -0.048116, 1.051998)),
    "deuteranopia": ((0.367322, 0.860646, -0.227968),
                     (0.280085, 0.672501, 0.047413),
                     (-0.011820, 0.042940, 0.968881)),
    "tritanopia": ((1.255528, -0.076749, -0.178779),
                   (-0.078411, 0.930809, 0.147602),
                   (0.004733, 0.691367, 0.303900)),
}


def parse(colour: str | Sequence[int]) -> RGB:
    """``#RRGGBB`` (or ``RRGGBB``, or a 0–255 triple) as an (r, g, b) tuple; ValueError otherwise."""
    if isinstance(colour, str):
        text = colour.strip().lstrip("#")
        if len(text) != 6:
            raise ValueError(f"not a #RRGGBB colour: {colour!r}")
        return int(text[0:2], 16), int(text[2:4], 16), int(text[4:6], 16)
    r, g, b = (int(v) for v in colour)
    if not all(0 <= v <= 255 for v in (r, g, b)):
        raise ValueError(f"not a 0-255 colour: {colour!r}")
    return r, g, b


def to_hex(rgb: Sequence[int]) -> str:
    r, g, b = parse(rgb)
    return f"#{r:02X}{g:02X}{b:02X}"


def _linear(channel: int) -> float:
    c = channel / 255.0
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def _encode(value: float) -> int:
    value = min(1.0, max(0.0, value))
    c = value * 12.92 if value <= 0.0031308 else 1.055 * value ** (1 / 2.4) - 0.055
    return round(c * 255)


def relative_luminance(colour: str | Sequence[int]) -> float:
    """WCAG relative luminance, 0 (black) to 1 (white)."""
    r, g, b = (_linear(v) for v in parse(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(a: str | Sequence[int], b: str | Sequence[int]) -> float:
    """WCAG contrast ratio between two colours, 1 (same luminance) to 21 (black on white); symmetric."""
    la, lb = relative_luminance(a), relative_luminance(b)
    hi, lo = max(la, lb), min(la, lb)
    return (hi + 0.05) / (lo + 0.05)


def readable_text(background: str | Sequence[int]) -> str:
    """``#000000`` or ``#FFFFFF``, whichever contrasts more with ``background`` (always ≥ 4.58:1)."""
    return "#000000" if contrast_ratio(background, (0, 0, 0)) >= contrast_ratio(background, (255, 255, 255)) \
        else "#FFFFFF"


def blend(top: str | Sequence[int], bottom: str | Sequence[int], alpha: float) -> RGB:
    """``top`` painted with opacity ``alpha`` (0–1) over ``bottom``, as a painter composes it."""
    t, b = parse(top), parse(bottom)
    return tuple(round(alpha * x + (1 - alpha) * y) for x, y in zip(t, b, strict=True))  # type: ignore[return-value]


def ensure_contrast(wanted: str | Sequence[int], background: str | Sequence[int],
                    minimum: float = AA_CONTRAST) -> str:
    """``wanted`` if it reaches ``minimum`` against ``background``, else the nearest mix of it with black or
    white (whichever side can reach it) that does; the hue is kept as far as the ratio allows."""
    if contrast_ratio(wanted, background) >= minimum:
        return to_hex(parse(wanted))
    target = readable_text(background)
    lo, hi = 0.0, 1.0  # share of the target mixed in; 1.0 always reaches it (black/white give ≥ 4.58)
    for _ in range(20):
        mid = (lo + hi) / 2
        if contrast_ratio(blend(target, wanted, mid), background) >= minimum:
            hi = mid
        else:
            lo = mid
    result = blend(target, wanted, hi)
    if contrast_ratio(result, background) < minimum:  # rounding to integers can fall just short
        result = parse(target)
    return to_hex(result)


# ---------------------------------------------------------------------- CIELAB and CIEDE2000
def to_lab(colour: str | Sequence[int]) -> tuple[float, float, float]:
    """CIE L*a*b* (D65 white) of an sRGB colour."""
    r, g, b = (_linear(v) for v in parse(colour))
    x = (0.4124564 * r + 0.3575761 * g + 0.1804375 * b) / 0.95047
    y = 0.2126729 * r + 0.7151522 * g + 0.0721750 * b
    z = (0.0193339 * r + 0.1191920 * g + 0.9503041 * b) / 1.08883

    def f(t: float) -> float:
        return t ** (1 / 3) if t > (6 / 29) ** 3 else t / (3 * (6 / 29) ** 2) + 4 / 29

    fx, fy, fz = f(x), f(y), f(z)
    return 116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)


def delta_e_2000(lab1: Sequence[float], lab2: Sequence[float]) -> float:
    """CIEDE2000 colour difference between two L*a*b* colours (kL = kC = kH = 1)."""
    l1, a1, b1 = lab1
    l2, a2, b2 = lab2
    c1, c2 = math.hypot(a1, b1), math.hypot(a2, b2)
    c_bar7 = ((c1 + c2) / 2) ** 7
    g = 0.5 * (1 - math.sqrt(c_bar7 / (c_bar7 + 25 ** 7)))
    a1p, a2p = (1 + g) * a1, (1 + g) * a2
    c1p, c2p = math.hypot(a1p, b1), math.hypot(a2p, b2)
    h1p = math.degrees(math.atan2(b1, a1p)) % 360 if c1p else 0.0
    h2p = math.degrees(math.atan2(b2, a2p)) % 360 if c2p else 0.0
    dlp = l2 - l1
    dcp = c2p - c1p
    if c1p * c2p == 0:
        dhp = 0.0
    elif abs(h2p - h1p) <= 180:
        dhp = h2p - h1p
    elif h2p - h1p > 180:
        dhp = h2p - h1p - 360
    else:
        dhp = h2p - h1p + 360
    dHp = 2 * math.sqrt(c1p * c2p) * math.sin(math.radians(dhp / 2))  # noqa: N806 (the paper's names)
    lp_bar = (l1 + l2) / 2
    cp_bar = (c1p + c2p) / 2
    if c1p * c2p == 0:
        hp_bar = h1p + h2p
    elif abs(h1p - h2p) <= 180:
        hp_bar = (h1p + h2p) / 2
    elif h1p + h2p < 360:
        hp_bar = (h1p + h2p + 360) / 2
    else:
        hp_bar = (h1p + h2p - 360) / 2
    t = (1 - 0.17 * math.cos(math.radians(hp_bar - 30)) + 0.24 * math.cos(math.radians(2 * hp_bar))
         + 0.32 * math.cos(math.radians(3 * hp_bar + 6)) - 0.20 * math.cos(math.radians(4 * hp_bar - 63)))
    d_theta = 30 * math.exp(-(((hp_bar - 275) / 25) ** 2))
    cp_bar7 = cp_bar ** 7
    r_c = 2 * math.sqrt(cp_bar7 / (cp_bar7 + 25 ** 7))
    s_l = 1 + 0.015 * (lp_bar - 50) ** 2 / math.sqrt(20 + (lp_bar - 50) ** 2)
    s_c = 1 + 0.045 * cp_bar
    s_h = 1 + 0.015 * cp_bar * t
    r_t = -math.sin(math.radians(2 * d_theta)) * r_c
    return math.sqrt((dlp / s_l) ** 2 + (dcp / s_c) ** 2 + (dHp / s_h) ** 2 + r_t * (dcp / s_c) * (dHp / s_h))


def delta_e(a: str | Sequence[int], b: str | Sequence[int]) -> float:
    """CIEDE2000 between two sRGB colours."""
    return delta_e_2000(to_lab(a), to_lab(b))


def simulate(colour: str | Sequence[int], vision: str) -> RGB:
    """How ``colour`` looks with ``vision`` (one of :data:`VISION`; "normal" returns it unchanged)."""
    rgb = parse(colour)
    if vision == "normal":
        return rgb
    matrix = _MACHADO[vision]
    lin = [_linear(v) for v in rgb]
    out = [sum(m * c for m, c in zip(row, lin, strict=True)) for row in matrix]
    return _encode(out[0]), _encode(out[1]), _encode(out[2])


@dataclass(frozen=True)
class SimilarPair:
    """Two colours (by index in the list given) closer than the threshold; the worst vision first."""

    first: int
    second: int
    delta_e: float
    vision: str


def similar_pairs(colours: Sequence[str | Sequence[int]], threshold: float = DISTINCT_DELTA_E, *,
                  visions: Sequence[str] = VISION, over: str | Sequence[int] | None = None,
                  alpha: float = 1.0) -> list[SimilarPair]:
    """Every pair of ``colours`` whose CIEDE2000 difference is below ``threshold`` under any of ``visions``,
    each once with the vision where it is smallest, in list order. With ``over``, each colour is first
    painted with opacity ``alpha`` over that background (how a translucent fill looks)."""
    seen = [blend(c, over, alpha) if over is not None else parse(c) for c in colours]
    sims = {vision: [simulate(c, vision) for c in seen] for vision in visions}
    found: list[SimilarPair] = []
    for i in range(len(colours)):
        for j in range(i + 1, len(colours)):
            worst = min(((delta_e(sims[v][i], sims[v][j]), v) for v in visions), key=lambda pair: pair[0])
            if worst[0] < threshold:
                found.append(SimilarPair(i, j, worst[0], worst[1]))
    return found
