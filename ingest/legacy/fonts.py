"""PDF font names -> legacy encoding, and the conversion of one text-layer span.

A span set in ``.VnTime``/``.VnTimeH``/``.VnArial`` is TCVN3 (an ``H`` at the
end of the family: an all-caps font whose bytes are the lower-case codes), one
set in ``VNI-Times`` is VNI.  Subset prefixes (``ABCDEF+``) and style suffixes
(``,Bold``, ``-Italic``, ``PSMT``) are ignored.
"""
from __future__ import annotations

import re

from .codes import LegacyEncoding, to_unicode
from .detect import detect_encoding, looks_unicode

__all__ = ["encoding_for_font", "convert_span"]

_SUBSET_PREFIX = re.compile(r"^[A-Z]{6}\+")
_STYLE_SUFFIX = re.compile(
    r"(?:[,\-_ ]+(?:Bold|Italic|Oblique|Regular|Roman|Normal|BoldItalic|BoldOblique|"
    r"Semibold|SemiBold|Medium|Light|PSMT|MT|PS))+$", re.IGNORECASE)
_VNI_FONT = re.compile(r"^VNI[-_ ]", re.IGNORECASE)
_TCVN3_FONT = re.compile(r"^\.?Vn(?!i[-_ ])[A-Za-z]", re.IGNORECASE)


def encoding_for_font(font_name: str | None) -> tuple[LegacyEncoding | None, bool]:
    """(encoding, all-caps) from a font name: ``.VnTime`` -> (TCVN3, False),
    ``ABCDEF+.VnTimeH,Bold`` -> (TCVN3, True), ``VNI-Times`` -> (VNI, False);
    (None, False) for other or missing names."""
    if not font_name or not isinstance(font_name, str):
        return None, False
    name = _SUBSET_PREFIX.sub("", font_name.strip())
    if _VNI_FONT.match(name):
        return LegacyEncoding.VNI, False
    if _TCVN3_FONT.match(name):
        family = _STYLE_SUFFIX.sub("", name).rstrip()
        return LegacyEncoding.TCVN3, family.endswith("H")
    return None, False


def convert_span(text: str, font_name: str | None = None) -> str:
    """Convert one span of a PDF text layer.

    A legacy font name decides the encoding (and, for ``...H`` TCVN3 fonts, the
    case) unless the text already holds Unicode Vietnamese (then it is
    returned as it is); without one, `detect_encoding` decides, and text in no
    detected legacy encoding is returned unchanged.  Never raises on any input
    text.
    """
    if not text or not isinstance(text, str):
        return text if isinstance(text, str) else ""
    try:
        encoding, caps = encoding_for_font(font_name)
        if encoding is None:
            encoding = detect_encoding(text)
            if encoding is None:
                return text
        elif looks_unicode(text):
            return text  # a legacy font name, but the text layer is Unicode already
        return to_unicode(text, encoding, uppercase=caps)
    except Exception:  # never break the caller on odd input
        return text
