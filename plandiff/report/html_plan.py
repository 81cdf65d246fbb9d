"""plan-<id>.html: one plan against its parent, item by item (templates/plan.html).

The page names the parent the plan was checked against (linking to its page when the
parent is another plan of the batch), how it was chosen, and warns when the plan does not
cite it (`reference_flagged`).
"""
from __future__ import annotations

from dataclasses import dataclass

from jinja2 import Environment
from markupsafe import Markup

from .data import Item, Plan, ReportData, ReportError, Verdict
from .diff import word_diff
from .statuses import PAIRED_STATUSES, Status


@dataclass(frozen=True)
class Row:
    """A verdict placed in one of the page's tables."""
    verdict: Verdict
    index: int           # its place in the table before any filtering
    anchor: str | None   # the row's id: set on the first row of an item only (ids are unique)
    starts_part: bool    # a group heading for its part goes before it


@dataclass(frozen=True)
class PairRow(Row):
    """A reference item and the plan item matched with it, and their word diff."""
    ref: Item
    item: Item
    old: Markup
    new: Markup


@dataclass(frozen=True)
class ListRow(Row):
    """One side only: a dropped reference item, or an item the plan added."""
    item: Item


def render_plan(env: Environment, data: ReportData, plan: Plan) -> str:
    template = env.get_template("plan.html")
    if not plan.ok:
        return template.render(plan=plan, parts=[], pairs=[], dropped=[], added=[],
                               family=data.family_of(plan), route_group=data.group_of(plan),
                               routed=data.routed, out_dir=str(data.out_dir))
    verdicts = data.verdicts.get(plan.doc_id, [])
    paired = [v for v in verdicts if v.status in PAIRED_STATUSES]
    dropped = [v for v in verdicts if v.status == Status.DROPPED]
    added = sorted((v for v in verdicts if v.status == Status.ADDED), key=lambda v: v.subject.ordinal)
    return template.render(
        plan=plan,
        parts=list(dict.fromkeys(v.part for v in verdicts)),
        pairs=pair_rows(paired),
        dropped=list_rows(dropped, side="ref"),
        added=list_rows(added, side="item"),
        family=data.family_of(plan),
        route_group=data.group_of(plan),
        routed=data.routed,
        out_dir=str(data.out_dir),
    )


def _placements(verdicts: list[Verdict]) -> list[tuple[int, str | None, bool]]:
    """(index, anchor, starts_part) of each verdict in one table."""
    anchors: set[str] = set()
    previous: str | None = None
    placed = []
    for index, v in enumerate(verdicts):
        # The matrix links to r<ordinal> of a reference item; added rows have a<ordinal>.
        anchor = f"r{v.ref.ordinal}" if v.ref is not None else f"a{v.subject.ordinal}"
        first = anchor not in anchors
        anchors.add(anchor)
        placed.append((index, anchor if first else None, v.part != previous))
        previous = v.part
    return placed


def pair_rows(verdicts: list[Verdict]) -> list[PairRow]:
    rows = []
    for v, (index, anchor, starts_part) in zip(verdicts, _placements(verdicts), strict=True):
        if v.ref is None or v.item is None:
            raise ReportError(f"a {v.status} alignment row of plan {v.subject.doc_id} "
                              "names an item that the items table lacks")
        old, new = word_diff(v.ref.full_text, v.item.full_text)
        rows.append(PairRow(verdict=v, index=index, anchor=anchor, starts_part=starts_part,
                            ref=v.ref, item=v.item, old=old, new=new))
    return rows


def list_rows(verdicts: list[Verdict], side: str) -> list[ListRow]:
    """Rows of dropped reference items (side "ref") or added plan items (side "item")."""
    rows = []
    for v, (index, anchor, starts_part) in zip(verdicts, _placements(verdicts), strict=True):
        item = v.ref if side == "ref" else v.item
        if item is None:
            raise ReportError(f"a {v.status} alignment row of plan {v.subject.doc_id} "
                              "names an item that the items table lacks")
        rows.append(ListRow(verdict=v, index=index, anchor=anchor, starts_part=starts_part, item=item))
    return rows
