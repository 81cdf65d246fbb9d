"""The model file's format: its tag, how log-probabilities and strings are
stored in `model.npz`, and the error raised when a file cannot be read.

Shared by the trainer (which writes the file) and the runtime (which reads it),
so that the two cannot drift apart.
"""
from __future__ import annotations

import numpy as np

from ..errors import IngestError

__all__ = ["FORMAT", "RestorationError", "encode_strings", "decode_strings", "quantize_logprob",
           "dequantize_logprob"]

FORMAT = "plandiff-diacritics/1"
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
