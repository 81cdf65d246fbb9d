"""Outline repair: each line's label read through the outline's sequence.

OCR of a poor scan damages labels in ways a single line cannot undo: `III.`
comes out `II.`, `I.` as `l.`, `1.`, `L.` or `|.`, `II.` as `H.` or `Il.`,
the period after a Roman numeral is lost or read as `L` (`IL MỤC ĐÍCH`), a
label is glued to the end of the line before.  Read plainly, such a label
opens a level of the wrong scheme, and every item below it nests wrongly.

`choose_labels` reads each line's label from its neighbours.  It walks the
lines keeping the stack of open levels as `outline.build_tree` will build it,
and for each labelled line weighs every reading of it (the plain one,
`labels.read_label`, and what OCR damage may have made of it,
`labels.rereadings`) by how well it continues the sequence:

* at an open level, the label the sequence expects next (`III.` after `II.`);
* at a new level, the first label of its scheme, best of the scheme this
  document opened at that place before (its consistency: if `I.` came under
  `A.`, a new level under `B.` is Roman too);
* a repeat of the open label (`II.` again) is an OCR slip for the expected one
  (`outline.understood_label` reads it so);

by how well the next labelled line continues after it (one line of look-
ahead: `1.` then `1.` then `2.` is `I.`, `1.`, `2.`, not `1.`, `2.`, `2.`),
and by typography (an ALL-CAPS heading read in the scheme of the document's
other ALL-CAPS headings).  The label as written is trusted unless a
re-reading continues the sequence clearly better, and a re-reading counts
only where the sequence expects it.  An ALL-CAPS heading whose token fits no
sequence at all (`8. KINH PHÍ` for `C.`, `5 TỔ CHỨC THỰC HIỆN`) is a
top-level part, its typography, and takes the top level's next label.  A
dash that would open a list mid-sentence after a full hard-wrapped line is
the wrapped rest of the sentence.

`split_glued` undoes a part's label glued to the line before it.

The repaired label is in `Label.understood` (the items' `label_understood`);
`Label.written` stays as written.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, replace

from plandiff.ingest.labels import ROMAN_OCR, SENTENCE_END, UPPER

from .attributes import read_attribute
from .labels import (
    PART_HEADING_WORDS,
    ROMANS,
    VIETNAMESE_LETTERS,
    VIETNAMESE_UPPER,
    Label,
    is_caps_heading,
    is_short_heading,
    part_token,
    read_label,
    rereadings,
)
from .lines import Line

# How well a reading continues the sequence (see the module docstring).
FIT_EXPECTED = 3.0   # the expected next label, or the first label of the level expected here
FIT_NEW_LEVEL = 2.0  # the first label of a scheme that opens a level not seen at this place
FIT_REPEAT = 1.0     # the open label again: an OCR slip for the expected one
FIT_NONE = 0.0       # out of sequence
# The label as written outweighs a re-reading that fits only as well or a
# little better: a re-reading must win by a whole fit step plus the look-ahead.
PLAIN_PRIOR = 1.5
# An ALL-CAPS heading read in the scheme of the document's other ALL-CAPS
# headings (its parts): typography breaks a tie between two sequences.
PART_TYPOGRAPHY = 1.0
LOOKAHEAD_WEIGHT = 1.0
# A line at least this share of the document's full line length was hard-wrapped.
WRAPPED_LINE_SHARE = 0.8
_ROOT = "ROOT"
_TRUE_ROMAN = re.compile(r"X{0,3}(IX|IV|V?I{0,3})")
_SEQUENCED = ("ROMAN", "UPPER", "DEC1", "DEC2", "DEC3", "DEC4", "LOWER")
_DECIMAL_LEVEL = re.compile(r"DEC[2-4]")
# The letter many plans skip: `e)` after `d)` (no `đ)`), as well as `đ)`.
_SKIPPED = {("LOWER", "d)"): "e)", ("UPPER", "D."): "E."}


def next_label(scheme: str, previous: str | None) -> str | None:
    """The label the sequence of `scheme` expects after `previous` (None: its first)."""
    if previous is None:
        return {"LOWER": "a)", "ROMAN": "I.", "DEC1": "1.", "UPPER": "A."}.get(scheme)
    core = previous.rstrip(".)")
    if scheme == "LOWER" and core in VIETNAMESE_LETTERS[:-1]:
        return VIETNAMESE_LETTERS[VIETNAMESE_LETTERS.index(core) + 1] + ")"
    if scheme == "ROMAN" and core in ROMANS[:-1]:
        return ROMANS[ROMANS.index(core) + 1] + "."
    if scheme == "UPPER" and core in VIETNAMESE_UPPER[:-1]:
        return VIETNAMESE_UPPER[VIETNAMESE_UPPER.index(core) + 1] + "."
    if scheme == "DEC1" and core.isdigit():
        return f"{int(core) + 1}."
    if _DECIMAL_LEVEL.fullmatch(scheme) and re.fullmatch(r"\d+(\.\d+)+", core):
        head, _, last = core.rpartition(".")
        return f"{head}.{int(last) + 1}."
    return None


def _first_of_level(scheme: str, value: str) -> bool:
    """`value` can open a level of `scheme` (`I.`, `a)`, `2.1.` …)."""
    if _DECIMAL_LEVEL.fullmatch(scheme):
        return value.rstrip(".").rpartition(".")[2] == "1"
    return value == next_label(scheme, None)


@dataclass
class _Outline:
    """The open levels (scheme, label understood) as build_tree will nest them,
    and the scheme the document first opened under each scheme."""

    stack: list[tuple[str, str]]
    child_of: dict[str, str]
    part_scheme: str | None = None   # the scheme most of the document's ALL-CAPS headings use

    def copy(self) -> _Outline:
        return _Outline(list(self.stack), dict(self.child_of), self.part_scheme)

    def typography(self, label: Label) -> float:
        """The bonus of a reading that gives an ALL-CAPS heading the parts' scheme."""
        return PART_TYPOGRAPHY if label.scheme == self.part_scheme and is_caps_heading(label.rest) \
            else 0.0

    def fit(self, label: Label) -> float:
        schemes = [s for s, _ in self.stack]
        value = label.understood or label.written
        if label.scheme in schemes:
            open_value = self.stack[schemes.index(label.scheme)][1]
            if label.scheme not in _SEQUENCED:
                return FIT_EXPECTED
            expected = next_label(label.scheme, open_value)
            if label.scheme == "LOWER" and value == "?)":
                return FIT_EXPECTED if expected else FIT_NONE
            if value == expected or value == _SKIPPED.get((label.scheme, open_value)):
                return FIT_EXPECTED
            return FIT_REPEAT if value == open_value else FIT_NONE
        if label.scheme in _SEQUENCED and not _first_of_level(label.scheme, value):
            return FIT_NONE
        known = self.child_of.get(schemes[-1] if schemes else _ROOT)
        return FIT_EXPECTED if known in (None, label.scheme) else FIT_NEW_LEVEL

    def push(self, label: Label) -> None:
        schemes = [s for s, _ in self.stack]
        value = label.understood or label.written
        if label.scheme in schemes:
            index = schemes.index(label.scheme)
            open_value = self.stack[index][1]
            if value in (open_value, "?)") and label.scheme in _SEQUENCED:
                # a repeat or a lost letter: build_tree understands the expected one
                value = next_label(label.scheme, open_value) or value
            del self.stack[index:]
        self.child_of.setdefault(self.stack[-1][0] if self.stack else _ROOT, label.scheme)
        self.stack.append((label.scheme, value))

    def top_scheme(self) -> str | None:
        return self.stack[0][0] if self.stack else None

    def top_level(self, token: Label) -> Label | None:
        """`token` read as the top level's next label, if that level has a sequence."""
        if not self.stack:
            return None
        scheme, value = self.stack[0]
        expected = next_label(scheme, value)
        if expected is None or scheme not in ("ROMAN", "DEC1", "UPPER"):
            return None
        return replace(token, scheme=scheme, understood=expected, weak=False)


def choose_labels(lines: list[Line], is_attribute: list[bool] | None = None,
                  width: int | None = None) -> list[Label | None]:
    """The label each line opens (None: no label, or an attribute line;
    `is_attribute`: which lines are attribute lines, `width`: the length of a
    full hard-wrapped line, if the caller knows them)."""
    if is_attribute is None:
        is_attribute = [read_attribute(ln.text) is not None for ln in lines]
    plains: list[Label | None] = []
    options: list[list[Label]] = []
    for ln, attribute in zip(lines, is_attribute, strict=True):
        if attribute:
            plains.append(None)
            options.append([])
            continue
        plain = read_label(ln.text)
        plains.append(plain)
        options.append(([plain] if plain is not None else []) + rereadings(ln.text, plain))
    outline = _Outline([], {}, _part_scheme([o[0] for o in options if o]))
    chosen: list[Label | None] = []
    for i, here in enumerate(options):
        after = next((o for o in options[i + 1:] if o), [])
        label = _choose(here, plains[i], after, outline, lines[i].text)
        if label is not None and i and _wrapped_rest(label, lines[i - 1], outline, width):
            label = None
        if label is not None:
            outline.push(label)
        chosen.append(label)
    return chosen


def _choose(options: list[Label], plain: Label | None, after: list[Label],
            outline: _Outline, text: str) -> Label | None:
    """The reading of one line's label that continues the sequence best (`plain`:
    the plain reading, first in `options`, if the line has one; `text`: the line)."""
    scored = []
    for k, reading in enumerate(options):
        fit = outline.fit(reading)
        trusted = reading is plain and not reading.weak
        if not trusted and fit < _least_fit(reading):
            continue   # a re-reading, or a weak label, counts only where the sequence expects it
        then = outline.copy()
        then.push(reading)
        score = fit + (PLAIN_PRIOR if trusted else 0.0) + outline.typography(reading) \
            + LOOKAHEAD_WEIGHT * _best_fit(after, then)
        scored.append((score, -k, reading))
    best = max(scored, key=lambda x: x[:2])[2] if scored else None
    if best is not None and (best is not plain or outline.fit(best) > FIT_NONE
                             or best.scheme == outline.top_scheme()):
        # the sequence has vouched for it (or it is a part's label as written:
        # a plan may skip or repeat a number of its own)
        return replace(best, weak=False)
    # Nothing continues the sequence: an ALL-CAPS heading after a token is a part.
    token = part_token(text)
    if token is not None and outline.part_scheme == outline.top_scheme():
        return outline.top_level(token)
    return best


def _wrapped_rest(label: Label, previous: Line, outline: _Outline, width: int | None) -> bool:
    """After a full hard-wrapped line that ends no sentence, the rest of the
    sentence, not a label: a bullet that would open a new level before a
    lower-case word (`kinh tế` / `- xã hội`, or a speck an OCR read as a dash),
    or a token without its closer (`tổng số` / `12 Trung tâm …`).  After a
    short line or an ALL-CAPS one (a heading) both are labels: lists may start
    in lower case."""
    if width is None or len(previous.text) < WRAPPED_LINE_SHARE * width \
            or previous.text.rstrip().endswith((*SENTENCE_END, ":")):
        return False
    if label.is_bullet:
        return label.rest[:1].islower() and label.scheme not in (s for s, _ in outline.stack)
    # (a true Roman numeral starts no wrapped line: no Vietnamese word is one)
    return not label.written.endswith((".", ",", ":", ")")) \
        and not _TRUE_ROMAN.fullmatch(label.written) and not is_caps_heading(previous.text)


def _least_fit(reading: Label) -> float:
    """The fit a re-reading needs: the expected label; for a Roman numeral before a
    heading also a repeat of the open one (`I Nội dung …` after `I Nội dung …`, a
    stroke of `II` lost with the period), which build_tree reads as the next."""
    if reading.scheme == "ROMAN" and (is_caps_heading(reading.rest) or is_short_heading(reading.rest)):
        return FIT_REPEAT
    return FIT_EXPECTED


def _part_scheme(readings: list[Label]) -> str | None:
    """The scheme of most labels before an ALL-CAPS heading (each line's first
    reading: the plain one, else the first re-reading, so that `I MỤC ĐÍCH`
    counts when every Roman numeral lost its period)."""
    counts = Counter(r.scheme for r in readings if not r.is_bullet and is_caps_heading(r.rest))
    return counts.most_common(1)[0][0] if counts else None


def _best_fit(options: list[Label], outline: _Outline) -> float:
    """How well the next labelled line continues after `outline`."""
    best = 0.0
    for reading in options:
        fit = outline.fit(reading)
        if reading.weak and fit < _least_fit(reading):
            continue
        best = max(best, fit + (PLAIN_PRIOR if not reading.weak else 0.0))
    return best


# A part's label glued after the end of a sentence: mid-line before its ALL-CAPS
# heading ("… như sau. II. NỘI DUNG"), or at the very end of the line, its
# heading on the next ("… như sau. II." / "NỘI DUNG").
_GLUED_MID = re.compile(
    rf"(?P<head>.*[{re.escape(''.join(SENTENCE_END))}])\s+(?P<tail>(?:{ROMAN_OCR}|{UPPER})\.\s*\S.*)$")
_GLUED_END = re.compile(
    rf"(?P<head>.*[{re.escape(''.join(SENTENCE_END))}])\s+(?P<tail>(?:{ROMAN_OCR}|{UPPER})\.)$")


def split_glued(lines: list[Line]) -> list[Line]:
    """Lines with a part's label glued to the line before it set apart."""
    out: list[Line] = []
    i = 0
    while i < len(lines):
        ln = lines[i]
        following = lines[i + 1] if i + 1 < len(lines) else None
        m = _GLUED_MID.match(ln.text)
        if m and _is_part_heading(m.group("tail")):
            out += _split_at(ln, m.start("tail"))
        elif (m := _GLUED_END.match(ln.text)) and following is not None \
                and read_label(following.text) is None \
                and _is_part_heading(f"{m.group('tail')} {following.text}"):
            # the label moves down to its heading, which keeps its own position
            out += [_split_at(ln, m.start("tail"))[0],
                    replace(following, text=f"{m.group('tail')} {following.text}")]
            i += 1
        else:
            out.append(ln)
        i += 1
    return out


def _is_part_heading(text: str) -> bool:
    label = read_label(text)
    return label is not None and label.scheme in ("ROMAN", "UPPER") and is_caps_heading(label.rest) \
        and len(label.rest.split()) >= PART_HEADING_WORDS


def _split_at(ln: Line, at: int) -> list[Line]:
    head = ln.text[:at].rstrip()
    return [Line(head, ln.start, ln.start + len(head), ln.page, ln.indented, ln.page_first),
            Line(ln.text[at:], ln.start + at, ln.end, ln.page, False, False)]
