"""Where the benchmarks find the data that is not in the repository.

The training corpora and the bench fixtures live in a folder called `shared`
beside the checkout (`<checkout>/../shared/corpus`, `<checkout>/../shared/bench`).
Set PLANDIFF_SHARED to use another folder, or pass the benchmark's own option
(`--corpus`, `--scans`, `--synth`) to point at one sub-folder.
"""
from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path
from types import ModuleType

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


def load_script(path: Path, name: str) -> ModuleType:
    """A script of the shared bench (make_synth.py, score.py) as a module named `name`."""
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise SystemExit(f"error: cannot load {path}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module   # registered before it runs: its dataclasses look themselves up
    spec.loader.exec_module(module)
    return module
