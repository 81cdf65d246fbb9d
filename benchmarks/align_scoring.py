"""Scoring for benchmarks/align.py: plandiff's items mapped to hand-built gold items,
the two peers (a linear redline and greedy best match), and the P/R/F1 measures.
The definitions are in benchmarks/align.py's docstring (the same as score.py's)."""
from __future__ import annotations

import difflib
import re
from collections import Counter, defaultdict
from pathlib import Path

import numpy as np
from plandiff.ingest.textnorm import fold
from rapidfuzz import fuzz

ROOT = Path(__file__).resolve().parent.parent
FIELDS = ("lead", "partners", "timeline", "frequency")
SKIPPED_PARTS = {"preamble", "closing", "other"}
_WORD = re.compile(r"\w+", re.UNICODE)
MIN_FOUND = 0.5          # share of a gold item's words that must be in its plandiff item
PEER_THRESHOLD = 60      # rapidfuzz score for the peers
# Embeddings alone: pairs by global assignment on the e5 cosine, from this cosine up.
# Chosen before looking at any result, from the cosines' spread on the sample plans
# (same-topic items of two plans sit at 0.85-0.93; near-copies at 0.95 and above).
EMBEDDING_PEER_CUT = 0.92


# ----------------------------------------------------------------------------- small helpers

def words(text: str) -> list[str]:
    return _WORD.findall(fold(text or ""))


def key(text) -> str:
    return " ".join(words(text or ""))


def sval(v):
    return getattr(v, "value", v)


def prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else (1.0 if fn == 0 else 0.0)
    r = tp / (tp + fn) if tp + fn else (1.0 if fp == 0 else 0.0)
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def fmt(x) -> str:
    return "n/a" if x is None else f"{x:.3f}"


class Node:
    """A parsed item reduced to what the benchmark needs (from plandiff Items or from an items table)."""

    __slots__ = ("id", "kind", "part", "text", "lead", "partners", "timeline", "frequency")

    def __init__(self, id, kind, part, text, lead=None, partners=(), timeline=None, frequency=None):
        self.id, self.kind, self.part, self.text = str(id), str(kind), str(part), text or ""
        self.lead, self.partners, self.timeline, self.frequency = lead, tuple(partners or ()), timeline, frequency

    @classmethod
    def of_item(cls, it) -> Node:
        text = " ".join(x for x in (it.heading, it.text) if x)
        return cls(it.item_id, sval(it.kind), sval(it.part), text, it.lead, it.partners, it.timeline, it.frequency)

    def alignable(self) -> bool:
        return self.kind in ("task", "point") and self.part not in SKIPPED_PARTS and bool(self.text.strip())


def attr_changes(ref: Node, item: Node) -> list[str]:
    out = []
    for f in FIELDS:
        if f == "partners":
            a = frozenset(k for k in map(key, ref.partners) if k)
            b = frozenset(k for k in map(key, item.partners) if k)
        else:
            a, b = key(getattr(ref, f)), key(getattr(item, f))
        if a != b:
            out.append(f)
    return out


# A row: (reference_item_id | None, item_id | None, status, changes)

def peer_redline(ref: list[Node], plan: list[Node]) -> list[tuple]:
    """Linear redline: difflib over the two item sequences (folded texts); equal/replace -> pairs."""
    a = [key(n.text) for n in ref]
    b = [key(n.text) for n in plan]
    rows = []
    sm = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for op, i1, i2, j1, j2 in sm.get_opcodes():
        if op == "equal":
            for i, j in zip(range(i1, i2), range(j1, j2), strict=False):
                ch = attr_changes(ref[i], plan[j])
                rows.append((ref[i].id, plan[j].id, "modified" if ch else "carried", ch))
            continue
        used_i, used_j = set(), set()
        if op == "replace":
            for i, j in zip(range(i1, i2), range(j1, j2), strict=False):
                if fuzz.ratio(a[i], b[j]) >= PEER_THRESHOLD:
                    ch = attr_changes(ref[i], plan[j])
                    rows.append((ref[i].id, plan[j].id, "modified" if ch else "carried", ch))
                    used_i.add(i)
                    used_j.add(j)
        rows += [(ref[i].id, None, "dropped", []) for i in range(i1, i2) if i not in used_i]
        rows += [(None, plan[j].id, "added", []) for j in range(j1, j2) if j not in used_j]
    return rows


def peer_greedy(ref: list[Node], plan: list[Node]) -> list[tuple]:
    """Each plan item (in reading order) to the best unused reference item by fuzz.ratio >= 60."""
    a = [key(n.text) for n in ref]
    used = set()
    rows = []
    for it in plan:
        t = key(it.text)
        best, bi = -1.0, None
        for i, s in enumerate(a):
            if i in used:
                continue
            sc = fuzz.ratio(t, s)
            if sc > best:
                best, bi = sc, i
        if bi is not None and best >= PEER_THRESHOLD:
            used.add(bi)
            ch = attr_changes(ref[bi], it)
            rows.append((ref[bi].id, it.id, "modified" if ch else "carried", ch))
        else:
            rows.append((None, it.id, "added", []))
    rows += [(ref[i].id, None, "dropped", []) for i in range(len(ref)) if i not in used]
    return rows


def peer_embeddings(ref: list[Node], plan: list[Node], embedder) -> list[tuple]:
    """Meaning alone: each pair of items whose sentence embeddings (e5) are close, chosen
    globally (maximum total cosine above EMBEDDING_PEER_CUT); no wording, attributes or position."""
    from scipy.optimize import linear_sum_assignment

    rows, used_i, used_j = [], set(), set()
    if ref and plan:
        cosine = embedder.embed([n.text for n in ref]) @ embedder.embed([n.text for n in plan]).T
        margin = np.where(cosine >= EMBEDDING_PEER_CUT, cosine - EMBEDDING_PEER_CUT + 1e-6, 0.0)
        for i, j in zip(*linear_sum_assignment(-margin), strict=True):
            if margin[i, j] > 0:
                ch = attr_changes(ref[i], plan[j])
                rows.append((ref[i].id, plan[j].id, "modified" if ch else "carried", ch))
                used_i.add(i)
                used_j.add(j)
    rows += [(ref[i].id, None, "dropped", []) for i in range(len(ref)) if i not in used_i]
    rows += [(None, plan[j].id, "added", []) for j in range(len(plan)) if j not in used_j]
    return rows


# ----------------------------------------------------------------------------- gold <-> plandiff items

def map_gold(gold_items: list[dict], nodes: list[Node]) -> dict[str, str | None]:
    """Each gold item -> the plandiff item holding most of its words (monotone in reading order).

    score[g, t] = share of the gold text's words (folded, as a multiset) found in item t; a gold item is
    found when that share is >= MIN_FOUND.  A dynamic programme picks the assignment with the largest total
    score whose plandiff items never go backwards (so repeated texts map in order); ties prefer the item
    with the higher rapidfuzz partial_ratio."""
    G = [Counter(words(g["text"])) for g in gold_items]
    T = [Counter(words(n.text)) for n in nodes]
    ng, nt = len(G), len(T)
    S = np.zeros((ng, nt))
    for i, g in enumerate(G):
        L = sum(g.values()) or 1
        gtxt = key(gold_items[i]["text"])
        for j, t in enumerate(T):
            ov = sum((g & t).values()) / L
            if ov >= MIN_FOUND:
                S[i, j] = ov + fuzz.partial_ratio(gtxt, key(nodes[j].text)) / 1e4
    f = np.zeros((ng + 1, nt + 1))
    choice = np.zeros((ng + 1, nt + 1), dtype=np.int8)   # 0 unmapped, 1 map to j-1, 2 left
    for i in range(1, ng + 1):
        for j in range(0, nt + 1):
            best, c = f[i - 1, j], 0
            if j > 0 and S[i - 1, j - 1] > 0 and f[i - 1, j] + S[i - 1, j - 1] > best:
                best, c = f[i - 1, j] + S[i - 1, j - 1], 1
            if j > 0 and f[i, j - 1] > best:
                best, c = f[i, j - 1], 2
            f[i, j], choice[i, j] = best, c
    out: dict[str, str | None] = {g["key"]: None for g in gold_items}
    i, j = ng, nt
    while i > 0:
        c = choice[i, j]
        if c == 2:
            j -= 1
        elif c == 1:
            out[gold_items[i - 1]["key"]] = nodes[j - 1].id
            i -= 1
        else:
            i -= 1
    return out


def score_pair(gold: dict, ref_map: dict, plan_map: dict, rows: list[tuple]) -> dict:
    """Score one plan's rows against a gold file (see the module docstring for the definitions)."""
    c = Counter()
    inv_ref = defaultdict(set)
    for k, tid in ref_map.items():
        if tid is not None:
            inv_ref[tid].add(k)
    inv_plan = defaultdict(set)
    for k, tid in plan_map.items():
        if tid is not None:
            inv_plan[tid].add(k)
    by_plan = defaultdict(list)          # plan tool id -> [(ref tool id, status, changes)]
    by_ref = defaultdict(list)
    for r, p, st, ch in rows:
        if st in ("carried", "modified") and r is not None and p is not None:
            by_plan[p].append((r, st, set(ch) & set(FIELDS)))
            by_ref[r].append(p)
    gold_pairs = {(x["reference"], x["plan"]): x for x in gold["pairs"]}
    gparents = defaultdict(set)
    for (r, p) in gold_pairs:
        gparents[p].add(r)
    dropped = set(gold["dropped"])
    added = set(gold["added"])
    # dropped over reference items
    for it in gold["reference_items"]:
        tid = ref_map.get(it["key"])
        pred = tid is not None and not by_ref.get(tid)
        truth = it["key"] in dropped
        c["dropped_tp" if truth and pred else "dropped_fp" if pred else "dropped_fn" if truth else "_"] += 1
    # added / pairing over plan items; predicted pairs with their status
    pred_pairs: dict[tuple, tuple] = {}
    for it in gold["plan_items"]:
        tid = plan_map.get(it["key"])
        prow = by_plan.get(tid, []) if tid is not None else []
        pred = tid is not None and not prow
        truth = it["key"] in added
        c["added_tp" if truth and pred else "added_fp" if pred else "added_fn" if truth else "_"] += 1
        pp = set()
        for r, st, ch in prow:
            hit = inv_ref.get(r) or {f"?{r}"}
            for g in hit:
                pp.add(g)
                prev = pred_pairs.get((g, it["key"]))
                pred_pairs[(g, it["key"])] = (st if prev is None or prev[0] == st else "modified",
                                              ch | (prev[1] if prev else set()))
        tp_set = gparents.get(it["key"], set())
        c["pairing_tp"] += len(pp & tp_set)
        c["pairing_fp"] += len(pp - tp_set)
        c["pairing_fn"] += len(tp_set - pp)
    # modified fields, status of pairs
    for (r, p), g in gold_pairs.items():
        tf = set(g.get("changes") or []) & set(FIELDS)
        pr = pred_pairs.get((r, p))
        if pr is None:
            c["modified_fn"] += len(tf)
            c[f"{g['status']}st_fn"] += 1
            continue
        pf = pr[1]
        c["modified_tp"] += len(tf & pf)
        c["modified_fp"] += len(pf - tf)
        c["modified_fn"] += len(tf - pf)
        if pr[0] == g["status"]:
            c[f"{g['status']}st_tp"] += 1
        else:
            c[f"{g['status']}st_fn"] += 1
            c[f"{pr[0]}st_fp"] += 1
    for (r, p), pr in pred_pairs.items():
        if (r, p) not in gold_pairs:
            c[f"{pr[0]}st_fp"] += 1
    c["gold_items"] = len(gold["reference_items"]) + len(gold["plan_items"])
    c["found_items"] = sum(v is not None for v in ref_map.values()) + sum(v is not None for v in plan_map.values())
    return metrics(c)


def metrics(c: Counter) -> dict:
    m = {"counts": dict(c)}
    for name, pre in (("dropped", "dropped"), ("added", "added"), ("pairing", "pairing"),
                      ("modified", "modified"), ("carried_st", "carriedst"), ("modified_st", "modifiedst")):
        m[name] = prf(c[f"{pre}_tp"], c[f"{pre}_fp"], c[f"{pre}_fn"])
    m["macro"] = (m["dropped"][2] + m["added"][2] + m["pairing"][2] + m["modified"][2]) / 4
    m["coverage"] = c["found_items"] / c["gold_items"] if c["gold_items"] else 0.0
    return m


def print_table(title: str, results: dict[str, dict]) -> None:
    print(f"\n{title}")
    cols = [("carried_st", "carried"), ("modified_st", "modified(status)"), ("dropped", "dropped"),
            ("added", "added"), ("pairing", "pairing"), ("modified", "modified(fields)")]
    head = f"{'method':<10}" + "".join(f" {lab:>17}" for _, lab in cols) + f" {'macro_f1':>8} {'coverage':>8}"
    print(head)
    print(f"{'':<10}" + "".join(f" {'P/R/F1':>17}" for _ in cols))
    for name, m in results.items():
        if m is None:
            print(f"{name:<10} (failed)")
            continue
        cells = "".join(f" {m[k][0]:5.2f}/{m[k][1]:4.2f}/{m[k][2]:5.3f}" for k, _ in cols)
        print(f"{name:<10}{cells} {m['macro']:8.3f} {m['coverage']:8.3f}")
    print("   counts tp/fp/fn: " + "; ".join(
        f"{name} " + " ".join(f"{k[:4]}={m['counts'].get(k + '_tp', 0)}/{m['counts'].get(k + '_fp', 0)}/"
                              f"{m['counts'].get(k + '_fn', 0)}" for k in ("dropped", "added", "pairing", "modified"))
        for name, m in results.items() if m))
