"""lineage.html: did a root plan's items reach the plans below it? (templates/lineage.html)

Written when plans of the batch form chains (a province's plan, a district plan checked
against it, communes checked against the district): the `lineage` table has rows at
depth 2 or more.  For each root reference, one row per item: how many of the plans
checked against the root itself kept it (level 1), how many of the plans further down
it reached, and per plan below its status, a dropped item naming the plan (by its file)
where it was lost.
"""
from __future__ import annotations

from dataclasses import dataclass

from jinja2 import Environment

from .data import Item, LineageRow, Plan, Reference, ReportData
from .statuses import PAIRED_STATUSES, STATUSES

LINEAGE_PAGE = "lineage.html"


@dataclass(frozen=True)
class LineageColumn:
    plan: Plan
    depth: int
    via: tuple[Plan, ...]   # the plans between the root and this one


@dataclass(frozen=True)
class LineageItem:
    item: Item
    cells: dict[str, LineageRow]   # doc_id -> the item in that plan

    def counts(self, depth_from: int, depth_to: int | None = None) -> tuple[int, int]:
        """(plans the item reached, plans) at the depths from `depth_from` (to `depth_to`)."""
        rows = [r for r in self.cells.values()
                if r.depth >= depth_from and (depth_to is None or r.depth <= depth_to)]
        return sum(1 for r in rows if r.status in PAIRED_STATUSES), len(rows)

    @property
    def children(self) -> tuple[int, int]:
        """Level 1: the plans checked against the root that carried (or modified) it, of all."""
        return self.counts(1, 1)

    @property
    def below(self) -> tuple[int, int]:
        """Level 2 and below: the plans it reached, of all."""
        return self.counts(2)


@dataclass(frozen=True)
class LineageRoot:
    doc_id: str
    reference: Reference | None
    columns: list[LineageColumn]
    items: list[LineageItem]

    def status_counts(self, doc_id: str) -> dict[str, int]:
        return {s: sum(1 for i in self.items if doc_id in i.cells and i.cells[doc_id].status == s)
                for s in STATUSES}


def lineage_roots(data: ReportData) -> list[LineageRoot]:
    """The lineage table per root reference: its items × the plans below it."""
    by_plan = {p.doc_id: p for p in data.plans}
    by_ref = {r.doc_id: r for r in data.references}
    roots: dict[str, list[LineageRow]] = {}
    for row in data.lineage:
        roots.setdefault(row.root_doc_id, []).append(row)
    out = []
    for root_id, rows in roots.items():
        paths = {r.doc_id: r.path for r in rows if r.doc_id in by_plan}
        columns = [LineageColumn(plan=by_plan[doc_id], depth=len(path),
                                 via=tuple(by_plan[d] for d in path[:-1] if d in by_plan))
                   for doc_id, path in paths.items()]
        # depth first: a district's communes follow it
        columns.sort(key=lambda c: [p.number for p in (*c.via, c.plan)])
        cells: dict[str, dict[str, LineageRow]] = {}
        items: dict[str, Item] = {}
        for row in rows:
            items.setdefault(row.root_item.item_id, row.root_item)
            cells.setdefault(row.root_item.item_id, {})[row.doc_id] = row
        ordered = sorted(items.values(), key=lambda i: i.ordinal)
        out.append(LineageRoot(doc_id=root_id, reference=by_ref.get(root_id), columns=columns,
                               items=[LineageItem(item=i, cells=cells[i.item_id]) for i in ordered]))
    order = {r.doc_id: n for n, r in enumerate(data.references)}
    out.sort(key=lambda r: order.get(r.doc_id, len(order)))
    return out


def render_lineage(env: Environment, data: ReportData) -> str:
    by_plan = {p.doc_id: p for p in data.plans}
    return env.get_template("lineage.html").render(
        roots=lineage_roots(data), plan_of=by_plan.get, out_dir=str(data.out_dir))
