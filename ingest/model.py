"""What ingest produces: a document's pages of clean NFC text, with provenance."""
from __future__ import annotations

import enum
from dataclasses import dataclass, field

PAGE_BREAK = "\f"


class TextSource(enum.StrEnum):
    TEXT_LAYER = "text_layer"
    OCR = "ocr"
    PLAIN_TEXT = "plain_text"
    LEGACY_CONVERTED = "legacy_converted"
    MIXED = "mixed"


class MediaType(enum.StrEnum):
    PDF = "pdf"
    IMAGE = "image"
    DOCX = "docx"
    DOC = "doc"    # Word 97-2003 (OLE2 compound file), read through LibreOffice
    RTF = "rtf"    # read through LibreOffice
    ODT = "odt"    # OpenDocument text, read through LibreOffice
    TEXT = "text"


@dataclass(frozen=True)
class Page:
    """One page of text. `number` is 1-based; `start` is the offset of the
    page's first character in `IngestedDocument.text`."""

    number: int
    text: str
    source: TextSource
    reason: str
    start: int = 0
    ocr_engine: str | None = None
    ocr_language: str | None = None
    ocr_confidence: float | None = None
    seconds: float = 0.0
    original_text: str | None = None  # before diacritic restoration, if any
    ocr_corrections: int | None = None  # syllables the post-OCR pass changed (OCR pages)


@dataclass(frozen=True)
class IngestedDocument:
    doc_id: str
    source_path: str
    sha256: str
    media_type: MediaType
    pages: tuple[Page, ...] = field(default_factory=tuple)
    diacritics_restored: bool = False

    @property
    def text(self) -> str:
        """All pages joined by form feeds; page offsets index into this."""
        return PAGE_BREAK.join(p.text for p in self.pages)

    @property
    def text_source(self) -> TextSource:
        sources = {p.source for p in self.pages}
        if len(sources) == 1:
            return next(iter(sources))
        return TextSource.MIXED if sources else TextSource.PLAIN_TEXT

    def page_at(self, offset: int) -> int | None:
        """1-based page number holding character `offset` of `text`."""
        found = None
        for p in self.pages:
            if p.start <= offset:
                found = p.number
            else:
                break
        return found


def doc_id_for(sha256: str) -> str:
    """Stable document id: derived from the content hash only."""
    return "d" + sha256[:16]
