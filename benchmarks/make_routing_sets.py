#!/usr/bin/env python3
"""Synthetic sets for routing plans to the parent they implement, and for lineage down a chain.

    .venv/bin/python benchmarks/make_routing_sets.py --out OUT [--chain-seeds 1,2,3] [--no-heldout]
                                                     [--plans 1000] [--seed 1]
    .venv/bin/python benchmarks/make_routing_sets.py --small --out tests/fixtures/routing

Built on the bench's generator (`make_synth.py` in bench/ of the shared folder,
loaded as in make_family_sets.py): parents composed from the item pool,
children derived from them with `derive_child`, text files only.

* `OUT/mixed/`: a library of three parent plans (`refs/`) and 30 child plans
  (`plans/`).  The parents differ the way real parents differ:
    - `a_tinh_82.txt`: Kế hoạch số 82/KH-UBND of UBND tỉnh, administrative reform and
      digital transformation (the bench's usual composition);
    - `b_tinh_qd_2074.txt`: Quyết định số 2074/QĐ-UBND of the Chủ tịch UBND tỉnh issuing
      a plan on administrative reform only, the plan attached after the decision; it
      shares about 40 % of its items with a (the hard case for routing by content);
    - `c_huyen_105.txt`: Kế hoạch số 105/KH-UBND of UBND huyện Sơn Hà on digital
      transformation only, no item in common with the other two.
  25 children cite their parent in one of the forms people write ("Thực hiện Kế
  hoạch số …", "Căn cứ …", "Triển khai …", "Thực hiện chỉ đạo của … tại Kế hoạch số
  …", a numbered "CĂN CỨ XÂY DỰNG KẾ HOẠCH" section, the decision that issued the
  plan, "Kế hoạch … ban hành kèm theo Quyết định số …"), a third of them with the
  number damaged as OCR damages it (`8Z/KH-UBND`, `82/KH-UBNĐ`, `82 KH-UBND`,
  `B2/KH-UBND`, `1O5/KH-UBND` …), and half of them cite other legal bases too (a
  decree, a resolution, another provincial plan that is not in the library).
  5 children cite no parent of the library: two cite nothing, three cite plans
  outside it (one with the number of `a` but another issuer and date, one with a
  number one off `a`'s; and one plan of the batch is itself numbered 83/KH-UBND, with
  another issuer and its day left blank: a trap for matching by number alone).  Of
  these, three are derived from a library parent (a content router can find it, and
  must flag it) and two from parents outside it.
* `OUT/chains_sNN/`: a province plan (`refs/tinh.txt`), two district plans derived
  from it and citing it, and two or three commune plans derived from each district
  plan, citing their district plan and not the province (`plans/`).  truth.json
  composes the per-link truths into the lineage of every province item.
  Seeds 1, 2, 3 (`--chain-seeds`) are the tuning seeds; seed HELDOUT_SEED (9) is the
  held-out set: written as `heldout_chains_s09/`, to be scored apart and never looked at
  while routing or lineage is tuned (`--no-heldout` leaves it out).
* `OUT/scaled/` (with `--plans N`): N children across the three parents of the mixed
  batch (the same recipe, one in six citing no library parent), for timing.
* `--small`: the committed test fixtures (tests/fixtures/routing/): a province parent of
  about 12 items, an unrelated second parent, a district plan citing the province with
  an OCR-damaged number, two commune plans citing the district plan, one plan citing
  nothing.  Each file is under 6 KB.

truth.json of `mixed`/`scaled` (schema plandiff-routing-truth/1):

    {"schema", "generator", "seed", "pool_sha256",
     "refs":  {FILE: {"key", "sha256", "kind": "plan"|"decision", "plan_number", "decision_number",
                      "issued_on", "issuer", "title", "topic", "shared_with": {FILE: share of items}}},
     "children": {FILE: {"key", "sha256", "level", "parent": REF FILE | null, "cites": bool,
                         "derived_from": REF FILE | "outside:<key>", "form", "ocr": kind | null,
                         "cited_number": as written | null, "true_number": clean | null,
                         "other_bases": [numbers], "fates": [bench fates against derived_from]}},
     "outside": {KEY: {"plan_number", "issued_on", "issuer"}}}

truth.json of `chains_sNN` (schema plandiff-routing-chains/1):

    {"schema", "generator", "seed", "heldout": bool,
     "root": DOC (the bench's doc_meta: items with ids P.NNN), "root_file": "refs/tinh.txt",
     "plans": {FILE: {"key", "sha256", "level", "parent": FILE, "depth", "path": [keys from the
                      root's child down], "form", "ocr", "cited_number", "true_number",
                      "items": the bench's item records}},
     "links": [{"parent": FILE, "child": FILE, "fates": bench fates (per link)}],
     "lineage": [{"root_item": "P.012", "plan": FILE, "depth", "path": [FILE, ...],
                  "status": "carried"|"modified"|"dropped", "lost_at": FILE | null,
                  "item_ids": [the plan's items carrying it], "via_item_ids": [intermediate items]}]}

Every output is a function of the seed (no clock, no set order): running twice gives
the same bytes.
"""
from __future__ import annotations

import argparse
import copy
import datetime as dt
import hashlib
import json
import random
import sys
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

from make_family_sets import load_make_synth
from shared_paths import require, shared

GENERATOR = "make_routing_sets/1"
HELDOUT_SEED = 9          # chains set kept out of tuning: score it apart, never tune on it
TUNING_SEEDS = (1, 2, 3)
MIXED_CHILDREN = 30
SHARED_AB = 0.8         # share of a's pool units b is offered first (b shares ~40 % of a's items)
OCR_SHARE = 1 / 3         # share of citing children whose cited number is damaged

# Other legal bases children cite beside the parent (none of them is in the library).
OTHER_BASES = [
    ("Nghị định", "45/2020/NĐ-CP",
     "Nghị định số 45/2020/NĐ-CP ngày 08/4/2020 của Chính phủ về thực hiện thủ tục hành chính trên môi "
     "trường điện tử"),
    ("Nghị quyết", "76/NQ-CP",
     "Nghị quyết số 76/NQ-CP ngày 15/7/2021 của Chính phủ ban hành Chương trình tổng thể cải cách hành "
     "chính nhà nước giai đoạn 2021 - 2030"),
    ("Nghị quyết", "57-NQ/TW",
     "Nghị quyết số 57-NQ/TW ngày 22/12/2024 của Bộ Chính trị về đột phá phát triển khoa học, công nghệ, "
     "đổi mới sáng tạo và chuyển đổi số quốc gia"),
    ("Kế hoạch", "223/KH-UBND",
     "Kế hoạch số 223/KH-UBND ngày 15/11/2024 của Chủ tịch UBND tỉnh về chuyển đổi số tỉnh Quảng Ngãi "
     "năm 2025"),
    ("Quyết định", "06/QĐ-TTg",
     "Quyết định số 06/QĐ-TTg ngày 06/01/2022 của Thủ tướng Chính phủ phê duyệt Đề án phát triển ứng dụng "
     "dữ liệu về dân cư, định danh và xác thực điện tử phục vụ chuyển đổi số quốc gia giai đoạn 2022 - 2025"),
]
PROVINCE_BASIS = ("Kế hoạch", "64/KH-UBND",
                  "Kế hoạch số 64/KH-UBND ngày 10/3/2025 của UBND tỉnh Quảng Ngãi về truyền thông cải cách "
                  "hành chính và chuyển đổi số tỉnh Quảng Ngãi năm 2025")
LAW_BASIS = "Luật Tổ chức chính quyền địa phương ngày 19/6/2015"

# Citation forms of a plan parent and of a decision parent.
PLAN_FORMS = ("thuc_hien", "can_cu", "trien_khai", "chi_dao", "numbered")
DECISION_FORMS = ("qd_thuc_hien", "qd_can_cu", "kem_theo", "qd_chi_dao", "qd_numbered")
# OCR damage of a cited number: kind -> function of the clean number.
OCR_KINDS = ("letter_z", "letter_b", "d_bar", "lost_slash", "letter_o", "letter_l", "spaced")


def _swap_digit(number: str, digit: str, letter: str) -> str | None:
    head, _, tail = number.partition("/")
    if digit not in head:
        return None
    k = head.index(digit)
    return head[:k] + letter + head[k + 1:] + "/" + tail


def _damaged(number: str, kind: str) -> str | None:
    """`number` as OCR may read it with damage `kind`; None when the kind does not apply."""
    if kind == "letter_z":
        return _swap_digit(number, "2", "Z")
    if kind == "letter_b":
        return _swap_digit(number, "8", "B")
    if kind == "letter_o":
        return _swap_digit(number, "0", "O")
    if kind == "letter_l":
        return _swap_digit(number, "1", "l")
    if kind == "d_bar":
        return number.replace("UBND", "UBNĐ") if "QĐ" not in number else number.replace("QĐ", "QD")
    if kind == "spaced":
        return number.replace("/", "/ ", 1).replace("-", " - ", 1)
    return number.replace("/", " ", 1)   # lost_slash


def damage(number: str, kind: str) -> str:
    """`number` damaged the way `kind` says, else with its slash lost."""
    return _damaged(number, kind) or _damaged(number, "lost_slash") or number


def ocr_kind(number: str, turn: int) -> str:
    """The turn-th damage kind (cycling) among those that apply to `number`."""
    kinds = [k for k in OCR_KINDS if _damaged(number, k)]
    return kinds[turn % len(kinds)]


# ----------------------------------------------------------------------------- parents


@dataclass
class RefSpec:
    """How one parent of the library is composed and cited."""
    key: str
    file: str
    level: str                  # province | district
    place: str | None           # district name
    kind: str                   # plan | decision
    number: str                 # plan number, or the decision's number
    date: dt.date
    title: str
    topic: str                  # both | cchc | cds
    cited_as: str               # issuer as children write it ("UBND tỉnh Quảng Ngãi")


class TopicPicker:
    """The bench's Picker that keeps out a topic and offers some units first."""

    def __init__(self, base, exclude_topic: str | None, prefer: set[str]):
        self.base, self.exclude, self.prefer = base, exclude_topic, prefer

    def __getattr__(self, name):
        return getattr(self.base, name)

    def candidates(self, part, topics=None, level=None, kinds=None):
        out = [u for u in self.base.candidates(part, topics, level, kinds) if u["topic"] != self.exclude]
        return sorted(out, key=lambda u: u["id"] not in self.prefer)   # stable: the shuffle stays


def _retitle(doc, new_title: str) -> None:
    old = doc.title[0].lower() + doc.title[1:]
    new = new_title[0].lower() + new_title[1:]
    doc.preamble = [p.replace(old, new) for p in doc.preamble]
    doc.closing = [p.replace(old, new) for p in doc.closing]
    doc.title = new_title


def _prune_empty(doc) -> None:
    for top in doc.body:
        top.children = [s for s in top.children if s.kind != "section" or s.children or s.scored]
    doc.body = [t for t in doc.body if t.children or t.part == "budget"]


def compose_ref(ms: ModuleType, ctx, spec: RefSpec, exclude_topic: str | None, prefer: set[str],
                blocked: set[str]):
    """A parent composed by the bench's compose_parent, then given its identity."""
    base = ms.Picker(ctx.pool, ctx.rng)
    base.blocked |= blocked
    picker = TopicPicker(base, exclude_topic, prefer)
    saved_picker, saved_profile = ctx.picker, ctx.profile
    ctx.picker = picker
    ctx.profile = ms.Profile("routing", parent_levels=(spec.level,))
    try:
        doc = ms.compose_parent(ctx)
    finally:
        ctx.picker, ctx.profile = saved_picker, saved_profile
    _prune_empty(doc)
    if spec.level == "district":   # compose_parent draws the district's name
        old = doc.name
        doc.name, doc.place = spec.place, spec.place
        doc.issuer_lines = ms.issuer_for("district", spec.place)
        doc.preamble = [p.replace(old, spec.place) for p in doc.preamble]
        doc.title = doc.title.replace(old, spec.place)
        doc.closing = [p.replace(old, spec.place) for p in doc.closing]
        for it, _, _ in doc.items():
            it.text = it.text.replace(f"huyện {old}", f"huyện {spec.place}")
        # the provincial plan a district parent implements is never one of the library
        doc.preamble[0] = f"Thực hiện {PROVINCE_BASIS[2]};"
        doc.citations[0] = {"kind": PROVINCE_BASIS[0], "number": PROVINCE_BASIS[1], "issued_on": "2025-03-10",
                            "raw": PROVINCE_BASIS[2]}
    _retitle(doc, spec.title)
    doc.date = spec.date
    doc.number = spec.number if spec.kind == "plan" else None
    doc.key = spec.key
    ids = set()
    for it, _, _ in doc.items():
        if it.pool_id:
            ids.add(it.pool_id)
    return doc, ids


def write_decision(ms: ModuleType, doc, spec: RefSpec, path: Path) -> None:
    """The decision that issues the plan, then the plan attached to it."""
    d = spec.date
    about = doc.title[0].lower() + doc.title[1:]
    lines = [
        "ỦY BAN NHÂN DÂN    CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "TỈNH QUẢNG NGÃI    Độc lập - Tự do - Hạnh phúc",
        f"Số: {spec.number}    Quảng Ngãi, ngày {d.day} tháng {d.month} năm {d.year}",
        "", "QUYẾT ĐỊNH", f"Về việc ban hành Kế hoạch {about}", "",
        "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH QUẢNG NGÃI", "",
        f"Căn cứ {LAW_BASIS};",
        f"Căn cứ {OTHER_BASES[1][2]};",
        "Theo đề nghị của Giám đốc Sở Nội vụ tại Tờ trình số 415/TTr-SNV ngày 10/3/2025.", "",
        "QUYẾT ĐỊNH:", "",
        f"Điều 1. Ban hành kèm theo Quyết định này Kế hoạch {about}.",
        "Điều 2. Quyết định này có hiệu lực thi hành kể từ ngày ký.",
        "Điều 3. Chánh Văn phòng UBND tỉnh, Giám đốc các sở, Thủ trưởng các ban, ngành thuộc tỉnh, Chủ tịch "
        "UBND các huyện, thị xã, thành phố và các cơ quan, đơn vị có liên quan chịu trách nhiệm thi hành "
        "Quyết định này./.", "",
        "Nơi nhận:", "- Như Điều 3;", "- Bộ Nội vụ;", "- CT, các PCT UBND tỉnh;", "- Lưu: VT, NC.",
        "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", doc.signer[-1], "", "",
        "KẾ HOẠCH", doc.title,
        f"(Ban hành kèm theo Quyết định số {spec.number} ngày {d.day:02d}/{d.month:02d}/{d.year} của Chủ tịch "
        "UBND tỉnh Quảng Ngãi)", "",
    ]
    seen_item = False
    for style, text, item in ms.doc_paragraphs(doc):
        if style in ("header2", "center_bold", "recipients", "signer"):
            continue
        if item is None and not seen_item:
            continue   # the plan's own preamble: an attached plan has none
        seen_item = seen_item or item is not None
        lines.append(text)
        if style == "heading":
            lines.append("")
    path.write_text("\n".join(lines).rstrip() + "\n", encoding="utf-8")


# ----------------------------------------------------------------------------- citations


def cite(parent: RefSpec | dict, form: str, number_text: str) -> tuple[list[str], bool]:
    """Preamble lines citing the parent in `form`; True when they are a numbered basis section."""
    if isinstance(parent, RefSpec):
        d, who, title = parent.date, parent.cited_as, parent.title
    else:
        d, who, title = parent["date"], parent["cited_as"], parent["title"]
    date = f"{d.day:02d}/{d.month:02d}/{d.year}" if form != "can_cu" else f"{d.day}/{d.month}/{d.year}"
    about = title[0].lower() + title[1:]
    plan = f"Kế hoạch số {number_text} ngày {date} của {who} về {about}"
    boss = who.replace("UBND", "Chủ tịch UBND", 1)
    decision = f"Quyết định số {number_text} ngày {date} của {boss} về ban hành Kế hoạch {about}"
    lines = {
        "thuc_hien": f"Thực hiện {plan};",
        "can_cu": f"Căn cứ {plan};",
        "trien_khai": f"Triển khai {plan};",
        "chi_dao": f"Thực hiện chỉ đạo của {who} tại Kế hoạch số {number_text} ngày {date} về {about};",
        "numbered": f"{plan};",
        "qd_thuc_hien": f"Thực hiện {decision};",
        "qd_can_cu": f"Căn cứ {decision};",
        "kem_theo": f"Thực hiện Kế hoạch {about} ban hành kèm theo Quyết định số {number_text} ngày {date} "
                    f"của {boss};",
        "qd_chi_dao": f"Thực hiện chỉ đạo của {boss} tại {decision.replace(f' của {boss}', '')};",
        "qd_numbered": f"{decision};",
    }
    return [lines[form]], form in ("numbered", "qd_numbered")


def child_preamble(rng: random.Random, parent_lines: list[str], numbered: bool, others: list[tuple],
                   closing_line: str) -> list[str]:
    """The child's preamble: the parent citation among the other bases, or a numbered section."""
    if numbered:
        entries = [LAW_BASIS] + [o[2] for o in others]
        at = rng.randint(1, len(entries))
        entries.insert(at, parent_lines[0].rstrip(";"))
        out = ["I. CĂN CỨ XÂY DỰNG KẾ HOẠCH"]
        for k, e in enumerate(entries):
            out.append(f"{k + 1}. {e}{'.' if k == len(entries) - 1 else ';'}")
        return out
    lines = [f"Căn cứ {o[2]};" for o in others]
    lines.insert(rng.randint(0, len(lines)), parent_lines[0])
    return lines + [closing_line]


def shift_parts(ms: ModuleType, doc) -> None:
    """After a numbered basis section (I.), the plan's parts start at II."""
    for pi, part in enumerate(doc.body):
        part.label = ms.label_for(doc.scheme["parts"], pi + 1)


# ----------------------------------------------------------------------------- children


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _spec(ms: ModuleType, key: str, level: str, name: str, fmt: str, **over):
    p = ms.PROFILES["public"]
    vals = dict(p_drop=p.p_drop, p_drop_section=p.p_drop_section, p_modify=p.p_modify, n_add=p.n_add,
                p_reorder=p.p_reorder, p_relevel=p.p_relevel)
    vals.update(over)
    return ms.ChildSpec(key, level, level, name, fmt, **vals)


def clean_copy(doc):
    """`doc` as a parent for the next link: its items' own provenance cleared, so that
    derive_child's truth is the truth of that link alone."""
    twin = copy.deepcopy(doc)
    for it, _, _ in twin.items():
        it.changes, it.adaptations, it.parents = [], [], []
        if it.scored:
            it.status = "parent"
    return twin


def derive(ms: ModuleType, ctx, parent, spec, cite_lines: list[str] | None, numbered: bool, others: list[tuple]):
    """A child of `parent` (any Doc) whose preamble cites what `cite_lines` says (None: no plan)."""
    saved = ctx.parent
    ctx.parent = parent
    try:
        child = ms.derive_child(ctx, spec)
    finally:
        ctx.parent = saved
    closing = child.preamble[-1]   # "Ủy ban nhân dân xã … ban hành Kế hoạch …, như sau:"
    if cite_lines is None:
        child.preamble = [f"Căn cứ {o[2]};" for o in others] + [closing]
        child.citations = [{"kind": o[0], "number": o[1], "raw": o[2]} for o in others]
    else:
        child.preamble = child_preamble(ctx.rng, cite_lines, numbered, others, closing)
        child.citations = [{"kind": o[0], "number": o[1], "raw": o[2]} for o in others]
    if numbered:
        child.scheme = ms.SCHEMES[ctx.rng.choice(["A", "C"])]   # parts I., II. …: the basis is I.
    return child


def write_child(ms: ModuleType, ctx, child, folder: Path, numbered: bool) -> Path:
    ms.assign_labels(child)
    if numbered:
        shift_parts(ms, child)
    path = folder / f"{child.key}_{ms.slug(child.name)}.txt"
    ms.write_txt(child, str(path), ctx.rng, wrapped=child.fmt == "txt_wrapped")
    return path


def _load_pool(ms: ModuleType) -> tuple[dict, str]:
    pool_path = Path(ms.HERE) / "pool.json"
    return json.loads(pool_path.read_text(encoding="utf-8")), hashlib.sha256(pool_path.read_bytes()).hexdigest()


def _fresh(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.iterdir():
        if old.is_file():
            old.unlink()
    return folder


# ----------------------------------------------------------------------------- mixed batch

LIBRARY = [
    RefSpec("a", "a_tinh_82.txt", "province", None, "plan", "82/KH-UBND", dt.date(2025, 3, 14),
            "Truyền thông về cải cách hành chính và chuyển đổi số năm 2025 trên địa bàn tỉnh Quảng Ngãi",
            "both", "UBND tỉnh Quảng Ngãi"),
    RefSpec("b", "b_tinh_qd_2074.txt", "province", None, "decision", "2074/QĐ-UBND", dt.date(2025, 3, 20),
            "Tuyên truyền cải cách hành chính nhà nước năm 2025 trên địa bàn tỉnh Quảng Ngãi",
            "cchc", "UBND tỉnh Quảng Ngãi"),
    RefSpec("c", "c_huyen_105.txt", "district", "Sơn Hà", "plan", "105/KH-UBND", dt.date(2025, 4, 2),
            "Truyền thông chuyển đổi số năm 2025 trên địa bàn huyện Sơn Hà", "cds", "UBND huyện Sơn Hà"),
]
# Plans outside the library that uncited children are derived from or cite.
OUTSIDE = [
    RefSpec("o83", "", "province", None, "plan", "83/KH-UBND", dt.date(2025, 1, 20),
            "Chuyển đổi số, xây dựng chính quyền số tỉnh Quảng Ngãi năm 2025", "cds", "UBND tỉnh Quảng Ngãi"),
    RefSpec("o82", "", "district", "Ba Tơ", "plan", "82/KH-UBND", dt.date(2025, 2, 5),
            "Cải cách hành chính năm 2025 trên địa bàn huyện Ba Tơ", "cchc", "UBND huyện Ba Tơ"),
]


def build_library(ms: ModuleType, ctx) -> tuple[dict, dict]:
    """The three library parents and the two outside ones (Docs by key), and the pool ids of each."""
    docs, ids = {}, {}
    a, ids["a"] = compose_ref(ms, ctx, LIBRARY[0], None, set(), set())
    docs["a"] = a
    ordered = sorted(ids["a"])
    ctx.rng.shuffle(ordered)
    shared_ids = set(ordered[: int(len(ordered) * SHARED_AB)])
    block_b = set(ordered) - shared_ids
    docs["b"], ids["b"] = compose_ref(ms, ctx, LIBRARY[1], "cds", shared_ids, block_b)
    docs["c"], ids["c"] = compose_ref(ms, ctx, LIBRARY[2], "cchc", set(), ids["a"] | ids["b"])
    # outside parents: o83 shares items with a (digital transformation), o82 with b
    docs["o83"], ids["o83"] = compose_ref(ms, ctx, OUTSIDE[0], "cchc", set(), set())
    docs["o82"], ids["o82"] = compose_ref(ms, ctx, OUTSIDE[1], "cds", set(), set())
    return docs, ids


def _scored_pool_ids(doc) -> set[str]:
    return {it.pool_id for it, _, _ in doc.items() if it.scored and it.pool_id}


def item_share(a, b) -> float:
    ia, ib = _scored_pool_ids(a), _scored_pool_ids(b)
    return round(len(ia & ib) / max(len(ia), 1), 3)


@dataclass
class ChildPlan:
    key: str
    derived_from: str            # library key or outside key
    cited: str | None            # key of the cited plan (library or outside) or None
    form: str | None
    ocr: str | None
    level: str
    n_others: int


def batch_recipe(rng: random.Random, n: int, n_uncited: int) -> list[ChildPlan]:
    """Who derives from and cites what, for n children of which n_uncited cite no library parent."""
    numbers = {s.key: s.number for s in LIBRARY}
    uncited_cycle = [("a", None), ("o83", "o83"), ("c", None), ("o82", "o82"), ("b", None)]
    plans: list[ChildPlan] = []
    counters = {"a": 0, "b": 0, "c": 0}
    n_cited = n - n_uncited
    ocr_slots = set(rng.sample(range(n_cited), round(n_cited * OCR_SHARE)))
    ocr_turn = {"a": 0, "b": 0, "c": 0}
    for k in range(n_cited):
        ref = "abc"[k % 3] if k % 10 != 9 else "a"
        forms = DECISION_FORMS if ref == "b" else PLAN_FORMS
        form = forms[counters[ref] % len(forms)]
        counters[ref] += 1
        ocr = None
        if k in ocr_slots:
            ocr = ocr_kind(numbers[ref], ocr_turn[ref])
            ocr_turn[ref] += 1
        level = "commune" if ref == "c" or k % 2 else "district"
        plans.append(ChildPlan("", ref, ref, form, ocr, level, rng.choice([0, 0, 1, 2])))
    for k in range(n_uncited):
        src, cited = uncited_cycle[k % len(uncited_cycle)]
        plans.append(ChildPlan("", src, cited, "thuc_hien" if cited else None, None, "commune",
                               rng.choice([1, 2])))
    rng.shuffle(plans)
    for k, p in enumerate(plans):
        p.key = f"k{k + 1:02d}" if n < 100 else f"k{k + 1:04d}"
    return plans


def generate_batch(ms: ModuleType, seed: int, out: Path, n_children: int, n_uncited: int,
                   with_items: bool = True) -> dict:
    pool, pool_sha = _load_pool(ms)
    rng = random.Random(f"routing:batch:{seed}")
    ctx = ms.Ctx(ms.PROFILES["public"], seed, rng, pool, ms.Picker(pool, rng), out=str(out))
    refs_dir, plans_dir = _fresh(out / "refs"), _fresh(out / "plans")
    docs, ids = build_library(ms, ctx)
    # children add pool items used by no parent, library or outside
    for key in docs:
        for pid in ids[key]:
            ctx.picker.block(ctx.picker.by_id[pid])
    specs = {s.key: s for s in LIBRARY + OUTSIDE}
    truth: dict = {"schema": "plandiff-routing-truth/1", "generator": f"{ms.GENERATOR_VERSION}+{GENERATOR}",
                   "seed": seed, "pool_sha256": pool_sha, "refs": {}, "children": {}, "outside": {}}
    for spec in LIBRARY:
        doc = docs[spec.key]
        ms.assign_labels(doc)
        path = refs_dir / spec.file
        if spec.kind == "decision":
            write_decision(ms, doc, spec, path)
        else:
            ms.write_txt(doc, str(path), rng, wrapped=False)
        truth["refs"][spec.file] = {
            "key": spec.key, "sha256": sha(path), "kind": spec.kind,
            "plan_number": spec.number if spec.kind == "plan" else None,
            "decision_number": spec.number if spec.kind == "decision" else None,
            "issued_on": spec.date.isoformat(), "issuer": spec.cited_as, "title": spec.title, "topic": spec.topic,
            "scored_items": len(_scored_pool_ids(doc)),
            "shared_with": {o.file: item_share(doc, docs[o.key]) for o in LIBRARY if o.key != spec.key},
        }
        if with_items:
            truth["refs"][spec.file]["items"] = ms.doc_items(doc)
    for spec in OUTSIDE:
        truth["outside"][spec.key] = {"plan_number": spec.number, "issued_on": spec.date.isoformat(),
                                      "issuer": spec.cited_as, "title": spec.title,
                                      "shared_with": {o.file: item_share(docs[spec.key], docs[o.key])
                                                      for o in LIBRARY}}
    communes, districts = list(ms.L.COMMUNES), [d for d in ms.L.DISTRICTS if d not in ("Sơn Hà", "Ba Tơ")]
    recipe = batch_recipe(rng, n_children, n_uncited)
    # A trap for number-only matching: one plan of the batch carries the number an uncited
    # plan cites (83/KH-UBND, of UBND tỉnh, 20/01/2025) with its own issuer and the day left blank.
    trap = next(p.key for p in recipe if p.cited in ("a", "b") and p.level == "district")
    for k, plan in enumerate(recipe):
        parent = docs[plan.derived_from]
        level = plan.level if specs[plan.derived_from].level == "province" else "commune"
        name = districts[k % len(districts)] if level == "district" else communes[k % len(communes)]
        fmt = rng.choice(("txt_para", "txt_wrapped"))
        others = rng.sample(OTHER_BASES, plan.n_others)
        cited_text, true_number, lines, numbered = None, None, None, False
        if plan.cited:
            cspec = specs[plan.cited]
            true_number = cspec.number
            cited_text = damage(true_number, plan.ocr) if plan.ocr else true_number
            lines, numbered = cite(cspec, plan.form, cited_text)
        child = derive(ms, ctx, parent, _spec(ms, plan.key, level, name, fmt), lines, numbered, others)
        if plan.key == trap:
            child.number, child.date_blank_day = OUTSIDE[0].number, True
        path = write_child(ms, ctx, child, plans_dir, numbered)
        in_library = plan.cited in ("a", "b", "c")
        rec = {
            "key": plan.key, "sha256": sha(path), "level": level,
            "parent": specs[plan.cited].file if in_library else None, "cites": in_library,
            "derived_from": specs[plan.derived_from].file if plan.derived_from in "abc" else
            f"outside:{plan.derived_from}",
            "form": plan.form, "ocr": plan.ocr, "cited_number": cited_text, "true_number": true_number,
            "cites_outside": plan.cited if plan.cited and not in_library else None,
            "other_bases": [o[1] for o in others], "plan_number": child.number,
        }
        if with_items:
            rec["fates"] = ms.fates(parent, child)
        truth["children"][f"plans/{path.name}"] = rec
    (out / "truth.json").write_text(json.dumps(truth, ensure_ascii=False, indent=1), encoding="utf-8")
    return truth


# ----------------------------------------------------------------------------- chains


def compose_lineage(root, plans: dict, parent_of: dict) -> list[dict]:
    """Lineage of every root item in every descendant plan, composed link by link.

    plans: key -> Doc (derived with derive_child from clean_copy of its parent);
    parent_of: key -> parent key (the root's key for the first link)."""
    def chain(key: str) -> list[str]:
        path = [key]
        while parent_of[path[0]] != root.key:
            path.insert(0, parent_of[path[0]])
        return path

    # per plan: item uid -> (parent uids, changed?)
    carriers: dict[str, dict[str, list]] = {}
    for key, doc in plans.items():
        by_parent: dict[str, list] = {}
        for it, _, _ in doc.items():
            if it.scored and it.status in ("carried", "modified"):
                for p in it.parents:
                    by_parent.setdefault(p, []).append(it)
        carriers[key] = by_parent
    rows = []
    root_items = [it for it, _, _ in root.items() if it.scored]
    for key in sorted(plans):
        path = chain(key)
        for ritem in root_items:
            current = [ritem.uid]
            modified, lost_at, via = False, None, []
            for k, step in enumerate(path):
                nxt = [it for u in current for it in carriers[step].get(u, [])]
                if not nxt:
                    lost_at = step
                    break
                modified = modified or any(it.changes or it.status == "modified" for it in nxt)
                current = [it.uid for it in nxt]
                if k < len(path) - 1:
                    via += current
            rows.append({"root_item": ritem.uid, "plan": key, "depth": len(path), "path": path,
                         "status": "dropped" if lost_at else ("modified" if modified else "carried"),
                         "lost_at": lost_at, "item_ids": [] if lost_at else current,
                         "via_item_ids": via})
    return rows


def generate_chains(ms: ModuleType, seed: int, out: Path, heldout: bool = False) -> dict:
    pool, pool_sha = _load_pool(ms)
    rng = random.Random(f"routing:chains:{seed}")
    ctx = ms.Ctx(ms.Profile("chains", parent_levels=("province",)), seed, rng, pool, ms.Picker(pool, rng),
                 out=str(out))
    refs_dir, plans_dir = _fresh(out / "refs"), _fresh(out / "plans")
    root = ms.compose_parent(ctx)
    root.key = "tinh"
    ms.assign_labels(root)
    root_path = refs_dir / "tinh.txt"
    ms.write_txt(root, str(root_path), rng, wrapped=False)
    root_spec = {"date": root.date, "cited_as": "UBND tỉnh Quảng Ngãi", "title": root.title}
    districts = rng.sample(ms.L.DISTRICTS, 2)
    communes = rng.sample(ms.L.COMMUNES, 6)
    docs, parent_of, files, info = {}, {}, {}, {}
    numbered_of = {}
    form_cycle = list(PLAN_FORMS)
    rng.shuffle(form_cycle)
    n_form = 0

    def make(key, parent_doc, parent_key, parent_spec, parent_number, level, name):
        nonlocal n_form
        form = form_cycle[n_form % len(form_cycle)]
        n_form += 1
        ocr = ocr_kind(parent_number, rng.randrange(len(OCR_KINDS))) if rng.random() < OCR_SHARE else None
        text = damage(parent_number, ocr) if ocr else parent_number
        lines, numbered = cite(parent_spec, form, text)
        others = rng.sample(OTHER_BASES, rng.choice([0, 1, 1, 2]))
        spec = _spec(ms, key, level, name, rng.choice(("txt_para", "txt_wrapped")))
        child = derive(ms, ctx, parent_doc, spec, lines, numbered, others)
        if child.number is None:   # a plan cited below needs its number
            child.number = f"{rng.randint(5, 140)}/KH-UBND"
        child.date_blank_day = False
        docs[key], parent_of[key], numbered_of[key] = child, parent_key, numbered
        info[key] = {"form": form, "ocr": ocr, "cited_number": text, "true_number": parent_number,
                     "level": level, "other_bases": [o[1] for o in others]}
        return child

    clean_root = clean_copy(root)
    for d in range(2):
        dkey = f"d{d + 1}"
        district = make(dkey, clean_root, "tinh", root_spec, root.number, "district", districts[d])
        dspec = {"date": district.date, "cited_as": f"UBND huyện {districts[d]}", "title": district.title}
        clean_district = clean_copy(district)
        for c in range(2 + (rng.random() < 0.5)):
            make(f"d{d + 1}x{c + 1}", clean_district, dkey, dspec, district.number, "commune",
                 communes[d * 3 + c])
    for key, doc in docs.items():
        files[key] = f"plans/{write_child(ms, ctx, doc, plans_dir, numbered_of[key]).name}"
    files["tinh"] = "refs/tinh.txt"
    lineage = compose_lineage(root, docs, parent_of)
    truth = {"schema": "plandiff-routing-chains/1", "generator": f"{ms.GENERATOR_VERSION}+{GENERATOR}",
             "seed": seed, "heldout": heldout, "pool_sha256": pool_sha,
             "root_file": "refs/tinh.txt", "root": ms.doc_meta(root, str(root_path)), "plans": {}, "links": [],
             "lineage": []}
    truth["root"]["file"] = "refs/tinh.txt"
    for key, doc in docs.items():
        path = out / files[key]
        meta = ms.doc_meta(doc, str(path))
        chain_keys = [key] if parent_of[key] == "tinh" else [parent_of[key], key]
        truth["plans"][files[key]] = {
            "key": key, "sha256": meta["sha256"], "parent": files[parent_of[key]], "depth": len(chain_keys),
            "path": [files[k] for k in chain_keys], "plan_number": doc.number, "issuer": meta["issuer"],
            **info[key], "items": meta["items"]}
        parent_doc = root if parent_of[key] == "tinh" else docs[parent_of[key]]
        truth["links"].append({"parent": files[parent_of[key]], "child": files[key],
                               "fates": ms.fates(parent_doc, doc)})
    return _write_truth(out, truth, lineage, files)


def _write_truth(out: Path, truth: dict, lineage: list[dict], files: dict[str, str]) -> dict:
    """truth.json with the lineage rows named by file instead of by key."""
    for row in lineage:
        row["plan"] = files[row["plan"]]
        row["path"] = [files[k] for k in row["path"]]
        row["lost_at"] = files[row["lost_at"]] if row["lost_at"] else None
        truth["lineage"].append(row)
    (out / "truth.json").write_text(json.dumps(truth, ensure_ascii=False, indent=1), encoding="utf-8")
    return truth


# ----------------------------------------------------------------------------- small fixtures


SMALL_TEXT = 350   # characters: the small fixtures keep short items only


def shrink(doc, n_items: int) -> None:
    """Keep about n_items short scored items: one or two per section, no sub-points, one budget line."""
    for it, _, _ in doc.items():
        if it.scored:
            it.children = []
    sections = [s for top in doc.body for s in top.children if s.kind == "section"]
    per = max(1, round(n_items / max(len(sections), 1)))
    left = n_items
    for top in doc.body:
        for s in top.children:
            if s.kind != "section":
                continue
            short = [c for c in s.children if c.scored and len(c.text) <= SMALL_TEXT]
            keep = {id(c) for c in short[: min(per, max(left, 0))]}
            s.children = [c for c in s.children if id(c) in keep]
            left -= len(s.children)
        top.children = [s for s in top.children if s.kind != "section" or s.children]
        if top.part == "budget":
            top.children = [c for c in top.children if len(c.text) <= SMALL_TEXT][:1]
    doc.body = [t for t in doc.body if t.children]
    doc.recipients = doc.recipients[:3]


def drop_long_additions(doc) -> None:
    """Remove the items a small child added when their text is long (and anything under them)."""
    def prune(node) -> None:
        node.children = [c for c in node.children
                         if not (c.status in ("added", "structural") and c.pool_id and
                                 (len(c.text) > SMALL_TEXT or any(len(x.text) > SMALL_TEXT for x, _, _ in c.walk())))]
        for c in node.children:
            prune(c)
    for top in doc.body:
        prune(top)


def small_items(meta: dict) -> list[dict]:
    """The body items of a truth document, without the fields tests do not need."""
    keep = ("id", "parent_id", "label", "kind", "part", "text", "scored", "lead", "partners", "timeline",
            "frequency", "status", "parents", "changes")
    return [{k: it[k] for k in keep} for it in meta["items"] if it["kind"] not in ("header", "preamble", "closing")]


def generate_small(ms: ModuleType, out: Path, seed: int = 5) -> dict:
    pool, pool_sha = _load_pool(ms)
    rng = random.Random(f"routing:small:{seed}")
    ctx = ms.Ctx(ms.Profile("small", parent_levels=("province",)), seed, rng, pool, ms.Picker(pool, rng),
                 out=str(out))
    refs_dir, plans_dir = _fresh(out / "refs"), _fresh(out / "plans")
    province = ms.compose_parent(ctx)
    shrink(province, 16)
    province.key, province.number = "tinh", "82/KH-UBND"
    ms.assign_labels(province)
    ms.write_txt(province, str(refs_dir / "tinh_82.txt"), rng, wrapped=False)
    other_spec = RefSpec("khac", "khac_105.txt", "district", "Sơn Hà", "plan", "105/KH-UBND", dt.date(2025, 4, 2),
                         "Truyền thông chuyển đổi số năm 2025 trên địa bàn huyện Sơn Hà", "cds",
                         "UBND huyện Sơn Hà")
    other, _ = compose_ref(ms, ctx, other_spec, "cchc", set(), _scored_pool_ids(province) | {
        it.pool_id for it, _, _ in province.items() if it.pool_id})
    shrink(other, 12)
    ms.assign_labels(other)
    ms.write_txt(other, str(refs_dir / other_spec.file), rng, wrapped=False)
    for pid in {it.pool_id for d in (province, other) for it, _, _ in d.items() if it.pool_id}:
        ctx.picker.block(ctx.picker.by_id[pid])
    small = dict(n_add=(1, 1), p_drop=0.15)
    pspec = {"date": province.date, "cited_as": "UBND tỉnh Quảng Ngãi", "title": province.title}
    lines, _ = cite(pspec, "thuc_hien", damage("82/KH-UBND", "letter_z"))
    district = derive(ms, ctx, clean_copy(province), _spec(ms, "huyen", "district", "Ba Tơ", "txt_para", **small),
                      lines, False, [OTHER_BASES[0]])
    district.number, district.date_blank_day = "37/KH-UBND", False
    dspec = {"date": district.date, "cited_as": "UBND huyện Ba Tơ", "title": district.title}
    docs, parent_of = {"huyen": district}, {"huyen": "tinh"}
    for k, (name, form) in enumerate((("Ba Vì", "can_cu"), ("Ba Động", "trien_khai"))):
        lines, _ = cite(dspec, form, "37/KH-UBND")
        key = f"xa{k + 1}"
        docs[key] = derive(ms, ctx, clean_copy(district), _spec(ms, key, "commune", name, "txt_para", **small),
                           lines, False, [])
        parent_of[key] = "huyen"
    loose = derive(ms, ctx, clean_copy(province), _spec(ms, "rieng", "commune", "Sơn Kỳ", "txt_para", **small),
                   None, False, [OTHER_BASES[1]])
    files = {}
    for key, doc in list(docs.items()) + [("rieng", loose)]:
        drop_long_additions(doc)
        files[key] = f"plans/{write_child(ms, ctx, doc, plans_dir, False).name}"
    files["tinh"] = "refs/tinh_82.txt"
    lineage = compose_lineage(province, docs, parent_of)
    truth = {"schema": "plandiff-routing-small/1", "generator": f"{ms.GENERATOR_VERSION}+{GENERATOR}",
             "seed": seed, "pool_sha256": pool_sha,
             "refs": {"refs/tinh_82.txt": ms.doc_meta(province, str(refs_dir / "tinh_82.txt")),
                      f"refs/{other_spec.file}": ms.doc_meta(other, str(refs_dir / other_spec.file))},
             "plans": {}, "lineage": []}
    for ref, meta in truth["refs"].items():
        meta["file"] = ref
        meta["items"] = small_items(meta)
    for key, doc in list(docs.items()) + [("rieng", loose)]:
        meta = ms.doc_meta(doc, str(out / files[key]))
        cited = {"huyen": ("refs/tinh_82.txt", "8Z/KH-UBND", "82/KH-UBND"),
                 "xa1": (files["huyen"], "37/KH-UBND", "37/KH-UBND"),
                 "xa2": (files["huyen"], "37/KH-UBND", "37/KH-UBND")}.get(key)
        parent_doc = province if parent_of.get(key, "tinh") == "tinh" else docs[parent_of[key]]
        truth["plans"][files[key]] = {
            "key": key, "sha256": meta["sha256"], "parent": cited[0] if cited else None, "cites": bool(cited),
            "derived_from": "refs/tinh_82.txt" if key in ("huyen", "rieng") else files["huyen"],
            "cited_number": cited[1] if cited else None, "true_number": cited[2] if cited else None,
            "plan_number": doc.number, "issuer": meta["issuer"], "items": small_items(meta),
            "fates": ms.fates(parent_doc, doc)}
    return _write_truth(out, truth, lineage, files)


# ----------------------------------------------------------------------------- main


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", required=True, help="folder for the sets (one sub-folder per set)")
    ap.add_argument("--seed", type=int, default=1, help="seed of the mixed batch (and the scaled one)")
    ap.add_argument("--chain-seeds", default=",".join(map(str, TUNING_SEEDS)), help="tuning seeds of the chains")
    ap.add_argument("--no-heldout", action="store_true", help=f"leave out the held-out chains (seed {HELDOUT_SEED})")
    ap.add_argument("--plans", type=int, default=0, help="also a scaled batch of N children (0: none)")
    ap.add_argument("--small", action="store_true", help="only the small test fixtures, written to --out")
    ap.add_argument("--bench", default=None, help="the bench folder with make_synth.py (default: shared bench/)")
    args = ap.parse_args(argv)
    bench = require(args.bench, "--bench DIR") if args.bench else require(shared("bench"), "--bench DIR")
    ms = load_make_synth(bench)
    out = Path(args.out)
    if args.small:
        truth = generate_small(ms, out)
        for f in sorted(truth["plans"]):
            p = truth["plans"][f]
            print(f"{f}: parent {p['parent']} cited as {p['cited_number']}")
        return 0
    truth = generate_batch(ms, args.seed, out / "mixed", MIXED_CHILDREN, 5)
    print(f"mixed: {len(truth['refs'])} refs, {len(truth['children'])} children "
          f"({sum(1 for c in truth['children'].values() if not c['cites'])} citing no library parent)")
    for f, r in truth["refs"].items():
        print(f"  {f}: {r['scored_items']} items, shares {r['shared_with']}")
    seeds = [int(s) for s in args.chain_seeds.split(",") if s.strip()]
    for seed in seeds:
        t = generate_chains(ms, seed, out / f"chains_s{seed:02d}")
        print(f"chains_s{seed:02d}: {len(t['plans'])} plans, {len(t['lineage'])} lineage rows")
    if not args.no_heldout:
        t = generate_chains(ms, HELDOUT_SEED, out / f"heldout_chains_s{HELDOUT_SEED:02d}", heldout=True)
        print(f"heldout_chains_s{HELDOUT_SEED:02d}: {len(t['plans'])} plans (held out: score apart, do not tune)")
    if args.plans:
        t = generate_batch(ms, args.seed, out / "scaled", args.plans, max(1, args.plans // 6), with_items=False)
        print(f"scaled: {len(t['children'])} children")
    return 0


if __name__ == "__main__":
    sys.exit(main())
