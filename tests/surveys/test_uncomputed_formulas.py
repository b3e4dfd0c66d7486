"""A workbook whose formulas were saved without their values (written by a script) says
so, rather than reading a column of empty cells without a word (robustness review 11,
finding 14)."""

from __future__ import annotations

import openpyxl

import surveys

MAPPING = {"SIRET": "company_id", "Télétravailleurs": "teleworkers", "Salariés": "eligible_employees"}


def _workbook(tmp_path, formulas: bool):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Entreprises"
    sheet.append(["SIRET", "Salariés", "Télétravailleurs"])
    for row in range(2, 8):
        sheet.append([f"{row}0000", 10 * row, f"=B{row}/10" if formulas else row])
    path = tmp_path / "entreprises.xlsx"
    book.save(path)
    return path


def test_formulas_without_values_are_said(tmp_path):
    """Six formula cells saved by openpyxl (no cached value): read empty, with a note."""
    survey = surveys.read(_workbook(tmp_path, True), "company", mapping=MAPPING)
    assert survey.data["teleworkers"].isna().all()
    notes = [n.in_language("fr") for n in survey.notes if hasattr(n, "in_language")]
    assert any("6 cellules à formule" in n for n in notes), notes


def test_plain_values_bring_no_such_note(tmp_path):
    """A workbook of values has no formula note."""
    survey = surveys.read(_workbook(tmp_path, False), "company", mapping=MAPPING)
    assert survey.data["teleworkers"].notna().all()
    assert not any("formula" in str(n) for n in survey.notes)
