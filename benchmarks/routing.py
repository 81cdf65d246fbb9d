#!/usr/bin/env python3
"""Routing benchmark: does each filed plan meet the parent it implements, and does lineage follow chains.

    .venv/bin/python benchmarks/routing.py [--sets DIR] [--out DIR] [--plans 1000] [--skip-run]
                                           [--plandiff ".venv/bin/plandiff"] [--no-heldout] [-v]

The sets come from make_routing_sets.py (generated into --out/sets unless --sets
names a folder written by it): a mixed batch of 30 plans against a library of
three parents, province -> district -> commune chains (tuning seeds, and the
held-out seed, scored apart), and a scaled batch of --plans plans for timing.
Every run is `plandiff run PLANS --reference REFS --out OUT --no-report --force`
(a subprocess, as a user runs it); the tables are read with pandas and the
documents matched to the truth by sha256 (else by file name).

  routing      share of the citing plans whose documents.reference_doc_id is their
               true parent (bar >= 0.97); how many of them were matched as `cited`
               (the rest reached the right parent by content, flagged); by form
               of the citation and by kind of OCR damage of its number.
  uncited      share of the plans citing no library parent that are flagged
               (reference_flagged; bar 1.00); where the ones derived from a library
               parent went; the confusion truth x reference_match.
  peers        the same figures for two routers written here on plandiff's parse and
               aligner: `citation` (exact normalised number of an implemented
               reference, nothing else) and `content` (the library parent with which
               the aligner pairs most of the plan's items; never flags).
  lineage      on the chains: the (province item, descendant plan) pairs the
               `lineage` table says the item reached (carried/modified), against
               truth.json, as P/R/F1 (bar F1 >= 0.97 on the tuning seeds and on the
               held-out seed, reported apart); plans routed to their true parent;
               depth and path right.  Peer `direct`: the same chains run with the
               province as the one FILE reference (every plan aligned straight
               against it, as before routing), pairs read from `alignments`.
  speed        a run of --plans plans with the library against the same run with
               one FILE reference, and plandiff.routing.route timed on the parsed
               plans: routing's share of the run (bar < 5 %).

Province items are found in plandiff's `items` by the bench's own token mapping
(score.py's DocMap, loaded from the shared bench folder).

Last measured 2026-12-05 (routing as of 947b0e5, 2 cores, with restoration):
    mixed batch: routing accuracy 1.000 (25/25), all 25 matched as cited (every form,
      every kind of OCR damage in the number); uncited flagged 1.000 (5/5; the 3 derived
      from a library parent reached it by content); peers: citation only 1.000 / 0.800
      flagged, content only 1.000 accuracy but never cited (every plan flagged);
    chains: lineage F1 1.000 on seeds 1-3 and 1.000 on held-out seed 9, depth, path,
      status and lost_at all right; peer direct F1 0.996-1.000 (reached or not hardly
      depends on the path when wording is kept: the chain's worth is depth, path,
      via items and lost_at);
    1,000 plans: library run 54.0 s, one FILE reference 58.4 s; route() 1.69 s on the
      parsed plans = 3.1 % of the library run; routing accuracy 1.000 (834/834),
      uncited flagged 1.000 (166/166).
    Before the issuer check (b2de915): uncited flagged 0.800 on the mixed batch and 0.602
      at 1,000 plans (a citation of 83/KH-UBND of UBND tỉnh matched by number to a
      district plan of the batch whose day is blank), route() 7.7 % of the run.
    routing_accuracy=1.000 cited_match=1.000 uncited_flagged=1.000 lineage_f1_tuning_min=1.000
    lineage_f1_heldout_min=1.000 routing_share=0.031 bars=met
"""
from __future__ import annotations

import argparse
import inspect
import json
import shlex
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path
from types import ModuleType

import pandas as pd
from make_family_sets import load_make_synth
from make_routing_sets import HELDOUT_SEED, TUNING_SEEDS, generate_batch, generate_chains
from shared_paths import REPO, load_script, require, shared

ROUTING_BAR, FLAG_BAR, LINEAGE_BAR, SHARE_BAR = 0.97, 1.0, 0.97, 0.05
REACHED = ("carried", "modified")


# ----------------------------------------------------------------------------- running plandiff

EXTRA_ARGS: list[str] = []   # --no-restore passes through


def run_plandiff(cmd: str, plans: Path, refs: list[Path], out: Path, verbose: bool) -> tuple[bool, float, str]:
    """`plandiff run` as a subprocess: (ok, wall seconds, error tail)."""
    args = shlex.split(cmd) + ["run", str(plans)] + EXTRA_ARGS
    for ref in refs:
        args += ["--reference", str(ref)]
    args += ["--out", str(out), "--no-report", "--force", "--quiet"]
    if verbose:
        print("   $", " ".join(args))
    t0 = time.perf_counter()
    proc = subprocess.run(args, capture_output=True, text=True, cwd=REPO)
    wall = time.perf_counter() - t0
    tail = (proc.stderr or proc.stdout).strip().splitlines()[-3:]
    return proc.returncode == 0, wall, " / ".join(tail)


def read(out: Path, name: str) -> pd.DataFrame | None:
    path = out / name
    return pd.read_parquet(path) if path.exists() else None


def doc_ids(docs: pd.DataFrame, set_dir: Path, files: dict[str, str]) -> dict[str, str]:
    """truth file (relative to the set) -> doc_id, by sha256, else by the source path's tail."""
    by_sha = {r.sha256: r.doc_id for r in docs.itertuples() if isinstance(r.sha256, str)}
    by_name = {Path(str(r.source_path)).name: r.doc_id for r in docs.itertuples()}
    out = {}
    for rel, sha in files.items():
        doc = by_sha.get(sha) or by_name.get(Path(rel).name)
        if doc:
            out[rel] = doc
    return out


def nonnull(v) -> bool:
    return v is not None and not (isinstance(v, float) and v != v)


# ----------------------------------------------------------------------------- routing scores

def routing_rows(truth: dict, docs: pd.DataFrame, set_dir: Path) -> list[dict]:
    """One row per child: truth and what the run decided."""
    ref_files = {f"refs/{f}": r["sha256"] for f, r in truth["refs"].items()}
    ids = doc_ids(docs, set_dir, {**ref_files, **{f: c["sha256"] for f, c in truth["children"].items()}})
    by_doc = {r.doc_id: r for r in docs.itertuples()}
    rows = []
    for f, c in truth["children"].items():
        row = by_doc.get(ids.get(f, ""))
        got = getattr(row, "reference_doc_id", None) if row is not None else None
        rows.append({
            "file": f, "cites": c["cites"], "form": c["form"] or "-", "ocr": c["ocr"] or "-",
            "truth": ids.get(f"refs/{c['parent']}") if c["parent"] else None,
            "derived": ids.get(f"refs/{c['derived_from']}") if not c["derived_from"].startswith("outside") else None,
            "category": "cited" if c["cites"] else ("uncited:library" if not c["derived_from"].startswith("outside")
                                                    else "uncited:outside"),
            "got": got if nonnull(got) else None,
            "match": getattr(row, "reference_match", None) if row is not None else None,
            "flagged": bool(getattr(row, "reference_flagged", False)) if row is not None else False,
            "evidence": getattr(row, "reference_evidence", None) if row is not None else None,
            "status": getattr(row, "status", "missing") if row is not None else "missing",
        })
    return rows


def share(a: int, b: int) -> str:
    return f"{a / b:.3f} ({a}/{b})" if b else "n/a"


def print_routing(label: str, rows: list[dict], verbose: bool, names: dict[str, str]) -> dict:
    cited = [r for r in rows if r["cites"]]
    uncited = [r for r in rows if not r["cites"]]
    right = [r for r in cited if r["got"] == r["truth"]]
    as_cited = [r for r in right if r["match"] == "cited"]
    flagged = [r for r in uncited if r["flagged"]]
    false_flags = [r for r in cited if r["flagged"]]
    lib = [r for r in uncited if r["category"] == "uncited:library"]
    print(f"   {label:<9} routing accuracy {share(len(right), len(cited))}; matched as cited "
          f"{share(len(as_cited), len(cited))}; uncited flagged {share(len(flagged), len(uncited))}; "
          f"citing plans flagged {len(false_flags)}; uncited from a library parent routed to it "
          f"{share(sum(r['got'] == r['derived'] for r in lib), len(lib))}")
    if verbose or label == "plandiff":
        for key in ("form", "ocr"):
            groups: dict[str, list[dict]] = defaultdict(list)
            for r in cited:
                groups[r[key]].append(r)
            print(f"             by {key}: " + ", ".join(
                f"{k} {sum(x['got'] == x['truth'] for x in g)}/{len(g)}"
                f" ({sum(x['got'] == x['truth'] and x['match'] == 'cited' for x in g)} cited)"
                for k, g in sorted(groups.items())))
        confusion = Counter((r["category"], r["match"] or "none") for r in rows)
        print("             truth x reference_match: " + ", ".join(f"{c}->{m} {n}"
                                                                 for (c, m), n in sorted(confusion.items())))
        for r in rows:
            wrong = (r["cites"] and (r["got"] != r["truth"] or r["match"] != "cited")) or \
                    (not r["cites"] and not r["flagged"])
            if wrong or verbose:
                print(f"             {'!' if wrong else ' '} {r['file']}: {r['category']} form={r['form']} "
                      f"ocr={r['ocr']} true={names.get(r['truth'] or r['derived'] or '', '-')} "
                      f"got={names.get(r['got'] or '', r['got'])} match={r['match']} flagged={r['flagged']}"
                      + (f"\n                 evidence: {r['evidence']}" if wrong and r["evidence"] else ""))
    return {"accuracy": len(right) / max(len(cited), 1), "cited": len(as_cited) / max(len(cited), 1),
            "flagged": len(flagged) / max(len(uncited), 1)}


# ----------------------------------------------------------------------------- peers (library API)

def parse_dir(folder: Path) -> dict[Path, object]:
    from plandiff.ingest import IngestConfig, ingest
    from plandiff.parse import parse
    config = IngestConfig(restore_diacritics=False)
    return {p: parse(ingest(p, config)) for p in sorted(folder.glob("*.txt"))}


def peer_rows(truth: dict, set_dir: Path, kind: str, parsed: dict) -> list[dict]:
    """Routing rows of a peer router: `citation` or `content`."""
    from plandiff.align import Status, align, alignable
    from plandiff.parse.model import ReferenceRole
    from plandiff.parse.parent_refs import normalise_number
    refs = parsed["refs"]
    ident = {f"refs/{p.name}": doc.doc_id for p, doc in refs.items()}
    numbers = {}
    for doc in refs.values():
        for n in (doc.meta.plan_number, doc.meta.decision_number):
            if n:
                numbers[normalise_number(n)] = doc.doc_id
    rows = []
    for f, c in truth["children"].items():
        plan = parsed["plans"][set_dir / f]
        got, match = None, None
        if kind == "citation":
            for r in plan.meta.references:
                if r.role is ReferenceRole.IMPLEMENTS and normalise_number(r.number) in numbers:
                    got, match = numbers[normalise_number(r.number)], "cited"
                    break
        else:
            mine = {it.item_id for it in alignable(plan)}
            best = -1.0
            for ref in refs.values():
                paired = {r.item_id for r in align(plan, ref) if r.status in (Status.CARRIED, Status.MODIFIED)}
                s = len(paired & mine) / max(len(mine), 1)
                if s > best:
                    best, got, match = s, ref.doc_id, "content"
        rows.append({"file": f, "cites": c["cites"], "form": c["form"] or "-", "ocr": c["ocr"] or "-",
                     "truth": ident.get(f"refs/{c['parent']}") if c["parent"] else None,
                     "derived": ident.get(f"refs/{c['derived_from']}"),
                     "category": "cited" if c["cites"] else (
                         "uncited:outside" if c["derived_from"].startswith("outside") else "uncited:library"),
                     "got": got, "match": match, "flagged": match != "cited", "evidence": None, "status": "ok"})
    return rows


# ----------------------------------------------------------------------------- lineage

def load_score_module(bench: Path) -> ModuleType:
    return load_script(bench / "score.py", "bench_score")


def root_mapping(score: ModuleType, truth: dict, items: pd.DataFrame, root_doc: str) -> dict[str, str]:
    """plandiff item_id of the root -> truth root item id (scored items only)."""
    rows = items[items.doc_id == root_doc].sort_values("ordinal")
    proj = [{"item_id": r.item_id, "parent_id": r.parent_id, "heading": r.heading, "text": r.text}
            for r in rows.itertuples()]
    dm = score.DocMap(truth["root"]["items"], proj)
    scored = {it["id"] for it in truth["root"]["items"] if it["scored"]}
    out: dict[str, str] = {}
    for tid, m in dm.mapping.items():
        if tid in scored and m["mapped"]:
            for iid in m["items"]:
                out.setdefault(iid, tid)
    return out


def truth_pairs(truth: dict) -> set[tuple[str, str]]:
    return {(r["root_item"], r["plan"]) for r in truth["lineage"] if r["status"] in REACHED}


def prf(pred: set, gold: set) -> tuple[float, float, float]:
    tp = len(pred & gold)
    p = tp / len(pred) if pred else (1.0 if not gold else 0.0)
    r = tp / len(gold) if gold else 1.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def direct_peer(score: ModuleType, truth: dict, set_dir: Path) -> tuple[float, float, float]:
    """Lineage as it was before routing: every plan aligned straight against the province
    with plandiff's aligner (carried/modified pairs), scored like the lineage table."""
    from plandiff.align import align
    from plandiff.ingest import IngestConfig, ingest
    from plandiff.parse import parse
    config = IngestConfig(restore_diacritics=False)
    root = parse(ingest(set_dir / truth["root_file"], config))
    proj = [{"item_id": it.item_id, "parent_id": it.parent_id, "heading": it.heading, "text": it.text}
            for it in sorted(root.items, key=lambda it: it.ordinal)]
    dm = score.DocMap(truth["root"]["items"], proj)
    scored = {it["id"] for it in truth["root"]["items"] if it["scored"]}
    mapping: dict[str, str] = {}
    for tid, m in dm.mapping.items():
        if tid in scored and m["mapped"]:
            for iid in m["items"]:
                mapping.setdefault(iid, tid)
    pred = set()
    for f in truth["plans"]:
        plan = parse(ingest(set_dir / f, config))
        pred |= {(mapping[r.reference_item_id], f) for r in align(plan, root)
                 if r.status.value in REACHED and r.reference_item_id in mapping}
    return prf(pred, truth_pairs(truth))


def score_chain(score: ModuleType, set_dir: Path, out: Path, direct: bool) -> dict:
    truth = json.loads((set_dir / "truth.json").read_text(encoding="utf-8"))
    docs, items = read(out, "documents"), read(out, "items")
    if docs is None or items is None or "reference_doc_id" not in docs:
        return {"plans": len(truth["plans"]), "gold": len(truth_pairs(truth)), "routed": 0, "routed_cited": 0,
                "misrouted": ["no routed tables in " + str(out)], "f1": None,
                **({"direct": direct_peer(score, truth, set_dir)} if direct else {})}
    files = {truth["root_file"]: truth["root"]["sha256"], **{f: p["sha256"] for f, p in truth["plans"].items()}}
    ids = doc_ids(docs, set_dir, files)
    file_of = {v: k for k, v in ids.items()}
    root = ids.get(truth["root_file"])
    res: dict = {"plans": len(truth["plans"]), "gold": len(truth_pairs(truth))}
    by_doc = {r.doc_id: r for r in docs.itertuples()}
    res["routed"] = sum(1 for f, p in truth["plans"].items()
                        if ids.get(f) in by_doc and by_doc[ids[f]].reference_doc_id == ids.get(p["parent"]))
    res["routed_cited"] = sum(1 for f, p in truth["plans"].items()
                              if ids.get(f) in by_doc and by_doc[ids[f]].reference_doc_id == ids.get(p["parent"])
                              and by_doc[ids[f]].reference_match == "cited")
    res["misrouted"] = [
        f"{f} -> {file_of.get(by_doc[ids[f]].reference_doc_id, by_doc[ids[f]].reference_doc_id)} "
        f"({by_doc[ids[f]].reference_match}; true {p['parent']}, cited as {p['cited_number']!r})"
        for f, p in truth["plans"].items()
        if ids.get(f) in by_doc and (by_doc[ids[f]].reference_doc_id != ids.get(p["parent"])
                                     or by_doc[ids[f]].reference_match != "cited")]
    lineage = read(out, "lineage")
    if lineage is None or root is None:
        res["f1"] = None
    else:
        mapping = root_mapping(score, truth, items, root)
        lin = lineage[lineage.root_doc_id == root]
        pred = {(mapping[r.root_item_id], file_of.get(r.doc_id, r.doc_id)) for r in lin.itertuples()
                if r.status in REACHED and r.root_item_id in mapping}
        res["p"], res["r"], res["f1"] = prf(pred, truth_pairs(truth))
        n_scored = sum(1 for it in truth["root"]["items"] if it["scored"])
        res["unmapped_root_items"] = n_scored - len(set(mapping.values()))
        # depth and path of every plan as the lineage table has them
        depth_right = path_right = 0
        for f, p in truth["plans"].items():
            mine = lin[lin.doc_id == ids.get(f)]
            if mine.empty:
                continue
            first = mine.iloc[0]
            depth_right += int(first.depth == p["depth"])
            path_right += int([file_of.get(d, d) for d in list(first.path)] == p["path"])
        res["depth_right"], res["path_right"] = depth_right, path_right
        statuses = {(mapping[r.root_item_id], file_of.get(r.doc_id, r.doc_id)): (r.status, r.lost_at)
                    for r in lin.itertuples() if r.root_item_id in mapping}
        agree = total = lost_right = lost_total = 0
        for row in truth["lineage"]:
            key = (row["root_item"], row["plan"])
            if key in statuses:
                total += 1
                agree += int(statuses[key][0] == row["status"])
                if row["status"] == "dropped":
                    lost_total += 1
                    lost_right += int(file_of.get(statuses[key][1]) == row["lost_at"])
        res["status_agree"], res["status_total"] = agree, total
        res["lost_right"], res["lost_total"] = lost_right, lost_total
    if direct:
        res["direct"] = direct_peer(score, truth, set_dir)
    return res


def print_chains(label: str, results: list[tuple[str, dict]]) -> float | None:
    print(f"\n== lineage, {label}")
    f1s = []
    for name, res in results:
        line = f"   {name:<22} plans {res['plans']}, routed to the true parent {res['routed']} " \
               f"({res['routed_cited']} cited)"
        if res.get("f1") is not None:
            f1s.append(res["f1"])
            line += (f"; lineage P {res['p']:.3f} R {res['r']:.3f} F1 {res['f1']:.3f} over {res['gold']} reached "
                     f"pairs; depth right {res['depth_right']}/{res['plans']}, path right {res['path_right']}/"
                     f"{res['plans']}; status agrees {share(res['status_agree'], res['status_total'])}, "
                     f"lost_at right {share(res['lost_right'], res['lost_total'])}; "
                     f"root items not found in items {res['unmapped_root_items']}")
        else:
            line += "; no lineage table"
        for m in res["misrouted"]:
            line += f"\n   {'':<22} ! {m}"
        if "direct" in res:
            p, r, f = res["direct"]
            line += f"\n   {'':<22} peer direct (each plan aligned straight against the province): " \
                    f"P {p:.3f} R {r:.3f} F1 {f:.3f}"
        print(line)
    if not f1s:
        return None
    mean = sum(f1s) / len(f1s)
    print(f"   mean lineage F1 {mean:.3f} (min {min(f1s):.3f})")
    return min(f1s)


# ----------------------------------------------------------------------------- speed

def print_speed(cmd: str, scaled: Path, out: Path, verbose: bool) -> float | None:
    truth = json.loads((scaled / "truth.json").read_text(encoding="utf-8"))
    n = len(truth["children"])
    print(f"\n== speed: {n} plans against the library of three")
    ok_lib, t_lib, err = run_plandiff(cmd, scaled / "plans", [scaled / "refs"], out / "scaled_library", verbose)
    one = sorted((scaled / "refs").glob("a_*.txt"))[0]
    ok_one, t_one, err1 = run_plandiff(cmd, scaled / "plans", [one], out / "scaled_one", verbose)
    print(f"   library run {t_lib:.1f} s{'' if ok_lib else ' FAILED ' + err}; one FILE reference {t_one:.1f} s"
          f"{'' if ok_one else ' FAILED ' + err1}; difference {(t_lib - t_one) / t_lib:+.1%} of the library run")
    docs = read(out / "scaled_library", "documents")
    if docs is not None and "reference_doc_id" in docs:
        rows = routing_rows(truth, docs, scaled)
        print_routing("scaled", rows, False, {})
    routing_share = None
    try:
        from plandiff import routing
    except ImportError:
        print("   plandiff.routing not importable: route() not timed")
        return None
    t0 = time.perf_counter()
    parsed_plans = list(parse_dir(scaled / "plans").values())
    parsed_refs = list(parse_dir(scaled / "refs").values())
    t_parse = time.perf_counter() - t0
    params = inspect.signature(routing.route).parameters
    t0 = time.perf_counter()
    if "config" in params:
        from plandiff.pipeline import RunConfig
        routing.route(parsed_plans, parsed_refs, RunConfig())
    else:
        routing.route(parsed_plans, parsed_refs)
    t_route = time.perf_counter() - t0
    routing_share = t_route / t_lib if ok_lib else None
    print(f"   route() on the {n} parsed plans: {t_route:.2f} s (parsing them in this process: {t_parse:.1f} s); "
          f"share of the library run: {routing_share:.1%}" if routing_share is not None else "")
    return routing_share


# ----------------------------------------------------------------------------- main

def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sets", default=None, help="sets written by make_routing_sets.py (default: generate)")
    ap.add_argument("--out", default=str(Path(tempfile.gettempdir()) / "plandiff_routing_bench"),
                    help="folder for the sets and the runs")
    ap.add_argument("--plans", type=int, default=1000, help="plans in the speed run (0: skip)")
    ap.add_argument("--plandiff", default=str(REPO / ".venv" / "bin" / "plandiff"), help="the command to run")
    ap.add_argument("--skip-run", action="store_true", help="score the tables already in --out")
    ap.add_argument("--no-heldout", action="store_true", help=f"leave out the held-out chains (seed {HELDOUT_SEED})")
    ap.add_argument("--no-peers", action="store_true")
    ap.add_argument("--no-restore", action="store_true",
                    help="pass --no-restore to plandiff run (the synthetic texts keep their diacritics)")
    ap.add_argument("-v", "--verbose", action="store_true")
    args = ap.parse_args(argv)
    if args.no_restore:
        EXTRA_ARGS.append("--no-restore")
    out = Path(args.out)
    bench = require(shared("bench"), "PLANDIFF_SHARED")
    ms = load_make_synth(bench)
    score = load_score_module(bench)
    if args.sets:
        sets = require(args.sets, "--sets DIR")
    else:
        sets = out / "sets"
        generate_batch(ms, 1, sets / "mixed", 30, 5)
        for seed in TUNING_SEEDS:
            generate_chains(ms, seed, sets / f"chains_s{seed:02d}")
        if not args.no_heldout:
            generate_chains(ms, HELDOUT_SEED, sets / f"heldout_chains_s{HELDOUT_SEED:02d}", heldout=True)
        if args.plans:
            generate_batch(ms, 1, sets / "scaled", args.plans, max(1, args.plans // 6), with_items=False)
    runs = out / "runs"

    # --- mixed batch
    mixed = sets / "mixed"
    truth = json.loads((mixed / "truth.json").read_text(encoding="utf-8"))
    print(f"== routing: {len(truth['children'])} plans against {len(truth['refs'])} parents ({mixed})")
    if not args.skip_run:
        ok, wall, err = run_plandiff(args.plandiff, mixed / "plans", [mixed / "refs"], runs / "mixed", args.verbose)
        print(f"   run {wall:.1f} s" + ("" if ok else f" FAILED: {err}"))
    docs = read(runs / "mixed", "documents")
    result: dict = {}
    if docs is None or "reference_doc_id" not in docs:
        print("   no routing columns in documents: routing has not landed")
    else:
        names = {r.doc_id: Path(str(r.source_path)).name for r in docs.itertuples()}
        result = print_routing("plandiff", routing_rows(truth, docs, mixed), args.verbose, names)
    if not args.no_peers:
        parsed = {"refs": parse_dir(mixed / "refs"), "plans": parse_dir(mixed / "plans")}
        names = {d.doc_id: p.name for p, d in parsed["refs"].items()}
        for kind in ("citation", "content"):
            print_routing(kind, peer_rows(truth, mixed, kind, parsed), args.verbose, names)

    # --- chains
    chain_results: dict[str, list[tuple[str, dict]]] = {"tuning": [], "heldout": []}
    for set_dir in sorted(p for p in sets.iterdir() if "chains_s" in p.name and (p / "truth.json").exists()):
        if args.no_heldout and set_dir.name.startswith("heldout"):
            continue
        if not args.skip_run:
            run_plandiff(args.plandiff, set_dir / "plans", [set_dir / "refs"], runs / set_dir.name, args.verbose)
        res = score_chain(score, set_dir, runs / set_dir.name, not args.no_peers)
        chain_results["heldout" if set_dir.name.startswith("heldout") else "tuning"].append((set_dir.name, res))
    f1_tuning = print_chains("tuning seeds", chain_results["tuning"]) if chain_results["tuning"] else None
    f1_heldout = (print_chains(f"held-out seed {HELDOUT_SEED} (never tuned on)", chain_results["heldout"])
                  if chain_results["heldout"] else None)

    # --- speed
    routing_share = None
    if args.plans and (sets / "scaled").exists() and not args.skip_run:
        routing_share = print_speed(args.plandiff, sets / "scaled", runs, args.verbose)

    bars = [result.get("accuracy", 0) >= ROUTING_BAR, result.get("flagged", 0) >= FLAG_BAR,
            (f1_tuning or 0) >= LINEAGE_BAR]
    if f1_heldout is not None:
        bars.append(f1_heldout >= LINEAGE_BAR)
    if routing_share is not None:
        bars.append(routing_share < SHARE_BAR)
    print(f"\nbars (routing >= {ROUTING_BAR}, uncited flagged >= {FLAG_BAR}, lineage F1 >= {LINEAGE_BAR} on every "
          f"chain set, routing < {SHARE_BAR:.0%} of a {args.plans}-plan run): {'met' if all(bars) else 'NOT met'}")

    def fmt(v):
        return "n/a" if v is None else f"{v:.3f}"
    print(f"routing_accuracy={fmt(result.get('accuracy'))} cited_match={fmt(result.get('cited'))} "
          f"uncited_flagged={fmt(result.get('flagged'))} lineage_f1_tuning_min={fmt(f1_tuning)} "
          f"lineage_f1_heldout_min={fmt(f1_heldout)} routing_share={fmt(routing_share)} "
          f"bars={'met' if all(bars) else 'not_met'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
