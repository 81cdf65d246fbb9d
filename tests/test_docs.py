"""Documentation, licence and shipped-data checks.

* docs/tables.md is the generator's output for the current table specs;
* the project is GPL-3.0-or-later, with the GPL v3 text in LICENSE and a
  NOTICE, both shipped as licence files;
* shipped data holds no corpus text: string arrays in .npz files are single
  tokens, and no long line sampled from the training corpora occurs in any
  shipped data file (the corpus part needs ../shared beside the checkout);
* no tracked source or doc names a path of one particular machine.
"""
from __future__ import annotations

import fnmatch
import gzip
import hashlib
import json
import lzma
import random
import re
import subprocess
import tomllib
import unicodedata
from pathlib import Path

import numpy as np
import pytest
from conftest import REPO

from plandiff import schema_docs, tables

PYPROJECT = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
CORPUS = REPO.parent / "shared" / "corpus"
CORPUS_FILES = ("vi_legal_vlc.txt.xz", "vi_news_unc.txt.xz", "vi_wiki.txt.xz")
# sha256 of the GNU GPL version 3 as the FSF publishes it (gnu.org/licenses/gpl-3.0.txt)
GPL3_SHA256 = "3972dc9744f6499f0f9b2dbf76696f2ae7ad8af9b23dde66d6af86c9dfb36986"
MAX_TOKEN = 40          # longest string allowed in a shipped .npz (the vocabulary's longest is 25)


# ----------------------------------------------------------------------------- docs/tables.md

def test_tables_doc_is_current():
    path = REPO / "docs" / "tables.md"
    assert path.exists(), f"docs/tables.md is missing: generate it with `{schema_docs.REGENERATE}`"
    assert path.read_text(encoding="utf-8") == schema_docs.render_markdown(), (
        "docs/tables.md does not match the table specs in plandiff/tables.py: "
        f"regenerate it with `{schema_docs.REGENERATE}` and commit the result")


def test_tables_doc_covers_every_spec_and_column():
    text = schema_docs.render_markdown()
    specs = [v for v in vars(tables).values() if isinstance(v, tables.TableSpec)]
    assert {s.name for s in specs} == {s.name for s in schema_docs.table_specs()}
    for spec in specs:
        assert f"## `{spec.name}`" in text
        section = text.split(f"## `{spec.name}`", 1)[1].split("\n## ", 1)[0]
        rows = {line.split("|")[1].strip(" `"): line for line in section.splitlines() if line.startswith("| `")}
        assert list(rows) == spec.schema.names, f"{spec.name}: columns documented out of order or missing"
        for column, allowed in (*spec.enums.items(), *spec.list_enums.items()):
            row = rows[column]
            assert all(f"`{getattr(v, 'value', v)}`" in row for v in allowed), f"{spec.name}.{column}"


def test_readme_points_at_the_generated_doc_not_outside_the_repository():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert "docs/tables.md" in readme
    assert "../shared" not in readme


# ----------------------------------------------------------------------------- licence

def test_licence_is_gpl3_or_later():
    project = PYPROJECT["project"]
    assert project["license"] == "GPL-3.0-or-later"
    assert set(project["license-files"]) >= {"LICENSE", "NOTICE"}
    licence = (REPO / "LICENSE").read_bytes()
    assert licence.lstrip().startswith(b"GNU GENERAL PUBLIC LICENSE")
    assert b"Version 3, 29 June 2007" in licence[:200]
    assert hashlib.sha256(licence).hexdigest() == GPL3_SHA256, "LICENSE is not the unmodified GPL v3 text"


def test_notice_states_the_licence_and_the_sources():
    notice = (REPO / "NOTICE").read_text(encoding="utf-8")
    assert "GPL-3.0-or-later" in notice
    for source in ("model.npz", "vi_legal_vlc", "vi_news_unc", "vi_wiki", "Viet74K", "hunspell-vi",
                   "vietnam-provinces", "data/seeds", "Liberation Serif"):
        assert source in notice, f"NOTICE does not mention {source}"


def test_notice_names_every_runtime_dependency():
    notice = (REPO / "NOTICE").read_text(encoding="utf-8").lower()
    for requirement in PYPROJECT["project"]["dependencies"]:
        name = re.split(r"[\s<>=!~;\[]", requirement, maxsplit=1)[0].lower()
        assert name in notice, f"NOTICE does not name the dependency {name} and its licence"


# ----------------------------------------------------------------------------- shipped data

def shipped_data_files() -> list[Path]:
    """Files the wheel ships besides code: pyproject's package-data patterns
    applied to each package's folder (as setuptools applies them)."""
    setup = PYPROJECT["tool"]["setuptools"]
    mapping = setup["package-dir"]
    patterns = setup.get("package-data", {})
    found: set[Path] = set()
    for package in setup["packages"]:
        base = max((p for p in mapping if package == p or package.startswith(p + ".")), key=len)
        rest = package[len(base):].lstrip(".")
        folder = REPO / mapping[base] / Path(*rest.split(".")) if rest else REPO / mapping[base]
        for key, globs in patterns.items():
            if key != "*" and not fnmatch.fnmatch(package, key):
                continue
            for pattern in globs:
                found.update(p for p in folder.glob(pattern) if p.is_file())
    return sorted(found)


def npz_strings(path: Path) -> dict[str, list[str]]:
    """The text arrays of an .npz: unicode/bytes arrays, and uint8 arrays that
    are UTF-8 text (the model stores string lists that way, newline-separated)."""
    out: dict[str, list[str]] = {}
    with np.load(path, allow_pickle=False) as z:
        for name in z.files:
            arr = z[name]
            if arr.dtype.kind in "US":
                out[name] = [x.decode("utf-8") if isinstance(x, bytes) else str(x) for x in arr.ravel()]
            elif arr.dtype == np.uint8 and arr.ndim == 1:
                try:
                    text = arr.tobytes().decode("utf-8")
                except UnicodeDecodeError:
                    continue  # packed bits or bytes, not text
                if text and all(c.isprintable() or c in "\n\t" for c in text):
                    out[name] = text.split("\n")
    return out


def test_the_shipped_data_files_are_the_known_ones():
    names = {p.relative_to(REPO).as_posix() for p in shipped_data_files()}
    assert "ingest/diacritics/model.npz" in names
    # The workbench's own stylesheet and script (NOTICE: the project's own work).
    own_assets = {"plandiff/review/static/app.css", "plandiff/review/static/app.js"}
    unexplained = {n for n in names if not n.endswith((".npz", ".html"))} - own_assets
    assert not unexplained, f"new shipped data files: say what they are in NOTICE, then allow them here: {unexplained}"


def _strings_in(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for k, v in value.items() for s in (k, *_strings_in(v))]
    if isinstance(value, list):
        return [s for v in value for s in _strings_in(v)]
    return []


def test_shipped_npz_strings_are_single_tokens():
    npz = [p for p in shipped_data_files() if p.suffix == ".npz"]
    assert npz
    for path in npz:
        arrays = npz_strings(path)
        assert "vocab" in arrays or path.name != "model.npz", "the model's vocabulary was not recognised as text"
        for name, strings in arrays.items():
            if len(strings) == 1 and strings[0].startswith("{"):
                values = _strings_in(json.loads(strings[0]))   # a JSON header: check its strings
            else:
                values = [field for s in strings for field in s.split("\t")]  # tab-separated rows
            for value in values:
                assert not re.search(r"\s", value), f"{path.name}:{name}: {value[:80]!r} holds whitespace"
                assert len(value) <= MAX_TOKEN, f"{path.name}:{name}: {value[:80]!r} is too long for a token"


def _corpus_sample(per_file: int = 150, max_chars: int = 8_000_000) -> list[str]:
    """Long lines from the corpora: `per_file` of each file, seeded, from its
    first `max_chars` characters; each as NFC lower case."""
    rng = random.Random(14)
    sample: list[str] = []
    for name in CORPUS_FILES:
        path = CORPUS / name
        if not path.exists():
            continue
        lines, seen = [], 0
        with lzma.open(path, "rt", encoding="utf-8") as f:
            for line in f:
                seen += len(line)
                if seen > max_chars:
                    break
                line = " ".join(line.split())
                if len(line) >= 80 and not line.startswith("###"):
                    lines.append(unicodedata.normalize("NFC", line).lower())
        sample.extend(rng.sample(lines, min(per_file, len(lines))))
    return sample


def _shipped_text(path: Path) -> str:
    if path.suffix == ".npz":
        return "\n".join(s for strings in npz_strings(path).values() for s in strings)
    data = path.read_bytes()
    if path.suffix == ".gz":
        data = gzip.decompress(data)
    elif path.suffix == ".xz":
        data = lzma.decompress(data)
    return data.decode("utf-8", errors="replace")


@pytest.mark.slow
@pytest.mark.skipif(not CORPUS.is_dir(), reason="the training corpora (../shared/corpus) are not beside the checkout")
def test_no_corpus_sentence_in_shipped_data():
    sample = _corpus_sample()
    assert len(sample) >= 300
    # whole lines, and a 60-character window from the middle (a sentence re-wrapped differently)
    needles = {s for line in sample for s in (line, line[len(line) // 2 - 30: len(line) // 2 + 30])}
    for path in shipped_data_files():
        text = unicodedata.normalize("NFC", _shipped_text(path)).lower()
        text = " ".join(text.split())
        hits = [n for n in needles if n in text]
        assert not hits, f"{path.relative_to(REPO)} contains corpus text: {hits[0][:80]!r}"


# ----------------------------------------------------------------------------- machine paths

# Built from parts so that this file does not contain what it looks for.
MACHINE_PATH = re.compile("/" + "(?:work|home|tmp|root|Users)" + "/")


def test_no_machine_paths_in_tracked_files():
    listed = subprocess.run(["git", "ls-files", "-z", "*.py", "*.md", "*.sh", "*.toml"], cwd=REPO,
                            capture_output=True, check=True).stdout.decode("utf-8").split("\0")
    offenders = []
    for name in filter(None, listed):
        path = REPO / name
        if not path.is_file():
            continue  # deleted in the working tree
        for number, line in enumerate(path.read_text(encoding="utf-8", errors="replace").splitlines(), 1):
            if MACHINE_PATH.search(line):
                offenders.append(f"{name}:{number}: {line.strip()[:100]}")
    assert not offenders, ("paths of one machine (use paths relative to the repository, ../shared, "
                           "or tempfile for temporary files):\n" + "\n".join(offenders))
