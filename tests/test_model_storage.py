import pyarrow.parquet as pq
import pytest
from conftest import seed
from plandiff.ingest import ingest
from plandiff.parse import PlanDocument, parse

from plandiff.cache import ResultCache
from plandiff.errors import StorageError
from plandiff.storage import write_table


def test_a_plan_saved_in_the_result_cache_comes_back_equal(text_config, tmp_path):
    plan = parse(ingest(seed("003"), text_config))
    ResultCache(tmp_path, "v1").put("docs", "k", plan)
    again = ResultCache(tmp_path, "v1").get("docs", "k")
    assert isinstance(again, PlanDocument) and again == plan
    assert again.items[5].part is plan.items[5].part
    # another pipeline version does not see it
    assert ResultCache(tmp_path, "v2").get("docs", "k") is None


def test_tables_are_checked_against_the_declared_schema(tmp_path):
    good = {"doc_id": "d1", "reference_doc_id": "r", "status": "added", "score": 0.0,
            "changes": [], "item_id": "d1:0001", "reference_item_id": None,
            "review_state": "unreviewed", "confidence": 0.9, "needs_review": False}
    write_table(tmp_path, "alignments", [good])
    assert pq.read_table(tmp_path / "alignments").num_rows == 1
    with pytest.raises(StorageError, match="unexpected values"):
        write_table(tmp_path, "alignments", [dict(good, status="kept")])
    with pytest.raises(StorageError, match="unexpected values"):
        write_table(tmp_path, "alignments", [dict(good, changes=["colour"])])
    with pytest.raises(StorageError, match="undeclared columns"):
        write_table(tmp_path, "alignments", [dict(good, extra=1)])
    with pytest.raises(StorageError, match="null values"):
        write_table(tmp_path, "alignments", [dict(good, doc_id=None)])
    with pytest.raises(StorageError, match="alignments.confidence: null values"):
        write_table(tmp_path, "alignments", [dict(good, confidence=None)])
    # the failed writes left the earlier table whole, and no temporary files
    assert pq.read_table(tmp_path / "alignments").num_rows == 1
    assert [p.name for p in (tmp_path / "alignments").iterdir()] == ["part-0.parquet"]


def test_duplicate_keys_are_refused(tmp_path):
    row = {"doc_id": "d1", "status": "ok", "role": "plan"}
    with pytest.raises(StorageError, match="duplicate keys"):
        write_table(tmp_path, "documents", [row, row])
