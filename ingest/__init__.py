"""Stage 1: files -> pages of clean NFC text with provenance.

`ingest(path, config)` reads one file (PDF, image, plain text), takes each PDF
page's text layer when it is usable, OCRs the others with Tesseract, restores
diacritics on text that lost them, and returns an `IngestedDocument`.
"""
from __future__ import annotations

import hashlib
import logging
import os
import re
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path

from .errors import IngestError
from .model import PAGE_BREAK, IngestedDocument, MediaType, Page, TextSource, doc_id_for
from .ocr import OcrEngine, TesseractEngine

log = logging.getLogger(__name__)

__all__ = [
    "IngestConfig", "IngestError", "IngestedDocument", "MediaType", "Page", "TextSource",
    "ingest", "ingest_bytes", "read_pages", "assemble", "pdf_page_count", "sniff_media_type",
    "SUPPORTED_SUFFIXES",
]

SUPPORTED_SUFFIXES = (".txt", ".text", ".pdf", ".png", ".jpg", ".jpeg", ".tif", ".tiff", ".docx",
                      ".doc", ".rtf", ".odt")

_OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # compound file: Word 97-2003 .doc
_ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"
# what a file named like a format is called when its content is not that format
_NAMED_KIND = {".pdf": ("a PDF", "PDF"), ".docx": ("a Word document", "Word"),
               ".doc": ("a Word document", "Word"), ".rtf": ("an RTF document", "RTF"),
               ".odt": ("an OpenDocument text", "OpenDocument")}


@dataclass(frozen=True)
class IngestConfig:
    ocr_language: str = "vie"
    ocr_dpi: int = 300
    ocr_timeout: float = 180.0
    min_text_letters: int = 40   # fewer letters on a PDF page: treat as scanned
    restore_diacritics: bool = True
    max_pages: int = 2000
    max_image_pixels: int = 60_000_000  # larger images are refused, larger PDF pages rendered smaller
    ocr_threads: int = 0         # Tesseract processes at once for one document; 0: one per core
    preprocess: bool = True      # despeckle and deskew page images that need it
    postocr: bool = True         # correct residual tone/vowel-mark errors of OCR with the LM


def sniff_media_type(data: bytes, name: str = "") -> MediaType:
    head = data[:16]
    if head.startswith(b"%PDF") or b"%PDF-" in data[:1024]:
        return MediaType.PDF
    if head.startswith(b"\x89PNG") or head.startswith(b"\xff\xd8\xff") \
            or head[:4] in (b"II*\x00", b"MM\x00*"):
        return MediaType.IMAGE
    if head.startswith(_OLE2_MAGIC):
        return MediaType.DOC
    if data[:64].lstrip(b"\xef\xbb\xbf \t\r\n")[:5] == b"{\\rtf":
        return MediaType.RTF
    if head.startswith(b"PK\x03\x04") and _is_odt(data):
        return MediaType.ODT
    if head.startswith(b"PK\x03\x04") and name.lower().endswith((".docx", ".doc")):
        return MediaType.DOCX
    if name.lower().endswith((".pdf", ".png", ".jpg", ".jpeg", ".tif", ".tiff", ".docx",
                              ".doc", ".rtf", ".odt")):
        kind, kind_vi = _NAMED_KIND.get(Path(name).suffix.lower(), ("an image", "ảnh"))
        raise IngestError(f"file is named like {kind} but its content is not one",
                          vi=f"Tệp có phần mở rộng của {kind_vi} "
                             "nhưng nội dung không phải; đề nghị gửi lại đúng tệp")
    return MediaType.TEXT


def _is_odt(data: bytes) -> bool:
    """An OpenDocument text: a zip whose `mimetype` entry says so (normally its first, stored)."""
    name_len, extra_len = int.from_bytes(data[26:28], "little"), int.from_bytes(data[28:30], "little")
    if data[30:30 + name_len] == b"mimetype" and data[8:10] == b"\0\0":
        # the usual layout (first entry, stored): no need to read the zip directory
        start = 30 + name_len + extra_len
        size = int.from_bytes(data[18:22], "little")
        return size == len(_ODT_MIMETYPE) and data[start:start + size] == _ODT_MIMETYPE
    import io
    import zipfile

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            info = archive.getinfo("mimetype")
            return info.file_size < 200 and archive.read(info).strip() == _ODT_MIMETYPE
    except (zipfile.BadZipFile, KeyError, OSError, RuntimeError, ValueError, EOFError):
        return False


def ingest(path: str | Path, config: IngestConfig = IngestConfig(),
           engine: OcrEngine | None = None) -> IngestedDocument:
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise IngestError(f"cannot read {path}: {exc.strerror or exc}",
                          vi=f"Không đọc được tệp {path}") from exc
    return ingest_bytes(data, str(path), config, engine)


def ingest_bytes(data: bytes, source_path: str, config: IngestConfig = IngestConfig(),
                 engine: OcrEngine | None = None) -> IngestedDocument:
    pages = read_pages(data, source_path, config, engine)
    return assemble(data, source_path, pages, config)


def read_pages(data: bytes, source_path: str, config: IngestConfig = IngestConfig(),
               engine: OcrEngine | None = None,
               page_range: tuple[int, int] | None = None) -> list[Page]:
    """The pages of a file, each by its route (text layer, OCR, plain text).

    `page_range` (1-based, inclusive) reads only those pages of a PDF, so that
    a long scan can be spread over several workers and `assemble`d after.
    """
    if not data:
        raise IngestError("file is empty", vi="Tệp rỗng, không có nội dung")
    media = sniff_media_type(data, source_path)
    if media is MediaType.PDF:
        return _pdf_pages(data, config, engine, page_range)
    if media is MediaType.IMAGE:
        return _image_pages(data, config, engine)
    if media is MediaType.DOCX:
        return _docx_pages(data)
    if media in (MediaType.DOC, MediaType.RTF, MediaType.ODT):
        from .office import office_pages

        return office_pages(data, media)
    return _text_pages(data)


def pdf_page_count(data: bytes) -> int:
    from .pdf import page_count

    return page_count(data)


def assemble(data: bytes, source_path: str, pages: list[Page],
             config: IngestConfig = IngestConfig()) -> IngestedDocument:
    """Pages -> document: restoration of lost diacritics, offsets, ids."""
    if not any(p.text.strip() for p in pages):
        raise IngestError("no text found in the document (blank pages or unreadable scan)",
                          vi="Không tìm thấy nội dung văn bản (trang trắng hoặc bản quét không đọc được)")
    sha = hashlib.sha256(data).hexdigest()
    restored = False
    if config.restore_diacritics:
        from .restoration import restore_pages

        pages, restored = restore_pages(pages)
    return IngestedDocument(
        doc_id=doc_id_for(sha), source_path=source_path, sha256=sha,
        media_type=sniff_media_type(data, source_path),
        pages=_with_offsets(pages), diacritics_restored=restored,
    )


def _with_offsets(pages: list[Page]) -> tuple[Page, ...]:
    out, start = [], 0
    for p in pages:
        out.append(replace(p, start=start))
        start += len(p.text) + len(PAGE_BREAK)
    return tuple(out)


def _docx_pages(data: bytes) -> list[Page]:
    from .docx import docx_text
    from .docx_prepare import prepare_docx
    from .textnorm import clean_text

    data, legacy = prepare_docx(data)
    source, reason = TextSource.PLAIN_TEXT, "Word document text"
    if legacy:
        source = TextSource.LEGACY_CONVERTED
        reason += f"; runs in the legacy {'/'.join(sorted(legacy))} font encoding: converted"
    pages = clean_text(docx_text(data)).split("\f")
    return [Page(number=i + 1, text=t, source=source, reason=reason) for i, t in enumerate(pages)]


def _text_pages(data: bytes) -> list[Page]:
    from .plaintext import text_pages

    pages, decoded = text_pages(data)
    source = TextSource.LEGACY_CONVERTED if decoded.converted else TextSource.PLAIN_TEXT
    return [Page(number=i + 1, text=t, source=source, reason=decoded.route)
            for i, t in enumerate(pages)]


def _pdf_pages(data: bytes, config: IngestConfig, engine: OcrEngine | None,
               page_range: tuple[int, int] | None = None) -> list[Page]:
    from .pdf import page_count, render_page, text_layer_is_usable, text_layer_pages

    if page_count(data) > config.max_pages:
        raise IngestError(f"PDF declares more than {config.max_pages} pages (limit max_pages)",
                          vi=f"Tệp PDF có hơn {config.max_pages} trang, vượt giới hạn cho phép")
    pages: dict[int, Page] = {}
    to_ocr: list[tuple[int, str]] = []
    for layer in text_layer_pages(data, page_range):
        if layer.number > config.max_pages:
            raise IngestError(f"PDF has more than {config.max_pages} pages (limit max_pages)",
                              vi=f"Tệp PDF có hơn {config.max_pages} trang, vượt giới hạn cho phép")
        t0 = time.perf_counter()
        usable, reason = text_layer_is_usable(layer.text, config.min_text_letters)
        if usable and layer.reordered:
            reason = "text layer out of reading order: rebuilt in reading order from glyph positions"
        if usable and layer.tables:
            reason = f"{reason}; {layer.tables} task table(s) read row by row"
        if usable and layer.reordered is False:
            to_ocr.append((layer.number, "text layer out of reading order and its glyph "
                                         f"positions unreadable: OCR'd with {config.ocr_language}"))
        elif usable and layer.legacy:
            pages[layer.number] = Page(
                number=layer.number, text=layer.text, source=TextSource.LEGACY_CONVERTED,
                reason=f"text layer in the legacy {layer.legacy.upper()} font encoding: converted"
                       + ("; rebuilt in reading order" if layer.reordered else ""),
                seconds=time.perf_counter() - t0)
        elif usable and (bad := _bad_layer(data, layer.number, layer.text)):
            to_ocr.append((layer.number, f"{bad}: OCR'd again with {config.ocr_language}"))
        elif usable:
            pages[layer.number] = Page(number=layer.number, text=layer.text,
                                       source=TextSource.TEXT_LAYER, reason=reason,
                                       seconds=time.perf_counter() - t0)
        else:
            to_ocr.append((layer.number, f"{reason}: OCR"))
    if not pages and not to_ocr and page_range is None:
        raise IngestError("PDF has no pages", vi="Tệp PDF không có trang nào")
    # Pages are rendered one by one here (pdfium is not thread-safe) and OCR'd
    # in parallel: each Tesseract call is its own single-threaded process.
    threads = config.ocr_threads or os.cpu_count() or 1
    with ThreadPoolExecutor(max_workers=max(1, threads)) as pool:
        pending = []
        for number, reason in to_ocr:
            t0 = time.perf_counter()
            image = render_page(data, number, _render_dpi(data, number, config),
                                config.max_image_pixels)
            pending.append(pool.submit(_ocr_page, image, number, reason, config, engine, t0))
            if len(pending) >= 2 * threads:
                _collect(pending, pages)
        _collect(pending, pages)
    return [pages[n] for n in sorted(pages)]


_ODD = re.compile(r"[^\w\s.,;:!?()\[\]/\-–—\"'“”‘’%&+*=<>…°№§]", re.UNICODE)


def _bad_layer(data: bytes, number: int, text: str) -> str | None:
    """Why a scanned page's text layer should not be trusted, or None.

    Only pages that are a scan (one image covering the page) are judged: their
    image can be read again.  A layer made by an English-model OCR (diacritics
    lost) or full of stray symbols is worse than Tesseract `vie` on the image.
    """
    from .pdf import scan_resolution

    if scan_resolution(data, number) is None:
        return None
    visible = [c for c in text if not c.isspace()]
    if visible and len(_ODD.findall(text)) / len(visible) > 0.15:
        return "text layer of a scan is mostly stray symbols"
    from .diacritics import load_model

    if load_model().needs_restoration(text):
        return "text layer of a scan lost its diacritics (an English-model OCR)"
    return None


def _render_dpi(data: bytes, number: int, config: IngestConfig) -> float:
    """A scanned page is rendered at the resolution it was scanned at (200 to
    400 dpi), exactly: resampling a scan to another resolution only loses
    detail, and even rounding 300.08 dpi to 300 resamples every pixel (it cost
    up to 12 characters of small print per page on the bench scans)."""
    from .pdf import scan_resolution

    native = scan_resolution(data, number)
    if native is not None and 195 <= native <= 405:
        return native
    return config.ocr_dpi


def _collect(pending: list, pages: dict[int, Page]) -> None:
    for future in pending:
        page = future.result()
        pages[page.number] = page
    pending.clear()


# Mean word confidence (0..100) under which a page may be upside down or on its side:
# upright pages, even damaged fax copies, read at 90 and more; a turned one at about 40.
UPRIGHT_CONFIDENCE = 60.0


def _upright(image, result, engine: OcrEngine, config: IngestConfig):
    """The OCR of a page scanned upside down or on its side, read again turned
    upright (and the angle), when Tesseract's reading is poor, its orientation
    detection is sure, and the turned page reads better."""
    orientation = getattr(engine, "orientation", None)
    if result.confidence is None or result.confidence >= UPRIGHT_CONFIDENCE or orientation is None:
        return result, 0
    angle = orientation(image)
    if not angle:
        return result, 0
    dpi = image.info.get("dpi")
    turned = image.rotate(-angle, expand=True, fillcolor=255 if image.mode == "L" else (255, 255, 255))
    if config.preprocess and turned.mode == "L":
        from .preprocess import deskew

        # The skew measured on the page on its side was a guess: measure it again upright.
        turned, _ = deskew(turned)
    if dpi is not None:
        turned.info["dpi"] = dpi
    again = engine.recognize(turned, config.ocr_language)
    if again.confidence is not None and again.confidence > result.confidence:
        log.info("page read again turned by %d degrees (confidence %.0f -> %.0f)", angle,
                 result.confidence, again.confidence)
        return again, angle
    return result, 0


def _image_pages(data: bytes, config: IngestConfig, engine: OcrEngine | None) -> list[Page]:
    from .images import image_frames

    pages = []
    for index, frame in enumerate(image_frames(data, config.max_image_pixels)):
        if index >= config.max_pages:
            raise IngestError(f"image has more than {config.max_pages} frames (limit max_pages)",
                              vi=f"Tệp ảnh có hơn {config.max_pages} trang, vượt giới hạn cho phép")
        pages.append(_ocr_page(frame, index + 1, "image file: OCR", config, engine,
                               time.perf_counter()))
    return pages


def _ocr_page(image, number: int, reason: str, config: IngestConfig,
              engine: OcrEngine | None, t0: float) -> Page:
    from .textnorm import clean_text

    engine = engine or TesseractEngine(timeout=config.ocr_timeout)
    if config.preprocess:
        from .preprocess import prepare

        dpi = image.info.get("dpi")
        prepared = prepare(image)
        image = prepared.image
        if dpi is not None:
            image.info["dpi"] = dpi  # the filters do not always carry it over
        if prepared.steps:
            reason = f"{reason} ({', '.join(prepared.steps)})"
    result = engine.recognize(image, config.ocr_language)
    result, turned = _upright(image, result, engine, config)
    if turned:
        reason = f"{reason} (turned upright: the page was rotated {turned}°)"
    text, corrections = result.text, None
    if config.postocr and config.ocr_language.startswith("vie"):
        from .postocr import correct_ocr_text

        # before clean_text: a Đ doubled as 'ĐÐ' is only recognisable while
        # the eth is still there
        text, corrections = correct_ocr_text(text)
    return Page(number=number, text=clean_text(text), source=TextSource.OCR, reason=reason,
                ocr_engine=result.engine, ocr_language=result.language,
                ocr_confidence=result.confidence, seconds=time.perf_counter() - t0,
                ocr_corrections=corrections)
