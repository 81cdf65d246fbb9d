"""Digital text layers: plandiff's reader against pdfplumber alone.

Builds digital PDFs of 25, 100 and 400 pages (sample plan text, Liberation
Serif, A4) and measures, each in a fresh child process: pages per second and
peak resident memory of plandiff's text-layer path (`plandiff.ingest` with
restoration off) and of pdfplumber's `extract_text` over every page.
Memory must not grow with the page count.

A last row reads a 100-page PDF whose lines are drawn out of reading order
(odd lines first, then even ones): every page is then detected as such and
rebuilt from pdfplumber's word positions, which is what that repair costs.

    .venv/bin/python benchmarks/textlayer.py
"""
from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
FONT = "/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf"

CHILD = {
    "plandiff": (
        "from dataclasses import replace\n"
        "from plandiff.ingest import IngestConfig, ingest\n"
        "doc = ingest(PATH, replace(IngestConfig(), restore_diacritics=False))\n"
        "pages = len(doc.pages)\n"),
    "pdfplumber": (
        "import pdfplumber\n"
        "pages = 0\n"
        "with pdfplumber.open(PATH) as pdf:\n"
        "    for page in pdf.pages:\n"
        "        page.extract_text(); page.close(); pages += 1\n"),
}


def make_pdf(path: Path, pages: int, shuffled: bool = False) -> None:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(TTFont("LS", FONT))
    lines = [ln.strip() for ln in (REPO / "data" / "seeds" / "001_34a554ab57f69638.txt")
             .read_text(encoding="utf-8").split("\n") if ln.strip()]
    words = " ".join(lines).split()
    c = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    w = 0
    for _ in range(pages):
        c.setFont("LS", 13)
        placed = []
        for y in range(790, 60, -18):
            line = []
            while len(" ".join(line)) < 85:
                line.append(words[w % len(words)])
                w += 1
            placed.append((y, " ".join(line)))
        if shuffled:
            placed = placed[::2] + placed[1::2]
        for y, text in placed:
            c.drawString(70, y, text)
        c.showPage()
    c.save()


def measure(tool: str, pdf: Path) -> dict:
    script = (f"import json,resource,time\nPATH={str(pdf)!r}\nt=time.perf_counter()\n{CHILD[tool]}"
              "wall=time.perf_counter()-t\n"
              "print(json.dumps({'pages':pages,'wall':wall,"
              "'rss_mb':resource.getrusage(resource.RUSAGE_SELF).ru_maxrss/1024}))\n")
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=REPO, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> int:
    print(f"{'pages':>5} {'tool':<11} {'pages/s':>9} {'peak MB':>8} {'speed-up':>9}")
    with tempfile.TemporaryDirectory() as tmp:
        for pages in (25, 100, 400):
            pdf = Path(tmp) / f"digital_{pages}.pdf"
            make_pdf(pdf, pages)
            results = {tool: measure(tool, pdf) for tool in ("pdfplumber", "plandiff")}
            base = results["pdfplumber"]["pages"] / results["pdfplumber"]["wall"]
            for tool, r in results.items():
                rate = r["pages"] / r["wall"]
                print(f"{pages:>5} {tool:<11} {rate:>9.1f} {r['rss_mb']:>8.0f} {rate / base:>8.1f}x")
        pdf = Path(tmp) / "shuffled_100.pdf"
        make_pdf(pdf, 100, shuffled=True)
        r = measure("plandiff", pdf)
        rate = r["pages"] / r["wall"]
        print(f"{100:>5} {'plandiff':<11} {rate:>9.1f} {r['rss_mb']:>8.0f}    (every page out of "
              f"reading order, rebuilt; {rate / base:.1f}x pdfplumber on the ordered 400 pages)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
