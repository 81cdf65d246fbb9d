"""Match a plan's items to a reference's items and give each a verdict."""
from __future__ import annotations

import numpy as np
from rapidfuzz import fuzz, process

from plandiff.parse.model import Item, ItemKind, Part, PlanDocument

from .model import AlignConfig, Alignment, Status
from .similarity import attribute_key, match_text, partners_key

_SKIPPED_PARTS = (Part.PREAMBLE, Part.CLOSING, Part.OTHER)


def alignable(doc: PlanDocument) -> list[Item]:
    """Items that carry content: tasks and points outside preamble and closing."""
    return [it for it in doc.items
            if it.kind in (ItemKind.TASK, ItemKind.POINT) and it.part not in _SKIPPED_PARTS
            and it.full_text.strip()]


def score_matrix(left: list[str], right: list[str]) -> np.ndarray:
    """0..1 similarity of every left text with every right text."""
    if not left or not right:
        return np.zeros((len(left), len(right)), dtype=np.float32)
    ratio = process.cdist(left, right, scorer=fuzz.ratio, dtype=np.float32)
    token_set = process.cdist(left, right, scorer=fuzz.token_set_ratio, dtype=np.float32)
    return (ratio + token_set) / 200.0


def greedy_pairs(scores: np.ndarray, threshold: float) -> list[tuple[int, int, float]]:
    """One-to-one pairs by descending score, ties broken by position."""
    if scores.size == 0:
        return []
    rows, cols = np.nonzero(scores >= threshold)
    order = sorted(zip(rows.tolist(), cols.tolist()), key=lambda rc: (-scores[rc], rc))
    used_r: set[int] = set()
    used_c: set[int] = set()
    pairs = []
    for r, c in order:
        if r in used_r or c in used_c:
            continue
        used_r.add(r)
        used_c.add(c)
        pairs.append((r, c, float(scores[r, c])))
    return pairs


def align(plan: PlanDocument, reference: PlanDocument,
          config: AlignConfig = AlignConfig()) -> list[Alignment]:
    ref_items = alignable(reference)
    plan_items = alignable(plan)
    scores = score_matrix([match_text(i) for i in ref_items], [match_text(i) for i in plan_items])
    if config.same_part_only and scores.size:
        same = np.array([[r.part == p.part for p in plan_items] for r in ref_items], dtype=bool)
        scores = np.where(same, scores, 0.0)
    pairs = greedy_pairs(scores, config.match_threshold)
    rows: list[Alignment] = []
    matched_ref = {r for r, _, _ in pairs}
    matched_plan = {c for _, c, _ in pairs}
    for r, c, score in sorted(pairs):
        changes = attribute_changes(ref_items[r], plan_items[c])
        status = Status.MODIFIED if changes else Status.CARRIED
        if score < config.text_change_below:
            changes = ("text",) + changes
        rows.append(Alignment(reference.doc_id, ref_items[r].item_id, plan.doc_id,
                              plan_items[c].item_id, status, round(score, 4), changes))
    for r, item in enumerate(ref_items):
        if r not in matched_ref:
            rows.append(Alignment(reference.doc_id, item.item_id, plan.doc_id, None,
                                  Status.DROPPED, 0.0))
    for c, item in enumerate(plan_items):
        if c not in matched_plan:
            rows.append(Alignment(reference.doc_id, None, plan.doc_id, item.item_id,
                                  Status.ADDED, 0.0))
    return rows


def attribute_changes(ref: Item, item: Item) -> tuple[str, ...]:
    """Which of lead, partners, timeline, frequency differ.

    Agencies are compared by their normalised keys, timelines by what they
    mean (recurring, a year, quarters), frequencies by issues per year when
    both can be read; otherwise by normalised text.
    """
    changed = []
    if _lead_of(ref) != _lead_of(item):
        changed.append("lead")
    if (set(ref.partner_keys) or partners_key(ref.partners)) != \
            (set(item.partner_keys) or partners_key(item.partners)):
        changed.append("partners")
    if _timeline_of(ref) != _timeline_of(item):
        changed.append("timeline")
    if _frequency_of(ref) != _frequency_of(item):
        changed.append("frequency")
    return tuple(changed)


def _lead_of(item: Item) -> str:
    # A lead read from the agency heading above is context, not an attribute
    # the plan wrote for this item: it is not compared.
    if item.lead_inherited:
        return ""
    return item.lead_key or attribute_key(item.lead)


_ROMAN_NUMBERS = {"i": "1", "ii": "2", "iii": "3", "iv": "4"}


def _schedule_words(text: str | None) -> tuple[str, ...]:
    """Words of a timeline or frequency with formatting differences removed:
    `Quý III/2025` = `Quý 3 năm 2025`, `01 số/tháng` = `1 số / tháng`; but
    `Trong năm 2025` != `Năm 2025` (a word was added)."""
    words = []
    for word in attribute_key(text).split():
        if word == "nam":
            continue
        word = _ROMAN_NUMBERS.get(word, word)
        words.append(str(int(word)) if word.isdigit() else word)
    return tuple(words)


def _timeline_of(item: Item):
    return _schedule_words(item.timeline)


def _frequency_of(item: Item):
    return _schedule_words(item.frequency)
