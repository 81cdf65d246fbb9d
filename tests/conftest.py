from __future__ import annotations

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
    """The default job, exactly as `plandiff` with no arguments runs it."""
    from plandiff.cli import main

    needs_tesseract()
    out = tmp_path_factory.mktemp("sample_run")
    code = main(["run", str(SAMPLES), "--reference", "auto", "--out", str(out), "--quiet"])
    return code, out
