"""PDF pages: text layer when it is usable, page images for OCR otherwise."""
from __future__ import annotations

import contextlib
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import pairwise

from PIL import Image

from .errors import IngestError
from .preprocess import grey_unless_coloured
from .textnorm import clean_text

_LETTER = re.compile(r"[^\W\d_]", re.UNICODE)


@dataclass(frozen=True)
class PdfPage:
    number: int
    text: str  # the text layer, NFC ('' when there is none)
    legacy: str | None = None  # "tcvn3" | "vni" when the layer was in a legacy font encoding
    # None: the layer is in reading order; True: it was not, and `text` was
    # rebuilt from the glyph positions; False: it was not and could not be.
    reordered: bool | None = None
    tables: int = 0   # task tables written out row by row (pdf_tables.py)


def open_pdf(data: bytes):
    import pdfplumber
    from pdfminer.pdfparser import PDFSyntaxError

    try:
        return pdfplumber.open(io.BytesIO(data))
    except PDFSyntaxError as exc:
        raise IngestError(f"not a readable PDF: {exc}",
                          vi="Tệp PDF bị hỏng hoặc không đọc được") from exc
    except Exception as exc:  # pdfminer raises many unrelated types on bad files
        raise IngestError(f"PDF could not be opened: {type(exc).__name__}: {exc}",
                          vi="Không mở được tệp PDF") from exc


def open_pdfium(data: bytes):
    """The document in pdfium, or an IngestError that says what is wrong."""
    import pypdfium2 as pdfium

    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        if "password" in str(exc).lower():
            raise IngestError(
                "PDF is protected by a password; ask the sender for an unprotected copy",
                vi="Tệp PDF được đặt mật khẩu; đề nghị đơn vị gửi bản không đặt mật khẩu") from exc
        raise IngestError("not a readable PDF: the file is damaged or incomplete; "
                          "ask the sender for another copy",
                          vi="Tệp PDF bị hỏng hoặc không đầy đủ; đề nghị gửi lại bản khác") from exc


def _load_page(pdf, index: int):
    import pypdfium2 as pdfium

    try:
        return pdf[index]
    except pdfium.PdfiumError as exc:
        raise IngestError(f"page {index + 1} cannot be loaded: the PDF's page tree is damaged",
                          vi=f"Không mở được trang {index + 1}: cấu trúc tệp PDF bị hỏng") from exc


def page_count(data: bytes) -> int:
    pdf = open_pdfium(data)
    try:
        return len(pdf)
    finally:
        pdf.close()


def text_layer_pages(data: bytes, page_range: tuple[int, int] | None = None) -> Iterator[PdfPage]:
    """Text of every page's text layer.

    Pages are read with pypdfium2 (about 50x faster than pdfplumber here);
    page 1, which holds the two-column header block, is read with pdfplumber's
    word positions so that the columns come out one after the other instead
    of interleaved on the same lines.  So is any page whose text layer is not
    in reading order (see `stream_disorder`).
    """
    from .pdf_tables import page_with_task_tables

    pdf = open_pdfium(data)
    try:
        first, last = page_range or (1, len(pdf))
        continued = None   # a task table that may go on at the next page's top
        for index in range(max(first, 1) - 1, min(last, len(pdf))):
            text, disordered, ruled = _pdfium_text(pdf, index)
            found = page_with_task_tables(data, index, index == 0, continued) \
                if ruled and text.strip() and not _legacy_encoding(text) else None
            if found is not None:
                table_text, tables, continued = found
                yield PdfPage(number=index + 1, text=clean_text(table_text), tables=tables)
                continue
            continued = None
            yield _page_from_layer(data, index, text, disordered)
    finally:
        pdf.close()


def _pdfium_text(pdf, index: int) -> tuple[str, bool, bool]:
    """pdfium's text of a page, whether its lines are out of reading order, and whether
    it draws ruling lines enough for a table."""
    import pypdfium2 as pdfium

    from .pdf_tables import has_rules

    page = _load_page(pdf, index)
    try:
        textpage = page.get_textpage()
        try:
            text = textpage.get_text_range()
            rects = [textpage.get_rect(k) for k in range(textpage.count_rects())]
        finally:
            textpage.close()
        ruled = has_rules(page)
    except pdfium.PdfiumError as exc:
        raise IngestError(f"page {index + 1}: text layer unreadable: {exc}",
                          vi=f"Không đọc được lớp chữ của trang {index + 1}") from exc
    finally:
        page.close()
    return text, out_of_order(rects), ruled


def _page_from_layer(data: bytes, index: int, text: str, disordered: bool) -> PdfPage:
    number = index + 1
    reordered = True if disordered else None
    if (index == 0 or disordered) and text.strip():
        # Only a page with text is worth pdfplumber's slower layout pass.
        try:
            found = _words_page(data, index, columns=index == 0)
        except IngestError:
            found = None  # pdfminer cannot read it; pdfium's text stands
        if found is not None:
            return PdfPage(number=number, text=clean_text(found[0]), legacy=found[1],
                           reordered=reordered)
        if disordered:
            return PdfPage(number=number, text=clean_text(text), reordered=False)
    if _legacy_encoding(text):
        # Legacy fonts: read again with font names, which tell the
        # encoding and whether a run is in an all-caps (".VnTimeH") font.
        found = _words_page(data, index, columns=False)
        if found is not None:
            return PdfPage(number=number, text=clean_text(found[0]), legacy=found[1])
    # pdfium marks a hyphen at a line end with U+FFFE; keep hyphen and break.
    return PdfPage(number=number, text=clean_text(text.replace("\ufffe", "-\n")))


# A text layer is out of reading order when, going through its text runs in
# the order they are stored, the next line is often not the line below the
# previous one: it starts *above* it in the same column (a jump back), or it
# lies further down the same column with another line in between (a skip).
# A jump up that also moves right of the previous run is a new column
# (two-column header, table cell) and is legitimate; so is a line or two out
# of place (a running header or page number drawn last).  Shuffled lines and
# shuffled paragraphs give a jump or a skip at nearly every break.
DISORDER_MIN_EVENTS = 3
DISORDER_SHARE = 0.15


def stream_disorder(rects: list[tuple[float, float, float, float]]) -> tuple[int, int]:
    """(jumps back + skips, line changes) over text runs (left, bottom, right,
    top) in stream order."""
    import bisect

    by_top = sorted(rects, key=lambda r: r[3])
    tops = [r[3] for r in by_top]
    events = changes = 0
    for prev, cur in pairwise(rects):
        tol = 0.5 * max(prev[3] - prev[1], 1.0)
        if abs(cur[3] - prev[3]) <= tol:
            continue  # the same line, split into runs by a font change
        changes += 1
        same_column = cur[0] < prev[2] and prev[0] < cur[2]
        if cur[3] > prev[3] + tol:
            events += cur[0] < prev[2]  # back up, and not into a column to the right
        elif same_column:
            # a run strictly between the two, in their column: a line was skipped
            lo = bisect.bisect_right(tops, cur[3] + tol)
            hi = bisect.bisect_left(tops, prev[3] - tol)
            events += any(r[0] < prev[2] and r[2] > prev[0] for r in by_top[lo:hi])
    return events, changes


def out_of_order(rects: list[tuple[float, float, float, float]]) -> bool:
    events, changes = stream_disorder(rects)
    return events >= DISORDER_MIN_EVENTS and events > DISORDER_SHARE * changes


_COLUMN_GAP = 36.0  # points of empty space that separate two header columns


def _legacy_encoding(text: str) -> str | None:
    from .legacy import detect_encoding

    encoding = detect_encoding(text)
    return encoding.value if encoding is not None else None


def _words_page(data: bytes, index: int, columns: bool) -> tuple[str, str | None] | None:
    """A page read from pdfplumber's words: header columns separated (page 1),
    legacy-encoded runs converted by their font.  None when it has no text."""
    from .legacy import convert_span

    pdf = open_pdf(data)
    try:
        if index >= len(pdf.pages):
            return None
        page = pdf.pages[index]
        try:
            words = page.extract_words(x_tolerance=1.5, y_tolerance=3, extra_attrs=["fontname"])
            if not words:
                return None
            legacy = _legacy_encoding(" ".join(w["text"] for w in words))
            if legacy:
                words = [dict(w, text=convert_span(w["text"], w.get("fontname"))) for w in words]
            return _lines_with_columns(words, page.height, columns), legacy
        finally:
            page.close()
    except IngestError:
        raise
    except Exception as exc:  # pdfminer raises many unrelated types on bad files
        raise IngestError(f"page {index + 1}: text layer unreadable: "
                          f"{type(exc).__name__}: {exc}",
                          vi=f"Không đọc được lớp chữ của trang {index + 1}") from exc
    finally:
        _close_quietly(pdf)


def _close_quietly(pdf) -> None:
    """pdfplumber's close() walks every page and can fail again on a damaged file."""
    with contextlib.suppress(Exception):  # the file is being given up anyway
        pdf.close()


def word_lines(words: list[dict]) -> list[list[dict]]:
    """pdfplumber's words grouped into lines: top to bottom, a word within 3 points of a
    line's first word's top on that line, left to right by the sort."""
    lines: list[list[dict]] = []
    for word in sorted(words, key=lambda w: (round(w["top"]), w["x0"])):
        if lines and abs(lines[-1][0]["top"] - word["top"]) <= 3:
            lines[-1].append(word)
        else:
            lines.append([word])
    return lines


def _lines_with_columns(words: list[dict], height: float, columns: bool = True) -> str:
    lines = word_lines(words)
    left: list[str] = []
    right: list[str] = []
    body: list[str] = []
    for line in lines:
        line.sort(key=lambda w: w["x0"])
        segments = _split_on_gaps(line)
        in_header = columns and line[0]["top"] < 0.35 * height and not body
        if in_header and len(segments) == 2:
            left.append(segments[0])
            right.append(segments[1])
        else:
            if left or right:
                body.extend(left + right)
                left, right = [], []
            body.append(" ".join(segments))
    return "\n".join(body + left + right)


def _split_on_gaps(line: list[dict]) -> list[str]:
    segments = [[line[0]["text"]]]
    for prev, word in pairwise(line):
        if word["x0"] - prev["x1"] > _COLUMN_GAP:
            segments.append([])
        segments[-1].append(word["text"])
    return [" ".join(seg) for seg in segments]


def text_layer_is_usable(text: str, min_letters: int) -> tuple[bool, str]:
    """Decide whether a text layer can be used as it is, and say why."""
    letters = len(_LETTER.findall(text))
    if letters == 0:
        return False, "no text layer"
    if letters < min_letters:
        return False, f"text layer too thin ({letters} letters)"
    return True, "text layer"


def scan_resolution(data: bytes, page_number: int) -> float | None:
    """The resolution of a scanned page: its one image's pixels per inch when a
    single image covers the page, else None."""
    import pypdfium2 as pdfium

    pdf = open_pdfium(data)
    try:
        page = _load_page(pdf, page_number - 1)
        try:
            width, height = page.get_size()
            images = [o for o in page.get_objects() if isinstance(o, pdfium.PdfImage)]
            if len(images) != 1:
                return None
            left, bottom, right, top = images[0].get_bounds()
            if (right - left) * (top - bottom) < 0.9 * width * height:
                return None
            meta = images[0].get_metadata()
            return float(meta.horizontal_dpi) if meta.horizontal_dpi > 0 else None
        finally:
            page.close()
    except (pdfium.PdfiumError, IngestError):
        return None
    finally:
        pdf.close()


def render_page(data: bytes, page_number: int, dpi: float, max_pixels: int) -> Image.Image:
    """Rasterise one page (1-based) at `dpi` (in grey levels unless it shows colour,
    a seal's red, which preprocessing takes out by its colour), or less when the
    page is so large that `dpi` would exceed `max_pixels` (a page declaring a
    huge size must not exhaust memory).  The image carries its resolution in
    `info["dpi"]` for the OCR engine."""
    import math

    pdf = open_pdfium(data)
    try:
        page = _load_page(pdf, page_number - 1)
        try:
            width, height = page.get_size()
            scale = dpi / 72.0
            if width * height * scale * scale > max_pixels:
                scale = math.sqrt(max_pixels / max(width * height, 1.0))
            bitmap = page.render(scale=scale)
            image = grey_unless_coloured(bitmap.to_pil())
            image.info["dpi"] = (scale * 72.0, scale * 72.0)
            return image
        finally:
            page.close()
    finally:
        pdf.close()
