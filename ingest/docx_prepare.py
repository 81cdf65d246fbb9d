"""A .docx made ready for the .docx reader: legacy fonts, page breaks, tab stops.

Word files typed in the old 8-bit Vietnamese fonts (`.VnTime`, `VNI-Times`)
store their text in those fonts' byte codes; the reader would return
`céng hßa x· héi`.  `prepare_docx` converts each such run to Unicode by its
font (the same tables as legacy PDFs, `ingest/legacy`), moves a page break
that ends a paragraph to the start of the next one (the reader takes the page
a paragraph begins on), and drops paragraphs' tab-stop definitions (which the
reader would take for tab characters).  Both the .docx route and the
.doc/.rtf/.odt route (LibreOffice's .docx output) go through it.
"""
from __future__ import annotations

import io
import zipfile
from xml.etree import ElementTree as ET

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_FONT_ATTRS = (f"{_W}ascii", f"{_W}hAnsi", f"{_W}cs")


def prepare_docx(docx: bytes) -> tuple[bytes, set[str]]:
    """The .docx with the text of legacy-font runs in Unicode, and the encodings met.

    Also moves a page break that ends a paragraph (where LibreOffice writes the
    break of a Word 97 file) to the start of the next one, where the .docx
    reader looks for the page a paragraph begins, and drops the paragraphs' tab-stop
    definitions (``w:pPr/w:tabs``, which LibreOffice writes for RTF and which the
    .docx reader would take for tab characters).

    A run's font is its own ``w:rFonts``, else its character style's, else its
    paragraph style's (following ``basedOn``), else the document default.
    Returns the input unchanged when no run is in a legacy font (or the file
    cannot be read: the .docx reader then says why).
    """
    from .docx import MAX_XML_BYTES
    from .legacy import convert_span, encoding_for_font

    try:
        archive = zipfile.ZipFile(io.BytesIO(docx))
        if "word/document.xml" not in archive.namelist() \
                or archive.getinfo("word/document.xml").file_size > MAX_XML_BYTES:
            return docx, set()  # the .docx reader says what is wrong
        body_xml = archive.read("word/document.xml")
        root = ET.fromstring(body_xml)
        styles = _Styles(archive.read("word/styles.xml")
                         if "word/styles.xml" in archive.namelist() else None)
    except (zipfile.BadZipFile, OSError, ET.ParseError, KeyError):
        return docx, set()
    met: set[str] = set()
    for p in root.iter(f"{_W}p"):
        p_style = p.find(f"{_W}pPr/{_W}pStyle")
        p_font = styles.font(p_style.get(f"{_W}val") if p_style is not None else None)
        for run in p.iter(f"{_W}r"):
            font = _font_of(run.find(f"{_W}rPr"), styles) or p_font
            encoding, _ = encoding_for_font(font)
            if encoding is None:
                continue
            _merge_soft_hyphens(run)
            for t in run.iter(f"{_W}t"):
                if t.text:
                    converted = convert_span(t.text, font)
                    if converted != t.text:
                        t.text = converted
                        met.add(encoding.value.upper())
    moved = _move_trailing_page_breaks(root)
    tab_stops = _drop_tab_stops(root)
    if not met and not moved and not tab_stops:
        return docx, met
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info in archive.infolist():
            if info.filename == "word/document.xml":
                z.writestr(info, ET.tostring(root, encoding="utf-8", xml_declaration=True))
            else:
                z.writestr(info, archive.read(info.filename))
    return out.getvalue(), met


def _move_trailing_page_breaks(root: ET.Element) -> bool:
    """A run holding only a page break, after the last text of a body paragraph,
    is moved to the front of the paragraph that follows it."""
    body = root.find(f"{_W}body")
    blocks = list(body) if body is not None else []
    moved = False
    for paragraph, following in zip(blocks, blocks[1:], strict=False):
        if paragraph.tag != f"{_W}p" or following.tag != f"{_W}p":
            continue
        runs = paragraph.findall(f"{_W}r")
        if not runs or [c.tag for c in runs[-1] if c.tag != f"{_W}rPr"] != [f"{_W}br"] \
                or runs[-1].find(f"{_W}br").get(f"{_W}type") != "page":  # type: ignore[union-attr]
            continue
        paragraph.remove(runs[-1])
        p_pr = following.find(f"{_W}pPr")
        following.insert(1 if p_pr is not None else 0, runs[-1])
        moved = True
    return moved


def _drop_tab_stops(root: ET.Element) -> bool:
    dropped = False
    for p_pr in root.iter(f"{_W}pPr"):
        for tabs in p_pr.findall(f"{_W}tabs"):
            p_pr.remove(tabs)
            dropped = True
    return dropped


def _merge_soft_hyphens(run: ET.Element) -> None:
    """TCVN3 types ``ư`` as the soft-hyphen code (U+00AD), which Word and LibreOffice
    store as a ``w:softHyphen`` element between two ``w:t``: put it back in the text,
    joined with its neighbours, so the word converts whole."""
    if run.find(f"{_W}softHyphen") is None:
        return
    children, merged = list(run), []
    for child in children:
        piece = "\xad" if child.tag == f"{_W}softHyphen" else \
            (child.text or "") if child.tag == f"{_W}t" else None
        if piece is None:
            merged.append(child)
        elif merged and merged[-1].tag == f"{_W}t":
            merged[-1].text = (merged[-1].text or "") + piece
        else:
            t = ET.Element(f"{_W}t")
            t.text = piece
            merged.append(t)
    for child in children:
        run.remove(child)
    run.extend(merged)


def _font_of(rpr: ET.Element | None, styles: _Styles) -> str | None:
    if rpr is None:
        return None
    fonts = rpr.find(f"{_W}rFonts")
    if fonts is not None:
        for attr in _FONT_ATTRS:
            if fonts.get(attr):
                return fonts.get(attr)
    r_style = rpr.find(f"{_W}rStyle")
    return styles.font(r_style.get(f"{_W}val"), default=False) if r_style is not None else None


class _Styles:
    """Font of each style in styles.xml (through ``basedOn``) and the document default."""

    def __init__(self, xml: bytes | None):
        self.own: dict[str, str | None] = {}
        self.based_on: dict[str, str] = {}
        self.default: str | None = None
        if xml is None:
            return
        root = ET.fromstring(xml)
        default = root.find(f"{_W}docDefaults/{_W}rPrDefault/{_W}rPr")
        self.default = _font_of(default, self) if default is not None else None
        for style in root.findall(f"{_W}style"):
            sid = style.get(f"{_W}styleId")
            if sid is None:
                continue
            self.own[sid] = _font_of(style.find(f"{_W}rPr"), self)
            base = style.find(f"{_W}basedOn")
            if base is not None and base.get(f"{_W}val"):
                self.based_on[sid] = base.get(f"{_W}val", "")

    def font(self, sid: str | None, default: bool = True) -> str | None:
        seen: set[str] = set()
        while sid is not None and sid not in seen:
            seen.add(sid)
            if self.own.get(sid):
                return self.own[sid]
            sid = self.based_on.get(sid)
        return self.default if default else None
