"""Post-OCR correction of Tesseract `vie` output with the syllable language model.

Tesseract's Vietnamese model reads the letters of a clean scan well; what it
still gets wrong are the small marks: a hook above read as an acute
(``ổ`` -> ``ố``, ``ủ`` -> ``ú``), hỏi and ngã swapped, a dot below lost, a
horn, breve or circumflex misread (``ơ``/``ô``/``o``, ``ư``/``u``,
``ă``/``â``/``a``, ``ê``/``e``), and the Icelandic eth or African D written
for ``Đ``.

For every Vietnamese-shaped syllable the pass tries the known syllables with
the same letters and other marks, and asks the trigram language model of
`plandiff.ingest.diacritics` (with the neighbouring syllables as context)
whether one reads better.  A syllable changes only when the block's LM score
rises by more than ``margin`` nats per changed mark, so a plausible reading
is never traded for a marginally likelier one.  Numbers, codes, dates,
abbreviations, outline labels, URLs and e-mail addresses are never touched
(the one exception: an eth doubling a Đ, 'QĐÐ', is dropped wherever it is);
everything outside the corrected syllables stays byte-identical.

Why the result is idempotent: a syllable's alternatives form an equivalence
class (a corrected syllable has the same alternatives as the one it
replaced), the number of changed marks is a metric, and a change is made
only when it strictly raises the penalised score, repeated until none does.
By the triangle inequality a second run then finds nothing to change.
"""
from __future__ import annotations

import itertools
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from .diacritics.units import LM_TOKEN
from .errors import IngestError
from .labels import BULLETS, CLOSER, CLOSERS, ROMAN_DIGITS_WIDE, SENTENCE_STOPS, chars
from .syllables import has_marks
from .textnorm import nfc, normalize_tone

__all__ = ["PostOcrConfig", "correct_ocr_text"]


@dataclass(frozen=True)
class PostOcrConfig:
    # LM log-probability (nats) an alternative must gain per changed mark.
    # 5 nats is a likelihood ratio of about 150.  On the bench scans, with
    # language models that never saw those plans, 3-4 nats already start to
    # "correct" right syllables (giao ban -> giao bản) and 6 leaves real
    # errors of the degraded scan in place.
    margin: float = 5.0
    min_count: int = 3     # an alternative must have been seen this often in training
    # Capitalised words mid-sentence are mostly names, which the LM knows less well.
    name_margin: float = 2.0
    # Passes over a block: a change can make its neighbour's alternative win.
    # Each change raises the block's penalised score, so this always ends;
    # on the bench scans two passes are the most ever needed.
    max_rounds: int = 8


# ---------------------------------------------------------------- confusion sets

# Every tone can be misread as every other: besides the expected confusions
# (hook above read as acute, hỏi/ngã, a lost dot below), Tesseract's own
# language prior writes the frequent form of a syllable ('tinh thần' ->
# 'tỉnh thần', 'tầm nhìn' -> 'tâm nhìn', 'chi trả' -> 'chỉ trả').  One class
# per mark kind keeps the alternatives an equivalence class (see above).
_TONE_CLASS = ("", "\u0301", "\u0309", "\u0303", "\u0300", "\u0323")
_QUALITY = {"\u0302", "\u0306", "\u031b"}  # circumflex, breve, horn
# Vowel-quality classes by base letter: the marks a vowel may carry.
_QUALITY_CLASS = {"a": ("", "\u0306", "\u0302"), "o": ("", "\u0302", "\u031b"),
                  "u": ("", "\u031b"), "e": ("", "\u0302")}
# Eth and African D are never Vietnamese; OCR writes them for Đ/đ.
_ETH = str.maketrans({"\u00d0": "\u0110", "\u0189": "\u0110", "\u00f0": "\u0111", "\u0256": "\u0111"})
_ETH_CHARS = "\u00d0\u0189\u00f0\u0256"
_DOUBLED_ETH = re.compile("([\u0110\u0111])[\u00d0\u0189\u00f0\u0256]")
_LETTERS = re.compile(r"[^\W\d_]+")

# ---------------------------------------------------------------- tokens

# LM tokenisation (as the model was trained): letter runs, numbers, single symbols.
_TOKEN = LM_TOKEN
_CHUNK = re.compile(r"\S+")
# A chunk that is a number, a code, a date, a URL or an e-mail address as a whole.
_CODE_CHUNK = re.compile(r"\d|[/@_\\]|://|www\.|[^\W\d_][.\-][^\W\d_]")
# Outline labels at the start of a line: II. / A. / a) / đ) / (b) / 1.2.
# Wider in letters than the parser's reader (Roman digits up to C in either
# case, any single letter, an opening parenthesis): here a label only means a
# token left alone, and this is the set the pass was measured with.  No OCR
# look-alikes: a chunk holding a digit (`1I.`) is never corrected anyway
# (_CODE_CHUNK), nor one without a letter (`|.`, `¢)`).
_LABEL = re.compile(rf"^\(?(?:[{chars(ROMAN_DIGITS_WIDE + ROMAN_DIGITS_WIDE.lower())}]+|[^\W\d_]){CLOSER}")
# Tokens after which a capital starts a sentence rather than a name (no ellipsis, as measured).
_SENTENCE_END = frozenset(SENTENCE_STOPS)
# Last character of a first chunk that makes it a label: a closer or a bullet.
_LABEL_MARK = frozenset(CLOSERS + BULLETS)


@dataclass(slots=True)
class _Word:
    line: int
    start: int
    end: int
    text: str          # as OCR'd
    unit: int = 0      # its LM unit
    name: bool = False  # capitalised in mid-sentence


def correct_ocr_text(text: str, config: PostOcrConfig = PostOcrConfig(),
                     model=None) -> tuple[str, int]:
    """The text with residual OCR mark errors corrected, and how many syllables changed.

    Lines keep their breaks and spacing; only corrected syllables differ.
    The result is NFC.  `model` is a `Restorer`; default: the shipped one.
    """
    text, changed = _fix_eth(nfc(text))
    if model is None:
        model = _load()
    lines = text.split("\n")
    for block in _blocks(lines):
        changed += _correct_block(lines, block, model, config)
    return "\n".join(lines), changed


def _load():
    from .diacritics import RestorationError, load_model

    try:
        return load_model()
    except RestorationError as exc:
        raise IngestError(f"post-OCR correction needs the language model: {exc}",
                          vi="Thiếu mô hình ngôn ngữ để sửa lỗi nhận dạng chữ") from exc


def _blocks(lines: list[str]) -> list[list[int]]:
    """Runs of line indexes that read as one sentence stream (hard-wrapped
    lines joined), so that a syllable at a line end sees the next line."""
    from .linebreaks import continues  # the sentence reading, as the restorer joins lines

    blocks: list[list[int]] = []
    last = ""
    for i, line in enumerate(lines):
        if not line.strip():
            last = ""
            continue
        if blocks and continues(last, line):
            blocks[-1].append(i)
        else:
            blocks.append([i])
        last = line
    return blocks


def _correct_block(lines: list[str], block: list[int], model, config: PostOcrConfig) -> int:
    units, words = _block_units(lines, block, model)
    if not words:
        return 0
    seq = np.array(units, dtype=np.int64)
    current = {p: w.text for p, w in words.items()}
    for _ in range(config.max_rounds):
        if not _round(seq, words, current, model, config):
            break
    return _apply(lines, words, current)


def _block_units(lines: list[str], block: list[int], model) -> tuple[list[int], dict[int, _Word]]:
    """The block as LM units (between <s> <s> and </s>), and the correctable
    words by their position in it."""
    units: list[int] = [model.lm.bos, model.lm.bos]
    words: dict[int, _Word] = {}
    prev = "."
    for li in block:
        line = lines[li]
        caps_line = _caps_line(line)
        eligible = _eligible_spans(line, caps_line)
        first = _CHUNK.search(line)
        label_end = first.end() if first and first.group(0)[-1] in _LABEL_MARK else -1
        for m in _TOKEN.finditer(line):
            tok = m.group(0)
            units.append(model.lm.unit_id(tok))
            if (m.start(), m.end()) in eligible:
                # a capital after a list label ('a) Tổ chức') starts a sentence
                after_label = prev in _LABEL_MARK and m.start() <= label_end + 1
                name = (tok[:1].isupper() and not caps_line and prev not in _SENTENCE_END
                        and not after_label)
                words[len(units) - 1] = _Word(li, m.start(), m.end(), tok, units[-1], name)
            prev = tok
    units.append(model.lm.eos)
    return units, words


def _round(seq: np.ndarray, words: dict[int, _Word], current: dict[int, str], model,
           config: PostOcrConfig) -> bool:
    """One left-to-right pass; True when something changed."""
    moved = False
    for pos, word in words.items():
        alts = _alternatives(word.text, config.min_count, model)
        if not alts:
            continue
        options = [(current[pos], int(seq[pos]), _marks_between(word.text, current[pos]))]
        options += [(a, u, d) for a, u, d in ((word.text, word.unit, 0), *alts) if a != current[pos]]
        gains = _gains(seq, pos, np.array([u for _, u, _ in options], dtype=np.int64), model)
        penalty = config.margin + (config.name_margin if word.name else 0.0)
        scores = [g - penalty * d for g, (_, _, d) in zip(gains, options, strict=False)]
        best = int(np.argmax(scores))
        if best != 0 and scores[best] > scores[0] + 1e-9:
            current[pos] = options[best][0]
            seq[pos] = options[best][1]
            moved = True
    return moved


def _gains(seq: np.ndarray, pos: int, cands: np.ndarray, model) -> np.ndarray:
    """LM log-probability of the sequence with each candidate at `pos`
    (only the trigrams that see `pos` differ between candidates)."""
    k = len(cands)
    total = np.zeros(k)
    for end in range(pos, min(pos + 3, len(seq))):
        a = np.full(k, seq[end - 2]) if end - 2 != pos else cands
        b = np.full(k, seq[end - 1]) if end - 1 != pos else cands
        c = np.full(k, seq[end]) if end != pos else cands
        total += model.lm.log_prob(a, b, c)
    return total


def _apply(lines: list[str], words: dict[int, _Word], current: dict[int, str]) -> int:
    by_line: dict[int, list[_Word]] = {}
    changed = 0
    for pos, word in words.items():
        if current[pos] != word.text:
            by_line.setdefault(word.line, []).append(_Word(word.line, word.start, word.end, current[pos]))
            changed += 1
    for li, fixes in by_line.items():
        line = lines[li]
        for fix in sorted(fixes, key=lambda f: -f.start):
            line = line[:fix.start] + fix.text + line[fix.end:]
        lines[li] = line
    return changed


# ---------------------------------------------------------------- what may change

def _eligible_spans(line: str, caps_line: bool) -> set[tuple[int, int]]:
    """(start, end) of the letter runs of a line that may be corrected."""
    spans: set[tuple[int, int]] = set()
    for n, chunk in enumerate(_CHUNK.finditer(line)):
        text = chunk.group(0)
        if _CODE_CHUNK.search(text) or (n == 0 and _LABEL.match(text)):
            continue
        core = re.fullmatch(r"[^\w]*([^\W\d_]+)[^\w]*", text)
        if not core:
            continue  # letters mixed with digits or split by symbols: not a plain word
        word = core.group(1)
        if _correctable(word, caps_line) and not _letter_label(text, core):
            spans.add((chunk.start() + core.start(1), chunk.start() + core.end(1)))
    return spans


def _correctable(word: str, caps_line: bool) -> bool:
    if len(word) == 1 and word.isupper():
        return False  # initials, list letters, Roman I/V
    if not (word.islower() or word.istitle() or (word.isupper() and caps_line)):
        return False  # an abbreviation (UBND, CĐS) in running text, or mixed case
    if word.isupper() and len(word) <= 2 and not has_marks(word):
        return False  # even in a heading, TU or CA is an abbreviation, not 'TỪ', 'CÁ'
    return _vn_shape(word.lower())


def _letter_label(chunk: str, core: re.Match) -> bool:
    """A one-letter word closed by ')' or '.' is a list label (điểm a), mục b.)."""
    return len(core.group(1)) == 1 and chunk[core.end(1):core.end(1) + 1] in tuple(CLOSERS)


def _caps_line(line: str) -> bool:
    letters = [c for c in line if c.isalpha()]
    return len(letters) >= 4 and sum(c.isupper() for c in letters) * 4 >= len(letters) * 3


@lru_cache(maxsize=50_000)
def _vn_shape(word: str) -> bool:
    from .syllables import is_vn_shape  # the loose reading, the one the LM was built on

    return is_vn_shape(word)


# ---------------------------------------------------------------- alternatives

def _letters(word: str) -> list[list[str]]:
    out: list[list[str]] = []
    for ch in unicodedata.normalize("NFD", word):
        if unicodedata.combining(ch) and out:
            out[-1].append(ch)
        else:
            out.append([ch])
    return out


def _features(word: str) -> tuple[str, tuple[str, ...]]:
    """(tone mark, quality mark of each letter) of a word."""
    tone = ""
    quality = []
    for letter in _letters(word):
        q = ""
        for mark in letter[1:]:
            if mark in _QUALITY:
                q = mark
            elif mark in _TONE_CLASS:
                tone = mark
        quality.append(q)
    return tone, tuple(quality)


def _marks_between(a: str, b: str) -> int:
    ta, qa = _features(a)
    tb, qb = _features(b)
    return int(ta != tb) + sum(x != y for x, y in zip(qa, qb, strict=False))


@lru_cache(maxsize=50_000)
def _alternatives(word: str, min_count: int, model) -> tuple[tuple[str, int, int], ...]:
    """Known syllables within the confusion sets of `word`:
    ((spelling with the word's case, LM unit, marks changed), ...)."""
    letters = _letters(word)
    tone, quality = _features(word)
    slots = []
    for letter, q in zip(letters, quality, strict=False):
        slots.append(_QUALITY_CLASS.get(letter[0].lower(), (q,)))
    out = []
    for combo in itertools.product(_TONE_CLASS, *slots):
        new_tone, new_quality = combo[0], combo[1:]
        marks = int(new_tone != tone) + sum(a != b for a, b in zip(new_quality, quality, strict=False))
        if marks == 0:
            continue
        spelled = _spell(letters, tone, new_tone, new_quality)
        if spelled is None:
            continue
        unit = model.lm.index.get(normalize_tone(spelled.lower()))
        if unit is None or int(model.unit_count[unit]) < min_count:
            continue
        out.append((spelled, unit, marks))
    return tuple(out)


def _spell(letters: list[list[str]], tone: str, new_tone: str,
           new_quality: tuple[str, ...]) -> str | None:
    """The word with the given marks.  The tone keeps its letter when nothing
    forces it to move (the source's own old or new tone style stays); with a
    vowel-quality mark it goes where Vietnamese puts it, on that vowel."""
    bases = [letter[0] for letter in letters]
    at = next((i for i, letter in enumerate(letters) if tone and tone in letter[1:]), None)
    built = [[b] + ([q] if q else []) for b, q in zip(bases, new_quality, strict=False)]
    if new_tone:
        if at is None or any(new_quality):
            # placed on the first vowel, then moved by the tone convention
            at = next((i for i, b in enumerate(bases) if b.lower() in "aeiouy"), None)
            if at is None:
                return None
            built[at].append(new_tone)
            return normalize_tone(nfc("".join("".join(x) for x in built)))
        built[at].append(new_tone)
    return nfc("".join("".join(x) for x in built))


def _fix_eth(text: str) -> tuple[str, int]:
    """Eth / African D in a word -> Đ / đ, and how many words changed.

    Tesseract `vie` sometimes reads one Đ as two glyphs, 'ĐÐ' (QĐÐ, CĐÐS):
    the eth that follows a Đ is a duplicate and goes.  Once `clean_text` has
    turned the eth into Đ this is no longer recognisable ('ĐĐBQH' is a real
    abbreviation), so the pass must see the raw OCR text."""
    if not any(c in text for c in _ETH_CHARS):
        return text, 0
    count = 0

    def repl(m: re.Match) -> str:
        nonlocal count
        word = m.group(0)
        if not any(c in word for c in _ETH_CHARS):
            return word
        count += 1
        return _DOUBLED_ETH.sub(lambda d: d.group(1), word).translate(_ETH)

    return _LETTERS.sub(repl, text), count
