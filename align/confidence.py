"""How sure a verdict is: the chance that a row is right, from the signals behind it.

Every row `align` makes gets `confidence` (0..1) and `needs_review`
(confidence below REVIEW_BELOW).  The confidence is a logistic model of a few
signals, one model per kind of row, fitted on the hand-built gold pairs by
`benchmarks/calibrate.py` (which also checks that the weights below are its
fit, and prints the calibration: per confidence band, the share of rows the
gold confirms).

* **A pair** (carried or modified): its score, its margin over the best
  competitor in its row or column (the next best item either side could have
  been paired with), and whether its lead was taken as unchanged although the
  office is named otherwise (`attributes.office_renamed`: an office renamed for
  the plan's level, or another office; readers differ).  A pair far above the
  threshold with no rival is almost surely right; one that barely beat a rival
  is a guess.
* **A dropped or added row**: how close the nearest item on the other side
  comes (`best`), and how close the nearest *unpaired* one comes (`free`).
  Where a plan rewrote a task, the rewording usually sits among the other
  side's unpaired items, scoring just under the threshold: a dropped row with
  a near unpaired counterpart is the typical wrong verdict.

Where the sentence-embedding model was consulted for the plan (a plan that
rewrites its parent, align/meaning.py), the cosines of the same items join
the signals (a pair's own cosine; for a dropped or added row, the best cosine
on the other side and the best among unpaired items), with weights fitted on
rows that had them.  Elsewhere (a copying plan, no model) the wording models
decide.  Cosines are centred on COSINE_CENTRE and scaled by COSINE_SCALE,
since e5 puts any two administrative tasks between about 0.85 and 0.97.

Rows the aligner did not decide (a reviewer's decision) are not rated here:
plandiff.decisions gives them confidence 1.
"""
from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from .attributes import office_renamed
from .model import Alignment, Status

if TYPE_CHECKING:
    from .matching import PairScores

MARGIN_CAP = 0.30        # a margin beyond this says nothing more
COSINE_CENTRE = 0.90
COSINE_SCALE = 10.0
COSINE_FLOOR = 0.80      # the cosine of "no unpaired item at all" on the other side

# Fitted by benchmarks/calibrate.py on the training golds (intercept first, then
# the weights of the features in the order `features` gives them).
PAIR_WEIGHTS = (0.47, 2.20, 2.47, -3.87)             # score, margin, office renamed
PAIR_MEANING_WEIGHTS = (1.10, 0.18, 0.46, -3.34, 1.14)  # score, margin, office renamed, cosine
UNMATCHED_WEIGHTS = (2.95, -2.89, -0.68)            # best, free
UNMATCHED_MEANING_WEIGHTS = (3.16, -2.44, -0.52, -2.76, -0.08)  # best, free, best cosine, free cosine

# needs_review below this confidence (chosen by benchmarks/calibrate.py: the level
# that flags at most MAX_FLAGGED of the training golds' rows).
REVIEW_BELOW = 0.78


def probability(weights: Sequence[float], features: Sequence[float]) -> float:
    z = weights[0] + sum(w * x for w, x in zip(weights[1:], features, strict=True))
    return 1.0 / (1.0 + math.exp(-z))


def _cosine(value: float) -> float:
    return (max(value, COSINE_FLOOR) - COSINE_CENTRE) * COSINE_SCALE


def _runner_up(values: np.ndarray, axis: int) -> tuple[np.ndarray, np.ndarray]:
    """(best, second best) along `axis` (second best 0 where there is only one)."""
    if values.shape[axis] == 0:
        shape = values.shape[1 - axis]
        return np.zeros(shape, dtype=np.float32), np.zeros(shape, dtype=np.float32)
    if values.shape[axis] == 1:
        best = values.max(axis=axis)
        return best, np.zeros_like(best)
    top = -np.partition(-values, 1, axis=axis)
    return np.take(top, 0, axis=axis), np.take(top, 1, axis=axis)


class Rater:
    """The confidence of every row of one plan against its reference, once its
    pairs are known (`paired_ref` / `paired_plan`: indices into the alignable items)."""

    def __init__(self, scores: PairScores, paired_ref: set[int], paired_plan: set[int],
                 weights: dict[str, Sequence[float]] | None = None, review_below: float = REVIEW_BELOW):
        self.total = scores.total
        self.ref_items, self.plan_items = scores.ref_items, scores.plan_items
        self.weights = weights or WEIGHTS
        self.review_below = review_below
        self.row_best, self.row_second = _runner_up(self.total, 1)
        self.col_best, self.col_second = _runner_up(self.total, 0)
        self.free_plan = np.ones(self.total.shape[1], dtype=bool)
        self.free_plan[list(paired_plan)] = False
        self.free_ref = np.ones(self.total.shape[0], dtype=bool)
        self.free_ref[list(paired_ref)] = False
        self.meaning = scores.meaning
        m = self.meaning
        self.open_ref = {int(r): n for n, r in enumerate(m.rows)} if m is not None else {}
        self.open_plan = {int(c): n for n, c in enumerate(m.cols)} if m is not None else {}

    def _rival(self, best: float, second: float, own: float) -> float:
        # The best competitor: the line's best, unless that is the pair itself.
        return second if best <= own else best

    def pair_features(self, r: int, c: int, changes: Sequence[str]) -> tuple[str, tuple[float, ...]]:
        """`changes`: the pair's changes as the verdict states them."""
        own = float(self.total[r, c])
        rival = max(self._rival(float(self.row_best[r]), float(self.row_second[r]), own),
                    self._rival(float(self.col_best[c]), float(self.col_second[c]), own))
        renamed = "lead" not in changes and office_renamed(self.ref_items[r], self.plan_items[c])
        base = (own, min(own - rival, MARGIN_CAP), float(renamed))
        if self.meaning is not None and r in self.open_ref and c in self.open_plan:
            return "pair_meaning", base + (_cosine(float(self.meaning.cosine[self.open_ref[r], self.open_plan[c]])),)
        return "pair", base

    def unmatched_features(self, status: Status, index: int) -> tuple[str, tuple[float, ...]]:
        """`index`: the reference item's for a dropped row, the plan item's for an added one."""
        dropped = status is Status.DROPPED
        line = self.total[index] if dropped else self.total[:, index]
        free = self.free_plan if dropped else self.free_ref
        base = (float(line.max(initial=0.0)), float(line[free].max(initial=0.0)))
        m = self.meaning
        own = self.open_ref if dropped else self.open_plan
        if m is None or index not in own:
            return "unmatched", base
        # The cosines run over the other side's open items only.
        cosines = m.cosine[own[index]] if dropped else m.cosine[:, own[index]]
        other = m.cols if dropped else m.rows
        return "unmatched_meaning", base + (_cosine(float(cosines.max(initial=0.0))),
                                            _cosine(float(cosines[free[other]].max(initial=0.0))))

    def rating(self, model: str, x: tuple[float, ...]) -> tuple[float, bool]:
        """(confidence, needs_review)."""
        p = round(probability(self.weights[model], x), 4)
        return p, p < self.review_below

    def pair(self, r: int, c: int, changes: Sequence[str]) -> tuple[float, bool]:
        return self.rating(*self.pair_features(r, c, changes))

    def unmatched(self, status: Status, index: int) -> tuple[float, bool]:
        return self.rating(*self.unmatched_features(status, index))


def features(rows: Sequence[Alignment], scores: PairScores) -> list[tuple[str, tuple[float, ...]]]:
    """(model, features) of each of a plan's rows, as `align` rated them
    (benchmarks/calibrate.py fits the models on these).  `scores` are the
    ones `rows` came from."""
    ref_index = {it.item_id: n for n, it in enumerate(scores.ref_items)}
    plan_index = {it.item_id: n for n, it in enumerate(scores.plan_items)}
    pairs = [(ref_index[a.reference_item_id], plan_index[a.item_id]) for a in rows
             if a.reference_item_id is not None and a.item_id is not None]
    rater = Rater(scores, {r for r, _ in pairs}, {c for _, c in pairs})
    out = []
    for a in rows:
        if a.reference_item_id is not None and a.item_id is not None:
            out.append(rater.pair_features(ref_index[a.reference_item_id], plan_index[a.item_id], a.changes))
        elif a.status is Status.DROPPED:
            out.append(rater.unmatched_features(a.status, ref_index[a.reference_item_id or ""]))
        else:
            out.append(rater.unmatched_features(a.status, plan_index[a.item_id or ""]))
    return out


WEIGHTS: dict[str, Sequence[float]] = {"pair": PAIR_WEIGHTS, "pair_meaning": PAIR_MEANING_WEIGHTS,
                                       "unmatched": UNMATCHED_WEIGHTS,
                                       "unmatched_meaning": UNMATCHED_MEANING_WEIGHTS}
