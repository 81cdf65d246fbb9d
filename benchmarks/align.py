#!/usr/bin/env python3
"""Alignment benchmark: plandiff against hand-built gold, two peers, synthetic sets, speed.

    .venv/bin/python benchmarks/align.py [--synth DIR] [--gold tests/gold/align]

--synth defaults to bench/synth in the shared folder beside the checkout (../shared, or $PLANDIFF_SHARED;
see benchmarks/shared_paths.py); without it the synthetic sets are skipped, with a note.

1. Real pairs (tests/gold/align/*.json): ingest + parse both files with the library (diacritic
   restoration on when available), run plandiff.align.align(plan, reference, embedder=e5) (meaning where
   wording leaves pairs open; `wording` = the same without the embedder), map plandiff's items to the
   gold items by text and score.
2. Peers on the same parsed items: a linear redline (difflib over item sequences) and a greedy
   best-match (rapidfuzz.fuzz.ratio >= 60).
3. Synthetic sets: the bench's score.py (beside the synth folder) runs the plandiff CLI on each set; the
   peers are scored by the same scorer on plandiff's own documents/items tables with their alignments swapped in.
4. Speed: align() on 1,000 synthetic 100-item plans against a 100-item reference; infer_reference()
   over the same 1,000 plans.

Metrics (the same definitions as score.py):
  dropped   P/R/F1 over reference items (gold: no pair; predicted: the item's plandiff item has no
            carried/modified row)
  added     P/R/F1 over plan items (same, plan side)
  pairing   P/R/F1 over (reference item, plan item) pairs
  modified  P/R/F1 over the changed attribute fields (lead, partners, timeline, frequency) of gold pairs;
            a gold pair that is not predicted counts its fields as misses
  carried / modified-status
            P/R/F1 over pairs with that status (the pair and its status must both be right)
  macro_f1  = mean of the dropped, added, pairing and modified(fields) F1 (score.py's alignment_f1)
A gold item that cannot be found among plandiff's items counts against recall, never as a hit.
Precision/recall with an empty denominator are 1 when the other side is empty too, else 0 (as score.py).
"""
from __future__ import annotations

import argparse
import dataclasses
import json
import multiprocessing as mp
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from itertools import pairwise
from pathlib import Path

import numpy as np
from align_scoring import (  # noqa: E402
    ROOT,
    Node,
    fmt,
    map_gold,
    peer_embeddings,
    peer_greedy,
    peer_redline,
    prf,
    print_table,
    score_pair,
    sval,
)
from plandiff.ingest import IngestConfig, ingest
from plandiff.parse import parse
from shared_paths import ENV as SHARED_ENV
from shared_paths import require, shared

# ----------------------------------------------------------------------------- 1+2: real pairs

def _embedder():
    """The e5 model behind a cache that lasts the benchmark run (None, with a note, without it)."""
    from plandiff.align.embedding import CachedEmbedder, load_embedder

    model = load_embedder()
    if model is None:
        print("note: the sentence-embedding model could not be loaded; the 'embeddings' peer is skipped "
              "and plandiff aligns on wording alone")
        return None
    print(f"sentence-embedding model {model.name} loaded in {getattr(model, 'load_seconds', 0.0):.2f}s")
    return CachedEmbedder(model)


EMBEDDER = None   # set in main()


def load(path: Path, notes: list[str]):
    try:
        doc = ingest(path, IngestConfig())
        return parse(doc), bool(getattr(doc, "diacritics_restored", False))
    except Exception as exc:  # restoration unavailable (e.g. no model): fall back, say so
        notes.append(f"{path.name}: ingest with diacritic restoration failed ({type(exc).__name__}: {exc}); "
                     "fell back to IngestConfig(restore_diacritics=False)")
        doc = ingest(path, IngestConfig(restore_diacritics=False))
        return parse(doc), False


def plandiff_rows(plan, reference, config=None, meaning=True) -> list[tuple]:
    from plandiff.align import AlignConfig, align
    rows = []
    for a in align(plan, reference, config or AlignConfig(), embedder=EMBEDDER if meaning else None):
        rows.append((a.reference_item_id, a.item_id, sval(a.status), list(a.changes)))
    return rows


def alignable_nodes(doc) -> list[Node]:
    try:   # the same items plandiff aligns, when its alignable() is importable
        from plandiff.align import alignable
        return [Node.of_item(it) for it in alignable(doc)]
    except Exception:
        return [n for n in (Node.of_item(it) for it in doc.items) if n.alignable()]


# gold name -> (confidence, needs_review, right) for every row plandiff makes whose items the gold lists
CALIBRATION: dict[str, list[tuple[float, bool, bool]]] = {}
CONFIDENCE_BANDS = (0.0, 0.5, 0.6, 0.7, 0.8, 0.9, 1.01)
MAX_FLAGGED = 0.30     # issue 15: needs_review flags at most this share of the verdicts ...
MIN_CAUGHT = 0.90      # ... and catches at least this share of the wrong ones


def rated_rows(gold: dict, ref_map: dict, plan_map: dict, plan, reference) -> list[tuple[float, bool, bool]]:
    """(confidence, needs_review, right) for each row plandiff makes: right when the gold has the
    same pair with the same status, or leaves the dropped / added item unpaired."""
    from plandiff.align import align
    pairs = {(x["reference"], x["plan"]): x["status"] for x in gold["pairs"]}
    dropped, added = set(gold["dropped"]), set(gold["added"])
    gold_ref = {tid: k for k, tid in ref_map.items() if tid}
    gold_plan = {tid: k for k, tid in plan_map.items() if tid}
    out = []
    for a in align(plan, reference, embedder=EMBEDDER):
        r, p = gold_ref.get(a.reference_item_id or ""), gold_plan.get(a.item_id or "")
        if a.reference_item_id and a.item_id:
            if r is None or p is None:
                continue
            right = pairs.get((r, p)) == sval(a.status)
        elif a.item_id is None:
            if r is None:
                continue
            right = r in dropped
        else:
            if p is None:
                continue
            right = p in added
        out.append((a.confidence, a.needs_review, right))
    return out


def print_calibration() -> None:
    """Is `confidence` honest?  Per band, the share of rows the gold confirms; and what
    `needs_review` flags and catches, per gold and pooled."""
    if not CALIBRATION:
        return
    real = [x for name, rows in CALIBRATION.items() if "held out" not in name for x in rows]
    held = [x for name, rows in CALIBRATION.items() if "held out" in name for x in rows]
    print("\n== calibration: plandiff's confidence on every row of the real gold pairs (share the gold confirms)")
    print("   band        tuning golds (rows, mean confidence, right)   held-out golds")
    for lo, hi in pairwise(CONFIDENCE_BANDS):
        cells = []
        for rows in (real, held):
            band = [(c, ok) for c, _, ok in rows if lo <= c < hi]
            cells.append(f"{len(band):4d} rows, {np.mean([c for c, _ in band]):.2f}, "
                         f"{np.mean([ok for _, ok in band]):.3f}" if band else f"{0:4d} rows" + " " * 18)
        print(f"   {lo:.1f}-{min(hi, 1.0):.1f}     {cells[0]:<44s}  {cells[1]}")
    print(f"   needs_review (bars: flags <= {MAX_FLAGGED:.0%} of the verdicts, "
          f"catches >= {MIN_CAUGHT:.0%} of the wrong):")
    for name, rows in [*CALIBRATION.items(), ("all tuning golds", real), ("all held-out golds", held)]:
        if not rows:
            continue
        wrong = [flag for _, flag, ok in rows if not ok]
        flagged = sum(flag for _, flag, _ in rows)
        print(f"     {name:22s} flags {flagged:3d}/{len(rows):3d} ({flagged / len(rows):.0%}), catches "
              f"{sum(wrong):3d}/{len(wrong):3d} wrong ({sum(wrong) / max(len(wrong), 1):.0%})")


SWEEP = (0.40, 0.45, 0.50, 0.55, 0.60, 0.65, 0.70)


def print_threshold_sweep(gold: dict, ref_map: dict, plan_map: dict, plan, reference) -> None:
    """macro-F1 at other match thresholds: how far the scores themselves separate the
    gold's pairs from the rest (choosing the threshold with the gold in hand is an
    upper bound for tuning it, not a result)."""
    from plandiff.align import AlignConfig
    cells = []
    for t in SWEEP:
        res = score_pair(gold, ref_map, plan_map, plandiff_rows(plan, reference, AlignConfig(match_threshold=t)))
        cells.append(f"{t:.2f}: {res['macro']:.3f}")
    print("   macro_f1 by match_threshold (default 0.60): " + "  ".join(cells))


def print_review_list(gold: dict, ref_map: dict, plan_map: dict, plan, reference) -> None:
    """What a reviewer finds by checking the closest counterpart that dropped and added
    rows name (`candidate_item_id`): of the gold pairs plandiff missed, how many such a
    row points at, and how many rows that takes."""
    from plandiff.align import align
    rows = align(plan, reference, embedder=EMBEDDER)
    found = {(r.reference_item_id, r.item_id) for r in rows if r.reference_item_id and r.item_id}
    suggested = set()
    for r in rows:
        if r.candidate_item_id is None:
            continue
        suggested.add((r.reference_item_id, r.candidate_item_id) if r.item_id is None
                      else (r.candidate_item_id, r.item_id))
    missed = [(ref_map.get(p["reference"]), plan_map.get(p["plan"])) for p in gold["pairs"]]
    missed = [pair for pair in missed if pair not in found]
    hits = sum(pair in suggested for pair in missed)
    with_candidate = sum(r.candidate_item_id is not None for r in rows)
    unmatched = sum(r.item_id is None or r.reference_item_id is None for r in rows)
    print(f"   review list: {with_candidate} of {unmatched} dropped/added rows name a closest item; "
          f"they point at {hits} of the {len(missed)} gold pairs plandiff missed")


def print_second_reader(gold: dict, path: Path) -> None:
    """A second reader's independent answers scored against the gold like a method:
    how far two careful people agree, the ceiling for any aligner on this pair."""
    if not path.exists():
        return
    other = json.loads(path.read_text(encoding="utf-8"))
    identity_ref = {x["key"]: x["key"] for x in gold["reference_items"]}
    identity_plan = {x["key"]: x["key"] for x in gold["plan_items"]}
    rows = [(p["reference"], p["plan"], p["status"], p.get("changes") or []) for p in other["pairs"]]
    rows += [(r, None, "dropped", []) for r in other["dropped"]]
    rows += [(None, p, "added", []) for p in other["added"]]
    m = score_pair(gold, identity_ref, identity_plan, rows)
    print(f"   second reader ({path.relative_to(ROOT)}) against this gold: macro_f1 {m['macro']:.3f} "
          f"(dropped {m['dropped'][2]:.3f}, added {m['added'][2]:.3f}, pairing {m['pairing'][2]:.3f}, "
          f"modified {m['modified'][2]:.3f})")


def real_pairs(gold_dir: Path) -> dict[str, dict]:
    out = {}
    files = sorted(gold_dir.glob("*.json"))
    if not files:
        print(f"no gold files in {gold_dir}")
    for gf in files:
        gold = json.loads(gf.read_text(encoding="utf-8"))
        name = gf.stem
        notes: list[str] = []
        ref, ref_restored = load(ROOT / gold["reference"], notes)
        plan, plan_restored = load(ROOT / gold["plan"], notes)
        ref_nodes = [Node.of_item(it) for it in ref.items]
        plan_nodes = [Node.of_item(it) for it in plan.items]
        ref_map = map_gold(gold["reference_items"], ref_nodes)
        plan_map = map_gold(gold["plan_items"], plan_nodes)
        results = {}
        t0 = time.perf_counter()
        try:
            results["plandiff"] = score_pair(gold, ref_map, plan_map, plandiff_rows(plan, ref))
            results["wording"] = score_pair(gold, ref_map, plan_map, plandiff_rows(plan, ref, meaning=False))
            CALIBRATION[name + (" (held out)" if gold.get("held_out") else "")] = rated_rows(
                gold, ref_map, plan_map, plan, ref)
        except Exception as exc:
            notes.append(f"plandiff.align.align failed: {type(exc).__name__}: {exc}")
            results["plandiff"] = None
        t_pd = time.perf_counter() - t0
        ra, pa = alignable_nodes(ref), alignable_nodes(plan)
        results["redline"] = score_pair(gold, ref_map, plan_map, peer_redline(ra, pa))
        results["greedy"] = score_pair(gold, ref_map, plan_map, peer_greedy(ra, pa))
        if EMBEDDER is not None:
            results["embeddings"] = score_pair(gold, ref_map, plan_map, peer_embeddings(ra, pa, EMBEDDER))
        g = Counter(p["status"] for p in gold["pairs"])
        print(f"\n== real pair {name}: reference {gold['reference']} -> plan {gold['plan']}")
        print(f"   gold: {len(gold['reference_items'])} reference items, {len(gold['plan_items'])} plan items, "
              f"{len(gold['pairs'])} pairs ({g['carried']} carried, {g['modified']} modified), "
              f"{len(gold['dropped'])} dropped, {len(gold['added'])} added")
        print(f"   parsed: {len(ref.items)} / {len(plan.items)} items ({len(ra)} / {len(pa)} alignable); "
              f"diacritics restored: reference={ref_restored} plan={plan_restored}; align {t_pd:.2f}s")
        print(f"   gold items found among plandiff's items: reference "
              f"{sum(v is not None for v in ref_map.values())}/{len(ref_map)}, plan "
              f"{sum(v is not None for v in plan_map.values())}/{len(plan_map)}")
        for n in notes:
            print(f"   note: {n}")
        print_table(f"   scores {name}", results)
        print_threshold_sweep(gold, ref_map, plan_map, plan, ref)
        print_review_list(gold, ref_map, plan_map, plan, ref)
        print_second_reader(gold, gf.parent / "second_reader" / gf.name)
        out[name + (" (held out)" if gold.get("held_out") else "")] = results
    return out


# ----------------------------------------------------------------------------- 3: synthetic sets

_LINE = re.compile(r"^(dropped|added|pairing|modified)\s+P=([\d.]+) R=([\d.]+) F1=([\d.]+)"
                   r"\s+\(tp=(\d+) fp=(\d+) fn=(\d+)\)")


def run_score(score_py: Path, set_dir: Path, out: Path, env_plandiff: str | None, skip_run=False) -> dict:
    argv = [sys.executable, str(score_py), "--set", str(set_dir), "--out", str(out)]
    if skip_run:
        argv.append("--skip-run")
    env = dict(os.environ)
    if env_plandiff:
        env["PLANDIFF"] = env_plandiff
    r = subprocess.run(argv, capture_output=True, text=True, env=env, timeout=3600)
    res = {"stdout": r.stdout, "rc": r.returncode, "counts": Counter()}
    for ln in r.stdout.splitlines():
        m = _LINE.match(ln)
        if m:
            nm = m.group(1)
            res[nm] = tuple(float(x) for x in m.group(2, 3, 4))
            res["counts"].update({f"{nm}_tp": int(m.group(5)), f"{nm}_fp": int(m.group(6)),
                                  f"{nm}_fn": int(m.group(7))})
        if ln.startswith("alignment_f1="):
            res["alignment_f1"] = float(ln.split("=", 1)[1])
        if ln.startswith("coverage"):
            mm = re.search(r"all=([\d.]+)", ln)
            res["coverage"] = float(mm.group(1)) if mm else None
        if ln.strip().startswith("!"):
            res.setdefault("problems", []).append(ln.strip())
    return res


def tables_ok(out: Path) -> bool:
    return all((out / n).exists() or (out / f"{n}.parquet").exists() for n in ("documents", "items", "alignments"))


def library_tables(set_dir: Path, out: Path) -> None:
    """Fallback when the CLI wrote no tables: documents/items from the library (ingest without restoration
    + parse), so the peers can still be scored on plandiff's parsed items."""
    import hashlib

    import pandas as pd
    files = [set_dir / "parent.txt"] + sorted((set_dir / "children").iterdir())
    docs, items = [], []
    for f in files:
        doc = parse(ingest(f, IngestConfig(restore_diacritics=False)))
        sha = hashlib.sha256(f.read_bytes()).hexdigest()
        docs.append({"doc_id": doc.doc_id, "source_path": str(f), "sha256": sha, "status": "ok",
                     "role": "reference" if f.name == "parent.txt" else "plan"})
        for it in doc.items:
            items.append({"doc_id": doc.doc_id, "item_id": it.item_id, "parent_id": it.parent_id,
                          "ordinal": it.ordinal, "depth": it.depth, "label": it.label, "kind": sval(it.kind),
                          "heading": it.heading, "text": it.text, "part": sval(it.part), "lead": it.lead,
                          "partners": list(it.partners), "timeline": it.timeline, "frequency": it.frequency,
                          "page": it.page})
    out.mkdir(parents=True, exist_ok=True)
    for nm, rows in (("documents", docs), ("items", items)):
        (out / nm).mkdir(exist_ok=True)
        pd.DataFrame(rows).to_parquet(out / nm / "part-0.parquet")


def peer_tables(src: Path, dst: Path, set_dir: Path, peer) -> None:
    import pandas as pd
    if dst.exists():
        shutil.rmtree(dst)
    dst.mkdir(parents=True)
    for nm in ("documents", "items", "citations"):
        for cand in (src / nm, src / f"{nm}.parquet"):
            if cand.is_dir():
                shutil.copytree(cand, dst / nm)
                break
            if cand.exists():
                shutil.copy(cand, dst / cand.name)
                break
    docs = pd.read_parquet(src / "documents")
    items = pd.read_parquet(src / "items")
    parent = (set_dir / "parent.txt").resolve()
    ref_ids = [r["doc_id"] for r in docs.to_dict("records")
               if Path(str(r.get("source_path"))).resolve() == parent]
    if not ref_ids and "role" in docs:
        ref_ids = docs.loc[docs["role"].astype(str).str.contains("ref"), "doc_id"].tolist()
    ref_id = str(ref_ids[0])
    by_doc = defaultdict(list)
    def cell(v):
        return None if v is None or (isinstance(v, float) and v != v) else str(v)

    for r in items.sort_values("ordinal").to_dict("records"):
        text = " ".join(x for x in (cell(r.get("heading")), cell(r.get("text"))) if x)
        partners = r.get("partners")
        listed = isinstance(partners, (list, tuple, np.ndarray))
        partners = [str(x) for x in partners if x is not None] if listed else []
        by_doc[str(r["doc_id"])].append(Node(r["item_id"], r["kind"], r["part"], text, cell(r.get("lead")),
                                             partners, cell(r.get("timeline")), cell(r.get("frequency"))))
    ref_nodes = [n for n in by_doc[ref_id] if n.alignable()]
    rows = []
    for did, nodes in by_doc.items():
        if did == ref_id:
            continue
        for r, p, st, ch in peer(ref_nodes, [n for n in nodes if n.alignable()]):
            rows.append({"reference_doc_id": ref_id, "reference_item_id": r, "doc_id": did, "item_id": p,
                         "status": st, "score": 0.0, "changes": list(ch)})
    (dst / "alignments").mkdir()
    pd.DataFrame(rows, columns=["reference_doc_id", "reference_item_id", "doc_id", "item_id", "status",
                                "score", "changes"]).to_parquet(dst / "alignments" / "part-0.parquet")


def meaning_check(set_dir: Path) -> None:
    """The CLI aligns without the embedder (the pipeline does not pass one): align each child
    with the library, with and without it, and count the verdicts that differ."""
    if EMBEDDER is None:
        return
    from plandiff.align import align, pair_scores
    from plandiff.align.meaning import copy_share
    ref = parse(ingest(set_dir / "parent.txt", IngestConfig(restore_diacritics=False)))
    differ, total, shares = 0, 0, []
    for f in sorted((set_dir / "children").iterdir()):
        plan = parse(ingest(f, IngestConfig(restore_diacritics=False)))
        a = {(x.reference_item_id, x.item_id, sval(x.status)) for x in align(plan, ref)}
        b = {(x.reference_item_id, x.item_id, sval(x.status)) for x in align(plan, ref, embedder=EMBEDDER)}
        differ += len(a ^ b) // 2
        total += len(a)
        shares.append(copy_share(pair_scores(ref, plan).text))
    print(f"   with the embedder (library, no restoration): {differ} of {total} verdicts differ; copy share "
          f"of the children {min(shares):.2f}-{max(shares):.2f}")


def synthetic(synth: Path, workdir: Path) -> dict[str, dict]:
    score_py = synth.parent / "score.py"
    sets = sorted(p for p in synth.iterdir() if (p / "truth.json").exists())
    plandiff_cmd = str(ROOT / ".venv" / "bin" / "plandiff")
    peers = {"redline": peer_redline, "greedy": peer_greedy}
    if EMBEDDER is not None:
        peers["embeddings"] = lambda ref, plan: peer_embeddings(ref, plan, EMBEDDER)
    per: dict[str, dict] = {"plandiff": {}, **{name: {} for name in peers}}
    for sd in sets:
        out = workdir / "plandiff" / sd.name
        res = run_score(score_py, sd, out, plandiff_cmd)
        print(f"\n== synthetic {sd.name}: PLANDIFF={plandiff_cmd} score.py rc={res['rc']}")
        meaning_check(sd)
        src = out
        if not tables_ok(out):
            log = out / "plandiff.log"
            tail = log.read_text(errors="replace").strip().splitlines()[-1:] if log.exists() else []
            print(f"   note: plandiff wrote no tables (last log line: {tail[0] if tail else '-'}); "
                  "plandiff scored as failed on this set")
            wrapper = workdir / "plandiff_no_restore"
            wrapper.write_text(f'#!/bin/sh\nexec {plandiff_cmd} "$@" --no-restore\n')
            wrapper.chmod(0o755)
            out2 = workdir / "plandiff_no_restore" / sd.name
            res2 = run_score(score_py, sd, out2, str(wrapper))
            if tables_ok(out2):
                print(f"   note: with --no-restore plandiff ran: alignment_f1={res2.get('alignment_f1')} "
                      "(reported separately, not used as plandiff's score)")
                src = out2
            else:
                src = workdir / "library_items" / sd.name
                library_tables(sd, src)
                print("   note: peers use documents/items built with the library (ingest without restoration "
                      "+ parse) because the CLI produced no tables")
        per["plandiff"][sd.name] = res
        for name, fn in peers.items():
            dst = workdir / name / sd.name
            try:
                peer_tables(src, dst, sd, fn)
                per[name][sd.name] = run_score(score_py, sd, dst, None, skip_run=True)
            except Exception as exc:
                print(f"   note: peer {name} failed: {type(exc).__name__}: {exc}")
                per[name][sd.name] = None
        print(f"   {'method':<10} {'dropped':>7} {'added':>7} {'pairing':>7} {'modified':>8} "
              f"{'coverage':>8} {'alignment_f1':>12}")
        for name in per:
            r = per[name][sd.name]
            if not r or "alignment_f1" not in r:
                print(f"   {name:<10} (failed)")
                continue
            f = [r.get(k, (0, 0, 0))[2] for k in ("dropped", "added", "pairing", "modified")]
            print(f"   {name:<10} {f[0]:7.3f} {f[1]:7.3f} {f[2]:7.3f} {f[3]:8.3f} {fmt(r.get('coverage')):>8} "
                  f"{r['alignment_f1']:12.4f}")
    # all sets together, from the counts (as score.py aggregates)
    total = {}
    print(f"\n== synthetic, all sets ({', '.join(s.name for s in sets)})")
    print(f"   {'method':<10} {'dropped':>7} {'added':>7} {'pairing':>7} {'modified':>8} {'macro_f1':>8}")
    for name, runs in per.items():
        if not runs or any(r is None or "alignment_f1" not in r for r in runs.values()):
            total[name] = None
            print(f"   {name:<10} (failed)")
            continue
        c = Counter()
        for r in runs.values():
            c.update(r["counts"])
        f = [prf(c[f"{k}_tp"], c[f"{k}_fp"], c[f"{k}_fn"])[2] for k in ("dropped", "added", "pairing", "modified")]
        total[name] = sum(f) / 4
        print(f"   {name:<10} {f[0]:7.3f} {f[1]:7.3f} {f[2]:7.3f} {f[3]:8.3f} {total[name]:8.4f}")
    return total


# ----------------------------------------------------------------------------- 4: speed

_PLACE = {"xã": "huyện", "huyện": "xã", "tỉnh": "huyện", "Xã": "Huyện", "Huyện": "Xã"}
_FILLERS = ["các", "và", "cơ sở", "địa phương", "kịp thời", "thường xuyên"]


def perturb(text: str, rng: random.Random) -> str:
    w = text.split()
    for _ in range(rng.randint(1, 3)):
        r = rng.random()
        if r < 0.25 and len(w) > 5:
            del w[rng.randrange(len(w))]
        elif r < 0.45 and len(w) > 2:
            i = rng.randrange(len(w) - 1)
            w[i], w[i + 1] = w[i + 1], w[i]
        elif r < 0.65:
            w = [_PLACE.get(x, x) for x in w]
        elif r < 0.85:
            w.insert(rng.randrange(len(w) + 1), rng.choice(_FILLERS))
        elif w:
            i = rng.randrange(len(w))
            if len(w[i]) > 3:
                k = rng.randrange(len(w[i]))
                w[i] = w[i][:k] + rng.choice("aeiounmtc") + w[i][k + 1:]
    return " ".join(w)


def embedding_cache(gold_dir: Path) -> None:
    """What the embedding cache (OUT/.plandiff/embeddings.sqlite) saves: the gold pairs aligned
    with meaning against an empty cache, then again by a new process's embedder on the same cache."""
    if EMBEDDER is None:
        return
    from plandiff.align import align
    from plandiff.align.embedding import CachedEmbedder

    from plandiff.embedding_store import SqliteEmbeddingStore

    golds = [json.loads(p.read_text(encoding="utf-8")) for p in sorted(gold_dir.glob("*.json"))]
    docs = [(load(ROOT / g["reference"], [])[0], load(ROOT / g["plan"], [])[0]) for g in golds]
    print(f"\n== embedding cache: the {len(docs)} gold pairs aligned with meaning, twice")
    with tempfile.TemporaryDirectory(prefix="plandiff_bench_cache_") as out:
        for run in ("first run (empty cache)", "re-run (new process, same cache)"):
            embedder = CachedEmbedder(EMBEDDER.embedder, SqliteEmbeddingStore(Path(out)))
            t0 = time.perf_counter()
            for ref, plan in docs:
                align(plan, ref, embedder=embedder)
            print(f"   {run:34s} {time.perf_counter() - t0:6.2f}s; {embedder.computed} texts embedded, "
                  f"{embedder.reused} read from the cache")


def synthetic_plans(n_plans: int, n_items: int, seed: int = 7):
    from plandiff.parse.model import Metadata, PlanDocument
    pool = []
    for f in sorted((ROOT / "data" / "seeds").glob("*.txt")):
        if f.name.startswith("002_"):
            continue   # OCR text: keep the pool clean
        doc = parse(ingest(f, IngestConfig(restore_diacritics=False)))
        pool += [it for it in doc.items if Node.of_item(it).alignable()]
    rng = random.Random(seed)
    rng.shuffle(pool)
    ref_src, extra = pool[:n_items], pool[n_items:] or pool

    def item(src, doc_id, k, text, **kw):
        return dataclasses.replace(src, item_id=f"{doc_id}:{k}", parent_id=None, ordinal=k, depth=1,
                                   heading="", text=text, **kw)

    ref = PlanDocument(doc_id="bench:ref", meta=Metadata(),
                       items=tuple(item(s, "bench:ref", k, " ".join(x for x in (s.heading, s.text) if x))
                                   for k, s in enumerate(ref_src)))
    plans = []
    for p in range(n_plans):
        did = f"bench:{p:04d}"
        kept = [s for s in ref.items if rng.random() < 0.85]
        for k in range(len(kept) - 1):            # neighbours swapped now and then
            if rng.random() < 0.05:
                kept[k], kept[k + 1] = kept[k + 1], kept[k]
        srcs = [(s, True) for s in kept]
        while len(srcs) < n_items:                # additions from other plans' items
            srcs.insert(rng.randrange(len(srcs) + 1), (rng.choice(extra), False))
        items = []
        for k, (s, _) in enumerate(srcs):
            text = perturb(" ".join(x for x in (s.heading, s.text) if x), rng)
            kw = {}
            if s.lead and rng.random() < 0.1:
                kw["lead"] = rng.choice(["Phòng Văn hóa - Xã hội", "Văn phòng HĐND và UBND", "Các cơ quan, đơn vị"])
            items.append(item(s, did, k, text, **kw))
        plans.append(PlanDocument(doc_id=did, meta=Metadata(), items=tuple(items)))
    return ref, plans, len(pool)


def _infer_child(plans, conn):
    try:
        from plandiff.align import infer_reference
        t0, c0 = time.perf_counter(), time.process_time()
        ref = infer_reference(plans)
        conn.send(("ok", (time.perf_counter() - t0, time.process_time() - c0), len(ref.items)))
    except Exception as exc:
        conn.send(("error", f"{type(exc).__name__}: {exc}", 0))


def speed(n_plans: int, n_items: int, align_budget: float, infer_timeout: float,
          infer_sizes=(100,)) -> None:
    print(f"\n== speed: {n_plans} synthetic plans x {n_items} items against a {n_items}-item reference")
    print(f"   (single process; {os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f} at start: "
          "the machine may be shared)")
    t0 = time.perf_counter()
    ref, plans, pool = synthetic_plans(n_plans, n_items)
    print(f"   built from {pool} real item texts of the clean seeds (perturbed: word drops, swaps, place words, "
          f"fillers, typos; 85% of reference items kept, the rest added from other items) in "
          f"{time.perf_counter() - t0:.1f}s")
    try:
        from plandiff.align import align
        t0, c0 = time.perf_counter(), time.process_time()
        done, rows = 0, 0
        for p in plans:
            rows += len(align(p, ref, embedder=EMBEDDER))
            done += 1
            if time.perf_counter() - t0 > align_budget:
                break
        el, cpu = time.perf_counter() - t0, time.process_time() - c0
        if done < len(plans):
            print(f"   align: stopped after {done} plans in {el:.1f}s (budget {align_budget:.0f}s); "
                  f"projected {el / done * len(plans):.0f}s for {len(plans)}")
        else:
            print(f"   align: {done} plans, {rows} rows in {el:.2f}s wall, {cpu:.2f}s CPU "
                  f"({el / done * 1000:.1f} ms/plan)   [bar: < 30 s]"
                  + ("" if EMBEDDER is None else f"; with the embedder ({EMBEDDER.computed} texts embedded, "
                     f"{EMBEDDER.reused} reused from the cache in the whole run)"))
    except Exception as exc:
        print(f"   align: failed: {type(exc).__name__}: {exc}")
    try:
        from plandiff.pipeline import ALIGN_CHUNK, RunConfig, align_plans
        workers = min(2, os.cpu_count() or 1)
        if len(plans) < 2 * ALIGN_CHUNK:
            workers = 1   # run aligns fewer plans in this process (and its caches are warm here)
        t0 = time.perf_counter()
        rows = len(align_plans(plans, ref, RunConfig(workers=workers, meaning=EMBEDDER is not None)))
        el = time.perf_counter() - t0
        print(f"   align as `plandiff run --meaning` does it ({workers} worker processes, chunks of plans): "
              f"{len(plans)} plans, {rows} rows in {el:.2f}s wall ({el / len(plans) * 1000:.1f} ms/plan)"
              "   [bar: < 30 s]")
    except Exception as exc:
        print(f"   align (workers): failed: {type(exc).__name__}: {exc}")
    ctx = mp.get_context("fork")
    sizes = sorted({min(n, len(plans)) for n in infer_sizes} | {len(plans)})
    for n in sizes:
        a, b = ctx.Pipe(duplex=False)
        proc = ctx.Process(target=_infer_child, args=(plans[:n], b))
        t0 = time.perf_counter()
        proc.start()
        if a.poll(infer_timeout):
            st, val, k = a.recv()
            if st == "ok":
                bar = "   [bar: < 60 s]" if n == len(plans) else ""
                print(f"   infer_reference: {n} plans in {val[0]:.2f}s wall, {val[1]:.2f}s CPU "
                      f"-> {k} consensus items{bar}")
            else:
                print(f"   infer_reference: {n} plans: failed: {val}")
            proc.join(5)
        else:
            print(f"   infer_reference: {n} plans: not finished after {time.perf_counter() - t0:.0f}s "
                  "(timeout); stopped")
            proc.terminate()
            proc.join(5)
            break


# ----------------------------------------------------------------------------- main

def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--gold", default=str(ROOT / "tests" / "gold" / "align"))
    ap.add_argument("--synth", default=None,
                    help="synthetic sets (default: bench/synth in the shared folder, shared_paths.py)")
    ap.add_argument("--work", default=None, help="folder for the synthetic runs' tables (default: a temp dir)")
    ap.add_argument("--no-synth", action="store_true")
    ap.add_argument("--no-speed", action="store_true")
    ap.add_argument("--plans", type=int, default=1000)
    ap.add_argument("--items", type=int, default=100)
    ap.add_argument("--align-budget", type=float, default=300.0, help="seconds before the align timing stops")
    ap.add_argument("--infer-timeout", type=float, default=600.0, help="seconds allowed per infer_reference run")
    ap.add_argument("--infer-sizes", default="100", help="smaller plan counts to time infer_reference on first")
    args = ap.parse_args(argv)
    os.chdir(ROOT)
    global EMBEDDER
    EMBEDDER = _embedder()
    print(__doc__.split("\n\n")[0])
    print("macro_f1 = mean of the dropped, added, pairing and modified(fields) F1 (score.py's alignment_f1)")
    real = real_pairs(Path(args.gold))
    print_calibration()
    synth_total = {}
    synth = require(args.synth, "--synth DIR") if args.synth else shared("bench", "synth")
    if not args.no_synth and not synth.is_dir():
        print(f"\n== synthetic sets skipped: {synth} not found (set {SHARED_ENV}=DIR or pass --synth DIR)")
    elif not args.no_synth:
        work = Path(args.work) if args.work else Path(tempfile.mkdtemp(prefix="plandiff_bench_"))
        work.mkdir(parents=True, exist_ok=True)
        synth_total = synthetic(synth, work)
        print(f"   tables under {work}")
    if not args.no_speed:
        embedding_cache(Path(args.gold))
        speed(args.plans, args.items, args.align_budget, args.infer_timeout,
              [int(x) for x in args.infer_sizes.split(",") if x.strip()])
    print("\n== summary: macro_f1 (bars, issue 15: 001_003 >= 0.88, 000_003 >= 0.80, 001_002 and synth >= 0.99,"
          "\n   ahead of redline, greedy and embeddings on every set; 000_003 was built blind after the aligner"
          "\n   was tuned, and one change since was chosen on it (attribute differences neutral in matching);"
          "\n   golds marked held_out were built blind and are reported untouched: never tune on them)")
    names = sorted(real, key=lambda n: ("held out" in n, n))
    width = {n: max(8, len(n)) for n in names}
    print(f"   {'method':<10} {'synth':>7}" + "".join(f" {n:>{width[n]}}" for n in names))
    for m in ("plandiff", "wording", "redline", "greedy", "embeddings"):
        cells = "".join(f" {fmt(real[n][m]['macro'] if real[n].get(m) else None):>{width[n]}}" for n in names)
        print(f"   {m:<10} {fmt(synth_total.get(m)):>7}{cells}")
    pdm = {n: (real[n]["plandiff"]["macro"] if real[n].get("plandiff") else None) for n in names}
    print(f"macro_f1 synth={fmt(synth_total.get('plandiff'))} "
          + " ".join(f"{n}={fmt(pdm[n])}" for n in names))
    return 0


if __name__ == "__main__":
    sys.exit(main())
