"""Every notebook Voila serves runs cleanly in a real kernel (nbclient), and stays thin."""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

WORKBOOKS = sorted((Path(__file__).resolve().parents[1] / "workbooks").glob("*.ipynb"))
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def test_the_two_pages_exist():
    assert {p.name for p in WORKBOOKS} == {"index.ipynb", "exercise.ipynb"}


@pytest.mark.parametrize("path", WORKBOOKS, ids=lambda p: p.name)
def test_notebook_executes_and_shows_a_page(path, tmp_path, monkeypatch):
    monkeypatch.setenv("PLACEKIT_DB", str(tmp_path / "pk.db"))
    nb = nbformat.read(path, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert sum(len(c.source.splitlines()) for c in code) <= 5, "workbook notebooks stay thin"
    NotebookClient(
        nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}
    ).execute()
    outputs = [o for c in code for o in c.get("outputs", [])]
    assert not [o for o in outputs if o.output_type == "error"]
    assert not [o for o in outputs if o.get("name") == "stderr"], outputs
    views = [o for o in outputs if WIDGET_VIEW in o.get("data", {})]
    assert len(views) == 1, json.dumps(outputs)[:500]
