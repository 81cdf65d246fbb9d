"""The order of a plan's review queue: the verdicts most likely wrong first.

The aligner rates every row (`alignments.confidence`, align/confidence.py):
doubt is 1 - confidence.  Tables written before that column existed get
*doubt* estimated from the evidence each row already carries:

* a pair is doubtful when its score sits near the match threshold (a pair far
  above it is almost surely right), and when a weaker rule made it
  (`same_office`, `containment`), which pairs items below the threshold;
* a dropped or added row is doubtful when its closest item on the other side
  (`candidate_score`) comes near the threshold: a rewording may have slipped
  just under it.  A row without a candidate has nothing close at all.

Rows a stale decision touches come first (a reviewer must look again), rows
already reviewed come last, and ties keep the table's order so the queue is
the same on every load.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence

from plandiff.align import AlignConfig, Alignment
from plandiff.align.model import DecisionRule
from plandiff.decisions import ReviewState, review_state

MATCH_THRESHOLD = AlignConfig().match_threshold
# Distance from the threshold at which a score stops being doubtful at all:
# pairs score up to 1.0, so 0.40 above the threshold is the most certain pair.
DOUBT_SPAN = 0.40
# Pairs made by a rule weaker than the score are at least this doubtful.
WEAK_RULE_DOUBT = 0.90
# Rows a weaker rule settled come up first: a lower threshold, containment, or meaning
# overruling the wording.
WEAK_RULES = frozenset({DecisionRule.SAME_OFFICE, DecisionRule.CONTAINMENT, DecisionRule.MEANING})
# A row whose confidence is missing in a table that has the column is treated as unknown: most doubtful.
MISSING_CONFIDENCE = 0.0

_STATE_RANK = {ReviewState.STALE: 0, ReviewState.UNREVIEWED: 1, ReviewState.REVIEWED: 2}

RowKey = tuple[str | None, str | None]


def row_key(a: Alignment) -> RowKey:
    return a.reference_item_id, a.item_id


def is_pair(a: Alignment) -> bool:
    return a.reference_item_id is not None and a.item_id is not None


def closeness(score: float, threshold: float = MATCH_THRESHOLD) -> float:
    """1 at the threshold, falling to 0 at DOUBT_SPAN away from it on either side."""
    return max(0.0, 1.0 - abs(score - threshold) / DOUBT_SPAN)


def doubt(a: Alignment, threshold: float = MATCH_THRESHOLD) -> float:
    """0..1, higher = more likely wrong, from the row's own evidence."""
    if is_pair(a):
        value = closeness(a.score, threshold)
        if a.decided_by in WEAK_RULES:
            value = max(value, WEAK_RULE_DOUBT)
        return value
    if a.candidate_score is None or a.candidate_score != a.candidate_score:   # None or NaN
        return 0.0
    # A counterpart scoring above the threshold cannot be: it would have been paired,
    # unless it was taken by another item; that is doubtful too.
    return closeness(min(a.candidate_score, threshold), threshold)


def review_order(rows: Sequence[Alignment], confidence: Mapping[RowKey, float | None] | None = None,
                 threshold: float = MATCH_THRESHOLD) -> list[tuple[Alignment, float]]:
    """(row, doubt) in queue order.  With `confidence` (the table has the column),
    doubt is 1 - confidence; otherwise it is estimated by `doubt`."""
    def doubt_of(a: Alignment) -> float:
        if confidence is None:
            return doubt(a, threshold)
        value = confidence.get(row_key(a))
        if value is None or value != value:
            value = MISSING_CONFIDENCE
        return 1.0 - float(value)

    scored = [(a, doubt_of(a), n) for n, a in enumerate(rows)]
    scored.sort(key=lambda x: (_STATE_RANK[review_state(x[0])], -x[1], x[2]))
    return [(a, d) for a, d, _ in scored]
