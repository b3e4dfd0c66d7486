"""The baseline catalogue: completeness against BASELINES.md, user sources, conditions."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis.baselines import (
    CATALOGUE_COLUMNS,
    baselines,
    condition_mask,
    load_baselines,
    parse_condition,
)
from surveys.errors import SurveyError

# Every figure of shared/BASELINES.md, typed by hand from that file:
# (source id, indicator, value as published, as a fraction for shares).
EXPECTED = [
    ("bva-2015", "small_company", 0.20), ("bva-2015", "small_company_all", 0.15),
    ("bva-2015", "manager", 0.57), ("bva-2015", "manager_all", 0.32),
    ("bva-2015", "private_sector", 0.82), ("bva-2015", "private_sector_all", 0.74),
    ("bva-2015", "man", 0.69), ("bva-2015", "man_all", 0.51),
    ("bva-2015", "commute_over_1h", 0.44), ("bva-2015", "commute_over_1h_all", 0.28),
    ("citica-2017", "woman", 0.65), ("citica-2017", "typical_age_min", 40),
    ("citica-2017", "typical_age_max", 45), ("citica-2017", "commute_km_mean", 50),
    ("citica-2017", "commute_km_mean_all", 26), ("citica-2017", "one_day_a_week", 0.70),
    ("randstad-2016", "wish_telework", 0.64), ("randstad-2016", "wish_occasionally", 0.35),
    ("randstad-2016", "wish_daily", 0.12), ("randstad-2016", "wish_fixed_days", 0.17),
    ("citica-2017", "employees_teleworking_min", 0.10),
    ("citica-2017", "employees_teleworking_max", 0.15),
    ("citica-2017", "employees_teleworking_2000", 0.026),
    ("citica-2017", "telework_at_home", 0.95),
    ("citica-2017", "staff_teleworking_per_organisation", 0.10),
    ("citica-2017", "days_per_week_min", 1), ("citica-2017", "days_per_week_max", 2),
    ("citica-2017", "public_sector_max_days", 3),
    ("citica-2017", "public_sector_agreement_years", 1),
    ("citica-2017", "framework_agreements", 400),
    ("citica-2017", "framework_agreements_private", 0.64),
    ("citica-2017", "framework_agreements_public", 0.36),
    ("citica-2017", "employees_teleworking_north_europe_us", 1 / 3),
    ("cget-model", "commute_days_avoided_per_year", 87), ("cget-model", "working_days_min", 217),
    ("cget-model", "working_days_max", 218), ("cget-model", "remote_fraction", 0.4),
    ("cget-model", "trips_per_telework_day", 2), ("cget-model", "km_per_trip", 26),
    ("cget-model", "minutes_per_trip", 21), ("cget-model", "energy_eur_per_km", 0.844),
    ("cget-model", "maintenance_eur_per_km", 0.22), ("cget-model", "co2_eur_per_km", 0.0007),
    ("cget-model", "labour_eur_per_hour", 21.2),
    ("cget-model", "employees_among_thirdplace_teleworkers_2015", 0.10),
    ("cget-model", "employees_among_thirdplace_teleworkers_2020", 0.15),
    ("cget-model", "employees_among_thirdplace_teleworkers_2025", 0.30),
    ("cget-model", "weighted_telework_rate_target_2025", 0.24),
    ("cget-model", "weighted_telework_rate_2015", 0.14),
    ("cget-model", "weighted_telework_rate_2025_printed", 0.19),
    ("cget-model", "eligible_categories", 4), ("cget-model", "telecentre_spending_eur", 70000),
    ("cget-model", "potential_nord_pdc_min", 125000), ("cget-model", "potential_nord_pdc_max", 130000),
    ("cget-model", "potential_lille_min", 92000), ("cget-model", "potential_lille_max", 115000),
    ("cget-model", "eligible_lille_min", 460000), ("cget-model", "eligible_lille_max", 470000),
    ("cget-model", "potential_artois_min", 15000), ("cget-model", "potential_artois_max", 19000),
    ("cget-model", "potential_lens_min", 18500), ("cget-model", "potential_lens_max", 23500),
    ("aquitaine-2016", "users_2011", 183), ("aquitaine-2016", "users_2016", 4863),
    ("aquitaine-2016", "event_visitors_2015", 62000),
    ("aquitaine-2016", "travel_under_20min", 0.90),
    ("aquitaine-2016", "seniority_1_2y", 0.32), ("aquitaine-2016", "seniority_6_12m", 0.23),
    ("aquitaine-2016", "seniority_3_6m", 0.17), ("aquitaine-2016", "seniority_under_3m", 0.14),
    ("aquitaine-2016", "seniority_over_2y", 0.13),
    ("aquitaine-2016", "boosts_local_economy", 0.94),
    ("aquitaine-2016", "ties_with_neighbours", 0.72),
    ("aquitaine-2016", "used_by_residents", 0.92),
    ("aquitaine-2016", "welcomes_new_residents", 0.84),
    ("aquitaine-2016", "welcomes_nomadic_entrepreneurs", 0.56),
    ("aquitaine-2016", "type_coworking", 0.71), ("aquitaine-2016", "type_fablab", 0.22),
    ("aquitaine-2016", "type_hybrid", 0.07),
    ("aquitaine-2016", "governance_association", 0.52),
    ("aquitaine-2016", "governance_private_company", 0.20),
    ("aquitaine-2016", "governance_local_authority", 0.12),
    ("aquitaine-2016", "governance_private_group", 0.12),
    ("aquitaine-2016", "governance_public_private", 0.05),
    ("aquitaine-2016", "zone_urban", 0.455), ("aquitaine-2016", "zone_rural", 0.364),
    ("aquitaine-2016", "zone_periurban", 0.182),
    ("aquitaine-2016", "third_places_2016", 150), ("aquitaine-2016", "third_places_target_2020", 300),
    ("aquitaine-2016", "call_2016_places", 14), ("aquitaine-2016", "call_2016_total_eur", 800000),
    ("aquitaine-2016", "call_2016_eur_per_project", 56000),
    ("aquitaine-2016", "call_2016_share_of_cost", 0.30),
    ("aquitaine-2016", "telework_experiment_agents", 20),
    ("aquitaine-2016", "telework_recruitment_agents", 100),
    ("aquitaine-2016", "telework_recruitment_days_min", 2),
    ("aquitaine-2016", "telework_recruitment_days_max", 3),
    ("aquitaine-2016", "daily_commuters", 1_000_000),
    ("aquitaine-2016", "commuters_over_1h", 0.80),
    ("popplace-2017", "freelancer", 0.53), ("popplace-2017", "entrepreneur", 0.14),
    ("popplace-2017", "field_creative", 0.27), ("popplace-2017", "field_web", 0.26),
    ("popplace-2017", "field_marketing", 0.24), ("popplace-2017", "man", 0.60),
    ("popplace-2017", "age_mean", 35), ("popplace-2017", "coworking_world_2016", 10100),
    ("popplace-2017", "coworking_france_2016", 402), ("popplace-2017", "coworking_hdf_2016", 22),
    ("popplace-2017", "fablabs_france_2016", 115), ("popplace-2017", "fablabs_world_2016", 549),
    ("popplace-2017", "la_station_target_visitors", 300),
    ("popplace-2017", "la_station_visitors", 500),
    ("basse-normandie-2016", "cci_orne_smes_supported", 23),
    ("basse-normandie-2016", "cci_orne_smes_orne", 13),
    ("basse-normandie-2016", "cci_orne_smes_calvados", 10),
    ("basse-normandie-2016", "cci_orne_smes_manche", 0),
    ("basse-normandie-2016", "cci_orne_smes_interested", 50),
    ("basse-normandie-2016", "cci_orne_staff_fte", 1),
    ("basse-normandie-2016", "cci_orne_services_eur_min", 1500),
    ("basse-normandie-2016", "cci_orne_services_eur_max", 2000),
    ("basse-normandie-2016", "calvados_agents", 20),
    ("basse-normandie-2016", "calvados_new_agents", 20),
    ("basse-normandie-2016", "shared_workplaces", 20),
    ("basse-normandie-2016", "shared_workplaces_fablabs", 3),
    ("basse-normandie-2016", "shared_workplaces_planned", 18),
    ("basse-normandie-2016", "shared_workplaces_planned_fablabs", 3),
    ("basse-normandie-2016", "map_znm", 25), ("basse-normandie-2016", "map_business_real_estate", 20),
    ("basse-normandie-2016", "map_ene", 5), ("basse-normandie-2016", "map_ltp", 17),
    ("basse-normandie-2016", "map_ltp_planned", 15), ("basse-normandie-2016", "map_fablab", 3),
    ("basse-normandie-2016", "map_fablab_planned", 3),
    ("basse-normandie-2016", "shared_workplaces_2008", 180),
    ("basse-normandie-2016", "shared_workplaces_world_2013", 2500),
    ("basse-normandie-2016", "shared_workplaces_europe_2013", 1200),
    ("basse-normandie-2016", "shared_workplaces_france_2013", 120),
    ("basse-normandie-2016", "shared_workplaces_france_2015", 300),
    ("basse-normandie-2016", "roadmap_stage0_eur_min", 4000),
    ("basse-normandie-2016", "roadmap_stage0_eur_max", 8000),
    ("basse-normandie-2016", "roadmap_stage1_support_eur_min", 70000),
    ("basse-normandie-2016", "roadmap_stage1_support_eur_max", 100000),
    ("basse-normandie-2016", "roadmap_stage1_visibility_eur_min", 10000),
    ("basse-normandie-2016", "roadmap_stage1_visibility_eur_max", 45000),
    ("basse-normandie-2016", "roadmap_stage2_authority_eur_min", 5000),
    ("basse-normandie-2016", "roadmap_stage2_authority_eur_max", 50000),
    ("basse-normandie-2016", "roadmap_portal_investment_eur_min", 30000),
    ("basse-normandie-2016", "roadmap_portal_investment_eur_max", 100000),
    ("basse-normandie-2016", "roadmap_portal_running_eur_min", 5000),
    ("basse-normandie-2016", "roadmap_portal_running_eur_max", 20000),
]


@pytest.fixture(scope="module")
def catalogue() -> pd.DataFrame:
    """The shipped catalogue, read once."""
    return baselines()


def _row(catalogue, source, indicator):
    rows = catalogue[(catalogue["source_id"] == source) & (catalogue["indicator"] == indicator)]
    assert len(rows) == 1, (source, indicator)
    return rows.iloc[0]


@pytest.mark.parametrize("source, indicator, value", EXPECTED)
def test_every_figure_is_in_the_catalogue(catalogue, source, indicator, value):
    """Each figure of BASELINES.md is in the catalogue with its published value."""
    assert _row(catalogue, source, indicator)["value"] == pytest.approx(value, abs=1e-12)


def test_catalogue_has_the_seven_sources(catalogue):
    """The catalogue's source ids are exactly those of DESIGN.md."""
    assert set(catalogue["source_id"]) == {
        "bva-2015", "randstad-2016", "citica-2017", "aquitaine-2016", "popplace-2017",
        "cget-model", "basse-normandie-2016"}


def test_catalogue_columns(catalogue):
    """The tidy catalogue has the documented columns in order."""
    assert list(catalogue.columns) == CATALOGUE_COLUMNS


def test_shares_are_fractions(catalogue):
    """Every share lies in [0, 1]."""
    shares = catalogue.loc[catalogue["unit"] == "share", "value"]
    assert shares.between(0, 1).all()


def test_every_row_names_its_seed_and_publisher(catalogue):
    """Seed file, publisher and year are filled for every figure."""
    assert catalogue[["seed_file", "publisher"]].notna().all().all()
    assert catalogue["year"].notna().all()
    assert set(catalogue["seed_file"]) == {"000_33610712e5cf87d3.txt", "002_a257d376c1469f0e.txt"}


def test_bva_base_sizes(catalogue):
    """BVA teleworker figures rest on 469 answers, the all-respondent ones on 1267."""
    assert _row(catalogue, "bva-2015", "man")["base_n"] == 469
    assert _row(catalogue, "bva-2015", "man_all")["base_n"] == 1267


def test_unpublished_base_is_missing(catalogue):
    """Randstad gives no base n: it is NaN, not zero."""
    assert np.isnan(_row(catalogue, "randstad-2016", "wish_telework")["base_n"])


def test_aquitaine_bands_keep_published_values_with_note(catalogue):
    """The five duration bands keep their 99 % total and say so."""
    bands = catalogue[catalogue["distribution"] == "attendance_seniority"]
    assert len(bands) == 5
    assert bands["value"].sum() == pytest.approx(0.99)
    assert bands["note"].str.contains("99 %").all()
    assert set(bands["condition"]) == {
        "{band: <3m}", "{band: 3-6m}", "{band: 6-12m}", "{band: 1-2y}", "{band: '>2y'}"}


def test_governance_sums_to_101_percent_with_note(catalogue):
    """The governance models are kept as published (101 %) with a note."""
    rows = catalogue[catalogue["distribution"] == "governance"]
    assert rows["value"].sum() == pytest.approx(1.01)
    assert rows["note"].str.contains("101 %").all()


def test_answerable_definitions(catalogue):
    """Indicators declare the survey kind, variable and condition that answer them."""
    expected = {
        ("bva-2015", "man"): ("agent", "gender", "{equals: M}"),
        ("bva-2015", "manager"): ("agent", "manager", "{is: true}"),
        ("bva-2015", "private_sector"): ("agent", "sector", "{equals: private}"),
        ("bva-2015", "commute_over_1h"): ("agent", "commute_minutes", "{greater_than: 60}"),
        ("bva-2015", "small_company"): ("company", "size_band", "{equals: <10}"),
        ("citica-2017", "woman"): ("agent", "gender", "{equals: F}"),
        ("citica-2017", "one_day_a_week"): ("agent", "telework_days", "{equals: 1}"),
        ("aquitaine-2016", "travel_under_20min"): ("thirdplace", "travel_minutes", "{less_than: 20}"),
        ("aquitaine-2016", "boosts_local_economy"): ("thirdplace", "boosts_local_economy", "{is: true}"),
        ("popplace-2017", "freelancer"): ("thirdplace", "status", "{equals: freelancer}"),
        ("popplace-2017", "age_mean"): ("thirdplace", "age", None),
    }
    for (source, indicator), answer in expected.items():
        row = _row(catalogue, source, indicator)
        assert (row["kind"], row["variable"], row["condition"]) == answer


def test_citica_is_restricted_to_public_sector(catalogue):
    """Citica's shares describe public-sector teleworkers: a subset on sector."""
    assert _row(catalogue, "citica-2017", "woman")["subset"] == "{sector: {equals: public}}"


def test_source_filter(catalogue):
    """baselines(source) keeps only that source's rows."""
    table = baselines("randstad-2016")
    assert set(table["source_id"]) == {"randstad-2016"}
    assert len(table) == (catalogue["source_id"] == "randstad-2016").sum()


def test_unknown_source_lists_ids():
    """An unknown source id is a SurveyError listing the known ids."""
    with pytest.raises(SurveyError, match="bva-2015.*randstad-2016"):
        baselines("bva-2051")


def _write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


YAML_SOURCE = """
sources:
  - source_id: my-region-2019
    publisher: My region
    year: 2019
    seed_file: report.pdf
    base_n: 250
    indicators:
      - indicator: woman
        label_fr: Femme
        label_en: Woman
        value: 0.58
        kind: agent
        variable: gender
        condition: {equals: F}
      - indicator: mean_age
        value: 44
        unit: years
        base_n: null
        kind: agent
        variable: age
"""


def test_user_yaml_source_is_added(tmp_path):
    """baselines(extra=yaml) adds the user's source with inherited fields."""
    table = baselines(extra=_write(tmp_path, "mine.yaml", YAML_SOURCE))
    mine = table[table["source_id"] == "my-region-2019"].set_index("indicator")
    assert mine.loc["woman", "value"] == 0.58
    assert mine.loc["woman", "base_n"] == 250
    assert mine.loc["woman", "publisher"] == "My region"
    assert np.isnan(mine.loc["mean_age", "base_n"])
    assert mine.loc["mean_age", "label_en"] == "mean_age"
    assert (table["source_id"] == "bva-2015").sum() == 10


def test_user_csv_source_is_read(tmp_path):
    """A CSV file with one row per indicator gives the same catalogue rows."""
    path = _write(tmp_path, "mine.csv",
                  "source_id,indicator,value,unit,base_n,kind,variable,condition\n"
                  "my-2020,commute,0.3,,120,agent,commute_minutes,{greater_than: 45}\n"
                  "my-2020,count_places,12,count,,,,\n")
    table = load_baselines(path)
    assert table["condition"].tolist() == ["{greater_than: 45}", None]
    assert table["base_n"].iloc[0] == 120
    assert np.isnan(table["base_n"].iloc[1])


def test_csv_error_names_file_row_and_column(tmp_path):
    """A non-numeric value in a CSV names the file, the row and the key."""
    path = _write(tmp_path, "bad.csv", "source_id,indicator,value\nx,a,0.2\nx,b,lots\n")
    with pytest.raises(SurveyError, match=r"bad\.csv, row 2, key 'value': 'lots'"):
        load_baselines(path)


def test_share_above_one_is_refused(tmp_path):
    """A share written as a percentage (69) is refused with a hint."""
    path = _write(tmp_path, "pct.csv", "source_id,indicator,value\nx,man,69\n")
    with pytest.raises(SurveyError, match=r"pct\.csv, row 1.*fractions"):
        load_baselines(path)


def test_yaml_unknown_key_suggests(tmp_path):
    """A misspelt key in a YAML source names the indicator and suggests the key."""
    text = YAML_SOURCE.replace("variable: gender", "varible: gender")
    with pytest.raises(SurveyError, match=r"mine\.yaml, source 'my-region-2019', "
                                          r"indicator 'woman'.*did you mean 'variable'"):
        load_baselines(_write(tmp_path, "mine.yaml", text))


def test_yaml_without_sources_key(tmp_path):
    """A YAML file without 'sources' is refused, naming the file."""
    with pytest.raises(SurveyError, match=r"x\.yaml: expected a top-level key 'sources'"):
        load_baselines(_write(tmp_path, "x.yaml", "indicators: []\n"))


def test_unknown_condition_operator(tmp_path):
    """An unknown condition operator names the row and suggests the right one."""
    path = _write(tmp_path, "c.csv", "source_id,indicator,value,kind,variable,condition\n"
                                     "x,a,0.5,agent,age,{greater: 3}\n")
    with pytest.raises(SurveyError, match=r"c\.csv, row 1.*'greater'.*greater_than"):
        load_baselines(path)


def test_duplicate_indicator_is_refused(tmp_path):
    """A user source re-using a shipped (source, indicator) pair is refused."""
    path = _write(tmp_path, "dup.csv", "source_id,indicator,value\nbva-2015,man,0.5\n")
    with pytest.raises(SurveyError, match="'man' of source 'bva-2015' appears twice"):
        baselines(extra=path)


def test_missing_file_is_named(tmp_path):
    """A baseline file that does not exist is named in the error."""
    with pytest.raises(SurveyError, match="nowhere.yaml"):
        load_baselines(tmp_path / "nowhere.yaml")


def test_share_without_condition_is_refused(tmp_path):
    """An answerable share must say which answers count."""
    path = _write(tmp_path, "s.csv", "source_id,indicator,value,kind,variable\nx,a,0.5,agent,gender\n")
    with pytest.raises(SurveyError, match=r"s\.csv, row 1: a share needs a 'condition'"):
        load_baselines(path)


def test_parse_condition_forms():
    """Conditions parse from mappings and from their YAML text."""
    assert parse_condition("{equals: M}") == ("equals", "M")
    assert parse_condition({"is": True}) == ("is", True)
    assert parse_condition("{band: 6-12m}") == ("band", "6-12m")


def test_condition_mask_on_categories_and_missing():
    """A condition gives 1/0 on answers and NaN on missing ones (categorical, boolean, integer)."""
    gender = pd.Series(pd.Categorical(["M", "F", None, "X"], categories=["F", "M", "X"]))
    assert condition_mask(gender, "{equals: M}").tolist()[:2] == [1.0, 0.0]
    assert np.isnan(condition_mask(gender, "{equals: M}").iloc[2])
    manager = pd.Series(pd.array([True, False, None], dtype="boolean"))
    assert condition_mask(manager, "{is: true}").tolist()[:2] == [1.0, 0.0]
    days = pd.Series(pd.array([1, 2, None], dtype="Int64"))
    assert condition_mask(days, "{equals: 1}").tolist()[:2] == [1.0, 0.0]
    assert condition_mask(gender, "{in: [F, X]}").tolist()[3] == 1.0


def test_condition_bounds_are_strict():
    """greater_than and less_than exclude the bound itself (60 minutes is not over an hour)."""
    minutes = pd.Series([60.0, 61.0, 19.9, 20.0])
    assert condition_mask(minutes, "{greater_than: 60}").tolist() == [0.0, 1.0, 0.0, 0.0]
    assert condition_mask(minutes, "{less_than: 20}").tolist() == [0.0, 0.0, 1.0, 0.0]


def test_shipped_texts_have_a_french_version(catalogue):
    """Every publisher, population and note has a French version, French where it differs."""
    for name in ("publisher", "population", "note"):
        given, french = catalogue[name], catalogue[f"{name}_fr"]
        assert (given.isna() == french.isna()).all(), name
    row = catalogue.set_index(["source_id", "indicator"]).loc[("bva-2015", "man")]
    assert row["population"] == "teleworkers (France)"
    assert row["population_fr"] == "télétravailleurs (France)"
    assert row["publisher_fr"].startswith("BVA (enquête")


def test_shipped_english_texts_have_one_french_translation(catalogue):
    """An English text is translated the same way wherever it occurs (reports look it up)."""
    for name in ("publisher", "population", "note"):
        pairs = catalogue[[name, f"{name}_fr"]].dropna().drop_duplicates()
        assert not pairs[name].duplicated().any(), name


def test_user_text_in_one_language_is_used_for_both(tmp_path):
    """A file without French text keeps working: population_fr falls back to population."""
    path = _write(tmp_path, "mine.csv", "source_id,indicator,value,population,note_fr\n"
                                        "my-2020,woman,0.4,agents du Calvados,Chiffre 2020\n")
    row = load_baselines(path).iloc[0]
    assert row["population"] == row["population_fr"] == "agents du Calvados"
    assert row["note"] == row["note_fr"] == "Chiffre 2020"
    assert row["publisher"] is None and row["publisher_fr"] is None


def test_indicator_text_overrides_the_source_pair(tmp_path):
    """An indicator setting its own population inherits neither of the source's two versions."""
    text = YAML_SOURCE.replace("    base_n: 250\n", "    base_n: 250\n"
                               "    population: agents\n    population_fr: agents publics\n"
                               "    publisher_fr: Ma région\n")
    text = text.replace("        label_en: Woman\n", "        label_en: Woman\n"
                        "        population: women agents\n")
    mine = load_baselines(_write(tmp_path, "mine.yaml", text)).set_index("indicator")
    assert mine.loc["woman", "population"] == mine.loc["woman", "population_fr"] == "women agents"
    assert mine.loc["mean_age", "population_fr"] == "agents publics"
    assert mine.loc["mean_age", "publisher"] == "My region"
    assert mine.loc["mean_age", "publisher_fr"] == "Ma région"
