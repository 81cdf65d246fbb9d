"""`--reference auto`: infer a consensus parent plan from the filed plans.

Items are clustered across plans (each plan contributes at most one item to
a cluster).  Plans that are near-copies of one template form a family
(`families.py`) and count as one witness: clusters found in at least
`min_support` families become the items of an inferred reference, each with
its most central text, its support (independent witnesses) and its evidence
(`ItemEvidence`: the plans and families behind it, their admin levels, the
wordings they use, a weighted support, an origin and a confidence).
"""
from __future__ import annotations

import enum
import hashlib
import logging
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from statistics import median

import numpy as np
from plandiff.parse.model import AdminLevel, Item, ItemKind, Metadata, Part, PlanDocument
from rapidfuzz import fuzz, process

from .families import Families, copy_statistics, template_families, wording_groups
from .matching import MIN_WORD_OVERLAP, alignable, score_matrix
from .model import AlignConfig
from .similarity import match_text
from .vectors import COMMON_WORD_SHARE

log = logging.getLogger(__name__)

INFERRED_PREFIX = "inferred:"
MEDOID_SAMPLE = 40
CANDIDATES = 8
_PART_ORDER = [p for p in Part]
_PART_CODE = {p: n for n, p in enumerate(Part)}
_PART_TITLES = {
    Part.PURPOSE: "MỤC ĐÍCH", Part.REQUIREMENTS: "YÊU CẦU", Part.CONTENT: "NỘI DUNG",
    Part.TASKS: "NHIỆM VỤ, HOẠT ĐỘNG", Part.BUDGET: "KINH PHÍ",
    Part.ORGANIZATION: "TỔ CHỨC THỰC HIỆN", Part.OTHER: "KHÁC",
}


@dataclass
class _Cluster:
    members: list[tuple[int, Item, float]] = field(default_factory=list)  # plan index, item, rel. position
    key: str = ""
    part: Part = Part.OTHER
    texts: list[str] = field(default_factory=list)  # each member's match_text, in member order

    def plans(self) -> set[int]:
        return {m[0] for m in self.members}


# A second admin level among an item's independent witnesses adds this much to
# its weighted support: plans of different levels are drafted by different
# offices from the documents above them, so agreeing across levels points at
# a common parent more than two communes agreeing (who may share a district
# template that is not in the set).  Half a witness: it strengthens, but never
# replaces, a second independent witness (a family spanning two levels is
# still one witness, see `_evidence`).
CROSS_LEVEL_WEIGHT = 0.5
# Confidence = 1 - CONFIDENCE_BASE ** (weighted support - 1): one witness gives
# 0, and each further independent witness halves the chance that the item is
# an addition the witnesses happen to share.
CONFIDENCE_BASE = 0.5


class Origin(enum.StrEnum):
    """Whose text a consensus item looks like."""
    PARENT = "parent"   # found in at least two independent families
    FAMILY = "family"   # in several plans, all of one template family (an addition of that template)
    PLAN = "plan"       # in one plan only (kept when min_support is 1)


@dataclass(frozen=True)
class ItemEvidence:
    """Why an item of the inferred reference is there."""
    item_id: str                 # the inferred reference's item
    support: int                 # independent witnesses: template families with the item
    weighted_support: float      # support plus CROSS_LEVEL_WEIGHT per further admin level
    plans: tuple[str, ...]       # doc_ids of the plans with the item, sorted
    families: tuple[str, ...]    # family ids of those plans, sorted
    levels: tuple[str, ...]      # distinct known admin levels of those plans, sorted
    variants: tuple[str, ...]    # distinct wordings across the plans, in doc_id order
    origin: Origin
    confidence: float            # 0..1, from the weighted support


@dataclass(frozen=True)
class Consensus:
    """An inferred reference with the evidence behind it."""
    reference: PlanDocument
    families: Families                    # every plan's template family
    evidence: dict[str, ItemEvidence]     # reference item_id -> evidence
    # Clusters found in at least min_support plans but fewer families: the
    # items the plan-counting rule would have kept on the word of one template.
    single_family_dropped: int = 0


def infer_reference(plans: list[PlanDocument], config: AlignConfig = AlignConfig(), *,
                    group_families: bool = True) -> PlanDocument:
    """The consensus reference of `plans` (see `infer_consensus`)."""
    return infer_consensus(plans, config, group_families=group_families).reference


def infer_consensus(plans: list[PlanDocument], config: AlignConfig = AlignConfig(), *,
                    group_families: bool = True) -> Consensus:
    """Items found in at least `config.min_support` independent witnesses.

    `group_families=False` counts every plan as its own witness (the rule
    before template families; kept for comparison)."""
    ordered = sorted(plans, key=lambda p: p.doc_id)
    index = _ClusterIndex(_common_words(ordered))
    for number, plan in enumerate(ordered):
        _add_plan(index, number, plan, config)
    clusters = index.clusters
    doc_ids = [p.doc_id for p in ordered]
    if group_families:
        families = template_families(doc_ids, *copy_statistics(len(ordered), _wordings(clusters)))
    else:
        families = Families({d: d for d in doc_ids})
    family = [families.family_of[d] for d in doc_ids]

    def support(c: _Cluster) -> int:
        return len({family[i] for i in c.plans()})

    kept = [c for c in clusters if support(c) >= config.min_support]
    echoes = sum(1 for c in clusters if len(c.plans()) >= config.min_support > support(c))
    kept.sort(key=_cluster_order)
    trusted = {i for i, plan in enumerate(ordered) if _text_is_trustworthy(plan)}
    doc_id = INFERRED_PREFIX + hashlib.sha256(
        "\n".join(p.doc_id for p in ordered).encode()).hexdigest()[:16]
    log.info("consensus of %d plans in %d template families: %d of %d item clusters found in at least %d "
             "families (%d more found in that many plans of one family only)", len(ordered),
             len(set(family)), len(kept), len(clusters), config.min_support, echoes)
    items, sources = _items(doc_id, kept, trusted, [support(c) for c in kept])
    evidence = {item_id: _evidence(item_id, c, ordered, family) for item_id, c in sources}
    reference = PlanDocument(doc_id=doc_id, meta=_metadata(len(ordered), config.min_support, group_families),
                             items=items, inferred=True)
    return Consensus(reference, families, evidence, echoes)


def _wordings(clusters: list[_Cluster]) -> list[list[int]]:
    """Every cluster's groups of word-for-word copies, each as the plan numbers in it."""
    out: list[list[int]] = []
    for c in clusters:
        by_group: dict[int, list[int]] = defaultdict(list)
        for (plan, _, _), g in zip(c.members, wording_groups(c.texts), strict=True):
            by_group[g].append(plan)
        out.extend(by_group.values())
    return out


def _evidence(item_id: str, c: _Cluster, plans: list[PlanDocument], family: list[str]) -> ItemEvidence:
    numbers = sorted(c.plans())
    families = sorted({family[i] for i in numbers})
    levels = sorted({plans[i].meta.admin_level.value for i in numbers} - {AdminLevel.UNKNOWN.value})
    support = len(families)
    # Levels add weight only beyond the first independent witness: one family
    # spanning two levels (a commune copying its district word for word) is
    # still one witness.
    weighted = support + CROSS_LEVEL_WEIGHT * max(min(len(levels), support) - 1, 0)
    variants: dict[str, None] = {}
    for _, item, _ in sorted(c.members, key=lambda m: plans[m[0]].doc_id):
        variants.setdefault(" ".join(item.full_text.split()), None)
    if support >= 2:
        origin = Origin.PARENT
    elif len(numbers) >= 2:
        origin = Origin.FAMILY
    else:
        origin = Origin.PLAN
    return ItemEvidence(
        item_id=item_id, support=support, weighted_support=weighted,
        plans=tuple(plans[i].doc_id for i in numbers), families=tuple(families), levels=tuple(levels),
        variants=tuple(variants), origin=origin,
        confidence=round(1.0 - CONFIDENCE_BASE ** (weighted - 1.0), 4))


def _common_words(plans: list[PlanDocument]) -> frozenset[str]:
    """Words in more than a fifth of all items: they tell no item from another."""
    frequency: Counter = Counter()
    total = 0
    for plan in plans:
        for item in alignable(plan):
            frequency.update(set(match_text(item).split()))
            total += 1
    limit = max(COMMON_WORD_SHARE * total, 5)
    return frozenset(w for w, n in frequency.items() if n > limit)


class _ClusterIndex:
    """Clusters with an inverted index of their distinctive words, so that an
    item is scored only against clusters it shares enough words with."""

    def __init__(self, common: frozenset[str]):
        self.common = common
        self.clusters: list[_Cluster] = []
        self.postings: dict[str, list[int]] = defaultdict(list)
        # Per cluster, as arrays (grown by doubling): its number of distinctive
        # words and its part, so candidates are filtered in one vector step.
        self._sizes = np.zeros(1024, dtype=np.float64)
        self._parts = np.zeros(1024, dtype=np.int16)

    def add(self, cluster: _Cluster) -> None:
        number = len(self.clusters)
        words = set(cluster.key.split()) - self.common
        self.clusters.append(cluster)
        if number == len(self._sizes):
            self._sizes = np.concatenate([self._sizes, np.zeros_like(self._sizes)])
            self._parts = np.concatenate([self._parts, np.zeros_like(self._parts)])
        self._sizes[number] = len(words)
        self._parts[number] = _PART_CODE[cluster.part]
        for word in words:
            self.postings[word].append(number)

    def candidates(self, text: str, part: Part) -> list[int]:
        words = set(text.split()) - self.common
        if not words:  # only common words: compare with every cluster of its part
            return [n for n, c in enumerate(self.clusters) if c.part is part][:CANDIDATES]
        shared: Counter = Counter()
        for word in words:
            shared.update(self.postings.get(word, ()))
        if not shared:
            return []
        numbers = np.fromiter(shared.keys(), dtype=np.int64, count=len(shared))
        counts = np.fromiter(shared.values(), dtype=np.float64, count=len(shared))
        overlap = counts / np.maximum(np.minimum(len(words), self._sizes[numbers]), 1.0)
        keep = (self._parts[numbers] == _PART_CODE[part]) & (overlap >= MIN_WORD_OVERLAP)
        numbers, overlap = numbers[keep], overlap[keep]
        # The clusters sharing most of its distinctive words (ties: the older
        # cluster first); the true one is among the first few, and scoring only
        # those keeps 1,000 plans fast.
        order = np.lexsort((numbers, -overlap))[:CANDIDATES]
        return numbers[order].tolist()


def _add_plan(index: _ClusterIndex, number: int, plan: PlanDocument, config: AlignConfig) -> None:
    items = alignable(plan)
    total = max(len(items), 1)
    texts = [match_text(i) for i in items]
    rows, cols = [], []
    for k, (item, text) in enumerate(zip(items, texts, strict=False)):
        for n in index.candidates(text, item.part):
            rows.append(k)
            cols.append(n)
    scores = {}
    if rows:
        a = [texts[k] for k in rows]
        b = [index.clusters[n].key for n in cols]
        ratio = process.cpdist(a, b, scorer=fuzz.ratio, dtype=np.float32, workers=-1)
        token_set = process.cpdist(a, b, scorer=fuzz.token_set_ratio, dtype=np.float32, workers=-1)
        for k, n, s in zip(rows, cols, ((ratio + token_set) / 200.0).tolist(), strict=False):
            if s >= config.cluster_threshold:
                scores[(k, n)] = s
    taken_items, taken_clusters = set(), set()
    for (k, n), _ in sorted(scores.items(), key=lambda kv: (-kv[1], kv[0])):
        if k in taken_items or n in taken_clusters:
            continue
        taken_items.add(k)
        taken_clusters.add(n)
        index.clusters[n].members.append((number, items[k], k / total))
        index.clusters[n].texts.append(texts[k])
    for k, item in enumerate(items):
        if k not in taken_items:
            index.add(_Cluster([(number, item, k / total)], texts[k], item.part, [texts[k]]))


def _cluster_order(c: _Cluster):
    part = Counter(m[1].part for m in c.members).most_common(1)[0][0]
    return (_PART_ORDER.index(part), median(m[2] for m in c.members), c.key)


_LETTERS = re.compile(r"[^\W\d_]", re.UNICODE)
_MARKED = re.compile(r"[^\W\d_a-zA-Z]", re.UNICODE)


def _text_is_trustworthy(plan: PlanDocument) -> bool:
    """Text read from a clean source: not OCR'd, not restored, and with the
    diacritics Vietnamese text normally has (about a quarter of its letters)."""
    src = plan.source
    if src is not None and (src.diacritics_restored or src.text_source.value == "ocr"):
        return False
    text = " ".join(it.full_text for it in plan.items[:40])
    letters = len(_LETTERS.findall(text))
    if not letters:
        return False
    return len(_MARKED.findall(text)) / letters >= 0.12


def _medoid(c: _Cluster, trusted: set[int]) -> Item:
    # The representative wording comes from clean sources when there are any;
    # the most central of (at most) the first MEDOID_SAMPLE such members.
    members = ([m for m in c.members if m[0] in trusted] or c.members)[:MEDOID_SAMPLE]
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


def _items(doc_id: str, clusters: list[_Cluster], trusted: set[int],
           supports: list[int]) -> tuple[tuple[Item, ...], list[tuple[str, _Cluster]]]:
    """The reference's items (a part heading before each part's first item),
    and each non-heading item's id with the cluster it stands for."""
    out: list[Item] = []
    sources: list[tuple[str, _Cluster]] = []
    part_ids: dict[Part, str] = {}
    for c, support in zip(clusters, supports, strict=True):
        rep = _medoid(c, trusted)
        part = rep.part
        if part not in part_ids:
            part_id = f"{doc_id}:{len(out) + 1:04d}"
            part_ids[part] = part_id
            out.append(Item(item_id=part_id, parent_id=None, ordinal=len(out) + 1, depth=0,
                            label="", kind=ItemKind.PART, heading=_PART_TITLES.get(part, part.value),
                            text="", part=part, scheme="INFERRED"))
        members = [m[1] for m in c.members]
        item_id = f"{doc_id}:{len(out) + 1:04d}"
        sources.append((item_id, c))
        out.append(Item(
            item_id=item_id, parent_id=part_ids[part], ordinal=len(out) + 1,
            depth=1, label="", kind=rep.kind, heading="", text=rep.full_text, part=part,
            lead=_mode(m.lead for m in members),
            partners=_mode(m.partners for m in members) or (),
            timeline=_mode(m.timeline for m in members),
            frequency=_mode(m.frequency for m in members),
            scheme="INFERRED", support=support,
        ))
    return tuple(out), sources


def _metadata(n_plans: int, k: int, grouped: bool) -> Metadata:
    witnesses = "independent witnesses (template families)" if grouped else "plans"
    return Metadata(
        title=f"Inferred consensus reference: items found in at least {k} {witnesses} among {n_plans} plans",
        issuer="plandiff (inferred)", admin_level=AdminLevel.UNKNOWN)
