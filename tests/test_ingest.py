import io
from dataclasses import replace

import pytest
from conftest import FIXTURES, needs_tesseract
from PIL import Image, ImageDraw
from plandiff.ingest import IngestConfig, IngestError, ingest, ingest_bytes
from plandiff.ingest.ocr import FakeOcrEngine, TesseractEngine
from plandiff.ingest.textnorm import collapse_ws
from rapidfuzz.distance import Levenshtein

FONT = "/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf"


def cer(produced: str, truth: str) -> float:
    produced, truth = collapse_ws(produced), collapse_ws(truth)
    return Levenshtein.distance(produced, truth) / len(truth)


def test_tesseract_reads_a_scanned_vietnamese_page():
    needs_tesseract()
    image = Image.open(FIXTURES / "ocr_page" / "page.png")
    truth = (FIXTURES / "ocr_page" / "truth.txt").read_text(encoding="utf-8")
    result = TesseractEngine().recognize(image, "vie")
    assert result.engine == "tesseract" and result.language == "vie"
    assert 50 < result.confidence <= 100
    assert cer(result.text, truth) < 0.02


def _two_page_pdf() -> bytes:
    """Page 1 has a text layer; page 2 is only an image (a scan)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(TTFont("LiberationSerif", FONT))
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, invariant=1)
    c.setFont("LiberationSerif", 13)
    c.drawString(72, 760, "Kế hoạch truyền thông về cải cách hành chính và chuyển đổi số năm 2025")
    c.drawString(72, 740, "I. MỤC ĐÍCH, YÊU CẦU")
    c.showPage()
    img = Image.new("L", (400, 100), 255)
    ImageDraw.Draw(img).rectangle((10, 10, 390, 90), outline=0)
    c.drawImage(ImageReader(img), 72, 600, width=400, height=100)
    c.showPage()
    c.save()
    return buf.getvalue()


def test_pdf_pages_are_routed_to_text_layer_or_ocr():
    config = replace(IngestConfig(), restore_diacritics=False, ocr_threads=1, ocr_dpi=100)
    engine = FakeOcrEngine(["II. NỘI DUNG TRUYỀN THÔNG"])
    doc = ingest_bytes(_two_page_pdf(), "plan.pdf", config, engine)
    assert [p.source.value for p in doc.pages] == ["text_layer", "ocr"]
    assert doc.pages[0].text.startswith("Kế hoạch truyền thông về cải cách hành chính")
    assert doc.pages[1].text == "II. NỘI DUNG TRUYỀN THÔNG" and doc.pages[1].reason == "no text layer: OCR"
    assert engine.sizes == [(827, 1170)]  # A4 rendered at the configured 100 dpi
    assert doc.text_source.value == "mixed"
    assert doc.page_at(doc.pages[1].start) == 2


def test_multi_page_tiff_is_ocred_page_by_page():
    frames = [Image.new("L", (50, 50), 255) for _ in range(3)]
    buf = io.BytesIO()
    frames[0].save(buf, format="TIFF", save_all=True, append_images=frames[1:])
    engine = FakeOcrEngine(["một", "hai", "ba"])
    doc = ingest_bytes(buf.getvalue(), "scan.tif", replace(IngestConfig(), restore_diacritics=False),
                       engine)
    assert [p.text for p in doc.pages] == ["một", "hai", "ba"]
    assert doc.text == "một\fhai\fba"


def test_text_files_split_pages_on_form_feeds_and_get_stable_ids(tmp_path):
    path = tmp_path / "plan.txt"
    path.write_bytes("Trang một\r\n\fTrang hai\n".encode())
    config = replace(IngestConfig(), restore_diacritics=False)
    doc = ingest(path, config)
    assert [p.text for p in doc.pages] == ["Trang một\n", "Trang hai\n"]
    assert doc.doc_id == ingest(path, config).doc_id == "d" + doc.sha256[:16]


@pytest.mark.parametrize("data, name, message", [
    (b"", "empty.txt", "file is empty"),
    (b"PK\x03\x04 not an image", "scan.png", "not one"),
    (b"%PDF-1.4 truncated", "broken.pdf", "PDF"),
    (b"\x80\x81\x82 \x83\x84", "legacy.txt", "neither UTF-8 nor a Vietnamese legacy encoding"),
])
def test_bad_inputs_raise_clear_ingest_errors(data, name, message):
    with pytest.raises(IngestError, match=message):
        ingest_bytes(data, name, replace(IngestConfig(), restore_diacritics=False))


@pytest.mark.parametrize("name, encoding", [("tcvn3.pdf", "TCVN3"), ("vni.pdf", "VNI")])
def test_legacy_font_text_layers_are_detected_and_converted(name, encoding):
    doc = ingest(FIXTURES / "legacy" / name, replace(IngestConfig(), restore_diacritics=False))
    (page,) = doc.pages
    assert page.source.value == "legacy_converted"
    assert page.reason == f"text layer in the legacy {encoding} font encoding: converted"
    lines = page.text.split("\n")
    assert lines[:3] == ["ỦY BAN NHÂN DÂN TỈNH QUẢNG NGÃI", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                         "Độc lập - Tự do - Hạnh phúc"]
    assert "trương" in page.text and "nước" in page.text


def test_text_in_legacy_8_bit_encodings_is_converted():
    from plandiff.ingest.legacy import from_unicode

    line = "Cộng hòa xã hội chủ nghĩa Việt Nam; Kế hoạch số 82/KH-UBND"
    config = replace(IngestConfig(), restore_diacritics=False)
    for codec in ("tcvn3", "vni"):
        data = from_unicode(line, codec).encode("cp1252")
        doc = ingest_bytes(data, "old.txt", config)
        assert doc.pages[0].text == line and doc.pages[0].source.value == "legacy_converted"
    mixed = "Kế hoạch số 82\n".encode() + from_unicode("Cộng hòa xã hội", "tcvn3").encode("cp1252")
    doc = ingest_bytes(mixed, "mixed.txt", config)
    assert doc.pages[0].text == "Kế hoạch số 82\nCộng hòa xã hội"
    assert "mixed with UTF-8 lines" in doc.pages[0].reason
    # Windows-1258 writes tones as combining marks after the letter
    cp1258 = "C\u00f4\u0323ng ho\u0300a xa\u0303 h\u00f4\u0323i".encode("cp1258")
    page = ingest_bytes(cp1258, "win.txt", config).pages[0]
    assert (page.text, page.source.value) == ("Cộng hòa xã hội", "legacy_converted")


def test_page_images_are_despeckled_and_deskewed_only_when_needed():
    import numpy as np
    from plandiff.ingest.preprocess import prepare, skew_angle, speckle_ratio

    page = Image.open(FIXTURES / "ocr_page" / "page.png").convert("L")
    assert prepare(page).steps == ()   # a clean page is left as it is
    tilted = page.rotate(2.5, fillcolor=255, expand=True)
    assert abs(skew_angle(tilted) - 2.5) <= 0.4
    assert prepare(tilted).steps[0].startswith("deskewed +2.")
    rng = np.random.default_rng(1)
    pixels = np.asarray(page).copy()
    specks = rng.random(pixels.shape) < 0.01
    pixels[specks] = 0
    noisy = Image.fromarray(pixels)
    assert speckle_ratio(noisy) > 0.003 > speckle_ratio(page)
    assert "despeckled" in prepare(noisy).steps


@pytest.mark.parametrize("angle", [90, 180])
def test_a_page_scanned_upside_down_or_on_its_side_is_read_upright(angle):
    needs_tesseract()
    page = Image.open(FIXTURES / "ocr_page" / "page.png").convert("L")
    truth = (FIXTURES / "ocr_page" / "truth.txt").read_text(encoding="utf-8")
    turned = page.rotate(angle, expand=True, fillcolor=255)
    doc = ingest_bytes(_png(turned), "turned.png", IngestConfig())
    assert f"rotated {angle}°" in doc.pages[0].reason
    assert cer(doc.pages[0].text, truth) < 0.01


def test_an_engine_without_orientation_detection_reads_the_page_once():
    """The fake engine (and any engine without `orientation`) is asked once, even for a
    poor reading: turning a page is Tesseract's call."""
    page = Image.open(FIXTURES / "ocr_page" / "page.png").convert("L")
    engine = FakeOcrEngine(["một trang"], confidence=20.0)
    doc = ingest_bytes(_png(page), "page.png", replace(IngestConfig(), restore_diacritics=False), engine)
    assert (engine.calls, doc.pages[0].text) == (1, "một trang")
    assert "turned" not in doc.pages[0].reason


def test_the_median_filter_is_pils():
    """`median3` (a sorting network) gives PIL's MedianFilter(3) values inside the page."""
    import numpy as np
    from PIL import ImageFilter
    from plandiff.ingest.preprocess import median3

    page = Image.open(FIXTURES / "ocr_page" / "page.png").convert("L")
    noisy = np.asarray(page).copy()
    noisy[np.random.default_rng(3).random(noisy.shape) < 0.05] = 0
    image = Image.fromarray(noisy)
    ours, pils = np.asarray(median3(image)), np.asarray(image.filter(ImageFilter.MedianFilter(3)))
    assert ours.shape == pils.shape
    assert np.array_equal(ours[1:-1, 1:-1], pils[1:-1, 1:-1])


def _scan_lines(page: Image.Image):
    """The page with one-pixel white lines across it, as a dirty scanner leaves them."""
    import numpy as np

    pixels = np.asarray(page).copy()
    pixels[np.arange(95, pixels.shape[0], 37)] = 240
    pixels[:, np.arange(60, pixels.shape[1], 151)] = 240
    return Image.fromarray(pixels)


def test_white_scan_lines_through_the_text_are_mended():
    import numpy as np
    from plandiff.ingest.preprocess import mend_scan_lines

    page = Image.open(FIXTURES / "ocr_page" / "page.png").convert("L")
    assert mend_scan_lines(page) == (page, 0)     # a clean page: no one-pixel gap in any letter
    lined = _scan_lines(page)
    mended, count = mend_scan_lines(lined)
    # Only the lines that cross ink are found (those between text lines cut nothing).
    assert 10 <= count <= 30
    before = np.abs(np.asarray(lined, dtype=int) - np.asarray(page, dtype=int)).sum()
    after = np.abs(np.asarray(mended, dtype=int) - np.asarray(page, dtype=int)).sum()
    assert after < before / 3


def test_tesseract_reads_a_page_with_scan_lines_after_mending():
    needs_tesseract()
    page = Image.open(FIXTURES / "ocr_page" / "page.png").convert("L")
    truth = (FIXTURES / "ocr_page" / "truth.txt").read_text(encoding="utf-8")
    # Left in, the lines cost Tesseract 18% of the characters; mended, 0.1%.
    doc = ingest_bytes(_png(_scan_lines(page)), "lined.png", IngestConfig())
    assert "scan lines mended" in doc.pages[0].reason
    assert cer(doc.pages[0].text, truth) < 0.03


def _shadowed(page: Image.Image, low: float) -> Image.Image:
    """The page photographed with a shadow: darker to `low` of the light towards the right."""
    import numpy as np

    pixels = np.asarray(page, dtype=np.float32)
    x = np.linspace(0, 1, pixels.shape[1], dtype=np.float32)
    return Image.fromarray((pixels * (1 - (1 - low) * x ** 1.5)[None, :]).clip(0, 255).astype(np.uint8))


def test_uneven_lighting_is_evened_only_where_the_paper_varies():
    from plandiff.ingest.preprocess import BACKGROUND_SPREAD, even_lighting

    page = Image.open(FIXTURES / "ocr_page" / "page.png").convert("L")
    same, spread = even_lighting(page)
    assert same is page and spread < 5      # a scan's paper: left as it is
    evened, spread = even_lighting(_shadowed(page, 0.45))
    assert spread > BACKGROUND_SPREAD
    # The shadowed side's paper is as light as the other side's again.
    import numpy as np
    right, left = np.asarray(evened)[:, -200:], np.asarray(evened)[:, :200]
    assert abs(np.percentile(right, 90) - np.percentile(left, 90)) < 10


def test_tesseract_reads_a_shadowed_photo_after_evening_the_light():
    needs_tesseract()
    page = Image.open(FIXTURES / "ocr_page" / "page.png").convert("L")
    truth = (FIXTURES / "ocr_page" / "truth.txt").read_text(encoding="utf-8")
    # Left as it is, the shadow costs Tesseract 23% of the characters.
    doc = ingest_bytes(_png(_shadowed(page, 0.45)), "photo.png", IngestConfig())
    assert "lighting evened" in doc.pages[0].reason
    assert cer(doc.pages[0].text, truth) < 0.01


def test_tesseract_reads_a_speckled_page_after_despeckling():
    import numpy as np

    needs_tesseract()
    page = Image.open(FIXTURES / "ocr_page" / "page.png").convert("L")
    truth = (FIXTURES / "ocr_page" / "truth.txt").read_text(encoding="utf-8")
    pixels = np.asarray(page).copy()
    pixels[np.random.default_rng(2).random(pixels.shape) < 0.02] = 0
    doc = ingest_bytes(_png(Image.fromarray(pixels)), "fax.png", IngestConfig())
    assert "despeckled" in doc.pages[0].reason
    assert cer(doc.pages[0].text, truth) < 0.03


def _png(image) -> bytes:
    buf = io.BytesIO()
    image.save(buf, format="PNG")
    return buf.getvalue()


def test_word_documents_keep_their_automatic_numbering_and_page_breaks():
    from plandiff.parse import parse

    doc = ingest(FIXTURES / "docx" / "plan.docx", replace(IngestConfig(), restore_diacritics=False))
    assert [p.source.value for p in doc.pages] == ["plain_text", "plain_text"]
    assert doc.pages[0].text.split("\n")[:6] == [
        "ỦY BAN NHÂN DÂN", "XÃ BA TƠ", "Số: 12/KH-UBND", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc", "Ba Tơ, ngày 5 tháng 9 năm 2025"]
    assert doc.pages[1].text.startswith("b) Tổ chức hội nghị tập huấn")
    plan = parse(doc)
    meta = plan.meta
    assert (meta.plan_number, str(meta.issued_on), meta.place, meta.admin_level.value) == \
        ("12/KH-UBND", "2025-09-05", "Ba Tơ", "commune")
    outline = [(it.depth, it.label, it.kind.value, it.lead, it.timeline, it.page)
               for it in plan.items if it.part.value != "preamble"]
    assert outline == [
        (0, "I.", "part", None, None, 1), (1, "1.", "point", None, None, 1),
        (0, "II.", "part", None, None, 1), (1, "1.", "section", None, None, 1),
        (2, "a)", "task", "Văn phòng HĐND và UBND xã", "Thường xuyên", 1),
        (2, "b)", "task", "Phòng Văn hóa - Xã hội", None, 2)]


TASK_TABLE_OUTLINE = [   # (depth, label, kind, part, heading or text, lead, partners, timeline)
    (0, "PHỤ LỤC", "part", "tasks",
     "NHIỆM VỤ TRUYỀN THÔNG NĂM 2025 (Kèm theo Kế hoạch số 15/KH-UBND ngày 6/9/2025 của UBND xã Ba Tơ)",
     None, (), None),
    (1, "I.", "section", "tasks", "Về cải cách hành chính", None, (), None),
    (2, "1.", "task", "tasks", "Cập nhật, công khai thủ tục hành chính trên Trang thông tin điện tử xã.",
     "Văn phòng HĐND và UBND xã", ("Các cơ quan, đơn vị liên quan",), "Thường xuyên"),
    (2, "2.", "task", "tasks", "Tổ chức hội nghị đối thoại về thủ tục hành chính.",
     "Văn phòng HĐND và UBND xã", ("Phòng Văn hóa - Xã hội", "Đoàn Thanh niên xã"), "Quý III/2025"),
]


def _appendix_outline(plan) -> list[tuple]:
    start = next(i for i, it in enumerate(plan.items) if it.scheme == "APPENDIX")
    return [(it.depth, it.label, it.kind.value, it.part.value, it.heading or it.text, it.lead, it.partners,
             it.timeline) for it in plan.items[start:]]


def test_a_task_table_is_read_row_by_row():
    """Before, a table was read column after column: every number, then every task, then
    every lead; none of the appendix's tasks kept its lead or timeline."""
    from plandiff.parse import parse

    plan = parse(ingest(FIXTURES / "docx" / "task_table.docx", replace(IngestConfig(), restore_diacritics=False)))
    assert _appendix_outline(plan) == TASK_TABLE_OUTLINE[:4] + [
        (3, "-", "task", "tasks", "Mời đại diện các thôn tham dự.", None, (), None),
        (1, "II.", "section", "tasks", "Về chuyển đổi số", None, (), None),
        (2, "1.", "task", "tasks", "Tập huấn kỹ năng số cho người dân.", "Phòng Văn hóa - Xã hội", (),
         "Quý IV/2025")]


def test_a_plain_task_table_reads_like_the_merged_one():
    from plandiff.parse import parse

    plan = parse(ingest(FIXTURES / "docx" / "task_table_plain.docx",
                        replace(IngestConfig(), restore_diacritics=False)))
    assert _appendix_outline(plan) == TASK_TABLE_OUTLINE


def _scan_with_layer(layer_text: str) -> bytes:
    """A scanned page (the OCR fixture image over the whole page) with an
    invisible text layer, as scanners that OCR in English write them."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, invariant=1)
    c.drawImage(ImageReader(str(FIXTURES / "ocr_page" / "page.png")), 0, 0, width=A4[0], height=A4[1])
    text = c.beginText(40, 780)
    text.setTextRenderMode(3)  # invisible, like an OCR layer
    for line in layer_text.split("\n"):
        text.textLine(line)
    c.drawText(text)
    c.showPage()
    c.save()
    return buf.getvalue()


def test_a_scan_whose_text_layer_lost_its_diacritics_is_ocrd_again():
    english = ("Truyen thong ve cai cach hanh chinh va chuyen doi so nam 2025\n"
               "Can cu Ke hoach so 82/KH-UBND ngay 17/4/2025 cua UBND tinh Quang Ngai ve\n"
               "truyen thong cai cach hanh chinh va chuyen doi so tinh Quang Ngai nam 2025")
    engine = FakeOcrEngine(["Truyền thông về cải cách hành chính và chuyển đổi số năm 2025"])
    config = replace(IngestConfig(), restore_diacritics=False, ocr_threads=1)
    doc = ingest_bytes(_scan_with_layer(english), "scan.pdf", config, engine)
    (page,) = doc.pages
    assert page.source.value == "ocr" and engine.calls == 1
    assert page.reason.startswith("text layer of a scan lost its diacritics (an English-model OCR): "
                                  "OCR'd again with vie")


def test_a_scan_with_a_good_text_layer_keeps_it():
    good = ("Truyền thông về cải cách hành chính và chuyển đổi số năm 2025\n"
            "Căn cứ Kế hoạch số 82/KH-UBND ngày 17/4/2025 của UBND tỉnh Quảng Ngãi về\n"
            "truyền thông cải cách hành chính và chuyển đổi số tỉnh Quảng Ngãi năm 2025")
    engine = FakeOcrEngine([])
    doc = ingest_bytes(_scan_with_layer(good), "scan.pdf",
                       replace(IngestConfig(), restore_diacritics=False), engine)
    assert doc.pages[0].source.value == "text_layer" and engine.calls == 0


def test_ocr_pages_get_the_post_ocr_correction_and_say_how_much_it_changed():
    frame = _png(Image.new("L", (60, 60), 255))
    ocr = "Tố chức tuyên truyền về chuyến đối số trên địa bàn xã.\nSố: 12/KH-UBND"
    on = ingest_bytes(frame, "scan.png", replace(IngestConfig(), restore_diacritics=False),
                      FakeOcrEngine([ocr]))
    assert on.pages[0].text == ("Tổ chức tuyên truyền về chuyển đổi số trên địa bàn xã.\n"
                                "Số: 12/KH-UBND")
    assert on.pages[0].ocr_corrections == 3
    off = ingest_bytes(frame, "scan.png",
                       replace(IngestConfig(), restore_diacritics=False, postocr=False),
                       FakeOcrEngine([ocr]))
    assert off.pages[0].text == ocr and off.pages[0].ocr_corrections is None


def test_text_layer_pages_have_no_ocr_correction_count():
    config = replace(IngestConfig(), restore_diacritics=False, ocr_threads=1, ocr_dpi=100)
    doc = ingest_bytes(_two_page_pdf(), "plan.pdf", config, FakeOcrEngine(["II. NỘI DUNG"]))
    assert [p.ocr_corrections for p in doc.pages] == [None, 0]


def test_scans_are_rendered_at_their_own_resolution_and_ocr_is_told_it():
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    # a 200-dpi scan of a 3 x 2 inch card: 600 x 400 pixels over 216 x 144 points
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=(216, 144), invariant=1)
    c.drawImage(ImageReader(Image.new("L", (600, 400), 255)), 0, 0, width=216, height=144)
    c.showPage()
    c.save()
    engine = FakeOcrEngine(["một"])
    seen = []
    recognize = engine.recognize
    engine.recognize = lambda image, language: seen.append(image.info.get("dpi")) or recognize(image, language)
    ingest_bytes(buf.getvalue(), "card.pdf",
                 replace(IngestConfig(), restore_diacritics=False, preprocess=False), engine)
    assert engine.sizes == [(600, 400)]
    assert seen[0][0] == pytest.approx(200.0)


def test_tesseract_is_given_the_image_resolution():
    from plandiff.ingest.ocr import _resolution

    image = Image.new("L", (10, 10))
    assert _resolution(image) is None
    image.info["dpi"] = (200.055, 200.055)
    assert _resolution(image) == 200
    for unknown in ((1, 1), (72, 72), (96, 96)):   # software defaults: let Tesseract estimate
        image.info["dpi"] = unknown
        assert _resolution(image) is None


READING_ORDER = FIXTURES / "reading_order"


def _reading_order_module():
    import importlib.util

    spec = importlib.util.spec_from_file_location("make_fixture", READING_ORDER / "make_fixture.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_a_text_layer_out_of_reading_order_is_detected_and_rebuilt():
    fixture = _reading_order_module()
    doc = ingest(READING_ORDER / "shuffled.pdf", replace(IngestConfig(), restore_diacritics=False))
    (page,) = doc.pages
    assert page.source.value == "text_layer"
    assert page.reason == ("text layer out of reading order: "
                           "rebuilt in reading order from glyph positions")
    assert page.text.split("\n") == [*fixture.HEADER_LEFT, *fixture.HEADER_RIGHT, *fixture.BODY]


def test_a_shuffled_later_page_is_rebuilt_too(tmp_path):
    fixture = _reading_order_module()
    path = tmp_path / "two.pdf"
    fixture.build(path, lead_page=True)
    doc = ingest(path, replace(IngestConfig(), restore_diacritics=False))
    assert "reading order" not in doc.pages[0].reason
    assert "out of reading order" in doc.pages[1].reason
    # not the first page: no header-column layout, lines in plain top-to-bottom order
    header = [f"{left} {right}" for left, right in zip(fixture.HEADER_LEFT, fixture.HEADER_RIGHT, strict=False)]
    assert doc.pages[1].text.split("\n") == [*header, *fixture.BODY]


def test_reading_order_detector_tells_shuffled_from_ordered(tmp_path):
    from plandiff.ingest.pdf import open_pdfium, out_of_order, stream_disorder

    fixture = _reading_order_module()
    ordered = tmp_path / "ordered.pdf"
    fixture.build(ordered, shuffle=False)   # header still drawn column by column

    def runs(path):
        pdf = open_pdfium(path.read_bytes())
        textpage = pdf[0].get_textpage()
        return [textpage.get_rect(k) for k in range(textpage.count_rects())]

    assert stream_disorder(runs(ordered)) == (0, 17)  # the header's jump back up is a column
    assert not out_of_order(runs(ordered))
    jumps, changes = stream_disorder(runs(READING_ORDER / "shuffled.pdf"))  # jumps back + skips
    assert (jumps, changes) == (12, 17) and out_of_order(runs(READING_ORDER / "shuffled.pdf"))


@pytest.mark.parametrize("name", ["000_tra_bong.pdf", "004_vp_ubnd_tinh.pdf"])
def test_sample_pdfs_are_in_reading_order(name):
    from conftest import SAMPLES
    from plandiff.ingest.pdf import text_layer_pages

    pages = list(text_layer_pages((SAMPLES / name).read_bytes()))
    assert pages and all(p.reordered is None for p in pages)


def _line(x0, x1, top, size=12.0):
    return (x0, top - size, x1, top)


def test_tables_drawn_cell_by_cell_are_not_disorder():
    from plandiff.ingest.pdf import out_of_order, stream_disorder

    rects = []
    for row in range(4):   # a two-column table: a 2-line cell, then a 3-line cell, per row
        top = 700 - 80 * row
        rects += [_line(60, 200, top), _line(60, 180, top - 16)]
        rects += [_line(220, 500, top), _line(220, 500, top - 16), _line(220, 400, top - 32)]
    assert stream_disorder(rects) == (0, 19)
    assert not out_of_order(rects)


def test_lines_drawn_odd_then_even_are_disorder():
    from plandiff.ingest.pdf import out_of_order, stream_disorder

    lines = [_line(60, 500, 700 - 18 * i) for i in range(20)]
    rects = lines[::2] + lines[1::2]   # one jump back, but every other step skips a line
    assert stream_disorder(rects) == (19, 19)
    assert out_of_order(rects) and not out_of_order(lines)
