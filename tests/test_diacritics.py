"""Diacritic restoration and English-model OCR repair (plandiff.ingest.diacritics)."""
from __future__ import annotations

import time
import unicodedata
from pathlib import Path

import pytest
from conftest import seed
from plandiff.ingest.diacritics import RestorationError, Restorer, load_model
from plandiff.ingest.textnorm import normalize_tone, strip_diacritics

FIX = Path(__file__).resolve().parent / "fixtures" / "diacritics"


@pytest.fixture(scope="module")
def model() -> Restorer:
    return load_model()


def restored(model: Restorer, text: str) -> str:
    """Restore text whose marks were stripped."""
    return model.restore(strip_diacritics(text))


# ---------------------------------------------------------------- loading
def test_shipped_model_loads_quickly_and_is_cached():
    from plandiff.ingest import diacritics

    diacritics._CACHE.clear()
    t = time.perf_counter()
    r = load_model()
    assert time.perf_counter() - t < 2.0   # < 1 s on a quiet machine; slack for shared CI
    assert isinstance(r, Restorer)
    assert load_model() is r
    assert Path(diacritics.DEFAULT_MODEL).stat().st_size <= 30 * 1024 * 1024


def test_missing_or_corrupt_model_raises(tmp_path):
    with pytest.raises(RestorationError):
        load_model(tmp_path / "absent.npz")
    bad = tmp_path / "bad.npz"
    bad.write_bytes(b"not a model")
    with pytest.raises(RestorationError):
        load_model(bad)


@pytest.mark.parametrize("model_file", [None, b"not a model"], ids=["missing", "corrupt"])
def test_without_a_usable_model_a_document_fails_with_a_clear_error(tmp_path, monkeypatch, model_file):
    """The shipped model's path is `diacritics.DEFAULT_MODEL` (there is no option
    for it): missing or corrupt, a text that needs restoring is refused with an
    IngestError, and the batch records it as the file's error, not an internal one."""
    from plandiff.ingest import IngestError, diacritics, ingest

    from plandiff.pipeline import RunConfig, process_file

    model = tmp_path / "model.npz"
    if model_file is not None:
        model.write_bytes(model_file)
    monkeypatch.setattr(diacritics, "DEFAULT_MODEL", str(model))
    plan = tmp_path / "plan.txt"
    plan.write_text(strip_diacritics(seed("001").read_text(encoding="utf-8")), encoding="utf-8")

    assert issubclass(RestorationError, IngestError)
    with pytest.raises(IngestError, match="diacritics model"):
        ingest(plan)
    outcome = process_file(str(plan), RunConfig())
    assert outcome.plan is None
    assert outcome.error is not None and "diacritics model" in outcome.error
    assert not outcome.error.startswith("internal error")
    assert outcome.error_vi and "mô hình" in outcome.error_vi


# ---------------------------------------------------------------- stripped text
@pytest.mark.parametrize("text", [
    # xã / xa / xà in context
    "Cán bộ, công chức cấp xã phải thường xuyên đi cơ sở, kể cả các thôn ở xa trung tâm.",
    "Ủy ban nhân dân xã ban hành Kế hoạch truyền thông về cải cách hành chính và chuyển đổi số xã năm 2025.",
    # truyền thông / truyền thống
    "Phát huy truyền thống văn hóa của dân tộc, đẩy mạnh công tác truyền thông về cải cách hành chính.",
    # place names of the plans
    "Ủy ban nhân dân huyện Trà Bồng, tỉnh Quảng Ngãi",
    "UBND xã Đông Trà Bồng; Văn phòng UBND tỉnh",
    # headings in capitals, labels
    "KẾ HOẠCH",
    "I. MỤC ĐÍCH, YÊU CẦU",
    "- Thời gian thực hiện: Thường xuyên trong năm 2025.",
])
def test_stripped_sentences_are_restored_exactly(model, text):
    assert restored(model, text) == text


def test_tone_convention_is_old_style(model):
    out = restored(model, "Đẩy mạnh số hóa hồ sơ; thủy lợi, hòa giải ở cơ sở; Trung tâm Văn hóa - Thông tin.")
    assert out == "Đẩy mạnh số hóa hồ sơ; thủy lợi, hòa giải ở cơ sở; Trung tâm Văn hóa - Thông tin."
    assert out == normalize_tone(out)
    assert unicodedata.is_normalized("NFC", out)


def test_numbers_codes_dates_and_abbreviations_survive(model):
    src = ("Thuc hien Ke hoach so 82/KH-UBND ngay 17/4/2025 cua UBND tinh Quang Ngai va Nghi quyet so "
           "57-NQ/TW ngay 22/12/2024 cua Bo Chinh tri; nang cao Chi so CCHC (PAR INDEX), Chi so SIPAS; "
           "cong tac CCHC, CDS va cai cach TTHC.")
    assert model.restore(src) == (
        "Thực hiện Kế hoạch số 82/KH-UBND ngày 17/4/2025 của UBND tỉnh Quảng Ngãi và Nghị quyết số "
        "57-NQ/TW ngày 22/12/2024 của Bộ Chính trị; nâng cao Chỉ số CCHC (PAR INDEX), Chỉ số SIPAS; "
        "công tác CCHC, CĐS và cải cách TTHC.")


def test_line_structure_and_good_lines_are_kept(model):
    good = "Căn cứ Kế hoạch số 82/KH-UBND ngày 17/4/2025 của Chủ tịch UBND tỉnh;  "
    text = f"{good}\r\n\nTruyen thong ve cai cach hanh chinh\n\f   - Don vi chu tri: UBND xa.\n"
    out = model.restore(text)
    lines = out.split("\n")
    assert len(lines) == len(text.split("\n"))
    assert lines[0] == good + "\r"                     # good line: byte-identical
    assert lines[1] == ""
    assert lines[2] == "Truyền thông về cải cách hành chính"
    assert lines[3] == "\f   - Đơn vị chủ trì: UBND xã."   # leading spacing and form feed kept
    assert lines[4] == ""


# ---------------------------------------------------------------- good text passes
@pytest.mark.parametrize("prefix", ["000", "001", "003", "004"])
def test_clean_plans_pass_byte_identical(model, prefix):
    text = seed(prefix).read_text(encoding="utf-8")
    assert not model.needs_restoration(text)
    assert model.restore(text) == text


def test_a_paragraph_of_seed_001_is_untouched(model):
    paras = [p for p in seed("001").read_text(encoding="utf-8").split("\n") if len(p) > 300]
    para = paras[0]
    assert not model.line_needs_restoration(para)
    assert model.restore(para) == para


def test_detection(model):
    assert model.needs_restoration(seed("002").read_text(encoding="utf-8"))
    assert model.needs_restoration(strip_diacritics(seed("003").read_text(encoding="utf-8")))
    assert model.line_needs_restoration("Truyen thong ve cai cach hanh chinh va chuyen doi so")
    assert model.line_needs_restoration("Truyén thong vé cii cach hanh chinh")
    assert not model.line_needs_restoration("UBND tỉnh Quảng Ngãi; CCHC, CĐS, TTHC (PAR INDEX, SIPAS)")
    assert not model.line_needs_restoration("82/KH-UBND 17/4/2025")
    assert not model.line_needs_restoration("")


# ---------------------------------------------------------------- English-model OCR
@pytest.mark.parametrize("ocr,expected", [
    ("Truyén thong vé cii cach hanh chinh va chuyén doi so",
     "Truyền thông về cải cách hành chính và chuyển đổi số"),
    ("K& hoach s6 82/KH-UBND ngay 17/4/2025 ciia Chu tich UBND",
     "Kế hoạch số 82/KH-UBND ngày 17/4/2025 của Chủ tịch UBND"),
    ("cao céc chi s6 vé CCHC, CPS ciia x4 trong nim 2025",
     "cao các chỉ số về CCHC, CĐS của xã trong năm 2025"),
    ("chinh sach cua Pang va Nha nuoc", "chính sách của Đảng và Nhà nước"),
    ("A.MUC PiCH, YEU CAU", "A.MỤC ĐÍCH, YÊU CẦU"),
    ("S6:25 /KH-UBND", "Số:25 /KH-UBND"),
])
def test_english_ocr_damage_is_repaired(model, ocr, expected):
    assert model.restore(ocr) == expected


def _syllable_errors(out: str, truth: str) -> int:
    from rapidfuzz.distance import Levenshtein

    return Levenshtein.distance(out.lower().split(), truth.lower().split())


def test_seed_002_excerpt_against_hand_corrected_truth(model):
    ocr = (FIX / "seed002_excerpt.eng.txt").read_text(encoding="utf-8")
    truth = (FIX / "seed002_excerpt.truth.txt").read_text(encoding="utf-8")
    out = model.restore(ocr)
    assert len(out.split("\n")) == len(ocr.split("\n"))
    n = len(truth.split())
    before, after = _syllable_errors(ocr, truth), _syllable_errors(out, truth)
    assert before > 0.8 * n          # the excerpt really is damaged
    assert after <= 0.05 * n         # measured: 12 of 397 syllables (place names Đăk Tô, 'sb6', 'du:(mg')
    assert unicodedata.is_normalized("NFC", out)


def test_lone_ocr_symbols_and_abbreviation_lookalikes(model):
    text = ("tuong, nhat 1a ngwéi dan ¢ ving khé khan; trién khai cong tac COHG va CPS, "
            "trong 6 thang dau nam, tai try s@ Trung tam")
    assert model.restore(text) == (
        "tượng, nhất là người dân ở vùng khó khăn; triển khai công tác CCHC và CĐS, "
        "trong 6 tháng đầu năm, tại trụ sở Trung tâm")


# ---------------------------------------------------------------- training code
def test_training_code_builds_a_loadable_model(tmp_path):
    """The trainer end to end on a toy corpus (one plan), without the real corpora."""
    import numpy as np
    from plandiff.ingest.diacritics import train as T
    from plandiff.ingest.diacritics.units import BOS

    units, raw, caps = T.Units(), {}, T.CaseCounts()
    lines = seed("001").read_text(encoding="utf-8").split("\n") * 2
    flat = T.encode_lines(lines, units, raw, caps)
    keys, counts = T.trigram_counts(np.frombuffer(flat, dtype=np.int32), units.ids[BOS])
    corpus = {"names": units.names, "keys": keys, "counts": counts, "caps": caps.array(len(units.names))}
    admin = tmp_path / "admin"
    admin.mkdir()
    (admin / "a.txt").write_text("Giao Sở Xây dựng chủ trì thực hiện.\n", encoding="utf-8")
    model = T.build(corpus, [str(seed("003"))], {"cải", "cách", "hành", "chính"}, T.learn_channel(None),
                    admin=T.admin_paths([str(admin)]), admin_weight=2.0)
    assert model["meta"]["admin_texts"] == 1 and model["meta"]["admin_weight"] == 2.0
    assert "xây" in model["vocab"]           # the administrative text's units are kept
    T.save(model, str(tmp_path / "toy.npz"))
    r = load_model(tmp_path / "toy.npz")
    assert r.neighbour_case is not None
    assert r.restore("cai cach hanh chinh va chuyen doi so") == "cải cách hành chính và chuyển đổi số"


def test_case_counts_of_a_line():
    """How a unit and its neighbours are written, counted inside sentences only;
    a line in capitals counts nothing."""
    from plandiff.ingest.diacritics import train as T

    units, raw, caps = T.Units(), {}, T.CaseCounts()
    T.encode_lines(["Giao Sở Xây dựng chủ trì, Sở Tư pháp phối hợp.", "KẾ HOẠCH CỦA SỞ NỘI VỤ"], units, raw, caps)
    got = {r: {units.names[i]: n for i, n in c.items()} for r, c in caps.rows.items()}
    assert got == {
        # `Giao` starts the line: its capital says nothing; after a comma the sentence goes on
        "own": {"sở": 2, "xây": 1, "tư": 1},
        "next_word": {"giao": 1, "sở": 2, "xây": 1, "dựng": 1, "chủ": 1, "tư": 1, "pháp": 1, "phối": 1},
        "next_cap": {"giao": 1, "sở": 2},
        # the word before must itself be inside the sentence (not `Giao`; a comma is no word)
        "prev_word": {"xây": 1, "dựng": 1, "chủ": 1, "trì": 1, "tư": 1, "pháp": 1, "phối": 1, "hợp": 1},
        "prev_cap": {"xây": 1, "dựng": 1, "tư": 1, "pháp": 1},
    }


def test_a_model_file_without_neighbour_case_rows_still_restores(tmp_path):
    """Model files written before the neighbour-case rows load, with that step off."""
    import numpy as np

    z = dict(np.load(load_model().path, allow_pickle=False))
    z.pop("case_next_prev")
    np.savez(tmp_path / "old.npz", **z)
    r = load_model(tmp_path / "old.npz")
    assert r.neighbour_case is None
    assert r.restore("cai cach hanh chinh va chuyen doi so") == "cải cách hành chính và chuyển đổi số"


@pytest.mark.parametrize("stripped,expected", [
    # the capitals of the next word: an agency's first word, not `Số`, `Bạn`, `Đổi`
    ("Giao So Xay dung chu tri, phoi hop voi Ban Dan toc.", "Giao Sở Xây dựng chủ trì, phối hợp với Ban Dân tộc."),
    ("Phoi hop: Doi Trat tu do thi phuong.", "Phối hợp: Đội Trật tự đô thị phường."),
    ("du toan hang nam cua So va cac don vi truc thuoc", "dự toán hằng năm của Sở và các đơn vị trực thuộc"),
    # the capitals of the word before: an organisation of the province, not `nam tính`
    ("Uy ban Mat tran To quoc Viet Nam tinh va cac to chuc chinh tri - xa hoi",
     "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh và các tổ chức chính trị - xã hội"),
])
def test_neighbour_case_decides_between_readings(model, stripped, expected):
    assert model.restore(stripped) == expected


# ---------------------------------------------------------------- place names (gazetteer)
def test_gazetteer_holds_the_official_2025_units():
    from plandiff.ingest.gazetteer import Place, lookup, places

    assert sum(1 for p in places() if p.province == "Quảng Ngãi" and p.level != "tỉnh") == 96
    assert lookup("DAK TO") == (Place("Đăk Tô", "xã", "Quảng Ngãi"),)
    assert lookup("ngok tu") == (Place("Ngọk Tụ", "xã", "Quảng Ngãi"),)
    assert lookup("Quang Ngai") == (Place("Quảng Ngãi", "tỉnh", "Quảng Ngãi"),)
    assert lookup("xa hoi") == ()


def test_province_named_by_the_text():
    from plandiff.ingest.gazetteer import province_of

    assert province_of("cua Chu tich UBND tinh Quang Ngai; tỉnh Quảng Ngãi, tỉnh Gia Lai") == "Quảng Ngãi"
    assert province_of("Ủy ban nhân dân xã Đăk Tô") is None


@pytest.mark.parametrize("line,province,expected", [
    ("XÃ ĐẮK TO Độc lập - Tự do", None, "XÃ ĐĂK TÔ Độc lập - Tự do"),          # caps stay caps
    ("Số:25 /KH-UBND Đắk To,ngày 25 tháng 8", None, "Số:25 /KH-UBND Đăk Tô,ngày 25 tháng 8"),
    ("chuyển đổi số xã Đắk To năm 2025", None, "chuyển đổi số xã Đăk Tô năm 2025"),
    ("tỉnh Quang Ngai; huyện Tra Bồng", None, "tỉnh Quảng Ngãi; huyện Trà Bồng"),
    ("xã Dong Son", "Quảng Ngãi", "xã Đông Sơn"),     # the document's province decides
    ("xã Dong Son", None, "xã Dong Son"),             # Đông Sơn / Đồng Sơn: left alone
    ("UBND xã Ba To", "Quảng Ngãi", "UBND xã Ba To"),  # Ba Tô and Ba Tơ, both in Quảng Ngãi
    ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA", None, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA"),
    ("xã ngoc tu", None, "xã ngoc tu"),               # not capitalised: not a name
    ("Đắk To là xã", None, "Đắk To là xã"),           # no place context
])
def test_place_names_take_the_official_spelling(line, province, expected):
    from plandiff.ingest.gazetteer import restore_place_names

    assert restore_place_names(line, province) == expected


def test_restorer_spells_place_names_and_keeps_caps_runs(model):
    ocr = "UY BAN NHAN DAN\nXA PAK TO\nS6:25 /KH-UBND Pak T6,ngay 25 thang 8 nam 2025"
    assert model.restore(ocr) == (
        "ỦY BAN NHÂN DÂN\nXÃ ĐĂK TÔ\nSố:25 /KH-UBND Đăk Tô,ngày 25 tháng 8 năm 2025")
    # caps run in a mixed line (the signature column beside the distribution list)
    assert model.restore("- S6 Khoa hoc va Cong nghg; PHO CHU TICH") == (
        "- Sở Khoa học và Công nghệ; PHÓ CHỦ TỊCH")
    # A lone capitalised word is English OCR's `BO` for `Bộ`, not a caps run.  (`Truyền
    # thông/thống của` alone is ambiguous: the plans' `Truyền thông về` is not.)
    assert model.restore("Truyén thong vé CCHC cua BO Chinh tri va UBND xa Son Ha, tinh Quang Ngai") == (
        "Truyền thông về CCHC của Bộ Chính trị và UBND xã Sơn Hà, tỉnh Quảng Ngãi")
    # Lines that need no restoration are not re-spelt either.
    assert model.restore("Căn cứ Kế hoạch của xã Đắk To năm 2025") == (
        "Căn cứ Kế hoạch của xã Đắk To năm 2025")


# ---------------------------------------------------------------- issue 16 item 3
def test_stripped_ocr_damage_takes_the_frequent_reading(model):
    # seed 002 stripped of its marks: English OCR's 'céc' (các) and 'suét' (suất)
    assert model.restore("hanh chinh cec cap, nguoi dung dau cac to chuc") == (
        "hành chính các cấp, người đứng đầu các tổ chức")
    assert model.restore("- Tan suet: 2 tuan/1 so (26 so/nam).") == "- Tần suất: 2 tuần/1 số (26 số/năm)."


def test_a_code_part_glued_to_a_number_keeps_its_letters(model):
    assert model.restore("theo quyet dinh so 441/Tg cua Thu tuong") == "theo quyết định số 441/Tg của Thủ tướng"
    # marks may still come back there (a unit after a number)
    assert model.restore("moi nguoi 3 lan/ngay, hop 2 lan/thang") == "mỗi người 3 lần/ngày, họp 2 lần/tháng"


def test_mass_organisation_vocabulary(model):
    assert model.restore("Tang cuong cong tac dan van cua chinh quyen") == (
        "Tăng cường công tác dân vận của chính quyền")


def test_sorted_keys_and_planes_round_trip():
    import numpy as np
    from plandiff.ingest.diacritics.modelfile import (
        decode_planes,
        decode_sorted_keys,
        encode_planes,
        encode_sorted_keys,
    )

    keys = np.array([3, 17, (5 << 42) | (7 << 21) | 9, (2**21 - 1) << 42], dtype=np.int64)
    assert decode_sorted_keys(encode_sorted_keys(keys)).tolist() == keys.tolist()
    assert decode_sorted_keys(encode_sorted_keys(keys[:0])).tolist() == []
    lp = np.array([0, 1, 65535, 300], dtype=np.uint16)
    assert decode_planes(encode_planes(lp), np.uint16).tolist() == lp.tolist()


def test_domain_paragraphs_hold_back_a_tuning_set(tmp_path):
    import lzma

    from plandiff.ingest.diacritics import train as T

    paras = [f"Đoạn {i}: công tác dân vận của chính quyền cấp xã được triển khai theo kế hoạch số {i} năm nay."
             for i in range(60)]
    paras.append("Một đoạn về thiên văn học: các ngôi sao, hành tinh và thiên hà xa xôi, dài hơn tám mươi ký tự.")
    path = tmp_path / "wiki.txt.xz"
    with lzma.open(path, "wt", encoding="utf-8") as f:
        f.write("### Bài\n" + "\n".join(paras) + "\n")
    train = list(T.domain_paragraphs(str(path)))
    tune = list(T.domain_paragraphs(str(path), tuning=True))
    assert tune and train and not set(train) & set(tune)
    assert set(train) | set(tune) == set(paras[:60])
