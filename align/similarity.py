"""Comparable forms of item text and attributes."""
from __future__ import annotations

import re

from rapidfuzz import fuzz

from plandiff.ingest.textnorm import fold
from plandiff.parse.model import Item

# A level word with the proper name after it: "xã Ngọk Tụ", "huyện Trà Bồng", "tỉnh".
_LEVEL_PHRASE = re.compile(
    r"\b(?:tỉnh|huyện|xã|phường|thị trấn|thị xã|thành phố|TỈNH|HUYỆN|XÃ)"
    r"(?:\s+(?:[A-ZĐ][\wÀ-ỹ]*))*", re.UNICODE)
_NON_WORD = re.compile(r"[^\w]+", re.UNICODE)


def match_text(item: Item) -> str:
    """Folded item text with level words and place names neutralised."""
    text = _LEVEL_PHRASE.sub(" ", item.full_text)
    return " ".join(_NON_WORD.sub(" ", fold(text)).split())


def similarity(a: str, b: str) -> float:
    """0..1: mean of order-aware and order-free token similarity."""
    if not a or not b:
        return 0.0
    return (fuzz.ratio(a, b) + fuzz.token_set_ratio(a, b)) / 200.0


def attribute_key(value: str | None) -> str:
    if not value:
        return ""
    return " ".join(_NON_WORD.sub(" ", fold(value)).split())


def partners_key(values: tuple[str, ...]) -> frozenset[str]:
    return frozenset(k for k in (attribute_key(v) for v in values) if k)
