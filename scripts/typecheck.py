"""Run mypy over the package as it is installed, from the source tree.

`pyproject.toml` installs the top-level stage folders (`ingest/`, `parse/`,
`align/`) under the `plandiff` namespace with `package-dir`.  mypy finds
modules by their place on disk, so it cannot see that mapping: checked from
the repository root, `plandiff.ingest` does not exist and every stage type
is `Any` in the orchestration.  This script lays the installed layout out as
a tree of symbolic links under `build/typecheck/` (read from `package-dir`,
so the mapping is declared once) and runs mypy there with the settings of
`[tool.mypy]`.  Error paths read as module paths: `plandiff/ingest/pdf.py`
is `ingest/pdf.py` in the repository.

    .venv/bin/python scripts/typecheck.py [MYPY OPTIONS]
"""
from __future__ import annotations

import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
TREE = REPO / "build" / "typecheck"


def package_dirs() -> dict[str, Path]:
    config = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    mapping = config["tool"]["setuptools"]["package-dir"]
    return {package: REPO / folder for package, folder in mapping.items()}


def build_tree() -> Path:
    """Link each package's folder where its dotted name puts it under TREE."""
    if TREE.exists():
        shutil.rmtree(TREE)
    dirs = package_dirs()
    for package in sorted(dirs, key=lambda p: p.count(".")):
        target = TREE.joinpath(*package.split("."))
        target.mkdir(parents=True, exist_ok=True)
        for entry in dirs[package].iterdir():
            nested = f"{package}.{entry.name}"
            if entry.name == "__pycache__" or nested in dirs:
                continue  # a mapped sub-package gets its own folder
            (target / entry.name).symlink_to(entry)
    return TREE


def main(argv: list[str]) -> int:
    tree = build_tree()
    roots = sorted({p.split(".")[0] for p in package_dirs()})
    command = [sys.executable, "-m", "mypy", "--config-file", str(REPO / "pyproject.toml"),
               "--cache-dir", str(REPO / ".mypy_cache"), *argv]
    for root in roots:
        command += ["-p", root]
    return subprocess.run(command, cwd=tree, check=False).returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
