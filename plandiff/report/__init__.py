"""Reviewer-facing outputs rendered from the Parquet tables alone.

`write_report(OUT)` reads OUT/{documents,items,alignments,pages[,coverage,lineage]}
and writes OUT/report/: `index.html` (reference, one row per plan, coverage
matrix), `plan-<id>.html` per plan (side by side, word-level differences,
filters) and `compliance.xlsx`.

A run against a library of parents (`plandiff run --reference DIR`) checks each
plan against its own parent: the index then has one section per parent used (its
plans, the matrix of its items × its plans), each plan page names its parent and
how it was chosen, with a warning when the plan does not cite it, and the workbook's
summary groups the plans by parent.  When plans form chains (province → district →
commune), `lineage.html` and a lineage sheet say how far each root item went.

The pages are self-contained (inline CSS and JS, no network) and speak Vietnamese unless `lang="en"`.  They are rendered
from `templates/` by the Jinja environment of `templating.environment(lang)`,
which escapes every piece of document text.

Every verdict row carries the reviewers' say from the alignments table: who
signed it off, when and with what note, or a warning when their decision no
longer applies (`review_state` stale).  Tables written before reviews existed
render with every row not reviewed.

Every verdict row also carries the aligner's rating (`alignments.confidence`,
`needs_review`): each plan page opens its rows with those that need review
("Cần xem lại"), least confident first, and states every row's confidence; the
index links each plan's count of them; the workbook's plan sheets put them first,
filled, with the confidence and the flag as their last columns, and the summary
counts them.  Tables written before the rating existed render without it.

An inferred reference (`--reference auto`) shows its evidence: the template
families found (near-copies count as one source), and for each item its
sources, levels, wordings, origin and confidence.  Verdicts against a weakly
supported item (`data.WEAK_CONSENSUS`: one template's or one plan's addition)
are marked, and those items are kept out of the coverage share and counted
apart, on the pages and in the workbook.  Each plan's page names its template
family and the documents it implements.  Tables written before these columns
existed render without them.
"""
from __future__ import annotations

import os
import shutil
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from .data import ReportData, ReportError, load_report_data
from .excel import write_workbook
from .html import write_html
from .html_lineage import LINEAGE_PAGE
from .i18n import LANGS, Translator

REPORT_DIR = "report"
WORKBOOK = "compliance.xlsx"

__all__ = ["LANGS", "REPORT_DIR", "WORKBOOK", "ReportError", "ReportResult", "load_report_data",
           "write_report"]


@dataclass
class ReportResult:
    report_dir: Path
    index: Path
    workbook: Path
    plan_pages: dict[str, Path] = field(default_factory=dict)  # doc_id -> page
    sheets: dict[str, str] = field(default_factory=dict)       # doc_id -> sheet name
    lineage: Path | None = None   # lineage.html, written when plans form chains
    bytes: int = 0
    seconds: float = 0.0


def write_report(out_dir: Path, lang: str = "vi") -> ReportResult:
    """Render OUT/report/ from the tables under OUT; replaces an earlier report whole."""
    if lang not in LANGS:
        raise ReportError(f"unknown report language {lang!r}; use one of {', '.join(LANGS)}")
    started = time.perf_counter()
    out_dir = Path(out_dir)
    data = load_report_data(out_dir)
    t = Translator(lang)
    final = out_dir / REPORT_DIR
    try:
        staging = Path(tempfile.mkdtemp(prefix=".report-", dir=out_dir))
        staging.chmod(0o755)
    except OSError as exc:
        raise ReportError(f"cannot write the report under {out_dir}: {exc}") from exc
    try:
        write_html(data, staging, t)
        sheets = write_workbook(data, staging / WORKBOOK, t)
        _replace_dir(staging, final)
    except OSError as exc:
        raise ReportError(f"cannot write the report under {out_dir}: {exc}") from exc
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return _result(data, final, sheets, time.perf_counter() - started)


def _replace_dir(staging: Path, final: Path) -> None:
    """Swap the new report in: the old one is moved aside, then removed."""
    old = None
    if final.exists():
        old = final.with_name(f".{final.name}-old-{os.getpid()}")
        shutil.rmtree(old, ignore_errors=True)
        final.rename(old)
    staging.rename(final)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def _result(data: ReportData, final: Path, sheets: dict[str, str], seconds: float) -> ReportResult:
    pages = {p.doc_id: final / p.page_name for p in data.plans}
    size = sum(f.stat().st_size for f in final.iterdir() if f.is_file())
    lineage = final / LINEAGE_PAGE
    return ReportResult(report_dir=final, index=final / "index.html", workbook=final / WORKBOOK,
                        plan_pages=pages, sheets=sheets, bytes=size, seconds=seconds,
                        lineage=lineage if lineage.exists() else None)
