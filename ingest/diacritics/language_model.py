"""The syllable trigram language model: its units, its n-gram tables and
back-off scoring (vectorised with numpy).

The model is interpolated Kneser-Ney (`kneser_ney.py`), pruned and stored
back-off style: every n-gram is a 64-bit key, ``a << 42 | b << 21 | c`` for
the trigram ``a b c`` (``b << 21 | c`` for a bigram), in sorted arrays that
`numpy.searchsorted` looks up.  A bigram entry may carry only the back-off
weight of the context ``b c`` and no probability of its own (NaN).
"""
from __future__ import annotations

import numpy as np

from .modelfile import decode_planes, decode_sorted_keys, decode_strings, dequantize_codebook, dequantize_logprob
from .units import BOS, EOS, NUM, PUNCT, UNK, lm_unit

__all__ = ["KEY_BITS", "TrigramModel"]

KEY_BITS = 21          # bits per unit id in an n-gram key
KEY_MASK = (1 << KEY_BITS) - 1

# Array names in model.npz (the file format; see `train.save`) of each table.
_ARRAYS = {
    "unigram_logprob": "U_lp", "unigram_backoff": "U_bo",
    "bigram_keys": "B_keys", "bigram_logprob": "B_lp", "bigram_backoff": "B_bo",
    "trigram_keys": "T_keys", "trigram_logprob": "T_lp", "word_pairs": "W_keys",
}


class TrigramModel:
    """Back-off trigram log-probabilities over LM units (`units.py`)."""

    def __init__(self, vocab: list[str], unigram_logprob: np.ndarray, unigram_backoff: np.ndarray,
                 bigram_keys: np.ndarray, bigram_logprob: np.ndarray, bigram_backoff: np.ndarray,
                 trigram_keys: np.ndarray, trigram_logprob: np.ndarray,
                 word_pairs: np.ndarray | None = None) -> None:
        self.vocab = vocab                        # unit id -> unit
        self.unigram_logprob = unigram_logprob    # log P(c), by unit id
        self.unigram_backoff = unigram_backoff    # log gamma(b): weight of P(c) behind the bigram b c
        self.bigram_keys = bigram_keys            # sorted b << 21 | c
        self.bigram_logprob = bigram_logprob      # log P(c | b); NaN for a context-only entry
        self.bigram_backoff = bigram_backoff      # log gamma(a b), under the key a << 21 | b
        self.trigram_keys = trigram_keys          # sorted a << 42 | b << 21 | c
        self.trigram_logprob = trigram_logprob    # log P(c | a b)
        # sorted b << 21 | c of the syllable pairs inside a word of the word list (Viet74K)
        self.word_pairs = word_pairs if word_pairs is not None else np.zeros(0, np.int64)
        self.index = {u: i for i, u in enumerate(vocab)}
        self.unk = self.index[UNK]
        self.bos = self.index[BOS]
        self.eos = self.index[EOS]
        self.num = self.index[NUM]
        self.punct = self.index[PUNCT]

    @classmethod
    def from_npz(cls, arrays) -> TrigramModel:
        """The model in an opened model.npz (KeyError if an array is missing)."""
        def table(name: str, stored: str) -> np.ndarray:
            if stored.endswith("_keys"):
                return decode_sorted_keys(arrays[stored])
            if name.startswith("unigram"):      # 16-bit steps: few values, used for every rare unit
                return dequantize_logprob(decode_planes(arrays[stored], np.uint16))
            return dequantize_codebook(arrays[stored], arrays[stored + "_tab"])

        tables = {name: table(name, stored) for name, stored in _ARRAYS.items()}
        return cls(decode_strings(arrays["vocab"]), **tables)

    def unit_id(self, token: str) -> int:
        """The LM unit of one token as the trainer counted it: the syllable's
        key (unknown: <unk>), <num> for numbers, kept punctuation or <punct>."""
        unit = lm_unit(token.lower())
        return self.index.get(unit, self.unk if unit[:1].isalpha() else self.punct)

    def log_prob(self, first: np.ndarray, second: np.ndarray, third: np.ndarray) -> np.ndarray:
        """Back-off trigram log P(third | first second), element-wise over unit id arrays."""
        k3 = (first << (2 * KEY_BITS)) | (second << KEY_BITS) | third
        i3 = np.searchsorted(self.trigram_keys, k3)
        i3c = np.minimum(i3, len(self.trigram_keys) - 1)
        f3 = self.trigram_keys[i3c] == k3
        k2 = (second << KEY_BITS) | third
        i2 = np.minimum(np.searchsorted(self.bigram_keys, k2), len(self.bigram_keys) - 1)
        f2 = (self.bigram_keys[i2] == k2)
        p2 = np.where(f2, self.bigram_logprob[i2], np.nan)
        f2 &= ~np.isnan(p2)
        kc = (first << KEY_BITS) | second
        ic = np.minimum(np.searchsorted(self.bigram_keys, kc), len(self.bigram_keys) - 1)
        bo_ab = np.where(self.bigram_keys[ic] == kc, self.bigram_backoff[ic], 0.0)
        low = np.where(f2, p2, self.unigram_backoff[second] + self.unigram_logprob[third])
        return np.where(f3, self.trigram_logprob[i3c], bo_ab + low)

    def is_word_pair(self, prev: np.ndarray, unit: np.ndarray) -> np.ndarray:
        """Element-wise: do `prev unit` stand next to each other inside a word of the word list?"""
        if not len(self.word_pairs):
            return np.zeros(np.broadcast(prev, unit).shape, bool)
        k = (prev << KEY_BITS) | unit
        i = np.minimum(np.searchsorted(self.word_pairs, k), len(self.word_pairs) - 1)
        return self.word_pairs[i] == k

    def bigram_log_prob(self, prev: np.ndarray, unit: np.ndarray) -> np.ndarray:
        """Back-off bigram log P(unit | prev), element-wise over unit id arrays."""
        k2 = (prev << KEY_BITS) | unit
        i2 = np.minimum(np.searchsorted(self.bigram_keys, k2), len(self.bigram_keys) - 1)
        p2 = np.where(self.bigram_keys[i2] == k2, self.bigram_logprob[i2], np.nan)
        return np.where(np.isnan(p2), self.unigram_backoff[prev] + self.unigram_logprob[unit], p2)
