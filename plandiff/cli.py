"""The `plandiff` command.  The only place that prints, exits, or maps errors to codes.

Exit status: 0 all documents ok; 1 some documents failed (their rows say
why) or the tables could not be written; 2 bad usage.
"""
from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

from plandiff.align import AlignConfig, Status
from plandiff.ingest import SUPPORTED_SUFFIXES, IngestConfig

from .errors import PlandiffError, UsageError
from .pipeline import AUTO, DocOutcome, RunConfig, run
from .tables import DocumentStatus

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2
DEFAULT_SAMPLES = Path("data") / "samples"
LOG_FORMAT = "%(levelname)s %(name)s: %(message)s"
# Optional extras, by the top-level module they bring (for the message when one is missing).
EXTRA_OF_MODULE = {"distributed": "dask", "dask": "dask", "nbclient": "notebooks", "reportlab": "samples"}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="plandiff",
        description="Compare Vietnamese subordinate plans with the plan they implement.")
    # -v on every command: `plandiff -v` is the default job, `plandiff run -v ...` too.
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("-v", "--verbose", action="count", default=0,
                        help="log what each stage decides (-v info, -vv debug) to standard error")
    sub = parser.add_subparsers(dest="command")
    r = sub.add_parser("run", parents=[common], help="ingest, parse and align plans; write the tables")
    r.add_argument("inputs", nargs="*",
                   help="files or folders (" + ", ".join(sorted(set(SUPPORTED_SUFFIXES))) + ")")
    r.add_argument("--reference", action="append", metavar="FILE|DIR|auto",
                   help="the parent plan (any supported file); repeat it, or name a folder, for a library "
                        "of parents: each plan is checked against the one it cites (else the closest by "
                        "content, flagged); 'auto' (the default) infers a consensus from the plans")
    r.add_argument("--out", default="out", help="output folder (default: out)")
    r.add_argument("--workers", type=int, default=0, help="processes (default: one per core)")
    r.add_argument("--engine", choices=("local", "dask"), default="local",
                   help="where the work runs: local processes, or a Dask cluster (--address)")
    r.add_argument("--address", help="Dask scheduler address, e.g. tcp://10.0.0.5:8786")
    r.add_argument("--keep-removed", action="store_true",
                   help="keep the rows of inputs that are gone since the last run")
    r.add_argument("--force", action="store_true", help="ignore cached results and redo everything")
    r.add_argument("--follow-links", action="store_true",
                   help="follow symbolic links that lead out of an input folder")
    r.add_argument("--watch", metavar="SECONDS", type=float, nargs="?", const=10.0,
                   help="keep polling the inputs and process new or changed files (Ctrl-C stops)")
    r.add_argument("--max-polls", type=int, help=argparse.SUPPRESS)
    r.add_argument("--min-support", type=int, default=AlignConfig.min_support,
                   help="--reference auto: independent witnesses (template families) an item must "
                        "appear in (default: 2)")
    r.add_argument("--threshold", type=float, default=AlignConfig.match_threshold,
                   help="similarity (0..1) below which two items are not the same")
    r.add_argument("--ocr-dpi", type=int, default=IngestConfig.ocr_dpi)
    r.add_argument("--no-restore", action="store_true",
                   help="do not restore diacritics on text that lost them")
    r.add_argument("--meaning", action="store_true",
                   help="also compare by meaning (sentence embeddings) the items of plans that reword their "
                        "parent; slower: about 4 s more per rewording plan on first sight")
    r.add_argument("--lang", choices=("vi", "en"), default="vi", help="language of OUT/report/")
    r.add_argument("--no-report", action="store_true",
                   help="write the tables only (batch jobs; `plandiff report OUT` renders it later)")
    r.add_argument("--quiet", action="store_true", help="print nothing but errors")
    r.add_argument("--json", action="store_true", help="print the summary as JSON")
    rep = sub.add_parser("report", parents=[common], help="re-render OUT/report/ (HTML, Excel) from the tables")
    rep.add_argument("out", nargs="?", default="out")
    rep.add_argument("--lang", choices=("vi", "en"), default="vi")
    c = sub.add_parser("compare", parents=[common], help="align one plan directly against another")
    c.add_argument("reference", help="the plan to compare against (e.g. the parent or predecessor)")
    c.add_argument("plan", help="the plan to check")
    c.add_argument("--out", help="also write the tables to this folder")
    c.add_argument("--threshold", type=float, default=AlignConfig.match_threshold)
    c.add_argument("--no-restore", action="store_true")
    c.add_argument("--meaning", action="store_true",
                   help="also compare by meaning (sentence embeddings) when the plan rewords the reference")
    q = sub.add_parser("query", parents=[common], help="SQL over the tables of a run (DuckDB)")
    q.add_argument("out", help="the output folder of a run")
    q.add_argument("sql", help="SQL; tables and the views verdicts, plan_summary, decisions are available")
    q.add_argument("--format", choices=("table", "csv", "json"), default="table")
    rv = sub.add_parser("review", parents=[common],
                        help="the review workbench: sign off verdicts in the browser (local web server)")
    rv.add_argument("out", nargs="?", default="out", help="the output folder of a run")
    rv.add_argument("--host", default="127.0.0.1",
                    help="address to listen on (default 127.0.0.1; any other needs an access token)")
    rv.add_argument("--port", type=int, default=8765, help="port (default 8765)")
    rv.add_argument("--reviewer", help="name recorded with each decision (default: your user name)")
    rv.add_argument("--lang", choices=("vi", "en"), default="vi", help="language of the pages")
    rv.add_argument("--token", help="access token to require (generated when --host is not loopback)")
    d = sub.add_parser("decide", parents=[common], help="record a reviewer's verdict on one row (for scripts)")
    d.add_argument("out", help="the output folder of a run")
    d.add_argument("reference_item", metavar="REFERENCE_ITEM_ID", help="a reference item_id, or none (added)")
    d.add_argument("plan_item", metavar="PLAN_ITEM_ID", help="a plan item_id, or none (dropped)")
    d.add_argument("--status", required=True, choices=[s.value for s in Status], help="the verdict")
    d.add_argument("--plan", help="the plan (doc_id, path or file name) when PLAN_ITEM_ID is none")
    d.add_argument("--changes", help="changed fields, comma-separated (text,lead,partners,timeline,frequency; "
                                     "'' for none); default: as the aligner computes them")
    d.add_argument("--note", default="", help="the reviewer's note")
    d.add_argument("--reviewer", help="name recorded with the decision (default: your user name)")
    ds = sub.add_parser("decisions", parents=[common], help="export or import reviewer decisions (JSON)")
    ds.add_argument("action", choices=("export", "import"), help="export OUT's decisions, or merge a file into OUT")
    ds.add_argument("file", metavar="FILE.json", help="the file to write or read")
    ds.add_argument("--out", default="out", help="the output folder of a run (default: out)")
    s = sub.add_parser("restore", parents=[common], help="restore lost Vietnamese diacritics of a text file")
    s.add_argument("file", nargs="?", default="-", help="a text file, or - for standard input")
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if not argv or (argv[0].startswith("-") and argv[0] not in ("-h", "--help", "--version")):
        argv = ["run", *argv]   # `plandiff --out DIR` is the default job with another folder
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return EXIT_USAGE
    commands = {"run": _cmd_run, "compare": _cmd_compare, "restore": _cmd_restore,
                "query": _cmd_query, "report": _cmd_report, "review": _cmd_review,
                "decide": _cmd_decide, "decisions": _cmd_decisions}
    _configure_logging(args.verbose)
    try:
        return commands[args.command](args)
    except ModuleNotFoundError as exc:
        print(f"plandiff: {_missing_module_message(exc)}", file=sys.stderr)
        return EXIT_USAGE
    except UsageError as exc:
        print(f"plandiff: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except PlandiffError as exc:
        print(f"plandiff: error: {exc}", file=sys.stderr)
        return EXIT_FAILED
    except KeyboardInterrupt:
        print("plandiff: interrupted; tables from earlier runs are left as they were",
              file=sys.stderr)
        return 130


def _configure_logging(verbose: int) -> None:
    level = logging.WARNING if verbose <= 0 else logging.INFO if verbose == 1 else logging.DEBUG
    logging.basicConfig(level=level, format=LOG_FORMAT, stream=sys.stderr, force=True)


def _missing_module_message(exc: ModuleNotFoundError) -> str:
    module = (exc.name or "").split(".")[0]
    extra = EXTRA_OF_MODULE.get(module)
    if extra:
        return f"this needs the optional extra '{extra}': .venv/bin/pip install -e '.[{extra}]'"
    return (f"the Python module {module or exc} is missing: the installation is incomplete; "
            "run scripts/setup.sh again")


def _default_inputs() -> list[str]:
    for candidate in (DEFAULT_SAMPLES, Path(__file__).resolve().parents[1] / DEFAULT_SAMPLES):
        if candidate.is_dir():
            return [str(candidate)]
    raise UsageError("no inputs given and no data/samples folder here; name files or folders")


def _cmd_run(args: argparse.Namespace) -> int:
    if not 0.0 < args.threshold <= 1.0:
        raise UsageError("--threshold must be in (0, 1]")
    if args.min_support < 1:
        raise UsageError("--min-support must be at least 1")
    config = RunConfig(
        ingest=replace(IngestConfig(), ocr_dpi=args.ocr_dpi, restore_diacritics=not args.no_restore),
        align=replace(AlignConfig(), min_support=args.min_support, match_threshold=args.threshold),
        workers=args.workers, engine=args.engine, address=args.address,
        keep_removed=args.keep_removed, force=args.force, follow_links=args.follow_links,
        meaning=args.meaning,
    )
    inputs = args.inputs or _default_inputs()
    if args.watch is not None:
        return _watch(inputs, args, config)
    return _run_once(inputs, args, config)


def _run_once(inputs: list[str], args: argparse.Namespace, config: RunConfig) -> int:
    started = time.perf_counter()
    progress = None if (args.quiet or args.json) else terminal_progress()
    try:
        result = run(inputs, args.reference or AUTO, args.out, config, progress=progress)
    finally:
        if progress:
            progress.close()
    report = None if args.no_report else _report_after_run(Path(args.out), args.lang,
                                                            result.unchanged)
    seconds = time.perf_counter() - started
    data = dict(result.summary, seconds=round(seconds, 2), unchanged=result.unchanged,
                report=str(report) if report else None)
    if args.json:
        print(json.dumps(data, ensure_ascii=False, indent=2))
    elif not args.quiet:
        print(_summary_text(data, seconds))
    return EXIT_FAILED if result.failed_count else EXIT_OK


def _report_after_run(out: Path, lang: str, unchanged: bool) -> Path | None:
    """Every run leaves OUT/report/ matching its tables."""
    from .report import write_report

    index = out / "report" / "index.html"
    if unchanged and index.exists():
        return index
    return write_report(out, lang=lang).index


def _watch(inputs: list[str], args: argparse.Namespace, config: RunConfig) -> int:
    from .watch import watch

    def report(result, seconds):
        if result.unchanged:
            return
        if not args.no_report:
            _report_after_run(Path(args.out), args.lang, False)
        if not args.quiet:
            print(_summary_text(dict(result.summary), seconds), flush=True)

    watch(inputs, args.reference or AUTO, args.out, config, interval=args.watch,
          max_polls=args.max_polls, on_run=report)
    return EXIT_OK


def _cmd_compare(args: argparse.Namespace) -> int:
    from .compare import compare, render_comparison

    if not 0.0 < args.threshold <= 1.0:
        raise UsageError("--threshold must be in (0, 1]")
    config = RunConfig(
        ingest=replace(IngestConfig(), restore_diacritics=not args.no_restore),
        align=replace(AlignConfig(), match_threshold=args.threshold), workers=1, meaning=args.meaning)
    comparison = compare(args.reference, args.plan, config, out_dir=args.out)
    print(render_comparison(comparison))
    return EXIT_OK


def _cmd_report(args: argparse.Namespace) -> int:
    from .report import write_report

    if not Path(args.out).is_dir():
        raise UsageError(f"{args.out}: no such folder of plandiff tables")
    result = write_report(Path(args.out), lang=args.lang)
    print(f"wrote {result.report_dir} ({len(result.plan_pages)} plan pages, "
          f"{result.bytes / 1e6:.1f} MB) in {result.seconds:.1f} s")
    return EXIT_OK


def _cmd_query(args: argparse.Namespace) -> int:
    from .query import query

    frame = query(args.out, args.sql)
    if args.format == "csv":
        sys.stdout.write(frame.to_csv(index=False))
    elif args.format == "json":
        sys.stdout.write(frame.to_json(orient="records", force_ascii=False, date_format="iso") + "\n")
    else:
        with __import__("pandas").option_context("display.max_rows", 500, "display.max_colwidth", 80,
                                                 "display.width", 200):
            print(frame.to_string(index=False))
    return EXIT_OK


def _reviewer(name: str | None) -> str:
    import getpass

    if name:
        return name
    try:
        return getpass.getuser()
    except (KeyError, OSError) as exc:   # no user name in the environment or the password file
        raise UsageError("cannot tell who you are: give --reviewer NAME") from exc


def _run_folder(out: str) -> Path:
    from .outputs import tables_exist

    path = Path(out)
    if not tables_exist(path):
        raise UsageError(f"{out}: no tables of a run here; run `plandiff run --out {out}` first")
    return path


def _cmd_review(args: argparse.Namespace) -> int:
    from .review import serve

    serve(_run_folder(args.out), host=args.host, port=args.port, reviewer=_reviewer(args.reviewer),
          lang=args.lang, token=args.token)
    return EXIT_OK


def _cmd_decide(args: argparse.Namespace) -> int:
    from .decisions import NONE_ITEM, DecisionStore, RunTables, make_decision

    out = _run_folder(args.out)
    ref = None if args.reference_item.lower() == NONE_ITEM else args.reference_item
    item = None if args.plan_item.lower() == NONE_ITEM else args.plan_item
    changes = None if args.changes is None else [c.strip() for c in args.changes.split(",") if c.strip()]
    decision = make_decision(RunTables.read(out), ref, item, args.status, _reviewer(args.reviewer),
                             note=args.note, plan=args.plan, changes=changes)
    stored = DecisionStore(out).record(decision)
    print(f"recorded decision {stored.decision_id}: {stored.status} "
          f"({ref or NONE_ITEM} / {item or NONE_ITEM}) by {stored.reviewer}; "
          f"`plandiff run` applies it to the tables and the report")
    return EXIT_OK


def _cmd_decisions(args: argparse.Namespace) -> int:
    from .decisions import DecisionStore, export_decisions, import_decisions, render_conflicts

    out = _run_folder(args.out)
    if args.action == "export":
        count = export_decisions(DecisionStore(out, create=False), Path(args.file))
        print(f"exported {count} decisions to {args.file}")
        return EXIT_OK
    result = import_decisions(DecisionStore(out), Path(args.file))
    print(f"imported {result.added} decisions ({result.already_present} already here, "
          f"{len(result.conflicts)} in conflict)")
    for line in render_conflicts(result.conflicts):
        print(f"  conflict, not imported: {line}")
    return EXIT_FAILED if result.conflicts else EXIT_OK


def _cmd_restore(args: argparse.Namespace) -> int:
    from plandiff.ingest.diacritics import load_model
    from plandiff.ingest.plaintext import decode_text
    from plandiff.ingest.textnorm import clean_text

    try:
        data = sys.stdin.buffer.read() if args.file == "-" else Path(args.file).read_bytes()
    except OSError as exc:
        raise UsageError(f"cannot read {args.file}: {exc.strerror or exc}") from exc
    text = clean_text(decode_text(data).text)
    sys.stdout.write(load_model().restore(text))
    if text and not text.endswith("\n"):
        sys.stdout.write("\n")
    return EXIT_OK


def terminal_progress() -> _Bar | None:
    """A progress bar on a terminal; nothing in CI or when output is redirected."""
    if not sys.stderr.isatty() or os.environ.get("CI"):
        return None
    return _Bar()


class _Bar:
    """Files done, pages read, the current stage and an ETA (tqdm)."""

    def __init__(self) -> None:
        from tqdm import tqdm

        self._tqdm = tqdm
        self.bar: Any = None
        self.pages = 0
        self.stage_name = ""

    def begin(self, files: int) -> None:
        self.bar = self._tqdm(total=files, unit="file", file=sys.stderr, dynamic_ncols=True,
                              desc="plandiff")

    def stage(self, name: str) -> None:
        self.stage_name = name
        self._refresh()

    def document(self, outcome: DocOutcome, cached: bool) -> None:
        if outcome.plan is not None and outcome.plan.source is not None:
            self.pages += len(outcome.plan.source.pages)
        elif outcome.error and self.bar is not None:
            self.bar.write(f"  {outcome.path}: FAILED: {outcome.error}", file=sys.stderr)
        if self.bar is not None:
            self.bar.update(1)
        self._refresh()

    def _refresh(self) -> None:
        if self.bar is not None:
            self.bar.set_postfix_str(f"{self.pages} pages, {self.stage_name}", refresh=True)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def _reference_line(ref: dict) -> str:
    name = ref["title"] or ref["doc_id"]
    if ref.get("number"):
        name = f"{ref['number']} {name}"
    what = "parent (a plan of the batch)" if ref.get("plan") else "reference"
    return f"{what}: {name} ({ref['items']} items)" + (" [INFERRED]" if ref["inferred"] else "")


def _summary_text(data: dict, seconds: float) -> str:
    if data.get("unchanged"):
        return (f"nothing to do: {data['out']} is up to date with its inputs "
                f"({len(data['plans'])} plans; checked in {seconds:.2f} s)")
    ref = data["reference"]
    parents = list(dict.fromkeys(p["reference_doc_id"] for p in data["plans"] if p.get("reference_doc_id")))
    groups: list[tuple[dict | None, list[dict]]]
    if len(parents) <= 1:
        lines = [_reference_line(ref)]
        groups = [(None, data["plans"])]
    else:
        # A library or a chain: the plans under the parent each was checked against,
        # a flagged choice marked beside the plan.
        known = {r["doc_id"]: r for r in data.get("references", [])}
        for p in data["plans"]:
            if p.get("doc_id"):
                known.setdefault(p["doc_id"], {"doc_id": p["doc_id"], "title": Path(p["path"]).name,
                                               "items": p["items"], "inferred": False, "plan": True})
        in_batch = sum(1 for d in parents if known[d].get("plan"))
        lines = [f"{len(parents)} parents used: {len(parents) - in_batch} of {len(data.get('references', []))} "
                 f"references, {in_batch} plan(s) of the batch"]
        groups = [(known[d], [p for p in data["plans"] if p.get("reference_doc_id") == d]) for d in parents]
        groups.append((None, [p for p in data["plans"] if p["status"] == DocumentStatus.FAILED]))
    for family in ref.get("template_families") or []:
        lines.append("  near-copies, one witness: " + " + ".join(Path(p).name for p in family))
    counted = ("items", *Status)
    header = f"{'plan':<34} {'level':<11} " + " ".join(f"{c:>{max(len(c), 5)}}" for c in counted)
    for group, plans in groups:
        if not plans:
            continue
        lines.append("")
        if group is not None:
            lines.append(_reference_line(group))
        lines.append(header)
        lines.append("-" * len(header))
        for p in plans:
            name = Path(p["path"]).name[:34]
            if p["status"] == DocumentStatus.FAILED:
                lines.append(f"{name:<34} FAILED: {p['error']}")
                continue
            lines.append(f"{name:<34} {p['admin_level']:<11} "
                         + " ".join(f"{p[c]:>{max(len(c), 5)}}" for c in counted)
                         + (f"  [{p['reference_match']}]" if group is not None and p.get("reference_flagged")
                            else ""))
    lines.append("")
    lines.append(f"read {data['processed']} new or changed files; wrote {data['out']}/"
                 f"{{{','.join(data['tables'])}}} in {seconds:.1f} s")
    if data.get("report"):
        lines.append(f"report: {data['report']} (and compliance.xlsx beside it)")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
