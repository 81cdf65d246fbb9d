"""Outline repair: OCR-damaged labels understood from their neighbours (issue 16, item 2).

One small plan per damage pattern a harsh scan leaves in labels, with the whole
tree written out: the label as written stays in `label`, the repaired one is in
`label_understood`, and the depth and part are those of the undamaged plan.
"""
from __future__ import annotations

import pytest
from plandiff.ingest import ingest_bytes
from plandiff.parse import parse
from plandiff.parse.lines import Line
from plandiff.parse.sequence import choose_labels

HEAD = ["KẾ HOẠCH", "Truyền thông năm 2025"]
_BLOCKS = ("BLOCK", "FOOTNOTE")   # preamble, closing and footnotes: not outline items


def _plan(lines: list[str], text_config):
    return parse(ingest_bytes("\n".join(lines).encode("utf-8"), "case.txt", text_config))


def _tree(plan) -> list[tuple]:
    """(depth, label as written, label as understood, part, heading or text)."""
    return [(it.depth, it.label, it.label_understood, it.part.value, it.heading or it.text)
            for it in plan.items if it.scheme not in _BLOCKS]


# ---------------------------------------------------------------- a Roman numeral without its period
@pytest.mark.parametrize("one, two, three", [("I", "II", "III"), ("IL", "IIL", "IIIL")])
def test_roman_numerals_that_lost_their_period_still_open_the_parts(one, two, three, text_config):
    """`I MỤC ĐÍCH` (the period lost) or `IL MỤC ĐÍCH` (the period read as `L`)."""
    plan = _plan(HEAD + [
        f"{one} MỤC ĐÍCH, YÊU CẦU", "1. Nâng cao nhận thức.", f"{two} NHIỆM VỤ CỤ THỂ",
        "1. Đăng tin bài.", "2. Phát thanh.", f"{three} TỔ CHỨC THỰC HIỆN",
        "1. Phòng Văn hóa theo dõi."], text_config)
    assert _tree(plan) == [
        (0, one, "I.", "purpose", "MỤC ĐÍCH, YÊU CẦU"),
        (1, "1.", "1.", "purpose", "Nâng cao nhận thức."),
        (0, two, "II.", "tasks", "NHIỆM VỤ CỤ THỂ"),
        (1, "1.", "1.", "tasks", "Đăng tin bài."),
        (1, "2.", "2.", "tasks", "Phát thanh."),
        (0, three, "III.", "organization", "TỔ CHỨC THỰC HIỆN"),
        (1, "1.", "1.", "organization", "Phòng Văn hóa theo dõi."),
    ]


def test_section_numerals_that_lost_their_period_before_ordinary_headings(text_config):
    """`I Mục đích` under `A.`: a true Roman numeral where the sequence expects one."""
    plan = _plan(HEAD + [
        "A. MỤC ĐÍCH, YÊU CẦU", "I Mục đích", "1. Nâng cao nhận thức.", "II Yêu cầu",
        "1. Bám sát kế hoạch.", "B. NHIỆM VỤ", "I Về chuyển đổi số", "1. Đăng tin bài."],
        text_config)
    assert _tree(plan) == [
        (0, "A.", "A.", "purpose", "MỤC ĐÍCH, YÊU CẦU"),
        (1, "I", "I.", "purpose", "Mục đích"),
        (2, "1.", "1.", "purpose", "Nâng cao nhận thức."),
        (1, "II", "II.", "requirements", "Yêu cầu"),
        (2, "1.", "1.", "requirements", "Bám sát kế hoạch."),
        (0, "B.", "B.", "tasks", "NHIỆM VỤ"),
        (1, "I", "I.", "tasks", "Về chuyển đổi số"),
        (2, "1.", "1.", "tasks", "Đăng tin bài."),
    ]


def test_section_numerals_misread_and_without_their_period(text_config):
    """Both slips at once: `Il Yêu cầu` for `II. Yêu cầu`, and `I Nội dung …` for
    `II. Nội dung …` (a stroke lost with the period)."""
    plan = _plan(HEAD + [
        "A. MỤC ĐÍCH, YÊU CẦU", "l Mục đích", "1. Nâng cao nhận thức.", "Il Yêu cầu",
        "1. Bám sát kế hoạch.", "B. NỘI DUNG", "I Nội dung về chuyển đổi số", "1. Đăng tin bài.",
        "I Nội dung về cải cách hành chính", "1. Niêm yết thủ tục."], text_config)
    assert [(d, w, u) for d, w, u, *_ in _tree(plan)] == [
        (0, "A.", "A."), (1, "l", "I."), (2, "1.", "1."), (1, "Il", "II."), (2, "1.", "1."),
        (0, "B.", "B."), (1, "I", "I."), (2, "1.", "1."), (1, "I", "II."), (2, "1.", "1.")]


def test_a_bare_numeral_before_an_all_caps_heading_is_a_top_level_part(text_config):
    """`5 TỔ CHỨC THỰC HIỆN` fits no sequence as written; its typography makes it a part."""
    plan = _plan(HEAD + [
        "I. MỤC ĐÍCH", "1. Nâng cao nhận thức.", "II. NHIỆM VỤ", "1. Đăng tin bài.",
        "5 TỔ CHỨC THỰC HIỆN", "1. Phòng Văn hóa theo dõi."], text_config)
    assert _tree(plan) == [
        (0, "I.", "I.", "purpose", "MỤC ĐÍCH"),
        (1, "1.", "1.", "purpose", "Nâng cao nhận thức."),
        (0, "II.", "II.", "tasks", "NHIỆM VỤ"),
        (1, "1.", "1.", "tasks", "Đăng tin bài."),
        (0, "5", "III.", "organization", "TỔ CHỨC THỰC HIỆN"),
        (1, "1.", "1.", "organization", "Phòng Văn hóa theo dõi."),
    ]


@pytest.mark.parametrize("third, fourth", [("8.", "Đ."), ("(.", "0.")])
def test_a_part_letter_misread_as_a_digit_or_symbol_is_still_a_part(third, fourth, text_config):
    """`C.` read `8.` or `(.`, `D.` read `Đ.` or `0.`: the label fits no sequence as
    read, and its ALL-CAPS heading, like the other parts', makes it the next part."""
    plan = _plan(HEAD + [
        "A. MỤC ĐÍCH, YÊU CẦU", "I. Mục đích", "1. Nâng cao nhận thức.", "B. NỘI DUNG",
        "I. Về chuyển đổi số", "1. Đăng tin bài.", f"{third} KINH PHÍ THỰC HIỆN",
        "1. Ngân sách xã.", f"{fourth} TỔ CHỨC THỰC HIỆN", "1. Phòng Nội vụ theo dõi."],
        text_config)
    assert _tree(plan) == [
        (0, "A.", "A.", "purpose", "MỤC ĐÍCH, YÊU CẦU"),
        (1, "I.", "I.", "purpose", "Mục đích"),
        (2, "1.", "1.", "purpose", "Nâng cao nhận thức."),
        (0, "B.", "B.", "content", "NỘI DUNG"),
        (1, "I.", "I.", "content", "Về chuyển đổi số"),
        (2, "1.", "1.", "content", "Đăng tin bài."),
        (0, third, "C.", "budget", "KINH PHÍ THỰC HIỆN"),
        (1, "1.", "1.", "budget", "Ngân sách xã."),
        (0, fourth, "D.", "organization", "TỔ CHỨC THỰC HIỆN"),
        (1, "1.", "1.", "organization", "Phòng Nội vụ theo dõi."),
    ]


# ---------------------------------------------------------------- a misread Roman numeral
@pytest.mark.parametrize("third", ["II.", "Il.", "HI."])
def test_a_third_part_read_as_the_second_is_understood_from_the_sequence(third, text_config):
    """`III.` read `II.` (a stroke lost), `Il.`, or `HI.` (two strokes run together):
    the parts stay siblings."""
    plan = _plan(HEAD + [
        "I. MỤC ĐÍCH, YÊU CẦU", "1. Nâng cao nhận thức.", "II. NỘI DUNG TUYÊN TRUYỀN",
        "1. Chủ trương của Đảng.", f"{third} KINH PHÍ THỰC HIỆN", "1. Ngân sách xã.",
        "IV. TỔ CHỨC THỰC HIỆN", "1. Phòng Nội vụ theo dõi."], text_config)
    assert _tree(plan) == [
        (0, "I.", "I.", "purpose", "MỤC ĐÍCH, YÊU CẦU"),
        (1, "1.", "1.", "purpose", "Nâng cao nhận thức."),
        (0, "II.", "II.", "content", "NỘI DUNG TUYÊN TRUYỀN"),
        (1, "1.", "1.", "content", "Chủ trương của Đảng."),
        (0, third, "III.", "budget", "KINH PHÍ THỰC HIỆN"),
        (1, "1.", "1.", "budget", "Ngân sách xã."),
        (0, "IV.", "IV.", "organization", "TỔ CHỨC THỰC HIỆN"),
        (1, "1.", "1.", "organization", "Phòng Nội vụ theo dõi."),
    ]


@pytest.mark.parametrize("first", ["l.", "1.", "|.", "L."])
def test_the_first_part_read_as_l_1_or_bar_is_roman_one(first, text_config):
    """`I.` read `l.`, `1.`, `|.` or `L.`: the first part, not a decimal item
    above the parts (`1.` then `1.` is `I.` then `1.`, the typography of the
    other parts says which scheme the ALL-CAPS heading belongs to)."""
    plan = _plan(HEAD + [
        f"{first} MỤC ĐÍCH, YÊU CẦU", "1. Mục đích", "- Nâng cao nhận thức.", "2. Yêu cầu",
        "- Bám sát kế hoạch.", "II. NỘI DUNG TUYÊN TRUYỀN", "1. Chủ trương của Đảng.",
        "III. TỔ CHỨC THỰC HIỆN", "1. Phòng Nội vụ theo dõi."], text_config)
    assert _tree(plan) == [
        (0, first, "I.", "purpose", "MỤC ĐÍCH, YÊU CẦU"),
        (1, "1.", "1.", "purpose", "Mục đích"),
        (2, "-", "-", "purpose", "Nâng cao nhận thức."),
        (1, "2.", "2.", "requirements", "Yêu cầu"),
        (2, "-", "-", "requirements", "Bám sát kế hoạch."),
        (0, "II.", "II.", "content", "NỘI DUNG TUYÊN TRUYỀN"),
        (1, "1.", "1.", "content", "Chủ trương của Đảng."),
        (0, "III.", "III.", "organization", "TỔ CHỨC THỰC HIỆN"),
        (1, "1.", "1.", "organization", "Phòng Nội vụ theo dõi."),
    ]


def test_decimal_digits_read_as_letters(text_config):
    """`2.` read `Z.`, `5.` read `S.`: decimal items where the sequence expects them."""
    plan = _plan(HEAD + ["I. MỤC ĐÍCH", "1. Một.", "Z. Hai.", "3. Ba.", "4. Bốn.", "S. Năm.",
                         "6. Sáu."], text_config)
    assert [(d, w, u) for d, w, u, *_ in _tree(plan)] == [
        (0, "I.", "I."), (1, "1.", "1."), (1, "Z.", "2."), (1, "3.", "3."), (1, "4.", "4."),
        (1, "S.", "5."), (1, "6.", "6.")]


@pytest.mark.parametrize("one", ["I.", "l.", "|."])
def test_a_decimal_one_read_as_roman_one_under_a_part_stays_decimal(one, text_config):
    """`1. Mục đích` read `I.`, `l.` or `|.` right under `I. MỤC ĐÍCH`: a first
    decimal item, not a second part."""
    plan = _plan(HEAD + [
        "I. MỤC ĐÍCH, YÊU CẦU", f"{one} Mục đích", "- Nâng cao nhận thức.", "2. Yêu cầu",
        "- Bám sát kế hoạch.", "II. NHIỆM VỤ", "1. Đăng tin bài."], text_config)
    assert _tree(plan) == [
        (0, "I.", "I.", "purpose", "MỤC ĐÍCH, YÊU CẦU"),
        (1, one, "1.", "purpose", "Mục đích"),
        (2, "-", "-", "purpose", "Nâng cao nhận thức."),
        (1, "2.", "2.", "requirements", "Yêu cầu"),
        (2, "-", "-", "requirements", "Bám sát kế hoạch."),
        (0, "II.", "II.", "tasks", "NHIỆM VỤ"),
        (1, "1.", "1.", "tasks", "Đăng tin bài."),
    ]


def test_section_labels_read_as_decimals_or_letters_follow_the_documents_nesting(text_config):
    """Under `A.` the sections are Roman; under `B.` the OCR read `I.` as `1.`
    and `II.` as `H.`: the scheme this document opened under its parts decides."""
    plan = _plan(HEAD + [
        "A. MỤC ĐÍCH, YÊU CẦU", "I. Mục đích", "1. Nâng cao nhận thức.", "II. Yêu cầu",
        "1. Bám sát kế hoạch.", "B. NHIỆM VỤ CỤ THỂ", "1. Về chuyển đổi số", "1. Đăng tin bài.",
        "2. Phát thanh.", "H. Về cải cách hành chính", "1. Niêm yết thủ tục."], text_config)
    assert _tree(plan) == [
        (0, "A.", "A.", "purpose", "MỤC ĐÍCH, YÊU CẦU"),
        (1, "I.", "I.", "purpose", "Mục đích"),
        (2, "1.", "1.", "purpose", "Nâng cao nhận thức."),
        (1, "II.", "II.", "requirements", "Yêu cầu"),
        (2, "1.", "1.", "requirements", "Bám sát kế hoạch."),
        (0, "B.", "B.", "tasks", "NHIỆM VỤ CỤ THỂ"),
        (1, "1.", "I.", "tasks", "Về chuyển đổi số"),
        (2, "1.", "1.", "tasks", "Đăng tin bài."),
        (2, "2.", "2.", "tasks", "Phát thanh."),
        (1, "H.", "II.", "tasks", "Về cải cách hành chính"),
        (2, "1.", "1.", "tasks", "Niêm yết thủ tục."),
    ]


def test_a_decimal_section_list_that_starts_under_a_new_part_stays_decimal(text_config):
    """The same `1.` under `B.` followed by `2.` (not a second `1.`) is a decimal item."""
    plan = _plan(HEAD + [
        "A. MỤC ĐÍCH", "I. Mục đích", "1. Nâng cao nhận thức.", "B. NHIỆM VỤ",
        "1. Đăng tin bài.", "2. Phát thanh."], text_config)
    assert [(d, w, u) for d, w, u, *_ in _tree(plan)] == [
        (0, "A.", "A."), (1, "I.", "I."), (2, "1.", "1."), (0, "B.", "B."), (1, "1.", "1."),
        (1, "2.", "2.")]


# ---------------------------------------------------------------- a label glued to the line before
def test_a_part_label_glued_to_the_end_of_the_previous_line_is_set_apart(text_config):
    plan = _plan(HEAD + [
        "I. MỤC ĐÍCH, YÊU CẦU", "1. Nâng cao nhận thức của cán bộ. II. NHIỆM VỤ CỤ THỂ",
        "1. Đăng tin bài.", "2. Phát thanh về cải cách hành chính. III.", "TỔ CHỨC THỰC HIỆN",
        "1. Phòng Nội vụ theo dõi."], text_config)
    assert _tree(plan) == [
        (0, "I.", "I.", "purpose", "MỤC ĐÍCH, YÊU CẦU"),
        (1, "1.", "1.", "purpose", "Nâng cao nhận thức của cán bộ."),
        (0, "II.", "II.", "tasks", "NHIỆM VỤ CỤ THỂ"),
        (1, "1.", "1.", "tasks", "Đăng tin bài."),
        (1, "2.", "2.", "tasks", "Phát thanh về cải cách hành chính."),
        (0, "III.", "III.", "organization", "TỔ CHỨC THỰC HIỆN"),
        (1, "1.", "1.", "organization", "Phòng Nội vụ theo dõi."),
    ]


# ---------------------------------------------------------------- a repeated numeral or letter
def test_repeated_numerals_and_letters_are_read_as_the_expected_next(text_config):
    """`2.` twice (then `4.`), `d)` for `đ)`, a lost letter (`ø)`) and `đ)` for `d)`."""
    plan = _plan(HEAD + [
        "I. NHIỆM VỤ", "1. Đăng tin.", "2. Phát thanh.", "2. Pa nô.", "4. Tờ rơi.",
        "a) Cấp xã.", "b) Cấp thôn.", "c) Cấp hộ.", "đ) Trường học.", "đ) Doanh nghiệp.",
        "e) Bệnh viện.", "ø) Chợ.", "h) Khác."], text_config)
    assert _tree(plan) == [
        (0, "I.", "I.", "tasks", "NHIỆM VỤ"),
        (1, "1.", "1.", "tasks", "Đăng tin."),
        (1, "2.", "2.", "tasks", "Phát thanh."),
        (1, "2.", "3.", "tasks", "Pa nô."),
        (1, "4.", "4.", "tasks", "Tờ rơi."),
        (2, "a)", "a)", "tasks", "Cấp xã."),
        (2, "b)", "b)", "tasks", "Cấp thôn."),
        (2, "c)", "c)", "tasks", "Cấp hộ."),
        (2, "đ)", "d)", "tasks", "Trường học."),
        (2, "đ)", "đ)", "tasks", "Doanh nghiệp."),
        (2, "e)", "e)", "tasks", "Bệnh viện."),
        (2, "ø)", "g)", "tasks", "Chợ."),
        (2, "h)", "h)", "tasks", "Khác."),
    ]


def test_letters_made_words_or_marked_by_specks_and_a_skipped_d_stroke(text_config):
    """`€)` and `Các)` (the restorer made a word of `c)`) for the expected letter,
    `.b)` with a speck before it, and `đ)` read for `d)` in a list that skips `đ)`
    (`e)` follows `d)`)."""
    plan = _plan(HEAD + [
        "I. NHIỆM VỤ", "1. Đăng tin.", "a) Cấp xã.", ".b) Cấp thôn.", "€) Cấp hộ.",
        "đ) Trường học.", "e) Bệnh viện.", "2. Phát thanh.", "a) Cấp xã.", "b) Cấp thôn.",
        "Các) Cấp hộ."], text_config)
    assert [(d, w, u) for d, w, u, *_ in _tree(plan)] == [
        (0, "I.", "I."), (1, "1.", "1."), (2, "a)", "a)"), (2, ".b)", "b)"), (2, "€)", "c)"),
        (2, "đ)", "d)"), (2, "e)", "e)"), (1, "2.", "2."), (2, "a)", "a)"), (2, "b)", "b)"),
        (2, "Các)", "c)")]


def test_a_dash_that_starts_a_wrapped_line_mid_sentence_is_text(text_config):
    """`kinh tế` / `- xã hội …`: the dash of a wrapped compound (or a speck read as one)
    before a lower-case word, mid-sentence, opens no list."""
    plan = _plan(HEAD + [
        "I. NHIỆM VỤ", "1. Tuyên truyền về tác động của chuyển đổi số đến phát triển kinh tế",
        "- xã hội của xã trong năm 2025.", "2. Phát thanh."], text_config)
    assert _tree(plan) == [
        (0, "I.", "I.", "tasks", "NHIỆM VỤ"),
        (1, "1.", "1.", "tasks", "Tuyên truyền về tác động của chuyển đổi số đến phát triển kinh tế"
                                 " - xã hội của xã trong năm 2025."),
        (1, "2.", "2.", "tasks", "Phát thanh."),
    ]


# ---------------------------------------------------------------- what the repair leaves alone
def test_clean_outlines_are_read_as_written():
    """Every label fits its sequence: no re-reading, even of look-alike tokens."""
    texts = ["A. MỤC ĐÍCH", "I. Mục đích", "1. Một.", "2. Hai.", "II. Yêu cầu", "1. Một.",
             "B. NHIỆM VỤ", "1. Một.", "a) Xã.", "b) Thôn.", "2. Hai.", "H. KHÁC"]
    lines = [Line(t, 0, len(t), 1, False, False) for t in texts]
    chosen = choose_labels(lines)
    assert [(c.written, c.scheme, c.understood) for c in chosen if c is not None] == [
        ("A.", "UPPER", "A."), ("I.", "ROMAN", "I."), ("1.", "DEC1", "1."), ("2.", "DEC1", "2."),
        ("II.", "ROMAN", "II."), ("1.", "DEC1", "1."), ("B.", "UPPER", "B."), ("1.", "DEC1", "1."),
        ("a)", "LOWER", "a)"), ("b)", "LOWER", "b)"), ("2.", "DEC1", "2."),
        ("H.", "UPPER", "H.")]


def test_a_bare_token_before_ordinary_text_is_no_label(text_config):
    """`I` or `2` before a sentence in lower case is a word or a number, not a part."""
    plan = _plan(HEAD + ["I. MỤC ĐÍCH", "1. Nâng cao nhận thức", "2 triệu lượt truy cập.",
                         "II. NHIỆM VỤ", "1. Đăng tin."], text_config)
    assert [(d, w, u) for d, w, u, *_ in _tree(plan)] == [
        (0, "I.", "I."), (1, "1.", "1."), (0, "II.", "II."), (1, "1.", "1.")]


def test_lower_case_bullets_after_a_short_heading_are_a_list(text_config):
    """Only a dash after a full wrapped line, mid-sentence, is taken for the wrap."""
    plan = _plan(HEAD + ["I. MỤC ĐÍCH", "1. Mục đích", "- nâng cao nhận thức của cán bộ;",
                         "- tạo sự đồng thuận trong Nhân dân."], text_config)
    assert [(d, w, u) for d, w, u, *_ in _tree(plan)] == [
        (0, "I.", "I."), (1, "1.", "1."), (2, "-", "-"), (2, "-", "-")]


def test_a_wrapped_parenthesis_is_no_list_letter(text_config):
    """`xã) Thực hiện` at the start of a wrapped line is no label where `c)` is due."""
    plan = _plan(HEAD + [
        "I. NHIỆM VỤ", "1. Đăng tin.", "a) Cấp xã.",
        "b) Các cơ quan phối hợp (Phòng Văn hóa, Phòng Nội vụ, UBND các thôn, các",
        "xã) Thực hiện tuyên truyền thường xuyên trong năm."], text_config)
    assert [(d, w, u) for d, w, u, *_ in _tree(plan)] == [
        (0, "I.", "I."), (1, "1.", "1."), (2, "a)", "a)"), (2, "b)", "b)")]


def test_a_part_number_the_plan_itself_skips_is_kept(text_config):
    """`IV.` after `II.` as written in a clean plan: a part's label, not a misreading."""
    plan = _plan(HEAD + ["I. MỤC ĐÍCH", "1. Một.", "II. NHIỆM VỤ", "1. Hai.",
                         "IV. TỔ CHỨC THỰC HIỆN", "1. Ba."], text_config)
    assert [(d, w, u) for d, w, u, *_ in _tree(plan)] == [
        (0, "I.", "I."), (1, "1.", "1."), (0, "II.", "II."), (1, "1.", "1."), (0, "IV.", "IV."),
        (1, "1.", "1.")]


def test_a_number_that_starts_a_wrapped_line_is_text(text_config):
    """`… tổng số` / `2 Trung tâm …`: after a full line that ends no sentence, a
    number without its period is the sentence going on, even where `2.` is due."""
    plan = _plan(HEAD + [
        "I. NHIỆM VỤ",
        "1. Tuyên truyền kết quả học tập suốt đời tại các xã, trong đó có tổng số",
        "2 Trung tâm học tập cộng đồng mới", "2. Phát thanh."], text_config)
    assert _tree(plan) == [
        (0, "I.", "I.", "tasks", "NHIỆM VỤ"),
        (1, "1.", "1.", "tasks", "Tuyên truyền kết quả học tập suốt đời tại các xã, trong đó có"
                                 " tổng số 2 Trung tâm học tập cộng đồng mới"),
        (1, "2.", "2.", "tasks", "Phát thanh."),
    ]


# ---------------------------------------------------------------- the repair said in the tables
def test_items_and_pages_say_where_a_label_was_repaired(text_config):
    from plandiff.rows import item_rows, page_rows

    plan = _plan(HEAD + ["Il. NHIỆM VỤ", "1. Đăng tin bài.", "2. Phát thanh.", "III. TỔ CHỨC THỰC HIỆN",
                         "1. Phòng Văn hóa theo dõi."], text_config)
    repaired = [(r["label"], r["label_understood"]) for r in item_rows(plan) if r["label_repaired"]]
    assert repaired == [("Il.", "II.")]
    assert [(r["page"], r["label_repairs"]) for r in page_rows(plan)] == [(1, 1)]


def test_a_roman_stroke_read_twice_is_one_numeral(text_config):
    """`Vv. TỔ CHỨC THỰC HIỆN`: English-model OCR read the V twice."""
    plan = _plan(HEAD + ["IV. KINH PHÍ THỰC HIỆN", "1. Ngân sách huyện.", "Vv. TỔ CHỨC THỰC HIỆN",
                         "1. Phòng Văn hóa chủ trì."], text_config)
    assert _tree(plan) == [
        (0, "IV.", "IV.", "budget", "KINH PHÍ THỰC HIỆN"),
        (1, "1.", "1.", "budget", "Ngân sách huyện."),
        (0, "Vv.", "V.", "organization", "TỔ CHỨC THỰC HIỆN"),
        (1, "1.", "1.", "organization", "Phòng Văn hóa chủ trì."),
    ]


def test_a_roman_numeral_glued_to_its_heading_opens_the_part(text_config):
    """`IMỤC ĐÍCH` (period and space lost): strokes run into a word; `VĂN PHÒNG` is a word."""
    plan = _plan(HEAD + [
        "IMỤC ĐÍCH, YÊU CẦU", "1. Nâng cao nhận thức.", "IINỘI DUNG TUYÊN TRUYỀN",
        "1. Đăng tin bài.", "IIITỔ CHỨC THỰC HIỆN", "VĂN PHÒNG HĐND VÀ UBND XÃ",
        "1. Phòng Văn hóa theo dõi."], text_config)
    assert [(d, w, u, part) for d, w, u, part, _ in _tree(plan)] == [
        (0, "I", "I.", "purpose"),
        (1, "1.", "1.", "purpose"),
        (0, "II", "II.", "content"),
        (1, "1.", "1.", "content"),
        (0, "III", "III.", "organization"),
        (1, "1.", "1.", "organization"),
    ]


def test_a_comma_read_for_a_section_numbers_periods(text_config):
    """`1.1, Tổ chức` (closer) and `2,2. Lồng ghép` (inner period), as a faint scan's OCR reads them."""
    plan = _plan(HEAD + ["I. NHIỆM VỤ", "1. Về chuyển đổi số", "1.1, Tổ chức triển khai Đề án.",
                         "1.2. Thực hiện chuyên trang.", "2. Về cải cách hành chính", "2.1. Cập nhật.",
                         "2,2. Lồng ghép tuyên truyền.", "2.3. Tổ chức tập huấn."], text_config)
    assert [(d, w, u) for d, w, u, *_ in _tree(plan)] == [
        (0, "I.", "I."), (1, "1.", "1."), (2, "1.1,", "1.1."), (2, "1.2.", "1.2."), (1, "2.", "2."),
        (2, "2.1.", "2.1."), (2, "2,2.", "2.2."), (2, "2.3.", "2.3.")]


def test_a_part_letter_e_read_as_f_is_e(text_config):
    """A faint scan lost the bottom stroke of `E.`: there is no F in a Vietnamese plan's parts."""
    plan = _plan(HEAD + ["A. MỤC ĐÍCH", "1. Nâng cao.", "D. KINH PHÍ THỰC HIỆN", "1. Ngân sách xã.",
                         "F. TỔ CHỨC THỰC HIỆN", "1. Phòng Văn hóa - Xã hội theo dõi."], text_config)
    assert [(d, w, u, part) for d, w, u, part, _ in _tree(plan)] == [
        (0, "A.", "A.", "purpose"), (1, "1.", "1.", "purpose"), (0, "D.", "D.", "budget"),
        (1, "1.", "1.", "budget"), (0, "F.", "E.", "organization"), (1, "1.", "1.", "organization")]
