"""Where the per-file and per-page-range work runs.

`LocalExecutor` is a pool of processes on this machine, recycled every
`max_tasks_per_child` tasks so that memory cannot creep over a long batch.
`DaskExecutor` sends the same tasks to a Dask distributed cluster
(`--engine dask --address tcp://scheduler:8786`); it needs the optional
`dask` extra.  Both yield results in completion order.

Dask rather than Ray: the workload is many independent, CPU-bound tasks of
seconds each (OCR of a few pages) with small inputs and outputs; Dask's
`Client.submit`/`as_completed` maps onto it one to one, its workers are
plain processes that run our functions with our installed package, and a
`LocalCluster` gives tests a real scheduler without any service to install.
"""
from __future__ import annotations

import contextlib
import logging
import os
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from typing import Any, Protocol

from .errors import UsageError

log = logging.getLogger(__name__)

Task = tuple[Callable[..., Any], tuple]


@dataclass(frozen=True)
class Crashed:
    """The result of a task whose worker process died (out of memory, or a
    native library crashing on a damaged file)."""

    reason: str


def _limit_memory(megabytes: int) -> None:
    """Worker initializer: cap the process's heap so that a decompression
    bomb fails that one file instead of exhausting the machine."""
    import resource

    limit = megabytes * 1024 * 1024
    with contextlib.suppress(ValueError, OSError):  # not permitted here: run without the cap
        resource.setrlimit(resource.RLIMIT_DATA, (limit, limit))


class Executor(Protocol):
    workers: int

    def run(self, tasks: list[Task]) -> Iterator[tuple[int, Any]]:
        """Run every task; yield (task index, result) as each finishes."""

    def close(self) -> None: ...


class InlineExecutor:
    """Runs tasks one after the other in this process (one worker, tests)."""

    workers = 1

    def run(self, tasks: list[Task]) -> Iterator[tuple[int, Any]]:
        for index, (fn, args) in enumerate(tasks):
            yield index, fn(*args)

    def close(self) -> None:
        pass


class LocalExecutor:
    def __init__(self, workers: int, max_tasks_per_child: int = 50, memory_mb: int = 1536):
        self.workers = max(1, workers)
        self.max_tasks_per_child = max_tasks_per_child
        self.memory_mb = memory_mb
        # One Tesseract thread per process: parallelism comes from processes.
        os.environ.setdefault("OMP_THREAD_LIMIT", "1")
        self._pool = self._new_pool(self.workers)

    def _new_pool(self, workers: int) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(max_workers=workers, max_tasks_per_child=self.max_tasks_per_child,
                                   initializer=_limit_memory, initargs=(self.memory_mb,))

    def run(self, tasks: list[Task]) -> Iterator[tuple[int, Any]]:
        pending: dict[Future, int] = {}
        queue = list(enumerate(tasks))
        queue.reverse()
        # Keep at most two tasks per worker queued, so results stream back and
        # a crash loses only the tasks in flight.
        while queue or pending:
            while queue and len(pending) < 2 * self.workers:
                index, (fn, args) = queue.pop()
                pending[self._pool.submit(fn, *args)] = index
            done, _ = wait(pending, return_when=FIRST_COMPLETED)
            try:
                for future in done:
                    result = future.result()
                    yield pending.pop(future), result
            except BrokenProcessPool:
                in_flight = sorted(pending.values())
                log.warning("a worker process died; re-running its %d tasks one at a time to find "
                            "the file that killed it", len(in_flight))
                pending.clear()
                self._pool.shutdown(wait=False, cancel_futures=True)
                yield from self._one_by_one(in_flight, tasks)
                self._pool = self._new_pool(self.workers)

    def _one_by_one(self, indexes: list[int], tasks: list[Task]) -> Iterator[tuple[int, Any]]:
        """After a worker died, run each task that was in flight alone, to find the culprit."""
        for index in indexes:
            fn, args = tasks[index]
            pool = self._new_pool(1)
            try:
                yield index, pool.submit(fn, *args).result()
            except BrokenProcessPool:
                yield index, Crashed("the worker reading this file died: it reached the memory "
                                     "limit (a decompression bomb?) or a library crashed on "
                                     "damaged data")
            finally:
                pool.shutdown(wait=False, cancel_futures=True)

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)


class DaskExecutor:
    def __init__(self, address: str | None):
        try:
            from distributed import Client
        except ImportError as exc:
            raise UsageError("--engine dask needs the dask extra: pip install 'plandiff[dask]'") from exc
        if not address:
            raise UsageError("--engine dask needs --address tcp://scheduler:port")
        try:
            self._client = Client(address, timeout="20s")
        except (OSError, TimeoutError) as exc:
            raise UsageError(f"cannot reach the Dask scheduler at {address}: {exc}") from exc
        self.workers = max(1, sum(self._client.nthreads().values()))

    def run(self, tasks: list[Task]) -> Iterator[tuple[int, Any]]:
        from distributed import as_completed

        futures = {self._client.submit(fn, *args, pure=False): index
                   for index, (fn, args) in enumerate(tasks)}
        for future in as_completed(futures):
            yield futures[future], future.result()

    def close(self) -> None:
        self._client.close()


def make_executor(engine: str, workers: int, address: str | None = None,
                  isolate: bool = True) -> Executor:
    if engine == "dask":
        return DaskExecutor(address)
    if engine != "local":
        raise UsageError(f"unknown engine {engine!r} (local or dask)")
    workers = workers or os.cpu_count() or 1
    if workers == 1 and not isolate:
        return InlineExecutor()
    return LocalExecutor(workers)
