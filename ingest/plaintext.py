"""Plain-text inputs: decoding (UTF-8/16, legacy 8-bit Vietnamese) and page splitting.

Old offices still save text in 8-bit encodings: TCVN3 or VNI font bytes, or
Windows-1258.  A file that is not UTF-8 is decoded line by line: lines that
are valid UTF-8 stay as they are (files mixing encodings exist), the others
are decoded by whichever of TCVN3, VNI and Windows-1258 makes the most
Vietnamese syllables.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from .errors import IngestError
from .textnorm import clean_text

_BOMS = (
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
)
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)


@dataclass(frozen=True)
class DecodedText:
    text: str
    route: str          # how the bytes were read, for the pages table
    converted: bool     # a legacy encoding was converted to Unicode


def decode_text(data: bytes) -> DecodedText:
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                return DecodedText(data.decode(codec), f"plain text ({codec})", False)
            except UnicodeDecodeError as exc:
                raise IngestError(f"text starts with a {codec} byte-order mark but is not "
                                  f"valid {codec} (byte {exc.start})") from exc
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return _decode_legacy_lines(data)
    legacy = _legacy_of(text)
    if legacy:  # legacy font bytes saved through a Unicode editor ("Céng hßa")
        from .legacy import to_unicode

        return DecodedText(to_unicode(text, legacy), f"plain text in {legacy.upper()} "
                           "font encoding: converted", True)
    return DecodedText(text, "plain text (utf-8)", False)


def _legacy_of(text: str) -> str | None:
    from .legacy import detect_encoding

    encoding = detect_encoding(text)
    return encoding.value if encoding else None


def _decode_legacy_lines(data: bytes) -> DecodedText:
    lines = data.split(b"\n")
    foreign = [ln for ln in lines if not _is_utf8(ln)]
    codec = _best_legacy_codec(b"\n".join(foreign))
    if codec is None:
        raise IngestError("text is neither UTF-8 nor a Vietnamese legacy encoding "
                          "(TCVN3, VNI, Windows-1258); re-save the file as UTF-8",
                          vi="Tệp văn bản không ở mã UTF-8 hay mã tiếng Việt cũ (TCVN3, VNI, "
                             "Windows-1258); đề nghị lưu lại ở mã UTF-8")
    out = [ln.decode("utf-8") if _is_utf8(ln) else _decode_with(ln, codec) for ln in lines]
    mixed = len(foreign) < len([ln for ln in lines if ln.strip()])
    route = f"plain text in {codec.upper()}: converted" + (" (mixed with UTF-8 lines)" if mixed else "")
    return DecodedText("\n".join(out), route, True)


def _is_utf8(raw: bytes) -> bool:
    try:
        raw.decode("utf-8")
        return True
    except UnicodeDecodeError:
        return False


def _decode_with(raw: bytes, codec: str) -> str:
    if codec == "cp1258":  # tones as combining marks: compose them
        return unicodedata.normalize("NFC", raw.decode("cp1258", errors="replace"))
    from .legacy import to_unicode

    return to_unicode(raw.decode("cp1252", errors="replace"), codec)


def _best_legacy_codec(raw: bytes) -> str | None:
    """tcvn3, vni or cp1258: the reading with the most Vietnamese syllables."""
    from .syllables import is_vietnamese_syllable

    best, best_score = None, 0.0
    for codec in ("tcvn3", "vni", "cp1258"):
        decoded = _decode_with(raw, codec)
        if decoded.count("\ufffd") > 0.01 * max(len(decoded), 1):
            continue  # bytes with no meaning in this encoding: binary, not text
        words = _WORD.findall(decoded.lower())
        marked = [w for w in words if not w.isascii()]
        if len(marked) < 3:
            continue
        score = sum(is_vietnamese_syllable(w) for w in marked) / len(marked)
        if score > best_score:
            best, best_score = codec, score
    return best if best_score >= 0.6 else None


def text_pages(data: bytes) -> tuple[list[str], DecodedText]:
    """Pages of a text file (form feeds separate pages, as pdftotext writes them)."""
    decoded = decode_text(data)
    text = clean_text(decoded.text)
    pages = text.split("\f")
    if len(pages) > 1 and not pages[-1].strip():
        pages = pages[:-1]
    return pages, decoded
