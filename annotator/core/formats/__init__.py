"""Import and export formats. Importing this package registers every built-in format."""

from annotator.core.formats import articles, native_jsonl  # noqa: F401
from annotator.core.formats.base import (  # noqa: F401
    Format,
    ReadContext,
    WriteReport,
    all_formats,
    get_format,
    register,
)
