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
