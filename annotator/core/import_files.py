"""Which files an import reads, and with which format: folders walked, links and devices never followed.

Pure file-system and format-registry work, no database: the store's importer (``store/importing.py``) and
anything else that needs to know what a path would import call it.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from annotator.core.errors import AnnotatorError
from annotator.core.formats.base import Format, all_formats, detect_format, get_format
from annotator.core.safe_io import open_regular, regular_files

BRAT_FILES = frozenset({".txt", ".ann", ".conf"})
"""Files a brat collection folder reads itself (its texts, annotations and configuration)."""



def collect_files(paths: Sequence[str | os.PathLike[str]], skipped: list[str] | None = None) -> list[Path]:
    """Files named directly plus importable files found recursively in folders.

    Only regular files are read: hidden files, symbolic links, pipes, sockets and devices inside folders
    are skipped (and listed in ``skipped``), so a folder never leads outside itself and never hangs the
    import; a named path that is not a regular file or a folder is refused by :func:`format_for`.
    A folder holding brat ``.ann`` files is one brat collection (its ``.txt`` files belong to the
    annotations, they are not separate articles); its other importable files (HTML, JSONL…) are still
    read one by one. Files in folders whose type is not importable
    (images, brat's ``.conf``) are listed in ``skipped`` rather than refused.
    """
    readable = {ext for fmt in all_formats() if fmt.can_read for ext in fmt.extensions}
    found: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if os.path.islink(path) or not path.is_dir():
            found.append(path)
            continue
        files = list(regular_files(path, skipped))
        brat = any(f.suffix.lower() == ".ann" for f in files)
        if brat:
            found.append(path)  # the brat reader takes its .txt/.ann/.conf; other articles are read on their own
        for candidate in files:
            if brat and candidate.suffix.lower() in BRAT_FILES:
                continue
            if candidate.suffix.lower() not in readable:
                if skipped is not None:
                    skipped.append(f"{candidate}: skipped (not an importable file type)")
                continue
            found.append(candidate)
    return found


def format_for(path: Path) -> Format:
    """The format that reads ``path``, chosen by content where extensions are ambiguous.

    The path itself is never followed: a link, pipe, socket or device is refused with what it is.
    """
    if not os.path.islink(path) and path.is_dir():
        return get_format("brat")  # collect_files passes a folder on only when it holds .ann files
    with open_regular(path) as stream:
        try:
            head = stream.read(65536)
        except OSError as exc:
            raise AnnotatorError(f"cannot be read ({exc.strerror or exc})", path=str(path)) from None
    found = detect_format(path, head)
    if found is not None:
        return found
    for fmt in all_formats():  # content not recognised: the extension's reader says precisely what is wrong
        if fmt.can_read and path.suffix.lower() in fmt.extensions:
            return fmt
    suffixes = sorted({ext for fmt in all_formats() if fmt.can_read for ext in fmt.extensions})
    raise AnnotatorError(f"unsupported file type {path.suffix or '(none)'!r}; importable: {' '.join(suffixes)}", path=str(path))
