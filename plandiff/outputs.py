"""Writing every table of a run from its documents and alignments."""
from __future__ import annotations

from pathlib import Path

from plandiff.align import Alignment
from plandiff.align.consensus import Consensus
from plandiff.parse import PlanDocument

from .lineage import lineage
from .routing import Route
from .rows import (
    agency_rows,
    alignment_rows,
    citation_rows,
    coverage_rows,
    document_row,
    failed_document_row,
    item_rows,
    lineage_rows,
    page_rows,
    parent_reference_rows,
)
from .storage import DATA_FILE, write_table
from .tables import DocumentRole

TABLE_NAMES = ("documents", "items", "citations", "pages", "alignments", "coverage", "agencies",
               "parent_references", "lineage")


def tables_exist(out_dir: Path) -> bool:
    return all((Path(out_dir) / name / DATA_FILE).is_file() for name in TABLE_NAMES)


DECISIONS_THROUGH = "plandiff.decisions_through"   # alignments' metadata: last reviewer decision applied


def write_outputs(out_dir: Path, references: list[PlanDocument], routes: dict[str, Route], outcomes: list,
                  alignments: list[Alignment], consensus: Consensus | None = None,
                  decisions_through: int = 0) -> None:
    """Every table, each replaced atomically.

    `references` are the library's plans and the inferred reference, when one was
    needed; `routes` say which parent each plan was checked against. Rows are
    ordered by document id, not by input order, so that the same inputs always
    give the same tables.
    """
    documents, items, citations, pages, references_rows = [], [], [], [], []
    for ref in sorted(references, key=lambda r: r.doc_id):
        role = DocumentRole.INFERRED_REFERENCE if ref.inferred else DocumentRole.REFERENCE
        documents.append(document_row(ref, role))
        items += item_rows(ref, consensus if ref.inferred else None)
        citations += citation_rows(ref)
        pages += page_rows(ref)
        references_rows += parent_reference_rows(ref)
    for o in sorted(outcomes, key=lambda o: (o.plan.doc_id if o.plan else "~", o.path)):
        if o.plan is None:
            documents.append(failed_document_row(o.path, o.sha256, o.error or "unknown error",
                                                 o.error_vi, o.role))
            continue
        documents.append(document_row(o.plan, DocumentRole.PLAN, consensus, routes.get(o.plan.doc_id)))
        items.extend(item_rows(o.plan))
        citations.extend(citation_rows(o.plan))
        pages.extend(page_rows(o.plan))
        references_rows.extend(parent_reference_rows(o.plan))
    alignments = sorted(alignments, key=lambda a: a.doc_id)
    plans = [o.plan for o in outcomes if o.plan is not None]
    docs = {d.doc_id: d for d in [*references, *plans]}
    parent_of = {p.doc_id: routes[p.doc_id].parent_id for p in plans if routes.get(p.doc_id)}
    children: dict[str, list[str]] = {}
    for plan_id, parent_id in sorted(parent_of.items()):
        children.setdefault(parent_id or "", []).append(plan_id)
    rows_of: dict[str, list[Alignment]] = {}
    for a in alignments:
        rows_of.setdefault(a.doc_id, []).append(a)
    coverage: list[dict] = []
    for parent_id in sorted(children):
        # Each parent's items against the plans checked against it.
        coverage += coverage_rows(docs[parent_id], children[parent_id],
                                  [a for doc_id in children[parent_id] for a in rows_of.get(doc_id, [])])
    real = plans + [r for r in references if not r.inferred]
    inferred = {r.doc_id for r in references if r.inferred}
    tables = {
        "documents": documents, "items": items, "citations": citations, "pages": pages,
        "alignments": alignment_rows(alignments, inferred),
        "coverage": coverage,
        "agencies": agency_rows(real),
        "parent_references": references_rows,
        "lineage": lineage_rows(lineage(docs, {k: v for k, v in parent_of.items() if v}, alignments)),
    }
    for name in TABLE_NAMES:
        # The workbench counts a plan's review states from the table when no decision
        # came after the run (decisions_through), instead of applying them again.
        extra = {DECISIONS_THROUGH: str(decisions_through)} if name == "alignments" else None
        write_table(out_dir, name, tables[name], extra)
