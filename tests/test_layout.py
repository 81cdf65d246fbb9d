"""The package layout rules of the README, checked on the source tree."""
import ast
import tomllib
from pathlib import Path

from conftest import REPO

STAGES = ("ingest", "parse", "align")
ALLOWED_FROM_ORCHESTRATION = {"plandiff.errors"}
ORDER = {"ingest": 0, "parse": 1, "align": 2}


def imports_of(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


def test_stages_never_import_the_orchestration_nor_a_later_stage():
    for stage in STAGES:
        for path in (REPO / stage).rglob("*.py"):
            for name in imports_of(path):
                if not name.startswith("plandiff"):
                    continue
                parts = name.split(".")
                if len(parts) > 1 and parts[1] in ORDER:
                    assert ORDER[parts[1]] <= ORDER[stage], f"{path}: imports later stage {name}"
                else:
                    assert name in ALLOWED_FROM_ORCHESTRATION, f"{path}: imports {name}"


def test_every_package_folder_is_listed_in_pyproject():
    config = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    listed = set(config["tool"]["setuptools"]["packages"])
    mapping = config["tool"]["setuptools"]["package-dir"]
    found = set()
    for package, folder in mapping.items():
        for init in (REPO / folder).rglob("__init__.py"):
            rel = init.parent.relative_to(REPO / folder)
            found.add(".".join([package, *rel.parts]) if rel.parts else package)
    assert found == listed


def test_library_code_never_prints_or_exits():
    for folder in (*STAGES, "plandiff"):
        for path in (REPO / folder).rglob("*.py"):
            if path.name in ("cli.py", "__main__.py") or "train" in path.stem:
                continue
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for node in ast.walk(tree):
                if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
                    assert node.func.id not in ("print", "exit"), f"{path}:{node.lineno}"
                if isinstance(node, ast.Attribute) and node.attr == "exit":
                    assert not (isinstance(node.value, ast.Name) and node.value.id == "sys"), \
                        f"{path}:{node.lineno}"
