"""Old Word .doc, .rtf and .odt through LibreOffice (plandiff.ingest.office).

The unit tests use `FakeOfficeEngine`, or `LibreOfficeEngine` pointed at a
small shell script standing in for `soffice` (timeouts, no output, the
one-at-a-time lock); the end-to-end tests (marked slow: one LibreOffice
conversion takes about 2 s) run the real LibreOffice on the fixtures of
tests/fixtures/office/.
"""
from __future__ import annotations

import importlib.util
import io
import shutil
import threading
import time
import zipfile
from dataclasses import replace
from pathlib import Path

import pytest
from plandiff.ingest import (
    SUPPORTED_SUFFIXES,
    IngestConfig,
    IngestError,
    MediaType,
    ingest,
    ingest_bytes,
    sniff_media_type,
)
from plandiff.ingest.office import (
    FakeOfficeEngine,
    LibreOfficeEngine,
    OfficeConversionError,
    office_pages,
    prepare_docx,
)

FIXTURES = Path(__file__).parent / "fixtures"
OFFICE = FIXTURES / "office"
PLAN_DOCX = (FIXTURES / "docx" / "plan.docx").read_bytes()
NO_RESTORE = replace(IngestConfig(), restore_diacritics=False)
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
HAS_LIBREOFFICE = shutil.which("soffice") is not None
needs_libreoffice = pytest.mark.skipif(not HAS_LIBREOFFICE,
                                       reason="LibreOffice not installed (scripts/setup.sh)")


def _generator():
    spec = importlib.util.spec_from_file_location("office_make_fixtures", OFFICE / "make_fixtures.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


GEN = _generator()
TCVN3_TEXT = [text for _, text in GEN.LINES]


def _odt(mimetype_first: bool = True) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        entries = [("mimetype", "application/vnd.oasis.opendocument.text", zipfile.ZIP_STORED),
                   ("content.xml", "<office:document-content/>", zipfile.ZIP_DEFLATED)]
        for name, text, method in entries if mimetype_first else entries[::-1]:
            z.writestr(zipfile.ZipInfo(name), text, compress_type=method)
    return buf.getvalue()


# ---------------------------------------------------------------- media type

@pytest.mark.parametrize(("data", "name", "media"), [
    (OLE2 + b"\0" * 100, "plan.doc", MediaType.DOC),
    (OLE2 + b"\0" * 100, "plan.bin", MediaType.DOC),          # by content, whatever the name
    (b"{\\rtf1\\ansi Hello}", "plan.rtf", MediaType.RTF),
    (b"\xef\xbb\xbf\r\n{\\rtf1 x}", "plan.txt", MediaType.RTF),
    (_odt(), "plan.odt", MediaType.ODT),
    (_odt(mimetype_first=False), "plan.zip", MediaType.ODT),
    (PLAN_DOCX, "plan.docx", MediaType.DOCX),
    (PLAN_DOCX, "plan.doc", MediaType.DOCX),                 # a .docx saved under .doc
    (b"K\xe1\xba\xbf ho\xe1\xba\xa1ch", "plan.txt", MediaType.TEXT),
])
def test_office_formats_are_recognised_by_content(data, name, media):
    assert sniff_media_type(data, name) is media


@pytest.mark.parametrize(("name", "kind"), [
    ("plan.doc", "a Word document"), ("plan.rtf", "an RTF document"),
    ("plan.odt", "an OpenDocument text"), ("plan.docx", "a Word document"),
    ("plan.pdf", "a PDF"), ("plan.png", "an image")])
def test_a_file_named_like_an_office_document_but_holding_text_is_refused(name, kind):
    with pytest.raises(IngestError) as err:
        sniff_media_type(b"just some text", name)
    assert str(err.value) == f"file is named like {kind} but its content is not one"
    assert err.value.vi


def test_the_office_suffixes_are_supported():
    assert {".doc", ".rtf", ".odt"} <= set(SUPPORTED_SUFFIXES)


# ---------------------------------------------------------------- fake engine

def test_pages_come_from_the_converted_docx_labelled_like_word_documents():
    engine = FakeOfficeEngine(docx=PLAN_DOCX)
    pages = office_pages(OLE2, MediaType.DOC, engine)
    assert engine.calls == [".doc"]
    docx_doc = ingest_bytes(PLAN_DOCX, "plan.docx", NO_RESTORE)
    assert [p.text for p in pages] == [p.text for p in docx_doc.pages]
    assert {p.source.value for p in pages} == {"plain_text"}
    assert pages[0].reason == "Word 97-2003 document (.doc) text, converted to .docx by LibreOffice"
    assert office_pages(b"{\\rtf1}", MediaType.RTF, FakeOfficeEngine(docx=PLAN_DOCX))[0].reason \
        .startswith("RTF document text")


def test_legacy_font_runs_are_converted_and_labelled():
    pages = office_pages(OLE2, MediaType.DOC, FakeOfficeEngine(docx=GEN.tcvn3_docx()))
    assert pages[0].text.split("\n") == TCVN3_TEXT
    assert pages[0].source.value == "legacy_converted"
    assert pages[0].reason.endswith("runs in the legacy TCVN3 font encoding: converted")


def test_a_docx_typed_in_tcvn3_fonts_is_converted_too():
    # Regression: the .docx route used to return the font's byte codes ("céng hßa x· héi").
    doc = ingest_bytes(GEN.tcvn3_docx(), "tcvn3.docx", NO_RESTORE)
    assert doc.text.split("\n") == TCVN3_TEXT
    assert doc.text_source.value == "legacy_converted"
    assert doc.pages[0].reason == "Word document text; runs in the legacy TCVN3 font encoding: converted"


def test_legacy_font_inherited_from_the_paragraph_style_and_soft_hyphen_for_u_horn():
    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    styles = (f'<w:styles {w}><w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii="Times New Roman"/>'
              '</w:rPr></w:rPrDefault></w:docDefaults>'
              '<w:style w:styleId="Body"><w:rPr><w:rFonts w:ascii=".VnTime" w:hAnsi=".VnTime"/></w:rPr></w:style>'
              '<w:style w:styleId="BodyIndent"><w:basedOn w:val="Body"/></w:style></w:styles>')
    body = (f'<w:document {w}><w:body>'
            '<w:p><w:pPr><w:pStyle w:val="BodyIndent"/></w:pPr><w:r><w:t>ng</w:t><w:softHyphen/>'
            '<w:t>êi d©n</w:t></w:r></w:p>'
            '<w:p><w:r><w:t>Người dân</w:t></w:r></w:p></w:body></w:document>')
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("word/document.xml", body)
        z.writestr("word/styles.xml", styles)
    pages = office_pages(OLE2, MediaType.DOC, FakeOfficeEngine(docx=buf.getvalue()))
    assert pages[0].text == "người dân\nNgười dân"


def test_a_docx_without_legacy_fonts_is_passed_on_unchanged():
    assert prepare_docx(PLAN_DOCX) == (PLAN_DOCX, set())
    assert prepare_docx(b"not a zip") == (b"not a zip", set())


def test_a_conversion_that_produces_nothing_is_an_ingest_error():
    with pytest.raises(OfficeConversionError) as err:
        office_pages(b"{\\rtf1}", MediaType.RTF, FakeOfficeEngine(docx=b""))
    assert str(err.value) == "converting the RTF document to .docx produced nothing"
    assert err.value.vi == "Chuyển đổi văn bản RTF sang .docx không cho kết quả"


def test_an_engine_error_reaches_the_caller_as_it_is():
    error = OfficeConversionError("LibreOffice took too long", vi="quá lâu")
    with pytest.raises(OfficeConversionError) as err:
        office_pages(OLE2, MediaType.DOC, FakeOfficeEngine(error=error))
    assert err.value is error and isinstance(err.value, IngestError)


# ------------------------------------------- LibreOfficeEngine with a stand-in program

def _stand_in(tmp_path: Path, body: str) -> str:
    """A script called like soffice: `$out` is the --outdir, `$src` the input file,
    `$args` all its arguments."""
    script = tmp_path / "soffice"
    script.write_text("#!/bin/sh\n"
                      'args="$*"\n'
                      'while [ $# -gt 1 ]; do [ "$1" = "--outdir" ] && out="$2"; shift; done\n'
                      'src="$1"\n' + body + "\n")
    script.chmod(0o755)
    return str(script)


def test_a_timeout_kills_the_whole_process_group(tmp_path):
    pidfile = tmp_path / "child.pid"
    program = _stand_in(tmp_path, f"sleep 30 & echo $! > {pidfile}\nwait")
    engine = LibreOfficeEngine(timeout=0.5, program=program)
    t0 = time.monotonic()
    with pytest.raises(OfficeConversionError) as err:
        engine.to_docx(OLE2, ".doc")
    assert time.monotonic() - t0 < 10
    assert str(err.value).startswith("LibreOffice took more than 0.5 s to convert the document (CONVERSION_TIMEOUT)")
    assert err.value.vi.startswith("LibreOffice chuyển đổi tệp quá")
    child = int(pidfile.read_text())
    for _ in range(50):  # the grandchild is gone too, not only the script
        if not Path(f"/proc/{child}").exists() or "Z" in _state(child):
            break
        time.sleep(0.05)
    assert not Path(f"/proc/{child}").exists() or "Z" in _state(child)


def _state(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0]
    except OSError:
        return "Z"


def test_no_output_and_an_unloadable_file_are_ingest_errors(tmp_path):
    engine = LibreOfficeEngine(program=_stand_in(tmp_path, "exit 0"))
    with pytest.raises(OfficeConversionError, match=r"LibreOffice produced no \.docx from the document"):
        engine.to_docx(OLE2, ".doc")
    engine = LibreOfficeEngine(program=_stand_in(tmp_path, 'echo "Error: source file could not be loaded"'))
    with pytest.raises(OfficeConversionError) as err:
        engine.to_docx(OLE2, ".doc")
    assert "could not open the document: the file is damaged" in str(err.value)
    assert "bị hỏng" in err.value.vi


def test_each_call_gets_its_own_profile_and_the_converted_file(tmp_path):
    log = tmp_path / "args.log"
    program = _stand_in(tmp_path, f'echo "$args" >> {log}\n'
                                  'mkdir -p "$out" && cp "$src" "$out/input.docx"')
    engine = LibreOfficeEngine(program=program)
    assert engine.to_docx(b"payload", ".rtf") == b"payload"
    assert engine.to_docx(b"payload", ".rtf") == b"payload"
    profiles = [next(a for a in line.split() if a.startswith("-env:UserInstallation=file:///"))
                for line in log.read_text().splitlines()]
    assert len(set(profiles)) == 2


def test_one_conversion_at_a_time_per_process(tmp_path):
    log = tmp_path / "times.log"
    program = _stand_in(tmp_path, f'echo start >> {log}; sleep 0.1; echo end >> {log}\n'
                                  'mkdir -p "$out" && cp "$src" "$out/input.docx"')
    engine = LibreOfficeEngine(program=program)
    threads = [threading.Thread(target=engine.to_docx, args=(b"x", ".doc")) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert log.read_text().split() == ["start", "end"] * 3


def test_libreoffice_missing_is_a_failed_file_not_a_traceback(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))  # no soffice on the path
    path = tmp_path / "plan.doc"
    path.write_bytes(OLE2 + b"\0" * 512)
    with pytest.raises(OfficeConversionError) as err:
        ingest(path, NO_RESTORE)
    assert str(err.value).startswith("LibreOffice is not installed")
    assert err.value.vi == "Máy chưa cài LibreOffice nên không đọc được tệp .doc, .rtf, .odt"


# ---------------------------------------------------------------- real LibreOffice

@pytest.mark.slow
@needs_libreoffice
@pytest.mark.parametrize(("name", "media"), [("plan.doc", "doc"), ("plan.rtf", "rtf"),
                                             ("plan.odt", "odt")])
def test_office_files_read_like_the_docx_they_were_saved_from(name, media):
    from plandiff.parse import parse

    doc = ingest(OFFICE / name, NO_RESTORE)
    want = ingest(FIXTURES / "docx" / "plan.docx", NO_RESTORE)
    assert doc.media_type.value == media
    assert [p.text for p in doc.pages] == [p.text for p in want.pages]
    assert {p.source.value for p in doc.pages} == {"plain_text"}
    assert "converted to .docx by LibreOffice" in doc.pages[0].reason
    outline = [(it.depth, it.label, it.kind.value, it.lead, it.timeline, it.page)
               for it in parse(doc).items if it.part.value != "preamble"]
    assert outline == [
        (0, "I.", "part", None, None, 1), (1, "1.", "point", None, None, 1),
        (0, "II.", "part", None, None, 1), (1, "1.", "section", None, None, 1),
        (2, "a)", "task", "Văn phòng HĐND và UBND xã", "Thường xuyên", 1),
        (2, "b)", "task", "Phòng Văn hóa - Xã hội", None, 2)]


@pytest.mark.slow
@needs_libreoffice
def test_a_task_table_in_a_doc_is_read_row_by_row():
    from plandiff.parse import parse
    from test_ingest import TASK_TABLE_OUTLINE, _appendix_outline

    assert _appendix_outline(parse(ingest(OFFICE / "task_table.doc", NO_RESTORE))) == TASK_TABLE_OUTLINE


@pytest.mark.slow
@needs_libreoffice
def test_a_doc_typed_in_tcvn3_fonts_comes_back_as_unicode():
    doc = ingest(OFFICE / "tcvn3.doc", NO_RESTORE)
    assert doc.text.split("\n") == TCVN3_TEXT
    assert doc.text_source.value == "legacy_converted"
    assert "TCVN3" in doc.pages[0].reason


@pytest.mark.slow
@needs_libreoffice
def test_a_corrupt_doc_gets_a_failed_row_and_the_batch_goes_on(tmp_path):
    import pandas as pd

    from plandiff.cli import main

    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "hong.doc").write_bytes(OLE2 + bytes(range(256)) * 16)
    shutil.copy(OFFICE / "plan.doc", inputs / "plan.doc")
    shutil.copy(FIXTURES / "docx" / "plan.docx", inputs / "reference.docx")
    code = main(["run", str(inputs / "hong.doc"), str(inputs / "plan.doc"),
                 "--reference", str(inputs / "reference.docx"), "--out", str(tmp_path / "out"),
                 "--workers", "1", "--no-restore", "--no-report", "--quiet"])
    assert code == 1
    docs = pd.read_parquet(tmp_path / "out" / "documents")
    rows = {Path(p).name: r for p, r in zip(docs["source_path"], docs.to_dict("records"), strict=True)}
    assert rows["plan.doc"]["status"] == "ok"
    bad = rows["hong.doc"]
    assert bad["status"] == "failed"
    assert bad["error"].startswith("LibreOffice could not open the document: the file is damaged")
    assert bad["error_vi"].startswith("LibreOffice không mở được tệp")
    assert "Traceback" not in bad["error"]

