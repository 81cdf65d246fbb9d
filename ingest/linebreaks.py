"""Hard-wrapped lines: does a line carry on the sentence of the line before it,
and how the two are joined.  One place for the rule the parser, the diacritic
restorer, its trainer and the post-OCR pass all need.
"""
from __future__ import annotations

import re

from .labels import BULLET, BULLETS, LOWER_LETTERS, ROMAN_DIGITS_WIDE, SENTENCE_END, SENTENCE_STOPS, chars

__all__ = ["SENTENCE_END", "continues", "join_wrapped", "logical_lines"]

# A line the sentence reading treats as ending its sentence: closing
# punctuation (")" too: a parenthesis or a label closes the line), or blank.
# The ellipsis is not among them, unlike SENTENCE_END of the layout reading:
# this is the rule the restorer and its trainer were measured with.
_SENTENCE_CLOSED = re.compile(rf"[{chars(SENTENCE_STOPS + ')')}]\s*$|^\s*$")
# An outline label opening a line (I. / a) / 1.2. / - / A.): a new item.
# Written for the trainer's clean text, it differs from the parser's reader:
# no OCR look-alikes; Roman digits up to C, of any length; any capital with
# `.` (A-Z, which leaves out Đ) and any letter with `)`; numbers of any length
# and depth, followed by a space; the common bullets, followed by a space.
# Kept as it is: widening or narrowing it changes which lines the restorer,
# its trainer and the post-OCR pass join.
_LABEL = re.compile(rf"^\s*(?:[{chars(ROMAN_DIGITS_WIDE)}]+\.|[A-ZĐ{LOWER_LETTERS}]\)|\d+(?:\.\d+)*\.?\s"
                    rf"|{BULLET}\s|[A-Z]\.)")
# First characters of a line that can only continue what came before.
_CONTINUING_START = ",;.:)]”\"'/-–&("
_DASH_BREAK = re.compile(r"\w-$")  # "57-" / "NQ/TW", "2022-" / "2025"


def continues(prev: str, nxt: str, width: int | None = None) -> bool:
    """Does line `nxt` carry on the sentence of line `prev` (hard-wrapped text)?

    Two readings, for two kinds of reader:

    * ``width=None``, the sentence reading (the restorer, its trainer, the
      post-OCR pass): lines are decoded as a stream of syllables and a join
      only decides which neighbours the language model sees, so without any
      layout to go by the test is lenient: `nxt` continues unless either line
      is blank, `prev` ends with closing punctuation, `nxt` opens with an
      outline label, or only one of the two is written in capitals.
    * ``width`` given, the layout reading (the parser): a join merges two
      lines into one plan item, so it takes positive evidence, and the
      typical full-line length `width` of the document is known: `nxt` opens
      in lower case, with a digit or with punctuation; `prev` breaks at a
      dash; or `prev` fills the line (>= 75 % of `width`, >= 85 % when it
      ends with a colon) without ending its sentence, and is not an all-caps
      heading followed by ordinary text.

    Each is the rule its reader was built and measured with; one rule for
    both would change restored text or item trees.
    """
    if width is None:
        return _continues_sentence(prev, nxt)
    return _continues_layout(prev, nxt, width)


def _continues_sentence(prev: str, nxt: str) -> bool:
    if not prev.strip() or not nxt.strip():
        return False
    if _SENTENCE_CLOSED.search(prev) or _LABEL.match(nxt):
        return False
    return prev.strip().isupper() == nxt.strip().isupper()


# Words no Vietnamese sentence or heading ends with: a line ending in one, with no
# punctuation after it (or ending in a comma), goes on (`... mục tiêu và tác động của` / `CĐS; sự cần thiết`),
# however short the line and whatever the next one opens with.  Words that can close
# a phrase (`được`, `theo` in `kèm theo`, `trên` in `nêu trên`, `về` in `gửi về`) are not here.
_DANGLING = frozenset({"của", "và", "các", "những", "với", "cho", "để", "tại", "là", "bằng",
                       "nhằm", "hoặc", "việc", "sự"})


def _continues_layout(prev: str, nxt: str, width: int) -> bool:
    first = nxt[:1]
    if first.islower() or first.isdigit() or first in _CONTINUING_START:
        return True
    prev = prev.rstrip()
    words = prev.split()
    if words and (words[-1] in _DANGLING or prev.endswith(",")) and not nxt.lstrip().startswith(tuple(BULLETS)):
        return True   # a comma ends no line of a plan either: `… Thể thao huyện,` / `UBND các xã`
    if _DASH_BREAK.search(prev):
        return True  # a code or compound broken at its dash: "57-" / "NQ/TW"
    if _all_caps(prev) and not _all_caps(nxt):
        return False  # a sentence does not run on from an all-caps heading
    if prev.endswith(":") and len(prev) >= 0.85 * width:
        return True  # "... chính quyền số:" wrapped before the explanation it introduces
    return not prev.endswith(SENTENCE_END) and len(prev) >= 0.75 * width


def _all_caps(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 4 and sum(c.isupper() for c in letters) / len(letters) > 0.9


def join_wrapped(left: str, right: str) -> str:
    """Join a hard-wrapped line to the text before it, as the plan meant it."""
    if not left:
        return right
    if _DASH_BREAK.search(left):  # "57-" + "NQ/TW", "2022-" + "2025"
        return left + right
    if right[:1] in ",;":  # a break before punctuation (where a footnote mark was lost)
        return left.rstrip() + right
    return f"{left} {right}"


def logical_lines(lines: list[str]) -> list[str]:
    """Join hard-wrapped lines by the sentence reading (blank lines between
    wrapped parts are skipped).

    The join is a plain space, not `join_wrapped`: the text goes to the
    language model, whose tokens do not see the spacing (and the trainer's
    statistics and the benchmark's generated pages stay as they were)."""
    out: list[str] = []
    last = ""
    for ln in lines:
        if not ln.strip():
            continue
        if out and continues(last, ln):
            out[-1] = out[-1].rstrip() + " " + ln.strip()
        else:
            out.append(ln.strip())
        last = ln
    return out
