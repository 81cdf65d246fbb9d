"""Task tables in Word files read as a careful reader reads them (ingest/task_table.py).

    .venv/bin/python benchmarks/tables.py [DIR]

DIR (default benchmarks/tables_blind/) holds .docx plans whose tasks are a table in an
appendix after the signature (and the same plans as PDFs, for the text-layer reader,
`ingest/pdf_tables.py`), each with a .json of the tasks a reader takes from it:
label, the group row it falls under, its own text, its bullet paragraphs, lead, partners,
timeline (README there). Each file goes through `plandiff.ingest.ingest` (restoration
off) and `plandiff.parse.parse`; the items under the appendix part are matched to the
expected tasks by their text, and each field is compared (partners without regard to
case; trailing periods ignored). Prints what differs and, last, how many tasks and
fields are right.
"""
from __future__ import annotations

import json
import sys
from dataclasses import replace
from pathlib import Path

from plandiff.ingest import IngestConfig, ingest
from plandiff.parse import parse

ROOT = Path(__file__).resolve().parent
FIELDS = ("group", "bullets", "lead", "partners", "timeline")


def _plain(value):
    if isinstance(value, str):
        return value.rstrip(".;")
    if isinstance(value, list):
        return [v.rstrip(".;").lower() for v in value]
    return value


def read_tasks(path: Path) -> list[dict]:
    """The tasks under the appendix, as the benchmark's JSON writes them."""
    plan = parse(ingest(path, replace(IngestConfig(), restore_diacritics=False)))
    by_id = {it.item_id: it for it in plan.items}
    start = next((i for i, it in enumerate(plan.items) if it.scheme == "APPENDIX"), None)
    out = []
    for it in plan.items[start + 1:] if start is not None else []:
        parent = by_id.get(it.parent_id or "")
        if it.kind.value not in ("task", "point") or (parent is not None and parent.kind.value == "task"):
            continue   # a group row, or a bullet under a task
        group = parent.heading if parent is not None and parent.kind.value == "section" else None
        out.append({"label": (it.label or "").rstrip(".)"), "group": group, "text": it.text,
                    "bullets": [c.text for c in plan.items if c.parent_id == it.item_id],
                    "lead": it.lead, "partners": list(it.partners), "timeline": it.timeline})
    return out


def main(argv: list[str] | None = None) -> int:
    folder = Path(argv[0]) if argv else ROOT / "tables_blind"
    expected_total = found = 0
    right = dict.fromkeys(FIELDS, 0)
    for path in sorted([*folder.glob("*.docx"), *folder.glob("*.pdf")], key=lambda p: (p.suffix, p.name)):
        expected = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))["tasks"]
        if path.suffix == ".pdf":
            print(f"   (the same plan printed to PDF by LibreOffice: {path.name})")
        got = read_tasks(path)
        expected_total += len(expected)
        print(f"== {path.name}: {len(expected)} tasks expected, {len(got)} read")
        texts = {_plain(g["text"]): g for g in got}
        for e in expected:
            g = texts.get(_plain(e["text"]))
            if g is None:
                print(f"   missed {e['label']!r}: {e['text'][:70]}")
                continue
            found += 1
            for f in FIELDS:
                if _plain(e.get(f)) == _plain(g.get(f)):
                    right[f] += 1
                else:
                    print(f"   {e['label']!r} {f}: expected {e.get(f)!r}, read {g.get(f)!r}")
        for g in got:
            if _plain(g["text"]) not in {_plain(e["text"]) for e in expected}:
                print(f"   extra {g['label']!r}: {g['text'][:70]}")
    fields = "  ".join(f"{f} {right[f]}/{expected_total}" for f in FIELDS)
    print(f"tasks found {found}/{expected_total}  {fields}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
