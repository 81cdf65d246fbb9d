"""Footnotes: set apart from the body, and linked back to where they are cited.

Two shapes occur in the plans:

* a PDF text layer (sample 000) prints the footnote where its page ends,
  often in the middle of a body sentence, as `1 Kế hoạch số 336-KH/TU ...`,
  and keeps the reference mark as a bare number glued into the sentence
  that cites it (`... quốc gia; 1 Chỉ thị số 07/CT-TTg`);
* a word processor's text export (sample 001) puts the footnote text after
  the signature, its mark lost or turned into a stray character, and leaves
  a line break where the reference mark was (`... quốc gia` / `; Chỉ thị`).

A footnote records the body line that cites it and the marker's offset in
that line's text (the marker itself is removed from the body).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from itertools import pairwise

from plandiff.ingest.labels import SENTENCE_END

from .labels import read_label
from .lines import Line

_LEGAL_KINDS = (r"(?:Kế hoạch|Nghị quyết|Quyết định|Chỉ thị|Thông tư|Nghị định|Công văn|Luật|"
                r"Hướng dẫn|Thông báo|Kết luận|Văn bản|Theo|Tại)\b")
_FOOTNOTE_START = re.compile(r"^(?P<n>\d{1,2})\s+(?=" + _LEGAL_KINDS + ")")
# A footnote whose mark was lost: a legal reference standing after the signature.
_UNNUMBERED_NOTE = re.compile(r"^(?:" + _LEGAL_KINDS + r")\s+(?:số\s+)?\d")
_SEPARATOR = re.compile(r"^[\s_\-–—.]{0,3}$")
# What closes one of a footnote's own sentences, after which a lower-case line
# is the body resuming: narrower than SENTENCE_END (a note ending in `:` or
# `…` does not end there), as the footnote split was written and tested.
_NOTE_SENTENCE_END = (";", ".")


@dataclass
class Footnote:
    number: str                 # as written; "" when the mark was lost
    lines: list[Line]
    cited_in: Line | None = None   # the body line holding the reference mark
    cited_at: int | None = None    # offset of the mark in that line's (cleaned) text
    understood: str = field(default="")  # its number in the document's sequence


def split_footnotes(lines: list[Line]) -> tuple[list[Line], list[Footnote]]:
    """Set numbered footnote blocks apart from the body.

    A footnote starts with a bare number followed by a legal reference
    (`1 Kế hoạch số 336-KH/TU ...`): outline labels always carry `.` or `)`.
    It runs to the end of its page, or, in text without page breaks, to the
    first line that starts indented (where a PDF text dump resumes the body),
    or, when it broke into an unfinished sentence, to the first lower-case
    line after one of its own sentences ended (the sentence resuming).
    """
    body: list[Line] = []
    notes: list[Footnote] = []
    current: Footnote | None = None
    interrupted = False
    for ln in lines:
        if current is not None:
            if not _footnote_ends(current, ln, interrupted):
                current.lines.append(ln)
                continue
            current = None
        match = _FOOTNOTE_START.match(ln.text)
        if match and body and (not _ends_sentence(body[-1].text) or _SEPARATOR.match(body[-1].text)):
            interrupted = not _ends_sentence(body[-1].text)
            current = Footnote(match.group("n"), [ln])
            notes.append(current)
            continue
        body.append(ln)
    return body, notes


def _footnote_ends(note: Footnote, ln: Line, interrupted: bool) -> bool:
    last = note.lines[-1]
    # Footnote text never carries outline labels: a numbered or bulleted
    # line means the body has resumed.
    if ln.page != last.page or (ln.indented and not last.indented):
        return True
    if _FOOTNOTE_START.match(ln.text) or read_label(ln.text) is not None:
        return True
    return interrupted and last.text.rstrip().endswith(_NOTE_SENTENCE_END) and ln.text[:1].islower()


def take_markers(lines: list[Line], notes: list[Footnote]) -> None:
    """Remove each footnote's reference number from the body, recording where it was.

    The mark is a bare number glued after a word or punctuation and followed
    by a capitalised word (`quốc gia; 1 Chỉ thị`).  The first occurrence cites.
    """
    numbered = {n.number: n for n in notes if n.number}
    if not numbered:
        return
    alternatives = "|".join(sorted(numbered, key=len, reverse=True))
    pattern = re.compile(rf"(?<=[;,.:”\"’a-zà-ỹ])\s*({alternatives})\s+(?=[A-ZÀ-ỸĐ])")
    for ln in lines:
        pieces, pos = [], 0
        for m in pattern.finditer(ln.text):
            pieces.append(ln.text[pos:m.start()])
            note = numbered[m.group(1)]
            if note.cited_in is None:
                note.cited_in, note.cited_at = ln, len("".join(pieces))
            pieces.append(" ")
            pos = m.end()
        if pieces:
            ln.text = "".join(pieces) + ln.text[pos:]


def trailing_notes(closing: list[Line], signer: str | None) -> tuple[list[Line], list[Footnote]]:
    """Footnotes placed after the signer's name (their marks lost), one per line."""
    if not signer:
        return closing, []
    at = max((i for i, ln in enumerate(closing) if ln.text.strip() == signer), default=None)
    if at is None:
        return closing, []
    kept, notes = closing[: at + 1], []
    for ln in closing[at + 1:]:
        if _UNNUMBERED_NOTE.match(ln.text):
            notes.append(Footnote("", [ln]))
        elif notes:
            notes[-1].lines.append(ln)   # a footnote running over several lines
        else:
            kept.append(ln)
    return kept, notes


def lost_mark_sites(lines: list[Line]) -> list[tuple[Line, int]]:
    """Where a reference mark was lost: a line break before `;` or `,` inside a
    sentence (`... quốc gia` / `; Chỉ thị`).  A word processor writes no such
    break itself; the mark stood at the end of the line before."""
    sites = []
    for prev, ln in pairwise(lines):
        if ln.text[:1] in ";," and not prev.text.rstrip().endswith((*SENTENCE_END, ",")):
            sites.append((prev, len(prev.text.rstrip())))
    return sites


def link_lost_marks(notes: list[Footnote], lines: list[Line]) -> None:
    """Give mark-less footnotes their citing place, in order, when the count agrees."""
    orphans = [n for n in notes if n.cited_in is None and not n.number]
    sites = lost_mark_sites(lines)
    if orphans and len(sites) == len(orphans):
        for note, (line, offset) in zip(orphans, sites, strict=False):
            note.cited_in, note.cited_at = line, offset


def number_notes(notes: list[Footnote]) -> None:
    """Numbers as understood: as written, or the position in the sequence."""
    for i, note in enumerate(notes, 1):
        note.understood = note.number or str(i)


def _ends_sentence(text: str) -> bool:
    return text.rstrip().endswith(SENTENCE_END)


def mark_offset(text: str, line_text: str, at: int) -> int | None:
    """Offset in an item's `text` of a mark found at `at` in one of its lines.

    The item's text is its lines joined (and white space collapsed), so the
    mark is found by the words just before it (or, at a line start, after it).
    """
    before, after = line_text[:at], line_text[at:]
    for snippet in (before[-40:], " ".join(before.split())[-40:]):
        if snippet.strip() and snippet in text:
            return text.index(snippet) + len(snippet)
    for snippet in (after[:40], " ".join(after.split())[:40]):
        if snippet.strip() and snippet in text:
            return text.index(snippet)
    return None
