"""What an import did: the counts, added scheme parts, refusals and notices of one run.

Why a module of its own: the command line prints it as one summary line and the app shows it in its
report dialog, so both read the same object; ``store.importing`` fills it file by file.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from annotator.core.wording import plural
from annotator.store.import_structure import StructureAdded


@dataclass
class ImportSummary:
    """What an import did, for the closing summary line and the app's report dialog."""

    files: int = 0
    documents_added: int = 0
    duplicates: int = 0
    layers: int = 0
    spans: int = 0
    spans_present: int = 0
    """Spans not stored because the same span (start, end, label) was in that layer before the import."""
    spans_repeated: int = 0
    """Spans not stored because the file gave the same span (start, end, label) of a layer twice."""
    labels_added: list[str] = field(default_factory=list)
    structure_added: StructureAdded = field(default_factory=StructureAdded)
    """Document fields and relation types ``--add-labels`` added."""
    labels_mapped: dict[str, str] = field(default_factory=dict)
    """Labels of the files stored under the scheme's key that differs only in case (file's -> scheme's)."""
    refused: list[str] = field(default_factory=list)
    skipped_records: list[str] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    cancelled: bool = False

    def describe(self) -> str:
        parts = [
            f"{plural(self.files, 'file')} read",
            f"{plural(self.documents_added, 'document')} added",
            plural(self.duplicates, "duplicate"),
            plural(self.layers, "layer"),
            plural(self.spans, "span"),
        ]
        if self.spans_present:
            parts.append(f"{plural(self.spans_present, 'span')} already there")
        if self.spans_repeated:
            parts.append(f"{plural(self.spans_repeated, 'repeated span')} skipped")
        if self.labels_added:
            parts.append(f"labels added: {', '.join(self.labels_added)}")
        added = self.structure_added
        if added.fields:
            parts.append(f"fields added: {', '.join(added.fields)}")
        if added.text_fields:
            parts.append(f"added as free text (change the kind in the scheme if they are choices): "
                         f"{', '.join(added.text_fields)}")
        if added.relation_types:
            parts.append(f"relation types added (linking any labels): {', '.join(added.relation_types)}")
        if self.labels_mapped:
            read = ", ".join(f"{theirs} as {ours}" for theirs, ours in self.labels_mapped.items())
            parts.append(f"labels read without case: {read}")
        if self.skipped_records:
            parts.append(f"{plural(len(self.skipped_records), 'bad record')} skipped")
        if self.refused:
            parts.append(f"{plural(len(self.refused), 'file')} refused")
        if self.cancelled:
            parts.append("cancelled")
        return "; ".join(parts)
