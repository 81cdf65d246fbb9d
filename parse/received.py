"""The receiving office's stamp (the `ĐẾN` stamp) read out of a plan's first lines.

An office stamps a filing where it arrives, in the free space at the top left of
the first page: a box naming the receiving body, the word `ĐẾN` (older stamps:
`CÔNG VĂN ĐẾN`), and the fields `Số:` (the register's number), `Ngày:` and
`Chuyển:`. On a scan the stamp lands on the plan's own header, and OCR reads its
lines into the header's: `CÔNG VĂN ĐẾN. S Š VĂN PHÒNG`, `Số: 647 CỘNG HÒA…`,
`CÔNG VĂN ĐẾN KE HOẠCH`. A reader sees the box and reads around it; so does this.

The stamp is recognised by its own vocabulary, never by position: its anchor
(`CÔNG VĂN ĐẾN`, found approximately, or `ĐẾN` on a line of its own) or two of its
fields, which a plan's header never writes this way: `Số:` with a bare number and
no document code (the plan's is `Số: 25/KH-UBND` or left blank before its code),
`Ngày:` with a colon and a numeric date (the plan's is `…, ngày 10 tháng 4 năm
2025`), `Chuyển:`. Then the anchor and the fields are cut out of their lines, and
so is the line just above the anchor when the anchor begins its line: the stamp
prints the receiving body's name there (`SỞ NỘI VỤ TỈNH QUẢNG NGÃI`), and it must
not be read as the plan's issuer. Lines without a stamp are returned unchanged.
"""
from __future__ import annotations

import logging
import re

from plandiff.ingest.textnorm import collapse_ws
from rapidfuzz.distance import Levenshtein

from .header import approx_find, hfold, letter_key

log = logging.getLogger(__name__)

# Folded letters of the anchor, and the edits allowed in an OCR-damaged copy.
_ANCHOR_KEY = "congvanden"
_ANCHOR_ERRORS = 2
_ANCHOR_LINE = re.compile(r"^\W*den\W*$")
# Fields (folded text, OCR look-alikes of digits allowed in the values).
# (not the plan's own `Số: 25/KH-UBND`, nor `Số: 25 KH-UBND` with its slash lost)
_NUMBER_FIELD = re.compile(r"\bs[o6]\s*:\s*[0-9][0-9oslzi|]{0,5}\b(?!\s*[/-]|\s+[a-z]{1,8}-)")
_DATE_FIELD = re.compile(r"\bngay\s*:\s*[0-9][0-9oslzi|/.\-]{2,11}")
# `Chuyển:` and its dotted blank; the label's letters are often damaged (`CHUVếH:`).
_LABEL = re.compile(r"\b(?P<word>[a-z]{4,7})\s*:\s*[.…_]*")
_FORWARD_KEY = "chuyen"
_FORWARD_ERRORS = 2
# Lines of the page's top searched for a stamp (it sits above the title or beside it).
SEARCH_LINES = 14


def _anchor(line: str) -> tuple[int, int] | None:
    """[start, end) of the stamp's anchor in `line`, if it holds one."""
    if _ANCHOR_LINE.match(hfold(line)):
        return 0, len(line)
    key, where = letter_key(line)
    found = approx_find(_ANCHOR_KEY, key, _ANCHOR_ERRORS)
    return (where[found[0]], where[found[1] - 1] + 1) if found else None


def _forward_label(f: str) -> re.Match[str] | None:
    for m in _LABEL.finditer(f):
        if Levenshtein.distance(m.group("word"), _FORWARD_KEY) <= _FORWARD_ERRORS:
            return m
    return None


def _fields(f: str) -> list[tuple[int, int]]:
    """[start, end) of the stamp's fields in one folded line."""
    spans = [(m.start(), m.end()) for m in (_NUMBER_FIELD.search(f), _DATE_FIELD.search(f), _forward_label(f))
             if m is not None]
    return sorted(spans)


def _cut(line: str, spans: list[tuple[int, int]]) -> str:
    # hfold keeps one character per character of NFC text, so folded spans index the line.
    out, at = [], 0
    for start, end in sorted(spans):
        if start >= at:
            out.append(line[at:start])
            at = end
    out.append(line[at:])
    return collapse_ws(" ".join(out))


def without_received_stamp(lines: list[str]) -> list[str]:
    """`lines` (a plan's first lines, NFC) with the receiving office's stamp cut out."""
    top = min(len(lines), SEARCH_LINES)
    anchors = {i: span for i in range(top) if (span := _anchor(lines[i])) is not None}
    fields = {i: _fields(hfold(lines[i])) for i in range(top)}
    # The stamp always has its `Số:` and `Ngày:` fields: the anchor alone could be a sentence.
    if sum(len(s) for s in fields.values()) < (1 if anchors else 2):
        return lines
    out = list(lines)
    dropped: set[int] = set()
    for i in range(top):
        spans = fields[i] + ([anchors[i]] if i in anchors else [])
        if spans:
            out[i] = _cut(lines[i], spans)
        # The receiving body's name is printed right above the anchor.
        if i in anchors and not lines[i][: anchors[i][0]].strip(" .,:;-|"):
            above = next((j for j in range(i - 1, -1, -1) if lines[j].strip()), None)
            if above is not None and not fields[above]:
                dropped.add(above)
    log.debug("receiving office's stamp cut from the first lines (%d anchor lines, %d field lines)",
              len(anchors), sum(bool(s) for s in fields.values()))
    return [ln for i, ln in enumerate(out) if i not in dropped]
