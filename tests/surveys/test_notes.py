"""Reader notes: English text for code, French text for French reports."""

from __future__ import annotations

import datetime as dt
import html
import pickle
import string

import pandas as pd
import pyreadstat
import pytest

import surveys
from surveys._readers import read_raw
from surveys.notes import MESSAGES, Note


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


@pytest.mark.parametrize("key", sorted(MESSAGES))
def test_both_languages_have_the_same_placeholders(key):
    """The French and English templates of a note use the same placeholders."""
    assert set(MESSAGES[key]) == {"en", "fr"}
    assert _fields(MESSAGES[key]["fr"]) == _fields(MESSAGES[key]["en"])
    assert MESSAGES[key]["fr"] != MESSAGES[key]["en"]


def test_note_is_its_english_text():
    """A note compares, prints and searches as its English text."""
    note = Note("unmapped", file="a.csv", count=2, shown="'x', 'y'")
    assert note == "a.csv: 2 columns matching no variable, not kept: 'x', 'y'."
    assert "matching no variable" in note and note.startswith("a.csv")


def test_note_in_french():
    """in_language('fr') gives the French template with the same values."""
    note = Note("sheet", file="b.xlsx", sheet="'Entreprises'")
    assert note.in_language("fr") == "b.xlsx : feuille 'Entreprises' lue."
    assert note.in_language("en") == str(note)


def test_note_survives_pickling():
    """A pickled note comes back with its key and values (surveys cached on disk)."""
    note = Note("cp1252", file="c.csv", line=3)
    back = pickle.loads(pickle.dumps(note))
    assert back == note and back.key == "cp1252" and back.in_language("fr") == note.in_language("fr")


def test_unknown_key_is_refused():
    """A note needs a known message key."""
    with pytest.raises(KeyError):
        Note("no-such-note", file="x")


# --- the readers' notes -------------------------------------------------------------------

def _write(path, text: str, encoding: str = "utf-8"):
    """Write ``text`` in ``encoding``; return the path."""
    path.write_bytes(text.encode(encoding))
    return path


@pytest.fixture(scope="module")
def demo_pilot(tmp_path_factory):
    """The demo pilot file and every source read."""
    path = surveys.demo(tmp_path_factory.mktemp("notes_demo"))
    pilot = surveys.read_pilot(path)
    return path, pilot, pilot.surveys()


def _all_notes(sources: dict) -> list:
    return [note for survey in sources.values() for note in survey.notes]


def test_demo_pilot_notes_are_all_notes(demo_pilot):
    """Every note of every demo source is a Note whose French text differs from the English."""
    _, _, sources = demo_pilot
    notes = _all_notes(sources)
    assert len(notes) >= 10
    assert all(isinstance(note, Note) for note in notes)
    assert all(note.in_language("fr") != str(note) for note in notes)


def test_demo_pilot_notes_cover_each_step(demo_pilot):
    """The demo's notes come from decoding, the tool, the mapping and personal data."""
    _, _, sources = demo_pilot
    keys = {note.key for note in _all_notes(sources)}
    assert {"cp1252", "delimited_semicolon", "bom", "sheet", "limesurvey_codes",
            "dropped_system", "dropped_pii", "unmapped", "pii_not_kept"} <= keys


LIMESURVEY = (
    '"id";"submitdate";"lastpage";"startlanguage";"seed";"token";"ipaddr";"Q1"\n'
    '"1";"2016-03-01 10:22:00";"3";"fr";"123";"tok1";"10.0.0.1";"4"\n'
)
QUALTRICS = (
    "StartDate,Status,IPAddress,Finished,ResponseId,Q1\n"
    "Start Date,Response Type,IP Address,Finished,Response ID,How?\n"
    + ",".join('"{""ImportId"":""%s""}"' % k for k in "abcdef") + "\n"
    "2017-07-18,0,1.2.3.4,1,R_1,4\n"
)

# English texts as the readers wrote them before notes carried their key (same files).
TRAPS = {
    "cp1252": ("agents.csv", "Identifiant;Sexe;Âge\nA1;Femme;34\n", "cp1252", [
        "agents.csv: not valid UTF-8 (first bad byte on line 1); decoded as cp1252 "
        "(Windows Western European).",
        "agents.csv: semicolon-delimited.",
    ]),
    "bom": ("bom.csv", "\ufeffid,age\n1,30\n", "utf-8", [
        "bom.csv: UTF-8 byte-order mark removed.",
    ]),
    "limesurvey": ("ls.csv", LIMESURVEY, "utf-8", [
        "ls.csv: semicolon-delimited.",
        "ls.csv: LimeSurvey export (code headings).",
        "ls.csv: 3 LimeSurvey system or timing columns dropped: 'lastpage', "
        "'startlanguage', 'seed'.",
        "ls.csv: 2 personal-data (token/IP address) columns dropped: 'token', 'ipaddr'.",
    ]),
    "qualtrics": ("qx.csv", QUALTRICS, "utf-8", [
        "qx.csv: Qualtrics export; 3 header rows (ids, question texts, ImportId) consumed.",
        "qx.csv: 1 Qualtrics system column (dates, progress and duration of the response, "
        "channel, language) dropped: 'StartDate'.",
        "qx.csv: 1 personal-data (IP, recipient, location) column dropped: 'IPAddress'.",
    ]),
    "googleforms": ("g.csv", "Horodateur,Votre âge\n29/07/2026 09:00:00,34\n", "utf-8", [
        "g.csv: Google Forms export (first column 'Horodateur' is the response time).",
    ]),
    "kobo": ("kobo.csv", '"age";"_uuid";"_submission_time";"_index"\n"#age";"";"";""\n'
             '"34";"u-1";"2017-10-23T09:41:19";"1"\n', "utf-8", [
        "kobo.csv: semicolon-delimited.",
        "kobo.csv: KoboToolbox export.",
        "kobo.csv: HXL hashtag row under the header consumed.",
        "kobo.csv: 3 KoboToolbox meta columns dropped: '_uuid', '_submission_time', '_index'.",
    ]),
    "surveymonkey": ("sm.csv", "Respondent ID,IP Address,Which?,,Favourite?\n"
                     ",,Episode I,Episode II,Response\n1,1.2.3.4,Episode I,,Episode II\n", "utf-8", [
        "sm.csv: SurveyMonkey export; 2 header rows combined as 'Question - Option'.",
        "sm.csv: 1 personal-data (IP, e-mail, name) column dropped: 'IP Address'.",
    ]),
}


@pytest.mark.parametrize("trap", sorted(TRAPS))
def test_reader_trap_notes_keep_their_english_text(tmp_path, trap):
    """A reader trap's notes are Notes with exactly the English text written before."""
    name, text, encoding, expected = TRAPS[trap]
    notes = read_raw(_write(tmp_path / name, text, encoding)).notes
    assert notes == expected
    assert all(isinstance(note, Note) for note in notes)
    assert all(note.in_language("fr") != note for note in notes)


def test_cp1252_note_in_french(tmp_path):
    """The cp1252 fallback note reads in French with its file and line."""
    notes = read_raw(_write(tmp_path / "agents.csv", "a,b\n1,2\nÉ,3\n", "cp1252")).notes
    assert [n.in_language("fr") for n in notes] == [
        "agents.csv : pas en UTF-8 valide (premier octet invalide à la ligne 3) ; décodé en "
        "cp1252 (Windows, Europe de l'Ouest)."]


def test_google_forms_note_in_french(tmp_path):
    """The Google Forms note names the time column, quoted as before, in French."""
    notes = read_raw(_write(tmp_path / "g.csv", "Timestamp,Q\n2026-07-29 09:00:00,34\n")).notes
    assert notes[0].key == "googleforms"
    assert notes[0].in_language("fr") == ("g.csv : export Google Forms (la première colonne, "
                                          "'Timestamp', est l'heure de la réponse).")


def test_limesurvey_code_text_note(tmp_path):
    """A LimeSurvey 'code. question text' export is noted with its own key."""
    path = _write(tmp_path / "lsc.csv", "id. Response ID,submitdate. Date submitted,Q1. How?\n"
                  "1,2016-01-01,x\n")
    notes = read_raw(path).notes
    assert [n.key for n in notes] == ["limesurvey_code_text"]
    assert "les codes servent de noms de colonnes" in notes[0].in_language("fr")


def test_xlsx_sheet_note(tmp_path):
    """The sheet read is noted with its quoted name in both languages."""
    path = tmp_path / "w.xlsx"
    with pd.ExcelWriter(path, engine="openpyxl") as writer:
        pd.DataFrame({"d": [dt.datetime(2016, 3, 1)]}).to_excel(writer, sheet_name="Réponses",
                                                                index=False)
    (note,) = read_raw(path).notes
    assert note == "w.xlsx: sheet 'Réponses' read."
    assert note.in_language("fr") == "w.xlsx : feuille 'Réponses' lue."


def test_sav_notes(tmp_path):
    """SPSS notes (format, user-missing values, month dates) keep their English text."""
    path = tmp_path / "a.sav"
    frame = pd.DataFrame({"sexe": [1.0, 9.0], "m": [1.3e10, 1.31e10]})
    pyreadstat.write_sav(frame, path, missing_ranges={"sexe": [9]}, variable_format={"m": "MOYR8"})
    notes = read_raw(path).notes
    assert notes == ["a.sav: SAV file, encoding UTF-8.",
                     "a.sav: 1 user-missing value set to missing: sexe (1).",
                     "a.sav: m (MOYR8) converted from seconds since 1582-10-14 to dates."]
    assert [n.key for n in notes] == ["stat_file_encoding", "user_missing", "spss_dates"]
    assert notes[0].in_language("fr") == "a.sav : fichier SAV, encodage UTF-8."


def test_duplicate_and_unnamed_column_notes():
    """Unnamed and duplicate header notes are Notes with the same English text."""
    notes = read_raw(pd.DataFrame([[1, 2, 3]], columns=["", "q", "q"])).notes
    assert notes == ["<DataFrame>: 1 column without a header named unnamed_<position>.",
                     "<DataFrame>: 1 duplicate column name made unique with a .1/.2 suffix: 'q'."]
    assert [n.key for n in notes] == ["unnamed_columns", "duplicate_columns"]


def test_default_salt_note(demo_pilot):
    """Pseudonymising with the default key leaves a Note naming the key, in French too."""
    path, _, _ = demo_pilot
    survey = surveys.read(path.parent / "agents_cd14.csv", "agent",
                          mapping={"N° agent": "respondent_id"})
    note = next(n for n in survey.notes if n.key == "default_salt")
    assert note.endswith("(default: 'bilan-default-salt-2016').")
    assert "identifiants (respondent_id) ont été pseudonymisés" in note.in_language("fr")


# --- the French report ----------------------------------------------------------------------

@pytest.fixture(scope="module")
def report_html(demo_pilot, tmp_path_factory):
    """The demo's report in French and in English (HTML text, entities decoded)."""
    from analysis import evaluate
    from reports.render import render

    _, pilot, _ = demo_pilot
    evaluation = evaluate(pilot)
    out = {}
    for lang in ("fr", "en"):
        paths = render(evaluation, tmp_path_factory.mktemp(f"report_{lang}"), lang=lang)
        page = next(p for p in paths if p.suffix == ".html")
        out[lang] = html.unescape(page.read_text(encoding="utf-8"))
    return out


def test_french_report_writes_the_notes_in_french(demo_pilot, report_html):
    """The French report has each reader note in French (with French typography's
    no-break spaces) and none in English."""
    _, _, sources = demo_pilot
    page = report_html["fr"].replace("\u00a0", " ")
    for note in _all_notes(sources):
        assert note.in_language("fr") in page
        assert str(note) not in page


def test_english_report_writes_the_notes_in_english(demo_pilot, report_html):
    """The English report keeps the notes' English text."""
    _, _, sources = demo_pilot
    for note in _all_notes(sources):
        assert str(note) in report_html["en"]
        assert note.in_language("fr") not in report_html["en"]


def test_note_agrees_with_its_count():
    """A count of 1 (0 or 1 in French) is written in the singular, others in the plural."""
    one = Note("dropped_system", file="a.csv", count=1, shown="'id'")
    two = Note("dropped_system", file="a.csv", count=2, shown="'id', 'lastpage'")
    assert "1 LimeSurvey system or timing column dropped" in one
    assert "2 LimeSurvey system or timing columns dropped" in two
    assert "1 colonne système ou de minutage LimeSurvey retirée" in one.in_language("fr")
    assert "2 colonnes système ou de minutage LimeSurvey retirées" in two.in_language("fr")
