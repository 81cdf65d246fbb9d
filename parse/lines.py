"""Lines of an ingested document, cleaned of page furniture, with footnotes set apart."""
from __future__ import annotations

import re
from dataclasses import dataclass

from plandiff.ingest.model import IngestedDocument

from .labels import read_label

_PAGE_NUMBER = re.compile(r"^(?:-\s*)?(?:trang\s+)?\d{1,3}(?:\s*-)?(?:\s*/\s*\d{1,3})?$", re.I)
_FOOTNOTE_START = re.compile(
    r"^(?P<n>\d{1,2})\s+(?=(?:Kế hoạch|Nghị quyết|Quyết định|Chỉ thị|Thông tư|Nghị định|"
    r"Công văn|Luật|Hướng dẫn|Thông báo|Kết luận|Văn bản|Theo|Tại)\b)"
)
_SEPARATOR = re.compile(r"^[\s_\-–—.]{0,3}$")


@dataclass
class Line:
    text: str        # stripped, NFC
    start: int       # offset of the first visible character in the document text
    end: int
    page: int
    indented: bool   # the raw line began with white space
    page_first: bool  # first non-empty line of its page


@dataclass
class Footnote:
    number: str
    lines: list[Line]


def document_lines(doc: IngestedDocument) -> list[Line]:
    """Non-empty lines of every page, in reading order."""
    out: list[Line] = []
    for page in doc.pages:
        offset = page.start
        first = True
        for raw in page.text.split("\n"):
            stripped = raw.strip()
            if stripped:
                lead = len(raw) - len(raw.lstrip())
                out.append(Line(stripped, offset + lead, offset + lead + len(stripped),
                                page.number, lead > 0, first))
                first = False
            offset += len(raw) + 1
    return out


def drop_page_numbers(lines: list[Line]) -> list[Line]:
    """Remove running page numbers (a line that is only a small number)."""
    return [ln for ln in lines if not _PAGE_NUMBER.match(ln.text)]


def split_footnotes(lines: list[Line]) -> tuple[list[Line], list[Footnote]]:
    """Set footnote blocks apart from the body.

    A footnote starts with a bare number followed by a legal reference
    (`1 Kế hoạch số 336-KH/TU ...`): outline labels always carry `.` or `)`.
    It runs to the end of its page, or, in text without page breaks, to the
    first line that starts indented (where a PDF text dump resumes the body).
    """
    body: list[Line] = []
    notes: list[Footnote] = []
    current: Footnote | None = None
    for ln in lines:
        if current is not None:
            # Footnote text never carries outline labels: a numbered or bulleted
            # line means the body has resumed.
            ends = ln.page != current.lines[-1].page or (ln.indented and not current.lines[-1].indented) \
                or _FOOTNOTE_START.match(ln.text) or read_label(ln.text) is not None
            if not ends:
                current.lines.append(ln)
                continue
            current = None
        match = _FOOTNOTE_START.match(ln.text)
        if match and body and not _ends_sentence(body[-1].text):
            current = Footnote(match.group("n"), [ln])
            notes.append(current)
            continue
        if match and body and body[-1].text and _SEPARATOR.match(body[-1].text):
            current = Footnote(match.group("n"), [ln])
            notes.append(current)
            continue
        body.append(ln)
    return body, notes


def remove_footnote_markers(text: str, numbers: set[str]) -> str:
    """Drop footnote reference numbers glued into sentences (`quốc gia; 1 Chỉ thị`)."""
    if not numbers:
        return text
    alternatives = "|".join(sorted(numbers, key=len, reverse=True))
    pattern = re.compile(rf"(?<=[;,.:”\"’a-zà-ỹđ])\s*(?:{alternatives})\s+(?=[A-ZÀ-ỸĐ])")
    return pattern.sub(" ", text)


def _ends_sentence(text: str) -> bool:
    return text.rstrip().endswith((".", ";", ":", "!", "?", "…"))
