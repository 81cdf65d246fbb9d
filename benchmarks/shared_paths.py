"""Where the benchmarks find the data that is not in the repository.

The training corpora and the bench fixtures live in a folder called `shared`
beside the checkout (`<checkout>/../shared/corpus`, `<checkout>/../shared/bench`).
Set PLANDIFF_SHARED to use another folder, or pass the benchmark's own option
(`--corpus`, `--scans`, `--synth`) to point at one sub-folder.
"""
from __future__ import annotations

import os
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
ENV = "PLANDIFF_SHARED"


def shared_root() -> Path:
    """The shared folder: $PLANDIFF_SHARED, else `shared` beside the checkout."""
    configured = os.environ.get(ENV)
    return Path(configured).expanduser() if configured else REPO.parent / "shared"


def shared(*parts: str) -> Path:
    """A path inside the shared folder (it may not exist; see `require`)."""
    return shared_root().joinpath(*parts)


def require(path: str | Path, hint: str) -> Path:
    """`path` as a Path; if it does not exist, exit with a message that says
    where the folder was looked for and how to point elsewhere."""
    resolved = Path(path).expanduser()
    if not resolved.exists():
        raise SystemExit(
            f"error: {resolved} does not exist. The benchmarks read the corpora and bench fixtures from "
            f"the folder 'shared' beside the checkout ({REPO.parent / 'shared'}); set {ENV}=DIR to use "
            f"another folder, or pass {hint}.")
    return resolved
