"""`plandiff query OUT "SQL"`: SQL over the tables with DuckDB.

Every table is a view named after it (`documents`, `items`, `alignments`,
`coverage`, `citations`, `pages`, `agencies`), plus convenient views:

* `verdicts` — alignments joined with both items' text and each plan's
  issuer and level;
* `plan_summary` — one row per plan with its counts of carried, modified,
  dropped and added items.
"""
from __future__ import annotations

from pathlib import Path

import duckdb
import pyarrow.parquet as pq

from .analysis import STATUSES, verdict_counts
from .errors import StorageError, UsageError
from .outputs import TABLE_NAMES
from .tables import DocumentRole, DocumentStatus

VIEWS = {
    "verdicts": """
        SELECT a.doc_id, d.source_path, d.issuer, d.admin_level, a.status, a.score, a.changes,
               a.reference_item_id, r.part AS reference_part,
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
}


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
