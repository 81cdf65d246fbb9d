"""Restoration beyond the sample plans' topic (issue 16, item 3): document codes
whose `Đ` was lost or misread by English-model OCR, code parts built from
known pieces, codes that start a line, and sentences of neighbouring fields
(Party and mass-organisation work, disaster prevention, anti-corruption,
legal education, digital health).  Every sentence here was written for these
tests; none comes from `benchmarks/heldout/`, which is never used to tune."""
from __future__ import annotations

import pytest
from plandiff.ingest.diacritics import load_model
from plandiff.ingest.legal_codes import restore_code
from plandiff.ingest.model import Page, TextSource
from plandiff.ingest.restoration import restore_pages
from plandiff.ingest.textnorm import normalize_tone, strip_diacritics


@pytest.fixture(scope="module")
def model():
    return load_model()


# ---------------------------------------------------------------- codes, stripped
@pytest.mark.parametrize("stripped,expected", [
    ("61/2018/ND-CP", "61/2018/NĐ-CP"),
    ("13/2023/ND-CP", "13/2023/NĐ-CP"),
    ("25/2021/QD-TTg", "25/2021/QĐ-TTg"),
    ("216/QD-UBND", "216/QĐ-UBND"),
    ("14/2024/NQ-HDND", "14/2024/NQ-HĐND"),
    ("08/NQ-BCSD", "08/NQ-BCSĐ"),
    ("05-QD/BCD", "05-QĐ/BCĐ"),
    ("12/QD-BCD", "12/QĐ-BCĐ"),
    ("36-KH/DU", "36-KH/ĐU"),
    ("217-QD/TW", "217-QĐ/TW"),
    ("03-HD/BTGTW", "03-HD/BTGTW"),
    ("09/CT-TTg", "09/CT-TTg"),
    ("4725/QD-BGDDT", "4725/QĐ-BGDĐT"),
    ("QD-UBND", "QĐ-UBND"),
    # joint codes with the Fatherland Front's Presidium and the Confederation of Labour
    ("01/2024/NQLT-CP-DCTUBTWMTTQVN", "01/2024/NQLT-CP-ĐCTUBTWMTTQVN"),
    ("03/2011/TTLT-TLDLDVN-BYT", "03/2011/TTLT-TLĐLĐVN-BYT"),
    # a piece alone is no compound: Cục Y tế dự phòng, not địa phương
    ("2215/BYT-DP", "2215/BYT-DP"),
    ("12/UBND-HCDP", "12/UBND-HCĐP"),
])
def test_stripped_codes_get_their_d_back(stripped, expected):
    assert restore_code(stripped) == expected


@pytest.mark.parametrize("stripped,expected", [
    ("19/TT-UBND", "19/TTr-UBND"),       # a Tờ trình: a Thông tư never comes from a UBND
    ("7/TT-SYT", "7/TTr-SYT"),
    ("88/TTr-STP", "88/TTr-STP"),
    ("46/2018/TT-BYT", "46/2018/TT-BYT"),  # a ministry's Thông tư stays
    ("02/2024/TT-TTCP", "02/2024/TT-TTCP"),
])
def test_to_trinh_damaged_to_tt(stripped, expected):
    assert restore_code(stripped) == expected


@pytest.mark.parametrize("stripped,expected", [
    ("01-KH/VPDU", "01-KH/VPĐU"),       # Văn phòng + Đảng ủy
    ("27-HD/TDTN", "27-HD/TĐTN"),       # Tỉnh + Đoàn Thanh niên
    ("4/KH-HDPH", "4/KH-HĐPH"),         # Hội đồng phối hợp
    ("312/KH-PGDDT", "312/KH-PGDĐT"),   # Phòng + GDĐT
    ("312/PGDDT-TH", "312/PGDDT-TH"),   # the type slot (an official letter): only known parts
    ("12/BC-UBKTDU", "12/BC-UBKTĐU"),
    ("52/BC-BDT", "52/BC-BDT"),         # Ban Dân tộc or B + ĐT: left as written
    ("12-HD/BDVTU", "12-HD/BDVTU"),     # no piece reads its D as Đ
])
def test_unknown_body_parts_read_as_known_pieces(stripped, expected):
    assert restore_code(stripped) == expected


# ---------------------------------------------------------------- English-model OCR
@pytest.mark.parametrize("ocr,expected", [
    ("61/2018/NP-CP", "61/2018/NĐ-CP"),
    ("05/QP-UBND", "05/QĐ-UBND"),
    ("12/NQ-HPND", "12/NQ-HĐND"),
    ("61/2018/N\u00d0-CP", "61/2018/NĐ-CP"),     # Icelandic eth for Đ
    ("01-KH/\u00d0U", "01-KH/ĐU"),
    ("100/QĐ-QP", "100/QĐ-QP"),                 # Quốc phòng stays: no body slot becomes a type
])
def test_english_ocr_damage_of_codes(ocr, expected):
    assert restore_code(ocr, ocr=True) == expected


@pytest.mark.parametrize("code", ["100/QĐ-QP", "903/QP", "15/NP-KT"])
def test_a_p_is_a_p_in_stripped_text(code):
    assert restore_code(code) == code


def test_ocr_lines_through_the_restorer(model):
    ocr = ("Cin cir Nghi dinh s6 61/2018/NP-CP ngay 23/4/2018 cia Chinh phu va Quyét dinh s6 "
           "12/QP-UBND ciia HPND tinh")
    out = model.restore(ocr)
    assert "61/2018/NĐ-CP" in out and "12/QĐ-UBND" in out and "HĐND tỉnh" in out


def _restore_page(text: str) -> str:
    pages, _ = restore_pages([Page(number=1, text=text, source=TextSource.PLAIN_TEXT, reason="test")])
    return pages[0].text


def test_a_code_wrapped_to_the_start_of_a_line_is_no_label():
    text = ("Can cu Nghi dinh so\n85/2016/ND-CP ngay 01/7/2016 cua Chinh phu ve bao dam an toan\n"
            "1. Muc dich\n2. Yeu cau")
    out = _restore_page(text)
    assert out.split("\n")[1].startswith("85/2016/NĐ-CP ngày 01/7/2016 của Chính phủ")
    assert out.split("\n")[2:] == ["1. Mục đích", "2. Yêu cầu"]


# ---------------------------------------------------------------- neighbouring fields
NEIGHBOURING = [
    # disaster prevention
    "Ủy ban nhân dân huyện chỉ đạo các xã rà soát hộ dân sống ven sông, suối có nguy cơ sạt lở đất "
    "để di dời đến nơi an toàn trước mùa mưa lũ.",
    "Đoàn Thanh niên phát động phong trào tình nguyện giúp đồng bào vùng lũ khắc phục hậu quả thiên tai.",
    # anti-corruption
    "Thanh tra tỉnh tiếp tục xác minh việc kê khai tài sản, thu nhập của người có chức vụ, quyền hạn "
    "theo kế hoạch đã được phê duyệt.",
    "Kiên quyết xử lý nghiêm các hành vi tham nhũng, tiêu cực, lãng phí trong quản lý đất đai và đầu tư công.",
    # Mặt trận and mass organisations
    "Hội Liên hiệp Phụ nữ và Hội Nông dân phối hợp tuyên truyền, vận động hội viên tham gia bảo vệ "
    "môi trường nông thôn.",
    "Ủy ban Mặt trận Tổ quốc Việt Nam xã tổ chức hội nghị lấy ý kiến Nhân dân về dự thảo quy hoạch sử dụng đất.",
    "Cựu chiến binh tham gia giữ gìn an ninh trật tự ở khu dân cư và giúp nhau phát triển kinh tế.",
    # Party work
    "Các chi bộ đưa nội dung học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh vào sinh hoạt định kỳ.",
    # traffic safety, digital health
    "Cán bộ, chiến sĩ công an tăng cường tuần tra, kiểm soát, xử lý nghiêm người điều khiển xe mô tô "
    "vi phạm nồng độ cồn.",
    "Bệnh viện triển khai hồ sơ bệnh án điện tử và thanh toán viện phí không dùng tiền mặt cho người bệnh.",
]


@pytest.mark.parametrize("sentence", NEIGHBOURING, ids=range(len(NEIGHBOURING)))
def test_neighbouring_field_sentences_are_restored_exactly(model, sentence):
    assert model.restore(strip_diacritics(sentence)) == normalize_tone(sentence)


def test_training_refuses_the_held_out_texts(tmp_path):
    from plandiff.ingest.diacritics.train import refuse_held_out

    for held_out in ("benchmarks/heldout", "benchmarks/heldout2", "benchmarks/heldout3"):
        with pytest.raises(SystemExit):
            refuse_held_out(str(tmp_path), held_out)
    refuse_held_out(str(tmp_path), "data/seeds", "training/admin_text")
