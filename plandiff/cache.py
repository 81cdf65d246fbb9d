"""What makes a run incremental: a manifest of inputs and a cache of results.

Both live beside the tables, under `OUT/.plandiff/` (hidden, so table readers
never see them):

* `manifest.json` — for every input path: size, modification time and the
  content hash last seen, plus the fingerprint of the whole run (inputs,
  reference, configuration, versions).  A run whose fingerprint matches the
  manifest has nothing to do.
* `docs/<sha256>.pkl` — the parsed plan (or the failure) of one file content,
  written as soon as that file is done, so an interrupted run loses at most
  the files in flight.
* `align/<key>.pkl` — one plan's alignment against one reference.

Every cache entry is stamped with `pipeline_version`; a new version of the
code, the model or the configuration makes old entries invisible.
"""
from __future__ import annotations

import hashlib
import json
import logging
import os
import pickle
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .atomic import atomic_write_bytes
from .errors import StorageError

log = logging.getLogger(__name__)

STATE_DIR = ".plandiff"
MANIFEST = "manifest.json"
MANIFEST_SCHEMA = "plandiff-manifest/1"


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


@dataclass
class InputEntry:
    size: int
    mtime_ns: int
    sha256: str


@dataclass
class Manifest:
    """Inputs seen by the last complete run of an output folder."""

    fingerprint: str = ""
    pipeline_version: str = ""
    inputs: dict[str, InputEntry] = field(default_factory=dict)
    summary: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def load(cls, out_dir: Path) -> Manifest:
        path = Path(out_dir) / STATE_DIR / MANIFEST
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return cls()
        except (OSError, ValueError):
            log.warning("unreadable manifest %s: the run starts over (cached results still count)", path)
            return cls()
        if data.get("schema") != MANIFEST_SCHEMA:
            log.info("manifest %s has another schema: the run starts over", path)
            return cls()
        inputs = {p: InputEntry(**e) for p, e in data.get("inputs", {}).items()}
        return cls(data.get("fingerprint", ""), data.get("pipeline_version", ""), inputs,
                   data.get("summary", {}))

    def save(self, out_dir: Path) -> None:
        data = {"schema": MANIFEST_SCHEMA, "fingerprint": self.fingerprint,
                "pipeline_version": self.pipeline_version,
                "inputs": {p: vars(e) for p, e in sorted(self.inputs.items())},
                "summary": self.summary}
        try:
            atomic_write_bytes(Path(out_dir) / STATE_DIR / MANIFEST,
                               json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8"))
        except OSError as exc:
            raise StorageError(f"cannot write the run manifest under {out_dir}: {exc}") from exc

    def known_sha(self, path: Path, stat: os.stat_result) -> str | None:
        entry = self.inputs.get(str(path))
        if entry and entry.size == stat.st_size and entry.mtime_ns == stat.st_mtime_ns:
            return entry.sha256
        return None


class ResultCache:
    """Pickled results keyed by content, stamped with the pipeline version."""

    def __init__(self, out_dir: Path, pipeline_version: str):
        self.root = Path(out_dir) / STATE_DIR
        self.version = pipeline_version

    def _path(self, kind: str, key: str) -> Path:
        return self.root / kind / f"{key}.pkl"

    def get(self, kind: str, key: str) -> Any | None:
        try:
            with open(self._path(kind, key), "rb") as fh:
                version, value = pickle.load(fh)
        except (OSError, EOFError, pickle.UnpicklingError, ValueError, AttributeError,
                ModuleNotFoundError, TypeError):
            return None
        return value if version == self.version else None

    def put(self, kind: str, key: str, value: Any) -> None:
        try:
            atomic_write_bytes(self._path(kind, key),
                               pickle.dumps((self.version, value), protocol=pickle.HIGHEST_PROTOCOL))
        except OSError as exc:
            raise StorageError(f"cannot write the result cache under {self.root}: {exc}") from exc


def stable_hash(*parts: Any) -> str:
    """Short hash of reprs: configuration dataclasses, version strings, paths."""
    digest = hashlib.sha256()
    for part in parts:
        digest.update(repr(part).encode("utf-8"))
        digest.update(b"\0")
    return digest.hexdigest()[:24]
