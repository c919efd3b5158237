"""Fast multi-row inserts for imports.

SQLAlchemy's per-row parameter processing (JSON serialisation, datetime formatting, ORM bookkeeping)
costs more than SQLite's own work when a 20,000-article file is imported. On SQLite the importer therefore
builds rows whose values are already what the driver stores (an ``Encoder`` turns JSON and timestamps into
text exactly as SQLAlchemy would) and hands the tuples to the driver's ``executemany``; other dialects
receive plain Python values through SQLAlchemy Core's ``insert`` with its own executemany batching.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Table, insert, select
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.orm import Mapper, Session


def _json_text(value: Any) -> str | None:
    if value is None:
        return None
    if not value and isinstance(value, dict):
        return "{}"  # by far the most common value: skip the encoder
    return json.dumps(value)


def _time_text(value: Any) -> Any:
    # SQLAlchemy's SQLite DateTime storage format.
    return value.strftime("%Y-%m-%d %H:%M:%S.%f") if isinstance(value, datetime) else value


def _unchanged(value: Any) -> Any:
    return value


class Encoder:
    """How one dialect's driver receives JSON and timestamp values in bulk rows.

    On SQLite they are converted here, once per value (callers convert a batch's shared timestamp once,
    not once per row); elsewhere values stay Python objects for SQLAlchemy Core to bind.
    """

    def __init__(self, raw_sqlite: bool) -> None:
        self.raw_sqlite = raw_sqlite
        self.json: Callable[[Any], Any] = _json_text if raw_sqlite else _unchanged
        self.time: Callable[[Any], Any] = _time_text if raw_sqlite else _unchanged
        self.empty_json: Any = self.json({})
        """The encoded empty object, shared by every row without attributes (never mutated)."""


def encoder_for(session: Session) -> Encoder:
    """The encoder for rows passed to ``insert_encoded`` / ``insert_with_ids`` on this session."""
    return Encoder(session.connection().dialect.name == "sqlite")


def insert_encoded(session: Session, model: type, keys: Sequence[str], rows: Sequence[tuple[Any, ...]]) -> None:
    """Insert rows whose JSON and timestamp values were made with ``encoder_for(session)``."""
    if not rows:
        return
    mapper: Mapper[Any] = sa_inspect(model)
    table = cast(Table, mapper.local_table)  # our models each map one Table, never a join
    connection = session.connection()
    columns = [mapper.columns[key] for key in keys]
    if connection.dialect.name != "sqlite":
        names = [column.key for column in columns]
        session.execute(insert(table), [dict(zip(names, row, strict=True)) for row in rows])
        return
    quoted = ", ".join(f'"{column.name}"' for column in columns)
    marks = ", ".join("?" for _ in columns)
    connection.exec_driver_sql(f'INSERT INTO "{table.name}" ({quoted}) VALUES ({marks})', list(rows))


def insert_with_ids(session: Session, model: type, keys: Sequence[str], rows: Sequence[tuple[Any, ...]]) -> list[int]:
    """Insert encoded rows and return their new primary keys, in the order of ``rows``.

    On SQLite the ids are chosen here, after the largest id in the table: the caller's write transaction
    (``BEGIN IMMEDIATE``) holds the database's only write lock, so nobody else can take them, and they are
    what SQLite itself would assign. Other dialects (concurrent writers, sequences) return the ids the
    server assigned, in parameter order, through ``INSERT ... RETURNING``.
    """
    if not rows:
        return []
    mapper: Mapper[Any] = sa_inspect(model)
    table = cast(Table, mapper.local_table)  # our models each map one Table, never a join
    (pk,) = mapper.primary_key
    connection = session.connection()
    if connection.dialect.name == "sqlite":
        first = (connection.exec_driver_sql(f'SELECT max("{pk.name}") FROM "{table.name}"').scalar() or 0) + 1
        ids = list(range(first, first + len(rows)))
        pk_key = mapper.get_property_by_column(pk).key  # the attribute name insert_encoded looks up
        insert_encoded(session, model, [pk_key, *keys], [(i, *row) for i, row in zip(ids, rows, strict=True)])
        return ids
    names = [mapper.columns[key].key for key in keys]
    result = session.execute(
        insert(table).returning(pk, sort_by_parameter_order=True),
        [dict(zip(names, row, strict=True)) for row in rows],
    )
    return list(result.scalars())


_SQLITE_IN_CHUNK = 900  # below SQLite's historic limit of 999 bound parameters per statement


def select_in(session: Session, model: type, columns: Sequence[str], key: str, values: Sequence[Any]) -> list[tuple]:
    """Rows (tuples of ``columns``, attribute names) of ``model`` whose ``key`` is one of ``values``.

    An importer asks this twice per batch of 1,000 records. On SQLite the statement goes straight to the
    driver, sparing SQLAlchemy's per-value processing of an expanding ``IN``; elsewhere it is Core's.
    """
    if not values:
        return []
    mapper: Mapper[Any] = sa_inspect(model)
    connection = session.connection()
    if connection.dialect.name != "sqlite":
        return [tuple(row) for row in connection.execute(
            select(*(mapper.columns[c] for c in columns)).where(mapper.columns[key].in_(values))
        )]
    names = ", ".join(f'"{mapper.columns[c].name}"' for c in columns)
    table = cast(Table, mapper.local_table).name
    found: list[tuple] = []
    for i in range(0, len(values), _SQLITE_IN_CHUNK):
        chunk = tuple(values[i : i + _SQLITE_IN_CHUNK])
        marks = ", ".join("?" * len(chunk))
        found += connection.exec_driver_sql(
            f'SELECT {names} FROM "{table}" WHERE "{mapper.columns[key].name}" IN ({marks})', chunk
        ).all()
    return [tuple(row) for row in found]


class DeferredIndexes:
    """The secondary indexes of an empty SQLite table, dropped for a bulk load and rebuilt once at its end.

    Building an index from finished rows (one sort) costs about half of updating it row by row, which is
    a sixth of a large import. Only an empty table qualifies, so the rebuild never costs more than the
    rows being loaded. The drop and the rebuild are part of the caller's transaction: a failed or
    cancelled import rolls back to the original indexes, and other connections never see the table
    without them. Call ``restore`` before querying the table by an indexed column, and at the end.
    """

    def __init__(self, session: Session, model: type) -> None:
        self.session = session
        self.pending: list[str] = []
        connection = session.connection()
        if connection.dialect.name != "sqlite":
            return
        table: str = sa_inspect(model).local_table.name
        if connection.exec_driver_sql(f'SELECT 1 FROM "{table}" LIMIT 1').first() is not None:
            return
        indexes = connection.exec_driver_sql(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL "
            "ORDER BY name",
            (table,),
        ).all()
        for name, sql in indexes:
            connection.exec_driver_sql(f'DROP INDEX "{name}"')
            self.pending.append(sql)

    def restore(self) -> None:
        """Create the dropped indexes again, exactly as they were defined (idempotent)."""
        connection = self.session.connection()
        while self.pending:
            connection.exec_driver_sql(self.pending.pop(0))
