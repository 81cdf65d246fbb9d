"""Agency names -> one key per office, across plans.

`agency_key` folds case, marks, dashes and punctuation and expands the usual
abbreviations, so `Phòng Văn hoá - Xã hội`, `phòng văn hóa – xã hội` and
`VP HĐND và UBND` and `Văn phòng HĐND và UBND` become the same key.
Ambiguous short forms (`KH` = khoa học or kế hoạch) are left alone.  Level words and
place names stay: `UBND xã Ba Tơ` and `UBND huyện Ba Tơ` are different offices.
"""
from __future__ import annotations

import re

from plandiff.ingest.textnorm import fold

# Folded abbreviation -> folded expansion (whole words only).
_ABBREVIATIONS = {
    "ubnd": "uy ban nhan dan",
    "hdnd": "hoi dong nhan dan",
    "vp": "van phong",
    "ubmttqvn": "uy ban mat tran to quoc viet nam",
    "ubmttq": "uy ban mat tran to quoc",
    "mttq": "mat tran to quoc",
    "tncs": "thanh nien cong san",
    "hcm": "ho chi minh",
    "tnhcm": "thanh nien ho chi minh",
    "tthc": "thu tuc hanh chinh",
    "pvhcc": "phuc vu hanh chinh cong",
}
_NON_WORD = re.compile(r"[^\w]+", re.UNICODE)
# A note in parentheses at the end, also when a scan lost its closing parenthesis (and
# left debris after it: `(kể cả các đơn vị tru *nø hae3`).
_TRAILING_NOTE = re.compile(r"\s*\([^()]*\)?\s*$")


def agency_key(name: str | None) -> str:
    """Canonical key of an agency name ('' for none)."""
    if not name:
        return ""
    text = _TRAILING_NOTE.sub("", name)          # "(kể cả các đơn vị trường học)"
    text = fold(text).replace("&", " va ")
    words = _NON_WORD.sub(" ", text).split()
    expanded: list[str] = []
    for word in words:
        expanded.extend(_ABBREVIATIONS.get(word, word).split())
    return " ".join(expanded)


def agency_keys(names: tuple[str, ...] | list[str]) -> tuple[str, ...]:
    """Sorted distinct keys of a list of agencies."""
    return tuple(sorted({k for k in (agency_key(n) for n in names) if k}))
