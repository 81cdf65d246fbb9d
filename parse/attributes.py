"""Task attribute lines: lead, partners, timeline, frequency."""
from __future__ import annotations

import re
from dataclasses import dataclass

from plandiff.ingest.textnorm import fold

# Matched against folded text, so OCR text without diacritics works too.
_ATTRIBUTE = re.compile(
    r"^[-–+•*]?\s*(?P<key>"
    r"(?:co quan|don vi|to chuc|bo phan)?\s*(?:chu tri|phoi hop)(?:\s+thuc hien)?"
    r"|to chuc thuc hien|co quan thuc hien|don vi thuc hien|co quan chi dao"
    r"|thoi gian(?:\s+thuc hien|\s+hoan thanh)?|tan suat"
    r")\s*:\s*(?P<value>.*)$"
)

_AGENCY_START = re.compile(
    r"^(?:phong|so|van phong|trung tam|ubnd|uy ban|dai|ban|hoi|doan|cong an|bao|buu dien|"
    r"viettel|vnpt|mat tran|chi cuc|truong|cac|cong ty|ngan hang|kho bac|thanh tra|quan su|"
    r"chi nhanh|bo phan|to|nha|thuong truc|hdnd|huyen|xa|tinh|lien doan|uy ban mat tran)\b"
)


@dataclass(frozen=True)
class Attribute:
    field: str   # lead | partners | timeline | frequency
    value: str


def read_attribute(line: str) -> Attribute | None:
    """Parse `- Cơ quan chủ trì: Phòng Văn hóa` style lines."""
    folded = fold(line)
    if len(folded) != len(line):
        return _read_attribute_slow(line)
    m = _ATTRIBUTE.match(folded)
    if not m:
        return None
    value = line[m.start("value"):].strip()
    return Attribute(_field_of(m.group("key")), value)


def _read_attribute_slow(line: str) -> Attribute | None:
    m = _ATTRIBUTE.match(fold(line))
    if not m:
        return None
    value = line.split(":", 1)[1].strip() if ":" in line else ""
    return Attribute(_field_of(m.group("key")), value)


def _field_of(key: str) -> str:
    if "phoi hop" in key:
        return "partners"
    if key.startswith("thoi gian"):
        return "timeline"
    if key == "tan suat":
        return "frequency"
    return "lead"


def clean_value(value: str) -> str:
    return re.sub(r"\s+", " ", value).strip().rstrip(".;,").strip()


def split_agencies(value: str) -> tuple[str, ...]:
    """Split a partner list into agencies.

    `;` always separates; `,` separates only when the next piece starts like
    an agency name, so `Các cơ quan, đơn vị liên quan` and
    `Phòng Văn hóa, Khoa học và Thông tin` stay whole.
    """
    out: list[str] = []
    for chunk in clean_value(value).split(";"):
        pieces = [p.strip() for p in chunk.split(",")]
        current = ""
        for piece in pieces:
            if not piece:
                continue
            if current and _AGENCY_START.match(fold(piece)) and not _continues_group(current, piece):
                out.append(current)
                current = piece
            else:
                current = f"{current}, {piece}" if current else piece
        if current:
            out.append(current)
    return tuple(clean_value(a) for a in out if clean_value(a))


def _continues_group(current: str, piece: str) -> bool:
    # "các cơ quan, đơn vị, địa phương": a generic group keeps its list together.
    return fold(current).startswith("cac ") and not fold(piece).startswith("cac ")
