"""One run: inputs -> ingest -> parse -> align -> tables.

The CLI, tests and notebooks call `run`; each stage stays a plain function.
A file that fails becomes a `failed` row with its reason; the others go on.
"""
from __future__ import annotations

import os
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from plandiff.align import AlignConfig, Alignment, align, infer_reference
from plandiff.ingest import SUPPORTED_SUFFIXES, IngestConfig, ingest
from plandiff.parse import ParseConfig, PlanDocument, parse

from .errors import PlandiffError, UsageError
from .rows import (agency_rows, alignment_rows, citation_rows, coverage_rows, document_row,
                   failed_document_row, item_rows, page_rows)
from .storage import write_table

AUTO = "auto"


@dataclass(frozen=True)
class RunConfig:
    ingest: IngestConfig = IngestConfig()
    parse: ParseConfig = ParseConfig()
    align: AlignConfig = AlignConfig()
    workers: int = 0  # 0: one per core


@dataclass
class DocOutcome:
    path: str
    plan: PlanDocument | None = None
    error: str | None = None
    sha256: str | None = None


@dataclass
class RunResult:
    out_dir: Path
    reference: PlanDocument
    outcomes: list[DocOutcome]
    alignments: list[Alignment] = field(default_factory=list)

    @property
    def failed(self) -> list[DocOutcome]:
        return [o for o in self.outcomes if o.plan is None]

    def counts(self, doc_id: str) -> Counter:
        return Counter(a.status.value for a in self.alignments if a.doc_id == doc_id)


def collect_inputs(paths: list[str | Path]) -> list[Path]:
    """Files named, and supported files found (recursively) in folders named."""
    found: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found.extend(sorted(
                p for p in path.rglob("*")
                if p.is_file() and p.suffix.lower() in SUPPORTED_SUFFIXES
                and not any(part.startswith(".") for part in p.relative_to(path).parts)))
        elif path.exists():
            found.append(path)
        else:
            raise UsageError(f"input not found: {path}")
    unique = list(dict.fromkeys(found))
    if not unique:
        raise UsageError("no input files found (supported: " + ", ".join(SUPPORTED_SUFFIXES) + ")")
    return unique


def process_file(path: str, config: RunConfig) -> DocOutcome:
    """Ingest and parse one file; every failure becomes the outcome's error."""
    try:
        doc = ingest(path, config.ingest)
        return DocOutcome(path=path, plan=parse(doc, config.parse), sha256=doc.sha256)
    except PlandiffError as exc:
        return DocOutcome(path=path, error=str(exc), sha256=_sha256_or_none(path))
    except Exception as exc:  # a bug must not stop the batch: record it on the file's row
        return DocOutcome(path=path, error=f"internal error: {type(exc).__name__}: {exc}",
                          sha256=_sha256_or_none(path))


def _sha256_or_none(path: str) -> str | None:
    import hashlib

    try:
        return hashlib.sha256(Path(path).read_bytes()).hexdigest()
    except OSError:
        return None


def process_files(paths: list[Path], config: RunConfig,
                  progress: Callable[[DocOutcome], None] | None = None) -> list[DocOutcome]:
    workers = config.workers or os.cpu_count() or 1
    workers = max(1, min(workers, len(paths)))
    names = [str(p) for p in paths]
    if workers == 1:
        outcomes = []
        for name in names:
            outcomes.append(process_file(name, config))
            if progress:
                progress(outcomes[-1])
        return outcomes
    with ProcessPoolExecutor(max_workers=workers) as pool:
        outcomes = []
        for outcome in pool.map(process_file, names, [config] * len(names)):
            outcomes.append(outcome)
            if progress:
                progress(outcome)
        return outcomes


def _mark_duplicates(outcomes: list[DocOutcome]) -> None:
    first: dict[str, str] = {}
    for o in outcomes:
        if o.plan is None or o.sha256 is None:
            continue
        if o.sha256 in first:
            o.error = f"duplicate of {first[o.sha256]} (same content); processed once"
            o.plan = None
        else:
            first[o.sha256] = o.path


def run(inputs: list[str | Path], reference: str | Path, out_dir: str | Path,
        config: RunConfig = RunConfig(),
        progress: Callable[[DocOutcome], None] | None = None) -> RunResult:
    out = Path(out_dir)
    paths = collect_inputs(inputs)
    ref_plan: PlanDocument | None = None
    if str(reference) != AUTO:
        ref_outcome = process_file(str(reference), config)
        if ref_outcome.plan is None:
            raise UsageError(f"reference {reference} could not be read: {ref_outcome.error}")
        ref_plan = ref_outcome.plan
        paths = [p for p in paths if p.resolve() != Path(reference).resolve()]
    outcomes = process_files(paths, config, progress)
    _mark_duplicates(outcomes)
    if ref_plan is not None:
        outcomes = [o for o in outcomes if o.plan is None or o.plan.doc_id != ref_plan.doc_id]
    plans = [o.plan for o in outcomes if o.plan is not None]
    if ref_plan is None:
        if not plans:
            raise UsageError("no input could be read, so no reference can be inferred")
        ref_plan = infer_reference(plans, config.align)
    alignments = [row for plan in plans for row in align(plan, ref_plan, config.align)]
    result = RunResult(out_dir=out, reference=ref_plan, outcomes=outcomes, alignments=alignments)
    write_outputs(result)
    return result


def write_outputs(result: RunResult) -> None:
    ref = result.reference
    role = "inferred_reference" if ref.inferred else "reference"
    documents = [document_row(ref, role)]
    items = item_rows(ref)
    citations = citation_rows(ref)
    pages = page_rows(ref)
    # Rows are ordered by document id, not by input order, so that the same
    # inputs always give the same tables.
    for o in sorted(result.outcomes, key=lambda o: (o.plan.doc_id if o.plan else "~", o.path)):
        if o.plan is None:
            documents.append(failed_document_row(o.path, o.sha256, o.error or "unknown error"))
            continue
        documents.append(document_row(o.plan, "plan"))
        items.extend(item_rows(o.plan))
        citations.extend(citation_rows(o.plan))
        pages.extend(page_rows(o.plan))
    alignments = sorted(result.alignments, key=lambda a: a.doc_id)
    write_table(result.out_dir, "documents", documents)
    write_table(result.out_dir, "items", items)
    write_table(result.out_dir, "citations", citations)
    write_table(result.out_dir, "pages", pages)
    write_table(result.out_dir, "alignments", alignment_rows(alignments, ref.inferred))
    plan_ids = sorted(o.plan.doc_id for o in result.outcomes if o.plan is not None)
    write_table(result.out_dir, "coverage", coverage_rows(ref, plan_ids, alignments))
    real = [o.plan for o in result.outcomes if o.plan is not None]
    if not ref.inferred:
        real.append(ref)
    write_table(result.out_dir, "agencies", agency_rows(real))
