"""Commute impact of telework: trips, kilometres, hours, money and CO2 avoided a year.

The arithmetic is the CGET telework-impact model (Citica / Idate, presented at the
Mission Bassin Minier seminar of 21 March 2017, seed 002): a teleworker avoids two
home-work trips per telework day; each avoided kilometre saves energy, vehicle
maintenance and CO2, each avoided hour is valued at the hourly labour cost. Applied to
a survey, each respondent's own ``commute_km``, ``commute_minutes`` and
``telework_days`` replace the national averages (the CGET defaults fill the gaps, and
the output says how many).
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import pandas as pd

from analysis._data import as_frame, check_columns, check_option
from analysis._design import group_codes, make_design
from analysis.design_estimates import mean_rows
from surveys.errors import SurveyError
from surveys.notes import Note

__all__ = ["commute_impact", "impact_parameters", "IMPACT_INDICATORS"]

#: Output indicators, in the order of the rows.
IMPACT_INDICATORS = [
    "trips",
    "km",
    "hours",
    "energy_eur",
    "maintenance_eur",
    "time_value_eur",
    "co2_kg",
    "co2_cost_eur",
]

_SEED = ("Mission Bassin Minier, 'Télétravail et tiers-lieux', 21 March 2017 "
         "(source document 002)")
_CGET = f"CGET telework-impact model (Citica / Idate), {_SEED}"

#: name -> (value, unit, source). ``working_days_per_year`` x 2/5 = 87 days, the
#: published number of commute days avoided per teleworker a year.
_PARAMETER_SETS: dict[str, dict[str, tuple[float, str, str]]] = {
    "cget-model": {
        "working_days_per_year": (
            217.5, "days/year",
            f"{_CGET}: 'forfait cadres de 217-218 jours'; 87 days = 2/5 x 217.5",
        ),
        "telework_days_per_week": (
            2.0, "days/week",
            f"{_CGET}: 'proportion de 2/5 travaillé à distance' (default when missing)",
        ),
        "trips_per_day": (2.0, "trips/day", f"{_CGET}: '2 navettes par jour télétravaillé'"),
        "commute_km": (26.0, "km/trip", f"{_CGET}: 26 km per trip (default when missing)"),
        "commute_minutes": (21.0, "min/trip", f"{_CGET}: 21 min per trip (default when missing)"),
        "energy_eur_per_km": (0.844, "EUR/km", f"{_CGET}: '84,4 centimes' (the model's value "
                                                 "as published; it looks high for fuel alone)"),
        "maintenance_eur_per_km": (0.22, "EUR/km",
                                   f"{_CGET}: '22 centimes' (the model's value as published)"),
        "co2_cost_eur_per_km": (
            0.0007, "EUR/km", f"{_CGET}: '0,07 centimes' (cost of CO2 per km, as printed)",
        ),
        "labour_eur_per_hour": (
            21.2, "EUR/hour",
            f"{_CGET}: net hourly wages of managers and intermediate professions",
        ),
        "co2_kg_per_km": (
            0.193, "kg CO2e/km",
            "ADEME Base Carbone, average private car ('voiture particulière, motorisation "
            "moyenne'), about 0.193 kg CO2e/km (an emission factor the CGET model does not "
            "give)",
        ),
    }
}

_INPUTS = ("telework_days", "commute_km", "commute_minutes")
#: inputs each indicator depends on (for the per-indicator fallback count)
_DEPENDS = {
    "trips": ("telework_days",),
    "hours": ("telework_days", "commute_minutes"),
    "time_value_eur": ("telework_days", "commute_minutes"),
}
_KM_INPUTS = ("telework_days", "commute_km")


def impact_parameters(params: str = "cget-model", **overrides) -> pd.DataFrame:
    """The parameter set of the commute-impact model, with units and sources.

    Parameters
    ----------
    params : str
        Name of the parameter set; only ``"cget-model"`` ships.
    **overrides : float
        Replacement values (their source becomes ``"override"``).

    Returns
    -------
    DataFrame
        Columns ``parameter``, ``value``, ``unit``, ``source``.

    Raises
    ------
    SurveyError
        Unknown parameter set or override key (the message lists the allowed ones).

    Examples
    --------
    >>> table = impact_parameters()
    >>> table.loc[table["parameter"] == "commute_km", ["value", "unit"]]
       value     unit
    3   26.0  km/trip
    """
    check_option("params", params, _PARAMETER_SETS)
    base = _PARAMETER_SETS[params]
    _check_overrides(base, overrides)
    rows = []
    for name, (value, unit, source) in base.items():
        if name in overrides:
            value, source = float(overrides[name]), "override"
        rows.append({"parameter": name, "value": float(value), "unit": unit, "source": source})
    return pd.DataFrame(rows)


def commute_impact(
    survey=None,
    *,
    params: Literal["cget-model"] = "cget-model",
    population: float | None = None,
    weights: str | None = None,
    teleworkers: float | None = None,
    n_boot: int = 2000,
    seed: int = 0,
    level: float = 0.95,
    **overrides,
) -> pd.DataFrame:
    """Yearly commuting avoided by teleworkers, and what it is worth.

    Parameters
    ----------
    survey : Survey, DataFrame or None
        Respondents (kind ``agent``) with ``commute_km`` and ``commute_minutes`` (one
        way) and ``telework_days`` (days a week). ``None`` runs the scenario mode.
    params : {"cget-model"}
        Parameter set (see :func:`impact_parameters`).
    population : float, optional
        Number of teleworkers the respondents represent; defaults to
        ``survey.population`` when the survey has one.
    weights : str, optional
        Column of the respondents' weights (e.g. returned by :func:`analysis.rake`, whose
        calibration the column carries): the population figures are then those of the
        weighted design, as every other estimate of the respondents.
    teleworkers : float, optional
        Scenario mode only: the number of teleworkers to simulate.
    n_boot : int
        Bootstrap replicates over respondents.
    seed : int
        Seed of the bootstrap, so the intervals are reproducible.
    level : float
        Confidence level of the percentile intervals.
    **overrides : float
        Parameter values replacing those of ``params`` (e.g. ``co2_kg_per_km=0.15``).

    Returns
    -------
    DataFrame
        One row per indicator: ``indicator`` (``trips``, ``km``, ``hours``,
        ``energy_eur``, ``maintenance_eur``, ``time_value_eur``, ``co2_kg``,
        ``co2_cost_eur``), ``n`` (respondents; teleworkers simulated in scenario mode),
        ``per_teleworker`` (mean per respondent a year), ``estimate`` (yearly total for
        the respondents), ``se`` (bootstrap standard deviation of the total),
        ``ci_low``, ``ci_high`` (percentile bootstrap interval of the total),
        ``fallback`` (respondents for whom a CGET default replaced a missing input the
        indicator uses), ``method``, ``note``, and, when the population is known,
        ``population_estimate`` (population x the design's mean per teleworker: the
        weighted mean with ``weights``), ``population_se``, ``population_ci_low``,
        ``population_ci_high``. With ``weights``, ``per_teleworker`` is the weighted
        mean (the population's), and ``estimate`` stays the respondents' own total.

    Raises
    ------
    SurveyError
        Unknown override key, missing column, bad ``level`` / ``n_boot``, no survey
        and no ``teleworkers``.

    Notes
    -----
    Per respondent, ``days = telework_days x working_days_per_year / 5`` (the CGET
    model's 87 days = 2/5 of 217.5 working days = 43.5 weeks x 2 days), ``trips =
    trips_per_day x days``, ``km = trips x commute_km``, ``hours = trips x
    commute_minutes / 60``, ``energy_eur = km x 0.844``, ``maintenance_eur = km x
    0.22``, ``time_value_eur = hours x 21.2``, ``co2_kg = km x co2_kg_per_km`` (an
    emission factor, ADEME, not in the seed: check the current ADEME value and pass it
    as ``co2_kg_per_km=``; the sources in the result are for readers and say only
    where each value comes from), ``co2_cost_eur = km x 0.0007`` (the seed's "0,07
    centimes" per km, a cost, as printed). The bootstrap resamples
    respondents with replacement, vectorised: when respondents share few distinct
    input rows, each replicate draws multinomial counts over those cells; otherwise a
    (replicates x respondents) index matrix is drawn in chunks. Only trips, km and
    hours are resampled; the other indicators are constant multiples of them. The
    respondents' intervals ignore any finite population correction.

    The population figures are design-based, as the report's other estimates: the
    population total is ``population`` x the mean of the design (equal weights, or
    ``weights``, with their calibration), its standard error ``population`` x the
    mean's (Taylor-linearised, with the finite population correction when the
    population is at least the respondents), and its interval ``± t(n - 1)`` standard
    errors: R ``survey``'s ``svytotal`` and ``confint(..., df = degf(design))`` on
    ``svydesign(ids = ~1, fpc = ~N)``, raked or not, checked to 1e-9
    (``tests/fixtures/impact/make_reference.R``). Every row is
    a teleworker: one with ``telework_days`` 0 avoids nothing but counts in the mean,
    so select the rows first (e.g. one survey wave, teleworkers only). The bootstrap
    standard error was checked against its closed form, ``sqrt(n)`` times the
    population standard deviation of the per-respondent values. The scenario
    arithmetic was checked by hand against the published parameters (87 x 2 x 26 =
    4,524 km per teleworker a year).

    Examples
    --------
    >>> out = commute_impact(None, teleworkers=10)
    >>> out.loc[out["indicator"] == "km", ["per_teleworker", "estimate"]]
       per_teleworker  estimate
    1          4524.0   45240.0
    """
    base = _resolve(params, overrides)
    if survey is None:
        return _scenario(base, teleworkers)
    if teleworkers is not None:
        raise SurveyError("teleworkers= is for the scenario mode only; pass survey=None.")
    _check_bootstrap(n_boot, level)
    frame = as_frame(survey)
    check_columns(frame, list(_INPUTS))
    values, missing = _per_respondent(frame, base)
    if population is None:
        population = getattr(survey, "population", None)
    out = _summarise(values, missing, base, n_boot, seed, level)
    if weights is not None or population is not None:
        check_columns(frame, [weights] if weights is not None else [], "weights column")
        means = _design_means(frame, values, base, weights, population, level)
        if weights is not None:
            out["per_teleworker"] = means["estimate"]
    if population is not None:
        out = _scale_up(out, float(population), means)
    return out


def _check_overrides(base: dict, overrides: dict) -> None:
    unknown = sorted(set(overrides) - set(base))
    if unknown:
        raise SurveyError(Note("impact_unknown_parameter", names=", ".join(map(repr, unknown)),
                               allowed=", ".join(base)))


def _resolve(params: str, overrides: dict) -> dict[str, float]:
    table = impact_parameters(params, **overrides)
    return dict(zip(table["parameter"], table["value"]))


def _check_bootstrap(n_boot: int, level: float) -> None:
    if not isinstance(n_boot, (int, np.integer)) or n_boot < 1:
        raise SurveyError(f"n_boot must be a positive whole number of replicates, got {n_boot!r}.")
    if not 0 < level < 1:
        raise SurveyError(f"level must be between 0 and 1 (e.g. 0.95), got {level!r}.")


def _indicators(days, km_trip, minutes, p: dict[str, float]) -> dict[str, np.ndarray]:
    """The indicators for arrays of yearly telework days, km and minutes per trip."""
    trips = p["trips_per_day"] * days
    km = trips * km_trip
    hours = trips * minutes / 60.0
    return {
        "trips": trips,
        "km": km,
        "hours": hours,
        "energy_eur": km * p["energy_eur_per_km"],
        "maintenance_eur": km * p["maintenance_eur_per_km"],
        "time_value_eur": hours * p["labour_eur_per_hour"],
        "co2_kg": km * p["co2_kg_per_km"],
        "co2_cost_eur": km * p["co2_cost_eur_per_km"],
    }


def _numeric(frame: pd.DataFrame, column: str) -> np.ndarray:
    values = pd.to_numeric(frame[column], errors="coerce").astype("float64")
    return values.to_numpy(dtype="float64", na_value=np.nan)


def _per_respondent(frame: pd.DataFrame, p: dict[str, float]):
    """Per-respondent indicator matrix (n x indicators) and the missing-input masks."""
    defaults = {
        "telework_days": p["telework_days_per_week"],
        "commute_km": p["commute_km"],
        "commute_minutes": p["commute_minutes"],
    }
    filled, missing = {}, {}
    for column in _INPUTS:
        raw = _numeric(frame, column)
        missing[column] = np.isnan(raw)
        filled[column] = np.where(missing[column], defaults[column], raw)
    days = filled["telework_days"] * p["working_days_per_year"] / 5.0
    values = _indicators(days, filled["commute_km"], filled["commute_minutes"], p)
    matrix = np.column_stack([values[name] for name in IMPACT_INDICATORS])
    return matrix, missing


def _fallback_counts(missing: dict[str, np.ndarray]) -> tuple[list[int], list[str]]:
    counts, notes = [], []
    n = len(next(iter(missing.values())))
    for name in IMPACT_INDICATORS:
        inputs = _DEPENDS.get(name, _KM_INPUTS)
        mask = np.zeros(n, dtype=bool)
        for column in inputs:
            mask |= missing[column]
        counts.append(int(mask.sum()))
        parts = [f"{int(missing[c].sum())} missing {c}" for c in inputs if missing[c].any()]
        notes.append(
            "CGET defaults used for " + ", ".join(parts) + f" (of {n} respondents)"
            if parts else ""
        )
    return counts, notes


#: Every indicator is one of trips, km, hours (columns 0-2) times a constant.
_BASE_COLUMN = [0, 1, 2, 1, 1, 2, 1, 1]
#: Elements of the (replicates x respondents) index matrix drawn at once (1 MiB).
_CHUNK = 2**17


def _factors(p: dict[str, float]) -> np.ndarray:
    """Each indicator per unit of its base column (trips, km or hours)."""
    return np.array([1.0, 1.0, 1.0, p["energy_eur_per_km"], p["maintenance_eur_per_km"],
                     p["labour_eur_per_hour"], p["co2_kg_per_km"], p["co2_cost_eur_per_km"]])


def _few_cells(base: np.ndarray) -> bool:
    """Whether the distinct rows of ``base`` may be few (at most 1/20 of the rows).

    The rows are hashed (no sort), so that the sort of whole rows
    (``np.unique(axis=0)``) runs only when it may find few cells: hashing takes 0.0
    and -0.0 alike and every NaN alike, so it never finds more distinct rows than the
    sort does.
    """
    key = np.zeros(len(base), dtype=np.int64)
    for column in base.T:   # the row's cell so far, then its value in this column
        codes, values = pd.factorize(column, use_na_sentinel=False)
        key = pd.factorize(key * len(values) + codes)[0]
    return 20 * (int(key.max(initial=-1)) + 1) <= len(base)


def _bootstrap_totals(matrix: np.ndarray, p: dict[str, float], n_boot: int,
                      seed: int) -> np.ndarray:
    """(n_boot x indicators) totals of respondents resampled with replacement.

    Only trips, km and hours are resampled (the other indicators are constant
    multiples of them). When respondents share few distinct input rows (cells), a
    replicate draws multinomial counts over the cells -- the same distribution as
    resampling respondents; otherwise an index matrix of replicates x respondents
    is drawn, a chunk of replicates at a time.
    """
    base = matrix[:, :3]
    factor = _factors(p)
    rng = np.random.default_rng(seed)
    n = len(base)
    few = _few_cells(base)
    if few:
        cells, counts = np.unique(base, axis=0, return_counts=True)
        few = 20 * len(cells) <= n
    if few:
        totals = rng.multinomial(n, counts / n, size=n_boot) @ cells
    else:
        # A chunk of replicates small enough to stay in the processor's cache is drawn,
        # gathered into one reused buffer and summed row by row: the same draws (one
        # stream, whatever the chunk) and the same sums as a whole index matrix.
        columns = [np.ascontiguousarray(base[:, j]) for j in range(3)]
        step = max(1, _CHUNK // n)
        totals = np.empty((n_boot, 3))
        gathered = np.empty((min(step, n_boot), n))
        for i in range(0, n_boot, step):
            index = rng.integers(0, n, size=(min(step, n_boot - i), n))
            values = gathered[:len(index)]
            for j, column in enumerate(columns):
                np.take(column, index, out=values, mode="clip")    # indices are in range
                values.sum(axis=1, out=totals[i:i + len(index), j])
    return totals[:, _BASE_COLUMN] * factor


def _summarise(matrix, missing, p: dict[str, float], n_boot: int, seed: int,
               level: float) -> pd.DataFrame:
    n = matrix.shape[0]
    if n == 0:
        raise SurveyError("No respondents to compute the commute impact on.")
    totals = _bootstrap_totals(matrix, p, n_boot, seed)
    tail = (1 - level) / 2
    fallback, notes = _fallback_counts(missing)
    return pd.DataFrame(
        {
            "indicator": IMPACT_INDICATORS,
            "n": n,
            "per_teleworker": matrix.mean(axis=0),
            "estimate": matrix.sum(axis=0),
            "se": totals.std(axis=0, ddof=1) if n_boot > 1 else np.nan,
            "ci_low": np.quantile(totals, tail, axis=0),
            "ci_high": np.quantile(totals, 1 - tail, axis=0),
            "fallback": fallback,
            "method": f"cget-model, percentile bootstrap over respondents ({n_boot} replicates)",
            "note": notes,
        }
    )


def _design_means(frame: pd.DataFrame, matrix: np.ndarray, p: dict[str, float],
                  weights: str | None, population, level: float) -> dict[str, np.ndarray]:
    """Each indicator's mean per teleworker on the respondents' design (weights and their
    calibration; the finite population correction when ``population`` is at least
    the respondents): ``estimate``, ``se``, ``ci_low``, ``ci_high``."""
    size = float(population) if population is not None else None
    if size is not None and not size > 0:
        raise SurveyError(
            f"population must be a positive number of teleworkers, got {population!r}."
        )
    fpc = size if size is not None and size >= len(frame) else None
    design = make_design(frame, weights=weights, population=fpc)
    groups = group_codes(frame, [])
    rows = [mean_rows(design, groups, matrix[:, j], level=level) for j in range(3)]
    return {key: np.array([rows[j][key][0] for j in _BASE_COLUMN]) * _factors(p)
            for key in ("estimate", "se", "ci_low", "ci_high")}


def _scale_up(out: pd.DataFrame, population: float, means: dict) -> pd.DataFrame:
    """The population columns: ``population`` x the design's mean, SE and interval."""
    out["population_estimate"] = population * means["estimate"]
    out["population_se"] = population * means["se"]
    out["population_ci_low"] = population * means["ci_low"]
    out["population_ci_high"] = population * means["ci_high"]
    return out


def _scenario(p: dict[str, float], teleworkers) -> pd.DataFrame:
    if teleworkers is None or not teleworkers >= 0:
        raise SurveyError(
            "The scenario mode (survey=None) needs teleworkers=N, a number of teleworkers >= 0."
        )
    days = p["telework_days_per_week"] * p["working_days_per_year"] / 5.0
    per = _indicators(
        np.array([days]), np.array([p["commute_km"]]), np.array([p["commute_minutes"]]), p
    )
    per_teleworker = np.array([per[name][0] for name in IMPACT_INDICATORS])
    return pd.DataFrame(
        {
            "indicator": IMPACT_INDICATORS,
            "n": teleworkers,
            "per_teleworker": per_teleworker,
            "estimate": per_teleworker * teleworkers,
            "se": np.nan,
            "ci_low": np.nan,
            "ci_high": np.nan,
            "fallback": 0,
            "method": "cget-model scenario (national averages, no survey)",
            "note": "",
        }
    )
