import unicodedata

import pytest
from plandiff.ingest.textnorm import clean_text, compare_key, fold, normalize_tone, tokens


@pytest.mark.parametrize("written, expected", [
    ("hoà", "hòa"), ("Hoá", "Hóa"), ("HOÁ", "HÓA"), ("thuỷ", "thủy"), ("Cộng hoà", "Cộng hòa"),
    ("hoàn", "hoàn"), ("thuyền", "thuyền"), ("ngoài", "ngoài"), ("khuỷu", "khuỷu"),
    ("qúa", "quá"), ("giải", "giải"), ("người", "người"), ("Việt", "Việt"), ("mía", "mía"),
])
def test_tone_placement_follows_old_style(written, expected):
    assert normalize_tone(written) == expected


def test_tone_normalisation_leaves_other_words_alone():
    text = "Phòng Văn hóa, Khoa học và Thông tin; 57-NQ/TW ngày 22/12/2024; CĐS, PAR INDEX"
    assert normalize_tone(text) == text


def test_compare_key_unifies_tone_style_and_case_but_keeps_marks():
    assert compare_key("Phòng Văn hoá -  Xã hội") == compare_key("phòng văn hóa - xã hội")
    assert compare_key("xã") != compare_key("xa")


def test_fold_treats_d_bar_as_d_and_drops_marks():
    assert fold("Đăk Tô Hoà") == "dak to hoa"
    assert tokens("Kế hoạch số 82/KH-UBND") == ["ke", "hoach", "so", "82", "kh", "ubnd"]


def test_clean_text_normalises_input_noise():
    raw = "Ke\u0302\u0301 hoạch\r\nsố\u00a082\ufffd \u00d0ăk"
    out = clean_text(raw)
    assert out == "Kế hoạch\nsố 82 Đăk"
    assert unicodedata.is_normalized("NFC", out)
