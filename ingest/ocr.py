"""OCR engines behind one narrow interface.

This is the only module that runs Tesseract.  Everything else asks an
`OcrEngine` for the text of a page image; tests use `FakeOcrEngine`.
"""
from __future__ import annotations

import logging
import os
import threading
from dataclasses import dataclass
from typing import Protocol

from PIL import Image

from .errors import IngestError

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class OcrResult:
    text: str
    confidence: float | None  # mean word confidence, 0..100
    engine: str
    language: str


class OcrEngine(Protocol):
    name: str

    def recognize(self, image: Image.Image, language: str) -> OcrResult: ...


class TesseractEngine:
    """Tesseract LSTM through pytesseract, one single-threaded process per call."""

    name = "tesseract"

    def __init__(self, psm: int = 3, oem: int = 1, timeout: float = 120.0):
        self.psm = psm
        self.oem = oem
        self.timeout = timeout
        # Tesseract's own OpenMP threads fight with our process-level
        # parallelism; one thread per process is faster overall.
        os.environ.setdefault("OMP_THREAD_LIMIT", "1")

    def version(self) -> str:
        import pytesseract

        return str(pytesseract.get_tesseract_version())

    def recognize(self, image: Image.Image, language: str) -> OcrResult:
        import pytesseract

        config = f"--oem {self.oem} --psm {self.psm}"
        dpi = _resolution(image)
        if dpi is not None:
            # pytesseract hands the image over without its resolution; left to
            # guess it, Tesseract misreads small print (distribution lists,
            # footnotes) on 200-dpi scans.
            config += f" --dpi {dpi}"
        try:
            data = pytesseract.image_to_data(
                image, lang=language, config=config,
                output_type=pytesseract.Output.DICT, timeout=self.timeout,
            )
        except pytesseract.TesseractNotFoundError as exc:
            raise IngestError(
                "Tesseract is not installed (apt-get install tesseract-ocr tesseract-ocr-vie)",
                vi="Máy chưa cài Tesseract để nhận dạng chữ") from exc
        except RuntimeError as exc:  # pytesseract raises RuntimeError on timeout
            raise IngestError(f"OCR of a page timed out after {self.timeout:.0f} s (ocr_timeout)",
                              vi=f"Nhận dạng chữ một trang quá {self.timeout:.0f} giây") from exc
        except pytesseract.TesseractError as exc:
            raise IngestError(f"Tesseract failed: {exc.message.strip()}",
                              vi="Tesseract gặp lỗi khi nhận dạng trang") from exc
        text, confidence = _text_from_tsv(data)
        return OcrResult(text=_with_task_table(image, data) or text, confidence=confidence,
                         engine=self.name, language=language)

    def orientation(self, image: Image.Image) -> int | None:
        """Degrees (90, 180 or 270, counter-clockwise) by which the page was turned,
        from Tesseract's orientation detection; None when it is upright or Tesseract
        is not sure (too little text, a weak guess)."""
        import pytesseract

        try:
            osd = pytesseract.image_to_osd(image, config="--psm 0", timeout=self.timeout)
        except (pytesseract.TesseractError, RuntimeError):
            return None   # too few characters to tell, or a timeout: leave the page as it is
        found = dict(line.split(":", 1) for line in osd.splitlines() if ":" in line)
        try:
            turned = int(found.get("Rotate", "0").strip())
            sure = float(found.get("Orientation confidence", "0").strip())
        except ValueError:
            return None
        return turned if turned in (90, 180, 270) and sure >= ORIENTATION_CONFIDENCE else None


# Tesseract's orientation confidence below which a page is not turned (its scale:
# about 1.6-2.3 on a page of text turned any way, near 0 on a guess).
ORIENTATION_CONFIDENCE = 1.0


def _resolution(image: Image.Image) -> int | None:
    """The image's resolution in dots per inch, when it says and it is plausible
    for a scan.  72 and 96 dpi are what cameras and editors write when they do
    not know; Tesseract's own estimate is better than those."""
    dpi = image.info.get("dpi")
    if dpi is None:
        return None
    try:
        value = round(float(dpi[0] if isinstance(dpi, (tuple, list)) else dpi))
    except (TypeError, ValueError, IndexError):
        return None
    return value if 150 <= value <= 1200 else None


def _with_task_table(image: Image.Image, data: dict) -> str | None:
    """The page's text with its ruled task table written out row by row (`scan_tables.py`),
    or None when it has none."""
    import numpy as np

    from .scan_tables import rebuild

    try:
        found = rebuild(np.asarray(image.convert("L")), data)
    except (ValueError, KeyError, IndexError) as exc:   # the table is a bonus; the page stands
        log.warning("a table on the page could not be read (%s: %s); its text stands as OCR'd",
                    type(exc).__name__, exc)
        return None
    if found is None:
        return None
    inside, table_lines = found
    top = min(int(data["top"][i]) for i in inside)
    table = set(inside)
    above = [j for j in range(len(data["text"])) if j not in table and int(data["top"][j]) < top]
    below = [j for j in range(len(data["text"])) if j not in table and int(data["top"][j]) >= top]
    before = {k: [col[j] for j in above] for k, col in data.items()}
    after = {k: [col[j] for j in below] for k, col in data.items()}
    parts = [_text_from_tsv(before)[0], "\n".join(table_lines), _text_from_tsv(after)[0]]
    return "\n".join(p for p in parts if p.strip())


def _text_from_tsv(data: dict) -> tuple[str, float | None]:
    """Rebuild lines and paragraphs from Tesseract's word table."""
    lines: dict[tuple[int, int, int], list[str]] = {}
    confs: list[float] = []
    for i, word in enumerate(data["text"]):
        if not word or not word.strip():
            continue
        key = (data["block_num"][i], data["par_num"][i], data["line_num"][i])
        lines.setdefault(key, []).append(word.strip())
        conf = float(data["conf"][i])
        if conf >= 0:
            confs.append(conf)
    out: list[str] = []
    previous_par = None
    for key in sorted(lines):
        par = key[:2]
        if previous_par is not None and par != previous_par:
            out.append("")
        out.append(" ".join(lines[key]))
        previous_par = par
    confidence = sum(confs) / len(confs) if confs else None
    return "\n".join(out), confidence


class FakeOcrEngine:
    """Returns preset texts in order; for unit tests of the routing code."""

    name = "fake"

    def __init__(self, texts: list[str], confidence: float = 90.0):
        self._texts = list(texts)
        self.confidence = confidence
        self.calls = 0
        self.sizes: list[tuple[int, int]] = []
        self._lock = threading.Lock()

    def recognize(self, image: Image.Image, language: str) -> OcrResult:
        with self._lock:
            if self.calls >= len(self._texts):
                raise IngestError("fake OCR engine ran out of texts")
            text = self._texts[self.calls]
            self.calls += 1
            self.sizes.append(image.size)
        return OcrResult(text=text, confidence=self.confidence, engine=self.name, language=language)
