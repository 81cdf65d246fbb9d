"""Outline labels: recognise the numbering at the start of a line.

`read_label` gives the plain reading of a line's label; `label_readings` adds
the readings an OCR-damaged label may stand for (`H.` or `Il.` for `II.`,
`1.` or `l.` for `I.`, `IL MỤC ĐÍCH` for `I. MỤC ĐÍCH`), for the outline's
sequence to choose from (`sequence.py`).

The vocabulary (Roman digits and their OCR look-alikes, the letter sets, the
decimal shape, the bullets) comes from `plandiff.ingest.labels`, which the
restorer, the post-OCR pass and the line-joining rule share; this is the
full reader, OCR-tolerant and strict in shape (see that module's docstring).
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, replace
from functools import lru_cache

from plandiff.ingest.labels import (
    ANY_BULLET,
    BULLETS,
    C_LOOKALIKES,
    CLOSER,
    DECIMAL,
    I_LOOKALIKES,
    LOWER_OCR,
    MORE_BULLETS,
    NUMBER,
    ROMAN,
    ROMAN_DIGITS,
    ROMAN_OCR,
    UPPER,
    UPPER_LETTERS,
)
from plandiff.ingest.syllables import is_vn_shape

_NAMED = re.compile(
    r"^(?P<lab>(?P<word>PHẦN|Phần|CHƯƠNG|Chương|MỤC|Mục|ĐIỀU|Điều)\s+"
    rf"(?:{ROMAN}|\d{{1,3}}|thứ\s+\w+|THỨ\s+\w+)\s*[.:]?)\s*(?P<rest>.*)$")
_ROMAN_DECIMAL = re.compile(rf"^(?P<lab>{ROMAN}\.{NUMBER}(?:\.{NUMBER})?\.?)\s+(?P<rest>\S.*)$")
_ROMAN = re.compile(rf"^(?P<lab>{ROMAN_OCR})\s*{CLOSER}(?!\d)\s*(?P<rest>.*)$")
_UPPER = re.compile(rf"^(?P<lab>{UPPER})\s*{CLOSER}(?!\d)\s*(?P<rest>\S.*)$")
_DECIMAL = re.compile(rf"^(?P<lab>{DECIMAL})(?P<delim>{CLOSER}?)\s+(?P<rest>\S.*)$")
_DECIMAL_TIGHT = re.compile(rf"^(?P<lab>{DECIMAL})(?P<delim>{CLOSER})(?P<rest>[^\d\s/.,].*)$")
_LOWER = re.compile(rf"^(?P<lab>{LOWER_OCR}?)\s*\)\s*(?P<rest>\S.*)$")
# OCR slips that keep a label recognisable: "4, Truyền" (comma for the dot).
_DECIMAL_COMMA = re.compile(rf"^(?P<lab>{DECIMAL}),\s+(?P<rest>[A-ZĐÀ-Ỹ].*)$")
# Stray marks an OCR puts before a label: "’ ¢) Chủ động".
_JUNK_PREFIX = re.compile(r"^[‘’'`~\"“”]+\s*")
# What English-model OCR writes for Roman numerals and letters.
_ROMAN_OCR = str.maketrans(dict.fromkeys(I_LOOKALIKES, "I"))
_LETTER_OCR = dict.fromkeys(C_LOOKALIKES, "c")
_BULLET = re.compile(rf"^(?P<lab>{ANY_BULLET})\s*(?P<rest>\S.*)$")

# One scheme per bullet character: a bullet added to the vocabulary needs its scheme here.
_BULLET_SCHEME = {"-": "DASH", "–": "DASH", "—": "DASH", "−": "DASH", "+": "PLUS",
                  "*": "STAR", "•": "BULLET", "·": "BULLET", "▪": "BULLET", "◦": "BULLET"}
assert set(_BULLET_SCHEME) == set(BULLETS + MORE_BULLETS)

ROMAN_VALUES = {"I": 1, "V": 5, "X": 10}

# What a damaged scan makes of a Roman numeral's strokes, each with the digits
# it may stand for: the look-alikes of I, a serif `L` or `i`, and `H`, two
# strokes whose serifs ran together (or one stroke and a smudge).
_ROMAN_STROKES: dict[str, tuple[str, ...]] = {
    **{c: (c,) for c in ROMAN_DIGITS}, **dict.fromkeys(I_LOOKALIKES + "Li!", ("I",)),
    "H": ("II", "I"),
    # A lower-case `v` beside a `V` is the stroke read twice (`Vv.` for `V.`), or a V itself.
    "v": ("", "V"),
}
_STROKES = "".join(re.escape(c) for c in _ROMAN_STROKES)
# A label-like token: Roman strokes, a number or an upper letter, with its closer
# (`.`, or the `,` / `:` an OCR reads for it) or without one.
_TOKEN = re.compile(rf"^(?P<tok>[{_STROKES}]{{1,4}}|\d{{1,2}}|[{UPPER_LETTERS}])"
                    r"(?P<close>[.,:]?)(?P<gap>\s*)(?P<rest>\S.*)$")
_VALID_ROMAN = re.compile(r"X{0,3}(IX|IV|V?I{0,3})")
_COMMA_SECTION = re.compile(r"^(?P<a>\d{1,2}),(?P<b>\d{1,2})\.\s*(?P<rest>[A-ZĐÀ-Ỹ].*)$")
# Roman strokes run into the capital letter of the word after them (`IMỤC`).
_GLUED = re.compile(rf"^(?P<tok>[{_STROKES}]+)[A-ZĐÀ-Ỹ]")
# What OCR makes of a decimal label's digits, and such a token with its closer.
_DIGIT_SHAPES = {**dict.fromkeys(I_LOOKALIKES + "Ii!", "1"), "Z": "2", "S": "5", "O": "0", "B": "8"}
_DIGIT_TOKEN = re.compile(
    rf"^(?P<tok>[\d{re.escape(''.join(_DIGIT_SHAPES))}]{{1,2}})[.,]\s*(?P<rest>[A-ZĐÀ-Ỹ].*)$")
# A list letter the OCR lost: a symbol, or a letter the Vietnamese list never uses
# (`ø)` or `€)` for a letter, `j)` for `i)`); the sequence supplies the letter.
# Not a digit, an ASCII capital (another scheme), an opening bracket or quote.
_LOST_LETTER = re.compile(
    r"^(?P<lab>[^\sabcdđeghiklmnopqrstuvxyA-Z0-9()\[\]{}\"'“”‘’«»¢©])\)\s*(?P<rest>[A-ZĐÀ-Ỹ].*)$")
# A list letter an OCR (or the diacritic restorer after it) made a word of:
# `Các)` for `c)`, read as its first letter (so that a wrapped `xã) Thực hiện`
# is a label only where `x)` is due).  Not lower-case Roman numerals (`ii)`,
# `iv)`: a scheme of its own).
_WORD_LETTER = re.compile(r"^(?P<lab>(?![ivx]+\))[^\W\d_]{2,4})\)\s*(?P<rest>[A-ZĐÀ-Ỹ].*)$")
# What an OCR writes for a bullet's dash: `~`, or `~` stuck to the dash.
_DASH_OCR = re.compile(r"^(?P<lab>~[-–]?)\s+(?P<rest>[A-ZĐÀ-Ỹ].*)$")
# Specks an OCR reads as punctuation before a label (".đ) Tham gia").
_STRAY_PUNCTUATION = re.compile(r"^[.,;:·]+(?=[^\s.,;:·])")
# The letters an OCR reads for each other in a list: the stroke of `đ` lost or added;
# `F`: an `E` whose bottom stroke the scan lost (the Vietnamese alphabet has no F, so
# a plan's parts go A, B, C, D, Đ, E, G; read as E where the sequence expects it).
_LETTER_TWINS = {"d": "đ", "đ": "d", "D": "Đ", "Đ": "D", "F": "E"}

# The sequences of the lettered and Roman schemes.
VIETNAMESE_LETTERS = "abcdđeghiklmnopqrstuvxy"   # a list's letters: no f, j, w, z
VIETNAMESE_UPPER = "ABCDĐEGH"
ROMANS = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"]
# An ALL-CAPS heading: most of its letters upper case, and enough of them to be words.
CAPS_SHARE = 0.7
CAPS_MIN_LETTERS = 4
CAPS_SAMPLE = 80   # characters looked at
# A part's heading has at least this many words ("KINH PHÍ").
PART_HEADING_WORDS = 2
# A short token of no lower-case letter, with or without its closer, before a heading.
_PART_TOKEN = re.compile(r"^(?P<tok>[^\sa-zà-ỹđ.,:]{1,3})[.,:]?\s+(?P<rest>\S.*)$")
# The longest heading (in words) a label that lost its closer may stand before.
BARE_HEADING_WORDS = 12


@dataclass(frozen=True)
class Label:
    written: str   # as in the text, e.g. "1.2." or "a)"
    scheme: str    # PART, CHAPTER, HEADING, ARTICLE, ROMANDEC1.., ROMAN, UPPER, DEC1..DEC4,
                   # LOWER, DASH, PLUS, STAR, BULLET
    rest: str      # the line after the label
    understood: str = ""  # the label read through OCR noise ("Il." -> "II.", "¢)" -> "c)")
    weak: bool = False    # an OCR-damaged label, to be trusted only if its sequence agrees

    @property
    def is_bullet(self) -> bool:
        return self.scheme in ("DASH", "PLUS", "STAR", "BULLET")


def read_label(line: str) -> Label | None:
    """The outline label that starts `line`, if any."""
    label = _read_label(line)
    if label is None and _JUNK_PREFIX.match(line):
        stripped = _JUNK_PREFIX.sub("", line)
        label = _read_label(stripped)
        if label is not None and label.is_bullet:
            label = None  # "' - word" is more likely a quotation than a bullet
    if label is not None and not label.understood:
        label = Label(label.written, label.scheme, label.rest, label.written, label.weak)
    return label


def _read_label(line: str) -> Label | None:
    m = _NAMED.match(line)
    if m:
        word = m.group("word").upper()
        scheme = {"PHẦN": "PART", "CHƯƠNG": "CHAPTER", "MỤC": "HEADING", "ĐIỀU": "ARTICLE"}[word]
        return Label(m.group("lab").strip(), scheme, m.group("rest"))
    m = _ROMAN_DECIMAL.match(line)
    if m:
        depth = m.group("lab").rstrip(".").count(".")
        return Label(m.group("lab"), f"ROMANDEC{depth}", m.group("rest"))
    m = _ROMAN.match(line)
    if m and _roman_token(m.group("lab")):
        written = line[: m.start("rest")].strip()
        understood = m.group("lab").translate(_ROMAN_OCR) + written[len(m.group("lab")):].strip()
        return Label(written, "ROMAN", m.group("rest"), understood.replace(" ", ""))
    m = _UPPER.match(line)
    if m:
        return Label(line[: m.start("rest")].strip(), "UPPER", m.group("rest"))
    m = _DECIMAL.match(line) or _DECIMAL_TIGHT.match(line)
    if m:
        lab = m.group("lab")
        depth = lab.count(".") + 1
        if depth == 1 and not m.group("delim"):
            return None  # "1 Kế hoạch" is a footnote, "2025 ..." a wrapped year
        if not m.group("delim") and not m.group("rest")[:1].isupper():
            return None  # "1.2 triệu" is a number, not a label
        if depth > 1 or m.group("delim"):
            return Label(line[: m.start("rest")].strip(), f"DEC{depth}", m.group("rest"))
    m = _DECIMAL_COMMA.match(line)
    if m:
        depth = m.group("lab").count(".") + 1
        return Label(m.group("lab") + ",", f"DEC{depth}", m.group("rest"), m.group("lab") + ".",
                     weak=True)
    m = _LOWER.match(line)
    if m:
        letter = _LETTER_OCR.get(m.group("lab"), m.group("lab"))
        # ")" alone: the letter was lost; the outline's sequence supplies it.
        understood = letter + ")" if letter else "?)"
        return Label(line[: m.start("rest")].strip(), "LOWER", m.group("rest"), understood,
                     weak=not letter)
    m = _BULLET.match(line)
    if m:
        return Label(m.group("lab"), _BULLET_SCHEME[m.group("lab")], m.group("rest"))
    return None


def _roman_token(lab: str) -> bool:
    """A Roman numeral, possibly with OCR look-alikes (`|`, `l`, `1` for `I`)."""
    # A lone `|` passes (it is never a word); a lone `l` or `1` does not.
    if not any(c in ROMAN_DIGITS + "|" for c in lab) or lab.isdigit():
        return False
    if lab != lab.translate(_ROMAN_OCR) and not any(c in ROMAN_DIGITS for c in lab) and lab != "|":
        return False
    fixed = lab.translate(_ROMAN_OCR)
    return re.fullmatch(r"X{0,3}(IX|IV|V?I{0,3})", fixed) is not None and fixed != ""


@lru_cache(maxsize=4096)   # asked of a line several times while its label is weighed
def is_caps_heading(text: str) -> bool:
    """An ALL-CAPS heading (`MỤC ĐÍCH, YÊU CẦU`): the typography of a plan's parts."""
    letters = [c for c in text[:CAPS_SAMPLE] if c.isalpha()]   # a heading shows it at once
    return len(letters) >= CAPS_MIN_LETTERS and \
        sum(c.isupper() for c in letters) / len(letters) > CAPS_SHARE


def rereadings(line: str, plain: Label | None) -> list[Label]:
    """What an OCR-damaged label at the start of `line` may stand for, besides its
    plain reading `plain` (`read_label(line)`), each `weak`: to be taken only
    where the outline's sequence expects it (`sequence.py`).

    With its closer a token is read through the look-alikes of its scheme
    (`H.` -> `II.`, `1.` -> `I.`, `l.` -> `I.`); without one only before an
    ALL-CAPS heading, the typography of a part (`I MỤC ĐÍCH`, `IL MỤC ĐÍCH`
    with the period read as `L`, `2 NỘI DUNG`), or if it is a true Roman
    numeral (`II Yêu cầu`), since a bare token before ordinary text is
    otherwise a word or a number.  A lost list letter (`ø)`, `j)`) is
    read `?)`, and a `~` before a capital as the dash of a bullet.
    """
    m = _STRAY_PUNCTUATION.match(line)
    if m and plain is None:
        # ".đ) Tham gia": a speck read as a stop before the label
        rest = line[m.end():]
        label = read_label(rest)
        found = ([label] if label is not None else []) + rereadings(rest, label)
        return [replace(x, written=m.group(0) + x.written, weak=True) for x in found]
    m = _LOST_LETTER.match(line)
    if m:
        return [Label(m.group("lab") + ")", "LOWER", m.group("rest"), "?)", weak=True)]
    m = _WORD_LETTER.match(line)
    if m:
        letter = m.group("lab")[0].lower()
        letter = letter if letter == "đ" else unicodedata.normalize("NFD", letter)[0]
        return [Label(m.group("lab") + ")", "LOWER", m.group("rest"), letter + ")", weak=True)]
    m = _DASH_OCR.match(line)
    if m and plain is None:
        return [Label(m.group("lab"), "DASH", m.group("rest"), "-", weak=True),
                Label(m.group("lab"), "PLUS", m.group("rest"), "+", weak=True)]
    if plain is not None and plain.scheme in ("LOWER", "UPPER") \
            and plain.understood[:1] in _LETTER_TWINS:
        twin = _LETTER_TWINS[plain.understood[:1]] + plain.understood[1:]
        return [Label(plain.written, plain.scheme, plain.rest, twin, weak=True)]
    if plain is not None and plain.scheme not in ("ROMAN", "UPPER", "DEC1"):
        return []
    seen = {(plain.scheme, plain.understood)} if plain is not None else set()
    out: list[Label] = []
    for reading in (_numeral_readings(line) + _digit_readings(line) + _glued_readings(line, plain)
                    + _comma_readings(line, plain)):
        if (reading.scheme, reading.understood) not in seen:
            seen.add((reading.scheme, reading.understood))
            out.append(reading)
    return out


def _numeral_readings(line: str) -> list[Label]:
    """A Roman numeral, number or upper letter read through OCR damage."""
    m = _TOKEN.match(line)
    if m is None:
        return []
    tok, close, rest = m.group("tok"), m.group("close"), m.group("rest")
    if not close and not m.group("gap"):
        return []  # "Ia" or "1a": a word, not a token
    if not rest[:1].isupper():
        return []
    # Without a closer, a token before a capitalised phrase is a label only if it
    # is a true Roman numeral (`II Yêu cầu`: no Vietnamese word is one), if the
    # phrase is an ALL-CAPS heading (`IL MỤC ĐÍCH`, `2 NỘI DUNG`), or if it is
    # a short heading (`Il Yêu cầu`); `1 Kế hoạch số … ngày ….` is a footnote.
    if not close and not (_VALID_ROMAN.fullmatch(tok) or is_caps_heading(rest)
                          or is_short_heading(rest)):
        return []
    written = line[: m.start("rest")].strip()
    out = [Label(written, "ROMAN", rest, value + ".", weak=True)
           for value in _roman_values(tok, closed=bool(close))]
    if tok.isdigit():
        out.append(Label(written, "DEC1", rest, f"{int(tok)}.", weak=True))
    elif len(tok) == 1 and re.fullmatch(f"[{UPPER_LETTERS}]", tok):
        out.append(Label(written, "UPPER", rest, tok + ".", weak=True))
    return out


def _glued_readings(line: str, plain: Label | None) -> list[Label]:
    """A Roman numeral glued to the ALL-CAPS heading after it, its period and
    space lost (`IMỤC ĐÍCH, YÊU CẦU`, `IVTỔ CHỨC THỰC HIỆN`): the first word is
    no Vietnamese syllable, but a run of Roman strokes followed by one.  A
    heading that starts with such a word (`VĂN PHÒNG`, `XÂY DỰNG`) is left
    alone, so `VĂN` is never read as `V` + `ĂN`."""
    if plain is not None:
        return []
    m = _GLUED.match(line)
    if m is None or not is_caps_heading(line) or len(line.split()) < PART_HEADING_WORDS:
        return []
    first = line.split()[0].rstrip(",.:;")
    if is_vn_shape(first.lower()):
        return []
    out = []
    for cut in range(1, min(len(m.group("tok")), 4) + 1):
        head = first[cut:]
        if not is_vn_shape(head.lower()):
            continue
        rest = line[cut:]
        out += [Label(line[:cut], "ROMAN", rest, value + ".", weak=True)
                for value in _roman_values(line[:cut], closed=True)]
    return out


def _comma_readings(line: str, plain: Label | None) -> list[Label]:
    """A section number whose inner period OCR read as a comma (`2,7. Lồng ghép`)."""
    m = _COMMA_SECTION.match(line) if plain is None else None
    if m is None:
        return []
    return [Label(line[: m.start("rest")].strip(), "DEC2", m.group("rest"),
                  f"{int(m.group('a'))}.{int(m.group('b'))}.", weak=True)]


def _digit_readings(line: str) -> list[Label]:
    """A decimal label whose digits OCR read as letters (`I.`, `l.` or `|.` for
    `1.`, `Z.` for `2.`), with its closer."""
    m = _DIGIT_TOKEN.match(line)
    if m is None or m.group("tok").isdigit():
        return []
    value = "".join(_DIGIT_SHAPES.get(c, c) for c in m.group("tok")).lstrip("0")
    if not value:
        return []
    written = line[: m.start("rest")].strip()
    return [Label(written, "DEC1", m.group("rest"), value + ".", weak=True)]


def is_short_heading(text: str) -> bool:
    """A few words that end no sentence: a heading, not a footnote or a paragraph."""
    return len(text.split()) <= BARE_HEADING_WORDS and not text.rstrip().endswith((".", ";"))


def part_token(line: str) -> Label | None:
    """The token before an ALL-CAPS heading of two words or more (`8. KINH PHÍ`,
    `Ð. TỔ CHỨC THỰC HIỆN`, `II NỘI DUNG`): the typography of a part, whatever
    the OCR made of its label.  One character, or a few with a digit or a
    symbol among them (`KT. CHỦ TỊCH`, `STT NỘI DUNG` are words)."""
    m = _PART_TOKEN.match(line)
    if m is None or not is_caps_heading(m.group("rest")) \
            or len(m.group("rest").split()) < PART_HEADING_WORDS:
        return None
    tok = m.group("tok")
    if len(tok) > 1 and tok.isalpha() and not _VALID_ROMAN.fullmatch(tok):
        return None
    return Label(line[: m.start("rest")].strip(), "TOKEN", m.group("rest"), "", weak=True)


def _roman_values(tok: str, closed: bool) -> list[str]:
    """The Roman numerals a token of strokes may stand for (`H` -> II or I; `IL`
    without a closer -> I, its period read as `L`, or II)."""
    if any(c not in _ROMAN_STROKES for c in tok):
        return []
    options = [""]
    for c in tok:
        options = [o + d for o in options for d in _ROMAN_STROKES[c]]
    if not closed and tok.endswith("L") and len(tok) > 1:
        options += _roman_values(tok[:-1], closed=True)
    return list(dict.fromkeys(o for o in options if o and _VALID_ROMAN.fullmatch(o)))
