"""Batch throughput, scaling and incremental re-runs.

Builds a mixed batch of plans (digital PDFs, scanned PDFs, English-model OCR
text, clean text) from the sample plans and the shared bench fixtures, then
measures, each in a fresh output folder and a fresh process:

* documents and pages per second with 1 and 2 local workers, and on a Dask
  LocalCluster of 2 single-threaded workers (if the dask extra is installed);
* the speed-up from 1 to 2 workers on the OCR-heavy part of the batch;
* CPU utilisation and peak resident memory of the worker processes, at two
  batch sizes (memory must not grow with the batch);
* a no-op re-run over 1,000 processed files, and the time to take in one new
  file added to those 1,000.

    .venv/bin/python benchmarks/batch.py [--plans 200] [--scans 20] [--noop 1000]

Run it on an otherwise idle machine: it measures wall time.
"""
from __future__ import annotations

import argparse
import json
import random
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from shared_paths import shared

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO / "data" / "seeds"
SCAN = REPO / "data" / "samples" / "003_dong_tra_bong_scan.pdf"
SHARED = shared("bench")   # ../shared/bench beside the checkout, or $PLANDIFF_SHARED/bench


# ------------------------------------------------------------------ the batch

def _edit(text: str, rng: random.Random) -> str:
    """A plan a different office could have filed: one sentence of its own, a
    different date — enough to give it its own content hash."""
    lines = text.split("\n")
    at = rng.randrange(len(lines) // 3, max(len(lines) // 3 + 1, len(lines) - 5))
    lines.insert(at, f"- Tổ chức hoạt động truyền thông số {rng.randrange(10**6)} tại địa phương.")
    return "\n".join(lines)


def make_text_plans(folder: Path, count: int, rng: random.Random) -> None:
    seeds = sorted(SEEDS.glob("*.txt"))
    english = sorted(SHARED.glob("scans/*.eng.txt"))
    for i in range(count):
        source = english[i % len(english)] if english and i % 4 == 3 else seeds[i % len(seeds)]
        text = source.read_text(encoding="utf-8")
        (folder / f"t{i:04d}_{source.stem[:12]}.txt").write_text(_edit(text, rng), encoding="utf-8")


def make_digital_pdfs(folder: Path, count: int, rng: random.Random) -> None:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(TTFont("LS", "/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf"))
    seeds = sorted(SEEDS.glob("*.txt"))
    for i in range(count):
        text = _edit(seeds[i % len(seeds)].read_text(encoding="utf-8"), rng)
        c = canvas.Canvas(str(folder / f"d{i:04d}.pdf"), pagesize=A4, invariant=1)
        c.setFont("LS", 12)
        y = 800
        for line in (ln.strip() for ln in text.split("\n")):
            if not line:
                continue
            while line:
                chunk, line = line[:95], line[95:]
                c.drawString(60, y, chunk)
                y -= 16
                if y < 60:
                    c.showPage()
                    c.setFont("LS", 12)
                    y = 800
        c.save()


def make_scans(folder: Path, count: int, pages: int, rng: random.Random) -> None:
    """Image-only PDFs of `pages` pages from the sample scan, each file distinct."""
    import pypdfium2 as pdfium
    from PIL import ImageEnhance

    pdf = pdfium.PdfDocument(SCAN)
    images = [pdf[i].render(scale=200 / 72, grayscale=True).to_pil().convert("L")
              for i in range(len(pdf))]
    pdf.close()
    for i in range(count):
        first = (i * pages) % max(len(images) - pages + 1, 1)
        chosen = [ImageEnhance.Brightness(im).enhance(0.97 + 0.0004 * (i % 50))
                  for im in images[first:first + pages]]
        chosen[0].save(folder / f"s{i:04d}.pdf", save_all=True, append_images=chosen[1:],
                       resolution=200.0)


# ------------------------------------------------------------------ measuring

def measure(inputs: list[Path], out: Path, extra: list[str]) -> dict:
    """Run plandiff in a child process; wall time, CPU time, peak RSS of its children."""
    script = (
        "import json,resource,sys,time\n"
        "from plandiff.cli import main\n"
        "t=time.perf_counter(); code=main(sys.argv[1:]); wall=time.perf_counter()-t\n"
        "me=resource.getrusage(resource.RUSAGE_SELF); ch=resource.getrusage(resource.RUSAGE_CHILDREN)\n"
        "print(json.dumps({'code':code,'wall':wall,'cpu':me.ru_utime+me.ru_stime+ch.ru_utime+ch.ru_stime,"
        "'rss_self_mb':me.ru_maxrss/1024,'rss_children_mb':ch.ru_maxrss/1024}))\n")
    argv = [sys.executable, "-c", script, "run", *map(str, inputs), "--out", str(out),
            "--quiet", *extra]
    done = subprocess.run(argv, capture_output=True, text=True, cwd=REPO)
    lines = [ln for ln in done.stdout.splitlines() if ln.startswith("{")]
    if not lines:
        raise RuntimeError(f"plandiff failed:\n{done.stdout}\n{done.stderr}")
    return json.loads(lines[-1])


def pages_of(out: Path) -> int:
    import pandas as pd

    return int(len(pd.read_parquet(out / "pages")))


def row(label: str, docs: int, pages: int, m: dict, workers: int) -> str:
    util = m["cpu"] / (m["wall"] * workers) if m["wall"] else 0
    return (f"{label:<34} {docs:>5} {pages:>6} {m['wall']:>8.1f} {docs / m['wall']:>7.2f} "
            f"{pages / m['wall']:>7.2f} {util:>6.0%} {m['rss_children_mb'] or m['rss_self_mb']:>8.0f}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--plans", type=int, default=200, help="plans in the mixed batch")
    ap.add_argument("--scans", type=int, default=20, help="of which scanned PDFs")
    ap.add_argument("--scan-pages", type=int, default=2)
    ap.add_argument("--noop", type=int, default=1000, help="files for the no-op re-run")
    ap.add_argument("--keep", action="store_true", help="keep the generated batch")
    ap.add_argument("--noop-only", action="store_true", help="only the 1,000-file re-run figures")
    ap.add_argument("--modes", default="explicit,auto", help="reference modes for the re-run figures")
    args = ap.parse_args()
    if args.noop_only:
        work = Path(tempfile.mkdtemp(prefix="plandiff-batch-"))
        (work / "big").mkdir()
        noop_report(work / "big", work, args.noop, random.Random(7), args.modes.split(","))
        shutil.rmtree(work, ignore_errors=True)
        return 0
    rng = random.Random(7)
    work = Path(tempfile.mkdtemp(prefix="plandiff-batch-"))
    mixed, scans, big = work / "mixed", work / "scans", work / "big"
    for folder in (mixed, scans, big):
        folder.mkdir()
    n_pdf = args.plans // 5
    make_text_plans(mixed, args.plans - n_pdf - args.scans, rng)
    make_digital_pdfs(mixed, n_pdf, rng)
    make_scans(scans, args.scans, args.scan_pages, rng)
    for p in scans.iterdir():
        shutil.copy(p, mixed / p.name)
    print(f"batch: {args.plans} plans ({args.plans - n_pdf - args.scans} text, {n_pdf} digital PDF, "
          f"{args.scans} scanned PDF of {args.scan_pages} pages) in {work}\n")
    header = (f"{'run':<34} {'docs':>5} {'pages':>6} {'wall s':>8} {'docs/s':>7} {'pages/s':>7} "
              f"{'CPU':>6} {'peakMB':>8}")
    print(header)
    print("-" * len(header))
    results = {}
    for label, inputs, extra, workers in (
            ("OCR-heavy scans, 1 worker", [scans], ["--workers", "1"], 1),
            ("OCR-heavy scans, 2 workers", [scans], ["--workers", "2"], 2),
            ("mixed batch, 1 worker", [mixed], ["--workers", "1"], 1),
            ("mixed batch, 2 workers", [mixed], ["--workers", "2"], 2)):
        out = work / f"out-{len(results)}"
        m = measure(inputs, out, extra)
        docs = len(list(inputs[0].iterdir()))
        results[label] = (m, docs, pages_of(out))
        print(row(label, docs, pages_of(out), m, workers))
    cluster = dask_cluster_run(mixed, work)
    if cluster:
        print(row("mixed batch, Dask LocalCluster 2x1", cluster[1], cluster[2], cluster[0], 2))
    ocr1, ocr2 = results["OCR-heavy scans, 1 worker"][0], results["OCR-heavy scans, 2 workers"][0]
    print(f"\nspeed-up 1 -> 2 workers, OCR-heavy: {ocr1['wall'] / ocr2['wall']:.2f}x  "
          f"(mixed: {results['mixed batch, 1 worker'][0]['wall'] / results['mixed batch, 2 workers'][0]['wall']:.2f}x)")
    small = measure([scans], work / "mem-small", ["--workers", "2", "--force"])
    print(f"peak worker memory: {small['rss_children_mb']:.0f} MB for {args.scans} scans, "
          f"{results['mixed batch, 2 workers'][0]['rss_children_mb']:.0f} MB for the {args.plans}-plan batch")
    noop_report(big, work, args.noop, rng, args.modes.split(","))
    per_page = ocr1["wall"] / max(results["OCR-heavy scans, 1 worker"][2], 1)
    print(f"\nmeasured OCR cost: {per_page:.2f} s per scanned page on one core")
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    return 0


def dask_cluster_run(folder: Path, work: Path):
    try:
        import distributed
    except ImportError:
        print("(dask extra not installed: no cluster run)")
        return None
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster:
        out = work / "out-dask"
        m = measure([folder], out, ["--engine", "dask", "--address", cluster.scheduler_address])
        return m, len(list(folder.iterdir())), pages_of(out)


def noop_report(big: Path, work: Path, count: int, rng: random.Random, modes: list[str]) -> None:
    make_text_plans(big, count, rng)
    reference = sorted(SEEDS.glob("001_*.txt"))[0]
    print()
    runs = {"explicit": ("explicit reference (seed 001)", str(reference)),
            "auto": ("--reference auto", "auto")}
    for label, ref in (runs[m] for m in modes):
        out = work / f"out-big-{ref == 'auto'}"
        # A batch job writes the tables; the report is rendered separately.
        flags = ["--workers", "2", "--reference", ref, "--no-report"]
        first = measure([big], out, flags)
        noop = measure([big], out, flags)
        new = big / f"new_plan_{ref == 'auto'}.txt"
        new.write_text(_edit(reference.read_text(encoding="utf-8"), rng), encoding="utf-8")
        one_new = measure([big], out, flags)
        print(f"{count} text plans, {label}: first run {first['wall']:.1f} s; "
              f"no-op re-run {noop['wall']:.2f} s; one new file added: {one_new['wall']:.1f} s")


if __name__ == "__main__":
    sys.exit(main())
