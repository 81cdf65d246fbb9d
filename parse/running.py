"""Running page headers and footers: short lines repeated at the edge of the pages.

A plan printed to PDF often repeats a line at the top or bottom of every page
(`Kế hoạch số 25/KH-UBND ngày 25/8/2025 của UBND xã Ngọk Tụ`,
`UBND TỈNH QUẢNG NGÃI`, `2 | Kế hoạch truyền thông CCHC`).  The text puts it
between the last line of one page and the first of the next, so hard-wrapped
text would join it into the middle of a sentence.  Bare page numbers
(`- 3 -`, `Trang 2/7`) are dropped earlier, by `lines.drop_page_numbers`.

A line is running furniture when, at the same edge (the first or last two
lines of a page), the same short line recurs on several pages after the
first.  What a running line never is: an outline-labelled line, an attribute
line, a line that ends a sentence or one that starts in lower case (a wrapped
sentence going on).  Page 1 is where the document's own header stands (issuer,
motto, number, date): its copy of a running line is dropped only when it comes
after the header and title that `metadata.split_title` reads.
"""
from __future__ import annotations

import math
import re

from plandiff.ingest.labels import SENTENCE_END
from plandiff.ingest.textnorm import collapse_ws, fold

from .attributes import read_attribute
from .labels import read_label
from .lines import Line
from .metadata import split_title

EDGE_LINES = 2   # lines at the top and at the bottom of a page that can be furniture
MAX_WORDS = 15   # a running header or footer is a short line
# A page number beside the running text: "2 | Kế hoạch ..." or "Kế hoạch ... | 3".
_NUMBERED = re.compile(r"^(?:(?P<n1>\d{1,3})\s*\|\s*(?P<t1>.+)|(?P<t2>.+?)\s*\|\s*(?P<n2>\d{1,3}))$")


def drop_running_lines(lines: list[Line]) -> list[Line]:
    """Remove running headers and footers; a no-op for text without page breaks."""
    pages = _pages(lines)
    if len(pages) < 2:
        return lines
    first = min(pages)
    places = _running_places(pages, first)
    dropped: set[int] = set()
    for number, page in pages.items():
        edges = _edge_lines(page) if number != first else _page_one_edges(page)
        for edge, ln in edges:
            place = places.get(running_form(ln.text) or "", ())
            # Page 1's copy must stand where the others do (a line at the foot
            # of page 1 and at the head of the rest may be the title repeated).
            if (edge in place if number == first else place) or _numbered_as_page(ln.text, number):
                dropped.add(id(ln))
    return [ln for ln in lines if id(ln) not in dropped] if dropped else lines


def _running_places(pages: dict[int, list[Line]], first: int) -> dict[str, set[str]]:
    """Forms of the running lines -> the edges they were seen at.

    Counted on the pages after the first only (page 1 holds the document's
    own header); the edge is not part of the key because a text layer may
    put a footer's text before the page's body on some pages and after it
    on others.
    """
    found: dict[str, dict[int, set[str]]] = {}
    for number, page in pages.items():
        if number != first:
            for edge, ln in _edge_lines(page):
                form = running_form(ln.text)
                if form is not None:
                    found.setdefault(form, {}).setdefault(number, set()).add(edge)
    # On at least 2 other pages than the one in question, or on half of them
    # in a short plan (3 or 4 pages: pages 2 and 3 of 3 are all there is).
    need = max(2, min(3, math.ceil(len(pages) / 2)))
    return {form: set().union(*on.values()) for form, on in found.items() if len(on) >= need}


def running_form(text: str) -> str | None:
    """The form compared across pages (digits masked, white space collapsed,
    case and diacritics folded: OCR of the same header differs in its tone
    marks), or None for a line that cannot be a running header or footer."""
    text = _core(text)
    if len(text.split()) > MAX_WORDS or text.rstrip().endswith(SENTENCE_END):
        return None
    first = next((c for c in text if c.isalnum()), "")
    if not first or first.islower() or not any(c.isalpha() for c in text):
        return None
    if read_attribute(text) is not None or read_label(text) is not None:
        return None
    return re.sub(r"\d", "0", fold(collapse_ws(text)))


def _core(text: str) -> str:
    """`2 | Kế hoạch ...` -> `Kế hoạch ...`: the page number beside the text is
    not part of it (odd and even pages may put it on different sides)."""
    m = _NUMBERED.match(text)
    return (m.group("t1") or m.group("t2")).strip() if m else text


def _numbered_as_page(text: str, page: int) -> bool:
    """`2 | Kế hoạch ...` on page 2: its own page number pins it as furniture."""
    m = _NUMBERED.match(text)
    return m is not None and int(m.group("n1") or m.group("n2")) == page \
        and running_form(text) is not None


def _pages(lines: list[Line]) -> dict[int, list[Line]]:
    pages: dict[int, list[Line]] = {}
    for ln in lines:
        pages.setdefault(ln.page, []).append(ln)
    return pages


def _edge_lines(page: list[Line]) -> list[tuple[str, Line]]:
    """("top" | "bottom", line) for the lines at the edges of a page (a short
    page's line can be at both)."""
    return [("top", ln) for ln in page[:EDGE_LINES]] + \
        [("bottom", ln) for ln in page[-EDGE_LINES:]]


def _page_one_edges(page: list[Line]) -> list[tuple[str, Line]]:
    """Page 1's edge lines that are past its header and title.

    Without the `KẾ HOẠCH` line the header cannot be told from the rest,
    so nothing on page 1 is touched.
    """
    _, _, rest = split_title([ln.text for ln in page])
    if len(rest) == len(page):
        return []
    past = {id(ln) for ln in page[len(page) - len(rest):]}
    return [(edge, ln) for edge, ln in _edge_lines(page) if id(ln) in past]
