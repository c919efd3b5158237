"""Per-user settings shared by the command line and the app (who is annotating, last database).

Kept as a small JSON file in platformdirs' config directory rather than in QSettings so the CLI can read
it without Qt. Credentials are never written here: a server URL is stored with its password removed.
"""

from __future__ import annotations

import getpass
import json
import os
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from annotator.core.errors import AnnotatorError


def config_path() -> Path:
    from platformdirs import user_config_path

    return user_config_path("annotator", appauthor=False) / "settings.json"


def load_settings() -> dict[str, Any]:
    path = config_path()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def without_password(value: str) -> str:
    """A database URL with any password removed (user, host and database kept); other text unchanged.

    Passwords come from ANNOTATOR_DB, PGPASSWORD or ~/.pgpass at run time, never from this file.
    """
    if "://" not in value:
        return value
    parts = urlsplit(value)
    user_info, at, host = parts.netloc.rpartition("@")
    query_items = [p for p in parts.query.split("&") if p]
    kept = [p for p in query_items if not p.lower().startswith("password=")]
    if not (at and ":" in user_info) and kept == query_items:
        return value  # nothing secret: keep the text exactly (sqlite://// paths would not survive a rebuild)
    user = user_info.split(":", 1)[0]
    netloc = f"{user}@{host}" if user else host
    return urlunsplit((parts.scheme, netloc, parts.path, "&".join(kept), parts.fragment))


def _scrubbed(value: Any) -> Any:
    if isinstance(value, str):
        return without_password(value)
    if isinstance(value, dict):
        return {k: _scrubbed(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_scrubbed(v) for v in value]
    return value


def save_settings(updates: dict[str, Any]) -> None:
    """Merge ``updates`` into the settings file, atomically (write a temporary file, then rename).

    Every URL is stored without its password, so the settings file never holds a credential.
    """
    path = config_path()
    data = load_settings()
    data.update(_scrubbed(updates))
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(data, indent=2, ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, path)
    except OSError as exc:
        raise AnnotatorError(f"cannot save settings ({exc.strerror or exc})", path=str(path)) from None


def login_name() -> str:
    try:
        return getpass.getuser() or "analyst"
    except (OSError, KeyError):
        return "analyst"


def acting_annotator(explicit: str | None = None) -> str | None:
    """Who is annotating: ``--annotator``, then ``ANNOTATOR_USER``, then the saved setting."""
    return explicit or os.environ.get("ANNOTATOR_USER") or load_settings().get("annotator") or None
