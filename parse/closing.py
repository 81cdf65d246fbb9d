"""The signature block of the closing part."""
from __future__ import annotations

import re

from plandiff.ingest.textnorm import fold

_CAPACITY = re.compile(
    r"^(?:(?:kt|tm|tl|tuq|q)\s*\.\s*)?(?:pho\s+)?(?:chu tich|chanh van phong|giam doc|"
    r"truong phong|bi thu|truong ban|uy ban nhan dan)\b")
_NAME_WORD = re.compile(r"^[A-ZĐÀ-Ỹ][a-zđà-ỹ]+$")


def signature(lines: list[str]) -> tuple[str | None, str | None]:
    """(signer's name, signing capacity) from the closing lines, if present."""
    capacity = [ln.strip() for ln in lines if _CAPACITY.match(fold(ln.strip()))
                and ln.strip().upper() == ln.strip()]
    signer = None
    for line in reversed(lines):
        words = line.strip().split()
        if 2 <= len(words) <= 5 and all(_NAME_WORD.match(w) for w in words):
            signer = " ".join(words)
            break
    return signer, (" / ".join(capacity) or None)
