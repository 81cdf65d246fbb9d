"""Incremental batches: skip, replace, remove, resume, watch, page ranges, Dask."""
import os
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import replace

import pandas as pd
import pytest
from conftest import REPO, SAMPLES, seed
from plandiff.ingest import IngestConfig

from plandiff.pipeline import RunConfig, run
from plandiff.watch import watch

FAST = RunConfig(ingest=replace(IngestConfig(), restore_diacritics=False), workers=1, isolate=False)


def plans_dir(tmp_path, *prefixes):
    folder = tmp_path / "plans"
    folder.mkdir(exist_ok=True)
    for prefix in prefixes:
        shutil.copy(seed(prefix), folder / seed(prefix).name)
    return folder


def doc_ids(out):
    docs = pd.read_parquet(out / "documents")
    return sorted(docs[docs.role == "plan"].doc_id)


def test_an_unchanged_rerun_does_nothing(tmp_path):
    folder, out = plans_dir(tmp_path, "001", "003", "004"), tmp_path / "out"
    first = run([folder], "auto", out, FAST)
    assert (first.unchanged, first.processed) == (False, 3)
    stamp = (out / "items" / "part-0.parquet").stat().st_mtime_ns
    again = run([folder], "auto", out, FAST)
    assert again.unchanged and again.summary == first.summary
    assert (out / "items" / "part-0.parquet").stat().st_mtime_ns == stamp


def test_a_changed_file_replaces_its_rows_and_only_it_is_read(tmp_path):
    folder, out = plans_dir(tmp_path, "001", "003", "004"), tmp_path / "out"
    run([folder], "auto", out, FAST)
    before = doc_ids(out)
    target = folder / seed("003").name
    target.write_text(target.read_text(encoding="utf-8").replace("Tăng cường", "Đẩy mạnh"),
                      encoding="utf-8")
    result = run([folder], "auto", out, FAST)
    after = doc_ids(out)
    assert result.processed == 1
    assert len(after) == 3 and len(set(before) & set(after)) == 2
    items = pd.read_parquet(out / "items")
    assert set(items.doc_id) - {d for d in items.doc_id if d.startswith("inferred:")} == set(after)


def test_a_removed_file_loses_its_rows_unless_kept(tmp_path):
    folder, out = plans_dir(tmp_path, "001", "003", "004"), tmp_path / "out"
    run([folder], "auto", out, FAST)
    gone = folder / seed("004").name
    gone_id = next(d for d in doc_ids(out) if d not in doc_ids_without(folder, gone, tmp_path))
    gone.unlink()
    kept = run([folder], "auto", out, replace(FAST, keep_removed=True))
    assert gone_id in doc_ids(out) and kept.processed == 0
    dropped = run([folder], "auto", out, FAST)
    assert gone_id not in doc_ids(out) and len(doc_ids(out)) == 2 and dropped.processed == 0


def doc_ids_without(folder, skip, tmp_path):
    out = tmp_path / "probe"
    run([p for p in folder.iterdir() if p != skip], "auto", out, FAST)
    return doc_ids(out)


def test_a_changed_reference_reruns_only_alignment(tmp_path):
    folder, out = plans_dir(tmp_path, "002", "003"), tmp_path / "out"
    reference = tmp_path / "reference.txt"
    shutil.copy(seed("001"), reference)
    run([folder], str(reference), out, FAST)
    reference.write_text(reference.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    result = run([folder], str(reference), out, FAST)
    assert result.processed == 0 and not result.unchanged
    docs = pd.read_parquet(out / "documents")
    assert docs[docs.role == "reference"].sha256.iloc[0] == \
        __import__("hashlib").sha256(reference.read_bytes()).hexdigest()


def test_watch_processes_a_dropped_file_once(tmp_path):
    folder, out = plans_dir(tmp_path, "001", "003"), tmp_path / "out"
    runs = []

    def drop_in_later(seconds):
        if len(polls) == 1:
            shutil.copy(seed("004"), folder / seed("004").name)
        polls.append(seconds)

    polls = [0.0]
    watch([str(folder)], "auto", str(out), FAST, interval=0.0, max_polls=6,
          on_run=lambda result, s: runs.append(result), sleep=drop_in_later)
    assert sum(r.processed for r in runs) == 3     # each file read exactly once
    assert len(doc_ids(out)) == 3


@pytest.mark.slow
def test_a_killed_run_resumes_without_duplicates_or_losses(tmp_path):
    folder, out = plans_dir(tmp_path, "000", "001", "002", "003", "004"), tmp_path / "out"
    cmd = [sys.executable, "-m", "plandiff", "run", str(folder), "--out", str(out),
           "--workers", "1", "--quiet"]
    proc = subprocess.Popen(cmd, cwd=REPO, start_new_session=True)
    docs_cache = out / ".plandiff" / "docs"
    deadline = time.time() + 120
    while time.time() < deadline and len(list(docs_cache.glob("*.pkl"))) < 2:
        time.sleep(0.05)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    done_before = len(list(docs_cache.glob("*.pkl")))
    assert 2 <= done_before < 5
    result = run([folder], "auto", out, replace(FAST, ingest=IngestConfig()))
    assert result.processed == 5 - done_before
    docs = pd.read_parquet(out / "documents")
    assert len(docs[docs.role == "plan"]) == 5 and docs.doc_id.is_unique


@pytest.mark.slow
def test_page_ranges_in_parallel_give_the_same_document(tmp_path):
    pdf = SAMPLES / "000_tra_bong.pdf"   # 11 pages: three ranges of 4
    serial = run([pdf], "auto", tmp_path / "serial", replace(FAST, workers=1))
    split = run([pdf], "auto", tmp_path / "split", replace(FAST, workers=2, chunk_pages=4))
    def route(pages):
        return [(p.number, p.start, p.text, p.source, p.reason) for p in pages]

    assert route(split.outcomes[0].plan.source.pages) == route(serial.outcomes[0].plan.source.pages)
    pd.testing.assert_frame_equal(pd.read_parquet(tmp_path / "serial" / "items"),
                                  pd.read_parquet(tmp_path / "split" / "items"))
    pd.testing.assert_frame_equal(  # "seconds" is a measurement, not a result
        pd.read_parquet(tmp_path / "serial" / "pages").drop(columns="seconds"),
        pd.read_parquet(tmp_path / "split" / "pages").drop(columns="seconds"))


@pytest.mark.cluster
def test_a_dask_cluster_gives_the_same_tables_as_a_local_run(tmp_path):
    distributed = pytest.importorskip("distributed", reason="install the dask extra")
    folder = plans_dir(tmp_path, "001", "003", "004")
    local = tmp_path / "local"
    run([folder], "auto", local, FAST)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster:
        config = replace(FAST, engine="dask", address=cluster.scheduler_address)
        run([folder], "auto", tmp_path / "cluster", config)
    for table in ("documents", "items", "citations", "alignments", "coverage"):
        a = pd.read_parquet(local / table)
        b = pd.read_parquet(tmp_path / "cluster" / table)
        pd.testing.assert_frame_equal(a, b)


def _many_small_plans():
    """A reference of three tasks and 2 * ALIGN_CHUNK + 5 plans carrying 1-3 of them."""
    from dataclasses import replace as dc_replace

    from plandiff.ingest import IngestConfig, ingest_bytes
    from plandiff.parse import parse

    from plandiff.pipeline import ALIGN_CHUNK

    config = dc_replace(IngestConfig(), restore_diacritics=False)

    def plan(text, name):
        return parse(ingest_bytes(text.encode("utf-8"), name, config))

    tasks = ["Tổ chức cuộc thi tìm hiểu về chuyển đổi số trong đoàn viên, thanh niên.",
             "Cập nhật, công khai các thủ tục hành chính trên Trang thông tin điện tử.",
             "Duy trì chuyên mục cải cách hành chính trên hệ thống truyền thanh."]
    head = "KẾ HOẠCH\nTruyền thông năm 2025\nI. NHIỆM VỤ\n"
    reference = plan(head + "".join(f"{i}. {t}\n" for i, t in enumerate(tasks, 1)), "ref.txt")
    plans = [plan(head + "".join(f"{i}. {t} Lần {n}.\n" for i, t in enumerate(tasks[: 1 + n % 3], 1)),
                  f"p{n}.txt") for n in range(2 * ALIGN_CHUNK + 5)]
    return reference, plans


@pytest.mark.slow
def test_many_plans_are_aligned_in_worker_processes_with_the_same_rows(tmp_path):
    from plandiff.cache import ResultCache
    from plandiff.pipeline import RunConfig, _alignments

    reference, plans = _many_small_plans()
    inline = _alignments(plans, reference, ResultCache(tmp_path / "a", "v"), RunConfig(workers=1))
    spread = _alignments(plans, reference, ResultCache(tmp_path / "b", "v"), RunConfig(workers=2))
    assert spread == inline
    assert {a.doc_id for a in spread} == {p.doc_id for p in plans}
    assert sum(a.status.value == "dropped" for a in spread) == sum(2 - n % 3 for n in range(len(plans)))


@pytest.mark.cluster
def test_many_plans_are_aligned_on_a_dask_cluster_with_the_same_rows():
    distributed = pytest.importorskip("distributed", reason="install the dask extra")
    from plandiff.pipeline import RunConfig, align_plans

    reference, plans = _many_small_plans()
    inline = align_plans(plans, reference, RunConfig(workers=1))
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster:
        spread = align_plans(plans, reference,
                             RunConfig(engine="dask", address=cluster.scheduler_address))
    assert spread == inline


@pytest.mark.slow
def test_an_alignment_that_fails_names_the_plan_and_exits_1(tmp_path, monkeypatch, capsys):
    from plandiff.align import AlignError

    import plandiff.pipeline
    from plandiff.cli import main

    def broken(plan, reference, config, embedder=None):
        raise ValueError("no luck")

    monkeypatch.setattr(plandiff.pipeline, "align", broken)
    folder = plans_dir(tmp_path, "001", "003")
    with pytest.raises(AlignError, match=r"aligning .*001_.*\.txt against inferred:\w+ failed: ValueError: no luck"):
        run([folder], "auto", tmp_path / "out", FAST)
    assert main(["run", str(folder), "--out", str(tmp_path / "out2"), "--no-restore", "--quiet",
                 "--workers", "1"]) == 1
    assert "failed: ValueError: no luck" in capsys.readouterr().err
