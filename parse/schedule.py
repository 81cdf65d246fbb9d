"""Timelines and frequencies read into comparable fields.

`Quý III, IV/2025` -> quarters (3, 4) of 2025; `Thường xuyên trong năm` ->
recurring; `01 số/2 tuần (26 số/năm)` -> 26 issues a year.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from plandiff.ingest.textnorm import fold

_ROMAN_QUARTERS = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
_YEAR = re.compile(r"\b(20\d\d)\b")
_QUARTERS = re.compile(r"\bquy\s+((?:(?:i{1,3}|iv|[1-4])\s*(?:,|va|-|\s)\s*)*(?:i{1,3}|iv|[1-4]))\b")
_MONTH = re.compile(r"\bthang\s+(\d{1,2})\b")
_UNITS_PER_YEAR = {"nam": 1, "quy": 4, "thang": 12, "tuan": 52, "ngay": 365}
_PER_YEAR = re.compile(r"(\d+)[^\d()/]{0,30}/\s*nam\b")
_PER_UNIT = re.compile(r"(\d+)[^\d/]{0,40}/\s*(\d+)?\s*(nam|quy|thang|tuan|ngay)\b")
_EVERY_UNIT = re.compile(r"\b(?:moi|hang|hằng)\s+(nam|quy|thang|tuan|ngay)\s+(\d+)")


@dataclass(frozen=True)
class Timeline:
    kind: str                    # recurring | quarters | months | year | other
    year: int | None = None
    quarters: tuple[int, ...] = ()
    months: tuple[int, ...] = ()


def read_timeline(text: str | None) -> Timeline | None:
    if not text:
        return None
    f = fold(text)
    year_match = _YEAR.search(f)
    year = int(year_match.group(1)) if year_match else None
    q = _QUARTERS.search(f)
    if q:
        parts = re.split(r"\s*(?:,|va|-|\s)\s*", q.group(1))
        quarters = tuple(sorted({_ROMAN_QUARTERS.get(p, int(p) if p.isdigit() else 0)
                                 for p in parts if p} - {0}))
        return Timeline("quarters", year, quarters=quarters)
    if re.search(r"\b(thuong xuyen|hang nam|hang nam|hang thang|dinh ky|lien tuc)\b", f):
        return Timeline("recurring", year)
    months = tuple(sorted({int(m) for m in _MONTH.findall(f) if 1 <= int(m) <= 12}))
    if months and "thang cuoi" not in f and "thang dau" not in f:
        return Timeline("months", year, months=months)
    if year is not None:
        return Timeline("year", year)
    return Timeline("other")


_OCR_QUARTER = re.compile(r"(?<=Quý )([1Il|V]{1,4})(?=[\s,./]|$)")


def repair_quarters(text: str | None) -> str | None:
    """Roman quarter numbers as OCR misreads them: `Quý 111/2025` -> `Quý III/2025`."""
    if not text:
        return text
    return _OCR_QUARTER.sub(lambda m: m.group(1).translate(str.maketrans("1l|", "III")), text)


def frequency_per_year(text: str | None) -> float | None:
    """Issues (broadcasts, articles ...) per year, when the text says."""
    if not text:
        return None
    f = fold(text)
    m = _PER_YEAR.search(f)
    if m:
        return float(m.group(1))
    # "Mỗi tháng 01 chuyên mục và phát lại 03 lần/tháng": the first count is
    # the new issues; re-broadcasts are not counted.
    m = _EVERY_UNIT.search(f)
    if m:
        return float(int(m.group(2)) * _UNITS_PER_YEAR[m.group(1)])
    m = _PER_UNIT.search(f)
    if m:
        count, every, unit = int(m.group(1)), int(m.group(2) or 1), m.group(3)
        return round(count * _UNITS_PER_YEAR[unit] / every, 2)
    return None
