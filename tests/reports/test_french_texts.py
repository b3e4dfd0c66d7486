"""Catalogue texts in the report's language: baseline sources, impact parameters, codes."""

from __future__ import annotations

import html
from html.parser import HTMLParser

import pandas as pd
import pytest

from analysis import evaluate
from analysis.baselines import baselines
from analysis.evaluation_model import Evaluation, Table
from analysis.impact import impact_parameters
from reports import render
from reports.i18n import catalogue
from surveys import demo, read_pilot

_TEXTS = ("publisher", "population", "note")


class _Text(HTMLParser):
    """The text a reader sees: element text and figure text, without the style sheet."""

    def __init__(self):
        super().__init__()
        self.parts: list[str] = []
        self._style = False

    def handle_starttag(self, tag, attrs):
        self._style = tag == "style"

    def handle_endtag(self, tag):
        self._style = False

    def handle_data(self, data):
        if not self._style and data.strip():
            self.parts.append(data.strip())


def _visible(path) -> str:
    parser = _Text()
    parser.feed(path.read_text(encoding="utf-8"))
    return "\n".join(html.unescape(part) for part in parser.parts)


@pytest.fixture(scope="module")
def demo_evaluation(tmp_path_factory):
    """The demo pilot's evaluation."""
    return evaluate(read_pilot(demo(tmp_path_factory.mktemp("french_demo") / "pilot")))


@pytest.fixture(scope="module")
def reports(demo_evaluation, tmp_path_factory):
    """The demo pilot's report in French and in English, as the text a reader sees."""
    folder = tmp_path_factory.mktemp("french_texts")
    return {lang: _visible(render(demo_evaluation, folder / lang, lang=lang)[0])
            for lang in ("fr", "en")}


def _pairs() -> list[tuple[str, str]]:
    """(English, French) catalogue texts that differ: baseline texts, parameter sources."""
    table = baselines()
    pairs = set()
    for name in _TEXTS:
        both = table[[name, f"{name}_fr"]].dropna()
        pairs |= {(en, fr) for en, fr in both.itertuples(index=False) if en != fr}
    fr, en = catalogue("fr"), catalogue("en")
    for parameter in impact_parameters()["parameter"]:
        key = f"impact.parameter_source.{parameter}"
        pairs.add((en.text(key), fr.text(key)))
    return sorted(pairs)


def test_english_catalogue_texts_are_not_in_the_french_report(reports):
    """No English publisher, population, note or parameter source is left in French."""
    left = [en for en, _ in _pairs() if en in reports["fr"]]
    assert left == []


def test_french_catalogue_texts_are_not_in_the_english_report(reports):
    """No French publisher, population, note or parameter source appears in English."""
    left = [fr for _, fr in _pairs() if fr in reports["en"]]
    assert left == []


def test_what_the_english_report_shows_the_french_report_shows_in_french(reports):
    """Each catalogue text of the English report has its French version in the French one
    (whose no-break spaces of French typography read as spaces here)."""
    shown = [(en, fr) for en, fr in _pairs() if en in reports["en"]]
    assert len(shown) >= 20  # publishers, populations and the ten parameter sources

    def spaced(text: str) -> str:
        return text.replace("\u00a0", " ").replace("\u202f", " ")

    french = spaced(reports["fr"])
    assert [fr for _, fr in shown if spaced(fr) not in french] == []


def test_english_parameter_sources_are_the_analysis_texts():
    """The English catalogue holds exactly what analysis.impact writes, parameter by parameter."""
    en = catalogue("en")
    for parameter, source in impact_parameters()[["parameter", "source"]].itertuples(index=False):
        assert en.text(f"impact.parameter_source.{parameter}") == source, parameter


def test_impact_units_and_parameters_have_labels_in_both_languages():
    """Every unit and parameter name of the impact model has a label in each catalogue."""
    table = impact_parameters()
    for lang in ("fr", "en"):
        cat = catalogue(lang)
        assert all(cat.has(f"values.unit.{unit}") for unit in table["unit"])
        assert all(cat.has(f"values.parameter.{name}") for name in table["parameter"])


@pytest.mark.parametrize("code", ["working_days_per_year", "days/year", "co2_cost_eur",
                                  "cohen_h", "effect_size_name", "tables.profile.agent.by_service",
                                  "1-2y", "inf",
                                  "2\u202f015", "sat_overall", "thirdplace"])
def test_machine_codes_are_labelled_in_the_french_report(reports, code):
    """Codes, parameter names, units and table keys are shown with their labels."""
    lines = reports["fr"].split("\n")
    assert not [line for line in lines if code in line.split() or line == code]


def _parameters_evaluation(sources: list[str]) -> Evaluation:
    frame = pd.DataFrame({"parameter": ["commute_km", "commute_minutes", "trips_per_day"],
                          "value": [30.0, 21.0, 2.0], "unit": ["km/trip", "min/trip", "trips/day"],
                          "source": sources})
    evaluation = Evaluation("Pilote")
    evaluation.section("impact").add(Table("parameters", frame, "tables.impact.parameters"))
    return evaluation


def test_parameter_sources_other_than_the_model_are_shown_as_written(tmp_path):
    """An override is named as such; a user's own source text is kept; the model's is translated."""
    model = impact_parameters().set_index("parameter").loc["commute_minutes", "source"]
    evaluation = _parameters_evaluation(["override", model, "Enquête mobilité 2024"])
    text = _visible(render(evaluation, tmp_path, lang="fr")[0])
    assert "Valeur donnée par l'utilisateur" in text
    assert "21 min par trajet (valeur retenue quand la réponse manque)" in text
    assert "Enquête mobilité 2024" in text
    assert "26 km par trajet" not in text and model not in text


def _sources_evaluation(frame: pd.DataFrame) -> Evaluation:
    evaluation = Evaluation("Pilote")
    evaluation.section("methods").add(Table("sources", frame, "tables.methods.sources"))
    return evaluation


def test_a_french_column_wins_and_is_not_shown_twice(tmp_path):
    """population_fr replaces population in French, population stays in English, one column."""
    frame = pd.DataFrame({"source_id": ["mine"], "indicator": ["woman"], "value": [0.4],
                          "population": ["teleworkers (France)"],
                          "population_fr": ["agentes du Calvados"]})
    fr = render(_sources_evaluation(frame), tmp_path / "fr", lang="fr")[0]
    en = render(_sources_evaluation(frame), tmp_path / "en", lang="en")[0]
    fr_text, en_text = _visible(fr), _visible(en)
    assert "agentes du Calvados" in fr_text and "teleworkers (France)" not in fr_text
    assert "teleworkers (France)" in en_text and "agentes du Calvados" not in en_text
    assert fr.read_text(encoding="utf-8").count(">Population</th>") == 1


def test_a_table_without_french_columns_shows_its_texts_as_written(tmp_path):
    """The report translates nothing itself: without a French column a text is shown as
    the table gives it (French comes from the analysis' <name>_fr columns)."""
    frame = pd.DataFrame({"source_id": ["mine"], "indicator": ["woman"], "value": [0.4],
                          "population": ["agents du Calvados"],
                          "publisher": ["County council (own survey)"], "year": [2020]})
    text = _visible(render(_sources_evaluation(frame), tmp_path, lang="fr")[0])
    assert "agents du Calvados" in text and "County council (own survey)" in text


def test_comparison_notes_have_a_french_version_without_english(demo_evaluation):
    """compare_baseline's notes come with note_fr: no English analysis sentence in it, and
    every catalogue note it quotes is the French one."""
    table = demo_evaluation.sections["baselines"].tables["comparisons"].data
    french = table["note_fr"].dropna()
    assert len(french) > 0
    for english in ("compared among", "weighted; tested", "no answer to compare",
                    "renormalised", "left out of the base", "is not in the data"):
        assert not french.str.contains(english, regex=False).any(), english
    catalogue_notes = baselines()[["note", "note_fr"]].dropna()
    for en, fr in catalogue_notes.itertuples(index=False):
        if en != fr:
            assert not french.str.contains(en, regex=False).any(), en


def test_what_was_compared_has_a_french_version_without_english(demo_evaluation):
    """compared_fr, what each comparison compares, is written in French."""
    compared = demo_evaluation.sections["baselines"].tables["comparisons"].data["compared_fr"]
    assert compared.notna().all()
    for english in ("share of", "mean ", " vs ", "equal to", "part of the distribution",
                    "seniority of current users"):
        assert not compared.str.contains(english, regex=False).any(), english


def test_french_report_bytes_do_not_change_between_runs(tmp_path):
    """Translating texts keeps the report deterministic."""
    frame = pd.DataFrame({"source_id": ["bva-2015"], "indicator": ["man"], "value": [0.69],
                          "population": ["teleworkers (France)"]})
    first = render(_sources_evaluation(frame), tmp_path / "a")[0].read_bytes()
    second = render(_sources_evaluation(frame), tmp_path / "b")[0].read_bytes()
    assert first == second


def _untranslated(names, lang: str) -> list[str]:
    """The method names without a ``values.method`` (or ``values.any``) entry in ``lang``."""
    keys = catalogue(lang).keys()
    return [name for name in names
            if f"values.method.{name}" not in keys and f"values.any.{name}" not in keys]


def test_every_method_of_the_demo_report_is_in_both_catalogues(demo_evaluation):
    """Each method or test name the demo's tables carry has a label in French and English."""
    from reports.methods_appendix import method_names
    from reports.render import prepare

    names = method_names(prepare(demo_evaluation, lang="fr", figures=False))
    assert len(names) > 10
    assert _untranslated(names, "fr") == [] and _untranslated(names, "en") == []


@pytest.mark.parametrize("interval", ["t", "logit", "beta"])
def test_every_design_and_interval_of_a_likert_method_is_labelled(interval):
    """Weighted, stratified, both or neither, with each interval: a label in both languages."""
    from analysis.likert import _method_of

    names = [_method_of(interval, {"weights": w, "strata": s})
             for w in (None, "w") for s in (None, "s")]
    assert _untranslated(names, "fr") == [] and _untranslated(names, "en") == []
