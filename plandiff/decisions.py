"""Reviewer decisions: recorded once, applied to every later run.

A reviewer looks at one verdict row (a pair, a dropped reference item or an
added plan item) and says what it should be: the same verdict (confirm), the
item paired with another one, dropped, added, or with other changed fields.
Each decision is appended to a SQLite database in the output folder
(`OUT/decisions.sqlite`, WAL mode, one transaction per decision); nothing in
it is ever updated or deleted, so the history of every row is kept.

Decisions are keyed by content, not by row ids: the plan by the SHA-256 of
its file (and, to follow a file edited in place, its path), each item by a
hash of its text (`item_keys`).  A decision therefore survives re-runs, a
re-ordered plan and edits elsewhere in the plan.  When an item it names is
gone (its text was edited), the decision is *stale*: it is not applied, and
the rows of its surviving items say so, for a reviewer to look again.

`apply_decisions` turns the machine's verdict rows of one plan into the rows a
reader sees; `plandiff run`, the workbench and `plandiff decide` all go
through it.
"""
from __future__ import annotations

import enum
import functools
import hashlib
import json
import logging
import sqlite3
import uuid
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path

from plandiff.align import AlignConfig, Alignment, Status, alignable, pair_row, pair_scores
from plandiff.align.model import CHANGE_FIELDS, DecisionRule, Relation
from plandiff.ingest.textnorm import compare_key
from plandiff.parse import PlanDocument
from plandiff.parse.model import Item

from .atomic import atomic_write_bytes
from .errors import StorageError, UsageError

log = logging.getLogger(__name__)

DB_FILE = "decisions.sqlite"
DB_SCHEMA_VERSION = 1
# The confidence of a row left without a counterpart by a reviewer's pairing: a coin toss.
ORPHAN_CONFIDENCE = 0.5
EXPORT_FORMAT = "plandiff-decisions"
EXPORT_VERSION = 1
MAX_IMPORT_BYTES = 50_000_000     # an import file larger than this is refused unread
MAX_NOTE_CHARS = 4_000
MAX_REVIEWER_CHARS = 200
BUSY_TIMEOUT_MS = 30_000          # a second reviewer's write waits this long for the first
KEY_CHARS = 20                    # hex digits of an item key's hash


class ReviewState(enum.StrEnum):
    """Where a verdict row stands with the reviewers."""
    UNREVIEWED = "unreviewed"
    REVIEWED = "reviewed"       # a reviewer's decision settles the row
    STALE = "stale"             # a decision named this row's item, but an item it names changed


# ---------------------------------------------------------------- content keys

@functools.lru_cache(maxsize=1 << 16)   # a run's texts repeat the reference's; keys are asked per view
def text_key(text: str) -> str:
    """Hash of an item's text in the project's comparison form (NFC, one tone
    convention, lower case, collapsed whitespace): cosmetic differences keep the key."""
    return hashlib.sha256(compare_key(text).encode()).hexdigest()[:KEY_CHARS]


def item_keys(items: Iterable[tuple[str, str]]) -> dict[str, str]:
    """item_id -> content key, for one document's (item_id, full text) in reading order.

    Items with the same text get the key of the text and their rank among
    those items (`…~2`), so the key of one never moves to the other."""
    seen: dict[str, int] = {}
    keys = {}
    for item_id, text in items:
        base = text_key(text)
        seen[base] = seen.get(base, 0) + 1
        keys[item_id] = base if seen[base] == 1 else f"{base}~{seen[base]}"
    return keys


def document_keys(plan: PlanDocument) -> dict[str, str]:
    return item_keys((it.item_id, it.full_text) for it in plan.items)


# ---------------------------------------------------------------- the record

@dataclass(frozen=True)
class Decision:
    """What a reviewer said of one verdict row.

    The *subject* is the row they looked at (its items' keys and its verdict);
    the *outcome* is what the row should be: `reference_key` and `plan_key`
    paired with `status` carried or modified, or one of them alone, dropped or
    added.  A later decision on the same subject of the same plan replaces it.
    """
    plan_sha256: str
    reference_key: str | None
    plan_key: str | None
    status: Status
    reviewer: str
    plan_path: str | None = None
    reference_sha256: str | None = None       # None: an inferred reference
    subject_reference_key: str | None = None
    subject_plan_key: str | None = None
    before_status: Status | None = None
    changes: tuple[str, ...] | None = None    # the changed fields as corrected; None: as computed
    note: str = ""
    reference_text: str = ""                  # the items' texts when decided, to show a stale one
    plan_text: str = ""
    decided_at: str = ""                      # ISO 8601, UTC; set by the store
    uid: str = ""                             # unique over every copy of every store; set by the store
    decision_id: int | None = None            # row number in this store

    @property
    def subject(self) -> tuple[str | None, str | None]:
        return self.subject_reference_key, self.subject_plan_key

    def check(self) -> Decision:
        """The decision, or UsageError saying what is wrong with it."""
        status = Status(self.status)
        if status in (Status.CARRIED, Status.MODIFIED) and not (self.reference_key and self.plan_key):
            raise UsageError(f"a {status} verdict needs both a reference item and a plan item")
        if status is Status.DROPPED and (not self.reference_key or self.plan_key):
            raise UsageError("a dropped verdict names a reference item and no plan item")
        if status is Status.ADDED and (self.reference_key or not self.plan_key):
            raise UsageError("an added verdict names a plan item and no reference item")
        if not self.reviewer.strip() or len(self.reviewer) > MAX_REVIEWER_CHARS:
            raise UsageError(f"the reviewer's name must be 1 to {MAX_REVIEWER_CHARS} characters")
        if len(self.note) > MAX_NOTE_CHARS:
            raise UsageError(f"the note is longer than {MAX_NOTE_CHARS} characters")
        bad = set(self.changes or ()) - set(CHANGE_FIELDS)
        if bad:
            raise UsageError(f"unknown changed fields {sorted(bad)} (allowed: {', '.join(CHANGE_FIELDS)})")
        if self.changes is not None and status is Status.CARRIED and set(self.changes) - {"text"}:
            raise UsageError("a carried verdict has no changed attributes; use modified")
        return replace(self, status=status,
                       before_status=Status(self.before_status) if self.before_status else None,
                       changes=tuple(sorted(set(self.changes), key=CHANGE_FIELDS.index))
                       if self.changes is not None else None)


_COLUMNS = ("uid", "plan_sha256", "plan_path", "reference_sha256", "subject_reference_key",
            "subject_plan_key", "before_status", "reference_key", "plan_key", "status", "changes",
            "note", "reference_text", "plan_text", "reviewer", "decided_at")

_SCHEMA = f"""
CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS decisions (
    decision_id INTEGER PRIMARY KEY AUTOINCREMENT,
    uid TEXT NOT NULL UNIQUE,
    plan_sha256 TEXT NOT NULL,
    plan_path TEXT,
    reference_sha256 TEXT,
    subject_reference_key TEXT,
    subject_plan_key TEXT,
    before_status TEXT,
    reference_key TEXT,
    plan_key TEXT,
    status TEXT NOT NULL CHECK (status IN ({", ".join(repr(s.value) for s in Status)})),
    changes TEXT,
    note TEXT NOT NULL DEFAULT '',
    reference_text TEXT NOT NULL DEFAULT '',
    plan_text TEXT NOT NULL DEFAULT '',
    reviewer TEXT NOT NULL,
    decided_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS decisions_plan ON decisions (plan_sha256);
CREATE INDEX IF NOT EXISTS decisions_path ON decisions (plan_path);
-- The history is append-only: a changed mind is a new decision.
CREATE TRIGGER IF NOT EXISTS decisions_no_update BEFORE UPDATE ON decisions
    BEGIN SELECT RAISE(ABORT, 'decisions are append-only'); END;
CREATE TRIGGER IF NOT EXISTS decisions_no_delete BEFORE DELETE ON decisions
    BEGIN SELECT RAISE(ABORT, 'decisions are append-only'); END;
"""


def now_utc() -> str:
    return datetime.now(UTC).isoformat(timespec="microseconds")


class DecisionStore:
    """The decisions of one output folder.

    Every call opens its own connection, so one store can serve many threads
    (the workbench) and many processes (two reviewers, a run) at once; SQLite's
    WAL journal lets readers go on while one writer commits.
    """

    def __init__(self, out_dir: str | Path, create: bool = True):
        self.path = Path(out_dir) / DB_FILE
        if not create and not self.path.exists():
            raise UsageError(f"{out_dir} has no recorded decisions ({DB_FILE})")
        if create:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._connect() as con:
            con.executescript(_SCHEMA)
            con.execute("INSERT OR IGNORE INTO meta VALUES ('schema_version', ?)", (str(DB_SCHEMA_VERSION),))
            version = con.execute("SELECT value FROM meta WHERE name = 'schema_version'").fetchone()[0]
        if int(version) > DB_SCHEMA_VERSION:
            raise StorageError(f"{self.path} was written by a newer plandiff (schema {version})")

    @staticmethod
    def exists(out_dir: str | Path) -> bool:
        return (Path(out_dir) / DB_FILE).is_file()

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        try:
            con = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
        except sqlite3.Error as exc:
            raise StorageError(f"cannot open {self.path}: {exc}") from exc
        try:
            con.execute("PRAGMA journal_mode=WAL")
            con.execute("PRAGMA synchronous=FULL")   # a committed decision survives a power cut
            con.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
            yield con
        except sqlite3.Error as exc:
            raise StorageError(f"decisions database {self.path}: {exc}") from exc
        finally:
            con.close()

    def record(self, decision: Decision) -> Decision:
        """Append one decision (checked) in its own transaction; returns it as stored."""
        decision = decision.check()
        stored = replace(decision, decided_at=decision.decided_at or now_utc(),
                         uid=decision.uid or uuid.uuid4().hex)
        with self._connect() as con:
            con.execute("BEGIN IMMEDIATE")
            try:
                cur = _insert(con, stored)
                con.execute("COMMIT")
            except BaseException:
                con.execute("ROLLBACK")
                raise
        log.info("decision %s by %s: %s", cur.lastrowid, stored.reviewer, stored.status)
        return replace(stored, decision_id=cur.lastrowid)

    def history(self, plan_sha256s: Sequence[str] = (), plan_paths: Sequence[str] = ()) -> list[Decision]:
        """Every decision, oldest first; only those of the given plans when some are named."""
        sql = f"SELECT decision_id, {', '.join(_COLUMNS)} FROM decisions"
        args: list[str] = []
        if plan_sha256s or plan_paths:
            where = []
            if plan_sha256s:
                where.append(f"plan_sha256 IN ({', '.join('?' * len(plan_sha256s))})")
                args += plan_sha256s
            if plan_paths:
                where.append(f"plan_path IN ({', '.join('?' * len(plan_paths))})")
                args += plan_paths
            sql += " WHERE " + " OR ".join(where)
        with self._connect() as con:
            rows = con.execute(sql + " ORDER BY decided_at, decision_id", args).fetchall()
        return [_decision(row) for row in rows]

    def digest(self) -> str:
        """Changes whenever a decision is added (part of a run's fingerprint)."""
        with self._connect() as con:
            count, last = con.execute("SELECT count(*), max(decision_id) FROM decisions").fetchone()
        return f"{count}:{last}"

    def uids(self) -> set[str]:
        with self._connect() as con:
            return {row[0] for row in con.execute("SELECT uid FROM decisions")}

    def record_many(self, decisions: Sequence[Decision]) -> int:
        """Append several checked decisions in one transaction (an import)."""
        with self._connect() as con:
            con.execute("BEGIN IMMEDIATE")
            try:
                for d in decisions:
                    _insert(con, d)
                con.execute("COMMIT")
            except BaseException:
                con.execute("ROLLBACK")
                raise
        return len(decisions)


def _insert(con: sqlite3.Connection, d: Decision) -> sqlite3.Cursor:
    return con.execute(f"INSERT INTO decisions ({', '.join(_COLUMNS)}) VALUES ({', '.join('?' * len(_COLUMNS))})",
                       _values(d))


def _values(d: Decision) -> tuple:
    return (d.uid, d.plan_sha256, d.plan_path, d.reference_sha256, d.subject_reference_key,
            d.subject_plan_key, d.before_status and d.before_status.value, d.reference_key, d.plan_key,
            d.status.value, None if d.changes is None else json.dumps(list(d.changes)), d.note,
            d.reference_text, d.plan_text, d.reviewer, d.decided_at)


def _decision(row: tuple) -> Decision:
    values = dict(zip(("decision_id", *_COLUMNS), row, strict=True))
    changes = values.pop("changes")
    before = values.pop("before_status")
    return Decision(**values | {"status": Status(values["status"])},
                    changes=None if changes is None else tuple(json.loads(changes)),
                    before_status=Status(before) if before else None)


# ---------------------------------------------------------------- which decisions hold

def current(decisions: Iterable[Decision]) -> list[Decision]:
    """The decisions in force: the latest on each subject, oldest first."""
    latest: dict[tuple[str | None, str | None], Decision] = {}
    for d in sorted(decisions, key=lambda d: (d.decided_at, d.decision_id or 0)):
        latest[d.subject] = d
    return sorted(latest.values(), key=lambda d: (d.decided_at, d.decision_id or 0))


def plan_decisions(history: Iterable[Decision], sha256: str | None, path: str | None) -> list[Decision]:
    """The decisions in force for one plan: made on this file's content, or on an
    earlier version of the file at the same path."""
    mine = [d for d in history if (sha256 and d.plan_sha256 == sha256)
            or (path and d.plan_path == path)]
    return current(mine)


@dataclass(frozen=True)
class Applied:
    """A decision in force, with the ids its item keys resolve to in the present run."""
    decision: Decision
    reference_item_id: str | None
    plan_item_id: str | None
    subject: tuple[str | None, str | None]   # ids of the row the reviewer looked at


@dataclass
class Resolved:
    """A plan's decisions against its present items."""
    applied: list[Applied] = field(default_factory=list)
    stale: list[Decision] = field(default_factory=list)
    stale_items: set[str] = field(default_factory=set)   # present items a stale decision names


def resolve(decisions: Sequence[Decision], reference_keys: dict[str, str],
            plan_keys: dict[str, str]) -> Resolved:
    """Match decisions to present items by key (key -> item_id maps of the
    alignable items); a decision naming an item that is no longer there is stale.
    Of two decisions in force that disagree about an item, the later wins."""
    out = Resolved()
    for d in decisions:
        ref = reference_keys.get(d.reference_key) if d.reference_key else None
        item = plan_keys.get(d.plan_key) if d.plan_key else None
        subject_ref = reference_keys.get(d.subject_reference_key) if d.subject_reference_key else None
        subject_item = plan_keys.get(d.subject_plan_key) if d.subject_plan_key else None
        gone = (d.reference_key and ref is None) or (d.plan_key and item is None) \
            or (d.subject_reference_key and subject_ref is None) \
            or (d.subject_plan_key and subject_item is None)
        if gone:
            out.stale.append(d)
            out.stale_items.update(x for x in (ref, item, subject_ref, subject_item) if x)
            continue
        # A decision made after a stale one settles the rows of its items again.
        out.stale_items -= {x for x in (ref, item, subject_ref, subject_item) if x}
        # A later decision overrides earlier ones it contradicts: a verdict alone
        # (dropped/added) against a pair with the same item, either way round.
        # Two pairs sharing an item stand together: a split or a merge.
        alone = item is None or ref is None
        out.applied = [e for e in out.applied
                       if not ((ref is not None and e.reference_item_id == ref
                                or item is not None and e.plan_item_id == item)
                               and (alone or e.reference_item_id is None or e.plan_item_id is None))]
        out.applied.append(Applied(d, ref, item, (subject_ref, subject_item)))
    return out


# ---------------------------------------------------------------- applying them

def apply_decisions(rows: list[Alignment], reference: PlanDocument, plan: PlanDocument,
                    decisions: Sequence[Decision], config: AlignConfig = AlignConfig()) -> list[Alignment]:
    """One plan's verdict rows with the reviewers' decisions in force applied.

    The rows a decision's items had are replaced by the decision's own row
    (`decided_by` reviewer); an item it leaves without any counterpart gets a
    dropped or added row (`decided_by` after_review).  Stale decisions are not
    applied; the rows of the items they name get `review_stale`."""
    if not decisions:
        return rows
    ref_items = alignable(reference)
    plan_items = alignable(plan)
    ref_keys = _alignable_keys(reference, ref_items)
    plan_keys = _alignable_keys(plan, plan_items)
    resolved = resolve(decisions, ref_keys, plan_keys)
    if resolved.stale:
        log.debug("%s: %d stale decisions (an item they name has changed)",
                  plan.source.source_path if plan.source else plan.doc_id, len(resolved.stale))
    replaced = _replaced_rows(rows, resolved.applied)
    kept = [a for a in rows if (a.reference_item_id, a.item_id) not in replaced]
    scores = None
    by_id_ref = {it.item_id: it for it in ref_items}
    by_id_plan = {it.item_id: it for it in plan_items}
    machine = {(a.reference_item_id, a.item_id): a for a in rows}
    decided: list[Alignment] = []
    for applied in resolved.applied:
        d, ref_id, item_id = applied.decision, applied.reference_item_id, applied.plan_item_id
        base = machine.get((ref_id, item_id))
        if base is None and ref_id and item_id:
            scores = scores or pair_scores(reference, plan, config)
            base = pair_row(reference, plan, scores, by_id_ref[ref_id], by_id_plan[item_id], config)
        if base is None:
            base = Alignment(reference.doc_id, ref_id, plan.doc_id, item_id, d.status, 0.0)
        decided.append(_decided_row(base, d))
    rows_out = _relations(kept + decided, {x for e in resolved.applied
                                           for x in (e.reference_item_id, e.plan_item_id) if x})
    rows_out += _orphans(reference, plan, ref_items, plan_items, rows_out)
    if resolved.stale_items:
        rows_out = [replace(a, review_stale=True)
                    if a.decided_by is not DecisionRule.REVIEWER
                    and (a.reference_item_id in resolved.stale_items or a.item_id in resolved.stale_items)
                    else a for a in rows_out]
    return _ordered(rows_out, ref_items, plan_items)


def _replaced_rows(rows: list[Alignment], applied: list[Applied]) -> set[tuple[str | None, str | None]]:
    """The machine rows the applied decisions replace.

    A decision replaces only what it addresses: the row the reviewer looked at,
    the dropped/added rows of the items it pairs, and, when it says an item has
    no counterpart, every pair of that item.  Other pairs of its items stand, so
    confirming one half of a split or merge keeps the other half."""
    out: set[tuple[str | None, str | None]] = set()
    pairs_of: dict[str, list[tuple[str | None, str | None]]] = {}
    for a in rows:
        if a.reference_item_id and a.item_id:
            pairs_of.setdefault(a.reference_item_id, []).append((a.reference_item_id, a.item_id))
            pairs_of.setdefault(a.item_id, []).append((a.reference_item_id, a.item_id))
    for e in applied:
        ref_id, item_id = e.reference_item_id, e.plan_item_id
        out.add(e.subject)
        out.add((ref_id, None))
        out.add((None, item_id))
        out.add((ref_id, item_id))
        alone = ref_id if item_id is None else item_id if ref_id is None else None
        if alone:
            out.update(pairs_of.get(alone, []))
    return out


def _alignable_keys(doc: PlanDocument, alignable_items: list[Item]) -> dict[str, str]:
    """key -> item_id over the alignable items (keys computed over the whole document)."""
    keys = document_keys(doc)
    return {keys[it.item_id]: it.item_id for it in alignable_items}


def _decided_row(base: Alignment, d: Decision) -> Alignment:
    status = Status(d.status)
    if d.changes is not None:
        changes = d.changes
    elif status is Status.CARRIED:
        changes = tuple(c for c in base.changes if c == "text")
    else:
        changes = base.changes
    pair = base.reference_item_id is not None and base.item_id is not None
    what = "confirmed" if d.before_status == status and d.subject == (d.reference_key, d.plan_key) \
        else "set"
    reason = f"{what} {status} by {d.reviewer} on {d.decided_at[:10]}" + (f": {d.note}" if d.note else "")
    return replace(base, status=status, changes=changes if pair else (), decided_by=DecisionRule.REVIEWER,
                   reason=reason, reviewer=d.reviewer, reviewed_at=d.decided_at,
                   review_note=d.note or None, review_stale=False,
                   confidence=1.0, needs_review=False,
                   score=base.score if pair else 0.0,
                   relation=(base.relation or Relation.ONE_TO_ONE) if pair else None,
                   candidate_item_id=None if pair else base.candidate_item_id,
                   candidate_score=None if pair else base.candidate_score)


def _relations(rows: list[Alignment], decided_items: set[str]) -> list[Alignment]:
    """Pairs that share an item with another pair are a split or a merge: set
    again on the pairs of the items decisions touched (the others keep the
    aligner's relation)."""
    pairs = [a for a in rows if a.reference_item_id and a.item_id]
    per_ref: dict[str, int] = {}
    per_plan: dict[str, int] = {}
    for a in pairs:
        per_ref[a.reference_item_id or ""] = per_ref.get(a.reference_item_id or "", 0) + 1
        per_plan[a.item_id or ""] = per_plan.get(a.item_id or "", 0) + 1
    out = []
    for a in rows:
        if a.reference_item_id and a.item_id and {a.reference_item_id, a.item_id} & decided_items:
            relation = Relation.SPLIT if per_ref[a.reference_item_id] > 1 else \
                Relation.MERGE if per_plan[a.item_id] > 1 else Relation.ONE_TO_ONE
            a = replace(a, relation=relation)
        out.append(a)
    return out


def _orphans(reference: PlanDocument, plan: PlanDocument, ref_items: list[Item], plan_items: list[Item],
             rows: list[Alignment]) -> list[Alignment]:
    """Dropped/added rows for items the decisions left with no row at all."""
    seen = {x for a in rows for x in (a.reference_item_id, a.item_id) if x}
    why = "its counterpart was paired elsewhere by a reviewer"
    # Nobody has judged these rows, and the aligner never rated them: a reviewer should look.
    out = [Alignment(reference.doc_id, it.item_id, plan.doc_id, None, Status.DROPPED, 0.0,
                     decided_by=DecisionRule.AFTER_REVIEW, reason=why,
                     confidence=ORPHAN_CONFIDENCE, needs_review=True)
           for it in ref_items if it.item_id not in seen]
    out += [Alignment(reference.doc_id, None, plan.doc_id, it.item_id, Status.ADDED, 0.0,
                      decided_by=DecisionRule.AFTER_REVIEW, reason=why,
                      confidence=ORPHAN_CONFIDENCE, needs_review=True)
            for it in plan_items if it.item_id not in seen]
    return out


def _ordered(rows: list[Alignment], ref_items: list[Item], plan_items: list[Item]) -> list[Alignment]:
    """Pairs in reference order, then dropped, then added, as the aligner gives them."""
    ref_rank = {it.item_id: n for n, it in enumerate(ref_items)}
    plan_rank = {it.item_id: n for n, it in enumerate(plan_items)}
    group = {Status.CARRIED: 0, Status.MODIFIED: 0, Status.DROPPED: 1, Status.ADDED: 2}

    def key(a: Alignment) -> tuple:
        return (group[a.status], ref_rank.get(a.reference_item_id or "", -1),
                plan_rank.get(a.item_id or "", -1))
    return sorted(rows, key=key)


def apply_to_run(out_dir: Path, parent_of: Mapping[str, PlanDocument], plans: Sequence[PlanDocument],
                 alignments: list[Alignment], config: AlignConfig = AlignConfig()) -> tuple[list[Alignment], int]:
    """Every plan's rows with the decisions recorded in OUT applied (`plandiff run`), and
    the last decision_id the run saw: the tables reflect every decision up to it.
    `parent_of` gives each plan's parent (its doc_id -> the reference it was checked against)."""
    if not DecisionStore.exists(out_dir):
        return alignments, 0
    history = DecisionStore(out_dir).history()
    if not history:
        return alignments, 0
    by_doc: dict[str, list[Alignment]] = {}
    for a in alignments:
        by_doc.setdefault(a.doc_id, []).append(a)
    out: list[Alignment] = []
    applied = 0
    for plan in plans:
        src = plan.source
        mine = plan_decisions(history, src.sha256 if src else None, src.source_path if src else None)
        rows = by_doc.pop(plan.doc_id, [])
        if mine:
            rows = apply_decisions(rows, parent_of[plan.doc_id], plan, mine, config)
            applied += len(mine)
        out.extend(rows)
    for rows in by_doc.values():
        out.extend(rows)
    stale = sum(a.review_stale for a in out)
    log.info("applied %d reviewer decisions in force", applied)
    if stale:
        log.warning("%d rows need re-review: a decision on them names an item whose text has changed", stale)
    return out, max(d.decision_id or 0 for d in history)


def review_state(a: Alignment) -> ReviewState:
    if a.review_stale:
        return ReviewState.STALE
    return ReviewState.REVIEWED if a.decided_by is DecisionRule.REVIEWER else ReviewState.UNREVIEWED


# ---------------------------------------------------------------- export and import

def export_decisions(store: DecisionStore, path: Path) -> int:
    """Every decision of the store as one JSON file (written atomically)."""
    decisions = store.history()
    payload = {"format": EXPORT_FORMAT, "version": EXPORT_VERSION, "exported_at": now_utc(),
               "decisions": [_exported(d) for d in decisions]}
    atomic_write_bytes(Path(path), json.dumps(payload, ensure_ascii=False, indent=1).encode())
    return len(decisions)


def _exported(d: Decision) -> dict:
    row = asdict(d)
    row.pop("decision_id")
    row["status"] = d.status.value
    row["before_status"] = d.before_status and d.before_status.value
    row["changes"] = None if d.changes is None else list(d.changes)
    return row


@dataclass
class ImportResult:
    added: int
    already_present: int
    conflicts: list[tuple[Decision, Decision]]   # (theirs, ours): not imported


def import_decisions(store: DecisionStore, path: Path) -> ImportResult:
    """Merge another store's export: new decisions are appended; one that
    disagrees with a decision in force here on the same subject of the same
    plan, by another reviewer, is a conflict: listed, not imported."""
    theirs = read_export(path)
    present = store.uids()
    ours = store.history()
    new = [d for d in theirs if d.uid not in present]
    conflicts: list[tuple[Decision, Decision]] = []
    accepted = []
    in_force = {(d.plan_sha256, d.subject): d for d in current_by_plan(ours)}
    for d in new:
        mine = in_force.get((d.plan_sha256, d.subject))
        if mine is not None and mine.reviewer != d.reviewer and _outcome(mine) != _outcome(d):
            conflicts.append((d, mine))
        else:
            accepted.append(d)
    store.record_many(accepted)
    return ImportResult(added=len(accepted), already_present=len(theirs) - len(new), conflicts=conflicts)


def current_by_plan(history: Sequence[Decision]) -> list[Decision]:
    """The decisions in force for every plan content in the history."""
    by_sha: dict[str, list[Decision]] = {}
    for d in history:
        by_sha.setdefault(d.plan_sha256, []).append(d)
    return [d for group in by_sha.values() for d in current(group)]


def _outcome(d: Decision) -> tuple:
    return (d.reference_key, d.plan_key, d.status, d.changes)


def read_export(path: Path) -> list[Decision]:
    """The decisions of an export file, checked; UsageError on anything malformed."""
    path = Path(path)
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise UsageError(f"cannot read {path}: {exc.strerror or exc}") from exc
    if size > MAX_IMPORT_BYTES:
        raise UsageError(f"{path} is {size / 1e6:.0f} MB; an export is at most {MAX_IMPORT_BYTES // 1_000_000} MB")
    try:
        payload = json.loads(path.read_bytes().decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise UsageError(f"{path} is not a plandiff decisions export (not JSON: {exc})") from exc
    if not isinstance(payload, dict) or payload.get("format") != EXPORT_FORMAT \
            or not isinstance(payload.get("decisions"), list):
        raise UsageError(f"{path} is not a plandiff decisions export")
    if payload.get("version") != EXPORT_VERSION:
        raise UsageError(f"{path}: export version {payload.get('version')!r} is not {EXPORT_VERSION}")
    out = []
    for n, row in enumerate(payload["decisions"], 1):
        try:
            out.append(_imported(row))
        except (TypeError, ValueError, KeyError, UsageError) as exc:
            raise UsageError(f"{path}: decision {n} is malformed: {exc}") from exc
    return out


_TEXT_FIELDS = {"plan_sha256", "uid", "reviewer", "decided_at"}
_OPTIONAL_TEXT = {"plan_path", "reference_sha256", "subject_reference_key", "subject_plan_key",
                  "reference_key", "plan_key"}


def _imported(row: object) -> Decision:
    if not isinstance(row, dict):
        raise TypeError("not an object")
    unknown = set(row) - {f for f in Decision.__dataclass_fields__ if f != "decision_id"}
    if unknown:
        raise KeyError(f"unknown fields {sorted(unknown)}")
    for name in _TEXT_FIELDS:
        if not isinstance(row.get(name), str) or not row[name]:
            raise ValueError(f"{name} must be a non-empty string")
    for name in _OPTIONAL_TEXT:
        if row.get(name) is not None and not isinstance(row[name], str):
            raise ValueError(f"{name} must be a string or null")
    for name in ("note", "reference_text", "plan_text"):
        if not isinstance(row.get(name, ""), str):
            raise ValueError(f"{name} must be a string")
    datetime.fromisoformat(row["decided_at"])
    changes = row.get("changes")
    if changes is not None and (not isinstance(changes, list) or not all(isinstance(c, str) for c in changes)):
        raise ValueError("changes must be a list of field names or null")
    decision = Decision(**{**row, "changes": None if changes is None else tuple(changes),
                           "status": Status(row["status"]),
                           "before_status": Status(row["before_status"]) if row.get("before_status") else None})
    return decision.check()


def render_conflicts(conflicts: Sequence[tuple[Decision, Decision]]) -> list[str]:
    lines = []
    for theirs, ours in conflicts:
        lines.append(f"plan {theirs.plan_path or theirs.plan_sha256[:12]}: "
                     f"{_describe(theirs)} (by {theirs.reviewer}, {theirs.decided_at[:16]}) "
                     f"disagrees with {_describe(ours)} (by {ours.reviewer}, {ours.decided_at[:16]})")
    return lines


def _describe(d: Decision) -> str:
    text = (d.reference_text or d.plan_text)[:60]
    return f"{d.status} «{text}»"


# ---------------------------------------------------------------- deciding from the tables

NONE_ITEM = "none"   # what `plandiff decide` takes for "no item on this side"


@dataclass(frozen=True)
class RunTables:
    """What deciding needs of a run's tables: documents and items, by id."""
    documents: dict[str, dict]
    items: dict[str, dict]
    alignments: list[dict]

    @classmethod
    def read(cls, out_dir: Path) -> RunTables:
        from .storage import read_table

        documents = {r["doc_id"]: r for r in read_table(out_dir, "documents").to_pylist()}
        items = {r["item_id"]: r for r in read_table(out_dir, "items").to_pylist()}
        alignments = read_table(out_dir, "alignments").to_pylist()
        return cls(documents, items, alignments)

    def reference_of(self, plan: dict) -> dict:
        """The document a plan was checked against (its `reference_doc_id`; tables
        written before routing have one reference for every plan)."""
        parent = plan.get("reference_doc_id")
        if parent in self.documents:
            return self.documents[parent]
        refs = [d for d in self.documents.values() if d["role"] != "plan" and d["status"] == "ok"]
        if not refs:
            raise UsageError("the run has no reference document")
        return refs[0]

    def full_text(self, item_id: str) -> str:
        row = self.items[item_id]
        return " ".join(x for x in (row["heading"], row["text"]) if x)

    def keys(self, doc_id: str) -> dict[str, str]:
        rows = sorted((r for r in self.items.values() if r["doc_id"] == doc_id), key=lambda r: r["ordinal"])
        return item_keys((r["item_id"], self.full_text(r["item_id"])) for r in rows)

    def find_plan(self, name: str) -> dict:
        """A plan by doc_id, file path or file name."""
        plans = [d for d in self.documents.values() if d["role"] == "plan" and d["status"] == "ok"]
        found = [d for d in plans if name in (d["doc_id"], d["source_path"])] or \
            [d for d in plans if d["source_path"] and Path(d["source_path"]).name == name]
        if len(found) != 1:
            raise UsageError(f"{name!r} names {len(found)} plans of the run (give its doc_id)")
        return found[0]


def make_decision(tables: RunTables, reference_item_id: str | None, plan_item_id: str | None,
                  status: Status | str, reviewer: str, note: str = "", plan: str | None = None,
                  changes: Sequence[str] | None = None) -> Decision:
    """The decision that sets the row of these items to `status`, addressed to the
    row the items have now (its subject), as the workbench and `plandiff decide` make it."""
    status = Status(status)
    for item_id, side in ((reference_item_id, "reference"), (plan_item_id, "plan")):
        if item_id is not None and item_id not in tables.items:
            raise UsageError(f"no {side} item {item_id!r} in the run's items")
    if plan_item_id:
        doc = tables.documents[tables.items[plan_item_id]["doc_id"]]
        if doc["role"] != "plan":
            raise UsageError(f"{plan_item_id} is not an item of a plan")
        if plan and tables.find_plan(plan)["doc_id"] != doc["doc_id"]:
            raise UsageError(f"{plan_item_id} is not an item of {plan}")
    elif plan:
        doc = tables.find_plan(plan)
    else:
        plans = [d for d in tables.documents.values() if d["role"] == "plan" and d["status"] == "ok"]
        if len(plans) != 1:
            raise UsageError("with no plan item, name the plan (--plan DOC_ID)")
        doc = plans[0]
    ref_doc = tables.reference_of(doc)
    if reference_item_id and tables.items[reference_item_id]["doc_id"] != ref_doc["doc_id"]:
        raise UsageError(f"{reference_item_id} is not an item of the plan's reference "
                         f"({ref_doc['source_path'] or ref_doc['doc_id']})")
    subject = _subject_row(tables.alignments, doc["doc_id"], reference_item_id, plan_item_id)
    ref_keys, plan_keys = tables.keys(ref_doc["doc_id"]), tables.keys(doc["doc_id"])
    return Decision(
        plan_sha256=doc["sha256"], plan_path=doc["source_path"], reference_sha256=ref_doc["sha256"],
        reference_key=ref_keys[reference_item_id] if reference_item_id else None,
        plan_key=plan_keys[plan_item_id] if plan_item_id else None, status=status, reviewer=reviewer,
        note=note, changes=tuple(changes) if changes is not None else None,
        subject_reference_key=ref_keys[subject["reference_item_id"]] if subject and subject["reference_item_id"]
        else None,
        subject_plan_key=plan_keys[subject["item_id"]] if subject and subject["item_id"] else None,
        before_status=Status(subject["status"]) if subject else None,
        reference_text=tables.full_text(reference_item_id) if reference_item_id else "",
        plan_text=tables.full_text(plan_item_id) if plan_item_id else "").check()


def _subject_row(alignments: list[dict], doc_id: str, ref_id: str | None, item_id: str | None) -> dict | None:
    """The row a decision about these items addresses: the row of exactly this
    pair, else the reference item's row, else the plan item's."""
    rows = [a for a in alignments if a["doc_id"] == doc_id]
    for test in (lambda a: a["reference_item_id"] == ref_id and a["item_id"] == item_id,
                 lambda a: ref_id is not None and a["reference_item_id"] == ref_id,
                 lambda a: item_id is not None and a["item_id"] == item_id):
        found = [a for a in rows if test(a)]
        if found:
            return found[0]
    return None
