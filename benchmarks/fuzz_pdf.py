#!/usr/bin/env python3
"""Coverage-guided fuzzing of the PDF ingest path (atheris / libFuzzer).

    nice -n 10 .venv/bin/python benchmarks/fuzz_pdf.py --seconds 300
        [--crashers tests/fixtures/bad/crashers] [--real-ocr] [--timeout 30]
        [--rss-limit-mb 3072] [--corpus DIR] [--quiet]

The target is

    plandiff.ingest.ingest_bytes(data, "f.pdf",
                                 IngestConfig(restore_diacritics=False, ocr_timeout=5))

`IngestError` is the defined way to refuse a file and counts as fine; any
other exception is a crash.  Python-level crashes do not stop the run: each
new crash *signature* (exception type + innermost frame + innermost plandiff
frame) is saved under CRASHERS as `py-<hash>.pdf` with its traceback beside it
(`py-<hash>.txt`), then fuzzing goes on.  Native crashes (segfaults in pdfium),
inputs slower than --timeout seconds (hangs) and inputs over --rss-limit-mb
(memory bombs) end the libFuzzer child; libFuzzer saves them as
`crash-*`, `timeout-*` or `oom-*` under CRASHERS and the parent starts a new
child for the time that is left.

OCR: by default pages that would go to Tesseract are rendered (so the
rasteriser and the pixel limits are fuzzed) but handed to a null engine that
returns no text — a Tesseract call per input would cut the rate of inputs
tried by two orders of magnitude.  `--real-ocr` uses Tesseract.

Seeds: the corpus PDFs (tests/fixtures/bad/inputs/*.pdf, except the known
hangs listed in SKIP_SEEDS), the small sample PDFs (data/samples, < 100 KB),
and earlier crashers (tests/fixtures/bad/crashers/*.pdf).

The run prints one JSON line of totals at the end (`inputs_tried`, `crashes`,
`hangs`, `ooms`, `py_signatures`, `seconds`), which benchmarks/robustness.py
reads.  Requires `atheris` (pip install atheris).
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import traceback
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
OWN_CODE = str(REPO) + os.sep   # frames in this checkout's code (not in the venv) are plandiff's
BAD = REPO / "tests" / "fixtures" / "bad"
DEFAULT_CRASHERS = BAD / "crashers"
# Seeds that are known hangs / memory bombs: fuzzing from them would spend the
# whole budget on one input.  They are covered by tests/test_robustness.py.
SKIP_SEEDS = {"pdf_flate_bomb_content.pdf"}
MAX_SEED_BYTES = 100_000


def seed_files() -> list[Path]:
    seeds = []
    for folder in (BAD / "inputs", REPO / "data" / "samples", DEFAULT_CRASHERS):
        if folder.is_dir():
            for path in sorted(folder.glob("*.pdf")):
                if path.name in SKIP_SEEDS or path.is_symlink():
                    continue
                if path.stat().st_size <= MAX_SEED_BYTES:
                    seeds.append(path)
    return seeds


# ------------------------------------------------------------------ child side

def _child(argv: list[str], crashers: Path, real_ocr: bool) -> None:
    import logging
    import warnings

    import atheris

    logging.disable(logging.CRITICAL)  # pdfminer logs every oddity
    warnings.simplefilter("ignore")
    with atheris.instrument_imports(include=["plandiff", "pdfminer", "pdfplumber"]):
        import pdfminer.pdfparser  # noqa: F401
        import pdfplumber  # noqa: F401
        import plandiff.ingest.pdf  # noqa: F401
        from plandiff.ingest import IngestConfig, IngestError, ingest_bytes
        from plandiff.ingest.ocr import OcrResult

    class NullOcr:
        name = "null"

        def recognize(self, image, language):
            image.size  # noqa: B018 - the page was rendered; that is what we fuzz
            return OcrResult(text="", confidence=None, engine="null", language=language)

    config = IngestConfig(restore_diacritics=False, ocr_timeout=5)
    engine = None if real_ocr else NullOcr()
    seen: set[str] = set()
    crashers.mkdir(parents=True, exist_ok=True)

    def test_one_input(data: bytes) -> None:
        try:
            ingest_bytes(data, "f.pdf", config, engine)
        except IngestError:
            return
        except Exception as exc:  # noqa: BLE001 - this is what we are looking for
            sig = signature(exc)
            if sig in seen:
                return
            seen.add(sig)
            key = hashlib.sha1(sig.encode()).hexdigest()[:12]
            target = crashers / f"py-{key}.pdf"
            if not target.exists():
                target.write_bytes(data)
                (crashers / f"py-{key}.txt").write_text(
                    f"signature: {sig}\n\n" + "".join(traceback.format_exception(exc)),
                    encoding="utf-8")
                print(f"\n[fuzz_pdf] NEW CRASH {sig} -> {target}", file=sys.stderr, flush=True)

    atheris.Setup(argv, test_one_input)
    atheris.Fuzz()


def signature(exc: BaseException) -> str:
    frames = traceback.extract_tb(exc.__traceback__)
    inner = frames[-1] if frames else None
    ours = [f for f in frames if f.filename.startswith(OWN_CODE) and "/.venv/" not in f.filename
            or "/ingest/" in f.filename and "site-packages" not in f.filename]
    own = ours[-1] if ours else None

    def where(f):
        return f"{Path(f.filename).name}:{f.lineno}" if f else "?"

    return f"{type(exc).__name__} at {where(inner)} via {where(own)}"


# ------------------------------------------------------------------ parent side

def fuzz(seconds: float, crashers: Path, corpus: Path | None, timeout: int, rss_limit_mb: int,
         real_ocr: bool, quiet: bool) -> dict:
    crashers.mkdir(parents=True, exist_ok=True)
    workdir = Path(tempfile.mkdtemp(prefix="fuzz_pdf-"))
    corpus = corpus or (workdir / "corpus")
    corpus.mkdir(parents=True, exist_ok=True)
    for seed in seed_files():
        shutil.copy(seed, corpus / seed.name)
    before = {p.name for p in crashers.iterdir()}
    deadline = time.monotonic() + seconds
    totals = {"inputs_tried": 0, "children": 0, "native_crashes": 0, "hangs": 0, "ooms": 0}
    env = dict(os.environ, OMP_THREAD_LIMIT="1", PYTHONWARNINGS="ignore")
    started = time.monotonic()
    while (left := deadline - time.monotonic()) > 5:
        cmd = [sys.executable, str(Path(__file__).resolve()), "--child",
               "--crashers", str(crashers)] + (["--real-ocr"] if real_ocr else []) + [
               "--", str(corpus), f"-max_total_time={int(left)}", f"-timeout={timeout}",
               f"-rss_limit_mb={rss_limit_mb}", f"-artifact_prefix={crashers}/",
               "-max_len=200000", "-print_final_stats=1", "-close_fd_mask=1"]
        totals["children"] += 1
        proc = subprocess.run(cmd, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, env=env,
                              text=True, errors="replace", timeout=left + timeout + 60)
        log = proc.stderr
        execs = re.findall(r"stat::number_of_executed_units:\s*(\d+)", log)
        if execs:
            totals["inputs_tried"] += int(execs[-1])
        else:
            counts = re.findall(r"^#(\d+)\s", log, re.MULTILINE)
            totals["inputs_tried"] += int(counts[-1]) if counts else 0
        if "ERROR: libFuzzer: timeout" in log:
            totals["hangs"] += 1
        elif "out-of-memory" in log or "malloc(" in log and "exceeds" in log:
            totals["ooms"] += 1
        elif "deadly signal" in log or "Uncaught Python exception" in log:
            totals["native_crashes"] += 1
        if not quiet:
            tail = "\n".join(log.strip().splitlines()[-12:])
            print(f"[fuzz_pdf] child {totals['children']} exited {proc.returncode}:\n{tail}\n",
                  file=sys.stderr, flush=True)
        if proc.returncode == 0:
            break
    new = sorted(p.name for p in crashers.iterdir() if p.name not in before)
    py = sorted(p.name for p in crashers.glob("py-*.pdf"))
    totals.update(seconds=round(time.monotonic() - started, 1), py_signatures=len(py),
                  crashes=len(py) + totals["native_crashes"], new_files=new,
                  seeds=len(seed_files()))
    shutil.rmtree(workdir, ignore_errors=True)
    return totals


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=300.0)
    parser.add_argument("--crashers", type=Path, default=DEFAULT_CRASHERS)
    parser.add_argument("--corpus", type=Path)
    parser.add_argument("--timeout", type=int, default=30, help="seconds per input: a hang")
    parser.add_argument("--rss-limit-mb", type=int, default=3072)
    parser.add_argument("--real-ocr", action="store_true")
    parser.add_argument("--quiet", action="store_true")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args, rest = parser.parse_known_args()
    if args.child:
        rest = [a for a in rest if a != "--"]
        _child([sys.argv[0]] + rest, args.crashers, args.real_ocr)
        return
    totals = fuzz(args.seconds, args.crashers, args.corpus, args.timeout, args.rss_limit_mb,
                  args.real_ocr, args.quiet)
    print(json.dumps(totals))


if __name__ == "__main__":
    main()
