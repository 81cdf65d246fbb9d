"""Vietnamese diacritic restoration and English-model OCR repair.

    from plandiff.ingest.diacritics import load_model
    r = load_model()                 # shipped model, cached per process
    if r.needs_restoration(text):
        text = r.restore(text)       # only damaged lines change

The model file ``model.npz`` ships with the package; it is rebuilt with
``python -m plandiff.ingest.diacritics.train`` (see that module).

Modules: `restorer` (the `Restorer`: detection, candidates, decoding),
`language_model` (the trigram tables and back-off scoring), `tokens` (one
line's tokens and casing), `units` (LM tokenisation and units), `modelfile`
(the file format, `RestorationError`); training only: `train`,
`kneser_ney`, `token_alignment`, `ocrgen`.
"""
from __future__ import annotations

import logging
import os
import threading

from ..linebreaks import continues
from ..syllables import has_marks, is_vn_shape
from .modelfile import RestorationError
from .restorer import Restorer

__all__ = ["load_model", "Restorer", "RestorationError", "DEFAULT_MODEL", "continues", "has_marks", "is_vn_shape"]

log = logging.getLogger(__name__)

DEFAULT_MODEL = os.path.join(os.path.dirname(os.path.abspath(__file__)), "model.npz")
_CACHE: dict[str, Restorer] = {}
_LOCK = threading.Lock()


def load_model(path: str | os.PathLike | None = None) -> Restorer:
    """Load (once per process and path) a restoration model; default: the shipped one.

    Raises RestorationError (an `IngestError`) if the file is missing or corrupt.
    """
    p = os.path.abspath(os.fspath(path)) if path is not None else DEFAULT_MODEL
    with _LOCK:
        r = _CACHE.get(p)
        if r is None:
            if not os.path.isfile(p):
                raise RestorationError(f"diacritics model not found: {p}")
            r = _CACHE[p] = Restorer(p)
            log.debug("diacritics model loaded: %s", p)
        return r
