"""Legacy 8-bit Vietnamese font encodings: TCVN3 (ABC) and VNI -> Unicode.

Many provincial documents are still typed in fonts such as ``.VnTime`` /
``.VnTimeH`` (TCVN 5712:1993, "TCVN3"/"ABC") or ``VNI-Times`` (VNI Windows).
Their PDF text layers do not say which letters they show: the glyph codes come
out as the Windows-1252 (or Latin-1) characters with the same byte values, e.g.

* TCVN3: ``Céng hßa x· héi chñ nghÜa ViÖt Nam``
* VNI:   ``Coäng hoøa xaõ hoäi chuû nghóa Vieät Nam``

for ``Cộng hòa xã hội chủ nghĩa Việt Nam``.

API
---
``detect_encoding(text)``
    `LegacyEncoding.TCVN3`, `LegacyEncoding.VNI` or None (Unicode Vietnamese,
    other languages, too little evidence).  Never raises.
``to_unicode(text, encoding, uppercase=False)``
    NFC Unicode.  Characters outside the legacy mapping pass through.
    ``uppercase=True`` is for text set in an all-caps font (``.VnTimeH``), whose
    bytes are the lower-case codes.
``from_unicode(text, encoding, uppercase=False)``
    The inverse (legacy string as it would be extracted); for fixtures/tests.
``convert_span(text, font_name=None)``
    Picks encoding and case from a PDF font name (``.VnTime``, ``.VnTimeH``,
    ``.VnArial``, ``VNI-Times`` ...); with no or an unknown font name it falls
    back to `detect_encoding` and returns the text unchanged when nothing is
    detected.

Modules: `codes` (the code tables and the conversion both ways), `detect`
(which encoding a text is in), `fonts` (font names, and one PDF span
converted by its font).  The syllable grammar detection relies on is
`plandiff.ingest.syllables`, re-exported here as `is_vietnamese_syllable`.

Caveat for callers: convert *before* `textnorm.clean_text` (see `codes`).
"""
from __future__ import annotations

from ..syllables import is_vietnamese_syllable
from .codes import LegacyEncoding, UnknownEncodingError, from_unicode, to_unicode
from .detect import detect_encoding, detection_scores
from .fonts import convert_span, encoding_for_font

__all__ = [
    "LegacyEncoding", "detect_encoding", "to_unicode", "from_unicode", "convert_span",
    "encoding_for_font", "is_vietnamese_syllable", "UnknownEncodingError", "detection_scores",
]
