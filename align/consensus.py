"""`--reference auto`: infer a consensus parent plan from the filed plans.

Items are clustered across plans (each plan contributes at most one item to
a cluster); clusters found in at least `min_support` plans become the items
of an inferred reference, each with its most central text and its support.
"""
from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass, field
from statistics import median

from plandiff.parse.model import AdminLevel, Item, ItemKind, Metadata, Part, PlanDocument

from .errors import AlignError
from .matching import alignable, greedy_pairs, score_matrix
from .model import AlignConfig
from .similarity import match_text

INFERRED_PREFIX = "inferred:"
_PART_ORDER = [p for p in Part]
_PART_TITLES = {
    Part.PURPOSE: "MỤC ĐÍCH", Part.REQUIREMENTS: "YÊU CẦU", Part.CONTENT: "NỘI DUNG",
    Part.TASKS: "NHIỆM VỤ, HOẠT ĐỘNG", Part.BUDGET: "KINH PHÍ",
    Part.ORGANIZATION: "TỔ CHỨC THỰC HIỆN", Part.OTHER: "KHÁC",
}


@dataclass
class _Cluster:
    members: list[tuple[int, Item, float]] = field(default_factory=list)  # plan index, item, rel. position
    key: str = ""

    def plans(self) -> set[int]:
        return {m[0] for m in self.members}


def infer_reference(plans: list[PlanDocument], config: AlignConfig = AlignConfig()) -> PlanDocument:
    if not plans:
        raise AlignError("no plan to infer a reference from")
    ordered = sorted(plans, key=lambda p: p.doc_id)
    clusters: list[_Cluster] = []
    for index, plan in enumerate(ordered):
        _add_plan(clusters, index, plan, config)
    kept = [c for c in clusters if len(c.plans()) >= config.min_support]
    kept.sort(key=_cluster_order)
    trusted = {i for i, plan in enumerate(ordered) if _text_is_trustworthy(plan)}
    doc_id = INFERRED_PREFIX + hashlib.sha256(
        "\n".join(p.doc_id for p in ordered).encode()).hexdigest()[:16]
    return PlanDocument(doc_id=doc_id, meta=_metadata(len(ordered), config.min_support),
                        items=_items(doc_id, kept, trusted), inferred=True)


def _add_plan(clusters: list[_Cluster], index: int, plan: PlanDocument, config: AlignConfig) -> None:
    items = alignable(plan)
    total = max(len(items), 1)
    texts = [match_text(i) for i in items]
    scores = score_matrix(texts, [c.key for c in clusters])
    for r, c in enumerate(clusters):
        part_ok = [it.part == c.members[0][1].part for it in items]
        for k, ok in enumerate(part_ok):
            if not ok:
                scores[k, r] = 0.0
    pairs = greedy_pairs(scores, config.match_threshold)
    taken = set()
    for k, r, _ in pairs:
        clusters[r].members.append((index, items[k], k / total))
        taken.add(k)
    for k, item in enumerate(items):
        if k not in taken:
            clusters.append(_Cluster([(index, item, k / total)], texts[k]))


def _cluster_order(c: _Cluster):
    part = Counter(m[1].part for m in c.members).most_common(1)[0][0]
    return (_PART_ORDER.index(part), median(m[2] for m in c.members), c.key)


def _text_is_trustworthy(plan: PlanDocument) -> bool:
    """Text read from a clean source: not OCR'd, not restored, and with the
    diacritics Vietnamese text normally has (about a quarter of its letters)."""
    src = plan.source
    if src is not None and (src.diacritics_restored or src.text_source.value == "ocr"):
        return False
    text = " ".join(it.full_text for it in plan.items[:200])
    letters = [ch for ch in text if ch.isalpha()]
    if not letters:
        return False
    marked = sum(1 for ch in letters if not ch.isascii())
    return marked / len(letters) >= 0.12


def _medoid(c: _Cluster, trusted: set[int]) -> Item:
    # The representative wording comes from clean sources when there are any.
    members = [m for m in c.members if m[0] in trusted] or c.members
    items = [m[1] for m in members]
    texts = [match_text(i) for i in items]
    sums = score_matrix(texts, texts).sum(axis=1)
    best = max(range(len(items)), key=lambda i: (sums[i], -i))
    return items[best]


def _mode(values):
    present = [v for v in values if v]
    if not present:
        return None
    return Counter(present).most_common(1)[0][0]


def _items(doc_id: str, clusters: list[_Cluster], trusted: set[int]) -> tuple[Item, ...]:
    out: list[Item] = []
    part_ids: dict[Part, str] = {}
    for c in clusters:
        rep = _medoid(c, trusted)
        part = rep.part
        if part not in part_ids:
            part_id = f"{doc_id}:{len(out) + 1:04d}"
            part_ids[part] = part_id
            out.append(Item(item_id=part_id, parent_id=None, ordinal=len(out) + 1, depth=0,
                            label="", kind=ItemKind.PART, heading=_PART_TITLES.get(part, part.value),
                            text="", part=part, scheme="INFERRED"))
        members = [m[1] for m in c.members]
        out.append(Item(
            item_id=f"{doc_id}:{len(out) + 1:04d}", parent_id=part_ids[part], ordinal=len(out) + 1,
            depth=1, label="", kind=rep.kind, heading="", text=rep.full_text, part=part,
            lead=_mode(m.lead for m in members),
            partners=_mode(m.partners for m in members) or (),
            timeline=_mode(m.timeline for m in members),
            frequency=_mode(m.frequency for m in members),
            scheme="INFERRED", support=len(c.plans()),
        ))
    return tuple(out)


def _metadata(n_plans: int, k: int) -> Metadata:
    return Metadata(
        title=f"Inferred consensus reference: items found in at least {k} of {n_plans} plans",
        issuer="plandiff (inferred)", admin_level=AdminLevel.UNKNOWN)
