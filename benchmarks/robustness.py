#!/usr/bin/env python3
"""Robustness benchmark: the bad-input corpus through the pipeline, the kill
test, and the PDF fuzzer for a fixed time (project issue 5).

    nice -n 10 .venv/bin/python benchmarks/robustness.py [--seconds 120]
        [--per-file-limit 60] [--memory-limit-mb 4096] [--kills 5] [--no-fuzz]
        [--only NAME ...] [--json]

1. Every case of tests/fixtures/bad/expected.json runs ALONE through the CLI
   (`python -m plandiff run inputs/NAME --reference REF --out OUT`, default
   workers) in a fresh process group, with an address-space cap
   (--memory-limit-mb) and a wall-clock limit (--per-file-limit).  Peak RSS is
   the child's (and its waited-for children's) ru_maxrss from wait4.  The two
   symlink cases run as a folder walk of a folder holding the link and one
   good plan.
2. All regular cases at once (one run, --workers 2): one documents row each.
3. Kill test: `plandiff run --force` over three seeds, SIGKILLed at seeded
   random moments --kills times; the previous tables must stay readable.
4. benchmarks/fuzz_pdf.py for --seconds (atheris; crashers go to a temporary
   folder, not to the fixtures, unless --save-crashers).

Verdicts: `ok` (the expected outcome), `WRONG` (a verdict, but not the
expected one: wrong status or an unclear error), `CRASH` (traceback on screen,
'internal error', exit status other than 0/1, no row), `HANG` (over the limit),
`LOST` (tables missing or unreadable after the run).  Bar: 0 crashes, 0 hangs,
0 lost or partial tables.
"""
from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import re
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

REPO = Path(__file__).resolve().parents[1]
BAD = REPO / "tests" / "fixtures" / "bad"
SEEDS = REPO / "data" / "seeds"
TABLES = ("documents", "items", "citations", "pages", "alignments", "coverage", "agencies",
          "parent_references")
LINKS = ("link_outside.txt", "link_dangling.txt")
TRACEBACK = "Traceback (most recent call last)"


def run_limited(cmd: list[str], cwd: Path, limit: float, memory_mb: int) -> dict:
    """Run cmd in its own process group with RLIMIT_AS; peak RSS from wait4."""
    def preexec():
        os.setsid()
        cap = memory_mb << 20
        resource.setrlimit(resource.RLIMIT_AS, (cap, cap))

    env = dict(os.environ, OMP_THREAD_LIMIT="1", PYTHONUNBUFFERED="1")
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.monotonic()
        proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=out, stderr=err, preexec_fn=preexec)
        timed_out, status, usage = False, 0, None
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.monotonic() - started > limit:
                timed_out = True
                os.killpg(proc.pid, signal.SIGKILL)
                pid, status, usage = os.wait4(proc.pid, 0)
                break
            time.sleep(0.05)
        proc.returncode = os.waitstatus_to_exitcode(status)
        with contextlib.suppress(ProcessLookupError):  # stray grandchildren (pool workers) of a killed run
            os.killpg(proc.pid, signal.SIGKILL)
        seconds = time.monotonic() - started
        out.seek(0)
        err.seek(0)
        return {"rc": proc.returncode, "timed_out": timed_out, "seconds": seconds,
                "rss_mb": usage.ru_maxrss / 1024 if usage else 0.0,
                "stdout": out.read().decode("utf-8", "replace"),
                "stderr": err.read().decode("utf-8", "replace")}


def tables_readable(out: Path) -> str | None:
    """None when every table reads; else what is wrong."""
    for name in TABLES:
        try:
            pd.read_parquet(out / name)
        except Exception as exc:  # noqa: BLE001
            return f"{name}: {type(exc).__name__}: {str(exc)[:80]}"
    return None


def rel_input(source_path: str) -> str:
    norm = os.path.normpath(source_path)
    marker = "inputs" + os.sep
    return norm.split(marker, 1)[1] if marker in norm else norm


def judge_error(error, pattern: str) -> str | None:
    if not isinstance(error, str) or not error.strip():
        return "empty error"
    if TRACEBACK in error or error.startswith("internal error"):
        return "CRASH"
    if re.search(r" object at 0x[0-9a-f]+", error) or "PDFium: Success" in error:
        return "unclear error"
    if pattern and not re.search(pattern, error, re.IGNORECASE):
        return f"error !~ /{pattern}/"
    return None


def setup_work(root: Path) -> Path:
    shutil.copytree(BAD / "inputs", root / "inputs", symlinks=True)
    shutil.copytree(BAD / "outside", root / "outside", symlinks=True)
    (root / "ref").mkdir()
    shutil.copy(sorted(SEEDS.glob("000_*.txt"))[0], root / "ref" / "reference.txt")
    return root


def one_case(work: Path, index: int, name: str, want: dict, args) -> dict:
    out = f"out_{index:02d}"
    if name in LINKS:
        folder = work / f"walk_{index:02d}"
        folder.mkdir()
        shutil.copy(work / "inputs" / "txt_no_numbering.txt", folder / "plan.txt")
        os.symlink(os.readlink(work / "inputs" / name), folder / name)
        if name == "link_outside.txt":  # same relative target from one level deeper
            (folder / name).unlink()
            os.symlink(Path("..") / "outside" / "outside_plan.txt", folder / name)
        target = [folder.name]
    else:
        target = [f"inputs/{name}"]
    cmd = [sys.executable, "-m", "plandiff", "run", *target, "--reference", "ref/reference.txt",
           "--out", out] + (["--workers", str(args.workers)] if args.workers else [])
    res = run_limited(cmd, work, args.per_file_limit, args.memory_limit_mb)
    row = {"input": name, "status": "-", "error": "", "seconds": res["seconds"],
           "rss_mb": res["rss_mb"], "verdict": "ok", "note": ""}
    screen = res["stdout"] + res["stderr"]
    if res["timed_out"]:
        row.update(verdict="HANG", note=f"killed after {args.per_file_limit:.0f} s")
        return row
    if TRACEBACK in screen or "MemoryError" in screen:
        row.update(verdict="CRASH", note="traceback on screen")
    if res["rc"] not in (0, 1):
        last = (res["stderr"].strip().splitlines() or ["?"])[-1]
        row.update(verdict="CRASH", note=f"exit {res['rc']}: {last[:90]}")
    broken = tables_readable(work / out)
    if broken:
        if row["verdict"] == "ok":
            row.update(verdict="LOST", note=broken)
        return row
    docs = pd.read_parquet(work / out / "documents")
    plans = docs[docs["role"] == "plan"]
    if name in LINKS:
        mine = plans[plans["source_path"].map(lambda p: Path(p).name == name)]
        outside = (work / "outside" / "outside_plan.txt").read_bytes()
        import hashlib

        followed = plans[(plans["sha256"] == hashlib.sha256(outside).hexdigest())
                         & (plans["status"] == "ok")]
        if mine.empty:
            row["status"] = "skipped"
            if name not in screen:
                row["note"] = "skipped without a message"
        else:
            row.update(status=mine.iloc[0]["status"], error=mine.iloc[0]["error"] or "")
        if not followed.empty:
            row.update(verdict="WRONG", note="followed a link out of the input folder")
        elif row["status"] not in want["statuses"]:
            row.update(verdict="WRONG", note=f"expected {want['statuses']}")
        return row
    mine = plans[plans["source_path"].map(rel_input) == os.path.normpath(name)]
    if len(mine) != 1:
        row.update(verdict="CRASH" if row["verdict"] == "ok" else row["verdict"],
                   note=row["note"] or f"{len(mine)} documents rows")
        return row
    r = mine.iloc[0]
    row.update(status=r["status"], error=r["error"] if isinstance(r["error"], str) else "")
    if row["verdict"] != "ok":
        return row
    if r["status"] not in want["statuses"]:
        row.update(verdict="WRONG", note=f"expected {want['statuses']}")
    elif r["status"] == "failed":
        problem = judge_error(r["error"], want["error"])
        if problem == "CRASH":
            row.update(verdict="CRASH", note="internal error")
        elif problem:
            row.update(verdict="WRONG", note=problem)
    return row


def corpus_run(work: Path, expected: dict, args) -> dict:
    names = [n for n in expected if n not in LINKS]
    cmd = [sys.executable, "-m", "plandiff", "run", *[f"inputs/{n}" for n in names],
           "--reference", "ref/reference.txt", "--out", "out_all", "--workers", "2"]
    limit = args.per_file_limit * 3
    res = run_limited(cmd, work, limit, args.memory_limit_mb)
    summary = {"inputs": len(names), "seconds": res["seconds"], "rss_mb": res["rss_mb"],
               "rc": res["rc"], "hang": res["timed_out"], "missing_rows": None, "lost": None,
               "traceback": TRACEBACK in res["stdout"] + res["stderr"]}
    if not res["timed_out"]:
        summary["lost"] = tables_readable(work / "out_all")
        if summary["lost"] is None:
            docs = pd.read_parquet(work / "out_all" / "documents")
            seen = docs[docs["role"] == "plan"]["source_path"].map(rel_input).value_counts()
            summary["missing_rows"] = sorted(n for n in names if seen.get(os.path.normpath(n), 0) != 1)
    return summary


def kill_test(root: Path, kills: int, memory_mb: int) -> dict:
    work = root / "kill"
    (work / "seeds").mkdir(parents=True)
    for path in sorted(SEEDS.glob("*.txt"))[:3]:
        shutil.copy(path, work / "seeds" / path.name)
    cmd = [sys.executable, "-m", "plandiff", "run", "seeds", "--out", "out", "--workers", "1",
           "--no-restore", "--quiet"]
    first = run_limited(cmd, work, 120, memory_mb)
    if first["rc"] != 0:
        return {"kills": 0, "lost": 1, "note": "the first run failed"}
    counts = {n: len(pd.read_parquet(work / "out" / n)) for n in TABLES}
    rnd = random.Random(82)
    done = lost = 0
    env = dict(os.environ, OMP_THREAD_LIMIT="1")
    for _ in range(kills):
        proc = subprocess.Popen(cmd + ["--force"], cwd=work, env=env, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL, start_new_session=True)
        time.sleep(rnd.uniform(0.3, first["seconds"] * 1.1))
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            done += 1
        proc.wait()
        for name in TABLES:
            try:
                if len(pd.read_parquet(work / "out" / name)) != counts[name]:
                    lost += 1
            except Exception:  # noqa: BLE001
                lost += 1
    final = run_limited(cmd, work, 120, memory_mb)
    return {"kills": done, "lost": lost + (final["rc"] != 0) + bool(tables_readable(work / "out")),
            "rerun_rc": final["rc"]}


def fuzz(seconds: float, save: bool) -> dict:
    crashers = BAD / "crashers" if save else Path(tempfile.mkdtemp(prefix="robust-crashers-"))
    cmd = [sys.executable, str(REPO / "benchmarks" / "fuzz_pdf.py"), "--seconds", str(seconds),
           "--crashers", str(crashers), "--quiet"]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=seconds + 300)
    try:
        return json.loads(proc.stdout.strip().splitlines()[-1])
    except (IndexError, ValueError):
        return {"error": proc.stderr[-500:]}
    finally:
        if not save:
            shutil.rmtree(crashers, ignore_errors=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=120.0, help="fuzzing time")
    parser.add_argument("--per-file-limit", type=float, default=60.0)
    parser.add_argument("--memory-limit-mb", type=int, default=4096)
    parser.add_argument("--workers", type=int, default=0, help="per-file runs (0: the default)")
    parser.add_argument("--kills", type=int, default=5)
    parser.add_argument("--no-fuzz", action="store_true")
    parser.add_argument("--save-crashers", action="store_true")
    parser.add_argument("--only", nargs="*")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    expected = json.loads((BAD / "expected.json").read_text(encoding="utf-8"))
    if args.only:
        expected = {k: v for k, v in expected.items() if k in args.only}
    root = Path(tempfile.mkdtemp(prefix="robustness-"))
    work = setup_work(root / "work")
    rows = []
    for index, (name, want) in enumerate(expected.items()):
        row = one_case(work, index, name, want, args)
        rows.append(row)
        print(f"{row['verdict']:<6} {row['input'][:40]:<40} {row['status']:<8} {row['seconds']:6.1f} s "
              f"{row['rss_mb']:7.0f} MB  {(row['error'] or row['note'])[:70]}", file=sys.stderr,
              flush=True)
    whole = corpus_run(work, expected, args) if not args.only else None
    kill = kill_test(root, args.kills, args.memory_limit_mb) if args.kills else None
    fz = fuzz(args.seconds, args.save_crashers) if not args.no_fuzz and args.seconds > 0 else None
    shutil.rmtree(root, ignore_errors=True)

    width = max(len(r["input"]) for r in rows)
    print(f"\n{'input':<{width}}  {'verdict':<7} {'status':<8} {'sec':>6} {'peakMB':>7}  error / note")
    print("-" * (width + 100))
    for r in rows:
        text = r["error"] or ""
        if r["note"]:
            text = f"[{r['note']}] {text}"
        print(f"{r['input']:<{width}}  {r['verdict']:<7} {r['status']:<8} {r['seconds']:6.1f} "
              f"{r['rss_mb']:7.0f}  {text[:110]}")
    crashes = sum(r["verdict"] == "CRASH" for r in rows)
    hangs = sum(r["verdict"] == "HANG" for r in rows)
    lost = sum(r["verdict"] == "LOST" for r in rows)
    wrong = sum(r["verdict"] == "WRONG" for r in rows)
    tried = len(rows)
    peak = max(r["rss_mb"] for r in rows)
    print()
    if whole:
        print(f"corpus in one run: {whole['inputs']} inputs, exit {whole['rc']}, "
              f"{whole['seconds']:.1f} s, peak {whole['rss_mb']:.0f} MB, "
              f"{'HANG' if whole['hang'] else 'finished'}; rows missing or repeated: "
              f"{whole['missing_rows']}; tables: "
              f"{'not written (killed)' if whole['hang'] else whole['lost'] or 'readable'}"
              + ("; TRACEBACK on screen" if whole["traceback"] else ""))
        hangs += bool(whole["hang"])
        lost += bool(whole["lost"])
        crashes += bool(whole["traceback"]) + bool(whole["missing_rows"])
        peak = max(peak, whole["rss_mb"])
    if kill:
        print(f"kill test: {kill['kills']} runs SIGKILLed, lost/partial tables: {kill['lost']}, "
              f"re-run exit {kill.get('rerun_rc')}")
        lost += kill["lost"]
    if fz:
        print(f"fuzz_pdf: {json.dumps(fz)}")
        tried += fz.get("inputs_tried", 0)
        crashes += fz.get("crashes", 0)
        hangs += fz.get("hangs", 0)
    print(f"\nTOTAL inputs tried {tried} | crashes {crashes} | hangs {hangs} | "
          f"wrong verdicts {wrong} | peak memory {peak:.0f} MB | lost/partial tables {lost}")
    bar = crashes == 0 and hangs == 0 and lost == 0
    print("BAR (0 crashes, 0 hangs, 0 lost or partial tables):", "MET" if bar else "NOT MET")
    if args.json:
        print(json.dumps({"rows": rows, "corpus": whole, "kill": kill, "fuzz": fz}, default=str))
    return 0 if bar else 1


if __name__ == "__main__":
    sys.exit(main())
