"""`--reference auto`: infer a consensus parent plan from the filed plans.

Items are clustered across plans (each plan contributes at most one item to
a cluster); clusters found in at least `min_support` plans become the items
of an inferred reference, each with its most central text and its support.
"""
from __future__ import annotations

import hashlib
import logging
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from statistics import median

import numpy as np
from plandiff.parse.model import AdminLevel, Item, ItemKind, Metadata, Part, PlanDocument
from rapidfuzz import fuzz, process

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

    def plans(self) -> set[int]:
        return {m[0] for m in self.members}


def infer_reference(plans: list[PlanDocument], config: AlignConfig = AlignConfig()) -> PlanDocument:
    ordered = sorted(plans, key=lambda p: p.doc_id)
    index = _ClusterIndex(_common_words(ordered))
    for number, plan in enumerate(ordered):
        _add_plan(index, number, plan, config)
    clusters = index.clusters
    kept = [c for c in clusters if len(c.plans()) >= config.min_support]
    kept.sort(key=_cluster_order)
    trusted = {i for i, plan in enumerate(ordered) if _text_is_trustworthy(plan)}
    doc_id = INFERRED_PREFIX + hashlib.sha256(
        "\n".join(p.doc_id for p in ordered).encode()).hexdigest()[:16]
    log.info("consensus of %d plans: %d of %d item clusters found in at least %d plans",
             len(ordered), len(kept), len(clusters), config.min_support)
    return PlanDocument(doc_id=doc_id, meta=_metadata(len(ordered), config.min_support),
                        items=_items(doc_id, kept, trusted), inferred=True)


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
    for k, item in enumerate(items):
        if k not in taken_items:
            index.add(_Cluster([(number, item, k / total)], texts[k], item.part))


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
