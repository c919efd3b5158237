"""Label Studio's labelling interface XML for a scheme, so a project can be set up to match an export.

Label Studio accepts a result only for a control its project's interface declares, so an export's spans,
relations, document fields and span attributes need the matching tags: ``<Labels>``, ``<Relations>``, a
``<Choices>``/``<Number>``/``<DateTime>``/``<TextArea>`` per document field, and per-region controls for
each label's typed attributes, shown when a span of that label is selected. The names written here are
the ``from_name`` values the format's results use.
"""

from __future__ import annotations

from typing import Any

from annotator.core.scheme import Scheme

FROM_NAME = "label"
TO_NAME = "text"


def labeling_config(scheme: Scheme) -> str:
    """Label Studio's labelling interface XML for a scheme: one ``<Label>`` per label, in scheme order, a
    ``<Relation>`` per relation type, a control per document field (``<Choices>`` for choice, multi and
    yes/no; ``<Number>``, ``<DateTime>``, ``<TextArea>``) and per-region controls for typed attributes,
    shown when a span of their label is selected."""
    # Imported here: xml.sax.saxutils pulls in urllib and email, ~50 ms of every CLI start-up otherwise.
    from xml.sax.saxutils import quoteattr

    lines = ["<View>", f'  <Labels name="{FROM_NAME}" toName="{TO_NAME}">']
    for label in sorted(scheme.labels, key=lambda lbl: lbl.order):
        attrs = f"value={quoteattr(label.key)} background={quoteattr(label.color)}"
        if label.shortcut:
            attrs += f" hotkey={quoteattr(label.shortcut)}"
        if label.guideline:
            attrs += f" hint={quoteattr(label.guideline)}"
        lines.append(f"    <Label {attrs}/>")
    lines += ["  </Labels>", f'  <Text name="{TO_NAME}" value="$text"/>']
    if scheme.relations:
        lines.append("  <Relations>")
        lines += [f"    <Relation value={quoteattr(rel.key)} background={quoteattr(rel.color)}/>"
                  for rel in sorted(scheme.relations, key=lambda r: r.order)]
        lines.append("  </Relations>")
    for definition in sorted(scheme.fields, key=lambda d: d.order):
        lines += ["  " + line for line in _control(definition.key, definition.kind, definition.options, "", quoteattr)]
    for label in sorted(scheme.labels, key=lambda lbl: lbl.order):
        if not label.attributes:
            continue
        lines.append(f'  <View visibleWhen="region-selected" whenTagName="{FROM_NAME}" '
                     f"whenLabelValue={quoteattr(label.key)}>")
        for attribute in label.attributes:
            lines += ["    " + line for line in _control(attribute_name(label.key, attribute.key), attribute.kind,
                                                          attribute.options, ' perRegion="true"', quoteattr)]
        lines.append("  </View>")
    lines.append("</View>")
    return "\n".join(lines) + "\n"


def attribute_name(label: str, key: str) -> str:
    """The control name of a typed span attribute: ``injury:severity`` (label keys hold no ``:``)."""
    return f"{label}:{key}"


def _control(name: str, kind: str, options: list[str], extra: str, quoteattr: Any) -> list[str]:
    head = f'name={quoteattr(name)} toName="{TO_NAME}"{extra}'
    if kind in ("choice", "multi", "bool"):
        values = options if kind != "bool" else ["true", "false"]
        choice = "multiple" if kind == "multi" else "single"
        return [f'<Choices {head} choice="{choice}" showInline="true">',
                *(f"  <Choice value={quoteattr(value)}/>" for value in values), "</Choices>"]
    tag = {"number": "Number", "date": "DateTime", "text": "TextArea"}[kind]
    only = ' only="date"' if kind == "date" else ""
    return [f"<{tag} {head}{only}/>"]


