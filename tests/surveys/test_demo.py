"""The demo pilot: complete, realistic, deterministic."""

from __future__ import annotations

import tomllib

import numpy as np
import pandas as pd
import pytest

from surveys.demo import demo


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory):
    """One demo pilot written once for the module."""
    return demo(tmp_path_factory.mktemp("demo")).parent


def test_same_seed_same_bytes(tmp_path, demo_dir):
    """Two runs with the same seed write byte-identical files."""
    demo(tmp_path)
    for path in demo_dir.iterdir():
        assert (tmp_path / path.name).read_bytes() == path.read_bytes(), path.name


def test_other_seed_other_answers(tmp_path, demo_dir):
    """Another seed gives other answers."""
    demo(tmp_path, seed=1)
    assert (tmp_path / "agents_cd14.csv").read_bytes() != (demo_dir / "agents_cd14.csv").read_bytes()


def test_pilot_file_names_every_file(demo_dir):
    """pilot.toml is valid TOML and every source path it names exists."""
    pilot = tomllib.loads((demo_dir / "pilot.toml").read_text(encoding="utf-8"))
    kinds = {spec["kind"] for spec in pilot["sources"].values()}
    assert kinds == {"agent", "company", "thirdplace", "attendance", "places"}
    for spec in pilot["sources"].values():
        assert (demo_dir / spec["path"]).is_file()


def test_agents_file_is_french_excel(demo_dir):
    """Agents: cp1252, semicolons, decimal commas, dd/mm/yyyy dates, two waves."""
    raw = (demo_dir / "agents_cd14.csv").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    frame = pd.read_csv(demo_dir / "agents_cd14.csv", sep=";", encoding="cp1252", dtype=str)
    assert frame["Distance domicile-travail (km)"].str.contains(",", na=False).any()
    assert frame["Début du télétravail"].dropna().str.fullmatch(r"\d\d/\d\d/\d{4}").all()
    assert set(frame["Vague"].dropna()) == {"Avant", "Après"}
    assert 35 <= (frame["Vague"] == "Avant").sum() <= 60


def test_companies_match_the_orne_pilot(demo_dir):
    """23 pilot companies (13 Orne, 10 Calvados) plus withdrawals, on the named sheet."""
    frame = pd.read_excel(demo_dir / "entreprises_cci.xlsx", sheet_name="Entreprises")
    pilot = frame[frame["Date de sortie"].isna()]
    assert len(pilot) == 23
    assert len(frame) > 23
    assert (frame["Département"] == "Orne").sum() + (frame["Département"] == "Calvados").sum() == len(frame)


def test_companies_are_coherent_with_their_size(demo_dir):
    """A company's employees eligible to telework fit its size band (fewer than 10: at
    most 9), and its teleworkers are among them."""
    frame = pd.read_excel(demo_dir / "entreprises_cci.xlsx", sheet_name="Entreprises")
    most = frame["Effectif"].map({"<10": 9, "10-49": 49, "50-249": 249, "250+": np.inf})
    assert (frame["Salariés éligibles"] <= most).all()
    assert (frame["Télétravailleurs"] <= frame["Salariés éligibles"]).all()
    assert (frame["Effectif"] == "<10").any()


def test_thirdplace_bands_near_aquitaine(demo_dir):
    """Third-place users: LimeSurvey export, unsubmitted rows, bands near 14/17/23/32/13 %."""
    frame = pd.read_csv(demo_dir / "tiers_lieux_limesurvey.csv", dtype=str, encoding="utf-8-sig")
    assert list(frame.columns[:8]) == ["id", "submitdate", "lastpage", "startlanguage", "seed",
                                       "startdate", "datestamp", "ipaddr"]
    assert frame["submitdate"].isna().sum() > 0
    shares = frame["ANCIENNETE"].value_counts(normalize=True)
    expected = pd.Series({"A1": .14, "A2": .17, "A3": .23, "A4": .32, "A5": .13}) / 0.99
    assert np.abs(shares.reindex(expected.index) - expected).max() < 0.05


def test_places_and_checkins(demo_dir):
    """20 places of which 3 fablabs; about two years of check-ins at known places."""
    places = pd.read_csv(demo_dir / "lieux.csv")
    assert len(places) == 20
    assert (places["Type"] == "fablab").sum() == 3
    checkins = pd.read_csv(demo_dir / "badges_tiers_lieux.csv")
    stamps = pd.to_datetime(checkins["horodatage"], format="%d/%m/%Y %H:%M")
    assert (stamps.max() - stamps.min()).days > 650
    assert set(checkins["lieu"]) <= set(places["Identifiant"])


def test_scale_grows_the_pilot(tmp_path):
    """scale multiplies respondents and check-ins."""
    demo(tmp_path, scale=3)
    users = pd.read_csv(tmp_path / "tiers_lieux_limesurvey.csv", usecols=["id"])
    assert len(users) == 3 * 640
    assert len(pd.read_csv(tmp_path / "lieux.csv")) == 60
