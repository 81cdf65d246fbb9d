"""Document metadata from the header block and the title."""
from __future__ import annotations

import re

from plandiff.ingest.textnorm import collapse_ws, fold

from .citations import make_date
from .model import AdminLevel, Metadata

_MOTTO = re.compile(
    r"(C[OỘ]NG H[OÒ]A X[AÃ] H[OỘ]I CH[UỦ] NGH[IĨ]A VI[EỆ]T NAM|Độc lập\s*-\s*Tự do\s*-\s*Hạnh phúc"
    r"|Doc lap\s*-\s*Tu do\s*-\s*Hanh phuc).*$",
    re.IGNORECASE,
)
# Folded patterns (diacritics removed, lower case): OCR text matches too.
_NUMBER = re.compile(r"\bs[o6]\s*:\s*(?P<num>\d{1,5}[a-z]?)?\s*/\s*(?P<code>[a-z][a-z0-9\-/]*)")
_DATE = re.compile(r"(?P<place>[^,;:\n]{0,40}?)\s*,?\s*ngay\s+(?P<d>\d{1,2})?[\s.]*"
                   r"thang\s+(?P<m>\d{1,2})\s+nam\s+(?P<y>\d{4})")
_PLAN_WORD = re.compile(r"^\W*ke hoach\W*$")
_BASIS = re.compile(r"^(can cu|thuc hien|trien khai|theo|xet)\b")


def extract_metadata(header: list[str], title: list[str], preamble: list[str]) -> Metadata:
    """Metadata from the lines before `KẾ HOẠCH`, the title lines and the legal bases."""
    joined = " \n ".join(header)
    folded = fold(joined)
    number = _plan_number(joined, folded)
    place, issued_on = _place_and_date(joined, folded)
    issuer = _issuer(header) or _issuer_from_preamble(preamble)
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


def _plan_number(text: str, folded: str) -> str | None:
    m = _NUMBER.search(folded)
    if not m or not m.group("num"):
        return None
    code = text[m.start("code"): m.end("code")].upper().strip("-/")
    return f"{m.group('num')}/{code}"


def _place_and_date(text: str, folded: str):
    m = _DATE.search(folded)
    if not m:
        return None, None
    place = collapse_ws(text[m.start("place"): m.end("place")]).strip(" ,") or None
    if place and "/" in place:  # "Số: 25/KH-UBND Đăk Tô" on one flattened line
        place = place.split()[-1] if len(place.split()) < 2 else _after_code(place)
    day = m.group("d")
    date = make_date(int(day), int(m.group("m")), int(m.group("y"))) if day else None
    return place, date


def _after_code(text: str) -> str | None:
    parts = re.split(r"/[A-ZĐa-zđ\-]+\s+", text, maxsplit=1)
    return parts[1].strip() if len(parts) == 2 else None


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


_MOTTO_FOLDED = re.compile(r"cong hoa xa h|doc lap\s*-|d[oé]c (?:l|1)ap")


def _without_motto(line: str) -> str:
    """The part of a header line before the national motto (two columns
    flattened into one line: `ỦY BAN NHÂN DÂN   CỘNG HÒA XÃ HOQI ...`)."""
    line = _MOTTO.sub("", line)
    m = _MOTTO_FOLDED.search(fold(line))
    return line[: m.start()] if m else line


def _issuer(header: list[str]) -> str | None:
    pieces: list[str] = []
    for line in header:
        line = _without_motto(line).strip()
        f = fold(line)
        if not line or _NUMBER.search(f) or "ngay" in f.split() or _DATE.search(f):
            continue
        letters = [c for c in line if c.isalpha()]
        if letters and sum(c.isupper() for c in letters) / len(letters) > 0.7:
            pieces.append(collapse_ws(line))
    return " ".join(pieces) or None


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
