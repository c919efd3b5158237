"""Exporting a store in any format, written so that a failed or cancelled export leaves nothing behind.

The command line and the app's export worker both call :func:`export_to`. The output is written to a
temporary file (or folder) beside the target and renamed into place only when the whole export succeeded,
so a half-written file never looks complete. The temporary is created like any new file (``open`` mode
'x', ``mkdir``), so the result gets the user's usual permissions rather than a private temp file's. Its
name carries the writing process's id: a temporary left by an export that was killed is removed by the
next export to the same place once that process is gone.

An existing target that is not a regular file or folder — a character device (``/dev/null``), a named
pipe — is written to directly, never renamed over: replacing a device node with a file would break the
system for everyone, and a pipe's reader is waiting on that very node.
"""

from __future__ import annotations

import os
import secrets
import shutil
import stat
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

from annotator.core.errors import AnnotatorError
from annotator.core.formats import get_format
from annotator.core.formats.base import WriteReport
from annotator.core.formats.conll import Conll
from annotator.core.model import AnnotatedDocument
from annotator.store import repository as repo
from annotator.store.database import Store

ProgressFn = Callable[[int, int], None]


class ExportCancelled(Exception):
    """Raised inside the export when ``cancelled()`` turns true; nothing is left at the target."""


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True  # someone else's live process (or we cannot tell): leave its file alone
    return True


def sweep_stale(folder: Path, prefix: str, suffix: str = "") -> list[Path]:
    """Remove ``<prefix><pid>-<token><suffix>`` entries in ``folder`` whose process no longer runs.

    Only names of exactly that shape are touched, so nothing but this program's own temporaries goes.
    """
    removed: list[Path] = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    for entry in entries:
        name = entry.name
        if not name.startswith(prefix) or not name.endswith(suffix):
            continue
        pid_text, dash, token = name[len(prefix) : len(name) - len(suffix)].partition("-")
        if not dash or not pid_text.isascii() or not pid_text.isdigit() or not token or _pid_alive(int(pid_text)):
            continue
        path = Path(entry.path)
        try:
            shutil.rmtree(path) if entry.is_dir(follow_symlinks=False) else path.unlink()
            removed.append(path)
        except OSError:
            continue
    return removed


def _writes_in_place(out: Path) -> bool:
    """True for an existing target that must be written to, never replaced: a device, a pipe, a socket."""
    try:
        mode = os.stat(out).st_mode
    except OSError:
        return False
    return not stat.S_ISREG(mode) and not stat.S_ISDIR(mode)


def _temporary_beside(target: Path, *, folder: bool) -> Path:
    sweep_stale(target.parent if str(target.parent) else Path("."), f".{target.name}.", ".part")
    for _ in range(100):
        candidate = target.with_name(f".{target.name}.{os.getpid()}-{secrets.token_hex(4)}.part")
        try:
            if folder:
                candidate.mkdir()
            else:
                with open(candidate, "x"):
                    pass
            return candidate
        except FileExistsError:
            continue
    raise AnnotatorError("cannot create a temporary file beside the output", path=str(target))


def export_to(
    store: Store,
    out: Path,
    format_name: str = "jsonl",
    annotators: Sequence[str] | None = None,
    *,
    only_annotated: bool = False,
    conll_comments: bool = False,
    progress: ProgressFn | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> WriteReport:
    """Write the documents (with the layers of ``annotators``, or all layers) to ``out`` in a format."""
    fmt = get_format(format_name)
    if conll_comments:
        if not isinstance(fmt, Conll):
            raise AnnotatorError("--conll-comments applies to the conll format only")
        fmt = fmt.with_comments()
    if not fmt.can_write:
        raise AnnotatorError(f"the {fmt.name} format cannot be exported")
    parent = out.parent if str(out.parent) else Path(".")
    if not parent.is_dir():
        raise AnnotatorError("the output folder does not exist", path=str(out))
    if fmt.writes_directory and out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise AnnotatorError(f"the {fmt.name} format writes a folder; choose a new or empty one", path=str(out))
    in_place = _writes_in_place(out)
    tmp: Path | None = None
    try:
        with store.session() as session:
            known = set(repo.annotators_of(session))
            unknown = [name for name in annotators or [] if name not in known and name != "gold"]
            if unknown:
                raise AnnotatorError(f"no annotator called {', '.join(map(repr, unknown))} in this database"
                                     f" (known: {', '.join(sorted(known)) or 'none yet'})")
            total = max(1, repo.count_documents(session)) if progress is not None else 1
            scheme = repo.get_scheme(session)

            def documents() -> Iterator[AnnotatedDocument]:
                for n, doc in enumerate(repo.iter_annotated_documents(session, list(annotators) if annotators else None), 1):
                    if cancelled is not None and cancelled():
                        raise ExportCancelled
                    if progress is not None and n % 200 == 0:
                        progress(n, total)
                    if only_annotated and not doc.layers:
                        continue
                    yield doc

            if in_place:  # a device or a pipe: stream into it, never rename over it
                return fmt.write(documents(), out, scheme)
            tmp = _temporary_beside(out, folder=fmt.writes_directory)
            report = fmt.write(documents(), tmp, scheme)
        if fmt.writes_directory and out.is_dir():
            out.rmdir()  # checked empty above; a folder cannot be renamed over another
        os.replace(tmp, out)
        return report
    except OSError as exc:
        raise AnnotatorError(f"cannot write ({exc.strerror or exc})", path=str(out)) from None
    finally:
        if tmp is not None and tmp.exists() and tmp != out:
            shutil.rmtree(tmp, ignore_errors=True) if tmp.is_dir() else tmp.unlink(missing_ok=True)
