"""Drafting a pilot file from a user's exports (surveys.pilot_draft, what `bilan init` writes)."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pandas as pd
import pytest

from surveys import demo, read_pilot
from surveys._readers import SUPPORTED_EXTENSIONS
from surveys.errors import SurveyError
from surveys.pilot_draft import draft_pilot

#: The demo's exports, in the order given to the draft.
DEMO_FILES = ["agents_cd14.csv", "entreprises_cci.xlsx", "tiers_lieux_limesurvey.csv",
              "badges_tiers_lieux.csv", "lieux.csv"]
#: Real third-party exports (../shared/realdata) the draft must survive: every file there
#: in a format the reader supports (none where the folder is absent).
_REALDATA = Path(__file__).resolve().parents[2].parent / "shared" / "realdata"
REAL_FILES = sorted(str(path.relative_to(_REALDATA)) for path in _REALDATA.rglob("*")
                    if path.suffix.lower() in SUPPORTED_EXTENSIONS)
#: Headers a TOML writer can get wrong.
AWKWARD = ['Say "hi"', "back\\slash", "Âge", "two\nlines", "a\ttab", "end\\", 'Q1. "x" \\ y',
           "Sexe"]


@pytest.fixture(scope="module")
def demo_folder(tmp_path_factory) -> Path:
    """The demo pilot's folder (its exports and its own pilot.toml)."""
    return demo(tmp_path_factory.mktemp("draft_demo")).parent


@pytest.fixture(scope="module")
def demo_draft(demo_folder, tmp_path_factory):
    """The draft of the demo's five exports, written in a folder of its own."""
    out = tmp_path_factory.mktemp("draft_out") / "pilote.toml"
    return draft_pilot([demo_folder / f for f in DEMO_FILES], out, name="Démo")


@pytest.fixture(scope="module")
def demo_pilot(demo_folder) -> dict:
    """The demo's own pilot file, as TOML, sources keyed by file name."""
    doc = tomllib.loads((demo_folder / "pilot.toml").read_text(encoding="utf-8"))
    return {spec["path"]: spec for spec in doc["sources"].values()} | {"salt": doc["pilot"]["salt"]}


def _csv(path: Path, headers: list[str], rows: list[list[str]]) -> Path:
    """A semicolon CSV with every field quoted (headers may hold quotes and line breaks)."""
    def cell(text: str) -> str:
        return '"' + text.replace('"', '""') + '"'
    lines = [";".join(cell(h) for h in headers)] + [";".join(cell(v) for v in r) for r in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _left_keys(text: str) -> list[str]:
    """The headers of the commented '# "header" = ""   # hint' lines, read back as TOML."""
    keys = []
    for line in text.splitlines():
        if line.startswith('# "') and '= ""   # ' in line:
            keys += list(tomllib.loads(line[2:]).keys())
    return keys


def _complete(draft, demo_pilot: dict) -> str:
    """The draft completed as a user would from the demo pilot's mapping and recodes:
    commented column lines and recode stubs filled in, other recode tables added."""
    by_name = {s.name: demo_pilot[s.file.name] for s in draft.sources}
    lines, spec, recode, done = [], None, None, set()
    for line in draft.text.splitlines():
        table = re.fullmatch(r"#? ?\[sources\.(\w+)(?:\.recode\.(\w+))?\].*", line)
        if table:
            spec = by_name[table.group(1)]
            recode = spec.get("recode", {}).get(table.group(2)) if table.group(2) else None
            if recode is not None:
                done.add((table.group(1), table.group(2)))
                line = line.lstrip("# ")
        elif line.startswith('# "') and spec is not None:
            (key, _), = tomllib.loads(line[2:].split("   #")[0]).items()
            target = recode.get(key) if recode is not None else spec["mapping"].get(key)
            if target:
                line = line[2:].split("   #")[0].replace('= ""', f'= "{target}"')
        elif line.startswith("salt = "):
            line = f'salt = "{demo_pilot["salt"]}"'
        lines.append(line)
    for source in draft.sources:
        for var, table in by_name[source.name].get("recode", {}).items():
            if (source.name, var) not in done:
                lines.append(f"[sources.{source.name}.recode.{var}]")
                lines += [f'"{k}" = "{v}"' for k, v in table.items()]
    return "\n".join(lines) + "\n"


def test_demo_kinds_are_guessed(demo_draft, demo_pilot):
    """Every demo export gets the kind the demo pilot gives it, without doubt."""
    guessed = {s.file.name: (s.kind, s.certain) for s in demo_draft.sources}
    assert guessed == {f: (demo_pilot[f]["kind"], True) for f in DEMO_FILES}


def test_demo_draft_loads_with_read_pilot(demo_draft, demo_folder):
    """The draft is a pilot file read_pilot accepts, its paths leading to the exports."""
    pilot = read_pilot(demo_draft.path)
    assert (pilot.name, pilot.lang, pilot.min_cell) == ("Démo", "fr", 5)
    assert {s.path.resolve() for s in pilot.sources.values()} == {
        (demo_folder / f).resolve() for f in DEMO_FILES}


def test_salt_is_random_and_explained(demo_draft, tmp_path):
    """The salt is a fresh secret each time, with a comment saying to keep it unchanged."""
    other = draft_pilot([demo_draft.sources[4].file], tmp_path / "p.toml")
    salts = [tomllib.loads(d.text)["pilot"]["salt"] for d in (demo_draft, other)]
    assert salts[0] != salts[1] and min(len(s) for s in salts) >= 24
    assert "ne jamais changer" in next(line for line in demo_draft.text.splitlines()
                              if line.startswith("salt = "))


def test_demo_mapping_agrees_or_is_left_to_complete(demo_draft, demo_pilot):
    """Each header the demo pilot maps is drafted to the same variable or listed to complete."""
    for source in demo_draft.sources:
        wanted = demo_pilot[source.file.name]["mapping"]
        assert {h: wanted[h] for h in source.mapping} == source.mapping
        assert set(wanted) - set(source.mapping) <= set(source.left)


def test_demo_draft_misses_only_unaliased_headers(demo_draft):
    """What the draft leaves to complete on the demo: demo-specific and LimeSurvey codes."""
    left = {s.name: s.left for s in demo_draft.sources}
    assert left == {
        "agents_cd14": ["Souhait avant le pilote"],
        "entreprises_cci": ["Accompagnement CCI"],
        "tiers_lieux_limesurvey": ["submitdate", "TRAJET", "TOUJOURS", "FREQUENCE", "ECONOMIE",
                                   "SAT[SQ001]", "SAT[SQ002]", "SAT[SQ003]", "RECOMMANDE"],
        "badges_tiers_lieux": [], "lieux": []}


def test_completed_draft_reads_like_the_demo_pilot(demo_draft, demo_pilot, demo_folder, tmp_path):
    """Completed with the demo's mapping and recodes, each source reads as the demo pilot's."""
    path = demo_draft.path.parent / "complete.toml"
    path.write_text(_complete(demo_draft, demo_pilot), encoding="utf-8")
    mine, theirs = read_pilot(path), read_pilot(demo_folder / "pilot.toml")
    names = {spec.path.name: name for name, spec in theirs.sources.items()}
    for name, spec in mine.sources.items():
        ours, reference = mine.read(name), theirs.read(names[spec.path.name])
        pd.testing.assert_frame_equal(ours.data, reference.data)
        assert len(ours.problems) == len(reference.problems)


def test_recode_stub_lists_the_limesurvey_codes(demo_draft):
    """LimeSurvey A1/A2 answers of mapped coded columns get a stub listing them and the codes."""
    users = next(s for s in demo_draft.sources if s.kind == "thirdplace")
    assert users.recode == {
        "status": ("STATUT", [f"A{i}" for i in range(1, 8)]),
        "gender": ("SEXE", ["A1", "A2"]),
        "attendance_band": ("ANCIENNETE", ["A1", "A2", "A3", "A4", "A5"])}
    text = demo_draft.text
    stub = '# [sources.tiers_lieux_limesurvey.recode.gender]\n# "A1" = ""\n# "A2" = ""\n'
    assert stub in text
    assert "F (Femme), M (Homme), X (Autre)" in text


def test_recode_stub_uncommented_is_a_recode_table(demo_draft):
    """Removing the '# ' of a stub gives the recode table of that variable."""
    lines = demo_draft.text.splitlines()
    start = lines.index("# [sources.tiers_lieux_limesurvey.recode.status]")
    stub = []
    for line in lines[start:]:
        if not line:
            break
        stub.append(line[2:])
    doc = tomllib.loads("\n".join(stub))
    assert doc["sources"]["tiers_lieux_limesurvey"]["recode"]["status"] == {
        f"A{i}": "" for i in range(1, 8)}


def test_recode_stub_stops_at_twenty_values(tmp_path):
    """A column with many unknown values lists the first twenty and says how many more."""
    rows = [[str(i), f"Genre {i:02d}"] for i in range(25)]
    draft = draft_pilot([_csv(tmp_path / "a.csv", ["id", "Sexe"], rows)], tmp_path / "p.toml")
    assert len(draft.sources[0].recode["gender"][1]) == 25
    assert '# "Genre 19" = ""' in draft.text and '# "Genre 20" = ""' not in draft.text
    assert "# ... et 5 autre(s) valeur(s)" in draft.text


def test_awkward_headers_are_escaped(tmp_path):
    """Quotes, backslashes, accents, tabs and line breaks in headers survive the TOML."""
    path = _csv(tmp_path / "odd.csv", ["id"] + AWKWARD, [["1"] + ["x"] * len(AWKWARD)])
    draft = draft_pilot([path], tmp_path / "p.toml")
    mapping = tomllib.loads(draft.text)["sources"]["odd"]["mapping"]
    assert mapping == {"id": "respondent_id", "Âge": "age", "Sexe": "gender"}
    assert sorted(_left_keys(draft.text)) == sorted(set(AWKWARD) - {"Âge", "Sexe"})


def test_awkward_headers_map_once_uncommented(tmp_path):
    """An uncommented line of an awkward header names that exact column to read."""
    path = _csv(tmp_path / "odd.csv", ["id"] + AWKWARD, [["1"] + ["2"] * len(AWKWARD)])
    draft = draft_pilot([path], tmp_path / "p.toml")
    line = next(line for line in draft.text.splitlines() if line.startswith('# "two\\nlines"'))
    text = draft.text.replace(line, line[2:].split("   #")[0].replace('= ""', '= "telework_days"'))
    (tmp_path / "p.toml").write_text(text, encoding="utf-8")
    survey = read_pilot(tmp_path / "p.toml").read("odd")
    assert survey.data["telework_days"].tolist() == [2]


def test_uncertain_kind_asks_to_check(tmp_path):
    """A file with fewer than two recognised columns is drafted with a comment to check its kind."""
    path = _csv(tmp_path / "form.csv", ["Timestamp", "Question"], [["2024-01-01", "a"]])
    draft = draft_pilot([path], tmp_path / "p.toml")
    assert not draft.sources[0].certain
    kind_line = next(line for line in draft.text.splitlines() if line.startswith("kind = "))
    assert "À VÉRIFIER" in kind_line
    assert "types possibles : agent, company, thirdplace, attendance, places" in kind_line
    assert tomllib.loads(draft.text)["sources"]["form"]["kind"] in kind_line


def test_tied_kinds_are_uncertain(tmp_path):
    """Headers two kinds recognise equally (id, gender, age) leave the kind to check."""
    path = _csv(tmp_path / "t.csv", ["RespondentID", "Gender", "Age"], [["1", "F", "30"]])
    source = draft_pilot([path], tmp_path / "p.toml").sources[0]
    assert (source.kind, source.certain) == ("agent", False)
    assert source.scores["agent"] == source.scores["thirdplace"] == 3


def test_missing_required_column_is_flagged(tmp_path):
    """A required variable without a column is written as a comment and in the summary."""
    path = _csv(tmp_path / "places.csv", ["Nom", "Type", "Zone"], [["A", "Fablab", "Rural"]])
    draft = draft_pilot([path], tmp_path / "p.toml")
    assert draft.sources[0].required == ["place_id"]
    assert "# OBLIGATOIRE : aucune colonne pour place_id" in draft.text
    assert draft.summary()["required_missing"].tolist() == [1]


def test_unrecognised_column_hint_names_the_likely_variable(demo_draft):
    """The line of an unrecognised header suggests the free variables closest to it first."""
    line = next(line for line in demo_draft.text.splitlines()
                if line.startswith('# "Souhait avant le pilote"'))
    assert "# à compléter : telework_wish, " in line and "laisser ainsi pour l'ignorer" in line


def test_english_draft(tmp_path, demo_folder):
    """lang='en' writes lang = "en" and English comments."""
    draft = draft_pilot([demo_folder / "lieux.csv"], tmp_path / "p.toml", lang="en")
    assert tomllib.loads(draft.text)["pilot"]["lang"] == "en"
    assert "Then: bilan validate p.toml" in draft.text
    assert "My pilot (rename me)" in draft.text


def test_unknown_lang_is_refused(tmp_path, demo_folder):
    """A language other than fr/en is a SurveyError listing the allowed ones."""
    with pytest.raises(SurveyError, match="'fr', 'en'"):
        draft_pilot([demo_folder / "lieux.csv"], tmp_path / "p.toml", lang="de")


def test_source_names_are_bare_and_unique(tmp_path):
    """Names come from the file names, as bare TOML keys, made unique."""
    (tmp_path / "b").mkdir()
    files = [_csv(tmp_path / "Enquête été 2016.csv", ["id"], [["1"]]),
             _csv(tmp_path / "agents.csv", ["id"], [["1"]]),
             _csv(tmp_path / "b" / "agents.csv", ["id"], [["1"]])]
    draft = draft_pilot(files, tmp_path / "p.toml")
    assert [s.name for s in draft.sources] == ["enquete_ete_2016", "agents", "agents_2"]
    assert list(tomllib.loads(draft.text)["sources"]) == ["enquete_ete_2016", "agents", "agents_2"]


def test_workbook_sheet_is_chosen_and_written(demo_draft):
    """The demo workbook's data sheet (not its notes) is read and named in the draft."""
    doc = tomllib.loads(demo_draft.text)
    assert doc["sources"]["entreprises_cci"]["sheet"] == "Entreprises"
    assert "sheet" not in doc["sources"]["agents_cd14"]


def test_paths_are_relative_to_the_output_folder(tmp_path):
    """A source path is written relative to the pilot file's folder."""
    path = _csv(tmp_path / "lieux.csv", ["Identifiant", "Nom"], [["1", "A"]])
    draft = draft_pilot([path], tmp_path / "pilots" / "p.toml")
    assert tomllib.loads(draft.text)["sources"]["lieux"]["path"] == "../lieux.csv"
    assert read_pilot(draft.path).sources["lieux"].path.resolve() == path.resolve()


def test_baselines_fitting_the_kinds_drafted(tmp_path, demo_folder):
    """Given id -> kinds, [baselines] compare keeps the ids of the kinds present, in order."""
    fits = {"bva-2015": ["agent", "company"], "aquitaine-2016": ["places", "thirdplace"],
            "cget-model": []}
    draft = draft_pilot([demo_folder / "lieux.csv"], tmp_path / "p.toml", baselines=fits)
    assert tomllib.loads(draft.text)["baselines"]["compare"] == ["aquitaine-2016"]


def test_summary_has_one_row_per_source(demo_draft):
    """The summary says, per source, the kind and what is left to do."""
    summary = demo_draft.summary().set_index("source")
    assert list(summary.columns) == ["file", "kind", "certain", "recognised", "left",
                                     "required_missing", "to_recode"]
    assert summary.loc["tiers_lieux_limesurvey", ["recognised", "left", "to_recode"]].tolist() == [
        9, 9, 3]


def test_missing_file_names_it(tmp_path):
    """A file that does not exist is a SurveyError naming it; nothing is written."""
    with pytest.raises(SurveyError, match="nope.csv"):
        draft_pilot([tmp_path / "nope.csv"], tmp_path / "p.toml")
    assert not (tmp_path / "p.toml").exists()


def test_unreadable_file_names_it(tmp_path):
    """A file of an unsupported type is a SurveyError naming it."""
    path = tmp_path / "form.json"
    path.write_text("{}", encoding="utf-8")
    with pytest.raises(SurveyError, match="form.json"):
        draft_pilot([path], tmp_path / "p.toml")


def test_existing_output_is_kept_without_force(tmp_path, demo_folder):
    """An existing pilot file is not replaced unless force=True."""
    out = tmp_path / "p.toml"
    out.write_text("# mine\n", encoding="utf-8")
    with pytest.raises(SurveyError, match="p.toml"):
        draft_pilot([demo_folder / "lieux.csv"], out)
    assert out.read_text(encoding="utf-8") == "# mine\n"
    draft_pilot([demo_folder / "lieux.csv"], out, force=True)
    assert "[sources.lieux]" in out.read_text(encoding="utf-8")


def test_output_that_is_an_export_is_refused(tmp_path, demo_folder):
    """The pilot file may not be one of the exports, even with force=True."""
    path = _csv(tmp_path / "a.csv", ["id"], [["1"]])
    with pytest.raises(SurveyError, match="a.csv"):
        draft_pilot([path], path, force=True)
    assert path.read_text(encoding="utf-8").startswith('"id"')


@pytest.mark.parametrize("name", REAL_FILES)
def test_real_exports_give_a_loadable_draft(realdata, tmp_path, name):
    """Each real export gives a draft tomllib and read_pilot load, listing every column."""
    draft = draft_pilot([realdata / name], tmp_path / "p.toml")
    doc = tomllib.loads(draft.text)
    source = draft.sources[0]
    assert doc["sources"][source.name]["mapping"] == source.mapping
    assert sorted(_left_keys(draft.text)) == sorted(source.left)
    assert read_pilot(draft.path).sources[source.name].path.resolve() == (realdata / name).resolve()


@pytest.mark.parametrize("name", REAL_FILES)
def test_real_exports_drafted_complete_are_read(realdata, tmp_path, name):
    """A real export's draft is read, or refused with a message naming the file (as bilan
    validate reports it), never a crash; a required column missing is flagged to complete."""
    draft = draft_pilot([realdata / name], tmp_path / "p.toml")
    source = draft.sources[0]
    try:
        survey = read_pilot(draft.path).read(source.name)
    except SurveyError as error:
        assert Path(name).name in str(error)
        if source.required:
            assert f"aucune colonne pour {', '.join(source.required)}" in draft.text
    else:
        plain = [t for t in source.mapping.values()
                 if "__" not in t and not survey.codebook.resolve(t).pii]
        assert set(plain) <= set(survey.data.columns)
