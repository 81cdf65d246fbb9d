"""A ruled task table on a scanned page, read row by row from Tesseract's words.

Tesseract reads a table's cells line by line across the row, as a text layer does: a
task's wrapped lines interleaved with its lead's and its timeline's. Its word boxes
and the table's ruling lines in the image say which cell each word is in. The ruling
lines are long runs of dark pixels: rows of the page image with a run across a fifth
of its width, columns with a run longer than a few text lines. A table is at least
three such rows and two such columns, its outer columns running down most of it. A
cell whose border is missing spans into its neighbour (a group row across the table;
a lead merged down over several tasks, which then stands in each row it covers).
The rows go to `task_table.py`; a table that is no task table leaves the page as
Tesseract read it. One table per page is read (the largest grid).
"""
from __future__ import annotations

import logging
import re

import numpy as np

from .task_table import read_task_table

log = logging.getLogger(__name__)

DARK = 128                 # grey level below which a pixel is ink
H_RUN = 0.2                # a horizontal rule runs across this share of the page width
V_RUN = 0.04               # a vertical rule runs down this share of the page height
MIN_ROWS, MIN_COLUMNS = 3, 2
BORDER_COVER = 0.8         # the outer columns run down this share of the table
EDGE_INK = 0.7             # a cell border is drawn where this share of its pixels is ink
RULE_THICKNESS = 8         # pixels: thicker runs of rows are no rule
_BULLET = re.compile(r"^[-–+•*]\s*")
# text, left, top, right, bottom, and Tesseract's (block, paragraph, line) of the word
Word = tuple[str, int, int, int, int, tuple[int, int, int]]
# What Tesseract reads a vertical rule as, when it reads it at all.
_RULE_DEBRIS = re.compile(r"^[|¦\[\]{}()!Il1_—–-]{1,2}$")


def _runs(line: np.ndarray) -> tuple[int, int, int]:
    """(length, start, end) of the longest run of True in a 1-D array."""
    padded = np.concatenate(([False], line, [False]))
    edges = np.flatnonzero(np.diff(padded.astype(np.int8)))
    if not len(edges):
        return 0, 0, 0
    starts, ends = edges[::2], edges[1::2]
    k = int(np.argmax(ends - starts))
    return int(ends[k] - starts[k]), int(starts[k]), int(ends[k])


def _rules(ink: np.ndarray, minimum: int) -> list[tuple[int, int, int]]:
    """(position, start, end) of each rule along the first axis: neighbouring rows of
    the array whose longest ink run is at least `minimum`, merged."""
    found: list[list[int]] = []
    if minimum < 1 or ink.shape[1] < minimum:
        return []
    # Rows holding a run of `minimum`, all at once: a window of that width all ink.
    sums = np.zeros((ink.shape[0], ink.shape[1] + 1), np.int32)
    np.cumsum(ink, axis=1, out=sums[:, 1:])
    candidates = np.flatnonzero(((sums[:, minimum:] - sums[:, :-minimum]) == minimum).any(axis=1))
    for i in map(int, candidates):
        _, start, end = _runs(ink[i])
        if found and i - found[-1][1] <= 2:
            found[-1][1] = i
            found[-1][2], found[-1][3] = min(found[-1][2], start), max(found[-1][3], end)
        else:
            found.append([i, i, start, end])
    # a rule is a thin line; a shadow along a page edge or a photocopy's dark band is not
    thin = max(RULE_THICKNESS // 2, ink.shape[1] // 250)
    return [((a + b) // 2, s, e) for a, b, s, e in found if b - a < thin]


def find_grid(gray: np.ndarray) -> tuple[list[int], list[int]] | None:
    """The y of each horizontal rule and the x of each vertical rule of the page's table,
    or None when the page draws none."""
    # Found at half resolution (each pixel the ink of a 2 x 2 block, so a one-pixel
    # rule stays): a quarter of the work, a few hundredths of a second a page.
    full = gray < DARK
    h2, w2 = full.shape[0] // 2 * 2, full.shape[1] // 2 * 2
    ink = full[:h2:2, :w2:2] | full[1:h2:2, :w2:2] | full[:h2:2, 1:w2:2] | full[1:h2:2, 1:w2:2]
    height, width = ink.shape
    rows = [(2 * y, 2 * a, 2 * b) for y, a, b in _rules(ink, int(H_RUN * width))]
    columns = [(2 * x, 2 * a, 2 * b) for x, a, b in _rules(ink.T, int(V_RUN * height))]
    if len(rows) < MIN_ROWS or len(columns) < MIN_COLUMNS:
        return None
    top, bottom = rows[0][0], rows[-1][0]
    left, right = columns[0], columns[-1]
    span = max(bottom - top, 1)
    for _, start, end in (left, right):
        if min(end, bottom) - max(start, top) < BORDER_COVER * span:
            return None
    ys = [y for y, start, end in rows if start <= left[0] + 5 and end >= right[0] - 5]
    xs = [x for x, start, end in columns if end > top and start < bottom]
    if len(ys) < MIN_ROWS or len(xs) < MIN_COLUMNS:
        return None
    return ys, xs


def _drawn(ink: np.ndarray, fixed: int, start: int, end: int, vertical: bool) -> bool:
    """Whether a border is drawn along `fixed` from `start` to `end` (inner part only)."""
    lo, hi = start + 3, end - 3
    if hi <= lo:
        return True
    strip = ink[lo:hi, max(fixed - 2, 0):fixed + 3] if vertical else ink[max(fixed - 2, 0):fixed + 3, lo:hi]
    return float(strip.any(axis=1 if vertical else 0).mean()) >= EDGE_INK


def table_rows(gray: np.ndarray, grid: tuple[list[int], list[int]],
               words: list[Word]) -> list[list[list[str]]]:
    """The table's cells as paragraphs, row by row, from the words inside each cell."""
    ys, xs = grid
    ink = gray < DARK
    n_rows, n_cols = len(ys) - 1, len(xs) - 1

    def owner(r: int, c: int) -> tuple[int, int]:
        while c > 0 and not _drawn(ink, xs[c], ys[r], ys[r + 1], vertical=True):
            c -= 1   # no border on the left: the cell spans from there
        while r > 0 and not _drawn(ink, ys[r], xs[c], xs[c + 1], vertical=False):
            r -= 1   # no border above: merged down from there
        return r, c

    owners = {(r, c): owner(r, c) for r in range(n_rows) for c in range(n_cols)}
    content: dict[tuple[int, int], list[Word]] = {}
    for word in words:
        cx, cy = (word[1] + word[3]) / 2, (word[2] + word[4]) / 2
        r = next((k for k in range(n_rows) if ys[k] <= cy < ys[k + 1]), None)
        c = next((k for k in range(n_cols) if xs[k] <= cx < xs[k + 1]), None)
        if r is not None and c is not None:
            content.setdefault(owners[(r, c)], []).append(word)
    rows: list[list[list[str]]] = []
    for r in range(n_rows):
        cells = []
        for c in range(n_cols):
            o = owners[(r, c)]
            # a cell spanning columns stands in its first; merged down, in each row
            cells.append(_paragraphs(content.get(o, [])) if o[1] == c else [])
        rows.append(cells)
    return rows


def _paragraphs(words: list[Word]) -> list[str]:
    """A cell's words as paragraphs: its lines are Tesseract's, in the order of their
    tops; a line goes on the one above unless it starts a bullet."""
    by_line: dict[tuple[int, int, int], list[Word]] = {}
    for word in words:
        by_line.setdefault(word[5], []).append(word)
    lines = sorted(by_line.values(), key=lambda ws: min(w[2] for w in ws))
    out: list[str] = []
    for line in lines:
        text = " ".join(w[0] for w in sorted(line, key=lambda w: w[1]))
        if out and not _BULLET.match(text):
            out[-1] = f"{out[-1]} {text}"
        else:
            out.append(text)
    return out


def _at_rule(text: str, left: int, right: int, xs: list[int]) -> bool:
    """A `|` or `I` that is a vertical rule read as a letter."""
    return bool(_RULE_DEBRIS.match(text)) and any(left - 6 <= x <= right + 6 for x in xs)


def rebuild(gray: np.ndarray, data: dict) -> tuple[list[int], list[str]] | None:
    """(indexes of the TSV words inside the page's task table, the table's outline lines),
    or None when the page has no ruled task table."""
    grid = find_grid(gray)
    if grid is None:
        return None
    ys, xs = grid
    inside: list[int] = []
    words: list[Word] = []
    for i, text in enumerate(data["text"]):
        if not text or not text.strip():
            continue
        left, top = int(data["left"][i]), int(data["top"][i])
        right, bottom = left + int(data["width"][i]), top + int(data["height"][i])
        cx, cy = (left + right) / 2, (top + bottom) / 2
        if xs[0] <= cx <= xs[-1] and ys[0] <= cy <= ys[-1]:
            inside.append(i)
            if not _at_rule(text.strip(), left, right, xs):
                words.append((text.strip(), left, top, right, bottom,
                              (int(data["block_num"][i]), int(data["par_num"][i]), int(data["line_num"][i]))))
    table = read_task_table(table_rows(gray, grid, words))
    if table is None:
        return None
    log.debug("scanned task table: %d rows x %d columns", len(ys) - 1, len(xs) - 1)
    return inside, table.lines
