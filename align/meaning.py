"""Meaning where wording leaves the verdict open: sentence-embedding similarity
added to the pair score of items that no close wording already decides.

**When.**  A plan that copies its parent (most of its items share most words
with some parent item: `copy_share` at least COPY_GATE) is decided by its wording: a rewording
there is rare, and a different task on the same topic sits close in meaning,
so meaning would only add noise.  Below COPY_GATE, meaning has a say, but only
between *open* items: those without a counterpart whose wording score reaches
DECIDED_TEXT.  Only open items are embedded, each distinct text once (the
caller's `CachedEmbedder`), so a copying plan costs nothing.

**How much.**  A sentence-embedding model puts every administrative task
close to every other (two unrelated tasks of one field already score ~0.87
with e5, a rewording ~0.92), and some generic items ("Tổ chức thực hiện",
"Thực hiện các nhiệm vụ khác") sit close to everything.  So the raw cosine is
not used: each pair gets its cross-domain similarity local scaling (CSLS,
Conneau et al. 2018), `2 cos(x, y) - r(x) - r(y)`, where r(x) is x's mean
cosine with its NEIGHBOURS nearest items on the other side.  CSLS is above
zero when the two items are closer to each other than to what each usually
sits near, and below zero otherwise: it lifts a rewording that is its
counterpart's nearest in meaning, and lowers a pair whose words agree but
whose meaning is nearer to other items.  The pair score moves by
MEANING_GAIN x CSLS; the match threshold is unchanged.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from plandiff.parse.model import Item

from .embedding import TextEmbedder
from .similarity import _LEVEL_PHRASE

COPY_TEXT = 0.80     # a plan item whose best wording score reaches this copies a parent item
COPY_GATE = 0.50     # a plan where most items copy a parent item is decided by wording
DECIDED_TEXT = 0.90  # an item with a counterpart this close in wording needs no meaning
NEIGHBOURS = 3       # CSLS: neighbourhood size on the other side
MEANING_GAIN = 0.5   # pair-score units per unit of CSLS


@dataclass(frozen=True)
class Meaning:
    """What meaning adds to the pair scores of one plan against its reference."""
    rows: np.ndarray      # open reference items (indices into the alignable items)
    cols: np.ndarray      # open plan items
    cosine: np.ndarray    # (len(rows), len(cols)) embedding cosine
    csls: np.ndarray      # (len(rows), len(cols)) CSLS
    copy_share: float

    def adjustment(self, shape: tuple[int, int]) -> np.ndarray:
        """The pair-score change for every pair (0 outside the open items)."""
        out = np.zeros(shape, dtype=np.float32)
        out[np.ix_(self.rows, self.cols)] = MEANING_GAIN * self.csls
        return out

    def cosine_of(self, r: int, c: int) -> float | None:
        i, j = np.nonzero(self.rows == r)[0], np.nonzero(self.cols == c)[0]
        return float(self.cosine[i[0], j[0]]) if len(i) and len(j) else None


def copy_share(text: np.ndarray, level: float = COPY_TEXT) -> float:
    """Share of plan items whose best wording score against the reference reaches `level`."""
    if text.size == 0:
        return 1.0
    return float((text.max(axis=0) >= level).mean())


def embed_text(item: Item) -> str:
    """The text the model reads: natural (diacritics and case kept), without the
    place names that differ between any plan and its parent ("xã Ngọk Tụ")."""
    return " ".join(_LEVEL_PHRASE.sub(" ", item.full_text).split())


def meaning(ref_items: list[Item], plan_items: list[Item], text: np.ndarray,
            embedder: TextEmbedder) -> Meaning | None:
    """Meaning between the open items, or None when it has no say (a plan that
    copies its parent, nothing open).  Exceptions from the embedder propagate."""
    if text.size == 0:
        return None
    share = copy_share(text)
    if share >= COPY_GATE:
        return None
    rows = np.nonzero(text.max(axis=1) < DECIDED_TEXT)[0]
    cols = np.nonzero(text.max(axis=0) < DECIDED_TEXT)[0]
    if len(rows) == 0 or len(cols) == 0:
        return None
    vectors = np.asarray(embedder.embed([embed_text(ref_items[r]) for r in rows]
                                        + [embed_text(plan_items[c]) for c in cols]), dtype=np.float32)
    cosine = vectors[:len(rows)] @ vectors[len(rows):].T
    return Meaning(rows, cols, cosine, csls(cosine), share)


def csls(cosine: np.ndarray, k: int = NEIGHBOURS) -> np.ndarray:
    """Cross-domain similarity local scaling of a cosine matrix."""
    k_row, k_col = min(k, cosine.shape[1]), min(k, cosine.shape[0])
    r_row = np.sort(cosine, axis=1)[:, -k_row:].mean(axis=1)
    r_col = np.sort(cosine, axis=0)[-k_col:, :].mean(axis=0)
    return (2 * cosine - r_row[:, None] - r_col[None, :]).astype(np.float32)
