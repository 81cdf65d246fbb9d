"""Which parent each filed plan is checked against (`--reference DIR|FILE…|auto`).

A province issues many plans, and a batch of filed plans mixes children of
several of them; a district plan and its communes' plans may sit in one batch.
Each plan is routed, in this order:

1. **cited**: a document the plan says it implements (`Metadata.references`,
   role `implements`) is one of the library's references or another plan of
   the batch, matched by number and date (the issuing decision's number stands
   for a plan issued as a decision's attachment). OCR damage in the number is
   tolerated: letters read for digits, a damaged code after the digits, one
   wrong digit when the date agrees. A number without a date that agrees, or
   with a date that disagrees, is not enough: offices reuse numbers every year.
   Failing the implemented ones, a library reference named among the plan's
   other legal bases is cited too (the evidence says so).
2. **content**: the library reference whose items' wording the plan's items
   contain most (weighted word pairs), when that share reaches
   `CONTENT_FLOOR`; flagged for a reviewer.
3. **consensus**: the rest are checked against the reference inferred from
   them (`align/consensus.py`), flagged too. With no library (`auto`) every
   uncited plan goes there; with a single reference, none does (the user chose
   it for the batch), and neither does a lone plan (nothing to infer from).

A parent found in the batch makes a chain (province → district → commune);
`lineage.py` follows it. A plan is never its own ancestor: a cited plan that
would close a loop is routed by content instead.
"""
from __future__ import annotations

import datetime as dt
import enum
import functools
import logging
import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz

from plandiff.align import alignable
from plandiff.ingest.textnorm import fold
from plandiff.parse import PlanDocument
from plandiff.parse.model import ParentReference, ReferenceRole

log = logging.getLogger(__name__)

CONTENT_FLOOR = 0.25    # share of a plan's weighted word pairs a parent must hold to be its parent by content
MIN_CONSENSUS_PLANS = 2  # fewer plans than this cannot infer a reference: the closest parent is used


class ReferenceMatch(enum.StrEnum):
    """How a plan's parent was chosen (`documents.reference_match`)."""

    CITED = "cited"
    CONTENT = "content"
    CONSENSUS = "consensus"


@dataclass(frozen=True)
class Route:
    parent_id: str | None        # doc_id of the parent; None: the consensus reference (set by the run)
    match: ReferenceMatch
    evidence: str                # why, in words, with the figures
    evidence_vi: str = ""        # the same in Vietnamese
    score: float = 1.0           # cited: strength of the number match; content: share of wording held

    @property
    def flagged(self) -> bool:
        """A reviewer should confirm the parent: the plan does not cite it."""
        return self.match is not ReferenceMatch.CITED


# ---------------------------------------------------------------- numbers

# Letters OCR reads for digits in a document number (`8Z`, `B2`, `37O`, `l02`).
_DIGIT_READINGS = str.maketrans({"O": "0", "o": "0", "D": "0", "Q": "0", "l": "1", "I": "1", "i": "1",
                                 "|": "1", "!": "1", "Z": "2", "z": "2", "B": "8", "S": "5", "s": "5",
                                 "G": "6", "b": "6", "g": "9", "q": "9"})
_NUMBER_HEAD = re.compile(r"\s*([0-9OoDQlIi|!ZzBSsGbgq]{1,5})([a-z]?)\s*(?:[/\-–.]\s*|\s+)(.*)")
_CODE_PART = re.compile(r"[A-Z0-9]+")


@dataclass(frozen=True)
class NumberKey:
    """A document number reduced to what OCR rarely spoils together: its digits
    (with a sub-letter, `97a`) and its code letters (`KH-UBND` -> `KHUBND`, `Đ`
    folded to `D`)."""

    digits: str
    code: str

    @classmethod
    def of(cls, number: str | None) -> NumberKey | None:
        return _number_key(number) if number else None

    def patterns(self) -> list[str]:
        """The digits, and the digits with each one unknown: documents whose numbers
        differ in at most one digit share a pattern."""
        d = self.digits
        return [d] + [d[:i] + "?" + d[i + 1:] for i in range(len(d)) if d[i].isdigit()]


@functools.lru_cache(maxsize=1 << 14)   # a batch cites the same few parents thousands of times
def _number_key(number: str) -> NumberKey | None:
    m = _NUMBER_HEAD.match(number)
    if m is None:
        return None
    digits = m.group(1).translate(_DIGIT_READINGS)
    if not digits.isdigit():
        return None
    code = "".join(_CODE_PART.findall(fold(m.group(3)).upper()))
    return NumberKey(str(int(digits)) + m.group(2).lower(), code)


def number_agreement(cited: NumberKey, own: NumberKey) -> float:
    """1 for the same number; 0.8 when only the code differs (OCR spoilt it);
    0.6 for one wrong digit with the same code; else 0."""
    if cited.digits == own.digits:
        return 1.0 if cited.code == own.code else 0.8 if _codes_close(cited.code, own.code) else 0.0
    if cited.code == own.code and len(cited.digits) == len(own.digits) >= 2 and \
            sum(a != b for a, b in zip(cited.digits, own.digits, strict=True)) == 1:
        return 0.6
    return 0.0


def _codes_close(a: str, b: str) -> bool:
    """Codes of one document read apart by OCR: one a prefix of the other
    (`KHUBN` / `KHUBND`), or one letter different, or one of them lost."""
    if not a or not b:
        return True
    if a.startswith(b) or b.startswith(a):
        return True
    return len(a) == len(b) and sum(x != y for x, y in zip(a, b, strict=True)) <= 1


# Weights of the evidence for a citation: the number (0..1 from `number_agreement`),
# the date (agrees / disagrees / unknown).
DATE_AGREES = 0.5
DATE_DISAGREES = -1.0
CITED_FLOOR = 1.0   # the exact number alone, or a damaged number and the date


@dataclass(frozen=True)
class _Identity:
    """One way a document can be cited: its own number and date, or those of the
    decision that issued it; and who issued it."""

    doc_id: str
    key: NumberKey
    issued_on: dt.date | None
    via_decision: bool
    issuer: tuple[str | None, str | None] = (None, None)   # (level word, place) of the issuer


def _identities(doc: PlanDocument) -> list[_Identity]:
    out = []
    meta = doc.meta
    issuer = issuer_of(meta.issuer)
    for number, date, via in ((meta.plan_number, meta.issued_on, False),
                              (meta.decision_number, meta.decision_issued_on, True)):
        key = NumberKey.of(number)
        if key is not None:
            out.append(_Identity(doc.doc_id, key, date, via, issuer))
    return out


# The level word of an issuing body's name, folded (`UBND tỉnh Quảng Ngãi`, `ỦY BAN NHÂN DÂN
# HUYỆN BA TƠ`), and the place named after it.
_LEVEL_WORD = re.compile(r"\b(tinh|huyen|thi xa|thi tran|phuong|xa(?! hoi))\b\s*((?:[a-z0-9]+\s*){0,3})")
PLACE_SIMILARITY = 60   # rapidfuzz ratio under which two place names are two places (OCR: `pk to` is `dak to`)
_LEVEL_OF_WORD = {"tinh": "province", "huyen": "district", "thi xa": "district", "thi tran": "commune",
                  "phuong": "commune", "xa": "commune"}


@functools.lru_cache(maxsize=1 << 12)
def issuer_of(issuer: str | None) -> tuple[str | None, str | None]:
    """(level, place) an issuer's name states: ('province', 'quang ngai'); None where unsaid."""
    if not issuer:
        return None, None
    m = _LEVEL_WORD.search(re.sub(r"[^a-z0-9]+", " ", fold(issuer)))
    if m is None:
        return None, None
    return _LEVEL_OF_WORD[m.group(1)], " ".join(m.group(2).split()[:2]) or None


def issuers_conflict(cited: tuple[str | None, str | None], own: tuple[str | None, str | None]) -> bool:
    """A citation `của UBND tỉnh Quảng Ngãi` cannot name a plan of UBND huyện Sơn Tây."""
    (level_a, place_a), (level_b, place_b) = cited, own
    if level_a and level_b and level_a != level_b:
        return True
    return bool(place_a and place_b and fuzz.ratio(place_a, place_b) < PLACE_SIMILARITY)


def citation_strength(ref: ParentReference, identity: _Identity) -> float:
    """How well a reference names a document: number agreement plus the date's; 0 when
    the issuers named disagree (another office's plan of the same number)."""
    cited = NumberKey.of(ref.number)
    if cited is None:
        return 0.0
    score = number_agreement(cited, identity.key)
    if score == 0.0 or issuers_conflict(issuer_of(ref.issuer), identity.issuer):
        return 0.0
    if ref.issued_on is not None and identity.issued_on is not None:
        score += DATE_AGREES if ref.issued_on == identity.issued_on else DATE_DISAGREES
    elif score < 1.0:
        return 0.0   # a damaged number needs the date to agree
    return score


def _describe(ref: ParentReference, identity: _Identity, strength: float,
              doc: PlanDocument) -> tuple[str, str]:
    """Why a cited parent, in English and Vietnamese."""
    what = f"{ref.kind} số {ref.number}" + (f" ngày {ref.issued_on:%d/%m/%Y}" if ref.issued_on else "")
    target = doc.meta.decision_number if identity.via_decision else doc.meta.plan_number
    damaged = strength < 1.0 or (bool(ref.raw) and ref.number not in ref.raw)
    dated = ref.issued_on is not None and identity.issued_on is not None
    how = ("the number read through OCR damage" if damaged else "the number") + (" and the date" if dated else "")
    how_vi = ("số hiệu (đọc qua lỗi OCR)" if damaged else "số hiệu") + (" và ngày ban hành" if dated else "")
    implements = ref.role is ReferenceRole.IMPLEMENTS
    en = (f"the plan {'implements' if implements else 'names among its legal bases'} {what}: {target}"
          f"{' (the decision that issued it)' if identity.via_decision else ''} by {how}")
    vi = (f"Kế hoạch {'thực hiện' if implements else 'nêu trong căn cứ'} {what}: khớp với {target}"
          f"{' (quyết định ban hành kế hoạch này)' if identity.via_decision else ''} theo {how_vi}")
    return en, vi


# ---------------------------------------------------------------- content

def _pairs(doc: PlanDocument) -> Counter[str]:
    """The folded word pairs of a plan's content items (each counted once per item)."""
    bag: Counter[str] = Counter()
    for item in alignable(doc):
        words = fold(item.full_text).split()
        bag.update({f"{a} {b}" for a, b in zip(words, words[1:], strict=False)})
    return bag


class _ContentIndex:
    """The library's references as sets of word pairs, weighted by rarity across them
    (a pair every reference holds says nothing about which one is the parent)."""

    def __init__(self, references: Sequence[PlanDocument]):
        self.references = list(references)
        self.position = {ref.doc_id: i for i, ref in enumerate(self.references)}
        self.pairs = [set(_pairs(ref)) for ref in self.references]
        df: Counter[str] = Counter(p for pairs in self.pairs for p in pairs)
        n = len(self.references)
        self.weight = {p: math.log((n + 1) / c) + 1.0 for p, c in df.items()}
        self._shares: dict[str, list[float]] = {}

    def shares(self, plan: PlanDocument) -> list[float]:
        """For each reference, the weighted share of the plan's word pairs it holds."""
        if plan.doc_id not in self._shares:
            self._shares[plan.doc_id] = self._measure(plan)
        return self._shares[plan.doc_id]

    def _measure(self, plan: PlanDocument) -> list[float]:
        pairs = set(_pairs(plan))
        unseen = 1.0 + math.log(len(self.references) + 1)   # a pair no reference holds
        total = sum(self.weight.get(p, unseen) for p in pairs)
        if not total:
            return [0.0] * len(self.references)
        return [sum(self.weight[p] for p in pairs & held) / total for held in self.pairs]


# ---------------------------------------------------------------- routing

def route(plans: Sequence[PlanDocument], references: Sequence[PlanDocument]) -> dict[str, Route]:
    """The parent of every plan (keyed by doc_id): cited, else by content, else consensus."""
    candidates = {doc.doc_id: doc for doc in [*references, *plans]}
    library = {ref.doc_id for ref in references}
    by_pattern: dict[str, list[_Identity]] = {}
    for doc in candidates.values():
        for identity in _identities(doc):
            for pattern in identity.key.patterns():
                by_pattern.setdefault(pattern, []).append(identity)
    index = _ContentIndex(references) if references else None
    routes: dict[str, Route] = {}
    for plan in plans:
        cited = _cited(plan, candidates, library, by_pattern, index)
        if cited is not None:
            routes[plan.doc_id] = cited
    _break_loops(routes, plans)
    pending = [p for p in plans if p.doc_id not in routes]
    shares = {p.doc_id: index.shares(p) for p in pending} if index else {}
    weak = {p.doc_id for p in pending if not shares or max(shares[p.doc_id]) < CONTENT_FLOOR}
    # One reference named alone is the parent the user chose for the batch: nothing falls
    # past it to a consensus.
    to_consensus = index is None or (len(references) > 1 and len(weak) >= MIN_CONSENSUS_PLANS)
    for plan in pending:
        routes[plan.doc_id] = _by_content(plan, shares.get(plan.doc_id), index,
                                          consensus=to_consensus and plan.doc_id in weak)
    counts = Counter(r.match for r in routes.values())
    log.info("routed %d plans: %s", len(plans), ", ".join(f"{counts[m]} {m}" for m in ReferenceMatch))
    return routes


def _cited(plan: PlanDocument, candidates: dict[str, PlanDocument], library: set[str],
           by_pattern: dict[str, list[_Identity]], index: _ContentIndex | None) -> Route | None:
    """The best-named document the plan implements; failing that, a library
    reference named among its other bases."""
    refs = plan.meta.references
    for role, allowed in ((ReferenceRole.IMPLEMENTS, None), (ReferenceRole.BASIS, library)):
        best: tuple[tuple[dt.date, float, float], ParentReference, _Identity] | None = None
        for ref in refs:
            if ref.role is not role:
                continue
            key = NumberKey.of(ref.number)
            if key is None:
                continue
            for identity in {i for pattern in key.patterns() for i in by_pattern.get(pattern, ())}:
                parent = candidates[identity.doc_id]
                if parent.doc_id == plan.doc_id or (allowed is not None and parent.doc_id not in allowed) \
                        or _later(parent, plan):
                    continue
                strength = citation_strength(ref, identity)
                if strength < CITED_FLOOR:
                    continue
                # Of several implemented documents the latest is the nearest parent (a commune
                # implementing its district's plan and, through it, the province's); a tie
                # goes to the better-read number, then to the library, then to content.
                rank = (parent.meta.issued_on or dt.date.min, strength,
                        (parent.doc_id in library) + (_share(index, plan, parent) if index else 0.0))
                if best is None or rank > best[0]:
                    best = (rank, ref, identity)
        if best is not None:
            (_, strength, _), ref, identity = best
            parent = candidates[identity.doc_id]
            en, vi = _describe(ref, identity, strength, parent)
            return Route(parent.doc_id, ReferenceMatch.CITED, en, vi, round(min(strength, 1.5) / 1.5, 3))
    return None


def _later(parent: PlanDocument, plan: PlanDocument) -> bool:
    """A parent is issued before the plans that implement it."""
    a, b = parent.meta.issued_on, plan.meta.issued_on
    return a is not None and b is not None and a > b


def _share(index: _ContentIndex, plan: PlanDocument, parent: PlanDocument) -> float:
    at = index.position.get(parent.doc_id)
    return 0.0 if at is None else index.shares(plan)[at]


def _break_loops(routes: dict[str, Route], plans: Sequence[PlanDocument]) -> None:
    """Plans citing each other in a loop (misread numbers): the loop's plans lose
    their cited parent and are routed by content."""
    for plan in plans:
        seen = [plan.doc_id]
        node = routes.get(plan.doc_id)
        while node is not None and node.parent_id in routes:
            if node.parent_id in seen:
                for doc_id in seen[seen.index(node.parent_id):]:
                    log.warning("%s: its cited parent closes a loop; routed by content", doc_id)
                    routes.pop(doc_id, None)
                break
            seen.append(node.parent_id)
            node = routes.get(node.parent_id)


def _by_content(plan: PlanDocument, shares: list[float] | None, index: _ContentIndex | None,
                consensus: bool) -> Route:
    own = {NumberKey.of(plan.meta.plan_number), NumberKey.of(plan.meta.decision_number)} - {None}
    cites = ", ".join(r.number for r in plan.meta.references
                      if r.role is ReferenceRole.IMPLEMENTS and NumberKey.of(r.number) not in own)
    said = f"it cites {cites}, not in the library or the batch" if cites else "it cites no parent plan"
    said_vi = f"Kế hoạch dẫn {cites}, không có trong thư viện hay trong lô" if cites else \
        "Kế hoạch không dẫn kế hoạch cấp trên nào"
    if index is None or shares is None:
        return Route(None, ReferenceMatch.CONSENSUS, f"{said}; no library of references (--reference auto)",
                     f"{said_vi}; không có thư viện kế hoạch tham chiếu (--reference auto)", 0.0)
    order = sorted(range(len(shares)), key=lambda i: -shares[i])
    best = shares[order[0]]
    if consensus:
        return Route(None, ReferenceMatch.CONSENSUS,
                     f"{said}; no reference holds enough of its wording (best {best:.2f} < {CONTENT_FLOOR}): "
                     "checked against the reference inferred from such plans",
                     f"{said_vi}; không kế hoạch tham chiếu nào đủ gần về nội dung (cao nhất {_vi(best)} < "
                     f"{_vi(CONTENT_FLOOR)}): đối chiếu với kế hoạch tham chiếu suy ra từ các kế hoạch như vậy", 0.0)
    ref = index.references[order[0]]
    name = ref.meta.plan_number or ref.meta.title or ref.doc_id
    runner = f", next {shares[order[1]]:.2f}" if len(order) > 1 else ""
    runner_vi = f", kế tiếp {_vi(shares[order[1]])}" if len(order) > 1 else ""
    return Route(ref.doc_id, ReferenceMatch.CONTENT,
                 f"{said}; closest by content: {name} holds {best:.2f} of its wording{runner}",
                 f"{said_vi}; gần nhất về nội dung: {name} chứa {_vi(best)} lời văn của kế hoạch{runner_vi}",
                 round(best, 3))


def _vi(share: float) -> str:
    """A share written the Vietnamese way (0,94)."""
    return f"{share:.2f}".replace(".", ",")
