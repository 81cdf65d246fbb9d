"""Word-level differences between a reference item and a plan item.

Tokens are the text split on whitespace, compared NFC-exact: `hòa` and `hoà`
written the same way match, `hoa` (no tone mark) and `hòa` do not, so lost or
changed diacritics show up as differences.  Output is HTML with every piece
of text escaped: `<del>` marks reference words the plan lacks, `<ins>` words
the plan adds.
"""
from __future__ import annotations

import difflib
import unicodedata
from html import escape


def tokens(text: str) -> list[str]:
    return unicodedata.normalize("NFC", text or "").split()


def _join(words: list[str]) -> str:
    return escape(" ".join(words))


def word_diff(old: str, new: str) -> tuple[str, str]:
    """(old side, new side) as escaped HTML with <del>/<ins> marks."""
    a, b = tokens(old), tokens(new)
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    left: list[str] = []
    right: list[str] = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            left.append(_join(a[i1:i2]))
            right.append(_join(b[j1:j2]))
            continue
        if i2 > i1:
            left.append(f"<del>{_join(a[i1:i2])}</del>")
        if j2 > j1:
            right.append(f"<ins>{_join(b[j1:j2])}</ins>")
    return " ".join(left), " ".join(right)

