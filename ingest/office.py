"""Old Word (.doc), RTF and OpenDocument text (.odt): converted to .docx by LibreOffice.

This is the only module that runs LibreOffice.  `office_pages` asks an
`OfficeEngine` for the file as a .docx and reads that with the .docx reader
(`docx.py`); tests use `FakeOfficeEngine`.  `LibreOfficeEngine` runs
``soffice --headless --convert-to docx`` with a private user profile per call
(concurrent workers never share one), under `CONVERSION_TIMEOUT` (the whole
process group is killed when it runs out) and one conversion at a time per
process (`_CONVERT_LOCK`).

Runs typed in the legacy 8-bit fonts (``.VnTime``/``.VnTimeH``: TCVN3,
``VNI-Times``: VNI) keep their font name through the conversion; their text
is converted to Unicode by that name (`legacy.convert_span`), looked up on the
run, its character style, its paragraph's style and the document defaults.
"""
from __future__ import annotations

import contextlib
import io
import os
import shutil
import signal
import subprocess
import tempfile
import threading
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol
from xml.etree import ElementTree as ET

from .errors import IngestError
from .model import MediaType, Page, TextSource

__all__ = [
    "CONVERSION_TIMEOUT", "OfficeEngine", "LibreOfficeEngine", "FakeOfficeEngine",
    "OfficeConversionError", "office_pages", "prepare_docx",
]

CONVERSION_TIMEOUT = 120.0  # seconds for one LibreOffice conversion
_CONVERT_LOCK = threading.Lock()  # one LibreOffice at a time in this process

# LibreOffice input filters tried in turn (a Word 6/95 .doc is also a compound file)
_INPUT_FILTERS = {".doc": ("MS Word 97", "MS Word 95", "MS WinWord 6.0"),
                  ".rtf": ("Rich Text Format",), ".odt": ("writer8",)}

_KIND = {
    MediaType.DOC: ("Word 97-2003 document (.doc)", "văn bản Word 97-2003 (.doc)", ".doc"),
    MediaType.RTF: ("RTF document", "văn bản RTF", ".rtf"),
    MediaType.ODT: ("OpenDocument text (.odt)", "văn bản OpenDocument (.odt)", ".odt"),
}


class OfficeConversionError(IngestError):
    """LibreOffice could not turn the file into a .docx (missing, timed out, damaged file)."""


class OfficeEngine(Protocol):
    name: str

    def to_docx(self, data: bytes, suffix: str) -> bytes:
        """The document as .docx bytes; `suffix` (``.doc``, ``.rtf``, ``.odt``) names its format."""
        ...


class LibreOfficeEngine:
    """``soffice --headless --convert-to docx``, one process group per call."""

    name = "libreoffice"

    def __init__(self, timeout: float = CONVERSION_TIMEOUT, program: str | None = None):
        self.timeout = timeout
        self.program = program

    def _program(self) -> str:
        program = self.program or shutil.which("soffice") or shutil.which("libreoffice")
        if program is None or not Path(program).exists() and shutil.which(program) is None:
            raise OfficeConversionError(
                "LibreOffice is not installed, so .doc, .rtf and .odt files cannot be read "
                "(apt-get install libreoffice-writer-nogui)",
                vi="Máy chưa cài LibreOffice nên không đọc được tệp .doc, .rtf, .odt")
        return program

    def to_docx(self, data: bytes, suffix: str) -> bytes:
        program = self._program()
        with _CONVERT_LOCK, tempfile.TemporaryDirectory(prefix="plandiff-office-") as tmp:
            source = Path(tmp, "input" + suffix)
            source.write_bytes(data)
            deadline = time.monotonic() + self.timeout
            for input_filter in _INPUT_FILTERS.get(suffix, ("",)):
                docx, said = self._convert(program, Path(tmp), source, input_filter, deadline)
                if docx:
                    return docx
                if "could not be loaded" not in said:
                    detail = " ".join(said.split())[-200:] or "no message"
                    raise OfficeConversionError(
                        f"LibreOffice produced no .docx from the document ({detail})",
                        vi="LibreOffice không chuyển đổi được tệp sang .docx")
            raise OfficeConversionError(
                "LibreOffice could not open the document: the file is damaged or "
                "not in the format its content claims; ask the sender for another copy",
                vi="LibreOffice không mở được tệp: tệp bị hỏng hoặc sai định dạng; "
                   "đề nghị gửi lại bản khác")

    def _convert(self, program: str, tmp: Path, source: Path, input_filter: str,
                 deadline: float) -> tuple[bytes, str]:
        """One soffice run: the .docx bytes (empty when none was written) and what it said."""
        out = tmp / "out"
        shutil.rmtree(out, ignore_errors=True)
        command = [program, f"-env:UserInstallation={(tmp / 'profile').as_uri()}",
                   "--headless", "--norestore", "--nologo", "--nodefault", "--nolockcheck"]
        if input_filter:
            # Named, so that a damaged file is refused rather than imported as plain text.
            command.append(f"--infilter={input_filter}")
        command += ["--convert-to", "docx", "--outdir", str(out), str(source)]
        env = {**os.environ, "HOME": str(tmp)}  # nothing of LibreOffice's lands in the real home
        try:
            proc = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                    stderr=subprocess.STDOUT, env=env, start_new_session=True)
        except OSError as exc:
            raise OfficeConversionError(
                f"LibreOffice could not be started ({program}: {exc.strerror or exc})",
                vi="Không khởi động được LibreOffice để đọc tệp") from exc
        try:
            output, _ = proc.communicate(timeout=max(0.0, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            _kill_group(proc)
            raise OfficeConversionError(
                f"LibreOffice took more than {self.timeout:g} s to convert the document "
                "(CONVERSION_TIMEOUT); the file may be damaged or very large",
                vi=f"LibreOffice chuyển đổi tệp quá {self.timeout:g} giây; "
                   "tệp có thể bị hỏng hoặc quá lớn") from None
        finally:
            _kill_group(proc)  # a helper process left behind must not outlive the call
        result = out / (source.stem + ".docx")
        docx = result.read_bytes() if result.is_file() else b""
        return docx, output.decode("utf-8", "replace")


def _kill_group(proc: subprocess.Popen) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()


@dataclass
class FakeOfficeEngine:
    """For tests: returns `docx` (or raises `error`), after `delay` seconds; records calls."""

    docx: bytes = b""
    error: IngestError | None = None
    delay: float = 0.0
    name: str = "fake"

    def __post_init__(self) -> None:
        self.calls: list[str] = []

    def to_docx(self, data: bytes, suffix: str) -> bytes:
        self.calls.append(suffix)
        if self.delay:
            time.sleep(self.delay)
        if self.error is not None:
            raise self.error
        return self.docx


def office_pages(data: bytes, media: MediaType, engine: OfficeEngine | None = None) -> list[Page]:
    """Pages of a .doc, .rtf or .odt file: converted to .docx, then read as one."""
    from .docx import docx_text
    from .textnorm import clean_text

    kind, kind_vi, suffix = _KIND[media]
    t0 = time.perf_counter()
    docx = (engine or LibreOfficeEngine()).to_docx(data, suffix)
    if not docx:
        raise OfficeConversionError(f"converting the {kind} to .docx produced nothing",
                                    vi=f"Chuyển đổi {kind_vi} sang .docx không cho kết quả")
    docx, legacy = prepare_docx(docx)
    text = clean_text(docx_text(docx))
    seconds = time.perf_counter() - t0
    source, reason = TextSource.PLAIN_TEXT, f"{kind} text, converted to .docx by LibreOffice"
    if legacy:
        source = TextSource.LEGACY_CONVERTED
        reason += f"; runs in the legacy {'/'.join(sorted(legacy))} font encoding: converted"
    pages = text.split("\f")
    return [Page(number=i + 1, text=t, source=source, reason=reason, seconds=seconds / len(pages))
            for i, t in enumerate(pages)]


# ------------------------------------------------------------ legacy-font runs

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
