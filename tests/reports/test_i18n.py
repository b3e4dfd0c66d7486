"""Message catalogue and locale formats: French by default, English on request."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from analysis.evaluation_model import FIGURE_KINDS, SECTION_KEYS, Evaluation, Table
from reports import render
from reports.formatting import NNBSP, format_number, format_percent, format_value
from reports.i18n import catalogue
from surveys.errors import SurveyError


def test_catalogues_have_the_same_keys():
    """Every message exists in both languages."""
    assert catalogue("fr").keys() == catalogue("en").keys()


def test_catalogues_have_the_same_placeholders():
    """A translation fills the same {placeholders} as the original."""
    fr, en = catalogue("fr"), catalogue("en")
    for key in fr.keys():
        holes = [set(re.findall(r"{(\w+)}", str(c.messages[key]))) for c in (fr, en)]
        assert holes[0] == holes[1], key


def test_every_section_and_figure_has_its_texts():
    """Headings for each section, a caption and axis label for each figure kind."""
    for lang in ("fr", "en"):
        cat = catalogue(lang)
        assert all(cat.has(f"sections.{key}") for key in SECTION_KEYS)
        assert all(cat.has(f"figures.{kind}.caption") for kind in FIGURE_KINDS)


def test_french_numbers_use_narrow_spaces_and_comma():
    """1 234,5 and 45 % with narrow no-break spaces."""
    assert format_number(1234.5, "fr", 1) == f"1{NNBSP}234,5"
    assert format_percent(0.45, "fr") == f"45{NNBSP}%"


def test_english_numbers_use_comma_and_point():
    """1,234.5 and 45%."""
    assert format_number(1234.5, "en", 1) == "1,234.5"
    assert format_percent(0.45, "en") == "45%"


def test_negative_numbers_use_a_minus_sign_and_never_minus_zero():
    """−3.1 with U+2212; a value rounding to zero has no sign."""
    assert format_number(-3.14159, "en", 1) == "\u22123.1"
    assert format_number(-0.0001, "en", 2) == "0.00"


def test_dates_and_months_in_each_language():
    """Dates written in words, months as month and year."""
    assert format_value(pd.Timestamp("2017-03-21"), "opened", "fr") == "21 mars 2017"
    assert format_value(pd.Timestamp("2016-02-01"), "period", "en") == "February 2016"


def test_unknown_text_is_returned_unchanged():
    """A note that is not a key is shown as written; an unknown code keeps its name."""
    cat = catalogue("en")
    assert cat.text("Données 2016 provisoires") == "Données 2016 provisoires"
    assert cat.value("department", "14") == "14"


def test_codebook_labels_name_items_and_codes():
    """Likert items and codes take their labels from the shipped codebooks."""
    assert catalogue("en").value("item", "sat_overall") == "Overall satisfaction with telework"
    assert catalogue("fr").value("attendance_band", "6-12m") == "De 6 mois à 1 an"


def test_unsupported_language_is_refused(tmp_path, build):
    """render() names the languages it can write."""
    with pytest.raises(SurveyError, match="'fr', 'en'"):
        render(build(["profiles"]), tmp_path, lang="de")


def test_french_and_english_reports_differ_in_headings_and_numbers(tmp_path, build):
    """Headings come from each catalogue; 10 600 in French is 10,600 in English (the
    impact total 10 614, written to three significant figures)."""
    fr = render(build(), tmp_path / "fr", lang="fr")[0].read_text(encoding="utf-8")
    en = render(build(), tmp_path / "en", lang="en")[0].read_text(encoding="utf-8")
    assert "<h2>Profil des participants</h2>" in fr and "<h2>Who took part</h2>" in en
    assert "Who took part" not in fr and "Profil des participants" not in en
    assert f"10{NNBSP}600" in fr and "10,600" not in fr
    assert "10,600" in en and f"10{NNBSP}600" not in en
    assert f"31{NNBSP}%" in fr and "31%" in en
    assert '<html lang="fr">' in fr and '<html lang="en">' in en


def test_csv_is_the_same_machine_format_in_both_languages(tmp_path, build):
    """CSV keeps machine numbers whatever the report's language."""
    fr = render(build(["impact"]), tmp_path / "fr", lang="fr")
    en = render(build(["impact"]), tmp_path / "en", lang="en")
    assert fr[2].read_bytes() == en[2].read_bytes()
    assert b"10614.0" in fr[2].read_bytes()


def test_profile_categories_and_options_get_their_labels(tmp_path):
    """A category is labelled as a code of its variable; a multiselect column as its option."""
    frame = pd.DataFrame({"variable": ["status", "barriers__management"],
                          "category": ["freelancer", "oui"], "n": [40, 40],
                          "estimate": [0.45, 0.2]})
    evaluation = Evaluation("Pilote")
    evaluation.section("profiles").add(Table("users", frame, "tables.profile.thirdplace",
                                             count_column="n", share_columns=["estimate"]))
    html = render(evaluation, tmp_path)[0].read_text(encoding="utf-8")
    assert ">Indépendant<" in html and ">freelancer<" not in html
    assert ">Freins au télétravail\u00a0: Culture managériale<" in html
