"""Diacritic restoration of ingested pages (text that lost its marks).

Outline labels at the start of a line (`Il.`, `A.`, `¢)`, `1.2.`) are held
out of restoration: they are numbering, not words, and the parser reads them
through OCR noise itself.
"""
from __future__ import annotations

import re
from dataclasses import replace

from .labels import BULLET, CLOSER, DECIMAL, LOWER_OCR, ROMAN_OCR, UPPER
from .model import Page

# A line's label, to keep as written.  Like the parser's reader it takes the
# OCR look-alikes (`Il.`, `¢)`): they are numbering, not words, and the
# parser reads them through the noise itself.  Unlike it, it knows only the common bullets,
# takes `A.` but not `A)`, and holds out a bare number (`2025 `) too: that is
# the hold-out the restorer was measured with, and moving it would change the
# text the model sees.  A number glued to what follows is no label but the
# start of a document code or date (`85/2016/ND-CP` wrapped to the start of a
# line): held out, it would leave `/2016/ND-CP`, which is no code any more.
_LABEL = re.compile(rf"^(\s*(?:{ROMAN_OCR}{CLOSER}|{UPPER}\.|{DECIMAL}(?:{CLOSER}|(?=\s))"
                    rf"|{LOWER_OCR}\)|{BULLET})\s*)(?=\S)")


def _restore_keeping_labels(model, text: str, province: str | None = None) -> str:
    labels, bodies = [], []
    for line in text.split("\n"):
        m = _LABEL.match(line)
        label = m.group(1) if m else ""
        labels.append(label)
        bodies.append(line[len(label):])
    restored = model.restore("\n".join(bodies), province=province).split("\n")
    if len(restored) != len(bodies):  # never expected; keep the model's own output then
        return model.restore(text, province=province)
    return "\n".join(label + body for label, body in zip(labels, restored, strict=False))


def restore_pages(pages: list[Page], model_path: str | None = None) -> tuple[list[Page], bool]:
    """Restore every page judged diacritic-less; keep the original text.

    ``model_path``: another model file than the shipped one (benchmarks compare
    candidate models through this same path)."""
    from .diacritics import load_model
    from .gazetteer import province_of

    model = load_model(model_path)
    text = "\n".join(p.text for p in pages)
    if not model.needs_restoration(text):
        return pages, False
    # Pages are restored one by one; the province that settles ambiguous place
    # names is the one the whole document names (usually on page 1).
    province = province_of(text)
    out, changed = [], False
    for page in pages:
        restored = _restore_keeping_labels(model, page.text, province)
        if restored != page.text:
            changed = True
            page = replace(page, text=restored, original_text=page.text,
                           reason=page.reason + "; diacritics restored")
        out.append(page)
    return out, changed


def model_version() -> str:
    """Identity of what restoration output depends on, for cache keys: the first
    16 hex digits of a SHA-256 over the place-name list's version
    (`gazetteer.data_version`), then the name and bytes of the shipped model
    file and of every module of `plandiff.ingest.diacritics`, in name order,
    then those of `legal_codes.py` (the code rule and its abbreviation lists).
    Any change to one of them gives another value."""
    import hashlib
    from pathlib import Path

    from . import diacritics
    from .gazetteer import data_version

    folder = Path(diacritics.__file__).resolve().parent
    digest = hashlib.sha256(data_version().encode())
    for path in sorted([Path(diacritics.DEFAULT_MODEL), *folder.glob("*.py")], key=lambda p: p.name):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    codes = Path(__file__).resolve().parent / "legal_codes.py"
    digest.update(codes.name.encode())
    digest.update(codes.read_bytes())
    return digest.hexdigest()[:16]
