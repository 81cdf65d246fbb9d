"""Legal document codes and abbreviations whose `Đ` was lost (`plandiff.ingest.legal_codes`),
restored in the lines the restorer restores, and only there."""
from __future__ import annotations

import pytest
from plandiff.ingest.diacritics import load_model
from plandiff.ingest.legal_codes import restore_code, restore_codes
from plandiff.ingest.textnorm import strip_diacritics


@pytest.fixture(scope="module")
def model():
    return load_model()


# stripped line -> what the restorer must give back (whole lines, real model)
LINES = [
    # each document type and issuing body, in sentences
    ("Can cu Nghi dinh so 61/2018/ND-CP ngay 23 thang 4 nam 2018 cua Chinh phu",
     "Căn cứ Nghị định số 61/2018/NĐ-CP ngày 23 tháng 4 năm 2018 của Chính phủ"),
    ("Can cu Ke hoach so 25/KH-UBND ngay 12 thang 3 nam 2025 cua Uy ban nhan dan tinh",
     "Căn cứ Kế hoạch số 25/KH-UBND ngày 12 tháng 3 năm 2025 của Ủy ban nhân dân tỉnh"),
    ("Thuc hien Nghi quyet so 57-NQ/TW ngay 22 thang 12 nam 2024 cua Bo Chinh tri",
     "Thực hiện Nghị quyết số 57-NQ/TW ngày 22 tháng 12 năm 2024 của Bộ Chính trị"),
    ("Thuc hien Chi thi so 07/CT-TTg ngay 14 thang 3 nam 2025 cua Thu tuong Chinh phu",
     "Thực hiện Chỉ thị số 07/CT-TTg ngày 14 tháng 3 năm 2025 của Thủ tướng Chính phủ"),
    ("Can cu Quyet dinh so 1035/QD-UBND ngay 5 thang 6 nam 2024 cua Chu tich Uy ban nhan dan tinh",
     "Căn cứ Quyết định số 1035/QĐ-UBND ngày 5 tháng 6 năm 2024 của Chủ tịch Ủy ban nhân dân tỉnh"),
    ("Can cu Thong tu so 03/2020/TT-BTTTT cua Bo Thong tin va Truyen thong",
     "Căn cứ Thông tư số 03/2020/TT-BTTTT của Bộ Thông tin và Truyền thông"),
    ("Xet To trinh so 45/TTr-UBND ngay 10 thang 5 nam 2025 cua Uy ban nhan dan huyen",
     "Xét Tờ trình số 45/TTr-UBND ngày 10 tháng 5 năm 2025 của Ủy ban nhân dân huyện"),
    # a Tờ trình whose `r` was lost: a Thông tư never comes from a UBND
    ("Xet To trinh so 45/TT-UBND ngay 10 thang 5 nam 2025 cua Uy ban nhan dan huyen",
     "Xét Tờ trình số 45/TTr-UBND ngày 10 tháng 5 năm 2025 của Ủy ban nhân dân huyện"),
    ("Can cu Nghi quyet so 12/NQ-HDND ngay 8 thang 7 nam 2025 cua Hoi dong nhan dan xa",
     "Căn cứ Nghị quyết số 12/NQ-HĐND ngày 8 tháng 7 năm 2025 của Hội đồng nhân dân xã"),
    ("Theo Ke hoach so 03-KH/BCSD cua Ban can su dang Uy ban nhan dan tinh",
     "Theo Kế hoạch số 03-KH/BCSĐ của Ban cán sự đảng Ủy ban nhân dân tỉnh"),
    ("Thuc hien Ke hoach so 01-KH/DU ngay 2 thang 1 nam 2025 cua Dang uy xa",
     "Thực hiện Kế hoạch số 01-KH/ĐU ngày 2 tháng 1 năm 2025 của Đảng ủy xã"),
    ("Can cu Ke hoach so 15/KH-BCD ngay 9 thang 4 nam 2025 cua Ban chi dao tinh",
     "Căn cứ Kế hoạch số 15/KH-BCĐ ngày 9 tháng 4 năm 2025 của Ban chỉ đạo tỉnh"),
    ("Can cu Cong dien so 02/CD-TTg cua Thu tuong Chinh phu",
     "Căn cứ Công điện số 02/CĐ-TTg của Thủ tướng Chính phủ"),
    ("Can cu Quyet dinh so 119/QD-BNV va Thong tu so 01/2011/TT-BNV cua Bo Noi vu",
     "Căn cứ Quyết định số 119/QĐ-BNV và Thông tư số 01/2011/TT-BNV của Bộ Nội vụ"),
    ("Can cu Thong bao so 88/TB-VPCP cua Van phong Chinh phu ve y kien ket luan",
     "Căn cứ Thông báo số 88/TB-VPCP của Văn phòng Chính phủ về ý kiến kết luận"),
    ("Can cu Chi thi so 05-CT/TU ngay 9 thang 5 nam 2021 cua Tinh uy",
     "Căn cứ Chỉ thị số 05-CT/TU ngày 9 tháng 5 năm 2021 của Tỉnh ủy"),
    ("Can cu Cong van so 123/UBND-VX ngay 5 thang 3 nam 2025 cua Uy ban nhan dan tinh",
     "Căn cứ Công văn số 123/UBND-VX ngày 5 tháng 3 năm 2025 của Ủy ban nhân dân tỉnh"),
    ("Can cu Thong tu lien tich so 02/2005/TTLT-BCVT-VHTT cua hai bo",
     "Căn cứ Thông tư liên tịch số 02/2005/TTLT-BCVT-VHTT của hai bộ"),
    # ambiguous in the type slot (Hướng dẫn HD / Hợp đồng HĐ): kept as written
    ("Thuc hien Huong dan so 12/HD-UBND cua Uy ban nhan dan tinh ve chuyen doi so",
     "Thực hiện Hướng dẫn số 12/HD-UBND của Ủy ban nhân dân tỉnh về chuyển đổi số"),
    ("Hop dong so 12/HD-UBND ngay 3 thang 3 nam 2025 giua hai ben",
     "Hợp đồng số 12/HD-UBND ngày 3 tháng 3 năm 2025 giữa hai bên"),
    # codes at the start and at the end of a line
    ("61/2018/ND-CP la can cu de thuc hien co che mot cua tai xa",
     "61/2018/NĐ-CP là căn cứ để thực hiện cơ chế một cửa tại xã"),
    ("Thuc hien co che mot cua theo Nghi dinh so 61/2018/ND-CP",
     "Thực hiện cơ chế một cửa theo Nghị định số 61/2018/NĐ-CP"),
    # standalone abbreviations in running text
    ("Thuong truc HDND xa phoi hop voi Ban chi dao (BCD) cua tinh",
     "Thường trực HĐND xã phối hợp với Ban chỉ đạo (BCĐ) của tỉnh"),
    ("Dai bieu HDND xa tham gia giam sat viec thuc hien",
     "Đại biểu HĐND xã tham gia giám sát việc thực hiện"),
]


@pytest.mark.parametrize(("stripped", "expected"), LINES)
def test_stripped_lines_with_codes(model, stripped, expected):
    assert model.restore(stripped) == expected


def test_table_is_the_stripped_truth():
    for stripped, expected in LINES:
        if "TT-UBND" not in stripped:
            assert strip_diacritics(expected) == stripped


def test_clean_line_keeps_its_codes(model):
    """A line that was not restored never changes, even with a code written without Đ."""
    clean = "Căn cứ Nghị định số 61/2018/ND-CP và Nghị quyết của HDND tỉnh"
    text = "\n".join([
        "Can cu Ke hoach so 25/KH-UBND ngay 12 thang 3 nam 2025 cua Uy ban nhan dan tinh",
        clean,
        "Thuc hien co che mot cua theo Nghi dinh so 61/2018/ND-CP",
    ])
    out = model.restore(text).split("\n")
    assert out[1] == clean
    assert out[2] == "Thực hiện cơ chế một cửa theo Nghị định số 61/2018/NĐ-CP"
    assert model.restore(clean) == clean


@pytest.mark.parametrize(("code", "expected"), [
    ("61/2018/ND-CP", "61/2018/NĐ-CP"),
    ("1035/QD-UBND", "1035/QĐ-UBND"),
    ("57-NQ/TW", "57-NQ/TW"),
    ("45/TT-UBND", "45/TTr-UBND"),            # Tờ trình
    ("03/2020/TT-BTTTT", "03/2020/TT-BTTTT"),  # a ministry's Thông tư stays TT
    ("05-TT/TU", "05-TT/TU"),                  # a Party Thông tri stays TT
    ("12/HD-UBND", "12/HD-UBND"),              # Hướng dẫn or Hợp đồng: kept
    ("12/HĐ-UBND", "12/HĐ-UBND"),
    ("01-HD/BTCTW", "01-HD/BTCTW"),
    ("15/KH-BCD", "15/KH-BCĐ"),
    ("03-KH/BCSD", "03-KH/BCSĐ"),
    ("01-KH/DU", "01-KH/ĐU"),
    ("12/NQ-HDND", "12/NQ-HĐND"),
    ("02/CD-TTg", "02/CĐ-TTg"),
    ("10/2019/TT-BGDDT", "10/2019/TT-BGDĐT"),
    ("391-CP/QD", "391-CP/QĐ"),                # older codes: the type after the body
    ("281-BNV/HC/ND", "281-BNV/HC/NĐ"),
    ("1155-TTr/ND", "1155-TTr/ND"),            # after a type, ND is a body (Nhân Dân): kept
    ("117-CT/TU", "117-CT/TU"),                # Tỉnh ủy or Trung ương: kept
    ("09/2011/QD-TTG", "09/2011/QĐ-TTG"),      # case is never changed
    ("25/KH-XYZD", "25/KH-XYZD"),              # unknown part: kept
    ("141/KH-BCDTKNQ18", "141/KH-BCĐTKNQ18"),  # a Ban chỉ đạo named by its subject
    ("12/BCDTKNQ18-VP", "12/BCDTKNQ18-VP"),    # ... only in a body slot
    ("QD-UBND", "QĐ-UBND"),                    # a bare code whose parts are all known
    ("CD-ROM", "CD-ROM"),                      # ... and one that is not a code
    ("91/2015/QH13", "91/2015/QH13"),
    ("27/2008/HDNN8", "27/2008/HĐNN8"),
])
def test_restore_code(code, expected):
    assert restore_code(code) == expected


def test_restore_codes_rebuilds_from_the_source():
    # whatever the syllable model did inside a code, parts the rule does not decide come from the source
    assert restore_codes("Kế hoạch số 01-KH/Dự của Đảng ủy", "Ke hoach so 01-KH/DU cua Dang uy") == \
        "Kế hoạch số 01-KH/ĐU của Đảng ủy"
    assert restore_codes("số 437/Phụ/BĐPT", "so 437/PThT/BDPT") == "số 437/PThT/BĐPT"
    # a number before a word is not a code: the restored word stands
    assert restore_codes("Nghị quyết 51/2005/Bộ Chính trị", "Nghi quyet 51/2005/Bo Chinh tri") == \
        "Nghị quyết 51/2005/Bộ Chính trị"
    # standalone abbreviations; syllables and ambiguous ones are left
    assert restore_codes("HDND và BCD, HD và DU lịch", "HDND va BCD, HD va DU lich") == "HĐND và BCĐ, HD và DU lịch"
    assert restore_codes("theo QD của UBND, báo ND", "theo QD cua UBND, bao ND") == "theo QĐ của UBND, báo ND"
