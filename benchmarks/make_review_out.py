"""A large output folder for the review workbench: many plans against one reference, without OCR.

    .venv/bin/python benchmarks/make_review_out.py [--plans 1000] [--items 100] [--work DIR] [--fresh]

Writes plain-text plans that read like the real ones (commune plans implementing a
provincial plan: a header, legal bases, purposes, numbered tasks with their lead,
partners and timeline, organisation), then runs them through the library exactly as
`plandiff run` does (plandiff.pipeline.run: ingest, parse, align, tables; no report).
So `documents.sha256`/`source_path` are the files' own, items are keyed by their
text as the decisions store expects, and `plandiff run` on the same folder later
re-applies the reviewers' decisions.

The task texts are the alignable items of the seed plans (data/seeds, the OCR seed
002 left out).  The reference takes `--items` of them; each plan keeps most of them
(some word for word, some reworded, some with another lead or timeline, a few
neighbours swapped), drops a few and adds as many items of its own, so that every
plan has exactly `--items` alignable items.

Everything is cached under --work (default: a folder in the temp dir named after
this script): the texts, and the output folder with a stamp of the parameters;
a second call with the same parameters returns at once.  `review_load.py` imports
`build_review_out` from here.
"""
from __future__ import annotations

import argparse
import json
import random
import re
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass, replace
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO / "data" / "seeds"
OCR_SEED = "002_"          # an English-model OCR text: its items would read as garbled
GENERATOR_VERSION = 3      # bump when the texts change, so cached folders are rebuilt
DEFAULT_WORK = Path(tempfile.gettempdir()) / "plandiff-review-load"

SCAFFOLD_POINTS = 3        # alignable points every plan_text has besides the tasks (purpose,
                           # requirement, organisation): the reference gets --items minus these tasks
TASKS_PER_SECTION = 10     # numbered tasks (1.1., 1.2. ...) under each section heading
DROP_SHARE = 0.08          # reference items a plan leaves out (and replaces by its own)
REWORD_SHARE = 0.25        # kept items whose wording the plan changes
ATTRIBUTE_SHARE = 0.10     # kept items with another lead or timeline
SWAP_SHARE = 0.04          # neighbouring items that trade places

PROVINCE = "Quảng Ngãi"
# Commune names are built from these so that each plan is a different office's file.
PLACE_PREFIXES = ("Đông", "Tây", "Nam", "Bắc", "Thượng", "Hạ", "Tân", "Phú", "An", "Bình")
PLACE_STEMS = ("Trà Bồng", "Sơn Hà", "Ba Tơ", "Minh Long", "Nghĩa Hành", "Đức Phổ", "Mộ Đức", "Tư Nghĩa",
               "Bình Sơn", "Sơn Tịnh", "Trà Giang", "Sơn Tây", "Ba Vì", "Đăk Tô", "Ngọk Tụ",
               "Kon Plông", "Tịnh Khê", "Nghĩa Kỳ", "Phổ Thạnh", "Long Sơn")
# Offices named at every level: a commune plan gives the duty to its own office
# ("Công an tỉnh" -> "Công an xã"), which the aligner reads as the same lead.
OFFICES = ("Văn phòng UBND", "Công an", "Trung tâm Phục vụ hành chính công", "Ủy ban Mặt trận Tổ quốc Việt Nam",
           "Đoàn TNCS Hồ Chí Minh", "Hội Liên hiệp Phụ nữ", "Trung tâm Văn hóa, Thông tin và Thể thao")
COMMUNE_ONLY_LEADS = ("Phòng Văn hóa - Xã hội", "Phòng Kinh tế")   # a lead no reference task has
PARTNERS = ("Các cơ quan, đơn vị, địa phương", "Các thôn, tổ dân phố")
TIMELINES = ("Thường xuyên", "Thường xuyên trong năm", "Quý II/2025", "Quý III/2025", "Quý IV/2025",
             "Trong năm 2025", "Tháng 9/2025")
SECTION_TOPICS = ("Về cải cách hành chính", "Về chuyển đổi số", "Truyền thông trên các phương tiện thông tin "
                  "đại chúng", "Truyền thông trên môi trường mạng", "Tập huấn, bồi dưỡng", "Về dịch vụ công "
                  "trực tuyến", "Về chính quyền số", "Về kinh tế số và xã hội số", "Thi đua, khen thưởng",
                  "Kiểm tra, giám sát", "Các nhiệm vụ khác")
# How a commune rewords a provincial task: one phrase for another, as the plans do.
REWORDINGS = (("truyền thông", "tuyên truyền"), ("tuyên truyền", "truyền thông"),
              ("đẩy mạnh", "tăng cường"), ("tăng cường", "đẩy mạnh"), ("của tỉnh", "của xã"),
              ("trên địa bàn tỉnh", "trên địa bàn xã"), ("cán bộ, công chức, viên chức", "cán bộ, công chức"),
              ("người dân, doanh nghiệp", "người dân và doanh nghiệp"), ("Tổ chức", "Tiếp tục tổ chức"))
ADDENDA = (" trên địa bàn xã", " đến các thôn, tổ dân phố", " theo chỉ đạo của UBND xã",
           " phù hợp với tình hình thực tế của địa phương")


@dataclass(frozen=True)
class Task:
    text: str
    office: str         # the lead office, without its level
    partners: str
    timeline: str


# ------------------------------------------------------------------ the texts

def task_pool() -> list[str]:
    """The alignable item texts of the clean seed plans, each once, in seed order."""
    seen: set[str] = set()
    pool = []
    for path in sorted(SEEDS.glob("*.txt")):
        if path.name.startswith(OCR_SEED):
            continue
        for item in alignable_items(path):
            text = re.sub(r"\s+", " ", item.full_text).strip().rstrip(";:,")
            # A text that reads like a label or an attribute line would be parsed as one.
            if len(text.split()) < 6 or text.lower() in seen or re.match(r"^[\w.]{1,6}[.)]\s", text):
                continue
            seen.add(text.lower())
            pool.append(text)
    return pool


def reword(text: str, rng: random.Random) -> str:
    """A commune's wording of a provincial task: a phrase swapped, or an ending added."""
    options = [(a, b) for a, b in REWORDINGS if a in text]
    if options and rng.random() < 0.7:
        old, new = rng.choice(options)
        return text.replace(old, new, 1)
    return text.rstrip(".") + rng.choice(ADDENDA) + "."


def reference_tasks(pool: list[str], count: int, rng: random.Random) -> list[Task]:
    return [Task(text, rng.choice(OFFICES), PARTNERS[0], rng.choice(TIMELINES)) for text in pool[:count]]


def plan_tasks(reference: list[Task], extras: list[str], rng: random.Random) -> list[Task]:
    """One commune's tasks: the reference's, kept, reworded or re-attributed, a few
    dropped and as many of its own added, so the count stays the reference's."""
    kept = []
    for task in reference:
        if rng.random() < DROP_SHARE:
            continue
        text = reword(task.text, rng) if rng.random() < REWORD_SHARE else task.text
        changed = task
        if rng.random() < ATTRIBUTE_SHARE:
            changed = replace(task, timeline=rng.choice([t for t in TIMELINES if t != task.timeline]))
        if rng.random() < ATTRIBUTE_SHARE:
            changed = replace(changed, office=rng.choice(COMMUNE_ONLY_LEADS))
        kept.append(replace(changed, text=text))
    for k in range(len(kept) - 1):
        if rng.random() < SWAP_SHARE:
            kept[k], kept[k + 1] = kept[k + 1], kept[k]
    for text in rng.sample(extras, len(reference) - len(kept)):
        kept.insert(rng.randrange(len(kept) + 1),
                    Task(text, rng.choice(OFFICES + COMMUNE_ONLY_LEADS), rng.choice(PARTNERS),
                         rng.choice(TIMELINES)))
    return kept


def plan_text(tasks: list[Task], *, issuer: str, place: str, number: int, month: int, day: int,
              level_word: str) -> str:
    """A plan as the offices write them, tasks numbered 1.1., 1.2. under sections."""
    lines = [f"ỦY BAN NHÂN DÂN {issuer.upper()}", f"Số: {number}/KH-UBND",
             f"{place}, ngày {day} tháng {month} năm 2025", "", "KẾ HOẠCH",
             f"Truyền thông về cải cách hành chính và chuyển đổi số {level_word} {place} năm 2025", "",
             "Căn cứ Kế hoạch số 82/KH-UBND ngày 17/4/2025 của UBND tỉnh Quảng Ngãi về truyền thông về "
             "cải cách hành chính và chuyển đổi số tỉnh Quảng Ngãi năm 2025;",
             f"Ủy ban nhân dân {level_word} {place} ban hành Kế hoạch truyền thông về cải cách hành chính "
             f"và chuyển đổi số năm 2025 như sau:",
             "I. MỤC ĐÍCH, YÊU CẦU", "1. Mục đích", "Nâng cao nhận thức về cải cách hành chính và chuyển đổi số.",
             "2. Yêu cầu", "Bảo đảm thiết thực, hiệu quả, đúng tiến độ.",
             "II. NHIỆM VỤ, HOẠT ĐỘNG CỤ THỂ"]
    for start in range(0, len(tasks), TASKS_PER_SECTION):
        section = start // TASKS_PER_SECTION + 1
        lines.append(f"{section}. {SECTION_TOPICS[(section - 1) % len(SECTION_TOPICS)]}")
        for k, task in enumerate(tasks[start:start + TASKS_PER_SECTION], 1):
            lines += [f"{section}.{k}. {task.text}", f"- Cơ quan chủ trì: {lead(task.office, level_word)}.",
                      f"- Cơ quan phối hợp: {task.partners}.", f"- Thời gian thực hiện: {task.timeline}."]
    lines += ["III. KINH PHÍ", "Kinh phí thực hiện từ nguồn ngân sách và các nguồn hợp pháp khác.",
              "IV. TỔ CHỨC THỰC HIỆN",
              "Trên đây là Kế hoạch truyền thông về cải cách hành chính và chuyển đổi số năm 2025.",
              "", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "", "Nguyễn Văn An", ""]
    return "\n".join(lines)


def lead(office: str, level_word: str) -> str:
    return office if office in COMMUNE_ONLY_LEADS else f"{office} {level_word}"


def commune(n: int) -> str:
    prefix = PLACE_PREFIXES[n % len(PLACE_PREFIXES)]
    stem = PLACE_STEMS[(n // len(PLACE_PREFIXES)) % len(PLACE_STEMS)]
    return f"{prefix} {stem}"


def alignable_items(path: Path) -> list:
    from plandiff.align import alignable
    from plandiff.ingest import IngestConfig, ingest
    from plandiff.parse import parse

    return alignable(parse(ingest(path, replace(IngestConfig(), restore_diacritics=False))))


def write_texts(folder: Path, plans: int, items: int, seed: int) -> tuple[Path, Path]:
    """The reference file and a folder of `plans` plan files; returns (reference, plans folder)."""
    rng = random.Random(seed)
    pool = task_pool()
    if len(pool) < items + items // 4:
        raise SystemExit(f"error: the seeds give {len(pool)} task texts; --items {items} needs "
                         f"{items + items // 4}")
    reference = reference_tasks(pool, items - SCAFFOLD_POINTS, rng)
    extras = pool[len(reference):]
    folder.mkdir(parents=True, exist_ok=True)
    ref_path = folder / "reference.txt"
    ref_path.write_text(plan_text(reference, issuer=f"tỉnh {PROVINCE}", place=PROVINCE, number=82,
                                  month=4, day=17, level_word="tỉnh"), encoding="utf-8")
    found = len(alignable_items(ref_path))
    if found != items:   # the parser read the scaffold differently: the counts would be wrong
        raise SystemExit(f"error: the reference has {found} alignable items, not {items}")
    plans_dir = folder / "plans"
    if plans_dir.exists():
        shutil.rmtree(plans_dir)
    plans_dir.mkdir()
    for n in range(plans):
        place = commune(n)
        text = plan_text(plan_tasks(reference, extras, rng), issuer=f"xã {place}", place=place,
                         number=100 + n, month=rng.randint(5, 9), day=rng.randint(1, 28), level_word="xã")
        (plans_dir / f"kh_{n:04d}.txt").write_text(text, encoding="utf-8")
    return ref_path, plans_dir


# ------------------------------------------------------------------ the output folder

@dataclass(frozen=True)
class Built:
    out: Path
    reference: Path
    plans_dir: Path
    seconds: float          # building the tables (measured when it was built, also for a cached folder)
    texts_seconds: float    # writing the texts
    cached: bool


def build_review_out(work: Path, plans: int = 1000, items: int = 100, seed: int = 20261204,
                     fresh: bool = False) -> Built:
    """The output folder for `plans` x `items`, built under `work` or taken from there."""
    from plandiff.ingest import IngestConfig

    from plandiff.outputs import tables_exist
    from plandiff.pipeline import RunConfig, run

    stamp = {"generator": GENERATOR_VERSION, "plans": plans, "items": items, "seed": seed}
    base = work / f"p{plans}_i{items}_s{seed}"
    out, stamp_file = base / "out", base / "stamp.json"
    if not fresh and stamp_file.is_file() and tables_exist(out):
        recorded = json.loads(stamp_file.read_text())
        if recorded.get("params") == stamp:
            return Built(out, base / "texts" / "reference.txt", base / "texts" / "plans",
                         recorded["seconds"], recorded["texts_seconds"], cached=True)
    if base.exists():
        shutil.rmtree(base)
    t0 = time.perf_counter()
    ref_path, plans_dir = write_texts(base / "texts", plans, items, seed)
    t1 = time.perf_counter()
    # The texts have their diacritics: restoration would find nothing to do.
    config = RunConfig(ingest=replace(IngestConfig(), restore_diacritics=False))
    result = run([plans_dir], ref_path, out, config)
    if result.failed:
        raise SystemExit(f"error: {len(result.failed)} synthetic plans failed: {result.failed[0].error}")
    t2 = time.perf_counter()
    stamp_file.write_text(json.dumps({"params": stamp, "seconds": t2 - t1, "texts_seconds": t1 - t0}))
    return Built(out, ref_path, plans_dir, t2 - t1, t1 - t0, cached=False)


def describe(out: Path) -> dict:
    """Counts a reader checks the folder by: plans, alignable rows per plan, verdicts."""
    import pyarrow.parquet as pq

    from plandiff.storage import DATA_FILE

    docs = pq.read_table(out / "documents" / DATA_FILE).to_pandas()
    rows = pq.read_table(out / "alignments" / DATA_FILE, columns=["doc_id", "item_id", "status"]).to_pandas()
    plan_ids = set(docs.loc[docs.role == "plan", "doc_id"])
    per_plan = rows[rows.item_id.notna()].groupby("doc_id").item_id.nunique()
    return {"plans": len(plan_ids), "failed": int((docs.status == "failed").sum()),
            "plan_items_min": int(per_plan.min()), "plan_items_max": int(per_plan.max()),
            "rows": len(rows), **{s: int((rows.status == s).sum()) for s in ("carried", "modified", "dropped",
                                                                            "added")}}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--plans", type=int, default=1000)
    ap.add_argument("--items", type=int, default=100, help="alignable items of the reference and of each plan")
    ap.add_argument("--seed", type=int, default=20261204)
    ap.add_argument("--work", type=Path, default=DEFAULT_WORK)
    ap.add_argument("--fresh", action="store_true", help="rebuild even if a matching folder is cached")
    args = ap.parse_args(argv)
    built = build_review_out(args.work, args.plans, args.items, args.seed, args.fresh)
    print(f"{'cached' if built.cached else 'built'}: {built.out}; texts written in {built.texts_seconds:.1f} s, "
          f"tables built in {built.seconds:.1f} s ({args.plans / built.seconds:.1f} plans/s)")
    print(json.dumps(describe(built.out)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
