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
    r"|thoi gian(?:\s+thuc hien|\s+hoan thanh)?|tan suat(?:\s+thuc hien)?"
    r"|thoi han(?:\s+hoan thanh|\s+thuc hien)?|tien do(?:\s+thuc hien|\s+hoan thanh)?"
    r")\s*[:;]\s*(?P<value>.*)$"   # `;`: the colon as a faint scan's OCR reads it
)
# What else a plan states of a task on lines of its own, as a task table's columns do:
# its product or result, its funding, a target, a note. Read so that such a line is not
# taken for an item of its own (nor the lead or timeline after it for that item's), and
# not compared: the reviewer reads it in the task's text span.
_DESCRIPTIVE = re.compile(
    r"^[-–+•*]?\s*(?P<key>"
    r"(?:ket qua|san pham)(?:\s*(?:/|,|va)\s*(?:ket qua|san pham))?(?:\s+dau ra)?"
    r"|(?:nguon\s+|du toan\s+)?kinh phi(?:\s+thuc hien)?|nguon von|ghi chu|chi tieu"
    r")\s*:\s*(?P<value>.*)$"
)
DESCRIPTIVE_FIELDS = frozenset({"product", "funding", "target", "note"})

_AGENCY_START = re.compile(
    r"^(?:phong|so|van phong|trung tam|ubnd|uy ban|dai|ban|hoi|doan|cong an|bao|buu dien|"
    r"viettel|vnpt|mat tran|chi cuc|truong|cac|cong ty|ngan hang|kho bac|thanh tra|quan su|"
    r"chi nhanh|bo phan|to|nha|thuong truc|hdnd|huyen|xa|tinh|lien doan|uy ban mat tran|"
    r"doi|cong doan|chi bo|dang uy|hieu truong|tram|benh vien|khu|hat|cuc)\b"
)


# Attribute keys as written in plans (folded), for keys that OCR damaged
# ("Pon vi chu tri", "Thoi gian thyc hien"): the closest one wins.
_KNOWN_KEYS = {
    "co quan chu tri": "lead", "don vi chu tri": "lead", "co quan chu tri thuc hien": "lead",
    "don vi chu tri thuc hien": "lead", "co quan thuc hien": "lead", "don vi thuc hien": "lead",
    "to chuc thuc hien": "lead", "co quan phoi hop": "partners", "don vi phoi hop": "partners",
    "co quan phoi hop thuc hien": "partners", "thoi gian thuc hien": "timeline",
    "thoi gian": "timeline", "thoi gian hoan thanh": "timeline", "tan suat": "frequency",
    "thoi han hoan thanh": "timeline", "tien do thuc hien": "timeline",
    "tan suat thuc hien": "frequency",
    "co quan chi dao": "directing",
}
_BULLET = re.compile(r"^\s*([-–+•*])\s*")


@dataclass(frozen=True)
class Attribute:
    field: str   # lead | partners | timeline | frequency | directing | one of DESCRIPTIVE_FIELDS
    value: str
    bullet: str = ""  # the bullet written before the key, if any


def read_attribute(line: str) -> Attribute | None:
    """Parse `- Cơ quan chủ trì: Phòng Văn hóa` style lines."""
    bullet_match = _BULLET.match(line)
    bullet = bullet_match.group(1) if bullet_match else ""
    folded = fold(line)
    m = _ATTRIBUTE.match(folded)
    if m:
        # Folding keeps offsets only when it kept the length.
        value = (line[m.start("value"):] if len(folded) == len(line)
                 else re.split(r"[:;]", line, maxsplit=1)[1]).strip()
        return Attribute(_field_of(m.group("key")), value, bullet)
    if d := _DESCRIPTIVE.match(folded):
        value = (line[d.start("value"):] if len(folded) == len(line) else line.split(":", 1)[1]).strip()
        return Attribute(_descriptive_field(d.group("key")), value, bullet)
    return _read_damaged_key(line, folded, bullet)


def _descriptive_field(key: str) -> str:
    if "kinh phi" in key or "nguon von" in key:
        return "funding"
    if key == "chi tieu":
        return "target"
    if key == "ghi chu":
        return "note"
    return "product"


def _read_damaged_key(line: str, folded: str, bullet: str) -> Attribute | None:
    from rapidfuzz import fuzz, process

    head, sep, _ = folded.partition(":")
    key = _BULLET.sub("", head).strip()
    if not sep or not 8 <= len(key) <= 28:
        return None
    best = process.extractOne(key, list(_KNOWN_KEYS), scorer=fuzz.ratio, score_cutoff=80)
    if best is None:
        return None
    return Attribute(_KNOWN_KEYS[best[0]], line.split(":", 1)[1].strip(), bullet)


def _field_of(key: str) -> str:
    if key == "co quan chi dao":
        return "directing"
    if "phoi hop" in key:
        return "partners"
    if key.startswith(("thoi gian", "thoi han", "tien do")):
        return "timeline"
    if key.startswith("tan suat"):
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
