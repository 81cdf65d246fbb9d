from __future__ import annotations

import fcntl
import os
import shutil
from dataclasses import replace
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
DATA = REPO / "data"
SEEDS = DATA / "seeds"
SAMPLES = DATA / "samples"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
GOLDEN = Path(__file__).resolve().parent / "golden"


# Fixtures that run a whole job (OCR of the scanned sample included): every
# test using one is slow, whatever its own body does.
SLOW_FIXTURES = frozenset({"sample_run", "seed_run", "corpus_run"})
# Markers that say which heavy machinery a test starts; each implies slow.
HEAVY_MARKERS = ("browser", "cluster", "notebooks")


def pytest_collection_modifyitems(config, items):
    for item in items:
        heavy = any(item.get_closest_marker(m) for m in HEAVY_MARKERS)
        if heavy or SLOW_FIXTURES.intersection(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.slow)


def seed(prefix: str) -> Path:
    (path,) = sorted(SEEDS.glob(f"{prefix}_*.txt"))
    return path


def needs_tesseract():
    if shutil.which("tesseract") is None:
        pytest.fail("tesseract is not installed: run scripts/setup.sh")


@pytest.fixture(scope="session")
def text_config():
    """Ingest configuration for clean text fixtures (no restoration needed)."""
    from plandiff.ingest import IngestConfig

    return replace(IngestConfig(), restore_diacritics=False)


@pytest.fixture(scope="session")
def sample_run(tmp_path_factory):
    """The default job, exactly as `plandiff` with no arguments runs it.

    Run once per test session, also under pytest-xdist: the first worker to
    need it runs the job while holding a lock in the base folder all workers
    share; the others wait, then read the same tables."""
    from plandiff.cli import main

    needs_tesseract()
    if not os.environ.get("PYTEST_XDIST_WORKER"):   # not under xdist
        out = tmp_path_factory.mktemp("sample_run")
        return main(["run", str(SAMPLES), "--reference", "auto", "--out", str(out), "--quiet"]), out
    shared = tmp_path_factory.getbasetemp().parent
    out, done = shared / "sample_run", shared / "sample_run.exit"
    with open(shared / "sample_run.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)   # released when the file closes
        if not done.exists():
            code = main(["run", str(SAMPLES), "--reference", "auto", "--out", str(out), "--quiet"])
            done.write_text(str(code))
    return int(done.read_text()), out
