"""index.html: the reference, one row per plan, and the coverage matrix (templates/index.html).

An inferred reference shows its evidence: the template families found (near-copies
count as one source), each item's sources, levels, wordings, origin and confidence
(a details element in the matrix's sources column), and weakly supported items
marked in the matrix and kept out of the coverage share.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from jinja2 import Environment

from .data import MatrixRow, Plan, ReportData
from .statuses import MATRIX_STATUSES, STATUSES, Status


@dataclass(frozen=True)
class MatrixGroup:
    """The matrix's rows of one part of the reference."""
    part: str
    rows: list[MatrixRow]
    first_index: int  # rows are numbered across the groups: their order before any sorting


@dataclass(frozen=True)
class MatrixView:
    plans: list[Plan]           # one column per plan read (a failed plan has none)
    groups: list[MatrixGroup]   # empty when there is no reference item or no plan to show
    support: bool               # an inferred reference: a column says how many sources have each item
    evidence: bool              # ... and the tables carry each item's evidence (recent plandiff)
    lead: int                   # columns before the plans' columns
    counts: dict[str, dict[Status, int]]  # doc_id -> matrix status -> cells of the plan's column
    dropped_total: int          # cells saying "dropped", over every plan


def render_index(env: Environment, data: ReportData) -> str:
    ok = data.ok_plans
    possible = sum(p.ref_total for p in ok)
    return env.get_template("index.html").render(
        reference=data.reference,
        plans=data.plans,
        ok_plans=ok,
        totals={s: sum(p.counts.get(s, 0) for p in ok) for s in STATUSES},
        covered_share=sum(p.covered for p in ok) / possible if possible else None,
        matrix=matrix_view(data),
        families=data.families(),
        origin_counts=Counter(row.ref.evidence.origin for row in data.matrix
                              if row.ref.evidence is not None),
        witnesses=data.witnesses,
        out_dir=str(data.out_dir),
    )


def matrix_view(data: ReportData) -> MatrixView:
    plans = data.ok_plans
    support = data.reference is not None and data.reference.inferred
    groups = []
    if data.matrix and plans:
        index = 0
        for part in data.parts():
            rows = [r for r in data.matrix if r.ref.part == part]
            groups.append(MatrixGroup(part=part, rows=rows, first_index=index))
            index += len(rows)
    counts = {p.doc_id: {s: sum(1 for r in data.matrix if r.cells.get(p.doc_id) == s)
                         for s in MATRIX_STATUSES}
              for p in plans}
    evidence = any(row.ref.evidence is not None for row in data.matrix)
    return MatrixView(plans=plans, groups=groups, support=support, evidence=evidence,
                      lead=3 if support else 2,
                      counts=counts, dropped_total=sum(r.dropped_by for r in data.matrix))
