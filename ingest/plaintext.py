"""Plain-text inputs: decoding and page splitting."""
from __future__ import annotations

from .errors import IngestError
from .textnorm import clean_text

_BOMS = (
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
)


def decode_text(data: bytes) -> str:
    """Decode bytes as UTF-8 (with or without BOM) or BOM-marked UTF-16."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return data.decode(codec)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise IngestError(
            f"text is not valid UTF-8 (byte {exc.start}); re-save the file as UTF-8"
        ) from exc


def text_pages(data: bytes) -> list[str]:
    """Pages of a text file: form feeds separate pages, as pdftotext writes them."""
    text = clean_text(decode_text(data))
    pages = text.split("\f")
    if len(pages) > 1 and not pages[-1].strip():
        pages = pages[:-1]
    return pages
