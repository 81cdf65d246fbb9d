"""A task table written out as outline text (`ingest/task_table.py`), on small grids."""
from plandiff.ingest.task_table import task_table_lines


def grid(*rows):
    return [[[p for p in cell.split("|") if p] for cell in row] for row in rows]


def test_rows_become_items_with_their_attribute_lines():
    rows = grid(["TT", "Nhiệm vụ", "Đơn vị chủ trì", "Đơn vị phối hợp", "Thời gian", "Ghi chú"],
                ["1", "Đăng tin trên Trang thông tin điện tử", "Văn phòng", "Phòng A|Phòng B", "Quý I/2026", ""],
                ["a", "Rà soát thủ tục", "Phòng C", "", "Tháng 3/2026", "Làm trước"])
    assert task_table_lines(rows) == [
        "1. Đăng tin trên Trang thông tin điện tử", "- Cơ quan chủ trì: Văn phòng",
        "- Cơ quan phối hợp: Phòng A; Phòng B", "- Thời gian thực hiện: Quý I/2026",
        "a) Rà soát thủ tục", "- Cơ quan chủ trì: Phòng C", "- Thời gian thực hiện: Tháng 3/2026",
        "- Ghi chú: Làm trước"]


def test_a_sub_heading_row_and_a_row_of_column_numbers():
    rows = grid(["STT", "Nội dung", "Cơ quan thực hiện", "Cơ quan thực hiện", "Tần suất"],
                ["STT", "Nội dung", "Chủ trì", "Phối hợp", "Tần suất"],
                ["(1)", "(2)", "(3)", "(4)", "(5)"],
                ["II", "Chuyển đổi số", "", "", ""],
                ["1.1", "Phát thanh chuyên mục", "Đài truyền thanh", "", "1 số/tuần"],
                ["", "Cập nhật dữ liệu", "Văn phòng", "", ""])
    assert task_table_lines(rows) == [
        "II. Chuyển đổi số", "1.1. Phát thanh chuyên mục", "- Cơ quan chủ trì: Đài truyền thanh",
        "- Tần suất: 1 số/tuần", "- Cập nhật dữ liệu", "- Cơ quan chủ trì: Văn phòng"]


def test_a_header_table_and_a_statistics_table_are_no_task_tables():
    header = grid(["ỦY BAN NHÂN DÂN|XÃ BA TƠ|Số: 12/KH-UBND", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"])
    numbers = grid(["STT", "Nội dung", "Số lượng", "Tỷ lệ"], ["1", "Hồ sơ trực tuyến", "120", "85%"])
    assert task_table_lines(header) is None and task_table_lines(numbers) is None


def test_a_totals_row_states_no_task():
    rows = grid(["TT", "Hoạt động", "Đơn vị thực hiện", "Thời gian", "Kinh phí"],
                ["a", "Tuyên truyền", "Văn phòng", "Quý I", "20"],
                ["", "Tổng cộng", "", "", "45"])
    assert task_table_lines(rows) == ["a) Tuyên truyền", "- Cơ quan chủ trì: Văn phòng",
                                      "- Thời gian thực hiện: Quý I", "- Kinh phí: 20"]


def test_a_word_table_with_a_span_that_is_no_number_is_read_column_by_column():
    import io
    import zipfile

    from plandiff.ingest.docx import docx_text

    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    cell = '<w:tc><w:tcPr><w:gridSpan w:val="x"/></w:tcPr><w:p><w:r><w:t>{}</w:t></w:r></w:p></w:tc>'
    body = ("<w:tbl><w:tr>" + cell.format("STT") + cell.format("Nội dung") + cell.format("Cơ quan chủ trì")
            + "</w:tr></w:tbl>")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("word/document.xml", f'<?xml version="1.0"?><w:document {w}><w:body>{body}</w:body></w:document>')
    assert docx_text(buf.getvalue()).split("\n") == ["STT", "Nội dung", "Cơ quan chủ trì"]
