"""Word documents (.docx): paragraphs, tables and automatic numbering, as text.

A .docx is a zip of XML parts; reading `word/document.xml` directly needs no
extra dependency.  Automatic list numbering is not in the text of a
paragraph, so it is rebuilt from `word/numbering.xml` (decimal, letters,
Roman numerals, bullets) — the outline parser needs those labels.  Page
breaks become form feeds.  The header table of a plan (issuer | national
motto) comes out one cell after the other.
"""
from __future__ import annotations

import io
import re
import zipfile
from xml.etree import ElementTree as ET

from .errors import IngestError
from .task_table import task_table_lines

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MAX_XML_BYTES = 50_000_000  # an uncompressed document.xml beyond this is refused (zip bomb)


def docx_text(data: bytes) -> str:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        body_xml = _read(archive, "word/document.xml")
    except (zipfile.BadZipFile, KeyError, OSError) as exc:
        raise IngestError(f"not a readable Word document: {exc}",
                          vi="Tệp Word bị hỏng hoặc không đọc được") from exc
    numbering = _Numbering(_read(archive, "word/numbering.xml")
                           if "word/numbering.xml" in archive.namelist() else None)
    try:
        root = ET.fromstring(body_xml)
    except ET.ParseError as exc:
        raise IngestError(f"Word document XML is damaged: {exc}",
                          vi="Nội dung tệp Word bị hỏng") from exc
    body = root.find(f"{W}body")
    lines: list[str] = []
    for block in body if body is not None else []:
        if block.tag == f"{W}p":
            lines.append(_paragraph(block, numbering))
        elif block.tag == f"{W}tbl":
            lines.extend(_table(block, numbering))
    return "\n".join(lines)


def _read(archive: zipfile.ZipFile, name: str) -> bytes:
    info = archive.getinfo(name)
    if info.file_size > MAX_XML_BYTES:
        raise IngestError(f"Word document part {name} is too large ({info.file_size} bytes)",
                          vi="Tệp Word quá lớn")
    return archive.read(name)


def _paragraph(p: ET.Element, numbering: _Numbering) -> str:
    parts: list[str] = []
    for node in p.iter():
        if node.tag == f"{W}t" and node.text:
            parts.append(node.text)
        elif node.tag == f"{W}tab":
            parts.append("\t")
        elif node.tag == f"{W}br":
            parts.append("\f" if node.get(f"{W}type") == "page" else "\n")
    text = "".join(parts)
    label = numbering.label_for(p)
    text = f"{label} {text.replace(chr(12), '')}" if label else text.replace("\f", "")
    # A page break anywhere in the paragraph starts the page it moves to.
    return "\f" + text if "\f" in "".join(parts) else text


def _table(tbl: ET.Element, numbering: _Numbering) -> list[str]:
    """A task table row by row, as outline text (`task_table.py`); any other table, such
    as the header's, column after column."""
    texts: dict[int, list[str]] = {}       # each cell's paragraphs, read once (numbering counts)
    columns: list[list[str]] = []
    for row in tbl.iter(f"{W}tr"):
        for index, cell in enumerate(row.findall(f"{W}tc")):
            while len(columns) <= index:
                columns.append([])
            texts[id(cell)] = [_paragraph(p, numbering) for p in cell.iter(f"{W}p")]
            columns[index].extend(texts[id(cell)])
    try:
        rows = task_table_lines(_grid(tbl, texts))
    except ValueError:   # a span that is no number: read the table as any other
        rows = None
    return rows if rows is not None else [line for column in columns for line in column]


def _grid(tbl: ET.Element, texts: dict[int, list[str]]) -> list[list[list[str]]]:
    """The table's rows on its grid: a cell spanning columns stands in each of them, and a
    cell merged with the one above (`vMerge`) repeats its text (one lead for several tasks)."""
    grid: list[list[list[str]]] = []
    for row in tbl.findall(f"{W}tr"):
        cells: list[list[str]] = []
        for cell in row.findall(f"{W}tc"):
            props = cell.find(f"{W}tcPr")
            span_el = props.find(f"{W}gridSpan") if props is not None else None
            merge_el = props.find(f"{W}vMerge") if props is not None else None
            span = int(span_el.get(f"{W}val", "1")) if span_el is not None else 1
            text = texts.get(id(cell), [])
            if merge_el is not None and merge_el.get(f"{W}val", "continue") == "continue" and grid:
                above = grid[-1]
                text = above[len(cells)] if len(cells) < len(above) else text
            cells.extend([text] + [[] for _ in range(span - 1)])
        grid.append(cells)
    return grid


_ROMAN = [(10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]


def _roman(n: int) -> str:
    out = ""
    for value, digits in _ROMAN:
        while n >= value:
            out, n = out + digits, n - value
    return out


def _format(value: int, fmt: str) -> str:
    if fmt == "decimal":
        return str(value)
    if fmt in ("lowerLetter", "upperLetter"):
        letter = "abcdefghijklmnopqrstuvwxyz"[(value - 1) % 26]
        return letter if fmt == "lowerLetter" else letter.upper()
    if fmt in ("lowerRoman", "upperRoman"):
        roman = _roman(value)
        return roman if fmt == "upperRoman" else roman.lower()
    if fmt == "bullet":
        return "-"
    return str(value)


class _Numbering:
    """Automatic numbering: the label each numbered paragraph shows."""

    def __init__(self, xml: bytes | None):
        # (numId, level) -> (format, label text, start); numId None when numbering.xml omits it
        self.levels: dict[tuple[str | None, int], tuple[str, str, int]] = {}
        self.counters: dict[tuple[str, int], int] = {}
        if xml is None:
            return
        root = ET.fromstring(xml)
        abstract = {}
        for a in root.findall(f"{W}abstractNum"):
            levels = {}
            for lvl in a.findall(f"{W}lvl"):
                fmt = lvl.find(f"{W}numFmt")
                text = lvl.find(f"{W}lvlText")
                start = lvl.find(f"{W}start")
                levels[int(lvl.get(f"{W}ilvl", "0"))] = (
                    fmt.get(f"{W}val", "decimal") if fmt is not None else "decimal",
                    text.get(f"{W}val", "%1.") if text is not None else "%1.",
                    int(start.get(f"{W}val", "1")) if start is not None else 1)
            abstract[a.get(f"{W}abstractNumId")] = levels
        for num in root.findall(f"{W}num"):
            ref = num.find(f"{W}abstractNumId")
            if ref is not None:
                for ilvl, spec in abstract.get(ref.get(f"{W}val"), {}).items():
                    self.levels[(num.get(f"{W}numId"), ilvl)] = spec

    def label_for(self, p: ET.Element) -> str:
        num_pr = p.find(f"{W}pPr/{W}numPr")
        if num_pr is None:
            return ""
        num_id_el, ilvl_el = num_pr.find(f"{W}numId"), num_pr.find(f"{W}ilvl")
        num_id = num_id_el.get(f"{W}val") if num_id_el is not None else None
        ilvl = int(ilvl_el.get(f"{W}val", "0")) if ilvl_el is not None else 0
        if num_id is None or (num_id, ilvl) not in self.levels:
            return ""
        fmt, text, start = self.levels[(num_id, ilvl)]
        key = (num_id, ilvl)
        self.counters[key] = self.counters.get(key, start - 1) + 1
        for deeper in [k for k in self.counters if k[0] == num_id and k[1] > ilvl]:
            del self.counters[deeper]  # a new parent item restarts its children
        if fmt == "bullet":
            return "-"

        def value(match: re.Match) -> str:
            level = int(match.group(1)) - 1
            spec = self.levels.get((num_id, level), ("decimal", "", 1))
            return _format(self.counters.get((num_id, level), spec[2]), spec[0])

        return re.sub(r"%(\d)", value, text)
