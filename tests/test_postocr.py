"""Post-OCR correction (ingest/postocr.py) on short strings, with the shipped model."""
import unicodedata

import pytest
from plandiff.ingest.postocr import PostOcrConfig, correct_ocr_text

# Five lines of Tesseract `vie` output from a degraded scan (bench fixture
# 001_200dpi_degraded, page 1): hooks read as acutes, 'xä', 'tõ chức'.
DEGRADED = (
    "Truyền thông về cải cách hành chính và chuyến đối số xã Ngọk Tụ năm 2025\n"
    "\n"
    "Căn cứ Kế hoạch số 82/KH-UBND ngày 17 tháng 4 năm 2025 của Chủ tịch Ủy ban\n"
    "nhân dân tỉnh Quảng Ngãi về truyền thông về cải cách hành chính và chuyến đối số tỉnh\n"
    "Quáng Ngãi năm 2025; Quyết định số 91/QĐ-UBND ngày 24 tháng 7 năm 2025 của Chủ\n"
    "2. Nâng cao nhận thức, tạo chuyến biến tích cực về tỉnh thần, thái độ làm việc, ý\n"
    "cao nhận thức của người dân, tõ chức về ý nghĩa, mục tiêu, tầm quan trọng của CCHC")

DEGRADED_FIXED = (
    "Truyền thông về cải cách hành chính và chuyển đổi số xã Ngọk Tụ năm 2025\n"
    "\n"
    "Căn cứ Kế hoạch số 82/KH-UBND ngày 17 tháng 4 năm 2025 của Chủ tịch Ủy ban\n"
    "nhân dân tỉnh Quảng Ngãi về truyền thông về cải cách hành chính và chuyển đổi số tỉnh\n"
    "Quảng Ngãi năm 2025; Quyết định số 91/QĐ-UBND ngày 24 tháng 7 năm 2025 của Chủ\n"
    "2. Nâng cao nhận thức, tạo chuyển biến tích cực về tinh thần, thái độ làm việc, ý\n"
    "cao nhận thức của người dân, tổ chức về ý nghĩa, mục tiêu, tầm quan trọng của CCHC")


def test_a_hook_read_as_an_acute_is_put_back():
    text = "Đẩy mạnh công tác cái cách hành chính và chuyển đổi số năm 2025."
    assert correct_ocr_text(text) == (
        "Đẩy mạnh công tác cải cách hành chính và chuyển đổi số năm 2025.", 1)


@pytest.mark.parametrize("ocr, fixed", [
    ("Tố chức tuyên truyền về chuyến đối số trên địa bàn xã.",      # ổ->ố, ể->ế, ổ->ố
     "Tổ chức tuyên truyền về chuyển đổi số trên địa bàn xã."),
    ("Kế hoach tuyên truyền cải cách hành chính năm 2025",            # dot below lost
     "Kế hoạch tuyên truyền cải cách hành chính năm 2025"),
    ("UBND tỉnh Quảng Ngải về truyền thông cải cách hành chính",      # ngã read as hỏi
     "UBND tỉnh Quảng Ngãi về truyền thông cải cách hành chính"),
    ("nâng cao nhận thức của ngưòi dân về CCHC",                      # ơ read as o
     "nâng cao nhận thức của người dân về CCHC"),
    ("Các cơ quan, đơn vị chủ động phối hợp thưc hiện",               # ự lost its dot
     "Các cơ quan, đơn vị chủ động phối hợp thực hiện"),
    ("Kế hoạch tuyên truyền cải cách hành chính nám 2025 của UBND xã",  # ă read as á
     "Kế hoạch tuyên truyền cải cách hành chính năm 2025 của UBND xã"),
    ("nâng cao nhận thức về tâm quan trọng của chuyển đổi số",         # the grave lost
     "nâng cao nhận thức về tầm quan trọng của chuyển đổi số"),
])
def test_typical_vie_confusions_are_corrected(ocr, fixed):
    out, count = correct_ocr_text(ocr)
    assert out == fixed
    assert count == sum(a != b for a, b in zip(ocr.split(), fixed.split(), strict=False))


def test_eth_and_african_d_become_d_with_stroke():
    # 'QĐÐ' is one Đ that Tesseract read as two glyphs
    text = "Quyết định số 91/QĐÐ-UBND; Ban chỉ đạo CÐS; Ðẩy mạnh ɖổi mới"
    assert correct_ocr_text(text) == (
        "Quyết định số 91/QĐ-UBND; Ban chỉ đạo CĐS; Đẩy mạnh đổi mới", 4)


def test_codes_dates_and_abbreviations_around_a_correction_stay_as_they_are():
    text = ("Căn cứ Kế hoạch số 25/KH-UBND ngày 17/4/2025 và Nghị quyết số 57-NQ/TW "
            "ngày 22/12/2024 về cái cách hành chính (CCHC, CĐS, TTHC)")
    assert correct_ocr_text(text) == (text.replace("cái cách", "cải cách"), 1)


# With a margin near zero the language model changes almost anything it can;
# these spans survive only because they are protected.
EAGER = PostOcrConfig(margin=0.3, name_margin=0.0)


@pytest.mark.parametrize("text", [
    "VI. KINH PHÍ THỰC HIỆN",                              # outline label ('VÌ.' otherwise)
    "theo Công văn của CA tỉnh",                           # abbreviation ('CÁ tính' otherwise)
    "gửi thư cho cai.cach@quangngai.gov.vn để biết",       # e-mail ('cái.cach' otherwise)
])
def test_labels_abbreviations_and_addresses_are_never_touched(text):
    assert correct_ocr_text(text, EAGER) == (text, 0)


def test_protection_is_what_keeps_them():
    # the same words outside a protected span do change with EAGER
    assert correct_ocr_text("theo Công văn của cá tỉnh", EAGER)[0] != "theo Công văn của cá tỉnh"


def test_clean_text_comes_back_byte_identical():
    text = ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
            "Độc lập - Tự do - Hạnh phúc\n\n"
            "Ba Tơ, ngày 5 tháng 9 năm 2025\n"
            "a) Tổ chức hội nghị tập huấn về chuyển đổi số;  \n"
            "\t- Thời gian thực hiện: Quý III/2025.\n"
            "1.2. Tuyên truyền trên Cổng thông tin điện tử https://quangngai.gov.vn\n")
    out, count = correct_ocr_text(text)
    assert out.encode("utf-8") == text.encode("utf-8") and count == 0


def test_only_the_corrected_syllables_change_in_a_page():
    out, count = correct_ocr_text(DEGRADED)
    assert out == DEGRADED_FIXED
    assert count == 8
    assert [len(line) for line in out.split("\n")] == [len(line) for line in DEGRADED.split("\n")]


def test_correction_is_idempotent():
    once, _ = correct_ocr_text(DEGRADED)
    assert correct_ocr_text(once) == (once, 0)


def test_output_is_nfc():
    decomposed = unicodedata.normalize("NFD", "Tố chức tuyên truyền về chuyến đối số")
    out, _ = correct_ocr_text(decomposed)
    assert unicodedata.is_normalized("NFC", out)
    assert out == "Tổ chức tuyên truyền về chuyển đổi số"
