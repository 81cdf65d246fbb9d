"""Train the diacritic-restoration model (syllable trigram LM + OCR channel).

    python -m plandiff.ingest.diacritics.train --corpus ../shared/corpus \
        --seeds data/seeds --admin-text training/admin_text --out ingest/diacritics/model.npz

Inputs (none of their text is written to the model except n-gram statistics
over syllables and the syllable vocabulary):

* ``--corpus``: ``vi_legal_vlc.txt.xz``, ``vi_news_unc.txt.xz``, ``vi_wiki.txt.xz``
  (see the corpus README; news text is used for training only; of the
  Wikipedia text only the administrative-field paragraphs, source ``wikidom``,
  less the tuning tenth: see ``DOMAIN_TERMS``).
* ``--seeds``: the clean sample plans 000, 001, 003, 004 (up-weighted: they are
  in-domain).  Seed 002 (English-model OCR) is never used.  ``--exclude``
  leaves plans out (the benchmark trains one model per held-out plan).
* ``--admin-text``: folders of administrative texts written for training
  (``training/admin_text``: see ``training/README.md``), in-domain like the
  plans, weight ``--admin-weight``.
* Syllable inventory: underthesea's ``Viet74K.txt`` (``--viet74k``, found in an
  installed ``underthesea`` package by default) and Debian's hunspell-vi
  ``/usr/share/hunspell/vi_VN.dic``; missing files are skipped with a warning.
* OCR channel: (truth, English-model OCR) line pairs made by
  ``plandiff.ingest.diacritics.ocrgen`` from plans 003/004 and legal/wiki text
  (generated into ``--cache`` when missing; needs Tesseract).

Deterministic: sorted inputs, fixed seeds.  Corpus n-gram counts are cached in
``--cache`` (default ``$XDG_CACHE_HOME/plandiff-diacritics``) so that several
models (held-out variants) train quickly.
"""
from __future__ import annotations

import argparse
import glob
import json
import lzma
import os
import re
import sys
import time
from array import array
from collections import Counter, defaultdict
from collections.abc import Sequence
from itertools import pairwise

import numpy as np
from plandiff.ingest.textnorm import clean_text, fold

from ..linebreaks import logical_lines
from ..syllables import has_marks, is_vn_shape
from .kneser_ney import estimate
from .language_model import KEY_BITS, KEY_MASK
from .modelfile import FORMAT, encode_planes, encode_sorted_keys, encode_strings, quantize_codebook, quantize_logprob
from .units import BOS, EOS, LM_TOKEN, SENTENCE_PUNCT, SPECIALS, UNK, fold_key, lm_unit, syl_key

CORPUS_FILES = ("vi_legal_vlc.txt.xz", "vi_news_unc.txt.xz", "vi_wiki.txt.xz")
# Source "wikidom": the Wikipedia paragraphs (of the whole file, >= 80 chars)
# that name at least DOMAIN_MIN_TERMS (one) of these administrative-field terms
# (Party and mass-organisation work, the Fatherland Front, disaster
# prevention, anti-corruption, legal dissemination, new rural development,
# health, education, traffic safety, local government): the vocabulary of the
# plans' neighbouring fields, which the statutes and the news barely hold
# (`dân vận`).  Chosen by these words only, never by any benchmark text.  A
# paragraph whose CRC-32 is 0 mod DOMAIN_TUNE_MOD is the tuning set
# (`domain_paragraphs(..., tuning=True)`) and is never trained on.  (With the
# source "wiki" weighted too, a paragraph in both is counted twice.)
DOMAIN_SOURCE = "vi_wiki.txt.xz"
DOMAIN_TERMS = (
    "dân vận", "mặt trận tổ quốc", "đoàn thể", "chính trị - xã hội", "hội liên hiệp phụ nữ", "hội nông dân",
    "cựu chiến binh", "đoàn thanh niên", "công đoàn", "thiên tai", "phòng chống", "lũ lụt", "bão", "cứu hộ",
    "cứu nạn", "ứng phó", "tham nhũng", "tiêu cực", "lãng phí", "thanh tra", "kiểm tra", "giám sát", "phổ biến",
    "giáo dục pháp luật", "tuyên truyền", "pháp luật", "nông thôn mới", "nông thôn", "y tế", "bệnh viện",
    "trạm y tế", "khám chữa bệnh", "dịch bệnh", "giáo dục", "trường học", "học sinh", "giáo viên",
    "an toàn giao thông", "giao thông", "tai nạn", "ủy ban nhân dân", "hội đồng nhân dân", "ubnd", "hđnd",
    "chính quyền", "cấp xã", "cấp huyện", "cấp tỉnh", "địa phương", "cán bộ", "đảng viên", "đảng ủy", "chi bộ",
    "tỉnh ủy", "huyện ủy", "ban chấp hành", "nghị quyết", "chỉ thị", "kế hoạch", "triển khai", "thực hiện",
    "chương trình", "đề án", "chính sách", "nhiệm vụ", "quy định", "văn bản", "cơ quan", "tổ chức",
    "quản lý nhà nước", "hành chính", "chuyển đổi số", "người dân", "nhân dân", "cộng đồng", "an sinh",
    "xóa đói giảm nghèo", "hộ nghèo", "bảo hiểm", "quốc phòng", "an ninh", "trật tự")
DOMAIN_MIN_TERMS = 1
DOMAIN_TUNE_MOD = 10
CLEAN_SEEDS = ("000", "001", "003", "004")
# The benchmark's held-out texts (benchmarks/heldout): never training input.
HELD_OUT_DIR = os.path.join("benchmarks", "heldout")


def log(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


# --------------------------------------------------------------------------- corpus
class Units:
    """String <-> id table of LM units (specials first)."""

    def __init__(self) -> None:
        self.ids: dict[str, int] = {}
        self.names: list[str] = []
        for s in SPECIALS:
            self.id(s)

    def id(self, unit: str) -> int:
        i = self.ids.get(unit)
        if i is None:
            i = self.ids[unit] = len(self.names)
            self.names.append(unit)
        return i


# Rows of the case statistics `encode_lines` counts per unit (see CaseCounts).
CASE_ROWS = ("own", "next_word", "next_cap", "prev_word", "prev_cap")


class CaseCounts:
    """How a unit and its neighbours are written, per unit, inside sentences of
    lines not in capitals: ``own`` times it is capitalised (`Sở`, `Ban` as a
    name's first word); ``next_word``/``next_cap`` times the token after it is
    a word / a word with a capital first letter (`Sở Xây dựng`: after `sở`
    almost always, after `số` seldom); ``prev_word``/``prev_cap`` the same of
    the word before it, when that word is itself inside the sentence (`Việt
    Nam tỉnh`, never `Việt Nam tính`).  The language model counts lower-cased
    units; these keep what the capitals of the neighbours say, which stripped
    text still shows."""

    def __init__(self) -> None:
        self.rows: dict[str, Counter] = {r: Counter() for r in CASE_ROWS}

    def array(self, n: int, weight: float = 1.0) -> np.ndarray:
        out = np.zeros((len(CASE_ROWS), n))
        for k, r in enumerate(CASE_ROWS):
            for i, c in self.rows[r].items():
                out[k, i] = c * weight
        return out


def _is_title(t: str) -> bool:
    return t[0].isupper() and (len(t) == 1 or t[1:].islower())


def encode_lines(lines, units: Units, raw_cache: dict[str, int], caps: CaseCounts | None = None) -> array:
    """Flat id array: for each line BOS BOS u1 .. un EOS.

    With ``caps``, counts the case statistics of `CaseCounts` (not in a line
    whose words are mostly capitals; a word first in the line or after
    sentence punctuation is at a sentence start, its capital says nothing).
    """
    out = array("i")
    bos, eos = units.ids[BOS], units.ids[EOS]
    get = raw_cache.get
    find = LM_TOKEN.findall
    rows = caps.rows if caps is not None else None
    for line in lines:
        toks = find(line)
        if not toks:
            continue
        ids = []
        for t in toks:
            tl = t.lower()
            i = get(tl)
            if i is None:
                i = raw_cache[tl] = units.id(lm_unit(tl))
            ids.append(i)
        if rows is not None:
            _count_case(toks, ids, rows)
        out.append(bos)
        out.append(bos)
        out.extend(ids)
        out.append(eos)
    return out


def _count_case(toks: list[str], ids: list[int], rows: dict[str, Counter]) -> None:
    words = [t for t in toks if len(t) >= 2 and t[0].isalpha()]
    if words and sum(t.isupper() for t in words) * 2 > len(words):
        return          # a heading in capitals
    # inside[j]: token j is a word inside a sentence (its capital means something)
    inside = [t[0].isalpha() and j > 0 and toks[j - 1] not in SENTENCE_PUNCT for j, t in enumerate(toks)]
    own, nw, nc, pw, pc = (rows[r] for r in CASE_ROWS)
    last = len(toks) - 1
    for j, t in enumerate(toks):
        if not t[0].isalpha():
            continue
        i = ids[j]
        if inside[j] and _is_title(t):
            own[i] += 1
        if j < last and toks[j + 1][0].isalpha():
            nw[i] += 1
            if toks[j + 1][0].isupper():
                nc[i] += 1
        if j > 0 and inside[j - 1]:
            pw[i] += 1
            if toks[j - 1][0].isupper():
                pc[i] += 1


def read_logical_lines(paths: Sequence[str]) -> list[str]:
    """The logical lines (hard wraps joined) of text files, in the order given."""
    lines: list[str] = []
    for p in paths:
        with open(p, encoding="utf-8") as f:
            lines.extend(logical_lines(clean_text(f.read()).split("\n")))
    return lines


def trigram_counts(flat: np.ndarray, bos: int) -> tuple[np.ndarray, np.ndarray]:
    f = flat.astype(np.int64)
    k = (f[:-2] << (2 * KEY_BITS)) | (f[1:-1] << KEY_BITS) | f[2:]
    k = k[f[2:] != bos]
    keys, cnt = np.unique(k, return_counts=True)
    return keys, cnt.astype(np.float64)


def corpus_lines(path: str, max_chars: int | None):
    n = 0
    with lzma.open(path, "rt", encoding="utf-8") as f:
        for ln in f:
            if ln.startswith("###"):
                continue
            ln = clean_text(ln)
            n += len(ln)
            yield ln
            if max_chars and n >= max_chars:
                break


def domain_paragraphs(path: str, tuning: bool = False):
    """The administrative-field paragraphs of the Wikipedia file (see DOMAIN_TERMS):
    the training part, or with ``tuning`` the held-back part."""
    import unicodedata
    import zlib

    terms = sorted({unicodedata.normalize("NFC", t) for t in DOMAIN_TERMS}, key=lambda t: (-len(t), t))
    pat = re.compile("|".join(re.escape(t) for t in terms))
    with lzma.open(path, "rt", encoding="utf-8") as f:
        for ln in f:
            if ln.startswith("###"):
                continue
            ln = clean_text(ln).strip()
            if len(ln) < 80 or len(set(pat.findall(ln.lower()))) < DOMAIN_MIN_TERMS:
                continue
            if (zlib.crc32(ln.encode("utf-8")) % DOMAIN_TUNE_MOD == 0) == tuning:
                yield ln


def domain_tag() -> str:
    import zlib

    spec = json.dumps([DOMAIN_TERMS, DOMAIN_MIN_TERMS, DOMAIN_TUNE_MOD], ensure_ascii=False)
    return f"{zlib.crc32(spec.encode('utf-8')):08x}"


def corpus_stats(corpus: str, cache: str, wiki_chars: int, weights: dict[str, float] | None = None) -> dict:
    """Trigram counts over the corpus files (per file cached), combined with per-source weights."""
    os.makedirs(cache, exist_ok=True)
    weights = weights or {}
    units, raw = Units(), {}  # type: Units, dict[str, int]
    names_path = os.path.join(cache, f"units_v4_wiki{wiki_chars}.json")
    parts, caps_parts = [], []
    domain_part: list[bool] = []
    cached = os.path.exists(names_path)
    if cached:
        with open(names_path, encoding="utf-8") as f:
            units_names = json.load(f)
        # sources added later (wikidom) extend the cached table: ids stay as they were
        units.names = list(units_names)
        units.ids = {u: i for i, u in enumerate(units.names)}
    known = len(units.names)
    sources = [(name, name.split("_")[1].split(".")[0], f"{name}_v4_wiki{wiki_chars}.npz") for name in CORPUS_FILES]
    sources.append((DOMAIN_SOURCE, "wikidom", f"wikidom_{domain_tag()}_v4_wiki{wiki_chars}.npz"))
    for name, src, cache_name in sources:
        w = weights.get(src, 1.0)
        if w <= 0 and src == "wikidom":
            continue
        path = os.path.join(cache, cache_name)
        if cached and os.path.exists(path):
            z = np.load(path, allow_pickle=False)
            keys, cnt, caps = z["keys"], z["counts"], z["caps"]
        else:
            p = os.path.join(corpus, name)
            if not os.path.exists(p):
                log(f"warning: {p} missing, skipped")
                continue
            t = time.time()
            cc = CaseCounts()
            lines = (domain_paragraphs(p) if src == "wikidom"
                     else corpus_lines(p, wiki_chars if "wiki" in name else None))
            flat = encode_lines(lines, units, raw, cc)
            keys, cnt = trigram_counts(np.frombuffer(flat, dtype=np.int32), units.ids[BOS])
            caps = cc.array(len(units.names))
            np.savez(path, keys=keys, counts=cnt, caps=caps)
            log(f"{name}: {len(flat):,} ids, {len(units.names):,} units ({time.time() - t:.0f} s)")
        if w > 0:
            parts.append((keys, cnt * w, cnt))
            caps_parts.append(caps * w)
            domain_part.append(src == "wikidom")
    if not cached or len(units.names) > known:
        units_names = units.names
        with open(names_path, "w", encoding="utf-8") as f:
            json.dump(units_names, f, ensure_ascii=False)
    keys = np.concatenate([k for k, _, _ in parts])
    cnts = np.concatenate([c for _, c, _ in parts])
    keys, inv = np.unique(keys, return_inverse=True)
    counts = np.bincount(inv, weights=cnts)
    # the counts as seen, for the discounts: weighted counts (legal=2) have no
    # meaningful count of counts (all even: no count 1)
    raw_counts = np.bincount(inv, weights=np.concatenate([r for _, _, r in parts]))
    # the wikidom share of each (weighted, raw): `build` drops it from n-grams with an unknown unit
    domain = np.bincount(inv, weights=np.concatenate([c if d else np.zeros(len(c))
                                                      for (_, c, _), d in zip(parts, domain_part, strict=True)]))
    domain_raw = np.bincount(inv, weights=np.concatenate([r if d else np.zeros(len(r))
                                                          for (_, _, r), d in zip(parts, domain_part, strict=True)]))
    cap_arr = np.zeros((len(CASE_ROWS), len(units_names)))
    for c in caps_parts:
        cap_arr[:, : c.shape[1]] += c
    return {"names": units_names, "keys": keys, "counts": counts, "raw_counts": raw_counts, "caps": cap_arr,
            "domain_counts": domain, "domain_raw_counts": domain_raw}


def admin_paths(folders: Sequence[str]) -> list[str]:
    """The ``*.txt`` files of the administrative-text folders, sorted (deterministic)."""
    out: list[str] = []
    for folder in folders:
        if not os.path.isdir(folder):
            raise SystemExit(f"{folder}: no such folder of administrative texts")
        out.extend(sorted(glob.glob(os.path.join(folder, "*.txt"))))
    return out


def seed_paths(seeds: str, exclude: set[str]) -> list[str]:
    out = []
    for sid in CLEAN_SEEDS:
        if sid in exclude:
            continue
        out.extend(sorted(glob.glob(os.path.join(seeds, f"{sid}_*.txt"))))
    return out


# --------------------------------------------------------------------------- lexicon
def find_viet74k(explicit: str | None) -> str | None:
    if explicit:
        return explicit
    import importlib.util

    try:
        spec = importlib.util.find_spec("underthesea")
    except (ImportError, ValueError):
        spec = None
    if spec and spec.submodule_search_locations:
        for root in spec.submodule_search_locations:
            for rel in ("corpus/data/Viet74K.txt", "transformer/Viet74K.txt"):
                p = os.path.join(root, rel)
                if os.path.exists(p):
                    return p
    return None


def lexicon_syllables(viet74k: str | None, hunspell: str | None) -> set[str]:
    out: set[str] = set()
    for path in (viet74k, hunspell):
        if not path or not os.path.exists(path):
            log(f"warning: lexicon {path} not found, skipped")
            continue
        with open(path, encoding="utf-8", errors="replace") as f:
            for ln in f:
                ln = clean_text(ln).strip().split("/")[0]
                for w in re.findall(r"[^\W\d_]+", ln.lower()):
                    if is_vn_shape(w):
                        out.add(syl_key(w))
    return out


def lexicon_word_pairs(viet74k: str | None) -> set[tuple[str, str]]:
    """Pairs of neighbouring syllables inside one word of the word list
    (Viet74K: `chi hội`, `nấm rơm`, `kênh mương`): the decoder's word-pair
    bonus (`Restorer.WORD_PAIR_BONUS`)."""
    out: set[tuple[str, str]] = set()
    if not viet74k or not os.path.exists(viet74k):
        log(f"warning: word list {viet74k} not found, no word pairs")
        return out
    with open(viet74k, encoding="utf-8", errors="replace") as f:
        for ln in f:
            syls = [syl_key(w) for w in re.findall(r"[^\W\d_]+", clean_text(ln).strip().lower())]
            out.update(pairwise(syls))
    return out


# --------------------------------------------------------------------------- channel
def channel_from_model(path: str) -> dict:
    """The OCR channel of an existing model file, in `learn_channel`'s form plus
    its final segment rows: lets the language model be re-estimated without
    regenerating the OCR pages (15-20 minutes of Tesseract)."""
    from .modelfile import decode_strings

    with np.load(path, allow_pickle=False) as z:
        vocab = decode_strings(z["vocab"])
        syl: defaultdict[str, Counter[str]] = defaultdict(Counter)
        for ob, tr, c in zip(decode_strings(z["ch_obs"]), z["ch_true"].tolist(), z["ch_cnt"].tolist(), strict=True):
            syl[ob][vocab[tr]] += c
        true_tot = Counter({vocab[i]: float(c) for i, c in enumerate(z["true_tot"].tolist()) if c})
        rows = decode_strings(z["char_rows"])
        lines = json.loads(decode_strings(z["meta"])[0]).get("channel_lines", 0)
    log(f"channel from {path}: {len(syl):,} observed forms, {len(rows):,} segment rows")
    return {"syl": syl, "true_tot": true_tot, "segs": {}, "occ": Counter(), "lines": lines, "char_rows": rows}


# Confusions named in the issue (and seen in sample plan 002) that generated
# pages may show rarely or not at all: P/B for Đ, ii for ủ/ải, | for I/l,
# 1 for l, digits and symbols for marked vowels.  (observed segment, folded
# true segment, probability floor); learned estimates win when larger.
PRIOR_SEGMENTS = [("p", "d", 0.01), ("b", "d", 0.005), ("ii", "u", 0.1), ("ii", "ai", 0.05), ("i", "l", 0.01),
                  ("|", "l", 0.3), ("|", "i", 0.3), ("1", "l", 0.5), ("&", "e", 0.5), ("&", "a", 0.2),
                  ("§", "y", 0.2), ("§", "a", 0.2), ("$", "s", 0.3), ("0", "o", 0.3), ("9", "o", 0.3),
                  ("6", "o", 0.6), ("3", "a", 0.3), ("4", "a", 0.6), ("8", "a", 0.2), ("¢", "e", 0.3),
                  ("¢", "o", 0.3), ("@", "o", 0.5), ("i", "a", 0.02), ("b", "o", 0.02), ("c", "e", 0.02),
                  ("y", "o", 0.01), ("3a", "a", 0.1), ("’", "", 0.3), ("‘", "", 0.3), ("'", "", 0.3),
                  ("?", "", 0.1), ("?", "u", 0.1),
                  # 'á'/'ấ' read as 'é' (seed 002: 'céc' các, 'cép' cấp, 'suét' suất): without
                  # it a stripped 'cec' could only become 'cốc' (e for ô is learned)
                  ("e", "a", 0.02)]


def learn_channel(pairs_paths: list[str] | str | None) -> dict:
    """Syllable- and segment-level confusion counts from (truth, OCR) line pairs.

    ``syl``: observed token (lower case) -> Counter(true syllable);
    ``segs``: observed character segment -> Counter(folded true segment), from
    aligning folded forms (so marks do not count as confusions);
    ``occ``: how often each observed segment (1-3 characters) occurs at all.
    """
    import difflib

    from .token_alignment import align_tokens
    from .tokens import ocr_tokens

    syl: defaultdict[str, Counter[str]] = defaultdict(Counter)
    true_tot: Counter[str] = Counter()
    segs: defaultdict[str, Counter[str]] = defaultdict(Counter)
    occ: Counter[str] = Counter()
    n = 0
    if isinstance(pairs_paths, str):
        pairs_paths = [pairs_paths]
    lines: list[str] = []
    for path in pairs_paths or []:
        if os.path.exists(path):
            with open(path, encoding="utf-8") as f:
                lines.extend(f)
    if lines:
        for ln in lines:
            d = json.loads(ln)
            t = [syl_key(x.lower()) for x in ocr_tokens(clean_text(d["t"]))]
            o = [x.lower() for x in ocr_tokens(clean_text(d["o"]))]
            n += 1
            for tt in t:
                true_tot[tt] += 1
            for ob, tr in align_tokens(o, t):
                syl[ob][tr] += 1
                fo, ft = fold(ob), fold(tr)
                if len(fo) != len(ob):
                    continue
                for k in range(len(ob)):
                    for L in (1, 2, 3):
                        if k + L <= len(ob):
                            occ[ob[k:k + L]] += 1
                if fo == ft:
                    continue
                sm = difflib.SequenceMatcher(None, fo, ft, autojunk=False)
                for op, a1, a2, b1, b2 in sm.get_opcodes():
                    if op in ("replace", "delete") and a2 - a1 <= 3 and b2 - b1 <= 3:
                        segs[ob[a1:a2]][ft[b1:b2]] += 1
        log(f"channel: {n} line pairs, {len(syl):,} observed forms, {len(segs):,} segments")
    else:
        log("warning: no OCR pairs; channel model has priors only")
    return {"syl": syl, "true_tot": true_tot, "segs": segs, "occ": occ, "lines": n}


# --------------------------------------------------------------------------- model
def build(corpus: dict, plans: list[str], lexicon: set[str], channel: dict, *, plan_weight: float = 30.0,
          plan_type_weight: float = 3.0, min_count: int = 2, tri_min: float = 2.0, bi_min: float = 1.0,
          lex_min: int = 3, prune_nats: float = 0.05, single_nats: float = 1.0,
          single_min_unit: float = 30.0, word_pairs: set[tuple[str, str]] | None = None,
          admin: Sequence[str] = (), admin_weight: float = 1.0) -> dict:
    """Interpolated Kneser-Ney trigram over LM units, stored back-off style, plus candidates.

    ``plans`` (the sample plans, weight ``plan_weight``) and ``admin`` (the
    administrative texts written for training, weight ``admin_weight``) are
    in-domain: their n-grams are never pruned and their units always kept.
    """
    t0 = time.time()
    names = list(corpus["names"])
    units = Units()
    units.names = names
    units.ids = {u: i for i, u in enumerate(names)}
    raw: dict[str, int] = {}
    pcaps, acaps = CaseCounts(), CaseCounts()
    pflat = np.frombuffer(encode_lines(read_logical_lines(plans), units, raw, pcaps), dtype=np.int32)
    aflat = np.frombuffer(encode_lines(read_logical_lines(admin), units, raw, acaps), dtype=np.int32)
    names = units.names
    V0 = len(names)
    caps0 = np.zeros((len(CASE_ROWS), V0))
    caps0[:, : corpus["caps"].shape[1]] = corpus["caps"]
    caps0 += pcaps.array(V0, plan_weight) + acaps.array(V0, admin_weight)
    # unigram frequency (raw) for vocabulary pruning
    ck, cc = corpus["keys"], corpus["counts"]
    uni = np.bincount((ck & KEY_MASK).astype(np.int64), weights=cc, minlength=V0)
    plan_units = set(np.unique(pflat).tolist()) | set(np.unique(aflat).tolist())
    keep = uni >= min_count
    keep[list(plan_units)] = True
    keep[: len(SPECIALS)] = True
    # remap ids: kept units in sorted order of (specials, then by string) for determinism
    kept = [i for i in range(V0) if keep[i]]
    order = list(range(len(SPECIALS))) + sorted((i for i in kept if i >= len(SPECIALS)), key=lambda i: names[i])
    remap = np.full(V0, SPECIALS.index(UNK), dtype=np.int64)
    remap[order] = np.arange(len(order))
    vocab = [names[i] for i in order]
    V = len(vocab)
    bos = vocab.index(BOS)
    log(f"vocabulary {V:,} units (of {V0:,})")

    def rekey(k):
        a, b, c = k >> (2 * KEY_BITS), (k >> KEY_BITS) & KEY_MASK, k & KEY_MASK
        return (remap[a] << (2 * KEY_BITS)) | (remap[b] << KEY_BITS) | remap[c]

    pk, pc = trigram_counts(pflat, units.ids[BOS])
    ak, ac = trigram_counts(aflat, units.ids[BOS])
    ck = rekey(ck)
    seen_cc = corpus.get("raw_counts", cc)
    if "domain_counts" in corpus:
        # Wikipedia's many rare names would all be <unk>: its n-grams with an unknown
        # unit are dropped, so that <unk> does not become likely where the
        # statutes and the news never had one (an OCR misreading is an <unk> too)
        unk = SPECIALS.index(UNK)
        has_unk = ((ck >> (2 * KEY_BITS)) == unk) | (((ck >> KEY_BITS) & KEY_MASK) == unk) | ((ck & KEY_MASK) == unk)
        cc = cc - np.where(has_unk, corpus["domain_counts"], 0.0)
        seen_cc = seen_cc - np.where(has_unk, corpus["domain_raw_counts"], 0.0)
        live = cc > 0
        ck, cc, seen_cc = ck[live], cc[live], seen_cc[live]
    allk = np.concatenate([ck, rekey(pk), rekey(ak)])
    allc = np.concatenate([cc, pc * plan_weight, ac * admin_weight])
    isplan = np.concatenate([np.zeros(len(ck), bool), np.ones(len(pk) + len(ak), bool)])
    trigram_keys, inv = np.unique(allk, return_inverse=True)
    counts = np.bincount(inv, weights=allc)
    seen_in_plans = np.bincount(inv, weights=isplan.astype(np.float64)) > 0
    seen_counts = np.concatenate([seen_cc, np.zeros(len(pk) + len(ak))])
    corpus_counts = np.bincount(inv, weights=np.where(isplan, 0.0, seen_counts))
    # discounts from the count-of-counts of the corpus part; plan types weigh more
    kn = estimate(trigram_keys, counts, corpus_counts, np.where(seen_in_plans, plan_type_weight, 1.0), V, bos)
    log(f"KN: {len(trigram_keys):,} trigrams, {len(kn.bigram_keys):,} bigrams, "
        f"D(3)={kn.discounts3} D(2)={kn.discounts2}")
    # --- pruning
    keep3 = (tri_min <= corpus_counts) | seen_in_plans   # counts as seen: a weight does not change what is pruned
    # a kept trigram must differ from its back-off estimate to be worth storing
    backoff_est = kn.context_backoff[kn.trigram_context] * kn.bigram_prob[kn.trigram_bigram]
    log_ratio = np.abs(np.log(kn.trigram_prob) - np.log(backoff_est))
    keep3 &= log_ratio > prune_nats
    # a trigram seen once is kept where it moves the estimate far from the back-off
    # (more than `single_nats`): most singletons only echo it, a few are the one
    # place a phrase was seen (the 8-bit tables of format 3 pay for them)
    # ... and only when its three units are established ones (counted at least
    # `single_min_unit` times): a rare form seen once in a phrase is most often a
    # typo of the corpus (`di dời đên nơi`), which would then be preferred there
    established = np.bincount(trigram_keys & KEY_MASK, weights=counts, minlength=V) >= single_min_unit
    established[: len(SPECIALS)] = True
    keep3 |= ((corpus_counts >= 1) & (log_ratio > single_nats) & established[trigram_keys >> (2 * KEY_BITS)]
              & established[(trigram_keys >> KEY_BITS) & KEY_MASK] & established[trigram_keys & KEY_MASK])
    T_keys, T_lp = trigram_keys[keep3], np.log(kn.trigram_prob[keep3])
    bigram_in_plans = np.bincount(kn.trigram_bigram, weights=seen_in_plans.astype(np.float64)) > 0
    keep2 = (kn.bigram_types >= bi_min) | bigram_in_plans
    # contexts needed for kept trigrams must keep their gamma
    ctx_needed = np.zeros(len(kn.contexts), bool)
    ctx_needed[kn.trigram_context[keep3]] = True
    ctx_keep = ctx_needed | (kn.context_count >= 3)
    # bigram entries: kept bigrams (their log P) and kept contexts (their log gamma)
    B_keys = np.union1d(kn.bigram_keys[keep2], kn.contexts[ctx_keep])
    B_lp = np.full(len(B_keys), np.nan)
    B_bo = np.zeros(len(B_keys))
    pos = np.searchsorted(B_keys, kn.bigram_keys[keep2])
    B_lp[pos] = np.log(kn.bigram_prob[keep2])
    pos = np.searchsorted(B_keys, kn.contexts[ctx_keep])
    B_bo[pos] = np.log(kn.context_backoff[ctx_keep])
    U_lp = np.log(kn.unigram_prob)
    U_bo = np.where(kn.unigram_backoff > 0, np.log(np.maximum(kn.unigram_backoff, 1e-300)), 0.0)
    log(f"pruned: {len(T_keys):,} trigrams, {len(B_keys):,} bigram entries")
    # --- candidates: folded form -> vocabulary syllables
    unit_count = np.bincount(trigram_keys & KEY_MASK, weights=counts, minlength=V)
    case_counts = np.stack([np.bincount(remap, weights=row, minlength=V)[:V] for row in caps0])
    cap_count = case_counts[0]
    lex = set(lexicon)
    for u in plan_units:
        n = names[u]
        if n[0].isalpha():
            lex.add(n)
    cand: dict[str, list[int]] = defaultdict(list)
    for i, u in enumerate(vocab):
        if i < len(SPECIALS) or not u[0].isalpha():
            continue
        marked = has_marks(u)
        if marked and u not in lex and not (is_vn_shape(u) and unit_count[i] >= lex_min * 10):
            continue
        cand[fold_key(u)].append(i)
    # units an OCR repair may produce: Vietnamese-shaped, frequent, or from the plans
    repair_ok = np.array([i >= len(SPECIALS) and u[0].isalpha() and
                          (is_vn_shape(u) or unit_count[i] >= 1000 or u in lex) for i, u in enumerate(vocab)])
    # abbreviations written in the plans (CCHC, CĐS, TTHC, HĐND...): targets of look-alike OCR repair
    plan_abbrevs = sorted(n for n in (names[u] for u in plan_units)
                          if len(n) >= 2 and n.isalpha() and not is_vn_shape(fold(n)) and n in idx_of(vocab))
    cand_fold = sorted(cand)
    cand_ids, cand_off = [], [0]
    for folded in cand_fold:
        ids = sorted(cand[folded], key=lambda i: (-unit_count[i], vocab[i]))
        cand_ids.extend(ids)
        cand_off.append(len(cand_ids))
    log(f"candidates: {len(cand_fold):,} folded forms, {len(cand_ids):,} entries")
    # --- word pairs of the word list, as bigram keys over the vocabulary
    vidx = idx_of(vocab)
    index_of = {u: i for i, u in enumerate(vocab)}
    W_keys = np.unique(np.array([(index_of[a] << KEY_BITS) | index_of[b] for a, b in (word_pairs or ())
                                 if a in vidx and b in vidx], np.int64))
    log(f"word pairs: {len(W_keys):,}")
    # --- channel
    ch_obs, ch_true, ch_cnt = [], [], []
    idx = {u: i for i, u in enumerate(vocab)}
    for ob in sorted(channel["syl"]):
        for tr, c in sorted(channel["syl"][ob].items()):
            if tr in idx:
                ch_obs.append(ob)
                ch_true.append(idx[tr])
                ch_cnt.append(c)
    true_tot = np.zeros(V, np.float32)
    for tr, c in channel["true_tot"].items():
        if tr in idx:
            true_tot[idx[tr]] = c
    seg_p: dict[tuple[str, str], float] = {}
    for row in channel.get("char_rows") or ():   # a channel read from a model file: its final rows
        a, b, pr = row.split("\t")
        seg_p[(a, b)] = float(pr)
    for a in channel["segs"]:  # empty for a channel read from a model file: its rows are final
        tot = max(channel["occ"].get(a, 0), sum(channel["segs"][a].values()))
        for b, c in channel["segs"][a].items():
            if c >= 2 and c / tot >= 0.002:
                seg_p[(a, b)] = c / tot
    for a, b, prior in PRIOR_SEGMENTS:
        seg_p[(a, b)] = max(seg_p.get((a, b), 0.0), prior)
    char_rows = [f"{a}\t{b}\t{p:.6g}" for (a, b), p in sorted(seg_p.items())]
    log(f"model built in {time.time() - t0:.0f} s")
    return {
        "format": FORMAT, "vocab": vocab,
        "U_lp": U_lp, "U_bo": U_bo, "B_keys": B_keys, "B_lp": B_lp, "B_bo": B_bo,
        "T_keys": T_keys, "T_lp": T_lp, "W_keys": W_keys,
        "cand_fold": cand_fold, "cand_ids": np.array(cand_ids, np.int32), "cand_off": np.array(cand_off, np.int32),
        "unit_count": unit_count, "cap_count": cap_count, "case_counts": case_counts, "repair_ok": repair_ok,
        "plan_abbrevs": plan_abbrevs,
        "ch_obs": ch_obs, "ch_true": np.array(ch_true, np.int32), "ch_cnt": np.array(ch_cnt, np.float32),
        "true_tot": true_tot, "char_rows": char_rows,
        "meta": {"plans": [os.path.basename(p) for p in plans], "plan_weight": plan_weight,
                 "D3": list(kn.discounts3), "D2": list(kn.discounts2), "channel_lines": channel.get("lines", 0),
                 **({"admin_texts": len(admin), "admin_weight": admin_weight} if admin else {})},
    }


_IDX_CACHE: dict[int, set] = {}


def idx_of(vocab: list[str]) -> set:
    key = id(vocab)
    if key not in _IDX_CACHE:
        _IDX_CACHE.clear()
        _IDX_CACHE[key] = set(vocab)
    return _IDX_CACHE[key]


def save(model: dict, out: str) -> None:
    """Write `build`'s model to `out` (model.npz; the array names are the file format,
    `language_model` maps the n-gram tables to descriptive names when loading)."""
    arrs = {
        "format": encode_strings([model["format"]]),
        "meta": encode_strings([json.dumps(model["meta"], ensure_ascii=False, sort_keys=True)]),
        "vocab": encode_strings(model["vocab"]),
        "U_lp": encode_planes(quantize_logprob(model["U_lp"])), "U_bo": encode_planes(quantize_logprob(model["U_bo"])),
        "B_keys": encode_sorted_keys(model["B_keys"]), "T_keys": encode_sorted_keys(model["T_keys"]),
        "W_keys": encode_sorted_keys(model["W_keys"]),
        "cand_fold": encode_strings(model["cand_fold"]), "cand_ids": model["cand_ids"],
        "cand_off": model["cand_off"],
        "unit_count": np.minimum(model["unit_count"], 2**31 - 1).astype(np.int32),
        "cap_count": np.minimum(model["cap_count"], 2**31 - 1).astype(np.int32),
        # the neighbour rows of the case statistics (row 0 is cap_count)
        "case_next_prev": np.minimum(model["case_counts"][1:], 2**31 - 1).astype(np.int32),
        "repair_ok": np.packbits(model["repair_ok"]),
        "abbrevs": encode_strings(model["plan_abbrevs"]),
        "ch_obs": encode_strings(model["ch_obs"]), "ch_true": model["ch_true"], "ch_cnt": model["ch_cnt"],
        "true_tot": model["true_tot"], "char_rows": encode_strings(model["char_rows"]),
    }
    # the n-gram tables as 8-bit codes into a table of values (format 3; the few
    # unigram values keep their 16-bit steps)
    for name in ("B_lp", "B_bo", "T_lp"):
        arrs[name], arrs[name + "_tab"] = quantize_codebook(model[name])
    tmp = out + ".tmp.npz"
    np.savez_compressed(tmp, **arrs)
    os.replace(tmp, out)


def parse_weights(spec: str) -> dict[str, float]:
    out = {}
    for part in (spec or "").split(","):
        if part.strip():
            k, v = part.split("=")
            out[k.strip()] = float(v)
    return out


def default_cache() -> str:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "plandiff-diacritics")


def ensure_pairs(args) -> list[str]:
    """The OCR pair files: given with --ocr-pairs, else generated into the cache (once)."""
    if args.ocr_pairs:
        return [p for p in args.ocr_pairs if os.path.exists(p)]
    specs = [(os.path.join(args.cache, f"ocr_pairs_p{args.ocr_pages}_s7.jsonl"), args.ocr_pages, 7, False),
             (os.path.join(args.cache, f"ocr_pairs_heavy_p{args.ocr_heavy_pages}_s8.jsonl"), args.ocr_heavy_pages, 8,
              True)]
    out = []
    for path, pages, seed, heavy in specs:
        if pages <= 0:
            continue
        if not os.path.exists(path):
            import shutil

            if args.no_ocr or not shutil.which("tesseract"):
                log(f"warning: {path} missing and not generated (--no-ocr or no tesseract)")
                continue
            from .ocrgen import generate

            log(f"generating OCR pairs into {path} ({pages} pages; this takes a while)")
            os.makedirs(args.cache, exist_ok=True)
            generate(args.corpus, args.seeds, path + ".part", pages=pages, seed=seed, log=log, heavy=heavy)
            os.replace(path + ".part", path)
        out.append(path)
    return out


def refuse_held_out(*folders: str) -> None:
    """Stop when an input folder is (inside) the benchmark's held-out texts."""
    for folder in folders:
        if HELD_OUT_DIR in os.path.abspath(folder):
            raise SystemExit(f"{folder}: the held-out benchmark texts are never training input")


def train(args) -> dict:
    t0 = time.time()
    refuse_held_out(args.corpus, args.seeds, *(args.admin_text or []))
    corpus = corpus_stats(args.corpus, args.cache, args.wiki_chars, parse_weights(args.source_weights))
    log(f"corpus statistics ready ({time.time() - t0:.0f} s)")
    viet74k = find_viet74k(args.viet74k)
    lex = lexicon_syllables(viet74k, args.hunspell)
    pairs = lexicon_word_pairs(viet74k)
    log(f"lexicon: {len(lex):,} syllables")
    channel = channel_from_model(args.channel_from) if args.channel_from else learn_channel(ensure_pairs(args))
    plans = seed_paths(args.seeds, set(args.exclude or []))
    admin = admin_paths(args.admin_text or [])
    log(f"administrative texts: {len(admin)}")
    model = build(corpus, plans, lex, channel, plan_weight=args.plan_weight, tri_min=args.tri_min,
                  prune_nats=args.prune_nats, single_nats=args.single_nats, min_count=args.min_count,
                  word_pairs=pairs, admin=admin, admin_weight=args.admin_weight)
    save(model, args.out)
    log(f"wrote {args.out} ({os.path.getsize(args.out) / 1e6:.1f} MB) in {time.time() - t0:.0f} s")
    return model


def parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", required=True)
    ap.add_argument("--seeds", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--exclude", action="append", help="seed id to leave out (repeatable)")
    ap.add_argument("--viet74k", default=None)
    ap.add_argument("--hunspell", default="/usr/share/hunspell/vi_VN.dic")
    ap.add_argument("--cache", default=default_cache())
    ap.add_argument("--wiki-chars", type=int, default=30_000_000)
    ap.add_argument("--plan-weight", type=float, default=3.0)
    ap.add_argument("--admin-text", action="append", default=None,
                    help="folder of administrative texts written for training (its *.txt; repeatable), "
                         "in-domain like the sample plans")
    ap.add_argument("--admin-weight", type=float, default=1.0, help="count weight of the administrative texts")
    ap.add_argument("--min-count", type=int, default=2, help="units counted fewer times leave the vocabulary")
    ap.add_argument("--tri-min", type=float, default=2.0, help="trigrams counted fewer times are pruned")
    ap.add_argument("--prune-nats", type=float, default=0.05,
                    help="trigrams whose log-probability is within this of the back-off estimate are pruned")
    ap.add_argument("--single-nats", type=float, default=1.0,
                    help="trigrams seen once are kept where their log-probability is more than this from the "
                         "back-off estimate (inf: none kept)")
    ap.add_argument("--source-weights", default="legal=1,news=1,wiki=0,wikidom=1",
                    help="count weights per corpus source (legal, news, wiki: its first --wiki-chars, "
                         "wikidom: its administrative-field paragraphs, see DOMAIN_TERMS)")
    ap.add_argument("--ocr-pairs", action="append", default=None,
                    help="JSONL of {t, o} line pairs (repeatable; default: generated in --cache)")
    ap.add_argument("--ocr-pages", type=int, default=150, help="normal generated pages (200-300 dpi)")
    ap.add_argument("--ocr-heavy-pages", type=int, default=60,
                    help="photocopy-like generated pages (150-200 dpi, thick strokes)")
    ap.add_argument("--no-ocr", action="store_true", help="do not generate OCR pairs when missing")
    ap.add_argument("--channel-from", default=None,
                    help="take the OCR channel from this model file (e.g. the shipped one) instead of OCR pairs")
    return ap


def main(argv=None) -> int:
    train(parser().parse_args(argv))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
