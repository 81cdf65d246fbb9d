"""Generate (truth line, English-model OCR line) pairs for the OCR channel model.

Training-time only.  Clean Vietnamese lines are drawn on A4-sized page images
in Liberation Serif (the metric twin of Times New Roman, the usual font of
Vietnamese administrative documents), given mild scan artefacts, read back
with ``tesseract -l eng`` and paired line by line with what was drawn.

    python -m plandiff.ingest.diacritics.ocrgen --corpus ../shared/corpus \
        --seeds data/seeds --out ~/.cache/plandiff-diacritics/ocrpairs.jsonl --pages 120

Deterministic for a given Tesseract build: fixed random seeds, sorted inputs.
The output holds corpus text: keep it out of the repository (it is a cache).
"""
from __future__ import annotations

import argparse
import glob
import json
import lzma
import os
import random
import re
import subprocess
import tempfile

from plandiff.ingest.textnorm import clean_text, fold

FONT_DIRS = ["/usr/share/fonts/truetype/liberation2", "/usr/share/fonts/truetype/liberation"]
# Seeds used for channel data: never 002 (English OCR itself) and never the
# plans whose scans the benchmark scores (000, 001).
CHANNEL_SEEDS = ("003", "004")


def _font(style: str) -> str:
    for d in FONT_DIRS:
        p = os.path.join(d, f"LiberationSerif-{style}.ttf")
        if os.path.exists(p):
            return p
    raise FileNotFoundError("Liberation Serif 2.x not found (apt-get install fonts-liberation2)")


def source_lines(corpus: str, seeds: str, n_corpus: int, rng: random.Random) -> list[str]:
    """Clean paragraphs: the channel seeds in full plus a sample of legal and wiki text."""
    out: list[str] = []
    for sid in CHANNEL_SEEDS:
        for p in sorted(glob.glob(os.path.join(seeds, f"{sid}_*.txt"))):
            with open(p, encoding="utf-8") as f:
                text = clean_text(f.read())
            for ln in text.split("\n"):
                ln = re.sub(r"\s+", " ", ln).strip()
                if len(ln) >= 3:
                    out.append(ln)
    for name, share in (("vi_legal_vlc.txt.xz", 0.7), ("vi_wiki.txt.xz", 0.3)):
        path = os.path.join(corpus, name)
        if not os.path.exists(path):
            continue
        cand = []
        with lzma.open(path, "rt", encoding="utf-8") as f:
            for i, ln in enumerate(f):
                if name.startswith("vi_wiki") and i > 400_000:
                    break
                ln = re.sub(r"\s+", " ", clean_text(ln)).strip()
                if 30 <= len(ln) <= 600 and not ln.startswith(("###", "==", "---")):
                    cand.append(ln)
        k = min(len(cand), int(n_corpus * share))
        out.extend(rng.sample(cand, k))
    return out


def wrap(text: str, font, width: float) -> list[str]:
    words, lines, cur = text.split(" "), [], ""
    for w in words:
        t = (cur + " " + w) if cur else w
        if cur and font.getlength(t) > width:
            lines.append(cur)
            cur = w
        else:
            cur = t
    if cur:
        lines.append(cur)
    return lines


def render_page(lines: list[tuple[str, bool]], dpi: int, size_pt: float, rng: random.Random, heavy: bool = False):
    import numpy as np
    from PIL import Image, ImageDraw, ImageFilter, ImageFont

    W, H = int(8.27 * dpi), int(11.69 * dpi)
    img = Image.new("L", (W, H), 255)
    d = ImageDraw.Draw(img)
    px = size_pt * dpi / 72.0
    fonts = {False: ImageFont.truetype(_font("Regular"), int(round(px))),
             True: ImageFont.truetype(_font("Bold"), int(round(px)))}
    x0, y = int(0.8 * dpi), int(0.8 * dpi)
    for text, bold in lines:
        d.text((x0, y), text, font=fonts[bold], fill=20)
        y += int(px * 1.3)
    drawn = np.asarray(img, dtype=np.float32)
    nrs = np.random.default_rng(rng.randrange(2**31))
    paper = rng.randint(236, 250)
    toned = 20 + (paper - 20) * (drawn - 20) / 235.0   # white becomes the paper's grey
    noisy = toned + nrs.normal(0, rng.uniform(2.0, 4.0), toned.shape)
    im = Image.fromarray(np.clip(noisy, 0, 255).astype(np.uint8), "L")
    if heavy:
        # photocopy-like: ink spreads (strokes thicken), then a softer focus
        im = im.filter(ImageFilter.MinFilter(3))
    im = im.rotate(rng.uniform(-0.5, 0.5), resample=Image.Resampling.BICUBIC, fillcolor=paper)
    blur = rng.uniform(0.8, 1.2) if heavy else rng.uniform(0.35, 0.65)
    im = im.filter(ImageFilter.GaussianBlur(blur * dpi / 300.0))
    return im


def ocr(im, quality: int) -> str:
    with tempfile.TemporaryDirectory() as td:
        p = os.path.join(td, "page.jpg")
        im.save(p, quality=quality)
        r = subprocess.run(["tesseract", p, "-", "-l", "eng", "--psm", "6"], capture_output=True,
                           env=dict(os.environ, OMP_THREAD_LIMIT="1"), check=True)
        return r.stdout.decode("utf-8", "replace")


def pair_lines(truth: list[str], got: list[str]) -> list[tuple[str, str]]:
    """Pair drawn lines with OCR lines (monotone alignment on folded similarity)."""
    from rapidfuzz import fuzz

    got = [g.strip() for g in got if g.strip()]
    pairs, j = [], 0
    for t in truth:
        ft = fold(t)
        best, bj = 0.0, None
        for k in range(j, min(j + 3, len(got))):
            s = fuzz.ratio(ft, fold(got[k]))
            if s > best:
                best, bj = s, k
        if bj is not None and best >= 60:
            pairs.append((t, got[bj]))
            j = bj + 1
    return pairs


def generate(corpus: str, seeds: str, out: str, pages: int = 120, seed: int = 7,
             lines_per_page: int = 34, log=None, heavy: bool = False) -> int:
    """Write (truth, OCR) line pairs as JSON lines; ``heavy`` draws thick, soft
    photocopy-like pages at 150-200 dpi (the kind of scan plan 002 came from)."""
    from PIL import ImageFont

    rng = random.Random(seed)
    paras = source_lines(corpus, seeds, n_corpus=pages * 12, rng=rng)
    rng.shuffle(paras)
    n = 0
    with open(out, "w", encoding="utf-8") as fo:
        pi = 0
        for page in range(pages):
            dpi = (150, 200, 175)[page % 3] if heavy else (200, 300, 240)[page % 3]
            size = rng.choice((12.0, 13.0, 13.0, 14.0))
            font = ImageFont.truetype(_font("Regular"), int(round(size * dpi / 72.0)))
            width = 6.6 * dpi
            drawn: list[tuple[str, bool]] = []
            while len(drawn) < lines_per_page and pi < len(paras):
                p = paras[pi]
                pi += 1
                r = rng.random()
                bold = r < 0.1
                if r < 0.12 and len(p) < 120:
                    p = p.upper()
                for ln in wrap(p, font, width * (0.93 if bold else 1.0)):
                    drawn.append((ln, bold))
            drawn = drawn[:lines_per_page]
            if not drawn:
                break
            im = render_page(drawn, dpi, size, rng, heavy=heavy)
            text = ocr(im, rng.randint(75, 90))
            for t, o in pair_lines([d for d, _ in drawn], text.split("\n")):
                fo.write(json.dumps({"t": t, "o": o, "dpi": dpi}, ensure_ascii=False) + "\n")
                n += 1
            fo.flush()
            if log:
                log(f"page {page + 1}/{pages}: {n} pairs")
    return n


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", required=True)
    ap.add_argument("--seeds", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--pages", type=int, default=120)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--heavy", action="store_true", help="thick, soft photocopy-like pages at 150-200 dpi")
    args = ap.parse_args(argv)
    generate(args.corpus, args.seeds, args.out, args.pages, args.seed, log=print, heavy=args.heavy)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
