"""How well parse reads the plans a plan implements and its other legal bases.

    .venv/bin/python benchmarks/parent_refs.py [--fixtures tests/fixtures/preambles]
                                               [--seeds data/seeds] [--heldout]
                                               [--no-restore] [-v]

Every `*.txt` of `tuning/` and (with --heldout) `heldout/` under the fixtures folder is
ingested and parsed with the library API (`plandiff.ingest.ingest` +
`plandiff.parse.parse`; a numbered legal-basis part is read with
`parse.parent_refs.section_references`, a no-op once parse does it itself) and compared
with the folder's `expected.json`:

  * implemented parent: the fixture is right when the numbers marked `implements`
    are exactly the expected ones, in order (none expected: none marked);
  * references: precision and recall of (kind, number) over all references; role,
    date and issuer accuracy over the matched ones (issuers compared folded, without
    spaces, so a restored or lost mark does not count);
  * decisions: plan_number and decision_number (normalised: plan_number keeps the
    header's spelling), decision_issued_on and title (folded) where the expectation
    gives them.

Diacritic restoration repairs much OCR damage before parse sees it (`QD` -> `QĐ`,
`K& hoach` -> `Kế hoạch`); --no-restore reads the fixtures as written, so the
references reader meets the damage itself.

The held-out folder was written before any tuning; keep it out of tuning runs.
The sample plans (`data/seeds/*.txt`) are then listed with their `parent_refs`
before (the rule parse used until now: every `Kế hoạch` cited in the opening block),
after, and in the hand-checked gold (`tests/gold/parse/NNN.json`, metadata).

The last line is machine-readable:
    implemented_tuning=<share> [implemented_heldout=<share>] seeds_as_gold=<n>/<m>
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path

from plandiff.ingest import IngestConfig, ingest
from plandiff.ingest.textnorm import fold
from plandiff.parse import PlanDocument, parse
from plandiff.parse.model import Metadata, ReferenceRole
from plandiff.parse.parent_refs import normalise_number, section_references

REPO = Path(__file__).resolve().parents[1]
BAR = 0.95   # share of fixtures whose implemented parent must be read right


@dataclass
class Score:
    fixtures: int = 0
    implemented_right: int = 0
    expected: int = 0
    found: int = 0
    matched: int = 0
    role_right: int = 0
    date_right: int = 0
    issuer_right: int = 0
    decision_checks: int = 0
    decision_right: int = 0
    misses: list[str] = field(default_factory=list)

    def line(self, name: str) -> str:
        def share(a: int, b: int) -> str:
            return f"{a / b:.3f} ({a}/{b})" if b else "n/a"
        return (f"{name:8} fixtures={self.fixtures}  implemented parent right="
                f"{share(self.implemented_right, self.fixtures)}\n"
                f"{'':8} references: precision={share(self.matched, self.found)} "
                f"recall={share(self.matched, self.expected)}\n"
                f"{'':8} over matched: role={share(self.role_right, self.matched)} "
                f"date={share(self.date_right, self.matched)} "
                f"issuer={share(self.issuer_right, self.matched)}\n"
                f"{'':8} decision fields right={share(self.decision_right, self.decision_checks)}")


def read_plan(path: Path, config: IngestConfig | None = None) -> PlanDocument:
    plan = parse(ingest(str(path), config or IngestConfig()))
    meta = section_references(plan.meta, plan.items)
    return PlanDocument(plan.doc_id, meta, plan.items, plan.citations, plan.source)


def _key(text: str | None) -> str:
    return "".join(fold(text or "").split())


def score_folder(folder: Path, config: IngestConfig, verbose: bool) -> Score:
    expected = json.loads((folder / "expected.json").read_text(encoding="utf-8"))
    score = Score()
    for name, want in sorted(expected.items()):
        meta = read_plan(folder / name, config).meta
        score.fixtures += 1
        _score_references(score, name, meta, want["references"], verbose)
        for fld in ("plan_number", "decision_number", "decision_issued_on", "title"):
            if fld in want:
                score.decision_checks += 1
                got = getattr(meta, fld)
                got = got.isoformat() if isinstance(got, dt.date) else got
                if fld == "title":
                    right = _key(got) == _key(want[fld])
                elif fld.endswith("number"):   # plan_number keeps the header's spelling
                    right = got is not None and normalise_number(got) == want[fld]
                else:
                    right = got == want[fld]
                score.decision_right += right
                if not right:
                    score.misses.append(f"{name}: {fld} {got!r} != {want[fld]!r}")
    return score


def _score_references(score: Score, name: str, meta: Metadata, want: list[dict],
                      verbose: bool) -> None:
    got = meta.references
    want_impl = [w["number"] for w in want if w["role"] == ReferenceRole.IMPLEMENTS]
    got_impl = [r.number for r in got if r.role is ReferenceRole.IMPLEMENTS]
    right = want_impl == got_impl
    score.implemented_right += right
    if not right:
        score.misses.append(f"{name}: implements {got_impl} != {want_impl}")
    score.expected += len(want)
    score.found += len(got)
    by_key = {(w["kind"], w["number"]): w for w in want}
    for ref in got:
        w = by_key.pop((ref.kind, ref.number), None)
        if w is None:
            score.misses.append(f"{name}: extra {ref.kind} {ref.number} ({ref.role})")
            continue
        score.matched += 1
        score.role_right += ref.role == w["role"]
        score.date_right += (ref.issued_on.isoformat() if ref.issued_on else None) == w["issued_on"]
        issuer_right = _key(ref.issuer) == _key(w["issuer"])
        score.issuer_right += issuer_right
        if verbose and (ref.role != w["role"] or not issuer_right):
            score.misses.append(f"{name}: {ref.number} role {ref.role} / {w['role']}, "
                                f"issuer {ref.issuer!r} / {w['issuer']!r}")
    score.misses += [f"{name}: missed {k} {n}" for k, n in by_key]


def old_parent_refs(plan: PlanDocument) -> tuple[str, ...]:
    """parent_refs as parse read them before: every `Kế hoạch` cited in the opening block."""
    first = plan.items[0].item_id if plan.items else None
    return tuple(dict.fromkeys(c.number for c in plan.citations
                               if c.kind == "Kế hoạch" and c.item_id == first))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--fixtures", type=Path, default=REPO / "tests/fixtures/preambles")
    ap.add_argument("--seeds", type=Path, default=REPO / "data/seeds")
    ap.add_argument("--gold", type=Path, default=REPO / "tests/gold/parse")
    ap.add_argument("--heldout", action="store_true", help="also score the held-out folder")
    ap.add_argument("--no-restore", action="store_true",
                    help="read the fixtures without diacritic restoration")
    ap.add_argument("-v", "--verbose", action="store_true", help="list every miss")
    args = ap.parse_args(argv)
    config = IngestConfig(restore_diacritics=not args.no_restore)

    shares = []
    for folder in ("tuning", "heldout") if args.heldout else ("tuning",):
        score = score_folder(args.fixtures / folder, config, args.verbose)
        print(score.line(folder))
        for miss in score.misses:
            print(f"{'':8} - {miss}")
        share = score.implemented_right / max(score.fixtures, 1)
        print(f"{'':8} {'PASS' if share >= BAR else 'FAIL'}  implemented parent >= {BAR:.2f}")
        shares.append(f"implemented_{folder}={share:.3f}")

    as_gold = total = 0
    print("\nsample plans: parent_refs before -> after (gold)")
    for path in sorted(args.seeds.glob("*.txt")):
        plan = read_plan(path)
        before, after = old_parent_refs(plan), plan.meta.parent_refs
        gold_file = args.gold / f"{path.name[:3]}.json"
        gold = json.loads(gold_file.read_text(encoding="utf-8"))["metadata"]["parent_refs"] \
            if gold_file.exists() else None
        total += 1
        as_gold += gold == list(after)
        print(f"  {path.name}: {list(before)} -> {list(after)}  (gold {gold})")
        for ref in plan.meta.references:
            print(f"      {ref.role:10} {ref.kind} {ref.number} {ref.issued_on} {ref.issuer}")
    print(" ".join(shares + [f"seeds_as_gold={as_gold}/{total}"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
