"""`plandiff query OUT "SQL"`: SQL over the tables with DuckDB.

Every table is a view named after it (`documents`, `items`, `alignments`,
`coverage`, `citations`, `pages`, `agencies`), plus convenient views:

* `verdicts` — alignments joined with both items' text and each plan's
  issuer and level, with each verdict's `confidence` and `needs_review`;
* `plan_summary` — one row per plan with its counts of carried, modified,
  dropped and added items;
* `decisions` — every reviewer decision recorded in `OUT/decisions.sqlite`,
  oldest first, with `in_force` (the latest on its row) and the `doc_id` of the
  run's plan whose content it was made on (null when that content is gone).
"""
from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd
import pyarrow.parquet as pq

from .analysis import STATUSES, verdict_counts
from .decisions import DecisionStore, current_by_plan
from .errors import StorageError, UsageError
from .outputs import TABLE_NAMES
from .tables import DocumentRole, DocumentStatus

VIEWS = {
    "verdicts": """
        SELECT a.doc_id, d.source_path, d.issuer, d.admin_level, a.status, a.score, a.changes,
               a.confidence, a.needs_review, a.reference_doc_id, a.reference_item_id, r.part AS reference_part,
               coalesce(nullif(r.heading, ''), r.text) AS reference_text,
               a.item_id, coalesce(nullif(i.heading, ''), i.text) AS plan_text,
               r.lead AS reference_lead, i.lead AS plan_lead,
               r.timeline AS reference_timeline, i.timeline AS plan_timeline
        FROM alignments a
        LEFT JOIN items r ON r.item_id = a.reference_item_id
        LEFT JOIN items i ON i.item_id = a.item_id
        LEFT JOIN documents d ON d.doc_id = a.doc_id""",
    # Counts come from analysis.verdict_counts (registered as plan_counts), so
    # the SQL view and the pandas summary cannot disagree.
    "plan_summary": f"""
        SELECT d.doc_id, d.source_path, d.issuer, d.admin_level, d.issued_on,
               {", ".join(f"coalesce(c.{s}, 0) AS {s}" for s in STATUSES)}
        FROM documents d LEFT JOIN plan_counts c ON c.doc_id = d.doc_id
        WHERE d.role = '{DocumentRole.PLAN}' AND d.status = '{DocumentStatus.OK}'
        ORDER BY d.source_path""",
    "decisions": """
        SELECT x.*, d.doc_id FROM decisions_frame x
        LEFT JOIN documents d ON d.sha256 = x.plan_sha256 AND d.role = 'plan'
        ORDER BY x.decided_at, x.decision_id""",
}

DECISION_COLUMNS = ("decision_id", "uid", "plan_sha256", "plan_path", "reference_sha256",
                    "subject_reference_key", "subject_plan_key", "before_status", "reference_key",
                    "plan_key", "status", "changes", "note", "reference_text", "plan_text", "reviewer",
                    "decided_at", "in_force")


def decisions_frame(out_dir: Path) -> pd.DataFrame:
    """The decisions history as a DataFrame (empty, with its columns, when none were recorded)."""
    if not DecisionStore.exists(out_dir):
        return pd.DataFrame({c: pd.Series(dtype="bool" if c == "in_force" else "int64" if c == "decision_id"
                                          else "object") for c in DECISION_COLUMNS})
    history = DecisionStore(out_dir).history()
    in_force = {d.uid for d in current_by_plan(history)}
    rows = [{"decision_id": d.decision_id, "uid": d.uid, "plan_sha256": d.plan_sha256,
             "plan_path": d.plan_path, "reference_sha256": d.reference_sha256,
             "subject_reference_key": d.subject_reference_key, "subject_plan_key": d.subject_plan_key,
             "before_status": d.before_status and d.before_status.value, "reference_key": d.reference_key,
             "plan_key": d.plan_key, "status": d.status.value,
             "changes": None if d.changes is None else ",".join(d.changes), "note": d.note,
             "reference_text": d.reference_text, "plan_text": d.plan_text, "reviewer": d.reviewer,
             "decided_at": pd.Timestamp(d.decided_at), "in_force": d.uid in in_force} for d in history]
    return pd.DataFrame(rows, columns=list(DECISION_COLUMNS))


def connect(out_dir: str | Path):
    """A DuckDB connection with every table of OUT as a view."""
    out = Path(out_dir)
    missing = [name for name in TABLE_NAMES if not (out / name).is_dir()]
    if missing:
        raise StorageError(f"{out} has no table(s) {', '.join(missing)}; run `plandiff run` first")
    con = duckdb.connect()
    for name in TABLE_NAMES:
        pattern = str(out / name / "*.parquet").replace("'", "''")
        con.execute(f"CREATE VIEW {name} AS SELECT * FROM read_parquet('{pattern}')")
    statuses = pq.read_table(out / "alignments", columns=["doc_id", "status"]).to_pandas()
    con.register("plan_counts", verdict_counts(statuses).reset_index())
    con.register("decisions_frame", decisions_frame(out))
    for name, sql in VIEWS.items():
        con.execute(f"CREATE VIEW {name} AS {sql}")
    return con


def query(out_dir: str | Path, sql: str):
    """Run SQL over the tables; returns a pandas DataFrame."""
    con = connect(out_dir)
    try:
        return con.execute(sql).fetchdf()
    except duckdb.Error as exc:
        raise UsageError(f"query failed: {exc}") from exc
    finally:
        con.close()
