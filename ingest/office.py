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
import os
import shutil
import signal
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from .docx_prepare import prepare_docx
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
