"""Official names of Vietnam's administrative units (the 2025 reorganisation).

The names come from the `vietnam-provinces` package (34 provinces and their
communes, wards and special zones), loaded once on first use.  They serve to
put place names back into their official spelling after diacritic
restoration: a language model has no way to know that `Pak T6` is `Đăk Tô`
and not `Đắk To`, but the list of communes does.

    restore_place_names("XÃ ĐẮK TO", province="Quảng Ngãi")  ->  "XÃ ĐĂK TÔ"

Names are compared diacritic- and case-folded (`textnorm.fold`); a name is
only replaced where the text says it is a place: after a level word (`xã`,
`phường`, `huyện`, `tỉnh`, `thị trấn`, `thành phố` ... in any case) or
right before `, ngày` (the place of the place-and-date line).
"""
from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

from .textnorm import fold, nfc, normalize_tone

__all__ = ["Place", "places", "lookup", "province_of", "restore_place_names", "data_version"]

# Level words a place name follows.  Longer forms first so `thị trấn` is not
# read as a bare word; matched case-insensitively on the restored line.
_LEVELS = ("thành phố", "thị trấn", "thị xã", "đặc khu", "phường", "huyện", "quận", "tỉnh", "xã")
_LEVEL_WORD = re.compile(r"(?<![^\W\d_])(?P<level>" + "|".join(_LEVELS) + r")(?=[ \t]+\S)",
                         re.IGNORECASE)
# The place before the date of the header or the signature: `Đăk Tô, ngày 25 tháng 8`.
_PLACE_DATE = re.compile(r"[ \t]*,[ \t]*ngày\b", re.IGNORECASE)
_WORD = re.compile(r"[^\W\d_]+")
_GAP = re.compile(r"[ \t]+")
_MAX_WORDS = 5   # the longest official names have four words; one more to end the run
_PROVINCE_LEVELS = ("tỉnh", "thành phố")


@dataclass(frozen=True)
class Place:
    name: str       # official spelling without the level word, project tone style: "Đăk Tô"
    level: str      # "xã", "phường", "đặc khu", "tỉnh" or "thành phố"
    province: str   # the province it belongs to (itself for a province)


def data_version() -> str:
    """Identity of the name list (the package version): restoration output depends on it."""
    import vietnam_provinces

    return str(getattr(vietnam_provinces, "__version__", "unknown"))


@lru_cache(maxsize=1)
def places() -> tuple[Place, ...]:
    """Every province and commune-level unit, read once per process."""
    import vietnam_provinces

    with open(vietnam_provinces.NESTED_DIVISIONS_JSON_PATH, encoding="utf-8") as fh:
        provinces = json.load(fh)
    out: list[Place] = []
    for prov in provinces:
        prov_name = _without_level(prov["name"], "thành phố")
        level = "thành phố" if prov["division_type"].startswith("thành phố") else "tỉnh"
        out.append(Place(prov_name, level, prov_name))
        for unit in prov.get("wards", ()):
            level = unit["division_type"]
            out.append(Place(_without_level(unit["name"], level), level, prov_name))
    return tuple(out)


def _without_level(name: str, level: str) -> str:
    """`Xã Đăk Tô` -> `Đăk Tô`, in the project's NFC and tone convention."""
    name = nfc(name).strip()
    if fold(name).startswith(fold(level) + " "):
        name = name[len(level):].strip()
    return normalize_tone(name)


@lru_cache(maxsize=1)
def _index() -> dict[str, tuple[Place, ...]]:
    by_key: dict[str, list[Place]] = {}
    for place in places():
        by_key.setdefault(_key(place.name), []).append(place)
    return {k: tuple(v) for k, v in by_key.items()}


def _key(text: str) -> str:
    return " ".join(_WORD.findall(fold(text)))


def lookup(name: str) -> tuple[Place, ...]:
    """Units whose folded name equals the folded `name` (`dak to` finds `Đăk Tô`)."""
    return _index().get(_key(name), ())


@lru_cache(maxsize=1)
def _province_pattern() -> re.Pattern[str]:
    names = sorted({_key(p.name) for p in places() if p.level in _PROVINCE_LEVELS},
                   key=len, reverse=True)
    return re.compile(r"\b(?:tinh|thanh pho)\s+(" + "|".join(map(re.escape, names)) + r")\b")


def province_of(text: str) -> str | None:
    """The province the text names most often after `tỉnh`/`thành phố` (folded, so
    `tinh Quang Ngai` in text that lost its marks counts too)."""
    counts = Counter(m.group(1) for m in _province_pattern().finditer(fold(text)))
    if not counts:
        return None
    key = counts.most_common(1)[0][0]
    return next(p.name for p in _index()[key] if p.level in _PROVINCE_LEVELS)


def restore_place_names(line: str, province: str | None = None) -> str:
    """`line` with the place names it introduces in their official spelling.

    A run of capitalised words after a level word, or before `, ngày`, whose
    folded form is a unit's name gets that unit's spelling; all-caps runs stay
    all-caps.  When several units share the folded name, those of `province`
    are preferred; if that still leaves more than one spelling the run is left
    as it is.
    """
    edits: list[tuple[int, int, str]] = []
    for m in _LEVEL_WORD.finditer(line):
        edit = _best_run(_words_after(line, m.end()), m.group("level").lower(), province, False)
        if edit:
            edits.append(edit)
    for m in _PLACE_DATE.finditer(line):
        edit = _best_run(_words_before(line, m.start()), None, province, True)
        if edit:
            edits.append(edit)
    return _apply(line, edits)


def _words_after(line: str, pos: int) -> list[re.Match[str]]:
    """Capitalised words from `pos` on, separated by spaces only."""
    words: list[re.Match[str]] = []
    gap = _GAP.match(line, pos)
    pos = gap.end() if gap else pos
    while len(words) < _MAX_WORDS:
        m = _WORD.match(line, pos)
        if m is None or not m.group(0)[0].isupper():
            break
        words.append(m)
        gap = _GAP.match(line, m.end())
        if gap is None:
            break
        pos = gap.end()
    return words


def _words_before(line: str, end: int) -> list[re.Match[str]]:
    """Capitalised words ending at `end`, separated by spaces only, in reading order."""
    found = [m for m in _WORD.finditer(line, 0, end)]
    words: list[re.Match[str]] = []
    for m in reversed(found):
        limit = words[0].start() if words else end
        if line[m.end():limit].strip(" \t") or not m.group(0)[0].isupper():
            break
        words.insert(0, m)
        if len(words) == _MAX_WORDS:
            break
    return words


def _best_run(words: list[re.Match[str]], level: str | None, province: str | None,
              from_end: bool) -> tuple[int, int, str] | None:
    """The longest sub-run (anchored at the context) that names one unit."""
    for n in range(len(words), 0, -1):
        run = words[-n:] if from_end else words[:n]
        found = _candidates(" ".join(m.group(0) for m in run), level)
        if not found:
            continue
        name = _unique_spelling(found, province)
        if name is None:
            return None   # a real name, but ambiguous: the LM's choice stands
        return run[0].start(), run[-1].end(), _with_case(name, [m.group(0) for m in run])
    return None


def _candidates(text: str, level: str | None) -> tuple[Place, ...]:
    found = lookup(text)
    if level in ("tỉnh",):
        return tuple(p for p in found if p.level in _PROVINCE_LEVELS)
    if level is not None and level != "thành phố":
        # Below the province: communes and wards (and old districts, whose
        # names the new communes mostly carry on: `huyện Trà Bồng`, `xã Trà Bồng`).
        return tuple(p for p in found if p.level not in _PROVINCE_LEVELS)
    return found


def _unique_spelling(found: tuple[Place, ...], province: str | None) -> str | None:
    spellings = {p.name for p in found}
    if len(spellings) > 1 and province:
        local = {p.name for p in found if fold(p.province) == fold(province)}
        spellings = local or spellings
    return spellings.pop() if len(spellings) == 1 else None


def _with_case(name: str, source: list[str]) -> str:
    """All-caps source (`ĐẮK TO`) keeps all-caps; otherwise the official spelling."""
    letters = "".join(source)
    if len(letters) >= 2 and letters.isupper():
        return name.upper()
    return name


def _apply(line: str, edits: list[tuple[int, int, str]]) -> str:
    out, pos = [], 0
    for start, end, text in sorted(set(edits)):
        if start < pos:
            continue  # overlapping contexts name the same run once
        out.append(line[pos:start])
        out.append(text)
        pos = end
    out.append(line[pos:])
    return "".join(out)
