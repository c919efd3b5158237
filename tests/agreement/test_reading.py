"""The one-line reading aids of the agreement figures follow Krippendorff's and Landis & Koch's cut-offs."""

from __future__ import annotations

import pytest

from annotator.core.agreement.reading import UNMARKED_NOTE, alpha_reading, kappa_reading, reading


@pytest.mark.parametrize(("value", "word"), [(0.95, "reliable"), (0.8, "reliable"), (0.799, "tentative"),
                                             (0.667, "tentative"), (0.666, "unreliable"), (-0.2, "unreliable"),
                                             (None, "undefined")])
def test_krippendorff_cut_offs(value: float | None, word: str) -> None:
    assert alpha_reading(value).startswith(word)


@pytest.mark.parametrize(("value", "word"), [(-0.1, "poor"), (0.0, "slight"), (0.2, "slight"), (0.21, "fair"),
                                             (0.5, "moderate"), (0.7, "substantial"), (0.81, "almost perfect"),
                                             (1.0, "almost perfect")])
def test_landis_and_koch_bands(value: float, word: str) -> None:
    assert kappa_reading(value).startswith(word)


def test_every_overall_measure_has_an_aid_and_ac1_points_to_the_unmarked_text() -> None:
    for key in ("krippendorff_alpha", "fleiss_kappa", "gwet_ac1", "alpha_u", "cohen_kappa_mean", "span_f1_exact",
                "span_f1_exact_unlabeled", "span_f1_overlap"):
        assert reading(key, 0.5)
    assert "unmarked" in reading("gwet_ac1", 0.97) and "nobody marked counts as agreement" in UNMARKED_NOTE
