"""Template families: plans that are near-copies of one another.

Two communes that fill in the same template agree on nearly every item word
for word, including the items the template added to the parent; counted as two
plans they would vouch twice for those additions.  The consensus
(`consensus.py`) therefore counts a family of near-copies as one witness.

How near-copies are told from plans that merely carry the same parent
faithfully (children of one parent also share most items word for word:
0.63-0.77 of the smaller plan's items on the bench's synthetic sets):

* every item of every plan sits in one consensus cluster, and within it in one
  *wording*: a group of texts that are word for word the same (wording score
  at least NEAR_VERBATIM with the group's first text);
* the *copy share* of two plans is the share of the smaller plan's items
  whose wording the other plan has.  A near-copy has a copy share of at least
  NEAR_COPY_SHARE ...
* ... and a *copy correlation* of at least COPY_CORRELATION: the correlation,
  over all wordings, of the two plans' presence (1 or 0) less how common the
  wording is among all the plans.  Sharing a wording most plans have (the
  parent's) says almost nothing, sharing one that few plans have (a template's
  addition, its particular rewording) says much, and so does lacking together
  what most plans have (a template's drop).  Faithful siblings depart from the
  collection each in their own way and correlate near 0; copies depart
  together.  Correlations of P centred vectors average -1/(P-1) by
  construction, so they are rescaled to make that 0 (it matters in small sets).
* families are the connected groups of near-copy pairs; a family's id is the
  doc_id of its first member in doc_id order.

With two plans there is nothing to tell a shared template from the parent by,
so two plans are always two witnesses.
"""
from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from rapidfuzz import fuzz, process
from scipy.sparse import csr_matrix

log = logging.getLogger(__name__)

# Wording score (the consensus clustering's rapidfuzz mix, 0..1) from which two
# items count as the same text: what remains below it after level words and
# place names are neutralised is OCR noise or a word changed here and there.
NEAR_VERBATIM = 0.9
# No pair sharing less than this of the smaller plan's items word for word is a
# copy: below it, each of the two wrote a good part of its plan itself.
NEAR_COPY_SHARE = 0.6
# Copy correlation from which two plans are near-copies.  Measured (rescaled):
# template and near-copy on the family sets >= 0.68, the sample plans 001 and
# 002 0.86; independent plans of one parent <= 0.38 on the synthetic sets;
# among 1,000 plans of ~30 items a few pairs in 10,000 reach 0.6 by chance.
COPY_CORRELATION = 0.6
# Sub-grouping a cluster compares each text with at most this many earlier
# distinct wordings (the most recent ones), which keeps 1,000 plans fast.
MAX_WORDINGS = 64


@dataclass(frozen=True)
class CopyLink:
    """Two plans found to be near-copies, with the figures that decided it."""
    doc_a: str
    doc_b: str
    copy_share: float   # share of the smaller plan's items the other has word for word
    correlation: float  # copy correlation: how much the two depart from the other plans together


@dataclass(frozen=True)
class Families:
    family_of: dict[str, str]          # doc_id -> family id (doc_id of its first member)
    links: tuple[CopyLink, ...] = ()   # the near-copy pairs behind the families

    def members(self, family_id: str) -> tuple[str, ...]:
        return tuple(sorted(d for d, f in self.family_of.items() if f == family_id))


def _mix(query: str, choices: list[str]) -> np.ndarray:
    """0..1 wording score of one text with several: mean of rapidfuzz's
    order-aware ratio and order-free token-set ratio, as the clustering uses."""
    ratio = process.cdist([query], choices, scorer=fuzz.ratio, dtype=np.float32)[0]
    token_set = process.cdist([query], choices, scorer=fuzz.token_set_ratio, dtype=np.float32)[0]
    return (ratio + token_set) / 200.0


def wording_groups(texts: Sequence[str]) -> list[int]:
    """Group number of each text: texts in one group are word-for-word copies
    (score at least NEAR_VERBATIM with the group's first text)."""
    group_of_text: dict[str, int] = {}
    leaders: list[str] = []
    out = []
    for text in texts:
        if text not in group_of_text:
            number = -1
            if leaders:
                first = max(0, len(leaders) - MAX_WORDINGS)
                scores = _mix(text, leaders[first:])
                best = int(np.argmax(scores))
                if scores[best] >= NEAR_VERBATIM:
                    number = first + best
            if number < 0:
                number = len(leaders)
                leaders.append(text)
            group_of_text[text] = number
        out.append(group_of_text[text])
    return out


def copy_statistics(n_plans: int, wordings: Sequence[Sequence[int]]) -> tuple[np.ndarray, np.ndarray]:
    """Plan x plan copy shares and copy correlations.

    `wordings`: every wording of every cluster (single-plan ones included), as
    the plan numbers that use it, each at most once; each item of a plan is in
    exactly one wording."""
    if n_plans == 0:   # no readable plan: nothing to compare (the run still writes every failed row)
        return np.zeros((0, 0)), np.zeros((0, 0))
    rows = [p for plans in wordings for p in plans]
    cols = [k for k, plans in enumerate(wordings) for _ in plans]
    presence = csr_matrix((np.ones(len(rows), dtype=np.float64), (rows, cols)),
                          shape=(n_plans, max(len(wordings), 1)))
    together = (presence @ presence.T).toarray()
    n_items = np.diag(together).copy()
    share = together / np.maximum(np.minimum(n_items[:, None], n_items[None, :]), 1.0)
    # Centred presence X - 1f' (f: share of plans with each wording), without
    # forming it: (X - 1f')(X - 1f')' = XX' - (Xf)1' - 1(Xf)' + f'f.
    common = np.asarray(presence.mean(axis=0)).ravel()
    expected = presence @ common
    centred = together - expected[:, None] - expected[None, :] + float(common @ common)
    norms = np.sqrt(np.maximum(np.diag(centred), 1e-12))
    correlation = centred / np.outer(norms, norms)
    if n_plans > 2:
        bias = 1.0 / (n_plans - 1)
        correlation = (correlation + bias) / (1.0 + bias)
    return share, correlation


def template_families(doc_ids: Sequence[str], share: np.ndarray, correlation: np.ndarray) -> Families:
    """Families of near-copies among plans (doc_ids in doc_id order; `share`
    and `correlation` from `copy_statistics`, in the same order)."""
    n = len(doc_ids)
    if n < 3:
        return Families({d: d for d in doc_ids})
    near = np.triu((share >= NEAR_COPY_SHARE) & (correlation >= COPY_CORRELATION), k=1)
    root = list(range(n))

    def find(i: int) -> int:
        while root[i] != i:
            root[i] = root[root[i]]
            i = root[i]
        return i

    links = []
    for a, b in zip(*np.nonzero(near), strict=True):
        a, b = int(a), int(b)
        links.append(CopyLink(doc_ids[a], doc_ids[b], round(float(share[a, b]), 4),
                              round(float(correlation[a, b]), 4)))
        ra, rb = find(a), find(b)
        # The smaller index is the earlier doc_id: it becomes the family's id.
        root[max(ra, rb)] = min(ra, rb)
    family_of = {doc_ids[i]: doc_ids[find(i)] for i in range(n)}
    if links:
        log.info("template families: %d near-copy pairs join %d plans into %d families",
                 len(links), n, len(set(family_of.values())))
    return Families(family_of, tuple(links))
