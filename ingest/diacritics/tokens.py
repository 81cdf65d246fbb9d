"""Tokens of the lines the restorer reads, and the casing it writes back.

Kept apart from `restorer.py` (detection, candidates, decoding): everything
here looks at one line's characters only, needs no model, and is shared with
the trainer (`ocr_tokens`) and the benchmark (`Restorer.tokenize`,
`Restorer._apply_case`, which stay reachable on the `Restorer`).
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from ..syllables import is_vn_shape
from .units import fold_key

# Tokens of (possibly OCR-damaged) text: numbers; words, which may carry OCR
# junk characters (``K&``, ``hi¢u``, ``s6``); single other characters.
_JUNK = "&¢§@£€©®¥’‘'?"
RT_TOKEN = re.compile(
    r"(?P<num>\d+(?:[.,/]\d+)*(?![^\W_]))"
    rf"|(?P<word>(?:[^\W_]|(?<=[^\W_])[{_JUNK}])+)"
    r"|(?P<other>\S)"
)
_ROMAN = re.compile(r"^[IVXLC]+$")
_LETTER_LABEL = re.compile(r"^(\s*)([a-zđ])\)\s")

_VIETNAMESE_ONLY = re.compile("[ăâđêôơưĂÂĐÊÔƠƯ\u1ea0-\u1ef9]")
WORDS = re.compile(r"[^\W\d_]+")


@dataclass(slots=True)
class Tok:
    start: int
    end: int
    kind: str      # num | word | other
    text: str


def tokenize(line: str) -> list[Tok]:
    """The numbers, words and other characters of a line, with their offsets."""
    out = []
    for m in RT_TOKEN.finditer(line):
        kind = m.lastgroup
        assert kind is not None  # every match is one of the three named groups
        out.append(Tok(m.start(), m.end(), kind, m.group(kind)))
    return out


def ocr_tokens(text: str) -> list[str]:
    """Word-like tokens of a line (used for channel learning and alignment)."""
    return [m.group("word") for m in RT_TOKEN.finditer(text) if m.group("word")]


def vietnamese_only_share(line: str) -> float:
    """Share of a line's words written with letters only Vietnamese uses."""
    words = WORDS.findall(unicodedata.normalize("NFC", line))
    if len(words) < 2:
        return 0.0
    return sum(1 for w in words if _VIETNAMESE_ONLY.search(w)) / len(words)


# ------------------------------------------------------------------ casing
def apply_case(src: str, syl: str, line_caps: bool) -> str:
    """The restored syllable `syl` written in the case of the source token `src`."""
    if src[:1] in "I|" and syl[:1] == "l" and not line_caps:
        src = "l" + src[1:]          # OCR read a lower-case l as a capital I
    letters = [c for c in src if c.isalpha()]
    if not letters:
        return syl
    up = sum(c.isupper() for c in letters)
    title = syl[:1].upper() + syl[1:]
    if up == len(letters) and len(letters) >= 2:
        # English OCR writes `Bộ` as `BO`: a lone capitalised word in a
        # mixed line is a title-case word; in a caps run (`XA PAK TO`) it is caps.
        return syl.upper() if (line_caps or not is_vn_shape(syl)) else title
    if up >= 2:
        return syl.upper() if line_caps else title
    if letters[0].isupper() and up == 1:
        return syl.upper() if (line_caps and len(letters) == 1) else title
    return syl


def caps_run(toks: list[Tok], i: int) -> bool:
    """Is the word next to token i (before or after) an all-caps syllable?
    Then token i is part of a caps run (`XA PAK TO`, `PHO CHU TICH`)."""
    for j in (i - 1, i + 1):
        if 0 <= j < len(toks) and toks[j].kind == "word":
            w = toks[j].text
            if len(w) >= 2 and w.isalpha() and w.isupper() and is_vn_shape(fold_key(w.lower())):
                return True
    return False


def caps_line(toks: list[Tok]) -> bool:
    """Is the line written in capitals?  (Abbreviations such as UBND do not count.)"""
    # quick answer: a word counts as capitals only with an upper-case letter after its first
    if not any(t.kind == "word" and t.text[1:] != t.text[1:].lower() for t in toks):
        return False
    words = [t.text for t in toks if t.kind == "word" and sum(c.isalpha() for c in t.text) >= 2
             and (not t.text.isalpha() or is_vn_shape(fold_key(t.text.lower())))]
    caps = sum(1 for w in words if sum(c.isupper() for c in w) * 2 > sum(c.isalpha() for c in w))
    return len(words) >= 1 and caps * 3 >= len(words) * 2


# ------------------------------------------------------------------ token context
def lone(toks: list[Tok], i: int) -> bool:
    """Token i stands between two words (not inside a number, date or code)."""
    return (0 < i < len(toks) - 1 and toks[i - 1].kind == "word" and toks[i + 1].kind == "word"
            and toks[i - 1].end < toks[i].start and toks[i].end < toks[i + 1].start)


def protected(toks: list[Tok], i: int) -> bool:
    """Token i is a numbering label (I. II. A. a) b)): never restored."""
    t = toks[i].text
    nxt = toks[i + 1].text if i + 1 < len(toks) else ""
    return (nxt in (".", ")") and (i == 0 or toks[i - 1].text in ("(", "-", "+"))
            and (len(t) == 1 or _ROMAN.match(t) is not None))


def letter_labels(lines: list[str], flags: list[bool]) -> list[str]:
    """List labels run a) b) c) d) đ) e): a second `d)` in a row is `đ)`.

    Only in the lines that were restored (`flags`): elsewhere `d)` was written so.
    """
    out = list(lines)
    last = None
    for k, ln in enumerate(out):
        m = _LETTER_LABEL.match(ln)
        if not m:
            continue
        letter = m.group(2)
        if letter == "d" and last == "d" and flags[k]:
            out[k] = ln[:m.start(2)] + "đ" + ln[m.end(2):]
            letter = "đ"
        last = letter
    return out
