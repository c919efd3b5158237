"""How to read an agreement figure: one line per figure, from the published conventions (no Qt).

A number like 0.712 means little to an analyst without its convention. Krippendorff (2004, *Content
Analysis*, §11.4): α ≥ .800 is reliable, .667 ≤ α < .800 allows tentative conclusions, below that the
data are unreliable; the same cut-offs are used for α_U. Landis & Koch (1977) name the bands of κ: below 0
poor, up to .20 slight, .40 fair, .60 moderate, .80 substantial, above almost perfect. Gwet's AC1 and the
observed agreement count every character nobody marked as agreement, so on news text that is mostly
unmarked they are high whatever the analysts did with the rest: :data:`UNMARKED_NOTE` says so in one sentence.
"""

from __future__ import annotations

UNMARKED_NOTE = ("Observed agreement and Gwet's AC1 are high whenever most of the text is unmarked: every "
                 "character nobody marked counts as agreement, so read α, κ and span F1 for the marked parts.")

KAPPA_BANDS = ((0.0, "poor"), (0.2, "slight"), (0.4, "fair"), (0.6, "moderate"), (0.8, "substantial"),
               (1.0, "almost perfect"))
"""(upper bound inclusive, Landis & Koch's name); below 0 is "poor"."""


def alpha_reading(value: float | None) -> str:
    """Krippendorff's reading of α (or α_U): reliable, tentative or unreliable."""
    if value is None or value != value:
        return "undefined: too little variation to judge"
    if value >= 0.8:
        return "reliable (α ≥ .800)"
    if value >= 0.667:
        return "tentative (.667 ≤ α < .800)"
    return "unreliable (α < .667)"


def kappa_reading(value: float | None) -> str:
    """Landis & Koch's band for a κ value."""
    if value is None or value != value:
        return "undefined"
    if value < 0:
        return "poor (κ < 0, Landis & Koch)"
    lower = 0.0
    for upper, name in KAPPA_BANDS[1:]:
        if value <= upper:
            return f"{name} ({lower:.2f}–{upper:.2f}, Landis & Koch)".replace("0.", ".")
        lower = upper
    return "almost perfect (Landis & Koch)"


def f1_reading(value: float | None) -> str:
    """Span F1 has no conventional bands: say what the number counts."""
    if value is None or value != value:
        return "undefined: no spans"
    return f"{round(value * 100)} % of spans matched"


def reading(measure: str, value: float | None) -> str:
    """The one-line aid for an overall measure of the report (``overall``/``overall_extra`` keys)."""
    if measure in ("krippendorff_alpha", "alpha_u"):
        return alpha_reading(value)
    if measure in ("fleiss_kappa", "cohen_kappa_mean"):
        return kappa_reading(value)
    if measure == "gwet_ac1":
        return "high when most text is unmarked (see below)"
    if measure.startswith("span_f1"):
        return f1_reading(value)
    return ""
