"""Reading the files a user names without following links, blocking on pipes or reading without a bound.

Why a module of its own: every reader (articles, JSONL lines, brat folders and archives, DocBins, scheme
files) must hold the same promise — a symbolic link is never followed, a FIFO, socket or device is never
opened for reading (a FIFO would block forever, ``/dev/zero`` never ends), and no file, line or archive
member is read beyond the size limit before being refused. The checks are made on the opened descriptor
(``O_NOFOLLOW`` and ``fstat``), so a file swapped for a link between a check and the read is still caught.
The limits themselves live in :mod:`annotator.core.decoding`.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from annotator.core.errors import AnnotatorError

_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_NONBLOCK = getattr(os, "O_NONBLOCK", 0)
_BINARY = getattr(os, "O_BINARY", 0)
CHUNK = 1024 * 1024


def kind_of(mode: int) -> str:
    """What a non-regular file is, in words a user knows."""
    if stat.S_ISLNK(mode):
        return "a symbolic link (links are not followed; name the file it points to)"
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "not a regular file"


def regular_problem(path: Path) -> str | None:
    """Why ``path`` (not followed if it is a link) is not a regular file to read, or None when it is."""
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        return "no such file"
    except OSError as exc:
        return f"cannot be read ({exc.strerror or exc})"
    if stat.S_ISREG(mode):
        return None
    return f"is {kind_of(mode)}, not a regular file" if not stat.S_ISDIR(mode) else "is a folder, not a file"


def open_regular(path: Path) -> IO[bytes]:
    """Open a regular file for reading in binary mode; anything else is refused with a reason.

    ``O_NOFOLLOW`` refuses a link in the last component and ``O_NONBLOCK`` keeps a FIFO from blocking
    the open; ``fstat`` on the descriptor then refuses everything that is not a regular file.
    """
    name = str(path)
    try:
        fd = os.open(path, os.O_RDONLY | _NOFOLLOW | _NONBLOCK | _BINARY)
    except FileNotFoundError:
        raise AnnotatorError("no such file", path=name) from None
    except IsADirectoryError:
        raise AnnotatorError("is a folder, not a file", path=name) from None
    except PermissionError:
        raise AnnotatorError("permission denied", path=name) from None
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise AnnotatorError(f"is {kind_of(stat.S_IFLNK)}", path=name) from None
        raise AnnotatorError(f"cannot be read ({exc.strerror or exc})", path=name) from None
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            reason = "is a folder, not a file" if stat.S_ISDIR(mode) else f"is {kind_of(mode)}, not a regular file"
            raise AnnotatorError(reason, path=name)
        if _NONBLOCK:
            os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def read_capped(stream: IO[bytes], limit: int, name: str, what: str = "the file") -> bytes:
    """At most ``limit`` bytes of ``stream``; more is refused after reading at most ``limit + 1``."""
    chunks: list[bytes] = []
    total = 0
    while True:
        chunk = stream.read(min(CHUNK, limit + 1 - total))
        if not chunk:
            break
        chunks.append(chunk)
        total += len(chunk)
        if total > limit:
            raise AnnotatorError(f"{what} is larger than the limit of {limit // (1024 * 1024)} MB", path=name)
    return b"".join(chunks)


def read_regular(path: Path, limit: int, what: str = "the file") -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes, refused by its size before reading."""
    name = str(path)
    with open_regular(path) as stream:
        size = os.fstat(stream.fileno()).st_size
        if size > limit:
            raise AnnotatorError(f"the file is {size // (1024 * 1024)} MB; the limit is {limit // (1024 * 1024)} MB",
                                 path=name)
        try:
            return read_capped(stream, limit, name, what)
        except OSError as exc:
            raise AnnotatorError(f"cannot be read ({exc.strerror or exc})", path=name) from None


def regular_files(root: Path, skipped: list[str] | None = None) -> Iterator[Path]:
    """Regular files under ``root``, sorted, never through a link; hidden entries are left out.

    Links, pipes, sockets and devices are listed in ``skipped`` (as ``path: reason``) instead.
    """
    for folder, dirs, files in os.walk(root, followlinks=False):
        here = Path(folder)
        kept = []
        for d in sorted(dirs):
            if d.startswith("."):
                continue
            if os.path.islink(here / d):
                if skipped is not None:
                    skipped.append(f"{here / d}: skipped (a symbolic link; links are not followed)")
                continue
            kept.append(d)
        dirs[:] = kept
        for name in sorted(files):
            if name.startswith("."):
                continue
            candidate = here / name
            problem = regular_problem(candidate)
            if problem is None:
                yield candidate
            elif skipped is not None:
                skipped.append(f"{candidate}: skipped ({problem.removeprefix('is ')})")


def write_text(out: Path, content: str) -> None:
    """Write a UTF-8 file the user named; a failure is one line naming the file."""
    try:
        out.write_text(content, encoding="utf-8")
    except OSError as exc:
        raise AnnotatorError(f"cannot write ({exc.strerror or exc})", path=str(out)) from None
