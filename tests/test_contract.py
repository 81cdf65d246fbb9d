"""The output contract of ../shared/DESIGN.md, checked on the default job over data/samples."""
import shutil
import unicodedata

import pandas as pd
import pyarrow.parquet as pq
import pytest
from conftest import SAMPLES

from plandiff.cli import main
from plandiff.tables import SCHEMA_VERSION

REQUIRED = {
    "documents": {"doc_id": "str", "source_path": "str", "sha256": "str", "title": "str",
                  "plan_number": "str", "issued_on": "date32[day]", "issuer": "str",
                  "admin_level": "str", "pages": "int32", "text_source": "str",
                  "diacritics_restored": "bool", "status": "str", "error": "str"},
    "items": {"doc_id": "str", "item_id": "str", "parent_id": "str", "ordinal": "int32",
              "depth": "int32", "label": "str", "kind": "str", "heading": "str", "text": "str",
              "part": "str", "lead": "str", "partners": "list<element: string>",
              "timeline": "str", "frequency": "str", "page": "int32"},
    "citations": {"doc_id": "str", "item_id": "str", "kind": "str", "number": "str",
                  "issued_on": "date32[day]", "raw": "str"},
    "pages": {"doc_id": "str", "page": "int32", "text_source": "str", "reason": "str",
              "ocr_engine": "str", "ocr_language": "str", "ocr_confidence": "double",
              "ocr_corrections": "int32", "chars": "int32", "seconds": "double", "text": "str"},
    "coverage": {"reference_doc_id": "str", "reference_item_id": "str", "doc_id": "str",
                 "status": "str", "item_ids": "list<element: string>"},
    "alignments": {"reference_doc_id": "str", "reference_item_id": "str", "doc_id": "str",
                   "item_id": "str", "status": "str", "score": "double",
                   "changes": "list<element: string>"},
}


def arrow_type(out, table, column):
    t = str(pq.read_table(out / table).schema.field(column).type)
    return "str" if t in ("string", "large_string") else t


def test_default_job_succeeds(sample_run):
    code, out = sample_run
    assert code == 0


@pytest.mark.parametrize("table", sorted(REQUIRED))
def test_every_required_column_with_its_type(sample_run, table):
    _, out = sample_run
    for column, expected in REQUIRED[table].items():
        assert arrow_type(out, table, column) == expected, (table, column)
    assert pq.read_table(out / table).schema.metadata[b"plandiff.schema_version"] == SCHEMA_VERSION.encode()


def test_documents_one_row_per_input_plus_the_inferred_reference(sample_run):
    _, out = sample_run
    docs = pd.read_parquet(out / "documents")
    plans = docs[docs.role == "plan"].sort_values("source_path")
    assert [p.split("/")[-1] for p in plans.source_path] == sorted(p.name for p in SAMPLES.iterdir())
    assert set(plans.status) == {"ok"}
    by_name = {p.split("/")[-1]: r for p, r in zip(plans.source_path, plans.itertuples(), strict=False)}
    assert by_name["003_dong_tra_bong_scan.pdf"].text_source == "ocr"
    assert by_name["000_tra_bong.pdf"].text_source == "text_layer"
    assert by_name["001_ngok_tu.txt"].text_source == "plain_text"
    assert by_name["002_dak_to.txt"].diacritics_restored
    assert not by_name["001_ngok_tu.txt"].diacritics_restored
    assert by_name["000_tra_bong.pdf"].admin_level == "district"
    assert by_name["004_vp_ubnd_tinh.pdf"].admin_level == "department"
    ref = docs[docs.role == "inferred_reference"]
    assert len(ref) == 1 and ref.doc_id.iloc[0].startswith("inferred:")


def test_items_tree_is_consistent(sample_run):
    _, out = sample_run
    items = pd.read_parquet(out / "items")
    assert items.item_id.is_unique
    ids = set(items.item_id)
    assert all(p in ids for p in items.parent_id.dropna())
    assert set(items.kind) <= {"part", "section", "task", "point"}
    ref_items = items[items.doc_id.str.startswith("inferred:")]
    assert (ref_items[ref_items.kind != "part"].support >= 2).all()


def test_alignments_reference_real_items(sample_run):
    _, out = sample_run
    items = pd.read_parquet(out / "items")
    al = pd.read_parquet(out / "alignments")
    ids = set(items.item_id)
    assert set(al.status) == {"carried", "modified", "dropped", "added"}
    assert al.reference_item_id.dropna().isin(ids).all() and al.item_id.dropna().isin(ids).all()
    assert al.reference_item_id.isna().eq(al.status == "added").all()
    assert al.item_id.isna().eq(al.status == "dropped").all()
    assert al.score.between(0, 1).all()
    modified = al[al.status == "modified"]
    assert modified.changes.map(lambda c: bool(set(c) - {"text"})).all()


def test_every_verdict_is_rated_and_the_doubtful_ones_are_flagged(sample_run):
    from plandiff.align.confidence import REVIEW_BELOW

    from plandiff.query import query

    _, out = sample_run
    al = pd.read_parquet(out / "alignments")
    assert al.confidence.between(0, 1).all() and al.confidence.notna().all()
    assert (al.needs_review == (al.confidence < REVIEW_BELOW)).all()   # no reviewer decisions in this run
    assert 0 < al.needs_review.sum() < len(al)
    # The SQL view carries them too.
    flagged = query(out, "SELECT count(*) AS n FROM verdicts WHERE needs_review")["n"].tolist()
    assert flagged == [int(al.needs_review.sum())]


def test_pages_say_where_each_page_came_from(sample_run):
    _, out = sample_run
    pages = pd.read_parquet(out / "pages")
    docs = pd.read_parquet(out / "documents")
    routes = pages.merge(docs[["doc_id", "source_path"]], on="doc_id")
    by_file = routes.groupby(routes.source_path.str.split("/").str[-1]).text_source.agg(set)
    assert by_file["003_dong_tra_bong_scan.pdf"] == {"ocr"}
    assert by_file["000_tra_bong.pdf"] == {"text_layer"}
    assert by_file["001_ngok_tu.txt"] == {"plain_text"}
    scan = routes[routes.text_source == "ocr"]
    assert (scan.ocr_engine == "tesseract").all() and (scan.ocr_language == "vie").all()
    assert scan.ocr_confidence.between(50, 100).all()
    restored = routes[routes.diacritics_restored]
    assert set(restored.source_path.str.split("/").str[-1]) == {"002_dak_to.txt"}
    assert restored.original_text.notna().all() and (restored.text != restored.original_text).all()


def test_all_text_is_nfc(sample_run):
    _, out = sample_run
    for table in REQUIRED:
        df = pd.read_parquet(out / table)
        for column in df.columns:
            for value in df[column].dropna():
                values = value if not isinstance(value, str) and hasattr(value, "__iter__") else [value]
                for v in values:
                    if isinstance(v, str):
                        assert unicodedata.is_normalized("NFC", v), (table, column, v[:40])


def test_rerun_gives_the_same_ids_and_rows(sample_run, tmp_path):
    """Same inputs, in another folder, listed in another order, one worker: same tables."""
    _, out = sample_run
    moved = tmp_path / "inputs"
    shutil.copytree(SAMPLES, moved)
    files = sorted(str(p) for p in moved.iterdir())[::-1]
    assert main(["run", *files, "--out", str(tmp_path / "again"), "--workers", "1", "--quiet"]) == 0
    for table in ("items", "citations", "alignments"):
        a = pd.read_parquet(out / table)
        b = pd.read_parquet(tmp_path / "again" / table)
        pd.testing.assert_frame_equal(a, b)
    docs_a = pd.read_parquet(out / "documents").drop(columns="source_path")
    docs_b = pd.read_parquet(tmp_path / "again" / "documents").drop(columns="source_path")
    pd.testing.assert_frame_equal(docs_a.sort_values("doc_id", ignore_index=True),
                                  docs_b.sort_values("doc_id", ignore_index=True))


def test_footnotes_are_linked_to_the_item_citing_them(sample_run):
    _, out = sample_run
    items = pd.read_parquet(out / "items")
    notes = items[items.scheme == "FOOTNOTE"]
    linked = notes.dropna(subset=["cited_by"])
    assert len(linked) >= 1
    ids = set(items.item_id)
    assert set(linked.cited_by) <= ids
    assert (linked.cited_at >= 0).all()
