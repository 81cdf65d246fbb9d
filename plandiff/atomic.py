"""Replacing a file atomically: readers see the old file or the new one, never half of one.

The new content goes to a hidden temporary file in the same folder (so the
rename stays on one file system), is flushed to disk, then renamed over the
target.  If writing fails, or the process is interrupted, the temporary file
is removed and the target is untouched.  Table readers skip the hidden name.
"""
from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

TEMP_PREFIX = ".tmp-"


@contextmanager
def atomic_file(path: Path, suffix: str = ".partial") -> Iterator[BinaryIO]:
    """A binary file handle whose content replaces `path` when the block ends without error."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=TEMP_PREFIX, suffix=suffix, dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def atomic_write_bytes(path: Path, data: bytes) -> None:
    with atomic_file(path) as fh:
        fh.write(data)
