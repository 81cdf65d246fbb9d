"""The reviewer report (OUT/report/): HTML pages and workbook, checked against the tables.

Tables come from real runs of the pipeline over seed texts (fast, no OCR);
one test also renders the default job over data/samples.
"""
from __future__ import annotations

import ast
import datetime
import html
import re
import shutil
import subprocess
import unicodedata
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest
from conftest import FIXTURES, seed
from openpyxl import load_workbook
from plandiff.align.model import Status

import plandiff.report
from plandiff.cli import main
from plandiff.errors import StorageError
from plandiff.report import ReportError, write_report
from plandiff.report.assets import CSS, STATUS_COLOURS
from plandiff.report.data import Item, Plan, ReportData, Verdict, cell_status
from plandiff.report.diff import word_diff
from plandiff.report.excel import FIRST_ROW, HEADER_ROW, matrix_lead_headers, plan_headers, sheet_title, summary_headers
from plandiff.report.html import write_html
from plandiff.report.i18n import Translator, format_date, format_percent, format_score
from plandiff.report.templating import environment

SCRIPT_PLAN = FIXTURES / "report" / "script_plan.txt"
STATUSES = ("carried", "modified", "dropped", "added")


# ---------------------------------------------------------------- fixtures

@pytest.fixture(scope="module")
def seed_run(tmp_path_factory):
    """Three seeds and the markup fixture, auto reference, no restoration; report in Vietnamese."""
    out = tmp_path_factory.mktemp("report_run")
    broken = tmp_path_factory.mktemp("broken") / "broken.pdf"
    broken.write_text("not a PDF <script>alert(9)</script>", encoding="utf-8")
    inputs = [str(seed("001")), str(seed("003")), str(seed("004")), str(SCRIPT_PLAN), str(broken)]
    code = main(["run", *inputs, "--out", str(out), "--no-restore", "--quiet", "--workers", "1"])
    assert code == 1  # broken.pdf failed; everything else is written
    result = write_report(out)
    return out, result


def tables(out: Path) -> dict[str, pd.DataFrame]:
    return {name: pd.read_parquet(out / name) for name in ("documents", "items", "alignments")}


def expected_matrix(out: Path) -> dict[tuple[str, str], str]:
    """(reference item, plan) -> status, straight from the alignments table."""
    al = pd.read_parquet(out / "alignments")
    al = al[al["reference_item_id"].notna()]
    grouped = al.groupby(["reference_item_id", "doc_id"])["status"].agg(set)
    return {key: cell_status(value) for key, value in grouped.items()}


def plan_ids(out: Path) -> list[str]:
    docs = pd.read_parquet(out / "documents")
    docs = docs[(docs["role"] == "plan") & (docs["status"] == "ok")]
    return docs.sort_values(["source_path", "doc_id"])["doc_id"].tolist()


class Cells(HTMLParser):
    """Collects the matrix cells (<td data-doc data-status> inside a row with data-ref),
    the script and link tags, and every src/href of the page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.cells: dict[tuple[str, str], str | None] = {}
        self.scripts = 0
        self.urls: list[str] = []
        self.lang: str | None = None
        self.links = 0
        self._table: list[str | None] = []
        self._ref: str | None = None
        self._docs: list[str] = []  # plan of each matrix column, from the headings
        self._col = 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "html":
            self.lang = a.get("lang")
        if tag == "script":
            self.scripts += 1
        if tag == "link":
            self.links += 1
        self.urls += [a[k] for k in ("src", "href") if a.get(k)]
        if tag == "table":
            self._table.append(a.get("id"))
        in_matrix = bool(self._table) and self._table[-1] == "matrix"
        if in_matrix and tag == "th" and "data-doc" in a:
            self._docs.append(a["data-doc"])
        if in_matrix and tag == "tr":
            self._ref, self._col = a.get("data-ref"), 0
        classes = (a.get("class") or "").split()
        if in_matrix and tag == "td" and self._ref and "s" in classes:
            status = next(c[2:] for c in classes if c.startswith("s-"))
            self.cells[(self._ref, self._docs[self._col])] = None if status == "none" else status
            self._col += 1

    def handle_endtag(self, tag):
        if tag == "table" and self._table:
            self._table.pop()


def parse_html(path: Path) -> Cells:
    parser = Cells()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


# ---------------------------------------------------------------- HTML

def test_report_files_named_from_ids(seed_run):
    out, result = seed_run
    names = sorted(p.name for p in result.report_dir.iterdir())
    docs = pd.read_parquet(out / "documents")
    ids = docs.loc[docs["role"] == "plan", "doc_id"].tolist()
    pages = [result.plan_pages[d].name for d in ids]
    assert names == sorted(["index.html", "compliance.xlsx", *pages])
    for doc_id in ids:
        assert re.fullmatch(r"plan-[A-Za-z0-9_-]+\.html", result.plan_pages[doc_id].name)
        assert doc_id.replace(":", "_") in result.plan_pages[doc_id].name


def test_index_matrix_has_the_tables_cells(seed_run):
    out, result = seed_run
    parsed = parse_html(result.index)
    expected = expected_matrix(out)
    assert parsed.cells == expected
    assert {doc for _, doc in parsed.cells} == set(plan_ids(out))


def test_pages_are_self_contained_vietnamese_utf8(seed_run):
    _, result = seed_run
    for path in [result.index, *result.plan_pages.values()]:
        text = path.read_text(encoding="utf-8")
        parsed = parse_html(path)
        assert parsed.lang == "vi"
        assert '<meta charset="utf-8">' in text
        assert parsed.links == 0 and parsed.scripts == 1  # our inline script only
        assert not [u for u in parsed.urls if re.match(r"(?i)(https?:)?//", u)], path
        assert "@import" not in text and "url(" not in text
        assert '"Times New Roman","Liberation Serif","Noto Serif"' in text
    index = result.index.read_text(encoding="utf-8")
    for word in ("Giữ nguyên", "Điều chỉnh", "Không đề cập", "Bổ sung", "SUY LUẬN", "Chú giải"):
        assert word in index


def test_plan_text_with_markup_renders_escaped(seed_run):
    out, result = seed_run
    docs = pd.read_parquet(out / "documents")
    (doc_id,) = docs.loc[docs["source_path"].str.endswith("script_plan.txt"), "doc_id"]
    items = pd.read_parquet(out / "items")
    assert items.loc[items["doc_id"] == doc_id, "text"].str.contains("<script>alert(1)</script>",
                                                                    regex=False).any()
    page = result.plan_pages[doc_id].read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<script>alert" not in page and "<img" not in page and "<b>đậm" not in page
    assert parse_html(result.plan_pages[doc_id]).scripts == 1
    for path in [result.index, *result.plan_pages.values()]:
        assert "<script>alert" not in path.read_text(encoding="utf-8")


def test_failed_document_listed_with_its_error(seed_run):
    out, result = seed_run
    docs = pd.read_parquet(out / "documents")
    failed = docs[docs["status"] == "failed"].iloc[0]
    index = result.index.read_text(encoding="utf-8")
    assert 'class="r failed"' in index
    assert html.escape(failed["error"], quote=True) in index
    assert result.plan_pages[failed["doc_id"]].exists()
    assert "<script>alert(9)" not in index


def test_plan_page_lists_every_alignment_row(seed_run):
    out, result = seed_run
    al = pd.read_parquet(out / "alignments")
    for doc_id in plan_ids(out):
        html = result.plan_pages[doc_id].read_text(encoding="utf-8")
        rows = Counter(re.findall(r'<tr class="r" data-i="\d+" data-status="(\w+)"', html))
        assert rows == Counter(al.loc[al["doc_id"] == doc_id, "status"])
        # Every dropped or added row naming a closest item shows it, and no other row does.
        shown = html.count('<p class="closest">')
        assert shown == al.loc[al["doc_id"] == doc_id, "candidate_item_id"].notna().sum()


def test_word_diff_respects_diacritics_and_escapes():
    old, new = word_diff("Cộng hòa xã hội <b>", "Cộng hoa xã hội mới <b>")
    assert old == "Cộng <del>hòa</del> xã hội &lt;b&gt;"
    assert new == "Cộng <ins>hoa</ins> xã hội <ins>mới</ins> &lt;b&gt;"
    # NFD input equals its NFC form: no spurious difference
    same_old, same_new = word_diff("Quảng Ngãi", unicodedata.normalize("NFD", "Quảng Ngãi"))
    assert "<del>" not in same_old and "<ins>" not in same_new


# ---------------------------------------------------------------- templates, on hand-built data

HOSTILE = "<script>alert(1)</script> \"&'"


class PageText(HTMLParser):
    """What a reader sees of a page: its text and attribute values with character references
    decoded (our inline style and script left out), and the number of script elements."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.scripts = 0
        self._skip = False

    def handle_starttag(self, tag, attrs):
        self.scripts += tag == "script"
        self._skip = tag in ("script", "style")
        self.text += [v for _, v in attrs if v]

    def handle_endtag(self, tag):
        self._skip = False

    def handle_data(self, data):
        if not self._skip:
            self.text.append(data)


def hostile_data(out_dir: Path) -> ReportData:
    """One plan whose every text field (and the reference's) carries markup and quotes."""
    def item(doc_id, ordinal, text, **attributes):
        return Item(item_id=f"{doc_id}:{ordinal}", doc_id=doc_id, ordinal=ordinal, label=f"{ordinal}.",
                    kind="task", heading="", text=text, part="tasks", **attributes)

    ref = item("ref", 1, f"Tuyên truyền {HOSTILE} năm 2025", lead=f"Sở {HOSTILE}")
    paired = item("p", 1, f"Tuyên truyền {HOSTILE} năm 2026", lead="Văn phòng")
    dropped = item("ref", 2, f"Hội nghị {HOSTILE}", support=3)
    added = item("p", 2, f"Cuộc thi {HOSTILE}", partners=[HOSTILE])
    plan = Plan(doc_id="p", number=1, slug="p", source_path=f"in/{HOSTILE}.txt", issuer=f"UBND {HOSTILE}",
                title=f"Kế hoạch {HOSTILE}", plan_number=HOSTILE, issued_on=None, admin_level="commune",
                text_source="plain_text", pages=1, status="ok", error=None, place=HOSTILE, signer=HOSTILE,
                parent_refs=[HOSTILE], counts={"modified": 1, "dropped": 1, "added": 1}, covered=1, ref_total=2)
    verdicts = [Verdict("modified", 0.8, ["lead", "text"], ref, paired),
                Verdict("dropped", 0.0, [], dropped, None, candidate=paired, candidate_score=0.3),
                Verdict("added", 0.0, [], None, added, candidate=ref, candidate_score=0.2)]
    return ReportData(out_dir=out_dir, reference=None, plans=[plan], matrix=[], verdicts={"p": verdicts})


def test_document_text_with_markup_and_quotes_renders_escaped(tmp_path):
    data = hostile_data(tmp_path)
    write_html(data, tmp_path, Translator("vi"))
    page = (tmp_path / data.plans[0].page_name).read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &#34;&amp;&#39;" in page
    assert "<script>alert" not in page and "\"&'" not in page
    assert "&amp;lt;" not in page and "&amp;#" not in page  # escaped once, not twice
    seen = PageText()
    seen.feed(page)
    assert seen.scripts == 1  # our inline script, nothing from the document
    text = "".join(seen.text)
    # title, facts, both sides of the pair (word diff), attributes, changes, dropped, added, closest
    for shown in (f"Kế hoạch {HOSTILE}", f"UBND {HOSTILE}", f"Tuyên truyền {HOSTILE} năm",
                  f"Sở {HOSTILE}", f"Hội nghị {HOSTILE}", f"Cuộc thi {HOSTILE}"):
        assert shown in text, shown
    assert text.count(HOSTILE) >= 12
    index = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert "<script>alert" not in index and f"UBND {html.escape(HOSTILE)}" not in index
    assert "UBND &lt;script&gt;alert(1)&lt;/script&gt; &#34;&amp;&#39;" in index


def test_template_environment_stands_alone():
    env = environment("en")
    assert env.from_string("{{ x }} {{ 0.655|percent }}").render(x="<b>") == "&lt;b&gt; 66%"
    assert environment("vi").from_string("{{ 0.6517|score }} {{ 'dropped'|status_label }}").render() \
        == "0,65 Không đề cập"
    with pytest.raises(Exception, match="undefined"):
        env.from_string("{{ missing }}").render()


def test_every_status_has_words_and_colours():
    assert set(STATUS_COLOURS) == {*Status, None}
    for lang in ("vi", "en"):
        t = Translator(lang)
        for status in Status:
            for key in (f"status.{status}", f"code.{status}", f"explain.{status}"):
                assert t(key) != key, (lang, key)
    for status in Status:
        assert f".s-{status}{{" in CSS and f".b-{status}{{" in CSS


def report_import_graph() -> dict[str, set[str]]:
    """module -> the modules of plandiff/report it imports (anywhere, functions included)."""
    package = Path(plandiff.report.__file__).parent
    modules = {p.stem for p in package.glob("*.py")}
    graph: dict[str, set[str]] = {}
    for path in package.glob("*.py"):
        found: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                if node.level == 1:
                    base = [node.module.split(".")[0]] if node.module else []
                elif node.level == 0 and (node.module or "").startswith("plandiff.report"):
                    base = (node.module or "").split(".")[2:3]
                else:
                    continue
                # `from . import name` and `from plandiff.report import name` name a module or
                # something of the package's __init__
                found.update(base or [a.name if a.name in modules else "__init__" for a in node.names])
            elif isinstance(node, ast.Import):
                found.update(a.name.split(".")[2] for a in node.names if a.name.startswith("plandiff.report."))
        graph[path.stem] = (found & modules) - {path.stem}
    return graph


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    done: set[str] = set()

    def visit(node: str, path: list[str]) -> list[str] | None:
        if node in path:
            return path[path.index(node):] + [node]
        if node in done:
            return None
        for nxt in sorted(graph.get(node, ())):
            cycle = visit(nxt, path + [node])
            if cycle:
                return cycle
        done.add(node)
        return None

    return next((c for c in (visit(n, []) for n in sorted(graph)) if c), None)


def test_report_modules_import_no_cycle():
    graph = report_import_graph()
    assert {"html", "html_index", "html_plan", "templating", "data"} <= set(graph)
    assert "templating" in graph["html_plan"] or "templating" in graph["html"]
    assert find_cycle(graph) is None, " -> ".join(find_cycle(graph) or [])
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]


def test_dates_and_numbers_written_the_vietnamese_way():
    assert format_date(datetime.date(2025, 4, 17)) == "17/4/2025"
    assert format_date(datetime.date(2024, 12, 4)) == "4/12/2024"
    assert format_date(None) == ""
    assert format_percent(0.655, "vi") == "66%" and format_score(0.6517, "vi") == "0,65"
    assert format_score(0.6517, "en") == "0.65"


@pytest.mark.slow
def test_given_reference_is_not_marked_inferred(tmp_path):
    out = tmp_path / "out"
    code = main(["run", str(seed("001")), str(seed("003")), "--reference", str(seed("004")),
                 "--out", str(out), "--no-restore", "--quiet", "--workers", "1"])
    assert code == 0
    result = write_report(out)
    index = result.index.read_text(encoding="utf-8")
    assert "SUY LUẬN" not in index and 'class="ref inferred"' not in index
    assert parse_html(result.index).cells == expected_matrix(out)


def test_english_report(seed_run, tmp_path):
    out, _ = seed_run
    copy = tmp_path / "out"
    shutil.copytree(out, copy, ignore=shutil.ignore_patterns("report"))
    result = write_report(copy, lang="en")
    text = result.index.read_text(encoding="utf-8")
    assert parse_html(result.index).lang == "en"
    assert "Carried over" in text and "INFERRED" in text and "Giữ nguyên" not in text
    wb = load_workbook(result.workbook)
    assert wb.sheetnames[:2] == ["Summary", "Matrix"]


def test_rerendering_gives_the_same_pages(seed_run, tmp_path):
    out, result = seed_run
    before = {p.name: p.read_bytes() for p in result.report_dir.glob("*.html")}
    again = write_report(out)
    assert {p.name: p.read_bytes() for p in again.report_dir.glob("*.html")} == before
    assert not [p for p in out.iterdir() if p.name.startswith(".report")]


def test_missing_tables_raise_report_error(tmp_path):
    with pytest.raises(ReportError) as info:
        write_report(tmp_path)
    assert isinstance(info.value, StorageError)
    assert "documents" in str(info.value)
    assert not (tmp_path / "report").exists()


def test_unknown_language_is_refused(seed_run):
    out, _ = seed_run
    with pytest.raises(ReportError):
        write_report(out, lang="fr")


# ---------------------------------------------------------------- workbook

def test_workbook_summary_counts_equal_the_alignments(seed_run):
    out, result = seed_run
    t = Translator("vi")
    wb = load_workbook(result.workbook)
    ws = wb[wb.sheetnames[0]]
    assert [c.value for c in ws[HEADER_ROW]] == summary_headers(t)
    counts = pd.read_parquet(out / "alignments").groupby(["doc_id", "status"]).size()
    ids = plan_ids(out)
    docs = pd.read_parquet(out / "documents")
    col = {h: i for i, h in enumerate(summary_headers(t))}
    rows = [[c.value for c in r] for r in ws.iter_rows(min_row=FIRST_ROW)]
    by_id = {r[col[t("col.doc_id")]]: r for r in rows[:-1]}
    assert set(by_id) == set(docs.loc[docs["role"] == "plan", "doc_id"])
    for doc_id in ids:
        for status in STATUSES:
            assert by_id[doc_id][col[t.status(status)]] == counts.get((doc_id, status), 0)
    failed = docs[docs["status"] == "failed"]
    assert len(failed) == 1
    (failed_id, error), = zip(failed["doc_id"], failed["error"], strict=False)
    assert error in by_id[failed_id][col[t("col.quality")]]
    total = rows[-1]
    for status in STATUSES:
        assert total[col[t.status(status)]] == sum(counts.get((d, status), 0) for d in ids)
    assert ws.freeze_panes is not None
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.fitToWidth == 1
    assert ws.print_title_rows == f"${HEADER_ROW}:${HEADER_ROW}"


def test_workbook_matrix_cells_equal_the_statuses(seed_run):
    out, result = seed_run
    t = Translator("vi")
    wb = load_workbook(result.workbook)
    ws = wb[wb.sheetnames[1]]
    items = pd.read_parquet(out / "items").set_index("item_id")
    ids = plan_ids(out)
    expected = expected_matrix(out)
    refs = list(dict.fromkeys(r for r, _ in expected))
    lead = len(matrix_lead_headers(_data(out), t))
    label = {t.status(s): s for s in ("carried", "modified", "dropped")}
    seen = set()
    for row in ws.iter_rows(min_row=FIRST_ROW, values_only=True):
        text = row[2]
        matches = [r for r in refs if r not in seen and text == " ".join(
            p for p in (items.at[r, "heading"], items.at[r, "text"]) if p)]
        assert matches, text
        ref = matches[0]
        seen.add(ref)
        for j, doc_id in enumerate(ids):
            value = row[lead + j]
            assert label.get(value) == expected.get((ref, doc_id)), (ref, doc_id, value)
    assert seen == set(refs)
    assert ws.freeze_panes == ws.cell(row=FIRST_ROW, column=lead + 1).coordinate
    rules = [r for rng in ws.conditional_formatting for r in rng.rules]
    formulas = {r.formula[0] for r in rules}
    assert {f'"{t.status(s)}"' for s in ("carried", "modified", "dropped")} <= formulas


def _data(out: Path):
    from plandiff.report import load_report_data

    return load_report_data(out)


def test_workbook_plan_sheets_hold_every_verdict(seed_run):
    out, result = seed_run
    t = Translator("vi")
    wb = load_workbook(result.workbook)
    al = pd.read_parquet(out / "alignments")
    items = pd.read_parquet(out / "items").set_index("item_id")
    heads = plan_headers(t)
    col = {h: i for i, h in enumerate(heads)}
    for doc_id in plan_ids(out):
        ws = wb[result.sheets[doc_id]]
        assert [c.value for c in ws[HEADER_ROW]] == heads
        rows = list(ws.iter_rows(min_row=FIRST_ROW, values_only=True))
        got = Counter((r[col[t("col.status")]], r[col[t("col.plan_label")]]) for r in rows)
        mine = al[al["doc_id"] == doc_id]
        want = Counter((t.status(s), (items.at[i, "label"] or None) if isinstance(i, str) else None)
                       for s, i in zip(mine["status"], mine["item_id"], strict=False))
        assert got == want
        scores = sorted(round(float(r[col[t("col.score")]]), 4) for r in rows)
        assert scores == sorted(round(float(s), 4) for s in mine["score"])
        closest = sum(r[col[t("col.closest")]] is not None for r in rows)
        assert closest == mine["candidate_item_id"].notna().sum()
        assert ws.page_setup.orientation == "landscape"
        assert all(c.alignment.wrap_text for c in ws[FIRST_ROW][3:6])


def test_sheet_titles_are_valid_and_unique():
    taken: set[str] = set()
    names = [sheet_title("KH01 UBND xã [Đông]: Trà*Bồng/Quảng?Ngãi\\ rất dài tên", taken)
             for _ in range(12)]
    assert len(set(n.lower() for n in names)) == 12
    for name in names:
        assert len(name) <= 31 and not re.search(r"[\[\]:*?/\\]", name)


# ---------------------------------------------------------------- real browser

def chromium() -> str:
    for name in ("chromium", "chromium-browser"):
        path = shutil.which(name)
        if path:
            return path
    pytest.fail("chromium is not installed: run `bash scripts/setup.sh --test` "
                "(it installs Debian's chromium for the report tests)")


def open_in_chromium(page: Path, png: Path, profile: Path) -> str:
    """Render a page headless, write a screenshot, return Chromium's log."""
    proc = subprocess.run(
        [chromium(), "--headless", "--no-sandbox", "--disable-gpu",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--no-first-run", f"--user-data-dir={profile}", "--enable-logging=stderr", "--v=0",
         f"--screenshot={png}", "--window-size=1400,1000", page.resolve().as_uri()],
        capture_output=True, text=True, timeout=90)
    assert png.exists() and png.stat().st_size > 10_000, proc.stderr[-2000:]
    return proc.stderr


def console_errors(log: str) -> list[str]:
    return [line for line in log.splitlines()
            if ":CONSOLE" in line or "Uncaught" in line or "SyntaxError" in line]


@pytest.mark.browser
def test_report_opens_in_headless_chromium(seed_run, tmp_path):
    out, result = seed_run
    docs = pd.read_parquet(out / "documents").set_index("doc_id")
    # the index, the plan full of markup, and the failed document's page
    pages = [result.index] + [page for doc_id, page in result.plan_pages.items()
                              if docs.at[doc_id, "status"] == "failed"
                              or str(docs.at[doc_id, "source_path"]).endswith("script_plan.txt")]
    assert len(pages) == 3
    for n, page in enumerate(pages):
        log = open_in_chromium(page, tmp_path / f"shot{n}.png", tmp_path / "profile")
        assert not console_errors(log), (page.name, console_errors(log))


SORT_PROBE = """<script>
(function(){
  var th = document.querySelectorAll('#matrix thead th.nw');
  th = th[th.length - 1];  // plans dropping the item
  var col = Array.prototype.indexOf.call(th.parentNode.children, th);
  function sorted(sign){
    return Array.prototype.every.call(document.querySelectorAll('#matrix tbody'), function(b){
      var v = Array.prototype.map.call(b.querySelectorAll('tr.r'), function(r){
        return +r.children[col].getAttribute('data-v'); });
      return v.every(function(x, i){ return i === 0 || sign * (x - v[i - 1]) >= 0; });
    });
  }
  th.click(); var up = sorted(1); th.click(); var down = sorted(-1);
  console.log(up && down ? 'PROBE-OK' : 'PROBE-FAIL sort ' + up + ' ' + down);
})();
</script>"""

FILTER_PROBE = """<script>
(function(){
  var box = document.querySelector('#filters input[data-status=carried]');
  box.checked = false; box.dispatchEvent(new Event('change', {bubbles: true}));
  var rows = document.querySelectorAll('table.filterable tbody tr.r');
  var ok = Array.prototype.every.call(rows, function(r){
    return r.classList.contains('hidden') === (r.getAttribute('data-status') === 'carried'); });
  var select = document.querySelector('#filters select');
  var part = select.options[select.options.length - 1].value;
  select.value = part; select.dispatchEvent(new Event('change', {bubbles: true}));
  var ok2 = Array.prototype.every.call(rows, function(r){
    var want = r.getAttribute('data-status') !== 'carried' && r.getAttribute('data-part') === part;
    return r.classList.contains('hidden') === !want; });
  console.log(ok && ok2 && rows.length ? 'PROBE-OK' : 'PROBE-FAIL filter ' + ok + ' ' + ok2);
})();
</script>"""


def probe(page: Path, script: str, tmp_path: Path) -> list[str]:
    copy = tmp_path / f"probe-{page.name}"
    copy.write_text(page.read_text(encoding="utf-8").replace("</body>", script + "</body>"),
                    encoding="utf-8")
    log = open_in_chromium(copy, tmp_path / f"{copy.stem}.png", tmp_path / "profile")
    return console_errors(log)


@pytest.mark.browser
def test_matrix_sorts_and_plan_filters_work_in_chromium(seed_run, tmp_path):
    out, result = seed_run
    lines = probe(result.index, SORT_PROBE, tmp_path)
    assert len(lines) == 1 and "PROBE-OK" in lines[0], lines
    page = result.plan_pages[plan_ids(out)[0]]
    lines = probe(page, FILTER_PROBE, tmp_path)
    assert len(lines) == 1 and "PROBE-OK" in lines[0], lines


@pytest.mark.browser
def test_sample_data_report(sample_run, tmp_path):
    """The default job over data/samples: matrix cells, workbook matrix, Chromium, screenshot."""
    _, out = sample_run
    result = write_report(out)
    assert parse_html(result.index).cells == expected_matrix(out)
    log = open_in_chromium(result.index, tmp_path / "samples_index.png", tmp_path / "profile")
    assert not console_errors(log)
    t = Translator("vi")
    ws = load_workbook(result.workbook)[t("sheet.matrix")]
    lead = len(matrix_lead_headers(_data(out), t))
    values = Counter(v for row in ws.iter_rows(min_row=FIRST_ROW, min_col=lead + 1,
                                               values_only=True) for v in row)
    cells = Counter(t.status(s) for s in expected_matrix(out).values())
    assert values == cells
