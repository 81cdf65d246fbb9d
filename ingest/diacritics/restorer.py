"""The diacritic restorer: which lines need restoring, the candidate syllables
of each token, and Viterbi decoding over them with the trigram language model.

The model file holds the language model (`language_model.py`: syllable
trigrams, interpolated Kneser-Ney, pruned, stored back-off style) plus a
channel model of English-model OCR (syllable- and character-level confusion
counts learned from generated page images).  For each input token the
candidates are the vocabulary syllables with the same folded form, the true
syllables the channel has seen behind that OCR form, and character-confusion
repairs (``s6`` -> ``số``).
"""
from __future__ import annotations

import json
import logging
import math
import re
import zipfile
from collections import Counter, defaultdict
from dataclasses import dataclass

import numpy as np
from plandiff.ingest.textnorm import nfc

from ..linebreaks import continues
from ..syllables import has_marks, is_vn_shape
from .language_model import TrigramModel
from .modelfile import FORMAT, RestorationError, decode_strings
from .tokens import (
    RT_TOKEN,
    WORDS,
    Tok,
    apply_case,
    caps_line,
    caps_run,
    letter_labels,
    lone,
    protected,
    tokenize,
    vietnamese_only_share,
)
from .units import LM_TOKEN, PUNCT_KEEP, SENTENCE_PUNCT, SPECIALS, fold_key, syl_key

__all__ = ["Restorer", "RestorationError"]

log = logging.getLogger(__name__)


class Restorer:
    """Restores Vietnamese diacritics in text (and repairs English-model OCR damage).

    Build it with `plandiff.ingest.diacritics.load_model`; the object is read-only
    apart from small memo caches, so one instance serves a whole process.
    """

    # detection thresholds: share of suspicious words in a line (of an otherwise
    # good document / of a damaged one) and in the whole text
    LINE_RATIO = 0.5
    LINE_RATIO_DAMAGED = 0.15
    DOC_RATIO = 0.3
    # decoding: candidates per token, candidates kept per position by pruning,
    # how far (nats) below the best a kept one may be, and how many bigrams deep
    # on each side the support that ranks them looks
    MAX_CANDS = 24
    BEAM = 8
    PRUNE_MARGIN = 5.0
    PRUNE_DEPTH = 3
    # weight of the capitalisation prior on a capitalised / a lower-case word inside a sentence
    CAP_WEIGHT = 1.0
    LOW_WEIGHT = 0.0
    # channel log-probabilities: the syllable as read, another with the same folded
    # form, a segment repair (OCR mode); keeping a token no candidate explains;
    # repairs and keeping in stripped text; a lone '6', '@', '&' between words
    # (often 'ở') kept as it is
    LOG_IDENT = math.log(0.5)
    LOG_FOLD = math.log(0.15)
    LOG_EXPAND = math.log(0.3)
    LOG_KEEP_UNKNOWN = math.log(0.01)
    LOG_EXPAND_STRIPPED = math.log(0.05)
    LOG_KEEP_STRIPPED = math.log(0.5)
    OCR_LONE = frozenset({"6", "8", "16", "@", "&", "¢", "§"})
    LOG_KEEP_LONE = math.log(0.5)
    # Document prior (stripped text): a document keeps using its own words
    # (`tỉnh` in a provincial plan, not `tính`).  After decoding every block,
    # a position whose choice goes against the form its folded form took at
    # least DOC_MIN_EVIDENCE times elsewhere is decided again between its
    # candidates, its neighbours fixed, with DOC_WEIGHT * log of each
    # candidate's share of the document's choices (add-DOC_SMOOTHING) added:
    # local, so it costs next to nothing (a second Viterbi pass would halve
    # the speed for the same gain).
    DOC_WEIGHT = 1.0
    DOC_SMOOTHING = 1.0
    DOC_MIN_EVIDENCE = 3

    # Neighbour case (`train.CaseCounts`): a candidate's log P(the next / the
    # previous word inside the sentence is capitalised, or is not | candidate),
    # times NEXT_CASE_WEIGHT / PREV_CASE_WEIGHT, where that word is written in lower case or
    # capitalised in a line not in capitals (`Sở Xây dựng`, not `Số Xây dựng`;
    # `Việt Nam tỉnh`, not `Việt Nam tính`).  A unit's rate is drawn towards
    # the rate of all units by NEIGHBOUR_CASE_PRIOR pseudo-counts, so that a
    # rare unit's few counts do not decide.
    NEXT_CASE_WEIGHT = 0.5
    PREV_CASE_WEIGHT = 0.5
    NEIGHBOUR_CASE_PRIOR = 20.0

    # Word pairs: two neighbouring syllables that stand together inside a word of
    # the word list (Viet74K: `chi hội`, `nấm rơm`, `kênh mương`) score this
    # much more in decoding.  The corpora miss many words of the fields the plans
    # touch; the word list knows them, whatever the topic.
    WORD_PAIR_BONUS = 1.0

    def __init__(self, path: str) -> None:
        try:
            z = np.load(path, allow_pickle=False)
            fmt = decode_strings(z["format"])[0]
            if fmt != FORMAT:
                raise RestorationError(f"{path}: unknown model format {fmt!r}")
            self.meta = json.loads(decode_strings(z["meta"])[0])
            self.lm = TrigramModel.from_npz(z)
            folds = decode_strings(z["cand_fold"])
            ids = z["cand_ids"].tolist()
            off = z["cand_off"].tolist()
            # how often each unit was seen in training (candidate ranking, suspicion)
            self.unit_count = z["unit_count"]
            cnt = z["unit_count"].astype(np.float64)
            capc = z["cap_count"].astype(np.float64)
            # older model files have no neighbour rows: the step is then off
            case_rows = z["case_next_prev"].astype(np.float64) if "case_next_prev" in z.files else None
            # units an OCR repair may produce (Vietnamese-shaped, frequent or from the plans)
            self.repair_ok = np.unpackbits(z["repair_ok"])[: len(cnt)].astype(bool)
            ch_obs = decode_strings(z["ch_obs"])
            ch_true = z["ch_true"].tolist()
            ch_cnt = z["ch_cnt"].tolist()
            # how often each unit was the true syllable in the generated OCR pairs
            self.channel_true_count = z["true_tot"]
            char_rows = decode_strings(z["char_rows"])
            abbrevs = decode_strings(z["abbrevs"])
        except RestorationError:
            raise
        except (OSError, KeyError, ValueError, IndexError, zipfile.BadZipFile, UnicodeDecodeError, EOFError) as e:
            raise RestorationError(f"cannot load diacritics model {path}: {e}") from e
        self.path = path
        # the unit table, shared with the language model: candidate ids index it
        self.vocab = self.lm.vocab
        pcap = np.clip((capc + 0.5) / (cnt + 1.0), 0.02, 0.98)
        self.cap_logprob = np.log(pcap).tolist()          # log P(written capitalised | unit)
        self.lower_logprob = np.log(1.0 - pcap).tolist()  # log P(written in lower case | unit)
        # log P(next word capitalised | unit), log P(next word in lower case | unit),
        # the same of the previous word; None without the rows in the model file
        self.neighbour_case: tuple[list[float], list[float], list[float], list[float]] | None = None
        if case_rows is not None:   # weighted once here: decoding only adds them
            self.neighbour_case = (*self._case_rates(case_rows[0], case_rows[1], self.NEXT_CASE_WEIGHT),
                                   *self._case_rates(case_rows[2], case_rows[3], self.PREV_CASE_WEIGHT))
        self._unigram_logprob = self.lm.unigram_logprob.tolist()
        # folded form -> candidate unit ids, most frequent first
        self.cands = {f: ids[off[k]:off[k + 1]] for k, f in enumerate(folds)}
        # observed OCR token -> {true unit id: times seen}
        self.channel: dict[str, dict[int, float]] = {}
        for o, t, c in zip(ch_obs, ch_true, ch_cnt, strict=False):
            self.channel.setdefault(o, {})[t] = c
        # segment confusions: observed segment -> [(folded true segment, log P)]
        self.segment_repairs: dict[str, list[tuple[str, float]]] = {}
        for row in char_rows:
            a, b, pr = row.split("\t")
            self.segment_repairs.setdefault(a, []).append((b, math.log(float(pr))))
        self.longest_segment = max((len(a) for a in self.segment_repairs), default=1)
        # abbreviations of the plans (UBND, CCHC, CĐS...) by length, for look-alike repair
        self.abbrevs: dict[int, list[tuple[str, int]]] = {}
        for u in abbrevs:
            i = self.lm.index.get(u)
            if i is not None:
                self.abbrevs.setdefault(len(u), []).append((u, i))
        self._cand_cache: dict[tuple[str, bool, bool], tuple[list[int], list[float]]] = {}
        self._susp_cache: dict[str, int] = {}
        log.debug("diacritics model %s: %d units, %d trigrams", path, len(self.vocab), len(self.lm.trigram_keys))

    # ------------------------------------------------------------------ tokens
    tokenize = staticmethod(tokenize)

    def _suspicion(self, w: str) -> int:
        """+1 suspicious (needs restoration), -1 good Vietnamese, 0 neutral."""
        r = self._susp_cache.get(w)
        if r is not None:
            return r
        lw = w.lower()
        if not lw.isalpha():
            letters = sum(ch.isalpha() for ch in lw)
            r = 1 if (letters >= 1 and len(lw) <= 6 and (lw in self.channel or self._expand(lw))) else 0
        else:
            key = syl_key(lw)
            f = fold_key(lw)
            cands = self.cands.get(f, [])
            best = max((int(self.unit_count[c]) for c in cands), default=0)
            i = self.lm.index.get(key)
            own = int(self.unit_count[i]) if i is not None else 0
            marked = key != f
            if not cands:
                r = 1 if (marked or lw in self.channel) else 0
            elif marked:
                # a real marked syllable is good evidence unless it is rare next to a
                # frequent look-alike (English OCR writes 'vé' for 'về')
                r = 1 if (own < 5 and own * 20 < best) else -1
            else:
                r = 0 if own * 3 >= best else 1
        if len(self._susp_cache) > 100_000:
            self._susp_cache.clear()
        self._susp_cache[w] = r
        return r

    def _line_score(self, line: str) -> tuple[int, int, int]:
        """(suspicious, good, open) words of a line; `open`: neutral words
        written without marks whose folded form has other, marked candidates
        (`BAO`, `CAO`, `gia`): they say nothing either way, but could be damaged."""
        s = g = o = 0
        for m in RT_TOKEN.finditer(nfc(line)):
            w = m.group("word")
            if not w:
                continue
            r = self._suspicion(w)
            if r > 0:
                s += 1
            elif r < 0:
                g += 1
            elif w.isalpha() and len(self.cands.get(fold_key(w.lower()), ())) > 1:
                o += 1
        return s, g, o

    def line_needs_restoration(self, line: str, damaged_document: bool = False) -> bool:
        """Does this line look diacritic-less or English-OCR-damaged?

        With ``damaged_document`` (the text around it needs restoration) a
        lighter test applies: 15% of the judged words suspicious.  Otherwise
        at least two words and half of them must be suspicious.
        """
        return self._line_flag(line, None, damaged_document)

    def _line_flag(self, line: str, score: tuple[int, int, int] | None, damaged_document: bool) -> bool:
        """`line_needs_restoration` with the line's `_line_score` when already known."""
        if vietnamese_only_share(line) >= 0.3:
            return False  # ư ơ ă đ and stacked marks: no English OCR writes these
        s, g, o = score if score is not None else self._line_score(line)
        if damaged_document:
            if s == 0 and g == 0:
                # no word of the line is evidence either way (`BAO CAO`, `DANH GIA CHUNG`:
                # each unmarked form is itself frequent): in a damaged document such a
                # line lost its marks like the others whenever some word could carry them
                return o >= 1
            return s >= 1 and s / (s + g) >= self.LINE_RATIO_DAMAGED
        # in a document that is otherwise fine, a line needs clear evidence
        return s >= 2 and s / (s + g) >= self.LINE_RATIO

    def needs_restoration(self, text: str) -> bool:
        """Is the text as a whole diacritic-less or English-OCR-damaged (>= 30% suspicious words)?"""
        return self._damaged([self._line_score(line) for line in text.split("\n")])

    def _damaged(self, scores: list[tuple[int, int, int]]) -> bool:
        s = sum(a for a, _, _ in scores)
        g = sum(b for _, b, _ in scores)
        return s > 0 and s / (s + g) >= self.DOC_RATIO

    # ------------------------------------------------------------------ candidates
    def _expand(self, w: str, max_subs: int = 3, floor: float = -14.0) -> list[tuple[int, float]]:
        """Segment-confusion repairs of an OCR token: [(vocab id, log P)], best first."""
        n = len(w)
        out: dict[str, float] = {}
        repairs, longest = self.segment_repairs, self.longest_segment

        def rec(i: int, acc: str, lp: float, subs: int) -> None:
            if i == n:
                if acc in self.cands and lp > out.get(acc, -1e9):
                    out[acc] = lp
                return
            ch = w[i]
            if ch.isalpha():
                rec(i + 1, acc + fold_key(ch), lp, subs)
            if subs < max_subs:
                for length in range(1, min(longest, n - i) + 1):
                    for rep, p in repairs.get(w[i:i + length], ()):
                        if lp + p >= floor:
                            rec(i + length, acc + rep, lp + p, subs + 1)

        rec(0, "", 0.0, 0)
        res: dict[int, float] = {}
        ok = self.repair_ok
        for f, lp in out.items():
            for cid in self.cands[f]:
                if ok[cid] and lp > res.get(cid, -1e9):
                    res[cid] = lp
        return sorted(res.items(), key=lambda x: -x[1])[:40]

    _LOOKALIKE = [set("ocgqdđ0"), set("il1|t"), set("bđd8e"), set("vy"), set("uv"), set("mn"), set("hn"),
                  set("cđd"), set("kx")]

    def _abbrev_repairs(self, lw: str) -> list[tuple[int, float]]:
        """Abbreviations of the same length that differ by one or two look-alike letters."""
        out = []
        for u, i in self.abbrevs.get(len(lw), ()):
            diff = [(a, b) for a, b in zip(lw, u, strict=False) if a != b]
            if 0 < len(diff) <= 2 and len(diff) < len(lw) - 1 and all(
                    any(a in g and b in g for g in self._LOOKALIKE) for a, b in diff):
                out.append((i, math.log(0.05) * len(diff)))
        return out

    def candidates(self, w: str, ocr: bool, code_part: bool = False) -> tuple[list[int], list[float]]:
        """Candidate vocab ids for the observed word w and their channel log-probs.

        ``code_part``: w is glued to a number by a slash or hyphen (``441/Tg``,
        ``25/KH``): in stripped text its letters are as written, so only marks
        may be restored there (no segment repairs)."""
        key = (w, ocr, code_part)
        hit = self._cand_cache.get(key)
        if hit is not None:
            return hit
        lw = w.lower()
        f = fold_key(lw)
        ident = self.lm.index.get(syl_key(lw), -1) if lw.isalpha() else -1
        scores: dict[int, float] = {}
        if lw.isalpha():
            for c in self.cands.get(f, []):
                scores[c] = 0.0
        if ocr:
            seen = self.channel.get(lw, {})
            # fold-match prior: marks lost or wrong
            for c in list(scores):
                scores[c] = self.LOG_IDENT if c == ident else self.LOG_FOLD
            tot_seen = sum(seen.values())
            for c, n in seen.items():
                nt = float(self.channel_true_count[c])
                p = (n + 0.5) / (nt + 1.0) if nt > 0 else n / (tot_seen + 1.0)
                scores[c] = max(scores.get(c, -1e9), math.log(min(p, 1.0)))
        if ocr:
            weak = ident < 0 or int(self.unit_count[ident]) < 50 or not lw.isalpha()
        else:
            weak = not scores or max(int(self.unit_count[c]) for c in scores) < 20
        # an abbreviation (UBND, DTI, CPS) may only be repaired into another abbreviation (CĐS)
        abbrev = len(w) >= 2 and w.isalpha() and w.isupper() and not is_vn_shape(f)
        if (weak or not scores) and not (code_part and not ocr):
            base = self.LOG_EXPAND if ocr else self.LOG_EXPAND_STRIPPED
            for c, lp in self._expand(lw):
                if abbrev and (is_vn_shape(self.vocab[c]) or len(self.vocab[c]) != len(lw)):
                    continue
                scores[c] = max(scores.get(c, -1e9), lp + base)
        if ident >= 0 and ident not in scores:
            scores[ident] = self.LOG_IDENT if ocr else 0.0
        if ident < 0 and scores and not lw.isalpha():
            if not ocr:
                scores[self.lm.unk] = self.LOG_KEEP_STRIPPED
            elif max(scores.values()) < math.log(0.05):
                scores[self.lm.unk] = self.LOG_KEEP_UNKNOWN   # keep the token as written
        if abbrev and ocr and (ident < 0 or int(self.unit_count[ident]) < 20):
            for c, lp in self._abbrev_repairs(lw):
                scores[c] = max(scores.get(c, -1e9), lp)
        if len(scores) > self.MAX_CANDS:
            ulp = self._unigram_logprob
            ranked = sorted(scores, key=lambda c: -(scores[c] + ulp[c]))
            scores = {c: scores[c] for c in ranked[: self.MAX_CANDS]}
        ids = sorted(scores)
        res = (ids, [scores[c] for c in ids])
        if len(self._cand_cache) > 200_000:
            self._cand_cache.clear()
        self._cand_cache[key] = res
        return res

    # ------------------------------------------------------------------ decoding
    def _prune(self, cands: list[list[int]], ems: list[list[float]], beam: int):
        """Keep the `beam` candidates per position with the best bigram support on
        both sides, PRUNE_DEPTH bigrams deep (and within PRUNE_MARGIN of the best);
        positions with at most two candidates are left as they are."""
        n = len(cands)
        wide = [i for i in range(n) if len(cands[i]) > 2]
        if not wide:
            return cands, ems
        # positions 0..n (BOS in front), their candidates laid out in one flat array
        columns = [[self.lm.bos]] + cands
        sizes = np.array([len(c) for c in columns], np.int64)
        flat_ids = np.array([x for c in columns for x in c], np.int64)
        offsets = np.zeros(len(columns), np.int64)
        offsets[1:] = np.cumsum(sizes)[:-1]
        pairs = sizes[:-1] * sizes[1:]          # candidate pairs between position p-1 and p (p = 1..n)
        start = np.zeros(n, np.int64)
        start[1:] = np.cumsum(pairs)[:-1]
        pos = np.repeat(np.arange(1, n + 1), pairs)
        r = np.arange(int(pairs.sum())) - start[pos - 1]
        width = sizes[pos]
        left = offsets[pos - 1] + r // width     # flat index of the pair's left candidate
        right = offsets[pos] + r % width         # and of its right one
        lp = self.lm.bigram_log_prob(flat_ids[left], flat_ids[right])
        best_in = np.full(len(flat_ids), -1e30)   # best bigram from the left into each candidate
        best_out = np.full(len(flat_ids), -1e30)  # best bigram from each candidate to the right
        # `left` is non-decreasing: segment maxima give best_out; `right` needs a sort first
        seg = np.flatnonzero(np.r_[True, left[1:] != left[:-1]])
        best_out[left[seg]] = np.maximum.reduceat(lp, seg)
        order = np.argsort(right, kind="stable")
        right_sorted, lp_sorted = right[order], lp[order]
        seg = np.flatnonzero(np.r_[True, right_sorted[1:] != right_sorted[:-1]])
        best_in[right_sorted[seg]] = np.maximum.reduceat(lp_sorted, seg)
        # PRUNE_DEPTH bigrams deep: the best path of that many bigrams into each
        # candidate (and out of it), so that a neighbour candidate with no support
        # of its own cannot keep or drop it (`ân xá` is a strong pair, but `công ân`
        # is not: in `cong an xa` the support of `xá` came from `ân` alone and `xã`
        # was pruned)
        seg_out = np.flatnonzero(np.r_[True, left[1:] != left[:-1]])
        seg_in = np.flatnonzero(np.r_[True, right_sorted[1:] != right_sorted[:-1]])
        for _ in range(self.PRUNE_DEPTH - 1):
            best_in[0] = 0.0                    # the BOS column
            best_out[offsets[-1]:] = 0.0        # the last position (EOS)
            deeper_out = np.full(len(flat_ids), -1e30)
            deeper_out[left[seg_out]] = np.maximum.reduceat(lp + best_out[right], seg_out)
            deeper_in = np.full(len(flat_ids), -1e30)
            deeper_in[right_sorted[seg_in]] = np.maximum.reduceat((best_in[left] + lp)[order], seg_in)
            best_in, best_out = deeper_in, deeper_out
        support = (best_in + best_out).tolist()
        first_of = offsets.tolist()
        margin = self.PRUNE_MARGIN
        cands, ems = list(cands), list(ems)
        for i in wide:
            a = first_of[i + 1]
            ci, ei = cands[i], ems[i]
            sc = [support[a + k] + e for k, e in enumerate(ei)]
            ranked = sorted(range(len(ci)), key=lambda k: -sc[k])[:beam]
            floor = sc[ranked[0]] - margin
            keep = sorted(k for k in ranked if sc[k] >= floor)
            cands[i] = [ci[k] for k in keep]
            ems[i] = [ei[k] for k in keep]
        return cands, ems

    def _case_rates(self, words: np.ndarray, caps: np.ndarray, weight: float) -> tuple[list[float], list[float]]:
        """weight * log P(capitalised), weight * log P(lower case) of a neighbour, per unit
        (see NEXT_CASE_WEIGHT)."""
        base = float(caps.sum()) / max(1.0, float(words.sum()))
        k = self.NEIGHBOUR_CASE_PRIOR
        p = np.clip((caps + k * base) / (words + k), 1e-4, 1 - 1e-4)
        return (weight * np.log(p)).tolist(), (weight * np.log(1.0 - p)).tolist()

    def _neighbour_case(self, toks: list[Tok], ti: int, in_caps: bool) -> list[list[float]]:
        """The (weighted) neighbour-case tables that apply at token ti."""
        if self.neighbour_case is None or in_caps:
            return []
        next_cap, next_low, prev_cap, prev_low = self.neighbour_case
        out = []
        if ti + 1 < len(toks) and toks[ti + 1].kind == "word" and toks[ti + 1].start > toks[ti].end:
            w = toks[ti + 1].text
            if w[0].isupper() or w.islower():
                out.append(next_cap if w[0].isupper() else next_low)
        if ti >= 2 and toks[ti - 1].kind == "word" and toks[ti - 2].text not in SENTENCE_PUNCT \
                and toks[ti - 1].end < toks[ti].start:
            w = toks[ti - 1].text
            if w[0].isupper() or w.islower():
                out.append(prev_cap if w[0].isupper() else prev_low)
        return out

    def _window_score(self, first: np.ndarray, second: np.ndarray, third: np.ndarray) -> np.ndarray:
        """What the trigram window `first second third` adds to a reading: the language
        model's log P(third | first second), plus WORD_PAIR_BONUS where `second third`
        is a word pair."""
        lp = self.lm.log_prob(first, second, third)
        if self.WORD_PAIR_BONUS:
            lp = lp + self.WORD_PAIR_BONUS * self.lm.is_word_pair(second, third)
        return lp

    def _decode(self, cands: list[list[int]], ems: list[list[float]]) -> list[int]:
        """Viterbi over candidate ids (position -1, -2 are BOS); returns chosen index per position."""
        n = len(cands)
        sizes = np.array([len(c) for c in cands], np.int64)
        flat_ids = np.array([self.lm.bos] + [x for c in cands for x in c], np.int64)
        offsets = np.zeros(n, np.int64)
        offsets[1:] = np.cumsum(sizes)[:-1]
        offsets += 1
        # the two previous positions (BOS for i < 2: index 0 of flat_ids, size 1)
        sizes1 = np.concatenate([[1], sizes[:-1]])
        sizes2 = np.concatenate([[1, 1], sizes[:-2]])[:n]
        offsets1 = np.concatenate([[0], offsets[:-1]])
        offsets2 = np.concatenate([[0, 0], offsets[:-2]])[:n]
        triples = sizes2 * sizes1 * sizes      # candidate trigrams ending at each position
        start = np.zeros(n, np.int64)
        start[1:] = np.cumsum(triples)[:-1]
        pos = np.repeat(np.arange(n), triples)
        r = np.arange(int(triples.sum())) - start[pos]
        width = sizes[pos]
        j0 = r % width
        q = r // width
        width1 = sizes1[pos]
        j1 = q % width1
        j2 = q // width1
        lp = self._window_score(flat_ids[offsets2[pos] + j2], flat_ids[offsets1[pos] + j1],
                                flat_ids[offsets[pos] + j0])
        shapes = list(zip(sizes2.tolist(), sizes1.tolist(), sizes.tolist(), strict=False))
        delta = np.zeros((1, 1), np.float64)
        back = []
        at = 0
        for i in range(n):
            n2, n1, n0 = shapes[i]
            t = lp[at:at + n2 * n1 * n0].reshape(n2, n1, n0)
            at += n2 * n1 * n0
            tot = delta[:, :, None] + t
            if n2 == 1:
                bp = None
                delta = tot[0]
            else:
                bp = tot.argmax(axis=0)
                delta = tot.max(axis=0)
            em = ems[i]
            if n0 > 1 or em[0] != 0.0:
                delta = delta + np.asarray(em)[None, :]
            back.append(bp)
        # backtrack
        last_but_one, last = np.unravel_index(int(np.argmax(delta)), delta.shape)
        out = [0] * n
        out[n - 1] = int(last)
        if n >= 2:
            out[n - 2] = int(last_but_one)
        for i in range(n - 1, 1, -1):
            bp = back[i]
            prev = 0 if bp is None else int(bp[out[i - 1], out[i]])
            out[i - 2] = prev
        return out

    # ------------------------------------------------------------------ restoration
    # the token and casing rules (`tokens.py`), kept reachable on the restorer
    _apply_case = staticmethod(apply_case)
    _caps_run = staticmethod(caps_run)
    _caps_line = staticmethod(caps_line)
    _lone = staticmethod(lone)
    _protected = staticmethod(protected)

    def _unit_of_other(self, t: str) -> int:
        return self.lm.index.get(t, self.lm.punct) if t in PUNCT_KEEP else self.lm.punct

    def restore_lines(self, lines: list[str], ocr: bool) -> list[str]:
        """Decode consecutive lines as one sequence; returns the restored lines."""
        return self._render(self._decode_block(lines, ocr))

    def _decode_block(self, lines: list[str], ocr: bool) -> _Decoded:
        """Candidates and the Viterbi choice for consecutive lines decoded as one sequence."""
        toks = [self.tokenize(ln) for ln in lines]
        cands: list[list[int]] = []
        ems: list[list[float]] = []
        where: list[tuple[int, int] | None] = []   # (line, token) a position restores, if any

        def add(ids: list[int], scores: list[float], at: tuple[int, int] | None = None) -> None:
            cands.append(ids)
            ems.append(scores)
            where.append(at)

        last = ""
        for li, tl in enumerate(toks):
            if not tl:
                continue
            if cands and not continues(last, lines[li]):
                for u in (self.lm.eos, self.lm.bos, self.lm.bos):
                    add([u], [0.0])
            last = lines[li]
            prev = "."
            line_in_caps = self._caps_line(tl)
            for ti, t in enumerate(tl):
                prev_tok, prev = prev, t.text
                if ocr and t.text in self.OCR_LONE and self._lone(tl, ti):
                    # a lone '6', '@' or '&' between words is often 'ở' read by an English model
                    keep = self.lm.num if t.kind == "num" else self._unit_of_other(t.text)
                    alt = [(c, lp + self.LOG_EXPAND) for c, lp in self._expand(t.text) if is_vn_shape(self.vocab[c])]
                    if alt:
                        ids = [keep] + [c for c, _ in alt]
                        sc = [self.LOG_KEEP_LONE] + [lp for _, lp in alt]
                        add(ids, sc, (li, ti))
                        continue
                if t.kind == "num":
                    add([self.lm.num], [0.0])
                elif t.kind == "other":
                    add([self._unit_of_other(t.text)], [0.0])
                elif not ocr and not t.text.isalpha() and any(ch.isdigit() for ch in t.text):
                    # letters and digits in one word (`m2`, `4G`, `H5N1`): in stripped text no OCR
                    # junk but a unit or a name, kept as written; its context is what the
                    # trainer counted there (`m <num>`), not one unknown unit
                    for piece in LM_TOKEN.findall(t.text):
                        add([self.lm.unit_id(piece)], [0.0])
                else:
                    if self._protected(tl, ti):
                        u = self.lm.index.get(syl_key(t.text.lower()), self.lm.unk)
                        add([u], [0.0])
                        continue
                    glued = ti >= 2 and tl[ti - 2].kind == "num" and tl[ti - 1].text in ("/", "-") \
                        and tl[ti - 2].end == tl[ti - 1].start and tl[ti - 1].end == t.start
                    ids, sc = self.candidates(t.text, ocr, glued)
                    if not ids:
                        add([self.lm.unk], [0.0])
                        continue
                    if len(ids) == 1:
                        # one reading: what the priors below add to it decides nothing
                        add(ids, sc, (li, ti))
                        continue
                    tables = self._neighbour_case(tl, ti, line_in_caps)
                    if len(tables) == 2:
                        t1, t2 = tables
                        sc = [a + t1[c] + t2[c] for a, c in zip(sc, ids, strict=False)]
                    elif tables:
                        t1 = tables[0]
                        sc = [a + t1[c] for a, c in zip(sc, ids, strict=False)]
                    if prev_tok not in SENTENCE_PUNCT and t.text[:1].isalpha():
                        w = t.text
                        if w[0].isupper() and (len(w) == 1 or w[1:].islower()):
                            cap, wgt = self.cap_logprob, self.CAP_WEIGHT
                            sc = [a + wgt * cap[c] for a, c in zip(sc, ids, strict=False)]
                        elif w.islower() and self.LOW_WEIGHT:
                            low, wgt = self.lower_logprob, self.LOW_WEIGHT
                            sc = [a + wgt * low[c] for a, c in zip(sc, ids, strict=False)]
                    add(ids, sc, (li, ti))
        if not cands:
            return _Decoded(lines, toks, [], [], [], [])
        add([self.lm.eos], [0.0])
        cands, ems = self._prune(cands, ems, self.BEAM)
        return _Decoded(lines, toks, cands, ems, where, self._decode(cands, ems))

    def _render(self, d: _Decoded) -> list[str]:
        """The lines with each decoded position's choice written in the source's casing."""
        lines, toks, cands, where, best = d.lines, d.toks, d.cands, d.where, d.best
        if not cands:
            return list(lines)
        repl: dict[tuple[int, int], str] = {}
        line_caps: dict[int, bool] = {}     # computed for the lines that need it
        for k, at in enumerate(where):
            if at is None:
                continue
            line_no, tok_no = at
            cid = cands[k][best[k]]
            src = toks[line_no][tok_no].text
            syl = self.vocab[cid]
            if syl in SPECIALS:
                continue
            if src.islower():
                new = syl      # what `_apply_case` gives a lower-case source, whatever the line
            else:
                caps = line_caps.get(line_no)
                if caps is None:
                    caps = line_caps[line_no] = self._caps_line(toks[line_no])
                new = self._apply_case(src, syl, caps or self._caps_run(toks[line_no], tok_no))
            if new != src and syl_key(src.lower()) != syl:
                repl[at] = new
        out = []
        for li, ln in enumerate(lines):
            pieces, pos = [], 0
            changed = False
            for ti, t in enumerate(toks[li]):
                r = repl.get((li, ti))
                if r is not None:
                    pieces.append(ln[pos:t.start])
                    pieces.append(r)
                    pos = t.end
                    changed = True
            if not changed:
                out.append(ln)
                continue
            pieces.append(ln[pos:])
            out.append(WORDS.sub(lambda m: syl_key(m.group(0)), nfc("".join(pieces))))
        return out

    def _apply_document_prior(self, blocks: list[_Decoded]) -> None:
        """Decide again, in place, the positions that go against the document's
        own choices (see DOC_WEIGHT)."""
        chosen: Counter[int] = Counter()
        for d in blocks:
            for k, at in enumerate(d.where):
                if at is not None and len(d.cands[k]) > 1:
                    chosen[d.cands[k][d.best[k]]] += 1
        by_fold: defaultdict[str, Counter[int]] = defaultdict(Counter)
        for u, n in chosen.items():
            by_fold[fold_key(self.vocab[u])][u] = n
        lm = self.lm
        # every position to decide again, all at once: its candidates (flat), with
        # the first pass's two neighbours on each side and the prior
        owners: list[tuple[_Decoded, int, int]] = []     # block, position, number of candidates
        ids: list[int] = []
        context: list[list[int]] = []
        scores: list[float] = []
        for d in blocks:
            seq = [lm.bos, lm.bos] + [c[b] for c, b in zip(d.cands, d.best, strict=True)] + [lm.eos, lm.eos]
            for k, at in enumerate(d.where):
                if at is None or len(d.cands[k]) < 2:
                    continue
                mine = d.cands[k][d.best[k]]
                folded = fold_key(self.vocab[mine])
                seen = by_fold[folded]
                top, n = seen.most_common(1)[0]
                if top == mine or n < self.DOC_MIN_EVIDENCE or n <= seen[mine]:
                    continue
                total = sum(seen.values()) + self.DOC_SMOOTHING * max(1, len(self.cands.get(folded, ())))
                owners.append((d, k, len(d.cands[k])))
                for u, em in zip(d.cands[k], d.ems[k], strict=True):
                    ids.append(u)
                    context.append([seq[k], seq[k + 1], seq[k + 3], seq[k + 4]])
                    scores.append(em + self.DOC_WEIGHT * math.log((seen[u] + self.DOC_SMOOTHING) / total))
        if not owners:
            return
        unit = np.array(ids, np.int64)
        prev2, prev1, next1, next2 = np.array(context, np.int64).T
        total_score = (np.array(scores) + self._window_score(prev2, prev1, unit)
                       + self._window_score(prev1, unit, next1) + self._window_score(unit, next1, next2))
        offset = 0
        for d, k, n in owners:
            d.best[k] = int(np.argmax(total_score[offset:offset + n]))
            offset += n

    def _is_ocr(self, text_lines: list[str]) -> bool:
        """OCR mode when the damaged lines carry marks or junk; pure stripped text otherwise."""
        marked = total = 0
        for ln in text_lines:
            for m in RT_TOKEN.finditer(nfc(ln)):
                w = m.group("word")
                if not w:
                    continue
                total += 1
                if not w.isalpha() or has_marks(w):
                    marked += 1
        return total > 0 and marked / total > 0.03

    def restore(self, text: str, province: str | None = None) -> str:
        """Restore the lines that need it; every other line comes back byte-identical.

        Line breaks, spacing, numbers, dates, codes (``25/KH-UBND``), abbreviations
        and labels are kept; capitalisation follows the input.  Restored lines are
        NFC with the project's old-style tone placement (``hòa``, ``thủy``).
        Place names after ``xã``/``tỉnh``... take the official spelling
        (`plandiff.ingest.gazetteer`); `province` (default: the one the text
        names) settles names several provinces share.
        """
        lines = text.split("\n")
        scores = [self._line_score(ln) for ln in lines]      # each line judged once
        damaged = self._damaged(scores)
        flags = [self._line_flag(ln, sc, damaged) for ln, sc in zip(lines, scores, strict=True)]
        if not any(flags):
            return text
        ocr = self._is_ocr([ln for ln, f in zip(lines, flags, strict=False) if f])
        log.debug("restoring %d of %d lines (%s)", sum(flags), len(lines),
                  "English-OCR repair" if ocr else "marks stripped")
        from plandiff.ingest.gazetteer import province_of, restore_place_names
        from plandiff.ingest.legal_codes import restore_codes

        province = province or province_of(text)
        out = list(lines)
        spans: list[tuple[int, int]] = []
        i = 0
        while i < len(lines):
            if not flags[i]:
                i += 1
                continue
            j = i + 1
            while j < len(lines) and (flags[j] or not lines[j].strip()):
                j += 1
            while j > i + 1 and not lines[j - 1].strip():
                j -= 1
            spans.append((i, j))
            i = j
        blocks = [[nfc(ln) for ln in lines[i:j]] for i, j in spans]
        decoded = [self._decode_block(block, ocr) for block in blocks]
        if not ocr:   # in OCR text a position's candidates differ in letters, not only in marks
            self._apply_document_prior(decoded)
        for (i, j), block, d in zip(spans, blocks, decoded, strict=True):
            res = self._render(d)
            for k, (orig, b, new) in enumerate(zip(lines[i:j], block, res, strict=False)):
                # the LM cannot know official place names; the list of units does
                new = restore_place_names(new, province) if flags[i + k] else new
                # nor codes (`61/2018/ND-CP` -> `NĐ-CP`): their structure and a list of abbreviations can
                new = restore_codes(new, b, ocr=ocr) if flags[i + k] else new
                new = self._ward_level(new, b) if flags[i + k] else new
                out[i + k] = orig if new == b else new
        return "\n".join(letter_labels(out, flags))


    def _ward_level(self, line: str, source: str) -> str:
        """`phuong` restored as `phương` where it is the level word `phường` (ward).

        The statutes and news the model learnt from predate July 2025, when wards became
        half of all commune-level units; they write `địa phương`, `phương án`,
        `phương tiện` far more often than `UBND phường`, `cấp phường`, `xã, phường`.
        A `phương` that forms no word of the word list with its neighbour (`địa phương`,
        `phương án` do: Viet74K's word pairs) is the ward in an administrative plan. A
        capitalised `Phương` after another capitalised word is a person's name
        (`Nguyễn Thị Phương`); in capitals the word is taken only after `UBND` or
        `NHÂN DÂN` (`ỦY BAN NHÂN DÂN PHƯỜNG …`)."""
        words, written = line.split(" "), source.split(" ")
        if len(words) != len(written) or not len(self.lm.word_pairs):
            return line
        bare = [_WORD_CORE.sub("", w) for w in words]
        for k, word in enumerate(bare):
            if word.lower() != "phương" or has_marks(written[k]):
                continue
            before = bare[k - 1] if k else ""
            after = bare[k + 1] if k + 1 < len(bare) else ""
            if word.isupper():
                if fold_key(before) not in ("ubnd", "dan"):
                    continue
            elif word[0].isupper() and before[:1].isupper() and not before.isupper():
                continue   # a name: `Nguyễn Thị Phương`
            if self._pairs(before, word) or self._pairs(word, after):
                continue
            ward = "PHƯỜNG" if word.isupper() else "Phường" if word[0].isupper() else "phường"
            words[k] = words[k].replace(word, ward, 1)
        return " ".join(words)

    def _pairs(self, first: str, second: str) -> bool:
        if not first or not second:
            return False
        a, b = self.lm.unit_id(first), self.lm.unit_id(second)
        return bool(self.lm.is_word_pair(np.array([a]), np.array([b]))[0])


# Punctuation around a word (`phương,`, `(phương`), taken off before it is judged.
_WORD_CORE = re.compile(r"^[^\w]+|[^\w]+$")


@dataclass
class _Decoded:
    """One block of lines as decoded: tokens, candidates and emission scores per
    position, the (line, token) each position restores (None for context), and
    the chosen candidate index per position."""

    lines: list[str]
    toks: list
    cands: list[list[int]]
    ems: list[list[float]]
    where: list[tuple[int, int] | None]
    best: list[int]
