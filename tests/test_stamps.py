"""Round stamps over the text are painted out before OCR (ingest/preprocess.py).

A seal pressed over the lines of a plan made Tesseract read the lines it
crosses as separate blocks; on the invariance benchmark's stamped scans a
quarter of the items lost their place in the outline.  The page here is the
OCR fixture with a grey seal drawn over it, as a grey-scale scan shows a red one.
"""
from __future__ import annotations

import numpy as np
from conftest import FIXTURES, needs_tesseract
from PIL import Image, ImageChops, ImageDraw
from plandiff.ingest.preprocess import prepare, remove_stamps, stamp_masks
from rapidfuzz.distance import Levenshtein

CENTRE, RADIUS, GREY = (760, 470), 170, 120


def _page() -> Image.Image:
    return Image.open(FIXTURES / "ocr_page" / "page.png").convert("L")


def _stamped(page: Image.Image) -> Image.Image:
    """The page with a seal pressed over it: where stamp ink meets a letter the
    darker wins, as ink over ink does."""
    seal = Image.new("L", page.size, 255)
    draw = ImageDraw.Draw(seal)
    cx, cy = CENTRE
    for r in (RADIUS, int(RADIUS * 0.8)):
        draw.ellipse((cx - r, cy - r, cx + r, cy + r), outline=GREY, width=5)
    draw.line((cx - RADIUS, cy, cx + RADIUS, cy), fill=GREY, width=4)
    return ImageChops.darker(page, seal)


def _on_ring(image: Image.Image, r: int) -> np.ndarray:
    """Grey levels of the pixels on a circle of radius r round the stamp's centre."""
    angles = np.linspace(0, 2 * np.pi, 720, endpoint=False)
    xs = (CENTRE[0] + r * np.cos(angles)).round().astype(int)
    ys = (CENTRE[1] + r * np.sin(angles)).round().astype(int)
    return np.asarray(image)[ys, xs]


def test_a_round_stamp_is_found_and_painted_out_and_the_letters_stay():
    page = _page()
    stamped = _stamped(page)
    assert len(stamp_masks(stamped)) == 1
    cleaned, count = remove_stamps(stamped)
    assert count == 1
    # On the outer circle, nearly every pixel the stamp inked is paper again ...
    inked = _on_ring(stamped, RADIUS - 2) < 180
    assert inked.mean() > 0.9
    assert (_on_ring(cleaned, RADIUS - 2)[inked] >= 180).mean() > 0.9
    # ... and away from the stamp the page is untouched.
    far = np.asarray(page)[:, :500]
    assert np.array_equal(np.asarray(cleaned)[:, :500], far)
    assert "1 stamp removed" in prepare(stamped).steps


def test_pages_without_a_stamp_and_a_table_grid_are_left_alone():
    page = _page()
    assert stamp_masks(page) == []
    assert "stamp" not in " ".join(prepare(page).steps)
    # A table's ruled grid is a large, sparse piece of ink too, but not on a circle.
    grid = page.copy()
    draw = ImageDraw.Draw(grid)
    for k in range(5):
        draw.line((600, 300 + 80 * k, 1000, 300 + 80 * k), fill=0, width=3)
        draw.line((600 + 100 * k, 300, 600 + 100 * k, 620), fill=0, width=3)
    assert stamp_masks(grid) == []


def _read(image: Image.Image) -> tuple[str, float]:
    """The page's `reason` and its character error rate, read as plandiff reads an image file."""
    needs_tesseract()
    from plandiff.ingest import IngestConfig, ingest_bytes
    from test_ingest import _png

    truth = (FIXTURES / "ocr_page" / "truth.txt").read_text(encoding="utf-8")
    page = ingest_bytes(_png(image), "scan.png", IngestConfig()).pages[0]
    return page.reason, Levenshtein.normalized_distance(" ".join(page.text.split()), " ".join(truth.split()))


def test_tesseract_reads_the_lines_under_a_stamp_in_order():
    # Left in, the seal costs a third of the characters (CER 0.34): the lines
    # it crosses are read as blocks of their own.
    reason, cer = _read(_stamped(_page()))
    assert "stamp removed" in reason
    assert cer < 0.04


def _red_seal(page: Image.Image) -> Image.Image:
    """A colour scan of the page with a red seal (rings and the seal's own words) over it."""
    seal = Image.new("RGB", page.size, (255, 255, 255))
    draw = ImageDraw.Draw(seal)
    cx, cy = CENTRE
    for r in (RADIUS, int(RADIUS * 0.8)):
        draw.ellipse((cx - r, cy - r, cx + r, cy + r), outline=(205, 35, 45), width=6)
    draw.text((cx - 120, cy - 15), "UY BAN NHAN DAN XA", fill=(205, 35, 45))
    return ImageChops.multiply(page.convert("RGB"), seal)


def test_a_red_seal_on_a_colour_scan_goes_by_its_colour():
    from plandiff.ingest.preprocess import drop_coloured_ink, grey_unless_coloured

    page = _page()
    scan = _red_seal(page)
    assert grey_unless_coloured(scan).mode == "RGB"
    assert grey_unless_coloured(page.convert("RGB")).mode == "L"   # a grey page stays grey
    cleaned, share = drop_coloured_ink(scan)
    assert 0 < share < 0.5
    # The seal's pixels are paper again; the black letters it crossed are black still.
    assert (_on_ring(cleaned, RADIUS - 1) >= 200).mean() > 0.7
    assert not ((np.asarray(page) < 80) & (np.asarray(cleaned) >= 80)).any()
    assert prepare(scan).steps[0] == "coloured stamp ink removed"


def test_a_page_typed_in_blue_keeps_its_text():
    from plandiff.ingest.preprocess import drop_coloured_ink

    # White paper, every letter in blue ink: the colour is the text, nothing is removed.
    ink = (255 - np.asarray(_page(), dtype=np.float32)) / 255
    blue = np.stack([255 - ink * (255 - c) for c in (30, 50, 200)], axis=2).astype(np.uint8)
    cleaned, share = drop_coloured_ink(Image.fromarray(blue))
    assert share > 0.5
    assert np.array_equal(np.asarray(cleaned), np.asarray(Image.fromarray(blue).convert("L")))


def test_tesseract_reads_a_colour_scan_under_a_red_seal():
    # Left in (the page only made grey), the seal costs Tesseract more than half the characters.
    reason, cer = _read(_red_seal(_page()))
    assert "coloured stamp ink removed" in reason
    assert cer < 0.01


def _opaque_stamp(page: Image.Image) -> Image.Image:
    """A stamp whose ink covers the letters in its own grey (pressed hard, or
    scanned where the two inks come out alike): nothing tells a letter under
    the ring from the ring by its darkness."""
    stamped = page.copy()
    draw = ImageDraw.Draw(stamped)
    cx, cy = CENTRE
    for r in (RADIUS, int(RADIUS * 0.8)):
        draw.ellipse((cx - r, cy - r, cx + r, cy + r), outline=GREY, width=5)
    draw.line((cx - RADIUS, cy, cx + RADIUS, cy), fill=GREY, width=4)
    return stamped


def test_a_letter_cut_by_an_opaque_stamp_keeps_its_stroke_across_the_ring():
    page = _page()
    stamped = _opaque_stamp(page)
    cleaned, count = remove_stamps(stamped)
    assert count == 1
    letters, after = np.asarray(page) < 100, np.asarray(cleaned)
    # The ring's own band: the pixels the stamp inked, with the paper around it.
    band = (np.asarray(stamped) == GREY) & (np.asarray(page) > 200)
    under = (np.asarray(stamped) == GREY) & letters      # letter pixels the stamp covered
    assert under.sum() > 100
    # Where a letter's stroke ran across the ring, it is ink again; the ring elsewhere is paper.
    assert (after[under] < 200).mean() > 0.1     # 0 before strokes were kept across the ring
    assert (after[band] >= 200).mean() > 0.9


def test_tesseract_reads_the_lines_under_an_opaque_stamp():
    # Painted out without the strokes that cross it, the ring cut the letters: CER 0.061.
    reason, cer = _read(_opaque_stamp(_page()))
    assert "stamp removed" in reason
    assert cer < 0.05
