"""Page images made fit for OCR: drop coloured ink, even out the lighting, mend
scan lines, despeckle, remove stamps, deskew.

Each step runs only when the page needs it, because every filter costs
accuracy on pages that are already clean (a 3x3 median filter blurs the
thin strokes and stacked marks of 200-dpi Vietnamese text):

* coloured ink — a colour scan shows the red seal (and a blue signature) that
  every official document carries over its last lines; the page's text is
  black.  Strongly coloured pixels (chroma at least INK_CHROMA) that are red,
  magenta or blue are painted white before the page goes grey, where black
  text crossed by the seal stays black.  A page written mostly in colour
  (more than COLOURED_TEXT_SHARE of its ink) is left alone: its colour is text;
* lighting — a page photographed with a phone, or copied with its spine
  lifted, is darker on one side; one threshold for the whole page (Otsu's, as
  Tesseract binarises) then loses the dark side's letters (a shadow to 60 %
  of the light costs Tesseract 17 % of the characters of the OCR fixture).
  The paper's own brightness is estimated on a reduced copy (the brightest
  pixel around each point, smoothed) and the page divided by it, when it
  varies by more than BACKGROUND_SPREAD grey levels; scanners' gentle
  unevenness (the bench's harsh scans: up to 26) is left as it is;
* scan lines — a dirty scanner or a worn copier drum leaves thin white lines
  across the page, cutting every letter they cross; Tesseract then splits
  or drops the line of text.  A row (or column) of pixels with almost no ink
  (under SCAN_LINE_DIP of the lesser of its neighbours) between two inked
  ones is such a line: no letter has a one-pixel gap across its strokes.
  It is filled with the darker of its neighbours;
* despeckle — a photocopied fax is sprinkled with isolated dark pixels; when
  more than SPECKLE_LIMIT of the dark pixels are isolated, a 3x3 median
  filter (`median3`) removes them (on the degraded bench scans it takes Tesseract's
  character error rate from about 14% to under 1%);
* stamps — a round seal pressed over the text is one connected ring of ink
  far larger than any letter; left in, Tesseract's layout analysis takes it
  for a frame and reads the lines it crosses as separate blocks, cutting
  items in two and scrambling their order.  Rings (components at least
  STAMP_MIN_SIZE of the page width in both directions, nearly square, most
  of their ink at one distance from their centre) are painted white with a
  small margin.  Letters that cross the ring are kept where their ink is
  darker than the stamp's, and where a stroke runs into the ring's band on
  one side and out on the other (a stamp that covered them in its own grey);
* deskew — the skew angle is the rotation that makes the rows of text most
  sharply separated (variance of the horizontal projection profile, searched
  on a reduced copy); pages skewed by more than DESKEW_MIN degrees are
  rotated back.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from PIL import Image
from scipy import ndimage

SPECKLE_LIMIT = 0.003
BACKGROUND_SPREAD = 40    # grey levels between the page's lightest and darkest paper
BACKGROUND_REDUCE = 8     # the paper's brightness is estimated at 1/8 of the size
INK_CHROMA = 70           # max - min of R, G, B: a stamp's red or blue, not grey text or yellowed paper
COLOURED_TEXT_SHARE = 0.5  # of the page's dark ink: more in colour, and the colour is the text itself
SCAN_LINE_DIP = 0.2       # a row's ink against its neighbours' below which it is a white scan line
SCAN_LINE_INK = 0.01      # ... when both neighbours carry at least this share of dark pixels
DESKEW_MIN = 0.8          # degrees; Tesseract copes with less (measured on the bench scans)
DESKEW_RANGE = 5.0        # degrees searched either way
DESKEW_STEP = 0.2
STAMP_MIN_SIZE = 0.08     # of the page width: a seal is 3-5 cm across, a capital letter under 0.5 cm
STAMP_MAX_FILL = 0.25     # share of the ring's bounding box that is ink (a solid blot is no ring)
STAMP_RING_SHARE = 0.6    # share of its ink within RING_BAND of the bounding box's half-width from the centre
RING_BAND = (0.6, 1.05)
CIRCLE_COVER = 0.3        # a radius at which the ink covers this share of the circle is a ring's stroke
RULE_COVER = 0.3          # a row or column this much inked across the stamp is a rule through it
STROKE_FRINGE = 3         # pixels either side of a stroke's inked radii that are still the stroke
LETTER_MARGIN = 40        # grey levels below the stamp's median stroke ink where a crossing letter begins


@dataclass(frozen=True)
class Prepared:
    image: Image.Image
    steps: tuple[str, ...]


def otsu_threshold(pixels: np.ndarray) -> int:
    """Grey level that best separates ink from paper (Otsu's method)."""
    hist = np.bincount(pixels.ravel(), minlength=256).astype(np.float64)
    weight = np.cumsum(hist)
    mean = np.cumsum(hist * np.arange(256))
    total_w, total_m = weight[-1], mean[-1]
    between = (total_m * weight - mean * total_w) ** 2 / (weight * (total_w - weight) + 1e-9)
    return int(np.argmax(between))


def speckle_ratio(image: Image.Image) -> float:
    """Share of dark pixels that have no dark neighbour."""
    pixels = np.asarray(image, dtype=np.uint8)
    dark = pixels < otsu_threshold(pixels)
    total = int(dark.sum())
    if total == 0:
        return 0.0
    padded = np.pad(dark, 1)
    h, w = dark.shape
    neighbours = np.zeros(dark.shape, dtype=np.uint8)
    for dy in (-1, 0, 1):
        for dx in (-1, 0, 1):
            if dy or dx:
                neighbours += padded[1 + dy:1 + dy + h, 1 + dx:1 + dx + w]
    return float((dark & (neighbours == 0)).sum()) / total


def skew_angle(image: Image.Image) -> float:
    """Estimated skew in degrees (positive: text rises to the right)."""
    small = image.copy()
    small.thumbnail((600, 600))
    pixels = np.asarray(small, dtype=np.uint8)
    ink = Image.fromarray(((pixels < otsu_threshold(pixels)) * 255).astype(np.uint8))
    # Coarse search in whole degrees, then fine steps around the best.
    coarse = _best_angle(ink, np.arange(-DESKEW_RANGE, DESKEW_RANGE + 1e-9, 1.0))
    fine = _best_angle(ink, np.arange(coarse - 0.8, coarse + 0.8 + 1e-9, DESKEW_STEP))
    return -fine


def _best_angle(ink: Image.Image, angles) -> float:
    best, best_score = 0.0, -1.0
    for angle in angles:
        rotated = np.asarray(ink.rotate(float(angle), resample=Image.Resampling.NEAREST, fillcolor=0))
        score = float(np.var(rotated.sum(axis=1, dtype=np.float64)))
        if score > best_score:
            best, best_score = float(angle), score
    return best


def stamp_masks(image: Image.Image) -> list[np.ndarray]:
    """Boolean masks (page-sized) of the round stamps on a page, ring by ring."""
    pixels = np.asarray(image, dtype=np.uint8)
    height, width = pixels.shape
    dark = pixels < otsu_threshold(pixels)
    # Pieces of ink large enough to be a seal are looked for at half size (a 2x2 block
    # is ink if any of its pixels is, so nothing connected comes apart): a quarter of
    # the work on every page, most of which has no seal at all.
    h2, w2 = height // 2 * 2, width // 2 * 2
    half = (dark[0:h2:2, 0:w2:2] | dark[1:h2:2, 0:w2:2]) | (dark[0:h2:2, 1:w2:2] | dark[1:h2:2, 1:w2:2])
    small_labels, _ = ndimage.label(half, structure=np.ones((3, 3), dtype=bool))
    if not any(_seal_sized(2 * (box[0].stop - box[0].start), 2 * (box[1].stop - box[1].start), width, 0.05)
               for box in ndimage.find_objects(small_labels) if box is not None):
        return []
    labels, _ = ndimage.label(dark, structure=np.ones((3, 3), dtype=bool))
    masks = []
    for number, box in enumerate(ndimage.find_objects(labels), 1):
        if box is None:
            continue
        h, w = box[0].stop - box[0].start, box[1].stop - box[1].start
        if not _seal_sized(h, w, width):
            continue
        ink = labels[box] == number
        if ink.mean() > STAMP_MAX_FILL:
            continue
        ys, xs = np.nonzero(ink)
        radius = np.hypot(ys - (h - 1) / 2, xs - (w - 1) / 2) / (min(h, w) / 2)
        if ((radius >= RING_BAND[0]) & (radius <= RING_BAND[1])).mean() < STAMP_RING_SHARE:
            continue   # a table's grid or a drawing: its ink is not on a circle
        mask = np.zeros(dark.shape, dtype=bool)
        mask[box] = ink
        masks.append(mask)
    return masks


def _seal_sized(h: int, w: int, page_width: int, slack: float = 0.0) -> bool:
    """A piece of ink as large as a seal and nearly square (`slack`: the half-size
    search is looser, its boxes being rounded to even pixels)."""
    return min(h, w) >= (STAMP_MIN_SIZE - slack / 4) * page_width and \
        0.75 - slack <= h / w <= 1.33 + slack


def remove_stamps(image: Image.Image) -> tuple[Image.Image, int]:
    """The page with its round stamps painted white, and how many there were."""
    masks = stamp_masks(image)
    if not masks:
        return image, 0
    pixels = np.asarray(image, dtype=np.uint8).copy()
    for mask in masks:
        pixels[stamp_strokes(pixels, mask)] = 255
    return Image.fromarray(pixels), len(masks)


def stamp_strokes(pixels: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """The pixels to paint white for one stamp (its ink `mask`): its circles
    (radii at which the ink goes round much of the circumference) and straight
    rules across it (rows or columns mostly inked), with the lighter fringe a
    scanner leaves beside a stroke (the part of the stroke Otsu's threshold
    missed), but not the page's letters that cross them, whose ink is darker
    than the stamp's."""
    ys, xs = np.nonzero(mask)
    top, bottom, left, right = ys.min(), ys.max(), xs.min(), xs.max()
    # The box's centre is off by whatever letters touch the ring: the centre is
    # where the ink's radii are sharpest (the highest share of one circle inked).
    cy, cx = _ring_centre(ys, xs, (top + bottom) / 2, (left + right) / 2)
    radius = np.hypot(ys - cy, xs - cx).astype(np.int64)
    counts = np.bincount(radius)
    circle_bins = np.nonzero(counts >= CIRCLE_COVER * 2 * np.pi * np.maximum(np.arange(len(counts)), 1))[0]
    on_circle = np.isin(radius, circle_bins)
    ys, xs = ys[~on_circle], xs[~on_circle]   # the rules are looked for in the rest
    rows = np.bincount(ys - top, minlength=bottom - top + 1)
    cols = np.bincount(xs - left, minlength=right - left + 1)
    rule_rows = np.nonzero(rows >= RULE_COVER * (right - left + 1))[0] + top
    rule_cols = np.nonzero(cols >= RULE_COVER * (bottom - top + 1))[0] + left
    # Geometry over the stamp's box, widened by the fringe.
    m = STROKE_FRINGE
    y0, y1 = max(top - m, 0), min(bottom + m + 1, pixels.shape[0])
    x0, x1 = max(left - m, 0), min(right + m + 1, pixels.shape[1])
    gy, gx = np.mgrid[y0:y1, x0:x1]
    ring = np.zeros(gy.shape, dtype=bool)
    if len(circle_bins):
        near = np.zeros(int(circle_bins.max()) + m + 2, dtype=bool)
        for r in circle_bins:
            near[max(r - m, 0):r + m + 1] = True
        radius = np.hypot(gy - cy, gx - cx).astype(np.int64)
        ring = near[np.minimum(radius, len(near) - 1)] & (radius < len(near) - 1)
    rule = np.zeros(gy.shape, dtype=bool)
    for r in rule_rows:
        rule |= (np.abs(gy - r) <= m) & (gx >= left) & (gx <= right)
    for c in rule_cols:
        rule |= (np.abs(gx - c) <= m) & (gy >= top) & (gy <= bottom)
    box = pixels[y0:y1, x0:x1]
    stroke_ink = mask[y0:y1, x0:x1] & (ring | rule)
    if not stroke_ink.any():
        return np.zeros(mask.shape, dtype=bool)
    # Letters are inked darker than the stamp's strokes: keep what is clearly darker.
    letter_level = float(np.percentile(box[stroke_ink], 50)) - LETTER_MARGIN
    paint = (ring | rule) & (box >= letter_level)
    # Where the stamp's ink covered a letter as dark as its own, the letter's stroke
    # runs into the band on one side and out on the other: those pixels stay ink.
    # Across a circle is along its radius; across a rule, up-down for a row, sideways for a column.
    across = np.stack([gy - cy, gx - cx]).astype(np.float64)
    across /= np.maximum(np.hypot(across[0], across[1]), 1.0)
    on_rule = rule & ~ring
    in_row = np.isin(gy, rule_rows)
    across[0][on_rule] = in_row[on_rule]
    across[1][on_rule] = ~in_row[on_rule]
    paint &= ~_crossed(paint, box < letter_level + LETTER_MARGIN, across)
    out = np.zeros(mask.shape, dtype=bool)
    out[y0:y1, x0:x1] = paint
    return out


BRIDGE_REACH = 2 * STROKE_FRINGE + 8   # how far across a stamp's band to look for a letter's ink


def _crossed(band: np.ndarray, ink: np.ndarray, across: np.ndarray) -> np.ndarray:
    """Pixels of `band` where ink lies just beyond the band on both sides, looking
    along `across` (a unit vector per pixel, across the band): a letter's stroke
    that the band cut."""
    ys, xs = np.nonzero(band)
    h, w = band.shape
    found = []
    for sign in (1.0, -1.0):
        hit = np.zeros(len(ys), dtype=bool)
        open_ = np.ones(len(ys), dtype=bool)   # still inside the band on this side
        for step in range(1, BRIDGE_REACH + 1):
            yy = np.clip(np.rint(ys + sign * step * across[0, ys, xs]).astype(np.int64), 0, h - 1)
            xx = np.clip(np.rint(xs + sign * step * across[1, ys, xs]).astype(np.int64), 0, w - 1)
            outside = open_ & ~band[yy, xx]
            hit |= outside & ink[yy, xx]
            open_ &= band[yy, xx]
        found.append(hit)
    out = np.zeros(band.shape, dtype=bool)
    out[ys[found[0] & found[1]], xs[found[0] & found[1]]] = True
    return out


def _ring_centre(ys: np.ndarray, xs: np.ndarray, cy: float, cx: float) -> tuple[float, float]:
    def sharpness(y: float, x: float) -> float:
        counts = np.bincount(np.hypot(ys - y, xs - x).astype(np.int64))
        return float((counts / (2 * np.pi * np.maximum(np.arange(len(counts)), 1)))[10:].max(initial=0.0))
    for step, reach in ((4, 24), (1, 4)):
        offsets = np.arange(-reach, reach + 1, step)
        cy, cx = max(((cy + dy, cx + dx) for dy in offsets for dx in offsets), key=lambda c: sharpness(*c))
    return cy, cx


def mend_scan_lines(image: Image.Image) -> tuple[Image.Image, int]:
    """The page with its one-pixel white scan lines (rows and columns) filled in,
    and how many there were."""
    pixels = np.asarray(image, dtype=np.uint8)
    dark = pixels < otsu_threshold(pixels)
    mended = 0
    for axis in (0, 1):   # rows, then columns
        ink = dark.mean(axis=1 - axis)
        if len(ink) < 3:
            continue
        neighbours = np.minimum(ink[:-2], ink[2:])
        lines = np.nonzero((ink[1:-1] < SCAN_LINE_DIP * neighbours) & (neighbours > SCAN_LINE_INK))[0] + 1
        if len(lines) == 0:
            continue
        if not mended:
            pixels = pixels.copy()
        view = pixels if axis == 0 else pixels.T
        view[lines] = np.minimum(view[lines - 1], view[lines + 1])
        mended += len(lines)
    return (Image.fromarray(pixels) if mended else image), mended


def grey_unless_coloured(image: Image.Image) -> Image.Image:
    """The image in grey levels, or in RGB when it shows strong colour (looked for on
    a small copy): colour is how preprocessing tells a seal from the text."""
    if image.mode in ("1", "L", "LA", "I", "I;16", "F"):
        return image.convert("L")
    rgb = image.convert("RGB")
    step = max(1, min(rgb.size) // 400)   # every step-th pixel: a seal is hundreds across
    pixels = np.asarray(rgb)[::step, ::step].astype(np.int16)
    if ((pixels.max(axis=2) - pixels.min(axis=2)) >= INK_CHROMA).any():
        return rgb
    return rgb.convert("L")


def drop_coloured_ink(image: Image.Image) -> tuple[Image.Image, float]:
    """The page in grey levels with its red, magenta and blue ink painted white,
    and the share of the page's ink that was so coloured (0 for a grey page)."""
    if image.mode not in ("RGB", "RGBA", "P", "CMYK"):
        return image.convert("L"), 0.0
    rgb = np.asarray(image.convert("RGB"), dtype=np.int16)
    grey = image.convert("L")
    r, g, b = rgb[..., 0], rgb[..., 1], rgb[..., 2]
    chroma = rgb.max(axis=2) - rgb.min(axis=2)
    # Red to magenta (seals) and blue to violet (seals, pen signatures); green and
    # yellow are the paper's cast or a highlighter, never a stamp.
    stamp_hue = ((r > g + INK_CHROMA // 2) & (r >= b - 20)) | ((b > r) & (b > g + INK_CHROMA // 2))
    coloured = (chroma >= INK_CHROMA) & stamp_hue
    pixels = np.asarray(grey, dtype=np.uint8)
    ink = pixels < otsu_threshold(pixels)
    share = float((coloured & ink).sum()) / max(int(ink.sum()), 1)
    if not coloured.any() or share > COLOURED_TEXT_SHARE:
        return grey, 0.0 if not coloured.any() else share
    out = pixels.copy()
    out[coloured] = 255
    return Image.fromarray(out), share


def even_lighting(image: Image.Image) -> tuple[Image.Image, float]:
    """The page divided by its paper's brightness where that varies by more than
    BACKGROUND_SPREAD, and the spread found (grey levels)."""
    small = image.reduce(BACKGROUND_REDUCE) if min(image.size) >= 40 * BACKGROUND_REDUCE else image
    # The brightest pixel within a few text lines is paper; smoothing takes off the
    # steps the window leaves.
    paper = ndimage.uniform_filter(ndimage.grey_dilation(np.asarray(small, dtype=np.float32), size=(9, 9)),
                                   size=9)
    inner = paper[2:-2, 2:-2] if min(paper.shape) > 8 else paper
    spread = float(np.percentile(inner, 98) - np.percentile(inner, 2))
    if spread <= BACKGROUND_SPREAD:
        return image, spread
    full = np.asarray(Image.fromarray(paper).resize(image.size, Image.Resampling.BILINEAR), dtype=np.float32)
    pixels = np.asarray(image, dtype=np.float32)
    level = float(np.percentile(inner, 98))   # the page as lit where it is lightest
    evened = np.clip(pixels / np.maximum(full, 1.0) * level, 0, 255).astype(np.uint8)
    return Image.fromarray(evened), spread


# The 19 compare-exchanges that leave the median of nine values in the middle one
# (the classic median-of-9 network, as in Paeth's "opt_med9").
_MEDIAN9 = ((1, 2), (4, 5), (7, 8), (0, 1), (3, 4), (6, 7), (1, 2), (4, 5), (7, 8), (0, 3), (5, 8),
            (4, 7), (3, 6), (1, 4), (2, 5), (4, 7), (4, 2), (6, 4), (4, 2))


def median3(image: Image.Image) -> Image.Image:
    """A 3x3 median filter (edges repeated), the same values as PIL's MedianFilter(3)
    inside the page in a seventh of the time: nine shifted copies of the page
    through a sorting network, a whole page per compare-exchange."""
    pixels = np.asarray(image, dtype=np.uint8)
    padded = np.pad(pixels, 1, mode="edge")
    h, w = pixels.shape
    v = [padded[dy:dy + h, dx:dx + w] for dy in range(3) for dx in range(3)]
    for i, j in _MEDIAN9:
        v[i], v[j] = np.minimum(v[i], v[j]), np.maximum(v[i], v[j])
    return Image.fromarray(np.ascontiguousarray(v[4]))


def prepare(image: Image.Image) -> Prepared:
    steps = []
    image, coloured = drop_coloured_ink(image)
    if 0 < coloured <= COLOURED_TEXT_SHARE:
        steps.append("coloured stamp ink removed")
    image, spread = even_lighting(image)
    if spread > BACKGROUND_SPREAD:
        steps.append(f"lighting evened ({spread:.0f} grey levels)")
    image, lines = mend_scan_lines(image)
    if lines:
        steps.append(f"{lines} scan line{'s' if lines > 1 else ''} mended")
    if speckle_ratio(image) > SPECKLE_LIMIT:
        image = median3(image)
        steps.append("despeckled")
    image, stamps = remove_stamps(image)
    if stamps:
        steps.append(f"{stamps} stamp{'s' if stamps > 1 else ''} removed")
    image, angle = deskew(image)
    if angle:
        steps.append(f"deskewed {angle:+.1f}°")
    return Prepared(image, tuple(steps))


def deskew(image: Image.Image) -> tuple[Image.Image, float]:
    """The page (grey levels) turned straight, and the skew it had (0 when under DESKEW_MIN)."""
    angle = skew_angle(image)
    if abs(angle) < DESKEW_MIN:
        return image, 0.0
    return image.rotate(-angle, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=255), angle
