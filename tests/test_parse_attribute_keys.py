"""Attribute keys as plans write them, with and without `thực hiện`."""
import pytest
from plandiff.parse.attributes import read_attribute


@pytest.mark.parametrize("line, field, value", [
    ("- Tần suất: 01 số/2 tuần (26 số/năm).", "frequency", "01 số/2 tuần (26 số/năm)."),
    ("+ Tần suất thực hiện: Chuyên mục “Cải cách hành chính”: 1 số/tuần", "frequency",
     "Chuyên mục “Cải cách hành chính”: 1 số/tuần"),
    ("+ Tan suat thuc hien: 1 so/thang", "frequency", "1 so/thang"),
    ("- Thời gian hoàn thành: Quý III/2025", "timeline", "Quý III/2025"),
    ("+ Đơn vị thực hiện: Bộ phận Một cửa huyện.", "lead", "Bộ phận Một cửa huyện."),
    # a faint scan's OCR reads the colon as a semicolon (invariance benchmark, scan_faint)
    ("- Cơ quan chủ trì thực hiện; Trung tâm Truyền thông - Văn hóa - Thể thao huyện.", "lead",
     "Trung tâm Truyền thông - Văn hóa - Thể thao huyện."),
    ("- Thoi gian thuc hien; Quy III/2025", "timeline", "Quy III/2025"),
])
def test_attribute_keys(line, field, value):
    attribute = read_attribute(line)
    assert (attribute.field, attribute.value) == (field, value)


@pytest.mark.parametrize("line, field, value", [
    ("- Sản phẩm: 100% hồ sơ được số hóa.", "product", "100% hồ sơ được số hóa."),
    ("- Kết quả/sản phẩm: 2 lớp tập huấn", "product", "2 lớp tập huấn"),
    ("+ Sản phẩm đầu ra: Báo cáo kết quả", "product", "Báo cáo kết quả"),
    ("- Kinh phí: Ngân sách xã.", "funding", "Ngân sách xã."),
    ("- Nguồn kinh phí: lồng ghép", "funding", "lồng ghép"),
    ("- Chỉ tiêu: 100% xã", "target", "100% xã"),
    ("- Ghi chú: theo dõi chung", "note", "theo dõi chung"),
    ("- San pham: Bao cao", "product", "Bao cao"),
])
def test_descriptive_keys(line, field, value):
    attribute = read_attribute(line)
    assert (attribute.field, attribute.value) == (field, value)


def test_a_sentence_about_results_is_no_attribute_line():
    assert read_attribute("- Kết quả thực hiện các nhiệm vụ năm 2024 đạt 95%.") is None


def _items(lines, text_config):
    from plandiff.ingest import ingest_bytes
    from plandiff.parse import parse
    head = ["ỦY BAN NHÂN DÂN", "XÃ TÂN PHÚ", "Số: 90/KH-UBND", "KẾ HOẠCH", "Chuyển đổi số năm 2026"]
    doc = parse(ingest_bytes("\n".join(head + lines).encode(), "c.txt", text_config))
    return [(it.kind.value, it.part.value, it.label, it.heading or it.text, it.lead, it.timeline)
            for it in doc.items[1:]]


def test_a_tasks_product_and_funding_lines_are_its_own_not_items(text_config):
    """Before, `- Sản phẩm:` and `- Kinh phí:` became tasks, and the timeline after them
    went to the `Kinh phí` line instead of the task."""
    assert _items(["I. NHIỆM VỤ", "1. Số hóa hồ sơ thủ tục hành chính.",
                   "- Cơ quan chủ trì: Văn phòng HĐND và UBND xã.", "- Sản phẩm: 100% hồ sơ được số hóa.",
                   "- Kinh phí: Ngân sách xã.", "- Thời gian hoàn thành: Quý II/2026.",
                   "2. Tập huấn kỹ năng số.", "- Kết quả/sản phẩm: 2 lớp tập huấn."], text_config) == [
        ("part", "tasks", "I.", "NHIỆM VỤ", None, None),
        ("task", "tasks", "1.", "Số hóa hồ sơ thủ tục hành chính.", "Văn phòng HĐND và UBND xã", "Quý II/2026"),
        ("task", "tasks", "2.", "Tập huấn kỹ năng số.", None, None),
    ]


def test_funding_lines_under_the_budget_part_stay_its_points(text_config):
    assert _items(["I. KINH PHÍ THỰC HIỆN", "1. Kinh phí tuyên truyền",
                   "- Nguồn kinh phí: lồng ghép các chương trình.", "2. Kinh phí chuyển đổi số",
                   "- Kinh phí thực hiện: từ ngân sách xã."], text_config) == [
        ("part", "budget", "I.", "KINH PHÍ THỰC HIỆN", None, None),
        ("section", "budget", "1.", "Kinh phí tuyên truyền", None, None),
        ("point", "budget", "-", "Nguồn kinh phí: lồng ghép các chương trình.", None, None),
        ("section", "budget", "2.", "Kinh phí chuyển đổi số", None, None),
        ("point", "budget", "-", "Kinh phí thực hiện: từ ngân sách xã.", None, None),
    ]


def test_a_product_line_after_a_tasks_lead_is_its_own_even_when_the_task_speaks_of_funding(text_config):
    assert _items(["I. NHIỆM VỤ", "1. Lập dự toán kinh phí thực hiện.", "- Cơ quan chủ trì: Phòng Kinh tế.",
                   "- Sản phẩm: Dự toán được giao."], text_config) == [
        ("part", "tasks", "I.", "NHIỆM VỤ", None, None),
        ("task", "tasks", "1.", "Lập dự toán kinh phí thực hiện.", "Phòng Kinh tế", None)]
