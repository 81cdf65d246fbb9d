"""Any copy of a plan gives the metadata of the clean copy (issue 16, item 1).

`benchmarks/invariance.py` found the issuer differing on hard-wrapped copies
(the preamble's issuing sentence broken over lines) and on a faxed scan (`Số:`
read without its slash and taken for a name). Each case below is one such
damage in a few lines, with the exact metadata the clean copy gives; the
wrapping cases run every header of tests/test_header.py through a hard wrap at
several widths, with a running header, page numbers and form feeds.
"""
from __future__ import annotations

import datetime as dt
import textwrap

import pytest
from conftest import seed
from plandiff.ingest import ingest_bytes
from plandiff.parse import parse
from test_header import CASES

D = dt.date
TITLE = "Truyền thông về cải cách hành chính và chuyển đổi số xã Ngọk Tụ năm 2025"
OUTLINE = ["I. NHIỆM VỤ", "1. Đăng tin."]
# Widths a hard-wrapped copy is made at: the benchmark's 70 and narrower ones, which
# break the motto, the slogan and the place-and-date line.
WIDTHS = (70, 50, 40)
LINES_PER_PAGE = 45   # as the benchmark's wrapped copies
# Running headers put on every page after the first: the title (as the benchmark
# does) and an upper-case body name, which must not be read as the issuer.
RUNNING = ("KẾ HOẠCH TRUYỀN THÔNG CCHC NĂM 2025", "ỦY BAN NHÂN DÂN XÃ ĐĂK TÔ")


def _row(text: str, text_config) -> tuple:
    m = parse(ingest_bytes(text.encode("utf-8"), "case.txt", text_config)).meta
    return (m.issuer, m.plan_number, m.issued_on, m.place, m.admin_level.value)


def _wrap(text: str, width: int, running: str) -> str:
    """Hard-wrapped at `width`, `running` atop every page after the first, each page
    ending in its number and a form feed."""
    out: list[str] = []
    for line in text.split("\n"):
        out += textwrap.wrap(line, width, break_long_words=False, break_on_hyphens=False) or [""]
    pages = [out[i:i + LINES_PER_PAGE] for i in range(0, len(out), LINES_PER_PAGE)]
    chunks = [([running, ""] if k > 1 else []) + page + ["", str(k).center(width).rstrip()]
              for k, page in enumerate(pages, 1)]
    return "\n\f".join("\n".join(chunk) for chunk in chunks) + "\n"


def test_issuing_sentence_broken_over_lines(text_config):
    """Seed 001 has no header: the issuer is the preamble's `Chủ tịch Ủy ban nhân dân xã
    ban hành`, with the place from the title; wrapped, the sentence spans two lines."""
    one_line = ["Căn cứ Quyết định số 91/QĐ-UBND ngày 24 tháng 7 năm 2025 của Chủ tịch Ủy ban nhân "
                "dân xã Ngọk Tụ ban hành Kế hoạch Cải cách hành chính năm 2025 xã Ngọk Tụ. Chủ tịch "
                "Ủy ban nhân dân xã ban hành Kế hoạch truyền thông như sau:"]
    wrapped = ["Căn cứ Quyết định số 91/QĐ-UBND ngày 24 tháng 7 năm 2025 của Chủ tịch Ủy",
               "ban nhân dân xã Ngọk Tụ ban hành Kế hoạch Cải cách hành chính năm 2025",
               "xã Ngọk Tụ. Chủ tịch Ủy ban nhân",
               "dân xã ban hành Kế hoạch truyền thông như sau:"]
    expected = ("Ủy ban nhân dân xã Ngọk Tụ", None, None, None, "commune")
    for preamble in (one_line, wrapped):
        assert _row("\n".join(["KẾ HOẠCH", TITLE, "", *preamble, *OUTLINE]), text_config) == expected


def test_issuing_sentence_cited_from_another_body_is_not_the_issuer(text_config):
    """`… của Chủ tịch UBND tỉnh` / `ban hành …` across a line break cites a parent."""
    preamble = ["Căn cứ Quyết định số 393/QĐ-UBND ngày 14/7/2025 của Chủ tịch UBND tỉnh",
                "ban hành Kế hoạch cải cách hành chính năm 2025 tỉnh Quảng Ngãi;",
                "UBND xã Đông Trà Bồng ban hành Kế hoạch tuyên truyền như sau:"]
    text = "\n".join(["KẾ HOẠCH", "Tuyên truyền cải cách hành chính năm 2025", *preamble, *OUTLINE])
    assert _row(text, text_config) == ("UBND xã Đông Trà Bồng", None, None, None, "commune")


@pytest.mark.parametrize("number_line", ["Số:       /KH-UBND", "Số: KH-UBND", "SỐ: KH-UBND", "S6: KH-UBND"])
def test_blank_number_without_its_slash_is_no_name(number_line, text_config):
    """Seed 003's header is `Số: /KH-UBND` with the number left blank; the faxed scan's
    OCR lost the slash. Either way it is the number field: the issuer comes from the
    preamble as in the clean copy."""
    text = "\n".join([number_line, "Đông Trà Bồng, ngày       tháng 8 năm 2025", "", "KẾ HOẠCH",
                      "Tuyên truyền Cải cách hành chính 06 tháng cuối năm 2025 xã Đông Trà Bồng",
                      "UBND xã Đông Trà Bồng ban hành Kế hoạch tuyên truyền như sau:", *OUTLINE])
    assert _row(text, text_config) == ("UBND xã Đông Trà Bồng", None, None, "Đông Trà Bồng", "commune")


WRAPPED_HEADERS = {
    # the motto and slogan broken in two, the date line broken after `tháng 4`
    "motto, slogan and date broken": (
        ["ỦY BAN NHÂN DÂN CỘNG HÒA XÃ HỘI", "CHỦ NGHĨA VIỆT NAM", "XÃ ĐĂK TÔ Độc lập - Tự do -",
         "Hạnh phúc", "Số: 25/KH-UBND Đăk Tô, ngày 10 tháng 4", "năm 2025"],
        ("ỦY BAN NHÂN DÂN XÃ ĐĂK TÔ", "25/KH-UBND", D(2025, 4, 10), "Đăk Tô", "commune")),
    # the place alone at the end of the number's line, `ngày …` below it
    "place before the break, date after it": (
        ["UBND TỈNH QUẢNG NGÃI      CỘNG HÒA XÃ", "HỘI CHỦ NGHĨA VIỆT NAM",
         "SỞ NỘI VỤ                 Độc lập - Tự", "do - Hạnh phúc",
         "Số: 112/KH-SNV            Quảng Ngãi,", "ngày 02 tháng 5 năm 2025"],
        ("SỞ NỘI VỤ UBND TỈNH QUẢNG NGÃI", "112/KH-SNV", D(2025, 5, 2), "Quảng Ngãi", "department")),
    # the OCR'd seed 002 with `NAM` alone under a motto that lost it
    "OCR motto broken before its last word": (
        ["UY BAN NHAN DAN CONG HOA XA HOQI CHU NGHIA VIET", "NAM", "",
         "XA PAK TO Déc 1ap - Tw do - Hanh phuc", "S6:25  /KH-UBND Pak T6,ngay 25 thang 8 nam 2025"],
        ("UY BAN NHAN DAN XA PAK TO", "25/KH-UBND", D(2025, 8, 25), "Pak T6", "commune")),
    # the date's words on three lines
    "date over three lines": (
        ["UBND TỈNH QUẢNG NGÃI", "VĂN PHÒNG", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
         "Độc lập - Tự do - Hạnh phúc", "Số: 9/KH-VP", "Quảng Ngãi, ngày 05", "tháng 9", "năm 2025"],
        ("VĂN PHÒNG UBND TỈNH QUẢNG NGÃI", "9/KH-VP", D(2025, 9, 5), "Quảng Ngãi", "department")),
}


@pytest.mark.parametrize("name", list(WRAPPED_HEADERS))
def test_wrapped_header(name, text_config):
    header, expected = WRAPPED_HEADERS[name]
    assert _row("\n".join([*header, "KẾ HOẠCH", TITLE, *OUTLINE]), text_config) == expected


@pytest.mark.parametrize("name", list(CASES))
def test_hard_wrapped_copy_gives_the_clean_copys_metadata(name, text_config):
    """Every header case of test_header.py above seed 001's body (several pages), hard
    wrapped at each width with each running header: the metadata of the unwrapped text."""
    header, expected = CASES[name]
    clean = "\n".join(header) + "\n" + seed("001").read_text(encoding="utf-8")
    assert _row(clean, text_config) == expected
    for width in WIDTHS:
        for running in RUNNING:
            assert _row(_wrap(clean, width, running), text_config) == expected, (width, running)


@pytest.mark.parametrize("prefix", ["000", "001", "002", "003", "004"])
def test_hard_wrapped_seed_gives_the_clean_seeds_metadata(prefix, text_config):
    """The seeds as the benchmark wraps them (001's issuer is in its preamble, 003's
    header is a blank number and the date): at every width, under every running header."""
    clean = seed(prefix).read_text(encoding="utf-8").replace("\f", "\n")
    expected = _row(clean, text_config)
    for width in WIDTHS:
        for running in RUNNING:
            assert _row(_wrap(clean, width, running), text_config) == expected, (width, running)


@pytest.mark.parametrize("number_line", ["Số: 25/KH-UBND", "Số: 25 KH-UBND", "S6:25 KH-UBND"])
def test_number_whose_slash_was_lost(number_line, text_config):
    """OCR of a faxed copy can drop the slash: the number and its code still read."""
    text = "\n".join(["ỦY BAN NHÂN DÂN", "XÃ ĐĂK TÔ", number_line, "Đăk Tô, ngày 25 tháng 8 năm 2025",
                      "KẾ HOẠCH", TITLE, *OUTLINE])
    assert _row(text, text_config) == ("ỦY BAN NHÂN DÂN XÃ ĐĂK TÔ", "25/KH-UBND", D(2025, 8, 25), "Đăk Tô",
                                       "commune")
