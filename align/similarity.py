"""Comparable forms of item text and attributes."""
from __future__ import annotations

import re
from functools import lru_cache

from plandiff.ingest.textnorm import fold
from plandiff.parse.model import Item
from rapidfuzz import fuzz, process
from rapidfuzz.distance import Levenshtein

# A level word with the proper name after it: "xã Ngọk Tụ", "huyện Trà Bồng", "tỉnh".
_LEVEL_PHRASE = re.compile(
    r"\b(?:tỉnh|huyện|xã|phường|thị trấn|thị xã|thành phố|TỈNH|HUYỆN|XÃ)"
    r"(?:\s+(?:[A-ZĐ][\wÀ-ỹ]*))*", re.UNICODE)
_NON_WORD = re.compile(r"[^\w]+", re.UNICODE)
# Words a subordinate plan swaps for the parent's without changing the task
# (folded forms).  Each group is replaced by one token on both sides; the third
# field spells the token out, to compare it with a phrase OCR damaged.
_SYNONYMS = [
    # Spelled-out names and their abbreviations (one plan writes `cải cách hành
    # chính`, the next `CCHC`): the abbreviation stands for both.
    (r"thu tuc hanh chinh\b", "tthc", "thu tuc hanh chinh"),
    (r"cai cach hanh chinh\b", "cchc", "cai cach hanh chinh"),
    (r"chuyen doi so\b", "cds", "chuyen doi so"),
    (r"uy ban nhan dan\b", "ubnd", "uy ban nhan dan"),
    (r"hoi dong nhan dan\b", "hdnd", "hoi dong nhan dan"),
    (r"cong nghe thong tin\b", "cntt", "cong nghe thong tin"),
    (r"mat tran to quoc(?: viet nam)?\b", "mttq", "mat tran to quoc"),
    (r"(?:tuyen truyen|truyen thong)\b", "truyenthong", "truyen thong"),
    (r"(?:cong|trang)(?: ?/ ?(?:cong|trang))? thong tin dien tu\b", "ttdt", "trang thong tin dien tu"),
    (r"(?:dai phat thanh va truyen hinh|he thong (?:phat|truyen) thanh(?: co so)?"
     r"|dai truyen thanh|he thong truyen thanh - truyen hinh|song (?:phat|truyen) thanh"
     r"|truyen thanh(?: co so)?)\b", "phatthanh", "phat thanh"),
    (r"(?:so|phong)\b(?= (?:noi vu|tu phap|van hoa|giao duc|y te|tai chinh|khoa hoc"
     r"|kinh te|nong nghiep|lao dong|tai nguyen|thong tin|cong thuong|xay dung))", "coquan", "phong"),
]
# All groups in one pattern, each starting at a word boundary: one pass over
# the text, and positions inside words are skipped at once.
_SYNONYM = re.compile(r"\b(?:" + "|".join(f"(?P<s{n}>{pattern})"
                                            for n, (pattern, _, _) in enumerate(_SYNONYMS)) + ")")
_SYNONYM_TOKEN = {f"s{n}": token for n, (_, token, _) in enumerate(_SYNONYMS)}


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
    return _with_synonym_tokens(folded)


def _with_synonym_tokens(folded: str) -> str:
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


# Two runs of words that differ only as a misreading does: neither longer than this
# many letters (a few words; OCR splits words, so letters are counted, not words), the
# same numbers, and letters (spaces dropped) that agree at least this much (rapidfuzz
# ratio): `dia phuong` read as `iia phuong`, `truyen thong trong viec` as `ruyen thong
# tron v ec` (a stamp's ring cut through the line).  A run of at most DEBRIS_LETTERS
# letters with nothing opposite is a speck read as a letter.
MISREAD_MAX_LETTERS = 24
MISREAD_RATIO = 60
DEBRIS_LETTERS = 2


def only_misreadings(ref: str, plan: str, words: frozenset[str] = frozenset(),
                     read: tuple[bool, bool] = (False, False)) -> bool:
    """Whether two match texts differ only where OCR misread or split words, not
    where a plan wrote other words: every differing run of words is short, holds
    the same numbers, and its letters mostly agree with the other side's, or, on a
    side `read` by OCR (reference, plan), is mostly debris.  Of `words` (a closed
    vocabulary: `tuan`, `thang`), one never stands for another."""
    a, b = ref.split(), plan.split()
    return all(_misread_run(a, b, run, words, read) for run in _differing_runs(a, b))


def as_printed(ref: str, plan: str, read: tuple[bool, bool]) -> tuple[str, str]:
    """The two match texts with each run OCR misread on a side `read` by OCR put back
    as the other side writes it: the best guess of what the page said, so that a
    copy's wording is judged as its clean text would be."""
    a, b = ref.split(), plan.split()
    out_a, out_b, at_a, at_b = [], [], 0, 0
    for run in _differing_runs(a, b):
        i1, i2, j1, j2 = run
        out_a += a[at_a:i1]
        out_b += b[at_b:j1]
        misread = _misread_run(a, b, run, frozenset(), read)
        out_a += b[j1:j2] if misread and read[0] and not read[1] else a[i1:i2]
        out_b += a[i1:i2] if misread and read[1] else b[j1:j2]
        at_a, at_b = i2, j2
    return " ".join(out_a + a[at_a:]), " ".join(out_b + b[at_b:])


def _misread_run(a: list[str], b: list[str], run: tuple[int, int, int, int], words: frozenset[str],
                 read: tuple[bool, bool]) -> bool:
    i1, i2, j1, j2 = run
    left, right = "".join(a[i1:i2]), "".join(b[j1:j2])
    if [w for w in a[i1:i2] if w.isdigit()] != [w for w in b[j1:j2] if w.isdigit()]:
        return False   # a number is never a misreading of another number here
    if words.intersection(a[i1:i2]) and words.intersection(b[j1:j2]):
        return False   # `hang tuan` for `hang thang` is another word, however alike
    if not left or not right:
        return len(left or right) <= DEBRIS_LETTERS   # else a word added or left out
    return bool(_misread(left, right) or _misread(_spelled(a[i1:i2]), _spelled(b[j1:j2]))
                or read[0] and _unreadable(a[i1:i2], right) or read[1] and _unreadable(b[j1:j2], left))


def _unreadable(read: list[str], other: str) -> bool:
    """Whether OCR's words `read`, opposite the letters `other`, are mostly debris
    (`e øan nha c` for `do gop phan thuc`: a faint line, broken strokes): they can say
    nothing of which words were printed, so they are no evidence of other words.
    Debris is a single letter, or a word with a sign no Vietnamese word has or with
    digits among its letters (`øan`, `1o`); an unknown word of plain letters may be an
    abbreviation (`bhyt`), and is a word."""
    debris = sum(bool(len(w) < 2 or _DEBRIS.search(w) or _MIXED.search(w)) for w in read)
    return len(other) <= MISREAD_MAX_LETTERS and 2 * debris >= len(read)


_DEBRIS = re.compile(r"[^a-z0-9]")
_MIXED = re.compile(r"[a-z]\d|\d[a-z]")


def _differing_runs(a: list[str], b: list[str]):
    """(i1, i2, j1, j2) of each run of words that differ, neighbouring edits joined."""
    run: list[int] | None = None
    for op in Levenshtein.opcodes(a, b):
        if op.tag == "equal":
            if run:
                yield tuple(run)
            run = None
        elif run is None:
            run = [op.src_start, op.src_end, op.dest_start, op.dest_end]
        else:
            run[1], run[3] = op.src_end, op.dest_end
    if run:
        yield tuple(run)


def _misread(left: str, right: str) -> bool:
    return max(len(left), len(right)) <= MISREAD_MAX_LETTERS and fuzz.ratio(left, right) >= MISREAD_RATIO


# A misread word keeps its phrase from becoming the synonym token (`chuyen coi so`
# stays three words): it is compared with the token spelled out.
_SPELLED = {token: spelled for _, token, spelled in _SYNONYMS}


def _spelled(words: list[str]) -> str:
    return "".join(_SPELLED.get(w, w) for w in words).replace(" ", "")


# A word of an OCR-read text that the other plan does not have, and whose letters agree
# this much (rapidfuzz ratio) with one of the other plan's words, is read as that word.
MISREAD_WORD_RATIO = 75
MISREAD_WORD_MIN = 3   # shorter words are too alike to tell a misreading from another word


def read_misreadings(texts: list[str], other: list[str]) -> list[str]:
    """`texts` (match texts of an OCR-read plan) with each word that is not in
    `other` replaced by the nearest word of `other` where one clearly is: a
    stamp or a fax line leaves `thonz`, `tror`, `1ruyen` for words the other
    plan writes plainly, and each such word costs a copied task two word pairs
    of its wording score."""
    known = {w for t in other for w in t.split()}
    # the words a synonym token stands for are the other plan's words too (`thonz` in
    # `trang thonz tin dien tu` is read as the `thong` of its `ttdt`)
    known |= {w for token in known & _SPELLED.keys() for w in _SPELLED[token].split()}
    vocabulary = sorted(known)
    cache: dict[str, str] = {}

    def read(word: str) -> str:
        if word in known or len(word) < MISREAD_WORD_MIN or word.isdigit():
            return word
        if word not in cache:
            best = process.extract(word, vocabulary, scorer=fuzz.ratio, limit=2,
                                   score_cutoff=MISREAD_WORD_RATIO)
            # only an unambiguous nearest word: two equally near ones leave it as read
            clear = best and (len(best) == 1 or best[0][1] > best[1][1])
            cache[word] = best[0][0] if clear else word
        return cache[word]

    def read_text(text: str) -> str:
        words, out, i = text.split(), [], 0
        while i < len(words):
            word = words[i]
            if i + 1 < len(words):
                # A word OCR cut in two (`n at`, `c ienh` for `phat`, `chinh`) is read whole
                # when it is the other plan's word, or when neither piece is a word of
                # that plan and together they read clearly as one.
                nxt = words[i + 1]
                joined = word + nxt
                if (word not in known or nxt not in known) and not (word + nxt).isdigit() and (
                        joined in known or word not in known and nxt not in known
                        and len(joined) >= MISREAD_WORD_MIN and read(joined) != joined):
                    out.append(read(joined))
                    i += 2
                    continue
            out.append(read(word))
            i += 1
        return " ".join(out)

    return [_with_synonym_tokens(read_text(t)) for t in texts]
