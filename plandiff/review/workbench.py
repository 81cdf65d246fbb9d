"""What the workbench shows and records, without any HTTP.

A plan's rows are the run's rows with the decisions in force applied
(`plandiff.decisions.apply_decisions`), exactly as the next run would write
them, so a decision shows at once.  Decisions whose items changed are stale:
not applied, listed for a reviewer to look again.

Views are cached per plan inside the table snapshot, keyed by the decisions
in force for that plan: a new decision (here or from another process writing
the same `decisions.sqlite`) rebuilds that plan's view only, and a reload of
the tables drops every view with the old snapshot.
"""
from __future__ import annotations

import enum
import logging
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from plandiff.align import AlignConfig, Alignment, PairScores, Status, alignable, pair_row, pair_scores
from plandiff.align.model import ATTRIBUTE_FIELDS, CHANGE_FIELDS, DecisionRule
from plandiff.decisions import (
    Decision,
    DecisionStore,
    ReviewState,
    apply_decisions,
    plan_decisions,
    resolve,
    review_state,
)
from plandiff.errors import UsageError
from plandiff.ingest.textnorm import fold
from plandiff.parse import PlanDocument
from plandiff.parse.model import Item
from plandiff.tables import DocumentRole

from .queue import RowKey, is_pair, review_order, row_key
from .snapshot import Snapshot, Tables

log = logging.getLogger(__name__)

CANDIDATES = 3            # closest items on the other side shown on a verdict page
SEARCH_LIMIT = 50         # search results shown
MAX_QUERY_CHARS = 200     # longer search queries are cut: nothing in a plan needs more to be found
PATH_HEADING_CHARS = 60   # an ancestor's heading in an item's outline path is cut to this


class NotFound(LookupError):
    """No such plan, row or item in the loaded tables."""


class RowGone(UsageError):
    """The row a form was posted for is no longer in the plan's queue (decided meanwhile)."""


class Action(enum.StrEnum):
    CONFIRM = "confirm"
    PAIR = "pair"
    DROPPED = "dropped"
    ADDED = "added"


@dataclass(frozen=True)
class QueueRow:
    alignment: Alignment
    doubt: float
    state: ReviewState
    reference_item: Item | None
    plan_item: Item | None

    @property
    def key(self) -> RowKey:
        return row_key(self.alignment)


@dataclass(frozen=True)
class Counts:
    total: int = 0
    reviewed: int = 0
    unreviewed: int = 0
    stale: int = 0


@dataclass
class PlanView:
    doc_id: str
    document: dict
    plan: PlanDocument
    reference: PlanDocument              # the plan's parent: a reference, or another plan of the batch
    rows: list[QueueRow]
    stale: list[Decision]
    ref_alignable: dict[str, Item]       # the items a decision may name
    plan_alignable: dict[str, Item]
    ref_all: dict[str, Item]             # every item, for outline paths
    plan_all: dict[str, Item]
    counts: Counts
    parent: Parent | None = None
    index: dict[RowKey, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.index = {row.key: n for n, row in enumerate(self.rows)}

    def find(self, r: str | None, p: str | None) -> int | None:
        return self.index.get((r or None, p or None))


@dataclass(frozen=True)
class Parent:
    """The document a plan was checked against, and how the run chose it."""
    doc_id: str
    document: dict
    is_plan: bool                  # another plan of the batch (a district plan above a commune's)
    match: str | None              # cited | content | consensus; None: tables without routing
    evidence: str | None
    flagged: bool                  # the plan does not cite it: a reviewer should confirm it
    evidence_vi: str | None = None

    def evidence_in(self, lang: str) -> str | None:
        """Why this parent, in the page's language (English when no Vietnamese was written)."""
        return (self.evidence_vi or self.evidence) if lang == "vi" else self.evidence

    @property
    def inferred(self) -> bool:
        return self.document.get("role") == DocumentRole.INFERRED_REFERENCE


@dataclass(frozen=True)
class PlanProgress:
    doc_id: str
    document: dict
    counts: Counts
    parent: Parent | None = None


@dataclass(frozen=True)
class ParentGroup:
    """The plans checked against one parent (the plans page)."""
    parent: Parent | None
    plans: list[PlanProgress]
    depth: int = 0                 # 0: a reference; 1: a plan checked against one; ...


@dataclass(frozen=True)
class Candidate:
    item: Item
    score: float
    status: Status          # what the pair's evidence suggests: modified when an attribute changed
    changes: tuple[str, ...]


@dataclass(frozen=True)
class DecideRequest:
    subject_r: str | None
    subject_p: str | None
    action: str
    reviewer: str
    target: str | None = None
    status: str | None = None
    changes: tuple[str, ...] | None = None     # None: keep the computed changes
    note: str = ""


def count(rows: Sequence[QueueRow]) -> Counts:
    states = [row.state for row in rows]
    return Counts(total=len(states), reviewed=states.count(ReviewState.REVIEWED),
                  unreviewed=states.count(ReviewState.UNREVIEWED), stale=states.count(ReviewState.STALE))


def outline_path(items: dict[str, Item], item: Item) -> list[str]:
    """The labels (and headings) of an item's ancestors, outermost first, then its own label."""
    chain: list[Item] = []
    seen = {item.item_id}
    current = item
    while current.parent_id and current.parent_id in items and current.parent_id not in seen:
        current = items[current.parent_id]
        seen.add(current.item_id)
        chain.append(current)
    parts = []
    for it in reversed(chain):
        heading = it.heading if len(it.heading) <= PATH_HEADING_CHARS else it.heading[:PATH_HEADING_CHARS] + "…"
        text = f"{it.label} {heading}".strip()
        if text:
            parts.append(text)
    if item.label:
        parts.append(item.label)
    return parts


class DecisionLog:
    """The decisions of the output folder, re-read when a decision was added."""

    def __init__(self, out_dir: str | Path) -> None:
        self.store = DecisionStore(out_dir)
        self._lock = threading.Lock()
        self._stamp: str | None = None
        self._by_sha: dict[str, list[Decision]] = {}
        self._by_path: dict[str, list[Decision]] = {}

    def refresh(self) -> None:
        with self._lock:
            self._refresh()

    def _refresh(self) -> None:
        # The store is append-only: its count and last row number change with every decision,
        # whoever records it (this process, another workbench, `plandiff decide`).  About a
        # millisecond; file stamps would be cheaper but can miss a commit in the same clock tick.
        stamp = self.store.digest()
        if stamp == self._stamp:
            return
        history = self.store.history()
        by_sha: dict[str, list[Decision]] = {}
        by_path: dict[str, list[Decision]] = {}
        for d in history:
            by_sha.setdefault(d.plan_sha256, []).append(d)
            if d.plan_path:
                by_path.setdefault(d.plan_path, []).append(d)
        self._by_sha, self._by_path, self._stamp = by_sha, by_path, stamp

    def for_plan(self, sha256: str | None, path: str | None, refresh: bool = True) -> list[Decision]:
        """The plan's decisions in force; `refresh=False` trusts the last look (one look per page)."""
        with self._lock:
            if refresh or self._stamp is None:
                self._refresh()
            mine = {d.uid: d for d in self._by_sha.get(sha256 or "", []) + self._by_path.get(path or "", [])}
        return plan_decisions(mine.values(), sha256, path)

    def record(self, decision: Decision) -> Decision:
        stored = self.store.record(decision)
        with self._lock:
            self._stamp = None    # read the history again on the next look
        return stored


class Workbench:
    def __init__(self, out_dir: str | Path, config: AlignConfig = AlignConfig()) -> None:
        self.tables = Tables(out_dir)
        self.decisions = DecisionLog(out_dir)
        self.config = config

    # ------------------------------------------------------------ reading

    def snapshot(self) -> Snapshot:
        return self.tables.current()

    def _in_force(self, snap: Snapshot, doc_id: str, refresh: bool = True) -> list[Decision]:
        doc = snap.documents[doc_id]
        return self.decisions.for_plan(doc.get("sha256"), doc.get("source_path"), refresh)

    def view(self, doc_id: str, snap: Snapshot | None = None, refresh: bool = True) -> PlanView:
        snap = snap or self.snapshot()
        if not snap.is_plan(doc_id):
            raise NotFound(doc_id)
        decisions = self._in_force(snap, doc_id, refresh)
        key = tuple(d.uid for d in decisions)
        cached = snap.cached_view(doc_id, key)
        if isinstance(cached, PlanView):
            return cached
        view = self._build_view(snap, doc_id, decisions)
        snap.remember_view(doc_id, key, view, view.counts)
        return view

    def _build_view(self, snap: Snapshot, doc_id: str, decisions: list[Decision]) -> PlanView:
        # Each plan is read against its own parent (documents.reference_doc_id).
        reference, plan = snap.parent(doc_id), snap.document(doc_id)
        rows = snap.machine_rows(doc_id)
        ref_alignable = {it.item_id: it for it in alignable(reference)}
        plan_alignable = {it.item_id: it for it in alignable(plan)}
        stale: list[Decision] = []
        if decisions:
            rows = apply_decisions(rows, reference, plan, decisions, self.config)
            ref_keys, plan_keys = snap.keys(reference.doc_id), snap.keys(doc_id)
            by_ref = {ref_keys[i]: i for i in ref_alignable}
            by_plan = {plan_keys[i]: i for i in plan_alignable}
            rows, stale = _settle_stale(rows, resolve(decisions, by_ref, by_plan).stale, by_ref, by_plan)
        ref_all = {it.item_id: it for it in reference.items}
        plan_all = {it.item_id: it for it in plan.items}
        queue = [QueueRow(a, d, review_state(a), ref_all.get(a.reference_item_id or ""),
                          plan_all.get(a.item_id or ""))
                 for a, d in review_order(rows, snap.confidence(doc_id), self.config.match_threshold)]
        return PlanView(doc_id=doc_id, document=snap.documents[doc_id], plan=plan, reference=reference,
                        rows=queue, stale=stale,
                        ref_alignable=ref_alignable, plan_alignable=plan_alignable, ref_all=ref_all,
                        plan_all=plan_all, counts=count(queue), parent=parent_of(snap, doc_id))

    def progress(self) -> list[PlanProgress]:
        """Every plan with its review counts (the plans page)."""
        snap = self.snapshot()
        self.decisions.refresh()       # once for the page, not once per plan
        out = []
        for doc_id in snap.plan_ids:
            decisions = self._in_force(snap, doc_id, refresh=False)
            # A decision made after the run that wrote the tables is not in them yet.
            newer = any((d.decision_id or 0) > snap.decisions_through for d in decisions)
            if newer:
                known = snap.cached_counts(doc_id, tuple(d.uid for d in decisions))
                counts = known if isinstance(known, Counts) else self.view(doc_id, snap, refresh=False).counts
            else:
                # No decision since the run: the rows are the table's, so are their states.
                raw = snap.state_counts.get(doc_id, {})
                counts = Counts(total=sum(raw.values()), reviewed=raw.get(ReviewState.REVIEWED, 0),
                                unreviewed=raw.get(ReviewState.UNREVIEWED, 0), stale=raw.get(ReviewState.STALE, 0))
            out.append(PlanProgress(doc_id, snap.documents[doc_id], counts, parent_of(snap, doc_id)))
        return out

    def children(self, doc_id: str) -> list[dict]:
        """The documents rows of the plans checked against this plan (a district plan's communes)."""
        snap = self.snapshot()
        return [snap.documents[d] for d in snap.plan_ids
                if d != doc_id and snap.documents[d].get("reference_doc_id") == doc_id]

    def groups(self, progress: Sequence[PlanProgress] | None = None) -> list[ParentGroup]:
        """The plans grouped by their parent (the plans page): each reference's plans, then the
        plans checked against each of those, and so on down the chain."""
        return group_by_parent(self.progress() if progress is None else progress)

    def scores(self, view: PlanView) -> PairScores:
        snap = self.snapshot()
        if snap.is_plan(view.doc_id) and snap.parent_id(view.doc_id) == view.reference.doc_id:
            return snap.scores(view.doc_id)
        # A run re-routed the plan (or dropped it) since the view was built: score the
        # view's own pair of documents, so that the items match the view's.
        return pair_scores(view.reference, view.plan)

    def candidates(self, view: PlanView, row: QueueRow, n: int = CANDIDATES) -> list[Candidate]:
        """The `n` closest items on the other side of the row's anchor item: plan items for a
        row with a reference item, reference items for an added plan item."""
        a = row.alignment
        scores = self.scores(view)
        if a.reference_item_id is not None:
            ref_index = {it.item_id: i for i, it in enumerate(scores.ref_items)}
            if a.reference_item_id not in ref_index:
                return []
            line = scores.total[ref_index[a.reference_item_id], :]
            others = scores.plan_items
        else:
            plan_index = {it.item_id: i for i, it in enumerate(scores.plan_items)}
            if a.item_id not in plan_index:
                return []
            line = scores.total[:, plan_index[a.item_id]]
            others = scores.ref_items
        # The row's own counterpart is not a candidate: keys 1-3 always pick another item.
        order = sorted((i for i in range(len(others)) if others[i].item_id not in (a.item_id, a.reference_item_id)),
                       key=lambda i: (-float(line[i]), i))[:n]
        out = []
        for i in order:
            other = others[i]
            if a.reference_item_id is not None:
                ref_item, plan_item = view.ref_alignable[a.reference_item_id], other
            else:
                ref_item, plan_item = other, view.plan_alignable[a.item_id or ""]
            evidence = pair_row(view.reference, view.plan, scores, ref_item, plan_item, self.config)
            out.append(Candidate(item=other, score=float(line[i]), status=suggested_status(evidence.changes),
                                 changes=evidence.changes))
        return out

    def search(self, view: PlanView, side: str, query: str, limit: int = SEARCH_LIMIT) -> tuple[list[Item], bool]:
        """Alignable items of one side whose text or label contains the query, folded
        (case and diacritics ignored); (the first `limit`, whether there were more)."""
        items = view.plan_alignable if side == "plan" else view.ref_alignable
        needle = fold(" ".join(query[:MAX_QUERY_CHARS].split()))
        if not needle:
            return [], False
        found = [it for it in items.values()
                 if needle in fold(" ".join(it.full_text.split())) or needle in fold(it.label)]
        return found[:limit], len(found) > limit

    # ------------------------------------------------------------ deciding

    def decide(self, doc_id: str, req: DecideRequest) -> tuple[Decision, RowKey | None]:
        """Record one decision; (the decision as stored, the queue row to show next)."""
        snap = self.snapshot()
        view = self.view(doc_id, snap)
        position = view.find(req.subject_r, req.subject_p)
        if position is None:
            raise RowGone("this verdict row is no longer in the plan's queue; reload the page")
        row = view.rows[position].alignment
        decision = self._decision(view, snap, row, req)
        stored = self.decisions.record(decision)
        after = self.view(doc_id, snap)
        return stored, next_row(view, position, after)

    def _decision(self, view: PlanView, snap: Snapshot, row: Alignment, req: DecideRequest) -> Decision:
        try:
            action = Action(req.action)
        except ValueError as exc:
            raise UsageError(f"unknown action {req.action!r} (one of {', '.join(Action)})") from exc
        r, p = row.reference_item_id, row.item_id
        changes = req.changes
        if changes is not None and set(changes) - set(CHANGE_FIELDS):
            raise UsageError(f"unknown changed fields {sorted(set(changes) - set(CHANGE_FIELDS))}")
        if action is Action.CONFIRM:
            status = row.status
            if is_pair(row) and changes is not None:
                status = suggested_status(changes)
        elif action is Action.PAIR:
            r, p = self._paired(view, row, req.target)
            if changes is None and not req.status:
                scores = self.scores(view)
                evidence = pair_row(view.reference, view.plan, scores, view.ref_alignable[r], view.plan_alignable[p],
                                    self.config)
                status = suggested_status(evidence.changes)
            elif req.status:
                status = _pair_status(req.status)
            else:
                status = suggested_status(changes or ())
        elif action is Action.DROPPED:
            if r is None:
                raise UsageError("an added plan item cannot be marked dropped")
            p, status = None, Status.DROPPED
        else:
            if p is None:
                raise UsageError("a dropped reference item cannot be marked added")
            r, status = None, Status.ADDED
        if r is None or p is None:
            changes = None      # only a pair has changed fields
        document = view.document
        if not document.get("sha256"):
            raise UsageError(f"plan {view.doc_id} has no content hash in the documents table")
        reference_doc = snap.documents[view.reference.doc_id]
        ref_keys, plan_keys = snap.keys(view.reference.doc_id), snap.keys(view.doc_id)
        inferred = reference_doc["role"] == DocumentRole.INFERRED_REFERENCE
        # The texts kept with a decision show what it was about once it goes stale: the
        # outcome's items, or the subject's where the outcome leaves a side empty.
        ref_text_id = r or row.reference_item_id
        plan_text_id = p or row.item_id
        return Decision(
            plan_sha256=document["sha256"], plan_path=document.get("source_path"),
            reference_sha256=None if inferred else reference_doc.get("sha256"),
            subject_reference_key=ref_keys[row.reference_item_id] if row.reference_item_id else None,
            subject_plan_key=plan_keys[row.item_id] if row.item_id else None,
            before_status=row.status,
            reference_key=ref_keys[r] if r else None, plan_key=plan_keys[p] if p else None,
            status=status, reviewer=req.reviewer, note=req.note.strip(), changes=changes,
            reference_text=view.ref_all[ref_text_id].full_text if ref_text_id else "",
            plan_text=view.plan_all[plan_text_id].full_text if plan_text_id else "",
        ).check()

    def _paired(self, view: PlanView, row: Alignment, target: str | None) -> tuple[str, str]:
        """The pair a re-pair makes: the row's item on one side with the target on the other.
        Item ids carry their document, so the target's side is never ambiguous."""
        if not target:
            raise UsageError("pairing needs a target item")
        if target in view.plan_alignable and row.reference_item_id is not None:
            return row.reference_item_id, target
        if target in view.ref_alignable and row.item_id is not None:
            return target, row.item_id
        raise UsageError(f"{target!r} is not an item that can be paired with this row")


def parent_of(snap: Snapshot, doc_id: str) -> Parent | None:
    """A plan's parent as the plans page and the plan's header name it (None: no reference at all)."""
    try:
        parent_id = snap.parent_id(doc_id)
    except UsageError:
        return None
    doc = snap.documents[doc_id]
    match = doc.get("reference_match")
    return Parent(doc_id=parent_id, document=snap.documents[parent_id], is_plan=snap.is_plan(parent_id),
                  match=match, evidence=doc.get("reference_evidence"),
                  flagged=bool(doc.get("reference_flagged")), evidence_vi=doc.get("reference_evidence_vi"))


def group_by_parent(progress: Sequence[PlanProgress]) -> list[ParentGroup]:
    """Plans grouped by parent, in the order of the chain: a reference's group, then the groups
    of its plans that are parents themselves (depth first); references by file name."""
    by_parent: dict[str | None, list[PlanProgress]] = {}
    for p in progress:
        by_parent.setdefault(p.parent.doc_id if p.parent else None, []).append(p)
    plan_ids = {p.doc_id for p in progress}
    out: list[ParentGroup] = []
    placed: set[str | None] = set()

    def visit(parent_id: str | None, depth: int) -> None:
        if parent_id in placed or parent_id not in by_parent:
            return
        placed.add(parent_id)
        plans = by_parent[parent_id]
        out.append(ParentGroup(parent=plans[0].parent, plans=plans, depth=depth))
        for p in plans:
            visit(p.doc_id, depth + 1)

    def root_order(parent_id: str | None) -> tuple:
        parent = by_parent[parent_id][0].parent
        doc = parent.document if parent else {}
        return (parent is None, bool(parent and parent.inferred), doc.get("source_path") or "~", parent_id or "")

    for parent_id in sorted((k for k in by_parent if k not in plan_ids), key=root_order):
        visit(parent_id, 0)
    for parent_id in by_parent:          # a parent chain that never reaches a reference (a loop)
        visit(parent_id, 0)
    return out


def _settle_stale(rows: list[Alignment], stale: list[Decision], by_ref: dict[str, str],
                  by_plan: dict[str, str]) -> tuple[list[Alignment], list[Decision]]:
    """The stale decisions still worth listing: a stale decision whose surviving items
    a reviewer has all decided again is settled (decisions being append-only, it stays
    in the history).  The rows themselves come marked by `apply_decisions`, which
    clears a stale mark a newer decision settles."""
    settled = {x for a in rows if a.decided_by is DecisionRule.REVIEWER for x in (a.reference_item_id, a.item_id)
               if x}
    listed = []
    for d in stale:
        surviving = resolve([d], by_ref, by_plan).stale_items
        if not surviving or surviving - settled:
            listed.append(d)
    return rows, listed


def suggested_status(changes: Sequence[str]) -> Status:
    """Modified when an attribute changed, else carried (a reworded text alone is carried)."""
    return Status.MODIFIED if set(changes) & set(ATTRIBUTE_FIELDS) else Status.CARRIED


def _pair_status(value: str) -> Status:
    try:
        status = Status(value)
    except ValueError as exc:
        raise UsageError(f"unknown status {value!r}") from exc
    if status not in (Status.CARRIED, Status.MODIFIED):
        raise UsageError("a pair is carried or modified")
    return status


def next_row(before: PlanView, position: int, after: PlanView) -> RowKey | None:
    """The row to show after deciding the row at `position` of `before`: the next row of
    the queue as the reviewer saw it that is still there and not reviewed, else the
    first row of the new queue still to review, else none."""
    for row in before.rows[position + 1:]:
        n = after.find(*row.key)
        if n is not None and after.rows[n].state is not ReviewState.REVIEWED:
            return row.key
    for row in after.rows:
        if row.state is not ReviewState.REVIEWED:
            return row.key
    return None
