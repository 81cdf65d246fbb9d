"""The receiving office's stamp over a plan's header (parse/received.py, parse/header.py).

The OCR lines below are Tesseract's reading of the invariance benchmark's first pages of
seeds 004 and 001 with a box stamp `SỞ NỘI VỤ TỈNH QUẢNG NGÃI / CÔNG VĂN ĐẾN / Số / Ngày /
Chuyển` over the top left (profile scan_received): before this module the issuer of 004
came out as `E2EPTTrXE-TPĐNTPI —UBND TỈNH QUẢNG NGÃI ÔI VỤ NG NGÃI CÔNG VĂN ĐẾN. S Š VĂN
PHÒNG . Ê CHUVếH` and that of 001 lost its commune, its `KẾ HOẠCH` hidden behind the stamp.
"""
from __future__ import annotations

import datetime as dt

from conftest import needs_tesseract
from PIL import Image, ImageChops, ImageDraw, ImageFont
from plandiff.parse.header import Header
from plandiff.parse.metadata import extract_metadata, split_title
from plandiff.parse.received import without_received_stamp

OCR_004 = ["E2EPTTrXE-TPĐNTPI —UBND TỈNH QUẢNG NGÃI", "ÔI VỤ NG NGÃI", "CÔNG VĂN ĐẾN. S Š VĂN PHÒNG . Ê",
           "Số: 647 CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIHET NAM", "NGÀY: 21I5I2025 Tộc lập - Tự do - Hạnh phúc",
           "CHUVếH: Số: /KH-VP", "", "Quảng Ngãi, ngày tháng 4 năm 2025", "", "KẾ HOẠCH"]
OCR_001 = ["SỞ NỘI VỤ TỈNH QUẢNG NGÃI", "", "CÔNG VĂN ĐẾN KE HOẠCH", "",
           "số: 2ss4 Truyền thông về cải cách hành chính và chuyển đổi số xã Ngọk Tụ năm 2025",
           "Ngày: 28/8I48än cứ Kế hoạch số 83/KH-UBND ngày 17 tháng 4 năm 2025 của Chủ tịch Ủy ban", "",
           "ChuyỂhân-dân-tỉnh Quảng Ngãi về truyền thông về cải cách hành chính và chuyển đổi số tỉnh", "",
           "Quảng Ngãi năm 2025; Quyết định số 91/QĐ-UBND ngày 24 tháng 7 năm 2025 của Chủ",
           "tịch Ủy ban nhân dân xã Ngọk Tụ ban hành Kế hoạch Cải cách hành chính năm 2025 xã",
           "Ngọk Tụ. Chủ tịch Ủy ban nhân dân xã ban hành Kế hoạch truyền thông về cải cách hành",
           "chính và chuyển đổi số xã Ngọk Tụ năm 2025, như sau:"]


def test_the_stamp_is_cut_out_of_the_header_lines_it_was_read_into():
    assert without_received_stamp(OCR_004) == [
        "E2EPTTrXE-TPĐNTPI —UBND TỈNH QUẢNG NGÃI", ". S Š VĂN PHÒNG . Ê",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIHET NAM", "Tộc lập - Tự do - Hạnh phúc", "Số: /KH-VP", "",
        "Quảng Ngãi, ngày tháng 4 năm 2025", "", "KẾ HOẠCH"]
    # The receiving body's line above the anchor goes; `KẾ HOẠCH` stands alone again.
    assert without_received_stamp(OCR_001)[:5] == [
        "", "KE HOẠCH", "",
        "Truyền thông về cải cách hành chính và chuyển đổi số xã Ngọk Tụ năm 2025",
        "än cứ Kế hoạch số 83/KH-UBND ngày 17 tháng 4 năm 2025 của Chủ tịch Ủy ban"]
    assert without_received_stamp(OCR_001)[5:] == OCR_001[6:]


def test_the_issuer_is_read_around_the_stamp():
    header, title, preamble = split_title(without_received_stamp(OCR_004))
    meta = extract_metadata(header, title, preamble)
    assert (meta.issuer, meta.plan_number, meta.place) == ("VĂN PHÒNG UBND TỈNH QUẢNG NGÃI", None, "Quảng Ngãi")
    header, title, preamble = split_title(without_received_stamp(OCR_001))
    assert extract_metadata(header, title, preamble).issuer == "Ủy ban nhân dân xã Ngọk Tụ"


def test_the_official_den_stamp_is_recognised_too():
    lines = ["VĂN PHÒNG HĐND-UBND HUYỆN", "ĐẾN", "Số: 1257", "Ngày: 22/4/2025",
             "Chuyển: ....", "ỦY BAN NHÂN DÂN", "XÃ ĐĂK TÔ", "Số: 25/KH-UBND", "Đăk Tô, ngày 10 tháng 4 năm 2025"]
    kept = without_received_stamp(lines)
    assert kept == ["", "", "", "", "ỦY BAN NHÂN DÂN", "XÃ ĐĂK TÔ", "Số: 25/KH-UBND",
                    "Đăk Tô, ngày 10 tháng 4 năm 2025"]
    head = Header(kept)
    assert (head.issuer, head.number, head.date) == ("ỦY BAN NHÂN DÂN XÃ ĐĂK TÔ", "25/KH-UBND", (10, 4, 2025))


def test_headers_without_a_stamp_are_left_as_they_are():
    plain = ["ỦY BAN NHÂN DÂN CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "XÃ ĐĂK TÔ Độc lập - Tự do - Hạnh phúc",
             "Số: 25/KH-UBND Đăk Tô, ngày 10 tháng 4 năm 2025"]
    assert without_received_stamp(plain) == plain
    # A sentence naming an incoming letter is no stamp: it has no `Số:` / `Ngày:` fields.
    sentence = ["Căn cứ công văn đến số 12 của Sở Nội vụ,", "UBND xã ban hành Kế hoạch"]
    assert without_received_stamp(sentence) == sentence
    # One field alone is not enough either (a plan may write `Số: 25` with its code lost).
    assert without_received_stamp(["ỦY BAN NHÂN DÂN", "Số: 25"]) == ["ỦY BAN NHÂN DÂN", "Số: 25"]
    # The plan's own number with its slash lost stays, next to a stamp's fields.
    kept = without_received_stamp(["ĐẾN", "Số: 1257", "Ngày: 22/4/2025", "Số: 25 KH-UBND"])
    assert kept == ["", "", "", "Số: 25 KH-UBND"]


def test_debris_at_the_ends_of_a_name_line_is_not_part_of_the_name():
    assert Header([". S Š VĂN PHÒNG . Ê", "UBND TỈNH QUẢNG NGÃI"]).issuer == "VĂN PHÒNG UBND TỈNH QUẢNG NGÃI"
    assert Header(["UBND TỈNH QUẢNG NGÃI", ". S Š VĂN PHÒNG . Ê"]).issuer == "VĂN PHÒNG UBND TỈNH QUẢNG NGÃI"
    # Numbers and abbreviations are words of a name.
    assert Header(["SỞ GIÁO DỤC VÀ ĐÀO TẠO", "TRƯỜNG THCS SỐ 1"]).name_lines == [
        "SỞ GIÁO DỤC VÀ ĐÀO TẠO", "TRƯỜNG THCS SỐ 1"]


SERIF = "/usr/share/fonts/truetype/liberation2/LiberationSerif-Bold.ttf"
SANS = "/usr/share/fonts/truetype/liberation2/LiberationSans-Bold.ttf"


def _first_page() -> Image.Image:
    """The top of a commune's plan at 200 dpi, a receiving stamp pressed over its left column."""
    page = Image.new("L", (1654, 900), 255)
    d = ImageDraw.Draw(page)
    serif = ImageFont.truetype(SERIF, 34)
    for x, y, text in ((170, 120, "ỦY BAN NHÂN DÂN"), (220, 165, "XÃ ĐĂK TÔ"), (180, 230, "Số: 25/KH-UBND"),
                       (760, 120, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"), (880, 165, "Độc lập - Tự do - Hạnh phúc"),
                       (860, 230, "Đăk Tô, ngày 10 tháng 4 năm 2025"), (730, 360, "KẾ HOẠCH"),
                       (330, 410, "Truyền thông về cải cách hành chính năm 2025"),
                       (170, 480, "Căn cứ Kế hoạch số 82/KH-UBND ngày 17/4/2025 của UBND tỉnh;")):
        d.text((x, y), text, fill=0, font=serif)
    stamp = Image.new("L", page.size, 255)
    s = ImageDraw.Draw(stamp)
    sans = ImageFont.truetype(SANS, 24)
    s.rectangle((110, 285, 600, 520), outline=130, width=4)
    for y, text in ((295, "SỞ NỘI VỤ TỈNH QUẢNG NGÃI"), (335, "CÔNG VĂN ĐẾN"), (390, "Số: 1257"),
                    (435, "Ngày: 22/4/2025"), (480, "Chuyển: ............")):
        s.text((130, y), text, fill=130, font=sans)
    return ImageChops.darker(page, stamp)


def test_tesseract_reads_the_header_around_a_receiving_stamp(tmp_path):
    needs_tesseract()
    from plandiff.ingest import IngestConfig, ingest
    from plandiff.parse import parse
    path = tmp_path / "page.png"
    _first_page().save(path)
    meta = parse(ingest(path, IngestConfig())).meta
    assert (meta.issuer, meta.plan_number, meta.issued_on) == (
        "ỦY BAN NHÂN DÂN XÃ ĐĂK TÔ", "25/KH-UBND", dt.date(2025, 4, 10))
