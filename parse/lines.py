"""Lines of an ingested document, cleaned of page furniture (footnotes: `footnotes.py`)."""
from __future__ import annotations

import re
from dataclasses import dataclass

from plandiff.ingest.model import IngestedDocument

_PAGE_NUMBER = re.compile(r"^(?:-\s*)?(?:trang\s+)?\d{1,3}(?:\s*-)?(?:\s*/\s*\d{1,3})?$", re.I)


@dataclass
class Line:
    text: str        # stripped, NFC
    start: int       # offset of the first visible character in the document text
    end: int
    page: int
    indented: bool   # the raw line began with white space
    page_first: bool  # first non-empty line of its page


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
