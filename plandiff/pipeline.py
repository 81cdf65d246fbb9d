"""One run: inputs -> ingest -> parse -> align -> tables, doing only new work.

The CLI, tests and notebooks call `run`; each stage stays a plain function.
A file that fails becomes a `failed` row with its reason; the others go on.
Results are cached by content beside the tables (see `cache.py`): unchanged
files are not read again, a changed reference re-runs only alignment, and a
run over exactly the inputs of the last run returns at once.
"""
from __future__ import annotations

import logging
import os
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Protocol

import plandiff
from plandiff.align import AlignConfig, AlignError, Alignment, Status, align
from plandiff.align.consensus import Consensus, infer_consensus
from plandiff.align.embedding import CachedEmbedder, TextEmbedder, load_embedder
from plandiff.ingest import (
    SUPPORTED_SUFFIXES,
    IngestConfig,
    assemble,
    ingest,
    pdf_page_count,
    read_pages,
    sniff_media_type,
)
from plandiff.ingest.model import MediaType, Page
from plandiff.parse import ParseConfig, PlanDocument, parse

from .analysis import alignment_counts
from .cache import InputEntry, Manifest, ResultCache, file_sha256, stable_hash
from .decisions import DecisionStore, apply_to_run
from .embedding_store import SqliteEmbeddingStore
from .errors import PlandiffError, UsageError
from .executors import Crashed, Executor, Task, make_executor
from .outputs import TABLE_NAMES, tables_exist, write_outputs
from .routing import Route, route
from .tables import DocumentRole, DocumentStatus

log = logging.getLogger(__name__)

AUTO = "auto"


@dataclass(frozen=True)
class RunConfig:
    ingest: IngestConfig = IngestConfig()
    parse: ParseConfig = ParseConfig()
    align: AlignConfig = AlignConfig()
    workers: int = 0            # 0: one per core
    engine: str = "local"       # local | dask
    address: str | None = None  # Dask scheduler, with engine="dask"
    chunk_pages: int = 4        # PDFs longer than this are read in page ranges in parallel
    keep_removed: bool = False  # keep rows of inputs that disappeared since the last run
    force: bool = False         # ignore the cache
    follow_links: bool = False  # follow symbolic links that lead out of an input folder
    isolate: bool = True        # read files in worker processes (memory cap, crash recovery)
                                # even with one worker; False runs them in this process
    meaning: bool = False       # sentence embeddings where wording leaves a verdict open (align/meaning.py);
                                # off by default: ~14 texts/s on 2 cores, about 4 s per rewording plan


@dataclass
class DocOutcome:
    path: str
    plan: PlanDocument | None = None
    error: str | None = None
    sha256: str | None = None
    error_vi: str | None = None  # the error in Vietnamese
    role: DocumentRole = DocumentRole.PLAN   # a library reference that could not be read is kept too


@dataclass
class RunResult:
    out_dir: Path
    reference: PlanDocument | None   # the parent most plans were checked against
    outcomes: list[DocOutcome]
    alignments: list[Alignment] = field(default_factory=list)
    summary: dict = field(default_factory=dict)
    unchanged: bool = False     # nothing to do: the tables already match the inputs
    processed: int = 0          # files read this run (not from the cache)
    consensus: Consensus | None = None   # the evidence behind the inferred reference, when one was needed
    references: list[PlanDocument] = field(default_factory=list)  # the library, then the inferred one
    routes: dict[str, Route] = field(default_factory=dict)        # plan doc_id -> the parent it was checked against

    @property
    def failed(self) -> list[DocOutcome]:
        return [o for o in self.outcomes if o.plan is None]

    @property
    def failed_count(self) -> int:
        return sum(p["status"] == DocumentStatus.FAILED for p in self.summary.get("plans", []))

    def counts(self) -> dict[str, dict[str, int]]:
        """Rows of each verdict, per plan (doc_id -> status -> count)."""
        return alignment_counts(self.alignments)


class Progress(Protocol):
    """What a run reports while it works (the CLI draws a progress bar from it)."""

    def begin(self, files: int) -> None: ...

    def document(self, outcome: DocOutcome, cached: bool) -> None: ...

    def stage(self, name: str) -> None: ...


def collect_inputs(paths: Sequence[str | Path], follow_links: bool = False,
                   refused: list[DocOutcome] | None = None) -> list[Path]:
    """Files named, and supported files found (recursively) in folders named.

    In a folder, a symbolic link that leads outside the folder is not
    followed unless `follow_links`; it is added to `refused` with the reason.
    """
    found: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            root = path.resolve()
            for p in sorted(path.rglob("*")):
                rel = p.relative_to(path)
                if any(part.startswith(".") for part in rel.parts) or \
                        p.suffix.lower() not in SUPPORTED_SUFFIXES or not p.is_file():
                    continue
                if not follow_links and not p.resolve().is_relative_to(root):
                    if refused is not None:
                        refused.append(DocOutcome(
                            path=str(p), error="symbolic link to a file outside the input "
                            "folder: not followed (use --follow-links)",
                            error_vi="Liên kết tới tệp nằm ngoài thư mục đầu vào: không xử lý"))
                    continue
                found.append(p)
        elif path.exists():
            found.append(path)
        else:
            raise UsageError(f"input not found: {path}")
    unique = list(dict.fromkeys(found))
    if not unique and not refused:
        raise UsageError("no input files found (supported: " + ", ".join(SUPPORTED_SUFFIXES) + ")")
    return unique


# ---------------------------------------------------------------- worker tasks
# Module-level functions: they run in worker processes (or on Dask workers).

def process_file(path: str, config: RunConfig) -> DocOutcome:
    """Ingest and parse one file; every failure becomes the outcome's error."""
    try:
        doc = ingest(path, config.ingest)
        return DocOutcome(path=path, plan=parse(doc, config.parse), sha256=doc.sha256)
    except PlandiffError as exc:
        return _failure(path, exc)
    except Exception as exc:  # a bug must not stop the batch: record it on the file's row
        return _internal_failure(path, exc)


def _failure(path: str, exc: PlandiffError) -> DocOutcome:
    return DocOutcome(path=path, error=str(exc), error_vi=exc.vi)


def _internal_failure(path: str, exc: Exception) -> DocOutcome:
    return DocOutcome(path=path, error=f"internal error: {type(exc).__name__}: {exc}",
                      error_vi="Lỗi nội bộ của plandiff khi xử lý tệp này; đề nghị báo cho "
                               "nhóm phát triển")


def read_page_range(path: str, config: RunConfig, first: int,
                    last: int) -> list[Page] | DocOutcome:
    """Pages first..last of a PDF, or the failure."""
    try:
        return read_pages(Path(path).read_bytes(), path, config.ingest, page_range=(first, last))
    except PlandiffError as exc:
        return _failure(path, exc)
    except Exception as exc:
        return _internal_failure(path, exc)


def finish_document(path: str, config: RunConfig, pages: list[Page]) -> DocOutcome:
    try:
        doc = assemble(Path(path).read_bytes(), path, pages, config.ingest)
        return DocOutcome(path=path, plan=parse(doc, config.parse), sha256=doc.sha256)
    except PlandiffError as exc:
        return _failure(path, exc)
    except Exception as exc:
        return _internal_failure(path, exc)


# ---------------------------------------------------------------- the run

def pipeline_version(config: RunConfig) -> str:
    """Changes whenever code, model or stage configuration could change results."""
    model = ""
    if config.ingest.restore_diacritics:
        from plandiff.ingest.restoration import model_version

        model = model_version()
    return stable_hash(plandiff.__version__, _code_stamp(), model, config.ingest, config.parse)


def _code_stamp() -> str:
    """Sizes and mtimes of the package's modules: an edited stage invalidates the cache."""
    root = Path(plandiff.__file__).resolve().parent
    folders = [root] + [Path(m.__file__).resolve().parent for m in _stage_modules()]
    stamp = []
    for folder in folders:
        # Subpackages too (ingest/diacritics, plandiff/report): any edited module counts.
        for path in sorted(folder.rglob("*.py")):
            st = path.stat()
            stamp.append((str(path.relative_to(folder)), st.st_size, st.st_mtime_ns))
    return stable_hash(stamp)


def _stage_modules():
    import plandiff.align
    import plandiff.ingest
    import plandiff.parse

    return (plandiff.ingest, plandiff.parse, plandiff.align)


def reference_paths(reference: str | Path | Sequence[str | Path]) -> list[Path]:
    """The library of parent plans named by `--reference`: files, and the supported
    files of folders; `auto` (alone) names none."""
    named = [reference] if isinstance(reference, (str, Path)) else list(reference)
    if [str(r) for r in named] == [AUTO]:
        return []
    if AUTO in (str(r) for r in named):
        raise UsageError("--reference auto cannot be combined with reference files")
    found: list[Path] = []
    for raw in named:
        path = Path(raw)
        if path.is_dir():
            files = collect_inputs([path]) if any(path.rglob("*")) else []
            if not files:
                raise UsageError(f"no reference plans in folder {path}")
            found += files
        elif path.is_file():
            found.append(path)
        else:
            raise UsageError(f"reference not found: {path}")
    return list(dict.fromkeys(found))


def run(inputs: Sequence[str | Path], reference: str | Path | Sequence[str | Path], out_dir: str | Path,
        config: RunConfig = RunConfig(),
        progress: Progress | None = None) -> RunResult:
    """Read `inputs`, check each plan against its parent and write the tables to `out_dir`.

    `reference` is `auto` (infer one from the plans), one parent plan, or a library:
    several files or folders; each plan is then routed to the parent it cites
    (`routing.py`)."""
    out = Path(out_dir)
    # Parallelism comes from worker processes (and page ranges of long PDFs):
    # inside a worker, Tesseract pages run one at a time, one core each.
    config = replace(config, ingest=replace(config.ingest, ocr_threads=1))
    refused: list[DocOutcome] = []
    paths = collect_inputs(inputs, config.follow_links, refused)
    ref_paths = reference_paths(reference)
    library = {p.resolve() for p in ref_paths}
    paths = [p for p in paths if p.resolve() not in library]
    version = pipeline_version(config)
    manifest = Manifest.load(out)
    stats = {p: p.stat() for p in paths + ref_paths}
    fingerprint = stable_hash(version, config.align, config.keep_removed, [str(p) for p in ref_paths],
                              sorted((str(p), s.st_size, s.st_mtime_ns) for p, s in stats.items()),
                              sorted(o.path for o in refused),
                              # A new reviewer decision changes the tables, not the inputs.
                              DecisionStore(out).digest() if DecisionStore.exists(out) else None)
    if not config.force and manifest.fingerprint == fingerprint and tables_exist(out):
        log.info("%s is up to date with its %d inputs: nothing to do", out, len(paths))
        return RunResult(out_dir=out, reference=None, outcomes=[], summary=manifest.summary,
                         unchanged=True)
    cache = ResultCache(out, version)
    if progress:
        progress.begin(len(paths))
        progress.stage("checking inputs")
    shas = {p: (manifest.known_sha(p, s) if not config.force else None) or file_sha256(p)
            for p, s in stats.items()}
    outcomes, processed = _outcomes(paths, shas, cache, config, progress)
    outcomes += _kept_removed(manifest, paths, cache, config) + refused
    _mark_duplicates(outcomes)
    references, unread = _references(ref_paths, shas, cache, config)
    outcomes += unread
    ref_ids = {ref.doc_id for ref in references}
    for o in outcomes:
        if o.plan is not None and o.plan.doc_id in ref_ids:
            o.plan = None
            o.error = "same content as the reference file; not compared with itself"
            o.error_vi = "Trùng nội dung với kế hoạch tham chiếu; không đối chiếu với chính nó"
    plans = [o.plan for o in outcomes if o.plan is not None]
    if progress:
        progress.stage("aligning")
    routes = route(plans, references)
    consensus: Consensus | None = None
    waiting = [p for p in plans if routes[p.doc_id].parent_id is None]
    if waiting or not references:
        # With no readable plan the inferred reference is empty, and every
        # input still gets its row saying why it failed.
        consensus = infer_consensus(waiting, config.align)
        references.append(consensus.reference)
        routes.update({p.doc_id: replace(routes[p.doc_id], parent_id=consensus.reference.doc_id)
                       for p in waiting})
    parents = {doc.doc_id: doc for doc in [*references, *plans]}
    parent_of = {p.doc_id: parents[routes[p.doc_id].parent_id or ""] for p in plans}
    alignments, decisions_through = apply_to_run(out, parent_of, plans,
                                                 _routed_alignments(plans, parent_of, cache, config, out),
                                                 config.align)
    if progress:
        progress.stage("writing tables")
    result = RunResult(out_dir=out, reference=_main_reference(references, routes), outcomes=outcomes,
                       alignments=alignments, processed=processed, consensus=consensus,
                       references=references, routes=routes)
    result.summary = summarize(result)
    write_outputs(out, references, routes, outcomes, alignments, consensus, decisions_through)
    manifest.inputs = {str(p): InputEntry(s.st_size, s.st_mtime_ns, shas[p]) for p, s in stats.items()}
    if config.keep_removed:
        manifest.inputs.update({k: v for k, v in Manifest.load(out).inputs.items()
                                if k not in manifest.inputs})
    manifest.fingerprint, manifest.pipeline_version = fingerprint, version
    manifest.summary = result.summary
    manifest.save(out)
    return result


def _outcomes(paths: list[Path], shas: dict[Path, str], cache: ResultCache, config: RunConfig,
              progress: Progress | None) -> tuple[list[DocOutcome], int]:
    outcomes: dict[Path, DocOutcome] = {}
    todo: list[Path] = []
    for path in paths:
        cached = cache.get("docs", shas[path])
        if cached is not None:
            outcomes[path] = _relocated(cached, path)
            if progress:
                progress.document(outcomes[path], cached=True)
        else:
            todo.append(path)
    log.info("%d inputs: %d from the cache, %d to read", len(paths), len(paths) - len(todo), len(todo))
    if todo:
        if progress:
            progress.stage("reading")
        executor = make_executor(config.engine, min(config.workers or os.cpu_count() or 1,
                                                    max(len(todo), 1) * 8), config.address,
                                 config.isolate)
        try:
            for path, outcome in _process(todo, executor, config):
                if outcome.error:
                    log.warning("%s failed: %s", path, outcome.error)
                outcome.sha256 = shas[path]
                cache.put("docs", shas[path], outcome)
                outcomes[path] = outcome
                if progress:
                    progress.document(outcome, cached=False)
        finally:
            executor.close()
    return [outcomes[p] for p in paths], len(todo)


def _relocated(outcome: DocOutcome, path: Path) -> DocOutcome:
    """A cached result for the same content seen under another name."""
    plan = outcome.plan
    if plan is not None and plan.source is not None and plan.source.source_path != str(path):
        plan = replace(plan, source=replace(plan.source, source_path=str(path)))
    return replace(outcome, path=str(path), plan=plan)


def _process(todo: list[Path], executor: Executor, config: RunConfig):
    """Yield (path, outcome) as files finish; long PDFs are read in page ranges."""
    tasks: list[Task] = []
    owners: list[tuple[Path, tuple[int, int] | None]] = []
    chunks: dict[Path, dict] = {}
    for path in todo:
        ranges = _page_ranges(path, config, executor.workers)
        if len(ranges) <= 1:
            tasks.append((process_file, (str(path), config)))
            owners.append((path, None))
            continue
        chunks[path] = {"left": len(ranges), "pages": [], "error": None}
        for first, last in ranges:
            tasks.append((read_page_range, (str(path), config, first, last)))
            owners.append((path, (first, last)))
    for index, result in executor.run(tasks):
        path, page_range = owners[index]
        if isinstance(result, Crashed):
            result = DocOutcome(path=str(path), error=result.reason,
                                error_vi="Tiến trình đọc tệp này bị dừng (hết bộ nhớ hoặc dữ liệu "
                                         "hỏng); đề nghị kiểm tra lại tệp")
        if page_range is None:
            yield path, result
            continue
        state = chunks[path]
        state["left"] -= 1
        if isinstance(result, DocOutcome):
            state["error"] = state["error"] or result
        else:
            state["pages"].extend(result)
        if state["left"] == 0:
            if state["error"]:
                yield path, state["error"]
            else:
                pages = sorted(state["pages"], key=lambda p: p.number)
                yield path, finish_document(str(path), config, pages)


def _page_ranges(path: Path, config: RunConfig, workers: int) -> list[tuple[int, int]]:
    if workers <= 1 or config.chunk_pages <= 0:
        return []
    try:
        data = path.read_bytes()
        if sniff_media_type(data, str(path)) is not MediaType.PDF:
            return []
        count = pdf_page_count(data)
    except (OSError, PlandiffError):
        return []  # the file task will report the problem
    if count <= config.chunk_pages or count > config.ingest.max_pages:
        return []  # too many pages: the file task reports it at once
    return [(first, min(first + config.chunk_pages - 1, count))
            for first in range(1, count + 1, config.chunk_pages)]


def _kept_removed(manifest: Manifest, paths: list[Path], cache: ResultCache,
                  config: RunConfig) -> list[DocOutcome]:
    if not config.keep_removed:
        return []
    present = {str(p) for p in paths}
    kept = []
    for name, entry in sorted(manifest.inputs.items()):
        if name not in present:
            cached = cache.get("docs", entry.sha256)
            if cached is not None:
                kept.append(_relocated(cached, Path(name)))
    return kept


def _references(ref_paths: list[Path], shas: dict[Path, str], cache: ResultCache,
                config: RunConfig) -> tuple[list[PlanDocument], list[DocOutcome]]:
    """The library's plans, each once, and the failed rows of those that cannot be
    read. A single reference that cannot be read ends the run: nothing could be checked."""
    plans: dict[str, PlanDocument] = {}
    unread: list[DocOutcome] = []
    for ref_path in ref_paths:
        outcome = cache.get("docs", shas[ref_path])
        if outcome is None:
            outcome = process_file(str(ref_path), config)
            outcome.sha256 = shas[ref_path]
            cache.put("docs", shas[ref_path], outcome)
        if outcome.plan is None:
            if len(ref_paths) == 1:
                raise UsageError(f"reference {ref_path} could not be read: {outcome.error}")
            log.warning("reference %s could not be read: %s", ref_path, outcome.error)
            unread.append(replace(outcome, path=str(ref_path), role=DocumentRole.REFERENCE))
            continue
        plan = _relocated(outcome, ref_path).plan
        assert plan is not None
        plans.setdefault(plan.doc_id, plan)
    return list(plans.values()), unread


def _main_reference(references: list[PlanDocument], routes: dict[str, Route]) -> PlanDocument:
    """The parent the most plans were checked against (the first reference when none was used)."""
    used = Counter(r.parent_id for r in routes.values())
    return max(references, key=lambda ref: used[ref.doc_id]) if references else infer_consensus([]).reference


ALIGN_CHUNK = 50  # plans per alignment task: enough to outweigh sending the reference


class Cache(Protocol):
    """What alignment needs of a result cache (`ResultCache` in a run)."""

    def get(self, kind: str, key: str) -> Any | None: ...

    def put(self, kind: str, key: str, value: Any) -> None: ...


class _NoCache:
    """A result cache that keeps nothing (alignment outside a run)."""

    def get(self, kind: str, key: str) -> Any | None:
        return None

    def put(self, kind: str, key: str, value: Any) -> None:
        pass


def _routed_alignments(plans: list[PlanDocument], parent_of: dict[str, PlanDocument], cache: Cache,
                       config: RunConfig, out_dir: Path) -> list[Alignment]:
    """Each plan's rows against its own parent, the plans of one parent aligned together."""
    groups: dict[str, list[PlanDocument]] = {}
    for plan in plans:
        groups.setdefault(parent_of[plan.doc_id].doc_id, []).append(plan)
    rows: list[Alignment] = []
    for group in groups.values():
        rows += _alignments(group, parent_of[group[0].doc_id], cache, config, out_dir)
    return rows


def align_plans(plans: list[PlanDocument], reference: PlanDocument,
                config: RunConfig = RunConfig()) -> list[Alignment]:
    """Align many plans against one reference as `run` does (spread over
    `config.workers` processes or a Dask cluster), without the run's cache."""
    return _alignments(plans, reference, _NoCache(), config, None)


# ---------------------------------------------------------------- meaning
# One embedding model per process (loaded on first use: 0.02 s), each output folder's
# vectors in its own store; workers load their own (a model handle cannot be pickled).
_MODELS: dict[int | None, TextEmbedder | None] = {}
_EMBEDDERS: dict[tuple[str | None, int | None], CachedEmbedder] = {}


def _model(threads: int | None) -> TextEmbedder | None:
    if threads not in _MODELS:
        started = time.perf_counter()
        _MODELS[threads] = load_embedder(threads)   # None, with a warning, when it cannot load
        if _MODELS[threads] is not None:
            log.info("sentence-embedding model loaded in %.2f s", time.perf_counter() - started)
    return _MODELS[threads]


def embedder_for(out_dir: Path | None, meaning: bool, threads: int | None = None) -> CachedEmbedder | None:
    """The embedder alignment uses (None: wording alone, asked for or forced by a model
    that cannot load), its vectors kept in OUT/.plandiff/ when there is an OUT."""
    if not meaning:
        return None
    model = _model(threads)
    if model is None:
        return None
    key = (str(out_dir) if out_dir is not None else None, threads)
    if key not in _EMBEDDERS:
        store = SqliteEmbeddingStore(out_dir) if out_dir is not None else None
        _EMBEDDERS[key] = CachedEmbedder(model, store)
    return _EMBEDDERS[key]


def _alignments(plans: list[PlanDocument], reference: PlanDocument, cache: Cache,
                config: RunConfig, out_dir: Path | None = None) -> list[Alignment]:
    embedder = embedder_for(out_dir, config.meaning)
    # Rows aligned with meaning and without differ: the model is part of the key.
    ref_key = stable_hash(reference.doc_id, reference.items, config.align,
                          embedder.name if embedder is not None else "wording")
    keys = [stable_hash(plan.doc_id, ref_key) for plan in plans]
    done: dict[str, list[Alignment]] = {}
    todo: list[tuple[str, PlanDocument]] = []
    for key, plan in zip(keys, plans, strict=True):
        cached = cache.get("align", key)
        if cached is not None:
            done[key] = cached
        elif key not in done:
            done[key] = []   # placeholder until aligned, so a repeated plan is aligned once
            todo.append((key, plan))
    log.info("aligning %d plans against %s (%d cached)", len(todo), reference.doc_id, len(keys) - len(todo))
    for key, rows in _align_new(todo, reference, config, out_dir, embedder):
        cache.put("align", key, rows)
        done[key] = rows
    if embedder is not None and todo:
        log.info("embedding cache (this process so far): %d texts embedded, %d found embedded",
                 embedder.computed, embedder.reused)
    return [row for key in keys for row in done[key]]


def _align_new(todo: list[tuple[str, PlanDocument]], reference: PlanDocument,
               config: RunConfig, out_dir: Path | None, embedder: CachedEmbedder | None):
    """(key, rows) for each plan, in chunks spread over the workers when there
    are enough plans to pay for starting them."""
    workers = config.workers or os.cpu_count() or 1
    if len(todo) < 2 * ALIGN_CHUNK or (config.engine == "local" and workers == 1):
        for key, plan in todo:
            yield key, _align_one(plan, reference, config.align, embedder)
        return
    # Alignment needs the items, not the page texts: leave those behind.
    light_ref = replace(reference, source=None)
    chunks = [todo[i:i + ALIGN_CHUNK] for i in range(0, len(todo), ALIGN_CHUNK)]
    tasks = [(align_chunk, ([replace(p, source=None) for _, p in chunk], light_ref, config.align,
                            str(out_dir) if out_dir is not None else None, config.meaning))
             for chunk in chunks]
    executor = make_executor(config.engine, min(workers, len(tasks)), config.address)
    try:
        for index, result in executor.run(tasks):
            if isinstance(result, Crashed):
                raise AlignError(f"aligning failed: {result.reason}")
            yield from zip((key for key, _ in chunks[index]), result, strict=True)
    finally:
        executor.close()


def align_chunk(plans: list[PlanDocument], reference: PlanDocument, config: AlignConfig,
                out_dir: str | None = None, meaning: bool = False) -> list[list[Alignment]]:
    """Worker task: align several plans against one reference (the worker's own
    single-threaded model when `meaning`)."""
    embedder = embedder_for(Path(out_dir) if out_dir else None, meaning, threads=1)
    return [_align_one(plan, reference, config, embedder) for plan in plans]


def _align_one(plan: PlanDocument, reference: PlanDocument, config: AlignConfig,
               embedder: CachedEmbedder | None = None) -> list[Alignment]:
    """One plan's alignment; a failure names the plan instead of ending in a traceback."""
    try:
        return align(plan, reference, config, embedder)
    except Exception as exc:
        where = plan.source.source_path if plan.source else plan.doc_id
        raise AlignError(f"aligning {where} against {reference.doc_id} failed: "
                         f"{type(exc).__name__}: {exc}") from exc


def _mark_duplicates(outcomes: list[DocOutcome]) -> None:
    first: dict[str, str] = {}
    for o in outcomes:
        if o.plan is None or o.sha256 is None:
            continue
        if o.sha256 in first:
            o.error = f"duplicate of {first[o.sha256]} (same content); processed once"
            o.error_vi = f"Trùng nội dung với tệp {first[o.sha256]}; chỉ xử lý một lần"
            o.plan = None
        else:
            first[o.sha256] = o.path


def summarize(result: RunResult) -> dict:
    """What a run did, for the CLI's summary and scripts (`--json`)."""
    ref = result.reference
    assert ref is not None, "a run that did work always has a reference"
    counts = result.counts()
    plans: list[dict] = []
    for o in result.outcomes:
        status = DocumentStatus.OK if o.plan else DocumentStatus.FAILED
        row: dict = {"path": o.path, "status": status.value, "error": o.error}
        if o.role is not DocumentRole.PLAN:
            row["role"] = o.role.value
        if o.plan:
            r = result.routes.get(o.plan.doc_id)
            row.update(doc_id=o.plan.doc_id, admin_level=o.plan.meta.admin_level.value,
                       items=len(o.plan.items),
                       **{s.value: counts.get(o.plan.doc_id, {}).get(s.value, 0) for s in Status})
            if r is not None:
                row.update(reference_doc_id=r.parent_id, reference_match=r.match.value,
                           reference_flagged=r.flagged)
        plans.append(row)
    families = []
    if result.consensus is not None:
        path_of = {o.plan.doc_id: o.path for o in result.outcomes if o.plan is not None}
        fam = result.consensus.families
        families = [sorted(path_of.get(d, d) for d in fam.members(f)) for f in sorted(set(fam.family_of.values()))
                    if len(fam.members(f)) > 1]
    used = Counter(r.parent_id for r in result.routes.values())
    references = [{"doc_id": r.doc_id, "path": r.source.source_path if r.source else None,
                   "number": r.meta.plan_number, "title": r.meta.title, "inferred": r.inferred,
                   "items": len(r.items), "plans": used[r.doc_id]} for r in result.references]
    return {"reference": {"doc_id": ref.doc_id, "inferred": ref.inferred, "title": ref.meta.title,
                          "items": len(ref.items), "template_families": families},
            "references": references, "plans": plans, "out": str(result.out_dir), "processed": result.processed,
            "tables": list(TABLE_NAMES)}
