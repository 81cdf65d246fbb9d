"""The model file's format: its tag, how log-probabilities and strings are
stored in `model.npz`, and the error raised when a file cannot be read.

Shared by the trainer (which writes the file) and the runtime (which reads it),
so that the two cannot drift apart.
"""
from __future__ import annotations

import numpy as np

from ..errors import IngestError

__all__ = ["FORMAT", "RestorationError", "encode_strings", "decode_strings", "quantize_logprob",
           "dequantize_logprob", "encode_sorted_keys", "decode_sorted_keys", "encode_planes", "decode_planes"]

# /2: n-gram keys stored as byte planes of their differences, log-probabilities
# as byte planes (`encode_sorted_keys`, `encode_planes`): a third smaller file
FORMAT = "plandiff-diacritics/2"
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
