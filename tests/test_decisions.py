"""Reviewer decisions: the store, content keys, applying them in a run, export and import, the CLI."""
from __future__ import annotations

import json
import multiprocessing
import shutil
import sqlite3
import unicodedata
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from plandiff.align import Status

from plandiff.cli import main
from plandiff.decisions import (
    DB_FILE,
    MAX_IMPORT_BYTES,
    Decision,
    DecisionStore,
    ReviewState,
    RunTables,
    export_decisions,
    import_decisions,
    item_keys,
    make_decision,
    text_key,
)
from plandiff.errors import UsageError
from plandiff.pipeline import run
from plandiff.query import query

SEEDS = Path(__file__).resolve().parents[1] / "data" / "seeds"
REFERENCE = "001_34a554ab57f69638.txt"
PLAN = "003_7e4f3d189ddafb3d.txt"

# Rows of 003 against 001 as the aligner gives them (tests/test_decisions.py pins them below).
CONFIRMED = ("0005", "0004")      # a carried pair
REPAIRED = ("0011", "0013")       # 0011 dropped, 0013 added with 0011 as its closest candidate
UNPAIRED = ("0007", "0005")       # a carried pair a reviewer says is two different tasks


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    """Inputs copied to a folder of their own, and one run over them."""
    root = tmp_path_factory.mktemp("decisions")
    inputs = root / "in"
    inputs.mkdir()
    shutil.copy(SEEDS / REFERENCE, inputs / "reference.txt")
    shutil.copy(SEEDS / PLAN, inputs / "plan.txt")
    result = run([inputs / "plan.txt"], inputs / "reference.txt", root / "out")
    return root, result


@pytest.fixture
def work(base, tmp_path):
    """A private copy of the inputs and the run (its cache too, so re-runs are quick)."""
    root, result = base
    shutil.copytree(root / "in", tmp_path / "in")
    shutil.copytree(root / "out", tmp_path / "out")
    rerun(tmp_path)   # from the cache: the tables now name the copied inputs
    return tmp_path, result


def ids(result, ref_ordinal: str | None, plan_ordinal: str | None) -> tuple[str | None, str | None]:
    plan = result.outcomes[0].plan
    return (f"{result.reference.doc_id}:{ref_ordinal}" if ref_ordinal else None,
            f"{plan.doc_id}:{plan_ordinal}" if plan_ordinal else None)


def rerun(tmp: Path):
    return run([tmp / "in" / "plan.txt"], tmp / "in" / "reference.txt", tmp / "out")


def rows_of(out: Path) -> dict[tuple[str | None, str | None], dict]:
    return {(r["reference_item_id"], r["item_id"]): r for r in pq.read_table(out / "alignments").to_pylist()}


def edit_item(tmp: Path, plan, item_id: str, words: str) -> None:
    """Append words to an item's text in the copied plan file (its first 40
    characters are found once there: the item's text is on one line)."""
    path = tmp / "in" / "plan.txt"
    text = path.read_text(encoding="utf-8")
    start = plan.item(item_id).text[:40]
    assert text.count(start) == 1
    path.write_text(text.replace(start, f"{start} {words}"), encoding="utf-8")


def decide(out: Path, ref: str | None, item: str | None, status: str, note: str = "", reviewer: str = "Lan",
           changes=None) -> Decision:
    decision = make_decision(RunTables.read(out), ref, item, status, reviewer, note=note, changes=changes)
    return DecisionStore(out).record(decision)


def test_the_rows_these_tests_decide_on(base):
    root, result = base
    rows = rows_of(root / "out")
    assert rows[ids(result, *CONFIRMED)]["status"] == "carried"
    assert rows[ids(result, *UNPAIRED)]["status"] == "carried"
    ref, item = ids(result, *REPAIRED)
    assert rows[(ref, None)]["status"] == "dropped"
    assert rows[(None, item)]["status"] == "added"
    assert rows[(None, item)]["candidate_item_id"] == ref
    assert {r["review_state"] for r in rows.values()} == {"unreviewed"}


# ---------------------------------------------------------------- keys

def test_item_keys_ignore_cosmetic_differences_but_not_diacritics():
    text = "Tuyên truyền về cải cách hành chính"
    assert text_key(text) == text_key("  TUYÊN  truyền về\ncải cách hành chính ")
    assert text_key(text) == text_key(unicodedata.normalize("NFD", text))
    assert text_key("hoà hợp") == text_key("hòa hợp")          # one tone-placement convention
    assert text_key("xã") != text_key("xa")
    assert text_key("Đăk Tô") != text_key("Dak To")


def test_items_with_the_same_text_get_keys_of_their_own():
    keys = item_keys([("a", "Sở Tư pháp"), ("b", "Nội dung"), ("c", "Sở Tư pháp"), ("d", "Sở Tư pháp")])
    assert keys["a"] == text_key("Sở Tư pháp")
    assert keys["c"] == keys["a"] + "~2"
    assert keys["d"] == keys["a"] + "~3"
    assert len(set(keys.values())) == 4


# ---------------------------------------------------------------- the store

def test_store_appends_and_refuses_updates_and_deletes(tmp_path):
    store = DecisionStore(tmp_path)
    stored = store.record(Decision("sha", "k1", None, Status.DROPPED, "Lan", note="đúng"))
    assert stored.decision_id == 1 and len(stored.uid) == 32 and stored.decided_at.endswith("+00:00")
    assert [d.note for d in store.history()] == ["đúng"]
    con = sqlite3.connect(tmp_path / DB_FILE)
    assert con.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        con.execute("UPDATE decisions SET status = 'added'")
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        con.execute("DELETE FROM decisions")
    con.close()
    assert [d.status for d in store.history()] == [Status.DROPPED]


@pytest.mark.parametrize("decision, message", [
    (Decision("s", "r", None, Status.CARRIED, "Lan"), "needs both"),
    (Decision("s", "r", "p", Status.DROPPED, "Lan"), "no plan item"),
    (Decision("s", "r", "p", Status.ADDED, "Lan"), "no reference item"),
    (Decision("s", "r", None, Status.DROPPED, " "), "reviewer"),
    (Decision("s", "r", "p", Status.MODIFIED, "Lan", changes=("colour",)), "unknown changed fields"),
    (Decision("s", "r", "p", Status.CARRIED, "Lan", changes=("lead",)), "use modified"),
    (Decision("s", "r", None, Status.DROPPED, "Lan", note="x" * 5000), "note"),
])
def test_malformed_decisions_are_refused(tmp_path, decision, message):
    store = DecisionStore(tmp_path)
    with pytest.raises(UsageError, match=message):
        store.record(decision)
    assert store.history() == []


def _record_many(out: str, reviewer: str, count: int) -> None:
    store = DecisionStore(out)
    for n in range(count):
        store.record(Decision(f"sha{n % 7}", f"r{n}", None, Status.DROPPED, reviewer))


def test_two_processes_writing_at_once_lose_nothing(tmp_path):
    DecisionStore(tmp_path)
    ctx = multiprocessing.get_context("spawn")
    workers = [ctx.Process(target=_record_many, args=(str(tmp_path), name, 150)) for name in ("Lan", "Minh")]
    for w in workers:
        w.start()
    for w in workers:
        w.join(120)
        assert w.exitcode == 0
    history = DecisionStore(tmp_path).history()
    assert len(history) == 300
    assert {(d.reviewer, d.reference_key) for d in history} == \
        {(name, f"r{n}") for name in ("Lan", "Minh") for n in range(150)}


# ---------------------------------------------------------------- applied by a run

def test_a_run_applies_confirm_repair_and_unpair(work):
    tmp, result = work
    out = tmp / "out"
    confirmed, repaired, unpaired = (ids(result, *x) for x in (CONFIRMED, REPAIRED, UNPAIRED))
    decide(out, *confirmed, "carried", note="đúng")
    decide(out, *repaired, "carried", note="cùng nhiệm vụ, viết lại")
    decide(out, unpaired[0], None, "dropped", reviewer="Minh")
    again = rerun(tmp)
    assert not again.unchanged          # a new decision is new work even with the same inputs
    rows = rows_of(out)
    row = rows[confirmed]
    assert (row["status"], row["decided_by"], row["reviewer"], row["review_note"], row["review_state"]) == \
        ("carried", "reviewer", "Lan", "đúng", "reviewed")
    assert row["reviewed_at"] is not None and row["reviewed_at"].tzinfo is not None
    row = rows[repaired]
    assert (row["status"], row["decided_by"], row["reviewer"]) == ("carried", "reviewer", "Lan")
    assert row["text_score"] > 0 and row["score"] > 0        # the pair's evidence, computed for it
    assert (repaired[0], None) not in rows and (None, repaired[1]) not in rows
    # Unpairing leaves the plan item with no counterpart: added, after review.
    assert rows[(unpaired[0], None)]["decided_by"] == "reviewer"
    assert rows[(unpaired[0], None)]["status"] == "dropped"
    assert rows[(None, unpaired[1])]["status"] == "added"
    assert rows[(None, unpaired[1])]["decided_by"] == "after_review"
    assert unpaired not in rows
    # A reviewer's verdict is sure; the row it left without a counterpart was never judged.
    assert {(r["confidence"], r["needs_review"]) for r in (rows[confirmed], rows[repaired],
                                                           rows[(unpaired[0], None)])} == {(1.0, False)}
    assert (rows[(None, unpaired[1])]["confidence"], rows[(None, unpaired[1])]["needs_review"]) == (0.5, True)
    # Coverage follows the reviewed rows.
    coverage = {r["reference_item_id"]: r for r in pq.read_table(out / "coverage").to_pylist()}
    assert (coverage[repaired[0]]["status"], coverage[repaired[0]]["item_ids"],
            coverage[repaired[0]]["review_state"]) == ("carried", [repaired[1]], "reviewed")
    assert coverage[unpaired[0]]["status"] == "dropped"
    # The run's summary counts the reviewed verdicts.
    plan = again.summary["plans"][0]
    before = result.summary["plans"][0]
    assert (plan["carried"], plan["dropped"], plan["added"]) == \
        (before["carried"], before["dropped"], before["added"])    # one pair made, one undone
    assert rerun(tmp).unchanged


def test_a_later_decision_on_the_same_row_replaces_the_earlier(work):
    tmp, result = work
    out = tmp / "out"
    repaired = ids(result, *REPAIRED)
    decide(out, *repaired, "carried")
    decide(out, repaired[0], repaired[1], "modified", changes=["text", "lead"], reviewer="Minh")
    rerun(tmp)
    row = rows_of(out)[repaired]
    assert (row["status"], row["changes"], row["reviewer"]) == ("modified", ["text", "lead"], "Minh")
    assert len(DecisionStore(out).history()) == 2      # the history keeps both


def test_decisions_survive_an_edit_elsewhere_and_go_stale_when_their_item_changes(work):
    tmp, result = work
    out = tmp / "out"
    plan = result.outcomes[0].plan
    confirmed = ids(result, *CONFIRMED)
    decide(out, *confirmed, "carried")
    original = (tmp / "in" / "plan.txt").read_text(encoding="utf-8")
    # An edit to another item: the file's hash changes, the decision still holds.
    edit_item(tmp, plan, ids(result, None, "0040")[1], "trong năm")
    rerun(tmp)
    rows = rows_of(out)
    new_doc = next(iter({r["doc_id"] for r in rows.values()}))
    assert new_doc != plan.doc_id
    moved = (confirmed[0], confirmed[1].replace(plan.doc_id, new_doc))
    assert (rows[moved]["decided_by"], rows[moved]["review_state"]) == ("reviewer", "reviewed")
    # An edit to the decided item: stale, and not applied.
    (tmp / "in" / "plan.txt").write_text(original, encoding="utf-8")
    edit_item(tmp, plan, confirmed[1], "sửa đổi")
    rerun(tmp)
    rows = rows_of(out)
    touching = [r for r in rows.values() if r["reference_item_id"] == confirmed[0]]
    assert [(r["review_state"], r["decided_by"] == "reviewer") for r in touching] == [("stale", False)]
    assert {r["review_state"] for r in rows.values()} == {"stale", "unreviewed"}


# ---------------------------------------------------------------- export and import

def test_export_import_merges_and_lists_conflicts(work, tmp_path_factory):
    tmp, result = work
    out = tmp / "out"
    other = tmp_path_factory.mktemp("other_reviewer") / "out"
    shutil.copytree(out, other)
    confirmed, repaired = ids(result, *CONFIRMED), ids(result, *REPAIRED)
    mine = decide(out, *confirmed, "carried")
    decide(other, *confirmed, "modified", changes=["lead"], reviewer="Minh")   # disagrees
    theirs = decide(other, *repaired, "carried", reviewer="Minh")              # new here
    export = tmp / "minh.json"
    assert export_decisions(DecisionStore(other), export) == 2
    outcome = import_decisions(DecisionStore(out), export)
    assert (outcome.added, outcome.already_present) == (1, 0)
    assert [(t.reviewer, o.uid) for t, o in outcome.conflicts] == [("Minh", mine.uid)]
    assert {d.uid for d in DecisionStore(out).history()} == {mine.uid, theirs.uid}
    again = import_decisions(DecisionStore(out), export)
    assert (again.added, again.already_present, len(again.conflicts)) == (0, 1, 1)


@pytest.mark.parametrize("content, message", [
    (b"\xff\xfe not json", "not JSON"),
    (b"[1, 2]", "not a plandiff decisions export"),
    (json.dumps({"format": "plandiff-decisions", "version": 99, "decisions": []}).encode(), "version"),
    (json.dumps({"format": "plandiff-decisions", "version": 1,
                 "decisions": [{"plan_sha256": "s", "status": "dropped"}]}).encode(), "decision 1 is malformed"),
    (json.dumps({"format": "plandiff-decisions", "version": 1,
                 "decisions": [{"plan_sha256": "s", "uid": "u", "reviewer": "x", "decided_at": "now",
                                "reference_key": "r", "status": "dropped"}]}).encode(), "malformed"),
    (json.dumps({"format": "plandiff-decisions", "version": 1,
                 "decisions": [{"plan_sha256": "s", "uid": "u", "reviewer": "x",
                                "decided_at": "2026-01-01T00:00:00+00:00", "reference_key": "r",
                                "status": "dropped", "path": "/etc/passwd"}]}).encode(), "unknown fields"),
])
def test_malformed_imports_are_refused_whole(tmp_path, content, message):
    store = DecisionStore(tmp_path)
    bad = tmp_path / "bad.json"
    bad.write_bytes(content)
    with pytest.raises(UsageError, match=message):
        import_decisions(store, bad)
    assert store.history() == []


def test_an_oversized_import_is_refused_unread(tmp_path):
    big = tmp_path / "big.json"
    with open(big, "wb") as fh:
        fh.truncate(MAX_IMPORT_BYTES + 1)
    with pytest.raises(UsageError, match="at most 50 MB"):
        import_decisions(DecisionStore(tmp_path), big)


# ---------------------------------------------------------------- CLI and query

def test_decide_cli_records_and_query_lists(work, capsys):
    tmp, result = work
    out = tmp / "out"
    ref, item = ids(result, *REPAIRED)
    assert main(["decide", str(out), ref, item, "--status", "carried", "--note", "viết lại",
                 "--reviewer", "Lan"]) == 0
    assert capsys.readouterr().out == (
        f"recorded decision 1: carried ({ref} / {item}) by Lan; "
        "`plandiff run` applies it to the tables and the report\n")
    assert main(["decide", str(out), ids(result, *CONFIRMED)[0], "none", "--status", "dropped",
                 "--reviewer", "Minh"]) == 0
    capsys.readouterr()
    assert main(["decide", str(out), "nope", "none", "--status", "dropped"]) == 2
    assert "no reference item 'nope'" in capsys.readouterr().err
    assert main(["decide", str(out), ref, "none", "--status", "carried"]) == 2
    frame = query(out, "SELECT reviewer, status, note, in_force, doc_id FROM decisions ORDER BY decision_id")
    plan_id = result.outcomes[0].plan.doc_id
    assert frame.to_dict("records") == [
        {"reviewer": "Lan", "status": "carried", "note": "viết lại", "in_force": True, "doc_id": plan_id},
        {"reviewer": "Minh", "status": "dropped", "note": "", "in_force": True, "doc_id": plan_id}]
    export = tmp / "d.json"
    assert main(["decisions", "export", str(export), "--out", str(out)]) == 0
    assert capsys.readouterr().out == f"exported 2 decisions to {export}\n"
    assert main(["decisions", "import", str(export), "--out", str(out)]) == 0
    assert capsys.readouterr().out == "imported 0 decisions (2 already here, 0 in conflict)\n"


def test_query_has_an_empty_decisions_view_before_any_decision(work):
    tmp, _ = work
    assert not (tmp / "out" / DB_FILE).exists()
    assert query(tmp / "out", "SELECT count(*) AS n FROM decisions")["n"].tolist() == [0]


def test_review_states_are_the_enum_values():
    assert [s.value for s in ReviewState] == ["unreviewed", "reviewed", "stale"]


MERGED = (("0023", "0022"), ("0039", "0022"))   # two reference items the plan merged into one


def test_confirming_one_half_of_a_merge_keeps_the_other(work):
    tmp, result = work
    out = tmp / "out"
    first, second = (ids(result, *x) for x in MERGED)
    assert {first, second} <= set(rows_of(out))
    decide(out, *first, "carried")
    rerun(tmp)
    rows = rows_of(out)
    assert (rows[first]["decided_by"], rows[first]["relation"]) == ("reviewer", "merge")
    assert rows[second]["decided_by"] != "reviewer" and rows[second]["status"] == "carried"
    assert (second[0], None) not in rows


def test_a_row_decided_again_after_its_item_changed_is_no_longer_stale(work):
    tmp, result = work
    out = tmp / "out"
    plan = result.outcomes[0].plan
    confirmed = ids(result, *CONFIRMED)
    decide(out, *confirmed, "carried")
    edit_item(tmp, plan, confirmed[1], "sửa đổi")
    again = rerun(tmp)
    rows = rows_of(out)
    (row,) = [r for r in rows.values() if r["reference_item_id"] == confirmed[0]]
    assert row["review_state"] == "stale"
    new_item = row["item_id"] or row["candidate_item_id"]
    assert new_item is not None and new_item.startswith(again.outcomes[0].plan.doc_id)
    decide(out, confirmed[0], new_item, "modified", changes=["text"], reviewer="Minh")
    rerun(tmp)
    rows = rows_of(out)
    row = rows[(confirmed[0], new_item)]
    assert (row["review_state"], row["reviewer"], row["status"]) == ("reviewed", "Minh", "modified")
    assert {r["review_state"] for r in rows.values()} == {"reviewed", "unreviewed"}
