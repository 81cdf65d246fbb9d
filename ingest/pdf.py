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
    """Text of every page's text layer, read with pdfplumber."""
    pdf = open_pdf(data)
    try:
        for index, page in enumerate(pdf.pages):
            try:
                text = page.extract_text(x_tolerance=1.5, y_tolerance=3) or ""
            except Exception as exc:
                raise IngestError(f"page {index + 1}: text layer unreadable: {exc}") from exc
            finally:
                page.close()
            yield PdfPage(number=index + 1, text=clean_text(text))
    finally:
        pdf.close()


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
