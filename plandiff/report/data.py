"""Load the output tables and join them into what the report shows.

Everything the HTML pages and the workbook render comes from here, and
everything here comes from the Parquet tables under OUT (never from the
pipeline's in-memory objects), so `plandiff report OUT` can re-render a run.

Each plan is read against its own parent (`documents.reference_doc_id`: one of
the run's references, or another plan of the batch when plans form a chain), and
the plans are grouped by parent (`ReportData.groups`, each with the matrix of its
parent's items × its plans); tables of an older plandiff, without the routing
columns, give one group: the one reference and every plan.  The `lineage` table
(a root reference's items down the chain) is loaded as `ReportData.lineage`.

Coverage (`Plan.coverage`) counts the well-supported reference items only: a
weakly supported consensus item (see `WEAK_CONSENSUS`) is counted apart
(`Plan.weak_covered` of `Plan.weak_total`).  Optional tables and columns
(pages, coverage, parent_references, lineage; the consensus evidence, template
families, review columns, routing columns, the verdicts' confidence and needs_review) may be
missing from tables of an older plandiff.

Each verdict carries the aligner's `confidence` and `needs_review`; `review_first` is the
order the plan pages and the workbook show a plan's verdicts in: those that need review,
least confident first, then the others as they were.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from plandiff.align.consensus import Origin
from plandiff.align.model import DecisionRule
from plandiff.analysis import verdict_counts
from plandiff.errors import StorageError

from .statuses import PAIRED_STATUSES, STATUSES, ReviewState, Status, cell_review, cell_status, review_state

REQUIRED_TABLES = ("documents", "items", "alignments")
OPTIONAL_TABLES = ("pages", "coverage", "parent_references", "lineage")
REFERENCE_ROLES = ("reference", "inferred_reference")
ITEM_COLUMNS = ("doc_id", "item_id", "ordinal", "label", "kind", "heading", "text", "part", "lead",
                "partners", "timeline", "frequency", "page", "support", "support_plans",
                "support_levels", "wording_variants", "consensus_origin", "consensus_confidence")
ALIGNMENT_COLUMNS = ("reference_item_id", "doc_id", "item_id", "status", "score", "changes",
                     "candidate_item_id", "candidate_score", "decided_by", "review_state",
                     "reviewer", "reviewed_at", "review_note", "confidence", "needs_review")
# Letters that only Vietnamese with its diacritics has: about one letter in four of
# the plans' prose is one of them (27-28% in the samples); text OCR'd with a
# non-Vietnamese model keeps only stray ones (5% in sample 002).
VIETNAMESE_MARKED = r"[àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ" \
    r"ÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬÈÉẺẼẸÊỀẾỂỄỆÌÍỈĨỊÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢÙÚỦŨỤƯỪỨỬỮỰỲÝỶỸỴĐ]"
MISSING_DIACRITICS_SHARE = 0.12   # below this share of marked letters: diacritics missing
MIN_LETTERS = 300                 # too little text to judge

# An item of an inferred reference is weakly supported below this confidence.
# `consensus_confidence` is 1 - 0.5 ** (weighted witnesses - 1) (align/consensus.py):
# two independent template families give exactly 0.5 and a single family gives 0,
# however many near-copies it has.  Below 0.5 the item rests on one witness: it may
# be one template's or one plan's own addition rather than the parent's text, so a
# plan leaving it out has not shown to leave out anything the parent asked for.
WEAK_CONSENSUS = 0.5
# Origins that alone make an item weak, whatever its confidence says.
WEAK_ORIGINS: tuple[Origin, ...] = (Origin.FAMILY, Origin.PLAN)
# How the report words a weak item: by its origin, else by its low confidence.
WEAK_LOW = "low"


class ReportError(StorageError):
    """The tables needed for the report are missing or unreadable, or it cannot be written."""


@dataclass(frozen=True)
class Evidence:
    """Why an item of an inferred reference is there (`items.support*`, `consensus_*`).

    Tables written before template families existed carry `support` alone:
    their items have no Evidence and are never called weak.
    """
    support: int | None                 # independent witnesses (template families)
    plans: tuple[str, ...] = ()         # doc_ids of the plans carrying the item
    levels: tuple[str, ...] = ()        # their administrative levels
    variants: int | None = None         # distinct wordings across those plans
    origin: Origin | None = None
    confidence: float | None = None     # 0..1

    @property
    def weakness(self) -> str | None:
        """Why the item is weakly supported: its origin (family, plan), WEAK_LOW, or None."""
        if self.origin in WEAK_ORIGINS:
            return str(self.origin)
        if self.confidence is not None and self.confidence < WEAK_CONSENSUS:
            return WEAK_LOW
        return None


@dataclass
class Item:
    item_id: str
    doc_id: str
    ordinal: int
    label: str
    kind: str
    heading: str
    text: str
    part: str
    lead: str | None = None
    partners: list[str] = field(default_factory=list)
    timeline: str | None = None
    frequency: str | None = None
    page: int | None = None
    support: int | None = None
    evidence: Evidence | None = None  # inferred reference items of recent tables only

    @property
    def weakness(self) -> str | None:
        """Why a consensus item is weakly supported (see `Evidence.weakness`); None if it is not."""
        return self.evidence.weakness if self.evidence is not None else None

    @property
    def full_text(self) -> str:
        return " ".join(p for p in (self.heading, self.text) if p)

    def attribute(self, name: str) -> str:
        if name == "partners":
            return "; ".join(self.partners)
        return getattr(self, name, None) or ""


@dataclass
class Verdict:
    status: str
    score: float
    changes: list[str]
    ref: Item | None
    item: Item | None
    # Dropped / added rows: the closest item on the other side, worth a look.
    candidate: Item | None = None
    candidate_score: float | None = None
    # The reviewers' say on the row.  Tables written before reviews existed lack
    # these columns: their rows read as not reviewed.
    review_state: ReviewState = ReviewState.UNREVIEWED
    reviewer: str | None = None
    reviewed_at: object = None   # when the reviewer decided (a UTC timestamp)
    review_note: str | None = None
    after_review: bool = False   # left alone because a reviewer paired its counterpart elsewhere
    # How likely the verdict is right (0..1, `alignments.confidence`; 1 for a reviewer's decision),
    # and whether a reviewer should look at it first.  Tables written before the aligner rated its
    # rows lack the columns: confidence unknown (None), nothing flagged.
    confidence: float | None = None
    needs_review: bool = False

    @property
    def weakness(self) -> str | None:
        """Set when the row is judged against a weakly supported consensus item."""
        return self.ref.weakness if self.ref is not None else None

    @property
    def subject(self) -> Item:
        """The item the row is about: the reference's, or for an added row the plan's."""
        subject = self.ref if self.ref is not None else self.item
        if subject is None:  # loading skips such rows; a hand-built Verdict may not
            raise ReportError(f"a {self.status} verdict names no item on either side")
        return subject

    @property
    def part(self) -> str:
        return self.subject.part


@dataclass(frozen=True)
class ParentReference:
    """A document the plan names among its legal bases (`parent_references`)."""
    role: str          # implements | basis
    kind: str
    number: str
    issued_on: object = None
    issuer: str | None = None


@dataclass
class Plan:
    doc_id: str
    number: int
    slug: str
    source_path: str | None
    issuer: str | None
    title: str | None
    plan_number: str | None
    issued_on: object
    admin_level: str
    text_source: str | None
    pages: int | None
    status: str
    error: str | None
    place: str | None = None
    signer: str | None = None
    signing_capacity: str | None = None
    parent_refs: list[str] = field(default_factory=list)
    items: int = 0
    counts: dict[str, int] = field(default_factory=dict)
    covered: int = 0
    ref_total: int = 0
    ocr_pages: int = 0
    ocr_confidence: float | None = None
    restored_pages: int = 0
    diacritics_restored: bool = False
    lacks_diacritics: bool = False  # the text read has (almost) no Vietnamese diacritics
    rows: int = 0                   # verdict rows shown for the plan
    reviewed: int = 0               # of them, signed off by a reviewer
    stale: int = 0                  # of them, needing a reviewer's second look
    needs_review: int = 0           # of them, rated doubtful enough that a reviewer should look first
    # Coverage of the weakly supported consensus items, kept out of `coverage`.
    weak_covered: int = 0
    weak_total: int = 0
    template_group: str | None = None  # --reference auto: its template family
    parent_references: list[ParentReference] = field(default_factory=list)  # implements first
    decision_number: str | None = None  # the decision that issued the plan as its attachment
    decision_issued_on: object = None
    # The parent the plan was checked against (documents.reference_doc_id: a reference or
    # another plan of the batch) and how it was chosen; tables of an older plandiff lack the
    # columns: the parent is then the one reference, chosen by nobody.
    parent_doc_id: str | None = None
    reference_match: str | None = None     # cited | content | consensus
    reference_evidence: str | None = None  # why that parent, in words
    reference_evidence_vi: str | None = None
    reference_flagged: bool = False        # the plan does not cite its parent: a reviewer should confirm

    def evidence(self, lang: str) -> str | None:
        """Why this parent, in the report's language (English when no Vietnamese was written)."""
        return (self.reference_evidence_vi or self.reference_evidence) if lang == "vi" else self.reference_evidence

    @property
    def ok(self) -> bool:
        return self.status == "ok"

    @property
    def page_name(self) -> str:
        return f"plan-{self.slug}.html"

    @property
    def coverage(self) -> float | None:
        return self.covered / self.ref_total if self.ok and self.ref_total else None

    @property
    def file_name(self) -> str:
        return Path(self.source_path).name if self.source_path else ""


@dataclass
class Reference:
    doc_id: str
    title: str | None
    issuer: str | None
    plan_number: str | None
    issued_on: object
    inferred: bool
    items: int
    support_min: int | None
    support_max: int | None
    weak: int = 0  # of its items, weakly supported (kept out of the coverage share)
    source_path: str | None = None

    @property
    def file_name(self) -> str:
        return Path(self.source_path).name if self.source_path else ""


@dataclass
class MatrixRow:
    ref: Item
    cells: dict[str, Status | None]  # doc_id -> one of MATRIX_STATUSES, None if not compared
    scores: dict[str, float]
    reviews: dict[str, ReviewState] = field(default_factory=dict)  # doc_id -> the cell's state

    @property
    def dropped_by(self) -> int:
        return sum(1 for s in self.cells.values() if s == Status.DROPPED)


@dataclass
class ParentGroup:
    """The plans checked against one parent: a reference, or a plan of the batch (a chain)."""
    number: int                       # 1, 2, … in the order the index shows the groups
    doc_id: str | None                # None: plans checked against nothing (they failed)
    reference: Reference | None       # the parent (a plan parent's facts as a Reference); None: no parent
    parent_plan: Plan | None          # the parent, when it is a plan of the batch
    plans: list[Plan]
    matrix: list[MatrixRow]
    depth: int = 0                    # 0: a reference; 1: a plan checked against one; …

    @property
    def ok_plans(self) -> list[Plan]:
        return [p for p in self.plans if p.ok]

    @property
    def anchor(self) -> str:
        return f"parent-{self.number}"

    @property
    def flagged(self) -> int:
        return sum(1 for p in self.plans if p.reference_flagged)


@dataclass(frozen=True)
class LineageRow:
    """One root item in one plan below its root (`lineage` table)."""
    root_doc_id: str
    root_item: Item
    doc_id: str
    depth: int
    path: tuple[str, ...]     # the plans from the root's child down to doc_id
    status: str               # carried | modified | dropped
    lost_at: str | None       # dropped: the first plan of the path without the item
    item_ids: tuple[str, ...]


@dataclass
class ReportData:
    out_dir: Path
    reference: Reference | None
    plans: list[Plan]
    matrix: list[MatrixRow]
    verdicts: dict[str, list[Verdict]]
    # Every parent used, with its plans: one group (the reference and every plan) unless the
    # run routed plans to several parents (`plandiff run --reference DIR`).
    groups: list[ParentGroup] = field(default_factory=list)
    references: list[Reference] = field(default_factory=list)  # every reference of the run
    lineage: list[LineageRow] = field(default_factory=list)

    @property
    def routed(self) -> bool:
        """The plans were checked against more than one parent: the pages group them by parent."""
        return len([g for g in self.groups if g.doc_id is not None]) > 1

    @property
    def chains(self) -> bool:
        """Some plan is checked against another plan of the batch: lineage.html is written."""
        return any(row.depth >= 2 for row in self.lineage)

    def plan(self, doc_id: str | None) -> Plan | None:
        return next((p for p in self.plans if p.doc_id == doc_id), None)

    def group_of(self, plan: Plan) -> ParentGroup | None:
        return next((g for g in self.groups if plan in g.plans), None)

    def unused_references(self) -> list[Reference]:
        used = {g.doc_id for g in self.groups}
        return [r for r in self.references if r.doc_id not in used]

    def for_group(self, group: ParentGroup) -> ReportData:
        """The view of one parent's plans, as the one-reference report shows them."""
        return ReportData(out_dir=self.out_dir, reference=group.reference,
                          plans=group.plans, matrix=group.matrix, verdicts=self.verdicts,
                          groups=[group], references=self.references, lineage=self.lineage)

    @property
    def ok_plans(self) -> list[Plan]:
        return [p for p in self.plans if p.ok]

    def families(self) -> list[list[Plan]]:
        """Plans that are near-copies of one template (two or more per family), in plan order."""
        return [group for group in self._groups(self.plans) if len(group) > 1]

    def family_of(self, plan: Plan) -> list[Plan]:
        """The plan's template family, itself included ([plan] when it copies no other plan)."""
        if plan.template_group is None:
            return [plan]
        return [p for p in self.plans if p.template_group == plan.template_group]

    def witnesses(self, item: Item) -> list[list[Plan | str]]:
        """The plans carrying a consensus item, grouped by template family (one group is one
        witness); a doc_id the documents table lacks stands for itself."""
        if item.evidence is None:
            return []
        by_id = {p.doc_id: p for p in self.plans}
        known = [by_id[d] for d in item.evidence.plans if d in by_id]
        groups: list[list[Plan | str]] = [list(g) for g in self._groups(sorted(known, key=lambda p: p.number))]
        groups += [[d] for d in item.evidence.plans if d not in by_id]
        return groups

    @staticmethod
    def _groups(plans: list[Plan]) -> list[list[Plan]]:
        groups: dict[str, list[Plan]] = {}
        for plan in plans:
            # A plan without a family (older tables, a given reference) is its own witness.
            groups.setdefault(plan.template_group or f"doc:{plan.doc_id}", []).append(plan)
        return list(groups.values())

    def parts(self) -> list[str]:
        """Parts of the matrix's rows, in reading order of the reference."""
        return list(dict.fromkeys(row.ref.part for row in self.matrix))


# ---------------------------------------------------------------- loading

def read_tables(out_dir: Path) -> dict[str, pd.DataFrame]:
    out_dir = Path(out_dir)
    tables: dict[str, pd.DataFrame] = {}
    for name in REQUIRED_TABLES + OPTIONAL_TABLES:
        path = out_dir / name
        if not path.exists():
            if name in REQUIRED_TABLES:
                raise ReportError(f"table {name} not found under {out_dir}: "
                                  "run `plandiff run` first")
            continue
        try:
            tables[name] = pd.read_parquet(path)
        except Exception as exc:  # pyarrow raises several unrelated types for a bad file
            raise ReportError(f"cannot read table {name} from {out_dir}: {exc}") from exc
    return tables


def _py(value: object) -> object:
    """A pandas/numpy cell as a plain Python value (None for missing)."""
    if value is None:
        return None
    if hasattr(value, "tolist") and not isinstance(value, str):
        return value.tolist()
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    return value


def _records(df: pd.DataFrame) -> list[dict]:
    return [{k: _py(v) for k, v in row.items()} for row in df.to_dict("records")]


def _int(value: object) -> int | None:
    if value is None:
        return None
    if isinstance(value, int | float | str):
        return int(value)
    raise ReportError(f"expected a whole number in the tables, got {value!r}")


def _evidence(row: dict) -> Evidence | None:
    """An inferred reference item's evidence; None for other items and for older tables."""
    origin = row.get("consensus_origin")
    if row.get("support") is None or origin is None:
        return None
    try:
        origin = Origin(origin)
    except ValueError as exc:
        raise ReportError(f"unknown consensus origin {origin!r} in the tables") from exc
    confidence = row.get("consensus_confidence")
    return Evidence(support=_int(row.get("support")), plans=tuple(row.get("support_plans") or ()),
                    levels=tuple(row.get("support_levels") or ()),
                    variants=_int(row.get("wording_variants")), origin=origin,
                    confidence=float(confidence) if confidence is not None else None)


def _item(row: dict) -> Item:
    return Item(item_id=row["item_id"], doc_id=row["doc_id"], ordinal=int(row["ordinal"]),
                label=row.get("label") or "", kind=row.get("kind") or "",
                heading=row.get("heading") or "", text=row.get("text") or "",
                part=row.get("part") or "other", lead=row.get("lead"),
                partners=list(row.get("partners") or []), timeline=row.get("timeline"),
                frequency=row.get("frequency"), page=_int(row.get("page")),
                support=_int(row.get("support")), evidence=_evidence(row))


def slugify(doc_id: str) -> str:
    """A file-name-safe form of a document id (ids are hex, but never trust that)."""
    ascii_id = unicodedata.normalize("NFKD", doc_id).encode("ascii", "ignore").decode()
    return re.sub(r"[^A-Za-z0-9_-]+", "_", ascii_id).strip("_")[:80] or "doc"


# ---------------------------------------------------------------- joining

def load_report_data(out_dir: Path) -> ReportData:
    tables = read_tables(out_dir)
    docs, items, aligns = tables["documents"], tables["items"], tables["alignments"]
    for name, df, cols in (("documents", docs, ("doc_id", "status", "role")),
                           ("items", items, ("doc_id", "item_id", "ordinal", "part")),
                           ("alignments", aligns, ("reference_doc_id", "reference_item_id",
                                                   "doc_id", "item_id", "status"))):
        missing = [c for c in cols if c not in df.columns]
        if missing:
            raise ReportError(f"table {name} under {out_dir} lacks columns {missing}")
    references = _references(docs, items)
    reference = _reference(references, aligns)
    plans = _plans(docs, aligns, tables.get("pages"), _parent_references(tables.get("parent_references")))
    _parents(plans, aligns, reference)
    item_cols = [c for c in ITEM_COLUMNS if c in items.columns]
    wanted = set(aligns["reference_item_id"].dropna()) | set(aligns["item_id"].dropna())
    if "coverage" in tables and "reference_item_id" in tables["coverage"]:
        wanted |= set(tables["coverage"]["reference_item_id"].dropna())
    lineage_table = tables.get("lineage")
    if lineage_table is not None and "root_item_id" in lineage_table:
        wanted |= set(lineage_table["root_item_id"].dropna())
    item_by_id = {row["item_id"]: _item(row)
                  for row in _records(items.loc[items["item_id"].isin(wanted), item_cols])}
    groups = _groups(references, plans)
    for group in groups:
        if group.reference is None:
            continue
        group.matrix = _matrix(group.reference.doc_id, group.plans, aligns, tables.get("coverage"), item_by_id)
        # Weakly supported consensus items are kept out of the coverage share (and
        # counted apart): a plan is not short of its parent's text for leaving out one
        # template's addition.
        strong = [r for r in group.matrix if r.ref.weakness is None]
        weak = [r for r in group.matrix if r.ref.weakness is not None]
        group.reference.items, group.reference.weak = len(group.matrix), len(weak)
        for plan in group.plans:
            plan.ref_total = len(strong) if plan.ok else 0
            plan.covered = sum(1 for r in strong if r.cells.get(plan.doc_id) in PAIRED_STATUSES)
            plan.weak_total = len(weak) if plan.ok else 0
            plan.weak_covered = sum(1 for r in weak if r.cells.get(plan.doc_id) in PAIRED_STATUSES)
    verdicts = _verdicts(aligns, item_by_id)
    for plan in plans:
        mine = verdicts.get(plan.doc_id, [])
        plan.rows = len(mine)
        plan.reviewed = sum(1 for v in mine if v.review_state is ReviewState.REVIEWED)
        plan.stale = sum(1 for v in mine if v.review_state is ReviewState.STALE)
        plan.needs_review = sum(1 for v in mine if v.needs_review)
    primary = next((g for g in groups if reference is not None and g.doc_id == reference.doc_id), None)
    return ReportData(out_dir=Path(out_dir), reference=reference, plans=plans,
                      matrix=primary.matrix if primary is not None else [], verdicts=verdicts,
                      groups=groups, references=references,
                      lineage=_lineage(lineage_table, item_by_id))


def _references(docs: pd.DataFrame, items: pd.DataFrame) -> list[Reference]:
    """Every reference of the run: the given ones by file, then an inferred one."""
    rows = _records(docs[docs["role"].isin(REFERENCE_ROLES)])
    rows.sort(key=lambda r: (r["role"] == "inferred_reference", r.get("source_path") or "~", r["doc_id"]))
    out = []
    for row in rows:
        ref_items = items[items["doc_id"] == row["doc_id"]]
        support = ref_items["support"].dropna() if "support" in ref_items else pd.Series(dtype=float)
        out.append(Reference(
            doc_id=row["doc_id"], title=row.get("title"), issuer=row.get("issuer"),
            plan_number=row.get("plan_number"), issued_on=row.get("issued_on"),
            inferred=row["role"] == "inferred_reference", items=0,  # set from the matrix
            support_min=int(support.min()) if len(support) else None,
            support_max=int(support.max()) if len(support) else None,
            source_path=row.get("source_path")))
    return out


def _reference(references: list[Reference], aligns: pd.DataFrame) -> Reference | None:
    """The reference the most plans were checked against (the one reference of a one-parent run)."""
    if not references:
        return None
    per_ref = aligns.groupby("reference_doc_id")["doc_id"].nunique().to_dict() if len(aligns) else {}
    used = [r for r in references if per_ref.get(r.doc_id)]
    if not used:
        return references[0]
    return max(used, key=lambda r: per_ref[r.doc_id])  # max keeps the first of equals


def _parents(plans: list[Plan], aligns: pd.DataFrame, reference: Reference | None) -> None:
    """Each plan's parent: documents.reference_doc_id, else the parent its alignments name,
    else (tables of an older plandiff) the one reference."""
    named = aligns.dropna(subset=["reference_doc_id"]).groupby("doc_id")["reference_doc_id"].agg(
        lambda ids: ids.value_counts().index[0]).to_dict() if len(aligns) else {}
    for plan in plans:
        if plan.parent_doc_id is None and plan.ok:
            plan.parent_doc_id = named.get(plan.doc_id) or (reference.doc_id if reference else None)


def _plan_reference(plan: Plan) -> Reference:
    """A plan of the batch seen as the parent of the plans checked against it."""
    return Reference(doc_id=plan.doc_id, title=plan.title, issuer=plan.issuer,
                     plan_number=plan.plan_number, issued_on=plan.issued_on, inferred=False,
                     items=0, support_min=None, support_max=None, source_path=plan.source_path)


def _groups(references: list[Reference], plans: list[Plan]) -> list[ParentGroup]:
    """One group per parent used, a root reference before the plans below it; plans without a
    parent (they failed) go last, or with the one parent when there is only one."""
    by_ref = {r.doc_id: r for r in references}
    by_plan = {p.doc_id: p for p in plans}

    def chain(doc_id: str | None) -> list[str]:
        ids: list[str] = []
        while doc_id is not None and doc_id not in ids:
            ids.append(doc_id)
            plan = by_plan.get(doc_id)
            doc_id = plan.parent_doc_id if plan is not None else None
        return ids[::-1]

    ref_order = {r.doc_id: i for i, r in enumerate(references)}
    members: dict[str, list[Plan]] = {}
    orphans: list[Plan] = []
    for plan in plans:
        parent = plan.parent_doc_id
        if parent is not None and (parent in by_ref or parent in by_plan):
            members.setdefault(parent, []).append(plan)
        else:
            orphans.append(plan)

    def key(doc_id: str) -> tuple[int, int, int]:
        ids = chain(doc_id)
        return (ref_order.get(ids[0], len(ref_order)), len(ids),
                by_plan[doc_id].number if doc_id in by_plan else 0)

    groups: list[ParentGroup] = []
    for doc_id in sorted(members, key=key):
        parent_plan = by_plan.get(doc_id)
        reference = by_ref.get(doc_id) if parent_plan is None else _plan_reference(parent_plan)
        groups.append(ParentGroup(number=len(groups) + 1, doc_id=doc_id, reference=reference,
                                  parent_plan=parent_plan, plans=members[doc_id], matrix=[],
                                  depth=len(chain(doc_id)) - 1))
    if orphans and len(groups) == 1:
        groups[0].plans = sorted(groups[0].plans + orphans, key=lambda p: p.number)
    elif orphans or not groups:
        groups.append(ParentGroup(number=len(groups) + 1, doc_id=None, reference=None,
                                  parent_plan=None, plans=orphans, matrix=[]))
    return groups


def _lineage(table: pd.DataFrame | None, item_by_id: dict[str, Item]) -> list[LineageRow]:
    if table is None or table.empty:
        return []
    out = []
    for row in _records(table):
        item = _lookup(item_by_id, row.get("root_item_id"))
        if item is None:
            raise ReportError(f"lineage names root item {row.get('root_item_id')} that items lacks")
        out.append(LineageRow(root_doc_id=row["root_doc_id"], root_item=item, doc_id=row["doc_id"],
                              depth=int(row["depth"]), path=tuple(row.get("path") or ()),
                              status=row["status"], lost_at=row.get("lost_at"),
                              item_ids=tuple(row.get("item_ids") or ())))
    return out


def _page_flags(pages: pd.DataFrame | None) -> dict[str, dict]:
    if pages is None or pages.empty:
        return {}
    frame = pages.assign(
        is_ocr=pages["text_source"] == "ocr",
        restored=pages["diacritics_restored"].fillna(False).astype(bool)
        if "diacritics_restored" in pages else False)
    conf = frame["ocr_confidence"].where(frame["is_ocr"]) if "ocr_confidence" in frame else None
    text = frame["text"].fillna("") if "text" in frame else pd.Series("", index=frame.index)
    frame = frame.assign(conf=conf, letters=text.str.count(r"[^\W\d_]"),
                         marked=text.str.count(VIETNAMESE_MARKED))
    grouped = frame.groupby("doc_id").agg(ocr_pages=("is_ocr", "sum"),
                                          restored_pages=("restored", "sum"),
                                          ocr_confidence=("conf", "mean"),
                                          letters=("letters", "sum"), marked=("marked", "sum"))
    return {doc_id: {k: _py(v) for k, v in row.items()}
            for doc_id, row in grouped.to_dict("index").items()}


def _lacks_diacritics(flag: dict) -> bool:
    letters, marked = flag.get("letters") or 0, flag.get("marked") or 0
    return letters >= MIN_LETTERS and marked / letters < MISSING_DIACRITICS_SHARE


def _parent_references(table: pd.DataFrame | None) -> dict[str, list[ParentReference]]:
    """doc_id -> the documents it names among its legal bases, implemented ones first."""
    if table is None or table.empty:
        return {}
    out: dict[str, list[ParentReference]] = {}
    rows = _records(table)
    # The table's ordinals already put implemented references first; sorting again
    # keeps that true of a table written in another order.
    rows.sort(key=lambda r: (r.get("role") != "implements", r.get("ordinal") or 0))
    for row in rows:
        out.setdefault(row["doc_id"], []).append(ParentReference(
            role=row.get("role") or "basis", kind=row.get("kind") or "", number=row.get("number") or "",
            issued_on=row.get("issued_on"), issuer=row.get("issuer")))
    return out


def _plans(docs: pd.DataFrame, aligns: pd.DataFrame, pages: pd.DataFrame | None,
           references: dict[str, list[ParentReference]]) -> list[Plan]:
    rows = _records(docs[docs["role"] == "plan"])
    rows.sort(key=lambda r: (r.get("source_path") or "~", r["doc_id"]))
    counts, flags = verdict_counts(aligns).to_dict(orient="index"), _page_flags(pages)
    plans, slugs = [], set()
    for number, row in enumerate(rows, start=1):
        slug = slugify(row["doc_id"])
        while slug in slugs:
            slug += "_"
        slugs.add(slug)
        flag = flags.get(row["doc_id"], {})
        plans.append(Plan(
            doc_id=row["doc_id"], number=number, slug=slug, source_path=row.get("source_path"),
            issuer=row.get("issuer"), title=row.get("title"), plan_number=row.get("plan_number"),
            issued_on=row.get("issued_on"), admin_level=row.get("admin_level") or "unknown",
            text_source=row.get("text_source"), pages=_int(row.get("pages")),
            status=row.get("status") or "ok", error=row.get("error"), place=row.get("place"),
            signer=row.get("signer"), signing_capacity=row.get("signing_capacity"),
            parent_refs=list(row.get("parent_refs") or []), items=_int(row.get("items")) or 0,
            counts=counts.get(row["doc_id"], dict.fromkeys(STATUSES, 0)),
            ocr_pages=int(flag.get("ocr_pages") or 0),
            ocr_confidence=flag.get("ocr_confidence"),
            restored_pages=int(flag.get("restored_pages") or 0),
            diacritics_restored=bool(row.get("diacritics_restored")),
            lacks_diacritics=_lacks_diacritics(flag), template_group=row.get("template_group"),
            parent_references=references.get(row["doc_id"], []),
            decision_number=row.get("decision_number"),
            decision_issued_on=row.get("decision_issued_on"),
            parent_doc_id=row.get("reference_doc_id"), reference_match=row.get("reference_match"),
            reference_evidence=row.get("reference_evidence"),
            reference_evidence_vi=row.get("reference_evidence_vi"),
            reference_flagged=bool(row.get("reference_flagged"))))
    return plans


def _matrix(parent_id: str, plans: list[Plan], aligns: pd.DataFrame,
            coverage: pd.DataFrame | None, item_by_id: dict[str, Item]) -> list[MatrixRow]:
    """The parent's items × the plans checked against it."""
    mine = {p.doc_id for p in plans}
    rows = aligns[(aligns["reference_doc_id"] == parent_id) & aligns["reference_item_id"].notna()]
    if coverage is not None and not coverage.empty and {"reference_item_id", "doc_id", "status"} \
            <= set(coverage.columns):
        rows = coverage[coverage["reference_doc_id"] == parent_id] \
            if "reference_doc_id" in coverage else coverage
    rows = rows[rows["doc_id"].isin(mine)]
    statuses = rows.groupby(["reference_item_id", "doc_id"])["status"].agg(set).to_dict()
    scores = rows.groupby(["reference_item_id", "doc_id"])["score"].max().to_dict() \
        if "score" in rows else {}
    reviews = rows.groupby(["reference_item_id", "doc_id"])["review_state"].agg(
        lambda states: cell_review(_review_state(s) for s in states)).to_dict() \
        if "review_state" in rows else {}
    plan_ids = [p.doc_id for p in plans if p.ok]
    matrix = []
    for ref_id in rows["reference_item_id"].unique():
        ref = item_by_id.get(ref_id)
        if ref is None:
            raise ReportError(f"alignments name reference item {ref_id} that items lacks")
        cells = {d: cell_status(statuses.get((ref_id, d), set())) for d in plan_ids}
        sc = {d: float(scores.get((ref_id, d), 0.0)) for d in plan_ids}
        rv = {d: reviews.get((ref_id, d), ReviewState.UNREVIEWED) for d in plan_ids}
        matrix.append(MatrixRow(ref=ref, cells=cells, scores=sc, reviews=rv))
    order = {part: i for i, part in enumerate(dict.fromkeys(
        r.ref.part for r in sorted(matrix, key=lambda r: r.ref.ordinal)))}
    matrix.sort(key=lambda r: (order[r.ref.part], r.ref.ordinal))
    return matrix


def _lookup(item_by_id: dict[str, Item], item_id: object) -> Item | None:
    """The item a table cell names; None for an empty cell or an id the items table lacks."""
    return item_by_id.get(item_id) if isinstance(item_id, str) and item_id else None


def _review_state(value: object) -> ReviewState:
    try:
        return review_state(value)
    except ValueError as exc:
        raise ReportError(f"unknown review state {value!r} in the tables") from exc


def _text(value: object) -> str | None:
    """A reviewer's name or note: None when missing or blank."""
    return (value.strip() or None) if isinstance(value, str) else None


def _confidence(value: object) -> float | None:
    """A row's confidence; None when the tables do not say (an older plandiff, a null)."""
    if value is None:
        return None
    if isinstance(value, int | float):
        return float(value)
    raise ReportError(f"expected a confidence between 0 and 1 in the tables, got {value!r}")


def review_first(verdicts: list[Verdict]) -> list[Verdict]:
    """The verdicts a reviewer should look at first, least confident first (equals keep their
    order), then the others in their order.  A flagged row of unknown confidence goes first."""
    flagged = sorted((v for v in verdicts if v.needs_review),
                     key=lambda v: v.confidence if v.confidence is not None else -1.0)
    return flagged + [v for v in verdicts if not v.needs_review]


def _verdicts(aligns: pd.DataFrame, item_by_id: dict[str, Item]) -> dict[str, list[Verdict]]:
    out: dict[str, list[Verdict]] = {}
    for row in _records(aligns[[c for c in ALIGNMENT_COLUMNS if c in aligns.columns]]):
        ref = _lookup(item_by_id, row.get("reference_item_id"))
        item = _lookup(item_by_id, row.get("item_id"))
        if ref is None and item is None:
            continue
        candidate = _lookup(item_by_id, row.get("candidate_item_id"))
        out.setdefault(row["doc_id"], []).append(Verdict(
            status=row["status"], score=float(row.get("score") or 0.0),
            changes=list(row.get("changes") or []), ref=ref, item=item, candidate=candidate,
            candidate_score=float(row["candidate_score"]) if candidate is not None else None,
            review_state=_review_state(row.get("review_state")), reviewer=_text(row.get("reviewer")),
            reviewed_at=row.get("reviewed_at"), review_note=_text(row.get("review_note")),
            after_review=row.get("decided_by") == DecisionRule.AFTER_REVIEW,
            confidence=_confidence(row.get("confidence")), needs_review=bool(row.get("needs_review"))))
    for verdicts in out.values():
        verdicts.sort(key=lambda v: (v.ref.ordinal if v.ref else 10**9,
                                     v.item.ordinal if v.item else 0))
    return out
