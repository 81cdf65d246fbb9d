"""Document metadata from the header block and the title (the header's two columns are
read apart in `header.py`)."""
from __future__ import annotations

import re

from plandiff.ingest.textnorm import collapse_ws, fold

from .citations import make_date
from .header import Header
from .model import AdminLevel, Metadata

_PLAN_WORD = re.compile(r"^\W*ke hoach\W*$")
_BASIS = re.compile(r"^(can cu|thuc hien|trien khai|theo|xet)\b")


def extract_metadata(header: list[str], title: list[str], preamble: list[str]) -> Metadata:
    """Metadata from the lines before `KẾ HOẠCH`, the title lines and the legal bases."""
    head = Header(header)
    number = head.number
    place, issued_on = None, None
    if head.date:
        day, month, year = head.date
        place, issued_on = head.place, make_date(day, month, year) if day else None
    issuer = head.issuer or _issuer_from_preamble(preamble)
    title_text = collapse_ws(" ".join(title)) or None
    issuer = _with_place_name(issuer, title_text)
    level = admin_level(issuer or "", title_text or "")
    return Metadata(title=title_text, plan_number=number, issued_on=issued_on, issuer=issuer,
                    admin_level=level, place=place)


def _is_plan_word(line: str) -> bool:
    """`KẾ HOẠCH` alone on its line, also with OCR specks around it (`‘ ~ KẾ HOẠCH ở`)."""
    words = [w for w in re.findall(r"[a-z]+", fold(line)) if len(w) > 1]
    return words == ["ke", "hoach"] and line.upper().count("K") >= 1 and \
        sum(c.isupper() for c in line) >= 6


def split_title(lines: list[str]) -> tuple[list[str], list[str], list[str]]:
    """Split the lines before the first part into header, title and preamble."""
    for i, line in enumerate(lines):
        if _PLAN_WORD.match(fold(line)) or _is_plan_word(line) or \
                fold(line).strip().startswith("ke hoach") and line.isupper():
            header, rest = lines[:i], lines[i + 1:]
            title: list[str] = []
            for j, ln in enumerate(rest):
                if _BASIS.match(fold(ln)) or len(title) >= 3 or _is_issuer_sentence(ln):
                    return header, title, rest[j:]
                title.append(ln)
            return header, title, []
    return [], [], lines


def _is_issuer_sentence(line: str) -> bool:
    f = fold(line)
    return f.startswith(("uy ban nhan dan", "ubnd", "chu tich")) and "ban hanh" in f


_LEVEL_NAME = re.compile(r"\b(tỉnh|huyện|xã|phường|thị trấn|thị xã)\s+((?:[A-ZĐ][\wÀ-ỹ]*\s?)+)")


def _with_place_name(issuer: str | None, title: str | None) -> str | None:
    """`Chủ tịch Ủy ban nhân dân xã` + title `... xã Ngọk Tụ năm 2025` -> `Ủy ban nhân dân xã Ngọk Tụ`."""
    if not issuer:
        return issuer
    issuer = re.sub(r"^Chủ tịch\s+", "", issuer)
    words = issuer.split()
    if title and words and fold(words[-1]) in ("tinh", "huyen", "xa", "phuong"):
        for m in _LEVEL_NAME.finditer(title):
            if fold(m.group(1)) == fold(words[-1]):
                return f"{issuer} {m.group(2).strip()}"
    return issuer


_PREAMBLE_ISSUER = re.compile(
    r"((?:Ủy ban nhân dân|UBND|Chủ tịch Ủy ban nhân dân|Chủ tịch UBND|Văn phòng UBND|Sở)"
    r"(?:\s+(?:tỉnh|huyện|xã|phường|thị trấn|thị xã|thành phố))?(?:\s+[A-ZĐ][\wÀ-ỹ]*)*)"
    r"\s+(?:ban hành|xây dựng)"
)


def _issuer_from_preamble(preamble: list[str]) -> str | None:
    # The issuing sentence comes last; "... của Chủ tịch UBND tỉnh ban hành" cites another body.
    for line in reversed(preamble):
        for m in _PREAMBLE_ISSUER.finditer(line):
            if not fold(line[max(0, m.start() - 5): m.start()]).strip().endswith("cua"):
                return collapse_ws(m.group(1))
    return None


def admin_level(issuer: str, title: str) -> AdminLevel:
    for text in (issuer, title):
        level = _level_of(fold(text).replace("chuyen doi so", " "))
        if level is not AdminLevel.UNKNOWN:
            return level
    return AdminLevel.UNKNOWN


def _level_of(f: str) -> AdminLevel:
    if re.search(r"\bvan phong\b|^so [a-z]|\bcua so [a-z]", f):
        return AdminLevel.DEPARTMENT
    if re.search(r"\b(xa|phuong|thi tran)\b(?! hoi)", f):
        return AdminLevel.COMMUNE
    if re.search(r"\b(huyen|thi xa|quan)\b", f):
        return AdminLevel.DISTRICT
    if re.search(r"\btinh\b", f):
        return AdminLevel.PROVINCE
    return AdminLevel.UNKNOWN
