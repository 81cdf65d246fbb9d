"""What parse produces: plan metadata and the tree of its items."""
from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass, field

from plandiff.ingest.model import IngestedDocument


class Part(enum.StrEnum):
    PREAMBLE = "preamble"
    PURPOSE = "purpose"
    REQUIREMENTS = "requirements"
    CONTENT = "content"
    TASKS = "tasks"
    BUDGET = "budget"
    ORGANIZATION = "organization"
    CLOSING = "closing"
    OTHER = "other"


class ItemKind(enum.StrEnum):
    PART = "part"
    SECTION = "section"
    TASK = "task"
    POINT = "point"


class AdminLevel(enum.StrEnum):
    PROVINCE = "province"
    DEPARTMENT = "department"
    DISTRICT = "district"
    COMMUNE = "commune"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class Item:
    """One node of the plan tree.  `start`/`end` is the character span of the
    item's own lines in the ingested text; `page` is 1-based."""

    item_id: str
    parent_id: str | None
    ordinal: int
    depth: int
    label: str
    kind: ItemKind
    heading: str
    text: str
    part: Part
    lead: str | None = None
    partners: tuple[str, ...] = ()
    timeline: str | None = None
    frequency: str | None = None
    page: int | None = None
    start: int = 0
    end: int = 0
    scheme: str = ""          # numbering scheme as understood: ROMAN, UPPER, DEC1, LOWER, DASH ...
    label_understood: str = ""  # the label read through OCR noise and sequence slips
    lead_key: str = ""          # agency_key(lead): one key per office across plans
    partner_keys: tuple[str, ...] = ()
    timeline_kind: str | None = None     # recurring | quarters | months | year | other
    timeline_year: int | None = None
    timeline_quarters: tuple[int, ...] = ()
    frequency_per_year: float | None = None
    lead_inherited: bool = False   # lead taken from the agency heading above (organization part)
    support: int | None = None  # inferred references: independent witnesses (template families) carrying it
    # Footnotes (scheme FOOTNOTE): the item whose text cites them, and the offset
    # of the reference mark in that item's `full_text` (the mark itself is removed).
    cited_by: str | None = None
    cited_at: int | None = None

    @property
    def full_text(self) -> str:
        return " ".join(x for x in (self.heading, self.text) if x)


@dataclass(frozen=True)
class Citation:
    item_id: str | None
    kind: str
    number: str
    issued_on: dt.date | None
    raw: str
    issuer: str | None = None


class ReferenceRole(enum.StrEnum):
    IMPLEMENTS = "implements"   # a plan this plan carries out (a decision that issued a plan counts)
    BASIS = "basis"             # any other legal basis it cites


@dataclass(frozen=True)
class ParentReference:
    """A document cited among a plan's legal bases (title, preamble, decision, basis section).
    `number` is normalised (`370/KH-UBND`, `05-CT/TU`); `raw` is the text as written."""

    kind: str                  # Kế hoạch, Quyết định, Nghị quyết, Chỉ thị, Công văn, Thông báo ...
    number: str
    issued_on: dt.date | None
    issuer: str | None
    role: ReferenceRole
    raw: str = ""


@dataclass(frozen=True)
class Metadata:
    title: str | None = None
    plan_number: str | None = None
    issued_on: dt.date | None = None
    issuer: str | None = None
    admin_level: AdminLevel = AdminLevel.UNKNOWN
    place: str | None = None
    signer: str | None = None
    signing_capacity: str | None = None
    parent_refs: tuple[str, ...] = ()   # numbers of the plans this one implements
    references: tuple[ParentReference, ...] = ()   # implemented ones first, then the other bases
    # A plan published as the attachment of a decision: the decision's number and date
    # (the plan's own `plan_number` / `issued_on` fall back to them when it has none).
    decision_number: str | None = None
    decision_issued_on: dt.date | None = None

    def __post_init__(self) -> None:
        # `references` is the full reading; `parent_refs` is kept as its projection (the
        # implemented plans, then other plans cited) so callers that only know the old
        # field agree with it, whoever filled it in.
        if self.references:
            object.__setattr__(self, "parent_refs", plan_numbers(self.references))


def plan_numbers(references: tuple[ParentReference, ...]) -> tuple[str, ...]:
    """The numbers `parent_refs` holds: implemented plans first, then the other plans cited."""
    implemented = [r.number for r in references if r.role is ReferenceRole.IMPLEMENTS]
    other_plans = [r.number for r in references
                   if r.role is not ReferenceRole.IMPLEMENTS and r.kind == "Kế hoạch"]
    return tuple(dict.fromkeys(implemented + other_plans))


@dataclass(frozen=True)
class PlanDocument:
    doc_id: str
    meta: Metadata
    items: tuple[Item, ...] = field(default_factory=tuple)
    citations: tuple[Citation, ...] = field(default_factory=tuple)
    source: IngestedDocument | None = None   # None for an inferred reference
    inferred: bool = False

    def item(self, item_id: str) -> Item:
        for it in self.items:
            if it.item_id == item_id:
                return it
        raise KeyError(item_id)
