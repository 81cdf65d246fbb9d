"""Comparing the attributes of two items: lead, partners, timeline, frequency."""
from __future__ import annotations

from plandiff.parse.model import Item

from .similarity import attribute_key, partners_key

_ROMAN_NUMBERS = {"i": "1", "ii": "2", "iii": "3", "iv": "4"}


def _lead_of(item: Item) -> str:
    # A lead read from the agency heading above is context, not an attribute
    # the plan wrote for this item: it is not compared.
    if item.lead_inherited:
        return ""
    return item.lead_key or attribute_key(item.lead)


def _partners_of(item: Item) -> frozenset[str]:
    return frozenset(item.partner_keys) or partners_key(item.partners)


def _schedule_words(text: str | None) -> tuple[str, ...]:
    """Words of a timeline or frequency with formatting differences removed:
    `Quý III/2025` = `Quý 3 năm 2025`, `01 số/tháng` = `1 số / tháng`; but
    `Trong năm 2025` != `Năm 2025` (a word was added)."""
    words = []
    for word in attribute_key(text).split():
        if word == "nam":
            continue
        word = _ROMAN_NUMBERS.get(word, word)
        words.append(str(int(word)) if word.isdigit() else word)
    return tuple(words)


def _values(item: Item) -> dict[str, object]:
    return {"lead": _lead_of(item), "partners": _partners_of(item),
            "timeline": _schedule_words(item.timeline),
            "frequency": _schedule_words(item.frequency)}


def attribute_changes(ref: Item, item: Item) -> tuple[str, ...]:
    """Which of lead, partners, timeline, frequency differ.

    Agencies are compared by their normalised keys, timelines and frequencies
    by their words with formatting removed.  A value present on one side only
    is a change (a frequency added where there was none).
    """
    a, b = _values(ref), _values(item)
    return tuple(name for name in ("lead", "partners", "timeline", "frequency") if a[name] != b[name])


def attribute_agreement(ref: Item, item: Item) -> float | None:
    """Share of the attributes stated on both sides that agree (None: none stated on both)."""
    a, b = _values(ref), _values(item)
    both = [name for name in a if a[name] and b[name]]
    if not both:
        return None
    return sum(a[name] == b[name] for name in both) / len(both)
