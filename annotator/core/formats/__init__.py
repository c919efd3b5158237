"""Import and export formats. Importing this package registers every built-in format."""

from annotator.core.formats import (  # noqa: F401  (each module registers its format)
    articles,
    brat,
    conll,
    csv_evidence,
    doccano,
    label_studio,
    native_jsonl,
    prodigy,
    spacy_docbin,
    w3c,
)
from annotator.core.formats.base import (  # noqa: F401
    Format,
    ReadContext,
    WriteReport,
    all_formats,
    detect_format,
    get_format,
    register,
)
