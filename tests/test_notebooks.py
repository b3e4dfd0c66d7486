"""The worked notebooks run from top to bottom on the demo pilot, through the public API."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

NOTEBOOKS = sorted((Path(__file__).resolve().parents[1] / "notebooks").glob("*.ipynb"))


def test_three_notebooks():
    """One notebook per kind of user."""
    assert [p.name for p in NOTEBOOKS] == [
        "agent_feedback.ipynb", "evaluate_company_pilot.ipynb", "third_place_attendance.ipynb"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_runs(path, tmp_path, monkeypatch):
    """Every cell runs without error and the notebook shows tables and figures."""
    monkeypatch.delenv("BILAN_PILOT", raising=False)
    notebook = nbformat.read(path, as_version=4)
    NotebookClient(notebook, timeout=300, kernel_name="python3",
                   resources={"metadata": {"path": str(tmp_path)}}).execute()
    outputs = [o for cell in notebook.cells if cell.cell_type == "code" for o in cell.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    kinds = {key for o in outputs for key in o.get("data", {})}
    assert "text/html" in kinds  # tidy tables
    assert "image/png" in kinds or "image/svg+xml" in kinds  # figures
