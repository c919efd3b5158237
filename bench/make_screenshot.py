"""Make the README screenshot: sample articles, a few tagged spans (with overlaps), rendered offscreen.

    QT_QPA_PLATFORM=offscreen python bench/make_screenshot.py [docs/screenshot.png]

Uses a temporary database and settings folder, so nothing of the user's is touched.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def main(out: str = "docs/screenshot.png") -> int:
    tmp = Path(tempfile.mkdtemp(prefix="annotator-shot-"))
    for var in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"):
        os.environ[var] = str(tmp / var.lower())
    from annotator.store import repository as repo
    from annotator.store.database import open_store
    from annotator.store.queries import document_ids, load_document
    from annotator.ui.shell.app import application, save_screenshot
    from annotator.ui.shell.first_run import load_samples
    from annotator.ui.shell.main_window import MainWindow
    from annotator.ui.shell.window_settings import default_settings

    application()
    store = open_store(tmp / "shot.sqlite3")
    load_samples(store)
    who = "analyst-a"
    wanted = [
        ("kept on the hull from six in the morning until two at night", "working_hours"),
        ("one rest day a month that was often cancelled", "working_hours"),
        ("from six in the morning until two at night, with one rest day a month", "working_hours"),
        ("We slept four hours, sometimes five", "working_hours"),
        ("kept their passports in a locked drawer", "surveillance"),
        ("accompanied them whenever they left the dormitory", "surveillance"),
        ("never been allowed to visit the nearby town", "surveillance"),
        ("If the quota was not met, the whole team stayed until it was", "working_hours"),
        ("If the quota was not met", "remittance"),
        ("welders brought from abroad", "sanctions"),
    ]
    with store.write() as session:
        pk = document_ids(session, None)[0]
        text = load_document(session, pk).text
        for quote, label in wanted:
            start = text.lower().find(quote.lower())
            if start >= 0:
                span = repo.add_span(session, pk, who, start, start + len(quote), label, actor=who)
                if label == "surveillance" and "passports" in quote:
                    repo.update_span(session, span.id, note="Documents held by a minder", actor=who)
    window = MainWindow(store, who, settings=default_settings())
    window.resize(1480, 900)
    window.open_document(pk)
    window.docs.model.refresh_row(pk)
    ids = window.article.index.ordered_ids()
    window.select_span(ids[4] if len(ids) > 4 else None, scroll=False)
    save_screenshot(window, Path(out))
    window.close()
    store.close()
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
