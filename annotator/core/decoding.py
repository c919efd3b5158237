"""Turning a file's bytes into text, or a clear refusal.

Order of trust: a byte-order mark (UTF-8, UTF-16, UTF-32) is authoritative; then strict UTF-8; a file
that is clearly meant as UTF-8 (it has valid multi-byte sequences) but contains a broken one is refused
rather than mis-read as a legacy code page; anything else goes to charset-normalizer, whose guess
(cp1251, EUC-KR, cp1252, …) is reported to the user. NUL bytes or a high share of control characters
mean a binary file, which is refused.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass
from pathlib import Path

from annotator.core.errors import AnnotatorError

MAX_ARTICLE_BYTES = 64 * 1024 * 1024
"""The article size limit, applied by every reader before decoding: an article file, one JSONL line, one
archive member, one DocBin payload, one whole-JSON file (Label Studio, W3C). News articles are kilobytes;
the bound keeps an import's memory well under 512 MB whatever it is given (docs/reliability.md)."""
MAX_FILE_BYTES = 512 * 1024 * 1024
"""What all the members of one archive may add up to."""
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


@dataclass(frozen=True, slots=True)
class DecodedText:
    """Decoded text and how it was decoded; ``detected`` is True when the encoding was a guess."""

    text: str
    encoding: str
    detected: bool = False


def decode_bytes(data: bytes, path: str | None = None) -> DecodedText:
    """Decode ``data``; raise :class:`AnnotatorError` naming ``path`` and the reason when it cannot be."""
    if not data:
        raise AnnotatorError("the file is empty", path=path)
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                text = data[len(bom) :].decode(encoding)
            except UnicodeDecodeError as exc:
                raise AnnotatorError(
                    f"invalid {encoding.upper()} at byte {exc.start + len(bom)} despite its byte-order mark",
                    path=path,
                ) from None
            return DecodedText(_refuse_binary(text, path), encoding)
    if b"\x00" in data:
        raise AnnotatorError("this is a binary file (it contains NUL bytes), not text", path=path)
    try:
        return DecodedText(_refuse_binary(data.decode("utf-8"), path), "utf-8")
    except UnicodeDecodeError as exc:
        if _mostly_utf8(data):
            raise AnnotatorError(
                f"invalid UTF-8 at byte {exc.start} (the rest of the file is UTF-8; is it truncated or mixed?)",
                path=path,
            ) from None
    return _decode_legacy(data, path)


def _mostly_utf8(data: bytes) -> bool:
    """True when the bytes are UTF-8 with a few broken sequences, rather than another encoding.

    Legacy double-byte encodings (EUC-KR, Shift-JIS) produce an error at almost every non-ASCII
    character when read as UTF-8; a damaged UTF-8 file decodes almost entirely.
    """
    decoded = data.decode("utf-8", errors="replace")
    broken = decoded.count("\ufffd")
    valid_non_ascii = sum(1 for ch in decoded if ord(ch) > 127) - broken
    return valid_non_ascii >= 4 * broken


# Among equally plausible guesses, the code pages news text is most often saved in win. charset-normalizer
# alone picks e.g. cp1250 for short French text, turning "è" into "č".
PREFERRED_ENCODINGS = ("cp1252", "cp1251", "cp1250", "cp949", "shift_jis", "gb18030", "big5", "cp1256", "cp1253")


def _decode_legacy(data: bytes, path: str | None) -> DecodedText:
    from charset_normalizer import from_bytes

    matches = list(from_bytes(data))
    if not matches:
        raise AnnotatorError("could not determine the text encoding (not UTF-8 and no known code page fits)", path=path)
    least_chaos = min(m.chaos for m in matches)
    tied = [m.encoding for m in matches if m.chaos <= least_chaos + 1e-9]
    choice = next((enc for enc in PREFERRED_ENCODINGS if enc in tied), tied[0])
    try:
        text = data.decode(choice)
    except (UnicodeDecodeError, LookupError):
        raise AnnotatorError(f"could not decode the file as {choice}", path=path) from None
    # Report the familiar name when a preferred code page reads the bytes identically (German text is
    # the same in cp1250 and cp1252).
    for familiar in PREFERRED_ENCODINGS:
        if familiar == choice:
            break
        try:
            if data.decode(familiar) == text:
                choice = familiar
                break
        except UnicodeDecodeError:
            continue
    return DecodedText(_refuse_binary(text, path), choice, detected=True)


def _refuse_binary(text: str, path: str | None) -> str:
    if "\x00" in text:
        raise AnnotatorError("this is a binary file (it contains NUL characters), not text", path=path)
    sample = text[:65536]
    if sample and len(_CONTROL.findall(sample)) > max(8, len(sample) // 100):
        raise AnnotatorError("this looks like a binary file (many control characters), not text", path=path)
    return text


def read_text_file(path: Path, max_bytes: int = MAX_ARTICLE_BYTES) -> DecodedText:
    """Read and decode a regular file (never through a link), refusing missing, oversized or binary ones."""
    from annotator.core.safe_io import read_regular

    return decode_bytes(read_regular(path, max_bytes), str(path))
