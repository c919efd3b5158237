"""Test isolation: offscreen Qt, and user data/config/settings redirected into a temporary folder.

Every test sees a fresh, empty "home" for platformdirs and QSettings, so no test reads or writes the
developer's real annotator database or settings, and tests do not depend on each other's leftovers.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.pop("ANNOTATOR_DB", None)
os.environ.pop("ANNOTATOR_USER", None)

pytest_plugins = ["tests.pg_server"]

# CI runs the property tests with a fixed seed so a rare example cannot turn main red at random; developers'
# runs keep exploring new examples (and hypothesis remembers any failure it finds in .hypothesis/).
from hypothesis import settings as _hypothesis_settings  # noqa: E402

_hypothesis_settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    _hypothesis_settings.load_profile("ci")


@pytest.fixture(autouse=True)
def isolated_user_dirs(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path_factory.mktemp("home")
    for var, sub in (("XDG_DATA_HOME", "data"), ("XDG_CONFIG_HOME", "config"), ("XDG_CACHE_HOME", "cache"),
                     ("XDG_STATE_HOME", "state")):
        (home / sub).mkdir()
        monkeypatch.setenv(var, str(home / sub))
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.delenv("ANNOTATOR_DB", raising=False)
    monkeypatch.delenv("ANNOTATOR_USER", raising=False)
    return home


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    """A path for a fresh SQLite database file."""
    return tmp_path / "annotator.sqlite3"


@pytest.fixture
def store(db_path: Path):
    """A freshly migrated SQLite store in a temporary file."""
    from annotator.store.database import open_store

    opened = open_store(db_path)
    yield opened
    opened.close()


@pytest.fixture
def sample_store(db_path: Path):
    """A store holding the first-run sample articles."""
    from annotator.store.database import open_store
    from annotator.ui.shell.first_run import load_samples

    store = open_store(db_path)
    load_samples(store)
    yield store
    store.close()


@pytest.fixture
def window(qtbot, sample_store, tmp_path: Path):  # type: ignore[no-untyped-def]
    """A shown main window for analyst-a with the first sample article open."""
    from annotator.store.queries import document_ids
    from tests.ui_helpers import make_window

    win = make_window(qtbot, sample_store, tmp_path / "ui.ini")
    with sample_store.session() as session:
        win.open_document(document_ids(session, None)[0])
    return win
