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

Tables
------
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

import re
import unicodedata
from enum import StrEnum

from .errors import IngestError

__all__ = [
    "LegacyEncoding", "detect_encoding", "to_unicode", "from_unicode", "convert_span",
    "encoding_for_font", "is_vietnamese_syllable", "UnknownEncodingError",
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


_TCVN3_BYTES, _TCVN3_DECODE, _TCVN3_ENCODE = _build_tcvn3()
_TCVN3_TABLE = str.maketrans(_TCVN3_DECODE)

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
    return "".join(l if len(l := c.lower()) == 1 else c for c in text)


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
    if encoding is LegacyEncoding.TCVN3:
        out = text.translate(_TCVN3_TABLE)
    else:
        out = _vni_decode(text)
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


# --------------------------------------------------------------------------
# Vietnamese syllables
# --------------------------------------------------------------------------

_ONSETS = ("ngh", "ng", "nh", "ch", "gh", "gi", "kh", "ph", "qu", "th", "tr",
           "b", "c", "d", "đ", "g", "h", "k", "l", "m", "n", "p", "r", "s", "t", "v", "x")
_NUCLEI = ["a", "ă", "â", "e", "ê", "i", "o", "ô", "ơ", "u", "ư", "y", "ai", "ao", "au", "ay", "âu", "ây", "eo", "êu", "ia", "iê", "iu", "oa", "oă", "oe", "oi", "oo", "ôi", "ơi", "ua", "uâ", "uê", "ui", "uô", "uơ", "uy", "ưa", "ưi", "ươ", "ưu", "yê", "iêu", "yêu", "oai", "oay", "oao", "oeo", "uây", "uôi", "ươi", "ươu", "uya", "uyê", "uyu"]
_CODAS = ("ch", "ng", "nh", "c", "m", "n", "p", "t")


def _alternation(items) -> str:
    return "|".join(sorted(items, key=len, reverse=True))


_SYLLABLE = re.compile(
    rf"(?P<onset>{_alternation(_ONSETS)})?(?P<nucleus>{_alternation(_NUCLEI)})"
    rf"(?P<coda>{_alternation(_CODAS)})?"
)
_FRONT = ("e", "ê", "i", "y")
# Rhymes: nuclei ending in a glide (or ia/ua/ưa) take no final consonant;
# ă, â and the diphthongs iê/yê/uô/ươ need one; nh/ch follow only front or
# a-like vowels; ng never follows i, y, ơ.
_OPEN_ONLY = frozenset(
    ["ai", "ao", "au", "ay", "âu", "ây", "eo", "êu", "ia", "iu", "oi", "ôi", "ơi", "ua", "ui", "ưa", "ưi", "ưu", "iêu", "yêu", "oai", "oay", "oao", "oeo", "uôi", "ươi", "ươu", "uây", "uya", "uyu"])
_NEEDS_CODA = frozenset(["ă", "â", "iê", "yê", "uô", "ươ", "uyê", "uâ", "oă"])
_BEFORE_NH = frozenset(["a", "ê", "i", "y", "oa", "uê", "uy"])
_NO_NG = frozenset(["i", "y", "ơ", "uy"])


def _toneless(word: str) -> tuple[str, list[str]]:
    decomposed = unicodedata.normalize("NFD", word)
    tones = [c for c in decomposed if c in _TONES]
    rest = "".join(c for c in decomposed if c not in _TONES)
    return unicodedata.normalize("NFC", rest), tones


def is_vietnamese_syllable(word: str) -> bool:
    """True when `word` (one run of letters) is spelled like a Vietnamese syllable:
    onset + rhyme + at most one tone, with the c/k, g/gh, ng/ngh spelling rules
    and only acute or dot-below tones on syllables ending in c, ch, p, t."""
    if not word or len(word) > 8:
        return False
    base, tones = _toneless(_lower(word))
    if len(tones) > 1:
        return False
    for onset, nucleus, coda in _splits(base):
        first = nucleus[0]
        if onset in ("c", "ng") and first in ("e", "ê", "i"):
            continue  # spelled k, ngh
        if onset == "g" and first in ("e", "ê"):
            continue  # spelled gh
        if onset in ("k", "gh", "ngh") and first not in _FRONT:
            continue
        if coda and nucleus in _OPEN_ONLY:
            continue
        if not coda and nucleus in _NEEDS_CODA:
            continue
        if coda in ("nh", "ch") and nucleus not in _BEFORE_NH:
            continue
        if coda == "ng" and nucleus in _NO_NG:
            continue
        if coda in ("c", "ch", "p", "t") and tones and tones[0] not in (_ACUTE, _DOT):
            continue
        return True
    return False


def _splits(base: str):
    """Every (onset, nucleus, coda) split of `base` (there are few)."""
    for onset in ("",) + _ONSETS:
        if not base.startswith(onset):
            continue
        rest = base[len(onset):]
        for coda in ("",) + _CODAS:
            if coda and not rest.endswith(coda):
                continue
            nucleus = rest[: len(rest) - len(coda)]
            if nucleus in _NUCLEI_SET:
                yield onset, nucleus, coda


_NUCLEI_SET = frozenset(_NUCLEI)

# --------------------------------------------------------------------------
# Detection
# --------------------------------------------------------------------------

_LETTER_RUN = re.compile(r"[^\W\d_]+")
_HAS_VOWEL = re.compile("[aeiouyAEIOUYàáâãèéêìíòóôõùúýÀÁÂÃÈÉÊÌÍÒÓÔÕÙÚÝăĂĩĨũŨơƠưƯ\u1ea0-\u1ef9]")
# Letters of Unicode Vietnamese that no legacy text layer contains.
_UNICODE_VN = re.compile("[\u0102\u0103\u0110\u0111\u0128\u0129\u0168\u0169\u01a0\u01a1"
                         "\u01af\u01b0\u1ea0-\u1ef9\u0300\u0301\u0303\u0309\u0323]")
_VNI_SPECIFIC = frozenset(_VNI_MARKS) | frozenset(_VNI_SINGLE)

# Thresholds (the method is described in detect_encoding's docstring).
MIN_CHANGED_WORDS = 2        # words the conversion changes and makes valid syllables
MIN_VALID_CHANGED = 0.75     # share of changed words that become valid syllables
MIN_STRONG_WORDS = 1         # valid changed words with a character Unicode Vietnamese never uses
MIN_VALID_OVERALL = 0.5      # share of all words that are valid syllables after conversion
MAX_UNICODE_RATIO = 0.25     # Unicode-only Vietnamese letters per legacy character
MAX_SCAN_CHARS = 20000       # detection reads at most this much text


# Latin-1 letters that Unicode Vietnamese uses itself: a legacy character
# outside this set is evidence that the text is not Unicode Vietnamese.
_VN_LATIN1 = frozenset("àáâãèéêìíòóôõùúýÀÁÂÃÈÉÊÌÍÒÓÔÕÙÚÝ")


def _strong_chars(encoding: LegacyEncoding) -> frozenset:
    table = _TCVN3_DECODE if encoding is LegacyEncoding.TCVN3 else _VNI_SPECIFIC
    return frozenset(c for c in table if c not in _VN_LATIN1)


_STRONG = {enc: _strong_chars(enc) for enc in LegacyEncoding}


def _score(chunks: list[str], encoding: LegacyEncoding) -> dict:
    strong = _STRONG[encoding]
    changed = valid_changed = strong_valid = words = valid_words = 0
    for chunk in chunks:
        conv = to_unicode(chunk, encoding)
        runs = _LETTER_RUN.findall(conv)
        if not runs or not all(_HAS_VOWEL.search(r) for r in runs):
            continue  # no word, or an abbreviation such as BCĐ, CĐS
        words += 1
        ok = all(is_vietnamese_syllable(r) for r in runs)
        valid_words += ok
        if conv != chunk:
            changed += 1
            valid_changed += ok
            if ok and any(c in strong for c in chunk):
                strong_valid += 1
    return {"changed": changed, "valid_changed": valid_changed, "strong_valid": strong_valid,
            "words": words, "valid_words": valid_words}


def _accepts(s: dict) -> bool:
    return (s["valid_changed"] >= MIN_CHANGED_WORDS
            and s["valid_changed"] >= MIN_VALID_CHANGED * s["changed"]
            and s["strong_valid"] >= MIN_STRONG_WORDS
            and s["valid_words"] >= MIN_VALID_OVERALL * s["words"])


def _net(s: dict) -> int:
    """Changed words that became valid syllables minus those that did not."""
    return 2 * s["valid_changed"] - s["changed"]


def detection_scores(text: str) -> dict[LegacyEncoding, dict]:
    """Per-encoding counts behind `detect_encoding` (for diagnostics)."""
    text = unicodedata.normalize("NFC", text or "")[:MAX_SCAN_CHARS]
    chunks = text.split()
    return {enc: _score(chunks, enc) for enc in LegacyEncoding}


def detect_encoding(text: str) -> LegacyEncoding | None:
    """The legacy encoding `text` is (mostly) written in, or None.

    Method.  Text holding Unicode-only Vietnamese letters (U+1EA0-U+1EF9,
    ă ơ ư đ ĩ ũ and their capitals, combining tone marks) at more than
    `MAX_UNICODE_RATIO` (0.25) per character of the legacy tables is Unicode:
    None.  Otherwise split on whitespace and, for each encoding, convert every
    chunk; chunks without letters or without a vowel (``BCĐ``) are skipped.
    Count ``changed`` (chunks the conversion alters), ``valid_changed`` (of
    those, chunks whose every letter run is a Vietnamese syllable, see
    `is_vietnamese_syllable`), ``strong_valid`` (valid changed chunks with a
    character Unicode Vietnamese never uses, e.g. ``§ µ ¸ ß ä ø ï ñ``, so that
    Unicode Vietnamese with only Latin-1 letters (``cô gái và các bà``) is not
    taken for legacy text) and the share of all chunks that are valid
    syllables after conversion.  An encoding is accepted when
    valid_changed >= 2, valid_changed >= 0.75 * changed, strong_valid >= 1 and
    >= 50 % of all chunks are valid; among accepted encodings the one with the
    higher ``valid_changed - invalid_changed`` wins, and a tie gives None.
    Only the first `MAX_SCAN_CHARS` characters are read.  Never raises.
    """
    try:
        if not isinstance(text, str) or not text.strip():
            return None
        text = unicodedata.normalize("NFC", text)[:MAX_SCAN_CHARS]
        if not any(c in _TCVN3_DECODE or c in _VNI_SPECIFIC for c in text):
            return None
        if _looks_unicode(text):
            return None
        chunks = text.split()
        scores = {enc: _score(chunks, enc) for enc in LegacyEncoding}
        accepted = [enc for enc, s in scores.items() if _accepts(s)]
        if not accepted:
            return None
        accepted.sort(key=lambda e: _net(scores[e]), reverse=True)
        if len(accepted) > 1 and _net(scores[accepted[0]]) == _net(scores[accepted[1]]):
            return None
        return accepted[0]
    except Exception:  # detection is advisory: never break the caller
        return None


# --------------------------------------------------------------------------
# Font names (PDF route)
# --------------------------------------------------------------------------

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
        elif _looks_unicode(text):
            return text  # a legacy font name, but the text layer is Unicode already
        return to_unicode(text, encoding, uppercase=caps)
    except Exception:  # never break the caller on odd input
        return text


def _looks_unicode(text: str) -> bool:
    """More Unicode-only Vietnamese letters than `MAX_UNICODE_RATIO` per legacy code."""
    legacy_chars = sum(1 for c in text if c in _TCVN3_DECODE or c in _VNI_SPECIFIC)
    return len(_UNICODE_VN.findall(text)) > MAX_UNICODE_RATIO * legacy_chars
