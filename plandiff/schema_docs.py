"""Reference documentation of the output tables, generated from their specs.

The schemas are declared once, as `TableSpec` objects in `plandiff.tables`;
`docs/tables.md` is this module's output and is never edited by hand:

    .venv/bin/python -m plandiff.schema_docs > docs/tables.md

`tests/test_docs.py` fails when the file and the specs disagree.  Only the
spec objects are read (name, description, key, Arrow schema with its field
descriptions, `enums` and `list_enums`), never the constants they were built
from, so the page follows whatever way `tables.py` derives its allowed values.
"""
from __future__ import annotations

import sys
from collections.abc import Iterable

import pyarrow as pa

from . import tables
from .tables import TableSpec

REGENERATE = ".venv/bin/python -m plandiff.schema_docs > docs/tables.md"


def table_specs() -> list[TableSpec]:
    """Every table spec, in the order `tables.TABLES` lists them.

    A `TableSpec` defined in the module but missing from `TABLES` is appended
    (by name), so a forgotten registration still shows up in the docs.
    """
    listed = list(tables.TABLES.values())
    names = {spec.name for spec in listed}
    strays = sorted((value for value in vars(tables).values()
                     if isinstance(value, TableSpec) and value.name not in names),
                    key=lambda spec: spec.name)
    return listed + strays


def type_name(type_: pa.DataType) -> str:
    """A short, readable name of an Arrow type: `string`, `int32`, `date32`, `list<string>`."""
    if pa.types.is_list(type_) or pa.types.is_large_list(type_):
        return f"list<{type_name(type_.value_type)}>"
    if pa.types.is_date32(type_):
        return "date32"
    if pa.types.is_boolean(type_):
        return "bool"
    return str(type_)


def _values(values: Iterable[object]) -> list[str]:
    # An allowed value may be a plain string or a str-valued enum member.
    return [str(getattr(v, "value", v)) for v in values]


def _cell(text: str) -> str:
    """Text made safe for one cell of a Markdown table."""
    return " ".join(text.split()).replace("|", "\\|")


def _description(field: pa.Field) -> str:
    raw = (field.metadata or {}).get(b"description", b"")
    return raw.decode("utf-8")


def _allowed(spec: TableSpec, column: str) -> str:
    if column in spec.enums:
        return ", ".join(f"`{v}`" for v in _values(spec.enums[column]))
    if column in spec.list_enums:
        return "each element one of " + ", ".join(f"`{v}`" for v in _values(spec.list_enums[column]))
    return ""


def render_table(spec: TableSpec) -> str:
    key = ", ".join(f"`{k}`" for k in spec.key) if spec.key else "none declared (rows need not be unique)"
    lines = [
        f"## `{spec.name}`",
        "",
        spec.description,
        "",
        f"* Folder: `OUT/{spec.name}/`",
        f"* Unique key: {key}",
        f"* Columns: {len(spec.schema)}",
        "",
        "| column | type | required | description | allowed values |",
        "| --- | --- | --- | --- | --- |",
    ]
    for field in spec.schema:
        required = "no" if field.nullable else "yes"
        lines.append(f"| `{field.name}` | `{type_name(field.type)}` | {required} | "
                     f"{_cell(_description(field))} | {_cell(_allowed(spec, field.name))} |")
    return "\n".join(lines) + "\n"


def render_markdown() -> str:
    """The whole of `docs/tables.md`."""
    specs = table_specs()
    head = [
        "<!-- Generated from plandiff/tables.py by plandiff/schema_docs.py: do not edit by hand. -->",
        f"<!-- Regenerate with: {REGENERATE} -->",
        "",
        "# Output tables",
        "",
        "Every run writes these tables, each as a folder `OUT/<name>/` holding one",
        "Parquet file. The schemas below are the ones `plandiff/tables.py` declares",
        "and enforces on every write: a column marked *required* never holds a null,",
        "a column with allowed values holds nothing else (nulls aside), and a declared",
        "key is unique within the table. Text is Unicode NFC.",
        "",
        f"Schema version: `{tables.SCHEMA_VERSION}`. Each file's Arrow metadata carries",
        "`plandiff.schema_version`, `plandiff.table` and `plandiff.description`, and",
        "each column's field metadata its `description`, so the descriptions below",
        "can also be read from the files themselves",
        "(`pyarrow.parquet.read_schema(path).field(name).metadata`).",
        "",
        "| table | description | key |",
        "| --- | --- | --- |",
    ]
    for spec in specs:
        key = ", ".join(f"`{k}`" for k in spec.key) or "—"
        head.append(f"| [`{spec.name}`](#{spec.name}) | {_cell(spec.description)} | {key} |")
    return "\n".join(head) + "\n\n" + "\n".join(render_table(spec) for spec in specs)


def main() -> int:
    sys.stdout.write(render_markdown())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
