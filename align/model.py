"""What align produces: one verdict per matched pair, dropped or added item."""
from __future__ import annotations

import enum
from dataclasses import dataclass


class Status(str, enum.Enum):
    CARRIED = "carried"
    MODIFIED = "modified"
    DROPPED = "dropped"
    ADDED = "added"


ATTRIBUTE_FIELDS = ("lead", "partners", "timeline", "frequency")


@dataclass(frozen=True)
class Alignment:
    reference_doc_id: str
    reference_item_id: str | None   # None for added items
    doc_id: str
    item_id: str | None             # None for dropped items
    status: Status
    score: float                    # 0..1 similarity of the pair (0 for dropped/added)
    changes: tuple[str, ...] = ()   # from text|lead|partners|timeline|frequency


@dataclass(frozen=True)
class AlignConfig:
    match_threshold: float = 0.60   # below this a pair is not the same item
    text_change_below: float = 0.97  # pairs scoring lower also list "text" in changes
    min_support: int = 2            # --reference auto: plans an item must appear in
    same_part_only: bool = True
