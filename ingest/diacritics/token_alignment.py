"""Pairing the tokens of an OCR line with those of its true text (training
only: the OCR channel is learnt from the pairs)."""
from __future__ import annotations

from .units import fold_key

__all__ = ["align_tokens"]


def _lev(a: str, b: str) -> int:
    from rapidfuzz.distance import Levenshtein

    return Levenshtein.distance(a, b)


def align_tokens(obs: list[str], true: list[str]) -> list[tuple[str, str]]:
    """Monotone alignment of observed and true tokens on folded similarity:
    the (observed, true) pairs matched with a cost of at most 0.75."""
    n, m = len(obs), len(true)
    fo = [fold_key(x) for x in obs]
    ft = [fold_key(x) for x in true]
    inf = 1e9
    cost = [[inf] * (m + 1) for _ in range(n + 1)]
    # back-pointer of each cell: (previous i, previous j, whether the step is a match)
    back: list[list[tuple[int, int, bool] | None]] = [[None] * (m + 1) for _ in range(n + 1)]
    cost[0][0] = 0.0
    for i in range(n + 1):
        for j in range(m + 1):
            d = cost[i][j]
            if d >= inf:
                continue
            if i < n and d + 1 < cost[i + 1][j]:
                cost[i + 1][j], back[i + 1][j] = d + 1, (i, j, False)
            if j < m and d + 1 < cost[i][j + 1]:
                cost[i][j + 1], back[i][j + 1] = d + 1, (i, j, False)
            if i < n and j < m:
                c = _lev(fo[i], ft[j]) / max(len(fo[i]), len(ft[j]))
                c = c * 1.5
                if d + c < cost[i + 1][j + 1]:
                    cost[i + 1][j + 1], back[i + 1][j + 1] = d + c, (i, j, c <= 0.75)
    out = []
    i, j = n, m
    while (i, j) != (0, 0):
        step = back[i][j]
        assert step is not None  # every cell on the path back to (0, 0) was reached
        pi, pj, ok = step
        if ok and pi == i - 1 and pj == j - 1:
            out.append((obs[pi], true[pj]))
        i, j = pi, pj
    out.reverse()
    return out
