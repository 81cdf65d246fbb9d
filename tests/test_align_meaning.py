"""Meaning where wording leaves the verdict open (align/meaning.py): fast tests with a
fake embedder (fixed vectors), the real e5 model in a slow one."""
import logging
from dataclasses import replace

import numpy as np
import pytest
from plandiff.align import align
from plandiff.align.meaning import COPY_GATE, copy_share, csls
from plandiff.align.model import DecisionRule, Status
from plandiff.ingest import IngestConfig, ingest_bytes
from plandiff.parse import parse

CONFIG = replace(IngestConfig(), restore_diacritics=False)

# A district task list and a commune plan that rewrites it in its own words.
REFERENCE = """KẾ HOẠCH
Cải cách hành chính năm 2025 huyện Trà Bồng
I. NHIỆM VỤ
1. Đăng tải tin bài về cải cách hành chính trên Trang thông tin điện tử của huyện.
2. Tổ chức hội nghị đối thoại giữa lãnh đạo với người dân về thủ tục hành chính.
3. Kiểm tra việc niêm yết công khai thủ tục hành chính tại Bộ phận một cửa các xã.
4. Bố trí kinh phí thực hiện kế hoạch từ nguồn ngân sách huyện.
"""
PLAN = """KẾ HOẠCH
Cải cách hành chính năm 2025 xã Trà Phú
I. NHIỆM VỤ
1. Đưa tin, bài tuyên truyền CCHC lên cổng thông tin điện tử xã và mạng xã hội.
2. Lắp đặt camera giám sát tại trụ sở Ủy ban nhân dân xã.
3. Dự toán kinh phí thực hiện kế hoạch trình Hội đồng nhân dân xã phê duyệt.
4. Trích từ ngân sách xã chi các hoạt động của kế hoạch.
"""
# What each item means, for the fake embedder: items sharing a topic state the same task.
TOPICS = {"Đăng tải tin bài": 0, "Đưa tin, bài": 0,      # the same task, reworded
          "Bố trí kinh phí": 1, "Trích từ ngân sách": 1,      # the same task, reworded
          "Dự toán kinh phí": 2,                           # a different task on the same topic
          "hội nghị đối thoại": 3, "Kiểm tra việc": 4, "camera": 5}


class FakeEmbedder:
    """Fixed vectors by topic, with the shared component every real model has
    (unrelated tasks of one field are not orthogonal)."""
    name = "fake-topics"

    def __init__(self):
        self.calls: list[list[str]] = []

    def embed(self, texts):
        self.calls.append(list(texts))
        out = np.zeros((len(texts), 8), dtype=np.float32)
        for row, text in enumerate(texts):
            out[row, 7] = 1.0
            topic = next((t for key, t in TOPICS.items() if key in text), None)
            if topic is not None:
                out[row, topic] = 1.0
        return out / np.linalg.norm(out, axis=1, keepdims=True)


class BrokenEmbedder:
    name = "broken"

    def embed(self, texts):
        raise RuntimeError("engine crashed")


def plan_of(text: str, name: str):
    return parse(ingest_bytes(text.encode("utf-8"), name, CONFIG))


def pairs(rows, ref, plan):
    def start(text):
        return " ".join(text.split()[:3])
    return {(start(ref.item(r.reference_item_id).text), start(plan.item(r.item_id).text))
            for r in rows if r.reference_item_id and r.item_id}


def test_a_rewording_is_paired_and_a_different_task_on_the_same_topic_is_not():
    ref, plan = plan_of(REFERENCE, "ref.txt"), plan_of(PLAN, "plan.txt")
    by_words = align(plan, ref)
    # Wording alone: the budget task goes to the different task that shares its words,
    # and the rewordings are dropped/added.
    assert pairs(by_words, ref, plan) == {("Bố trí kinh", "Dự toán kinh")}
    rows = align(plan, ref, embedder=FakeEmbedder())
    assert pairs(rows, ref, plan) == {("Đăng tải tin", "Đưa tin, bài"),
                                      ("Bố trí kinh", "Trích từ ngân")}
    assert all(r.decided_by is DecisionRule.MEANING for r in rows
               if r.reference_item_id and r.item_id)
    assert all("other words" in r.reason for r in rows if r.reference_item_id and r.item_id)
    different = next(r for r in rows if r.item_id and plan.item(r.item_id).text.startswith("Dự toán"))
    assert different.status is Status.ADDED and different.decided_by is DecisionRule.MEANING
    assert "wording alone it would pair" in different.reason


def test_a_plan_that_copies_its_reference_is_decided_by_wording_and_embeds_nothing():
    ref = plan_of(REFERENCE, "ref.txt")
    copy = plan_of(REFERENCE.replace("huyện Trà Bồng", "xã Trà Phú"), "copy.txt")
    fake = FakeEmbedder()
    assert align(copy, ref, embedder=fake) == align(copy, ref)
    assert fake.calls == []


def test_only_items_the_wording_leaves_open_are_embedded():
    ref = plan_of(REFERENCE, "ref.txt")
    # One item copied verbatim: it has a counterpart and is not embedded.
    plan = plan_of(PLAN.replace("2. Lắp đặt camera giám sát tại trụ sở Ủy ban nhân dân xã.",
                                "2. Tổ chức hội nghị đối thoại giữa lãnh đạo với người dân về thủ tục hành chính."),
                   "plan.txt")
    fake = FakeEmbedder()
    align(plan, ref, embedder=fake)
    embedded = [t for call in fake.calls for t in call]
    assert embedded and not any("đối thoại" in t for t in embedded)
    assert not any("huyện" in t or "xã Trà Phú" in t for t in embedded)   # place names left out


def test_without_a_working_model_the_verdicts_are_wording_alone_with_a_warning(caplog):
    ref, plan = plan_of(REFERENCE, "ref.txt"), plan_of(PLAN, "plan.txt")
    by_words = align(plan, ref)
    with caplog.at_level(logging.WARNING, logger="plandiff.align.matching"):
        rows = align(plan, ref, embedder=BrokenEmbedder())
    assert "wording alone" in caplog.text and "engine crashed" in caplog.text
    assert [(r.reference_item_id, r.item_id, r.status, r.decided_by) for r in rows] == \
        [(r.reference_item_id, r.item_id, r.status, r.decided_by) for r in by_words]
    assert all("wording alone" in r.reason for r in rows)
    assert not any(r.decided_by is DecisionRule.MEANING for r in rows)


def test_copy_share_and_csls():
    text = np.array([[0.95, 0.1, 0.0], [0.2, 0.5, 0.85]], dtype=np.float32)
    assert copy_share(text) == pytest.approx(2 / 3)
    assert copy_share(np.zeros((0, 0))) == 1.0 and COPY_GATE <= 1.0
    # A hub (an item near everything) loses against a pair that is nearest to each other.
    cosine = np.array([[0.95, 0.80], [0.90, 0.90]], dtype=np.float32)
    scaled = csls(cosine, k=2)
    assert scaled[0, 0] > 0 > scaled[1, 0]


@pytest.mark.slow
def test_with_the_e5_model_the_different_task_on_the_same_topic_is_not_paired():
    from plandiff.align.embedding import CachedEmbedder, load_embedder
    model = load_embedder(threads=1)
    if model is None:
        pytest.skip("the e5 model cannot be loaded here")
    ref = plan_of(REFERENCE, "ref.txt")
    plan = plan_of(PLAN.replace("3. Dự toán kinh phí thực hiện kế hoạch trình Hội đồng nhân dân xã phê duyệt.\n", "")
                   .replace("4. Trích", "3. Tập huấn cho công chức Bộ phận một cửa về số hóa hồ sơ thủ tục hành "
                            "chính.\n4. Trích"), "plan.txt")
    rows = align(plan, ref, embedder=CachedEmbedder(model))
    assert ("Kiểm tra việc", "Tập huấn cho") not in pairs(rows, ref, plan)
    assert all(r.status is not Status.DROPPED or r.decided_by in (DecisionRule.NO_COUNTERPART, DecisionRule.MEANING)
               for r in rows)


# ---------------------------------------------------------------- in a run
@pytest.mark.slow
def test_a_run_with_meaning_embeds_each_text_once_per_output_folder(tmp_path, text_config):
    """`plandiff run --meaning`: vectors kept in OUT/.plandiff/embeddings.sqlite, found
    again by the next process; rows aligned with and without meaning are cached apart."""
    import shutil
    import sqlite3

    from conftest import seed

    from plandiff import pipeline
    from plandiff.embedding_store import STORE_FILE
    from plandiff.pipeline import RunConfig, run

    config = RunConfig(ingest=text_config, workers=1, isolate=False, meaning=True)
    out = tmp_path / "out"
    run([seed("003")], seed("001"), out, config)
    store = out / ".plandiff" / STORE_FILE
    with sqlite3.connect(store) as con:
        stored = con.execute("SELECT count(*) FROM vectors").fetchone()[0]
    assert stored > 0                     # 003 rewords 001: its open items were embedded
    pipeline._EMBEDDERS.clear()           # as a new process would start,
    shutil.rmtree(out / ".plandiff" / "align")   # with no aligned rows cached
    run([seed("003")], seed("001"), out, replace(config, force=True))
    again = pipeline.embedder_for(out, True)
    assert again is not None and again.computed == 0 and again.reused >= stored
    with sqlite3.connect(store) as con:
        assert con.execute("SELECT count(*) FROM vectors").fetchone()[0] == stored
    # The same inputs without meaning are aligned again (another cache key), on wording alone.
    result = run([seed("003")], seed("001"), out, replace(config, meaning=False))
    assert DecisionRule.MEANING not in {a.decided_by for a in result.alignments}
