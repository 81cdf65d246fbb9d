"""General restoration behaviour found while working on issue 16, item 3
(held-out restoration): each test is a small text written for it, none taken
from `benchmarks/heldout/`, with the exact output asserted."""
from __future__ import annotations

import pytest
from plandiff.ingest.diacritics import load_model
from plandiff.ingest.textnorm import strip_diacritics


@pytest.fixture(scope="module")
def model():
    return load_model()


def test_lines_of_neutral_words_in_a_stripped_document_are_restored(model):
    # `BAO`, `CAO`, `DANH`, `GIA`, `PHI` are frequent unmarked syllables themselves, so
    # no word of these lines is suspicious; in a document that lost its marks they
    # lost them too (they used to come back as written)
    text = ("UY BAN NHAN DAN TINH\nBAO CAO\nKet qua cong tac phong, chong thien tai nam 2025\n"
            "DANH GIA CHUNG\nCac dia phuong da chu dong trien khai ke hoach.\nKINH PHI")
    assert model.restore(text) == (
        "ỦY BAN NHÂN DÂN TỈNH\nBÁO CÁO\nKết quả công tác phòng, chống thiên tai năm 2025\n"
        "ĐÁNH GIÁ CHUNG\nCác địa phương đã chủ động triển khai kế hoạch.\nKINH PHÍ")


def test_a_neutral_line_in_a_good_document_is_left_alone(model):
    # the rule is for damaged documents only: a line of a well-marked text stays as written
    text = "ỦY BAN NHÂN DÂN TỈNH\nBAO CAO\nKết quả công tác phòng, chống thiên tai năm 2025"
    assert model.restore(text) == text


def test_a_word_of_letters_and_digits_is_context_as_the_trainer_counted_it(model):
    # `m2` in stripped text is a unit kept as written; the language model counted it as
    # `m <num>`, and so must the decoder see it (it used to be one unknown unit, after
    # which `đất` became `đặt`)
    text = ("Ủy ban nhân dân xã tổ chức hội nghị triển khai kế hoạch xây dựng nông thôn mới năm 2025.\n"
            "Các thôn tuyên truyền, vận động Nhân dân tham gia hiến đất làm đường giao thông.\n"
            "Xây dựng nhà văn hóa thôn trên 200 m2 đất của xã.")
    assert model.restore(strip_diacritics(text)) == text


def test_syllables_that_form_a_word_of_the_word_list_are_preferred(model):
    # `chi hội` is a word of the word list; the corpora hold `chị hồi` about as
    # often as it, and without the word-pair bonus the line began `Chị hồi phát động`
    text = ("Ủy ban nhân dân xã tổ chức hội nghị triển khai kế hoạch năm 2025.\n"
            "Chi hội phát động trồng cây xanh, dọn vệ sinh đường làng ngõ xóm.")
    assert model.restore(strip_diacritics(text)) == text
    assert model.lm.is_word_pair(model.lm.index["chi"], model.lm.index["hội"])


def test_candidate_pruning_looks_two_bigrams_deep(model):
    # `ân xá` is a strong pair; with one bigram of support on each side, `xá` kept
    # `xã` out of the beam in `cong an xa` although `công ân` has no support at all
    text = ("Ủy ban nhân dân xã tổ chức hội nghị triển khai kế hoạch năm 2025.\n"
            "Công an xã, phường tăng cường tuần tra ban đêm.")
    assert model.restore(strip_diacritics(text)) == text


def test_phuong_is_the_ward_where_it_forms_no_word_with_its_neighbours(model):
    # The corpora predate July 2025: `Đoàn Thanh niên phường` came back `phương`; `địa
    # phương`, `phương án`, `phương tiện` are words of the word list and stay; so does a
    # person's name and a capitalised `Phương` after another name word
    text = ("Cong an phuong, Doan Thanh nien phuong phoi hop voi cac xa, phuong trien khai phuong tien.\n"
            "UBND phuong Hoa Xuan to chuc thuc hien tai dia phuong theo phuong an da duoc phe duyet.\n"
            "UY BAN NHAN DAN PHUONG HOA XUAN\nNguoi thuc hien: Nguyen Thi Phuong.")
    assert model.restore(text) == (
        "Công an phường, Đoàn Thanh niên phường phối hợp với các xã, phường triển khai phương tiện.\n"
        "UBND phường Hòa Xuân tổ chức thực hiện tại địa phương theo phương án đã được phê duyệt.\n"
        "ỦY BAN NHÂN DÂN PHƯỜNG HÒA XUÂN\nNgười thực hiện: Nguyễn Thị Phương.")


def test_a_phuong_the_source_wrote_with_its_marks_is_left_as_written(model):
    text = "Cac don vi tren dia ban phuong\nThực hiện tại địa phương theo phương án."
    assert model.restore(text).split("\n")[1] == "Thực hiện tại địa phương theo phương án."
