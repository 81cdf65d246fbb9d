"""Routing each plan to its parent in a library of references, and lineage down a chain.

The small fixture (tests/fixtures/routing, written by benchmarks/make_routing_sets.py
--small) has a province plan 82/KH-UBND and an unrelated plan 105 as references; a
district plan citing 82 with its number damaged by OCR (`8Z/KH-UBND`); two commune
plans citing the district plan 37/KH-UBND; and a commune plan that cites no parent.
"""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pandas as pd
import pytest
from plandiff.align import Alignment, Status
from plandiff.parse import PlanDocument
from plandiff.parse.model import Item, ItemKind, Metadata, ParentReference, Part, ReferenceRole

from plandiff.errors import UsageError
from plandiff.lineage import chain_of, lineage
from plandiff.pipeline import RunConfig, process_file, reference_paths, run
from plandiff.routing import (
    CITED_FLOOR,
    NumberKey,
    ReferenceMatch,
    citation_strength,
    number_agreement,
    route,
)
from plandiff.routing import _Identity as Identity

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "routing"
TRUTH = json.loads((FIXTURE / "truth.json").read_text(encoding="utf-8"))
IMPL, BASIS = ReferenceRole.IMPLEMENTS, ReferenceRole.BASIS


# ---------------------------------------------------------------- numbers

@pytest.mark.parametrize("damaged", ["8Z/KH-UBND", "B2/KH-UBND", "82/KH-UBNĐ", "82 KH-UBND", "82/KH- UBND",
                                     "82-KH-UBND"])
def test_ocr_damaged_numbers_have_the_key_of_the_clean_one(damaged):
    assert NumberKey.of(damaged) == NumberKey.of("82/KH-UBND") == NumberKey("82", "KHUBND")


def test_number_keys_keep_sub_letters_and_refuse_words():
    assert NumberKey.of("97a/QĐ-UBND") == NumberKey("97a", "QDUBND")
    assert NumberKey.of("Kế hoạch") is None and NumberKey.of(None) is None and NumberKey.of("") is None


@pytest.mark.parametrize(("cited", "own", "agreement"), [
    ("82/KH-UBND", "82/KH-UBND", 1.0),
    ("82/KH-UBN", "82/KH-UBND", 0.8),     # the code's end lost
    ("82/KH-UBMD", "82/KH-UBND", 0.8),    # one letter of the code misread
    ("82/KH-UBND", "82/QĐ-UBND", 0.0),    # a decision, not the plan
    ("83/KH-UBND", "82/KH-UBND", 0.6),    # one digit misread
    ("2/KH-UBND", "82/KH-UBND", 0.0),     # a digit lost: another number
    ("82/KH-UBND", "82/KH-HĐND", 0.0),    # another body's plan 82
    ("182/KH-UBND", "82/KH-UBND", 0.0),
])
def test_number_agreement(cited, own, agreement):
    key_a, key_b = NumberKey.of(cited), NumberKey.of(own)
    assert key_a is not None and key_b is not None
    assert number_agreement(key_a, key_b) == agreement


def _ref(number: str, day: dt.date | None, role: ReferenceRole = IMPL, kind: str = "Kế hoạch") -> ParentReference:
    return ParentReference(kind=kind, number=number, issued_on=day, issuer="UBND tỉnh", role=role)


D1, D2 = dt.date(2025, 4, 17), dt.date(2024, 4, 17)


def test_citation_strength_needs_the_date_for_a_damaged_number_and_refuses_a_wrong_date():
    own = Identity("p", NumberKey("82", "KHUBND"), D1, via_decision=False)
    assert citation_strength(_ref("82/KH-UBND", D1), own) == 1.5
    assert citation_strength(_ref("82/KH-UBND", None), own) == 1.0 >= CITED_FLOOR
    assert citation_strength(_ref("83/KH-UBND", D1), own) == 1.1 >= CITED_FLOOR
    assert citation_strength(_ref("83/KH-UBND", None), own) == 0.0
    # Offices reuse numbers every year: the same number of another year is another plan.
    assert citation_strength(_ref("82/KH-UBND", D2), own) < CITED_FLOOR


def test_another_offices_plan_of_the_same_number_is_not_the_cited_one():
    from plandiff.routing import issuer_of, issuers_conflict

    assert issuer_of("Chủ tịch Ủy ban nhân dân tỉnh Quảng Ngãi") == ("province", "quang ngai")
    assert issuer_of("Chủ tịch UBND tỉnh") == ("province", None)
    assert issuer_of("Sở Lao động - Thương binh và Xã hội") == (None, None)   # xã hội is no commune
    assert issuers_conflict(issuer_of("UBND tỉnh Quảng Ngãi"), issuer_of("ỦY BAN NHÂN DÂN HUYỆN SƠN TÂY"))
    assert issuers_conflict(issuer_of("UBND huyện Ba Tơ"), issuer_of("UBND huyện Sơn Tây"))
    assert not issuers_conflict(issuer_of("UBND xã Đăk Tô"), issuer_of("Chủ tịch UBND xã Pk Tổ"))  # OCR
    assert not issuers_conflict(issuer_of("Chủ tịch UBND tỉnh"), issuer_of("UBND TỈNH QUẢNG NGÃI"))
    own = Identity("p", NumberKey("83", "KHUBND"), None, False, issuer_of("ỦY BAN NHÂN DÂN HUYỆN SƠN TÂY"))
    cited = ParentReference(kind="Kế hoạch", number="83/KH-UBND", issued_on=dt.date(2025, 1, 20),
                            issuer="UBND tỉnh Quảng Ngãi", role=IMPL)
    assert citation_strength(cited, own) == 0.0


# ---------------------------------------------------------------- routing

def _plan(doc_id: str, number: str | None = None, day: dt.date | None = None, refs=(),
          texts: tuple[str, ...] = (), decision: tuple[str, dt.date] | None = None) -> PlanDocument:
    items = tuple(Item(item_id=f"{doc_id}:{n}", parent_id=None, ordinal=n, depth=1, label=f"{n}.",
                       kind=ItemKind.TASK, heading="", text=text, part=Part.TASKS)
                  for n, text in enumerate(texts, start=1))
    meta = Metadata(plan_number=number, issued_on=day, references=tuple(refs),
                    decision_number=decision[0] if decision else None,
                    decision_issued_on=decision[1] if decision else None)
    return PlanDocument(doc_id=doc_id, meta=meta, items=items)


TOPIC_A = ("Tuyên truyền cải cách thủ tục hành chính trên cổng thông tin điện tử của tỉnh",
           "Tổ chức hội nghị đối thoại với doanh nghiệp về chỉ số cải cách hành chính",
           "Xây dựng chuyên mục chuyển đổi số trên đài truyền thanh cơ sở")
TOPIC_B = ("Phổ biến pháp luật về an toàn giao thông cho học sinh các trường trung học",
           "Kiểm tra nồng độ cồn đối với người điều khiển phương tiện trên quốc lộ",
           "Tuyên truyền đội mũ bảo hiểm khi đi xe máy điện trên các tuyến đường")


def test_a_plan_goes_to_the_parent_it_cites_through_ocr_damage():
    province = _plan("prov", "82/KH-UBND", D1, texts=TOPIC_A)
    other = _plan("other", "82/KH-UBND", dt.date(2025, 1, 2), texts=TOPIC_B)   # same number, other date
    child = _plan("child", "5/KH-UBND", dt.date(2025, 6, 1), refs=[_ref("8Z/KH-UBND", D1)], texts=TOPIC_B)
    routes = route([child], [province, other])
    assert routes["child"].parent_id == "prov" and routes["child"].match is ReferenceMatch.CITED
    assert not routes["child"].flagged
    assert "82/KH-UBND" in routes["child"].evidence


def test_a_plan_issued_by_a_decision_is_cited_by_the_decision_number():
    province = _plan("prov", "82/KH-UBND", D1, texts=TOPIC_A, decision=("2074/QĐ-UBND", dt.date(2025, 4, 15)))
    child = _plan("child", None, dt.date(2025, 6, 1), refs=[_ref("2074/QĐ-UBND", dt.date(2025, 4, 15),
                                                                kind="Quyết định")])
    route_ = route([child], [province])["child"]
    assert (route_.parent_id, route_.match) == ("prov", ReferenceMatch.CITED)
    assert "decision that issued it" in route_.evidence


def test_a_library_reference_named_only_among_the_bases_is_cited_and_a_plan_of_the_batch_is_not():
    province = _plan("prov", "82/KH-UBND", D1, texts=TOPIC_A)
    sibling = _plan("sib", "9/KH-UBND", dt.date(2025, 5, 1), texts=TOPIC_A)
    child = _plan("child", None, dt.date(2025, 6, 1),
                  refs=[_ref("9/KH-UBND", dt.date(2025, 5, 1), BASIS), _ref("82/KH-UBND", D1, BASIS)])
    routes = route([sibling, child], [province])
    assert routes["child"].parent_id == "prov" and "legal bases" in routes["child"].evidence


def test_the_nearest_of_several_implemented_parents_wins_and_a_later_plan_is_never_a_parent():
    province = _plan("prov", "82/KH-UBND", D1, texts=TOPIC_A)
    district = _plan("dist", "37/KH-UBND", dt.date(2025, 5, 20), refs=[_ref("82/KH-UBND", D1)], texts=TOPIC_A)
    commune = _plan("comm", None, dt.date(2025, 6, 1),
                    refs=[_ref("82/KH-UBND", D1), _ref("37/KH-UBND", dt.date(2025, 5, 20))], texts=TOPIC_A)
    early = _plan("early", None, dt.date(2025, 5, 1), refs=[_ref("37/KH-UBND", None)], texts=TOPIC_A)
    routes = route([district, commune, early], [province])
    assert {k: (r.parent_id, r.match.value) for k, r in routes.items()} == {
        "dist": ("prov", "cited"), "comm": ("dist", "cited"), "early": ("prov", "content")}


def test_plans_citing_each_other_in_a_loop_are_routed_by_content():
    province = _plan("prov", "82/KH-UBND", D1, texts=TOPIC_A)
    a = _plan("a", "1/KH-UBND", None, refs=[_ref("2/KH-UBND", None)], texts=TOPIC_A)
    b = _plan("b", "2/KH-UBND", None, refs=[_ref("1/KH-UBND", None)], texts=TOPIC_A)
    routes = route([a, b], [province])
    assert {k: (r.parent_id, r.match.value) for k, r in routes.items()} == {
        "a": ("prov", "content"), "b": ("prov", "content")}


def test_uncited_plans_go_to_the_closest_reference_by_content_or_together_to_the_consensus():
    a_ref, b_ref = _plan("ra", "1/KH-UBND", D1, texts=TOPIC_A), _plan("rb", "2/KH-UBND", D1, texts=TOPIC_B)
    near_b = _plan("nb", None, None, texts=TOPIC_B[:2])
    routes = route([near_b], [a_ref, b_ref])
    assert (routes["nb"].parent_id, routes["nb"].match) == ("rb", ReferenceMatch.CONTENT)
    assert routes["nb"].flagged and routes["nb"].score == 1.0
    strangers = [_plan(f"s{n}", None, None, texts=("Trồng cây xanh bảo vệ môi trường ven sông",)) for n in (1, 2)]
    routes = route(strangers, [a_ref, b_ref])
    assert {r.parent_id for r in routes.values()} == {None}
    assert {r.match for r in routes.values()} == {ReferenceMatch.CONSENSUS}
    # One stranger alone cannot infer a reference: the closest parent, flagged.
    assert route(strangers[:1], [a_ref, b_ref])["s1"].match is ReferenceMatch.CONTENT
    # No library at all: every uncited plan goes to the consensus.
    assert route([near_b], [])["nb"].match is ReferenceMatch.CONSENSUS


# ---------------------------------------------------------------- lineage

def test_lineage_follows_pairs_down_the_chain_and_names_where_an_item_was_lost():
    root = _plan("R", texts=("một", "hai", "ba"))
    pairs = [Alignment("R", "R:1", "D", "D:1", Status.CARRIED, 1.0),
             Alignment("R", "R:2", "D", "D:2", Status.MODIFIED, 0.9),
             Alignment("R", "R:3", "D", None, Status.DROPPED, 0.0),
             Alignment("D", "D:1", "C", "C:1", Status.CARRIED, 1.0),
             Alignment("D", "D:1", "C", "C:2", Status.CARRIED, 0.8),   # split
             Alignment("D", "D:2", "C", "C:3", Status.CARRIED, 1.0)]
    parent_of = {"D": "R", "C": "D"}
    assert chain_of("C", parent_of) == ["R", "D", "C"]
    got = [(r.root_item_id, r.doc_id, r.depth, r.status.value, r.lost_at, r.item_ids, r.via_item_ids)
           for r in lineage({"R": root}, parent_of, pairs)]
    assert got == [
        ("R:1", "D", 1, "carried", None, ("D:1",), ()),
        ("R:1", "C", 2, "carried", None, ("C:1", "C:2"), ("D:1",)),
        ("R:2", "D", 1, "modified", None, ("D:2",), ()),
        ("R:2", "C", 2, "modified", None, ("C:3",), ("D:2",)),
        ("R:3", "D", 1, "dropped", "D", (), ()),
        ("R:3", "C", 2, "dropped", "D", (), ()),
    ]


# ---------------------------------------------------------------- the run

def test_reference_paths_expand_folders_and_refuse_auto_mixed_with_files(tmp_path):
    assert reference_paths("auto") == [] and reference_paths(["auto"]) == []
    assert [p.name for p in reference_paths(FIXTURE / "refs")] == ["khac_105.txt", "tinh_82.txt"]
    with pytest.raises(UsageError, match="cannot be combined"):
        reference_paths(["auto", str(FIXTURE / "refs" / "tinh_82.txt")])
    with pytest.raises(UsageError, match="no reference plans"):
        reference_paths(tmp_path)
    with pytest.raises(UsageError, match="reference not found"):
        reference_paths(tmp_path / "missing.txt")


def test_fixture_routes_exactly_as_its_truth(text_config):
    plans = {name: process_file(str(FIXTURE / name), RunConfig(ingest=text_config)).plan
             for name in TRUTH["plans"]}
    refs = {name: process_file(str(FIXTURE / name), RunConfig(ingest=text_config)).plan for name in TRUTH["refs"]}
    assert all(plans.values()) and all(refs.values())
    routes = route([p for p in plans.values() if p], [r for r in refs.values() if r])
    doc_name = {d.doc_id: name for name, d in {**plans, **refs}.items() if d}
    got = {name: (doc_name[routes[p.doc_id].parent_id or ""], routes[p.doc_id].match.value)
           for name, p in plans.items() if p}
    assert got == {
        "plans/huyen_ba_to.txt": ("refs/tinh_82.txt", "cited"),     # cites 8Z/KH-UBND
        "plans/xa1_ba_vi.txt": ("plans/huyen_ba_to.txt", "cited"),
        "plans/xa2_ba_dong.txt": ("plans/huyen_ba_to.txt", "cited"),
        "plans/rieng_son_ky.txt": ("refs/tinh_82.txt", "content"),
    }
    assert {name: t["parent"] for name, t in TRUTH["plans"].items()} == {
        "plans/huyen_ba_to.txt": "refs/tinh_82.txt", "plans/xa1_ba_vi.txt": "plans/huyen_ba_to.txt",
        "plans/xa2_ba_dong.txt": "plans/huyen_ba_to.txt", "plans/rieng_son_ky.txt": None}


@pytest.fixture(scope="module")
def library_run(tmp_path_factory, text_config):
    out = tmp_path_factory.mktemp("library")
    config = RunConfig(ingest=text_config, workers=1, isolate=False)
    result = run([FIXTURE / "plans"], [FIXTURE / "refs"], out, config)
    return result, out


@pytest.mark.slow
def test_a_library_run_writes_each_plan_against_its_parent(library_run):
    result, out = library_run
    docs = pd.read_parquet(out / "documents").set_index("doc_id")
    name = {d: Path(p).name for d, p in docs["source_path"].items()}
    plans = docs[docs.role == "plan"]
    assert {name[d]: (name[r["reference_doc_id"]], r["reference_match"], bool(r["reference_flagged"]))
            for d, r in plans.iterrows()} == {
        "huyen_ba_to.txt": ("tinh_82.txt", "cited", False),
        "xa1_ba_vi.txt": ("huyen_ba_to.txt", "cited", False),
        "xa2_ba_dong.txt": ("huyen_ba_to.txt", "cited", False),
        "rieng_son_ky.txt": ("tinh_82.txt", "content", True)}
    assert sorted(name[d] for d in docs[docs.role == "reference"].index) == ["khac_105.txt", "tinh_82.txt"]
    # Every row of a plan is against its own parent, in alignments and in coverage.
    parent = plans["reference_doc_id"].to_dict()
    for table in ("alignments", "coverage"):
        rows = pd.read_parquet(out / table)
        assert (rows["reference_doc_id"] == rows["doc_id"].map(parent)).all(), table
    summary = result.summary
    assert [(Path(r["path"]).name, r["plans"]) for r in summary["references"]] == [
        ("khac_105.txt", 0), ("tinh_82.txt", 2)]


@pytest.mark.slow
def test_lineage_of_a_library_run_reaches_the_communes_through_the_district(library_run):
    _, out = library_run
    docs = pd.read_parquet(out / "documents").set_index("doc_id")
    name = {d: Path(p).name for d, p in docs["source_path"].items()}
    lineage_rows = pd.read_parquet(out / "lineage")
    coverage = pd.read_parquet(out / "coverage")
    province = docs.index[docs.source_path.str.endswith("tinh_82.txt")][0]
    assert set(lineage_rows.root_doc_id) == {province}
    depth = {name[d]: int(k) for d, k in lineage_rows.groupby("doc_id").depth.first().items()}
    assert depth == {"huyen_ba_to.txt": 1, "rieng_son_ky.txt": 1, "xa1_ba_vi.txt": 2, "xa2_ba_dong.txt": 2}
    # Depth 1 is the coverage of the province plan's children.
    first = lineage_rows[lineage_rows.depth == 1].set_index(["root_item_id", "doc_id"]).status
    direct = coverage[coverage.reference_doc_id == province].set_index(["reference_item_id", "doc_id"]).status
    assert first.sort_index().equals(direct.sort_index())
    # A commune has a province item only through an item of the district plan that carries it.
    district = docs.index[docs.source_path.str.endswith("huyen_ba_to.txt")][0]
    by_district = set(coverage[(coverage.doc_id == district) & (coverage.status != "dropped")].reference_item_id)
    deep = lineage_rows[lineage_rows.depth == 2]
    assert set(deep[deep.status != "dropped"].root_item_id) <= by_district
    assert (deep[deep.status == "dropped"].lost_at.isin([district, *deep.doc_id])).all()
    assert all(list(p) == [district, d] for p, d in zip(deep.path, deep.doc_id, strict=True))


@pytest.mark.slow
def test_an_unreadable_reference_in_a_library_is_a_failed_row_and_the_run_goes_on(tmp_path, text_config):
    refs = tmp_path / "refs"
    refs.mkdir()
    (refs / "tinh_82.txt").write_bytes((FIXTURE / "refs" / "tinh_82.txt").read_bytes())
    (refs / "broken.pdf").write_bytes(b"%PDF-1.4 not really")
    result = run([FIXTURE / "plans" / "huyen_ba_to.txt"], [refs], tmp_path / "out",
                 RunConfig(ingest=text_config, workers=1, isolate=False))
    docs = pd.read_parquet(tmp_path / "out" / "documents")
    broken = docs[docs.source_path.str.endswith("broken.pdf")].iloc[0]
    assert (broken.role, broken.status) == ("reference", "failed")
    plan = docs[docs.role == "plan"].iloc[0]
    assert plan.reference_match == "cited" and plan.status == "ok"
    assert [p.get("role") for p in result.summary["plans"] if p["status"] == "failed"] == ["reference"]
    # One reference named alone that cannot be read still ends the run: nothing could be checked.
    with pytest.raises(UsageError, match="could not be read"):
        run([FIXTURE / "plans"], refs / "broken.pdf", tmp_path / "out2",
            RunConfig(ingest=text_config, workers=1, isolate=False))



@pytest.mark.slow
def test_watch_routes_newly_dropped_plans_to_their_parents(tmp_path, text_config):
    from plandiff.watch import watch

    inbox = tmp_path / "inbox"
    inbox.mkdir()
    config = RunConfig(ingest=text_config, workers=1, isolate=False)
    runs: list = []

    def drop(name: str) -> None:
        (inbox / name).write_bytes((FIXTURE / "plans" / name).read_bytes())

    drop("huyen_ba_to.txt")
    # Poll 1 sees the file, poll 2 finds it settled and runs; then a commune plan arrives.
    watch([str(inbox)], [str(FIXTURE / "refs")], str(tmp_path / "out"), config, max_polls=2,
          on_run=lambda result, _: runs.append(result), sleep=lambda _: None)
    drop("xa1_ba_vi.txt")
    watch([str(inbox)], [str(FIXTURE / "refs")], str(tmp_path / "out"), config, max_polls=2,
          on_run=lambda result, _: runs.append(result), sleep=lambda _: None)
    docs = pd.read_parquet(tmp_path / "out" / "documents").set_index("doc_id")
    name = {d: Path(p).name for d, p in docs["source_path"].items()}
    plans = docs[docs.role == "plan"]
    assert {name[d]: (name[r.reference_doc_id], r.reference_match) for d, r in plans.iterrows()} == {
        "huyen_ba_to.txt": ("tinh_82.txt", "cited"), "xa1_ba_vi.txt": ("huyen_ba_to.txt", "cited")}
    assert [len(r.routes) for r in runs if not r.unchanged] == [1, 2]


@pytest.mark.slow
def test_plan_summary_measures_each_plan_against_its_own_parent(library_run):
    from plandiff.analysis import coverage_matrix, load_tables, plan_summary

    _, out = library_run
    tables = load_tables(out)
    summary = plan_summary(tables)
    coverage = tables["coverage"]
    for plan, row in summary.iterrows():
        mine = coverage[coverage.doc_id == row.doc_id]
        assert set(mine.reference_doc_id) == {row.reference_doc_id}, plan
        assert row.coverage == pytest.approx((row.carried + row.modified) / len(mine)), plan
    district = summary.loc["huyen_ba_to.txt", "doc_id"]
    assert sorted(coverage_matrix(tables, district).columns) == ["xa1_ba_vi.txt", "xa2_ba_dong.txt"]
