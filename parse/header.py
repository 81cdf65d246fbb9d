"""The two-column header of a plan, read as a person reads it.

A plan opens with two columns: on the left the issuing body (the parent body
above, the unit below: `UBND TỈNH QUẢNG NGÃI` / `VĂN PHÒNG`, or
`ỦY BAN NHÂN DÂN` / `XÃ ĐĂK TÔ`) and the number (`Số: 25/KH-UBND`); on the
right the national motto (`CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM` /
`Độc lập - Tự do - Hạnh phúc`) and the place and date. Text layers and OCR
flatten the columns: the lines interleave (`ỦY BAN NHÂN DÂN CỘNG HÒA …`) or
come one column after the other, often damaged (`S6:`, lost marks, `Ð`).

The columns are told apart by their vocabulary, not by position: the motto,
the `Độc lập - Tự do - Hạnh phúc` line (both found approximately, through OCR
damage) and the `…, ngày … tháng … năm …` phrase belong to the right; `Số:`
and the upper-case body names to the left. The left column's name lines are
rejoined and composed into the issuer: a unit that is a department or office
(`VĂN PHÒNG`, `SỞ …`, `PHÒNG …`, `BAN …`, `TRUNG TÂM …`, `CHI CỤC …`) is
written before its parent body (`VĂN PHÒNG UBND TỈNH QUẢNG NGÃI`); a committee
name and the place under it become one name (`ỦY BAN NHÂN DÂN XÃ ĐĂK TÔ`).
The source's spelling is kept (NFC, spaces collapsed), never corrected.

A copy hard-wrapped at any width must read as the unwrapped one: the motto and
its second line are found across line breaks, a place-and-date line broken in
two or three is joined again, and a `Số:` field with no readable number (left
blank, its slash lost to OCR) is still the number field, never a name line.
"""
from __future__ import annotations

import re

from plandiff.ingest.syllables import is_vn_shape
from plandiff.ingest.textnorm import collapse_ws, fold, nfc

# Right column: the motto and its second line, as folded letters and digits.
_MOTTO_KEY = "conghoaxahoichunghiavietnam"
_SLOGAN_KEY = "doclaptudohanhphuc"
# The right column of a Party body's document and of a youth union's holds their own
# motto instead of the state's (Hướng dẫn 36-HD/VPTW; the Đoàn's rules of form).
_PARTY_KEY = "dangcongsanvietnam"
_YOUTH_KEY = "doantncshochiminh"
# Edit distance allowed for an OCR-damaged copy (about one character in five).
_MOTTO_ERRORS = 6
_SLOGAN_ERRORS = 4
_RIGHT_COLUMN = ((_MOTTO_KEY, _MOTTO_ERRORS), (_SLOGAN_KEY, _SLOGAN_ERRORS),
                 (_PARTY_KEY, 4), (_YOUTH_KEY, 3))
# OCR look-alikes unified in the keys only (the text keeps its spelling).
_KEY_MAP = str.maketrans({"ð": "d", "1": "l", "0": "o"})

# Folded patterns (no marks, lower case; `Ð` read as `Đ`).
NUMBER = re.compile(r"\bs\s?[o6]\s*:\s*(?P<num>\d{1,5}[a-z]?)?\s*/\s*(?P<code>[a-z][a-z0-9\-/]*)")
# A Party body's number: the number, a hyphen, the kind, a slash and the body
# (`Số 36-KH/ĐU`, `Số: 15-KH/HU`); its colon is often left out.
PARTY_NUMBER = re.compile(
    r"\bs\s?[o6]\s*:?\s*(?P<num>\d{1,5})\s*-\s*(?P<code>[a-z]{1,6}\s*/\s*[a-z][a-z0-9]*(?:-[a-z0-9]+)*)")
# The `Số:` field however damaged: the number left blank to be filled by hand and the
# slash lost to OCR (`Số: KH-UBND`), which `NUMBER` cannot read. It is the left column's
# number field, never a name line, even when no number is read from it.
# With both a number and a code that has its hyphen (`Số: 25 KH-UBND`) the number is read.
_NUMBER_FIELD = re.compile(
    r"\bs\s?[o6]\s*:\s*(?:(?P<num>\d{1,5}[a-z]?)\s*)?/?\s*(?P<code>[a-z][a-z0-9]*(?:[-/][a-z0-9]+)+)?")
DATE = re.compile(r"\bngay\s+(?P<d>\d{1,2})?[\s.]*thang\s+(?P<m>\d{1,2})\s+nam\s+(?P<y>\d{4})")
# A place-and-date line broken by wrapping spans at most this many lines (`ngày 10` /
# `tháng 4` / `năm 2025` at a narrow width).
_DATE_LINES = 3
_DATE_WORD = re.compile(r"\bngay\b")
# `ngày … tháng …` without its year yet: joined with the next line, it may need another.
_DATE_PREFIX = re.compile(r"\bngay\s+(?:\d{1,2})?[\s.]*(?:thang(?:\s+\d{1,2})?(?:\s+nam)?)?\s*$")
# Bodies a header names over two lines, the level and place on the second
# (`ỦY BAN NHÂN DÂN` / `XÃ ĐĂK TÔ`, `ỦY BAN MẶT TRẬN TỔ QUỐC VIỆT NAM` / `TỈNH QUẢNG TRỊ`).
_COMMITTEE = re.compile(r"^(?:uy ban nhan dan|ubnd|hoi dong nhan dan|hdnd|uy ban mat tran to quoc viet nam)$")
_LEVEL_WORD = re.compile(r"^(?:tinh|huyen|xa|phuong|thi tran|thi xa|thanh pho|quan|tp)\b")
# A body that has units under it: the People's Committee and Council, the Front, a
# Party organisation (`ĐẢNG BỘ TỈNH …`), a provincial or district youth union.
_PARENT_WORD = re.compile(r"^(?:uy ban nhan dan|ubnd|hoi dong nhan dan|hdnd|uy ban mat tran|mttq|dang bo"
                          r"|tinh uy|huyen uy|thanh uy|thi uy|tinh doan|huyen doan|thanh doan)\b")
# A unit written under its parent: offices, departments, boards and councils, a Party
# committee under its Party organisation (`ĐẢNG ỦY ỦY BAN NHÂN DÂN TỈNH`), a union's
# executive committee. `HỘI ĐỒNG NHÂN DÂN` is a parent, not a council under one.
_UNIT_WORD = re.compile(r"^(?:van phong|so|phong|ban|trung tam|chi cuc|cuc|thanh tra|hoi dong(?! nhan dan)"
                        r"|dang uy|chi bo|uy ban kiem tra|bch|ban chap hanh|thuong truc)\b")
_NAME_GOES_ON = re.compile(r"\w(,|\s[-–])$")
# Stamps printed in the header that name no body.
_STAMP = re.compile(r"^(?:du thao|ban du thao|mat|toi mat|khan|thuong khan|hoa toc)$")


# Code tokens whose canonical spelling is not their upper-case form: a lost `Đ`
# (`QD`, `UBNĐ` both occur) and the mixed-case government codes.
_CANONICAL_CODES = {
    "QD": "QĐ", "ND": "NĐ", "HDND": "HĐND", "BCD": "BCĐ", "UBND": "UBND",
    "TTG": "TTg", "TTR": "TTr", "CTR": "CTr", "CD": "CĐ",
}


def canonical_code(token: str) -> str:
    """One token of a document code in its canonical spelling (`ctr` -> `CTr`, `QD` -> `QĐ`)."""
    return _CANONICAL_CODES.get(hfold(token).upper(), token.replace("Ð", "Đ").upper())


def find_number(folded: str) -> re.Match[str] | None:
    """The number field in folded header text, in the state's form or a Party body's."""
    return NUMBER.search(folded) or PARTY_NUMBER.search(folded)


def hfold(text: str) -> str:
    """`fold` with the OCR `Ð` (U+00D0) read as `Đ`; one character per character of NFC text."""
    return fold(text).replace("ð", "d")


def letter_key(text: str) -> tuple[str, list[int]]:
    """Folded letters and digits of `text`, and the index in `text` of each."""
    chars, where = [], []
    for i, c in enumerate(hfold(text)):
        if c.isalnum():
            chars.append(c)
            where.append(i)
    return "".join(chars).translate(_KEY_MAP), where


def approx_find(pattern: str, text: str, max_errors: int) -> tuple[int, int] | None:
    """[start, end) of the substring of `text` nearest to `pattern` by edit distance,
    if within `max_errors`; among equally near ones the first, shortest."""
    n, m = len(text), len(pattern)
    # Each edit spoils at most three of the pattern's trigrams: with fewer left in
    # `text` than that allows, no substring is near enough (a lossless filter).
    if n < m - max_errors or _shared_trigrams(pattern, text) < m - 2 - 3 * max_errors:
        return None
    # Cells hold cost * big + (big - 1 - start): the least value is the least cost and,
    # among equal costs, the latest start (the shortest match).
    big = n + 1
    prev = [i * big + big - 1 for i in range(m + 1)]
    best: tuple[int, int, int] | None = None   # (cost, start, end)
    for j, tc in enumerate(text, start=1):
        cur = [big - 1 - j]
        left = cur[0]
        for i in range(1, m + 1):
            v = prev[i - 1] + (big if pattern[i - 1] != tc else 0)
            if left + big < v:
                v = left + big
            if prev[i] + big < v:
                v = prev[i] + big
            cur.append(v)
            left = v
        cost, rest = divmod(cur[m], big)
        if cost <= max_errors and (best is None or cost < best[0]):
            best = (cost, big - 1 - rest, j)
        prev = cur
    return (best[1], best[2]) if best else None


def _shared_trigrams(pattern: str, text: str) -> int:
    grams = {text[i:i + 3] for i in range(len(text) - 2)}
    return sum(pattern[i:i + 3] in grams for i in range(len(pattern) - 2))


def _cut_right_vocabulary(lines: list[str]) -> list[str]:
    """The header's lines without the motto and its second line.

    The lines are searched as one text: a copy hard-wrapped at any width breaks the
    motto over two lines (`CỘNG HÒA XÃ HỘI CHỦ NGHĨA` / `VIỆT NAM`), and each half is
    too far from the whole to be found on its own line, so one half would be read as a
    name. What is left is split at the line breaks again, so each line keeps its words.
    """
    pieces = ["\n".join(lines)]
    for pattern, errors in _RIGHT_COLUMN:
        done: list[str] = []
        # A piece cut around a match is searched again: a header may repeat the motto.
        todo = pieces[::-1]
        while todo:
            piece = todo.pop()
            key, where = letter_key(piece)
            found = approx_find(pattern, key, errors)
            if found is None:
                done.append(piece)
                continue
            start, end = where[found[0]], where[found[1] - 1] + 1
            todo += [piece[end:], piece[:start]]
        pieces = done
    return [line for piece in pieces for line in piece.split("\n")]


def _join_broken_dates(lines: list[str]) -> list[str]:
    """`Đăk Tô, ngày 10 tháng 4` / `năm 2025` (or `Đăk Tô,` / `ngày …`) -> one line: a
    wrapped copy breaks the place-and-date line, and only whole it gives the date with
    the place before it and the left column's words ahead of the place."""
    out: list[str] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        i += 1
        # `Quảng Ngãi,` / `ngày 02 tháng 5 năm 2025`: the place is the date's, not a name.
        if i < len(lines) and line.rstrip().endswith(",") and _DATE_WORD.match(hfold(lines[i]).lstrip()):
            line = f"{line} {lines[i].lstrip()}"
            i += 1
        for _ in range(_DATE_LINES - 1):
            f = hfold(line)
            # A blank line ends the phrase: wrapping never puts one inside a line.
            if i >= len(lines) or not lines[i].strip() or not _DATE_WORD.search(f) or DATE.search(f):
                break
            joined = f"{line} {lines[i]}"
            date = DATE.search(hfold(joined))
            # Joined only when the date then starts on this line (not on the next alone).
            if date is None and not _DATE_PREFIX.search(hfold(joined)) or \
                    date is not None and date.start() >= len(line):
                break
            line = joined
            i += 1
        out.append(line)
    return out


def _is_upper_word(word: str) -> bool:
    letters = [c for c in word if c.isalpha()]
    return bool(letters) and all(c.isupper() for c in letters)


def _split_date_piece(piece: str) -> tuple[str, str | None, re.Match[str] | None]:
    """(left-column text, place, date match) of a piece holding `…, ngày … năm …`."""
    f = hfold(piece)
    m = DATE.search(f)
    if not m:
        return piece, None, None
    before = piece[: m.start()]
    left = ""
    num = find_number(f[: m.start()])
    if num:   # `Số: 25/KH-UBND Đăk Tô, ngày …` on one flattened line
        left, before = before[: num.end()], before[num.end():]
    words = before.replace(",", " ").split()
    # Upper-case words ahead of the place are the left column's (`XÃ ĐĂK TÔ Đăk Tô, ngày`).
    k = 0
    while k < len(words) and _is_upper_word(words[k]) and k < len(words) - 1:
        k += 1
    if k and not any(_is_upper_word(w) for w in words[k:k + 1]):
        left = collapse_ws(f"{left} {' '.join(words[:k])}")
        words = words[k:]
    place = collapse_ws(" ".join(words)).strip(" ,.;:-") or None
    return left, place, m


NAME_LETTER_SHARE = 0.75   # of a name line's visible characters, at least this many are letters
_NOT_IN_NAMES = set("/_<>=*#@~^")


def _name_like(line: str, letters: list[str]) -> bool:
    """Whether a line can be part of an agency's name: words of letters, not the
    debris OCR makes of a faint number line (`5: /KLIT_TIDNIT>`)."""
    visible = [c for c in line if not c.isspace()]
    return len(letters) >= NAME_LETTER_SHARE * len(visible) and not _NOT_IN_NAMES.intersection(line)


# A word of a name: a syllable, an upper-case abbreviation (`UBND`, `HĐND`) or a number.
_ABBREVIATION = re.compile(r"^[A-ZĐ]{2,7}$")


def _name_word(token: str) -> bool:
    word = token.strip(".,;:()-–—_|'\"“”‘’")
    if word.isdigit():
        return True
    if len(word) < 2 or not word.isalpha():
        return False
    return bool(_ABBREVIATION.match(word)) or is_vn_shape(hfold(word))


def _trim_debris(text: str) -> str:
    """`text` without the OCR debris at its ends: a stamp or a neighbouring column bleeds
    specks and broken words into a name line (`E2EPTTrXE-TPĐNTPI —UBND TỈNH QUẢNG NGÃI`,
    `. S Š VĂN PHÒNG . Ê`), never words of the name itself, which a reader skips."""
    words = text.split()
    start, end = 0, len(words)
    while start < end and not _name_word(words[start]):
        start += 1
    while end > start and not _name_word(words[end - 1]):
        end -= 1
    return " ".join(words[start:end]) if start < end else text


class Header:
    """What the header block says: number, place and date, the issuer's name lines."""

    def __init__(self, lines: list[str]) -> None:
        self.number: str | None = None
        self.number_found = False
        self.place: str | None = None
        self.date: tuple[int | None, int, int] | None = None
        self.name_lines: list[str] = []
        for piece in _join_broken_dates(_cut_right_vocabulary([nfc(raw) for raw in lines])):
            self._read_piece(piece)
        # A number or date broken over two lines (`Số:` / `25/KH-UBND`).
        joined = nfc(" \n ".join(lines))
        if not self.number_found and (num := find_number(hfold(joined))):
            self._read_number(joined, num)
        if self.date is None and (date := DATE.search(hfold(joined))):
            self._read_date(date, None)

    def _read_number(self, text: str, num: re.Match[str]) -> None:
        self.number_found = True
        if num.group("num"):
            code = re.sub(r"[^\W_]+", lambda t: canonical_code(t.group()),
                          text[num.start("code"): num.end("code")]).strip("-/")
            if num.re is PARTY_NUMBER:
                self.number = f"{num.group('num')}-{''.join(code.split())}"
            else:
                self.number = f"{num.group('num')}/{code}"

    def _read_date(self, date: re.Match[str], place: str | None) -> None:
        day = date.group("d")
        self.date = (int(day) if day else None, int(date.group("m")), int(date.group("y")))
        self.place = place

    def _read_piece(self, piece: str) -> None:
        left, place, date = _split_date_piece(piece)
        if date and self.date is None:
            self._read_date(date, place)
        num = find_number(hfold(left))
        if num:
            if not self.number_found:
                self._read_number(left, num)
            left = left[: num.start()] + " " + left[num.end():]
        elif field := _NUMBER_FIELD.search(hfold(left)):
            if field.group("num") and field.group("code") and not self.number_found:
                self._read_number(left, field)
            left = left[: field.start()] + " " + left[field.end():]
        # A comma right after a word, or a dash after a word and a space, is the name going
        # on at the next line (`HỘI ĐỒNG PHỐI HỢP PHỔ BIẾN,` / `GIÁO DỤC PHÁP LUẬT`, `PHÒNG
        # TÀI CHÍNH -` / `KẾ HOẠCH`); other punctuation at the ends is debris.
        goes_on = _NAME_GOES_ON.search(collapse_ws(left))
        left = _trim_debris(collapse_ws(left)).strip(" ,.;:-–—_|") + (goes_on.group(1) if goes_on else "")
        letters = [c for c in left if c.isalpha()]
        if len(letters) >= 2 and sum(c.isupper() for c in letters) / len(letters) > 0.7 \
                and not _STAMP.match(collapse_ws(hfold(left))) and _name_like(left, letters):
            self.name_lines.append(left)

    @property
    def issuer(self) -> str | None:
        return compose_issuer(self.name_lines)


def compose_issuer(lines: list[str]) -> str | None:
    """The left column's name lines as one name: `UBND TỈNH QUẢNG NGÃI` / `VĂN PHÒNG`
    -> `VĂN PHÒNG UBND TỈNH QUẢNG NGÃI`; `ỦY BAN NHÂN DÂN` / `XÃ ĐĂK TÔ` -> one line;
    a line that starts no name continues the one above (a wrapped name)."""
    parents: list[str] = []
    units: list[str] = []
    last: list[str] | None = None
    for line in lines:
        f = collapse_ws(hfold(line))
        if last is parents and parents and _COMMITTEE.match(hfold(parents[-1])) and _LEVEL_WORD.match(f):
            parents[-1] += " " + line          # `ỦY BAN NHÂN DÂN` + `XÃ ĐĂK TÔ`
        elif _UNIT_WORD.match(f) and parents:
            units.append(line)
            last = units
        elif _PARENT_WORD.match(f) or _LEVEL_WORD.match(f) or last is None:
            parents.append(line)
            last = parents
        else:
            last[-1] += " " + line             # a wrapped name goes on
    # A comma or dash is kept only inside a name that went on at the next line.
    name = " ".join(collapse_ws(part).rstrip(",-–").rstrip() for part in units + parents)
    return collapse_ws(name) or None
