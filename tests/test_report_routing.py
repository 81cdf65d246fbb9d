"""The report of a run against a library of parents (issue 18): plans grouped by the
parent they were checked against, each plan page naming its parent and how it was
chosen, lineage.html down the province → district → commune chain, and the workbook.

Tables come from one run of the library, in this process, over the small routing
fixture (tests/fixtures/routing: truth.json): a province plan 82/KH-UBND and an
unrelated district plan 105/KH-UBND as references; a district plan (Ba Tơ, 37/KH-UBND)
implementing 82, two communes (Ba Vì, Ba Động) implementing 37, and a commune plan
(Sơn Kỳ) citing no parent, which content puts under 82 (flagged).
"""
from __future__ import annotations

import json
import shutil
from dataclasses import replace
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest
from conftest import FIXTURES
from openpyxl import load_workbook
from plandiff.ingest import IngestConfig

from plandiff.pipeline import RunConfig, run
from plandiff.report import write_report
from plandiff.report.data import Plan, Reference, _groups, load_report_data
from plandiff.report.excel import FIRST_ROW, HEADER_ROW, route_headers, summary_headers
from plandiff.report.i18n import Translator
from plandiff.report.statuses import cell_status

ROUTING = FIXTURES / "routing"
CONFIG = RunConfig(workers=1, isolate=False, ingest=replace(IngestConfig(), restore_diacritics=False))
TRUTH = json.loads((ROUTING / "truth.json").read_text(encoding="utf-8"))
PROVINCE, OTHER = "tinh_82.txt", "khac_105.txt"
DISTRICT, COMMUNE_1, COMMUNE_2, UNCITED = "huyen_ba_to.txt", "xa1_ba_vi.txt", "xa2_ba_dong.txt", "rieng_son_ky.txt"


# ---------------------------------------------------------------- fixtures and helpers

@pytest.fixture(scope="module")
def routed(tmp_path_factory):
    """The routing fixture's plans against its two references; the report in Vietnamese
    under OUT/report and in English under a copy of OUT."""
    out = tmp_path_factory.mktemp("routed") / "out"
    run([str(ROUTING / "plans")], str(ROUTING / "refs"), out, CONFIG)
    vi = write_report(out)
    en_out = out.parent / "out_en"
    shutil.copytree(out, en_out, ignore=shutil.ignore_patterns("report"))
    en = write_report(en_out, lang="en")
    return out, vi, en


def documents(out: Path) -> pd.DataFrame:
    return pd.read_parquet(out / "documents")


def doc_ids(out: Path) -> dict[str, str]:
    """file name -> doc_id of every document of the run."""
    docs = documents(out)
    return {Path(p).name: d for p, d in zip(docs["source_path"], docs["doc_id"], strict=True)}


def plan_files(out: Path) -> dict[str, str]:
    """doc_id -> file name."""
    return {d: f for f, d in doc_ids(out).items()}


class Page(HTMLParser):
    """What the tests read from a page: the parent sections (their plan rows, their matrix
    cells), the flags, the plan facts and the lineage table."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.sections: list[dict] = []      # {"id", "parent", "plans": [href], "flagged": [href], "cells": {}}
        self.lineage: dict[tuple[str, str], tuple[str, str | None]] = {}  # (root item, doc) -> (status, lost at)
        self.lineage_counts: dict[str, tuple[str, str]] = {}  # root item -> (children, below) texts
        self.lineage_columns: list[tuple[str, str]] = []      # (doc_id, depth)
        self.hrefs: list[str] = []
        self.alert: list[str] = []
        self.facts: dict[str, str] = {}
        self._stack: list[str] = []
        self._table: list[str] = []
        self._docs: list[str] = []
        self._ref: str | None = None
        self._col = 0
        self._row_href: str | None = None
        self._text: list[str] | None = None
        self._target: tuple[str, object] | None = None
        self._dt: str | None = None

    @property
    def section(self) -> dict | None:
        return self.sections[-1] if self.sections else None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        classes = (a.get("class") or "").split()
        if a.get("href"):
            self.hrefs.append(a["href"])
        if tag == "section" and "parent" in classes:
            self.sections.append({"id": a["id"], "parent": a.get("data-parent"), "plans": [], "flagged": [],
                                  "cells": {}, "columns": []})
        if tag == "table":
            self._table.append(a.get("id") or "")
            self._docs = []
        table = self._table[-1] if self._table else ""
        if tag == "tr":
            self._ref, self._col, self._row_href = a.get("data-ref"), 0, None
        if table.startswith("plans") and tag == "a" and self._row_href is None and self.section is not None:
            self._row_href = a["href"]
            self.section["plans"].append(a["href"])
        if table.startswith("plans") and "flag" in classes and self.section is not None:
            self.section["flagged"].append(self._row_href)
        if (table.startswith("matrix") or table.startswith("lineage")) and tag == "th" and "data-doc" in a:
            self._docs.append(a["data-doc"])
            if table.startswith("matrix") and self.section is not None:
                self.section["columns"].append(a["data-doc"])
            if table.startswith("lineage"):
                self.lineage_columns.append((a["data-doc"], a["data-depth"]))
        if table.startswith("matrix") and tag == "td" and self._ref and "s" in classes and self.section is not None:
            status = next(c[2:] for c in classes if c.startswith("s-"))
            self.section["cells"][(self._ref, self._docs[self._col])] = None if status == "none" else status
            self._col += 1
        if table.startswith("lineage") and tag == "td" and self._ref and "s" in classes:
            self._target = ("lineage", (self._ref, self._docs[self._col], a.get("data-status")))
            self._col += 1
        if table.startswith("lineage") and tag == "span" and "lost" in classes and self._target:
            key = self._target[1]
            self.lineage[key[:2]] = (key[2], a["data-lost-at"])
        if table.startswith("lineage") and tag == "td" and self._ref and ("children" in classes or "below" in classes):
            self._text, self._target = [], ("count", ("children" in classes, self._ref))
        if tag == "p" and a.get("role") == "alert":
            self._text, self._target = [], ("alert", None)
        if tag == "dt":
            self._text, self._target = [], ("dt", None)
        if tag == "dd" and self._dt:
            self._text, self._target = [], ("dd", self._dt)
        self._stack.append(tag)

    def handle_endtag(self, tag):
        if tag == "table" and self._table:
            self._table.pop()
        if self._target and self._target[0] == "lineage" and tag == "td":
            ref, doc, status = self._target[1]
            self.lineage.setdefault((ref, doc), (status, None))
            self._target = None
        if self._text is not None and self._target is not None:
            kind, key = self._target
            text = " ".join("".join(self._text).split())
            if kind == "count" and tag == "td":
                children, ref = key
                old = self.lineage_counts.get(ref, ("", ""))
                self.lineage_counts[ref] = (text, old[1]) if children else (old[0], text)
                self._text = self._target = None
            elif kind == "alert" and tag == "p":
                self.alert.append(text)
                self._text = self._target = None
            elif kind == "dt" and tag == "dt":
                self._dt = text
                self._text = self._target = None
            elif kind == "dd" and tag == "dd":
                self.facts[str(key)] = text
                self._dt = None
                self._text = self._target = None
        if self._stack:
            self._stack.pop()

    def handle_data(self, data):
        if self._text is not None:
            self._text.append(data)


def parse(path: Path) -> Page:
    page = Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


def page_of(out: Path, file: str) -> str:
    return f"plan-{doc_ids(out)[file]}.html"


# ---------------------------------------------------------------- the data

@pytest.mark.slow
def test_each_plan_has_the_parent_the_truth_names(routed):
    out, _, _ = routed
    data = load_report_data(out)
    ids, files = doc_ids(out), plan_files(out)
    parents = {p.file_name: files.get(p.parent_doc_id or "") for p in data.plans}
    truth = {Path(f).name: Path(t["parent"]).name if t["parent"] else PROVINCE  # uncited: by content
             for f, t in TRUTH["plans"].items()}
    assert parents == truth == {DISTRICT: PROVINCE, UNCITED: PROVINCE, COMMUNE_1: DISTRICT, COMMUNE_2: DISTRICT}
    assert [(g.doc_id, [p.file_name for p in g.plans], g.depth) for g in data.groups] == [
        (ids[PROVINCE], [DISTRICT, UNCITED], 0), (ids[DISTRICT], [COMMUNE_1, COMMUNE_2], 1)]
    assert data.routed and data.chains
    assert [r.file_name for r in data.unused_references()] == [OTHER]
    # each plan's coverage is of its own parent's items
    district = data.groups[1]
    assert district.parent_plan is not None and district.parent_plan.file_name == DISTRICT
    coverage = pd.read_parquet(out / "coverage")
    for group in data.groups:
        items = set(coverage.loc[coverage["reference_doc_id"] == group.doc_id, "reference_item_id"])
        assert {row.ref.item_id for row in group.matrix} == items
        assert all(p.ref_total == len(items) for p in group.plans)


@pytest.mark.slow
def test_groups_without_routing_columns_fall_back_to_the_one_reference(tmp_path, routed):
    """Tables of an older plandiff: no routing columns, no lineage: one group, as before."""
    out, _, _ = routed
    old = tmp_path / "old"
    shutil.copytree(out, old, ignore=shutil.ignore_patterns("report", "lineage"))
    docs = documents(old)
    ids = doc_ids(old)
    # one reference, and every plan against it
    docs = docs[docs["doc_id"] != ids[OTHER]].drop(
        columns=["reference_doc_id", "reference_match", "reference_evidence", "reference_evidence_vi",
                 "reference_flagged"])
    shutil.rmtree(old / "documents")
    (old / "documents").mkdir()
    docs.to_parquet(old / "documents" / "part-0.parquet")
    for name in ("alignments", "coverage"):
        table = pd.read_parquet(old / name).assign(reference_doc_id=ids[PROVINCE])
        shutil.rmtree(old / name)
        (old / name).mkdir()
        table.to_parquet(old / name / "part-0.parquet")
    data = load_report_data(old)
    assert not data.routed and not data.chains and len(data.groups) == 1
    assert {p.parent_doc_id for p in data.plans} == {ids[PROVINCE]}
    assert all(p.reference_match is None and not p.reference_flagged for p in data.plans)
    result = write_report(old)
    index = result.index.read_text(encoding="utf-8")
    assert 'class="parent' not in index and 'id="matrix"' in index and 'id="plans"' in index
    assert result.lineage is None and not (result.report_dir / "lineage.html").exists()
    assert "lineage.html" not in index
    assert "role=\"alert\"" not in result.plan_pages[ids[UNCITED]].read_text(encoding="utf-8")


def _plan(number: int, doc_id: str, parent: str | None, status: str = "ok") -> Plan:
    return Plan(doc_id=doc_id, number=number, slug=doc_id, source_path=f"{doc_id}.txt", issuer=None, title=None,
                plan_number=None, issued_on=None, admin_level="commune", text_source=None, pages=1,
                status=status, error=None, parent_doc_id=parent)


def _ref(doc_id: str, inferred: bool = False) -> Reference:
    return Reference(doc_id=doc_id, title=None, issuer=None, plan_number=None, issued_on=None,
                     inferred=inferred, items=0, support_min=None, support_max=None)


def test_groups_put_a_root_before_the_plans_below_it():
    """Parents in chain order: each root reference, then the plans below it by depth; the
    inferred reference after the given ones; failed plans last, in a group of their own."""
    refs = [_ref("A"), _ref("B"), _ref("inferred:x", inferred=True)]
    plans = [_plan(1, "c1", "d"), _plan(2, "d", "B"), _plan(3, "e", "A"), _plan(4, "f", "inferred:x"),
             _plan(5, "g", "c1"), _plan(6, "bad", None, status="failed"), _plan(7, "h", "B")]
    groups = _groups(refs, plans)
    assert [(g.number, g.doc_id, g.depth, [p.doc_id for p in g.plans]) for g in groups] == [
        (1, "A", 0, ["e"]), (2, "B", 0, ["d", "h"]), (3, "d", 1, ["c1"]), (4, "c1", 2, ["g"]),
        (5, "inferred:x", 0, ["f"]), (6, None, 0, ["bad"])]
    assert groups[2].parent_plan is plans[1] and groups[2].reference is not None
    assert groups[5].reference is None
    # one parent: the failed plans join it, in plan order (the one-reference page)
    single = _groups([_ref("A")], [_plan(1, "bad", None, status="failed"), _plan(2, "e", "A")])
    assert [(g.doc_id, [p.doc_id for p in g.plans]) for g in single] == [("A", ["bad", "e"])]


# ---------------------------------------------------------------- index.html

@pytest.mark.slow
def test_index_has_one_section_per_parent_with_its_plans(routed):
    out, vi, _ = routed
    ids = doc_ids(out)
    page = parse(vi.index)
    assert [(s["id"], s["parent"]) for s in page.sections] == [("parent-1", ids[PROVINCE]),
                                                               ("parent-2", ids[DISTRICT])]
    assert [s["plans"] for s in page.sections] == [[page_of(out, DISTRICT), page_of(out, UNCITED)],
                                                   [page_of(out, COMMUNE_1), page_of(out, COMMUNE_2)]]
    html = vi.index.read_text(encoding="utf-8")
    assert "Văn bản cấp trên 1: Số 82/KH-UBND: Truyền thông về cải cách hành chính" in html
    assert "Văn bản cấp trên 2: 1. ỦY BAN NHÂN DÂN HUYỆN BA TƠ (37/KH-UBND)" in html
    # the unrelated parent is named as unused, and the chain links to lineage.html
    assert "Văn bản tham chiếu không kế hoạch nào dùng: Số 105/KH-UBND: Truyền thông chuyển đổi số" in html
    assert "lineage.html" in page.hrefs
    # the district's section links to the district plan's own page
    assert page_of(out, DISTRICT) in html.split('id="parent-2"')[1].split("<table")[0]


@pytest.mark.slow
def test_index_marks_exactly_the_flagged_routings(routed):
    out, vi, _ = routed
    docs = documents(out)
    flagged = {f"plan-{d}.html" for d in docs.loc[docs["reference_flagged"].fillna(False).astype(bool), "doc_id"]}
    assert page_of(out, UNCITED) in flagged and page_of(out, COMMUNE_1) not in flagged
    page = parse(vi.index)
    assert {href for s in page.sections for href in s["flagged"]} == flagged
    html = vi.index.read_text(encoding="utf-8")
    assert "Theo nội dung" in html and "Cần xác nhận" in html


@pytest.mark.slow
def test_each_section_matrix_is_its_parents_items_by_its_plans(routed):
    out, vi, _ = routed
    page = parse(vi.index)
    coverage = pd.read_parquet(out / "coverage")
    for section in page.sections:
        rows = coverage[coverage["reference_doc_id"] == section["parent"]]
        expected = {key: cell_status(value) for key, value in
                    rows.groupby(["reference_item_id", "doc_id"])["status"].agg(set).items()}
        assert section["cells"] == expected
        assert section["columns"] == [h[len("plan-"):-len(".html")] for h in section["plans"]]


# ---------------------------------------------------------------- plan pages

@pytest.mark.slow
def test_plan_pages_name_their_parent_and_how_it_was_chosen(routed):
    out, vi, _ = routed
    commune = parse(vi.report_dir / page_of(out, COMMUNE_1))
    assert commune.facts["Đối chiếu với"].startswith("1. ỦY BAN NHÂN DÂN HUYỆN BA TƠ (37/KH-UBND)")
    assert "(Văn bản cấp trên 2)" in commune.facts["Đối chiếu với"]
    assert page_of(out, DISTRICT) in commune.hrefs and "index.html#parent-2" in commune.hrefs
    assert commune.facts["Cách xác định"].startswith("Dẫn chiếu: kế hoạch ghi rõ là thực hiện văn bản này")
    assert "khớp với 37/KH-UBND theo số hiệu và ngày ban hành" in commune.facts["Cách xác định"]
    assert commune.alert == []

    uncited = parse(vi.report_dir / page_of(out, UNCITED))
    assert uncited.facts["Đối chiếu với"].startswith(
        "Số 82/KH-UBND: Truyền thông về cải cách hành chính và chuyển đổi số năm 2025")
    assert uncited.facts["Cách xác định"].startswith("Theo nội dung: kế hoạch không dẫn chiếu")
    assert "gần nhất về nội dung: 82/KH-UBND" in uncited.facts["Cách xác định"]
    assert len(uncited.alert) == 1 and uncited.alert[0].startswith("⚑ Cần xác nhận văn bản cấp trên")


@pytest.mark.slow
def test_english_pages(routed):
    out, _, en = routed
    html = en.index.read_text(encoding="utf-8")
    assert "Parent 1: No. 82/KH-UBND" in html and "Parent 2: 1. ỦY BAN NHÂN DÂN HUYỆN BA TƠ" in html
    assert "References no plan was checked against: No. 105/KH-UBND" in html
    uncited = parse(en.report_dir / page_of(out, UNCITED))
    assert uncited.facts["How it was chosen"].startswith("By content: the plan cites no parent")
    assert uncited.alert[0].startswith("⚑ Parent to confirm")
    assert en.lineage is not None and "Items down the chain" in en.lineage.read_text(encoding="utf-8")


# ---------------------------------------------------------------- lineage.html

@pytest.mark.slow
def test_lineage_page_has_every_root_item_in_every_plan_below(routed):
    out, vi, _ = routed
    ids, files = doc_ids(out), plan_files(out)
    assert vi.lineage == vi.report_dir / "lineage.html"
    page = parse(vi.lineage)
    # the district, then its communes, then the uncited commune under the province
    assert page.lineage_columns == [(ids[DISTRICT], "1"), (ids[COMMUNE_1], "2"), (ids[COMMUNE_2], "2"),
                                    (ids[UNCITED], "1")]
    table = pd.read_parquet(out / "lineage")
    assert set(table["root_doc_id"]) == {ids[PROVINCE]}
    expected = {(r.root_item_id, r.doc_id): (r.status, r.lost_at if isinstance(r.lost_at, str) else None)
                for r in table.itertuples()}
    assert page.lineage == expected
    assert len(expected) == 4 * table["root_item_id"].nunique()
    for item, rows in table.groupby("root_item_id"):
        kept = rows[(rows["depth"] == 1) & rows["status"].isin(["carried", "modified"])]
        below = rows[rows["depth"] >= 2]
        reached = below[below["status"].isin(["carried", "modified"])]
        assert page.lineage_counts[item] == (f"{len(kept)}/2", f"{len(reached)}/{len(below)}")
    # a root item the district left out never reaches its communes: lost at the district's file
    html = vi.lineage.read_text(encoding="utf-8")
    lost_upstream = table[(table["depth"] == 2) & (table["lost_at"] == ids[DISTRICT])]
    assert len(lost_upstream) >= 1
    assert f"mất tại {DISTRICT}" in html
    assert all(files[doc] in html for doc in table["doc_id"])


# ---------------------------------------------------------------- the workbook

@pytest.mark.slow
def test_workbook_summary_groups_plans_by_parent(routed):
    out, vi, en = routed
    t = Translator("vi")
    ws = load_workbook(vi.workbook)[t("sheet.summary")]
    heads = [c.value for c in ws[HEADER_ROW]]
    assert heads == summary_headers(t, routed=True)
    # the routing columns, then (appended last) the rows needing review
    assert heads[-5:-1] == route_headers(t) == ["Văn bản cấp trên", "Cách xác định", "Cần xác nhận", "Căn cứ xác định"]
    assert heads[-1] == t("col.needs_review_rows")
    rows = [[c.value for c in r] for r in ws.iter_rows(min_row=FIRST_ROW, max_row=FIRST_ROW + 6)]
    assert rows[0][1].startswith("Văn bản cấp trên 1: Số 82/KH-UBND: Truyền thông về cải cách")
    assert rows[3][1] == "Văn bản cấp trên 2: 1. ỦY BAN NHÂN DÂN HUYỆN BA TƠ (37/KH-UBND)"
    assert [r[13] for r in (rows[1], rows[2], rows[4], rows[5])] == [DISTRICT, UNCITED, COMMUNE_1, COMMUNE_2]
    docs = documents(out).set_index("doc_id")
    for r in (rows[1], rows[2], rows[4], rows[5]):
        doc = docs.loc[r[14]]
        assert r[-4] == t(f"match.{doc['reference_match']}")
        assert r[-3] == (t("yes") if doc["reference_flagged"] else t("no"))
        assert r[-2] == doc["reference_evidence_vi"]   # the workbook's language
    assert rows[2][-5].startswith("Số 82/KH-UBND") and rows[2][-3] == "Có"
    assert rows[4][-5] == rows[5][-5] == "1. ỦY BAN NHÂN DÂN HUYỆN BA TƠ (37/KH-UBND)"
    assert rows[6][1] == f"{t('total')}: 4/4"
    names = load_workbook(en.workbook).sheetnames
    assert names[:4] == ["Summary", "Matrix", "Matrix 2", "Lineage"]


@pytest.mark.slow
def test_workbook_plan_sheets_say_their_parent_and_matrices_are_per_parent(routed):
    out, vi, _ = routed
    t = Translator("vi")
    wb = load_workbook(vi.workbook)
    ids = doc_ids(out)
    note = wb[vi.sheets[ids[COMMUNE_1]]]["A2"].value
    assert "Đối chiếu với: 1. ỦY BAN NHÂN DÂN HUYỆN BA TƠ (37/KH-UBND)" in note
    assert "Cách xác định: Dẫn chiếu" in note and "Cần xác nhận" not in note
    assert "Cách xác định: Theo nội dung — ⚑ Cần xác nhận" in wb[vi.sheets[ids[UNCITED]]]["A2"].value
    second = wb[f"{t('sheet.matrix')} 2"]
    assert second["A1"].value == "Ma trận đối chiếu — Văn bản cấp trên 2: 1. ỦY BAN NHÂN DÂN HUYỆN BA TƠ (37/KH-UBND)"
    plan_heads = [c.value for c in second[HEADER_ROW]][-2:]
    assert plan_heads == ["3. ỦY BAN NHÂN DÂN XÃ BA VÌ", "4. ỦY BAN NHÂN DÂN XÃ BA ĐỘNG"]
    district_items = pd.read_parquet(out / "coverage").query("reference_doc_id == @ids[@DISTRICT]")
    assert second.max_row - HEADER_ROW == district_items["reference_item_id"].nunique()


@pytest.mark.slow
def test_workbook_lineage_sheet_lists_the_lineage_table(routed):
    out, _, en = routed
    t = Translator("en")
    ws = load_workbook(en.workbook)["Lineage"]
    assert [c.value for c in ws[HEADER_ROW]] == ["Root plan", "Item", "Text", "Plan", "File", "Level", "Path",
                                                 "Status", "Lost at"]
    rows = [[c.value for c in r] for r in ws.iter_rows(min_row=FIRST_ROW)]
    table = pd.read_parquet(out / "lineage")
    assert len(rows) == len(table)
    files = plan_files(out)
    got = {(r[2], r[4]): (r[5], r[6], r[7], r[8]) for r in rows}
    items = pd.read_parquet(out / "items").set_index("item_id")
    for r in table.itertuples():
        text = " ".join(p for p in (items.loc[r.root_item_id, "heading"], items.loc[r.root_item_id, "text"]) if p)
        lost = files[r.lost_at] if isinstance(r.lost_at, str) else None
        assert got[(text, files[r.doc_id])] == (r.depth, " → ".join(files[d] for d in r.path),
                                                 t.status(r.status), lost)
    assert all(r[0].startswith("No. 82/KH-UBND") for r in rows)
    assert any(r[6] == f"{DISTRICT} → {COMMUNE_1}" and r[8] == DISTRICT for r in rows)


# ---------------------------------------------------------------- one parent

@pytest.mark.slow
def test_one_parent_keeps_the_one_reference_index(tmp_path):
    """Two plans, one reference: no sections, no lineage; the uncited plan still warns."""
    plans = tmp_path / "plans"
    plans.mkdir()
    for name in (DISTRICT, UNCITED):
        shutil.copy(ROUTING / "plans" / name, plans / name)
    out = tmp_path / "out"
    run([str(plans)], str(ROUTING / "refs" / PROVINCE), out, CONFIG)
    result = write_report(out)
    html = result.index.read_text(encoding="utf-8")
    assert 'class="parent' not in html and "lineage.html" not in html and result.lineage is None
    assert 'id="plans"' in html and 'id="matrix"' in html and "Văn bản cấp trên 1" not in html
    assert 'class="tag flag"' not in html and "Theo nội dung" not in html
    ids = doc_ids(out)
    uncited = parse(result.plan_pages[ids[UNCITED]])
    assert uncited.alert and uncited.facts["Đối chiếu với"].startswith("Số 82/KH-UBND")
    wb = load_workbook(result.workbook)
    assert wb.sheetnames[:2] == ["Tổng hợp", "Ma trận"] and "Qua các cấp" not in wb.sheetnames
    assert [c.value for c in wb["Tổng hợp"][HEADER_ROW]] == summary_headers(Translator("vi"))
