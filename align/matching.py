"""Match a plan's items to a reference's items and give each a verdict.

Scores combine the wording (rapidfuzz over folded text with level words,
place names and common synonyms neutralised), agreement of the attributes
both sides state, the relative position in the outline and, given an
embedder, the items' meaning where wording leaves them open (align/meaning.py).  Pairs are
chosen globally (maximum total score, `scipy.optimize.linear_sum_assignment`),
then leftovers that are pieces of a split or merged item join their partner.
"""
from __future__ import annotations

import logging

import numpy as np
from plandiff.ingest.model import TextSource
from plandiff.parse.model import Item, ItemKind, Part, PlanDocument
from rapidfuzz import fuzz, process
from scipy.optimize import linear_sum_assignment

from .attributes import agreement_of, attribute_agreement, attribute_changes, attribute_values, office_key
from .confidence import Rater
from .embedding import TextEmbedder
from .meaning import Meaning, meaning
from .model import AlignConfig, Alignment, DecisionRule, Relation, Status
from .similarity import as_printed, containment, match_text, only_misreadings, read_misreadings, word_evidence
from .vectors import TermVectors

log = logging.getLogger(__name__)

_SKIPPED_PARTS = (Part.PREAMBLE, Part.CLOSING, Part.OTHER)
TEXT_WEIGHT, ATTRIBUTE_WEIGHT, POSITION_WEIGHT = 0.85, 0.10, 0.05


# A pair of indices (reference item, plan item) with how it was found.
Pair = tuple[int, int, tuple[Relation, DecisionRule]]
BY_SCORE = (Relation.ONE_TO_ONE, DecisionRule.SCORE)
BY_MEANING = (Relation.ONE_TO_ONE, DecisionRule.MEANING)
SECTION_MIN_WORDS = 12  # a section with this much text of its own is also a task


def alignable(doc: PlanDocument) -> list[Item]:
    """Items that carry content: tasks and points outside preamble and closing,
    and sections whose own text says something (`c) Cải cách tổ chức bộ máy:
    Truyền thông tình hình ...` with sub-points), not mere headings."""
    return [it for it in doc.items
            if it.part not in _SKIPPED_PARTS and it.full_text.strip()
            and (it.kind in (ItemKind.TASK, ItemKind.POINT)
                 or it.kind is ItemKind.SECTION and len(it.full_text.split()) >= SECTION_MIN_WORDS)]


MIN_WORD_OVERLAP = 0.3  # pairs sharing less of the shorter item's words are not compared ...
MIN_COSINE = 0.2        # ... unless their weighted words agree this much
FUZZ_SHARE = 0.5  # the rest of the wording score is the weighted-word cosine


def score_matrix(left: list[str], right: list[str], prefilter: bool = True) -> np.ndarray:
    """0..1 wording similarity of every left text with every right text.

    Half is rapidfuzz (mean of order-aware `ratio` and order-free
    `token_set_ratio`), half the square root of the cosine of the texts'
    word and word-pair vectors weighted by rarity (`TermVectors.cosine`):
    sharing "nhận thức" and "cán bộ, công chức" says more than sharing
    "công tác" and "thực hiện", which a rewording keeps anyway.  With
    `prefilter`, rapidfuzz scores only pairs among each item's nearest by
    the cosine whose word overlap (shared distinct uncommon words / distinct
    words of the shorter text) is at least MIN_WORD_OVERLAP or whose cosine
    is at least MIN_COSINE; the others score 0.  Pairs left out almost never
    win the assignment, and skipping them makes aligning thousands of plans cheap.
    """
    if not left or not right:
        return np.zeros((len(left), len(right)), dtype=np.float32)
    vectors = TermVectors(left, right)
    cosine = vectors.cosine()
    weighted = (1 - FUZZ_SHARE) * np.sqrt(cosine)
    if not prefilter:
        ratio = process.cdist(left, right, scorer=fuzz.ratio, dtype=np.float32)
        token_set = process.cdist(left, right, scorer=fuzz.token_set_ratio, dtype=np.float32)
        return FUZZ_SHARE * (ratio + token_set) / 200.0 + weighted
    scores = np.zeros((len(left), len(right)), dtype=np.float32)
    # A rewording keeps few words but rare ones: a clear cosine also qualifies.
    related = (vectors.overlap() >= MIN_WORD_OVERLAP) | (cosine >= MIN_COSINE)
    rows, cols = np.nonzero(related & _nearest(weighted))
    if len(rows):
        a = [left[r] for r in rows.tolist()]
        b = [right[c] for c in cols.tolist()]
        ratio = process.cpdist(a, b, scorer=fuzz.ratio, dtype=np.float32, workers=1)
        token_set = process.cpdist(a, b, scorer=fuzz.token_set_ratio, dtype=np.float32, workers=1)
        scores[rows, cols] = FUZZ_SHARE * (ratio + token_set) / 200.0 + weighted[rows, cols]
    return scores


# Two texts whose characters agree this much (rapidfuzz ratio, 0..1, on the folded match
# texts) say the same words: what differs is a slip (OCR reading "số" as "s0", a
# restored mark), not a rewording, and "text" is not listed among the changes.
SAME_WORDING_RATIO = 0.97
CANDIDATES_PER_ITEM = 3  # rapidfuzz scores each item against this many nearest by weighted words


def _nearest(similar: np.ndarray, k: int = CANDIDATES_PER_ITEM) -> np.ndarray:
    """Pairs among the k most similar of their row or of their column.

    A pair further down both lists could win the assignment only if the k
    better candidates on both sides were all taken by others, which real
    plans rarely do (`prefilter=False` scores everything); leaving such pairs
    out spares most of rapidfuzz's work on long plans."""
    keep = np.zeros(similar.shape, dtype=bool)
    if similar.shape[1] > k:
        top = np.argpartition(-similar, k - 1, axis=1)[:, :k]
        np.put_along_axis(keep, top, True, axis=1)
    else:
        keep[:] = True
    if similar.shape[0] > k:
        top = np.argpartition(-similar, k - 1, axis=0)[:k, :]
        np.put_along_axis(keep, top, True, axis=0)
    else:
        keep[:] = True
    return keep


def global_pairs(scores: np.ndarray, threshold: float) -> list[tuple[int, int, float]]:
    """One-to-one pairs maximising the total score of pairs above the threshold."""
    if scores.size == 0:
        return []
    # Maximise the margin above the threshold, so that two weak pairs never
    # outweigh one clear pair.
    gain = np.where(scores >= threshold, scores - threshold + 1e-6, 0.0)
    rows, cols = linear_sum_assignment(gain, maximize=True)
    return [(int(r), int(c), float(scores[r, c])) for r, c in zip(rows, cols, strict=True)
            if scores[r, c] >= threshold]


class PairScores:
    """Every signal for every (reference item, plan item) pair.

    With an `embedder`, `total` includes meaning where wording leaves pairs
    open and `wording_total` is the score without it; `meaning` says what was
    added (None when meaning had no say), `meaning_failed` that the embedder
    raised and the scores are wording alone.  `plan_ocr` / `ref_ocr` say that
    side's text was read from page images: its misread words are read as the
    other side writes them (`similarity.read_misreadings`)."""

    def __init__(self, ref_items: list[Item], plan_items: list[Item], config: AlignConfig,
                 embedder: TextEmbedder | None = None, plan_ocr: bool = False, ref_ocr: bool = False):
        self.ref_items, self.plan_items = ref_items, plan_items
        self.ref_ocr, self.plan_ocr = ref_ocr, plan_ocr
        self.ref_texts = [match_text(i) for i in ref_items]
        self.plan_texts = [match_text(i) for i in plan_items]
        # Words OCR misread on either side are read as the other side writes them
        # (each against the other's words as written).
        ref_texts, plan_texts = self.ref_texts, self.plan_texts
        if plan_ocr:
            self.plan_texts = read_misreadings(plan_texts, ref_texts)
        if ref_ocr:
            self.ref_texts = read_misreadings(ref_texts, plan_texts)
        self.text = score_matrix(self.ref_texts, self.plan_texts)
        n_ref, n_plan = len(ref_items), len(plan_items)
        # Attributes can lift a pair by at most ATTRIBUTE_WEIGHT + POSITION_WEIGHT: only
        # pairs whose wording comes that close to the threshold are worth comparing.
        self.attributes = np.full((n_ref, n_plan), 0.5, dtype=np.float32)
        near = TEXT_WEIGHT * self.text >= config.match_threshold - ATTRIBUTE_WEIGHT - POSITION_WEIGHT
        for r, c in zip(*np.nonzero(near), strict=True):
            agreement = agreement_of(attribute_values(ref_items[r]), attribute_values(plan_items[c]))
            # Agreeing attributes are evidence of the same item; differing ones are
            # no evidence against it: a changed lead or timeline is what `modified`
            # reports, and must not hide the pair.
            self.attributes[r, c] = 0.5 if agreement is None else 0.5 + 0.5 * agreement
        ref_pos = np.arange(n_ref, dtype=np.float32) / max(n_ref - 1, 1)
        plan_pos = np.arange(n_plan, dtype=np.float32) / max(n_plan - 1, 1)
        self.position = 1.0 - np.abs(ref_pos[:, None] - plan_pos[None, :])
        codes = {part: n for n, part in enumerate(Part)}
        ref_parts = np.array([codes[r.part] for r in ref_items], dtype=np.int16)
        plan_parts = np.array([codes[p.part] for p in plan_items], dtype=np.int16)
        same_part = ref_parts[:, None] == plan_parts[None, :]
        combined = (TEXT_WEIGHT * self.text + ATTRIBUTE_WEIGHT * self.attributes
                    + POSITION_WEIGHT * self.position)
        self.total = np.where(same_part, combined, combined * config.cross_part_factor)
        self.same_part = same_part
        self.wording_total = self.total
        self.meaning: Meaning | None = None
        self.meaning_failed = False
        if embedder is not None:
            try:
                self.meaning = meaning(ref_items, plan_items, self.text, embedder)
            except Exception as exc:  # a model that fails mid-run: wording alone, never a crash
                log.warning("the sentence-embedding model failed (%s: %s): aligning on wording alone",
                            type(exc).__name__, exc)
                self.meaning_failed = True
        if self.meaning is not None:
            self.total = (self.wording_total + self.meaning.adjustment(self.total.shape)).astype(np.float32)

    def wording_pairs(self, threshold: float) -> set[tuple[int, int]]:
        """The pairs the global assignment makes on wording alone (the same as on
        `total` when meaning had no say)."""
        return {(r, c) for r, c, _ in global_pairs(self.wording_total, threshold)}


def read_by_ocr(doc: PlanDocument) -> bool:
    """Whether some of the document's text was read from page images."""
    return doc.source is not None and any(p.source is TextSource.OCR for p in doc.source.pages)


def align(plan: PlanDocument, reference: PlanDocument,
          config: AlignConfig = AlignConfig(), embedder: TextEmbedder | None = None) -> list[Alignment]:
    """Verdicts for every alignable item of `plan` against `reference`.

    Without an `embedder`, wording, attributes and position decide.  With one
    (`embedding.load_embedder()` behind a `CachedEmbedder`), meaning also has a
    say where wording leaves pairs open in a plan that rewrites its parent
    (align/meaning.py); rows that meaning put on the other side of the
    threshold are `decided_by` MEANING.  An embedder that raises is logged as
    a warning and the plan is aligned on wording alone (its rows say so)."""
    ref_items = alignable(reference)
    plan_items = alignable(plan)
    scores = PairScores(ref_items, plan_items, config, embedder,
                        plan_ocr=read_by_ocr(plan), ref_ocr=read_by_ocr(reference))
    chosen = [(r, c) for r, c, _ in global_pairs(scores.total, config.match_threshold)]
    # Rows meaning decided: pairs wording alone would not make, and items wording alone would pair.
    by_words = scores.wording_pairs(config.match_threshold) if scores.meaning is not None else set(chosen)
    pairs: list[Pair] = [(r, c, BY_SCORE if (r, c) in by_words else BY_MEANING) for r, c in chosen]
    ref_by_words = {r: c for r, c in by_words} if scores.meaning is not None else {}
    plan_by_words = {c: r for r, c in by_words} if scores.meaning is not None else {}
    pairs += _split_and_merge(pairs, scores, config)
    headings = heading_counterparts(ref_items, plan_items, pairs)
    pairs += _same_office_pairs(ref_items, plan_items, pairs, scores, headings, config)
    matched_ref = {r for r, _, _ in pairs}
    matched_plan = {c for _, c, _ in pairs}
    rater = Rater(scores, matched_ref, matched_plan)
    rows: list[Alignment] = []
    for r, c, how in sorted(pairs):
        moved = _moved(ref_items[r], plan_items[c], headings)
        rows.append(_pair_row(reference, plan, ref_items[r], plan_items[c], scores, r, c,
                              how, config, moved, rater=rater))
    for r, item in enumerate(ref_items):
        if r not in matched_ref:
            rows.append(_unmatched_row(reference, plan, item.item_id, None, Status.DROPPED,
                                       scores.total[r], plan_items, config, scores,
                                       ref_by_words.get(r), rating=rater.unmatched(Status.DROPPED, r)))
    for c, item in enumerate(plan_items):
        if c not in matched_plan:
            rows.append(_unmatched_row(reference, plan, None, item.item_id, Status.ADDED,
                                       scores.total[:, c], ref_items, config, scores,
                                       plan_by_words.get(c), rating=rater.unmatched(Status.ADDED, c)))
    log.debug("%s against %s: %d pairs of %d reference and %d plan items", plan.doc_id,
              reference.doc_id, len(pairs), len(ref_items), len(plan_items))
    return rows


def pair_row(reference: PlanDocument, plan: PlanDocument, scores: PairScores, ref: Item, item: Item,
             config: AlignConfig = AlignConfig()) -> Alignment:
    """The verdict row of one given pair, with the evidence `align` would give it:
    for a pair the aligner did not choose (a reviewer's, say).  `scores` must
    cover `alignable(reference)` x `alignable(plan)`."""
    r = next(i for i, it in enumerate(scores.ref_items) if it.item_id == ref.item_id)
    c = next(i for i, it in enumerate(scores.plan_items) if it.item_id == item.item_id)
    return _pair_row(reference, plan, ref, item, scores, r, c, BY_SCORE, config)


def pair_scores(reference: PlanDocument, plan: PlanDocument,
                config: AlignConfig = AlignConfig(), embedder: TextEmbedder | None = None) -> PairScores:
    """Every signal for every pair of alignable items of the two plans."""
    return PairScores(alignable(reference), alignable(plan), config, embedder)


def _unmatched_row(reference: PlanDocument, plan: PlanDocument, ref_id: str | None,
                   item_id: str | None, status: Status, totals: np.ndarray,
                   others: list[Item], config: AlignConfig, scores: PairScores | None = None,
                   by_words: int | None = None, rating: tuple[float, bool] | None = None) -> Alignment:
    """A dropped or added row, naming the closest item on the other side when it
    comes near enough to be worth a reviewer's look.  `by_words` is the item
    (index into `others`) wording alone would have paired it with: then the
    row is decided by meaning."""
    best = int(np.argmax(totals)) if len(others) else -1
    best_score = float(totals[best]) if best >= 0 else 0.0
    candidate = others[best].item_id if best >= 0 and best_score >= config.candidate_floor else None
    reason = f"no counterpart above the threshold (best {best_score:.2f})"
    rule = DecisionRule.NO_COUNTERPART
    if scores is not None and by_words is not None and scores.meaning is not None:
        rule = DecisionRule.MEANING
        reason += (f"; on wording alone it would pair with {others[by_words].item_id} (score "
                   f"{float(totals[by_words]):.2f} with meaning), but in meaning the two are nearer to other items")
    elif scores is not None and scores.meaning_failed:
        reason += "; wording alone: the sentence-embedding model failed"
    return Alignment(reference.doc_id, ref_id, plan.doc_id, item_id, status, 0.0,
                     decided_by=rule, reason=reason, candidate_item_id=candidate,
                     candidate_score=round(best_score, 4) if candidate else None,
                     **_rated(rating))


def _rated(rating: tuple[float, bool] | None) -> dict:
    return {} if rating is None else {"confidence": rating[0], "needs_review": rating[1]}


def heading_counterparts(ref_items: list[Item], plan_items: list[Item],
                         pairs: list[Pair]) -> dict[str, str]:
    """Reference agency heading -> the plan heading that took most of its duties.

    Only duties whose lead comes from the heading above count; ties go to
    the plan heading that comes first, so the result does not depend on
    the order of `pairs`."""
    votes: dict[str, dict[str, int]] = {}
    for r, c, _ in pairs:
        ref, item = ref_items[r], plan_items[c]
        if ref.lead_inherited and item.lead_inherited and ref.parent_id and item.parent_id:
            tally = votes.setdefault(ref.parent_id, {})
            tally[item.parent_id] = tally.get(item.parent_id, 0) + 1
    return {ref_heading: max(sorted(tally), key=lambda h: tally[h])
            for ref_heading, tally in votes.items()}


def _moved(ref: Item, item: Item, headings: dict[str, str]) -> bool:
    """Whether inherited leads are compared: a duty listed under a plan heading
    other than its reference heading's counterpart, or a heading's office
    against a lead the other side states.  A heading's office against no lead
    at all is context on one side only, not a change."""
    if ref.lead_inherited and item.lead_inherited:
        return headings.get(ref.parent_id or "") != item.parent_id
    if ref.lead_inherited or item.lead_inherited:
        return bool(ref.lead if item.lead_inherited else item.lead)
    return False   # no inherited lead: nothing to decide


def _split_and_merge(pairs: list[Pair], scores: PairScores,
                     config: AlignConfig) -> list[Pair]:
    """Leftover items that are a piece of a matched item (a split or a merge)."""
    matched_ref = {r for r, _, _ in pairs}
    matched_plan = {c for _, c, _ in pairs}
    extra = []
    # A leftover plan item inside its best matched reference item: a split.
    for c, r in _pieces(scores.plan_texts, matched_plan, matched_ref, scores.ref_texts,
                        scores.total.T, scores.same_part.T, config):
        extra.append((r, c, (Relation.SPLIT, DecisionRule.CONTAINMENT)))
    # A leftover reference item inside its best matched plan item: a merge.
    for r, c in _pieces(scores.ref_texts, matched_ref, matched_plan, scores.plan_texts,
                        scores.total, scores.same_part, config):
        extra.append((r, c, (Relation.MERGE, DecisionRule.CONTAINMENT)))
    return extra


def _pieces(texts: list[str], matched: set[int], partners: set[int], partner_texts: list[str],
            total: np.ndarray, same_part: np.ndarray, config: AlignConfig):
    """(leftover, partner) where the leftover's words lie inside its best matched partner."""
    for i, text in enumerate(texts):
        if i in matched or not partners or len(text.split()) < config.split_min_words:
            continue
        candidates = np.array(sorted(partners))
        best = int(candidates[np.argmax(total[i, candidates])])  # first of equals, as max()
        if same_part[i, best] and containment(text, partner_texts[best]) >= config.split_containment:
            yield i, best


def _pair_row(reference: PlanDocument, plan: PlanDocument, ref: Item, item: Item,
              scores: PairScores, r: int, c: int, how: tuple[Relation, DecisionRule], config: AlignConfig,
              moved: bool = False, rater: Rater | None = None) -> Alignment:
    """The verdict row of a pair, rated by `rater` (unrated, confidence 1, without one)."""
    changes = attribute_changes(ref, item, moved)
    status = Status.MODIFIED if changes else Status.CARRIED
    text_score = float(scores.text[r, c])
    # The wording score weighs whole words, and one misread word costs it two word pairs:
    # "text" needs the characters to differ too, and other words, not the same words
    # misread (a stamp or a fax line damages several words of one copied task).
    ref_text, plan_text = scores.ref_texts[r], scores.plan_texts[c]
    read = (scores.ref_ocr, scores.plan_ocr)
    printed = as_printed(ref_text, plan_text, read) if any(read) else (ref_text, plan_text)
    reworded = (text_score < config.text_change_below
                and fuzz.ratio(*printed) < 100 * SAME_WORDING_RATIO
                and not only_misreadings(ref_text, plan_text, read=read))
    if reworded:
        changes = ("text",) + changes
    shared, ref_only, plan_only = word_evidence(ref_text, plan_text)
    decided = (f"attributes differ: {', '.join(x for x in changes if x != 'text')}"
               if status is Status.MODIFIED else "wording adapted, attributes agree"
               if reworded else "same wording and attributes")
    relation, rule = how
    if rule is DecisionRule.SAME_OFFICE:
        decided = f"listed under the same office, below the general threshold: {decided}"
    elif rule is DecisionRule.MEANING and scores.meaning is not None:
        cosine = scores.meaning.cosine_of(r, c)
        decided = (f"same task in other words: score {float(scores.wording_total[r, c]):.2f} on wording, "
                   f"{float(scores.total[r, c]):.2f} with meaning (embedding cosine "
                   f"{cosine if cosine is None else round(cosine, 3)}, nearer to each other than to the "
                   f"items around them); {decided}")
        if float(scores.total[r, c]) < config.match_threshold:
            decided += "; both listed under the same office (lower threshold)"
    elif relation is not Relation.ONE_TO_ONE:
        decided = f"{relation}: {decided}"
    if scores.meaning_failed:
        decided += "; wording alone: the sentence-embedding model failed"
    agreement = attribute_agreement(ref, item)
    return Alignment(
        reference.doc_id, ref.item_id, plan.doc_id, item.item_id, status,
        round(float(scores.total[r, c]), 4), changes,
        text_score=round(text_score, 4),
        attribute_score=None if agreement is None else round(agreement, 4),
        position_score=round(float(scores.position[r, c]), 4), relation=relation,
        decided_by=rule, reason=decided, shared_words=shared, reference_only_words=ref_only,
        plan_only_words=plan_only, **_rated(rater.pair(r, c, changes) if rater is not None else None))


def _same_office_pairs(ref_items: list[Item], plan_items: list[Item], pairs: list[Pair],
                       scores: PairScores, headings: dict[str, str],
                       config: AlignConfig) -> list[Pair]:
    """Leftover duties listed under the same office on both sides, paired at the
    lower `same_office_threshold`.

    Where both plans list an office's duties under its heading, the heading
    already says the duties are comparable; what is left is which of that
    office's few duties correspond, and a rewording that keeps the office is
    usually the same duty.  The office is the same when its key matches
    (`Phòng Kinh tế` = `Phòng Kinh tế xã`) or when the plan heading is the
    one that took most of the reference heading's confidently matched duties."""
    matched_ref = {r for r, _, _ in pairs}
    matched_plan = {c for _, c, _ in pairs}
    rows = [r for r, it in enumerate(ref_items) if r not in matched_ref and it.lead_inherited]
    cols = [c for c, it in enumerate(plan_items) if c not in matched_plan and it.lead_inherited]
    if not rows or not cols:
        return []
    same = np.array([[_same_office(ref_items[r], plan_items[c], headings) for c in cols] for r in rows])
    local = np.where(same, scores.total[np.ix_(rows, cols)], 0.0)
    chosen = [(i, j) for i, j, _ in global_pairs(local, config.same_office_threshold)]
    by_words = set(chosen)
    if scores.meaning is not None:
        by_words = {(i, j) for i, j, _ in global_pairs(np.where(same, scores.wording_total[np.ix_(rows, cols)], 0.0),
                                                       config.same_office_threshold)}
    return [(rows[i], cols[j], (Relation.ONE_TO_ONE,
                                DecisionRule.SAME_OFFICE if (i, j) in by_words else DecisionRule.MEANING))
            for i, j in chosen]


def _same_office(ref: Item, item: Item, headings: dict[str, str]) -> bool:
    if not (ref.lead and item.lead):
        return False
    return (headings.get(ref.parent_id or "") == item.parent_id
            or office_key(ref.lead) == office_key(item.lead))
