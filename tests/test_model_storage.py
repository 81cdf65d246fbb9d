import pyarrow.parquet as pq
import pytest
from conftest import seed
from plandiff.ingest import ingest
from plandiff.parse import PlanDocument, parse

from plandiff import serde
from plandiff.errors import StorageError
from plandiff.storage import write_table


def test_saving_and_reloading_a_plan_gives_an_equal_object(text_config):
    plan = parse(ingest(seed("003"), text_config))
    again = serde.loads(PlanDocument, serde.dumps(plan))
    assert again == plan
    assert again.items[5].part is plan.items[5].part


def test_tables_are_checked_against_the_declared_schema(tmp_path):
    good = {"doc_id": "d1", "reference_doc_id": "r", "status": "added", "score": 0.0,
            "changes": [], "item_id": "d1:0001", "reference_item_id": None}
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
    # the failed writes left the earlier table whole, and no temporary files
    assert pq.read_table(tmp_path / "alignments").num_rows == 1
    assert [p.name for p in (tmp_path / "alignments").iterdir()] == ["part-0.parquet"]


def test_duplicate_keys_are_refused(tmp_path):
    row = {"doc_id": "d1", "status": "ok", "role": "plan"}
    with pytest.raises(StorageError, match="duplicate keys"):
        write_table(tmp_path, "documents", [row, row])
