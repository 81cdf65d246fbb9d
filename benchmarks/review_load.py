"""Load on the review workbench: two reviewers deciding at once on a 1,000-plan run.

    .venv/bin/python benchmarks/review_load.py [--plans 1000] [--items 100] [--decisions 500]
                                               [--work DIR] [--fresh] [--kill] [--phases baseline,two,kill]
    .venv/bin/python benchmarks/review_load.py --screenshots [--shots-dir docs/screenshots]

What it does.
1. Builds (or takes from --work) an output folder of `--plans` synthetic plans with
   `--items` alignable items each against an `--items` reference
   (benchmarks/make_review_out.py: plain-text plans run through plandiff.pipeline.run).
2. For each measurement, copies that folder (so each starts without decisions), starts
   the workbench as a real server, `plandiff review OUT --port P`, in a subprocess,
   and times its start (spawn until `GET /` answers).
3. Baseline: one reviewer makes `--decisions` decisions.  Then two reviewers, each a
   process with its own HTTP session (cookies, CSRF token, reviewer name), make
   `--decisions` each at the same time.  For every decision a reviewer GETs a plan's
   queue page, GETs the verdict page of the first row still to review, and POSTs a
   decision with `Accept: application/json`: confirm (half), pair with the first
   candidate (a quarter), dropped/added (a quarter).  Reviewers work on different
   plans, one decision per plan, so every queue page is a plan not opened before
   (the slowest case: its view is built on that request).
4. Checks nothing was lost: `DecisionStore(OUT).history()` holds exactly the decisions
   the POSTs acknowledged, with the ids they returned.
5. With --kill (or `kill` in --phases; --phases picks which of the three measurements
   run, default baseline,two): half-way through the two reviewers' posting the server is killed with
   SIGKILL and started again; the reviewers retry until it answers.  Every decision
   acknowledged before the kill must be in the database.  A POST in flight at the kill
   may have been committed without its answer reaching the reviewer; those are counted
   (committed, not acknowledged), not treated as lost.

Printed: server start time; p50/p95/max of queue and verdict page GETs (bar: p95 < 150 ms),
p50/p95 of POSTs; decisions per second; lost decisions (bar: 0).

--screenshots instead renders docs/screenshots/queue.png and verdict.png (1280x900,
headless Chromium through Selenium) from a run of seed 003 against seed 001.

Run it on an otherwise idle machine: it measures wall time, and the reviewers share
the machine's cores with the server (the load average is printed beside each figure).

Measured on 2026-12-04 (2 cores, other engineers' jobs running: load average 2-5), at
commit 94ffc50, `.venv/bin/python benchmarks/review_load.py --kill`; the folder was built
in 189 s (1,000 plans, 107,426 verdict rows), the rest took 5 min:

  baseline: 1 reviewer, 500 decisions in 58.5 s = 8.5 decisions/s
    server start 3.18 s; plans page 126 ms before the first decision, 138 ms after the last
    queue page p50 30.4 / p95 51.5 / max 579.3 ms; verdict page 8.7 / 20.6 / 46.5 ms;
    POST 25.2 / 62.0 / 443.3 ms; lost 0
  two reviewers: 1,000 decisions in 99.0 s = 10.1 decisions/s
    server start 4.73 s; plans page 72 ms before, 79 ms after
    queue page 37.1 / 70.5 / 1024.4 ms; verdict page 33.1 / 70.3 / 989.4 ms;
    POST 62.6 / 141.5 / 942.1 ms; 1,000 decisions in the store, the acknowledged ids; lost 0
  two reviewers, server killed after 500: 1,000 decisions in 108.2 s = 9.2 decisions/s
    restart 2.07 s; queue page p95 99.3 ms; verdict page p95 85.1 ms; POST p95 210.8 ms;
    acknowledged before the kill and missing: 0; the plans page after the restart: 10.7 s
    (no plan's view is built yet, and every plan has a decision)
"""
from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import queue
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

from make_review_out import DEFAULT_WORK, build_review_out, describe

REPO = Path(__file__).resolve().parents[1]
VENV_BIN = Path(sys.executable).parent
SEEDS = REPO / "data" / "seeds"
SHOT_PLAN, SHOT_REFERENCE = "003_", "001_"   # the seeds the screenshots show
SHOTS_DIR = REPO / "docs" / "screenshots"
WINDOW = (1280, 900)

HOST = "127.0.0.1"
READY_TIMEOUT = 120.0        # seconds for the server to answer after it is spawned (1,000 plans load first)
READY_POLL = 0.05
# Asked to see whether the server answers: cheap, unlike the plans page, which with
# many decisions in force builds every decided plan's view.
PING = "/static/app.css"
REQUEST_TIMEOUT = 60.0
RETRY_PAUSE = 0.2            # a reviewer whose server is gone waits this long before trying again
GIVE_UP_AFTER = 120.0        # ... and stops when it has been gone this long
PHASE_TIMEOUT = 3600.0       # a reviewer that has not finished after this long has hung
PLANS_PAGE_TIMEOUT = 900.0   # the plans page, once every plan has decisions: measured, however slow
PAGE_BAR_MS = 150.0          # p95 of a queue or verdict page must stay under this
KILL_AT = 0.5                # share of the decisions after which --kill kills the server
REVIEWERS = ("Nguyễn Thị Lan", "Trần Văn Bình")
# The decision mix: shares of confirm and pair; the rest mark the row dropped or added.
CONFIRM_SHARE, PAIR_SHARE = 0.50, 0.25
JSON_ACCEPT = {"Accept": "application/json"}


# ------------------------------------------------------------------ the server

def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


@dataclass
class Server:
    """`plandiff review OUT` in a subprocess."""
    out: Path
    port: int
    log: Path
    reviewer: str = "bench"
    process: subprocess.Popen | None = None
    start_seconds: float = 0.0

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}"

    def start(self) -> float:
        """Spawn the server and wait until it answers; returns the seconds that took."""
        import httpx

        t0 = time.perf_counter()
        with open(self.log, "ab") as log:
            self.process = subprocess.Popen(
                [str(VENV_BIN / "plandiff"), "review", str(self.out), "--host", HOST, "--port", str(self.port),
                 "--reviewer", self.reviewer], stdout=log, stderr=subprocess.STDOUT, cwd=REPO)
        while time.perf_counter() - t0 < READY_TIMEOUT:
            if self.process.poll() is not None:
                raise SystemExit(f"error: the workbench exited with {self.process.returncode}; see {self.log}")
            try:
                if httpx.get(self.url + PING, timeout=REQUEST_TIMEOUT).status_code == 200:
                    self.start_seconds = time.perf_counter() - t0
                    return self.start_seconds
            except httpx.TransportError:
                pass
            time.sleep(READY_POLL)
        self.stop()
        raise SystemExit(f"error: the workbench did not answer within {READY_TIMEOUT:.0f} s; see {self.log}")

    def kill(self) -> None:
        """SIGKILL: no chance to finish a request or close the database."""
        if self.process is not None:
            os.kill(self.process.pid, signal.SIGKILL)
            self.process.wait()

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill()


def fresh_copy(base: Path, dest: Path) -> Path:
    """The built folder without any decisions; times kept, so the workbench sees the
    tables in the order a run writes them."""
    if dest.exists():
        shutil.rmtree(dest)
    shutil.copytree(base, dest, ignore=shutil.ignore_patterns("decisions.sqlite*"))
    return dest


# ------------------------------------------------------------------ reading the pages

class PageParser(HTMLParser):
    """What a reviewer's client needs from the workbench's markup: the queue rows
    (state and verdict link), the decide form's fields and the candidates."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[tuple[str, str]] = []       # (state, verdict url) in queue order
        self.fields: dict[str, str] = {}            # hidden inputs of the decide form
        self.candidates: list[str] = []             # target item ids, in key order 1..3
        self.alone_action: str | None = None        # dropped or added, whichever the row allows
        self._state: str | None = None
        self._in_decide = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "tr" and a.get("class", "").startswith("state-"):
            self._state = a["class"].removeprefix("state-")
        elif tag == "a" and self._state and "/verdict?" in a.get("href", ""):
            self.rows.append((self._state, a["href"]))
            self._state = None
        elif tag == "form" and a.get("id") == "decide-form":
            self._in_decide = True
        elif tag == "input" and self._in_decide:
            if a.get("type") == "hidden":
                self.fields[a.get("name", "")] = a.get("value", "")
            elif a.get("type") == "radio" and a.get("name") == "target":
                self.candidates.append(a.get("value", ""))
        elif tag == "button" and a.get("id") == "btn-alone":
            self.alone_action = a.get("value")

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._in_decide = False


def parse_page(html: str) -> PageParser:
    parser = PageParser()
    parser.feed(html)
    return parser


# ------------------------------------------------------------------ one reviewer

@dataclass
class ReviewerResult:
    name: str
    queue_ms: list[float] = field(default_factory=list)
    verdict_ms: list[float] = field(default_factory=list)
    post_ms: list[float] = field(default_factory=list)
    acknowledged: list[tuple[int, float]] = field(default_factory=list)   # (decision id, when acknowledged)
    unanswered_posts: int = 0       # POSTs whose answer never came (the server died under them)
    errors: list[str] = field(default_factory=list)
    seconds: float = 0.0


class ServerGone(Exception):
    pass


def review(url: str, name: str, plan_urls: list[str], decisions: int, seed: int,
           start: mp.synchronize.Event | None = None, out: mp.Queue | None = None) -> ReviewerResult:
    """One reviewer: `decisions` decisions, one per plan of `plan_urls`, timing each request.
    Run in its own process (`out` receives the result) or called directly."""
    import httpx

    result = ReviewerResult(name)
    rng = random.Random(seed)
    with httpx.Client(base_url=url, timeout=REQUEST_TIMEOUT) as client:
        set_reviewer(client, name)
        if start is not None:
            start.wait()
        t0 = time.perf_counter()
        plans = iter(plan_urls)
        plan = next(plans)
        while len(result.acknowledged) < decisions:
            try:
                outcome = decide_once(client, plan, rng, result)
            except ServerGone as exc:
                if not wait_for(client, time.perf_counter() + GIVE_UP_AFTER):
                    result.errors.append(f"server gone for good: {exc}")
                    break
                continue      # the same plan again: its row may or may not have been decided
            except (RuntimeError, ValueError, KeyError) as exc:   # a page the client could not use
                result.errors.append(str(exc))
                outcome = "next"
            if outcome == "next" and len(result.acknowledged) < decisions:
                plan = next(plans, None)
                if plan is None:
                    result.errors.append("ran out of plans")
                    break
        result.seconds = time.perf_counter() - t0
    if out is not None:
        out.put(result)
    return result


def set_reviewer(client, name: str) -> None:
    """The name this browser records decisions under (the workbench's reviewer cookie)."""
    page = client.get("/")
    csrf = client.cookies.get("plandiff_csrf") or ""
    reply = client.post("/reviewer", data={"csrf_token": csrf, "reviewer": name, "back": "/"})
    if reply.status_code != 303:
        raise SystemExit(f"error: setting the reviewer's name answered {reply.status_code}: {reply.text[:200]}")
    del page


def timed_get(client, path: str, bucket: list[float]) -> str:
    import httpx

    t0 = time.perf_counter()
    try:
        reply = client.get(path)
    except httpx.TransportError as exc:
        raise ServerGone(str(exc)) from exc
    bucket.append((time.perf_counter() - t0) * 1000)
    if reply.status_code != 200:
        raise RuntimeError(f"GET {path} answered {reply.status_code}: {reply.text[:200]}")
    return reply.text


def decide_once(client, plan: str, rng: random.Random, result: ReviewerResult) -> str:
    """Queue, verdict, decision on one plan; 'next' when this plan is done."""
    import httpx

    queue_page = parse_page(timed_get(client, plan, result.queue_ms))
    todo = [href for state, href in queue_page.rows if state == "unreviewed"]
    if not todo:
        return "next"
    page = parse_page(timed_get(client, todo[0], result.verdict_ms))
    form = {k: page.fields.get(k, "") for k in ("csrf_token", "subject_r", "subject_p")}
    roll = rng.random()
    if roll < CONFIRM_SHARE or (roll < CONFIRM_SHARE + PAIR_SHARE and not page.candidates):
        form["action"] = "confirm"
    elif roll < CONFIRM_SHARE + PAIR_SHARE:
        form.update(action="pair", target=page.candidates[0])
    else:
        form["action"] = page.alone_action or "confirm"
    t0 = time.perf_counter()
    try:
        reply = client.post(plan + "/decide", data=form, headers=JSON_ACCEPT)
    except httpx.TransportError as exc:
        result.unanswered_posts += 1
        raise ServerGone(str(exc)) from exc
    result.post_ms.append((time.perf_counter() - t0) * 1000)
    if reply.status_code != 200:
        raise RuntimeError(f"POST {plan}/decide {form['action']} answered {reply.status_code}: {reply.text[:200]}")
    result.acknowledged.append((int(reply.json()["decision_id"]), time.time()))
    return "next"


def wait_for(client, deadline: float) -> bool:
    """Wait for the server to answer again (it was killed and is being restarted)."""
    import httpx

    while time.perf_counter() < deadline:
        try:
            if client.get(PING).status_code == 200:
                return True
        except httpx.TransportError:
            pass
        time.sleep(RETRY_PAUSE)
    return False


# ------------------------------------------------------------------ a measurement

def plans_page(server: Server, timeout: float = REQUEST_TIMEOUT) -> tuple[list[str], float]:
    """The plans' queue URLs, in the order of the plans page, and the ms the page took."""
    import httpx

    t0 = time.perf_counter()
    reply = httpx.get(server.url + "/", timeout=timeout)
    ms = (time.perf_counter() - t0) * 1000
    reply.raise_for_status()
    return [href for href in _links(reply.text) if href.startswith("/plan/")], ms


def _links(html: str) -> list[str]:
    class Links(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.hrefs: list[str] = []

        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            href = dict(attrs).get("href")
            if tag == "a" and href:
                self.hrefs.append(href)
    parser = Links()
    parser.feed(html)
    return parser.hrefs


@dataclass
class Measurement:
    label: str
    reviewers: list[ReviewerResult]
    seconds: float
    start_seconds: float
    in_store: list[int]
    plans_page_ms: tuple[float, float]      # the plans page before the first and after the last decision
    load: float                             # the machine's 1-minute load average at the end: others' work
    killed_at: float | None = None
    restart_seconds: float | None = None

    def all(self, attr: str) -> list[float]:
        return [x for r in self.reviewers for x in getattr(r, attr)]


def measure(base_out: Path, run_dir: Path, label: str, reviewers: int, decisions: int,
            kill: bool = False) -> Measurement:
    from plandiff.decisions import DecisionStore

    folder = run_dir / "-".join(label.replace(",", "").split())
    out = fresh_copy(base_out, folder / "out")
    server = Server(out, free_port(), folder / "server.log")
    start_seconds = server.start()
    try:
        urls, first_ms = plans_page(server)
        needed = reviewers * decisions
        if len(urls) < needed:
            raise SystemExit(f"error: {len(urls)} plans, {needed} decisions need one plan each")
        go = mp.Event()
        results: mp.Queue = mp.Queue()
        # Each reviewer its share of the plans; one that errs on a plan goes on with the next.
        procs = [mp.Process(target=review, args=(server.url, REVIEWERS[n % len(REVIEWERS)], urls[n::reviewers],
                                                 decisions, n, go, results))
                 for n in range(reviewers)]
        for p in procs:
            p.start()
        time.sleep(1.0)    # each reviewer has opened its session; then all start together
        t0 = time.perf_counter()
        go.set()
        killed_at = restart_seconds = None
        if kill:
            store = DecisionStore(out)
            while int(store.digest().split(":")[0]) < needed * KILL_AT and any(p.is_alive() for p in procs):
                time.sleep(0.05)
            server.kill()
            killed_at = time.time()
            restart_seconds = server.start()
        collected = []
        for _ in procs:
            try:
                collected.append(results.get(timeout=PHASE_TIMEOUT))
            except queue.Empty:
                raise SystemExit(f"error: a reviewer gave no result within {PHASE_TIMEOUT:.0f} s") from None
        seconds = time.perf_counter() - t0
        for p in procs:
            p.join()
        # After a restart no plan's view is built yet: the plans page builds every decided plan's.
        last_ms = plans_page(server, PLANS_PAGE_TIMEOUT)[1]
    finally:
        server.stop()
    in_store = [d.decision_id or 0 for d in DecisionStore(out).history()]
    return Measurement(label, sorted(collected, key=lambda r: r.name), seconds, start_seconds, in_store,
                       (first_ms, last_ms), os.getloadavg()[0], killed_at, restart_seconds)


# ------------------------------------------------------------------ figures

def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100); nan for no values."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * len(ordered) + 0.5) - 1))]


def report(m: Measurement) -> bool:
    """Print one measurement's figures; True when its bars are met."""
    acked = [i for r in m.reviewers for i, _ in r.acknowledged]
    stored = set(m.in_store)
    lost = [i for i in acked if i not in stored]
    extra = len(stored) - len(set(acked))
    errors = [e for r in m.reviewers for e in r.errors]
    queue, verdict, post = m.all("queue_ms"), m.all("verdict_ms"), m.all("post_ms")
    print(f"\n{m.label}: {len(m.reviewers)} reviewer(s), {len(acked)} decisions acknowledged in {m.seconds:.1f} s "
          f"= {len(acked) / m.seconds:.1f} decisions/s (load average {m.load:.1f} on {os.cpu_count()} cores)")
    print(f"  server start (spawn to answering): {m.start_seconds:.2f} s; plans page: {m.plans_page_ms[0]:.0f} ms "
          f"before the first decision, {m.plans_page_ms[1]:.0f} ms after the last")
    print(f"  {'request':<14}{'n':>6}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}")
    for name, values in (("queue page", queue), ("verdict page", verdict), ("POST decide", post)):
        print(f"  {name:<14}{len(values):>6}{percentile(values, 50):>9.1f}{percentile(values, 95):>9.1f}"
              f"{max(values, default=float('nan')):>9.1f}")
    for r in m.reviewers:
        print(f"    {r.name}: {len(r.acknowledged)} decisions in {r.seconds:.1f} s, "
              f"queue p95 {percentile(r.queue_ms, 95):.1f} ms, verdict p95 {percentile(r.verdict_ms, 95):.1f} ms")
    ids_match = sorted(acked) == sorted(stored) if m.killed_at is None else not lost
    print(f"  decisions in the store: {len(stored)}; acknowledged ids all there: {not lost}; "
          f"same ids as acknowledged: {sorted(acked) == sorted(stored)}; lost: {len(lost)}")
    if m.killed_at is not None:
        before = [i for r in m.reviewers for i, when in r.acknowledged if when < m.killed_at]
        unanswered = sum(r.unanswered_posts for r in m.reviewers)
        print(f"  killed (SIGKILL) after {len(before)} acknowledged decisions; restarted in "
              f"{m.restart_seconds:.2f} s; acknowledged before the kill and missing: "
              f"{len([i for i in before if i not in stored])}; POSTs cut off by the kill: {unanswered}, "
              f"committed without an answer: {extra}")
    if errors:
        print(f"  errors ({len(errors)}): " + "; ".join(errors[:5]))
    page_ok = max(percentile(queue, 95), percentile(verdict, 95)) < PAGE_BAR_MS
    print(f"  bars: page p95 < {PAGE_BAR_MS:.0f} ms: {'ok' if page_ok else 'MISSED'}; "
          f"lost = 0: {'ok' if not lost else 'MISSED'}")
    return page_ok and not lost and not errors and ids_match


# ------------------------------------------------------------------ screenshots

def chrome(window: tuple[int, int] = WINDOW):
    """Headless Debian chromium through its chromedriver."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    binary, driver = shutil.which("chromium"), shutil.which("chromedriver")
    if not binary or not driver:
        raise SystemExit("error: chromium or chromedriver is missing: run bash scripts/setup.sh --test")
    options = webdriver.ChromeOptions()
    options.binary_location = binary
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                f"--window-size={window[0]},{window[1]}", "--lang=vi"):
        options.add_argument(arg)
    return webdriver.Chrome(service=Service(driver), options=options)


def screenshots(dest: Path) -> None:
    """PNGs of a queue page and a verdict page of seed 003 against seed 001."""
    from plandiff.pipeline import run

    (plan,) = SEEDS.glob(f"{SHOT_PLAN}*.txt")
    (reference,) = SEEDS.glob(f"{SHOT_REFERENCE}*.txt")
    dest.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="plandiff-shots-") as tmp:
        out = Path(tmp) / "out"
        run([plan], reference, out)
        server = Server(out, free_port(), Path(tmp) / "server.log", reviewer="Nguyễn Thị Lan")
        server.start()
        driver = chrome()
        # The page itself WINDOW large (the window's own bars would take some of it).
        driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                               {"width": WINDOW[0], "height": WINDOW[1], "deviceScaleFactor": 1, "mobile": False})
        try:
            queue_url = plans_page(server)[0][0]
            driver.get(server.url + queue_url)
            driver.save_screenshot(str(dest / "queue.png"))
            first = next(href for state, href in parse_page(driver.page_source).rows if state == "unreviewed")
            driver.get(server.url + first)
            driver.save_screenshot(str(dest / "verdict.png"))
        finally:
            driver.quit()
            server.stop()
    print(f"wrote {dest / 'queue.png'} and {dest / 'verdict.png'} ({WINDOW[0]}x{WINDOW[1]})")


# ------------------------------------------------------------------ main

def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--plans", type=int, default=1000)
    ap.add_argument("--items", type=int, default=100)
    ap.add_argument("--decisions", type=int, default=500, help="decisions per reviewer")
    ap.add_argument("--work", type=Path, default=DEFAULT_WORK, help="where the built folder and runs are kept")
    ap.add_argument("--fresh", action="store_true", help="rebuild the output folder even if cached")
    ap.add_argument("--phases", default="baseline,two",
                    help="comma-separated, in this order: baseline (one reviewer), two (two reviewers), "
                         "kill (two reviewers, the server killed and restarted mid-way)")
    ap.add_argument("--kill", action="store_true", help="the kill phase as well (same as adding it to --phases)")
    ap.add_argument("--screenshots", action="store_true", help="only write docs/screenshots/*.png")
    ap.add_argument("--shots-dir", type=Path, default=SHOTS_DIR)
    args = ap.parse_args(argv)
    if args.screenshots:
        screenshots(args.shots_dir)
        return 0

    built = build_review_out(args.work, args.plans, args.items, fresh=args.fresh)
    shape = describe(built.out)
    print(f"output folder: {built.out} ({'cached; ' if built.cached else ''}built in {built.seconds:.1f} s "
          f"+ {built.texts_seconds:.1f} s of texts = {args.plans / built.seconds:.1f} plans/s)")
    print(f"  {shape}")
    run_dir = args.work / "runs"
    ok = True
    phases = set(args.phases.split(",")) | ({"kill"} if args.kill else set())
    unknown = phases - {"baseline", "two", "kill"}
    if unknown:
        ap.error(f"unknown phases {sorted(unknown)}")
    if "baseline" in phases:
        ok &= report(measure(built.out, run_dir, "baseline", 1, args.decisions))
    if "two" in phases:
        ok &= report(measure(built.out, run_dir, "two reviewers", 2, args.decisions))
    if "kill" in phases:
        ok &= report(measure(built.out, run_dir, "two reviewers, server killed", 2, args.decisions, kill=True))
    print("\nall bars met" if ok else "\nSOME BARS MISSED (see above)")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
