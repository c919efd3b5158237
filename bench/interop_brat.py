"""Read a brat export with brat's own parsers and compare with what our reader makes of it (not run in CI).

Why: ``annotator/core/formats/brat.py`` writes ``.ann`` lines (T, A, R, #) and ``annotation.conf`` from
brat's documented syntax; this script makes brat's server code read them. It needs a brat checkout (only
its ``server/src`` is imported; it runs under Python 3 without brat's web server)::

    git clone https://github.com/nlplab/brat /tmp/brat
    python bench/interop_brat.py --brat /tmp/brat FOLDER

For every ``.ann`` under FOLDER it loads ``annotation.TextAnnotations`` with the file's text and lines
(brat's own file opening uses the codecs mode ``rU``, which Python 3.11 refuses; the parsing is the same),
which checks each T line's text
against the ``.txt`` and refuses bad lines as "failed lines") and compares brat's text-bound annotations,
attributes and binary relations with our reader's spans, attributes and relations; then it parses
FOLDER's ``annotation.conf`` with ``projectconfig.ProjectConfiguration`` and prints the relation and
attribute types brat sees. Exit status 0 when brat read every line and agrees with us, 1 otherwise.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from annotator.core.formats import ReadContext, get_format  # noqa: E402


def brat_view(brat_src: Path, ann: Path) -> tuple[set, set, set, list[int]]:
    """(spans, attributes, relations, failed line numbers) as brat's ``TextAnnotations`` reads a file."""
    sys.path.insert(0, str(brat_src))
    import annotation  # brat's server/src/annotation.py

    # Given as strings: brat's own file opening uses codecs mode "rU", which Python 3.11+ refuses.
    doc = annotation.TextAnnotations(text=ann.with_suffix(".txt").read_text(encoding="utf-8"),
                                     source=ann.read_text(encoding="utf-8"), read_only=True)
    spans = {t.id: (t.spans[0][0], t.spans[-1][1], t.type) for t in doc.get_textbounds()}
    attributes = {(spans[a.target], a.type, a.value) for a in doc.get_attributes()}
    relations = {(spans[r.arg1], spans[r.arg2], r.type) for r in doc.get_relations()}
    return set(spans.values()), attributes, relations, list(doc.failed_lines)


def our_view(folder: Path, ann: Path) -> tuple[set, set, set]:
    ctx = ReadContext(str(folder))
    for item in get_format("brat").read(folder, ctx):
        if not hasattr(item, "document") or item.document.meta.get("filename") != ann.with_suffix(".txt").name:
            continue
        layer = item.layers[0]
        key = [(s.start, s.end, s.label) for s in layer.spans]
        attributes = {(key[i], name, value if value is True else str(value))
                      for i, s in enumerate(layer.spans) for name, value in s.attributes.items()}
        relations = {(key[r.source], key[r.target], r.label) for r in layer.relations}
        return set(key), attributes, relations
    raise SystemExit(f"our reader found no document for {ann}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--brat", type=Path, required=True, help="a checkout of github.com/nlplab/brat")
    parser.add_argument("folder", type=Path, help="a brat export (one layer: a flat folder)")
    args = parser.parse_args()
    src = args.brat / "server" / "src"
    ok = True
    for ann in sorted(args.folder.glob("*.ann")):
        spans, attributes, relations, failed = brat_view(src, ann)
        ours = our_view(args.folder, ann)
        same = (spans, attributes, relations) == ours
        ok &= same and not failed
        print(f"{ann.name}: brat read {len(spans)} spans, {len(attributes)} attributes, {len(relations)} relations; "
              f"failed lines {failed or 'none'}; {'same as ours' if same else 'DIFFERS from ours'}")
    if "config" not in sys.modules:  # brat's installer writes a config.py; projectconfig reads BASE_DIR
        import types

        config = types.ModuleType("config")
        # projectconfig looks for annotation.conf from the folder up to BASE_DIR
        config.BASE_DIR = str(args.folder.resolve())  # type: ignore[attr-defined]
        sys.modules["config"] = config
    import projectconfig  # brat's server/src/projectconfig.py
    from message import Messager  # brat's server/src/message.py: where configuration problems go

    projectconfig.open_textfile = lambda name, mode="r": open(name, mode, encoding="utf-8")  # noqa: SIM115  ("rU")
    config = projectconfig.ProjectConfiguration(str(args.folder.resolve()))
    print("annotation.conf relation types:", ", ".join(config.get_relation_types()))
    messages = Messager.output_json({}).get("messages", [])
    for message in messages:
        print("brat says:", message)
    ok &= not messages
    labels = sorted({label for ann in args.folder.glob("*.ann") for _, _, label in brat_view(src, ann)[0]})
    for source in labels:
        for target in labels:
            allowed = config.relation_types_from_to(source, target)
            if allowed:
                print(f"annotation.conf allows {source} -> {target}: {', '.join(sorted(allowed))}")
    for label in labels:
        print(f"annotation.conf attributes of {label}: {', '.join(sorted(config.attributes_for(label))) or '-'}")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
