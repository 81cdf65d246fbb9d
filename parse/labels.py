"""Outline labels: recognise the numbering at the start of a line."""
from __future__ import annotations

import re
from dataclasses import dataclass

_ROMAN = re.compile(r"^(?P<lab>[IVX]{1,5})\s*[.)](?!\d)\s*(?P<rest>.*)$")
_UPPER = re.compile(r"^(?P<lab>[A-HĐ])\s*[.)](?!\d)\s*(?P<rest>\S.*)$")
_DECIMAL = re.compile(r"^(?P<lab>\d{1,2}(?:\.\d{1,2}){0,3})(?P<delim>[.)]?)\s+(?P<rest>\S.*)$")
_DECIMAL_TIGHT = re.compile(r"^(?P<lab>\d{1,2}(?:\.\d{1,2}){0,3})(?P<delim>[.)])(?P<rest>[^\d\s/.,].*)$")
_LOWER = re.compile(r"^(?P<lab>[a-zđ])\s*\)\s*(?P<rest>.*)$")
_BULLET = re.compile(r"^(?P<lab>[-–—−+*•·▪◦])\s*(?P<rest>\S.*)$")

_BULLET_SCHEME = {"-": "DASH", "–": "DASH", "—": "DASH", "−": "DASH", "+": "PLUS",
                  "*": "STAR", "•": "BULLET", "·": "BULLET", "▪": "BULLET", "◦": "BULLET"}

ROMAN_VALUES = {"I": 1, "V": 5, "X": 10}


@dataclass(frozen=True)
class Label:
    written: str   # as in the text, e.g. "1.2." or "a)"
    scheme: str    # ROMAN, UPPER, DEC1, DEC2, DEC3, DEC4, LOWER, DASH, PLUS, STAR, BULLET
    rest: str      # the line after the label

    @property
    def is_bullet(self) -> bool:
        return self.scheme in ("DASH", "PLUS", "STAR", "BULLET")


def read_label(line: str) -> Label | None:
    """The outline label that starts `line`, if any."""
    m = _ROMAN.match(line)
    if m and _roman_ok(m.group("lab")):
        return Label(line[: m.start("rest")].strip(), "ROMAN", m.group("rest"))
    m = _UPPER.match(line)
    if m:
        return Label(line[: m.start("rest")].strip(), "UPPER", m.group("rest"))
    m = _DECIMAL.match(line) or _DECIMAL_TIGHT.match(line)
    if m:
        lab = m.group("lab")
        depth = lab.count(".") + 1
        if depth == 1 and not m.group("delim"):
            return None  # "1 Kế hoạch" is a footnote, "2025 ..." a wrapped year
        if not m.group("delim") and not m.group("rest")[:1].isupper():
            return None  # "1.2 triệu" is a number, not a label
        if depth > 1 or m.group("delim"):
            return Label(line[: m.start("rest")].strip(), f"DEC{depth}", m.group("rest"))
    m = _LOWER.match(line)
    if m:
        return Label(line[: m.start("rest")].strip(), "LOWER", m.group("rest"))
    m = _BULLET.match(line)
    if m:
        return Label(m.group("lab"), _BULLET_SCHEME[m.group("lab")], m.group("rest"))
    return None


def _roman_ok(lab: str) -> bool:
    return re.fullmatch(r"X{0,3}(IX|IV|V?I{0,3})", lab) is not None and lab != ""
