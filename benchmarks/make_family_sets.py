#!/usr/bin/env python3
"""Synthetic plan sets with template families and with children of two levels.

    .venv/bin/python benchmarks/make_family_sets.py --out OUT [--seeds 1,2,3,4]

Built on the bench's generator (`make_synth.py` in bench/ of the shared
folder, see benchmarks/shared_paths.py): a parent plan composed from the item
pool, children derived from it the way subordinate bodies derive their plans,
and a truth.json in the bench's schema.  Two kinds of set per seed:

* `family_sNN`: four independent commune plans of the parent, plus a
  *template family*: one commune plan that adds several items of its own
  (the template) and one or two near-copies of it, derived from the template
  rather than from the parent (few drops, one or two additions, attributes
  mostly kept).  The family's members share the template's additions; none of
  them is a parent item.
* `levels_sNN`: a provincial parent with two district plans and three commune
  plans derived from it directly, plus a commune template family of two.

Unlike make_synth.py's sets, no two plans outside one family add the same pool
item: independent plans that happen to add the same text are, to any count of
witnesses, a parent item, and would blur what these sets measure (the bench's
own sets keep such coincidences; benchmarks/consensus.py reports both).

truth.json adds `"families": [[child keys], ...]` (members of each template
family, template first) to the bench's schema; the fates of a near-copy point
at the parent's items (an item the copy took from its template's additions
is `added`).  Children are written as text only (one paragraph per line, or
hard-wrapped like PDF text), which keeps generation to a second a set.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import sys
from pathlib import Path
from types import ModuleType

from shared_paths import load_script, require, shared

TEXT_FORMATS = ("txt_para", "txt_wrapped")
# The template adds more of its own than an ordinary child (2-5), so that the
# family's shared additions are a visible share of what the consensus sees.
TEMPLATE_ADDITIONS = (3, 6)
# A near-copy fills in the template for another commune: it keeps about 96 %
# of the template's items word for word (the sample plans 001 and 002 share
# 96 % at wording score 0.9), adds one or two items and changes few attributes.
COPY_DROP = 0.04
COPY_MODIFY = 0.1
COPY_ADDITIONS = (1, 2)
COPY_REORDER = 0.2
# Independent plans beside the family: with five witnesses in all, an item a
# plan drops with the profile's 20 % is still found in two of them 99 % of the
# time, so what the sets measure is the family, not chance drops.
INDEPENDENT_COMMUNES = 4


def load_make_synth(bench: Path) -> ModuleType:
    """The bench's generator as a module (it is a script beside its benchlib)."""
    return load_script(bench / "make_synth.py", "make_synth")


def _child_spec(ms: ModuleType, key: str, level: str, name: str, fmt: str, **overrides):
    profile = ms.PROFILES["public"]
    values = dict(p_drop=profile.p_drop, p_drop_section=profile.p_drop_section, p_modify=profile.p_modify,
                  n_add=profile.n_add, p_reorder=profile.p_reorder, p_relevel=profile.p_relevel)
    values.update(overrides)
    return ms.ChildSpec(key, level, level, name, fmt, **values)


def _block_additions(ctx, doc):
    """Keep the pool items `doc` added from being added by any later plan."""
    for it, _, _ in doc.items():
        if it.status == "added" and it.pool_id in ctx.picker.by_id:
            ctx.picker.block(ctx.picker.by_id[it.pool_id])
    return doc


def derive_copy(ms: ModuleType, ctx, template, spec):
    """A near-copy of `template` (a child document): derived from it with the
    bench's own derivation, then its provenance traced back to the parent."""
    parent = ctx.parent
    by_uid = {it.uid: it for it, _, _ in template.items()}
    spec.meta_fn = lambda c, s, _: ms.child_doc_meta(c, s, parent)  # it cites the parent, not the template
    ctx.parent = template
    try:
        copy = ms.derive_child(ctx, spec)
    finally:
        ctx.parent = parent
    for it, _, _ in copy.items():
        if not it.scored or not it.parents:
            continue
        source = by_uid[it.parents[0]]
        it.parents = list(source.parents)
        if source.status == "added":
            it.status = "added"
            it.adaptations.append("template_addition")
        elif it.changes:
            it.status = "modified"
    return copy


def generate_set(ms: ModuleType, kind: str, seed: int, out: Path) -> dict:
    """One set (kind `family` or `levels`) in `out`; returns its truth."""
    profile = ms.PROFILES["public"]
    pool_path = Path(ms.HERE) / "pool.json"
    pool = json.loads(pool_path.read_text(encoding="utf-8"))
    rng = random.Random(f"families:{kind}:{seed}")
    ctx = ms.Ctx(profile, seed, rng, pool, ms.Picker(pool, rng), out=str(out))
    children_dir = out / "children"
    children_dir.mkdir(parents=True, exist_ok=True)
    for old in children_dir.iterdir():
        old.unlink()
    if kind == "levels":
        # compose_parent draws the parent's level from the profile: a province here,
        # so that children of two levels below it (district, commune) make sense.
        ctx.profile = ms.Profile("levels", parent_levels=("province",))
    parent = ms.compose_parent(ctx)
    ctx.profile = profile
    ctx.parent = parent
    ms.assign_labels(parent)
    parent_path = out / "parent.txt"
    ms.write_txt(parent, str(parent_path), rng, wrapped=False)

    communes = rng.sample(ms.L.COMMUNES, 8)
    districts = rng.sample(ms.L.DISTRICTS, 2)
    fmt = iter(TEXT_FORMATS[k % 2] for k in range(100))
    specs = []
    if kind == "levels":
        specs += [_child_spec(ms, f"c{k + 1:02d}", "district", districts[k], next(fmt)) for k in range(2)]
        specs += [_child_spec(ms, f"c{k + 3:02d}", "commune", communes[k], next(fmt)) for k in range(3)]
        n_copies = 1
    else:
        specs += [_child_spec(ms, f"c{k + 1:02d}", "commune", communes[k], next(fmt))
                  for k in range(INDEPENDENT_COMMUNES)]
        n_copies = 1 + seed % 2   # families of two and of three members
    children = [_block_additions(ctx, ms.derive_child(ctx, spec)) for spec in specs]
    key = len(children) + 1
    used = sum(1 for spec in specs if spec.level == "commune")   # commune names taken
    template = _block_additions(ctx, ms.derive_child(
        ctx, _child_spec(ms, f"c{key:02d}", "commune", communes[used], next(fmt),
                         n_add=TEMPLATE_ADDITIONS)))
    family = [template]
    for k in range(n_copies):
        spec = _child_spec(ms, f"c{key + 1 + k:02d}", "commune", communes[used + 1 + k], next(fmt),
                           p_drop=COPY_DROP, p_drop_section=0.0, p_modify=COPY_MODIFY, n_add=COPY_ADDITIONS,
                           p_reorder=COPY_REORDER)
        family.append(_block_additions(ctx, derive_copy(ms, ctx, template, spec)))
    children += family
    for child in children:
        ms.assign_labels(child)
        child.file = ms.FORMATS[child.fmt](ctx, child, str(out))
    truth = {
        "schema": "plandiff-synth-truth/1", "generator": f"{ms.GENERATOR_VERSION}+make_family_sets/1",
        "profile": kind, "seed": seed,
        "pool_sha256": hashlib.sha256(pool_path.read_bytes()).hexdigest(),
        "parent": ms.doc_meta(parent, str(parent_path)),
        "children": [], "families": [[c.key for c in family]],
    }
    for child in children:
        record = ms.doc_meta(child, os.path.join(out, child.file))
        record["file"] = child.file
        record["fates"] = ms.fates(parent, child)
        truth["children"].append(record)
    truth["summary"] = ms.summarize(truth)
    (out / "truth.json").write_text(json.dumps(truth, ensure_ascii=False, indent=1), encoding="utf-8")
    return truth


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", required=True, help="folder for the sets (one sub-folder per set)")
    ap.add_argument("--seeds", default="1,2,3,4", help="comma-separated seeds; each gives one set of each kind")
    ap.add_argument("--bench", default=None, help="the bench folder with make_synth.py (default: shared bench/)")
    args = ap.parse_args(argv)
    bench = require(args.bench, "--bench DIR") if args.bench else require(shared("bench"), "--bench DIR")
    ms = load_make_synth(bench)
    out = Path(args.out)
    for seed in (int(s) for s in args.seeds.split(",") if s.strip()):
        for kind in ("family", "levels"):
            truth = generate_set(ms, kind, seed, out / f"{kind}_s{seed:02d}")
            summary = truth["summary"]
            print(f"{kind}_s{seed:02d}: parent ({truth['parent']['admin_level']}) "
                  f"{summary['parent_scored_items']} scored items; family {truth['families'][0]}")
            for c in summary["children"]:
                print(f"  {c['key']} {c['level']:<9} fates={c['parent_fates']} added={c['added']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
