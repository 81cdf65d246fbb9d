"""Comparing the attributes of two items: lead, partners, timeline, frequency."""
from __future__ import annotations

import re
from functools import lru_cache

from plandiff.parse.agencies import agency_key
from plandiff.parse.attributes import split_agencies
from plandiff.parse.model import Item
from rapidfuzz import fuzz

from .similarity import attribute_key, only_misreadings

_ROMAN_NUMBERS = {"i": "1", "ii": "2", "iii": "3", "iv": "4"}


# A level word closing an agency name, with the place name after it:
# `Phòng Kinh tế xã`, `Đoàn TNCS HCM xã Đăk Tô`.  Lower-case only, so the
# `Xã hội` of `Phòng Văn hóa - Xã hội` stays.
_LEVEL_TAIL = re.compile(r"\s+(?:xã|phường|thị trấn|thị xã|huyện|thành phố|tỉnh)"
                         r"(?:\s+[A-ZĐÀ-Ỹ][\w-]*)*\s*$")


@lru_cache(maxsize=65_536)
def office_key(name: str) -> str:
    """An agency's key with the level word and place name at its end removed:
    the same office, adapted to the plan's own level and place."""
    return agency_key(_LEVEL_TAIL.sub("", name.strip(" .;")))


def _lead_of(item: Item, inherited: bool = False) -> str:
    # A lead read from the agency heading above is context, not an attribute
    # the plan wrote for this item: it is compared only when asked (a duty that
    # moved to another office's heading).
    if (item.lead_inherited and not inherited) or not item.lead:
        return ""
    return _lead_key(item.lead)


@lru_cache(maxsize=65_536)
def _lead_key(lead: str) -> str:
    # Cached: plans name the same few dozen offices over and over.
    return "; ".join(sorted({office_key(n) for n in split_agencies(lead)} - {""}))


def _partners_of(item: Item) -> frozenset[str]:
    return _partner_keys(item.partners)


@lru_cache(maxsize=65_536)
def _partner_keys(partners: tuple[str, ...]) -> frozenset[str]:
    return frozenset(k for k in (office_key(n) for n in partners) if k)


def _schedule_words(text: str | None) -> tuple[str, ...]:
    """Words of a timeline or frequency with formatting differences removed:
    `Quý III/2025` = `Quý 3 năm 2025`, `01 số/tháng` = `1 số / tháng`; but
    `Trong năm 2025` != `Năm 2025` (a word was added).  A quarter that cannot
    be read (OCR `Quý 11, 1\\VV/2025`) or a year that lost or gained a digit
    (`Năm 205`) becomes UNREADABLE."""
    words: list[str] = []
    in_quarters = False
    year_next = False
    for word in attribute_key(text).split():
        if word == "nam" or _MISREAD_YEAR_WORD.fullmatch(word):
            year_next = True
            continue
        if word == "quy":
            in_quarters = True
        elif in_quarters and len(word) == 4 and word.isdigit():
            in_quarters = False   # the year closes the list of quarters
        elif in_quarters:
            word = _quarter(word)
        elif year_next and _DAMAGED_YEAR.fullmatch(word):
            word = UNREADABLE   # a stroke or stamp took a digit of the year: `Năm 205`
        year_next = False
        words.append(str(int(word)) if word.isdigit() else word)
    return tuple(words)


UNREADABLE = "?"
# `năm` with its vowel misread (`nưm`, `nim`): no other word of a timeline is n?m.
_MISREAD_YEAR_WORD = re.compile(r"n[a-z]m")
# Two years one misread digit apart that far: no plan moves a task by decades (`Năm 2055`
# read for `Năm 2025`); a year or two is a real change of timeline.
YEARS_APART = 20
# Three or five digits after `năm`, where a plan writes a year of this century:
# OCR lost or doubled a digit.
_DAMAGED_YEAR = re.compile(r"20\d|20\d{3}")


def _quarter(word: str) -> str:
    if set(word) <= set("1il|v"):
        word = word.translate(_OCR_ROMAN)  # OCR "Quý 111" for "Quý III"
    word = _ROMAN_NUMBERS.get(word, word)
    return word if word in ("1", "2", "3", "4") else UNREADABLE


_OCR_ROMAN = str.maketrans({"1": "i", "l": "i", "|": "i"})


def attribute_values(item: Item) -> dict[str, object]:
    """The comparable forms of an item's lead, partners, timeline and frequency,
    as evidence for matching: a lead read from the agency heading above counts
    (duties under the same office are more likely the same duty)."""
    return _values(item, True)


@lru_cache(maxsize=65_536)
def _values(item: Item, inherited: bool = False) -> dict[str, object]:
    # Cached: a reference item is compared with every plan.  Callers must not
    # change the dict they get.
    return {"lead": _lead_of(item, inherited), "partners": _partners_of(item),
            "timeline": _schedule_words(item.timeline),
            "frequency": (_schedule_words(item.frequency), item.frequency_per_year)}


AGENCY_SIMILARITY = 90  # rapidfuzz ratio of two agency keys that name the same office


def _same_agency(a: str, b: str) -> bool:
    # OCR leaves "Phòng Ian hoa - Xã hội" for "Phòng Văn hoá - Xã hội".
    return a == b or (bool(a) and bool(b) and fuzz.ratio(a, b) >= AGENCY_SIMILARITY)


def _same_agencies(a: frozenset[str], b: frozenset[str]) -> bool:
    if a == b:
        return True
    if len(a) != len(b):
        return False
    unmatched = list(b)
    for key in sorted(a):
        match = next((k for k in unmatched if _same_agency(key, k)), None)
        if match is None:
            return False
        unmatched.remove(match)
    return True


def _same(name: str, a, b) -> bool:
    if name == "lead":
        return _same_agency(a, b)
    if name == "partners":
        return _same_agencies(a, b)
    if name == "frequency":
        # Same number of issues a year is the same frequency, however written.
        (words_a, per_year_a), (words_b, per_year_b) = a, b
        if per_year_a is not None and per_year_b is not None:
            return per_year_a == per_year_b
        return words_a == words_b
    if name == "timeline" and (UNREADABLE in a or UNREADABLE in b):
        return True   # an OCR-damaged timeline is no evidence of a change
    if name == "timeline" and a != b:
        b = tuple(x if _misread_year(y, x) else y for x, y in zip(a, b, strict=False)) + b[len(a):]
        # `Thường xuyên trong nưm`, `:rong năm`: the same words misread (numbers
        # and the units of time must agree exactly)
        return only_misreadings(" ".join(a), " ".join(b), _TIME_UNITS)
    return a == b


def _misread_year(a: str, b: str) -> bool:
    """`2025` and `2055`: years one digit apart and too far apart to be a plan's change."""
    if not (len(a) == len(b) == 4 and a.isdigit() and b.isdigit()):
        return False
    return sum(x != y for x, y in zip(a, b, strict=True)) == 1 and abs(int(a) - int(b)) >= YEARS_APART


# Words of a timeline that name a unit or a point of time: one is never a misreading of
# another.  (`nam` is not among a timeline's words: `_schedule_words` reads it as the
# year's marker.)
_TIME_UNITS = frozenset({"ngay", "tuan", "thang", "quy", "ky", "dau", "cuoi", "giua", "truoc", "sau",
                         "tu", "den", "hang", "moi"})


def attribute_changes(ref: Item, item: Item, moved: bool = False) -> tuple[str, ...]:
    """Which of lead, partners, timeline, frequency differ.

    Agencies are compared by their normalised keys (allowing OCR slips),
    timelines by their words with formatting removed, frequencies by issues
    per year when both can be read.  A value present on one side only is a
    change (a frequency added where there was none).  Leads inherited from
    an agency heading are compared only when the duty `moved` away from the
    heading that corresponds to its reference heading: a heading renamed
    for the level (`Phòng Nội vụ` -> `Văn phòng HĐND và UBND xã`) takes its
    duties along unchanged.
    """
    a, b = _values(ref, moved), _values(item, moved)
    return tuple(name for name in ("lead", "partners", "timeline", "frequency")
                 if not _same(name, a[name], b[name]))


def office_renamed(ref: Item, item: Item) -> bool:
    """Both items inherit their lead from an agency heading and the two offices
    differ by name: `attribute_changes` takes that for the office renamed for
    the plan's level when the duty stayed under its heading's counterpart
    (`Phòng Nội vụ` -> `Văn phòng HĐND và UBND xã`), a judgement a reviewer
    may not share (`Phòng Nội vụ` -> `Phòng Văn hoá - Xã hội`)."""
    if not (ref.lead_inherited and item.lead_inherited and ref.lead and item.lead):
        return False
    return not _same_agency(_lead_key(ref.lead), _lead_key(item.lead))


def _present(name: str, value) -> bool:
    return bool(value[0]) if name == "frequency" else bool(value)


def attribute_agreement(ref: Item, item: Item) -> float | None:
    """Share of the attributes stated on both sides that agree (None: none stated on both)."""
    return agreement_of(_values(ref), _values(item))


def agreement_of(a: dict[str, object], b: dict[str, object]) -> float | None:
    both = [name for name in a if _present(name, a[name]) and _present(name, b[name])]
    if not both:
        return None
    return sum(_same(name, a[name], b[name]) for name in both) / len(both)
