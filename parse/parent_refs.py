"""The documents a plan names among its legal bases, and which of them it implements.

Plans open with their legal bases in several forms: sentences (`Thực hiện Kế hoạch số
82/KH-UBND …`, `Căn cứ …`, `Triển khai …`, `Thực hiện chỉ đạo của Chủ tịch UBND tỉnh
tại Công văn số …`), the title itself (`Triển khai thực hiện Kế hoạch số …`), a
numbered section (`I. CĂN CỨ XÂY DỰNG KẾ HOẠCH` / `7. Kế hoạch số 370/KH-UBND …`),
or the bases of the decision that issued the plan as its attachment.

Each reference is read from a number shaped like a document number (digits, `/` or
`-`, an upper-case code), then the kind word written before it (or, when OCR spoiled
the word, the kind its code names), the date and the issuer after it. A reference is
`implements` when it names a plan at the top level of a basis: a `Kế hoạch`, or a
`Quyết định` that issued or approved a plan (the decision's number then stands for
the plan). References named inside another's description (`… về thực hiện Chỉ thị
số …`) and every other kind are `basis`.

All matching is done on a folded copy of the text (lower case, no marks, `Ð` read as
`Đ`) that has one character per character of the NFC text, so what is found there is
cut from the text as written.
"""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from plandiff.ingest.textnorm import collapse_ws, nfc

from .citations import make_date
from .header import canonical_code, hfold
from .model import Item, Metadata, ParentReference, ReferenceRole

KE_HOACH = "Kế hoạch"
QUYET_DINH = "Quyết định"
CONG_VAN = "Công văn"

# Folded kind word -> the kind as written in the model.
_KIND_WORDS = {
    "ke hoach": KE_HOACH, "quyet dinh": QUYET_DINH, "nghi quyet": "Nghị quyết",
    "chi thi": "Chỉ thị", "cong van": CONG_VAN, "thong bao": "Thông báo",
    "nghi dinh": "Nghị định", "thong tu": "Thông tư", "huong dan": "Hướng dẫn",
    "ket luan": "Kết luận", "to trinh": "Tờ trình", "cong dien": "Công điện",
    "luat": "Luật", "de an": "Đề án", "chuong trinh": "Chương trình", "van ban": "Văn bản",
}
# The first code of a number names its kind (`82/KH-UBND`, `05-CT/TU`); used when the
# word before the number is missing or spoilt. A code naming a body (`2345/UBND-NV`)
# is a letter's (`Công văn`).
_KIND_CODES = {
    "KH": KE_HOACH, "QĐ": QUYET_DINH, "NQ": "Nghị quyết", "CT": "Chỉ thị",
    "TB": "Thông báo", "NĐ": "Nghị định", "TT": "Thông tư", "HD": "Hướng dẫn",
    "KL": "Kết luận", "TTr": "Tờ trình", "CĐ": "Công điện",
}
# Digits OCR reads as letters inside the number part (`37O`, `1O5`, `l02`, `8Z`, `1S`):
# after a true digit anywhere; first only before one (`B2`, `O5`), and such a number is
# taken only after a kind word or `số` (`_LETTER_FIRST`), so words are never numbers.
_DIGIT_LOOKALIKES = str.maketrans({"O": "0", "o": "0", "l": "1", "I": "1", "Z": "2", "S": "5", "B": "8"})
_LETTER_FIRST = re.compile(r"[A-Za-z]")

# A document number as written: `370/KH-UBND`, `37O /KH- UBND`, `61/2018/NĐ-CP`,
# `05-CT/TU`, `97a/QĐ-UBND`, `82 KH-UBND` (a slash OCR lost, before a kind code and
# its dash only). Code tokens are short upper-case words (one lower-case letter
# allowed: `TTg`, `TTr`) so the text after the number is never taken in.
_CODE_TOKEN = r"[A-ZĐÐ][A-ZĐÐ0-9]*[a-z]?[A-ZĐÐ0-9]*(?!\w)"
_NUMBER = re.compile(
    r"(?<![\w/])(?P<num>(?:\d[\dOolIZSB]{0,4}|[BSZOlI]\d[\dOolIZSB]{0,3})[a-z]?)(?!\w)"
    r"(?P<year>\s*/\s*(?:19|20)\d\d)?"
    r"(?:\s*(?P<sep>[/\-–])\s*|(?P<lost>\s+)(?=(?:KH|QĐ|QD|NQ|CT|KL|TB|CV)\s*[\-–]))"
    rf"(?P<code>{_CODE_TOKEN}(?:\s*[\-–/]\s*{_CODE_TOKEN}){{0,3}})"
)
# Folded patterns, read at the end of the text before a number.
_KIND_BEFORE = re.compile(
    r"(?P<kind>" + "|".join(sorted(_KIND_WORDS, key=len, reverse=True)) + r")"
    r"\s*(?:s[o6]\b\.?)?\s*:?\s*$")
_NUMBER_WORD_BEFORE = re.compile(r"\bs[o6]\s*:?\s*$")
# `Số: 25/KH-UBND` with no kind word is a header's own number (a header the title
# split did not set apart), not a reference.
_OWN_NUMBER_BEFORE = re.compile(r"(?:^|\s)s[o6]\s*:\s*$")
_ATTACHED_BEFORE = re.compile(r"\bkem theo\s+\S+\s+\S+\s*(?:s[o6])?\s*:?\s*$")
# `Thực hiện Kế hoạch … ban hành kèm theo Quyết định số …`: the decision that issued the
# plan a basis names, not the decision that issued this plan.
_BASIS_PLAN_BEFORE = re.compile(r"\b(?:thuc hien|can cu|trien khai|theo)\b.*\bke hoach\b.*\bkem theo\b")
# `chỉ đạo của X tại Công văn số …`, `đề nghị của X tại Tờ trình số …`: X issued it.
_ISSUER_BEFORE = re.compile(r"(?:chi dao|de nghi|y kien)\s+cua\s+(?P<who>.+?)\s+tai\s*$")
# A document this plan replaces or repeals is a basis, never the plan it implements.
_SUPERSEDED_BEFORE = re.compile(r"\b(?:thay the|bai bo|het hieu luc)\s*(?:cho)?\s*$")
# Headings of a legal-basis part: `CĂN CỨ XÂY DỰNG KẾ HOẠCH`, `CĂN CỨ PHÁP LÝ`, `CƠ SỞ PHÁP LÝ`.
_BASIS_HEADING = re.compile(
    r"^\W*(?:can cu|co so (?:phap ly|xay dung))\b|\b(?:can cu|co so) (?:phap ly|xay dung)\b")
# What may stand between two references of one list (`…, Kế hoạch số …`, `… và …`).
_LIST_JOIN = re.compile(r"(?:[,;]|\bva)\s*(?:can cu|thuc hien|trien khai(?: thuc hien)?|theo)?\s*$")
# Folded patterns, read at the start of the text after a number.
_DATE_AFTER = re.compile(
    r"^\s*,?\s*nga[yv]\s*:?\s*(?:(?P<d>[\do]{1,2})\s*[/.-]\s*(?P<m>[\do]{1,2})\s*[/.-]\s*(?P<y>[\do]{4})"
    r"|(?P<wd>\d{1,2})\s+thang\s+(?P<wm>\d{1,2})\s+nam\s+(?P<wy>\d{4}))")
_OF = re.compile(r"^\s*,?\s*(?:cua|ciia|cta|ctia|cia)\s+")
# Where an issuer's name ends: the subject of the document, a verb, a clause mark.
_ISSUER_END = re.compile(
    r"\s(?:ve|ban hanh|phe duyet|tai|thuc hien|trien khai|khoa|huong dan|giao|quy dinh|"
    r"ngay|v/v)\b|[;.():\"“”]|\s-\s")
# After a comma an issuer's name goes on only with a capitalised word that does not
# start a new clause (`Sở Văn hóa, Thể thao và Du lịch` is one name).
_CLAUSE_WORD = re.compile(
    r"(?:ngày|UBND|Ủy|Uỷ|Sở|Phòng|Chủ|Văn phòng|Ban|Trung tâm|HĐND|Hội đồng|Đảng|"
    + "|".join(_KIND_WORDS.values()) + r")\b")
_MAX_ISSUER_WORDS = 12
# A decision whose subject is a plan issues (or approves) that plan.
_ISSUES_PLAN = re.compile(r"\b(?:ban hanh|phe duyet)\s+(?:kem theo\s+)?ke hoach\b")
# Starts of a new basis inside a run of lines: a basis verb or a list mark at a line start.
_CLAUSE_START = re.compile(
    r"^\s*(?:[-+•]\s|\d{1,2}[.)]\s|[a-zđ]\)\s|can cu\b|thuc hien\b|trien khai\b|xet de nghi\b|"
    r"theo de nghi\b)")
_CLAUSE_MARK = re.compile(r";|\.\s+")
# An upper-case heading line: this share of its letters capitals, and long enough that
# a short code line (`UBND`) is not one.
_CAPS_SHARE = 0.8
_MIN_CAPS_LETTERS = 8
# How far before a number its kind word and other clues are looked for.
_PREFIX_CHARS = 160
_RAW_CHARS = 300


def normalise_number(raw: str) -> str:
    """`37O /KH- UBNĐ` -> `370/KH-UBND`; `67-KH-UBND` -> `67/KH-UBND`; party numbers
    (`05-CT/TU`) keep their dash."""
    m = _NUMBER.fullmatch(raw.strip())
    if m is None:
        return re.sub(r"\s+", "", raw)
    num = m.group("num").translate(_DIGIT_LOOKALIKES)
    year = re.sub(r"\s+", "", m.group("year") or "")
    tokens = re.split(r"\s*[\-–/]\s*", m.group("code"))
    seps = re.findall(r"[\-–/]", m.group("code"))
    sep = "/" if m.group("sep") == "/" else "-"   # a lost separator is a slash (below)
    # `67-KH-UBND` is a slip for the government form `67/KH-UBND`; a party number
    # (`05-CT/TU`) has its `/` after the kind code.
    if sep == "-" and "/" not in seps:
        sep = "/"
    code = canonical_code(tokens[0])
    for s, token in zip(seps, tokens[1:], strict=True):
        code += ("/" if s == "/" else "-") + canonical_code(token)
    return f"{num}{year}{sep}{code}"


@dataclass(frozen=True)
class _Found:
    """One number read in a clause, before its role is decided."""

    kind: str
    number: str
    issued_on: dt.date | None
    issuer: str | None
    raw: str
    top_level: bool
    issues_plan: bool


def read_references(lines: Sequence[str]) -> tuple[ParentReference, ...]:
    """The references in legal-basis lines (title, preamble, a basis section), ordered
    as `Metadata.references` holds them."""
    found: list[_Found] = []
    for clause in _clauses(lines):
        found += _read_clause(clause)
    return order_references(tuple(_as_reference(f) for f in found))


def order_references(refs: Sequence[ParentReference]) -> tuple[ParentReference, ...]:
    """The implemented plans first, then the other bases, each in the order written
    (the order the hand-checked gold of the sample plans keeps), each document once:
    named twice, as implemented where it is so once."""
    ranked = sorted(refs, key=lambda ref: ref.role is not ReferenceRole.IMPLEMENTS)
    seen: set[tuple[str, str]] = set()
    unique = []
    for ref in ranked:
        key = (ref.kind, ref.number.upper())
        if key not in seen:
            seen.add(key)
            unique.append(ref)
    return tuple(unique)


def attached_decision(lines: Sequence[str]) -> tuple[int, str, dt.date | None, str | None] | None:
    """`(Ban hành kèm theo Quyết định số 58/QĐ-UBND ngày 16/01/2024 của UBND xã …)`,
    also without its brackets: the index of its first line, and the decision's number,
    date and issuer."""
    for i, line in enumerate(lines):
        if not hfold(nfc(line)).lstrip(" (").startswith(("ban hanh kem theo", "kem theo")):
            continue
        text = nfc(" ".join(lines[i:i + 3]))
        for m in _NUMBER.finditer(text):
            date, after = _date_after(text, m.end())
            return i, normalise_number(m.group(0)), date, _issuer_after(text, after)
    return None


def section_references(meta: Metadata, items: Sequence[Item]) -> Metadata:
    """`meta` with the references of a numbered legal-basis part (`I. CĂN CỨ XÂY DỰNG
    KẾ HOẠCH`, `I. CƠ SỞ PHÁP LÝ`) added: the part opens the outline, so the preamble
    that `extract_metadata` reads does not hold it."""
    lines: list[str] = []
    inside = False
    for item in items:
        if item.parent_id is None:
            inside = bool(_BASIS_HEADING.search(hfold(item.heading)))
            if inside:
                continue
        if inside:
            lines.append(f"{item.label} {item.full_text}".strip())
    if not lines:
        return meta
    refs = order_references(meta.references + read_references(lines))
    return replace(meta, references=refs)


def _clauses(lines: Sequence[str]) -> list[str]:
    """Legal-basis lines as clauses: a basis verb or list mark at a line start, `;` and
    a sentence end start a new one; a number broken at the line end is rejoined."""
    runs: list[str] = []
    caps_before = False
    for line in lines:
        line = nfc(line).strip()
        if not line:
            continue
        # Upper-case lines (`CHỦ TỊCH ỦY BAN NHÂN DÂN HUYỆN` over a decision's bases, a
        # title in capitals) run on only into each other: no sentence crosses the change.
        caps = _is_caps(line)
        if runs and caps == caps_before and not _CLAUSE_START.match(hfold(line)):
            glue = "" if runs[-1].endswith(("-", "/")) else " "
            runs[-1] += glue + line
        else:
            runs.append(line)
        caps_before = caps
    clauses = []
    for run in runs:
        text, start = collapse_ws(run), 0
        for mark in _CLAUSE_MARK.finditer(text):
            # A period ends a sentence only before a capital (`17/4/2025. Ủy ban …`).
            if mark.group() == ";" or text[mark.end():mark.end() + 1].isupper():
                clauses.append(text[start:mark.start()])
                start = mark.end()
        clauses.append(text[start:])
    return [c for c in clauses if c.strip()]


def _is_caps(line: str) -> bool:
    letters = [c for c in line if c.isalpha()]
    return len(letters) >= _MIN_CAPS_LETTERS and \
        sum(c.isupper() for c in letters) >= _CAPS_SHARE * len(letters)


def _read_clause(clause: str) -> list[_Found]:
    folded = hfold(clause).replace("&", "e")   # `K& hoach`: OCR for `Kế hoạch`
    out: list[_Found] = []
    previous_end = 0
    for m in _NUMBER.finditer(clause):
        prefix = folded[max(previous_end, m.start() - _PREFIX_CHARS): m.start()]
        issues_basis_plan = bool(_ATTACHED_BEFORE.search(prefix)) and bool(_BASIS_PLAN_BEFORE.search(prefix))
        if _ATTACHED_BEFORE.search(prefix) and not issues_basis_plan:
            continue   # the plan's own decision, not a basis
        number = normalise_number(m.group(0))
        kind_word = _KIND_BEFORE.search(prefix)
        if kind_word is None and _OWN_NUMBER_BEFORE.search(prefix):
            continue
        if _LETTER_FIRST.match(m.group("num")) and kind_word is None and not _NUMBER_WORD_BEFORE.search(prefix):
            continue   # `B2/…` is a number only where a kind word or `số` announces one
        kind = _KIND_WORDS[kind_word.group("kind")] if kind_word else _kind_of_code(number)
        if kind is None and not _NUMBER_WORD_BEFORE.search(prefix):
            continue
        kind = kind or CONG_VAN
        lead = prefix[: kind_word.start()] if kind_word else prefix
        top_level = (not out or bool(_LIST_JOIN.search(lead))) \
            and not _SUPERSEDED_BEFORE.search(lead)
        date, after = _date_after(clause, m.end())
        issuer = _issuer_after(clause, after) or _issuer_before(clause, m.start() - len(prefix), lead)
        nxt = _NUMBER.search(clause, m.end())
        description = folded[after: nxt.start() if nxt else len(clause)]
        start = m.start() - (len(prefix) - kind_word.start() if kind_word else 0)
        out.append(_Found(
            kind=kind, number=number, issued_on=date, issuer=issuer,
            raw=_raw(clause, start, nxt.start() if nxt else len(clause)), top_level=top_level,
            issues_plan=kind == QUYET_DINH and (issues_basis_plan or bool(_ISSUES_PLAN.search(description)))))
        previous_end = m.end()
    return out


def _raw(clause: str, start: int, next_number: int) -> str:
    """The reference as written: up to the kind word of the next one in the clause."""
    text = clause[start: min(next_number, start + _RAW_CHARS)]
    kind_word = _KIND_BEFORE.search(hfold(text)) if next_number < len(clause) else None
    return (text[: kind_word.start()] if kind_word else text).strip(" ,;")


def _as_reference(found: _Found) -> ParentReference:
    plan = found.kind == KE_HOACH or found.issues_plan
    role = ReferenceRole.IMPLEMENTS if plan and found.top_level else ReferenceRole.BASIS
    return ParentReference(kind=found.kind, number=found.number, issued_on=found.issued_on,
                           issuer=found.issuer, role=role, raw=found.raw)


def _kind_of_code(number: str) -> str | None:
    """The kind the first code of a normalised number names (`61/2018/NĐ-CP` -> Nghị định)."""
    codes = [t for t in re.split(r"[/\-]", number)[1:] if t and not t.isdigit()]
    if not codes:
        return None
    if codes[0].startswith("QH"):   # the National Assembly's laws: `80/2015/QH13`
        return "Luật"
    return _KIND_CODES.get(codes[0])


def _date_after(text: str, at: int) -> tuple[dt.date | None, int]:
    """The date written right after a number, and where the text after it starts."""
    m = _DATE_AFTER.match(hfold(text[at:]))
    if not m:
        return None, at
    if m.group("d"):
        day, month, year = (int(m.group(g).replace("o", "0")) for g in ("d", "m", "y"))
    else:
        day, month, year = (int(m.group(g)) for g in ("wd", "wm", "wy"))
    return make_date(day, month, year), at + m.end()


def _issuer_after(text: str, at: int) -> str | None:
    """`của Chủ tịch UBND tỉnh về …` -> `Chủ tịch UBND tỉnh`."""
    rest = text[at:]
    folded = hfold(rest)
    m = _OF.match(folded)
    if not m:
        return None
    stop = _ISSUER_END.search(folded, m.end())
    limit = stop.start() if stop else len(rest)
    comma = folded.find(",", m.end(), limit)
    while comma != -1:
        word = rest[comma + 1:].lstrip()
        if not word or word[0].islower() or _CLAUSE_WORD.match(word):
            limit = comma
            break
        comma = folded.find(",", comma + 1, limit)   # a comma inside the name
    return _name(rest[m.end(): limit])


def _issuer_before(text: str, offset: int, lead: str) -> str | None:
    """`chỉ đạo của Chủ tịch UBND tỉnh tại Công văn số …` -> `Chủ tịch UBND tỉnh`."""
    m = _ISSUER_BEFORE.search(lead)
    if not m:
        return None
    return _name(text[offset + m.start("who"): offset + m.end("who")])


def _name(text: str) -> str | None:
    who = collapse_ws(text).strip(" ,")
    return who if 0 < len(who.split()) <= _MAX_ISSUER_WORDS else None
