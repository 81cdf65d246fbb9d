#!/usr/bin/env python3
"""Calibration of `alignments.confidence`: fit, check and report it on the hand-built golds.

    .venv/bin/python benchmarks/calibrate.py [--gold tests/gold/align] [--no-meaning]

Every gold pair (tests/gold/align/*.json) is read and aligned as in benchmarks/align.py, twice: on
wording alone (the default run) and with the e5 embedder (`--meaning`; skipped with a note when the
model cannot load, or with --no-meaning).  Every row gets a label: right when the gold agrees (a pair
the gold makes, with the same status; a dropped reference item or an added plan item the gold leaves
unpaired).  Rows whose item the gold does not list are left out.

align/confidence.py has four logistic models, by kind of row (pairs; dropped and added rows) and by
whether the plan's embedding cosines were consulted.  Each is fitted here (Newton's method, a ridge on
the weights) on the golds not marked held_out, the wording models on the wording run's rows, the
meaning models on the rows of the meaning run that have cosines.  The script prints:

1. the fitted weights, and whether the ones shipped in align/confidence.py are the same fit (exit
   status 1 when they differ: paste the printed ones);
2. leave-one-gold-out calibration: each training gold's rows rated by models fitted on the others,
   pooled; per confidence band, the rows, their mean confidence and the share that is right;
3. needs_review: what confidence < REVIEW_BELOW flags and catches, in sample and leave-one-out, and the
   largest threshold that flags at most 30 % of the training rows (what REVIEW_BELOW should be);
4. the held-out golds, rated by the shipped models, reported untouched.
"""
from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from align_scoring import ROOT, Node, map_gold
from plandiff.align import AlignConfig, Status, align, pair_scores
from plandiff.align import confidence as shipped
from plandiff.ingest import IngestConfig, ingest
from plandiff.parse import parse

L2 = 0.3             # ridge on the weights (not the intercept): a few hundred rows, a few features
BANDS = (0.0, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0001)
MAX_FLAGGED = 0.30   # needs_review may flag at most this share of the rows (issue 15)
TOLERANCE = 0.01     # shipped weights this close to a fresh fit count as the same fit
MODELS = ("pair", "unmatched", "pair_meaning", "unmatched_meaning")
FEATURE_NAMES = {"pair": "score, margin, office renamed", "pair_meaning": "score, margin, office renamed, cosine",
                 "unmatched": "best, free", "unmatched_meaning": "best, free, best cosine, free cosine"}

Row = tuple[str, tuple[float, ...], bool]   # (model, features, right)


def labelled_rows(gold: dict, embedder) -> list[Row]:
    """(model, features, right) for every row plandiff makes on the gold's pair."""
    ref = parse(ingest(ROOT / gold["reference"], IngestConfig()))
    plan = parse(ingest(ROOT / gold["plan"], IngestConfig()))
    ref_key = {v: k for k, v in map_gold(gold["reference_items"], [Node.of_item(i) for i in ref.items]).items() if v}
    plan_key = {v: k for k, v in map_gold(gold["plan_items"], [Node.of_item(i) for i in plan.items]).items() if v}
    pairs = {(p["reference"], p["plan"]): p["status"] for p in gold["pairs"]}
    dropped, added = set(gold["dropped"]), set(gold["added"])
    config = AlignConfig()
    rows = align(plan, ref, config, embedder=embedder)
    out: list[Row] = []
    for a, (model, x) in zip(rows, shipped.features(rows, pair_scores(ref, plan, config, embedder)), strict=True):
        r = ref_key.get(a.reference_item_id or "")
        p = plan_key.get(a.item_id or "")
        if a.status in (Status.CARRIED, Status.MODIFIED):
            if r is not None and p is not None:
                out.append((model, x, pairs.get((r, p)) == a.status.value))
        elif a.status is Status.DROPPED:
            if r is not None:
                out.append((model, x, r in dropped))
        elif p is not None:
            out.append((model, x, p in added))
    return out


def fit(rows: Sequence[Row], model: str) -> np.ndarray | None:
    """Logistic regression by Newton's method, ridge on the weights; None without rows of both kinds."""
    x = np.array([f for m, f, _ in rows if m == model], dtype=float)
    y = np.array([ok for m, _, ok in rows if m == model], dtype=float)
    if len(y) == 0 or y.min() == y.max():
        return None
    design = np.hstack([np.ones((len(x), 1)), x])
    w = np.zeros(design.shape[1])
    ridge = np.diag([0.0] + [L2] * x.shape[1])
    for _ in range(100):
        p = 1.0 / (1.0 + np.exp(-design @ w))
        gradient = design.T @ (p - y) + ridge @ w
        hessian = (design * (p * (1 - p))[:, None]).T @ design + ridge
        step = np.linalg.solve(hessian, gradient)
        w -= step
        if np.abs(step).max() < 1e-10:
            break
    return w


def fit_all(rows: Sequence[Row]) -> dict[str, Sequence[float]]:
    """Every model; one without rows of its own falls back to the wording model of its kind
    (its cosine weights 0), as a plan without cosines is rated."""
    fitted = {m: fit(rows, m) for m in MODELS}
    out: dict[str, Sequence[float]] = {}
    for m in MODELS:
        w = fitted[m]
        if w is None:
            base = fitted[m.removesuffix("_meaning")]
            base = base if base is not None else np.zeros(len(shipped.WEIGHTS[m.removesuffix("_meaning")]))
            w = np.concatenate([base, np.zeros(len(shipped.WEIGHTS[m]) - len(base))])
        out[m] = tuple(float(v) for v in w)
    return out


def rated(weights: dict[str, Sequence[float]], rows: Sequence[Row]) -> list[tuple[float, bool]]:
    return [(shipped.probability(weights[m], x), ok) for m, x, ok in rows]


def print_bands(title: str, scored: list[tuple[float, bool]]) -> None:
    print(f"   {title}: confidence band -> rows, mean confidence, share right")
    for lo, hi in zip(BANDS, BANDS[1:], strict=False):
        band = [(c, ok) for c, ok in scored if lo <= c < hi]
        if band:
            print(f"     {lo:.1f}-{min(hi, 1.0):.1f}: {len(band):4d} rows, {np.mean([c for c, _ in band]):.2f}, "
                  f"{np.mean([ok for _, ok in band]):.3f} right")


def auc(scored: list[tuple[float, bool]]) -> float:
    """Chance that a right row is rated above a wrong one (ties half)."""
    right = np.array([c for c, ok in scored if ok])
    wrong = np.array([c for c, ok in scored if not ok])
    if not len(right) or not len(wrong):
        return float("nan")
    return float((right[:, None] > wrong[None, :]).mean() + 0.5 * (right[:, None] == wrong[None, :]).mean())


def print_review(title: str, scored: list[tuple[float, bool]], below: float) -> None:
    wrong = [c for c, ok in scored if not ok]
    flagged = sum(c < below for c, _ in scored)
    caught = sum(c < below for c in wrong)
    print(f"   {title}: needs_review (< {below:.2f}) flags {flagged}/{len(scored)} rows "
          f"({flagged / max(len(scored), 1):.0%}) and catches {caught}/{len(wrong)} wrong verdicts "
          f"({caught / max(len(wrong), 1):.0%}); AUC right over wrong {auc(scored):.3f}")


def largest_threshold(scored: list[tuple[float, bool]], share: float = MAX_FLAGGED) -> float:
    """The largest threshold that flags at most `share` of the rows."""
    ordered = sorted(c for c, _ in scored)
    return ordered[int(share * len(ordered))] if ordered else 0.0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--gold", default=str(ROOT / "tests" / "gold" / "align"))
    ap.add_argument("--no-meaning", action="store_true", help="the wording run only")
    args = ap.parse_args(argv)
    golds = {p.stem: json.loads(p.read_text(encoding="utf-8")) for p in sorted(Path(args.gold).glob("*.json"))}
    embedder = None
    if not args.no_meaning:
        from plandiff.align.embedding import CachedEmbedder, load_embedder

        model = load_embedder()
        embedder = CachedEmbedder(model) if model is not None else None
        if embedder is None:
            print("note: the sentence-embedding model could not be loaded: the wording run only")
    runs = {"wording": {n: labelled_rows(g, None) for n, g in golds.items()}}
    if embedder is not None:
        runs["meaning"] = {n: labelled_rows(g, embedder) for n, g in golds.items()}
    train = [n for n in golds if not golds[n].get("held_out")]
    held_out = [n for n in golds if golds[n].get("held_out")]
    print(__doc__.split("\n\n")[0])
    print(f"fitted on {', '.join(train)}; held out: {', '.join(held_out) or 'none'}")
    for run, rows in runs.items():
        for name in golds:
            wrong = sum(not ok for _, _, ok in rows[name])
            print(f"   {run:8s} {name}: {len(rows[name])} rows, {wrong} wrong")

    def training(names: Sequence[str]) -> list[Row]:
        # Wording models learn from the wording run, meaning models from the meaning run's cosine rows.
        out = [r for n in names for r in runs["wording"][n]]
        if "meaning" in runs:
            out += [r for n in names for r in runs["meaning"][n] if r[0].endswith("_meaning")]
        return out

    weights = fit_all(training(train))
    print("\n== 1. weights fitted on every training gold (intercept first)")
    same = True
    # Without the meaning run the meaning models are not fitted here: nothing to check them by.
    checked = MODELS if "meaning" in runs else ("pair", "unmatched")
    for m in MODELS:
        print(f"   {m.upper()}_WEIGHTS = ({', '.join(f'{w:.2f}' for w in weights[m])})    # {FEATURE_NAMES[m]}")
        if m in checked:
            same &= np.allclose(np.round(weights[m], 2), shipped.WEIGHTS[m], atol=TOLERANCE)
    print(f"   shipped weights in align/confidence.py: {'the same fit' if same else 'DIFFER: paste the ones above'}")

    print("\n== 2. leave-one-gold-out calibration (each gold rated by models fitted on the others)")
    loo: dict[str, list[tuple[float, bool]]] = {}
    for run in runs:
        loo[run] = []
        for name in train:
            loo[run] += rated(fit_all(training([n for n in train if n != name])), runs[run][name])
        print_bands(f"{run} run, pooled", loo[run])

    print("\n== 3. needs_review")
    for run in runs:
        in_sample = [x for n in train for x in rated(shipped.WEIGHTS, runs[run][n])]
        print_review(f"{run} run, in sample, shipped", in_sample, shipped.REVIEW_BELOW)
        print_review(f"{run} run, leave-one-out", loo[run], shipped.REVIEW_BELOW)
        print(f"   {run} run: the largest threshold flagging at most {MAX_FLAGGED:.0%} of the training rows "
              f"(shipped models, in sample): {largest_threshold(in_sample):.3f}")

    if held_out:
        print("\n== 4. held-out golds, shipped models, untouched")
        for run in runs:
            scored = [x for n in held_out for x in rated(shipped.WEIGHTS, runs[run][n])]
            print_bands(f"{run} run, {', '.join(held_out)}", scored)
            print_review(f"{run} run, {', '.join(held_out)}", scored, shipped.REVIEW_BELOW)
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
