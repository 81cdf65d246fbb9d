"""Token classes shared by the trainer and the restorer (no heavy imports)."""
from __future__ import annotations

import re
from functools import lru_cache

from plandiff.ingest.linebreaks import continues, logical_lines  # noqa: F401  (re-exported)
from plandiff.ingest.syllables import has_marks, is_vn_shape  # noqa: F401  (re-exported)
from plandiff.ingest.textnorm import fold, normalize_tone

BOS, EOS, UNK, NUM, PUNCT = "<s>", "</s>", "<unk>", "<num>", "<p>"
SPECIALS = (BOS, EOS, UNK, NUM, PUNCT)
# Punctuation that keeps its own LM token; anything else becomes <p>.
PUNCT_KEEP = set(",.;:()-/\"“”'")

# LM tokenisation of clean text: words (letters only), numbers, single punctuation.
LM_TOKEN = re.compile(r"[^\W\d_]+|\d+(?:[.,/]\d+)*|[^\w\s]")



def lm_unit(tok: str) -> str:
    """Map one LM_TOKEN match (already lower-cased) to its LM unit."""
    c = tok[0]
    if c.isdigit():
        return NUM
    if c.isalpha():
        return syl_key(tok)
    return tok if tok in PUNCT_KEEP else PUNCT


@lru_cache(maxsize=200_000)
def syl_key(word: str) -> str:
    """Canonical form of a (lower-case) syllable: NFC, old-style tone placement."""
    return normalize_tone(word)


@lru_cache(maxsize=200_000)
def fold_key(word: str) -> str:
    return fold(word)


def _lev(a: str, b: str) -> int:
    from rapidfuzz.distance import Levenshtein

    return Levenshtein.distance(a, b)


def align_tokens(obs: list[str], true: list[str]) -> list[tuple[str, str]]:
    """Monotone alignment of observed and true tokens on folded similarity."""
    n, m = len(obs), len(true)
    fo = [fold_key(x) for x in obs]
    ft = [fold_key(x) for x in true]
    INF = 1e9
    D = [[INF] * (m + 1) for _ in range(n + 1)]
    P = [[None] * (m + 1) for _ in range(n + 1)]
    D[0][0] = 0.0
    for i in range(n + 1):
        for j in range(m + 1):
            d = D[i][j]
            if d >= INF:
                continue
            if i < n and d + 1 < D[i + 1][j]:
                D[i + 1][j], P[i + 1][j] = d + 1, (i, j, False)
            if j < m and d + 1 < D[i][j + 1]:
                D[i][j + 1], P[i][j + 1] = d + 1, (i, j, False)
            if i < n and j < m:
                c = _lev(fo[i], ft[j]) / max(len(fo[i]), len(ft[j]))
                c = c * 1.5
                if d + c < D[i + 1][j + 1]:
                    D[i + 1][j + 1], P[i + 1][j + 1] = d + c, (i, j, c <= 0.75)
    out = []
    i, j = n, m
    while (i, j) != (0, 0):
        pi, pj, ok = P[i][j]
        if ok and pi == i - 1 and pj == j - 1:
            out.append((obs[pi], true[pj]))
        i, j = pi, pj
    out.reverse()
    return out
