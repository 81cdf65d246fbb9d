"""Writing every table of a run from its documents and alignments."""
from __future__ import annotations

from pathlib import Path

from plandiff.align import Alignment
from plandiff.align.consensus import Consensus
from plandiff.parse import PlanDocument

from .rows import (
    agency_rows,
    alignment_rows,
    citation_rows,
    coverage_rows,
    document_row,
    failed_document_row,
    item_rows,
    page_rows,
    parent_reference_rows,
)
from .storage import DATA_FILE, write_table
from .tables import DocumentRole

TABLE_NAMES = ("documents", "items", "citations", "pages", "alignments", "coverage", "agencies",
               "parent_references")


def tables_exist(out_dir: Path) -> bool:
    return all((Path(out_dir) / name / DATA_FILE).is_file() for name in TABLE_NAMES)


DECISIONS_THROUGH = "plandiff.decisions_through"   # alignments' metadata: last reviewer decision applied


def write_outputs(out_dir: Path, ref: PlanDocument, outcomes: list, alignments: list[Alignment],
                  consensus: Consensus | None = None, decisions_through: int = 0) -> None:
    """Every table, each replaced atomically.

    Rows are ordered by document id, not by input order, so that the same
    inputs always give the same tables.
    """
    role = DocumentRole.INFERRED_REFERENCE if ref.inferred else DocumentRole.REFERENCE
    documents = [document_row(ref, role)]
    items, citations, pages = item_rows(ref, consensus), citation_rows(ref), page_rows(ref)
    references = parent_reference_rows(ref)
    for o in sorted(outcomes, key=lambda o: (o.plan.doc_id if o.plan else "~", o.path)):
        if o.plan is None:
            documents.append(failed_document_row(o.path, o.sha256, o.error or "unknown error",
                                                 o.error_vi))
            continue
        documents.append(document_row(o.plan, DocumentRole.PLAN, consensus))
        items.extend(item_rows(o.plan))
        citations.extend(citation_rows(o.plan))
        pages.extend(page_rows(o.plan))
        references.extend(parent_reference_rows(o.plan))
    alignments = sorted(alignments, key=lambda a: a.doc_id)
    plans = [o.plan for o in outcomes if o.plan is not None]
    plan_ids = sorted(p.doc_id for p in plans)
    real = plans + ([] if ref.inferred else [ref])
    tables = {
        "documents": documents, "items": items, "citations": citations, "pages": pages,
        "alignments": alignment_rows(alignments, ref.inferred),
        "coverage": coverage_rows(ref, plan_ids, alignments),
        "agencies": agency_rows(real),
        "parent_references": references,
    }
    for name in TABLE_NAMES:
        # The workbench counts a plan's review states from the table when no decision
        # came after the run (decisions_through), instead of applying them again.
        extra = {DECISIONS_THROUGH: str(decisions_through)} if name == "alignments" else None
        write_table(out_dir, name, tables[name], extra)
