"""Appendices after the signature (`PHỤ LỤC` / `DANH MỤC NHIỆM VỤ …` / `(Kèm theo Kế hoạch số …)`).

A plan often lists its tasks in an appendix printed after `Nơi nhận` and the signature.
The closing region runs from `Nơi nhận` to the end of the text, so without this step
those tasks were part of the closing block and the plan appeared to have none: every
parent task they carry would be reported dropped. Each appendix is cut out of the
closing and becomes a part of its own whose items are read like the body's.
"""
from __future__ import annotations

import re

from plandiff.ingest.textnorm import collapse_ws, fold

from .attributes import read_attribute
from .labels import read_label
from .lines import Line
from .outline import Node, build_tree

# `PHỤ LỤC`, `PHỤ LỤC I`, `PHỤ LỤC 02:`, `PHỤ LỤC KÈM THEO` opening a line, in capitals.
_DESIGNATION = re.compile(r"^\s*PH[ỤU]\s+L[ỤU]C(?:\s+(?:[IVXLC]+|\d{1,2}|[A-Z]))?\b\s*[:.\-–]?\s*")
# The title's lines, at most this many, before the appendix's first item.
TITLE_LINES = 4


def is_appendix_heading(text: str) -> bool:
    return bool(_DESIGNATION.match(text)) and fold(text).lstrip().startswith("phu luc")


def split_appendices(closing: list[Line]) -> tuple[list[Line], list[list[Line]]]:
    """The closing without its appendices, and each appendix's lines (heading first)."""
    starts = [i for i, ln in enumerate(closing) if is_appendix_heading(ln.text)]
    if not starts:
        return closing, []
    bounds = starts + [len(closing)]
    return closing[: starts[0]], [closing[a:b] for a, b in zip(bounds, bounds[1:], strict=False)]


def appendix_node(lines: list[Line]) -> Node:
    """One appendix as a top-level outline node: its designation as the label, its title
    (the rest of the first line, the capitals and the `(Kèm theo …)` note under it) as the
    heading, and its items as children."""
    first = lines[0].text
    designation = _DESIGNATION.match(first)
    label = collapse_ws(first[: designation.end()] if designation else "PHỤ LỤC").rstrip(":.-– ")
    title = [first[designation.end():].strip()] if designation else []
    k = 1
    while k < len(lines) and k <= TITLE_LINES and read_label(lines[k].text) is None \
            and read_attribute(lines[k].text) is None:
        title.append(lines[k].text.strip())
        k += 1
    root = Node("", "ROOT", [], [])
    node = Node(label, "APPENDIX", lines[:k], [collapse_ws(" ".join(t for t in title if t))], parent=root)
    node.understood = label
    for child in build_tree(lines[k:]).children:
        child.parent = node
        node.children.append(child)
    return node
