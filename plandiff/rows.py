"""Model objects -> table rows (dicts keyed by the declared column names)."""
from __future__ import annotations

import hashlib
from collections import Counter
from datetime import datetime

from plandiff.align import Alignment, Status
from plandiff.align.consensus import Consensus, ItemEvidence
from plandiff.align.model import DecisionRule, Relation
from plandiff.ingest.model import doc_id_for
from plandiff.parse import PlanDocument
from plandiff.parse.model import AdminLevel, Item, ItemKind, Metadata, Part

from .decisions import ReviewState, review_state
from .lineage import Reach
from .routing import Route
from .tables import DocumentRole, DocumentStatus


def document_row(plan: PlanDocument, role: DocumentRole, consensus: Consensus | None = None,
                 route: Route | None = None) -> dict:
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
        "status": DocumentStatus.OK.value,
        "error": None,
        "error_vi": None,
        "role": role.value,
        "place": meta.place,
        "items": len(plan.items),
        "signer": meta.signer,
        "signing_capacity": meta.signing_capacity,
        "parent_refs": list(meta.parent_refs),
        "decision_number": meta.decision_number,
        "decision_issued_on": meta.decision_issued_on,
        "template_group": consensus.families.family_of.get(plan.doc_id) if consensus else None,
        "reference_doc_id": route.parent_id if route else None,
        "reference_match": route.match.value if route else None,
        "reference_evidence": route.evidence if route else None,
        "reference_evidence_vi": route.evidence_vi if route else None,
        "reference_flagged": route.flagged if route else None,
    }


def failed_document_row(path: str, sha256: str | None, error: str, error_vi: str | None,
                        role: DocumentRole = DocumentRole.PLAN) -> dict:
    if sha256:
        doc_id = doc_id_for(sha256)
        if error.startswith(("duplicate of", "same content as the reference")):
            doc_id += "-dup" + hashlib.sha256(path.encode()).hexdigest()[:8]
    else:
        doc_id = "x" + hashlib.sha256(path.encode()).hexdigest()[:16]
    return {
        "doc_id": doc_id, "source_path": path, "sha256": sha256, "title": None,
        "plan_number": None, "issued_on": None, "issuer": None, "admin_level": "unknown",
        "pages": None, "text_source": None, "diacritics_restored": None,
        "status": DocumentStatus.FAILED.value, "error": error, "error_vi": error_vi,
        "role": role.value, "place": None, "items": 0,
    }


def item_rows(plan: PlanDocument, consensus: Consensus | None = None) -> list[dict]:
    evidence = consensus.evidence if consensus is not None else {}
    return [{
        "doc_id": plan.doc_id, "item_id": it.item_id, "parent_id": it.parent_id,
        "ordinal": it.ordinal, "depth": it.depth, "label": it.label, "kind": it.kind.value,
        "heading": it.heading, "text": it.text, "part": it.part.value, "lead": it.lead,
        "partners": list(it.partners), "timeline": it.timeline, "frequency": it.frequency,
        "page": it.page, "char_start": it.start, "char_end": it.end, "scheme": it.scheme,
        "label_understood": it.label_understood, "label_repaired": label_repaired(it),
        "support": it.support, "lead_key": it.lead_key or None,
        "partner_keys": list(it.partner_keys), "lead_inherited": it.lead_inherited,
        "timeline_kind": it.timeline_kind, "timeline_year": it.timeline_year,
        "timeline_quarters": list(it.timeline_quarters),
        "frequency_per_year": it.frequency_per_year,
        "cited_by": it.cited_by, "cited_at": it.cited_at,
        **_evidence_columns(evidence.get(it.item_id)),
    } for it in plan.items]


def _evidence_columns(evidence: ItemEvidence | None) -> dict:
    if evidence is None:
        return {}
    return {"support_plans": list(evidence.plans), "support_levels": list(evidence.levels),
            "wording_variants": len(evidence.variants), "consensus_origin": evidence.origin.value,
            "consensus_confidence": round(evidence.confidence, 4)}


def parent_reference_rows(plan: PlanDocument) -> list[dict]:
    return [{"doc_id": plan.doc_id, "ordinal": n, "role": r.role.value, "kind": r.kind, "number": r.number,
             "issued_on": r.issued_on, "issuer": r.issuer, "raw": r.raw}
            for n, r in enumerate(plan.meta.references, 1)]


def label_repaired(item: Item) -> bool:
    """The outline label was read otherwise than written (footnote marks are not outline labels)."""
    return item.scheme != "FOOTNOTE" and bool(item.label_understood) and \
        item.label.replace(" ", "") != item.label_understood


def page_rows(plan: PlanDocument) -> list[dict]:
    src = plan.source
    if src is None:
        return []
    repairs = Counter(it.page for it in plan.items if label_repaired(it))
    return [{"doc_id": plan.doc_id, "page": p.number, "text_source": p.source.value,
             "reason": p.reason, "ocr_engine": p.ocr_engine, "ocr_language": p.ocr_language,
             "ocr_confidence": p.ocr_confidence, "ocr_corrections": p.ocr_corrections,
             "chars": len(p.text), "seconds": round(p.seconds, 4),
             "diacritics_restored": p.original_text is not None, "text": p.text,
             "original_text": p.original_text, "label_repairs": repairs[p.number]} for p in src.pages]


def citation_rows(plan: PlanDocument) -> list[dict]:
    return [{"doc_id": plan.doc_id, "item_id": c.item_id, "kind": c.kind, "number": c.number,
             "issued_on": c.issued_on, "raw": c.raw, "issuer": c.issuer} for c in plan.citations]


def alignment_rows(alignments: list[Alignment], inferred: set[str]) -> list[dict]:
    """`inferred`: the doc_ids of inferred references."""
    return [{"reference_doc_id": a.reference_doc_id, "reference_item_id": a.reference_item_id,
             "doc_id": a.doc_id, "item_id": a.item_id, "status": a.status.value,
             "score": float(a.score), "changes": list(a.changes), "text_score": a.text_score,
             "attribute_score": a.attribute_score, "position_score": a.position_score,
             "relation": a.relation and a.relation.value,
             "decided_by": a.decided_by and a.decided_by.value, "reason": a.reason or None,
             "shared_words": list(a.shared_words),
             "reference_only_words": list(a.reference_only_words),
             "plan_only_words": list(a.plan_only_words), "reference_inferred": a.reference_doc_id in inferred,
             "candidate_item_id": a.candidate_item_id, "candidate_score": a.candidate_score,
             "confidence": float(a.confidence), "needs_review": bool(a.needs_review),
             "review_state": review_state(a).value, "reviewer": a.reviewer,
             "reviewed_at": datetime.fromisoformat(a.reviewed_at) if a.reviewed_at else None,
             "review_note": a.review_note}
            for a in alignments]


def coverage_rows(reference: PlanDocument, plan_ids: list[str],
                  alignments: list[Alignment]) -> list[dict]:
    """Reference item x plan: carried, modified or dropped, over all pairs."""
    from plandiff.align import alignable

    by_key: dict[tuple[str, str], list[Alignment]] = {}
    for a in alignments:
        if a.reference_item_id is not None:
            by_key.setdefault((a.reference_item_id, a.doc_id), []).append(a)
    def state(rows: list[Alignment]) -> ReviewState:
        states = {review_state(a) for a in rows}
        if ReviewState.STALE in states:
            return ReviewState.STALE
        return ReviewState.REVIEWED if states == {ReviewState.REVIEWED} else ReviewState.UNREVIEWED

    rows = []
    for item in alignable(reference):
        for doc_id in plan_ids:
            pairs = [a for a in by_key.get((item.item_id, doc_id), []) if a.item_id is not None]
            changes = sorted({c for a in pairs for c in a.changes})
            status = Status.DROPPED if not pairs else \
                Status.MODIFIED if any(a.status is Status.MODIFIED for a in pairs) else Status.CARRIED
            rows.append({
                "reference_doc_id": reference.doc_id, "reference_item_id": item.item_id,
                "doc_id": doc_id, "status": status.value, "item_ids": [a.item_id for a in pairs],
                "score": max((a.score for a in pairs), default=0.0), "changes": changes,
                "part": item.part.value, "support": item.support,
                "reference_inferred": reference.inferred,
                "review_state": state(by_key.get((item.item_id, doc_id), [])).value})
    return rows


def agency_rows(plans: list[PlanDocument]) -> list[dict]:
    """The agencies vocabulary over every plan of the run."""
    from collections import defaultdict

    from plandiff.parse.agencies import agency_key
    from plandiff.parse.attributes import split_agencies

    spellings: dict[str, Counter] = defaultdict(Counter)
    docs: dict[str, set] = defaultdict(set)
    lead: Counter = Counter()
    partner: Counter = Counter()
    for plan in plans:
        for it in plan.items:
            leads = split_agencies(it.lead) if it.lead and not it.lead_inherited else ()
            named = [(n, lead) for n in leads] + [(p, partner) for p in it.partners]
            for name, counter in named:
                key = agency_key(name)
                if not key:
                    continue
                spellings[key][name] += 1
                docs[key].add(plan.doc_id)
                counter[key] += 1
    return [{"agency_key": key, "name": spellings[key].most_common(1)[0][0],
             "variants": sorted(spellings[key]), "plans": len(docs[key]),
             "as_lead": lead[key], "as_partner": partner[key]} for key in sorted(spellings)]


# ---------------------------------------------------------------- rows -> model objects
# The inverse of the writers above, for readers of a run's tables that need the
# model back (the review workbench applies decisions to what a run wrote).

def item_from_row(row: dict) -> Item:
    return Item(
        item_id=row["item_id"], parent_id=row["parent_id"], ordinal=row["ordinal"], depth=row["depth"],
        label=row["label"], kind=ItemKind(row["kind"]), heading=row["heading"], text=row["text"],
        part=Part(row["part"]), lead=row["lead"], partners=tuple(row["partners"] or ()),
        timeline=row["timeline"], frequency=row["frequency"], page=row["page"],
        start=row["char_start"] or 0, end=row["char_end"] or 0, scheme=row["scheme"] or "",
        label_understood=row["label_understood"] or "", lead_key=row["lead_key"] or "",
        partner_keys=tuple(row["partner_keys"] or ()), timeline_kind=row["timeline_kind"],
        timeline_year=row["timeline_year"], timeline_quarters=tuple(row["timeline_quarters"] or ()),
        frequency_per_year=row["frequency_per_year"], lead_inherited=bool(row["lead_inherited"]),
        support=row["support"], cited_by=row["cited_by"], cited_at=row["cited_at"])


def plan_from_rows(document: dict, items: list[dict]) -> PlanDocument:
    """A plan's metadata and items as a run wrote them (no page texts)."""
    meta = Metadata(title=document["title"], plan_number=document["plan_number"],
                    issued_on=document["issued_on"], issuer=document["issuer"],
                    admin_level=AdminLevel(document["admin_level"]), place=document["place"],
                    signer=document.get("signer"), signing_capacity=document.get("signing_capacity"),
                    parent_refs=tuple(document.get("parent_refs") or ()),
                    decision_number=document.get("decision_number"),
                    decision_issued_on=document.get("decision_issued_on"))
    return PlanDocument(doc_id=document["doc_id"], meta=meta,
                        items=tuple(item_from_row(r) for r in sorted(items, key=lambda r: r["ordinal"])),
                        inferred=document["role"] == DocumentRole.INFERRED_REFERENCE)


def alignment_from_row(row: dict) -> Alignment:
    reviewed_at = row.get("reviewed_at")
    return Alignment(
        reference_doc_id=row["reference_doc_id"], reference_item_id=row["reference_item_id"],
        doc_id=row["doc_id"], item_id=row["item_id"], status=Status(row["status"]), score=row["score"],
        changes=tuple(row["changes"] or ()), text_score=row["text_score"] or 0.0,
        attribute_score=row["attribute_score"], position_score=row["position_score"] or 0.0,
        relation=Relation(row["relation"]) if row["relation"] else None,
        decided_by=DecisionRule(row["decided_by"]) if row["decided_by"] else None,
        reason=row["reason"] or "", shared_words=tuple(row["shared_words"] or ()),
        reference_only_words=tuple(row["reference_only_words"] or ()),
        plan_only_words=tuple(row["plan_only_words"] or ()),
        candidate_item_id=row["candidate_item_id"], candidate_score=row["candidate_score"],
        confidence=row.get("confidence", 1.0), needs_review=bool(row.get("needs_review", False)),
        reviewer=row.get("reviewer"),
        reviewed_at=reviewed_at if reviewed_at is None or isinstance(reviewed_at, str) else reviewed_at.isoformat(),
        review_note=row.get("review_note"), review_stale=row.get("review_state") == "stale")


def lineage_rows(reaches: list[Reach]) -> list[dict]:
    return [{"root_doc_id": r.root_doc_id, "root_item_id": r.root_item_id, "doc_id": r.doc_id,
             "depth": r.depth, "path": list(r.path), "status": r.status.value, "lost_at": r.lost_at,
             "item_ids": list(r.item_ids), "via_item_ids": list(r.via_item_ids)} for r in reaches]
