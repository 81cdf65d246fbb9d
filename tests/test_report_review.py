"""The report honours the reviewers' decisions: every verdict row of the plan
pages and of the workbook says whether a reviewer signed it off, who, when and
with what note, and warns when a decision no longer applies (stale).

The tables come from real runs of the library over one seed plan and one seed
reference (plain text, in this process: a run takes well under a second), with
decisions recorded through `DecisionStore` exactly as the workbench records them.
"""
from __future__ import annotations

import re
import shutil
from dataclasses import dataclass, field, replace
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest
from conftest import seed
from openpyxl import load_workbook
from plandiff.align.model import Status
from plandiff.ingest import IngestConfig
from plandiff.parse import PlanDocument
from test_report import probe

from plandiff.decisions import Decision, DecisionStore, ReviewState, document_keys
from plandiff.pipeline import RunConfig, run
from plandiff.report import ReportResult, write_report
from plandiff.report.excel import FIRST_ROW, HEADER_ROW
from plandiff.report.i18n import Translator

# In this process, no restoration: the seeds are clean text, and the test stays fast.
CONFIG = RunConfig(workers=1, isolate=False, ingest=replace(IngestConfig(), restore_diacritics=False))
CONFIRMER = "Nguyễn Văn An"
CONFIRM_NOTE = "Đúng nội dung <script>alert('x')</script> & đủ"
CONFIRMED_AT = "2026-03-07T08:30:00.000000+00:00"
REPAIRER = "Lê Văn <b>Cường</b>"      # a name with markup: it must show as typed
REPAIRED_AT = "2026-03-09T23:59:00.000000+00:00"  # still the 9th in UTC, the report's dates
PLAN_HEADERS_VI = ["STT", "Phần", "Mục tham chiếu", "Nội dung kế hoạch tham chiếu", "Mục kế hoạch",
                   "Nội dung kế hoạch", "Đánh giá", "Thay đổi", "Mức tương đồng",
                   "Mục gần nhất bên kia (dưới ngưỡng hoặc đã ghép)"]
REVIEW_HEADERS = {"vi": ["Trạng thái duyệt", "Người duyệt", "Ngày duyệt", "Ghi chú duyệt"],
                  "en": ["Review state", "Reviewer", "Reviewed on", "Review note"]}
# The aligner's rating of each verdict, after the reviewers' columns (tests/test_report_confidence.py).
CONFIDENCE_HEADERS = {"vi": ["Độ tin cậy", "Cần xem lại"], "en": ["Confidence", "Needs review"]}


# ---------------------------------------------------------------- reading the outputs

@dataclass
class PageRow:
    """One verdict row of a plan page: its attributes and the texts of its review mark."""
    attrs: dict[str, str]
    marks: dict[str, str] = field(default_factory=dict)  # class of p.rv ("rv-reviewed" ...) -> its text
    note: str | None = None                               # the span.rv-note inside it (not in marks)


class PlanPage(HTMLParser):
    """The verdict rows (tr.r) of a plan page, with their review marks; the script tags."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.rows: list[PageRow] = []
        self.scripts = 0
        self._mark: str | None = None    # class of the p.rv being read
        self._in_note = False

    def handle_starttag(self, tag, attrs):
        a = {k: v or "" for k, v in attrs}
        classes = a.get("class", "").split()
        if tag == "script":
            self.scripts += 1
        elif tag == "tr" and "r" in classes:
            self.rows.append(PageRow(attrs=a))
        elif tag == "p" and "rv" in classes and self.rows:
            self._mark = next(c for c in classes if c != "rv")
            self.rows[-1].marks[self._mark] = ""
        elif tag == "span" and "rv-note" in classes and self._mark:
            self._in_note = True
            self.rows[-1].note = ""

    def handle_endtag(self, tag):
        if tag == "p":
            self._mark = None
        elif tag == "span":
            self._in_note = False

    def handle_data(self, data):
        if self._in_note:
            self.rows[-1].note = (self.rows[-1].note or "") + data
        elif self._mark:
            self.rows[-1].marks[self._mark] += data


def page_rows(path: Path) -> PlanPage:
    parser = PlanPage()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def rows_by_anchor(page: PlanPage) -> dict[str, PageRow]:
    """Rows that carry an id (the first row of each reference item, or of each added item)."""
    return {r.attrs["id"]: r for r in page.rows if "id" in r.attrs}


class PlansTable(HTMLParser):
    """The cells of index.html's plans table, as text, with the header's texts."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.head: list[str] = []
        self.rows: list[list[str]] = []
        self._in = False
        self._part = ""
        self._cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "table" and dict(attrs).get("id") == "plans":
            self._in = True
        if not self._in:
            return
        if tag in ("thead", "tbody", "tfoot"):
            self._part = tag
        elif tag == "tr" and self._part == "tbody":
            self.rows.append([])
        elif tag in ("th", "td"):
            self._cell = []
        elif tag == "br" and self._cell is not None:
            self._cell.append("\n")

    def handle_endtag(self, tag):
        if tag == "table":
            self._in = False
        elif self._in and tag in ("th", "td") and self._cell is not None:
            text = "".join(self._cell).strip()
            if self._part == "thead":
                self.head.append(text)
            elif self._part == "tbody":
                self.rows[-1].append(text)
            self._cell = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def plans_table(result: ReportResult) -> PlansTable:
    parser = PlansTable()
    parser.feed(result.index.read_text(encoding="utf-8"))
    return parser


def needs_review_line(out: Path, lang: str = "vi") -> str:
    """The line the index's review cell ends with when the aligner flagged rows of the
    (one) plan for review (tests/test_report_confidence.py); "" when it flagged none."""
    n = int(pd.read_parquet(out / "alignments")["needs_review"].sum())
    return "\n" + Translator(lang)("needs_review.count", n=n) if n else ""


def sheet_rows(result: ReportResult, doc_id: str) -> tuple[list[str], list[dict[str, object]]]:
    """The plan sheet's headings, and its rows as heading -> value."""
    ws = load_workbook(result.workbook)[result.sheets[doc_id]]
    heads = [c.value for c in ws[HEADER_ROW]]
    rows = [dict(zip(heads, r, strict=True))
            for r in ws.iter_rows(min_row=FIRST_ROW, values_only=True)]
    return heads, rows


# ---------------------------------------------------------------- making the run

@dataclass
class Reviewed:
    out: Path
    plan_path: Path
    doc_id: str
    reference: PlanDocument
    plan: PlanDocument
    confirmed: tuple[str, str]      # (reference item, plan item) a reviewer confirmed, with a note
    repaired: tuple[str, str]       # the reference item a reviewer paired with an added item
    orphan: str                     # the plan item that lost its counterpart to that pairing
    items: pd.DataFrame = field(repr=False, default_factory=pd.DataFrame)

    def anchor(self, ref_id: str) -> str:
        return f"r{int(self.items.at[ref_id, 'ordinal'])}"

    def full_text(self, item_id: str) -> str:
        row = self.items.loc[item_id]
        return " ".join(p for p in (row["heading"], row["text"]) if p)


def first_run(out: Path, plan_path: Path) -> tuple[PlanDocument, PlanDocument, pd.DataFrame]:
    result = run([str(plan_path)], str(seed("001")), out, CONFIG)
    (outcome,) = result.outcomes
    assert outcome.plan is not None and result.reference is not None, outcome.error
    return result.reference, outcome.plan, pd.read_parquet(out / "alignments")


def one_to_one_pairs(aligns: pd.DataFrame) -> list[tuple[str, str]]:
    """Carried pairs whose items have no other row: a decision on one touches nothing else."""
    refs = aligns["reference_item_id"].value_counts()
    items = aligns["item_id"].value_counts()
    pairs = aligns[(aligns["status"] == Status.CARRIED) & aligns["item_id"].notna()
                   & aligns["reference_item_id"].notna()]
    return [(r, i) for r, i in zip(pairs["reference_item_id"], pairs["item_id"], strict=True)
            if refs[r] == 1 and items[i] == 1]


def decide(out: Path, reference: PlanDocument, plan: PlanDocument, subject: tuple[str | None, str | None],
           outcome: tuple[str | None, str | None], status: Status, before: Status, reviewer: str,
           note: str = "", decided_at: str = "") -> Decision:
    """Record what a reviewer said of one row, keyed by the items' content as the workbench does."""
    ref_keys, plan_keys = document_keys(reference), document_keys(plan)
    assert plan.source is not None
    return DecisionStore(out).record(Decision(
        plan_sha256=plan.source.sha256, plan_path=plan.source.source_path,
        reference_key=ref_keys[outcome[0]] if outcome[0] else None,
        plan_key=plan_keys[outcome[1]] if outcome[1] else None,
        subject_reference_key=ref_keys[subject[0]] if subject[0] else None,
        subject_plan_key=plan_keys[subject[1]] if subject[1] else None,
        before_status=before, status=status, reviewer=reviewer, note=note, decided_at=decided_at))


@pytest.fixture(scope="module")
def reviewed(tmp_path_factory) -> Reviewed:
    """A run, two decisions on it (a confirmation with a note, and a re-pairing), and the re-run."""
    out = tmp_path_factory.mktemp("reviewed")
    plan_path = tmp_path_factory.mktemp("inputs") / seed("003").name
    shutil.copyfile(seed("003"), plan_path)
    reference, plan, aligns = first_run(out, plan_path)
    (confirmed, (repaired_ref, orphan), *_) = one_to_one_pairs(aligns)
    added = aligns.loc[aligns["status"] == Status.ADDED, "item_id"].iloc[0]
    decide(out, reference, plan, confirmed, confirmed, Status.CARRIED, Status.CARRIED, CONFIRMER,
           CONFIRM_NOTE, CONFIRMED_AT)
    decide(out, reference, plan, (repaired_ref, orphan), (repaired_ref, added), Status.MODIFIED,
           Status.CARRIED, REPAIRER, decided_at=REPAIRED_AT)
    run([str(plan_path)], str(seed("001")), out, CONFIG)
    assert plan.source is not None
    return Reviewed(out=out, plan_path=plan_path, doc_id=plan.doc_id, reference=reference, plan=plan,
                    confirmed=confirmed, repaired=(repaired_ref, added), orphan=orphan,
                    items=pd.read_parquet(out / "items").set_index("item_id"))


@pytest.fixture(scope="module")
def report_vi(reviewed) -> ReportResult:
    result = write_report(reviewed.out, lang="vi")
    # Each language renders into OUT/report: keep this one for the module's other tests.
    keep = reviewed.out.parent / f"{reviewed.out.name}-report-vi"
    shutil.copytree(result.report_dir, keep)
    return ReportResult(report_dir=keep, index=keep / result.index.name,
                        workbook=keep / result.workbook.name,
                        plan_pages={d: keep / p.name for d, p in result.plan_pages.items()},
                        sheets=result.sheets)


# ---------------------------------------------------------------- the tables say what the report shows

def test_the_run_applied_the_decisions(reviewed):
    al = pd.read_parquet(reviewed.out / "alignments")
    signed = al[al["review_state"] == ReviewState.REVIEWED]
    assert sorted(zip(signed["reference_item_id"], signed["item_id"], signed["reviewer"], strict=True)) \
        == sorted([(*reviewed.confirmed, CONFIRMER), (*reviewed.repaired, REPAIRER)])
    orphan = al[al["item_id"] == reviewed.orphan]
    assert orphan["status"].tolist() == [Status.ADDED] and orphan["decided_by"].tolist() == ["after_review"]


# ---------------------------------------------------------------- HTML

def test_reviewed_rows_show_reviewer_date_and_note(reviewed, report_vi):
    page = page_rows(report_vi.plan_pages[reviewed.doc_id])
    rows = rows_by_anchor(page)
    confirmed = rows[reviewed.anchor(reviewed.confirmed[0])]
    assert confirmed.attrs["data-review"] == "reviewed"
    assert confirmed.attrs["data-status"] == "carried"
    assert confirmed.marks == {"rv-reviewed": "Đã duyệt: Nguyễn Văn An, 7/3/2026"}
    assert confirmed.note == "Ghi chú: " + CONFIRM_NOTE
    repaired = rows[reviewed.anchor(reviewed.repaired[0])]
    assert repaired.attrs["data-review"] == "reviewed"
    assert repaired.attrs["data-status"] == "modified"
    assert repaired.marks == {"rv-reviewed": f"Đã duyệt: {REPAIRER}, 9/3/2026"}
    assert repaired.note is None
    # Every other row: not reviewed, and no mark but the orphan's explanation.
    others = [r for r in page.rows if r not in (confirmed, repaired)]
    assert {r.attrs["data-review"] for r in others} == {"unreviewed"}
    orphan_ordinal = int(reviewed.items.at[reviewed.orphan, "ordinal"])
    explained = [r for r in others if r.marks]
    assert [r.attrs.get("id") for r in explained] == [f"a{orphan_ordinal}"]
    assert explained[0].marks == {
        "rv-after": "Không còn mục tương ứng vì người duyệt đã ghép mục kia với mục khác"}


def test_reviewer_name_and_note_are_escaped(reviewed, report_vi):
    text = report_vi.plan_pages[reviewed.doc_id].read_text(encoding="utf-8")
    assert "Ghi chú: Đúng nội dung &lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; đủ" in text
    assert "Lê Văn &lt;b&gt;Cường&lt;/b&gt;, 9/3/2026" in text
    assert "<script>alert" not in text and "<b>Cường" not in text
    assert page_rows(report_vi.plan_pages[reviewed.doc_id]).scripts == 1  # our inline script only


def test_plan_page_counts_and_filters_by_review(reviewed, report_vi):
    page = page_rows(report_vi.plan_pages[reviewed.doc_id])
    text = report_vi.plan_pages[reviewed.doc_id].read_text(encoding="utf-8")
    total = len(page.rows)
    assert f'<div class="s-review"><b>2/{total}</b>Đã duyệt</div>' in text
    assert ('<select name="review"><option value="">Tất cả</option>'
            f'<option value="unreviewed">Chưa duyệt ({total - 2})</option>'
            '<option value="reviewed">Đã duyệt (2)</option>'
            '<option value="stale">Cần duyệt lại (0)</option></select>') in text


def test_index_gives_each_plan_its_reviewed_rows(reviewed, report_vi):
    table = plans_table(report_vi)
    (row,) = table.rows
    al = pd.read_parquet(reviewed.out / "alignments")
    assert table.head[-2] == "Đã duyệt"
    assert row[table.head.index("Đã duyệt")] == f"2/{len(al)}" + needs_review_line(reviewed.out)
    index = report_vi.index.read_text(encoding="utf-8")
    assert f'title="Đã duyệt 2/{len(al)}"' in index
    # The matrix marks the two reference items a reviewer settled, and only them.
    marked = re.findall(r'<td class="s s-\w+ rv-reviewed" data-v="\d+" title="Đã duyệt"><a href="[^"#]+#(r\d+)"',
                        index)
    assert sorted(marked) == sorted(reviewed.anchor(r) for r in (reviewed.confirmed[0], reviewed.repaired[0]))
    assert "rv-stale\" data-v" not in index


# ---------------------------------------------------------------- workbook

def test_workbook_appends_the_review_columns(reviewed, report_vi):
    heads, rows = sheet_rows(report_vi, reviewed.doc_id)
    assert heads == PLAN_HEADERS_VI + REVIEW_HEADERS["vi"] + CONFIDENCE_HEADERS["vi"]
    by_ref = {r["Nội dung kế hoạch tham chiếu"]: r for r in rows if r["Nội dung kế hoạch tham chiếu"]}
    confirmed = next(r for text, r in by_ref.items()
                     if text.split("\n")[0] == reviewed.full_text(reviewed.confirmed[0]))
    assert [confirmed[h] for h in REVIEW_HEADERS["vi"]] == ["Đã duyệt", CONFIRMER, "7/3/2026", CONFIRM_NOTE]
    assert confirmed["Đánh giá"] == "Giữ nguyên"
    repaired = next(r for text, r in by_ref.items()
                    if text.split("\n")[0] == reviewed.full_text(reviewed.repaired[0]))
    assert [repaired[h] for h in REVIEW_HEADERS["vi"]] == ["Đã duyệt", REPAIRER, "9/3/2026", None]
    assert repaired["Đánh giá"] == "Điều chỉnh"
    assert repaired["Nội dung kế hoạch"].split("\n")[0] == reviewed.full_text(reviewed.repaired[1])
    rest = [r for r in rows if r is not confirmed and r is not repaired]
    assert len(rest) == len(rows) - 2
    assert {tuple(r[h] for h in REVIEW_HEADERS["vi"]) for r in rest} == {("Chưa duyệt", None, None, None)}


def test_workbook_summary_counts_reviewed_rows(reviewed, report_vi):
    ws = load_workbook(report_vi.workbook)["Tổng hợp"]
    heads = [c.value for c in ws[HEADER_ROW]]
    # ... then, appended last, the rows needing review (tests/test_report_confidence.py).
    assert heads[-4:] == ["Trang tính", "Số dòng đã duyệt", "Số dòng cần duyệt lại", "Số dòng cần xem lại"]
    plan, total = ([c.value for c in r] for r in ws.iter_rows(min_row=FIRST_ROW))
    assert plan[-3:-1] == [2, 0] and total[-3:-1] == [2, 0]
    # The link to the plan's sheet stays on the sheet's name, not on the appended columns.
    link = ws.cell(row=FIRST_ROW, column=heads.index("Trang tính") + 1)
    assert link.value == report_vi.sheets[reviewed.doc_id]
    assert link.hyperlink is not None and link.hyperlink.target == f"#'{link.value}'!A1"


def test_english_report_labels(reviewed, report_vi):
    result = write_report(reviewed.out, lang="en")
    rows = rows_by_anchor(page_rows(result.plan_pages[reviewed.doc_id]))
    confirmed = rows[reviewed.anchor(reviewed.confirmed[0])]
    assert confirmed.marks == {"rv-reviewed": "Reviewed: Nguyễn Văn An, 7/3/2026"}
    assert confirmed.note == "Note: " + CONFIRM_NOTE
    table = plans_table(result)
    assert table.rows[0][table.head.index("Reviewed")] == report_vi_cell(report_vi).replace(
        needs_review_line(reviewed.out), needs_review_line(reviewed.out, "en"))
    heads, sheet = sheet_rows(result, reviewed.doc_id)
    assert heads[-6:] == REVIEW_HEADERS["en"] + CONFIDENCE_HEADERS["en"]
    states = [r["Review state"] for r in sheet]
    assert sorted(set(states)) == ["Not reviewed", "Reviewed"] and states.count("Reviewed") == 2


def report_vi_cell(report_vi: ReportResult) -> str:
    table = plans_table(report_vi)
    return table.rows[0][table.head.index("Đã duyệt")]


def test_every_review_state_has_words_in_both_languages():
    for lang in ("vi", "en"):
        t = Translator(lang)
        labels = [t.review(state) for state in ReviewState]
        assert all(label != f"review.{state}" for label, state in zip(labels, ReviewState, strict=True))
        assert len(set(labels)) == len(labels)
        assert t.review(None) == t.review(ReviewState.UNREVIEWED)
    assert [Translator("vi").review(s) for s in ReviewState] == ["Chưa duyệt", "Đã duyệt", "Cần duyệt lại"]
    assert [Translator("en").review(s) for s in ReviewState] == ["Not reviewed", "Reviewed", "Needs re-review"]


# ---------------------------------------------------------------- stale

def test_edited_item_makes_its_decision_stale(tmp_path):
    out = tmp_path / "out"
    plan_path = tmp_path / seed("003").name
    shutil.copyfile(seed("003"), plan_path)
    reference, plan, aligns = first_run(out, plan_path)
    items = pd.read_parquet(out / "items").set_index("item_id")
    source = plan_path.read_text(encoding="utf-8")
    # A pair whose plan item's text stands verbatim in the file, so the edit reaches it.
    ref_id, item_id = next((r, i) for r, i in one_to_one_pairs(aligns)
                           if len(items.at[i, "text"]) > 40 and source.count(items.at[i, "text"]) == 1)
    decide(out, reference, plan, (ref_id, item_id), (ref_id, item_id), Status.CARRIED, Status.CARRIED,
           CONFIRMER, "xem lại sau khi sửa")
    run([str(plan_path)], str(seed("001")), out, CONFIG)
    old = items.at[item_id, "text"]
    plan_path.write_text(source.replace(old, old + " và báo cáo kết quả hằng tháng"), encoding="utf-8")
    run([str(plan_path)], str(seed("001")), out, CONFIG)

    al = pd.read_parquet(out / "alignments")
    stale = al[al["review_state"] == ReviewState.STALE]
    assert ref_id in set(stale["reference_item_id"])
    assert (al["review_state"] == ReviewState.REVIEWED).sum() == 0  # the decision no longer applies
    # The edited file is another document: its id comes from its new content.
    docs = pd.read_parquet(out / "documents")
    (doc_id,) = docs.loc[docs["role"] == "plan", "doc_id"]
    assert doc_id != plan.doc_id
    result = write_report(out)
    page = page_rows(result.plan_pages[doc_id])
    anchor = f"r{int(items.at[ref_id, 'ordinal'])}"
    row = rows_by_anchor(page)[anchor]
    assert row.attrs["data-review"] == "stale"
    assert row.marks == {"rv-stale": "Cần duyệt lại"}
    shown = sorted(r.attrs["data-status"] for r in page.rows if r.attrs["data-review"] == "stale")
    assert shown == sorted(stale["status"])
    table = plans_table(result)
    assert table.rows[0][table.head.index("Đã duyệt")] == f"0/{len(al)}\n{len(stale)} cần duyệt lại" \
        + needs_review_line(out)
    _, rows = sheet_rows(result, doc_id)
    marked = [r for r in rows if r["Trạng thái duyệt"] == "Cần duyệt lại"]
    assert len(marked) == len(stale)
    assert any((r["Nội dung kế hoạch tham chiếu"] or "").split("\n")[0] == " ".join(
        p for p in (items.at[ref_id, "heading"], items.at[ref_id, "text"]) if p) for r in marked)
    assert all(r["Người duyệt"] is None and r["Ngày duyệt"] is None for r in marked)
    en = write_report(out, lang="en")
    assert rows_by_anchor(page_rows(en.plan_pages[doc_id]))[anchor].marks == {"rv-stale": "Needs re-review"}


# ---------------------------------------------------------------- older tables

def test_tables_without_review_columns_render_as_unreviewed(reviewed, tmp_path):
    """Tables of a plandiff from before reviews: no review columns at all."""
    out = tmp_path / "old"
    for name in ("documents", "items", "alignments", "coverage", "pages"):
        shutil.copytree(reviewed.out / name, out / name)
    for name, drop in (("alignments", ["review_state", "reviewer", "reviewed_at", "review_note"]),
                       ("coverage", ["review_state"])):
        frame = pd.read_parquet(out / name).drop(columns=drop)
        shutil.rmtree(out / name)
        (out / name).mkdir()
        frame.to_parquet(out / name / "part-0.parquet", index=False)
    result = write_report(out)
    page = page_rows(result.plan_pages[reviewed.doc_id])
    assert page.rows and {r.attrs["data-review"] for r in page.rows} == {"unreviewed"}
    # decided_by still says which rows a reviewer set; without the columns they are not signed off.
    assert not any("rv-reviewed" in r.marks or "rv-stale" in r.marks for r in page.rows)
    table = plans_table(result)
    assert table.rows[0][table.head.index("Đã duyệt")] == f"0/{len(page.rows)}" + needs_review_line(out)
    _, rows = sheet_rows(result, reviewed.doc_id)
    assert {(r["Trạng thái duyệt"], r["Người duyệt"]) for r in rows} == {("Chưa duyệt", None)}


# ---------------------------------------------------------------- in a browser

REVIEW_PROBE = """<script>
(function(){
  var select = document.querySelector('#filters select[name=review]');
  select.value = 'reviewed'; select.dispatchEvent(new Event('change', {bubbles: true}));
  var shown = Array.prototype.filter.call(document.querySelectorAll('table.filterable tbody tr.r'),
    function(r){ return !r.classList.contains('hidden'); });
  var ok = shown.length === 2 && shown.every(function(r){ return r.getAttribute('data-review') === 'reviewed'; });
  console.log(ok ? 'PROBE-OK' : 'PROBE-FAIL review filter shows ' + shown.length);
})();
</script>"""


@pytest.mark.browser
def test_review_filter_works_in_chromium(reviewed, report_vi, tmp_path):
    lines = probe(report_vi.plan_pages[reviewed.doc_id], REVIEW_PROBE, tmp_path)
    assert len(lines) == 1 and "PROBE-OK" in lines[0], lines
