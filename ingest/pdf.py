"""PDF pages: text layer when it is usable, page images for OCR otherwise."""
from __future__ import annotations

import io
import re
from dataclasses import dataclass
from typing import Iterator

from PIL import Image

from .errors import IngestError
from .textnorm import clean_text

_LETTER = re.compile(r"[^\W\d_]", re.UNICODE)


@dataclass(frozen=True)
class PdfPage:
    number: int
    text: str  # the text layer, NFC ('' when there is none)


def open_pdf(data: bytes):
    import pdfplumber
    from pdfminer.pdfparser import PDFSyntaxError

    try:
        return pdfplumber.open(io.BytesIO(data))
    except PDFSyntaxError as exc:
        raise IngestError(f"not a readable PDF: {exc}") from exc
    except Exception as exc:  # pdfminer raises many unrelated types on bad files
        raise IngestError(f"PDF could not be opened: {type(exc).__name__}: {exc}") from exc


def text_layer_pages(data: bytes) -> Iterator[PdfPage]:
    """Text of every page's text layer.

    Pages are read with pypdfium2 (about 50x faster than pdfplumber here);
    page 1, which holds the two-column header block, is read with pdfplumber's
    word positions so that the columns come out one after the other instead
    of interleaved on the same lines.
    """
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        raise IngestError(f"not a readable PDF: {exc}") from exc
    try:
        for index in range(len(pdf)):
            if index == 0:
                text = _first_page_columns(data)
                if text is not None:
                    yield PdfPage(number=1, text=clean_text(text))
                    continue
            page = pdf[index]
            try:
                textpage = page.get_textpage()
                try:
                    text = textpage.get_text_range()
                finally:
                    textpage.close()
            except pdfium.PdfiumError as exc:
                raise IngestError(f"page {index + 1}: text layer unreadable: {exc}") from exc
            finally:
                page.close()
            # pdfium marks a hyphen at a line end with U+FFFE; keep hyphen and break.
            yield PdfPage(number=index + 1, text=clean_text(text.replace("\ufffe", "-\n")))
    finally:
        pdf.close()


_COLUMN_GAP = 36.0  # points of empty space that separate two header columns


def _first_page_columns(data: bytes) -> str | None:
    """Page 1 with its header columns separated, or None when it has no text."""
    pdf = open_pdf(data)
    try:
        if not pdf.pages:
            return None
        page = pdf.pages[0]
        try:
            words = page.extract_words(x_tolerance=1.5, y_tolerance=3, keep_blank_chars=False)
            if not words:
                return None
            return _lines_with_columns(words, page.height)
        finally:
            page.close()
    except IngestError:
        raise
    except Exception as exc:  # pdfminer raises many unrelated types on bad files
        raise IngestError(f"page 1: text layer unreadable: {type(exc).__name__}: {exc}") from exc
    finally:
        pdf.close()


def _lines_with_columns(words: list[dict], height: float) -> str:
    lines: list[list[dict]] = []
    for word in sorted(words, key=lambda w: (round(w["top"]), w["x0"])):
        if lines and abs(lines[-1][0]["top"] - word["top"]) <= 3:
            lines[-1].append(word)
        else:
            lines.append([word])
    left: list[str] = []
    right: list[str] = []
    body: list[str] = []
    for line in lines:
        line.sort(key=lambda w: w["x0"])
        segments = _split_on_gaps(line)
        in_header = line[0]["top"] < 0.35 * height and not body
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
    for prev, word in zip(line, line[1:]):
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


def render_page(data: bytes, page_number: int, dpi: int) -> Image.Image:
    """Rasterise one page (1-based) in grey levels at `dpi`."""
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        raise IngestError(f"PDF could not be rendered: {exc}") from exc
    try:
        page = pdf[page_number - 1]
        try:
            bitmap = page.render(scale=dpi / 72.0, grayscale=True)
            return bitmap.to_pil().convert("L")
        finally:
            page.close()
    finally:
        pdf.close()
