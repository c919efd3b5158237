"""Driver errors become :class:`StoreError` here, once, with a sentence a user can act on.

Why a module of its own: a full disk, a read-only file, a locked database or a server that went away is
the environment, not a bug, and the person in front of the app or the command line needs one readable
paragraph, never a traceback or a driver's exception type. The store's ``session()``/``write()`` blocks
(``database.Store``) and the few places that use a connection directly translate every SQLAlchemy error
through :func:`store_error`, so the UI and the command line catch ``AnnotatorError`` (or ``StoreError``)
and never import SQLAlchemy.
"""

from __future__ import annotations

from sqlalchemy.exc import DBAPIError, IntegrityError, SQLAlchemyError

from annotator.core.errors import AnnotatorError


class StoreError(AnnotatorError):
    """The database refused or failed an operation (full disk, read-only file, lost server, …).

    The transaction was rolled back, so the last committed state is intact.
    """


def first_line(exc: DBAPIError) -> str:
    """The driver's own message (its first line), or the exception's type name when it has none."""
    reason = str(exc.orig if exc.orig is not None else exc).strip()
    return reason.splitlines()[0] if reason else exc.__class__.__name__


def _driver_reason(exc: BaseException) -> str:
    """The first line of the driver exception behind ``exc``, else only its type name (never internals)."""
    reason = str(getattr(exc, "orig", None) or exc.__class__.__name__).strip()
    return reason.splitlines()[0] if reason else exc.__class__.__name__


def _sqlite_reasons(busy_timeout_s: int) -> tuple[tuple[str, str], ...]:
    return (
        ("database or disk is full", "the disk is full (or the database reached its size limit)"),
        ("database is locked",
         f"the database stayed busy for more than {busy_timeout_s} s (another program is writing)"),
        ("readonly database", "the database is read-only"),
        ("disk i/o error", "a disk input/output error occurred"),
        ("malformed", "the database file is damaged (run 'annotator db check'; restore a backup)"),
        ("file is not a database", "the file is not an annotator database"),
    )


def reason_for(exc: DBAPIError, where: str, write: bool, busy_timeout_s: int) -> str:
    """A user-facing sentence for a driver error during a unit of work on the database ``where``."""
    detail = first_line(exc)
    lowered = detail.lower()
    for needle, reason in _sqlite_reasons(busy_timeout_s):
        if needle in lowered:
            after = "; the change was not saved and the last saved state is intact" if write else ""
            return f"database {where}: {reason}{after}"
    if isinstance(exc, IntegrityError):
        return f"database {where}: the change conflicts with stored data ({detail}); it was not saved"
    return f"database {where} is unavailable: {detail}"


def store_error(exc: SQLAlchemyError, where: str, *, write: bool, busy_timeout_s: int) -> StoreError:
    """The StoreError to raise for ``exc``, an error SQLAlchemy raised during a unit of work.

    A driver error (DBAPIError: the database itself refused) is described by :func:`reason_for`; any
    other SQLAlchemy error is worded as :func:`describe_failure` always worded it for the app.
    """
    if isinstance(exc, DBAPIError):
        return StoreError(reason_for(exc, where, write, busy_timeout_s))
    if write:
        return StoreError(describe_failure(exc))
    return StoreError(f"The database refused the operation ({_driver_reason(exc)}).")


def describe_failure(exc: BaseException) -> str:
    """A one-paragraph reason a user can act on for any failed change; never a traceback.

    AnnotatorError (StoreError included) already carries its sentence; anything else is described by its
    driver message, with a read-only database named as such.
    """
    if isinstance(exc, AnnotatorError):
        return str(exc)
    reason = _driver_reason(exc)
    if "readonly" in reason.replace(" ", "").lower():
        return "The database is read-only: the change was not saved."
    return f"The database refused the change ({reason}). Nothing was saved."
