"""The preamble's issuing sentence read through OCR damage.

A plan without a header (many communes' plans open with `KẾ HOẠCH`) names its
issuer in the sentence that ends the preamble: `UBND xã Đông Trà Bồng ban hành Kế
hoạch …`, `Chủ tịch Ủy ban nhân dân xã ban hành …`, `Văn phòng UBND tỉnh ban hành …`.
`metadata._PREAMBLE_ISSUER` reads it as written. A faint or stamped scan damages
letters of it (`U8ND`, `VBND`, `bau hành`, `ban bành`, `Ủy ban nhân đân`), and the
plan then has no issuer although a reader sees it at once. This reader looks for
the verb (`ban hành`, `xây dựng`) and the body before it word by word, each word
allowed one misread letter; the body's standard words are written in their standard
form (`U8ND` → `UBND`), the place name as OCR read it.
"""
from __future__ import annotations

import re

from plandiff.ingest.textnorm import fold
from rapidfuzz.distance import Hamming

# OCR look-alikes of the letters of the standard words (digits, and `v` for `u`).
_LOOKALIKE = str.maketrans({"8": "b", "0": "o", "6": "b", "5": "s", "1": "l", "ð": "d"})
_VERBS = (("ban", "hanh"), ("xay", "dung"))
# Standard words of issuing bodies: (folded words, how they are written).
_BODIES = ((("uy", "ban", "nhan", "dan"), "Ủy ban nhân dân"), (("ubnd",), "UBND"))
_TITLES = ((("chu", "tich"), "Chủ tịch"), (("van", "phong"), "Văn phòng"))
_LEVELS = ((("thi", "tran"), "thị trấn"), (("thi", "xa"), "thị xã"), (("thanh", "pho"), "thành phố"),
           (("tinh",), "tỉnh"), (("huyen",), "huyện"), (("xa",), "xã"), (("phuong",), "phường"))
MAX_PLACE_WORDS = 4
_WORD = re.compile(r"\S+")


def _key(word: str) -> str:
    return fold(word).strip(".,;:()“”\"'").translate(_LOOKALIKE)


def _near(word: str, target: str) -> bool:
    """`word` is `target` with at most one letter misread in its place (exactly, for
    short words): OCR misreads a letter, and a word with a letter more or less is
    another word too often (`xã` / `xây`)."""
    key = _key(word)
    return key == target or len(target) >= 3 and len(key) == len(target) and \
        Hamming.distance(key, target) <= 1


def _words_match(words: list[str], at: int, targets: tuple[str, ...]) -> bool:
    return at >= 0 and at + len(targets) <= len(words) and all(
        _near(words[at + k], t) for k, t in enumerate(targets))


def _ends_with(words: list[str], end: int, phrases) -> tuple[int, str] | None:
    """(start, written) of the phrase among `phrases` that ends just before `end`."""
    for targets, written in phrases:
        if _words_match(words, end - len(targets), targets):
            return end - len(targets), written
    return None


def _body_before(words: list[str], end: int) -> tuple[int, str] | None:
    """The issuing body that ends just before `end`, standard words in standard form."""
    level = ""
    for targets, written in _LEVELS:
        if _words_match(words, end - len(targets), targets):
            level = " ".join(words[end - len(targets): end])
            # as written when it is well written (`Xã`), else in its standard form (`xä`)
            level = level if level.lower() == written else written
            end -= len(targets)
            break
    body = _ends_with(words, end, _BODIES)
    if body is None:
        return None
    start, name = body
    title = _ends_with(words, start, _TITLES)
    if title is not None:
        start, name = title[0], f"{title[1]} {name}"
    return start, f"{name} {level}".strip()


def read_issuer(text: str) -> str | None:
    """The issuer named by the last issuing sentence of `text` (the preamble as one
    text), read through OCR damage, or None."""
    words = _WORD.findall(text)
    for i in range(len(words) - 2, 0, -1):
        # the verb inside the sentence, in lower case (`xã Đông` is no `xây dựng`)
        if words[i][:1].isupper() or not any(_words_match(words, i, verb) for verb in _VERBS):
            continue
        # The place name: capitalised words (or a capital OCR read as a digit) before the verb.
        end = i
        place: list[str] = []
        while end > 0 and len(place) < MAX_PLACE_WORDS and (words[end - 1][:1].isupper() or
                                                            words[end - 1][:1] in "08") \
                and _body_before(words, end) is None:
            place.insert(0, words[end - 1])
            end -= 1
        for cut in range(len(place) + 1):       # the body may end where a place word began
            found = _body_before(words, end + cut)
            if found is None:
                continue
            start, name = found
            # "... của Chủ tịch UBND tỉnh ban hành": a cited body, not the issuer.
            if start and _key(words[start - 1]) == "cua":
                break
            return " ".join([name, *place[cut:]])
    return None
