"""Task tables in a PDF's text layer read row by row (`ingest/pdf_tables.py`)."""
from dataclasses import replace
from pathlib import Path

import pypdfium2 as pdfium
from plandiff.ingest import IngestConfig, ingest
from plandiff.ingest.pdf_tables import _cell_paragraphs, has_rules
from plandiff.parse import parse

FIXTURES = Path(__file__).parent / "fixtures"
NO_RESTORE = replace(IngestConfig(), restore_diacritics=False)


def test_a_ruled_task_table_over_two_pages_is_read_row_by_row():
    """Before, the text layer interleaved each task's wrapped lines with its lead's and
    timeline's (`… trên Văn phòng HĐND và Các cơ quan, đơn vị Thường`), and the rows on the
    second page, under no header, were no tasks."""
    doc = ingest(FIXTURES / "tables" / "task_table.pdf", NO_RESTORE)
    assert [p.reason for p in doc.pages] == ["text layer; 1 task table(s) read row by row"] * 2
    assert doc.pages[1].text.split("\n") == [
        "II. Về chuyển đổi số", "1. Tập huấn kỹ năng số cho người dân tại các thôn.",
        "- Cơ quan chủ trì: Phòng Văn hóa - Xã hội", "- Cơ quan phối hợp: Đoàn Thanh niên xã",
        "- Thời gian thực hiện: Quý IV/2025", "Các cơ quan, đơn vị báo cáo kết quả trước ngày 15/12/2025."]
    plan = parse(doc)
    start = next(i for i, it in enumerate(plan.items) if it.scheme == "APPENDIX")
    assert [(it.depth, it.label, it.kind.value, it.lead, it.partners, it.timeline, it.page)
            for it in plan.items[start:]] == [
        (0, "PHỤ LỤC", "part", None, (), None, 1),
        (1, "I.", "section", None, (), None, 1),
        (2, "1.", "task", "Văn phòng HĐND và UBND xã", ("Các cơ quan, đơn vị liên quan",), "Thường xuyên", 1),
        (2, "2.", "task", "Văn phòng HĐND và UBND xã", ("Phòng Văn hóa - Xã hội", "Đoàn Thanh niên xã"),
         "Quý III/2025", 1),
        (1, "II.", "section", None, (), None, 2),
        (2, "1.", "task", "Phòng Văn hóa - Xã hội", ("Đoàn Thanh niên xã",), "Quý IV/2025", 2),
    ]
    assert plan.items[start + 2].text == ("Cập nhật, công khai thủ tục hành chính trên Trang thông tin "
                                          "điện tử xã và niêm yết tại trụ sở.")


def test_pages_without_ruling_lines_are_not_searched_for_tables():
    pdf = pdfium.PdfDocument(str(FIXTURES.parent.parent / "data" / "samples" / "000_tra_bong.pdf"))
    table_pdf = pdfium.PdfDocument(str(FIXTURES / "tables" / "task_table.pdf"))
    try:
        assert [has_rules(pdf[i]) for i in range(len(pdf))] == [False] * len(pdf)
        assert [has_rules(table_pdf[i]) for i in range(len(table_pdf))] == [True, True]
    finally:
        pdf.close()
        table_pdf.close()


class _Cell:
    """A pdfplumber page standing in for one cell: its words, as (text, x0, top) at 10 points
    a letter and lines 12 points apart."""

    def __init__(self, words):
        self.words = [{"text": t, "x0": x, "x1": x + 10 * len(t), "top": top, "bottom": top + 10}
                      for t, x, top in words]

    def crop(self, bbox):
        return self

    def extract_words(self, **_):
        return self.words


def test_a_cells_wrapped_lines_are_one_paragraph_and_its_bullets_are_their_own():
    cell = (0, 0, 205, 100)   # text from x 5 to 200
    # wrapped: `Xã` and `xã` would not have fitted on the line above
    assert _cell_paragraphs(_Cell([("Phòng", 5, 0), ("Văn", 65, 0), ("hóa", 105, 0), ("-", 145, 0),
                                   ("Thương", 5, 12), ("binh", 75, 12), ("và", 125, 12), ("Xã", 155, 12),
                                   ("hội", 5, 24)]), cell) == ["Phòng Văn hóa - Thương binh và Xã hội"]
    # a bullet is its own; so is a line whose first word would have fitted above
    assert _cell_paragraphs(_Cell([("Tổ", 5, 0), ("chức.", 35, 0), ("-", 5, 12), ("Mời", 25, 12),
                                   ("Sở", 5, 24), ("Y", 35, 24), ("tế", 55, 24)]), cell) == [
        "Tổ chức.", "- Mời", "Sở Y tế"]
    # and a line further below than a wrapped one would be (space after a paragraph)
    assert _cell_paragraphs(_Cell([("Phòng", 5, 0), ("Văn", 65, 0), ("hóa", 105, 0), ("Thông", 145, 0),
                                   ("UBND", 5, 18)]), cell) == ["Phòng Văn hóa Thông", "UBND"]
    assert _cell_paragraphs(_Cell([]), cell) == []


def _tasks(name: str) -> list[tuple]:
    plan = parse(ingest(FIXTURES / "tables" / name, NO_RESTORE))
    return [(it.label, it.lead, it.partners, it.timeline) for it in plan.items
            if it.kind.value == "task" and it.part.value == "tasks" and it.label[:1].isdigit()]


def test_a_lead_merged_down_over_three_tasks_leads_each():
    """pdfplumber leaves a merged cell's other rows out: they had no lead."""
    assert [(label, lead) for label, lead, _, _ in _tasks("merged_lead.pdf")][:3] == [
        ("1.", "Sở Nội vụ"), ("2.", "Sở Nội vụ"), ("3.", "Sở Nội vụ")]


def test_the_paragraphs_of_a_cell_are_its_agencies():
    """They ran together: `Văn phòng HĐND và UBND huyện Các phòng, ban chuyên môn …`."""
    assert _tasks("paragraph_partners.pdf")[0][2] == (
        "Văn phòng HĐND và UBND huyện", "Các phòng, ban chuyên môn thuộc UBND huyện")
