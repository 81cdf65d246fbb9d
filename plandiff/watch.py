"""`plandiff run --watch`: poll the inputs and process files as they arrive.

Each poll is an ordinary incremental `run`, so a file is processed once,
and a restart picks up where the manifest left off.  A file still being
written (its size or time changed since the previous poll) waits for the
next poll.
"""
from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from .errors import UsageError
from .pipeline import RunConfig, RunResult, collect_inputs, run

log = logging.getLogger(__name__)


def settled_inputs(inputs: list[str], previous: dict[Path, tuple[int, int]],
                   config: RunConfig) -> tuple[list[Path], dict]:
    """Inputs whose size and modification time did not change since the last poll."""
    try:
        paths = collect_inputs(inputs, config.follow_links, [])
    except UsageError:
        return [], {}
    now = {}
    for p in paths:
        try:
            st = p.stat()
        except OSError:
            continue
        now[p] = (st.st_size, st.st_mtime_ns)
    return [p for p in now if previous.get(p) == now[p]], now


def watch(inputs: list[str], reference: str | Sequence[str], out_dir: str, config: RunConfig,
          interval: float = 10.0, max_polls: int | None = None,
          on_run: Callable[[RunResult, float], None] | None = None,
          sleep: Callable[[float], None] = time.sleep) -> None:
    previous: dict[Path, tuple[int, int]] = {}
    polls = 0
    while max_polls is None or polls < max_polls:
        ready, previous = settled_inputs(inputs, previous, config)
        if ready:
            log.info("poll %d: %d settled inputs", polls + 1, len(ready))
            started = time.perf_counter()
            result = run(ready, reference, out_dir, config)
            if on_run:
                on_run(result, time.perf_counter() - started)
        polls += 1
        if max_polls is None or polls < max_polls:
            sleep(interval)
