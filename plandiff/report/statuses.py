"""The alignment statuses as the report groups and orders them, all derived from `Status`;
and the reviewers' states of a row, from `ReviewState`.

`plandiff.align.model.Status` is the one list of statuses; the report only
names the subsets and orders it needs, as enum members.  A status added to the
enum shows up in every legend, count and filter; the orders below and the
colours (`assets.STATUS_COLOURS`) must place it by hand, and
tests/test_report.py checks that every status has its words and colours.
"""
from __future__ import annotations

from collections.abc import Iterable

from plandiff.align.model import Status
from plandiff.decisions import ReviewState

__all__ = ["MATRIX_STATUSES", "PAIRED_STATUSES", "REVIEW_STATES", "ReviewState", "STATUSES",
           "STATUS_RANK", "Status", "cell_review", "cell_status", "review_state"]

# Every status, in the enum's order: carried, modified, dropped, added.
STATUSES: tuple[Status, ...] = tuple(Status)

# What a reference item x plan cell of the coverage matrix can be: an added item
# has no reference item, so it has no cell.
MATRIX_STATUSES: tuple[Status, ...] = tuple(s for s in Status if s is not Status.ADDED)

# A reference item matched with a plan item: both sides are shown, and the plan
# covers the reference item.
PAIRED_STATUSES: tuple[Status, ...] = (Status.CARRIED, Status.MODIFIED)

# When one reference item has several alignment rows in a plan (it was split),
# the cell shows the first of these the rows have.
_CELL_PRECEDENCE: tuple[Status, ...] = (Status.MODIFIED, Status.CARRIED, Status.DROPPED)

# Order of the matrix's sort keys: what a reviewer looks for first comes first;
# a cell never compared (None) last.
_REVIEW_ORDER: tuple[Status | None, ...] = (Status.DROPPED, Status.MODIFIED, Status.CARRIED, None)
STATUS_RANK: dict[Status | None, int] = {status: rank for rank, status in enumerate(_REVIEW_ORDER)}


def cell_status(statuses: set[str]) -> Status | None:
    """What a plan did with one reference item, over all its alignment rows."""
    return next((s for s in _CELL_PRECEDENCE if s in statuses), None)


# Every review state, in the enum's order: unreviewed, reviewed, stale.
REVIEW_STATES: tuple[ReviewState, ...] = tuple(ReviewState)


def review_state(value: object) -> ReviewState:
    """A table cell's review state; tables written before reviews existed (no
    column, or null) read as not reviewed."""
    if not isinstance(value, str):  # None, or pandas' NaN for a missing cell
        return ReviewState.UNREVIEWED
    return ReviewState(value)


def cell_review(states: Iterable[ReviewState]) -> ReviewState:
    """One reference item in one plan, over all its rows: stale if a decision on
    any of them no longer applies, reviewed only when every row was signed off
    (the rule of `coverage.review_state`)."""
    seen = set(states)
    if ReviewState.STALE in seen:
        return ReviewState.STALE
    return ReviewState.REVIEWED if seen == {ReviewState.REVIEWED} else ReviewState.UNREVIEWED
