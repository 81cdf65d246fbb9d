"""Vietnamese text normalisation shared by every stage.

Conventions (project-wide):

* All text is Unicode NFC.  Input is cleaned of CR/LF variants, non-breaking
  and zero-width spaces, U+FFFD and the legacy Latin capital eth (U+00D0),
  which OCR engines emit for ``Đ`` (U+0110).
* Tone placement follows the *old style* (``hòa``, ``hóa``, ``thủy``): in an
  open syllable ending in a two-vowel cluster the tone sits on the first
  vowel.  It is the style of the national motto ("Cộng hòa") and of most
  government documents.  `normalize_tone` applies it; it is used wherever
  text is compared (`compare_key`) and by the diacritic restorer.  Text shown
  to users keeps the spelling of the source.
* ``đ``/``Đ`` are letters of their own; only `fold` maps them to ``d``.
"""
from __future__ import annotations

import re
import unicodedata

# Combining tone marks (the five Vietnamese tones other than level).
TONE_MARKS = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
# Vowel-quality marks: circumflex, breve, horn.
QUALITY_MARKS = {"\u0302", "\u0306", "\u031b"}
_VOWELS = set("aeiouyAEIOUY")

_SPACE_LIKE = re.compile("[\u00a0\u2000-\u200a\u202f\u205f\u3000]")
_ZERO_WIDTH = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
# Control characters other than tab, newline and form feed, and bidi overrides:
# invisible, and some cannot even be stored in a spreadsheet cell.
_CONTROL = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
_TOKEN = re.compile(r"[^\W_]+", re.UNICODE)
_WS = re.compile(r"\s+")


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text or "")


def clean_text(text: str) -> str:
    """Normalise raw input text: NFC, newlines, odd spaces, OCR look-alikes.

    Keeps line structure and every visible character except the replacement
    character U+FFFD (which carries no information) and soft hyphens.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\u2028", "\n").replace("\u2029", "\n")
    text = _SPACE_LIKE.sub(" ", text)
    text = _ZERO_WIDTH.sub("", text)
    text = _CONTROL.sub("", text)
    text = text.replace("\ufffd", "")
    text = text.replace("\u00d0", "\u0110")  # Ð (eth) -> Đ
    return nfc(text)


def _strip_table() -> dict[int, int | None]:
    """Precomposed Latin letters -> their base letter; combining marks -> nothing."""
    table: dict[int, int | None] = {ord("đ"): ord("d"), ord("Đ"): ord("D")}
    for code in list(range(0x00C0, 0x0250)) + list(range(0x1E00, 0x1F00)):
        base = unicodedata.normalize("NFD", chr(code))[0]
        if base != chr(code) and base.isascii():
            table[code] = ord(base)
    for code in range(0x0300, 0x0370):
        table[code] = None
    return table


_STRIP = _strip_table()


def strip_diacritics(text: str) -> str:
    """Remove all Vietnamese marks but keep case (``Đ`` -> ``D``)."""
    return nfc(text).translate(_STRIP)


def fold(text: str) -> str:
    """Case- and diacritic-insensitive form used for fuzzy comparison."""
    return strip_diacritics(nfc(text).lower())


def tokens(text: str) -> list[str]:
    """Folded word tokens (runs of letters and digits)."""
    return _TOKEN.findall(fold(text))


def collapse_ws(text: str) -> str:
    return _WS.sub(" ", nfc(text)).strip()


def _place_tone(word: str) -> str:
    """Re-place the tone mark of one NFC word by the old-style rule."""
    chars = unicodedata.normalize("NFD", word)
    # Split into base letters each with its own list of marks.
    letters: list[list[str]] = []
    for ch in chars:
        if unicodedata.combining(ch) and letters:
            letters[-1].append(ch)
        else:
            letters.append([ch])
    tones = [m for letter in letters for m in letter[1:] if m in TONE_MARKS]
    if len(tones) != 1:
        return word  # no tone, or not a single Vietnamese syllable
    tone = tones[0]
    for letter in letters:
        if tone in letter[1:]:
            letter.remove(tone)
    target = _tone_position(letters)
    if target is None:
        return word
    letters[target].append(tone)
    out = "".join(
        letter[0] + "".join(sorted(letter[1:], key=_mark_order)) for letter in letters
    )
    return nfc(out)


def _mark_order(mark: str) -> int:
    # Quality marks before tone marks so NFC composes e.g. ệ correctly.
    return 0 if mark in QUALITY_MARKS else 1


def _tone_position(letters: list[list[str]]) -> int | None:
    bases = [letter[0] for letter in letters]
    vowel_idx = [i for i, b in enumerate(bases) if b in _VOWELS]
    if not vowel_idx:
        return None
    # The vowel nucleus must be one contiguous run.
    if vowel_idx[-1] - vowel_idx[0] + 1 != len(vowel_idx):
        return None
    lower = "".join(bases).lower()
    first = vowel_idx[0]
    # 'qu' and 'gi' + vowel: the u / i belong to the initial consonant.
    if len(vowel_idx) > 1 and first > 0 and lower[first - 1:first + 1] in ("qu", "gi"):
        vowel_idx = vowel_idx[1:]
    marked = [i for i in vowel_idx if any(m in QUALITY_MARKS for m in letters[i][1:])]
    if marked:
        return marked[-1]  # ươ -> on ơ; single marked vowel otherwise
    if len(vowel_idx) == 1:
        return vowel_idx[0]
    closed = vowel_idx[-1] < len(bases) - 1
    if closed:
        return vowel_idx[-1]
    if len(vowel_idx) == 2:
        return vowel_idx[0]  # old style: hòa, thủy, mía
    return vowel_idx[1]  # three vowels: the middle one (ngoài, khuỷu)


def normalize_tone(text: str) -> str:
    """Apply the project's tone-placement convention (old style) to text."""
    return _WORD.sub(lambda m: _place_tone(m.group(0)), nfc(text))


def compare_key(text: str) -> str:
    """Canonical form for exact comparison: NFC, tone convention, lower case,
    collapsed whitespace.  Diacritics are kept (``xã`` != ``xa``)."""
    return collapse_ws(normalize_tone(nfc(text)).lower())
