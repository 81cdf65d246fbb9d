"""index.html: the reference, one row per plan, and the coverage matrix (templates/index.html).

When the plans were checked against several parents (a library of references, a
plan of the batch that is another's parent), the page has one section per parent
used (templates/parent_section.html): the parent, its plans and the matrix of its
items × its plans; each plan row says how its parent was chosen and flags a parent
the plan does not cite.  With one parent the page is the one-reference page.

An inferred reference shows its evidence: the template families found (near-copies
count as one source), each item's sources, levels, wordings, origin and confidence
(a details element in the matrix's sources column), and weakly supported items
marked in the matrix and kept out of the coverage share.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from jinja2 import Environment
from markupsafe import Markup

from .data import MatrixRow, ParentGroup, Plan, ReportData
from .i18n import Translator
from .statuses import MATRIX_STATUSES, STATUSES, Status
from .templating import reference_name


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
    if not data.routed:
        return env.get_template("index.html").render(sections=None, **_context(data, routed=False))
    section = env.get_template("parent_section.html")
    sections = [Markup(section.render(group=group, parent_group=_parent_group(data, group),
                                      **_context(data.for_group(group), routed=True,
                                                 sfx=f"-{group.number}")))
                for group in data.groups]
    return env.get_template("index.html").render(
        sections=sections, groups=data.groups,
        unused=[reference_name(Translator(str(env.globals["lang"])), r) for r in data.unused_references()],
        chains=data.chains, flagged=sum(1 for p in data.plans if p.reference_flagged),
        **_context(data, routed=True))


def _parent_group(data: ReportData, group: ParentGroup) -> ParentGroup | None:
    """The group a plan parent is itself in: what it was checked against."""
    return data.group_of(group.parent_plan) if group.parent_plan is not None else None


def _context(data: ReportData, routed: bool, sfx: str = "") -> dict[str, object]:
    ok = data.ok_plans
    possible = sum(p.ref_total for p in ok)
    return dict(
        routed=routed,
        sfx=sfx,
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
