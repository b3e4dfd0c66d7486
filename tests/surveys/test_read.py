"""surveys.read end to end on files the tests write, and the Survey object."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyreadstat
import pytest

import surveys


@pytest.fixture
def french_csv(tmp_path):
    """A French-Excel CSV: cp1252, semicolons, decimal commas, dd/mm/yyyy, labels."""
    text = ("N° agent;Sexe;Âge;Encadrant;Distance domicile-travail (km);Jours de télétravail;"
            "Début du télétravail;Satisfaction globale;Recommandation\r\n"
            "A1;Femme;41;Oui;23,5;2;01/09/2015;Très satisfait;9\r\n"
            "A2;homme;38;NON;7,25;1;15/10/2015;Plutôt insatisfait;6\r\n"
            "A3;F;52;non;41;3;04/01/2016;NSP;10\r\n")
    path = tmp_path / "agents.csv"
    path.write_bytes(text.encode("cp1252"))
    return path


def test_read_french_csv(french_csv):
    """Labels, decimal commas and French dates come out typed."""
    survey = surveys.read(french_csv, "agent", salt="k")
    data = survey.data
    assert data["gender"].tolist() == ["F", "M", "F"]
    assert data["manager"].tolist() == [True, False, False]
    assert data["commute_km"].tolist() == [23.5, 7.25, 41.0]
    assert data["telework_start"].tolist()[0] == pd.Timestamp("2015-09-01")
    assert data["sat_overall"].tolist()[:2] == [5, 2]
    assert data["recommend"].tolist() == [9, 6, 10]


def test_survey_basics(french_csv):
    """len, source, kind, codebook and an empty problem table on a clean file."""
    survey = surveys.read(french_csv, "agent", salt="k")
    assert len(survey) == 3 and survey.source == "agents.csv" and survey.kind == "agent"
    assert survey.codebook is surveys.codebook("agent")
    assert list(survey.problems.columns) == ["row", "column", "value", "reason", "action"]
    assert list(survey.excluded.columns) == ["row", "reason"]
    assert survey.problems.empty and survey.excluded.empty


def test_repr_is_short(french_csv):
    """The repr names kind, source and counts on one line."""
    text = repr(surveys.read(french_csv, "agent", name="agents"))
    assert text == ("Survey('agents', kind='agent', source='agents.csv', rows=3, excluded=0, "
                    "problems=0)")


def test_summary_counts(tmp_path):
    """summary() gives rows read/kept, exclusions by reason and problems by column."""
    path = tmp_path / "a.csv"
    path.write_text("id;Sexe;Age\n1;F;30\n1;M;31\n;;\n2;NSP;300\n3;M;abc\n", encoding="utf-8")
    summary = surveys.read(path, "agent").summary()
    as_dict = {(m, d): n for m, d, n in summary.itertuples(index=False)}
    assert as_dict[("rows_read", "")] == 5 and as_dict[("rows_kept", "")] == 3
    assert as_dict[("rows_excluded", "duplicate respondent")] == 1
    assert as_dict[("rows_excluded", "empty row")] == 1
    assert as_dict[("problems", "Age")] == 2
    assert as_dict[("nonsubstantive", "gender")] == 1


def test_read_xlsx_sheet(tmp_path):
    """A spreadsheet sheet with native numbers and dates is typed."""
    path = tmp_path / "entreprises.xlsx"
    frame = pd.DataFrame({"SIRET": [44306184100047, 55306184100048],
                          "Effectif": ["Moins de 10 salariés", "50-249"],
                          "Date d'entrée": pd.to_datetime(["2015-03-01", "2015-06-15"]),
                          "Télétravailleurs": [2.0, 11.0], "Poursuite": ["Oui", "Non"]})
    with pd.ExcelWriter(path) as writer:
        pd.DataFrame({"x": [1]}).to_excel(writer, sheet_name="Notes", index=False)
        frame.to_excel(writer, sheet_name="Entreprises", index=False)
    data = surveys.read(path, "company", sheet="Entreprises").data
    assert data["size_band"].tolist() == ["<10", "50-249"]
    assert data["joined"].tolist() == [pd.Timestamp("2015-03-01"), pd.Timestamp("2015-06-15")]
    assert data["teleworkers"].tolist() == [2, 11]
    assert data["continue_after"].tolist() == [True, False]


def test_read_spss_value_labels(tmp_path):
    """SPSS value labels are matched before the raw codes."""
    path = tmp_path / "agents.sav"
    frame = pd.DataFrame({"id": [1.0, 2.0, 3.0], "sexe": [1.0, 2.0, 1.0],
                          "satis": [5.0, 1.0, 9.0]})
    pyreadstat.write_sav(frame, str(path), variable_value_labels={
        "sexe": {1.0: "Femme", 2.0: "Homme"},
        "satis": {1.0: "Très insatisfait", 5.0: "Très satisfait", 9.0: "Ne sait pas"}})
    survey = surveys.read(path, "agent", mapping={"sexe": "gender", "satis": "sat_overall"})
    assert survey.data["gender"].tolist() == ["F", "M", "F"]
    assert survey.data["sat_overall"].tolist()[:2] == [5, 1]
    assert survey.nonsubstantive["sat_overall"].tolist()[2] == "dont_know"


def test_read_parquet(tmp_path):
    """A Parquet file with canonical names reads directly."""
    path = tmp_path / "places.parquet"
    pd.DataFrame({"place_id": ["P1", "P2"], "type": ["Fablab", "coworking"],
                  "capacity": [12.0, np.nan]}).to_parquet(path)
    data = surveys.read(path, "places").data
    assert data["type"].tolist() == ["fablab", "coworking"]
    assert data["place_id"].tolist() == ["P1", "P2"]


def test_limesurvey_unsubmitted_rows_carried(tmp_path):
    """Rows the reader set aside (unsubmitted) are in Survey.excluded; the invariant holds."""
    path = tmp_path / "ls.csv"
    path.write_text(
        '"id","submitdate","lastpage","startlanguage","seed","STATUT","SEXE"\n'
        '"1","2016-03-01 10:00:00","3","fr","123","A1","A1"\n'
        '"2","","1","fr","456","A2",""\n'
        '"3","2016-03-02 11:00:00","3","fr","789","A3","A2"\n', encoding="utf-8")
    survey = surveys.read(path, "thirdplace", mapping={"STATUT": "status", "SEXE": "gender"},
                          recode={"status": {"A1": "freelancer", "A2": "student",
                                             "A3": "employee"},
                                  "gender": {"A1": "F", "A2": "M"}})
    assert len(survey) == 2 and survey.excluded["row"].tolist() == [2]
    assert survey.data["status"].tolist() == ["freelancer", "employee"]
    assert len(survey) + len(survey.excluded) == survey.n_rows


def test_missing_file_is_survey_error(tmp_path):
    """A missing file raises SurveyError naming it."""
    with pytest.raises(surveys.SurveyError, match="absent.csv"):
        surveys.read(tmp_path / "absent.csv", "agent")


def test_dataframe_source_not_modified():
    """Reading a DataFrame leaves the caller's frame untouched."""
    frame = pd.DataFrame({"id": ["1"], "Sexe": ["Femme"]})
    surveys.read(frame, "agent")
    assert frame.to_dict("list") == {"id": ["1"], "Sexe": ["Femme"]}


def test_public_names_exported():
    """The package exports the core names."""
    for name in ("read", "read_pilot", "codebook", "Survey", "Pilot", "Codebook"):
        assert name in surveys.__all__ and hasattr(surveys, name)


def test_large_column_typed_from_distinct_values(monkeypatch):
    """Matching runs once per distinct value, not once per row."""
    import surveys._values as values_module
    calls = []
    original = values_module.fold_value
    monkeypatch.setattr(values_module, "fold_value",
                        lambda text: calls.append(1) or original(text))
    frame = pd.DataFrame({"id": np.arange(20000).astype(str),
                          "Sexe": np.tile(["Femme", "Homme", "X", "NSP"], 5000)})
    survey = surveys.read(frame, "agent", salt="k")
    assert len(survey) == 20000
    assert len(calls) < 2000


def test_real_spss_labels_and_user_missing(realdata):
    """A real SPSS file: Male/Female value labels give gender; user-missing stays missing."""
    survey = surveys.read(realdata / "spss" / "sample_missing.sav", "agent",
                          mapping={"mychar": "respondent_id", "mylabl": "gender",
                                   "mynum": "commute_km"})
    assert survey.data["gender"].tolist()[:5] == ["M", "F", "M", "F", "M"]
    assert len(survey) + len(survey.excluded) == survey.n_rows == 7
    assert survey.excluded["reason"].tolist() == ["no usable answer", "empty row"]


def test_real_limesurvey_export(realdata):
    """A real LimeSurvey R export: unsubmitted rows excluded, labels matched, rows accounted."""
    survey = surveys.read(realdata / "limesurvey" / "limonaid_survey_998192_R_data_file.csv",
                          "agent", mapping={"How do you identify?": "gender",
                                            "How old are you?": "age"})
    assert survey.n_rows == 7 and len(survey) + len(survey.excluded) == 7
    assert "unsubmitted response (empty submitdate)" in set(survey.excluded["reason"])
    assert survey.data["gender"].dropna().tolist() == ["F"]


def test_real_qualtrics_response_id_alias(realdata):
    """Qualtrics' ResponseId is recognised as the respondent id without a mapping."""
    survey = surveys.read(realdata / "qualtrics" / "qualtRics_sample.csv", "agent",
                          mapping={"Q1": "comment"})
    assert len(survey) == 1 and survey.data["respondent_id"].str.len().tolist() == [16]
