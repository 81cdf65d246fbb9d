"""Writing and reading the output tables.

Each table is a folder `OUT/<name>/` holding one Parquet file, so both
`pandas.read_parquet(OUT / name)` and DuckDB's
`read_parquet('OUT/name/**/*.parquet')` read it.  A table is replaced
atomically: the new file is written under a hidden temporary name in the same
folder (ignored by both readers), flushed, then renamed over the old one.
"""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from .errors import StorageError
from .tables import TABLES, to_arrow

DATA_FILE = "part-0.parquet"


def write_table(out_dir: Path, name: str, rows: list[dict]) -> Path:
    spec = TABLES[name]
    table = to_arrow(spec, rows)
    folder = Path(out_dir) / name
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=".parquet.partial", dir=folder)
        try:
            with os.fdopen(fd, "wb") as fh:
                pq.write_table(table, fh, compression="zstd")
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, folder / DATA_FILE)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except OSError as exc:
        raise StorageError(f"cannot write table {name} under {out_dir}: {exc}") from exc
    return folder / DATA_FILE


def read_table(out_dir: Path, name: str) -> pa.Table:
    path = Path(out_dir) / name / DATA_FILE
    try:
        return pq.read_table(path)
    except (OSError, pa.ArrowInvalid) as exc:
        raise StorageError(f"cannot read table {name} from {out_dir}: {exc}") from exc
