"""The review workbench in a real browser (issue 17): headless Chromium, driven by
Selenium, against `plandiff review` served in a subprocess, on a run of seed 003
against seed 001.

The three scenarios of the issue, in file order, sharing one output folder:

1. a reviewer opens a plan's queue, confirms a pair with `c` and re-pairs another
   row with `1` (its first candidate), all from the keyboard;
2. the server is restarted and `plandiff run` is run again on the same inputs: both
   decisions are in `alignments`, in the HTML report and in compliance.xlsx;
3. the confirmed pair's plan item is edited in the plan file and the run repeated:
   the decision is stale, in `alignments` and on the workbench's pages.

The runs are `plandiff run`'s own steps (plandiff.pipeline.run, then the report) in
this process.  Each scenario brings about what it needs from the earlier ones itself,
so any one can run alone (`-k`).  Needs Debian's chromium and chromium-driver
(`bash scripts/setup.sh --test`).
"""
from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import seed

pytestmark = pytest.mark.browser

REVIEWER = "Nguyễn Thị Lan"
HOST = "127.0.0.1"
PLANDIFF = Path(sys.executable).with_name("plandiff")
WINDOW = (1280, 900)
READY_TIMEOUT = 30.0      # seconds for the server to answer once spawned
PAGE_TIMEOUT = 10.0       # seconds for a page to follow a key press
EDIT_PREFIX = "Khẩn trương "   # put before the decided item's text: its content key changes
PING = "/static/app.css"


# ------------------------------------------------------------------ the pieces

def chrome():
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    binary, driver = shutil.which("chromium"), shutil.which("chromedriver")
    if not binary or not driver:
        pytest.fail("chromium or chromedriver is not installed: run bash scripts/setup.sh --test")
    options = webdriver.ChromeOptions()
    options.binary_location = binary
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                f"--window-size={WINDOW[0]},{WINDOW[1]}"):
        options.add_argument(arg)
    return webdriver.Chrome(service=Service(driver), options=options)


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


class Server:
    """`plandiff review OUT` in a subprocess, on a port of its own."""

    def __init__(self, out: Path, log: Path) -> None:
        self.out, self.log = out, log
        self.port = free_port()
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}"

    def start(self) -> None:
        import httpx

        with open(self.log, "ab") as log:
            self.process = subprocess.Popen([str(PLANDIFF), "review", str(self.out), "--port", str(self.port),
                                             "--reviewer", REVIEWER], stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + READY_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                pytest.fail(f"plandiff review exited with {self.process.returncode}: {self.log.read_text()}")
            try:
                if httpx.get(self.url + PING, timeout=5).status_code == 200:
                    return
            except httpx.TransportError:
                time.sleep(0.05)
        pytest.fail(f"plandiff review did not answer within {READY_TIMEOUT:.0f} s: {self.log.read_text()}")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)
        self.process = None


@dataclass(frozen=True)
class Row:
    """A verdict row as its page showed it, and what the reviewer did with it."""
    r: str | None             # reference item id
    p: str | None             # plan item id
    status: str
    target: str | None = None         # the candidate picked (a re-pair)
    target_status: str | None = None  # the status the page proposed for it


def table(out: Path, name: str):
    import pyarrow.parquet as pq

    from plandiff.storage import DATA_FILE

    return pq.read_table(out / name / DATA_FILE).to_pandas()


def item_texts(out: Path) -> dict[str, str]:
    """item_id -> full text (heading and text), as decisions keep it."""
    items = table(out, "items")
    return {row.item_id: " ".join(x for x in (row.heading, row.text) if x) for row in items.itertuples()}


class Session:
    """One output folder, its server and a browser, shared by the scenarios."""

    def __init__(self, tmp: Path) -> None:
        self.driver = chrome()       # first: without a browser, fail before any work
        self.plan = tmp / "plans" / "ke_hoach_xa.txt"     # a copy: scenario 3 edits it
        self.plan.parent.mkdir()
        shutil.copyfile(seed("003"), self.plan)
        self.reference = seed("001")
        self.out = tmp / "out"
        self.server = Server(self.out, tmp / "server.log")
        self.decided: tuple[Row, Row] | None = None
        try:
            self.run()
            self.server.start()
        except BaseException:
            self.close()
            raise

    def close(self) -> None:
        self.driver.quit()
        self.server.stop()

    def run(self, report: bool = False) -> None:
        """What `plandiff run PLAN --reference REF --out OUT` does, in this process: spawning
        the CLI and its reading worker would cost more than the run of two text plans."""
        from plandiff.pipeline import RunConfig, run
        from plandiff.report import write_report

        result = run([self.plan], self.reference, self.out, RunConfig(workers=1, isolate=False))
        assert not result.failed, result.failed
        if report:
            write_report(self.out)

    # ------------------------------------------------------------ the browser

    def open(self, path: str) -> None:
        self.driver.get(self.server.url + path)

    def press(self, key: str) -> None:
        """A key pressed on the page, then wait for the page it leads to."""
        from selenium.webdriver.common.by import By
        from selenium.webdriver.support.ui import WebDriverWait

        before = self.driver.current_url
        self.driver.find_element(By.TAG_NAME, "body").send_keys(key)
        WebDriverWait(self.driver, PAGE_TIMEOUT).until(lambda d: d.current_url != before)

    def css(self, selector: str) -> list:
        from selenium.webdriver.common.by import By

        return self.driver.find_elements(By.CSS_SELECTOR, selector)

    def queue_url(self) -> str:
        """The plan's queue, from the plans page (the run has one plan)."""
        (link,) = self.css("table.grid a[href^='/plan/']")
        return link.get_attribute("href")

    def shown_row(self) -> Row:
        def value(name: str) -> str | None:
            return self.css(f"#decide-form input[name={name}]")[0].get_attribute("value") or None

        badge = self.css("p.summary .badge")[0].get_attribute("class")
        status = next(c.removeprefix("b-") for c in badge.split() if c.startswith("b-"))
        return Row(value("subject_r"), value("subject_p"), status)

    def candidate(self, key: int) -> tuple[str, str] | None:
        found = self.css(f"input[name=target][data-key='{key}']")
        return (found[0].get_attribute("value"), found[0].get_attribute("data-status")) if found else None

    # ------------------------------------------------------------ scenario 1, as the others need it

    def decide_with_keyboard(self) -> tuple[Row, Row]:
        """Confirm the first pair of the queue (c), then re-pair the next row whose first
        candidate is not one of that pair's items (1).  Done once per session."""
        if self.decided is not None:
            return self.decided
        self.open("/")
        self.driver.get(self.queue_url())
        first_link = self.css("tr.state-unreviewed a[href*='/verdict?']")[0]
        self.driver.get(first_link.get_attribute("href"))
        row = self.shown_row()
        while not (row.r and row.p):          # j: the next row, until a pair
            self.press("j")
            row = self.shown_row()
        confirmed = row
        self.press("c")
        row = self.shown_row()
        while (pick := self.candidate(1)) is None or pick[0] in (confirmed.r, confirmed.p):
            self.press("j")
            row = self.shown_row()
        self.press("1")
        self.decided = (confirmed, Row(row.r, row.p, row.status, pick[0], pick[1]))
        return self.decided


@pytest.fixture(scope="module")
def bench(tmp_path_factory):
    session = Session(tmp_path_factory.mktemp("review_browser"))
    try:
        yield session
    finally:
        session.close()


def expected_rows(confirmed: Row, repaired: Row) -> set[tuple[str | None, str | None, str]]:
    """(reference item, plan item, status) of the rows the two decisions make."""
    assert repaired.target is not None and repaired.target_status is not None
    if repaired.r is not None:            # the row's reference item with a plan candidate
        pair = (repaired.r, repaired.target, repaired.target_status)
    else:                                 # an added plan item with a reference candidate
        pair = (repaired.target, repaired.p, repaired.target_status)
    return {(confirmed.r, confirmed.p, confirmed.status), pair}


# ------------------------------------------------------------------ the scenarios

def test_confirm_and_repair_from_the_keyboard(bench):
    from plandiff.decisions import DecisionStore

    confirmed, repaired = bench.decide_with_keyboard()
    texts = item_texts(bench.out)
    history = DecisionStore(bench.out).history()
    assert len(history) == 2
    first, second = history
    assert {first.reviewer, second.reviewer} == {REVIEWER}

    # c: the row as it was, signed off
    assert first.status == confirmed.status == first.before_status
    assert (first.reference_key, first.plan_key) == first.subject
    assert (first.reference_text, first.plan_text) == (texts[confirmed.r], texts[confirmed.p])

    # 1: the row's item with its first candidate, at the status the page proposed
    assert second.status == repaired.target_status
    assert second.before_status == repaired.status
    if repaired.r is not None:
        assert second.reference_key == second.subject_reference_key
        assert (second.reference_text, second.plan_text) == (texts[repaired.r], texts[repaired.target])
    else:
        assert second.plan_key == second.subject_plan_key
        assert (second.reference_text, second.plan_text) == (texts[repaired.target], texts[repaired.p])

    # The queue shows both rows reviewed, by this reviewer, and no other.
    bench.open("/")
    bench.driver.get(bench.queue_url())
    reviewed = bench.css("tr.state-reviewed")
    assert len(reviewed) == 2
    assert all(REVIEWER in tr.text for tr in reviewed)


def test_decisions_survive_a_restart_and_reach_the_run_and_the_report(bench):
    import pandas as pd
    from openpyxl import load_workbook

    from plandiff.decisions import DecisionStore

    confirmed, repaired = bench.decide_with_keyboard()
    bench.server.stop()
    bench.server.start()
    bench.open("/")
    bench.driver.get(bench.queue_url())
    assert len(bench.css("tr.state-reviewed")) == 2, "the restarted workbench lost a decision"

    bench.run(report=True)
    rows = table(bench.out, "alignments")
    mine = rows[rows.decided_by == "reviewer"]
    assert set(zip(mine.reference_item_id.where(mine.reference_item_id.notna(), None),
                   mine.item_id.where(mine.item_id.notna(), None), mine.status, strict=True)) \
        == expected_rows(confirmed, repaired)
    assert list(mine.reviewer) == [REVIEWER] * 2
    assert set(mine.review_state) == {"reviewed"}
    decided_at = {pd.Timestamp(d.decided_at) for d in DecisionStore(bench.out).history()}
    assert set(mine.reviewed_at) == decided_at

    report = bench.out / "report"
    plan_pages = [p for p in report.glob("*.html") if p.name != "index.html"]
    assert plan_pages, f"no plan page in {report}"
    assert any(REVIEWER in page.read_text(encoding="utf-8") for page in plan_pages), \
        "the reviewer's name is not on the plan's page of the HTML report"

    workbook = load_workbook(report / "compliance.xlsx", read_only=True)
    cells = [(sheet.title, value) for sheet in workbook.worksheets
             for line in sheet.iter_rows(values_only=True) for value in line if value == REVIEWER]
    workbook.close()
    assert len(cells) == 2, f"the reviewer's name should sign off two verdict rows of the workbook: {cells}"


def test_an_edited_item_makes_its_decision_stale(bench):
    confirmed, repaired = bench.decide_with_keyboard()
    edited_text = item_texts(bench.out)[confirmed.p]
    items = table(bench.out, "items").set_index("item_id")
    own = items.loc[confirmed.p, "text"] or edited_text
    source = bench.plan.read_text(encoding="utf-8")
    anchor = own[:40]
    assert source.count(anchor) == 1, f"cannot find the decided item's text in the plan file: {anchor!r}"
    bench.plan.write_text(source.replace(anchor, EDIT_PREFIX + anchor[0].lower() + anchor[1:]), encoding="utf-8")
    bench.run()

    rows = table(bench.out, "alignments")
    stale = rows[rows.review_state == "stale"]
    assert len(stale) >= 1
    # The stale decision's surviving item is the reference item; its rows say so, no other row does.
    assert set(stale.reference_item_id) == {confirmed.r}
    mine = rows[rows.decided_by == "reviewer"]
    assert len(mine) == 1 and mine.iloc[0].reviewer == REVIEWER   # the re-pair still holds
    assert confirmed.r not in set(mine.reference_item_id)

    # The workbench, still running, reloads the tables and shows it too.
    bench.open("/")
    stale_cell = bench.css("table.grid tbody tr td.num")[-1]
    assert int(stale_cell.text) == len(stale)
    assert "warn" in stale_cell.get_attribute("class")
    bench.driver.get(bench.queue_url())
    (section,) = bench.css("section.stale")
    assert REVIEWER in section.text
    assert len(bench.css("tr.state-stale")) == len(stale)
