"""The report shows the evidence of an inferred reference (issue 19, item 3).

Seeds 001 and 002 are near-copies of one template (one family, one source),
003 is drafted on its own.  With the default minimum of two sources the
consensus holds the parent's text only; with `min_support=1` it also keeps
one template's and one plan's additions, which the report marks as weakly
supported and keeps out of the coverage share (counted apart), on the pages
and in the workbook alike.
"""
from __future__ import annotations

import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook
from plandiff.align.consensus import Origin
from plandiff.align.model import AlignConfig

from plandiff.pipeline import RunConfig, run
from plandiff.report import write_report
from plandiff.report.data import WEAK_CONSENSUS, WEAK_LOW, Evidence
from plandiff.report.excel import FIRST_ROW, HEADER_ROW

SEEDS = Path(__file__).resolve().parents[1] / "data" / "seeds"
INPUTS = [SEEDS / "001_34a554ab57f69638.txt", SEEDS / "002_1beb8d28043a89b0.txt",
          SEEDS / "003_7e4f3d189ddafb3d.txt"]
# The plans as the report names them: its number (inputs in path order) and issuer.
P1, P2, P3 = "1. Ủy ban nhân dân xã Ngọk Tụ", "2. ỦY BAN NHÂN DÂN XÃ ĐĂK TÔ", "3. UBND xã Đông Trà Bồng"
HOSTILE = '<script>alert(1)</script> "&\''


@dataclass(frozen=True)
class Rendered:
    out: Path
    index: str
    pages: dict[str, str]      # source file stem prefix ("001") -> plan page
    workbook: Path


def _run(out: Path, config: RunConfig) -> Path:
    run([str(p) for p in INPUTS], "auto", out, config)
    return out


def _render(out: Path, lang: str, keep: Path) -> Rendered:
    """The report in one language; the workbook is copied aside (the next render replaces it)."""
    result = write_report(out, lang=lang)
    docs = pd.read_parquet(out / "documents")
    plans = docs[docs["role"] == "plan"]
    prefix = {d: Path(s).name[:3] for d, s in zip(plans["doc_id"], plans["source_path"], strict=True)}
    workbook = keep / f"{out.name}-{lang}.xlsx"
    shutil.copy(result.workbook, workbook)
    return Rendered(out=out, index=result.index.read_text(encoding="utf-8"),
                    pages={prefix[d]: p.read_text(encoding="utf-8") for d, p in result.plan_pages.items()},
                    workbook=workbook)


@pytest.fixture(scope="module")
def strong(tmp_path_factory) -> dict[str, Rendered]:
    """The default job: every consensus item found in two sources (the family and 003)."""
    base = tmp_path_factory.mktemp("consensus")
    out = _run(base / "strong", RunConfig(workers=1, isolate=False))
    return {lang: _render(out, lang, base) for lang in ("vi", "en")}


@pytest.fixture(scope="module")
def weak(tmp_path_factory) -> dict[str, Rendered]:
    """min_support=1: one template's and one plan's additions join the consensus."""
    base = tmp_path_factory.mktemp("consensus_weak")
    out = _run(base / "weak", RunConfig(workers=1, isolate=False, align=AlignConfig(min_support=1)))
    return {lang: _render(out, lang, base) for lang in ("vi", "en")}


def _ref_items(out: Path) -> pd.DataFrame:
    items = pd.read_parquet(out / "items")
    return items[items["support"].notna()].set_index("item_id")


def _doc(out: Path, prefix: str) -> str:
    docs = pd.read_parquet(out / "documents")
    return docs.loc[docs["source_path"].fillna("").str.contains(f"/{prefix}_"), "doc_id"].item()


def _matrix_row(index: str, item_id: str) -> str:
    return re.search(rf'<tr class="[^"]*" data-i="\d+" data-ref="{re.escape(item_id)}">(.*?)</tr>',
                     index, re.S).group(0)


def _page_row(page: str, ordinal: int) -> str:
    return re.search(rf'<tr class="[^"]*"[^>]* id="r{ordinal}">(.*?)</tr>', page, re.S).group(0)


def _sheet(path: Path, index: int) -> tuple[list, list[dict]]:
    ws = load_workbook(path).worksheets[index]
    heads = [c.value for c in ws[HEADER_ROW]]
    return heads, [dict(zip(heads, row, strict=True))
                   for row in ws.iter_rows(min_row=FIRST_ROW, values_only=True)]


# ---------------------------------------------------------------- the evidence on the index

FAMILY_LINE = {"vi": f"Các kế hoạch gần như sao chép nhau, tính là một nguồn: {P1} + {P2}",
               "en": f"Plans that are near-copies of one another, counted as one source: {P1} + {P2}"}


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_index_names_the_template_family(strong, lang):
    assert f'<b class="family">{FAMILY_LINE[lang]}</b>' in strong[lang].index


def test_index_shows_each_items_sources_levels_wordings_origin_and_confidence(strong):
    out = strong["vi"].out
    refs = _ref_items(out)
    assert set(refs["consensus_origin"]) == {"parent"}
    item_id = refs.index[refs["wording_variants"] == 3][0]
    expected = {
        "vi": ('<td class="ev" data-v="2"><details><summary>2 · <span class="tag o-parent">Văn bản gốc'
               f'</span></summary><dl><dt>Nguồn</dt><dd>{P1} + {P2} (một mẫu)</dd><dd>{P3}</dd>'
               '<dt>Cấp</dt><dd>Xã, phường</dd><dt>Số cách diễn đạt</dt><dd>3</dd>'
               '<dt>Độ tin cậy</dt><dd>0,50</dd></dl></details></td>'),
        "en": ('<td class="ev" data-v="2"><details><summary>2 · <span class="tag o-parent">parent&#39;s '
               f'text</span></summary><dl><dt>Sources</dt><dd>{P1} + {P2} (one template)</dd><dd>{P3}</dd>'
               '<dt>Levels</dt><dd>Commune</dd><dt>Wordings</dt><dd>3</dd>'
               '<dt>Confidence</dt><dd>0.50</dd></dl></details></td>'),
    }
    for lang, cell in expected.items():
        row = _matrix_row(strong[lang].index, item_id)
        assert row.startswith('<tr class="r" ')  # well supported: not marked
        assert cell in row
    # The legend names every origin, from the enum.
    for origin, (vi, en) in zip(Origin, [("Văn bản gốc", "parent&#39;s text"),
                                         ("Bổ sung của một mẫu", "one template&#39;s addition"),
                                         ("Một kế hoạch", "one plan")], strict=True):
        assert f'<span class="tag o-{origin}">{vi}</span>' in strong["vi"].index
        assert f'<span class="tag o-{origin}">{en}</span>' in strong["en"].index


def test_a_well_supported_consensus_marks_nothing_and_counts_every_item(strong):
    out = strong["vi"].out
    total = len(_ref_items(out))
    for rendered in strong.values():
        assert '<p class="weak-mark">' not in "".join(rendered.pages.values())
        assert '<tr class="r weak"' not in rendered.index
    covered = pd.read_parquet(out / "coverage")
    share = covered[covered["doc_id"] == _doc(out, "003")]["status"].isin(["carried", "modified"]).sum()
    assert f"Tỷ lệ bao quát ({share}/{total})" in strong["vi"].pages["003"]


# ---------------------------------------------------------------- plan pages: parent references, family

PARENT_REFERENCES = {
    "vi": ["Thực hiện: Quyết định số 393/QĐ-UBND ngày 14/7/2025 của Chủ tịch UBND tỉnh",
           "Thực hiện: Kế hoạch số 82/KH-UBND ngày 17/4/2025 của UBND tỉnh Quảng Ngãi",
           "Thực hiện: Quyết định số 97a/QĐ-UBND ngày 24/7/2025 của Chủ tịch UBND xã Đông Trà Bồng"],
    "en": ["Implements: Quyết định No. 393/QĐ-UBND of 14/7/2025 by Chủ tịch UBND tỉnh",
           "Implements: Kế hoạch No. 82/KH-UBND of 17/4/2025 by UBND tỉnh Quảng Ngãi",
           "Implements: Quyết định No. 97a/QĐ-UBND of 24/7/2025 by Chủ tịch UBND xã Đông Trà Bồng"],
}
FAMILY = {"vi": ("Nhóm mẫu", "Không sao chép kế hoạch nào khác: là một nguồn riêng",
                 f"Gần như sao chép {P2}: tính chung là một nguồn"),
          "en": ("Template family", "Copies no other plan: a source of its own",
                 f"A near-copy of {P2}: counted together as one source")}


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_plan_page_shows_parent_references_implements_first_and_its_family(strong, lang):
    page = strong[lang].pages["003"]
    refs = "".join(f'<li class="role-implements">{r}</li>' for r in PARENT_REFERENCES[lang])
    heading = "Văn bản cấp trên" if lang == "vi" else "Parent documents"
    assert f'<dt>{heading}</dt><dd><ul class="prefs">{refs}</ul></dd>' in page
    label, alone, copy = FAMILY[lang]
    assert f'<dt>{label}</dt><dd class="family">{alone}</dd>' in page
    assert f'<dt>{label}</dt><dd class="family">{copy}</dd>' in strong[lang].pages["001"]


# ---------------------------------------------------------------- weak items

WEAK_MARK = {"vi": {"plan": "Không đề cập — đối chiếu với nội dung chỉ một kế hoạch có",
                    "family": "Không đề cập — đối chiếu với nội dung chỉ một mẫu có"},
             "en": {"plan": "Dropped — against an item only one plan has",
                    "family": "Dropped — against an item only one template family has"}}


def _dropped(out: Path, prefix: str, origin: str) -> int:
    """Ordinal of a reference item of `origin` that the plan dropped."""
    refs = _ref_items(out)
    cov = pd.read_parquet(out / "coverage")
    cov = cov[(cov["doc_id"] == _doc(out, prefix)) & (cov["status"] == "dropped")]
    ids = [i for i in cov["reference_item_id"] if refs.at[i, "consensus_origin"] == origin]
    return int(refs.at[ids[0], "ordinal"])


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_a_verdict_against_a_weak_item_says_so(weak, lang):
    out = weak[lang].out
    # 001 leaves out an item only 003 has; 003 leaves out one only the 001/002 template has.
    for prefix, origin in (("001", "plan"), ("003", "family")):
        row = _page_row(weak[lang].pages[prefix], _dropped(out, prefix, origin))
        assert row.startswith('<tr class="r weak" ') and 'data-status="dropped"' in row
        assert f'<p class="weak-mark">{WEAK_MARK[lang][origin]}</p>' in row
    row = _matrix_row(weak[lang].index, _ref_items(out).index[0])
    assert row.startswith('<tr class="r weak" ')
    assert ("Ít căn cứ" if lang == "vi" else "Weakly supported") in row


def _shares(out: Path) -> dict[str, tuple[int, int, int, int]]:
    """Plan prefix -> (well-supported items covered, of all; weak items covered, of all)."""
    refs = _ref_items(out)
    cov = pd.read_parquet(out / "coverage")
    cov = cov.assign(strong=cov["reference_item_id"].map(refs["consensus_origin"]) == "parent",
                     covered=cov["status"].isin(["carried", "modified"]))
    shares = {}
    for prefix in ("001", "002", "003"):
        mine = cov[cov["doc_id"] == _doc(out, prefix)]
        strong, weak_rows = mine[mine["strong"]], mine[~mine["strong"]]
        shares[prefix] = (int(strong["covered"].sum()), len(strong),
                          int(weak_rows["covered"].sum()), len(weak_rows))
    return shares


def test_weak_items_are_kept_out_of_the_coverage_share_and_counted_apart(weak):
    out = weak["vi"].out
    shares = _shares(out)
    assert shares["003"] == (10, 10, 39, 103)  # the parent's text whole; 003's own items too
    for prefix, (covered, total, weak_covered, weak_total) in shares.items():
        vi, en = weak["vi"].pages[prefix], weak["en"].pages[prefix]
        assert f"Tỷ lệ bao quát ({covered}/{total})" in vi
        assert f"Reference covered ({covered}/{total})" in en
        assert f"<b>{weak_covered}/{weak_total}</b>Nội dung ít căn cứ có trong KH (tính riêng)" in vi
        assert f"<b>{weak_covered}/{weak_total}</b>Weak items in the plan (counted apart)" in en
    assert "không tính vào tỷ lệ bao quát, mà được tính riêng" in weak["vi"].index
    assert "kept out of the coverage share, and counted apart" in weak["en"].index


def test_weakness_by_origin_or_by_confidence_below_the_constant():
    assert WEAK_CONSENSUS == 0.5
    assert Evidence(support=2, origin=Origin.PARENT, confidence=0.5).weakness is None
    assert Evidence(support=2, origin=Origin.PARENT, confidence=0.49).weakness == WEAK_LOW
    assert Evidence(support=1, origin=Origin.FAMILY, confidence=0.9).weakness == "family"
    assert Evidence(support=1, origin=Origin.PLAN, confidence=None).weakness == "plan"


# ---------------------------------------------------------------- workbook

def test_workbook_matrix_carries_each_items_evidence(strong):
    out = strong["vi"].out
    refs = _ref_items(out)
    item_id = refs.index[refs["wording_variants"] == 3][0]
    text = " ".join(p for p in (refs.at[item_id, "heading"], refs.at[item_id, "text"]) if p)
    heads, rows = _sheet(strong["vi"].workbook, 1)
    assert heads[:10] == ["Phần", "Mục", "Nội dung", "Số nguồn", "Nguồn gốc", "Độ tin cậy",
                          "Các kế hoạch có nội dung", "Số cách diễn đạt", "Ít căn cứ", "Số KH không đề cập"]
    (row,) = [r for r in rows if r["Nội dung"] == text]
    assert (row["Số nguồn"], row["Nguồn gốc"], row["Độ tin cậy"], row["Các kế hoạch có nội dung"],
            row["Số cách diễn đạt"], row["Ít căn cứ"]) == (2, "Văn bản gốc", 0.5,
                                                           f"{P1} + {P2} (một mẫu)\n{P3}", 3, None)
    heads, rows = _sheet(strong["en"].workbook, 1)
    (row,) = [r for r in rows if r["Text"] == text]
    assert (row["Origin"], row["Plans carrying the item"]) == ("parent's text", f"{P1} + {P2} (one template)\n{P3}")
    # No weak item: the summary ends with the reviewers' columns, then the rows needing review.
    heads, _ = _sheet(strong["vi"].workbook, 0)
    assert heads[-2:] == ["Số dòng cần duyệt lại", "Số dòng cần xem lại"]
    note = load_workbook(strong["vi"].workbook).worksheets[0]["A2"].value
    assert f"{FAMILY_LINE['vi']}." in note


def test_workbook_marks_weak_rows_and_keeps_them_out_of_the_share(weak):
    out = weak["vi"].out
    shares = _shares(out)
    heads, rows = _sheet(weak["vi"].workbook, 0)
    assert heads[-3:] == ["Nội dung ít căn cứ có trong KH (tính riêng)", "Tổng số nội dung ít căn cứ",
                          "Số dòng cần xem lại"]
    by_file = {r["Tệp"]: r for r in rows[:-1]}
    for prefix, (covered, total, weak_covered, weak_total) in shares.items():
        (row,) = [r for f, r in by_file.items() if f.startswith(prefix)]
        assert row["Tỷ lệ bao quát"] == pytest.approx(covered / total)
        assert (row["Nội dung ít căn cứ có trong KH (tính riêng)"], row["Tổng số nội dung ít căn cứ"]) \
            == (weak_covered, weak_total)
    _, matrix = _sheet(weak["vi"].workbook, 1)
    origins = {r["Nguồn gốc"]: r["Ít căn cứ"] for r in matrix}
    assert origins == {"Văn bản gốc": None, "Bổ sung của một mẫu": "đối chiếu với nội dung chỉ một mẫu có",
                       "Một kế hoạch": "đối chiếu với nội dung chỉ một kế hoạch có"}
    # Plan 1 (seed 001): a mark on exactly the rows judged against a weak item.
    al = pd.read_parquet(out / "alignments")
    origin = al["reference_item_id"].map(_ref_items(out)["consensus_origin"])
    against_weak = int(((al["doc_id"] == _doc(out, "001")) & origin.isin(["family", "plan"])).sum())
    for lang, column in (("vi", "Ít căn cứ"), ("en", "Weakly supported")):
        heads, rows = _sheet(weak[lang].workbook, 2)
        assert heads[-3] == column  # then the verdict's confidence and needs-review columns
        assert WEAK_MARK[lang]["plan"] in {r[column] for r in rows}
        assert sum(1 for r in rows if r[column] is not None) == against_weak > 0
    ws = load_workbook(weak["vi"].workbook).worksheets[2]
    assert "Thực hiện: Kế hoạch số 82/KH-UBND ngày 17/4/2025" in ws["A2"].value
    assert f"Nhóm mẫu: Gần như sao chép {P2}: tính chung là một nguồn" in ws["A2"].value


# ---------------------------------------------------------------- older tables, hostile text

def test_tables_without_the_evidence_render_as_before(strong, tmp_path):
    """Tables of a plandiff from before template families and parent references."""
    out = tmp_path / "old"
    for name in ("documents", "items", "alignments", "coverage", "pages"):
        shutil.copytree(strong["vi"].out / name, out / name)
    for name, drop in (("items", ["support_plans", "support_levels", "wording_variants",
                                  "consensus_origin", "consensus_confidence"]),
                       ("documents", ["template_group", "decision_number", "decision_issued_on"])):
        frame = pd.read_parquet(out / name).drop(columns=drop)
        shutil.rmtree(out / name)
        (out / name).mkdir()
        frame.to_parquet(out / name / "part-0.parquet", index=False)
    result = write_report(out)
    index = result.index.read_text(encoding="utf-8")
    assert 'class="ev"' not in index and "gần như sao chép" not in index
    page = result.plan_pages[_doc(out, "003")].read_text(encoding="utf-8")
    assert "<dt>Căn cứ kế hoạch số</dt><dd>393/QĐ-UBND, 82/KH-UBND, 97a/QĐ-UBND</dd>" in page
    assert "<dt>Nhóm mẫu</dt>" not in page and '<p class="weak-mark">' not in page
    heads, _ = _sheet(result.workbook, 1)
    assert heads[3:5] == ["Số nguồn", "Số KH không đề cập"]


def test_evidence_and_parent_references_are_escaped(strong, tmp_path):
    out = tmp_path / "hostile"
    for name in ("documents", "items", "alignments", "coverage", "parent_references"):
        shutil.copytree(strong["vi"].out / name, out / name)
    refs = pd.read_parquet(out / "parent_references").assign(issuer=HOSTILE, kind=HOSTILE)
    items = pd.read_parquet(out / "items")
    inferred = items["support"].notna()
    items.loc[inferred, "support_plans"] = pd.Series([[HOSTILE]] * int(inferred.sum()),
                                                     index=items.index[inferred])
    for name, frame in (("parent_references", refs), ("items", items)):
        shutil.rmtree(out / name)
        (out / name).mkdir()
        frame.to_parquet(out / name / "part-0.parquet", index=False)
    result = write_report(out)
    escaped = "&lt;script&gt;alert(1)&lt;/script&gt; &#34;&amp;&#39;"
    page = result.plan_pages[_doc(out, "003")].read_text(encoding="utf-8")
    assert f"Thực hiện: {escaped} số 393/QĐ-UBND ngày 14/7/2025 của {escaped}" in page
    index = result.index.read_text(encoding="utf-8")
    assert f"<dd>{escaped}</dd>" in index
    assert "<script>alert" not in page + index
