"""Legacy 8-bit Vietnamese font encodings: the code tables, TCVN3 (ABC) and VNI <-> Unicode.

TCVN3: the full TCVN 5712:1993 VN1 chart.  VN3 (what ``.VnTime`` implements)
is its subset: lower-case letters with marks at 0xA8-0xAE and 0xB5-0xFE,
``Ă Â Ê Ô Ơ Ư Đ`` at 0xA1-0xA7.  VN1 adds the upper-case letters with tone
marks in 0x01-0x17, 0x80-0x9F and the holes of 0xAF-0xFF; they are decoded
too, with two guards (see `_TCVN3_PROTECTED`): the Windows-1252 punctuation
``… ‘ ’ “ ” • – —`` at 0x85 and 0x91-0x97 stays punctuation (only the Latin-1
control-character form of those bytes is read as a letter), and the VN1
combining marks 0xB0-0xB4 (``° ± ² ³ ´``) are left alone (``m²`` is far more
common in plans than a separate tone mark).

VNI: a letter is a base letter followed by one mark character (``a`` + ``ø`` =
``à``, ``o`` + ``ä`` = ``ộ``); ``ô``/``ö`` stand for ``ơ``/``ư`` (and take a
tone mark after them), ``ñ`` = ``đ``, and the ``i`` family and ``ỵ`` have
single codes (``ì í æ ó ò`` = ``ì í ỉ ĩ ị``, ``î`` = ``ỵ``).  Upper-case
letters use the upper-case forms (``OÄ`` = ``Ộ``, ``Ñ`` = ``Đ``).  The case of
a combined letter follows its base letter.

Caveat for callers: convert *before* `textnorm.clean_text`.  It deletes
U+00AD (soft hyphen), which in TCVN3 is ``ư`` (``tr\xad¬ng`` = ``trương``),
and turns U+00D0 (``Ð``, TCVN3 ``é``) into ``Đ``.
"""
from __future__ import annotations

import unicodedata
from enum import StrEnum

from ..errors import IngestError

__all__ = [
    "LegacyEncoding", "UnknownEncodingError", "to_unicode", "from_unicode",
    "TCVN3_BYTES", "TCVN3_DECODE", "VNI_CODES",
]


class UnknownEncodingError(IngestError, ValueError):
    """An encoding name other than "tcvn3" or "vni" was asked for."""


class LegacyEncoding(StrEnum):
    TCVN3 = "tcvn3"
    VNI = "vni"

    def __str__(self) -> str:  # pragma: no cover - cosmetic
        return self.value


# --------------------------------------------------------------------------
# Building Unicode letters
# --------------------------------------------------------------------------

# Tones in the order used by the tables below.
_GRAVE, _HOOK, _TILDE, _ACUTE, _DOT = "\u0300", "\u0309", "\u0303", "\u0301", "\u0323"
_TONES = (_GRAVE, _HOOK, _TILDE, _ACUTE, _DOT)
_CIRC, _BREVE, _HORN = "\u0302", "\u0306", "\u031b"

# Vowel "qualities": key -> (base letter, quality mark or "")
_VOWELS = {
    "a": ("a", ""), "ă": ("a", _BREVE), "â": ("a", _CIRC), "e": ("e", ""), "ê": ("e", _CIRC),
    "i": ("i", ""), "o": ("o", ""), "ô": ("o", _CIRC), "ơ": ("o", _HORN), "u": ("u", ""),
    "ư": ("u", _HORN), "y": ("y", ""),
}


def _letter(vowel: str, tone: str = "", upper: bool = False) -> str:
    base, quality = _VOWELS[vowel]
    ch = unicodedata.normalize("NFC", base + quality + tone)
    return ch.upper() if upper else ch


# --------------------------------------------------------------------------
# TCVN3 (TCVN 5712:1993) tables, written as byte values
# --------------------------------------------------------------------------

# Lower case: vowel -> codes for grave, hook above, tilde, acute, dot below.
_TCVN3_LOWER_TONED = {
    "a": (0xB5, 0xB6, 0xB7, 0xB8, 0xB9),
    "ă": (0xBB, 0xBC, 0xBD, 0xBE, 0xC6),
    "â": (0xC7, 0xC8, 0xC9, 0xCA, 0xCB),
    "e": (0xCC, 0xCE, 0xCF, 0xD0, 0xD1),
    "ê": (0xD2, 0xD3, 0xD4, 0xD5, 0xD6),
    "i": (0xD7, 0xD8, 0xDC, 0xDD, 0xDE),
    "o": (0xDF, 0xE1, 0xE2, 0xE3, 0xE4),
    "ô": (0xE5, 0xE6, 0xE7, 0xE8, 0xE9),
    "ơ": (0xEA, 0xEB, 0xEC, 0xED, 0xEE),
    "u": (0xEF, 0xF1, 0xF2, 0xF3, 0xF4),
    "ư": (0xF5, 0xF6, 0xF7, 0xF8, 0xF9),
    "y": (0xFA, 0xFB, 0xFC, 0xFD, 0xFE),
}
# Upper case with a tone (VN1 only), same order.
_TCVN3_UPPER_TONED = {
    "a": (0x80, 0x81, 0x82, 0x83, 0x84),
    "ă": (0xAF, 0xBA, 0xBF, 0xC0, 0x85),
    "â": (0xC1, 0xC2, 0xC3, 0xC4, 0x86),
    "e": (0x87, 0x88, 0x89, 0x8A, 0x8B),
    "ê": (0xC5, 0xCD, 0xD9, 0xDA, 0x8C),
    "i": (0x8D, 0x8E, 0x8F, 0x90, 0x91),
    "o": (0x92, 0x93, 0x94, 0x95, 0x96),
    "ô": (0xDB, 0xE0, 0xF0, 0xFF, 0x97),
    "ơ": (0x98, 0x99, 0x9A, 0x9B, 0x9C),
    "u": (0x9D, 0x9E, 0x9F, 0x01, 0x02),
    "ư": (0x04, 0x05, 0x06, 0x11, 0x12),
    "y": (0x13, 0x14, 0x15, 0x16, 0x17),
}
# Letters with a quality mark but no tone, and đ.
_TCVN3_PLAIN = {
    "ă": 0xA8, "â": 0xA9, "ê": 0xAA, "ô": 0xAB, "ơ": 0xAC, "ư": 0xAD, "đ": 0xAE,
    "Ă": 0xA1, "Â": 0xA2, "Ê": 0xA3, "Ô": 0xA4, "Ơ": 0xA5, "Ư": 0xA6, "Đ": 0xA7,
}
# Bytes whose Windows-1252 reading is everyday punctuation: read as letters
# only in their Latin-1 (C1 control) form.
_TCVN3_PROTECTED = {0x85, 0x91, 0x92, 0x93, 0x94, 0x95, 0x96, 0x97}


def _cp1252_char(byte: int) -> str | None:
    try:
        return bytes([byte]).decode("cp1252")
    except UnicodeDecodeError:
        return None


def _build_tcvn3():
    byte_to_letter: dict[int, str] = {}
    for vowel, codes in _TCVN3_LOWER_TONED.items():
        for tone, code in zip(_TONES, codes, strict=False):
            byte_to_letter[code] = _letter(vowel, tone)
    for vowel, codes in _TCVN3_UPPER_TONED.items():
        for tone, code in zip(_TONES, codes, strict=False):
            byte_to_letter[code] = _letter(vowel, tone, upper=True)
    for letter, code in _TCVN3_PLAIN.items():
        byte_to_letter[code] = letter
    decode: dict[str, str] = {}
    encode: dict[str, str] = {}
    for code, letter in byte_to_letter.items():
        latin1 = chr(code)
        decode[latin1] = letter
        encode[letter] = latin1
        if 0x80 <= code <= 0x9F and code not in _TCVN3_PROTECTED:
            win = _cp1252_char(code)
            if win is not None:
                decode[win] = letter
                encode[letter] = win  # the form a PDF text layer usually gives
    return byte_to_letter, decode, encode


# TCVN3_BYTES: byte value -> letter (the VN1 chart); TCVN3_DECODE: character as a
# text layer gives it -> letter (both the Latin-1 and the Windows-1252 form).
TCVN3_BYTES, TCVN3_DECODE, _TCVN3_ENCODE = _build_tcvn3()
_TCVN3_TABLE = str.maketrans(TCVN3_DECODE)

# --------------------------------------------------------------------------
# VNI tables
# --------------------------------------------------------------------------

# Mark characters (lower-case form) -> (quality mark, tone mark).
_VNI_MARKS_LOWER = {
    "ø": ("", _GRAVE), "û": ("", _HOOK), "õ": ("", _TILDE), "ù": ("", _ACUTE), "ï": ("", _DOT),
    "â": (_CIRC, ""), "à": (_CIRC, _GRAVE), "å": (_CIRC, _HOOK), "ã": (_CIRC, _TILDE),
    "á": (_CIRC, _ACUTE), "ä": (_CIRC, _DOT),
    "ê": (_BREVE, ""), "è": (_BREVE, _GRAVE), "ú": (_BREVE, _HOOK), "ü": (_BREVE, _TILDE),
    "é": (_BREVE, _ACUTE), "ë": (_BREVE, _DOT),
}
_VNI_MARKS = {**_VNI_MARKS_LOWER, **{k.upper(): v for k, v in _VNI_MARKS_LOWER.items()}}
# Single codes (lower-case form).
_VNI_SINGLE_LOWER = {
    "ô": "ơ", "ö": "ư", "ñ": "đ",
    "ì": "ì", "æ": "ỉ", "ó": "ĩ", "í": "í", "ò": "ị", "î": "ỵ",
}
_VNI_SINGLE = {**_VNI_SINGLE_LOWER,
               **{k.upper(): v.upper() for k, v in _VNI_SINGLE_LOWER.items()}}
# Which (base, quality) pairs a mark may build.  Base "ơ"/"ư" come from the
# single codes ô/ö and take tones only.
_VNI_BASE_QUALITIES = {
    "a": {"", _CIRC, _BREVE}, "e": {"", _CIRC}, "o": {"", _CIRC}, "u": {""}, "y": {""},
    "ơ": {""}, "ư": {""},
}
# Every character that means something in VNI and not in Unicode Vietnamese
# as it stands (marks written as letters, single codes).
VNI_CODES = frozenset(_VNI_MARKS) | frozenset(_VNI_SINGLE)
# Encoding direction: (quality, tone) -> mark character (lower-case form).
_VNI_MARK_FOR = {v: k for k, v in _VNI_MARKS_LOWER.items()}


def _vni_base(ch: str) -> str | None:
    """The VNI base a character can be ('a', 'ơ', ...), lower case, or None."""
    low = ch.lower()
    if low in ("a", "e", "o", "u", "y"):
        return low
    if ch in ("ô", "Ô"):
        return "ơ"
    if ch in ("ö", "Ö"):
        return "ư"
    return None


def _vni_decode(text: str) -> str:
    out: list[str] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        base = _vni_base(ch)
        if base is not None and i + 1 < n and text[i + 1] in _VNI_MARKS:
            quality, tone = _VNI_MARKS[text[i + 1]]
            if quality in _VNI_BASE_QUALITIES[base]:
                if base in ("ơ", "ư"):
                    vowel = base
                else:
                    vowel = next(k for k, (b, q) in _VOWELS.items() if b == base and q == quality)
                out.append(_letter(vowel, tone, upper=ch.isupper()))
                i += 2
                continue
        out.append(_VNI_SINGLE.get(ch, ch))
        i += 1
    return "".join(out)


_VNI_SINGLE_FOR = {v: k for k, v in _VNI_SINGLE.items() if k not in ("ì", "í", "Ì", "Í")}
_VNI_SINGLE_FOR.update({"ì": "ì", "í": "í", "Ì": "Ì", "Í": "Í"})


def _vni_encode_char(ch: str) -> str:
    single = _VNI_SINGLE_FOR.get(ch)
    if single is not None:
        return single
    decomposed = unicodedata.normalize("NFD", ch)
    base, marks = decomposed[0], decomposed[1:]
    low = base.lower()
    if not marks or low not in _VNI_BASE_QUALITIES:
        return ch
    quality = "".join(m for m in marks if m in (_CIRC, _BREVE, _HORN))
    tone = "".join(m for m in marks if m in _TONES)
    if len(quality) > 1 or len(tone) > 1 or len(quality) + len(tone) != len(marks):
        return ch
    upper = base.isupper()
    if quality == _HORN:  # ơ/ư with a tone (the bare letters are single codes)
        if low not in ("o", "u"):
            return ch
        head = _VNI_SINGLE_FOR["ơ" if low == "o" else "ư"]
        base, low, quality = (head.upper() if upper else head), ("ơ" if low == "o" else "ư"), ""
    if quality not in _VNI_BASE_QUALITIES[low] or (quality, tone) not in _VNI_MARK_FOR:
        return ch
    mark = _VNI_MARK_FOR[(quality, tone)]
    return base + (mark.upper() if upper else mark)


# --------------------------------------------------------------------------
# Conversion API
# --------------------------------------------------------------------------

def _upper(text: str) -> str:
    # Per character, so that nothing changes length (ß stays ß, not SS).
    return "".join(u if len(u := c.upper()) == 1 else c for c in text)


def _lower(text: str) -> str:
    return "".join(low if len(low := c.lower()) == 1 else c for c in text)


def _coerce(encoding) -> LegacyEncoding:
    if isinstance(encoding, LegacyEncoding):
        return encoding
    try:
        return LegacyEncoding(str(encoding).lower())
    except ValueError:
        raise UnknownEncodingError(
            f"unknown legacy encoding {encoding!r}: use 'tcvn3' or 'vni'") from None


def to_unicode(text: str, encoding: LegacyEncoding | str, uppercase: bool = False) -> str:
    """Legacy-encoded text (as extracted / decoded as cp1252 or Latin-1) -> NFC Unicode.

    Characters that are not part of the legacy mapping pass through unchanged.
    ``uppercase=True``: the text was set in an all-caps font (``.VnTimeH``);
    the result is upper-cased.
    """
    encoding = _coerce(encoding)
    if not text:
        return ""
    if not isinstance(text, str):
        text = str(text)
    out = text.translate(_TCVN3_TABLE) if encoding is LegacyEncoding.TCVN3 else _vni_decode(text)
    if uppercase:
        out = _upper(out)
    return unicodedata.normalize("NFC", out)


def from_unicode(text: str, encoding: LegacyEncoding | str, uppercase: bool = False) -> str:
    """Unicode -> the legacy string a PDF text layer in that encoding would give.

    ``uppercase=True`` writes the text as it is typed for an all-caps font
    (``.VnTimeH``): lower-case codes, which `to_unicode(..., uppercase=True)`
    turns back into capitals.  Characters without a legacy code pass through.
    For TCVN3, upper-case letters with a tone get their VN1 codes (0x01-0x17
    as control characters, 0x80-0x9F as their Windows-1252 characters, or as
    Latin-1 C1 controls where cp1252 has punctuation or nothing there).
    """
    encoding = _coerce(encoding)
    if not text:
        return ""
    text = unicodedata.normalize("NFC", str(text))
    if uppercase:
        text = _lower(text)
    if encoding is LegacyEncoding.TCVN3:
        return "".join(_TCVN3_ENCODE.get(c, c) for c in text)
    return "".join(_vni_encode_char(c) for c in text)
