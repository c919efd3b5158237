"""What the Core-statement writes of layers and spans share: the connection, the dialect, stale ORM objects.

Why a module of its own: the hot write paths (``spans``, ``layers.set_status``) run Core statements from
``store.span_sql`` on the session's connection instead of the ORM, so they must flush what the ORM still
holds first, know whether the dialect fuses a span write with its layer's bookkeeping, and refresh any ORM
object a caller already loaded. Nothing here is part of the repository's public interface.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, CursorResult
from sqlalchemy.orm import Session
from sqlalchemy.orm.util import identity_key

from annotator.store.models import Layer, Span


def core_connection(session: Session) -> Connection:
    """The session's connection for Core statements, after writing out anything the ORM still holds.

    Core statements bypass the session's autoflush, so a label or document added through the ORM and not
    yet flushed must be written first for the SELECTs below to see it (a no-op when nothing is pending).
    """
    session.flush()
    return session.connection()


def combines_writes(conn: Connection) -> bool:
    """True where a span's write and its layer's bookkeeping go in one statement (see span_sql)."""
    return conn.dialect.name == "postgresql"


def inserted_id(result: CursorResult[Any]) -> int:
    """The id a single-row ``INSERT`` just gave its row.

    SQLAlchemy types ``inserted_primary_key`` as optional because other statements have none; after an
    INSERT it is always there.
    """
    key = result.inserted_primary_key
    if key is None:
        raise RuntimeError("the statement was not a single-row INSERT")
    return int(key[0])


def refresh_if_loaded(session: Session, model: type[Layer] | type[Span], row_id: int) -> None:
    """Bring an ORM object that a caller already loaded in this session up to date after a Core write.

    The app's writes use fresh sessions (nothing loaded, nothing to do); a script that holds a Layer while
    adding spans would otherwise read a stale ``span_count`` from it.
    """
    if session.identity_map:
        loaded = session.identity_map.get(identity_key(model, row_id))
        if loaded is not None:
            session.refresh(loaded)
