"""Headers read as a person reads them, on document openings the parser was not written for.

    .venv/bin/python benchmarks/headers.py [DIR ...] [-v]

Each DIR (default: every folder under benchmarks/headers/) holds `NN_name.txt`, the opening
of a document as a PDF or Word file gives it as text (the two-column header flattened, the
kind and title, the legal bases, the start of the body), and `NN_name.json`, what a careful
reader takes from it: issuer, plan_number, issued_on, admin_level, place, title (the
conventions are in benchmarks/headers/README.md).  Each text goes through
`plandiff.ingest.ingest` (restoration off: the texts are clean) and `plandiff.parse.parse`;
the metadata is compared field by field, exactly.

Prints per folder the share of files each field is right in, the share with every field
right, and (-v, or always for a wrong field) what was expected and what was read.
The last line is machine-readable: `headers_all_right=<files right>/<files>`.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from plandiff.ingest import IngestConfig, ingest
from plandiff.parse import parse

ROOT = Path(__file__).resolve().parent
FIELDS = ("issuer", "plan_number", "issued_on", "admin_level", "place", "title")


def read(path: Path) -> dict[str, str | None]:
    """The metadata fields of one opening, as the benchmark's JSON writes them."""
    meta = parse(ingest(path, IngestConfig(restore_diacritics=False))).meta
    return {"issuer": meta.issuer, "plan_number": meta.plan_number,
            "issued_on": meta.issued_on.isoformat() if meta.issued_on else None,
            "admin_level": meta.admin_level.value, "place": meta.place, "title": meta.title}


def score(folder: Path, verbose: bool) -> tuple[int, int]:
    right = dict.fromkeys(FIELDS, 0)
    files = sorted(folder.glob("*.txt"))
    all_right = 0
    for text in files:
        expected = json.loads(text.with_suffix(".json").read_text(encoding="utf-8"))
        got = read(text)
        wrong = [f for f in FIELDS if expected.get(f) != got[f]]
        all_right += not wrong
        for f in FIELDS:
            right[f] += f not in wrong
        if wrong or verbose:
            print(f"   {text.name}")
            for f in (FIELDS if verbose else wrong):
                mark = "ok " if f not in wrong else "   "
                print(f"     {mark}{f:<12} expected {expected.get(f)!r}")
                if f in wrong:
                    print(f"     {'':<15} read     {got[f]!r}")
    n = len(files)
    shares = "  ".join(f"{f} {right[f]}/{n}" for f in FIELDS)
    print(f"== {folder.name}: {shares}  | every field right: {all_right}/{n}")
    return all_right, n


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("dirs", nargs="*", type=Path)
    ap.add_argument("-v", "--verbose", action="store_true")
    args = ap.parse_args(argv)
    folders = args.dirs or sorted(p for p in ROOT.joinpath("headers").iterdir() if p.is_dir())
    total = right = 0
    for folder in folders:
        r, n = score(folder, args.verbose)
        right, total = right + r, total + n
    print(f"headers_all_right={right}/{total}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
