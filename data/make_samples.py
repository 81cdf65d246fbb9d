#!/usr/bin/env python3
"""Build the committed sample inputs of plandiff from the five seed plans.

    python data/make_samples.py [--seeds data/seeds] [--out data/samples]
                                [--fixture-out tests/fixtures/ocr_page]

The seeds are plain-text copies of five real plans filed in Quảng Ngãi in
2025. The default run of the product processes a folder holding one file per
plan, in the three shapes filings arrive in, so this script writes:

  000_tra_bong.pdf              seed 000 typeset as a digital PDF (text layer)
  001_ngok_tu.txt               seed 001, byte copy
  002_dak_to.txt                seed 002, byte copy (English-model OCR text)
  003_dong_tra_bong_scan.pdf    seed 003 typeset, rasterised at 200 dpi, given
                                mild scan noise: an image-only PDF
  004_vp_ubnd_tinh.pdf          seed 004 typeset as a digital PDF

and, for the OCR tests, tests/fixtures/ocr_page/{page.png,truth.txt}: the
top of page 1 of the scanned seed 003 and the exact text of the lines in it.

Typesetting: A4, Liberation Serif 13 pt (TrueType, embedded), margins
top/bottom 20 mm, left 30 mm, right 15 mm, leading 1.25 plus 3 pt after each
paragraph, page numbers centred at the top from page 2 on. Every non-blank seed line (stripped, NFC, U+FFFD
dropped, inner whitespace collapsed) becomes one left-aligned paragraph,
word-wrapped to the text width; upper-case heading lines are bold; `KẾ HOẠCH`
and the line after it are centred. Hard-wrapped seeds are not re-flowed.

Scanning: pypdfium2 renders the pages at 200 dpi grayscale; each page gets
light-grey paper, gaussian grain, a few dark specks, a skew within ±0.4° and
a slight blur, and is stored as a JPEG (quality 64) on an A4 page.

The output is deterministic: reportlab runs with invariant=1 (no dates, fixed
document id) and all noise comes from fixed random seeds, so a second run
writes byte-identical files. Needs reportlab, pypdfium2, pillow and numpy.
"""
from __future__ import annotations

import argparse
import io
import shutil
import sys
import tempfile
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from PIL import Image, ImageFilter
from reportlab import rl_config
from reportlab.lib.pagesizes import A4
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

# ----------------------------------------------------------------- parameters
MM = 72.0 / 25.4                      # points per millimetre
PAGE_W, PAGE_H = A4                   # 595.28 x 841.89 pt
MARGIN_TOP, MARGIN_BOTTOM = 20 * MM, 20 * MM
MARGIN_LEFT, MARGIN_RIGHT = 30 * MM, 15 * MM
TEXT_W = PAGE_W - MARGIN_LEFT - MARGIN_RIGHT
FONT_SIZE = 13.0
LEADING = 1.25 * FONT_SIZE            # baseline-to-baseline distance
PARA_GAP = 3.0                        # extra space after a paragraph, pt
BASELINE_DROP = 0.78 * LEADING        # from a line box's top to its baseline
PAGE_NO_Y = PAGE_H - 12 * MM          # baseline of the page number

FONT_DIR = Path("/usr/share/fonts/truetype/liberation2")
REGULAR, BOLD = "LiberationSerif", "LiberationSerif-Bold"
FONT_FILES = {REGULAR: "LiberationSerif-Regular.ttf", BOLD: "LiberationSerif-Bold.ttf"}

SCAN_DPI = 200
JPEG_QUALITY = 64                     # with 6 dense pages this keeps the PDF near 1.5 MB
INK_GREY = 45.0                       # grey level of the toner
GRAIN_SIGMA = 2.0                     # sensor grain, grey levels
BLUR_RADIUS = 0.7                     # optics blur, pixels at 200 dpi
FIXTURE_LEVELS = 32                   # grey levels kept in page.png (keeps it small)
NOISE_SEED = 20250417                 # the date of Plan 82; any fixed value works
FIXTURE_LINES = (12, 15)              # the fixture ends after a paragraph in this range

# seed prefix -> (output name, how it is produced, PDF title)
SAMPLES = {
    "000": ("000_tra_bong.pdf", "digital",
            "Kế hoạch truyền thông CCHC và CĐS 2025 - huyện Trà Bồng"),
    "001": ("001_ngok_tu.txt", "copy", None),
    "002": ("002_dak_to.txt", "copy", None),
    "003": ("003_dong_tra_bong_scan.pdf", "scan",
            "Kế hoạch tuyên truyền CCHC 6 tháng cuối 2025 - xã Đông Trà Bồng"),
    "004": ("004_vp_ubnd_tinh.pdf", "digital",
            "Kế hoạch tuyên truyền CCHC, CĐS 2025 - Văn phòng UBND tỉnh"),
}


# ----------------------------------------------------------------- text
@dataclass
class Paragraph:
    text: str
    bold: bool = False
    centred: bool = False


@dataclass
class Line:
    """One line of text as drawn: its string, font and position (pt)."""
    text: str
    font: str
    x: float
    baseline: float
    para_end: bool = False


@dataclass
class Page:
    number: int
    lines: list[Line] = field(default_factory=list)
    page_label: str | None = None


def clean_line(raw: str) -> str:
    """NFC, no U+FFFD, inner whitespace (tabs, NBSP) collapsed, stripped."""
    text = unicodedata.normalize("NFC", raw).replace("\ufffd", "")
    return " ".join(text.split())


def read_seed_lines(path: Path) -> list[str]:
    """The non-blank lines of a seed file, cleaned."""
    lines = (clean_line(ln) for ln in path.read_text(encoding="utf-8").splitlines())
    return [ln for ln in lines if ln]


def is_heading(line: str) -> bool:
    """A line in capitals with at least two words, not a list item.

    Excludes wrapped fragments such as `CCHC.` and dash items such as
    `- VP HĐND&UBND: C,PVP; CVVX;` that happen to be upper case.
    """
    words = [w for w in line.split() if any(ch.isalpha() for ch in w)]
    return line.isupper() and len(words) >= 2 and not line.startswith(("-", "+", "–"))


def to_paragraphs(lines: list[str]) -> list[Paragraph]:
    """One paragraph per line; `KẾ HOẠCH` and the next line are centred."""
    paras = [Paragraph(ln, bold=is_heading(ln)) for ln in lines]
    for i, p in enumerate(paras):
        if p.text == "KẾ HOẠCH":
            p.centred = True
            if i + 1 < len(paras):
                paras[i + 1].centred = True
                paras[i + 1].bold = True
            break
    return paras


# ----------------------------------------------------------------- layout
def setup_reportlab() -> None:
    """Register the TrueType fonts (embedded as subsets) and use binary streams."""
    rl_config.useA85 = 0              # ASCII85 would add 25 % to every stream
    for name, filename in FONT_FILES.items():
        path = FONT_DIR / filename
        if not path.exists():
            raise SystemExit(f"{path} not found: apt-get install fonts-liberation2")
        if name not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(TTFont(name, str(path)))


def text_width(text: str, font: str) -> float:
    return pdfmetrics.stringWidth(text, font, FONT_SIZE)


def split_long_word(word: str, font: str, width: float) -> list[str]:
    """Cut a word wider than the text width into pieces that fit."""
    pieces, cur = [], ""
    for ch in word:
        if cur and text_width(cur + ch, font) > width:
            pieces.append(cur)
            cur = ""
        cur += ch
    return pieces + [cur]


def wrap(text: str, font: str, width: float) -> list[str]:
    """Greedy word wrap to `width` points."""
    lines: list[str] = []
    cur = ""
    for word in text.split():
        trial = f"{cur} {word}" if cur else word
        if text_width(trial, font) <= width:
            cur = trial
            continue
        if cur:
            lines.append(cur)
        parts = split_long_word(word, font, width)
        lines.extend(parts[:-1])
        cur = parts[-1]
    return lines + ([cur] if cur else [])


class Layout:
    """Places paragraphs on A4 pages, remembering every line it places."""

    def __init__(self) -> None:
        self.pages: list[Page] = []
        self.top = 0.0
        self.new_page()

    def new_page(self) -> None:
        number = len(self.pages) + 1
        self.pages.append(Page(number, page_label=str(number) if number > 1 else None))
        self.top = PAGE_H - MARGIN_TOP

    def place(self, text: str, font: str, x: float) -> Line:
        if self.top - LEADING < MARGIN_BOTTOM:
            self.new_page()
        line = Line(text, font, x, self.top - BASELINE_DROP)
        self.pages[-1].lines.append(line)
        self.top -= LEADING
        return line

    def add(self, para: Paragraph) -> None:
        font = BOLD if para.bold else REGULAR
        placed = []
        for text in wrap(para.text, font, TEXT_W):
            x = MARGIN_LEFT
            if para.centred:
                x += (TEXT_W - text_width(text, font)) / 2
            placed.append(self.place(text, font, x))
        if placed:
            placed[-1].para_end = True
        self.top -= PARA_GAP


def layout(paras: list[Paragraph]) -> list[Page]:
    lay = Layout()
    for para in paras:
        lay.add(para)
    return [p for p in lay.pages if p.lines]


def new_canvas(path: Path, title: str) -> canvas.Canvas:
    """An A4 canvas without dates or random ids (invariant=1)."""
    c = canvas.Canvas(str(path), pagesize=A4, invariant=1, pageCompression=1,
                      initialFontName=REGULAR, initialFontSize=FONT_SIZE)
    c.setTitle(title)
    c.setAuthor("plandiff data/make_samples.py")
    return c


def write_pdf(pages: list[Page], path: Path, title: str) -> None:
    """Draw laid-out pages into a digital PDF with an embedded-font text layer."""
    c = new_canvas(path, title)
    c.setSubject("Sample plan implementing Kế hoạch số 82/KH-UBND (Quảng Ngãi, 2025)")
    for page in pages:
        if page.page_label:
            c.setFont(REGULAR, FONT_SIZE)
            c.drawCentredString(PAGE_W / 2, PAGE_NO_Y, page.page_label)
        for line in page.lines:
            c.setFont(line.font, FONT_SIZE)
            c.drawString(line.x, line.baseline, line.text)
        c.showPage()
    c.save()


def render_digital(seed: Path, out: Path, title: str) -> list[Page]:
    pages = layout(to_paragraphs(read_seed_lines(seed)))
    write_pdf(pages, out, title)
    return pages


# ----------------------------------------------------------------- scanning
def rasterise(pdf: Path, dpi: int) -> list[Image.Image]:
    """Every page of a PDF as an 8-bit grayscale image."""
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(str(pdf))
    try:
        return [doc[i].render(scale=dpi / 72.0, grayscale=True).to_pil().convert("L")
                for i in range(len(doc))]
    finally:
        doc.close()


def add_specks(a: np.ndarray, rng: np.random.Generator) -> None:
    """A few small dark dots (dust on the glass), in place."""
    h, w = a.shape
    for _ in range(int(rng.integers(4, 9))):
        cy, cx = int(rng.integers(3, h - 3)), int(rng.integers(3, w - 3))
        r = float(rng.uniform(0.8, 1.8))
        yy, xx = np.mgrid[cy - 2:cy + 3, cx - 2:cx + 3]
        dot = (yy - cy) ** 2 + (xx - cx) ** 2 <= r * r
        a[cy - 2:cy + 3, cx - 2:cx + 3][dot] = float(rng.uniform(40, 90))


def scan_noise(img: Image.Image, rng: np.random.Generator) -> Image.Image:
    """Mild scanner look: grey paper, grain, specks, a small skew, a slight blur."""
    paper = float(rng.uniform(236, 244))
    a = np.asarray(img, dtype=np.float32) / 255.0
    a = INK_GREY + (paper - INK_GREY) * a
    a += rng.normal(0.0, GRAIN_SIGMA, a.shape).astype(np.float32)
    add_specks(a, rng)
    out = Image.fromarray(np.clip(a, 0, 255).round().astype(np.uint8), "L")
    angle = float(rng.uniform(-0.4, 0.4))
    out = out.rotate(angle, resample=Image.Resampling.BICUBIC, fillcolor=int(paper))
    return out.filter(ImageFilter.GaussianBlur(BLUR_RADIUS))


def jpeg_bytes(img: Image.Image) -> bytes:
    """Encode a grayscale page as a JPEG (deterministic for a given libjpeg)."""
    buf = io.BytesIO()
    img.save(buf, format="JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True)
    return buf.getvalue()


def write_image_pdf(jpegs: list[bytes], path: Path, title: str) -> None:
    """Image-only PDF: each JPEG stored as is (DCTDecode) on a full A4 page.

    PIL's own PDF writer stamps CreationDate/ModDate, so reportlab with
    invariant=1 is used instead.
    """
    c = new_canvas(path, title)
    for data in jpegs:
        c.drawImage(ImageReader(io.BytesIO(data)), 0, 0, width=PAGE_W, height=PAGE_H)
        c.showPage()
    c.save()


def page_rng(index: int) -> np.random.Generator:
    """The noise generator of one scanned page (so the fixture can replay it)."""
    return np.random.default_rng([NOISE_SEED, index])


def scanned_page(clean: Image.Image, index: int) -> bytes:
    """One clean page image -> the JPEG the scanner would have produced."""
    return jpeg_bytes(scan_noise(clean, page_rng(index)))


def render_scan(seed: Path, out: Path, title: str) -> tuple[list[Page], list[Image.Image]]:
    """Typeset, rasterise, add noise, write the image-only PDF.

    Returns the layout and the clean (noise-free) page images.
    """
    with tempfile.TemporaryDirectory() as tmp:
        digital = Path(tmp) / "digital.pdf"
        pages = render_digital(seed, digital, title)
        clean = rasterise(digital, SCAN_DPI)
    write_image_pdf([scanned_page(img, i) for i, img in enumerate(clean)], out, title)
    return pages, clean


# ----------------------------------------------------------------- OCR fixture
def fixture_cut(page: Page) -> int:
    """How many lines the fixture shows: the last paragraph end in FIXTURE_LINES."""
    lo, hi = FIXTURE_LINES
    ends = [i + 1 for i, ln in enumerate(page.lines[:hi]) if ln.para_end and i + 1 >= lo]
    return ends[-1] if ends else hi


def to_px(points: float) -> int:
    """A distance in points as pixels of the scan."""
    return int(round(points * SCAN_DPI / 72.0))


def fewer_greys(img: Image.Image, levels: int) -> Image.Image:
    """Round an 8-bit image to `levels` evenly spaced grey levels (still mode L)."""
    step = 255.0 / (levels - 1)
    a = np.asarray(img, dtype=np.float32)
    return Image.fromarray((np.round(a / step) * step).round().astype(np.uint8), "L")


def write_fixture(page: Page, clean: Image.Image, out_dir: Path) -> None:
    """The top of scanned page 1 as page.png, and the text of its lines as truth.txt.

    Lines below the last shown one would peek into the crop (stacked
    Vietnamese accents, the skew), so they are erased from the clean page
    before the page's own noise is replayed: inside the crop the image is
    the scanned page 1 of the PDF, up to JPEG block effects near the cut and
    the grey levels, which are reduced to keep the PNG small.
    """
    n = fixture_cut(page)
    shown = page.lines[:n]
    erase_from = to_px(PAGE_H - shown[-1].baseline + 0.3 * FONT_SIZE)
    blank = clean.copy()
    blank.paste(255, (0, erase_from, blank.width, blank.height))
    scan = Image.open(io.BytesIO(scanned_page(blank, 0))).convert("L")
    box = (to_px(MARGIN_LEFT - 6 * MM), to_px(12 * MM),
           to_px(PAGE_W - MARGIN_RIGHT + 4 * MM), erase_from + to_px(0.6 * LEADING))
    out_dir.mkdir(parents=True, exist_ok=True)
    fewer_greys(scan.crop(box), FIXTURE_LEVELS).save(out_dir / "page.png", optimize=True)
    truth = "".join(ln.text + "\n" for ln in shown)
    (out_dir / "truth.txt").write_text(truth, encoding="utf-8", newline="\n")


# ----------------------------------------------------------------- driver
def find_seed(seeds: Path, prefix: str) -> Path:
    """The one seed file named PREFIX_<hash>.txt."""
    found = sorted(seeds.glob(f"{prefix}_*.txt"))
    if len(found) != 1:
        raise SystemExit(f"expected one seed {prefix}_*.txt in {seeds}, found {len(found)}")
    return found[0]


def make_sample(prefix: str, seeds: Path, out: Path, fixture_out: Path) -> Path:
    """Write one sample (and, for the scan, the OCR fixture); return its path."""
    name, how, title = SAMPLES[prefix]
    seed, target = find_seed(seeds, prefix), out / name
    if how == "copy":
        shutil.copyfile(seed, target)
    elif how == "digital":
        render_digital(seed, target, title)
    else:
        pages, clean = render_scan(seed, target, title)
        write_fixture(pages[0], clean[0], fixture_out)
    return target


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seeds", type=Path, default=Path("data/seeds"), help="folder of seed .txt files")
    ap.add_argument("--out", type=Path, default=Path("data/samples"), help="folder for the five samples")
    ap.add_argument("--fixture-out", type=Path, default=Path("tests/fixtures/ocr_page"),
                    help="folder for the OCR fixture (page.png, truth.txt)")
    return ap.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    setup_reportlab()
    args.out.mkdir(parents=True, exist_ok=True)
    for prefix in SAMPLES:
        path = make_sample(prefix, args.seeds, args.out, args.fixture_out)
        print(f"{path}  {path.stat().st_size:,} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
