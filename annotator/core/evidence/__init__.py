"""Evidence: every tagged passage with its source, grouped into corroborated claims, charted and reported.

Pure code (no Qt, no SQLAlchemy) shared by the evidence view (``ui/evidence``), the ``annotator report``
command and their tests: the filter and row types (``model``), near-duplicate grouping of quotes into
claims (``corroboration``), small deterministic SVG charts (``charts``) and the cited report in HTML and
Markdown (``report_html``, ``report_markdown``).
"""
