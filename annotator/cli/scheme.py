"""``annotator scheme export`` / ``scheme import``: the tag scheme as a JSON file, so a team can share
one set of labels between databases.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from annotator.cli.common import EXIT_OK, open_from_args
from annotator.core.safe_io import write_text


def run_scheme(args: argparse.Namespace) -> int:
    from annotator.core.scheme import Scheme
    from annotator.store import repository as repo

    store = open_from_args(args, stores=args.scheme_command == "import")
    try:
        if args.scheme_command == "export":
            with store.session() as session:
                scheme = repo.get_scheme(session)
            out = Path(args.output)
            write_text(out, scheme.to_json())
            print(f"exported {len(scheme.labels)} labels to {out}")
        else:
            from annotator.core.decoding import read_text_file

            path = Path(args.path)
            scheme = Scheme.from_json(read_text_file(path).text, path=str(path))
            with store.write() as session:
                repo.save_scheme(session, scheme)
            print(f"imported {len(scheme.labels)} labels from {path}")
    finally:
        store.close()
    return EXIT_OK
