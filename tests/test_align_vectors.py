"""The sparse word measures behind text similarity (align/vectors.py)."""
import numpy as np
import pytest
from plandiff.align.matching import _nearest, score_matrix
from plandiff.align.vectors import TermVectors, term_hashes


def test_terms_are_words_and_ordered_adjacent_word_pairs():
    words, pairs = term_hashes("nang cao nhan thuc")
    assert len(words) == 4 and len(set(words.tolist())) == 4
    assert len(pairs) == 3
    assert term_hashes("cao nang")[1][0] != term_hashes("nang cao")[1][0]
    # The same pair of words hashes the same wherever it occurs.
    assert term_hashes("tang cuong nang cao")[1][2] == pairs[0]


def test_cosine_is_one_for_the_same_text_and_zero_for_no_shared_word():
    left = ["nang cao nhan thuc can bo", "to chuc cuoc thi"]
    right = ["nang cao nhan thuc can bo", "lap dat bang tin dien tu"]
    cos = TermVectors(left, right).cosine()
    assert cos[0, 0] == pytest.approx(1.0)
    assert cos[1, 1] == 0.0 and cos[0, 1] == 0.0 and cos[1, 0] == 0.0


def test_a_rare_shared_phrase_counts_more_than_a_frequent_one():
    # "thuc hien" is in every text; "nhan thuc" only in the first pair.
    left = ["thuc hien nang cao nhan thuc", "thuc hien bao cao"]
    right = ["thuc hien tang cuong nhan thuc", "thuc hien kiem tra", "thuc hien tong ket"]
    cos = TermVectors(left, right).cosine()
    assert cos[0, 0] > cos[1, 1] and cos[0, 0] > cos[0, 1]


def test_overlap_leaves_out_words_most_texts_share():
    common = "cong tac"
    left = [f"{common} a{i} b{i}" for i in range(6)]
    right = [f"{common} a{i} c{i}" for i in range(6)]
    overlap = TermVectors(left, right).overlap()
    # "cong" and "tac" are in all 12 texts: only a_i is shared, of {a_i, b_i}.
    assert overlap[0, 0] == pytest.approx(0.5)
    assert overlap[0, 1] == 0.0


def test_nearest_keeps_the_top_k_of_each_row_and_each_column():
    similar = np.array([[0.9, 0.1, 0.2, 0.3],
                        [0.1, 0.8, 0.15, 0.0],
                        [0.0, 0.0, 0.0, 0.7]], dtype=np.float32)
    keep = _nearest(similar, k=1)
    assert keep.tolist() == [[True, False, True, False],
                             [False, True, False, False],
                             [False, False, False, True]]


def test_prefiltered_scores_equal_full_scores_where_computed():
    left = ["cap nhat cong khai thu tuc hanh chinh tren trang thong tin dien tu",
            "to chuc cuoc thi tim hieu ve chuyen doi so"]
    right = ["dang tai cap nhat cong khai thu tuc hanh chinh tren trang thong tin dien tu",
             "to chuc hoi thi tim hieu chuyen doi so trong doan vien"]
    full = score_matrix(left, right, prefilter=False)
    fast = score_matrix(left, right)
    computed = fast > 0
    assert computed[0, 0] and computed[1, 1]
    assert np.allclose(fast[computed], full[computed])
