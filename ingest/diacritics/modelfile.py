"""The model file's format: its tag, how log-probabilities and strings are
stored in `model.npz`, and the error raised when a file cannot be read.

Shared by the trainer (which writes the file) and the runtime (which reads it),
so that the two cannot drift apart.
"""
from __future__ import annotations

import numpy as np

from ..errors import IngestError

__all__ = ["FORMAT", "RestorationError", "encode_strings", "decode_strings", "quantize_logprob",
           "dequantize_logprob", "quantize_codebook", "dequantize_codebook", "encode_sorted_keys",
           "decode_sorted_keys", "encode_planes", "decode_planes"]

# /2: n-gram keys stored as byte planes of their differences, log-probabilities
# as byte planes (`encode_sorted_keys`, `encode_planes`): a third smaller file.
# /3: the n-gram log-probabilities and back-off weights as 8-bit codes into a
# table of 255 values per array (`quantize_codebook`): 16-bit steps were far
# finer than restoration needs and their low bytes do not compress.
FORMAT = "plandiff-diacritics/3"
# Log-probabilities are stored as 16-bit steps over [LOGPROB_MIN, LOGPROB_MAX];
# the step ABSENT stands for "no value" (NaN).
LOGPROB_MIN, LOGPROB_MAX = -30.0, 0.0
_STEPS = 65534
ABSENT = 65535


class RestorationError(IngestError):
    """The restoration model is missing, corrupt or of an unknown format.

    An `IngestError`, so that a document that needs the model fails with this
    message (a failed row) instead of an internal error.
    """

    def __init__(self, message: str, vi: str | None = None) -> None:
        super().__init__(message, vi=vi or "Thiếu hoặc hỏng mô hình khôi phục dấu tiếng Việt; "
                                           "cần cài đặt lại plandiff")


def encode_strings(strings: list[str]) -> np.ndarray:
    """A list of strings (without newlines) as one UTF-8 byte array."""
    return np.frombuffer("\n".join(strings).encode("utf-8"), dtype=np.uint8)


def decode_strings(array: np.ndarray) -> list[str]:
    text = array.tobytes().decode("utf-8")
    return text.split("\n") if text else []


def quantize_logprob(x: np.ndarray, lo: float = LOGPROB_MIN, hi: float = LOGPROB_MAX) -> np.ndarray:
    """Quantise log values to uint16 over [lo, hi]; ABSENT marks NaN."""
    q = np.round((np.clip(x, lo, hi) - lo) / (hi - lo) * _STEPS)
    q = np.where(np.isnan(x), ABSENT, q)
    return q.astype(np.uint16)


def dequantize_logprob(q: np.ndarray, lo: float = LOGPROB_MIN, hi: float = LOGPROB_MAX) -> np.ndarray:
    """float32 log values of `quantize_logprob`'s steps; NaN where ABSENT."""
    x = q.astype(np.float32) * np.float32((hi - lo) / _STEPS) + np.float32(lo)
    x[q == ABSENT] = np.nan
    return x


CODEBOOK_SIZE = 255      # code 255 stands for "no value" (NaN)


def quantize_codebook(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Log values as uint8 codes into a table of CODEBOOK_SIZE float32 values.

    The values are cut at their quantiles into CODEBOOK_SIZE bins of (nearly)
    equal size; each bin's value is the mean of the values in it, so the
    table is finest where values are dense.  NaN gets the code
    CODEBOOK_SIZE.  Returns (codes, table); deterministic."""
    x = np.asarray(x, np.float64)
    finite = ~np.isnan(x)
    v = x[finite]
    codes = np.full(len(x), CODEBOOK_SIZE, np.uint8)
    table = np.zeros(CODEBOOK_SIZE, np.float32)
    if len(v):
        edges = np.quantile(v, np.linspace(0.0, 1.0, CODEBOOK_SIZE + 1)[1:-1])
        idx = np.searchsorted(edges, v, side="right")
        sums = np.bincount(idx, weights=v, minlength=CODEBOOK_SIZE)
        counts = np.bincount(idx, minlength=CODEBOOK_SIZE)
        # an empty bin (many equal values) keeps the value of the bin below it
        means = np.where(counts > 0, sums / np.maximum(counts, 1), np.nan)
        for k in range(CODEBOOK_SIZE):
            if np.isnan(means[k]):
                means[k] = means[k - 1] if k else float(v.min())
        table = means.astype(np.float32)
        codes[finite] = idx.astype(np.uint8)
    return codes, table


def dequantize_codebook(codes: np.ndarray, table: np.ndarray) -> np.ndarray:
    """float32 values of `quantize_codebook`'s codes; NaN for the code CODEBOOK_SIZE."""
    full = np.append(np.asarray(table, np.float32), np.float32(np.nan))
    return full[np.asarray(codes, np.uint8)]


def encode_planes(a: np.ndarray) -> np.ndarray:
    """An array of fixed-width integers as its byte planes (all first bytes, then all
    second bytes...): shape (itemsize, n) uint8, which compresses far better."""
    a = np.ascontiguousarray(a)
    return a.view(np.uint8).reshape(len(a), a.dtype.itemsize).T.copy()


def decode_planes(planes: np.ndarray, dtype) -> np.ndarray:
    return np.ascontiguousarray(planes.T).view(dtype).ravel()


def encode_sorted_keys(keys: np.ndarray) -> np.ndarray:
    """Sorted 64-bit n-gram keys as the byte planes of their differences."""
    k = keys.astype(np.uint64)
    return encode_planes(np.diff(k, prepend=np.uint64(0)) if len(k) else k)


def decode_sorted_keys(planes: np.ndarray) -> np.ndarray:
    """`encode_sorted_keys`' keys, as int64."""
    return np.cumsum(decode_planes(planes, np.uint64), dtype=np.uint64).astype(np.int64)
