"""The notebooks and the README's query recipes run on the default job's tables."""
import re
from pathlib import Path

import nbformat
import pytest
from conftest import REPO
from nbclient import NotebookClient

NOTEBOOKS = sorted((REPO / "notebooks").glob("*.ipynb"))


@pytest.mark.notebooks
@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_executes(path: Path, sample_run, monkeypatch):
    _, out = sample_run
    monkeypatch.setenv("PLANDIFF_OUT", str(out))
    notebook = nbformat.read(path, as_version=4)
    NotebookClient(notebook, timeout=120, kernel_name="python3",
                   resources={"metadata": {"path": str(path.parent)}}).execute()
    outputs = [o for cell in notebook.cells if cell.cell_type == "code" for o in cell.get("outputs", [])]
    assert not [o for o in outputs if o.get("output_type") == "error"]
    assert any(o.get("output_type") in ("execute_result", "display_data") for o in outputs)


def test_there_are_two_notebooks():
    assert [p.name for p in NOTEBOOKS] == ["compliance_overview.ipynb", "data_quality.ipynb"]


def readme_queries() -> list[str]:
    """The SQL of every `plandiff query out "..."` recipe in the README."""
    text = (REPO / "README.md").read_text(encoding="utf-8")
    return re.findall(r'^plandiff query out "(.*?)"\s*$', text, flags=re.M | re.S)


def test_the_readmes_query_recipes_run_on_the_sample_job(sample_run, capsys):
    from plandiff.cli import main

    _, out = sample_run
    queries = readme_queries()
    assert len(queries) >= 5
    for sql in queries:
        assert main(["query", str(out), sql]) == 0, sql
    assert capsys.readouterr().out.count("\n") > len(queries)  # they print rows, not nothing
