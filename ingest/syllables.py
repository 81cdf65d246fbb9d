"""Vietnamese syllable grammar: onset + rhyme (+ one tone), in one place.

Used by legacy-encoding detection (`plandiff.ingest.legacy`: does a
conversion turn a chunk into real syllables?) and by plain-text codec
guessing (`plandiff.ingest.plaintext`).
"""
from __future__ import annotations

import unicodedata

__all__ = ["is_vietnamese_syllable"]

_GRAVE, _HOOK, _TILDE, _ACUTE, _DOT = "\u0300", "\u0309", "\u0303", "\u0301", "\u0323"
_TONES = (_GRAVE, _HOOK, _TILDE, _ACUTE, _DOT)

_ONSETS = ("ngh", "ng", "nh", "ch", "gh", "gi", "kh", "ph", "qu", "th", "tr",
           "b", "c", "d", "đ", "g", "h", "k", "l", "m", "n", "p", "r", "s", "t", "v", "x")
_NUCLEI = ["a", "ă", "â", "e", "ê", "i", "o", "ô", "ơ", "u", "ư", "y", "ai", "ao", "au", "ay", "âu", "ây", "eo",
           "êu", "ia", "iê", "iu", "oa", "oă", "oe", "oi", "oo", "ôi", "ơi", "ua", "uâ", "uê", "ui", "uô", "uơ",
           "uy", "ưa", "ưi", "ươ", "ưu", "yê", "iêu", "yêu", "oai", "oay", "oao", "oeo", "uây", "uôi", "ươi",
           "ươu", "uya", "uyê", "uyu"]
_NUCLEI_SET = frozenset(_NUCLEI)
_CODAS = ("ch", "ng", "nh", "c", "m", "n", "p", "t")

_FRONT = ("e", "ê", "i", "y")
# Rhymes: nuclei ending in a glide (or ia/ua/ưa) take no final consonant;
# ă, â and the diphthongs iê/yê/uô/ươ need one; nh/ch follow only front or
# a-like vowels; ng never follows i, y, ơ.
_OPEN_ONLY = frozenset(
    ["ai", "ao", "au", "ay", "âu", "ây", "eo", "êu", "ia", "iu", "oi", "ôi", "ơi", "ua", "ui", "ưa", "ưi", "ưu",
     "iêu", "yêu", "oai", "oay", "oao", "oeo", "uôi", "ươi", "ươu", "uây", "uya", "uyu"])
_NEEDS_CODA = frozenset(["ă", "â", "iê", "yê", "uô", "ươ", "uyê", "uâ", "oă"])
_BEFORE_NH = frozenset(["a", "ê", "i", "y", "oa", "uê", "uy"])
_NO_NG = frozenset(["i", "y", "ơ", "uy"])


def _lower(text: str) -> str:
    # Per character, so that nothing changes length (İ stays İ, not i + dot).
    return "".join(low if len(low := c.lower()) == 1 else c for c in text)


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
