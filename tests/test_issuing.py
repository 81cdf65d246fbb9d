"""The preamble's issuing sentence read through OCR damage (parse/issuing.py).

Plans without a header name their issuer only in the preamble's last sentence; on a
faint or stamped scan its letters are damaged and the plan used to get no issuer.
"""
from __future__ import annotations

import pytest
from plandiff.parse.issuing import read_issuer
from plandiff.parse.metadata import _issuer_from_preamble


@pytest.mark.parametrize(("text", "issuer"), [
    ("UBND xã Đông Trà Bồng ban hành Kế hoạch tuyên truyền", "UBND xã Đông Trà Bồng"),
    ("U8ND xã Đông Trà Bồng bau hành Kế hoạch tuyên truyền", "UBND xã Đông Trà Bồng"),
    ("VBND xä Đông Trà Bồng ban bành Kế hoạch", "UBND xã Đông Trà Bồng"),
    ("Chủ tịch Ủy ban nhân đân xã ban hành Kế hoạch truyền thông", "Chủ tịch Ủy ban nhân dân xã"),
    ("Văn phòng UBNĐ tỉnh ban hàuh Kế hoạch triển khai", "Văn phòng UBND tỉnh"),
    ("Ủy ban nbân dân huyện Trà Bồng xây dựng Kế hoạch", "Ủy ban nhân dân huyện Trà Bồng"),
])
def test_the_issuing_sentence_is_read_through_misread_letters(text, issuer):
    assert read_issuer(text) == issuer


def test_a_cited_body_is_not_the_issuer():
    cited = "Căn cứ Quyết định số 393/QĐ-UBND của Chủ tịch U8ND tỉnh ban hành Kế hoạch cải cách hành chính;"
    assert read_issuer(cited) is None
    # the issuing sentence comes last, after the citations
    assert read_issuer(cited + " UBND xã Ba Tô bau hành Kế hoạch như sau:") == "UBND xã Ba Tô"


def test_words_that_only_look_alike_are_no_issuing_sentence():
    assert read_issuer("Tuyên truyền về công tác ban hành văn bản quy phạm pháp luật") is None
    assert read_issuer("Sở ban ngành hướng dẫn bàn hành chính") is None


def test_the_sentence_as_written_is_read_as_before():
    # The written form is read first and kept as written (its spelling, `Chủ tịch` dropped later).
    assert _issuer_from_preamble(["Ủy ban nhân dân xã Ngọk Tụ ban hành Kế hoạch"]) == "Ủy ban nhân dân xã Ngọk Tụ"
    assert _issuer_from_preamble(["U8ND xã Ngọk Tụ bau hành Kế hoạch"]) == "UBND xã Ngọk Tụ"
