"""Document metadata from the header block and the title (the header's two columns are
read apart in `header.py`)."""
from __future__ import annotations

import datetime as dt
import re

from plandiff.ingest.gazetteer import lookup
from plandiff.ingest.textnorm import collapse_ws, fold

from .citations import make_date
from .header import Header, hfold
from .issuing import read_issuer
from .model import AdminLevel, Metadata, ParentReference
from .parent_refs import attached_decision, normalise_number, read_references

_PLAN_WORD = re.compile(r"^\W*ke hoach\W*$")
# A legal basis, also as a dash point (`- Thực hiện Chỉ thị số 35-CT/TW …`, as Party
# documents list them).
_BASIS = re.compile(r"^(?:[-–+•]\s*)?(can cu|thuc hien|trien khai|theo|xet)\b")
# Kinds of document a body may file in a plan's place, read only where no line says
# `KẾ HOẠCH` (folded; the longer first).
_NAME_GOES_ON = ("-", "–", ",")
_RULE = re.compile(r"^\s*[-_=*.–—]{3,}\s*$")
_OTHER_KINDS = ("chuong trinh", "de an", "phuong an", "bao cao", "huong dan")
# A plan published as a decision's attachment: the decision's `QUYẾT ĐỊNH` (alone on its
# line, upper case) and the `QUYẾT ĐỊNH:` / `Điều 1.` that end its legal bases.
_DECISION_WORD = re.compile(r"^\W*quyet dinh\s*(?:$|ve viec\b|ban hanh\b)")
_DECISION_ARTICLES = re.compile(r"^\W*(?:quyet dinh\s*:|dieu 1\b)")
_MIN_CAPITALS = 6   # `QUYẾT ĐỊNH` in capitals, not a sentence starting with the word
# The `(Ban hành kèm theo Quyết định số …)` note is read this far into the preamble
# when the title took its three lines before it.
_ATTACHMENT_LINES = 2


def extract_metadata(header: list[str], title: list[str], preamble: list[str]) -> Metadata:
    """Metadata from the lines before `KẾ HOẠCH`, the title lines and the legal bases.
    When the plan is a decision's attachment the decision's number and date are kept
    apart (`decision_number`, `decision_issued_on`) and stand in for the plan's own."""
    header, decision = split_decision(header)
    head = Header(header)
    number = head.number
    place, issued_on = None, None
    if head.date:
        day, month, year = head.date
        place, issued_on = head.place, make_date(day, month, year) if day else None
    # The header of a decision document is the decision's; its number is kept as
    # written in `plan_number` (as every plan's is) and normalised in `decision_number`.
    decision_number, decision_on = (number, issued_on) if decision else (None, None)
    decision_number = normalise_number(decision_number) if decision_number else None
    attached = attached_decision(title + preamble[:_ATTACHMENT_LINES])
    attached_issuer = None
    if attached is not None:
        at, attached_number, attached_on, attached_issuer = attached
        title = title[:at] if at < len(title) else title
        decision_number = decision_number or attached_number
        decision_on = decision_on or attached_on
    number, issued_on = number or decision_number, issued_on or decision_on
    issuer = head.issuer or attached_issuer or _issuer_from_preamble(preamble)
    title_text = collapse_ws(" ".join(title)) or None
    issuer = _with_place_name(issuer, title_text)
    level = admin_level(issuer or "", title_text or "")
    return Metadata(title=title_text, plan_number=number, issued_on=issued_on, issuer=issuer,
                    admin_level=level, place=place,
                    references=_references(decision + title + preamble, number, issued_on),
                    decision_number=decision_number, decision_issued_on=decision_on)


def _references(lines: list[str], own_number: str | None,
                own_date: dt.date | None) -> tuple[ParentReference, ...]:
    """The legal bases' references without the plan's (or its decision's) own number.
    Numbers are counted per issuing body, so a parent may share the plan's number: it
    is kept when it carries another date."""
    own = normalise_number(own_number) if own_number else None
    return tuple(r for r in read_references(lines)
                 if r.number != own or r.issued_on not in (None, own_date))


def split_decision(header: list[str]) -> tuple[list[str], list[str]]:
    """A decision's header lines and its title and legal bases (up to `QUYẾT ĐỊNH:`),
    when the lines before the plan's `KẾ HOẠCH` hold the decision that issued it."""
    for i, line in enumerate(header):
        if _DECISION_WORD.match(hfold(line)) and sum(c.isupper() for c in line) >= _MIN_CAPITALS:
            # `QUYẾT ĐỊNH Về việc ban hành …` on one line: the title is the rest of it.
            rest = ([line] if hfold(line).strip() != "quyet dinh" else []) + header[i + 1:]
            end = next((j for j, ln in enumerate(rest) if _DECISION_ARTICLES.match(hfold(ln))),
                       len(rest))
            return header[:i], rest[:end]
    return header, []


def _is_plan_word(line: str) -> bool:
    """`KẾ HOẠCH` alone on its line, also with OCR specks around it (`‘ ~ KẾ HOẠCH ở`)."""
    words = [w for w in re.findall(r"[a-z]+", fold(line)) if len(w) > 1]
    return words == ["ke", "hoach"] and line.upper().count("K") >= 1 and \
        sum(c.isupper() for c in line) >= 6


def split_title(lines: list[str]) -> tuple[list[str], list[str], list[str]]:
    """Split the lines before the first part into header, title and preamble.

    The title follows the document's kind in capitals: `KẾ HOẠCH`, or where no line
    names a plan, another kind a body files (`CHƯƠNG TRÌNH`, `ĐỀ ÁN`, `BÁO CÁO`...), so a
    programme or a report filed in a plan's place still has its header read. A title
    that starts on the kind's own line (`KẾ HOẠCH TRIỂN KHAI … NĂM 2025`) starts there."""
    at = _kind_line(lines)
    if at is None:
        return [], [], lines
    i, first = at
    header, rest = lines[:i], lines[i + 1:]
    title: list[str] = [first] if first else []
    for j, ln in enumerate(rest):
        if _RULE.match(ln):   # the rule drawn under the title ends it
            return header, title, rest[j + 1:]
        if (_BASIS.match(fold(ln)) and not _is_title_line(len(title), ln)) or len(title) >= 3 \
                or _is_issuer_sentence(ln):
            return header, title, rest[j:]
        title.append(ln)
    return header, title, []


def _kind_line(lines: list[str]) -> tuple[int, str] | None:
    """(index, title text on the same line) of the line naming the document's kind."""
    for i, line in enumerate(lines):
        if i and lines[i - 1].rstrip().endswith(_NAME_GOES_ON):
            continue   # `PHÒNG TÀI CHÍNH -` / `KẾ HOẠCH`: an office's name wrapped
        if _PLAN_WORD.match(fold(line)) or _is_plan_word(line):
            return i, ""
        if _names_kind(line, "ke hoach"):
            return i, _after_kind(line, 2)
    for i, line in enumerate(lines):
        for kind in _OTHER_KINDS:
            if _names_kind(line, kind):
                return i, _after_kind(line, len(kind.split()))
    return None


def _names_kind(line: str, kind: str) -> bool:
    """`line` opens with the folded `kind` written in capitals (`KẾ HOẠCH Phòng, chống …`;
    a sentence's `Kế hoạch …` is no kind line)."""
    words = line.split()[: len(kind.split())]
    return fold(" ".join(words)) == kind and all(w.isupper() for w in words)


def _after_kind(line: str, n_words: int) -> str:
    """The text of `line` after its first `n_words` words."""
    return " ".join(line.split()[n_words:])


def _is_title_line(index: int, line: str) -> bool:
    """The line under `KẾ HOẠCH` is the title even when it opens with a basis verb
    (`Thực hiện công tác dân vận …`, `Triển khai thực hiện Kế hoạch số …`), unless it
    reads as a basis sentence going on (`…;`, `…,`)."""
    return index == 0 and not line.rstrip().endswith((";", ",", ":"))


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
    # `ban hàn £ noạcu`: a stamp or a faint line took the last letter of `hành`.
    r"\s+(?:ban h[àa]\w{0,2}\b|xây dựng)"
)


def _issuer_from_preamble(preamble: list[str]) -> str | None:
    # The lines are read as one text: a hard-wrapped copy breaks the issuing sentence
    # anywhere (`… Chủ tịch Ủy ban nhân` / `dân xã ban hành …`), and the clean copy's one
    # long line must give the same name as the wrapped copy's several.
    text = collapse_ws(" ".join(preamble))
    # The issuing sentence comes last; "... của Chủ tịch UBND tỉnh ban hành" cites another body.
    for m in reversed(list(_PREAMBLE_ISSUER.finditer(text))):
        if not fold(text[max(0, m.start() - 5): m.start()]).strip().endswith("cua"):
            return collapse_ws(m.group(1))
    # Not as written: a scan may have damaged its letters (`U8ND xã … bau hành`).
    return read_issuer(text)


_CITY = re.compile(r"\bthanh pho((?: [a-z]+){1,4})")
_COMMUNE = re.compile(r"\b(?:xa|phuong|thi tran|dac khu)\b(?! hoi)")
# `quận`, never `cơ quan`, `quản lý`, `quan tâm`...
_DISTRICT = re.compile(r"\b(?:huyen|thi xa)\b|(?<!co )\bquan\b(?! (?:ly|tam|diem|he|trong|sat)\b)")
# A specialised agency or office of a province's committee, named first (`SỞ NỘI VỤ UBND
# TỈNH …`, `TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG UBND TỈNH …`, `BAN DÂN TỘC …`), or the
# title's `… của Sở …`. A steering committee, a council or the Front is the province's own
# body, not a department; the same units of a commune or a district are of that level.
_DEPARTMENT_CITED = re.compile(r"\bcua so [a-z]")
_DEPARTMENT = re.compile(r"^(?:so|van phong|trung tam|thanh tra|chi cuc|ban dan toc|ban quan ly) [a-z]|"
                         + _DEPARTMENT_CITED.pattern)


def _city_level(words: list[str]) -> AdminLevel:
    """A city governed by the centre (`THÀNH PHỐ HUẾ`, `Đà Nẵng`) is a province; a
    province's city (before July 2025: `thành phố Quảng Ngãi`) was a district."""
    for n in range(len(words), 0, -1):
        if any(p.level == "thành phố" and p.province == p.name for p in lookup(" ".join(words[:n]))):
            return AdminLevel.PROVINCE
    return AdminLevel.DISTRICT


def admin_level(issuer: str, title: str) -> AdminLevel:
    for text, named_first in ((issuer, True), (title, False)):
        level = _level_of(fold(text).replace("chuyen doi so", " "), named_first)
        if level is not AdminLevel.UNKNOWN:
            return level
    return AdminLevel.UNKNOWN


def _level_of(f: str, named_first: bool = True) -> AdminLevel:
    """The level a name or a title states. An agency is a department only where it is the
    name's first words (`SỞ NỘI VỤ …`); a title that opens `Số hóa …` or `Thanh tra …`
    names none, though `… của Sở …` does."""
    if _COMMUNE.search(f):
        return AdminLevel.COMMUNE
    if _DISTRICT.search(f):
        return AdminLevel.DISTRICT
    city = _CITY.search(f)
    city_level = _city_level(city.group(1).split()) if city else None
    if city_level is AdminLevel.DISTRICT:
        return city_level
    if (_DEPARTMENT if named_first else _DEPARTMENT_CITED).search(f):
        return AdminLevel.DEPARTMENT
    if city_level is not None:
        return city_level
    if re.search(r"\btinh\b", f):
        return AdminLevel.PROVINCE
    return AdminLevel.UNKNOWN
