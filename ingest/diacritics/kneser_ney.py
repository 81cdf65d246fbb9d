"""Interpolated modified Kneser-Ney estimation of a trigram model from counts
(training only; Chen & Goodman 1998, with per-trigram type weights).

Keys pack unit ids as in `language_model`: ``a << 42 | b << 21 | c``.

* Trigrams: ``P(c | a b) = max(C(a b c) - D, 0) / C(a b .) + gamma(a b) P(c | b)``,
  ``gamma(a b) = sum of the discounts of the trigrams after a b / C(a b .)``.
* Bigrams, from continuation counts: ``N(b c)`` = the weighted number of
  distinct ``a`` seen before ``b c`` (a trigram's weight is its type weight:
  the trainer lets types from the sample plans count more);
  ``P(c | b) = max(N(b c) - D, 0) / N(b .) + gamma(b) P(c)``.
* Unigrams: ``P(c)`` = the share of distinct bigram types ending in ``c``,
  mixed with a uniform floor, and next to nothing for <s> (never predicted).
* Discounts D1, D2, D3+ (by count 1, 2, >= 3) from the counts of counts of
  the unweighted counts the caller gives (`discounts`).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .language_model import KEY_BITS, KEY_MASK

__all__ = ["KneserNeyTrigram", "estimate", "discounts", "discount_of"]

# Share of the unigram mass spread uniformly over the vocabulary (no unit has
# probability zero), and the probability left to <s>, which is never predicted.
UNIGRAM_UNIFORM_SHARE = 0.005
BOS_PROB = 1e-12
# Discounts used when some count of counts n1..n4 is zero (too little data).
DEFAULT_DISCOUNT = 0.75
MIN_DISCOUNT = 0.05


@dataclass(frozen=True)
class KneserNeyTrigram:
    """The estimate, by level; each trigram row points at its context and bigram rows."""

    trigram_keys: np.ndarray      # sorted keys of the trigrams counted
    trigram_prob: np.ndarray      # P(c | a b), interpolated
    trigram_context: np.ndarray   # per trigram: its row in `contexts`
    trigram_bigram: np.ndarray    # per trigram: the row of its (b, c) in `bigram_keys`
    contexts: np.ndarray          # sorted keys a << 21 | b of the trigram contexts
    context_count: np.ndarray     # C(a b .): weighted count of each context
    context_backoff: np.ndarray   # gamma(a b)
    bigram_keys: np.ndarray       # sorted keys b << 21 | c of the bigrams ending a trigram
    bigram_types: np.ndarray      # unweighted continuation count of each bigram
    bigram_prob: np.ndarray       # P(c | b), interpolated
    unigram_prob: np.ndarray      # P(c), by unit id
    unigram_backoff: np.ndarray   # gamma(b), by unit id (0 for a unit that is never a context)
    discounts3: tuple[float, float, float]
    discounts2: tuple[float, float, float]


def estimate(keys: np.ndarray, counts: np.ndarray, unweighted_counts: np.ndarray, type_weights: np.ndarray,
             vocab_size: int, bos: int) -> KneserNeyTrigram:
    """Kneser-Ney trigram estimate.

    `keys`: sorted unique trigram keys (int64); `counts`: their (weighted)
    counts; `unweighted_counts`: the counts the trigram discounts are estimated
    from (the trainer passes the corpus part only: weighted plan counts are
    not integers); `type_weights`: what each trigram type adds to its bigram's
    continuation count; `bos`: the id of <s>.
    """
    # order 3
    ab = keys >> KEY_BITS
    contexts, trigram_context = np.unique(ab, return_inverse=True)
    context_count = np.bincount(trigram_context, weights=counts)
    d3 = discounts(unweighted_counts)
    trigram_discount = discount_of(counts, d3)
    context_backoff = np.bincount(trigram_context, weights=trigram_discount) / context_count
    # order 2: continuation counts
    bc = keys & ((1 << (2 * KEY_BITS)) - 1)
    bigram_keys, trigram_bigram = np.unique(bc, return_inverse=True)
    continuation = np.bincount(trigram_bigram, weights=type_weights)
    bigram_types = np.bincount(trigram_bigram)
    b2 = bigram_keys >> KEY_BITS
    c2 = bigram_keys & KEY_MASK
    bigram_contexts, bigram_context = np.unique(b2, return_inverse=True)
    context_total = np.bincount(bigram_context, weights=continuation)
    # order 1: distinct bigram types ending in each unit
    ending = np.bincount(c2, minlength=vocab_size).astype(np.float64)
    unigram_prob = (1 - UNIGRAM_UNIFORM_SHARE) * ending / ending.sum() + UNIGRAM_UNIFORM_SHARE / vocab_size
    unigram_prob[bos] = BOS_PROB
    unigram_backoff = np.zeros(vocab_size)
    d2 = discounts(bigram_types.astype(np.float64))
    bigram_discount = discount_of(continuation, d2)
    unigram_backoff[bigram_contexts] = np.bincount(bigram_context, weights=bigram_discount) / context_total
    bigram_prob = (np.maximum(continuation - bigram_discount, 0) / context_total[bigram_context]
                   + unigram_backoff[b2] * unigram_prob[c2])
    trigram_prob = (np.maximum(counts - trigram_discount, 0) / context_count[trigram_context]
                    + context_backoff[trigram_context] * bigram_prob[trigram_bigram])
    return KneserNeyTrigram(
        trigram_keys=keys, trigram_prob=trigram_prob, trigram_context=trigram_context,
        trigram_bigram=trigram_bigram, contexts=contexts, context_count=context_count,
        context_backoff=context_backoff, bigram_keys=bigram_keys, bigram_types=bigram_types,
        bigram_prob=bigram_prob, unigram_prob=unigram_prob, unigram_backoff=unigram_backoff,
        discounts3=d3, discounts2=d2)


def discounts(counts: np.ndarray) -> tuple[float, float, float]:
    """Modified Kneser-Ney discounts (D1, D2, D3+) from integer counts:
    with n_k the number of counts equal to k and Y = n1 / (n1 + 2 n2),
    D_k = k - (k + 1) Y n_{k+1} / n_k, at least MIN_DISCOUNT, rounded to 4 places."""
    n = [float(np.sum(counts == k)) for k in (1, 2, 3, 4)]
    if min(n) <= 0:
        return (DEFAULT_DISCOUNT, DEFAULT_DISCOUNT, DEFAULT_DISCOUNT)
    y = n[0] / (n[0] + 2 * n[1])
    d1, d2, d3 = (1 - 2 * y * n[1] / n[0], 2 - 3 * y * n[2] / n[1], 3 - 4 * y * n[3] / n[2])
    return (round(max(MIN_DISCOUNT, d1), 4), round(max(MIN_DISCOUNT, d2), 4), round(max(MIN_DISCOUNT, d3), 4))


def discount_of(counts: np.ndarray, d: tuple[float, float, float]) -> np.ndarray:
    """The discount of each count (D1 below 1.5, D2 below 2.5, D3+ above; 0 for count 0)."""
    return np.where(counts < 1.5, d[0], np.where(counts < 2.5, d[1], d[2])) * (counts > 0)
