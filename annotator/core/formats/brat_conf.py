"""brat's configuration files for an export: ``annotation.conf`` (types) and ``visual.conf`` (names, colours).

brat refuses to let a person edit an annotation whose type its ``annotation.conf`` does not declare, so
an export declares everything its ``.ann`` files use: the scheme's labels (and any other label written),
its relation types with the labels they may link (``caused\tArg1:working_hours|surveillance, Arg2:injury``;
``<ANY>`` where the scheme allows any label; an undirected type adds ``<REL-TYPE>:symmetric``, brat's
spelling), and the attributes: typed ones on the labels that define them with their options as
``Value:``, yes/no ones as binary attributes, free ones on ``<ENTITY>`` with the values written. The
syntax follows brat's ``server/src/projectconfig.py`` (nlplab/brat), which reads these files.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from annotator.core.scheme import Scheme


@dataclass
class AttrSeen:
    """What the ``.ann`` files wrote for one attribute name: as a binary flag, and which values."""

    binary: bool = False
    values: set[str] = field(default_factory=set)


def _alternatives(labels: Iterable[str]) -> str:
    return "|".join(labels) or "<ANY>"


def relations_section(scheme: Scheme, used: Iterable[str]) -> list[str]:
    """``[relations]`` lines: the scheme's types in order, then relation labels written but not defined."""
    lines = []
    for relation in sorted(scheme.relations, key=lambda r: r.order):
        line = f"{relation.key}\tArg1:{_alternatives(relation.sources)}, Arg2:{_alternatives(relation.targets)}"
        if not relation.directed:
            line += ", <REL-TYPE>:symmetric"
        lines.append(line)
    defined = {relation.key for relation in scheme.relations}
    lines += [f"{key}\tArg1:<ANY>, Arg2:<ANY>" for key in sorted(set(used) - defined)]
    return lines


def attributes_section(scheme: Scheme, seen: dict[str, AttrSeen]) -> list[str]:
    """``[attributes]`` lines for every attribute written: typed ones on their labels, free ones on any."""
    owners: dict[str, list[str]] = {}
    options: dict[str, list[str]] = {}
    binary: set[str] = set()
    for label in scheme.labels:
        for definition in label.attributes:
            if definition.key not in seen:
                continue
            owners.setdefault(definition.key, []).append(label.key)
            if definition.kind == "bool":
                binary.add(definition.key)
            for option in definition.options:
                options.setdefault(definition.key, [])
                if option not in options[definition.key] and " " not in option:
                    options[definition.key].append(option)
    lines = []
    for name in sorted(seen):
        used = seen[name]
        target = "|".join(owners[name]) if name in owners else "<ENTITY>"
        values = list(options.get(name, []))
        values += sorted(v for v in used.values if v not in values)
        if values and name not in binary:
            lines.append(f"{name}\tArg:{target}, Value:{'|'.join(values)}")
        else:
            lines.append(f"{name}\tArg:{target}")
    return lines


def annotation_conf(labels: Iterable[str], scheme: Scheme, relations_used: Iterable[str],
                    attrs: dict[str, AttrSeen]) -> str:
    out = ["[entities]", *labels, "", "[relations]", *relations_section(scheme, relations_used), "",
           "[events]", "", "[attributes]", *attributes_section(scheme, attrs)]
    return "\n".join(out) + "\n"


def visual_conf(scheme: Scheme) -> str:
    out = ["[labels]"]
    out += [f"{lbl.key} | {lbl.name}" for lbl in scheme.labels]
    out += [f"{rel.key} | {rel.name}" for rel in scheme.relations]
    out += ["", "[drawing]"]
    out += [f"{lbl.key}\tbgColor:{lbl.color}" for lbl in scheme.labels]
    out += [f"{rel.key}\tcolor:{rel.color}" for rel in scheme.relations]
    return "\n".join(out) + "\n"
