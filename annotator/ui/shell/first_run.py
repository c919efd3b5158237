"""First run: the sample articles that make a fresh default database open on something real.

The samples are our own invented articles (``resources/samples``) with a manifest giving each one a
source, a date and a URL, so every part of the article view has something to show. They deliberately
contain an emoji, Korean names and an Arabic (right-to-left) quotation, so offsets are exercised from
the first minute.
"""

from __future__ import annotations

import json

from annotator.core.formats.articles import document_from_text
from annotator.core.text import canonicalize, first_line_title
from annotator.resources_path import samples_dir
from annotator.store import repository as repo
from annotator.store.database import Store


def load_samples(store: Store) -> int:
    """Add the sample articles (skipping any already present); returns how many were added."""
    folder = samples_dir()
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    added = 0
    with store.write() as session:
        repo.ensure_default_scheme(session)
        for entry in manifest["articles"]:
            text = canonicalize((folder / entry["file"]).read_text(encoding="utf-8"))
            meta = {"title": first_line_title(text), "source": entry.get("source"), "url": entry.get("url"),
                    "published": entry.get("published"), "filename": entry["file"]}
            _row, new = repo.add_document(session, document_from_text(text, meta))
            added += int(new)
    return added
