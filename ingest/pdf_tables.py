"""Task tables in a PDF's text layer, read row by row.

A text layer gives a table's cells line by line across the row: a task's wrapped text
interleaved with its lead's and its timeline's (`Cập nhật, công khai thủ tục hành chính
trên Văn phòng HĐND và Các cơ quan, đơn vị Thường`). A page whose drawing has ruling
lines is searched for tables with pdfplumber (its `lines` strategy: the cells a ruled
table draws); a task table among them (`task_table.py`) is written out row by row in
its place, the page's other words around it as lines in reading order. A table going on
over the next page without its header row is read with the columns found on the page
before.
"""
from __future__ import annotations

import logging
import re

from .errors import IngestError
from .task_table import TaskTable, read_task_table

log = logging.getLogger(__name__)

# Path objects (strokes and filled rectangles) on a page before it is searched for
# tables: a ruled table of two rows draws a dozen; a plain page draws none, or the one
# or two rules under a header.
RULED_PATHS = 8
# The next page's first table is the rest of a table when it starts this near the top.
CONTINUATION_TOP = 0.25
_BULLET = re.compile(r"^[-–+•*]\s*")


def has_rules(page) -> bool:
    """Whether a pypdfium2 page draws enough paths to hold a ruled table (cheap)."""
    import pypdfium2.raw as pdfium_c

    paths = page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_PATH], max_depth=2)
    return any(count >= RULED_PATHS for count, _ in enumerate(paths, start=1))


def page_with_task_tables(data: bytes, index: int, columns: bool,
                          continued: TaskTable | None) -> tuple[str, int, TaskTable | None] | None:
    """(page text with its task tables written out row by row, how many, the last one) or
    None when the page holds no task table."""
    from .pdf import _close_quietly, _lines_with_columns, open_pdf

    pdf = open_pdf(data)
    try:
        page = pdf.pages[index]
        try:
            found: list[tuple[tuple[float, float, float, float], TaskTable]] = []
            state = continued
            for table in sorted(page.find_tables(), key=lambda t: t.bbox[1]):
                near_top = table.bbox[1] < CONTINUATION_TOP * page.height
                rows = [[_paragraphs(cell) for cell in row] for row in table.extract()]
                read = read_task_table(rows, state if near_top and not found else None)
                if read is not None:
                    found.append((table.bbox, read))
                    state = read
            if not found:
                return None
            words = page.extract_words(x_tolerance=1.5, y_tolerance=3)
            segments: list[list[dict]] = [[] for _ in range(len(found) + 1)]
            for word in words:
                if any(_inside(word, bbox) for bbox, _ in found):
                    continue
                k = sum(word["top"] >= bbox[1] for bbox, _ in found)
                segments[k].append(word)
            parts: list[str] = []
            for k, segment in enumerate(segments):
                if segment:
                    parts.append(_lines_with_columns(segment, page.height, columns and k == 0))
                if k < len(found):
                    parts.append("\n".join(found[k][1].lines))
            log.debug("page %d: %d task table(s) read row by row", index + 1, len(found))
            return "\n".join(p for p in parts if p), len(found), found[-1][1]
        finally:
            page.close()
    except IngestError:
        raise
    except Exception as exc:  # pdfminer raises many unrelated types on bad files
        log.warning("page %d: tables not read (%s: %s); its text layer stands", index + 1,
                    type(exc).__name__, exc)
        return None
    finally:
        _close_quietly(pdf)


def _inside(word: dict, bbox: tuple[float, float, float, float]) -> bool:
    x0, top, x1, bottom = bbox
    cx, cy = (word["x0"] + word["x1"]) / 2, (word["top"] + word["bottom"]) / 2
    return x0 <= cx <= x1 and top <= cy <= bottom


def _paragraphs(cell: str | None) -> list[str]:
    """A cell's lines as paragraphs: a PDF wraps a cell's text at its width, so a line
    goes on the one above unless it starts a bullet point."""
    out: list[str] = []
    for line in (cell or "").split("\n"):
        line = line.strip()
        if not line:
            continue
        if out and not _BULLET.match(line):
            out[-1] = out[-1][:-1] + line if out[-1].endswith("-") and not out[-1].endswith(" -") \
                else f"{out[-1]} {line}"
        else:
            out.append(line)
    return out
