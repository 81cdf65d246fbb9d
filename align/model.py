"""What align produces: one verdict per matched pair, dropped or added item."""
from __future__ import annotations

import enum
from dataclasses import dataclass


class Status(enum.StrEnum):
    CARRIED = "carried"
    MODIFIED = "modified"
    DROPPED = "dropped"
    ADDED = "added"


class Relation(enum.StrEnum):
    """How many items on each side a pair joins."""
    ONE_TO_ONE = "one_to_one"
    SPLIT = "split"    # one reference item, several plan items
    MERGE = "merge"    # several reference items, one plan item


class DecisionRule(enum.StrEnum):
    """Which rule of the aligner settled a row; `Alignment.reason` says it in words."""
    SCORE = "score"                # the pair's score is above the match threshold
    SAME_OFFICE = "same_office"    # both plans list the duty under the same office (lower threshold)
    CONTAINMENT = "containment"    # a leftover item lies inside a matched item (split or merge)
    NO_COUNTERPART = "no_counterpart"  # dropped/added: nothing on the other side scores enough
    # Meaning (sentence embeddings, align/meaning.py) decided the row against the wording:
    # a pair wording alone would not make (a rewording), or an item wording alone would
    # have paired (with an item nearer in meaning to others).
    MEANING = "meaning"
    # Never set by the aligner: plandiff.decisions applies a reviewer's recorded decision.
    REVIEWER = "reviewer"
    # Never set by the aligner either: an item left without a counterpart because a
    # reviewer paired its former counterpart with something else.
    AFTER_REVIEW = "after_review"


ATTRIBUTE_FIELDS = ("lead", "partners", "timeline", "frequency")
CHANGE_FIELDS = ("text", *ATTRIBUTE_FIELDS)


@dataclass(frozen=True)
class Alignment:
    reference_doc_id: str
    reference_item_id: str | None   # None for added items
    doc_id: str
    item_id: str | None             # None for dropped items
    status: Status
    score: float                    # 0..1 similarity of the pair (0 for dropped/added)
    changes: tuple[str, ...] = ()   # from CHANGE_FIELDS
    # Evidence a reviewer can check:
    text_score: float = 0.0         # wording similarity after neutralising level words
    attribute_score: float | None = None  # share of attributes both sides state that agree
    position_score: float = 0.0     # 1 when both items sit at the same relative place
    relation: Relation | None = None  # pairs only
    decided_by: DecisionRule | None = None
    reason: str = ""                # the decision in words, with the figures behind it
    shared_words: tuple[str, ...] = ()
    reference_only_words: tuple[str, ...] = ()
    plan_only_words: tuple[str, ...] = ()
    # Dropped and added rows: the closest item on the other side, for a reviewer
    # to check (a rewording can score below the threshold), when it scores at
    # least AlignConfig.candidate_floor.  It may be paired with another item.
    candidate_item_id: str | None = None
    candidate_score: float | None = None
    # How likely the row is right, 0..1 (align/confidence.py), and whether a reviewer
    # should look at it first (confidence below confidence.REVIEW_BELOW).  A
    # reviewer's decision is sure: confidence 1.
    confidence: float = 1.0
    needs_review: bool = False
    # Set by plandiff's review decisions, never by the aligner: who signed the row off,
    # when (ISO 8601, UTC) and with what note; `review_stale` marks a row whose recorded
    # decision no longer applies because one of its items changed.
    reviewer: str | None = None
    reviewed_at: str | None = None
    review_note: str | None = None
    review_stale: bool = False


@dataclass(frozen=True)
class AlignConfig:
    match_threshold: float = 0.60   # below this a pair is not the same item
    same_office_threshold: float = 0.50  # ... unless both list it under the same office
    cluster_threshold: float = 0.65  # --reference auto: rapidfuzz score joining an item to a cluster
    text_change_below: float = 0.97  # pairs with less similar wording also list "text" in changes
    min_support: int = 2            # --reference auto: plans an item must appear in
    cross_part_factor: float = 0.85  # score kept when the two items sit in different parts
    split_containment: float = 0.85  # share of a split/merged piece's words found in its partner
    split_min_words: int = 6         # shorter leftovers are not considered pieces of a split
    candidate_floor: float = 0.45    # dropped/added rows name their closest counterpart from this score
