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
# A line this many line heights below the one above starts a new paragraph of its cell.
PARAGRAPH_GAP = 1.4


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
                rows = _rows(page, table)
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


def _rows(page, table) -> list[list[list[str]]]:
    """The table's cells as paragraphs, row by row. A cell merged down over several rows
    (one lead for several tasks) stands in each of them; a cell spanning columns (a
    group row) stands in its first."""
    rows: list[list[list[str]]] = []
    covering: dict[int, tuple[tuple[float, float, float, float], list[str]]] = {}
    for row in table.rows:
        cells: list[list[str]] = []
        for i, bbox in enumerate(row.cells):
            if bbox is not None:
                covering[i] = (bbox, _cell_paragraphs(page, bbox))
                cells.append(covering[i][1])
                continue
            above = covering.get(i)
            # pdfplumber leaves a merged region's other cells out: below the cell that
            # starts it, or to the right of it
            cells.append(above[1] if above is not None and above[0][3] > row.bbox[1] + 1 else [])
        rows.append(cells)
    return rows


def _cell_paragraphs(page, bbox: tuple[float, float, float, float]) -> list[str]:
    """A cell's paragraphs from its words' positions. A line goes on the one above unless
    it starts a bullet or its first word would have fitted at the end of the line above:
    then the line above ended its paragraph (`Văn phòng HĐND và UBND huyện` / `Các phòng,
    ban chuyên môn …`, two agencies of one cell)."""
    from .pdf import word_lines

    lines = word_lines(page.crop(bbox).extract_words(x_tolerance=1.5, y_tolerance=3))
    if not lines:
        return []
    # the text's right limit: the cell's edge less the padding seen on its left
    right = bbox[2] - max(min(line[0]["x0"] for line in lines) - bbox[0], 0)
    out: list[str] = []
    previous: list[dict] | None = None
    for line in lines:
        line.sort(key=lambda w: w["x0"])
        text = " ".join(w["text"] for w in line)
        first = line[0]
        space = (first["x1"] - first["x0"]) / max(len(first["text"]), 1)   # about one letter
        fits = previous is not None and right - previous[-1]["x1"] > (first["x1"] - first["x0"]) + space
        # or the space between paragraphs the cell's style adds (a wrapped line follows at
        # about 1.2 line heights; the next paragraph further down)
        height = max((w["bottom"] - w["top"] for w in previous), default=0.0) if previous else 0.0
        spaced = previous is not None and first["top"] - previous[0]["top"] > PARAGRAPH_GAP * height
        if out and not _BULLET.match(text) and not fits and not spaced:
            out[-1] = _join(out[-1], text)
        else:
            out.append(text)
        previous = line
    return out


def _join(before: str, line: str) -> str:
    return before[:-1] + line if before.endswith("-") and not before.endswith(" -") else f"{before} {line}"


def _inside(word: dict, bbox: tuple[float, float, float, float]) -> bool:
    x0, top, x1, bottom = bbox
    cx, cy = (word["x0"] + word["x1"]) / 2, (word["top"] + word["bottom"]) / 2
    return x0 <= cx <= x1 and top <= cy <= bottom
