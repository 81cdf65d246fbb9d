"""Stage 2: text -> plan metadata and the tree of parts, sections, tasks and points.

`parse(doc, config)` takes an `IngestedDocument` and returns a `PlanDocument`.
"""
from __future__ import annotations

import logging
import re
from dataclasses import dataclass, replace

from plandiff.ingest.model import IngestedDocument
from plandiff.ingest.textnorm import collapse_ws, fold

from .agencies import agency_keys
from .appendix import appendix_node, split_appendices
from .attributes import clean_value, read_attribute, split_agencies
from .citations import find_citations
from .closing import signature
from .errors import ParseError
from .footnotes import (
    Footnote,
    link_lost_marks,
    mark_offset,
    number_notes,
    split_footnotes,
    take_markers,
    trailing_notes,
)
from .labels import read_label, rereadings
from .lines import Line, document_lines, drop_page_numbers
from .metadata import extract_metadata, split_title
from .model import AdminLevel, Citation, Item, ItemKind, Metadata, Part, PlanDocument
from .outline import Node, build_tree, is_heading_like
from .parent_refs import section_references
from .received import without_received_stamp
from .running import drop_running_lines
from .schedule import frequency_per_year, read_timeline, repair_quarters
from .sequence import split_glued

log = logging.getLogger(__name__)

__all__ = ["ParseConfig", "ParseError", "parse", "PlanDocument", "Item", "ItemKind", "Part",
           "Citation", "Metadata", "AdminLevel"]

_TOP_SCHEMES = ("PART", "CHAPTER", "HEADING", "ROMAN", "UPPER", "DEC1", "DEC2")
_CLOSING = re.compile(r"^(tren day la|noi nhan\b|kt\.? ?chu tich|tm\.? ?uy ban)")
_PART_KEYWORDS = (
    ("kinh phi", Part.BUDGET),
    ("to chuc thuc hien", Part.ORGANIZATION),
    ("trach nhiem", Part.ORGANIZATION),
    ("muc dich", Part.PURPOSE),
    ("muc tieu", Part.PURPOSE),   # `I. MỤC TIÊU`, `MỤC TIÊU, YÊU CẦU`: a plan's objectives
    # reporting duties and the assignment of duties, parts of their own in some plans
    ("che do bao cao", Part.ORGANIZATION),
    ("che do thong tin", Part.ORGANIZATION),
    ("phan cong", Part.ORGANIZATION),
    ("yeu cau", Part.REQUIREMENTS),
    ("nhiem vu", Part.TASKS),
    ("hoat dong", Part.TASKS),
    ("hinh thuc", Part.TASKS),
    ("giai phap", Part.TASKS),
    ("noi dung", Part.CONTENT),
)


@dataclass(frozen=True)
class ParseConfig:
    """Nothing to tune yet beyond the defaults; kept so every stage has one shape."""

    keep_footnotes: bool = True


def parse(doc: IngestedDocument, config: ParseConfig = ParseConfig()) -> PlanDocument:
    lines = split_glued(drop_running_lines(drop_page_numbers(document_lines(doc))))
    if not lines:
        raise ParseError("the document has no text to parse")
    body, footnotes = split_footnotes(lines)
    take_markers(body, footnotes)
    head, body, closing = _regions(body)
    closing, appendices = split_appendices(closing)
    signer, capacity = signature([ln.text for ln in closing])
    closing, trailing = trailing_notes(closing, signer)
    footnotes += trailing
    link_lost_marks(footnotes, head + body)
    number_notes(footnotes)
    header, title, preamble = split_title(without_received_stamp([ln.text for ln in head]))
    meta = extract_metadata(header, title, preamble)
    builder = _ItemBuilder(doc.doc_id)
    if head:
        builder.add_block(head, Part.PREAMBLE, "")
    root = build_tree(body)
    for child in root.children:
        builder.add_node(child, None, _part_of(child, None))
    if closing:
        builder.add_block(closing, Part.CLOSING, "")
    for appendix in appendices:
        node = appendix_node(appendix)
        builder.add_node(node, None, _part_of(node, None) if _has_part_keyword(node) else Part.TASKS)
    if config.keep_footnotes:
        for note in footnotes:
            builder.add_footnote(note)
    items = tuple(builder.items)
    citations = _citations(items)
    # References of a numbered legal-basis part join those of the preamble (parent_refs.py).
    meta = section_references(replace(meta, signer=signer, signing_capacity=capacity), items)
    log.debug("%s: %d items, %d footnotes, %d citations, level %s", doc.doc_id, len(items),
              len(footnotes), len(citations), meta.admin_level)
    return PlanDocument(doc_id=doc.doc_id, meta=meta, items=items, citations=citations, source=doc)


def _regions(lines: list[Line]) -> tuple[list[Line], list[Line], list[Line]]:
    """Split lines into (header + preamble, outline body, closing)."""
    start = next((i for i, ln in enumerate(lines) if _starts_outline(ln.text)), len(lines))
    end = next((i for i in range(start, len(lines)) if _CLOSING.match(fold(lines[i].text))),
               len(lines))
    end = min(end, _closing_paragraph(lines, start, end))
    return lines[:start], lines[start:end], lines[end:]


def _closing_paragraph(lines: list[Line], start: int, end: int) -> int:
    """Where an unnumbered last paragraph ending in `./.` (the end mark) begins."""
    last = next((i for i in range(start, end) if lines[i].text.rstrip().endswith("./.")), None)
    if last is None:
        return end
    first = last
    while first > start and not lines[first - 1].text.rstrip().endswith((".", ";", ":")) \
            and read_label(lines[first].text) is None:
        first -= 1
    if read_label(lines[first].text) is not None or read_attribute(lines[first].text):
        return end
    return first


def _starts_outline(text: str) -> bool:
    """A part's heading: a label of a top scheme (plain, or an OCR-damaged one
    such as `IL MỤC ĐÍCH`) before an ALL-CAPS or part-keyword heading."""
    plain = read_label(text)
    label = plain if plain is not None and plain.scheme in _TOP_SCHEMES else next(
        (r for r in rereadings(text, plain) if r.scheme in _TOP_SCHEMES), None)
    if label is None:
        return False
    rest = label.rest
    letters = [c for c in rest if c.isalpha()]
    upper = bool(letters) and sum(c.isupper() for c in letters) / len(letters) > 0.7
    return upper or any(k in fold(rest) for k, _ in _PART_KEYWORDS)


def _part_of(node: Node, inherited: Part | None) -> Part:
    heading = fold(node.own_text)[:80]
    if inherited is None:  # a top-level part: the first keyword in its heading decides
        if _CONTENT_LISTING_TASKS.match(heading):
            return Part.TASKS
        found = [(heading.find(k), part) for k, part in _PART_KEYWORDS if k in heading]
        if not found:  # OCR-damaged heading ("KINH PHAI THUC HIEN"): closest keyword
            found = _fuzzy_keywords(heading)
        if found:
            return min(found, key=lambda x: x[0])[1]
        # A heading of its own wording (`XÂY DỰNG CHƯƠNG TRÌNH HÀNH ĐỘNG`) over items that
        # state a lead or a timeline: those are tasks.
        return Part.TASKS if _states_tasks(node) else Part.OTHER
    for keyword, part in _PART_KEYWORDS:
        # a heading inside a part (`2. Yêu cầu`), or a point that names its own
        # (`2. Yêu cầu: bảo đảm …`)
        if heading.lstrip(" -").startswith(keyword) and (
                node.children and is_heading_like(node.own_text)
                or heading.lstrip(" -")[len(keyword):].lstrip().startswith(":")):
            return part
    return inherited


# How near an OCR-damaged heading must come to a part keyword (rapidfuzz partial ratio):
# `TO CHIRC THUC HIEN` 88, `N§I DUNG` 88; a report's `KẾT QUẢ THỰC HIỆN` shares only
# `thực hiện` with `tổ chức thực hiện` and reaches 81.
FUZZY_KEYWORD_CUTOFF = 85


# `NỘI DUNG, NHIỆM VỤ VÀ GIẢI PHÁP`, `NỘI DUNG THỰC HIỆN`, `NỘI DUNG HOẠT ĐỘNG`: a heading
# that lists content among tasks, or names the content of what is done, holds tasks
# (`NỘI DUNG TRUYỀN THÔNG VÀ CÁC NHIỆM VỤ` names what is communicated first: content).
_CONTENT_LISTING_TASKS = re.compile(r"^\W*noi dung\s*(?:(?:,|va)\s*(?:cac\s+)?(?:nhiem vu|giai phap)"
                                    r"|(?:thuc hien|hoat dong|cong viec|trien khai))\b")
_TASK_FIELDS = ("lead", "partners", "timeline", "frequency")


def _states_tasks(node: Node) -> bool:
    return any(field in node.attributes for field in _TASK_FIELDS) or \
        any(_states_tasks(child) for child in node.children)


def _has_part_keyword(node: Node) -> bool:
    return any(k in fold(node.own_text) for k, _ in _PART_KEYWORDS)


def _fuzzy_keywords(heading: str) -> list[tuple[int, Part]]:
    from rapidfuzz import fuzz

    found = []
    for keyword, part in _PART_KEYWORDS:
        match = fuzz.partial_ratio_alignment(keyword, heading, score_cutoff=FUZZY_KEYWORD_CUTOFF)
        if match is not None:
            found.append((match.dest_start, part))
    return found


class _ItemBuilder:
    def __init__(self, doc_id: str):
        self.doc_id = doc_id
        self.items: list[Item] = []
        self.preamble_text = ""
        self.owner: dict[int, Item] = {}   # id(Line) -> the item whose text holds it

    def _own(self, lines: list[Line]) -> None:
        item = self.items[-1]
        for ln in lines:
            self.owner.setdefault(id(ln), item)

    def _next_id(self) -> tuple[str, int]:
        ordinal = len(self.items) + 1
        return f"{self.doc_id}:{ordinal:04d}", ordinal

    def add_block(self, lines: list[Line], part: Part, label: str,
                  kind: ItemKind = ItemKind.PART) -> None:
        item_id, ordinal = self._next_id()
        text = "\n".join(ln.text for ln in lines)
        if part is Part.PREAMBLE:
            self.preamble_text = text
        self.items.append(Item(
            item_id=item_id, parent_id=None, ordinal=ordinal, depth=0, label=label, kind=kind,
            heading="", text=text, part=part, page=lines[0].page,
            start=lines[0].start, end=lines[-1].end, scheme="BLOCK",
        ))
        self._own(lines)

    def add_footnote(self, note: Footnote) -> None:
        """A footnote as its own node, linked to the item that cites it."""
        self.add_block(note.lines, Part.OTHER, note.number, kind=ItemKind.POINT)
        citing = self.owner.get(id(note.cited_in)) if note.cited_in is not None else None
        at = None
        if citing is not None and note.cited_in is not None and note.cited_at is not None:
            at = mark_offset(citing.full_text, note.cited_in.text, note.cited_at)
        self.items[-1] = replace(self.items[-1], scheme="FOOTNOTE", label_understood=note.understood,
                                 cited_by=citing.item_id if citing else None, cited_at=at)

    def add_node(self, node: Node, parent_id: str | None, part: Part,
                 inherited_lead: str | None = None) -> None:
        item_id, ordinal = self._next_id()
        kind = _kind_of(node, part)
        own = collapse_ws(node.own_text)
        heading, text = (own, "") if kind in (ItemKind.PART, ItemKind.SECTION) else ("", own)
        attrs = {k: [clean_value(v) for v in vals] for k, vals in node.attributes.items()}
        partners: tuple[str, ...] = ()
        for value in attrs.get("partners", []):
            partners += split_agencies(value)
        # "Cơ quan chỉ đạo" (the directing body) stands in for a missing lead.
        lead = _joined(attrs.get("lead")) or _joined(attrs.get("directing"))
        inherited = False
        if lead is None and part is Part.ORGANIZATION:
            lead = _agency_before_colon(own) or inherited_lead
            inherited = lead is not None
        timeline = repair_quarters(_joined(attrs.get("timeline")))
        frequency = _joined(attrs.get("frequency"))
        schedule = read_timeline(timeline)
        self.items.append(Item(
            item_id=item_id, parent_id=parent_id, ordinal=ordinal, depth=node.depth,
            label=node.label, kind=kind, heading=heading, text=text, part=part,
            lead=lead, partners=partners, timeline=timeline, frequency=frequency,
            lead_key="; ".join(agency_keys(split_agencies(lead))) if lead else "",
            partner_keys=agency_keys(partners),
            timeline_kind=schedule.kind if schedule else None,
            timeline_year=schedule.year if schedule else None,
            timeline_quarters=schedule.quarters if schedule else (),
            frequency_per_year=frequency_per_year(frequency), lead_inherited=inherited,
            page=node.lines[0].page if node.lines else None,
            start=node.lines[0].start if node.lines else 0,
            end=node.lines[-1].end if node.lines else 0, scheme=node.scheme,
            label_understood=node.understood or node.label,
        ))
        self._own(node.lines)
        # In the organization part an agency heading ("1. Phòng Văn hoá - Xã hội")
        # is the lead of the duties listed under it.
        child_lead = inherited_lead
        heading_agency = re.sub(r"^(?:Đề nghị|Giao)\s+", "", own).rstrip(":").strip()
        if part is Part.ORGANIZATION and kind is ItemKind.SECTION and _names_agency(heading_agency):
            child_lead = heading_agency
        for child in node.children:
            self.add_node(child, item_id, _part_of(child, part), child_lead)


def _joined(values: list[str] | None) -> str | None:
    if not values:
        return None
    joined = "; ".join(v for v in values if v)
    return joined or None


def _kind_of(node: Node, part: Part) -> ItemKind:
    if node.parent is not None and node.parent.scheme == "ROOT" and node.scheme != "PARA":
        return ItemKind.PART
    if node.attributes:
        return ItemKind.TASK
    if node.children:
        return ItemKind.SECTION
    return ItemKind.TASK if part is Part.TASKS else ItemKind.POINT


_AGENCY_HEAD = re.compile(
    r"^(phong|so|van phong|vp|trung tam|uy ban|ubnd|dai|ban|hoi|doan|cong an|bao|buu dien|"
    r"mat tran|chi cuc|truong|cac co quan|cac phong|cac don vi|thu truong|cong chuc|truong cac|"
    # Party and union bodies: `Các chi bộ trực thuộc: …`, `Công đoàn cơ sở Sở, Đoàn Thanh niên Sở: …`
    r"cong doan|chi bo|cac chi bo|dang uy|thuong truc|quan su|to cong tac|cac to|to truong|hieu truong|"
    r"bo phan|cac bo phan|cac huyen|cac xa|cac truong|cac hoi|doi|"
    # health and other public service units: `Trạm Y tế các xã, phường`, `Các bệnh viện, …`
    r"tram|benh vien|cac benh vien|cac tram|khu quan ly|hat kiem lam|kho bac|cuc)\b")


def _names_agency(text: str) -> bool:
    words = text.rstrip(":").split()
    return 0 < len(words) <= 20 and bool(_AGENCY_HEAD.match(fold(text)))


def _agency_before_colon(text: str) -> str | None:
    """`Phòng Kinh tế: Tham mưu ...` -> `Phòng Kinh tế` (also after `Đề nghị`)."""
    head, sep, rest = text.partition(":")
    head = re.sub(r"^(?:Đề nghị|Giao)\s+", "", head.strip())
    return head if sep and rest.strip() and _names_agency(head) else None


def _citations(items: tuple[Item, ...]) -> tuple[Citation, ...]:
    """Every cited document once per plan, at its first mention."""
    seen: set[tuple[str, str]] = set()
    out: list[Citation] = []
    for item in items:
        text = " ".join(x for x in (item.heading, item.text) if x).replace("\n", " ")
        for found in find_citations(text):
            key = (found.kind, found.number.upper())
            if key in seen:
                continue
            seen.add(key)
            out.append(Citation(item_id=item.item_id, kind=found.kind, number=found.number,
                                issued_on=found.issued_on, raw=found.raw, issuer=found.issuer))
    return tuple(out)
