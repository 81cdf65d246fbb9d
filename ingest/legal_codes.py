"""Legal document codes (`61/2018/NĐ-CP`, `57-NQ/TW`) and abbreviations
(`HĐND`, `BCĐ`) whose `Đ` was lost, put back in the lines the restorer restored.

The language model keeps codes as written (they are not syllables), so a
stripped `61/2018/ND-CP` would stay wrong.  The structure of a code says what
each part is:

* state documents: `số/năm/LOẠI-CƠQUAN` or `số/LOẠI-CƠQUAN` (`61/2018/NĐ-CP`,
  `25/KH-UBND`, `03/2020/TT-BTTTT`), a law `số/năm/QH13`, an official letter
  `số/CƠQUAN-ĐƠNVỊ` (`123/UBND-VX`), a joint circular `số/năm/TTLT-BTC-BNV`;
* Party documents: `số-LOẠI/CƠQUAN` (`57-NQ/TW`, `05-CT/TU`, `01-KH/ĐU`).

The first letter part after the number is the **type slot** (a document type,
or the issuing body of an official letter); every later part is a **body
slot** (issuing bodies, the drafting unit) — except in older codes that put
the body first and the type last (`391-CP/QĐ`, `281-BNV/HC/NĐ`): when the
first part can only be a body, the last part is read in the type slot.  Each
part is looked up by its stripped form (`Đ`→`D`, case kept, trailing digits
such as the `13` of `QH13` set aside) in the slot's inventory below; it is
written in the inventory's spelling only when the slot has exactly one
spelling for it.  Ambiguous parts are kept as the source wrote them: `HD` in
the type slot (`HD` Hướng dẫn, `HĐ` Hợp đồng), `TU` (Tỉnh ủy `TU`, Trung ương
`TƯ`), `ND` in a body slot (`TTr/ND` of the newspaper Nhân Dân, so `NĐ` is
read only in the type slot).  A body that is a steering committee named by
its subject (`BCDTKNQ18`, `BCD389`) takes the `Đ` of `BCĐ`.  Unknown parts are kept as written too — also
undoing whatever the syllable model did to them (`KH/DU` is not `KH/Dự`).
Case is never changed (`QĐ-TTG` stays `TTG`).  One repair is not a mark: a
state code `số/TT-UBND` is a Tờ trình (`TTr`), since only ministries and the
central courts issue Thông tư; other `TT` codes are left alone.

Only codes with a number, or bare codes whose every part the inventory knows
(`QD-UBND` → `QĐ-UBND`), are touched; a number before a capitalised syllable
(`51/2005/Bo Chinh tri`) is not a code.  Standalone abbreviations in running
text (`HDND xa` → `HĐND xã`) come from `STANDALONE`: words that are not
Vietnamese syllables and have one spelling with `Đ` in this domain (`HD` is
not one).

How the lists were derived.  A starting inventory from the document types of
Decree 30/2020/NĐ-CP (Appendix III) and of the Party's rules on its
documents (types such as `CTr`, `QĐi`, `HD`), and the issuing bodies of the
central government, ministries, Party committees and provincial departments
as they are written in codes.  Then the codes of the shared corpora were
mined (tokens `số[/năm][/-]PART[-/PART...]`): `vi_legal_vlc` holds only 245
distinct codes, almost all laws (`91/2015/QH13`), six with a `Đ`; `vi_wiki`
holds about 700 (decrees, decisions, older RVN and DRV codes), so it gave
most of the evidence: the body spellings `HĐBT`, `HĐNN`, `HĐTP`, `ĐUHC`,
`BĐPT`, `ĐBA`, `LĐBĐVN`, `HCĐP`, `NCĐ`, the body-first older codes and the
`ND`/`NĐ` ambiguity.  A first survey printed the 60 most frequent part
shapes of every corpus (news and wiki, both splits, and the seeds); after
that only the development split was read: `benchmarks/codes.py` holds out
every code whose CRC-32 is 0 mod 5 and prints held-out misses only on
request, which was not used.  The news corpus (training only) supplied
nothing but a few generic unit abbreviations (`GDTrH`, `CCVC`, `THKH`,
`ĐTCT`).  Corpus tokens that are not document abbreviations (chess squares,
product names) were left out, and so were two one-off military codes of the
development split (`262/NĐA`, `128/QĐQP`), which stay misses.
"""
from __future__ import annotations

import re

from .syllables import is_vn_shape
from .textnorm import strip_diacritics

# ---------------------------------------------------------------- inventories
# Document types (type slot).  Administrative types of Decree 30/2020 App. III
# and the Party's types (36-HD/VPTW), as written in codes.
DOC_TYPES = (
    "NQ", "QĐ", "CT", "QC", "QyĐ", "QĐi", "TB", "TBKL", "HD", "CTr", "KH", "PA", "ĐA",
    "BC", "BB", "TTr", "HĐ", "CĐ", "BGN", "BL", "GCN", "GUQ", "GM", "GGT", "GNP", "PC", "PG",
    "PB", "TC", "TT", "TTLT", "NĐ", "KL", "L", "LCT", "PL", "SL", "CV", "QyC", "NQLT",
)

# Issuing bodies and drafting units (body slot; also the type slot of an
# official letter, `123/UBND-VX`).
BODIES = (
    # State, central
    "CP", "TTg", "VPCP", "QH", "UBTVQH", "CTN", "HĐNN", "HĐBT", "HĐTP", "TANDTC", "VKSNDTC",
    "KTNN", "NHNN", "TTCP", "UBDT", "UBTDTT", "VPQH", "VPCTN",
    # the central bodies of joint resolutions and circulars: the Fatherland Front's
    # Central Committee and its Presidium (Đoàn Chủ tịch), the General
    # Confederation of Labour (`01/2024/NQLT-CP-ĐCTUBTWMTTQVN`)
    "UBTWMTTQVN", "ĐCTUBTWMTTQVN", "MTTQVN", "TLĐLĐVN",
    # a type after the body in older codes (`391-CP/QĐ`); not `NĐ`: `ND` there is also Nhân Dân
    "QĐ",
    # Ministries
    "BNV", "BTTTT", "BTP", "BTC", "BCA", "BQP", "BYT", "BGDĐT", "BLĐTBXH", "LĐTBXH", "BKHĐT",
    "BTNMT", "BXD", "BGTVT", "BCT", "BNNPTNT", "BNNMT", "BVHTTDL", "BKHCN", "BNG", "BVHTT",
    "BTM", "BCVT", "BTCCBCP", "BKH", "BTS", "BNN", "BLĐ", "BVHTTTDL", "BDTTG",
    # Party
    "TW", "TƯ", "BCHTW", "BCTTW", "BTCTW", "BTGTW", "BDVTW", "BDVHTW", "UBKTTW", "VPTW", "BNCTW",
    "BKTTW", "BCSĐ", "ĐU", "ĐUK", "ĐUQSTW", "ĐUCA", "ĐUQS", "TU", "HU", "TƯĐTN", "ĐTN",
    # Local
    "UBND", "HĐND", "BCĐ", "UBMTTQ", "MTTQ", "VP", "VPUBND", "VPHĐND", "ĐĐBQH", "ĐBQH",
    "STTTT", "SNV", "STP", "STC", "SYT", "SXD", "SCT", "SGTVT", "SKHĐT", "SGDĐT", "SLĐTBXH",
    "STNMT", "SVHTTDL", "SNNPTNT", "SKHCN", "SNNMT", "SVHTT", "CAT", "BCHQS", "BCHBĐBP",
    # drafting units seen after UBND / a ministry
    "VX", "KGVX", "NC", "KT", "KTTH", "TH", "THKH", "HC", "HCĐP", "TCCB", "CCVC", "QLT",
    "PC", "TCHC", "ĐTCT", "ĐT", "KHĐT", "GDĐT", "GDTrH", "GDTC", "KHTC", "CNTT", "TTTT",
    "LĐBĐVN", "ĐUHC", "BĐPT", "ĐBA", "VPĐKĐĐ", "KSTTHC", "CCHC", "NCĐ",
)

# Standalone abbreviations of running text, stripped form -> spelling with Đ.
# Only words that are not Vietnamese syllables and that this domain writes one
# way (`HD` is left out: Hướng dẫn or Hội đồng; `ND`: Nghị định or Nhân Dân).
STANDALONE = (
    "HĐND", "BCĐ", "BCSĐ", "QĐ", "HĐBT", "HĐNN", "ĐBQH", "ĐĐBQH", "ĐTN", "ĐCSVN",
    "BGDĐT", "GDĐT", "KHĐT", "LĐTBXH", "BLĐTBXH", "BKHĐT", "SKHĐT", "SGDĐT", "SLĐTBXH",
    "VPHĐND", "HĐQT", "UBKTĐU", "ĐUQS", "BCHĐ", "CĐS", "TĐKT", "HĐTĐKT", "ĐVHC",
)

# Pieces that unit abbreviations are built from, beyond the bodies above: a
# part after the first of a numbered code (the drafting unit of an official
# letter `số/CƠQUAN-ĐƠNVỊ` included, which the older-codes reading puts in the
# type slot) that the lists do not know is read as a run of known pieces
# (`VPĐU` = VP + ĐU, Văn phòng Đảng ủy; `TĐTN` = T + ĐTN, Tỉnh đoàn; `HĐPH` =
# HĐ + P + H, Hội đồng phối hợp).  The pieces without `Đ` are here so that a
# `D` that can be read both ways stays as written (`BDT`: Ban Dân tộc, or
# B + ĐT?).  Any other capital letter may stand alone (T Tỉnh, P Phòng, B Ban).
COMPONENTS = (
    # with Đ: Đảng ủy, Đoàn Thanh niên, Hội đồng, địa phương / điều phối (HCĐP,
    # CQĐP, VPĐP; in unit names far more common than dự phòng), đào tạo / đầu tư
    "ĐU", "ĐTN", "HĐ", "ĐP", "ĐT",
    # without: dân tộc / dự toán, dân vận / dịch vụ, doanh nghiệp, dự án, dân số / dân sự,
    # du lịch, giáo dục, nhân dân, dân cư
    "DT", "DV", "DN", "DA", "DS", "DL", "GD", "ND", "DC",
)

# Bodies a Thông tư never comes from: `số/TT-UBND` is a Tờ trình.
_LOCAL_BODIES = frozenset(("UBND", "HĐND", "VPUBND", "STTTT", "SNV", "STP", "STC", "SYT", "SXD",
                           "SCT", "SGTVT", "SKHĐT", "SGDĐT", "SLĐTBXH", "STNMT", "SVHTTDL",
                           "SNNPTNT", "SKHCN", "SNNMT"))


def _index(words: tuple[str, ...]) -> dict[str, frozenset[str]]:
    out: dict[str, set[str]] = {}
    for w in words:
        out.setdefault(strip_diacritics(w), set()).add(w)
    return {k: frozenset(v) for k, v in out.items()}


_TYPE_SLOT = _index(DOC_TYPES + BODIES)
_BODY_SLOT = _index(BODIES)
_TYPES_ONLY = frozenset(strip_diacritics(w) for w in DOC_TYPES)
_STANDALONE = {strip_diacritics(w): w for w in STANDALONE}
# the pieces by stripped form, with every stripped form a piece's letters take
# (only `Đ` matters: `TƯ` and `TU` both read `TU` and leave it as written)
_PIECES = {k: frozenset("".join("Đ" if c == "Đ" else strip_diacritics(c) for c in w) for w in v)
           for k, v in _index(BODIES + COMPONENTS).items()}
_LONGEST_PIECE = max(map(len, _PIECES))
# A piece alone is no compound: a part that is just `DP` or `DT` stays as
# written (`2215/BYT-DP` is the Cục Y tế dự phòng; `ĐP` needs a unit before it,
# as in `HCĐP`)
_LONE_PIECES = frozenset(strip_diacritics(w) for w in COMPONENTS)
# English-model OCR writes `Đ` as the Icelandic eth `Ð` (U+00D0), which no mark
# stripping turns into `D`
OCR_ETH = "\u00d0"

# ---------------------------------------------------------------- shapes
_PART = r"[A-ZĐƯ\u00d0][^\W\d_]*\d*"
# a numbered code: 61/2018/NĐ-CP, 25/KH-UBND, 57-NQ/TW, 91/2015/QH13, 123a/UBND-VX
CODE = re.compile(rf"(?<![\w/.\-])(?P<num>\d+[a-z]?(?:/\d{{4}})?)(?P<sep>[/-])"
                  rf"(?P<tail>{_PART}(?:[-/]{_PART})*)(?![\w/])")
# a bare code: QD-UBND, NQ/TW
BARE = re.compile(rf"(?<![\w/.\-])(?P<tail>{_PART}(?:[-/]{_PART})+)(?![\w/])")
_STEERING = re.compile(r"^BC[DĐ][A-ZĐ0-9]+$")
_MAYBE = re.compile(r"[/-][A-ZĐƯ\u00d0]")  # what every code has; most lines have none
_WORD = re.compile(r"(?<![\w/.\-])[A-ZĐ\u00d0]{2,}(?![\w/\-])")
_SPLIT = re.compile(r"([-/])")
_DIGITS = re.compile(r"^(.*?)(\d*)$")


def _spell(part: str, slot: dict[str, frozenset[str]], compose: bool = False, ocr: bool = False) -> str | None:
    """`part` in the inventory's spelling, or None when the slot does not know it
    or knows several spellings of it.

    An `Ð` (U+00D0, English-model OCR's `Đ`) is read as `Đ`.  With `ocr` (the
    line was English-model OCR), a part the slot does not know may have a `Đ`
    read as `P` (`NP-CP`, `QP-UBND`): taken when exactly one such repair is a
    known part.  Not in stripped text, where `P` is a `P` (`100/QĐ-QP` of the
    Quốc phòng, `903/QP`).  With `compose`, a part still unknown is read as a
    run of pieces (`_compose`)."""
    m = _DIGITS.match(part.replace(OCR_ETH, "Đ"))
    assert m is not None
    base, digits = m.group(1), m.group(2)
    key = strip_diacritics(base)
    found = slot.get(key)
    if found is None and ocr:
        # a body slot repaired into a document type (`QĐ-QP` -> `QĐ-QĐ`) is no repair:
        # `QP` there is the Quốc phòng of older codes
        repairs = {w for k in range(len(key)) if key[k] == "P"
                   for w in slot.get(key[:k] + "D" + key[k + 1:], ())
                   if slot is _TYPE_SLOT or strip_diacritics(w) not in _TYPES_ONLY}
        found = frozenset(repairs) or None
    if found is None and compose and "D" in key and key not in _LONE_PIECES:
        spelt = _compose(base)
        return None if spelt is None else spelt + digits
    if not found or len(found) != 1:
        return None
    (spelt,) = found
    return spelt + digits


def _compose(base: str) -> str | None:
    """`base` with the `Đ` its pieces give it, when every way of reading it as
    the fewest pieces (`_PIECES`, or a single letter other than `D`) agrees;
    None when they disagree or no reading covers it.  Only `D`/`Đ` change."""
    key = strip_diacritics(base)
    # best[i]: (fewest pieces covering key[:i], the spellings those readings give)
    best: list[tuple[int, set[str]] | None] = [None] * (len(key) + 1)
    best[0] = (0, {""})
    for i in range(len(key)):
        if best[i] is None:
            continue
        n, spellings = best[i]      # type: ignore[misc]
        for j in range(i + 1, min(len(key), i + _LONGEST_PIECE) + 1):
            chunk = key[i:j]
            shapes = set(_PIECES.get(chunk, ()))
            if j == i + 1 and chunk not in "Dd":
                shapes.add(chunk)
            if not shapes:
                continue
            written = {"".join("Đ" if p == "Đ" else c for c, p in zip(base[i:j], shape, strict=True))
                       for shape in shapes}
            reached = (n + 1, {a + b for a in spellings for b in written})
            here = best[j]
            if here is None or reached[0] < here[0]:
                best[j] = reached
            elif reached[0] == here[0]:
                here[1].update(reached[1])
    end = best[-1]
    if end is None or len(end[1]) != 1:
        return None
    return next(iter(end[1]))


def _restore_tail(tail: str, state: bool, bare: bool, ocr: bool = False) -> str | None:
    """The letter parts of a code, restored; None when a bare code has a part
    the inventory does not know (then it is not taken for a code)."""
    pieces = _SPLIT.split(tail)
    parts = pieces[0::2]
    out = []
    # older codes put the type last, after the body (`391-CP/QĐ`, `281-BNV/HC/NĐ`):
    # when the first part can only be a body, the last part is read as a type
    first = _spell(parts[0], _BODY_SLOT, ocr=ocr)
    type_last = len(parts) >= 2 and first is not None and strip_diacritics(first) not in _TYPES_ONLY
    for k, part in enumerate(parts):
        type_slot = k == 0 or (type_last and k == len(parts) - 1)
        spelt = _spell(part, _TYPE_SLOT if type_slot else _BODY_SLOT, compose=not bare and k > 0, ocr=ocr)
        if spelt is None and not type_slot and _STEERING.match(part):
            spelt = "BCĐ" + part[3:]    # a Ban chỉ đạo named by its subject: BCĐ389, BCĐTKNQ18
        if spelt is None:
            if bare:
                return None
            spelt = part
        out.append(spelt)
    if state and not bare and len(out) >= 2 and out[0] == "TT" and pieces[1] == "-" and out[1] in _LOCAL_BODIES:
        out[0] = "TTr"
    pieces[0::2] = out
    return "".join(pieces)


def restore_code(code: str, ocr: bool = False) -> str:
    """One code token (`61/2018/ND-CP`, `57-NQ/TW`, `QD-UBND`) in its spelling
    with `Đ`; a part that is unknown or ambiguous for its slot stays as written.
    `ocr`: the code was read by English-model OCR (`P` may be a `Đ`)."""
    m = CODE.fullmatch(code)
    if m:
        tail = _restore_tail(m.group("tail"), m.group("sep") == "/", bare=False, ocr=ocr)
        return code if tail is None else m.group("num") + m.group("sep") + tail
    m = BARE.fullmatch(code)
    if m:
        tail = _restore_tail(code, state="-" in code, bare=True, ocr=ocr)
        return code if tail is None else tail
    return code


def _codes(line: str) -> list[tuple[int, int]]:
    if not _MAYBE.search(line):
        return []
    numbered = [m.span() for m in CODE.finditer(line)]
    bare = [m.span() for m in BARE.finditer(line)
            if not any(a <= m.start() < b for a, b in numbered)]   # not the tail of a numbered code
    return sorted(numbered + bare)


def restore_codes(restored: str, source: str, ocr: bool = False) -> str:
    """`restored` (a line the restorer restored from `source`) with its codes
    and standalone abbreviations spelt by the rule above; `ocr`: the source is
    English-model OCR, not text stripped of its marks.

    A code is rebuilt from the source's own spelling of it (so parts the rule
    does not decide are exactly as the source wrote them, whatever the syllable
    model did to them): the restored line's codes are matched with the
    source's in order (restoration changes letters, never the code shapes)."""
    spans_r = _codes(restored)
    spans_s = _codes(source)
    same = len(spans_r) == len(spans_s)
    pieces, pos = [], 0
    for k, (a, b) in enumerate(spans_r):
        written = source[slice(*spans_s[k])] if same else restored[a:b]
        pieces.append(_words(restored[pos:a]))
        pieces.append(restore_code(written, ocr) if _code_like(written) else restored[a:b])
        pos = b
    pieces.append(_words(restored[pos:]))
    return "".join(pieces)


def _code_like(code: str) -> bool:
    """Not a number before a word (`51/2005/Bo Chinh tri`, `2/Ban`): no part
    the inventory does not know is a capitalised Vietnamese syllable."""
    for part in _SPLIT.split(code)[2::2] if CODE.fullmatch(code) else _SPLIT.split(code)[0::2]:
        base = _DIGITS.match(part).group(1)  # type: ignore[union-attr]
        if (len(base) >= 2 and base[1:].islower() and strip_diacritics(base) not in _TYPE_SLOT
                and is_vn_shape(strip_diacritics(base).lower())):
            return False
    return True


def _words(text: str) -> str:
    if "D" not in text and "Đ" not in text and OCR_ETH not in text:  # every listed abbreviation has one
        return text
    return _WORD.sub(lambda m: _STANDALONE.get(strip_diacritics(m.group(0).replace(OCR_ETH, "Đ")), m.group(0)),
                     text)
