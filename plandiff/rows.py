"""Model objects -> table rows (dicts keyed by the declared column names)."""
from __future__ import annotations

import hashlib

from plandiff.align import Alignment
from plandiff.ingest.model import doc_id_for
from plandiff.parse import PlanDocument


def document_row(plan: PlanDocument, role: str) -> dict:
    src = plan.source
    meta = plan.meta
    return {
        "doc_id": plan.doc_id,
        "source_path": src.source_path if src else None,
        "sha256": src.sha256 if src else None,
        "title": meta.title,
        "plan_number": meta.plan_number,
        "issued_on": meta.issued_on,
        "issuer": meta.issuer,
        "admin_level": meta.admin_level.value,
        "pages": len(src.pages) if src else 0,
        "text_source": src.text_source.value if src else "mixed",
        "diacritics_restored": bool(src.diacritics_restored) if src else False,
        "status": "ok",
        "error": None,
        "role": role,
        "place": meta.place,
        "items": len(plan.items),
    }


def failed_document_row(path: str, sha256: str | None, error: str) -> dict:
    if sha256:
        doc_id = doc_id_for(sha256)
        if error.startswith("duplicate of"):
            doc_id += "-dup" + hashlib.sha256(path.encode()).hexdigest()[:8]
    else:
        doc_id = "x" + hashlib.sha256(path.encode()).hexdigest()[:16]
    return {
        "doc_id": doc_id, "source_path": path, "sha256": sha256, "title": None,
        "plan_number": None, "issued_on": None, "issuer": None, "admin_level": "unknown",
        "pages": None, "text_source": None, "diacritics_restored": None, "status": "failed",
        "error": error, "role": "plan", "place": None, "items": 0,
    }


def item_rows(plan: PlanDocument) -> list[dict]:
    return [{
        "doc_id": plan.doc_id, "item_id": it.item_id, "parent_id": it.parent_id,
        "ordinal": it.ordinal, "depth": it.depth, "label": it.label, "kind": it.kind.value,
        "heading": it.heading, "text": it.text, "part": it.part.value, "lead": it.lead,
        "partners": list(it.partners), "timeline": it.timeline, "frequency": it.frequency,
        "page": it.page, "char_start": it.start, "char_end": it.end, "scheme": it.scheme, "label_understood": it.label_understood,
        "support": it.support,
    } for it in plan.items]


def citation_rows(plan: PlanDocument) -> list[dict]:
    return [{"doc_id": plan.doc_id, "item_id": c.item_id, "kind": c.kind, "number": c.number,
             "issued_on": c.issued_on, "raw": c.raw} for c in plan.citations]


def alignment_rows(alignments: list[Alignment]) -> list[dict]:
    return [{"reference_doc_id": a.reference_doc_id, "reference_item_id": a.reference_item_id,
             "doc_id": a.doc_id, "item_id": a.item_id, "status": a.status.value,
             "score": float(a.score), "changes": list(a.changes)} for a in alignments]
