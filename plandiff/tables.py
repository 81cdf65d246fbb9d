"""The output tables: declared once here, enforced on every write.

Each table has an Arrow schema with a description per column, its key
columns, the allowed values of its label columns, and the schema version in
the file metadata.  `validate` raises `StorageError` on any violation.
"""
from __future__ import annotations

import enum
from dataclasses import dataclass

import pyarrow as pa

from plandiff.align.consensus import Origin
from plandiff.align.model import CHANGE_FIELDS, DecisionRule, Relation, Status
from plandiff.ingest.model import TextSource
from plandiff.parse.model import AdminLevel, ItemKind, Part, ReferenceRole

from .decisions import ReviewState
from .errors import StorageError
from .routing import ReferenceMatch

# 2: alignments.decided_by holds the rule (DecisionRule) and alignments.reason the words.
# 3: reviewer decisions: alignments.reviewer/reviewed_at/review_note/review_state, coverage.review_state;
#    the parent_references table; documents.decision_number/decision_issued_on.
# 4: a library of references: documents.reference_doc_id/reference_match/reference_evidence/
#    reference_flagged, several reference rows; the lineage table.
SCHEMA_VERSION = "5"


class DocumentStatus(enum.StrEnum):
    OK = "ok"
    FAILED = "failed"


class DocumentRole(enum.StrEnum):
    PLAN = "plan"
    REFERENCE = "reference"
    INFERRED_REFERENCE = "inferred_reference"


def values(labels: type[enum.StrEnum]) -> tuple[str, ...]:
    """The allowed values of a label column: the values of the enum the code uses."""
    return tuple(member.value for member in labels)


# Every label column's allowed values come from the enum the code produces them with.
STATUS_VALUES = values(DocumentStatus)
ADMIN_LEVELS = values(AdminLevel)
TEXT_SOURCES = values(TextSource)
ROLES = values(DocumentRole)
KINDS = values(ItemKind)
PARTS = values(Part)
ALIGN_STATUSES = values(Status)
# A reference item is carried, modified or dropped in a plan, never added.
COVERAGE_STATUSES = tuple(v for v in ALIGN_STATUSES if v != Status.ADDED)
RELATIONS = values(Relation)
DECISION_RULES = values(DecisionRule)
REVIEW_STATES = values(ReviewState)
REFERENCE_ROLES = values(ReferenceRole)
ORIGINS = values(Origin)
REFERENCE_MATCHES = values(ReferenceMatch)
# Lineage: whether a root item reached a plan below it.
LINEAGE_STATUSES = COVERAGE_STATUSES
# Pages keep the route of each page; only a whole document can be "mixed".
PAGE_TEXT_SOURCES = tuple(v for v in TEXT_SOURCES if v != TextSource.MIXED)


def _f(name: str, type_: pa.DataType, description: str, nullable: bool = True) -> pa.Field:
    return pa.field(name, type_, nullable=nullable, metadata={"description": description})


def _label(name: str, allowed: tuple[str, ...], description: str, nullable: bool = True,
           type_: pa.DataType | None = None) -> pa.Field:
    """A label column (a string, or a list of strings); its description lists the allowed values."""
    return _f(name, type_ or pa.string(), f"{description}: {' | '.join(allowed)}", nullable)


@dataclass(frozen=True)
class TableSpec:
    name: str
    schema: pa.Schema
    key: tuple[str, ...]
    enums: dict[str, tuple[str, ...]]
    list_enums: dict[str, tuple[str, ...]]
    description: str


DOCUMENTS = TableSpec(
    name="documents",
    description="One row per input file, plus the references (given, and inferred when some plan needed one).",
    schema=pa.schema([
        _f("doc_id", pa.string(),
           "Stable id derived from the content hash ('inferred:' for an inferred reference)", False),
        _f("source_path", pa.string(), "Path of the input file as given"),
        _f("sha256", pa.string(), "SHA-256 of the file's bytes"),
        _f("title", pa.string(), "Plan title (the lines after KẾ HOẠCH)"),
        _f("plan_number", pa.string(), "Document number such as 25/KH-UBND; null when left blank"),
        _f("issued_on", pa.date32(), "Date of issue; null when the day is blank"),
        _f("issuer", pa.string(), "Issuing body as written"),
        _label("admin_level", ADMIN_LEVELS, "Administrative level of the issuer"),
        _f("pages", pa.int32(), "Number of pages read"),
        _label("text_source", TEXT_SOURCES, "Where the text came from (mixed: pages differ)"),
        _f("diacritics_restored", pa.bool_(), "True when diacritics were restored on some text"),
        _label("status", STATUS_VALUES, "Whether the file was read", False),
        _f("error", pa.string(), "Why the file failed, and what to do; null when ok"),
        _f("error_vi", pa.string(), "The same in Vietnamese"),
        _label("role", ROLES, "What the document is in the run", False),
        _f("place", pa.string(), "Place name of the date line"),
        _f("items", pa.int32(), "Number of rows this document has in `items`"),
        _f("signer", pa.string(), "Name in the signature block"),
        _f("signing_capacity", pa.string(), "Signing capacity, e.g. 'KT. CHỦ TỊCH / PHÓ CHỦ TỊCH'"),
        _f("parent_refs", pa.list_(pa.string()),
           "Numbers of the plans this plan implements (a decision that issued a plan stands for it), "
           "then other plans its legal bases cite; every reference is in `parent_references`"),
        _f("decision_number", pa.string(),
           "Number of the decision that issued this plan as its attachment; null when issued on its own"),
        _f("decision_issued_on", pa.date32(), "Date of that decision"),
        _f("template_group", pa.string(),
           "--reference auto: the plan's template family (doc_id of its first member); near-copies "
           "share one and count as one witness"),
        _f("reference_doc_id", pa.string(),
           "Plans: the document the plan was checked against (a reference, another plan of the batch "
           "it cites, or the inferred reference)"),
        _label("reference_match", REFERENCE_MATCHES,
               "Plans: how that parent was chosen (cited: the plan names it; content: the closest "
               "reference by wording; consensus: none held enough of it)"),
        _f("reference_evidence", pa.string(), "Plans: why that parent, in words, with the figures"),
        _f("reference_evidence_vi", pa.string(), "The same in Vietnamese"),
        _f("reference_flagged", pa.bool_(), "Plans: true when the plan does not cite its parent; a reviewer should "
           "confirm it"),
    ]),
    key=("doc_id",),
    enums={"admin_level": ADMIN_LEVELS, "text_source": TEXT_SOURCES, "status": STATUS_VALUES,
           "role": ROLES, "reference_match": REFERENCE_MATCHES},
    list_enums={},
)

ITEMS = TableSpec(
    name="items",
    description="One row per node of each plan's tree, in reading order.",
    schema=pa.schema([
        _f("doc_id", pa.string(), "Document of the item", False),
        _f("item_id", pa.string(), "Unique in the run, stable across re-runs of the same file", False),
        _f("parent_id", pa.string(), "Parent item; null at the top level"),
        _f("ordinal", pa.int32(), "Reading order in the document (1-based)", False),
        _f("depth", pa.int32(), "0 for top-level parts", False),
        _f("label", pa.string(), "Numbering as written: II., 1.2., a), -", False),
        _label("kind", KINDS, "Kind of node", False),
        _f("heading", pa.string(), "Title of a part or section", False),
        _f("text", pa.string(), "The item's own text, without children or attribute lines", False),
        _label("part", PARTS, "Part of the plan the item sits in", False),
        _f("lead", pa.string(), "Lead agency (chủ trì)"),
        _f("partners", pa.list_(pa.string()), "Partner agencies (phối hợp)"),
        _f("timeline", pa.string(), "Thời gian thực hiện"),
        _f("frequency", pa.string(), "Tần suất"),
        _f("page", pa.int32(), "1-based page where the item starts"),
        _f("char_start", pa.int32(), "Start of the item's own lines in the document text"),
        _f("char_end", pa.int32(), "End of the item's own lines in the document text"),
        _f("scheme", pa.string(), "Numbering scheme as understood (ROMAN, UPPER, DEC1, LOWER, DASH ...; "
                                  "APPENDIX for an appendix after the signature, BLOCK for the preamble and "
                                  "closing, FOOTNOTE)"),
        _f("label_understood", pa.string(),
           "The label read through OCR noise and sequence slips (Il. -> II., d) after d) -> đ))"),
        _f("label_repaired", pa.bool_(),
           "True when label_understood is not the label as written: an outline repair was made"),
        _f("support", pa.int32(),
           "Inferred reference only: independent witnesses, i.e. template families carrying the item"),
        _f("lead_key", pa.string(), "Normalised lead agency (see the agencies table)"),
        _f("partner_keys", pa.list_(pa.string()), "Normalised partner agencies"),
        _f("lead_inherited", pa.bool_(), "Lead taken from the agency heading above (organization part)"),
        _f("timeline_kind", pa.string(), "recurring | quarters | months | year | other"),
        _f("timeline_year", pa.int32(), "Year named by the timeline"),
        _f("timeline_quarters", pa.list_(pa.int32()), "Quarters named by the timeline"),
        _f("frequency_per_year", pa.float64(), "Issues per year read from the frequency"),
        _f("cited_by", pa.string(), "Footnotes: item_id of the item whose text cites the footnote"),
        _f("cited_at", pa.int32(), "Footnotes: offset of the reference mark in the citing item's heading + text"),
        _f("support_plans", pa.list_(pa.string()), "Inferred reference only: the plans carrying the item"),
        _f("support_levels", pa.list_(pa.string()), "Inferred reference only: their administrative levels"),
        _f("wording_variants", pa.int32(), "Inferred reference only: distinct wordings across those plans"),
        _label("consensus_origin", ORIGINS,
               "Inferred reference only: whose text the item looks like (parent: two or more families; "
               "family: one template's addition; plan: one plan)"),
        _f("consensus_confidence", pa.float64(),
           "Inferred reference only: 0..1, from the independent witnesses (and their levels)"),
    ]),
    key=("item_id",),
    enums={"kind": KINDS, "part": PARTS, "consensus_origin": ORIGINS},
    list_enums={},
)

CITATIONS = TableSpec(
    name="citations",
    description="Legal documents cited in each plan.",
    schema=pa.schema([
        _f("doc_id", pa.string(), "Citing document", False),
        _f("item_id", pa.string(), "Item whose text holds the citation"),
        _f("kind", pa.string(), "Kế hoạch | Nghị quyết | Quyết định | Chỉ thị | ...", False),
        _f("number", pa.string(), "Document number, e.g. 57-NQ/TW", False),
        _f("issued_on", pa.date32(), "Date of the cited document"),
        _f("raw", pa.string(), "The citation as written", False),
        _f("issuer", pa.string(), "Issuing body of the cited document, as written after 'của'"),
    ]),
    key=(),
    enums={},
    list_enums={},
)

ALIGNMENTS = TableSpec(
    name="alignments",
    description="One row per matched pair, dropped reference item or added plan item.",
    schema=pa.schema([
        _f("reference_doc_id", pa.string(), "The reference document", False),
        _f("reference_item_id", pa.string(), "Reference item; null for added"),
        _f("doc_id", pa.string(), "The plan", False),
        _f("item_id", pa.string(), "Plan item; null for dropped"),
        _label("status", ALIGN_STATUSES, "Verdict", False),
        _f("score", pa.float64(), "Similarity of the pair, 0..1 (0 for dropped and added)", False),
        _label("changes", CHANGE_FIELDS, "Changed fields", type_=pa.list_(pa.string())),
        _f("text_score", pa.float64(),
           "Wording similarity 0..1 after neutralising level words, place names and synonyms"),
        _f("attribute_score", pa.float64(), "Share of the attributes stated on both sides that agree; null if none"),
        _f("position_score", pa.float64(), "1 when both items sit at the same relative place in their outlines"),
        _label("relation", RELATIONS, "Pairs: split is one reference item in several plan items, merge the reverse"),
        _label("decided_by", DECISION_RULES, "The rule that settled the row"),
        _f("reason", pa.string(), "The decision in words, with the figures behind it"),
        _f("shared_words", pa.list_(pa.string()), "Folded words both items use"),
        _f("reference_only_words", pa.list_(pa.string()), "Folded words only the reference item uses"),
        _f("plan_only_words", pa.list_(pa.string()), "Folded words only the plan item uses"),
        _f("reference_inferred", pa.bool_(), "True when the reference was inferred (--reference auto)"),
        _f("candidate_item_id", pa.string(),
           "Dropped and added rows: the closest item on the other side (a plan item for dropped, "
           "a reference item for added), scoring below the threshold or paired elsewhere; "
           "null when none scores at least the candidate floor"),
        _f("candidate_score", pa.float64(), "Score of candidate_item_id, 0..1"),
        _f("confidence", pa.float64(),
           "How likely the verdict is right, 0..1, calibrated on hand-built gold pairs (align/confidence.py); "
           "for a dropped or added row, how sure it is that nothing on the other side states the same task; "
           "1 for a reviewer's decision", False),
        _f("needs_review", pa.bool_(), "True when the confidence is low enough that a reviewer should look first",
           False),
        _label("review_state", REVIEW_STATES,
               "Where the row stands with the reviewers (stale: a decision names an item that changed)",
               False),
        _f("reviewer", pa.string(), "Who signed the row off (decided_by = reviewer)"),
        _f("reviewed_at", pa.timestamp("us", tz="UTC"), "When the reviewer decided"),
        _f("review_note", pa.string(), "The reviewer's note"),
    ]),
    key=(),
    enums={"status": ALIGN_STATUSES, "relation": RELATIONS, "decided_by": DECISION_RULES,
           "review_state": REVIEW_STATES},
    list_enums={"changes": CHANGE_FIELDS},
)

PAGES = TableSpec(
    name="pages",
    description="One row per page read: where its text came from, how sure we are, and the text itself.",
    schema=pa.schema([
        _f("doc_id", pa.string(), "Document of the page", False),
        _f("page", pa.int32(), "1-based page number", False),
        _label("text_source", PAGE_TEXT_SOURCES, "Route the page's text came by", False),
        _f("reason", pa.string(), "Why this route was taken for the page", False),
        _f("ocr_engine", pa.string(), "OCR engine (OCR pages)"),
        _f("ocr_language", pa.string(), "OCR language model (OCR pages)"),
        _f("ocr_confidence", pa.float64(), "Mean word confidence 0..100 (OCR pages)"),
        _f("ocr_corrections", pa.int32(),
           "Syllables the post-OCR language-model pass corrected (OCR pages; null otherwise)"),
        _f("chars", pa.int32(), "Characters of final text", False),
        _f("seconds", pa.float64(), "Time spent reading the page", False),
        _f("diacritics_restored", pa.bool_(), "True when the page's diacritics were restored", False),
        _f("text", pa.string(), "The page's final text (NFC), before parsing", False),
        _f("original_text", pa.string(), "The text before diacritic restoration, when restored"),
        _f("label_repairs", pa.int32(), "Items starting on the page whose outline label was repaired "
           "(items.label_repaired)"),
    ]),
    key=("doc_id", "page"),
    enums={"text_source": PAGE_TEXT_SOURCES},
    list_enums={},
)

AGENCIES = TableSpec(
    name="agencies",
    description="Vocabulary of agencies named as lead or partner: one key per office across plans.",
    schema=pa.schema([
        _f("agency_key", pa.string(), "Normalised name (folded, abbreviations expanded)", False),
        _f("name", pa.string(), "The most frequent spelling", False),
        _f("variants", pa.list_(pa.string()), "Every spelling seen"),
        _f("plans", pa.int32(), "Documents naming the agency", False),
        _f("as_lead", pa.int32(), "Items naming it as lead", False),
        _f("as_partner", pa.int32(), "Items naming it as partner", False),
    ]),
    key=("agency_key",),
    enums={},
    list_enums={},
)

COVERAGE = TableSpec(
    name="coverage",
    description="One row per reference item and plan: what the plan did with the item.",
    schema=pa.schema([
        _f("reference_doc_id", pa.string(), "The reference document", False),
        _f("reference_item_id", pa.string(), "The reference item", False),
        _f("doc_id", pa.string(), "The plan", False),
        _label("status", COVERAGE_STATUSES, "What the plan did with the item", False),
        _f("item_ids", pa.list_(pa.string()), "The plan's items that carry it (several when split)"),
        _f("score", pa.float64(), "Best pair score (0 when dropped)", False),
        _f("changes", pa.list_(pa.string()), "Changed fields over its pairs"),
        _f("part", pa.string(), "Part of the reference item"),
        _f("support", pa.int32(), "Inferred reference only: plans carrying the item"),
        _f("reference_inferred", pa.bool_(), "True when the reference was inferred", False),
        _label("review_state", REVIEW_STATES,
               "reviewed when a reviewer settled every row of the item, stale when a decision "
               "on it no longer applies, else unreviewed", False),
    ]),
    key=("reference_item_id", "doc_id"),
    enums={"status": COVERAGE_STATUSES, "part": PARTS, "review_state": REVIEW_STATES},
    list_enums={"changes": CHANGE_FIELDS},
)

PARENT_REFERENCES = TableSpec(
    name="parent_references",
    description="The documents each plan names among its legal bases, and which one it implements.",
    schema=pa.schema([
        _f("doc_id", pa.string(), "The plan", False),
        _f("ordinal", pa.int32(), "1-based position: implemented references first, then the others as written",
           False),
        _label("role", REFERENCE_ROLES, "Whether the plan implements the document or cites it as a basis", False),
        _f("kind", pa.string(), "Kế hoạch | Quyết định | Nghị quyết | Chỉ thị | Công văn | ...", False),
        _f("number", pa.string(), "Document number, normalised (370/KH-UBND, 05-CT/TU)", False),
        _f("issued_on", pa.date32(), "Date of the cited document"),
        _f("issuer", pa.string(), "Issuing body as written"),
        _f("raw", pa.string(), "The reference as written", False),
    ]),
    key=("doc_id", "ordinal"),
    enums={"role": REFERENCE_ROLES},
    list_enums={},
)

LINEAGE = TableSpec(
    name="lineage",
    description="Coverage down the chain: each item of a root reference against each plan below it "
                "(its children, and the plans checked against those children).",
    schema=pa.schema([
        _f("root_doc_id", pa.string(), "The root reference (a reference no plan of the run is above)", False),
        _f("root_item_id", pa.string(), "The root reference's item", False),
        _f("doc_id", pa.string(), "A plan below the root", False),
        _f("depth", pa.int32(), "1: checked against the root; 2: against a plan checked against the root ...",
           False),
        _f("path", pa.list_(pa.string()), "The plans from the root's child down to doc_id", False),
        _label("status", LINEAGE_STATUSES,
               "Whether the item reached the plan (modified: every chain of pairs reaching it has a "
               "modified link; dropped: no chain reaches it)", False),
        _f("lost_at", pa.string(), "Dropped: the first plan of the path without the item"),
        _f("item_ids", pa.list_(pa.string()), "The plan's items that carry the root item"),
        _f("via_item_ids", pa.list_(pa.string()), "The items of the plans in between that carry it"),
    ]),
    key=("root_item_id", "doc_id"),
    enums={"status": LINEAGE_STATUSES},
    list_enums={},
)

TABLES = {spec.name: spec for spec in (DOCUMENTS, ITEMS, CITATIONS, ALIGNMENTS, PAGES, AGENCIES,
                                       COVERAGE, PARENT_REFERENCES, LINEAGE)}


def to_arrow(spec: TableSpec, rows: list[dict]) -> pa.Table:
    """Rows -> Arrow table of exactly the declared schema, validated."""
    names = spec.schema.names
    extra = {k for row in rows for k in row} - set(names)
    if extra:
        raise StorageError(f"{spec.name}: undeclared columns {sorted(extra)}")
    try:
        table = pa.Table.from_pylist([{n: row.get(n) for n in names} for row in rows],
                                     schema=spec.schema)
    except (pa.ArrowInvalid, pa.ArrowTypeError) as exc:
        raise StorageError(f"{spec.name}: rows do not fit the schema: {exc}") from exc
    validate(spec, table)
    metadata = {b"plandiff.schema_version": SCHEMA_VERSION.encode(),
                b"plandiff.table": spec.name.encode(),
                b"plandiff.description": spec.description.encode()}
    return table.replace_schema_metadata(metadata)


def validate(spec: TableSpec, table: pa.Table) -> None:
    for field in spec.schema:
        if not field.nullable and table.column(field.name).null_count:
            raise StorageError(f"{spec.name}.{field.name}: null values in a required column")
    for column, allowed in spec.enums.items():
        values = set(table.column(column).drop_null().to_pylist())
        bad = values - set(allowed)
        if bad:
            raise StorageError(f"{spec.name}.{column}: unexpected values {sorted(bad)}")
    for column, allowed in spec.list_enums.items():
        values = {v for lst in table.column(column).to_pylist() if lst for v in lst}
        bad = values - set(allowed)
        if bad:
            raise StorageError(f"{spec.name}.{column}: unexpected values {sorted(bad)}")
    if spec.key:
        keys = list(zip(*(table.column(k).to_pylist() for k in spec.key), strict=True))
        if len(keys) != len(set(keys)):
            raise StorageError(f"{spec.name}: duplicate keys in {spec.key}")
