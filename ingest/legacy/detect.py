"""Is a text written in a legacy 8-bit Vietnamese encoding, and which one?

A PDF text layer or a text file typed in ``.VnTime`` or ``VNI-Times`` does not
say so: its letters come out as Windows-1252 characters (``Céng hßa``).  The
test converts the text each way and asks whether the result reads as
Vietnamese syllables (`plandiff.ingest.syllables`); the method is in
`detect_encoding`'s docstring.
"""
from __future__ import annotations

import logging
import re
import unicodedata

from ..syllables import is_vietnamese_syllable
from .codes import TCVN3_DECODE, VNI_CODES, LegacyEncoding, to_unicode

__all__ = ["detect_encoding", "detection_scores", "looks_unicode"]

log = logging.getLogger(__name__)

_LETTER_RUN = re.compile(r"[^\W\d_]+")
_HAS_VOWEL = re.compile("[aeiouyAEIOUYàáâãèéêìíòóôõùúýÀÁÂÃÈÉÊÌÍÒÓÔÕÙÚÝăĂĩĨũŨơƠưƯ\u1ea0-\u1ef9]")
# Letters of Unicode Vietnamese that no legacy text layer contains.
_UNICODE_VN = re.compile("[\u0102\u0103\u0110\u0111\u0128\u0129\u0168\u0169\u01a0\u01a1"
                         "\u01af\u01b0\u1ea0-\u1ef9\u0300\u0301\u0303\u0309\u0323]")

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
    table = TCVN3_DECODE if encoding is LegacyEncoding.TCVN3 else VNI_CODES
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
        if not any(c in TCVN3_DECODE or c in VNI_CODES for c in text):
            return None
        if looks_unicode(text):
            return None
        chunks = text.split()
        scores = {enc: _score(chunks, enc) for enc in LegacyEncoding}
        accepted = [enc for enc, s in scores.items() if _accepts(s)]
        if not accepted:
            return None
        accepted.sort(key=lambda e: _net(scores[e]), reverse=True)
        if len(accepted) > 1 and _net(scores[accepted[0]]) == _net(scores[accepted[1]]):
            log.debug("legacy encoding undecided: %s tie (%s)", "/".join(accepted), scores)
            return None
        log.debug("legacy encoding detected: %s (%s)", accepted[0], scores[accepted[0]])
        return accepted[0]
    except Exception:  # detection is advisory: never break the caller
        return None


def looks_unicode(text: str) -> bool:
    """More Unicode-only Vietnamese letters than `MAX_UNICODE_RATIO` per legacy code."""
    legacy_chars = sum(1 for c in text if c in TCVN3_DECODE or c in VNI_CODES)
    return len(_UNICODE_VN.findall(text)) > MAX_UNICODE_RATIO * legacy_chars
