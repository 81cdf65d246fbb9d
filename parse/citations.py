"""Legal documents cited in a plan's text."""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

_KINDS = ("Kế hoạch", "Nghị quyết", "Quyết định", "Chỉ thị", "Thông tư", "Nghị định",
          "Công văn", "Hướng dẫn", "Thông báo", "Kết luận", "Luật", "Đề án", "Chương trình")
_CITATION = re.compile(
    r"(?P<kind>" + "|".join(_KINDS) + r")\s+(?:số\s*:?\s*)?"
    r"(?P<number>\d{1,5}[a-zA-Z]?(?:/\d{4})?(?:\s?[/-]\s?[A-Za-zĐđ0-9]+)+)"
    r"(?P<date>\s*,?\s*ngày\s+(?:\d{1,2}\s*[/.-]\s*\d{1,2}\s*[/.-]\s*\d{4}"
    r"|\d{1,2}\s+tháng\s+\d{1,2}\s+năm\s+\d{4}))?",
    re.IGNORECASE,
)
_DATE_NUMERIC = re.compile(r"(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})")
_DATE_WORDS = re.compile(r"(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})", re.IGNORECASE)
_RAW_END = re.compile(r"[;\n]|\.\s|\.$|$")
_ISSUER = re.compile(r"^\s*,?\s*của\s+(?P<who>.+?)(?=\s+(?:về|ban hành|tại|phê duyệt|khóa|khoá|thực hiện)\b|[;,.(]|$)")


def make_date(day: int, month: int, year: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def parse_date(text: str) -> dt.date | None:
    m = _DATE_NUMERIC.search(text) or _DATE_WORDS.search(text)
    if not m:
        return None
    return make_date(int(m.group(1)), int(m.group(2)), int(m.group(3)))


def citation_issuer(text_after: str) -> str | None:
    """`của Chủ tịch UBND tỉnh về ...` -> `Chủ tịch UBND tỉnh`."""
    m = _ISSUER.match(text_after)
    if not m:
        return None
    who = m.group("who").strip()
    return who if 0 < len(who.split()) <= 10 else None


@dataclass(frozen=True)
class Found:
    kind: str
    number: str
    issued_on: dt.date | None
    raw: str
    issuer: str | None
    start: int


def find_citations(text: str) -> list[Found]:
    """Every legal document cited in `text`, in order of appearance."""
    out = []
    for m in _CITATION.finditer(text):
        date = parse_date(m.group("date")) if m.group("date") else None
        end = _RAW_END.search(text, m.end())
        raw = text[m.start(): min(end.start() if end else len(text), m.start() + 400)].strip()
        out.append(Found(_canonical_kind(m.group("kind")), _tidy_number(m.group("number")), date,
                         raw, citation_issuer(text[m.end(): m.end() + 160]), m.start()))
    return out


def _tidy_number(number: str) -> str:
    return re.sub(r"\s+", "", number)


def _canonical_kind(kind: str) -> str:
    low = kind.lower()
    for k in _KINDS:
        if k.lower() == low:
            return k
    return kind
