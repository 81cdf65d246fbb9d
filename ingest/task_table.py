"""A plan's task table written out as the outline text the parser reads.

Plans often list their tasks in a table (usually an appendix): `STT | Nội dung nhiệm vụ |
Cơ quan chủ trì | Cơ quan phối hợp | Thời gian thực hiện | Sản phẩm`. Read column after
column, as a header table is, its rows come apart: every number, then every task, then
every lead. Read row by row, each row becomes what a plan written in prose says:

    1. Số hóa hồ sơ thủ tục hành chính.
    - Cơ quan chủ trì: Văn phòng HĐND và UBND xã
    - Thời gian thực hiện: Quý II/2026

A table is a task table when one of its first rows names a task column (`Nội dung`,
`Nhiệm vụ`, `Hoạt động`...) and at least one attribute column (`chủ trì`, `phối hợp`,
`thời gian`, `tần suất`). Header rows may be two (`Cơ quan thực hiện` over `Chủ trì` |
`Phối hợp`); a row of column numbers (`(1) (2) (3)`) under them is skipped.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .textnorm import collapse_ws, fold

# A cell is a list of paragraphs; a row a list of cells (one per grid column).
Cell = list[str]

_CONTENT = re.compile(r"\b(?:noi dung|nhiem vu|hoat dong|cong viec|ten (?:de an|chuong trinh|du an))\b")
_NUMBER = re.compile(r"^(?:stt|tt|so tt|so thu tu)$")
# Column roles in the order they are tried: `Cơ quan thực hiện / Phối hợp` is partners.
_ROLES = (
    ("partners", re.compile(r"\bphoi hop\b")),
    ("lead", re.compile(r"\bchu tri\b|\b(?:co quan|don vi)\b.*\bthuc hien\b|^thuc hien$")),
    ("timeline", re.compile(r"\bthoi (?:gian|han)\b|\btien do\b")),
    ("frequency", re.compile(r"\btan suat\b")),
    ("product", re.compile(r"\bsan pham\b|\bket qua\b")),
    ("funding", re.compile(r"\bkinh phi\b|\bnguon von\b")),
    ("target", re.compile(r"\bchi tieu\b")),
    ("note", re.compile(r"\bghi chu\b")),
)
# How each role is written out: keys the parser's attribute reader knows.
KEYS = {"lead": "Cơ quan chủ trì", "partners": "Cơ quan phối hợp", "timeline": "Thời gian thực hiện",
        "frequency": "Tần suất", "product": "Sản phẩm", "funding": "Kinh phí", "target": "Chỉ tiêu",
        "note": "Ghi chú"}
_ATTRIBUTE_ROLES = {"lead", "partners", "timeline", "frequency"}
HEADER_ROWS = 3          # the header is looked for in this many first rows
_COLUMN_NUMBERS = re.compile(r"^\(?\d{1,2}\)?$")
_TOTAL = re.compile(r"^\W*(?:tong cong|tong so|cong|tong)\W*$")
_BULLET = re.compile(r"^[-–+•*]\s*")
_ROMAN = re.compile(r"^[IVXLC]+\.?$")
_DECIMAL = re.compile(r"^\d{1,3}(?:\.\d{1,3})*\.?$")
_LETTER = re.compile(r"^[a-zđ][.)]?$")
_UPPER_LETTER = re.compile(r"^[A-Z]\.?$")


@dataclass(frozen=True)
class TaskTable:
    """A task table read: its outline lines, and its columns' roles and count, so that
    the part of it on the next page, without its header, can be read the same way."""

    lines: list[str]
    roles: dict[int, str]
    width: int


def task_table_lines(rows: list[list[Cell]]) -> list[str] | None:
    """The table written out row by row as outline text, or None when it is no task table."""
    table = read_task_table(rows)
    return table.lines if table is not None else None


def read_task_table(rows: list[list[Cell]], continued: TaskTable | None = None) -> TaskTable | None:
    """The table read as a task table; or, with no header of its own, as the rest of
    `continued` (the same table on the page before) when it has as many columns."""
    if not rows:
        return None
    width = max(len(r) for r in rows)
    found = _header(rows)
    if found is None and continued is not None and width == continued.width:
        found = continued.roles, 0
    if found is None:
        return None
    roles, first_data = found
    lines: list[str] = []
    for row in rows[first_data:]:
        if all(_COLUMN_NUMBERS.match(" ".join(c).strip() or "x") for c in row):
            continue   # `(1) (2) (3) …` under the header
        lines.extend(_row_lines(row, roles))
    return TaskTable(lines, roles, width)


def _header(rows: list[list[Cell]]) -> tuple[dict[int, str], int] | None:
    """Column roles and the first data row, from a header of one row or two (a row of
    sub-headings under it: `Chủ trì` | `Phối hợp` under `Cơ quan thực hiện`)."""
    for start in range(min(HEADER_ROWS, len(rows))):
        roles = _roles(_texts(rows[start:start + 1]))
        if "content" not in roles.values():
            continue
        if start + 1 < len(rows) and _is_subheading_row(rows[start + 1]):
            deeper = _roles(_texts(rows[start:start + 2]))
            if _ATTRIBUTE_ROLES & set(deeper.values()):
                return deeper, start + 2
        if _ATTRIBUTE_ROLES & set(roles.values()):
            return roles, start + 1
    return None


def _texts(rows: list[list[Cell]]) -> list[str]:
    """Each column's header text, folded, its rows joined (a cell merged down over both
    rows counted once)."""
    width = max(len(r) for r in rows)
    out = []
    for i in range(width):
        parts: list[str] = []
        for r in rows:
            text = fold(collapse_ws(" ".join(r[i]))) if i < len(r) else ""
            if text and text not in parts:
                parts.append(text)
        out.append(" ".join(parts))
    return out


def _is_subheading_row(row: list[Cell]) -> bool:
    texts = [fold(collapse_ws(" ".join(c))) for c in row]
    return all(len(t) <= 40 for t in texts) and \
        any(pattern.search(t) for t in texts for _, pattern in _ROLES) and \
        not any(_DECIMAL.match(t) for t in texts if t)


def _roles(texts: list[str]) -> dict[int, str]:
    roles: dict[int, str] = {}
    for i, text in enumerate(texts):
        if _NUMBER.match(text):
            roles[i] = "number"
        elif _CONTENT.search(text) and "content" not in roles.values():
            roles[i] = "content"
        else:
            role = next((name for name, pattern in _ROLES if pattern.search(text)), None)
            if role is not None and role not in roles.values():
                roles[i] = role
    return roles


def _row_lines(row: list[Cell], roles: dict[int, str]) -> list[str]:
    cells = {role: [p.strip() for p in row[i] if p.strip()] if i < len(row) else []
             for i, role in roles.items()}
    content = cells.get("content", [])
    if not content or _TOTAL.match(fold(content[0])):
        return []   # a row of totals (`Tổng cộng`) states no task
    number = " ".join(cells.get("number", [])).strip()
    text, bullets = _content(content)
    label = _label(number)
    first = f"{label} {text}" if label else (text if _BULLET.match(text) else f"- {text}")
    out = [first]
    for role, key in KEYS.items():
        value = collapse_ws("; ".join(cells.get(role, [])) if role == "partners"
                            else " ".join(cells.get(role, [])))
        if value:
            out.append(f"- {key}: {value}")
    return out + bullets


def _content(paragraphs: list[str]) -> tuple[str, list[str]]:
    """The task's text (its paragraphs that are no bullet points, joined) and its bullets."""
    text = [paragraphs[0]]
    bullets: list[str] = []
    for p in paragraphs[1:]:
        (bullets if _BULLET.match(p) else text).append(p)
    return collapse_ws(" ".join(text)), bullets


def _label(number: str) -> str:
    """The number cell as an outline label: `1` -> `1.`, `II` -> `II.`, `a` -> `a)`."""
    if not number:
        return ""
    if _ROMAN.match(number) or _UPPER_LETTER.match(number) or _DECIMAL.match(number):
        return number if number.endswith(".") else number + "."
    if _LETTER.match(number):
        return number[0] + ")"
    return number
