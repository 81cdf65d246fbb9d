"""Vietnamese syllable grammar: onset + rhyme (+ one tone), in one place.

Two readers ask whether a word is a Vietnamese syllable, with different needs,
so the grammar has a strict and a loose reading (`_fits`'s `strict`):

* strict, `is_vietnamese_syllable`: legacy-encoding detection
  (`plandiff.ingest.legacy`) and plain-text codec guessing
  (`plandiff.ingest.plaintext`) must tell real syllables from the garbage a
  wrong decoding makes, so only the rhymes Vietnamese has count (listed
  nuclei, the c/k, g/gh, ng/ngh spelling rules, no final consonant after a
  glide, at most one tone, and only sắc or nặng before c, ch, p, t).
* loose, `is_vn_shape`: the diacritic restorer, its trainer and the post-OCR
  pass ask "is this shaped like a syllable at all?" for words that are
  OCR-damaged or stripped of their marks, and for names the strict rules
  reject (``Đắk``, ``Lắk``: final k).  Any run of one to three vowel letters
  is a nucleus, a lone q is an onset, k a final consonant, and tones are not
  looked at.  The shipped model's vocabulary and candidate lists were built
  with this reading, so it must not tighten without retraining.
"""
from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from functools import lru_cache

from .textnorm import strip_diacritics

__all__ = ["is_vietnamese_syllable", "is_vn_shape", "has_marks", "untoned"]

_GRAVE, _HOOK, _TILDE, _ACUTE, _DOT = "\u0300", "\u0309", "\u0303", "\u0301", "\u0323"
_TONES = (_GRAVE, _HOOK, _TILDE, _ACUTE, _DOT)

_ONSETS = ("ngh", "ng", "nh", "ch", "gh", "gi", "kh", "ph", "qu", "th", "tr",
           "b", "c", "d", "đ", "g", "h", "k", "l", "m", "n", "p", "r", "s", "t", "v", "x")
_CODAS = ("ch", "ng", "nh", "c", "m", "n", "p", "t")
_NUCLEI = frozenset(
    ["a", "ă", "â", "e", "ê", "i", "o", "ô", "ơ", "u", "ư", "y", "ai", "ao", "au", "ay", "âu", "ây", "eo",
     "êu", "ia", "iê", "iu", "oa", "oă", "oe", "oi", "oo", "ôi", "ơi", "ua", "uâ", "uê", "ui", "uô", "uơ",
     "uy", "ưa", "ưi", "ươ", "ưu", "yê", "iêu", "yêu", "oai", "oay", "oao", "oeo", "uây", "uôi", "ươi",
     "ươu", "uya", "uyê", "uyu"])
# The loose reading's additions (see the module docstring).
_LOOSE_ONSETS = _ONSETS + ("q",)
_LOOSE_CODAS = _CODAS + ("k",)
_VOWEL_LETTERS = frozenset("aăâeêioôơuưy")

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


def is_vietnamese_syllable(word: str) -> bool:
    """True when `word` (one run of letters, any case) is spelled like a Vietnamese
    syllable: onset + rhyme + at most one tone, with the c/k, g/gh, ng/ngh
    spelling rules and only acute or dot-below tones on syllables ending in
    c, ch, p, t."""
    if not word or len(word) > 8:
        return False
    return _fits(_lower(word), strict=True)


@lru_cache(maxsize=200_000)
def is_vn_shape(word: str) -> bool:
    """True if the lower-case word has the shape of a Vietnamese syllable
    (the loose reading: tones and rhyme rules are not checked)."""
    return _fits(word, strict=False)


def has_marks(word: str) -> bool:
    """Does the word carry a Vietnamese mark (tone, vowel quality, đ)?  (Also
    true for a word not in NFC: it is compared with its stripped NFC form.)"""
    return strip_diacritics(word) != word


def untoned(word: str) -> str:
    """The word without its tone marks (vowel-quality marks and đ stay), NFC."""
    return _toneless(word)[0]


def _fits(word: str, strict: bool) -> bool:
    base, tones = _toneless(word)
    if not strict:
        return any(True for _ in _splits(base, _LOOSE_ONSETS, _LOOSE_CODAS, _is_vowel_run))
    if len(tones) > 1:
        return False
    for onset, nucleus, coda in _splits(base, _ONSETS, _CODAS, _NUCLEI.__contains__):
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


def _is_vowel_run(nucleus: str) -> bool:
    return 1 <= len(nucleus) <= 3 and all(c in _VOWEL_LETTERS for c in nucleus)


def _splits(base: str, onsets: tuple[str, ...], codas: tuple[str, ...],
            is_nucleus) -> Iterator[tuple[str, str, str]]:
    """Every (onset, nucleus, coda) split of `base` (there are few)."""
    for onset in ("",) + onsets:
        if not base.startswith(onset):
            continue
        rest = base[len(onset):]
        for coda in ("",) + codas:
            if coda and not rest.endswith(coda):
                continue
            nucleus = rest[: len(rest) - len(coda)]
            if is_nucleus(nucleus):
                yield onset, nucleus, coda


def _lower(text: str) -> str:
    # Per character, so that nothing changes length (İ stays İ, not i + dot).
    return "".join(low if len(low := c.lower()) == 1 else c for c in text)


def _toneless(word: str) -> tuple[str, list[str]]:
    decomposed = unicodedata.normalize("NFD", word)
    tones = [c for c in decomposed if c in _TONES]
    rest = "".join(c for c in decomposed if c not in _TONES)
    return unicodedata.normalize("NFC", rest), tones
