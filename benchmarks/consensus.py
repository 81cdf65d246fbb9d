#!/usr/bin/env python3
"""Consensus benchmark: how much of the true parent `--reference auto` recovers.

    .venv/bin/python benchmarks/consensus.py [--sets DIR] [--synth DIR] [--plans 1000] [--no-samples]

For every synthetic set (the template-family and two-level sets written by
make_family_sets.py, generated into a temporary folder unless --sets names
one, and the bench's own synth sets), the children are parsed and the
consensus is inferred twice, in the same run:

  families  infer_consensus(children): near-copies count as one witness (the new rule)
  plans     infer_consensus(children, group_families=False): every plan is a witness (the old rule)

and judged against the parsed parent.txt by plandiff's aligner (carried or
modified pairs of the consensus with the parent at the default threshold):
recall = share of the parent's tasks and points (what truth.json scores)
paired with a consensus item, precision = share of the consensus's tasks and
points paired with a parent item.  `reach`
is the recall ceiling from truth.json: the share of the parent's items that at
least min_support independent witnesses (true families) carry.  Bars on
the family sets: recall >= 0.97, precision >= 0.95, ahead of the plan rule;
on the bench's sets (no families), no worse than the plan rule.

Then the time to infer over 1,000 plans built in memory (bar: < 60 s), with
how many of the near-copy links found join plans the generator did not copy
from one another; their additions come from the other sets' parents (~250
items, each drawn by about 14 plans), so recall and precision there describe
that pool more than the rule.  Last, what the consensus gives on the five
sample plans (data/seeds).
"""
from __future__ import annotations

import argparse
import dataclasses
import json
import random
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from make_family_sets import generate_set, load_make_synth
from plandiff.align import AlignConfig, Status, align, alignable
from plandiff.align.consensus import Consensus, Origin, infer_consensus
from plandiff.align.matching import global_pairs, score_matrix
from plandiff.align.similarity import match_text
from plandiff.ingest import IngestConfig, ingest
from plandiff.parse import parse
from plandiff.parse.model import ItemKind, PlanDocument
from shared_paths import REPO, require, shared

RECALL_BAR, PRECISION_BAR, SPEED_BAR = 0.97, 0.95, 60.0
PAIRED = (Status.CARRIED, Status.MODIFIED)
# The 1,000-plan run: one plan in COPY_SHARE is a near-copy of an earlier plan
# (keeping COPY_KEEP of its items), the others keep each parent item with
# probability KEEP and add 2-5 items from other plans, some lightly reworded.
COPY_SHARE, COPY_KEEP, KEEP, REWORD = 0.2, 0.96, 0.8, 0.3
CLEAN = IngestConfig(restore_diacritics=False)   # synthetic texts keep their diacritics


def read_plan(path: Path, config: IngestConfig = CLEAN) -> PlanDocument:
    return parse(ingest(path, config))


def scored(plan: PlanDocument) -> set[str]:
    """Ids of the items the truth scores: alignable tasks and points.  Section
    headings are structure in truth.json, never scored (an agency heading
    renamed for the child's level is no lost item)."""
    return {it.item_id for it in alignable(plan) if it.kind is not ItemKind.SECTION}


def judge(consensus: Consensus, parent: PlanDocument) -> tuple[float, float, int]:
    """Recall and precision of the consensus against the true parent, and its size."""
    reference = consensus.reference
    rows = align(parent, reference)
    in_parent, in_consensus = scored(parent), scored(reference)
    paired_ref = {r.reference_item_id for r in rows if r.status in PAIRED} & in_consensus
    paired_parent = {r.item_id for r in rows if r.status in PAIRED} & in_parent
    recall = len(paired_parent) / len(in_parent) if in_parent else 1.0
    precision = len(paired_ref) / len(in_consensus) if in_consensus else 1.0
    return recall, precision, len(in_consensus)


def reachable(set_dir: Path, min_support: int) -> float:
    """The recall ceiling: share of the parent's scored items that the truth says
    at least min_support independent witnesses (true families) carried."""
    truth = json.loads((set_dir / "truth.json").read_text(encoding="utf-8"))
    family = {key: group[0] for group in truth.get("families", []) for key in group}
    carriers: dict[str, set[str]] = {}
    for child in truth["children"]:
        for fate in child["fates"]:
            if fate["status"] != "dropped":
                carriers.setdefault(fate["parent"], set()).add(family.get(child["key"], child["key"]))
    scored = [it["id"] for it in truth["parent"]["items"] if it["scored"]]
    return sum(1 for i in scored if len(carriers.get(i, ())) >= min_support) / max(len(scored), 1)


def run_set(set_dir: Path) -> dict:
    parent = read_plan(set_dir / "parent.txt")
    paths = [p for p in sorted((set_dir / "children").iterdir()) if p.suffix in (".txt", ".pdf")]
    children = [read_plan(p) for p in paths]
    out: dict = {"reach": reachable(set_dir, AlignConfig().min_support)}
    for rule, grouped in (("families", True), ("plans", False)):
        consensus = infer_consensus(children, group_families=grouped)
        out[rule] = judge(consensus, parent)
        if grouped:
            names = {c.doc_id: p.stem.split("_")[0] for c, p in zip(children, paths, strict=True)}
            groups: dict[str, list[str]] = {}
            for doc, fam in consensus.families.family_of.items():
                groups.setdefault(fam, []).append(names[doc])
            out["found"] = sorted(sorted(g) for g in groups.values() if len(g) > 1)
    return out


def print_sets(label: str, set_dirs: list[Path]) -> dict[str, list[tuple[float, float]]]:
    print(f"\n== {label}")
    print(f"   {'set':<12} {'reach':>6} {'families R':>10} {'P':>6} {'n':>4}   {'plans R':>8} {'P':>6} {'n':>4}"
          "   families found")
    totals: dict[str, list[tuple[float, float]]] = {"families": [], "plans": []}
    for set_dir in set_dirs:
        res = run_set(set_dir)
        fr, fp, fn = res["families"]
        pr, pp, pn = res["plans"]
        totals["families"].append((fr, fp))
        totals["plans"].append((pr, pp))
        print(f"   {set_dir.name:<12} {res['reach']:>6.3f} {fr:>10.3f} {fp:>6.3f} {fn:>4}   "
              f"{pr:>8.3f} {pp:>6.3f} {pn:>4}   {res['found']}")
    for rule, values in totals.items():
        recall = sum(v[0] for v in values) / len(values)
        precision = sum(v[1] for v in values) / len(values)
        print(f"   mean {rule:<8} recall {recall:.3f} precision {precision:.3f}")
    return totals


# ----------------------------------------------------------------------------- 1,000 plans

def _reworded(text: str, rng: random.Random) -> str:
    """A light rewording: one word dropped or two neighbours swapped."""
    words = text.split()
    if len(words) < 6:
        return text
    k = rng.randrange(len(words) - 1)
    if rng.random() < 0.5:
        del words[k]
    else:
        words[k], words[k + 1] = words[k + 1], words[k]
    return " ".join(words)


def many_plans(parent: PlanDocument, others: list, n_plans: int,
               seed: int = 11) -> tuple[list[PlanDocument], dict[str, str]]:
    """n_plans in memory from one parent, a fifth of them near-copies of an
    earlier plan; also the family (first original) of every plan."""
    rng = random.Random(seed)
    base = alignable(parent)
    plans: list[PlanDocument] = []
    family: dict[str, str] = {}
    for number in range(n_plans):
        doc_id = f"many:{number:04d}"
        if plans and rng.random() < COPY_SHARE:
            template = rng.choice(plans)
            family[doc_id] = family[template.doc_id]
            source = [it for it in template.items if rng.random() < COPY_KEEP]
        else:
            family[doc_id] = doc_id
            source = [it for it in base if rng.random() < KEEP]
            for _ in range(rng.randint(2, 5)):
                source.insert(rng.randrange(len(source) + 1), rng.choice(others))
            source = [dataclasses.replace(it, text=_reworded(it.text, rng)) if rng.random() < REWORD else it
                      for it in source]
        items = tuple(dataclasses.replace(it, item_id=f"{doc_id}:{k}", parent_id=None, ordinal=k, depth=1)
                      for k, it in enumerate(source))
        plans.append(PlanDocument(doc_id=doc_id, meta=parent.meta, items=items))
    return plans, family


def print_speed(set_dirs: list[Path], n_plans: int) -> float:
    parent = read_plan(set_dirs[0] / "parent.txt")
    others = [it for d in set_dirs[1:] for it in alignable(read_plan(d / "parent.txt"))]
    plans, true_family = many_plans(parent, others, n_plans)
    print(f"\n== speed: infer_consensus over {n_plans} plans ({parent.doc_id} of {set_dirs[0].name} as parent, "
          f"{int(COPY_SHARE * 100)} % near-copies)")
    seconds = 0.0
    for rule, grouped in (("families", True), ("plans", False)):
        t0, c0 = time.perf_counter(), time.process_time()
        consensus = infer_consensus(plans, group_families=grouped)
        wall, cpu = time.perf_counter() - t0, time.process_time() - c0
        recall, precision, n = judge(consensus, parent)
        found = consensus.families.family_of
        n_families = len(set(found.values()))
        # Pairs of plans put in one family: how many the truth puts together too.
        wrong = sum(1 for link in consensus.families.links
                    if true_family[link.doc_a] != true_family[link.doc_b])
        print(f"   {rule:<8} {wall:6.1f} s wall, {cpu:6.1f} s CPU; {n_families} families "
              f"(true {len(set(true_family.values()))}; {wrong} of {len(consensus.families.links)} "
              f"near-copy links wrong); "
              f"{n} items, recall {recall:.3f} precision {precision:.3f}")
        if grouped:
            seconds = wall
    return seconds


# ----------------------------------------------------------------------------- sample plans

def direct_share(a: PlanDocument, b: PlanDocument, threshold: float) -> float:
    """Copy share measured directly with the aligner's wording score (score_matrix)."""
    left, right = [match_text(i) for i in alignable(a)], [match_text(i) for i in alignable(b)]
    pairs = global_pairs(score_matrix(left, right), threshold)
    return len(pairs) / max(min(len(left), len(right)), 1)


def print_samples() -> None:
    from plandiff.align.families import NEAR_VERBATIM
    paths = sorted((REPO / "data" / "seeds").glob("*.txt"))
    plans = [read_plan(p, IngestConfig()) for p in paths]
    name = {p.doc_id: path.name[:3] for p, path in zip(plans, paths, strict=True)}
    print(f"\n== the five sample plans (data/seeds, diacritics restored): "
          f"{', '.join(f'{name[p.doc_id]} {p.meta.admin_level.value}' for p in plans)}")
    for rule, grouped in (("plans", False), ("families", True)):
        consensus = infer_consensus(plans, group_families=grouped)
        evidence = list(consensus.evidence.values())
        by_support = dict(sorted(Counter(e.support for e in evidence).items()))
        print(f"   {rule:<8} {len(evidence)} items; by support {by_support}")
        if not grouped:
            # Under the plan rule: how many items rest on the plans of one family only
            # (the families as the new rule finds them).
            family_of = infer_consensus(plans).families.family_of
            single = sum(1 for e in evidence if len({family_of[d] for d in e.plans}) == 1)
            print(f"            of which supported by one template family only: {single}")
        else:
            groups = Counter(consensus.families.family_of.values())
            for fam, size in groups.items():
                if size > 1:
                    members = [name[d] for d, f in consensus.families.family_of.items() if f == fam]
                    print(f"            family {name[fam]}: {sorted(members)}")
            for link in consensus.families.links:
                a = next(p for p in plans if p.doc_id == link.doc_a)
                b = next(p for p in plans if p.doc_id == link.doc_b)
                print(f"            {name[a.doc_id]}~{name[b.doc_id]}: copy share {link.copy_share:.2f} (direct, "
                      f"score_matrix >= {NEAR_VERBATIM}: {direct_share(a, b, NEAR_VERBATIM):.2f}), "
                      f"copy correlation {link.correlation:.2f}")
            print(f"            dropped as one family's echo: {consensus.single_family_dropped}; origin "
                  f"{dict(Counter(e.origin.value for e in evidence))}; weighted support "
                  f"{dict(sorted(Counter(e.weighted_support for e in evidence).items()))}")
            assert all(e.origin is Origin.PARENT for e in evidence)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sets", default=None, help="family/level sets from make_family_sets.py (default: generate)")
    ap.add_argument("--seeds", default="1,2,3,4", help="seeds of the generated sets")
    ap.add_argument("--synth", default=None, help="the bench's synth sets (default: shared bench/synth)")
    ap.add_argument("--plans", type=int, default=1000, help="plans in the speed run (0: skip)")
    ap.add_argument("--no-samples", action="store_true")
    args = ap.parse_args(argv)
    config = AlignConfig()
    print(f"min_support {config.min_support}, cluster_threshold {config.cluster_threshold}")
    with tempfile.TemporaryDirectory() as tmp:
        if args.sets:
            sets_root = require(args.sets, "--sets DIR")
        else:
            sets_root = Path(tmp)
            ms = load_make_synth(require(shared("bench"), "--synth DIR"))
            for seed in (int(s) for s in args.seeds.split(",") if s.strip()):
                for kind in ("family", "levels"):
                    generate_set(ms, kind, seed, sets_root / f"{kind}_s{seed:02d}")
        family_sets = sorted(p for p in sets_root.iterdir() if (p / "truth.json").exists())
        results = print_sets("template-family and two-level sets (make_family_sets.py)", family_sets)
        synth = require(args.synth, "--synth DIR") if args.synth else shared("bench", "synth")
        bench_sets = sorted(p for p in synth.iterdir() if (p / "truth.json").exists()) if synth.is_dir() else []
        if bench_sets:
            bench = print_sets(f"the bench's synth sets ({synth})", bench_sets)
        seconds = print_speed(family_sets, args.plans) if args.plans else None
    if not args.no_samples:
        print_samples()
    ok = [min(r for r, _ in results["families"]) >= RECALL_BAR,
          min(p for _, p in results["families"]) >= PRECISION_BAR]
    if bench_sets:
        ok.append(all(f[0] >= p[0] and f[1] >= p[1] for f, p in zip(bench["families"], bench["plans"], strict=True)))
    if seconds is not None:
        ok.append(seconds < SPEED_BAR)
    print(f"\nbars (family sets recall >= {RECALL_BAR} and precision >= {PRECISION_BAR} on every set; bench sets "
          f"no worse than the plan rule; {args.plans} plans < {SPEED_BAR:.0f} s): {'met' if all(ok) else 'NOT met'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
