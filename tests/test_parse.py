import json

import pytest
from conftest import GOLDEN, seed
from plandiff.ingest import ingest
from plandiff.parse import parse
from plandiff.parse.attributes import read_attribute, split_agencies
from plandiff.parse.citations import find_citations
from plandiff.parse.labels import read_label


@pytest.fixture(scope="module")
def plan001(text_config):
    return parse(ingest(seed("001"), text_config))


def test_top_two_levels_of_001_match_the_hand_written_golden(plan001):
    golden = json.loads((GOLDEN / "parse_001_top2.json").read_text(encoding="utf-8"))["items"]
    got = [[it.depth, it.label, it.kind.value, it.part.value, (it.heading or it.text).split("\n")[0][:40]]
           for it in plan001.items if it.depth <= 1 and it.part.value != "other"]
    assert got == golden


def test_001_tasks_carry_their_attributes(plan001):
    task = next(it for it in plan001.items if it.text.startswith("Thực hiện chuyên mục Chuyển đổi số"))
    assert task.kind.value == "task"
    assert task.lead == "Phòng Văn hoá - Xã hội"
    assert task.partners == ("Các cơ quan, đơn vị liên quan",)
    assert task.timeline == "Năm 2025"
    assert task.frequency == "01 số/2 tuần (26 số/năm)"
    assert "Tần suất" not in task.text


def test_item_ids_are_unique_and_parents_exist(plan001):
    ids = [it.item_id for it in plan001.items]
    assert len(ids) == len(set(ids))
    assert all(it.parent_id in ids for it in plan001.items if it.parent_id)
    assert [it.ordinal for it in plan001.items] == list(range(1, len(ids) + 1))


def test_hard_wrapped_000_rejoins_lines_and_sets_the_footnote_apart(text_config):
    plan = parse(ingest(seed("000"), text_config))
    point = next(it for it in plan.items if it.text.startswith("Tuyên truyền về những định hướng"))
    # the wrapped citation is whole, and the footnote marker "1" is not glued into it
    assert "Nghị quyết số 57-NQ/TW ngày 22/12/2024" in point.text
    assert "quốc gia; Chỉ thị số 07/CT-TTg" in point.text
    # the footnote and the page break inside the next point are not in its text
    nxt = next(it for it in plan.items if it.text.startswith("Về vai trò, trách nhiệm của các cấp ủy"))
    assert "336-KH/TU" not in nxt.text
    assert "các đơn vị sự nghiệp công lập đối với" in nxt.text
    footnotes = [it for it in plan.items if it.part.value == "other"]
    assert len(footnotes) == 1 and footnotes[0].text.startswith("1 Kế hoạch số 336-KH/TU")


def test_metadata_of_the_samples(text_config):
    m0 = parse(ingest(seed("000"), text_config)).meta
    assert (m0.admin_level.value, m0.issuer) == ("district", "Ủy ban nhân dân huyện Trà Bồng")
    m3 = parse(ingest(seed("003"), text_config)).meta
    assert (m3.admin_level.value, m3.plan_number, m3.issued_on, m3.place) == \
        ("commune", None, None, "Đông Trà Bồng")
    m2 = parse(ingest(seed("002"), text_config)).meta   # English-model OCR, not restored here
    assert (m2.admin_level.value, m2.issuer, m2.plan_number, m2.issued_on.isoformat(), m2.place) == \
        ("commune", "UY BAN NHAN DAN XA PAK TO", "25/KH-UBND", "2025-08-25", "Pak T6")
    m4 = parse(ingest(seed("004"), text_config)).meta
    assert (m4.admin_level.value, m4.issuer, m4.plan_number, m4.issued_on, m4.place) == \
        ("department", "VĂN PHÒNG UBND TỈNH QUẢNG NGÃI", None, None, "Quảng Ngãi")
    assert m4.title.startswith("Tuyên truyền cải cách hành chính, chuyển đổi số")


@pytest.mark.parametrize("line, written, scheme", [
    ("I. MỤC ĐÍCH", "I.", "ROMAN"), ("A.MUC DICH", "A.", "UPPER"), ("1.1. Tổ chức", "1.1.", "DEC2"),
    ("2.8. Xây dựng", "2.8.", "DEC2"), ("đ) Tham gia", "đ)", "LOWER"), ("- Tuyên", "-", "DASH"),
    ("+ Đường lối", "+", "PLUS"), ("II.1. Tổ chức", "II.1.", "ROMANDEC1"),
    ("PHẦN I. MỤC ĐÍCH", "PHẦN I.", "PART"), ("Điều 3. Hiệu lực", "Điều 3.", "ARTICLE"),
    ("Mục 2: Nội dung", "Mục 2:", "HEADING"),
])
def test_labels(line, written, scheme):
    label = read_label(line)
    assert (label.written, label.scheme) == (written, scheme)


@pytest.mark.parametrize("line", ["MỤC ĐÍCH, YÊU CẦU", "1 Kế hoạch số 336-KH/TU", "2025; Kế hoạch số", "13-NQ/TU ngày",
                                  "1.2 triệu đồng", "17/12/2024 của Thủ tướng"])
def test_not_labels(line):
    assert read_label(line) is None


def test_attribute_lines_and_partner_lists():
    assert read_attribute("- Cơ quan chủ trì thực hiện: Phòng Nội vụ.").field == "lead"
    assert read_attribute("- Co quan phoi hop: Phong Noi vu").field == "partners"
    assert read_attribute("Tần suất: 01 số/tháng").value == "01 số/tháng"
    assert read_attribute("E. TỔ CHỨC THỰC HIỆN") is None
    assert split_agencies("Phòng Văn hóa và Thông tin, Văn phòng HĐND và UBND huyện, các cơ quan, "
                          "đơn vị liên quan.") == (
        "Phòng Văn hóa và Thông tin", "Văn phòng HĐND và UBND huyện", "các cơ quan, đơn vị liên quan")
    assert split_agencies("Phòng Văn hóa, Khoa học và Thông tin") == ("Phòng Văn hóa, Khoa học và Thông tin",)


def test_citations():
    found = find_citations("Căn cứ Kế hoạch 82/KH-UBND ngày 17/4/2025 của UBND tỉnh; Nghị quyết số "
                           "57-NQ/TW ngày 22 tháng 12 năm 2024 của Bộ Chính trị.")
    assert [(f.kind, f.number, f.issued_on.isoformat(), f.issuer) for f in found] == [
        ("Kế hoạch", "82/KH-UBND", "2025-04-17", "UBND tỉnh"),
        ("Nghị quyết", "57-NQ/TW", "2024-12-22", "Bộ Chính trị")]


def _outline(text, text_config):
    from plandiff.ingest import ingest_bytes

    plan = parse(ingest_bytes(text.encode("utf-8"), "x.txt", text_config))
    return [(it.depth, it.label, it.label_understood) for it in plan.items
            if it.part.value not in ("preamble", "closing", "other")]


def test_ocr_damaged_labels_are_read_through_their_sequence(text_config):
    text = "\n".join([
        "KẾ HOẠCH", "Truyền thông năm 2025", "A.NỘI DUNG TRUYỀN THÔNG", "|. Về chuyển đổi số",
        "1. Truyền thông về chuyển đổi số trên địa bàn.", "a) Thông tin các chương trình.",
        "b) Truyền thông định hướng.", "¢) Truyền thông hóa đơn điện tử.",
        "d) Truyền thông Đề án 06.", "d) Truyền thông dịch vụ công trực tuyến.",
        ") Truyền thông về các mô hình điển hình.", "’ ¢) Khác.",
        "2. Truyền thông về cải cách hành chính.", "4, Truyền thông tình hình triển khai.",
        "3. Truyền thông các quy định.", "4, Truyền thông tình hình thực hiện.",
        "12. Xây dựng chuyên mục tuyên truyền.", "Il. Về cải cách hành chính",
        "1. Cập nhật thông tin."])
    assert _outline(text, text_config) == [
        (0, "A.", "A."), (1, "|.", "I."), (2, "1.", "1."), (3, "a)", "a)"), (3, "b)", "b)"),
        (3, "¢)", "c)"), (3, "d)", "d)"), (3, "d)", "đ)"), (3, ")", "e)"), (3, "¢)", "c)"),
        (2, "2.", "2."), (2, "3.", "3."), (2, "4,", "4."), (2, "12.", "5."),
        (1, "Il.", "II."), (2, "1.", "1.")]


def _plan(text, text_config):
    from plandiff.ingest import ingest_bytes

    return parse(ingest_bytes(text.encode("utf-8"), "x.txt", text_config))


def _footnotes(plan):
    return [(it.label, it.label_understood, it.text, it.cited_by, it.cited_at)
            for it in plan.items if it.scheme == "FOOTNOTE"]


def test_pdf_footnote_mid_sentence_is_linked_to_its_mark(text_config):
    """Sample 000's shape: the mark `1` glued after `quốc gia;`, the footnote and a
    page number printed in the middle of a later sentence, which then resumes."""
    plan = _plan("\n".join([
        "KẾ HOẠCH", "Truyền thông năm 2025",
        "I. NỘI DUNG",
        "- Tuyên truyền Nghị quyết số 57-NQ/TW về chuyển đổi số quốc",
        "gia; 1 Chỉ thị số 07/CT-TTg ngày 14/3/2025 của Thủ tướng.",
        "- Về vai trò của người đứng đầu các đơn vị sự nghiệp",
        "1 Kế hoạch số 336-KH/TU ngày 25/5/2025 của Tỉnh ủy Quảng Ngãi;",
        "công lập đối với việc chuyển đổi số.",
        "3",
        "- Thông tin về chuyển đổi số của tỉnh.",
    ]), text_config)
    cite = next(it for it in plan.items if it.text.startswith("Tuyên truyền Nghị quyết"))
    assert cite.text == ("Tuyên truyền Nghị quyết số 57-NQ/TW về chuyển đổi số quốc gia; "
                         "Chỉ thị số 07/CT-TTg ngày 14/3/2025 của Thủ tướng.")
    assert _footnotes(plan) == [
        ("1", "1", "1 Kế hoạch số 336-KH/TU ngày 25/5/2025 của Tỉnh ủy Quảng Ngãi;",
         cite.item_id, len("Tuyên truyền Nghị quyết số 57-NQ/TW về chuyển đổi số quốc gia;"))]
    resumed = next(it for it in plan.items if it.text.startswith("Về vai trò"))
    assert resumed.text == "Về vai trò của người đứng đầu các đơn vị sự nghiệp công lập đối với việc chuyển đổi số."


def test_footnote_after_the_signature_is_linked_to_the_lost_mark(text_config):
    """Sample 001's shape: the footnote text after the signer, its mark turned
    into a stray character, and a line break where the reference mark was."""
    plan = _plan("\n".join([
        "KẾ HOẠCH", "Truyền thông năm 2025",
        "I. NỘI DUNG",
        "1. Truyền thông Nghị quyết số 57-NQ/TW về chuyển đổi số quốc gia",
        "; Chỉ thị số 07/CT-TTg ngày 14/3/2025 của Thủ tướng.",
        "Nơi nhận:", "- Lưu: VT.", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Phan Văn Tuân",
        "\ufffd Kế hoạch số 336-KH/TU ngày 25/5/2025 của Tỉnh ủy Quảng Ngãi.",
    ]), text_config)
    cite = next(it for it in plan.items if it.label == "1.")
    assert cite.text == ("Truyền thông Nghị quyết số 57-NQ/TW về chuyển đổi số quốc gia; "
                         "Chỉ thị số 07/CT-TTg ngày 14/3/2025 của Thủ tướng.")
    assert _footnotes(plan) == [
        ("", "1", "Kế hoạch số 336-KH/TU ngày 25/5/2025 của Tỉnh ủy Quảng Ngãi.", cite.item_id,
         len("Truyền thông Nghị quyết số 57-NQ/TW về chuyển đổi số quốc gia"))]
    closing = next(it for it in plan.items if it.part.value == "closing")
    assert closing.text.endswith("Phan Văn Tuân") and plan.meta.signer == "Phan Văn Tuân"


def test_footnote_links_of_the_samples_survive_saving(text_config, tmp_path):
    from plandiff.cache import ResultCache

    for prefix, offset_after in (("000", "chuyển đổi số quốc gia;"), ("001", "chuyển đổi số quốc gia")):
        plan = parse(ingest(seed(prefix), text_config))
        (note,) = [it for it in plan.items if it.scheme == "FOOTNOTE"]
        cite = plan.item(note.cited_by)
        assert cite.full_text[:note.cited_at].endswith(offset_after)
        assert cite.full_text[note.cited_at:].startswith((" Chỉ thị số 07/CT-TTg", "; Chỉ thị số 07/CT-TTg"))
        cache = ResultCache(tmp_path, "v1")
        cache.put("docs", prefix, plan)
        assert cache.get("docs", prefix) == plan
