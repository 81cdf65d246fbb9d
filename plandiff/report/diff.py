"""Word-level differences between a reference item and a plan item.

Tokens are the text split on whitespace, compared NFC-exact: `hòa` and `hoà`
written the same way match, `hoa` (no tone mark) and `hòa` do not, so lost or
changed diacritics show up as differences.  Output is safe HTML (`Markup`)
built here and nowhere else: each run of words is escaped on its own, then
wrapped in `<del>` (reference words the plan lacks) or `<ins>` (words the plan
adds), so a template can insert it as it is.
"""
from __future__ import annotations

import difflib
import unicodedata

from markupsafe import Markup

_DELETED = Markup("<del>{}</del>")
_INSERTED = Markup("<ins>{}</ins>")
_SPACE = Markup(" ")


def tokens(text: str) -> list[str]:
    return unicodedata.normalize("NFC", text or "").split()


def word_diff(old: str, new: str) -> tuple[Markup, Markup]:
    """(old side, new side) as escaped HTML with <del>/<ins> marks."""
    a, b = tokens(old), tokens(new)
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    left: list[str | Markup] = []
    right: list[str | Markup] = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        # Plain strings are escaped by Markup.join; Markup.format escapes its argument.
        if op == "equal":
            left.append(" ".join(a[i1:i2]))
            right.append(" ".join(b[j1:j2]))
            continue
        if i2 > i1:
            left.append(_DELETED.format(" ".join(a[i1:i2])))
        if j2 > j1:
            right.append(_INSERTED.format(" ".join(b[j1:j2])))
    return _SPACE.join(left), _SPACE.join(right)
