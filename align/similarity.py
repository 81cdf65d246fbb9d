"""Comparable forms of item text and attributes."""
from __future__ import annotations

import re
from functools import lru_cache

from plandiff.ingest.textnorm import fold
from plandiff.parse.model import Item

# A level word with the proper name after it: "xã Ngọk Tụ", "huyện Trà Bồng", "tỉnh".
_LEVEL_PHRASE = re.compile(
    r"\b(?:tỉnh|huyện|xã|phường|thị trấn|thị xã|thành phố|TỈNH|HUYỆN|XÃ)"
    r"(?:\s+(?:[A-ZĐ][\wÀ-ỹ]*))*", re.UNICODE)
_NON_WORD = re.compile(r"[^\w]+", re.UNICODE)
# Words a subordinate plan swaps for the parent's without changing the task
# (folded forms).  Each group is replaced by one token on both sides.
_SYNONYMS = [
    # Spelled-out names and their abbreviations (one plan writes `cải cách hành
    # chính`, the next `CCHC`): the abbreviation stands for both.
    (r"thu tuc hanh chinh\b", "tthc"),
    (r"cai cach hanh chinh\b", "cchc"),
    (r"chuyen doi so\b", "cds"),
    (r"uy ban nhan dan\b", "ubnd"),
    (r"hoi dong nhan dan\b", "hdnd"),
    (r"cong nghe thong tin\b", "cntt"),
    (r"mat tran to quoc(?: viet nam)?\b", "mttq"),
    (r"(?:tuyen truyen|truyen thong)\b", "truyenthong"),
    (r"(?:cong|trang)(?: ?/ ?(?:cong|trang))? thong tin dien tu\b", "ttdt"),
    (r"(?:dai phat thanh va truyen hinh|he thong (?:phat|truyen) thanh(?: co so)?"
     r"|dai truyen thanh|he thong truyen thanh - truyen hinh|song (?:phat|truyen) thanh"
     r"|truyen thanh(?: co so)?)\b", "phatthanh"),
    (r"(?:so|phong)\b(?= (?:noi vu|tu phap|van hoa|giao duc|y te|tai chinh|khoa hoc"
     r"|kinh te|nong nghiep|lao dong|tai nguyen|thong tin|cong thuong|xay dung))", "coquan"),
]
# All groups in one pattern, each starting at a word boundary: one pass over
# the text, and positions inside words are skipped at once.
_SYNONYM = re.compile(r"\b(?:" + "|".join(f"(?P<s{n}>{pattern})"
                                            for n, (pattern, _) in enumerate(_SYNONYMS)) + ")")
_SYNONYM_TOKEN = {f"s{n}": token for n, (_, token) in enumerate(_SYNONYMS)}


def match_text(item: Item) -> str:
    """Folded item text with level words, place names and synonyms neutralised."""
    return _match_text(_without_agency_prefix(item))


def _without_agency_prefix(item: Item) -> str:
    # A duty written as "Phòng Kinh tế: Tham mưu ..." names its lead in its
    # text; the lead is compared as an attribute, and the other plan lists the
    # same duty under a heading, without the prefix.
    text = item.full_text
    if item.lead_inherited and item.lead and text.startswith(item.lead):
        rest = text[len(item.lead):].lstrip()
        if rest.startswith(":"):
            return rest[1:].lstrip()
    return text


@lru_cache(maxsize=200_000)
def _match_text(text: str) -> str:
    text = _LEVEL_PHRASE.sub(" ", text)
    folded = " ".join(_NON_WORD.sub(" ", fold(text)).split())
    # Every alternative of the pattern is a named group, so lastgroup is never None.
    return _SYNONYM.sub(lambda m: _SYNONYM_TOKEN[m.lastgroup or ""], folded)


def containment(part: str, whole: str) -> float:
    """Share of the words of `part` that also occur in `whole` (with multiplicity)."""
    words = part.split()
    if not words:
        return 0.0
    available: dict[str, int] = {}
    for w in whole.split():
        available[w] = available.get(w, 0) + 1
    found = 0
    for w in words:
        if available.get(w, 0):
            available[w] -= 1
            found += 1
    return found / len(words)


def word_evidence(ref: str, plan: str, limit: int = 40):
    """(shared, reference-only, plan-only) words, each list in order of first appearance."""
    ref_words, plan_words = ref.split(), plan.split()
    ref_set, plan_set = set(ref_words), set(plan_words)
    shared = [w for w in ref_words if w in plan_set]
    ref_only = [w for w in ref_words if w not in plan_set]
    plan_only = [w for w in plan_words if w not in ref_set]
    return (tuple(dict.fromkeys(shared))[:limit], tuple(dict.fromkeys(ref_only))[:limit],
            tuple(dict.fromkeys(plan_only))[:limit])


def attribute_key(value: str | None) -> str:
    if not value:
        return ""
    return " ".join(_NON_WORD.sub(" ", fold(value)).split())
