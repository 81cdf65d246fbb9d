"""OCR quality and cost: plandiff against plain Tesseract and OCRmyPDF.

For every scanned fixture (an image-only PDF with a `.pages.json` beside it
giving the exact text of each page) this prints, per engine: character error
rate (Levenshtein distance / truth length, whitespace collapsed, NFC), the
same ignoring case and diacritics, and CPU seconds per page.

* plain     — `tesseract PAGE.png - -l vie --oem 1 --psm 3` on each page
              rendered at the scan's own resolution;
* ocrmypdf  — `ocrmypdf -l vie --force-ocr --sidecar` (if installed);
* plandiff  — `plandiff.ingest.ingest` (routing, despeckle/deskew, Tesseract
              LSTM `vie`, post-OCR correction), diacritic restoration off so
              the OCR is measured;
* plandiff-pass — the same run's Tesseract output before the post-OCR
              correction pass (`ingest/postocr.py`): its CPU is plandiff's
              minus the pass's, measured by running the pass again alone;
* held-out  — with `--held-out DIR`: the pass with a language model trained
              without the fixture's plan (`DIR/model_no<seed>.npz`, as made by
              benchmarks/diacritics.py).  The shipped model was trained on the
              four sample plans the scans are made from, so this row is the
              honest estimate for plans it has never seen.

    .venv/bin/python benchmarks/ocr.py [PDF ...] [--held-out DIR] [--no-ocrmypdf] [--no-throughput]
    (default: every bench/scans/*.pdf with page truth in the shared folder beside the checkout,
     ../shared or $PLANDIFF_SHARED; see benchmarks/shared_paths.py)

Also prints the parallel OCR throughput: pages per second with 1 and 2
workers on the first fixture.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import unicodedata
from dataclasses import replace
from pathlib import Path

from rapidfuzz.distance import Levenshtein
from shared_paths import require, shared

REPO = Path(__file__).resolve().parents[1]
SCANS = shared("bench", "scans")


def norm(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


def folded(text: str) -> str:
    from plandiff.ingest.textnorm import fold

    return fold(norm(text))


def cer(produced: list[str], truth: list[str]) -> tuple[float, float]:
    dist = sum(Levenshtein.distance(norm(p), norm(t)) for p, t in zip(produced, truth, strict=False))
    fdist = sum(Levenshtein.distance(folded(p), folded(t)) for p, t in zip(produced, truth, strict=False))
    total = sum(len(norm(t)) for t in truth)
    return dist / total, fdist / total


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def self_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def truth_of(pdf: Path) -> list[str]:
    pages = json.loads(pdf.with_suffix(".pages.json").read_text(encoding="utf-8"))["pages"]
    return [p["text"] for p in pages]


def plain_tesseract(pdf: Path, work: Path) -> tuple[list[str], float]:
    import pypdfium2 as pdfium
    from plandiff.ingest.pdf import scan_resolution

    data = pdf.read_bytes()
    doc = pdfium.PdfDocument(data)
    texts, cpu = [], 0.0
    env = dict(os.environ, OMP_THREAD_LIMIT="1")
    for i in range(len(doc)):
        before_render = self_cpu()  # rendering the page is part of plain OCR's cost too
        dpi = scan_resolution(data, i + 1) or 300
        image = doc[i].render(scale=dpi / 72, grayscale=True).to_pil()
        png = work / f"p{i}.png"
        image.save(png, dpi=(dpi, dpi))
        cpu += self_cpu() - before_render
        before = children_cpu()
        out = subprocess.run(["tesseract", str(png), "-", "-l", "vie", "--oem", "1", "--psm", "3"],
                             capture_output=True, text=True, env=env, check=True)
        cpu += children_cpu() - before
        texts.append(out.stdout)
    return texts, cpu


def ocrmypdf(pdf: Path, work: Path) -> tuple[list[str], float] | None:
    exe = shutil.which("ocrmypdf") or str(Path(sys.executable).parent / "ocrmypdf")
    if not Path(exe).exists():
        return None
    sidecar = work / "sidecar.txt"
    before = children_cpu()
    done = subprocess.run([exe, "-l", "vie", "--force-ocr", "--jobs", "1", "--output-type", "pdf",
                           "--sidecar", str(sidecar), str(pdf), str(work / "out.pdf")],
                          capture_output=True, text=True,
                          env=dict(os.environ, OMP_THREAD_LIMIT="1"))
    cpu = children_cpu() - before
    if done.returncode != 0:
        print(f"  (ocrmypdf failed: {done.stderr.strip().splitlines()[-1:]})")
        return None
    return sidecar.read_text(encoding="utf-8").split("\f"), cpu


class RecordingTesseract:
    """Tesseract that keeps what it read, i.e. the text before the post-OCR pass."""

    name = "tesseract"

    def __init__(self, timeout: float):
        from plandiff.ingest.ocr import TesseractEngine

        self.engine = TesseractEngine(timeout=timeout)
        self.raw: list[str] = []

    def recognize(self, image, language):
        result = self.engine.recognize(image, language)
        self.raw.append(result.text)
        return result


def plandiff_ocr(pdf: Path) -> tuple[list[str], float, list[str], list[str]]:
    """Page texts, CPU seconds, route reasons, and Tesseract's text before the pass."""
    from plandiff.ingest import IngestConfig, ingest

    config = replace(IngestConfig(), restore_diacritics=False, ocr_threads=1)
    engine = RecordingTesseract(config.ocr_timeout)
    before = children_cpu() + self_cpu()
    doc = ingest(pdf, config, engine)
    cpu = children_cpu() + self_cpu() - before
    if len(engine.raw) != len(doc.pages):
        raise SystemExit(f"{pdf}: not every page was OCR'd; this benchmark wants scans")
    return [p.text for p in doc.pages], cpu, [p.reason for p in doc.pages], engine.raw


def without_pass(raw: list[str]) -> tuple[list[str], float]:
    """Page texts as plandiff makes them with the pass off, and the pass's CPU seconds."""
    from plandiff.ingest import postocr
    from plandiff.ingest.postocr import correct_ocr_text
    from plandiff.ingest.textnorm import clean_text

    postocr._alternatives.cache_clear()  # cold, as in the ingest run it stands for
    before = self_cpu()
    for text in raw:
        correct_ocr_text(text)
    return [clean_text(t) for t in raw], self_cpu() - before


def held_out(raw: list[str], pdf: Path, folder: Path) -> list[str] | None:
    from plandiff.ingest.diacritics import load_model
    from plandiff.ingest.postocr import correct_ocr_text
    from plandiff.ingest.textnorm import clean_text

    seed = json.loads(pdf.with_suffix(".pages.json").read_text(encoding="utf-8")).get("seed")
    path = folder / f"model_no{seed}.npz"
    if not path.exists():
        print(f"  (no held-out model {path})")
        return None
    model = load_model(path)
    return [clean_text(correct_ocr_text(t, model=model)[0]) for t in raw]


def throughput(pdf: Path) -> None:
    from plandiff.ingest import IngestConfig, ingest

    print("\nparallel OCR (one document, pages across Tesseract processes):")
    base = None
    for threads in (1, 2):
        config = replace(IngestConfig(), restore_diacritics=False, ocr_threads=threads)
        t0 = time.perf_counter()
        doc = ingest(pdf, config)
        wall = time.perf_counter() - t0
        rate = len(doc.pages) / wall
        base = base or rate
        print(f"  {threads} worker(s): {rate:.2f} pages/s ({rate / base:.2f}x)")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("pdfs", nargs="*", type=Path)
    ap.add_argument("--no-ocrmypdf", action="store_true")
    ap.add_argument("--no-throughput", action="store_true", help="skip the 1- and 2-worker runs")
    ap.add_argument("--held-out", type=Path, metavar="DIR",
                    help="also score the pass with model_no<seed>.npz from DIR")
    args = ap.parse_args()
    pdfs = args.pdfs or sorted(p for p in require(SCANS, "the PDFs to score as arguments").glob("*.pdf")
                               if p.with_suffix(".pages.json").exists())
    header = (f"{'fixture':<28} {'engine':<13} {'pages':>5} {'CER':>7} {'CER fold':>8} "
              f"{'CPU s/page':>10} {'vs plain':>8}")
    print(header)
    print("-" * len(header))
    for pdf in pdfs:
        truth = truth_of(pdf)
        with tempfile.TemporaryDirectory() as tmp:
            work = Path(tmp)
            plain, plain_cpu = plain_tesseract(pdf, work)
            rows = [("plain", plain, plain_cpu)]
            if not args.no_ocrmypdf:
                other = ocrmypdf(pdf, work)
                if other:
                    rows.append(("ocrmypdf", other[0], other[1]))
            ours, ours_cpu, reasons, raw = plandiff_ocr(pdf)
            before, pass_cpu = without_pass(raw)
            rows.append(("plandiff-pass", before, ours_cpu - pass_cpu))
            rows.append(("plandiff", ours, ours_cpu))
            if args.held_out and (other := held_out(raw, pdf, args.held_out)):
                rows.append(("held-out LM", other, ours_cpu))
        for name, texts, cpu in rows:
            c, cf = cer(texts[:len(truth)], truth)
            per_page = cpu / len(truth)
            print(f"{pdf.stem[:28]:<28} {name:<13} {len(truth):>5} {c:>7.3%} {cf:>8.3%} "
                  f"{per_page:>10.2f} {cpu / plain_cpu:>7.2f}x")
        steps = sorted({r.split("(", 1)[1].rstrip(")") for r in reasons if "(" in r})
        print(f"{'':<28} plandiff preprocessing: {', '.join(steps) or 'none needed'}; "
              f"post-OCR pass {pass_cpu / len(truth):.3f} CPU s/page")
    if pdfs and not args.no_throughput:
        throughput(pdfs[0])
    return 0


if __name__ == "__main__":
    sys.exit(main())
