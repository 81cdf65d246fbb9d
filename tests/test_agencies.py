"""One key per office (parse/agencies.py)."""
from __future__ import annotations

import pytest
from plandiff.parse.agencies import agency_key


@pytest.mark.parametrize(("name", "key"), [
    ("Phòng Văn hoá - Xã hội", "phong van hoa xa hoi"),
    ("VP HĐND và UBND", "van phong hoi dong nhan dan va uy ban nhan dan"),
    ("Các cơ quan, đơn vị (kể cả các đơn vị trường học)", "cac co quan don vi"),
    # a scan lost the closing parenthesis and left debris after the note
    ("Các cơ quan, đơn vị (kể cả các đơn vị tru *nø hae3", "cac co quan don vi"),
    # a note inside the name is part of it
    ("Trung tâm (Phục vụ hành chính công) xã", "trung tam phuc vu hanh chinh cong xa"),
])
def test_agency_key(name, key):
    assert agency_key(name) == key
