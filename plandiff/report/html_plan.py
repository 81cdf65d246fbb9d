"""plan-<id>.html: one plan against its parent, item by item (templates/plan.html).

The page names the parent the plan was checked against (linking to its page when the
parent is another plan of the batch), how it was chosen, and warns when the plan does not
cite it (`reference_flagged`).

The verdicts the aligner rates doubtful (`Verdict.needs_review`) come first, in a group
of their own ("Cần xem lại"), least confident first (`data.review_first`); the compared,
dropped and added items follow without them.  Every row shows its confidence.  Row ids
(the matrix links to them) are unique on the page: the first row of an item has it,
whichever table that row is in.
"""
from __future__ import annotations

from dataclasses import dataclass

from jinja2 import Environment
from markupsafe import Markup

from .data import Item, Plan, ReportData, ReportError, Verdict, review_first
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


@dataclass(frozen=True)
class ReviewRow(Row):
    """A verdict that needs review, of any status: the reference item and the plan item side by
    side (a pair with its word diff; a dropped or added row has one side)."""
    ref: Item | None
    item: Item | None
    old: Markup | None
    new: Markup | None


def render_plan(env: Environment, data: ReportData, plan: Plan) -> str:
    template = env.get_template("plan.html")
    if not plan.ok:
        return template.render(plan=plan, parts=[], review=[], pairs=[], dropped=[], added=[],
                               family=data.family_of(plan), route_group=data.group_of(plan),
                               routed=data.routed, out_dir=str(data.out_dir))
    verdicts = data.verdicts.get(plan.doc_id, [])
    flagged = [v for v in review_first(verdicts) if v.needs_review]
    rest = [v for v in verdicts if not v.needs_review]
    paired = [v for v in rest if v.status in PAIRED_STATUSES]
    dropped = [v for v in rest if v.status == Status.DROPPED]
    added = sorted((v for v in rest if v.status == Status.ADDED), key=lambda v: v.subject.ordinal)
    anchors: set[str] = set()  # in the page's order: an id goes to an item's first row
    return template.render(
        plan=plan,
        parts=list(dict.fromkeys(v.part for v in verdicts)),
        review=review_rows(flagged, anchors),
        pairs=pair_rows(paired, anchors),
        dropped=list_rows(dropped, side="ref", anchors=anchors),
        added=list_rows(added, side="item", anchors=anchors),
        family=data.family_of(plan),
        route_group=data.group_of(plan),
        routed=data.routed,
        out_dir=str(data.out_dir),
    )


def _placements(verdicts: list[Verdict], anchors: set[str] | None = None,
                grouped: bool = True) -> list[tuple[int, str | None, bool]]:
    """(index, anchor, starts_part) of each verdict in one table.  `anchors`: the ids the page's
    earlier tables took (updated); `grouped`: the table has a heading per part."""
    anchors = set() if anchors is None else anchors
    previous: str | None = None
    placed = []
    for index, v in enumerate(verdicts):
        # The matrix links to r<ordinal> of a reference item; added rows have a<ordinal>.
        anchor = f"r{v.ref.ordinal}" if v.ref is not None else f"a{v.subject.ordinal}"
        first = anchor not in anchors
        anchors.add(anchor)
        placed.append((index, anchor if first else None, grouped and v.part != previous))
        previous = v.part
    return placed


def review_rows(verdicts: list[Verdict], anchors: set[str] | None = None) -> list[ReviewRow]:
    """The verdicts that need review, in the order given, without part headings."""
    rows = []
    for v, (index, anchor, starts_part) in zip(verdicts, _placements(verdicts, anchors, grouped=False),
                                               strict=True):
        old, new = word_diff(v.ref.full_text, v.item.full_text) if v.ref is not None and v.item is not None \
            else (None, None)
        rows.append(ReviewRow(verdict=v, index=index, anchor=anchor, starts_part=starts_part,
                              ref=v.ref, item=v.item, old=old, new=new))
    return rows


def pair_rows(verdicts: list[Verdict], anchors: set[str] | None = None) -> list[PairRow]:
    rows = []
    for v, (index, anchor, starts_part) in zip(verdicts, _placements(verdicts, anchors), strict=True):
        if v.ref is None or v.item is None:
            raise ReportError(f"a {v.status} alignment row of plan {v.subject.doc_id} "
                              "names an item that the items table lacks")
        old, new = word_diff(v.ref.full_text, v.item.full_text)
        rows.append(PairRow(verdict=v, index=index, anchor=anchor, starts_part=starts_part,
                            ref=v.ref, item=v.item, old=old, new=new))
    return rows


def list_rows(verdicts: list[Verdict], side: str, anchors: set[str] | None = None) -> list[ListRow]:
    """Rows of dropped reference items (side "ref") or added plan items (side "item")."""
    rows = []
    for v, (index, anchor, starts_part) in zip(verdicts, _placements(verdicts, anchors), strict=True):
        item = v.ref if side == "ref" else v.item
        if item is None:
            raise ReportError(f"a {v.status} alignment row of plan {v.subject.doc_id} "
                              "names an item that the items table lacks")
        rows.append(ListRow(verdict=v, index=index, anchor=anchor, starts_part=starts_part, item=item))
    return rows
