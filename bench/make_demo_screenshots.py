"""The README's screenshots: a demo database with three analysts' finished layers on the sample articles,
rendered as the main, agreement and curation windows at 1024×640 and 2560×1440, light and dark.

    QT_QPA_PLATFORM=offscreen python bench/make_demo_screenshots.py [OUT_DIR [VIEW]]   # default docs/screenshots, all

Each picture is one real ``annotator --screenshot`` run (``--size``, ``--theme``, ``--view``) in a fresh
process, with a temporary settings folder so nothing of the user's is touched; the PNGs are then reduced
to an 8-bit palette (Qt's own colour quantiser) to keep the repository small. ``make_demo_database`` is
also what the screenshot tests use to get analysts with done layers.

The team dashboard is drawn from a second database, a generated three-analyst corpus
(``bench/team_corpus.py``: assignments with 20 % overlap, done / approved / returned layers, spans timed
over eight weeks), as ``dashboard.png`` (1280×800, light) and ``dashboard-1024x640-{light,dark}.png``.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ANALYSTS = ("amira", "bo", "chen")
SIZES = ((1024, 640), (2560, 1440))
THEMES = ("light", "dark")
VIEWS = ("main", "agreement", "curation")

# Phrases that signal a label; a span runs from the match to the end of its clause (the next , ; . or ").
CUES = {
    "working_hours": r"\b(shifts?|slept|rest day|hours a day|until (?:two|midnight)|overtime|quota)\b",
    "injury": r"\b(injur\w*|hurt|broken|accident|medical|helmet|died|illness)\b",
    "surveillance": r"\b(passports?|minders?|accompanied|dormitory|not allowed|never been allowed|watched|"
                    r"ideolog\w*|ممنوع)\b",
    "remittance": r"\b(wages?|paid|payments?|salary|money|loyalty|sent home|remit\w*)\b",
    "sanctions": r"\b(sanctions?|resolution|enforcement|custom\w* authorit\w*|banned|violat\w*)\b",
}


def _clauses(text: str) -> list[tuple[int, int, str]]:
    """(start, end, label) for every cue, each span ending at its clause's end (at most 90 code points)."""
    found: list[tuple[int, int, str]] = []
    for label, cue in CUES.items():
        for match in re.finditer(cue, text, flags=re.IGNORECASE):
            start = match.start()
            stop = re.search(r"[,;.\"\n]", text[match.end():])
            end = match.end() + (stop.start() if stop else 0)
            found.append((start, min(end, start + 90), label))
    return sorted(found)


def make_demo_database(path: Path) -> dict[str, int]:
    """Samples plus three analysts' layers, all marked done, that agree on most spans but not all.

    amira tags every cue; bo misses every third one and reads two clauses further; chen gives every fourth
    span the next label. Returns how many spans each analyst has.
    """
    from annotator.store import repository as repo
    from annotator.store.database import open_store
    from annotator.store.queries import document_ids, load_document
    from annotator.ui.shell.first_run import load_samples

    store = open_store(path)
    counts = dict.fromkeys(ANALYSTS, 0)
    try:
        load_samples(store)
        labels = list(CUES)
        relevance = ("relevant", "partly", "not relevant")
        with store.write() as session:
            for d, pk in enumerate(document_ids(session, None)):
                text = load_document(session, pk).text
                made: dict[str, list[tuple[int, str]]] = {who: [] for who in ANALYSTS}
                for n, (start, end, label) in enumerate(_clauses(text)):
                    for who in ANALYSTS:
                        if who == "bo" and n % 3 == 2:
                            continue
                        lab, stop = label, end
                        if who == "bo" and n % 5 == 1:
                            stop = min(len(text), end + 12)
                        if who == "chen" and n % 4 == 3:
                            lab = labels[(labels.index(label) + 1) % len(labels)]
                        made[who].append((repo.add_span(session, pk, who, start, stop, lab, actor=who).id, lab))
                        counts[who] += 1
                for who in ANALYSTS:
                    _link_causes(session, made[who], who)
                    judged = relevance[1] if who == "chen" and d % 2 else relevance[0]
                    repo.set_document_field(session, pk, who, "relevance", judged, actor=who)
                    repo.set_status(session, pk, who, "done", actor=who)
    finally:
        store.close()
    return counts


def _link_causes(session: object, spans: list[tuple[int, str]], who: str) -> None:
    """Each injury span "caused" by the nearest working-hours or surveillance span before it (demo relations)."""
    from annotator.store import repository as repo

    cause = None
    for span_id, label in spans:
        if label in ("working_hours", "surveillance"):
            cause = span_id
        elif label == "injury" and cause is not None:
            repo.add_relation(session, cause, span_id, "caused", actor=who)
            cause = None


def make_team_database(path: Path) -> dict[str, int]:
    """The dashboard's demo: 600 generated articles, three analysts and a lead (``bench/team_corpus.py``)."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from team_corpus import make_team_corpus

    from annotator.store.database import open_store

    store = open_store(path)
    try:
        return make_team_corpus(store, 600, ANALYSTS, weeks=8)
    finally:
        store.close()


def render(db: Path, out: Path, size: tuple[int, int], theme: str, view: str, env: dict[str, str],
           annotator: str = "amira") -> None:
    subprocess.run([sys.executable, "-m", "annotator", "--db", str(db), "--annotator", annotator,
                    "--screenshot", str(out), "--size", f"{size[0]}x{size[1]}", "--theme", theme, "--view", view],
                   check=True, env=env)


def to_palette_png(path: Path) -> None:
    """Rewrite a PNG with at most 256 colours (dithering off: flat UI colours stay flat)."""
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QImage

    image = QImage(str(path))
    flags = Qt.ImageConversionFlag.ThresholdDither | Qt.ImageConversionFlag.AvoidDither
    small = image.convertToFormat(QImage.Format.Format_Indexed8, flags)
    small.save(str(path), "PNG", 0)  # quality 0: the strongest zlib compression


def main(out_dir: str = "docs/screenshots", only: str = "") -> int:
    tmp = Path(tempfile.mkdtemp(prefix="annotator-demo-"))
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    for var in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"):
        env[var] = os.environ[var] = str(tmp / var.lower())
    db = tmp / "demo.sqlite3"
    folder = Path(out_dir)
    folder.mkdir(parents=True, exist_ok=True)
    from PySide6.QtGui import QGuiApplication

    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])  # noqa: F841 (QImage needs one)
    team_db = tmp / "team.sqlite3"
    make_team_database(team_db)
    for name, size, theme in (("dashboard", (1280, 800), "light"), ("dashboard-1024x640-light", (1024, 640), "light"),
                              ("dashboard-1024x640-dark", (1024, 640), "dark")):
        out = folder / f"{name}.png"
        render(team_db, out, size, theme, "dashboard", env, annotator="lead")
        to_palette_png(out)
        print(f"wrote {out} ({out.stat().st_size // 1024} KB)")
    if only == "dashboard":
        return 0
    print("spans per analyst:", make_demo_database(db))
    for view in VIEWS:
        if only and view != only:
            continue
        for width, height in SIZES:
            for theme in THEMES:
                out = folder / f"{view}-{width}x{height}-{theme}.png"
                render(db, out, (width, height), theme, view, env)
                to_palette_png(out)
                print(f"wrote {out} ({out.stat().st_size // 1024} KB)")
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
