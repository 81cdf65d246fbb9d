"""Sparse word vectors of item texts: the fast, order-free side of text similarity.

Both measures here work on whole sets of texts at once (sparse matrix
products), so aligning one plan costs a few milliseconds however many
pairs it has; rapidfuzz then looks only at the pairs that pass.
"""
from __future__ import annotations

from functools import lru_cache

import numpy as np
from scipy.sparse import csr_matrix, hstack

COMMON_WORD_SHARE = 0.2  # words in more than this share of the texts are not counted in overlaps
COMMON_WORD_MIN = 5      # ... unless they occur in this few texts or fewer


_PAIR_MIX = np.uint64(0x9E3779B97F4A7C15)  # odd 64-bit constant: (a, b) and (b, a) differ


@lru_cache(maxsize=200_000)
def term_hashes(text: str) -> tuple[np.ndarray, np.ndarray]:
    """64-bit hashes of the words of a (folded, space-separated) text and of
    its adjacent word pairs.

    Word pairs stand in for Vietnamese compound words (`cán bộ`, `nhận
    thức`) without a segmenter.  Hashes rather than a vocabulary: no table
    grows over a long batch, and a pair's hash is computed from its words'
    in one vector operation.  Two terms sharing a hash (odds about 1e-12
    for a pair of plans) would only count as one word."""
    words = text.split()
    hashed = np.fromiter((hash(w) for w in words), dtype=np.int64, count=len(words)).view(np.uint64)
    pairs = hashed[:-1] * _PAIR_MIX + hashed[1:]
    return hashed, pairs


def _counts(texts: list[str], pick: int) -> csr_matrix:
    ids = [term_hashes(text)[pick] for text in texts]
    indptr = np.zeros(len(texts) + 1, dtype=np.int64)
    np.cumsum([len(i) for i in ids], out=indptr[1:])
    flat = np.concatenate(ids) if ids else np.zeros(0, dtype=np.uint64)
    # Columns numbered densely; which term gets which column changes no result.
    columns, local = np.unique(flat, return_inverse=True)
    matrix = csr_matrix((np.ones(len(flat), dtype=np.float64), local.astype(np.int64), indptr),
                        shape=(len(texts), len(columns)))
    matrix.sum_duplicates()
    return matrix


class TermVectors:
    """Word and word-pair counts of a left and a right list of texts."""

    def __init__(self, left: list[str], right: list[str]):
        texts = left + right
        self.n_left = len(left)
        self.words = _counts(texts, 0)
        self.pairs = _counts(texts, 1)

    def _split(self, matrix: csr_matrix) -> tuple[csr_matrix, csr_matrix]:
        return matrix[:self.n_left], matrix[self.n_left:]

    def overlap(self) -> np.ndarray:
        """Shared distinct words over the distinct words of the shorter text.

        Words found in most texts ("của", "và", "công tác") say nothing about
        a pair and are left out; a text made only of such words cannot be
        judged this way and scores 1 with everything (always compared)."""
        present = (self.words > 0).astype(np.float64).tocsc()
        df = np.diff(present.indptr)
        n_texts = present.shape[0]
        keep = np.flatnonzero(df <= max(COMMON_WORD_SHARE * n_texts, COMMON_WORD_MIN))
        kept = present[:, keep].tocsr()
        a, b = self._split(kept)
        shared = (a @ b.T).toarray()
        sizes_a = np.asarray(a.sum(axis=1)).ravel()
        sizes_b = np.asarray(b.sum(axis=1)).ravel()
        smaller = np.minimum(sizes_a[:, None], sizes_b[None, :])
        return np.where(smaller > 0, shared / np.maximum(smaller, 1.0), 1.0)

    def cosine(self) -> np.ndarray:
        """Cosine of tf-idf vectors of words and word pairs, every left with every right.

        Document frequencies come from the texts compared, so the weights
        suit each pair of plans: sharing "nhận thức" says more than sharing
        "thực hiện"."""
        counts = hstack([self.words, self.pairs], format="csc")
        n_texts = counts.shape[0]
        df = np.diff(counts.indptr).astype(np.float64)
        idf = np.log((n_texts + 1.0) / (df + 0.5))
        weighted = csr_matrix(counts.multiply(idf[None, :]))
        norms = np.sqrt(np.asarray(weighted.multiply(weighted).sum(axis=1)).ravel())
        weighted = csr_matrix(weighted.multiply((1.0 / np.maximum(norms, 1e-9))[:, None]))
        a, b = self._split(weighted)
        return np.clip((a @ b.T).toarray(), 0.0, 1.0).astype(np.float32)
