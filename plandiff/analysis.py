"""Tables of a run as pandas frames, and the views analysts ask for first.

Used by the notebooks in `notebooks/`; every function reads the tables only.
"""
from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from plandiff.align.model import Alignment

from .errors import StorageError
from .outputs import TABLE_NAMES
from .tables import ALIGN_STATUSES, DocumentRole, DocumentStatus

STATUSES = ALIGN_STATUSES


def load_tables(out_dir: str | Path) -> dict[str, pd.DataFrame]:
    out = Path(out_dir)
    tables = {}
    for name in TABLE_NAMES:
        try:
            tables[name] = pd.read_parquet(out / name)
        except (OSError, ValueError) as exc:
            raise StorageError(f"cannot read table {name} under {out}: {exc}") from exc
    return tables


def verdict_counts(alignments: pd.DataFrame) -> pd.DataFrame:
    """Rows of each verdict per plan: index `doc_id`, one column per status.

    The one place per-plan counts are made: the run's summary, `plan_summary`
    here and in `plandiff query`, and the report all take them from here.
    `alignments` needs only the columns `doc_id` and `status`."""
    counts = (alignments.groupby(["doc_id", "status"]).size().unstack(fill_value=0)
              .reindex(columns=list(STATUSES), fill_value=0))
    counts.columns.name, counts.index.name = None, "doc_id"
    return counts.astype("int64")


def alignment_counts(alignments: Iterable[Alignment]) -> dict[str, dict[str, int]]:
    """`verdict_counts` of alignment objects: doc_id -> status -> rows."""
    rows = [(a.doc_id, a.status.value) for a in alignments]
    frame = pd.DataFrame(rows, columns=["doc_id", "status"], dtype="object")
    return verdict_counts(frame).to_dict(orient="index")


def plan_summary(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """One row per plan: who issued it, and how many items of each verdict."""
    docs = tables["documents"]
    plans = docs[(docs.role == DocumentRole.PLAN) & (docs.status == DocumentStatus.OK)]
    counts = verdict_counts(tables["alignments"])
    routed = [c for c in ("reference_doc_id", "reference_match", "reference_flagged") if c in plans]
    summary = plans[["doc_id", "source_path", "issuer", "admin_level", *routed]].merge(
        counts, left_on="doc_id", right_index=True, how="left").fillna({s: 0 for s in counts.columns})
    # Each plan against its own parent's items (plans of one library have different parents).
    parent_items = tables["coverage"].groupby("doc_id").size()
    summary["coverage"] = (summary.carried + summary.modified) / \
        summary.doc_id.map(parent_items).fillna(0).clip(lower=1)
    summary["plan"] = summary.source_path.map(lambda p: Path(p).name)
    return summary.set_index("plan").sort_index()


def coverage_matrix(tables: dict[str, pd.DataFrame], reference_doc_id: str | None = None) -> pd.DataFrame:
    """Reference items (rows, in reading order) x plans (columns): the verdicts; with
    `reference_doc_id`, only that parent's items and the plans checked against it."""
    cov = tables["coverage"]
    if reference_doc_id is not None:
        cov = cov[cov.reference_doc_id == reference_doc_id]
    docs = tables["documents"].set_index("doc_id")
    items = tables["items"].set_index("item_id")
    matrix = cov.pivot(index="reference_item_id", columns="doc_id", values="status")
    matrix = matrix.loc[sorted(matrix.index, key=lambda i: items.at[i, "ordinal"])]
    matrix.columns = [Path(docs.at[d, "source_path"]).name for d in matrix.columns]
    matrix.index = [_short(items.at[i, "heading"] or items.at[i, "text"]) for i in matrix.index]
    return matrix


def most_dropped(tables: dict[str, pd.DataFrame], top: int = 10) -> pd.DataFrame:
    """Reference items that the most plans do not carry."""
    cov = tables["coverage"]
    items = tables["items"].set_index("item_id")
    dropped = (cov.assign(dropped=cov.status == "dropped")
               .groupby("reference_item_id").dropped.sum().sort_values(ascending=False).head(top))
    return pd.DataFrame({
        "plans_dropping": dropped.values,
        "part": [items.at[i, "part"] for i in dropped.index],
        "item": [_short(items.at[i, "text"], 90) for i in dropped.index],
    })


def page_quality(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Per plan: pages by route, mean OCR confidence, restored pages."""
    pages = tables["pages"].merge(tables["documents"][["doc_id", "source_path"]], on="doc_id")
    pages["plan"] = pages.source_path.map(lambda p: Path(p).name if p else "(reference)")
    routes = pd.crosstab(pages.plan, pages.text_source)
    quality = pages.groupby("plan").agg(pages=("page", "count"),
                                        ocr_confidence=("ocr_confidence", "mean"),
                                        restored_pages=("diacritics_restored", "sum"),
                                        seconds=("seconds", "sum"))
    return quality.join(routes).fillna(0)


def _short(text: str, width: int = 60) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= width else text[: width - 1] + "…"
