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
    legacy: str | None = None  # "tcvn3" | "vni" when the layer was in a legacy font encoding


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
    of interleaved on the same lines.
    """
    import pypdfium2 as pdfium

    pdf = open_pdfium(data)
    try:
        first, last = page_range or (1, len(pdf))
        for index in range(max(first, 1) - 1, min(last, len(pdf))):
            page = _load_page(pdf, index)
            try:
                textpage = page.get_textpage()
                try:
                    text = textpage.get_text_range()
                finally:
                    textpage.close()
            except pdfium.PdfiumError as exc:
                raise IngestError(f"page {index + 1}: text layer unreadable: {exc}",
                                  vi=f"Không đọc được lớp chữ của trang {index + 1}") from exc
            finally:
                page.close()
            if index == 0 and text.strip():
                # Only a page with text is worth pdfplumber's slower layout pass.
                try:
                    found = _words_page(data, 0, columns=True)
                except IngestError:
                    found = None  # pdfminer cannot read it; pdfium's text stands
                if found is not None:
                    yield PdfPage(number=1, text=clean_text(found[0]), legacy=found[1])
                    continue
            if _legacy_encoding(text):
                # Legacy fonts: read again with font names, which tell the
                # encoding and whether a run is in an all-caps (".VnTimeH") font.
                found = _words_page(data, index, columns=False)
                if found is not None:
                    yield PdfPage(number=index + 1, text=clean_text(found[0]), legacy=found[1])
                    continue
            # pdfium marks a hyphen at a line end with U+FFFE; keep hyphen and break.
            yield PdfPage(number=index + 1, text=clean_text(text.replace("\ufffe", "-\n")))
    finally:
        pdf.close()


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
    try:
        pdf.close()
    except Exception:  # the file is being given up anyway
        pass


def _lines_with_columns(words: list[dict], height: float, columns: bool = True) -> str:
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


def render_page(data: bytes, page_number: int, dpi: int, max_pixels: int) -> Image.Image:
    """Rasterise one page (1-based) in grey levels at `dpi`, or less when the
    page is so large that `dpi` would exceed `max_pixels` (a page declaring a
    huge size must not exhaust memory)."""
    import math

    pdf = open_pdfium(data)
    try:
        page = _load_page(pdf, page_number - 1)
        try:
            width, height = page.get_size()
            scale = dpi / 72.0
            if width * height * scale * scale > max_pixels:
                scale = math.sqrt(max_pixels / max(width * height, 1.0))
            bitmap = page.render(scale=scale, grayscale=True)
            return bitmap.to_pil().convert("L")
        finally:
            page.close()
    finally:
        pdf.close()
