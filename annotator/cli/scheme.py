"""``annotator scheme export`` / ``scheme import``: the tag scheme as a JSON file (version 2: labels with
their typed attributes, document fields, relation types; version 1 files still read), so a team can
share one scheme between databases.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from annotator.cli.common import EXIT_OK, open_from_args
from annotator.core.safe_io import write_text
from annotator.core.wording import plural

if TYPE_CHECKING:
    from annotator.core.scheme import Scheme


def _counts(scheme: Scheme) -> str:
    return (f"{plural(len(scheme.labels), 'label')}, {plural(len(scheme.fields), 'document field')} and "
            f"{plural(len(scheme.relations), 'relation type')}")


def run_scheme(args: argparse.Namespace) -> int:
    from annotator.core.scheme import Scheme, default_scheme
    from annotator.store import repository as repo

    store = open_from_args(args, stores=args.scheme_command == "import")
    try:
        if args.scheme_command == "export":
            with store.session() as session:
                scheme = repo.get_scheme(session)
            if not scheme.labels:  # never opened by the app: the scheme it will start with
                scheme = default_scheme()
            out = Path(args.output)
            write_text(out, scheme.to_json())
            print(f"exported {_counts(scheme)} to {out}")
        else:
            from annotator.core.decoding import read_text_file

            path = Path(args.path)
            scheme = Scheme.from_json(read_text_file(path).text, path=str(path))
            with store.write() as session:
                repo.save_scheme(session, scheme)
            print(f"imported {_counts(scheme)} from {path}")
    finally:
        store.close()
    return EXIT_OK
