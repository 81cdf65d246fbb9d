"""Legacy Vietnamese font encodings (TCVN3/ABC and VNI) -> Unicode."""
from __future__ import annotations

import importlib.util
import random
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest
from conftest import FIXTURES, seed
from plandiff.ingest.legacy import (
    LegacyEncoding,
    convert_span,
    detect_encoding,
    encoding_for_font,
    from_unicode,
    is_vietnamese_syllable,
    to_unicode,
)

TCVN3, VNI = LegacyEncoding.TCVN3, LegacyEncoding.VNI
LEGACY = FIXTURES / "legacy"


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


# --------------------------------------------------------------------------
# Known strings, written out by hand
# --------------------------------------------------------------------------

# (Unicode, TCVN3 as extracted from a .VnTime text layer)
TCVN3_KNOWN = [
    ("Cộng hòa xã hội chủ nghĩa Việt Nam", "Céng hßa x· héi chñ nghÜa ViÖt Nam"),
    ("Độc lập - Tự do - Hạnh phúc", "§éc lËp - Tù do - H¹nh phóc"),
    ("Kế hoạch số 82/KH-UBND ngày 17/4/2025", "KÕ ho¹ch sè 82/KH-UBND ngµy 17/4/2025"),
    ("Ủy ban nhân dân tỉnh Quảng Ngãi", "žy ban nh©n d©n tØnh Qu¶ng Ng·i"),
    ("được người Ăn Âu Ê Ô Ơ Ư Đ", "®\xadîc ng\xadêi ¡n ¢u £ ¤ ¥ ¦ §"),
    ("chuyển đổi số, cải cách hành chính", "chuyÓn ®æi sè, c¶i c¸ch hµnh chÝnh"),
    ("thủy lợi, khuyến nông, quyết định", "thñy lîi, khuyÕn n«ng, quyÕt ®Þnh"),
]
# Lines set in .VnTimeH: lower-case codes, shown (and converted) as capitals.
TCVN3_CAPS = [
    ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "céng hßa x· héi chñ nghÜa viÖt nam"),
    ("ỦY BAN NHÂN DÂN TỈNH QUẢNG NGÃI", "ñy ban nh©n d©n tØnh qu¶ng ng·i"),
    ("ĐỘC LẬP - TỰ DO - HẠNH PHÚC", "®éc lËp - tù do - h¹nh phóc"),
    ("KẾ HOẠCH SỐ 82/KH-UBND NGÀY 17/4/2025", "kÕ ho¹ch sè 82/kh-ubnd ngµy 17/4/2025"),
]
# (Unicode, VNI as extracted from a VNI-Times text layer)
VNI_KNOWN = [
    ("Cộng hòa xã hội chủ nghĩa Việt Nam", "Coäng hoøa xaõ hoäi chuû nghóa Vieät Nam"),
    ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "COÄNG HOØA XAÕ HOÄI CHUÛ NGHÓA VIEÄT NAM"),
    ("Độc lập - Tự do - Hạnh phúc", "Ñoäc laäp - Töï do - Haïnh phuùc"),
    ("ỦY BAN NHÂN DÂN TỈNH QUẢNG NGÃI", "UÛY BAN NHAÂN DAÂN TÆNH QUAÛNG NGAÕI"),
    ("Kế hoạch số 82/KH-UBND ngày 17/4/2025", "Keá hoaïch soá 82/KH-UBND ngaøy 17/4/2025"),
    ("được người Ủy ban", "ñöôïc ngöôøi UÛy ban"),
    ("thủy lợi, khuyến nông, quyết định", "thuûy lôïi, khuyeán noâng, quyeát ñònh"),
]


@pytest.mark.parametrize("unicode, legacy", TCVN3_KNOWN)
def test_tcvn3_known_strings_both_ways(unicode, legacy):
    assert to_unicode(legacy, TCVN3) == unicode
    assert from_unicode(unicode, TCVN3) == legacy


@pytest.mark.parametrize("unicode, legacy", TCVN3_CAPS)
def test_tcvn3_all_caps_font_lines(unicode, legacy):
    assert to_unicode(legacy, TCVN3, uppercase=True) == unicode
    assert from_unicode(unicode, TCVN3, uppercase=True) == legacy
    assert convert_span(legacy, ".VnTimeH") == unicode
    assert convert_span(legacy, "BCDEEE+.VnTimeH,Bold") == unicode
    assert convert_span(legacy, ".VnTime") == unicode.lower()  # same bytes, regular font


def test_tcvn3_vn1_capitals_have_their_own_codes():
    # Upper-case letters with a tone: VN1 codes, as control characters,
    # Windows-1252 characters, or Latin-1 C1 controls where cp1252 has punctuation.
    assert to_unicode("\x01\x02\x04\x05\x06\x11\x12\x13\x14\x15\x16\x17", TCVN3) == "ÚỤỪỬỮỨỰỲỶỸÝỴ"
    assert to_unicode("€\x81‚ƒ„\x85\x86", TCVN3) == "ÀẢÃÁẠẶẬ"
    assert to_unicode("¯º¿ÀÁÂÃÄÅÍÙÚÛàðÿ", TCVN3) == "ẰẲẴẮẦẨẪẤỀỂỄẾỒỔỖỐ"
    assert from_unicode("CỘNG HÒA", TCVN3) == "C\x97NG H\x92A"
    assert to_unicode("C\x97NG H\x92A", TCVN3) == "CỘNG HÒA"


def test_tcvn3_keeps_common_punctuation():
    text = "“Tăng cường” … • – — ‘x’ m² 25°"
    legacy = from_unicode(text, TCVN3)
    assert legacy == "“T¨ng c\xadêng” … • – — ‘x’ m² 25°"
    assert to_unicode(legacy, TCVN3) == text


@pytest.mark.parametrize("unicode, legacy", VNI_KNOWN)
def test_vni_known_strings_both_ways(unicode, legacy):
    assert to_unicode(legacy, VNI) == unicode
    assert from_unicode(unicode, VNI) == legacy
    assert convert_span(legacy, "VNI-Times") == unicode


@pytest.mark.parametrize("legacy, unicode", [
    # a with every mark: tones, circumflex (+tones), breve (+tones)
    ("aù", "á"), ("aø", "à"), ("aû", "ả"), ("aõ", "ã"), ("aï", "ạ"),
    ("aâ", "â"), ("aá", "ấ"), ("aà", "ầ"), ("aå", "ẩ"), ("aã", "ẫ"), ("aä", "ậ"),
    ("aê", "ă"), ("aé", "ắ"), ("aè", "ằ"), ("aú", "ẳ"), ("aü", "ẵ"), ("aë", "ặ"),
    ("eâ", "ê"), ("eá", "ế"), ("eä", "ệ"), ("oâ", "ô"), ("oà", "ồ"), ("oå", "ổ"), ("oã", "ỗ"),
    ("í", "í"), ("ì", "ì"), ("æ", "ỉ"), ("ó", "ĩ"), ("ò", "ị"),
    ("yù", "ý"), ("yø", "ỳ"), ("yû", "ỷ"), ("yõ", "ỹ"), ("î", "ỵ"),
    ("ô", "ơ"), ("ôù", "ớ"), ("ôï", "ợ"), ("ö", "ư"), ("öø", "ừ"), ("öï", "ự"), ("uõ", "ũ"),
    ("ñ", "đ"), ("Ñ", "Đ"),
    ("AÙ", "Á"), ("AÂ", "Â"), ("AÊ", "Ă"), ("AË", "Ặ"), ("EÄ", "Ệ"), ("OÄ", "Ộ"),
    ("ÔØ", "Ờ"), ("Ô", "Ơ"), ("Ö", "Ư"), ("ÖÕ", "Ữ"), ("YÙ", "Ý"), ("Î", "Ỵ"),
    ("Í", "Í"), ("Ì", "Ì"), ("Æ", "Ỉ"), ("Ó", "Ĩ"), ("Ò", "Ị"),
    ("Uûy", "Ủy"),  # the case of a combined letter follows its base letter
])
def test_vni_chart(legacy, unicode):
    assert to_unicode(legacy, VNI) == unicode


@pytest.mark.parametrize("legacy, unicode", [
    ("µ", "à"), ("¶", "ả"), ("·", "ã"), ("¸", "á"), ("¹", "ạ"),
    ("¨", "ă"), ("»", "ằ"), ("¼", "ẳ"), ("½", "ẵ"), ("¾", "ắ"), ("Æ", "ặ"),
    ("©", "â"), ("Ç", "ầ"), ("È", "ẩ"), ("É", "ẫ"), ("Ê", "ấ"), ("Ë", "ậ"),
    ("Ì", "è"), ("Î", "ẻ"), ("Ï", "ẽ"), ("Ð", "é"), ("Ñ", "ẹ"),
    ("ª", "ê"), ("Ò", "ề"), ("Ó", "ể"), ("Ô", "ễ"), ("Õ", "ế"), ("Ö", "ệ"),
    ("×", "ì"), ("Ø", "ỉ"), ("Ü", "ĩ"), ("Ý", "í"), ("Þ", "ị"),
    ("ß", "ò"), ("á", "ỏ"), ("â", "õ"), ("ã", "ó"), ("ä", "ọ"),
    ("«", "ô"), ("å", "ồ"), ("æ", "ổ"), ("ç", "ỗ"), ("è", "ố"), ("é", "ộ"),
    ("¬", "ơ"), ("ê", "ờ"), ("ë", "ở"), ("ì", "ỡ"), ("í", "ớ"), ("î", "ợ"),
    ("ï", "ù"), ("ñ", "ủ"), ("ò", "ũ"), ("ó", "ú"), ("ô", "ụ"),
    ("\xad", "ư"), ("õ", "ừ"), ("ö", "ử"), ("÷", "ữ"), ("ø", "ứ"), ("ù", "ự"),
    ("ú", "ỳ"), ("û", "ỷ"), ("ü", "ỹ"), ("ý", "ý"), ("þ", "ỵ"),
    ("®", "đ"), ("§", "Đ"), ("¡", "Ă"), ("¢", "Â"), ("£", "Ê"), ("¤", "Ô"), ("¥", "Ơ"), ("¦", "Ư"),
])
def test_tcvn3_chart(legacy, unicode):
    assert to_unicode(legacy, TCVN3) == unicode


def _all_vietnamese_letters() -> list[str]:
    letters = []
    for base in ("a", "a\u0306", "a\u0302", "e", "e\u0302", "i", "o", "o\u0302", "o\u031b",
                 "u", "u\u031b", "y"):
        for tone in ("", "\u0300", "\u0309", "\u0303", "\u0301", "\u0323"):
            letter = nfc(base + tone)
            letters += [letter, letter.upper()]
    return letters + ["đ", "Đ"]


@pytest.mark.parametrize("encoding", list(LegacyEncoding))
def test_every_vietnamese_letter_has_a_code_and_comes_back(encoding):
    letters = _all_vietnamese_letters()
    assert len(set(letters)) == 146
    encoded = {letter: from_unicode(letter, encoding) for letter in letters}
    for letter, legacy in encoded.items():
        assert all(ord(c) < 0x100 or c in "ŒœŠšŽžŸƒˆ˜€‚„†‡‰‹›™" for c in legacy), (letter, legacy)
        if not letter.isascii():
            # the only letters whose code is the same character: TCVN3 ý (0xFD), VNI ì í Ì Í
            same = "ý" if encoding is TCVN3 else "ìíÌÍ"
            assert legacy != letter or letter in same, letter
        assert to_unicode(legacy, encoding) == letter
    if encoding is TCVN3:  # single byte each, all distinct
        assert all(len(v) == 1 for v in encoded.values())
        assert len(set(encoded.values())) == len(encoded)


def test_tcvn3_table_agrees_with_glibc_iconv():
    """Cross-check against an independent implementation of TCVN 5712:1993 (VN1)."""
    if shutil.which("iconv") is None:
        pytest.skip("iconv not installed")
    from plandiff.ingest.legacy.codes import TCVN3_BYTES

    codes = sorted(TCVN3_BYTES)
    data = b"\n".join(bytes([c]) for c in codes)
    run = subprocess.run(["iconv", "-f", "TCVN5712-1", "-t", "UTF-8"], input=data,
                         capture_output=True, timeout=10)
    if run.returncode != 0:
        pytest.skip("iconv has no TCVN5712-1")
    theirs = [nfc(x) for x in run.stdout.decode("utf-8").split("\n")]
    assert theirs == [TCVN3_BYTES[c] for c in codes]


# --------------------------------------------------------------------------
# Round trip on a whole plan
# --------------------------------------------------------------------------

def _paragraphs() -> list[str]:
    text = nfc(seed("001").read_text(encoding="utf-8"))
    return [p for p in text.split("\n") if p.strip()]


@pytest.mark.parametrize("encoding", list(LegacyEncoding))
def test_paragraph_round_trip(encoding):
    paragraphs = _paragraphs()
    assert len(paragraphs) > 100
    for paragraph in paragraphs:
        legacy = from_unicode(paragraph, encoding)
        assert to_unicode(legacy, encoding) == paragraph
    legacy_doc = from_unicode("\n".join(paragraphs), encoding)
    assert not any("\u1ea0" <= c <= "\u1ef9" or c in "ăơưđĂƠƯĐ" for c in legacy_doc)


@pytest.mark.parametrize("encoding", list(LegacyEncoding))
def test_all_caps_round_trip(encoding):
    for paragraph in _paragraphs()[:40]:
        legacy = from_unicode(paragraph, encoding, uppercase=True)
        assert to_unicode(legacy, encoding) == paragraph.lower()  # typed in lower-case codes
        assert to_unicode(legacy, encoding, uppercase=True) == paragraph.upper()


# --------------------------------------------------------------------------
# Detection
# --------------------------------------------------------------------------

@pytest.mark.parametrize("unicode, legacy", TCVN3_KNOWN[:4] + TCVN3_CAPS[:2])
def test_detects_tcvn3_header_lines(unicode, legacy):
    assert detect_encoding(legacy) is TCVN3


@pytest.mark.parametrize("unicode, legacy", VNI_KNOWN[:5])
def test_detects_vni_header_lines(unicode, legacy):
    assert detect_encoding(legacy) is VNI


@pytest.mark.parametrize("encoding", list(LegacyEncoding))
def test_detects_whole_document_and_its_paragraphs(encoding):
    paragraphs = _paragraphs()
    assert detect_encoding(from_unicode("\n".join(paragraphs), encoding)) is encoding
    assert detect_encoding(from_unicode("\n".join(paragraphs).upper(), encoding)) is encoding
    # Shorter lines may lack evidence, e.g. VNI "- Taàn suaát: 01 soá/2 tuaàn" uses
    # only characters that Unicode Vietnamese uses too: None is the right answer.
    long = [p for p in paragraphs if len(p.split()) >= 10]
    assert len(long) > 50
    missed = [p for p in long if detect_encoding(from_unicode(p, encoding)) is not encoding]
    assert missed == []


def test_detection_converts_a_detected_span():
    assert convert_span("Céng hßa x· héi chñ nghÜa ViÖt Nam") == "Cộng hòa xã hội chủ nghĩa Việt Nam"
    assert convert_span("Coäng hoøa xaõ hoäi chuû nghóa Vieät Nam", "ArialMT") \
        == "Cộng hòa xã hội chủ nghĩa Việt Nam"


@pytest.mark.parametrize("text", [
    "",
    "   \n\t ",
    "2025",
    "82/KH-UBND 17/4/2025 12.345,67 % (1) - 2 - 3",
    "Céng",                                       # one word: too little evidence
    "Cộng hòa xã hội chủ nghĩa Việt Nam",
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "Độc lập - Tự do - Hạnh phúc",
    "cô gái và các bà đi chợ",
    "Cô tá giá cá hà mã",                          # Unicode, only Latin-1 letters
    "Truyen thong ve cai cach hanh chinh",         # Vietnamese without marks
    "The quick brown fox jumps over the lazy dog.",
    "Microsoft® Windows© 2025 – “quoted” text, 25°C, ½ cup, naïve café",
    "Größe über Straße, schön möglich Änderung für Öl, España niño año mañana",
    "Le ministère a publié un rapport très détaillé sur la fiscalité, à côté des élus.",
    "©®§µ¸¹¶·",
])
def test_detection_negatives(text):
    assert detect_encoding(text) is None
    assert convert_span(text) == text


def test_unicode_plan_is_not_legacy():
    text = nfc(seed("001").read_text(encoding="utf-8"))
    assert detect_encoding(text) is None
    for paragraph in _paragraphs():
        assert detect_encoding(paragraph) is None, paragraph


def test_nothing_raises_on_arbitrary_input():
    rng = random.Random(6)
    pool = ("abcdeiouyAEOUY ñÑôöÔÖøùûõïâêäàáåãèéúüë§®µ¸·©¨«¬\xad\x00\x01\x1f\x7f\x85\x97"
            "\u0300\u0301\u0323\ud800\udfff\ufffd\u1ea1\u200b\n\t€ßÿ0123456789-/.,;:")
    fonts = [None, "", ".VnTime", ".VnTimeH", "VNI-Times", "ABCDEF+", "+", ".", "VNI", "x" * 300]
    for _ in range(400):
        text = "".join(rng.choice(pool) for _ in range(rng.randint(0, 60)))
        detect_encoding(text)
        for encoding in LegacyEncoding:
            for caps in (False, True):
                to_unicode(text, encoding, uppercase=caps)
                from_unicode(text, encoding, uppercase=caps)
        convert_span(text, rng.choice(fonts))
    assert detect_encoding(None) is None  # type: ignore[arg-type]
    assert to_unicode("", TCVN3) == "" and convert_span("", ".VnTime") == ""


def test_output_is_nfc_and_unknown_characters_pass_through():
    assert to_unicode("a\u0301 Céng", TCVN3) == "á Cộng"
    assert to_unicode("x + y = 2 ½ € ☺", VNI) == "x + y = 2 ½ € ☺"
    assert to_unicode("tiền", TCVN3) == "tiền"  # U+1EC1 is no TCVN3 code
    assert to_unicode("Céng", "tcvn3") == "Cộng"
    with pytest.raises(ValueError):
        to_unicode("x", "viscii")


# --------------------------------------------------------------------------
# Font names
# --------------------------------------------------------------------------

@pytest.mark.parametrize("font, expected", [
    (".VnTime", (TCVN3, False)),
    (".VnTimeH", (TCVN3, True)),
    ("ABCDEF+.VnTimeH", (TCVN3, True)),
    (".VnTimeH,Bold", (TCVN3, True)),
    (".VnTime-BoldItalic", (TCVN3, False)),
    (".VnArial", (TCVN3, False)),
    (".VnArialH", (TCVN3, True)),
    ("VnTimeH", (TCVN3, True)),
    (".VnBlack", (TCVN3, False)),
    ("VNI-Times", (VNI, False)),
    ("VNI-Helve", (VNI, False)),
    ("QWERTY+VNI-Times-Bold", (VNI, False)),
    ("TimesNewRomanPSMT", (None, False)),
    ("Arial,Bold", (None, False)),
    (None, (None, False)),
    ("", (None, False)),
])
def test_font_names(font, expected):
    assert encoding_for_font(font) == expected


def test_unicode_text_is_untouched_whatever_the_font():
    text = "Cộng hòa xã hội chủ nghĩa Việt Nam"
    for font in ("TimesNewRomanPSMT", None, ".VnTime", ".VnTimeH", "VNI-Times"):
        assert convert_span(text, font) == text


# --------------------------------------------------------------------------
# Syllables
# --------------------------------------------------------------------------

@pytest.mark.parametrize("word", [
    "cộng", "hòa", "xã", "nghĩa", "Việt", "người", "được", "khuyến", "quyết", "giữ", "gì",
    "thuở", "khuya", "xoong", "kế", "ghi", "nghiêng", "hoạch", "chuyển", "ĐỒNG", "ý", "ơi",
])
def test_valid_syllables(word):
    assert is_vietnamese_syllable(word)


@pytest.mark.parametrize("word", [
    "céng", "hßa", "Coäng", "and", "ka", "gha", "ce", "gé", "càp",
    "ă", "chớnh", "tửụựng", "street", "", "ộộ", "hoàá",
])
def test_invalid_syllables(word):
    assert not is_vietnamese_syllable(word)


# --------------------------------------------------------------------------
# PDF fixtures: a legacy text layer, extracted with pdfplumber, converts back
# --------------------------------------------------------------------------

def _generator():
    spec = importlib.util.spec_from_file_location("legacy_make_fixtures",
                                                  LEGACY / "make_fixtures.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _pdf_lines(path: Path) -> list[tuple[str, str]]:
    import pdfplumber

    with pdfplumber.open(path) as pdf:
        (page,) = pdf.pages
        lines = page.extract_text_lines(return_chars=True, strip=True)
        return [(line["text"], line["chars"][0]["fontname"]) for line in lines]


@pytest.mark.parametrize("encoding", ["tcvn3", "vni"])
def test_pdf_fixture_text_layer_converts_back(encoding):
    gen = _generator()
    path = LEGACY / f"{encoding}.pdf"
    assert path.stat().st_size < 30_000
    expected = gen.LINES[encoding]
    lines = _pdf_lines(path)
    assert len(lines) == len(expected)
    for (text, font), (font_name, unicode) in zip(lines, expected, strict=False):
        assert font.split("+", 1)[1] == font_name
        assert text == gen.legacy_line(font_name, unicode)  # the garbage, exactly
        assert convert_span(text, font) == unicode
        if not encoding_for_font(font_name)[1]:  # without the font name: detection
            assert convert_span(text) == unicode
    import pdfplumber

    with pdfplumber.open(path) as pdf:
        page_text = pdf.pages[0].extract_text()
    assert detect_encoding(page_text) is LegacyEncoding(encoding)


def test_pdf_fixture_generator_is_deterministic(tmp_path):
    gen = _generator()
    first = [p.read_bytes() for p in gen.main(tmp_path)]
    (tmp_path / "again").mkdir()
    second = [p.read_bytes() for p in gen.main(tmp_path / "again")]
    assert first == second
    for name in ("tcvn3.pdf", "vni.pdf"):  # the committed files are up to date
        assert _pdf_lines(tmp_path / name) == _pdf_lines(LEGACY / name)
