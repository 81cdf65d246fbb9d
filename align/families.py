"""Template families: plans that are near-copies of one another.

Two communes that fill in the same template agree on nearly every item word
for word, including the items the template added to the parent; counted as two
plans they would vouch twice for those additions.  The consensus
(`consensus.py`) therefore counts a family of near-copies as one witness.

How near-copies are told from plans that merely carry the same parent
faithfully (children of one parent also agree on most items):

* the *copy share* of two plans is the share of the smaller plan's alignable
  items that the other plan has word for word (wording score at least
  NEAR_VERBATIM within one consensus cluster);
* a pair is a near-copy when its copy share is at least NEAR_COPY_SHARE and
  the pair disagrees at most COPY_DISAGREEMENT_RATIO times as much as each of
  the two plans typically disagrees with the other plans (the lower quartile
  of its copy shares).  Faithful children of one parent agree with all their
  siblings alike, so none of their pairs stands out; a copy of a template
  stands out from the plan's agreement with everyone else.  On the five
  sample plans the copy shares are 0.96 (001 and 002) against at most 0.40
  for every other pair; on the synthetic sets, independent children of one
  parent agree at 0.63-0.77 with one another, all alike.
* families are the connected groups of near-copy pairs; a family's id is the
  doc_id of its first member in doc_id order.

With two plans only there is nothing to measure a pair against, so two plans
are always two witnesses.
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
# copy, however little its plans agree with the others: below it, each of the
# two wrote a good part of its plan itself.
NEAR_COPY_SHARE = 0.6
# A copy disagrees at most this share of what its plans typically disagree
# with the other plans: half, so that ordinary spread among independent plans
# (a sibling that happens to drop the same items) stays well clear of it.
COPY_DISAGREEMENT_RATIO = 0.5
# A plan's typical agreement with plans it did not copy: the lower quartile of
# its copy shares, so that even a plan with copies among up to three quarters
# of the others is still measured against the rest.
TYPICAL_QUANTILE = 0.25
# Sub-grouping a cluster compares each text with at most this many earlier
# distinct wordings (the most recent ones), which keeps 1,000 plans fast.
MAX_WORDINGS = 64


@dataclass(frozen=True)
class CopyLink:
    """Two plans found to be near-copies, with the figures that decided it."""
    doc_a: str
    doc_b: str
    copy_share: float   # share of the smaller plan's items the other has word for word
    typical: float      # the higher of the two plans' typical copy share with other plans


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


def copy_shares(n_items: Sequence[int], groups: Sequence[Sequence[int]]) -> np.ndarray:
    """Plan x plan copy shares from the word-for-word groups of all clusters
    (`groups`: for each group, the plan numbers in it, each at most once)."""
    n = len(n_items)
    rows = [p for g in groups if len(g) > 1 for p in g]
    cols = [k for k, g in enumerate(groups) if len(g) > 1 for _ in g]
    incidence = csr_matrix((np.ones(len(rows), dtype=np.float32), (rows, cols)),
                           shape=(n, max(len(groups), 1)))
    shared = (incidence @ incidence.T).toarray()
    sizes = np.asarray(n_items, dtype=np.float64)
    smaller = np.maximum(np.minimum(sizes[:, None], sizes[None, :]), 1.0)
    share = shared / smaller
    np.fill_diagonal(share, 1.0)
    return share


def template_families(doc_ids: Sequence[str], share: np.ndarray) -> Families:
    """Families of near-copies among plans (doc_ids in doc_id order; `share`
    from `copy_shares`, rows and columns in the same order)."""
    n = len(doc_ids)
    if n < 3:
        return Families({d: d for d in doc_ids})
    others = share.astype(np.float64, copy=True)
    np.fill_diagonal(others, np.nan)
    typical = np.nanquantile(others, TYPICAL_QUANTILE, axis=1)
    pair_typical = np.maximum(typical[:, None], typical[None, :])
    near = ((share >= NEAR_COPY_SHARE)
            & (1.0 - share <= COPY_DISAGREEMENT_RATIO * (1.0 - pair_typical)))
    near = np.triu(near, k=1)
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
                              round(float(pair_typical[a, b]), 4)))
        ra, rb = find(a), find(b)
        # The smaller index is the earlier doc_id: it becomes the family's id.
        root[max(ra, rb)] = min(ra, rb)
    family_of = {doc_ids[i]: doc_ids[find(i)] for i in range(n)}
    if links:
        log.info("template families: %d near-copy pairs join %d plans into %d families",
                 len(links), n, len(set(family_of.values())))
    return Families(family_of, tuple(links))
