"""How sure a verdict is: the chance that a row is right, from the signals behind it.

Every row `align` makes gets `confidence` (0..1) and `needs_review`
(confidence below REVIEW_BELOW).  The confidence is a logistic model of a few
signals, one model per kind of row, fitted on the hand-built gold pairs by
`benchmarks/calibrate.py` (which also checks that the weights below are its
fit, and prints the calibration: per confidence band, the share of rows the
gold confirms).

* **A pair** (carried or modified): its score, and its margin over the best
  competitor in its row or column (the next best item either side could have
  been paired with).  A pair far above the threshold with no rival is almost
  surely right; one that barely beat a rival is a guess.
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
from dataclasses import replace
from typing import TYPE_CHECKING

import numpy as np

from .model import Alignment, Status

if TYPE_CHECKING:
    from .matching import PairScores
    from .meaning import Meaning

MARGIN_CAP = 0.30        # a margin beyond this says nothing more
COSINE_CENTRE = 0.90
COSINE_SCALE = 10.0
COSINE_FLOOR = 0.80      # the cosine of "no unpaired item at all" on the other side

# Fitted by benchmarks/calibrate.py on the training golds (intercept first, then
# the weights of the features in the order `features` gives them).
PAIR_WEIGHTS = (-1.40, 3.61, 3.10)                  # score, margin
PAIR_MEANING_WEIGHTS = (-0.04, 0.42, 1.15, 1.04)     # score, margin, cosine
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


def features(rows: Sequence[Alignment], scores: PairScores) -> list[tuple[str, tuple[float, ...]]]:
    """(model, features) for each row: model is 'pair', 'pair_meaning',
    'unmatched' or 'unmatched_meaning'.  `scores` are the ones `rows` came from."""
    ref_index = {it.item_id: n for n, it in enumerate(scores.ref_items)}
    plan_index = {it.item_id: n for n, it in enumerate(scores.plan_items)}
    total = scores.total
    paired_ref = np.zeros(total.shape[0], dtype=bool)
    paired_plan = np.zeros(total.shape[1], dtype=bool)
    for a in rows:
        if a.reference_item_id is not None and a.item_id is not None:
            paired_ref[ref_index[a.reference_item_id]] = True
            paired_plan[plan_index[a.item_id]] = True
    meaning = scores.meaning
    open_ref = {int(r): n for n, r in enumerate(meaning.rows)} if meaning is not None else {}
    open_plan = {int(c): n for n, c in enumerate(meaning.cols)} if meaning is not None else {}
    out: list[tuple[str, tuple[float, ...]]] = []
    for a in rows:
        if a.reference_item_id is not None and a.item_id is not None:
            r, c = ref_index[a.reference_item_id], plan_index[a.item_id]
            rivals = max(np.delete(total[r], c).max(initial=0.0), np.delete(total[:, c], r).max(initial=0.0))
            own = float(total[r, c])
            base = (own, min(own - float(rivals), MARGIN_CAP))
            if meaning is not None and r in open_ref and c in open_plan:
                out.append(("pair_meaning", base + (_cosine(float(meaning.cosine[open_ref[r], open_plan[c]])),)))
            else:
                out.append(("pair", base))
            continue
        if a.status is Status.DROPPED:
            index = ref_index[a.reference_item_id or ""]
            line, free = total[index], ~paired_plan
        else:
            index = plan_index[a.item_id or ""]
            line, free = total[:, index], ~paired_ref
        base = (float(line.max(initial=0.0)), float(line[free].max(initial=0.0)))
        cosines = _open_cosines(meaning, a.status, index, open_ref, open_plan)
        if meaning is not None and cosines is not None:
            # The cosines run over the other side's open items only.
            other = meaning.cols if a.status is Status.DROPPED else meaning.rows
            out.append(("unmatched_meaning", base + (_cosine(float(cosines.max(initial=0.0))),
                                                    _cosine(float(cosines[free[other]].max(initial=0.0))))))
        else:
            out.append(("unmatched", base))
    return out


def _open_cosines(meaning: Meaning | None, status: Status, index: int,
                  open_ref: dict[int, int], open_plan: dict[int, int]) -> np.ndarray | None:
    """A dropped (added) item's cosines with the open plan (reference) items, or
    None when meaning did not look at it."""
    if meaning is None:
        return None
    if status is Status.DROPPED:
        return meaning.cosine[open_ref[index]] if index in open_ref else None
    return meaning.cosine[:, open_plan[index]] if index in open_plan else None


WEIGHTS: dict[str, Sequence[float]] = {"pair": PAIR_WEIGHTS, "pair_meaning": PAIR_MEANING_WEIGHTS,
           "unmatched": UNMATCHED_WEIGHTS, "unmatched_meaning": UNMATCHED_MEANING_WEIGHTS}


def rate(rows: Sequence[Alignment], scores: PairScores,
         weights: dict[str, Sequence[float]] | None = None,
         review_below: float = REVIEW_BELOW) -> list[Alignment]:
    """The rows with `confidence` and `needs_review` set."""
    chosen = weights or WEIGHTS
    out = []
    for a, (model, x) in zip(rows, features(rows, scores), strict=True):
        p = round(probability(chosen[model], x), 4)
        out.append(replace(a, confidence=p, needs_review=p < review_below))
    return out
