"""The fact-check of the demo report (session 13), items 1, 6, 7, 8, 9 and 11: what the
page says beside its figures (a verdict resting on the finite population correction,
Holm's families with masked tests, the impact model's assumptions, the catalogue's
notes) and the files' precision (occupancy and given fractions alike in CSV and XLSX)."""

from __future__ import annotations

import html
import re

import numpy as np
import openpyxl
import pandas as pd
import pytest

from analysis.evaluation_model import Table
from reports.baseline_notes import (FPC_MARK, fpc_verdicts, holm_families, population_sizes)
from reports.csv_numbers import published_numbers
from reports.i18n import catalogue
from reports.impact_notes import impact_assumptions, impact_parameters
from reports.presentation import Prepared, given_fractions
from reports.workbook_view import workbook_table

_ROW = re.compile(r"<tr>.*?</tr>", re.S)


def _page(path) -> str:
    """The page's text, entities decoded and no-break spaces as spaces."""
    text = html.unescape(path.read_text(encoding="utf-8"))
    return text.replace("\xa0", " ").replace("\u202f", " ")


def _row(page: str, label: str) -> str:
    """The first table row of ``page`` holding ``label`` in a cell."""
    return next(r for r in _ROW.findall(page) if f">{label}<" in r)


def _comparisons(**columns) -> pd.DataFrame:
    base = {"source_id": ["bva-2015"] * 4, "source": ["agents"] * 4,
            "indicator": ["a", "b", "c", "d"], "distribution": [None] * 4,
            "test": ["two_sample_score", "two_sample_score", "reference_score",
                     "two_sample_score"],
            "estimate": [0.35, 0.35, 0.35, None], "baseline": [0.44, 0.28, 0.69, 0.5],
            "p_value": [0.0248, 0.06, 1e-50, None], "p_adjusted": [0.0495, 0.06, 6e-50, None],
            "suppressed": [False, False, False, True]}
    base.update(columns)
    return pd.DataFrame(base)


# --- item 1: a clear verdict resting on the finite population correction -------------

def test_fpc_marks_only_clear_verdicts_tested_on_the_sample():
    """Only a clear verdict of a test on the pilot's sample is marked, not a raking
    margin's reference-only test, a similar verdict or a hidden row."""
    assert fpc_verdicts(_comparisons(), {"agents": 60.0}).tolist() == [True, False, False,
                                                                         False]


def test_fpc_marks_nothing_without_a_population_size():
    """A source whose population size the pilot file does not give has no mark."""
    assert not fpc_verdicts(_comparisons(), {"users": 500.0}).any()


def test_population_sizes_read_from_the_design_table():
    """The sizes come from the methods appendix's design table, not from the data."""
    f = pd.DataFrame({"source": ["agents", "users"], "kind": ["agent", "thirdplace"],
                      "n": [46, 601], "population_size": [60.0, np.nan]})
    assert population_sizes([Prepared("methods", Table("design", f, "t"), f, "d")]) == \
        {"agents": 60.0}


@pytest.mark.parametrize("lang,label", [
    ("fr", "Part à plus d'une heure de trajet du travail (référence : télétravailleurs)"),
    ("en", "Share with a one-way commute of over an hour (reference: teleworkers)")])
def test_demo_borderline_verdict_is_marked(demo_reports, lang, label):
    """The demo's p ajustée 0,0495 verdict carries the mark, in both languages."""
    row = _row(_page(demo_reports[lang]), label)
    assert f'<sup class="mark">{FPC_MARK}</sup></td></tr>' in row


@pytest.mark.parametrize("lang,label", [
    ("fr", "Part à plus d'une heure de trajet du travail (référence : ensemble des salariés "
           "interrogés)"),
    ("en", "Share with a one-way commute of over an hour (reference: all employees surveyed)")])
def test_demo_similar_verdict_is_not_marked(demo_reports, lang, label):
    """A "no clear difference" verdict (p ajustée 0,060) is not marked."""
    assert FPC_MARK not in _row(_page(demo_reports[lang]), label)


@pytest.mark.parametrize("lang,words", [
    ("fr", f"{FPC_MARK} Écart net pour les 60 personnes de la population « Agents »"),
    ("en", f"{FPC_MARK} A clear difference for the 60 people of the population “Agents”")])
def test_demo_fpc_footnote(demo_reports, lang, words):
    """The mark's footnote names the population and its size, and says the correction."""
    page = _page(demo_reports[lang])
    assert words in page
    assert ("correction pour population finie" if lang == "fr"
            else "finite population correction") in page


# --- item 11: Holm's families count masked tests ----------------------------------------

def test_holm_family_counts_masked_tests():
    """Four tests (a raking margin's reference-only test counts), one masked: the
    family is named with both counts."""
    text = holm_families(_comparisons(), catalogue("fr"), {"agents": "Agents"})[0]
    assert "BVA, 2015, Agents : 4 tests, dont 1 masqué" in text.replace("\xa0", " ")


def test_holm_family_counts_a_distribution_once():
    """A distribution's rows are one test, and a family without a masked test is not
    listed."""
    f = _comparisons(distribution=["dist", "dist", None, None])
    assert "3 tests, 1 of them masked" in holm_families(f, catalogue("en"))[0]
    assert holm_families(_comparisons(suppressed=[False] * 4, estimate=[.35] * 4,
                                      p_value=[.02, .06, 1e-50, .3]), catalogue("en")) == []


@pytest.mark.parametrize("lang,words", [
    ("fr", "BVA, 2015, Agents : 6 tests, dont 2 masqués"),
    ("en", "BVA, 2015, Agents: 6 tests, 2 of them masked")])
def test_demo_holm_note(demo_reports, lang, words):
    """The demo's BVA family of the agents: 6 tests, 2 of them hidden (the managers')."""
    assert words in _page(demo_reports[lang])


# --- item 6: the files at the page's precision ----------------------------------------------

def test_csv_rounds_occupancy_as_a_share():
    """Occupancy is written to its whole percentage, as the page and the workbook."""
    f = pd.DataFrame({"place_id": ["P1"], "occupancy": [0.016016859852476292]})
    t = Table("by_place_year", f, "t", share_columns=["occupancy"])
    assert published_numbers(Prepared("attendance", t, f, "a"))["occupancy"].tolist() == [0.02]


def test_demo_csv_and_workbook_occupancy_agree(demo_reports):
    """The demo's yearly occupancy: the CSV's values are the workbook's."""
    folder = demo_reports["fr"].parent
    csv = pd.read_csv(folder / "csv" / "attendance_by_place_year.csv")["occupancy"].dropna()
    book = openpyxl.load_workbook(folder / "tables.xlsx", read_only=True)
    sheet = next(book[n] for n in book.sheetnames if n.startswith("39"))
    rows = list(sheet.iter_rows(values_only=True))
    header = next(i for i, r in enumerate(rows) if "Taux d'occupation" in r)
    at = rows[header].index("Taux d'occupation")
    xlsx = [r[at] for r in rows[header + 1:] if isinstance(r[at], float)]
    assert sorted(csv.tolist()) == sorted(xlsx)


def test_given_fraction_to_whole_percent():
    """A share given as « un tiers » (0.3333…) is 33 %; a given 45,5 % or 0,125 % stays,
    and so does a fraction that is not a share."""
    f = pd.DataFrame({"unit": ["share", "share", "share", "years"],
                      "value": [1 / 3, 0.455, 0.00125, 40 / 3]})
    t = Table("sources", f, "t", share_columns=["value"], share_rows={"unit": ["share"]})
    assert given_fractions(t, f)["value"].tolist() == [0.33, 0.455, 0.00125, 40 / 3]


def test_csv_and_workbook_write_a_given_fraction_alike():
    """The CSV file and the workbook give the same figure for a fraction and for a
    figure with its own decimals."""
    f = pd.DataFrame({"source_id": ["citica-2017", "aquitaine-2016"], "indicator": ["t", "u"],
                      "value": [1 / 3, 0.455], "unit": ["share", "share"]})
    t = Table("sources", f, "tables.methods.sources", share_columns=["value"],
              share_rows={"unit": ["share"]})
    item = Prepared("methods", t, f, "methods_sources")
    csv = published_numbers(item)["value"].tolist()
    sheet = workbook_table(item, catalogue("fr")).data
    assert csv == [0.33, 0.455] == sheet[[c for c in sheet.columns if "Valeur" in c][0]].tolist()


# --- item 7: the catalogue's notes and fractions on the page ---------------------------------

def test_demo_catalogue_shows_a_third_as_33_percent_with_its_note(demo_reports):
    """« un tiers » reads 33 %, with the catalogue's note under its label."""
    row = _row(_page(demo_reports["fr"]).replace("</span>", "<"),
               "Part des salariés en télétravail (Europe du Nord, États-Unis)"
               '<span class="detail">Publié sous la forme « un tiers ».')
    assert ">33 %<" in row and "33,33" not in row


def test_demo_catalogue_says_a_derived_share_is_derived(demo_reports):
    """Randstad's 36 % not wishing to telework says it was derived as 100 % − 64 %."""
    page = _page(demo_reports["en"])
    row = next(r for r in _ROW.findall(page) if "would not like to telework<span" in r)
    assert "derived as 100" in row and ">36%<" in row


# --- item 8: appendix and glossary ------------------------------------------------------------

@pytest.mark.parametrize("lang,words", [("fr", "comme svykm du module R survey"),
                                        ("en", "as R survey's svykm")])
def test_appendix_names_the_design_based_curve(demo_reports, lang, words):
    """The estimators' paragraph says a weighted curve is svykm's exp(−H)."""
    assert words in _page(demo_reports[lang])


@pytest.mark.parametrize("lang,words", [("fr", "le g de Cohen, de −0,5"),
                                        ("en", "Cohen's g, from −0.5")])
def test_glossary_lists_cohens_g(demo_reports, lang, words):
    """The glossary's effect size lists the McNemar rows' Cohen's g."""
    assert words in _page(demo_reports[lang])


# --- item 9: the impact model's assumptions ----------------------------------------------------

_PARAMETERS = {"trips_per_day": 2.0, "working_days_per_year": 217.5, "co2_kg_per_km": 0.193,
               "energy_eur_per_km": 0.844, "maintenance_eur_per_km": 0.22,
               "telework_days_per_week": 2.0, "commute_km": 26.0, "commute_minutes": 21.0}


def test_assumptions_follow_the_parameters_used():
    """An overridden emission factor is the one the sentence gives."""
    text = impact_assumptions({**_PARAMETERS, "co2_kg_per_km": 0.12}, catalogue("en"))[0]
    assert "0.12\xa0kg of CO₂" in text and "0.193" not in text


def test_assumptions_leave_out_a_clause_without_its_parameters():
    """Without the emission and cost parameters, the car clause is left out."""
    given = {k: v for k, v in _PARAMETERS.items() if not k.endswith("_per_km")}
    text = impact_assumptions(given, catalogue("en"))[0]
    assert "driven by car" not in text and "not deducted" in text


def test_impact_parameters_read_from_the_table():
    """The parameters come from the impact section's parameters table."""
    f = pd.DataFrame({"parameter": ["co2_kg_per_km"], "value": [0.5], "unit": ["kg/km"]})
    assert impact_parameters([Prepared("impact", Table("parameters", f, "t"), f, "p")]) == \
        {"co2_kg_per_km": 0.5}


@pytest.mark.parametrize("lang,words", [
    ("fr", "Hypothèses du modèle : chaque jour de télétravail évite 2 trajets"),
    ("en", "Model assumptions: each telework day avoids 2 home-work trips")])
def test_demo_impact_table_states_its_assumptions(demo_reports, lang, words):
    """The assumptions follow the impact table, in its section, in both languages."""
    page = _page(demo_reports[lang])
    section = page[page.index('<section class="block" id="impact">'):]
    section = section[:section.index("</section>")]
    assert words in section
    assert section.index(words) > section.rindex("</table>")


# --- the workbook says what the page says -----------------------------------------------------

def test_workbook_marks_a_verdict_resting_on_the_fpc():
    """Given the population sizes, the sheet marks the verdict and explains the mark."""
    f = _comparisons()
    t = Table("comparisons", f, "tables.baselines",
              share_columns=["estimate", "ci_low", "ci_high", "baseline"])
    view = workbook_table(Prepared("baselines", t, f, "b"), catalogue("fr"),
                          {"agents": "Agents"}, sizes={"agents": 60.0})
    verdicts = view.data["Verdict"].tolist()
    assert verdicts[0].endswith(f" {FPC_MARK}") and FPC_MARK not in verdicts[1]
    assert any(n.startswith(f"{FPC_MARK} Écart net") for n in view.notes)


def test_demo_workbook_holm_note(demo_reports):
    """The workbook's contents give the comparison sheet's Holm families."""
    book = openpyxl.load_workbook(demo_reports["fr"].parent / "tables.xlsx", read_only=True)
    cells = [c for r in book[book.sheetnames[0]].iter_rows(values_only=True) for c in r
             if isinstance(c, str)]
    assert any("BVA, 2015, Agents : 6 tests, dont 2 masqués" in c.replace("\xa0", " ")
               for c in cells)


def test_demo_workbook_catalogue_has_its_notes(demo_reports):
    """The catalogue's sheet keeps each figure's note, and « un tiers » as 33 %."""
    book = openpyxl.load_workbook(demo_reports["fr"].parent / "tables.xlsx", read_only=True)
    sheet = next(book[n] for n in book.sheetnames if "Catalogue" in n)
    rows = list(sheet.iter_rows(values_only=True))
    header = next(i for i, r in enumerate(rows) if "Note" in r)
    note, value = rows[header].index("Note"), rows[header].index("Valeur")
    third = next(r for r in rows if r[note] == "Publié sous la forme « un tiers ».")
    assert third[value] == 0.33


def test_demo_workbook_marks_the_fpc_verdicts(demo_reports):
    """The demo's workbook marks the verdicts its finite-population tests gave, as the page."""
    book = openpyxl.load_workbook(demo_reports["fr"].parent / "tables.xlsx", read_only=True)
    cells = [c for name in book.sheetnames for r in book[name].iter_rows(values_only=True)
             for c in r if isinstance(c, str)]
    assert any(c.endswith(f" {FPC_MARK}") for c in cells)
    assert any(c.startswith(f"{FPC_MARK} Écart net") for c in cells)
