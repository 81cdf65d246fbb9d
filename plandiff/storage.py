"""Writing and reading the output tables.

Each table is a folder `OUT/<name>/` holding one Parquet file, so both
`pandas.read_parquet(OUT / name)` and DuckDB's
`read_parquet('OUT/name/**/*.parquet')` read it.  A table is replaced
atomically: the new file is written under a hidden temporary name in the same
folder (ignored by both readers), flushed, then renamed over the old one.
"""
from __future__ import annotations

import logging
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from .atomic import atomic_file
from .errors import StorageError
from .tables import TABLES, to_arrow

log = logging.getLogger(__name__)

DATA_FILE = "part-0.parquet"


def write_table(out_dir: Path, name: str, rows: list[dict], metadata: dict[str, str] | None = None) -> Path:
    """Replace table `name` with `rows` (validated); `metadata`: extra key/values for the file."""
    spec = TABLES[name]
    table = to_arrow(spec, rows)
    if metadata:
        table = table.replace_schema_metadata({**table.schema.metadata,
                                               **{k.encode(): v.encode() for k, v in metadata.items()}})
    folder = Path(out_dir) / name
    try:
        with atomic_file(folder / DATA_FILE, suffix=".parquet.partial") as fh:
            pq.write_table(table, fh, compression="zstd")
    except OSError as exc:
        raise StorageError(f"cannot write table {name} under {out_dir}: {exc}") from exc
    log.debug("wrote %s: %d rows", folder / DATA_FILE, table.num_rows)
    return folder / DATA_FILE


def read_table(out_dir: Path, name: str) -> pa.Table:
    path = Path(out_dir) / name / DATA_FILE
    try:
        return pq.read_table(path)
    except (OSError, pa.ArrowInvalid) as exc:
        raise StorageError(f"cannot read table {name} from {out_dir}: {exc}") from exc
