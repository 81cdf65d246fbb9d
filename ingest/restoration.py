"""Diacritic restoration of ingested pages (text that lost its marks)."""
from __future__ import annotations

from dataclasses import replace

from .model import Page


def restore_pages(pages: list[Page]) -> tuple[list[Page], bool]:
    """Restore every page judged diacritic-less; keep the original text."""
    from .diacritics import load_model

    model = load_model()
    text = "\n".join(p.text for p in pages)
    if not model.needs_restoration(text):
        return pages, False
    out, changed = [], False
    for page in pages:
        restored = model.restore(page.text)
        if restored != page.text:
            changed = True
            page = replace(page, text=restored, original_text=page.text,
                           reason=page.reason + "; diacritics restored")
        out.append(page)
    return out, changed


def model_version() -> str:
    """Identity of the shipped restoration model (its file size and hash prefix)."""
    import hashlib
    from pathlib import Path

    from . import diacritics

    folder = Path(diacritics.__file__).resolve().parent
    digest = hashlib.sha256()
    for path in sorted(folder.glob("model*")):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]
