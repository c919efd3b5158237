"""Where the packaged resources (sample articles, styles) live.

An installed wheel carries the repository's top-level ``resources/`` as ``annotator/resources`` (see the
force-include in pyproject); a source checkout has it beside the package. Looking in both places lets the
same code run from a wheel, an editable install and a plain checkout.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path


def resources_dir() -> Path:
    """The folder holding ``samples/`` and the other shipped resources."""
    packaged = Path(str(files("annotator"))) / "resources"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parent.parent / "resources"


def samples_dir() -> Path:
    return resources_dir() / "samples"
