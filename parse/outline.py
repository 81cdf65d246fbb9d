"""Build the plan tree from numbered lines.

Depth comes from the order in which numbering schemes appear in *this*
document: a scheme already open on the stack closes everything below it
(a sibling), a new scheme opens one level deeper.  Each line's label is read
through the outline's sequence first (`sequence.choose_labels`), so that an
OCR-damaged label nests where its neighbours put it.  Unnumbered lines are
either hard-wrap continuations (joined to what came before), attribute lines
(moved to the task's fields), or new paragraphs.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from plandiff.ingest.linebreaks import SENTENCE_END, continues, join_wrapped
from plandiff.ingest.textnorm import fold

from .attributes import DESCRIPTIVE_FIELDS, read_attribute
from .labels import Label
from .lines import Line
from .sequence import choose_labels, next_label


@dataclass
class Node:
    label: str
    scheme: str
    lines: list[Line]
    text_parts: list[str]
    parent: Node | None = None
    children: list[Node] = field(default_factory=list)
    attributes: dict[str, list[str]] = field(default_factory=dict)
    last_target: str = "text"   # where a continuation line goes: "text" or an attribute field
    understood: str = ""        # the label as understood (OCR noise and sequence slips fixed)

    @property
    def depth(self) -> int:
        d, p = 0, self.parent
        while p is not None and p.scheme != "ROOT":
            d, p = d + 1, p.parent
        return d

    @property
    def own_text(self) -> str:
        return " ".join(self.text_parts).strip()

    def add_text(self, text: str, continuation: bool) -> None:
        if self.last_target != "text":
            values = self.attributes[self.last_target]
            values[-1] = join_wrapped(values[-1], text)
        elif continuation and self.text_parts:
            self.text_parts[-1] = join_wrapped(self.text_parts[-1], text)
        else:
            self.text_parts.append(text)


def is_heading_like(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    if letters and sum(c.isupper() for c in letters) / len(letters) > 0.7:
        return True
    stripped = text.rstrip()
    if stripped.endswith(":"):
        return True
    return not stripped.endswith(SENTENCE_END) and len(stripped.split()) <= 15


def wrap_width(lines: list[Line]) -> int:
    """Typical length of a full line: hard-wrapped text fills lines to about this."""
    lengths = sorted(len(ln.text) for ln in lines)
    if not lengths:
        return 80
    return lengths[int(0.9 * (len(lengths) - 1))]


def build_tree(lines: list[Line]) -> Node:
    root = Node("", "ROOT", [], [])
    stack: list[Node] = []
    current: Node | None = None
    previous: Line | None = None
    width = wrap_width(lines)
    attributes = [read_attribute(ln.text) for ln in lines]
    # A descriptive line (`- Sản phẩm: …`) is an attribute only of a task (below); it takes
    # its place in the label sequence as the point it is otherwise.
    labels = choose_labels(lines, [a is not None and a.field not in DESCRIPTIVE_FIELDS
                                   for a in attributes], width)
    for k, (ln, attribute, chosen) in enumerate(zip(lines, attributes, labels, strict=True)):
        if attribute and attribute.field in DESCRIPTIVE_FIELDS and not _describes_a_task(current, stack):
            attribute = None
        label = None if attribute else chosen
        if attribute and current is not None:
            owner = _attribute_owner(current, stack, attribute.bullet)
            if owner is current and _closes_a_list(current, stack, _next_label(k, attributes, labels)):
                stack.pop()
                owner = stack[-1]
            owner.attributes.setdefault(attribute.field, []).append(attribute.value)
            owner.last_target = attribute.field
            owner.lines.append(ln)
            current = owner
        elif label is not None:
            current = _open_node(root, stack, label, ln)
        elif current is None:
            current = Node("", "PARA", [ln], [ln.text], parent=root)
            root.children.append(current)
            stack = [current]
        else:
            _place_unlabelled(current, stack, ln, previous, width)
            current = stack[-1] if stack else current
        previous = ln
    return root


_BULLET_SCHEMES = {"-": "DASH", "–": "DASH", "+": "PLUS", "*": "STAR", "•": "BULLET"}
# Schemes of parts and their headings: a descriptive line under one is content.
_PART_SCHEMES = frozenset({"ROMAN", "UPPER", "PART", "CHAPTER", "HEADING", "ROOT", "PARA"})


def _describes_a_task(current: Node | None, stack: list[Node]) -> bool:
    """Whether a descriptive line (`- Kinh phí: …`) below `current` states something of a
    task: `current` is a labelled item of its own text, not a heading, and nothing above
    it is about funding (under `IV. KINH PHÍ` or `2. Kinh phí thực hiện` the same line is a
    point of the budget)."""
    if current is None or current.scheme in _PART_SCHEMES:
        return False
    if current.attributes:
        return True    # its lead or timeline lines already made it a task
    if is_heading_like(current.own_text):
        return False
    return not any("kinh phi" in fold(node.own_text) for node in [*stack, current])


def _next_label(k: int, attributes: list, labels: list[Label | None]) -> Label | None:
    """The label of the first line after line `k` that is no attribute line."""
    for j in range(k + 1, len(labels)):
        if attributes[j] is None:
            return labels[j]
    return None


def _closes_a_list(current: Node, stack: list[Node], following: Label | None) -> bool:
    """Whether attribute lines after the last point of a list belong to the item that
    introduced the list, not to that point: `c) Duy trì … tổ công nghệ số cộng đồng:` /
    `- Hướng dẫn …;` / `- Hướng dẫn ….` / `- Cơ quan chủ trì: …`. So when the item ends
    with a colon, no point of its list has attributes of its own, and no point of the
    same bullet follows the attribute lines (a list whose points each carry their own
    lines has them after every point)."""
    if len(stack) < 2 or stack[-1] is not current or current.scheme not in _BULLET_SCHEMES.values():
        return False
    parent = stack[-2]
    if not parent.own_text.rstrip().endswith(":") or parent.attributes:
        return False
    if any(child.attributes for child in parent.children if child.scheme == current.scheme):
        return False
    return following is None or following.scheme != current.scheme


def _attribute_owner(current: Node, stack: list[Node], bullet: str) -> Node:
    """The task an attribute line belongs to.

    Usually the item just above it.  But when the line's bullet is the
    bullet of an enclosing level (`- Cơ quan chủ trì` after `+` sub-items of a
    `-` item), it closes those levels: it is the attribute of the item that
    holds the `-` items.
    """
    scheme = _BULLET_SCHEMES.get(bullet)
    if scheme is None or current.scheme == scheme:
        return current
    schemes = [n.scheme for n in stack]
    if scheme not in schemes:
        return current
    index = schemes.index(scheme)
    if index == 0:
        return current
    del stack[index:]
    return stack[-1]


def _open_node(root: Node, stack: list[Node], label: Label, ln: Line) -> Node:
    schemes = [n.scheme for n in stack]
    if label.scheme in schemes:
        del stack[schemes.index(label.scheme):]
    while stack and stack[-1].scheme == "PARA":
        stack.pop()
    parent = stack[-1] if stack else root
    node = Node(label.written, label.scheme, [ln], [label.rest] if label.rest else [], parent=parent)
    previous = next((c for c in reversed(parent.children) if c.scheme == label.scheme), None)
    written = label.understood
    if written == "?)" and previous is not None:
        written = next_label("LOWER", previous.understood) or written
    node.understood = understood_label(written, label.scheme,
                                       previous.understood if previous else None)
    parent.children.append(node)
    stack.append(node)
    return node


def _place_unlabelled(current: Node, stack: list[Node], ln: Line, previous: Line | None,
                      width: int) -> None:
    continuation = _is_continuation(ln, previous, width)
    if continuation or current.last_target != "text":
        if not continuation:
            current.last_target = "text"
        current.lines.append(ln)
        current.add_text(ln.text, continuation)
        return
    if is_heading_like(current.own_text) and not current.attributes and current.scheme != "PARA":
        # A paragraph under a heading: an unnumbered point of its own.
        para = Node("", "PARA", [ln], [ln.text], parent=current)
        current.children.append(para)
        stack.append(para)
        return
    heading = current.parent
    if current.scheme == "PARA" and not current.attributes and stack and stack[-1] is current \
            and heading is not None and heading.scheme != "ROOT" and is_heading_like(heading.own_text):
        # The next paragraph under the same heading is a point of its own too.
        para = Node("", "PARA", [ln], [ln.text], parent=heading)
        heading.children.append(para)
        stack[-1] = para
        return
    current.lines.append(ln)
    current.add_text(ln.text, False)


def _is_continuation(ln: Line, previous: Line | None, width: int) -> bool:
    # the layout reading of the shared rule: the document's line width is known here
    return previous is not None and continues(previous.text, ln.text, width)


def understood_label(written: str, scheme: str, previous: str | None) -> str:
    """Fix a label that breaks its sequence in an OCR-typical way.

    A label equal to its previous sibling's (`d)` after `d)`, OCR for `đ)`), or
    far ahead of where the sequence is (`12.` where `7.` is due), is read as
    the label the sequence expects.  Anything else is kept as written.
    """
    expected = next_label(scheme, previous)
    if expected is None or written == expected:
        return written
    if written == previous:
        return expected
    if scheme == "DEC1":
        value = int(re.sub(r"\D", "", written) or 0)
        if value > int(expected[:-1]) + 2:
            return expected
    return written
