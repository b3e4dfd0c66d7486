"""A horizon before anyone left: the sheet keeps its numbers and says why they read 100 %."""

from __future__ import annotations

import pandas as pd

from analysis.evaluation_model import Table
from reports.i18n import catalogue
from reports.workbook_view import Prepared, workbook_table


def _view(estimates, lows, highs, lang="fr"):
    frame = pd.DataFrame({"horizon_months": [3, 6], "n": [30, 30], "estimate": estimates,
                          "ci_low": lows, "ci_high": highs})
    table = Table("retention", frame, "t", share_columns=["estimate", "ci_low", "ci_high"])
    return workbook_table(Prepared("retention", table, frame, "p"), catalogue(lang))


def test_sheet_notes_a_share_without_uncertainty():
    """A 100 % share between bounds of 100 % brings the note naming the page's words."""
    view = _view([1.0, 0.8], [1.0, 0.7], [1.0, 0.9])
    assert any("aucun départ" in note for note in view.notes)


def test_sheet_keeps_the_numbers():
    """The sheet's cells stay numbers (a slide or a formula can use them)."""
    view = _view([1.0, 0.8], [1.0, 0.7], [1.0, 0.9])
    assert view.data.iloc[0, -2:].tolist() == [1.0, 1.0]


def test_no_note_where_someone_left():
    """Shares under 100 % bring no such note."""
    view = _view([0.9, 0.8], [0.8, 0.7], [1.0, 0.9], lang="en")
    assert not any("no one had left" in note for note in view.notes)
