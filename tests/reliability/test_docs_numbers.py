"""docs/reliability.md quotes numbers that the reliability tests assert; keep the two in step."""

from __future__ import annotations

import re
from pathlib import Path

from tests.hostile.test_hostile_inputs import CASE_NAMES
from tests.hostile.test_round_two import PEAK_LIMIT_MB, ROUND_TWO_CASES
from tests.reliability.test_crash import KILLS, MIGRATION_KILLS, OPS_KILLS

PAGE = Path(__file__).resolve().parents[2] / "docs" / "reliability.md"


def _number(label: str) -> int:
    found = re.search(rf"\*\*{label}: (\d+)\*\*", PAGE.read_text(encoding="utf-8"))
    assert found, f"docs/reliability.md no longer states '{label}'"
    return int(found.group(1))


def test_page_quotes_the_asserted_numbers() -> None:
    assert _number("kills survived") == KILLS + OPS_KILLS + MIGRATION_KILLS
    assert _number("hostile cases tried") == len(CASE_NAMES)
    assert _number("writes lost") == 0
    assert _number("hostile cases tried, round two") == ROUND_TWO_CASES
    text_ = PAGE.read_text(encoding="utf-8")
    assert f"under {PEAK_LIMIT_MB} MB" in text_
    text = PAGE.read_text(encoding="utf-8")
    assert f"{KILLS} times while tagging through the store" in text
    assert f"{OPS_KILLS} times while tagging through the app" in text
    assert f"{MIGRATION_KILLS} times while creating" in text
