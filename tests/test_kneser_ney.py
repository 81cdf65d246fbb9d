"""Kneser-Ney estimation (plandiff.ingest.diacritics.kneser_ney) against a tiny
example worked out by hand."""
from __future__ import annotations

import numpy as np
import pytest
from plandiff.ingest.diacritics.kneser_ney import discount_of, discounts, estimate
from plandiff.ingest.diacritics.language_model import KEY_BITS

# Units: 0 = <s>, 1 = a, 2 = b, 3 = c (vocabulary size 4).
BOS, A, B, C = 0, 1, 2, 3
V = 4


def key(x: int, y: int, z: int) -> int:
    return (x << (2 * KEY_BITS)) | (y << KEY_BITS) | z


# Three trigram types, sorted by key:  <s> a b  x3,  <s> a c  x1,  b a c  x1.
KEYS = np.array([key(BOS, A, B), key(BOS, A, C), key(B, A, C)], dtype=np.int64)
COUNTS = np.array([3.0, 1.0, 1.0])


def test_discounts_from_counts_of_counts():
    # counts 1,1,1,1,2,2,3,4: n1 = 4, n2 = 2, n3 = 1, n4 = 1
    # Y  = n1 / (n1 + 2 n2)       = 4 / 8           = 0.5
    # D1 = 1 - 2 Y n2 / n1        = 1 - 2*0.5*2/4   = 0.5
    # D2 = 2 - 3 Y n3 / n2        = 2 - 3*0.5*1/2   = 1.25
    # D3 = 3 - 4 Y n4 / n3        = 3 - 4*0.5*1/1   = 1.0
    assert discounts(np.array([1, 1, 1, 1, 2, 2, 3, 4], dtype=float)) == (0.5, 1.25, 1.0)
    # a count of counts n1..n4 that is zero: the textbook 0.75 for all three
    assert discounts(np.array([1.0, 2.0, 3.0])) == (0.75, 0.75, 0.75)
    # by count: D1 for 1, D2 for 2, D3+ for 3 and more, nothing for 0
    assert discount_of(np.array([0.0, 1.0, 2.0, 5.0]), (0.5, 1.25, 1.0)).tolist() == [0.0, 0.5, 1.25, 1.0]


def test_trigram_estimate_by_hand():
    kn = estimate(KEYS, COUNTS, COUNTS, np.ones(3), V, BOS)
    # No count of counts n3 or n4: every discount is 0.75 (D3 and D2).
    assert kn.discounts3 == kn.discounts2 == (0.75, 0.75, 0.75)

    # Unigrams: distinct bigram types ending in each unit.  The bigrams (b, c)
    # of the trigrams are (a, b) and (a, c): N(<s>) = 0, N(a) = 0, N(b) = 1, N(c) = 1.
    # P(u) = 0.995 * N(u) / 2 + 0.005 / 4; <s> gets 1e-12.
    #   P(a) = 0.00125,  P(b) = P(c) = 0.4975 + 0.00125 = 0.49875
    assert kn.unigram_prob.tolist() == pytest.approx([1e-12, 0.00125, 0.49875, 0.49875])

    # Bigrams, from continuation counts: N(a b) = 1 (only <s> before "a b"),
    # N(a c) = 2 (<s> and b before "a c"); N(a .) = 3, D = 0.75 for both.
    # gamma(a) = (0.75 + 0.75) / 3 = 0.5
    #   P(b | a) = (1 - 0.75) / 3 + 0.5 * 0.49875 = 0.0833333 + 0.249375 = 0.33270833
    #   P(c | a) = (2 - 0.75) / 3 + 0.5 * 0.49875 = 0.4166667 + 0.249375 = 0.66604167
    assert kn.bigram_keys.tolist() == [(A << KEY_BITS) | B, (A << KEY_BITS) | C]
    assert kn.bigram_types.tolist() == [1, 2]
    assert kn.unigram_backoff.tolist() == pytest.approx([0.0, 0.5, 0.0, 0.0])
    assert kn.bigram_prob.tolist() == pytest.approx([0.25 / 3 + 0.249375, 1.25 / 3 + 0.249375])

    # Trigrams: context "<s> a" seen 4 times (3 + 1), context "b a" once.
    # gamma(<s> a) = (0.75 + 0.75) / 4 = 0.375;  gamma(b a) = 0.75 / 1 = 0.75
    #   P(b | <s> a) = (3 - 0.75) / 4 + 0.375 * 0.33270833 = 0.5625 + 0.12476563 = 0.68726563
    #   P(c | <s> a) = (1 - 0.75) / 4 + 0.375 * 0.66604167 = 0.0625 + 0.24976563 = 0.31226563
    #   P(c | b a)   = (1 - 0.75) / 1 + 0.75  * 0.66604167 = 0.25   + 0.49953125 = 0.74953125
    assert kn.contexts.tolist() == [(BOS << KEY_BITS) | A, (B << KEY_BITS) | A]
    assert kn.context_count.tolist() == [4.0, 1.0]
    assert kn.context_backoff.tolist() == pytest.approx([0.375, 0.75])
    assert kn.trigram_context.tolist() == [0, 0, 1]
    assert kn.trigram_bigram.tolist() == [0, 1, 1]
    assert kn.trigram_prob.tolist() == pytest.approx([0.687265625, 0.312265625, 0.74953125])


def test_each_level_hands_its_discounted_mass_down():
    """What a level discounts goes to the level below, so each distribution sums
    to what its back-off sums to.  At the bottom <s> gives up its uniform share
    (0.005 / 4 = 0.00125) for 1e-12, so the unigrams sum to 0.99875 (+1e-12):
      after a:      (0.25 + 1.25) / 3 + 0.5 * 0.99875       = 0.5 + 0.499375     = 0.999375
      after <s> a:  (2.25 + 0.25) / 4 + 0.375 * 0.999375    = 0.625 + 0.37476563 = 0.99976563
    """
    kn = estimate(KEYS, COUNTS, COUNTS, np.ones(3), V, BOS)
    assert kn.unigram_prob.sum() == pytest.approx(0.99875)
    p_after_a = kn.unigram_backoff[A] * kn.unigram_prob
    p_after_a[[B, C]] = kn.bigram_prob
    assert p_after_a.sum() == pytest.approx(0.999375)
    p_after_bos_a = kn.context_backoff[0] * p_after_a
    p_after_bos_a[[B, C]] = kn.trigram_prob[:2]
    assert p_after_bos_a.sum() == pytest.approx(0.99976563)


def test_type_weights_raise_a_bigrams_continuation_count():
    # "b a c" counted as a type of weight 3 (a plan's, in the trainer):
    # N(a b) = 1, N(a c) = 1 + 3 = 4, N(a .) = 5; the discounts still come from
    # the unweighted type counts (1 and 2), D = 0.75.  gamma(a) = 1.5 / 5 = 0.3
    #   P(b | a) = (1 - 0.75) / 5 + 0.3 * 0.49875 = 0.05 + 0.149625 = 0.199625
    #   P(c | a) = (4 - 0.75) / 5 + 0.3 * 0.49875 = 0.65 + 0.149625 = 0.799625
    kn = estimate(KEYS, COUNTS, COUNTS, np.array([1.0, 1.0, 3.0]), V, BOS)
    assert kn.unigram_backoff[A] == pytest.approx(0.3)
    assert kn.bigram_prob.tolist() == pytest.approx([0.199625, 0.799625])
