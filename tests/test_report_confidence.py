"""The report shows first the verdicts that need review (issue 15): the aligner's
`confidence` and `needs_review` on every verdict of the plan pages and the workbook.

The tables come from a real run of the library over two seed plans (003, 000)
against seed reference 001, in this process (plain text, no restoration: about a
second); both plans have rows of several statuses that need review.
"""
from __future__ import annotations

import shutil
from collections import Counter
from dataclasses import dataclass, replace
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest
from conftest import seed
from openpyxl import load_workbook
from plandiff.ingest import IngestConfig

from plandiff.pipeline import RunConfig, run
from plandiff.report import ReportResult, load_report_data, write_report
from plandiff.report.data import Item, Verdict, review_first
from plandiff.report.excel import FIRST_ROW, HEADER_ROW, NEEDS_REVIEW_FILL, confidence_headers, plan_headers
from plandiff.report.i18n import Translator, format_score

CONFIG = RunConfig(workers=1, isolate=False, ingest=replace(IngestConfig(), restore_diacritics=False))
LANGS = ("vi", "en")


# ---------------------------------------------------------------- reading the outputs

@dataclass
class Row:
    """One verdict row (tr.r) of a plan page: its attributes, the classes of the table it is
    in, and the text of its confidence mark (span.conf)."""
    attrs: dict[str, str]
    table: list[str]
    confidence: str | None = None


class Page(HTMLParser):
    """The verdict rows of a plan page in the page's order, and every id on it."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.rows: list[Row] = []
        self.ids: list[str] = []
        self._tables: list[list[str]] = []
        self._in_conf = False

    def handle_starttag(self, tag, attrs):
        a = {k: v or "" for k, v in attrs}
        classes = a.get("class", "").split()
        if "id" in a:
            self.ids.append(a["id"])
        if tag == "table":
            self._tables.append(classes)
        elif tag == "tr" and "r" in classes:
            self.rows.append(Row(attrs=a, table=self._tables[-1]))
        elif tag == "span" and "conf" in classes:
            self._in_conf = True
            self.rows[-1].confidence = ""

    def handle_endtag(self, tag):
        if tag == "table":
            self._tables.pop()
        elif tag == "span":
            self._in_conf = False

    def handle_data(self, data):
        if self._in_conf:
            self.rows[-1].confidence = (self.rows[-1].confidence or "") + data


def read_page(path: Path) -> Page:
    page = Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


def sheet(result: ReportResult, doc_id: str):
    return load_workbook(result.workbook)[result.sheets[doc_id]]


# ---------------------------------------------------------------- the run

@dataclass
class Rated:
    out: Path
    alignments: pd.DataFrame
    doc_ids: list[str]
    reports: dict[str, ReportResult]

    def rows(self, doc_id: str) -> pd.DataFrame:
        return self.alignments[self.alignments["doc_id"] == doc_id]

    def flagged(self, doc_id: str) -> pd.DataFrame:
        rows = self.rows(doc_id)
        return rows[rows["needs_review"]]


def _keep(result: ReportResult, keep: Path) -> ReportResult:
    """A copy of a rendered report (the next render replaces OUT/report)."""
    shutil.copytree(result.report_dir, keep)
    return ReportResult(report_dir=keep, index=keep / result.index.name, workbook=keep / result.workbook.name,
                        plan_pages={d: keep / p.name for d, p in result.plan_pages.items()},
                        sheets=result.sheets)


@pytest.fixture(scope="module")
def rated(tmp_path_factory) -> Rated:
    base = tmp_path_factory.mktemp("confidence")
    out = base / "out"
    run([str(seed("003")), str(seed("000"))], str(seed("001")), out, CONFIG)
    reports = {lang: _keep(write_report(out, lang=lang), base / f"report-{lang}") for lang in LANGS}
    al = pd.read_parquet(out / "alignments")
    docs = pd.read_parquet(out / "documents")
    ids = docs.loc[docs["role"] == "plan", "doc_id"].tolist()
    return Rated(out=out, alignments=al, doc_ids=ids, reports=reports)


def test_the_run_has_rows_to_review_of_several_statuses(rated):
    """The fixture exercises what the tests below check."""
    assert len(rated.doc_ids) == 2
    statuses: set[str] = set()
    for doc_id in rated.doc_ids:
        flagged = rated.flagged(doc_id)
        assert 0 < len(flagged) < len(rated.rows(doc_id))
        assert {"dropped", "added"} <= set(flagged["status"])
        statuses |= set(flagged["status"])
    assert "carried" in statuses   # the district plan 000: duties under offices taken as renamed


# ---------------------------------------------------------------- loading

def test_verdicts_carry_the_tables_confidence_and_needs_review(rated):
    data = load_report_data(rated.out)
    for doc_id in rated.doc_ids:
        got = Counter((v.status, v.confidence, v.needs_review) for v in data.verdicts[doc_id])
        rows = rated.rows(doc_id)
        want = Counter(zip(rows["status"], rows["confidence"].astype(float), rows["needs_review"].astype(bool),
                           strict=True))
        assert got == want
        assert data.plan(doc_id).needs_review == len(rated.flagged(doc_id))


def _verdict(n: int, confidence: float | None, needs_review: bool) -> Verdict:
    item = Item(item_id=f"i{n}", doc_id="p", ordinal=n, label=str(n), kind="task", heading="", text="x",
                part="tasks")
    return Verdict(status="added", score=0.0, changes=[], ref=None, item=item, confidence=confidence,
                   needs_review=needs_review)


def test_review_first_puts_flagged_rows_least_confident_first_then_the_rest_in_order():
    verdicts = [_verdict(0, 0.9, False), _verdict(1, 0.7, True), _verdict(2, 0.5, True),
                _verdict(3, 0.95, False), _verdict(4, 0.7, True), _verdict(5, None, True),
                _verdict(6, None, False)]
    assert [v.item.ordinal for v in review_first(verdicts)] == [5, 2, 1, 4, 0, 3, 6]
    assert review_first([]) == []


# ---------------------------------------------------------------- the plan pages

@pytest.mark.parametrize("lang", LANGS)
def test_plan_page_shows_first_the_rows_needing_review_least_confident_first(rated, lang):
    t = Translator(lang)
    for doc_id in rated.doc_ids:
        path = rated.reports[lang].plan_pages[doc_id]
        page = read_page(path)
        flagged = rated.flagged(doc_id)
        n = len(flagged)
        first, rest = page.rows[:n], page.rows[n:]
        # Exactly the rows needing review, in their own table, by confidence ascending.
        assert all("review" in r.table for r in first) and not any("review" in r.table for r in rest)
        assert [float(r.attrs["data-confidence"]) for r in first] == sorted(flagged["confidence"].round(4))
        assert Counter((r.attrs["data-status"], float(r.attrs["data-confidence"])) for r in first) \
            == Counter(zip(flagged["status"], flagged["confidence"].round(4), strict=True))
        # ... then every other row once, in the compared / dropped / added tables.
        others = rated.rows(doc_id)[~rated.rows(doc_id)["needs_review"]]
        assert Counter((r.attrs["data-status"], float(r.attrs["data-confidence"])) for r in rest) \
            == Counter(zip(others["status"], others["confidence"].round(4), strict=True))
        # The group is headed, with its count, before the other sections.
        text = path.read_text(encoding="utf-8")
        heading = (f'<section class="needs-review" id="needs-review"><h2>{t("needs_review.heading")} '
                   f'(<span class="visible-count">{n}</span>/{n})</h2>')
        assert heading in text
        assert text.index(heading) < text.index(f"<h2>{t('plan.compared')} (")
        # An id per item, once on the page: the matrix's links land on the first row of the item.
        assert len(page.ids) == len(set(page.ids))


@pytest.mark.parametrize(("lang", "word"), [("vi", "độ tin cậy"), ("en", "confidence")])
def test_every_row_states_its_confidence_as_the_language_writes_numbers(rated, lang, word):
    for doc_id in rated.doc_ids:
        page = read_page(rated.reports[lang].plan_pages[doc_id])
        assert len(page.rows) == len(rated.rows(doc_id))
        for row in page.rows:
            assert row.confidence == f"{word} {format_score(float(row.attrs['data-confidence']), lang)}"
    sample = read_page(rated.reports["vi"].plan_pages[rated.doc_ids[0]]).rows[0].confidence
    assert sample is not None and "," in sample and "." not in sample


@pytest.mark.parametrize(("lang", "label"), [("vi", "Cần xem lại"), ("en", "Needs review")])
def test_plan_summary_card_counts_the_rows_needing_review(rated, lang, label):
    for doc_id in rated.doc_ids:
        n = len(rated.flagged(doc_id))
        text = rated.reports[lang].plan_pages[doc_id].read_text(encoding="utf-8")
        assert f'<div class="s-needs"><b><a href="#needs-review">{n}</a></b>{label}</div>' in text


@pytest.mark.parametrize("lang", LANGS)
def test_index_review_cell_links_each_plan_to_its_rows_needing_review(rated, lang):
    t = Translator(lang)
    index = rated.reports[lang].index.read_text(encoding="utf-8")
    for doc_id in rated.doc_ids:
        page = rated.reports[lang].plan_pages[doc_id].name
        n = len(rated.flagged(doc_id))
        assert index.count(f'<a class="rv-needs" href="{page}#needs-review">'
                           f'{t("needs_review.count", n=n)}</a>') == 1
    assert index.count('class="rv-needs"') == len(rated.doc_ids)


# ---------------------------------------------------------------- the workbook

@pytest.mark.parametrize("lang", LANGS)
def test_plan_sheets_put_the_rows_needing_review_first_and_fill_them(rated, lang):
    t = Translator(lang)
    heads = plan_headers(t)
    assert heads[-2:] == confidence_headers(t) == (
        ["Độ tin cậy", "Cần xem lại"] if lang == "vi" else ["Confidence", "Needs review"])
    conf, flag = len(heads) - 2, len(heads) - 1
    for doc_id in rated.doc_ids:
        ws = sheet(rated.reports[lang], doc_id)
        assert [c.value for c in ws[HEADER_ROW]] == heads
        rows = list(ws.iter_rows(min_row=FIRST_ROW))
        flagged = rated.flagged(doc_id)
        n = len(flagged)
        assert len(rows) == len(rated.rows(doc_id))
        assert [r[0].value for r in rows] == list(range(1, len(rows) + 1))
        assert [r[flag].value for r in rows] == [t("yes")] * n + [t("no")] * (len(rows) - n)
        assert [r[conf].value for r in rows[:n]] == sorted(flagged["confidence"].round(4))
        assert Counter((r[6].value, r[conf].value) for r in rows[:n]) \
            == Counter(zip(map(t.status, flagged["status"]), flagged["confidence"].round(4), strict=True))
        assert all(r[conf].number_format == "0.00" for r in rows)
        for r in rows[:n]:
            assert {c.fill.fgColor.rgb for c in r} == {NEEDS_REVIEW_FILL.fgColor.rgb}
        for r in rows[n:]:
            assert NEEDS_REVIEW_FILL.fgColor.rgb not in {c.fill.fgColor.rgb for c in r}
        # The rest keep the order of the sheet without a rating: by reference item, then plan item.
        data = load_report_data(rated.out)
        rest = [v for v in data.verdicts[doc_id] if not v.needs_review]
        assert [(r[6].value, r[conf].value) for r in rows[n:]] \
            == [(t.status(v.status), round(v.confidence, 4)) for v in rest]
        assert t("needs_review.count", n=n) in ws["A2"].value


@pytest.mark.parametrize("lang", LANGS)
def test_summary_counts_each_plans_rows_needing_review(rated, lang):
    t = Translator(lang)
    ws = load_workbook(rated.reports[lang].workbook)[t("sheet.summary")]
    heads = [c.value for c in ws[HEADER_ROW]]
    assert heads[-1] == t("col.needs_review_rows")
    rows = [[c.value for c in r] for r in ws.iter_rows(min_row=FIRST_ROW)]
    by_id = {r[heads.index(t("col.doc_id"))]: r[-1] for r in rows[:-1]}
    assert by_id == {d: len(rated.flagged(d)) for d in rated.doc_ids}
    assert rows[-1][-1] == int(rated.alignments["needs_review"].sum())


# ---------------------------------------------------------------- older tables

def test_tables_without_the_rating_render_as_before(rated, tmp_path):
    """Alignments of a plandiff from before the aligner rated its rows: no confidence, no needs_review."""
    out = tmp_path / "old"
    for name in ("documents", "items", "alignments", "coverage", "pages"):
        shutil.copytree(rated.out / name, out / name)
    frame = pd.read_parquet(out / "alignments").drop(columns=["confidence", "needs_review"])
    shutil.rmtree(out / "alignments")
    (out / "alignments").mkdir()
    frame.to_parquet(out / "alignments" / "part-0.parquet", index=False)
    data = load_report_data(out)
    assert all(v.confidence is None and not v.needs_review for vs in data.verdicts.values() for v in vs)
    assert all(p.needs_review == 0 for p in data.plans)
    result = write_report(out)
    t = Translator("vi")
    for doc_id in rated.doc_ids:
        text = result.plan_pages[doc_id].read_text(encoding="utf-8")
        page = read_page(result.plan_pages[doc_id])
        assert len(page.rows) == len(rated.rows(doc_id))
        assert not any("review" in r.table or "data-confidence" in r.attrs or r.confidence for r in page.rows)
        assert 'id="needs-review"' not in text
        assert f'<div class="s-needs"><b>0</b>{t("col.needs_review")}</div>' in text
        ws = sheet(result, doc_id)
        assert [c.value for c in ws[HEADER_ROW]] == plan_headers(t)
        rows = list(ws.iter_rows(min_row=FIRST_ROW, values_only=True))
        assert {r[-2:] for r in rows} == {(None, None)}
        assert [(r[6], r[8]) for r in rows] == [(t.status(v.status), round(v.score, 4))
                                               for v in data.verdicts[doc_id]]
    summary = load_workbook(result.workbook)[t("sheet.summary")]
    assert [r[-1] for r in summary.iter_rows(min_row=FIRST_ROW, values_only=True)] == [0, 0, 0]
    assert 'class="rv-needs"' not in result.index.read_text(encoding="utf-8")


def test_the_new_words_exist_in_both_languages():
    keys = ("confidence.short", "confidence.explain", "needs_review.heading", "needs_review.note",
            "needs_review.count", "col.confidence", "col.needs_review", "col.needs_review_rows")
    for key in keys:
        vi, en = Translator("vi")(key, n=2), Translator("en")(key, n=2)
        assert vi != key and en != key and vi != en
