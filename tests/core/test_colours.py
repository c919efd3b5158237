"""Colour maths: WCAG contrast, readable text, CIEDE2000 (Sharma's published pairs), CVD simulation, and
the pairs of label colours reported as alike."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from annotator.core import colours as c
from annotator.core.scheme import OKABE_ITO, default_scheme

rgb = st.tuples(st.integers(0, 255), st.integers(0, 255), st.integers(0, 255))

# Sharma, Wu & Dalal (2005), "The CIEDE2000 color-difference formula", Table 1 (a selection covering the
# hue wrap-around, the blue region's rotation term and achromatic colours).
SHARMA = [
    ((50.0000, 2.6772, -79.7751), (50.0000, 0.0000, -82.7485), 2.0425),
    ((50.0000, 3.1571, -77.2803), (50.0000, 0.0000, -82.7485), 2.8615),
    ((50.0000, 0.0000, 0.0000), (50.0000, -1.0000, 2.0000), 2.3669),
    ((50.0000, 2.4900, -0.0010), (50.0000, -2.4900, 0.0009), 7.1792),
    ((50.0000, 2.5000, 0.0000), (73.0000, 25.0000, -18.0000), 27.1492),
    ((50.0000, 2.5000, 0.0000), (50.0000, 3.1736, 0.5854), 1.0000),
    ((60.2574, -34.0099, 36.2677), (60.4626, -34.1751, 39.4387), 1.2644),
    ((22.7233, 20.0904, -46.6940), (23.0331, 14.9730, -42.5619), 2.0373),
    ((90.8027, -2.0831, 1.4410), (91.1528, -1.6435, 0.0447), 1.4441),
    ((2.0776, 0.0795, -1.1350), (0.9033, -0.0636, -0.5514), 0.9082),
]


@pytest.mark.parametrize(("lab1", "lab2", "expected"), SHARMA)
def test_ciede2000_matches_sharmas_published_pairs(lab1, lab2, expected):
    assert c.delta_e_2000(lab1, lab2) == pytest.approx(expected, abs=1e-4)
    assert c.delta_e_2000(lab2, lab1) == pytest.approx(expected, abs=1e-4)


def test_wcag_reference_values():
    assert c.relative_luminance("#000000") == 0.0
    assert c.relative_luminance("#FFFFFF") == pytest.approx(1.0)
    assert c.contrast_ratio("#000000", "#FFFFFF") == pytest.approx(21.0)
    assert c.contrast_ratio("#777777", "#FFFFFF") == pytest.approx(4.48, abs=0.01)  # the classic "just fails AA"
    assert c.readable_text("#009E73") == "#000000"  # the green chip: black text, not white (2.9:1)
    assert c.readable_text("#0072B2") == "#FFFFFF"
    assert c.readable_text("#E69F00") == "#000000"


@given(rgb, rgb)
def test_contrast_is_symmetric_and_bounded(a, b):
    ratio = c.contrast_ratio(a, b)
    assert ratio == pytest.approx(c.contrast_ratio(b, a))
    assert 1.0 <= ratio <= 21.0 + 1e-9


@given(rgb)
def test_readable_text_always_passes_aa(background):
    assert c.contrast_ratio(c.readable_text(background), background) >= c.AA_CONTRAST


@given(rgb, rgb, st.floats(1.0, 4.5))
def test_ensure_contrast_reaches_the_ratio_and_keeps_a_colour_that_already_does(wanted, background, minimum):
    result = c.ensure_contrast(wanted, background, minimum)
    assert c.contrast_ratio(result, background) >= minimum
    if c.contrast_ratio(wanted, background) >= minimum:
        assert result == c.to_hex(wanted)


@given(rgb, rgb)
def test_delta_e_is_a_symmetric_non_negative_difference(a, b):
    assert c.delta_e(a, a) == pytest.approx(0.0, abs=1e-9)
    assert c.delta_e(a, b) >= 0.0
    assert c.delta_e(a, b) == pytest.approx(c.delta_e(b, a), abs=1e-6)


@given(st.integers(0, 255), st.sampled_from(c.VISION))
def test_simulation_leaves_greys_grey(level, vision):
    # Machado's matrices have rows summing to 1: neutral colours are seen as neutral by everyone.
    r, g, b = c.simulate((level, level, level), vision)
    assert max(r, g, b) - min(r, g, b) <= 2
    assert abs(r - level) <= 2


def test_simulation_confuses_red_and_green_for_deuteranopes_only():
    red, green = "#E41A1C", "#4DAF4A"
    assert c.delta_e(red, green) > 40
    assert c.delta_e(c.simulate(red, "deuteranopia"), c.simulate(green, "deuteranopia")) < c.DISTINCT_DELTA_E
    assert c.similar_pairs([red, green]) == [c.SimilarPair(0, 1, pytest.approx(9.76, abs=0.01), "deuteranopia")]


def test_okabe_ito_and_the_default_scheme_are_distinct_in_full_colour():
    assert c.similar_pairs(OKABE_ITO) == []
    assert c.similar_pairs([label.color for label in default_scheme().labels]) == []


def test_injury_and_sanctions_fills_look_alike_on_white():
    colours = [label.color for label in default_scheme().labels]
    pairs = c.similar_pairs(colours, c.FILL_DELTA_E, visions=("normal",), over="#FFFFFF",
                            alpha=c.FILL_ALPHA_LIGHT)
    assert [(p.first, p.second) for p in pairs] == [(1, 4)]  # Injury, Sanctions and no other pair
    assert pairs[0].delta_e == pytest.approx(3.71, abs=0.01)


@given(st.lists(rgb, min_size=2, max_size=6))
def test_similar_pairs_lists_exactly_the_close_pairs(colours):
    pairs = {(p.first, p.second): p for p in c.similar_pairs(colours)}
    for i in range(len(colours)):
        for j in range(i + 1, len(colours)):
            worst = min(c.delta_e(c.simulate(colours[i], v), c.simulate(colours[j], v)) for v in c.VISION)
            assert ((i, j) in pairs) == (worst < c.DISTINCT_DELTA_E)
            if (i, j) in pairs:
                assert pairs[(i, j)].delta_e == pytest.approx(worst)


def test_bad_colours_are_refused():
    with pytest.raises(ValueError):
        c.parse("#12345")
    with pytest.raises(ValueError):
        c.parse((0, 256, 0))
