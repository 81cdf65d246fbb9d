"""`plandiff compare A B`: one plan against another, read by a person."""
from __future__ import annotations

import textwrap
from dataclasses import dataclass
from pathlib import Path

from plandiff.align import Alignment, Status, align
from plandiff.parse import PlanDocument

from .analysis import alignment_counts
from .errors import UsageError
from .pipeline import RunConfig, embedder_for, process_file, run

_WIDTH = 100


@dataclass
class Comparison:
    reference: PlanDocument
    plan: PlanDocument
    alignments: list[Alignment]


def compare(reference: str, plan: str, config: RunConfig, out_dir: str | None = None) -> Comparison:
    if out_dir:
        result = run([plan], reference, out_dir, config)
        if result.failed_count:
            raise UsageError(f"{plan} could not be read: {result.outcomes[0].error}")
    ref_doc = _read(reference, config)
    plan_doc = _read(plan, config)
    return Comparison(ref_doc, plan_doc, align(plan_doc, ref_doc, config.align,
                                               embedder_for(None, config.meaning)))


def _read(path: str, config: RunConfig) -> PlanDocument:
    if not Path(path).is_file():
        raise UsageError(f"not found: {path}")
    outcome = process_file(path, config)
    if outcome.plan is None:
        raise UsageError(f"{path} could not be read: {outcome.error}")
    return outcome.plan


def render_comparison(c: Comparison) -> str:
    """Verdicts grouped by status, each with the two texts and what changed."""
    ref_items = {it.item_id: it for it in c.reference.items}
    plan_items = {it.item_id: it for it in c.plan.items}
    lines = [f"reference: {c.reference.meta.title or c.reference.doc_id}",
             f"plan:      {c.plan.meta.title or c.plan.doc_id}", ""]
    counts = alignment_counts(c.alignments).get(c.plan.doc_id, {})
    doubtful = sorted((a for a in c.alignments if a.needs_review), key=lambda a: a.confidence)
    lines.append("  ".join(f"{s}: {counts.get(s, 0)}" for s in Status) + f"  (needs review: {len(doubtful)})")
    # What a reviewer must act on first: the verdicts plandiff is least sure of,
    # least sure first; then changes, then gaps, then the rest.
    groups = [(f"NEEDS REVIEW ({len(doubtful)}, least sure first)", doubtful)]
    for status in (Status.MODIFIED, Status.DROPPED, Status.ADDED, Status.CARRIED):
        rows = [a for a in c.alignments if a.status is status and not a.needs_review]
        groups.append((f"{status.upper()} ({len(rows)})", rows))
    for title, rows in groups:
        if not rows:
            continue
        lines += ["", f"== {title}"]
        for a in rows:
            ref = ref_items.get(a.reference_item_id) if a.reference_item_id else None
            item = plan_items.get(a.item_id) if a.item_id else None
            lines.extend(_describe(a, ref, item))
            lines.extend(_closest(a, ref_items, plan_items))
    return "\n".join(lines)


def _closest(a: Alignment, ref_items: dict, plan_items: dict) -> list[str]:
    """The nearest item on the other side of a dropped or added row: what a
    reviewer checks first when a plan rewrote the task in its own words."""
    if a.candidate_item_id is None:
        return []
    other = (plan_items if a.item_id is None else ref_items).get(a.candidate_item_id)
    if other is None:
        return []
    side = "plan" if a.item_id is None else "reference"
    return ["      " + _wrap(f"closest {side} item: {other.label_understood or other.label} "
                              f"{other.full_text}"),
            f"      (score {a.candidate_score:.2f}: below the threshold, or paired elsewhere)"]


def _describe(a: Alignment, ref, item) -> list[str]:
    out = [f"- {a.status}, confidence {a.confidence:.2f}"]
    if ref is not None:
        out.append("  " + _wrap(f"ref  {ref.label_understood or ref.label} {ref.full_text}"))
    if item is not None:
        out.append("  " + _wrap(f"plan {item.label_understood or item.label} {item.full_text}"))
    if a.status is Status.MODIFIED:
        for name in (x for x in a.changes if x != "text"):
            before = _value(ref, name)
            after = _value(item, name)
            out.append(f"      {name}: {before} -> {after}")
    if a.status in (Status.CARRIED, Status.MODIFIED):
        out.append(f"      score {a.score:.2f} (wording {a.text_score:.2f}); {a.reason}")
    return out


def _value(item, name: str) -> str:
    value = getattr(item, name) if item is not None else None
    if isinstance(value, tuple):
        value = "; ".join(value)
    return value or "(none)"


def _wrap(text: str) -> str:
    return textwrap.shorten(text, width=_WIDTH * 2, placeholder=" …")
