"""The vocabulary of outline labels and sentence ends, written once.

Vietnamese plans number their items with Roman numerals (`II.`), upper-case
letters (`A.`, `Đ.`), decimal numbers (`1.`, `1.2.`), lower-case letters
(`a)`, `đ)`) and bullets (`-`, `+`, `•`).  Four readers look for these labels
at the start of a line, each for its own purpose, and build their regexes from
the fragments below, so that a change to the vocabulary (a bullet, a letter,
a look-alike) is made here:

* `plandiff.parse.labels` reads the label: its scheme, its value, and what it
  means through OCR noise.  It takes the OCR look-alikes of `I` (`|`, `l`,
  `1`) and of `c` (`¢`, `©`) and every bullet, but keeps each shape tight
  (at most five Roman digits `I`, `V`, `X`; upper letters `A`–`H` and `Đ`
  only, so that `I.`, `V.`, `X.` stay Roman; one or two digits a level, at
  most four levels), because what it accepts becomes an item.
* `restoration._LABEL` holds a line's label out of diacritic restoration, so
  that the parser gets it as written.  It needs the same OCR look-alikes
  (English-model OCR writes `Il.` and `¢)`, and the restorer must not turn
  them into words), but only the common bullets (`BULLETS`).
* `postocr._LABEL` keeps the post-OCR pass from "correcting" a first token
  that is a label.  It is wider in letters (any run of `IVXLC` in either case,
  any single letter, an opening `(`) and has no digits or `|` (numbers and
  symbols are never corrected anyway).
* `linebreaks._LABEL` (the sentence reading of hard-wrapped lines, used by
  the restorer, its trainer and the post-OCR pass) ends a logical line where
  the next one opens with a label.  It was written for clean text: no OCR
  look-alikes, any capital or letter, numbers of any length.

The readers differ because each was built and measured with its own rule;
making one reader's set another's would change item trees, restored text or
corrections, so every difference is left explicit where the regex is built.

Sentence ends: `SENTENCE_END` (`.`, `;`, `:`, `!`, `?`, `…`) is what ends a
sentence (or the clause a list follows) at a line end, for the layout
reading of hard-wrapped lines, running headers and footnotes.  The sentence
reading of `linebreaks` and the post-OCR pass use `SENTENCE_STOPS`, without
the ellipsis (as they were measured).

Plain sets of single characters (`ROMAN_DIGITS`, `ROMAN_DIGITS_WIDE`,
`I_LOOKALIKES`, `C_LOOKALIKES`, `CLOSERS`, `BULLETS`, `MORE_BULLETS`,
`SENTENCE_STOPS`) go into a regex character class through `chars()`;
`UPPER_LETTERS` and `LOWER_LETTERS` are class bodies with ranges (`A-H`,
`a-z`); `ROMAN`, `ROMAN_OCR`, `UPPER`, `NUMBER`, `DECIMAL`, `LOWER_OCR`,
`CLOSER`, `BULLET` and `ANY_BULLET` are regex fragments ready to use.
"""
from __future__ import annotations

import re

__all__ = [
    "ANY_BULLET", "BULLET", "BULLETS", "CLOSER", "CLOSERS", "C_LOOKALIKES", "DECIMAL", "ELLIPSIS",
    "I_LOOKALIKES", "LOWER_LETTERS", "LOWER_OCR", "MORE_BULLETS", "NUMBER", "ROMAN",
    "ROMAN_DIGITS", "ROMAN_DIGITS_WIDE", "ROMAN_OCR", "SENTENCE_END", "SENTENCE_STOPS", "UPPER",
    "UPPER_LETTERS", "chars",
]


def chars(characters: str) -> str:
    """Single characters made safe inside a regex character class."""
    return "".join(re.escape(c) for c in characters)


# ------------------------------------------------------------------ Roman numerals
ROMAN_DIGITS = "IVX"            # the digits a plan's Roman numbering uses (I to XXXIX)
ROMAN_DIGITS_WIDE = ROMAN_DIGITS + "LC"   # the post-OCR and sentence readers also take L and C
I_LOOKALIKES = "|l1"            # what OCR (the English model especially) writes for I
ROMAN = f"[{chars(ROMAN_DIGITS)}]{{1,5}}"
ROMAN_OCR = f"[{chars(ROMAN_DIGITS + I_LOOKALIKES)}]{{1,5}}"

# ------------------------------------------------------------------ upper-case letters
# A to H and Đ, as the parser has always read them: stopping before I keeps
# `I.`, `V.`, `X.` Roman.
UPPER_LETTERS = "A-HĐ"
UPPER = f"[{UPPER_LETTERS}]"

# ------------------------------------------------------------------ decimal numbers
NUMBER = r"\d{1,2}"                              # one level: 1 to 99
DECIMAL = rf"{NUMBER}(?:\.{NUMBER}){{0,3}}"      # 1 / 1.2 / 1.2.3 / 1.2.3.4

# ------------------------------------------------------------------ lower-case letters
LOWER_LETTERS = "a-zđ"
C_LOOKALIKES = "¢©"             # what OCR writes for c
LOWER_OCR = f"[{LOWER_LETTERS}{chars(C_LOOKALIKES)}]"

# ------------------------------------------------------------------ what closes a label
CLOSERS = ".)"
CLOSER = f"[{chars(CLOSERS)}]"

# ------------------------------------------------------------------ bullets
BULLETS = "-–+*•"               # the common ones: every reader knows them
MORE_BULLETS = "—−·▪◦"          # rarer ones, read by the parser only
BULLET = f"[{chars(BULLETS)}]"
ANY_BULLET = f"[{chars(BULLETS + MORE_BULLETS)}]"

# ------------------------------------------------------------------ sentence ends
SENTENCE_STOPS = ".;:!?"
ELLIPSIS = "…"
# Punctuation that ends a sentence (or a clause a list follows) at a line end.
SENTENCE_END = (*SENTENCE_STOPS, ELLIPSIS)
