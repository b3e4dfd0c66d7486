"""Design-based survival curves (analysis.design_kaplan_meier) against R survey's svykm.

tests/fixtures/design_survival/make_reference.R draws 150 respondents and writes R's
``svykm(Surv(time, status) ~ 1, design, se = TRUE)``, ``confint()`` and
``quantile(ci = TRUE)`` for six designs; here the same designs are built with bilan's
arguments (raked weights from analysis.rake) and compared at rtol 1e-10.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import analysis
import surveys
from analysis import design_kaplan_meier, kaplan_meier, rake, survival_quantiles
from analysis.checkins import durations_from_dates
from analysis._respondent_frames import WEIGHT
from analysis.evaluate import _respondents, evaluate
from surveys.errors import SurveyError

FOLDER = Path(__file__).resolve().parents[1] / "fixtures" / "design_survival"
SEX = {"F": 450, "M": 340}
AGE = {"<35": 250, "35-49": 300, "50+": 240}
TIGHT = 1e-13  # R: rake(control = list(maxit = 1000, epsilon = 1e-13))
RTOL = 1e-10
# The designs of make_reference.R: the duration column, and bilan's design arguments.
#   weights            svydesign(ids = ~1, weights = ~w)
#   strata_fpc         svydesign(ids = ~1, strata = ~stratum, fpc = ~N)
#   rake2_srs          rake(svydesign(ids = ~1), list(~sex, ~ageband), ...)
#   rake1_strata       rake(svydesign(ids = ~1, strata = ~stratum, weights = ~w), list(~sex))
#   weights_missing    the weighted design, 12 durations missing (svykm's domain)
#   rake2_srs_missing  rake2_srs, 12 durations missing (km.stderr on the domain)
DESIGNS = {
    "weights": ("time", lambda d: {"weights": "w"}),
    "strata_fpc": ("time", lambda d: {"strata": "stratum", "population": "N"}),
    "rake2_srs": ("time", lambda d: {"weights": rake(d, {"sex": SEX, "ageband": AGE},
                                                     tol=TIGHT)}),
    "rake1_strata": ("time", lambda d: {"weights": rake(d, {"sex": SEX}, weights="w", tol=TIGHT),
                                        "strata": "stratum"}),
    "weights_missing": ("time_na", lambda d: {"weights": "w"}),
    "rake2_srs_missing": ("time_na", lambda d: {"weights": rake(d, {"sex": SEX, "ageband": AGE},
                                                                tol=TIGHT)}),
}


@pytest.fixture(scope="module")
def data() -> pd.DataFrame:
    """The 150 respondents of make_reference.R."""
    return pd.read_csv(FOLDER / "data.csv")


@pytest.fixture(scope="module")
def reference() -> pd.DataFrame:
    """R's svykm rows: design, time, surv, varlog, ci_low, ci_high."""
    return pd.read_csv(FOLDER / "reference.csv")


@pytest.fixture(scope="module")
def curves(data) -> dict[str, pd.DataFrame]:
    """bilan's curve of each design."""
    return {name: design_kaplan_meier(data, column, "status", **arguments(data))
            for name, (column, arguments) in DESIGNS.items()}


def _at_r_times(curves, reference, name):
    """Our curve at R's event times, and R's rows."""
    expected = reference[reference["design"] == name]
    ours = curves[name].set_index("time").loc[expected["time"].to_numpy(float)]
    return ours, expected


@pytest.mark.parametrize("name", ["rake2_srs", "rake1_strata"])
def test_raked_weights_are_those_of_r(data, name):
    """analysis.rake reproduces R's rake() weights, so the designs compared are the same."""
    expected = pd.read_csv(FOLDER / "weights.csv")[name].to_numpy(float)
    np.testing.assert_allclose(DESIGNS[name][1](data)["weights"].to_numpy(), expected,
                               rtol=1e-12)


@pytest.mark.parametrize("name", DESIGNS)
def test_survival_matches_r(curves, reference, name):
    """survival is R's svykm surv, exp(-H), at every event time."""
    ours, expected = _at_r_times(curves, reference, name)
    np.testing.assert_allclose(ours["survival"], expected["surv"], rtol=RTOL)


@pytest.mark.parametrize("name", DESIGNS)
def test_log_variance_matches_r(curves, reference, name):
    """(se / survival)^2 is R's varlog, the design variance of the cumulative hazard."""
    ours, expected = _at_r_times(curves, reference, name)
    np.testing.assert_allclose((ours["se"] / ours["survival"]) ** 2, expected["varlog"],
                               rtol=RTOL)


@pytest.mark.parametrize("name", DESIGNS)
def test_interval_matches_r_confint(curves, reference, name):
    """ci_low and ci_high are R's confint.svykm (upper bound capped at 1)."""
    ours, expected = _at_r_times(curves, reference, name)
    np.testing.assert_allclose(ours[["ci_low", "ci_high"]].to_numpy(),
                               expected[["ci_low", "ci_high"]].to_numpy(), rtol=RTOL)


@pytest.mark.parametrize("name", DESIGNS)
def test_quantiles_read_from_the_curve_match_r(curves, name):
    """survival_quantiles on the design curve gives R's quantile(svykm, ci = TRUE)."""
    expected = pd.read_csv(FOLDER / "quantiles.csv")
    expected = expected[expected["design"] == name].drop(columns="design")
    ours = survival_quantiles(curves[name], probs=[0.25, 0.5, 0.75])
    np.testing.assert_array_equal(ours[list(expected.columns)].to_numpy(float),
                                  expected.to_numpy(float))


def test_censoring_times_carry_the_curve(curves, reference):
    """Rows at censoring times only keep the survival and se of the last event before."""
    curve = curves["weights"]
    events = reference.loc[reference["design"] == "weights", "time"].to_numpy(float)
    step = np.searchsorted(events, curve["time"].to_numpy(), side="right") - 1
    expected = curve.set_index("time").loc[events, "survival"].to_numpy()
    np.testing.assert_array_equal(curve["survival"], np.where(step >= 0, expected[step], 1.0))


def test_columns_are_those_of_kaplan_meier(curves, data):
    """Same columns, in the same order, as analysis.kaplan_meier (reports need no case)."""
    assert list(curves["weights"].columns) == list(kaplan_meier(data["time"],
                                                                data["status"]).columns)


def test_counts_are_unweighted_respondents(curves, data):
    """time, at_risk, events and censored are kaplan_meier's unweighted counts."""
    plain = kaplan_meier(data["time"], data["status"])
    columns = ["time", "at_risk", "events", "censored"]
    pd.testing.assert_frame_equal(curves["rake1_strata"][columns], plain[columns])


def test_missing_durations_are_left_out_of_the_counts(curves, data):
    """Respondents without a duration count in no at_risk/events/censored cell."""
    inside = data["time_na"].notna()
    plain = kaplan_meier(data.loc[inside, "time_na"], data.loc[inside, "status"])
    columns = ["time", "at_risk", "events", "censored"]
    pd.testing.assert_frame_equal(curves["weights_missing"][columns], plain[columns])


def test_equal_weights_give_exp_of_nelson_aalen(data):
    """Unweighted, the curve is exp(-Nelson–Aalen hazard), checked against lifelines."""
    from lifelines import NelsonAalenFitter

    fitter = NelsonAalenFitter(nelson_aalen_smoothing=False).fit(data["time"], data["status"])
    curve = design_kaplan_meier(data, "time", "status")
    hazard = fitter.cumulative_hazard_.iloc[:, 0].reindex(curve["time"].to_numpy())
    np.testing.assert_allclose(curve["survival"], np.exp(-hazard.to_numpy()), rtol=1e-12)


def test_weights_without_calibration_change_the_standard_errors(data):
    """The raked weights as plain numbers (calibration dropped) give other standard errors:
    the calibration carried by rake()'s weights is used."""
    weights = DESIGNS["rake2_srs"][1](data)["weights"]
    calibrated = design_kaplan_meier(data, "time", "status", weights=weights)
    fixed = design_kaplan_meier(data, "time", "status", weights=weights.to_numpy())
    np.testing.assert_allclose(calibrated["survival"], fixed["survival"], rtol=1e-14)
    assert not np.allclose(calibrated["se"], fixed["se"], rtol=1e-3)


def test_no_event_leaves_the_curve_at_one():
    """Without any ended stay the survival is 1 with se 0 and the interval [1, 1]."""
    curve = design_kaplan_meier(pd.DataFrame({"t": [1.0, 2.0, 3.0], "w": [1.0, 2.0, 3.0]}),
                                "t", [0, 0, 0], weights="w")
    assert curve[["survival", "ci_low", "ci_high"]].eq(1.0).all().all()
    assert curve["se"].eq(0.0).all()


def test_default_observed_means_every_stay_ended(data):
    """observed=None counts every duration as an event."""
    curve = design_kaplan_meier(data, "time", weights="w")
    assert curve["censored"].eq(0).all() and curve["events"].sum() == len(data)


def test_level_changes_the_interval(curves, data):
    """level=0.9 gives a narrower interval than the default 0.95."""
    narrow = design_kaplan_meier(data, "time", "status", weights="w", level=0.9)
    assert (narrow["ci_low"] >= curves["weights"]["ci_low"]).all()
    assert (narrow["ci_low"] > curves["weights"]["ci_low"]).any()


def test_every_duration_missing_is_an_error():
    """No duration at all: a SurveyError saying so."""
    with pytest.raises(SurveyError, match="every duration is missing"):
        design_kaplan_meier(pd.DataFrame({"t": [np.nan, np.nan]}), "t")


def test_negative_duration_is_an_error():
    """A negative duration: a SurveyError naming durations."""
    with pytest.raises(SurveyError, match="durations must be >= 0"):
        design_kaplan_meier(pd.DataFrame({"t": [1.0, -2.0]}), "t")


def test_missing_observed_with_a_duration_is_an_error():
    """observed missing where a duration is given: a SurveyError."""
    with pytest.raises(SurveyError, match="observed has missing values"):
        design_kaplan_meier(pd.DataFrame({"t": [1.0, 2.0]}), "t", [1.0, np.nan])


def test_unknown_column_suggests_the_close_name(data):
    """A misspelt duration column: a SurveyError naming it."""
    with pytest.raises(SurveyError, match="tim"):
        design_kaplan_meier(data, "tim", "status")


def test_wrong_length_is_an_error(data):
    """Durations of another length than the data: a SurveyError."""
    with pytest.raises(SurveyError, match="one value per respondent"):
        design_kaplan_meier(data, [1.0, 2.0], weights="w")


# -- in the evaluation --------------------------------------------------------------------

@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """The demo pilot (agents raked on gender, companies unweighted) and its evaluation."""
    pilot = surveys.read_pilot(surveys.demo(tmp_path_factory.mktemp("demo")))
    return pilot, evaluate(pilot)


def _stays(frame, start, end):
    return durations_from_dates(frame[start], frame.get(end))


def test_raked_source_gets_the_design_curve(demo):
    """The agents (raked in the demo pilot) get design_kaplan_meier on the raked frame."""
    pilot, evaluation = demo
    frame = _respondents(pilot.read("agents"), pilot.weighting["agents"], pilot.path.name,
                         "agents")
    stays = _stays(frame, "telework_start", "telework_end")
    expected = design_kaplan_meier(frame, stays["duration_months"], stays["observed"],
                                   weights=WEIGHT, population=60.0)
    table = evaluation.sections["retention"].tables["agents_stays_curve"].data
    pd.testing.assert_frame_equal(table, expected)


def test_horizons_are_read_from_the_design_curve(demo):
    """The agents' horizons are retention_at on the design curve."""
    _, evaluation = demo
    tables = evaluation.sections["retention"].tables
    expected = analysis.retention_at(tables["agents_stays_curve"].data, horizons=(3, 6, 12, 24))
    pd.testing.assert_frame_equal(tables["agents_stays_horizons"].data, expected)


def test_quantiles_of_the_design_curve_say_so(demo):
    """The agents' quantiles are read from the design curve and labelled as such (the
    companies', unweighted, keep Kaplan-Meier's label)."""
    _, evaluation = demo
    tables = evaluation.sections["retention"].tables
    agents = tables["agents_stays_median"].data
    expected = analysis.survival_quantiles(tables["agents_stays_curve"].data)
    pd.testing.assert_frame_equal(agents.drop(columns="method"), expected.drop(columns="method"))
    assert set(agents["method"]) == {"design-based survival quantile (R svykm), CI where the "
                                     "band crosses"}
    assert set(tables["companies_stays_median"].data["method"]) == {
        "Kaplan-Meier quantile, Brookmeyer-Crowley CI"}


def test_unweighted_source_keeps_kaplan_meier(demo):
    """Companies (no weights, no strata) keep the product-limit curve of kaplan_meier."""
    pilot, evaluation = demo
    frame = pilot.read("companies").data
    stays = _stays(frame, "joined", "left")
    expected = kaplan_meier(stays["duration_months"], stays["observed"])
    table = evaluation.sections["retention"].tables["companies_stays_curve"].data
    pd.testing.assert_frame_equal(table, expected)


STRATIFIED = """\
[pilot]
name = "Strates"
min_cell = 3

[sources.agents]
kind = "agent"
path = "agents.csv"
strata = "department"
"""


@pytest.fixture(scope="module")
def stratified(tmp_path_factory):
    """A pilot with one agent source stratified by department (no weights), evaluated."""
    rng = np.random.default_rng(20261122)
    n = 80
    start = pd.Timestamp("2016-01-01") + pd.to_timedelta(rng.integers(0, 200, n), unit="D")
    end = start + pd.to_timedelta(rng.integers(20, 500, n), unit="D")
    end = end.where(rng.random(n) < 0.6)
    frame = pd.DataFrame({"respondent_id": [f"A{i}" for i in range(n)],
                          "department": rng.choice(["Calvados", "Manche", "Orne"], n),
                          "telework_start": start.strftime("%Y-%m-%d"),
                          "telework_end": pd.Series(end).dt.strftime("%Y-%m-%d")})
    folder = tmp_path_factory.mktemp("stratified")
    frame.to_csv(folder / "agents.csv", index=False)
    (folder / "pilot.toml").write_text(STRATIFIED, encoding="utf-8")
    pilot = surveys.read_pilot(folder / "pilot.toml")
    return pilot, evaluate(pilot)


def test_stratified_source_gets_the_design_curve(stratified):
    """A stratified, unweighted source gets design_kaplan_meier with its strata."""
    pilot, evaluation = stratified
    frame = pilot.read("agents").data
    stays = _stays(frame, "telework_start", "telework_end")
    expected = design_kaplan_meier(frame, stays["duration_months"], stays["observed"],
                                   strata="department")
    table = evaluation.sections["retention"].tables["agents_stays_curve"].data
    pd.testing.assert_frame_equal(table, expected)


def test_strata_note_no_longer_says_retention_ignores_strata(stratified):
    """The strata_partial note lists the retention curves among what uses the strata."""
    _, evaluation = stratified
    notes = evaluation.sections["quality"].tables["summary"].notes
    note = next(n for n in notes if getattr(n, "key", None) == "strata_partial")
    assert "the retention curves of companies and agents" in note
    assert "les courbes de maintien des entreprises et des agents" in note.in_language("fr")
