"""Repository functions: every read and write of annotations goes through here.

Each function takes the caller's Session and never commits: the caller's ``store.write()`` block is the
transaction (one user action, one commit). Writes to a layer check who is acting (``actor``): an
annotator writes only their own layer, and the gold layer only with the curator or admin role. The check
lives here, in the store, so neither the UI nor a script can bypass it.

The functions live in submodules by concern — ``annotators`` (names, roles, the write rule),
``scheme`` (labels), ``documents``, ``layers`` (status), ``spans`` (the tagging hot path, ``SpanView``),
``structure`` (document fields and relations), ``reading`` (whole-store reads, quote checks) — and are re-exported here, so callers keep writing
``from annotator.store import repository as repo; repo.add_span(...)``.
"""

from annotator.core.model import ROLES
from annotator.core.scheme import Label as LabelRecord
from annotator.store.repository.annotators import (
    ANNOTATOR_NAME_MAX,
    annotators_of,
    check_annotator_name,
    check_can_write,
    get_or_create_annotator,
    role_of,
    set_role,
    write_refusal,
)
from annotator.store.repository.documents import (
    add_document,
    count_documents,
    document_record,
    document_values,
    find_document,
    unique_doc_id,
)
from annotator.store.repository.layers import get_layer, get_or_create_layer, set_status
from annotator.store.repository.reading import QuoteMismatch, iter_annotated_documents, verify_quotes
from annotator.store.repository.scheme import (
    add_label,
    ensure_default_scheme,
    get_scheme,
    label_ids,
    save_scheme,
)
from annotator.store.repository.spans import (
    SpanView,
    add_span,
    delete_span,
    list_spans,
    update_span,
)
from annotator.store.repository.structure import (
    RelationView,
    add_relation,
    delete_relation,
    document_fields,
    document_relations,
    document_structure,
    layer_fields,
    layer_relations,
    relations_touching,
    set_document_field,
)

__all__ = [
    "ANNOTATOR_NAME_MAX",
    "ROLES",
    "LabelRecord",
    "QuoteMismatch",
    "RelationView",
    "SpanView",
    "add_document",
    "add_relation",
    "delete_relation",
    "document_fields",
    "document_relations",
    "document_structure",
    "layer_fields",
    "layer_relations",
    "relations_touching",
    "set_document_field",
    "add_label",
    "add_span",
    "annotators_of",
    "check_annotator_name",
    "check_can_write",
    "count_documents",
    "delete_span",
    "document_record",
    "document_values",
    "ensure_default_scheme",
    "find_document",
    "get_layer",
    "get_or_create_annotator",
    "get_or_create_layer",
    "get_scheme",
    "iter_annotated_documents",
    "label_ids",
    "list_spans",
    "role_of",
    "save_scheme",
    "set_role",
    "set_status",
    "unique_doc_id",
    "update_span",
    "verify_quotes",
    "write_refusal",
]
