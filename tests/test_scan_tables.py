"""A ruled task table on a scanned page read from Tesseract's words (`ingest/scan_tables.py`)."""
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from plandiff.ingest import IngestConfig, ingest
from plandiff.ingest.scan_tables import find_grid, table_rows

FIXTURES = Path(__file__).parent / "fixtures"


def _page(ys, xs, gaps=()):
    """A white page with rules at `ys` (across xs[0]..xs[-1]) and `xs` (down ys[0]..ys[-1]);
    `gaps` are (x, y0, y1) stretches of a vertical rule left out."""
    page = np.full((1000, 800), 255, np.uint8)
    for y in ys:
        page[y:y + 2, xs[0]:xs[-1] + 2] = 0
    for x in xs:
        page[ys[0]:ys[-1] + 2, x:x + 2] = 0
    for x, y0, y1 in gaps:
        page[y0 + 3:y1 - 2, x:x + 2] = 255
    return page


def _word(text, x, y, line=(1, 1, 1)):
    return (text, x, y, x + 10 * len(text), y + 12, line)


def test_a_grid_is_found_and_a_plain_page_has_none():
    page = _page([100, 150, 250, 350], [50, 150, 450, 750])
    assert find_grid(page) == ([100, 150, 250, 350], [50, 150, 450, 750])
    text_page = np.full((1000, 800), 255, np.uint8)
    text_page[100:112, 50:400:7] = 0   # letters: short runs
    assert find_grid(text_page) is None


def test_words_go_to_their_cells_a_group_row_spans_and_a_merged_lead_stands_in_each_row():
    ys, xs = [100, 150, 200, 300, 400], [50, 150, 450, 750]
    page = _page(ys, xs, gaps=[(450, 150, 200)])                      # row 2: the title spans two columns
    page[300:302, 451:750] = 255                                       # lead merged over rows 3-4
    words = [_word("STT", 60, 120), _word("Nhiệm", 160, 120), _word("vụ", 230, 120),
             _word("Chủ", 460, 120), _word("trì", 500, 120),
             _word("I", 60, 170), _word("Về", 160, 170, (2, 1, 1)), _word("CCHC", 190, 170, (2, 1, 1)),
             _word("1", 60, 220), _word("Đăng", 160, 220, (3, 1, 1)), _word("tin", 210, 220, (3, 1, 1)),
             _word("Văn", 460, 220, (4, 1, 1)), _word("phòng", 500, 220, (4, 1, 1)),
             _word("2", 60, 320), _word("Tập", 160, 320, (5, 1, 1)), _word("huấn", 200, 320, (5, 1, 1))]
    assert table_rows(page, (ys, xs), words) == [
        [["STT"], ["Nhiệm vụ"], ["Chủ trì"]],
        [["I"], ["Về CCHC"], []],
        [["1"], ["Đăng tin"], ["Văn phòng"]],
        [["2"], ["Tập huấn"], ["Văn phòng"]],
    ]


@pytest.mark.slow
def test_a_scanned_task_table_is_read_row_by_row(tmp_path):
    """Before, Tesseract's lines ran across the row: `… thủ tục hành chính trên Văn phòng
    HĐND và | Các cơ quan, đơn vị Thường`."""
    import pypdfium2 as pdfium
    from plandiff.parse import parse

    pdf = pdfium.PdfDocument(str(FIXTURES / "tables" / "task_table.pdf"))
    try:
        image = pdf[0].render(scale=200 / 72).to_pil().convert("L")
    finally:
        pdf.close()
    path = tmp_path / "page.png"
    image.save(path, dpi=(200, 200))
    plan = parse(ingest(path, replace(IngestConfig(), restore_diacritics=False)))
    tasks = [(it.lead, it.partners, it.timeline) for it in plan.items
             if it.kind.value == "task" and it.lead]
    assert tasks[:2] == [
        ("Văn phòng HĐND và UBND xã", ("Các cơ quan, đơn vị liên quan",), "Thường xuyên"),
        ("Văn phòng HĐND và UBND xã", ("Phòng Văn hóa - Xã hội", "Đoàn Thanh niên xã"), tasks[1][2]),
    ]
