"""A run's tables in memory, reloaded when a run rewrites them.

The workbench reads `documents`, `items` and `alignments` once and answers
every page from memory.  A run may rewrite the tables while it is open; each
table is replaced atomically, but one after the other, so a reader can catch
new documents with old alignments.  A snapshot is accepted only when

* the files' stamps (inode, size, mtime_ns) are the same before and after
  reading them: nothing was replaced during the load, and
* the files were written in the order `write_outputs` writes them (each
  table's mtime no earlier than the one written before it), unless the newest
  is older than SETTLE_SECONDS: a run caught between two tables leaves the
  early ones newer than the late ones, while a folder copied without its
  times (which breaks the order for good) is accepted once it is quiet.

Until a consistent snapshot loads, the previous one keeps being served.
"""
from __future__ import annotations

import logging
import os
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from plandiff.align import Alignment, PairScores, pair_scores
from plandiff.decisions import document_keys
from plandiff.errors import UsageError
from plandiff.outputs import DECISIONS_THROUGH, TABLE_NAMES
from plandiff.parse import PlanDocument
from plandiff.rows import alignment_from_row, plan_from_rows
from plandiff.storage import DATA_FILE
from plandiff.tables import DocumentRole, DocumentStatus

log = logging.getLogger(__name__)

TABLES_READ = ("documents", "items", "alignments")
CONFIDENCE_COLUMN = "confidence"
RETRY_SECONDS = 0.2          # wait between two attempts at a consistent load
ATTEMPTS_PER_REQUEST = 1     # a request tries once, then serves the previous snapshot (never waits on a run)
INITIAL_ATTEMPTS = 50        # at start there is no previous snapshot: wait up to ~10 s for a run to finish
SETTLE_SECONDS = 10.0        # a write order broken for longer than this is a copied folder, not a run
MAX_SCORE_CACHE = 256        # plans whose pair scores are kept (~0.4 MB each for 100 x 100 items)
MAX_VIEW_CACHE = 256         # plans whose rows with decisions applied are kept (~0.7 MB each)

Stamp = tuple[int, int, int] | None     # (inode, size, mtime_ns); None: the file is missing
Stamps = tuple[Stamp, ...]


def table_path(out_dir: Path, name: str) -> Path:
    return out_dir / name / DATA_FILE


def read_stamps(out_dir: Path) -> Stamps:
    """The stamps of every table, in the order a run writes them."""
    stamps: list[Stamp] = []
    for name in TABLE_NAMES:
        try:
            st = os.stat(table_path(out_dir, name))
        except OSError:
            stamps.append(None)
            continue
        stamps.append((st.st_ino, st.st_size, st.st_mtime_ns))
    return tuple(stamps)


def mid_write(stamps: Stamps, now_ns: int | None = None) -> bool:
    """True when the stamps look like a run caught between two tables."""
    wanted = [s for name, s in zip(TABLE_NAMES, stamps, strict=True) if name in TABLES_READ]
    if any(s is None for s in wanted):
        return True
    mtimes = [s[2] for s in stamps if s is not None]
    in_order = all(a <= b for a, b in zip(mtimes, mtimes[1:], strict=False))
    if in_order:
        return False
    now_ns = time.time_ns() if now_ns is None else now_ns
    return now_ns - max(mtimes) < SETTLE_SECONDS * 1e9


class InconsistentTables(Exception):
    """The tables changed while they were read, or a run is writing them."""


class RowsByDoc:
    """One table's rows grouped by `doc_id`, turned into dicts only when a document is asked for:
    converting a 1,000-plan table to Python at once takes seconds, one plan's rows a millisecond."""

    def __init__(self, table: pa.Table) -> None:
        self._table = table
        self._where: dict[str, list[int]] = {}
        for n, doc_id in enumerate(table.column("doc_id").to_pylist()):
            self._where.setdefault(doc_id, []).append(n)
        self._rows: dict[str, list[dict]] = {}
        self._lock = threading.Lock()

    @property
    def columns(self) -> list[str]:
        return self._table.column_names

    def doc_ids(self) -> list[str]:
        return list(self._where)

    def column(self, name: str) -> dict[str, list]:
        """doc_id -> that column's values, for a whole-table summary."""
        values = self._table.column(name).to_pylist()
        return {doc_id: [values[n] for n in where] for doc_id, where in self._where.items()}

    def get(self, doc_id: str) -> list[dict]:
        with self._lock:
            rows = self._rows.get(doc_id)
        if rows is not None:
            return rows
        where = self._where.get(doc_id, [])
        if not where:
            rows = []
        elif where[-1] - where[0] + 1 == len(where):      # a run writes each document's rows together
            rows = self._table.slice(where[0], len(where)).to_pylist()
        else:
            rows = self._table.take(pa.array(where, type=pa.int64())).to_pylist()
        with self._lock:
            self._rows[doc_id] = rows
        return rows


@dataclass
class Snapshot:
    """One consistent reading of the tables, indexed by document."""
    out_dir: Path
    stamps: Stamps
    generation: int
    documents: dict[str, dict]                 # doc_id -> documents row
    items: RowsByDoc                           # doc_id -> items rows
    alignment_rows: RowsByDoc                  # plan doc_id -> alignments rows
    reference_id: str | None
    plan_ids: list[str]                        # plans that were read, by file name
    has_confidence: bool
    state_counts: dict[str, dict[str, int]]    # plan doc_id -> review_state -> rows, as the run wrote them
    decisions_through: int = 0                 # the run applied every decision up to this decision_id
    _docs: dict[str, PlanDocument] = field(default_factory=dict, repr=False)
    _rows: dict[str, list[Alignment]] = field(default_factory=dict, repr=False)
    _scores: dict[str, PairScores] = field(default_factory=dict, repr=False)
    _keys: dict[str, dict[str, str]] = field(default_factory=dict, repr=False)
    _computing: dict[str, threading.Lock] = field(default_factory=dict, repr=False)
    # Per-plan views with the decisions applied (plandiff.review.workbench); they live and
    # die with the snapshot, so a reload never serves a view of the old tables.
    views: OrderedDict[str, tuple] = field(default_factory=OrderedDict, repr=False)   # doc_id -> (key, view), LRU
    counts: dict[str, tuple] = field(default_factory=dict, repr=False)                # doc_id -> (key, counts)
    lock: threading.RLock = field(default_factory=threading.RLock, repr=False)

    def __post_init__(self) -> None:
        self._plan_set = frozenset(self.plan_ids)

    def cached_view(self, doc_id: str, key: tuple) -> object | None:
        with self.lock:
            cached = self.views.get(doc_id)
            if cached is None or cached[0] != key:
                return None
            self.views.move_to_end(doc_id)
            return cached[1]

    def remember_view(self, doc_id: str, key: tuple, view: object, counts: object) -> None:
        """Keep a plan's view (the MAX_VIEW_CACHE most recent) and its counts (all: they are small,
        and the plans page needs every plan's)."""
        with self.lock:
            self.views[doc_id] = (key, view)
            self.views.move_to_end(doc_id)
            while len(self.views) > MAX_VIEW_CACHE:
                self.views.popitem(last=False)
            self.counts[doc_id] = (key, counts)

    def cached_counts(self, doc_id: str, key: tuple) -> object | None:
        with self.lock:
            cached = self.counts.get(doc_id)
        return cached[1] if cached is not None and cached[0] == key else None

    def is_plan(self, doc_id: str) -> bool:
        return doc_id in self._plan_set

    def document(self, doc_id: str) -> PlanDocument:
        with self.lock:
            doc = self._docs.get(doc_id)
        if doc is None:
            doc = plan_from_rows(self.documents[doc_id], self.items.get(doc_id))
            with self.lock:
                doc = self._docs.setdefault(doc_id, doc)
        return doc

    def keys(self, doc_id: str) -> dict[str, str]:
        """item_id -> content key (`document_keys`): tens of milliseconds a plan, so computed
        only when a decision needs them, and once."""
        with self.lock:
            keys = self._keys.get(doc_id)
        if keys is None:
            keys = document_keys(self.document(doc_id))
            with self.lock:
                keys = self._keys.setdefault(doc_id, keys)
        return keys

    def reference(self) -> PlanDocument:
        """The run's first reference (the only one before routing)."""
        if self.reference_id is None:
            raise UsageError(f"{self.out_dir} has no reference plan in its documents table")
        return self.document(self.reference_id)

    def parent_id(self, doc_id: str) -> str:
        """The document a plan was checked against: its `reference_doc_id` (a reference, the
        inferred reference, or another plan of the batch), else the run's reference (tables
        written before a run could take a library of references)."""
        parent = self.documents.get(doc_id, {}).get("reference_doc_id")
        if parent and parent in self.documents and parent != doc_id:
            return parent
        if self.reference_id is None:
            raise UsageError(f"{self.out_dir} has no reference plan in its documents table")
        return self.reference_id

    def parent(self, doc_id: str) -> PlanDocument:
        """The plan's parent, read like any document (a plan of the batch has its items too)."""
        return self.document(self.parent_id(doc_id))

    def machine_rows(self, doc_id: str) -> list[Alignment]:
        """The plan's rows as the run wrote them."""
        with self.lock:
            rows = self._rows.get(doc_id)
        if rows is None:
            rows = [alignment_from_row(r) for r in self.alignment_rows.get(doc_id)]
            with self.lock:
                rows = self._rows.setdefault(doc_id, rows)
        return rows

    def confidence(self, doc_id: str) -> dict[tuple[str | None, str | None], float | None] | None:
        """(reference item, plan item) -> confidence, when the table has the column."""
        if not self.has_confidence:
            return None
        return {(r["reference_item_id"], r["item_id"]): r.get(CONFIDENCE_COLUMN)
                for r in self.alignment_rows.get(doc_id)}

    def scores(self, doc_id: str) -> PairScores:
        """Every pair's scores between a plan's parent and the plan (computed once per snapshot)."""
        with self.lock:
            cached = self._scores.get(doc_id)
            if cached is not None:
                return cached
            computing = self._computing.setdefault(doc_id, threading.Lock())
        # One lock per plan: another plan's page need not wait for this one, and a page
        # asking while the warm-up computes the same plan waits for it instead of redoing it.
        with computing:
            with self.lock:
                cached = self._scores.get(doc_id)
            if cached is not None:
                return cached
            scores = pair_scores(self.parent(doc_id), self.document(doc_id))
            with self.lock:
                if len(self._scores) >= MAX_SCORE_CACHE:
                    self._scores.pop(next(iter(self._scores)))
                self._scores[doc_id] = scores
                self._computing.pop(doc_id, None)
        return scores


def load_snapshot(out_dir: Path, generation: int) -> Snapshot:
    """Read the tables once; InconsistentTables if they moved underneath."""
    before = read_stamps(out_dir)
    if mid_write(before):
        raise InconsistentTables("a run is writing the tables")
    tables: dict[str, pa.Table] = {}
    for name in TABLES_READ:
        try:
            tables[name] = pq.read_table(table_path(out_dir, name))
        except (OSError, pa.ArrowInvalid) as exc:
            raise InconsistentTables(f"cannot read {name}: {exc}") from exc
    if read_stamps(out_dir) != before:
        raise InconsistentTables("the tables changed while they were read")

    documents = {row["doc_id"]: row for row in tables["documents"].to_pylist()}
    items = RowsByDoc(tables["items"])
    alignments = RowsByDoc(tables["alignments"])
    counts: dict[str, dict[str, int]] = {}
    if "review_state" in alignments.columns:
        for doc_id, states in alignments.column("review_state").items():
            per_state = counts.setdefault(doc_id, {})
            for state in states:
                per_state[state or "unreviewed"] = per_state.get(state or "unreviewed", 0) + 1
    else:
        # Tables of a run before reviews existed: every row is still to review.
        counts = {d: {"unreviewed": len(v)} for d, v in alignments.column("doc_id").items()}
    # The fallback parent of plans without `reference_doc_id`: a reference that was read first.
    references = sorted((d for d in documents.values()
                         if d["role"] in (DocumentRole.REFERENCE, DocumentRole.INFERRED_REFERENCE)),
                        key=lambda d: d["status"] != DocumentStatus.OK)
    plans = [d for d in documents.values()
             if d["role"] == DocumentRole.PLAN and d["status"] == DocumentStatus.OK]
    plans.sort(key=lambda d: (d.get("source_path") or "~", d["doc_id"]))
    log.info("loaded %s: %d plans, %d items, %d verdict rows", out_dir, len(plans), tables["items"].num_rows,
             tables["alignments"].num_rows)
    return Snapshot(out_dir=out_dir, stamps=before, generation=generation, documents=documents, items=items,
                    alignment_rows=alignments, reference_id=references[0]["doc_id"] if references else None,
                    plan_ids=[d["doc_id"] for d in plans],
                    has_confidence=CONFIDENCE_COLUMN in alignments.columns, state_counts=counts,
                    decisions_through=_decisions_through(tables["alignments"]))


def _decisions_through(table: pa.Table) -> int:
    """The last decision the run that wrote the table applied (0: none, or an older plandiff)."""
    raw = (table.schema.metadata or {}).get(DECISIONS_THROUGH.encode(), b"0")
    try:
        return int(raw)
    except ValueError:
        return 0


class Tables:
    """The current snapshot of one output folder, kept up to date on each request."""

    def __init__(self, out_dir: str | Path, loader: Callable[[Path, int], Snapshot] = load_snapshot,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        self.out_dir = Path(out_dir)
        self._loader = loader
        self._sleep = sleep
        self._reload = threading.Lock()
        self._failed_at = 0.0      # monotonic time of the last failed reload: wait RETRY_SECONDS after it
        if not self.out_dir.is_dir():
            raise UsageError(f"{self.out_dir} is not a folder of plandiff results",
                             vi=f"{self.out_dir} không phải thư mục kết quả của plandiff")
        missing = [n for n in TABLES_READ if not table_path(self.out_dir, n).is_file()]
        if missing:
            raise UsageError(f"{self.out_dir} has no plandiff tables ({', '.join(missing)} missing); "
                             f"run `plandiff run` first",
                             vi=f"{self.out_dir} không có bảng kết quả của plandiff (thiếu {', '.join(missing)})")
        first = self._attempt(generation=1, attempts=INITIAL_ATTEMPTS)
        if first is None:
            raise UsageError(f"the tables in {self.out_dir} keep changing or cannot be read; try again "
                             "when the run has finished")
        self._current: Snapshot = first

    def _attempt(self, generation: int, attempts: int) -> Snapshot | None:
        for n in range(attempts):
            if n:
                self._sleep(RETRY_SECONDS)
            try:
                return self._loader(self.out_dir, generation)
            except InconsistentTables as exc:
                log.info("tables of %s not loaded yet (%s); attempt %d of %d", self.out_dir, exc, n + 1, attempts)
        return None

    def current(self) -> Snapshot:
        """The newest consistent snapshot: reloaded first when the files changed."""
        snap = self._current
        if read_stamps(self.out_dir) == snap.stamps:
            return snap
        if time.monotonic() - self._failed_at < RETRY_SECONDS:
            return snap      # a run is still writing: do not make every request wait for it
        # One request reloads; the others go on with the previous snapshot meanwhile.
        if not self._reload.acquire(blocking=False):
            return self._current
        try:
            snap = self._current
            if read_stamps(self.out_dir) != snap.stamps:
                new = self._attempt(snap.generation + 1, ATTEMPTS_PER_REQUEST)
                if new is None:
                    self._failed_at = time.monotonic()
                else:
                    self._current = new
                    log.info("reloaded the tables of %s (generation %d)", self.out_dir, new.generation)
            return self._current
        finally:
            self._reload.release()
