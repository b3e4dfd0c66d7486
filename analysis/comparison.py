"""Comparisons of a pilot's survey with a reference source of the baseline catalogue.

``compare_baseline(survey, "bva-2015")`` answers "is our pilot like the national
teleworker?": one row per indicator of the source that the survey can answer, with the
pilot's estimate, the published figure, the test used, an effect size, a p-value adjusted
for the number of indicators compared, and a short verdict in French and English
(``verdict`` in English, the same in every report's files, ``verdict_fr`` in French). The
notes under each row (what was compared, how, the catalogue's own note) are written in
both languages too: ``note`` in English, ``note_fr`` in French, from one list of
sentences.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Literal

import numpy as np
import pandas as pd
from scipy import stats
from statsmodels.stats import proportion as smp

from analysis._adjust import adjust_pvalues
from analysis._calibration import Calibration
from analysis._data import as_frame, check_columns, check_option
from analysis._design import group_codes, make_design
from analysis.design_tests import goodness_of_fit
from analysis.baselines import baselines as _catalogue
from analysis.baselines import condition_mask
from analysis.comparison_texts import (catalogue_note, compared_texts, condition_words,
                                       join_notes, sentence)
from analysis.design_estimates import share_rows
from analysis.estimation import mean
from surveys._yaml import safe_load
from surveys.errors import SurveyError

__all__ = ["compare_baseline", "COMPARISON_COLUMNS"]

#: Columns of :func:`compare_baseline`'s result, in order.
COMPARISON_COLUMNS = [
    "indicator", "label_fr", "label_en", "compared", "compared_fr", "distribution", "unit", "n",
    "count", "n_missing", "estimate", "se", "ci_low", "ci_high", "baseline", "baseline_n",
    "difference", "difference_ci_low", "difference_ci_high", "test", "statistic", "df",
    "p_value", "p_adjusted", "effect_size", "effect_size_name", "verdict", "verdict_fr",
    "verdict_en", "note", "note_fr", "reference_note", "reference_note_fr",
]
Adjust = Literal["holm", "fdr_bh", "none"]
_ADJUST = ("holm", "fdr_bh", "none")
_KINDS = ("agent", "company", "thirdplace", "attendance", "places")
#: Below this expected count a one-sample share uses the exact binomial test and a
#: distribution a Monte-Carlo goodness-of-fit p-value.
_MIN_EXPECTED = 5
_MONTE_CARLO = 20_000
#: A standard error this small beside the one without calibration or population
#: correction is nil: the share is known (a raking margin, a census).
_EXACT = 1e-9
_NATIONAL = {"bva-2015", "randstad-2016", "citica-2017", "cget-model"}
_REGIONAL = {"aquitaine-2016", "popplace-2017", "basse-normandie-2016"}


def compare_baseline(
    survey,
    source_id: str,
    *,
    kind: str | None = None,
    weights=None,
    strata: str | None = None,
    population=None,
    level: float = 0.95,
    adjust: Adjust = "holm",
    baselines=None,
    min_n: int = 10,
    calibration: Calibration | Literal[False] | None = None,
) -> pd.DataFrame:
    """Compare a survey with every indicator of one reference source it can answer.

    Parameters
    ----------
    survey : Survey or DataFrame
        The pilot's answers (``Survey.data`` conventions).
    source_id : str
        A source of the catalogue, e.g. ``"bva-2015"`` (see :func:`analysis.baselines`).
    kind : {"agent", "company", "thirdplace", "places"}, optional
        Kind of survey; taken from ``survey.kind`` when omitted (required for a DataFrame).
    weights : str or array-like, optional
        Column of sampling/calibration weights, or the weights themselves.
    strata : str, optional
        Column of the design's strata (every respondent needs one). The pilot's
        estimates are then domain estimates on the whole stratified design (R
        ``svymean`` / ``svyciprop`` on ``subset(svydesign(ids = ~1, strata = ~s,
        weights = ~w), ...)``): their standard errors and intervals account for the
        strata, and so does the t-test of a mean; tests of shares rest on the (Kish
        effective) n as without strata, which ``note`` says.
    population : float or str, optional
        Size of the surveyed population (a number), or, with ``strata``, a column of each
        respondent's stratum population size (R ``svydesign(..., fpc = ~N)``): the
        pilot's standard errors and intervals (and the t-test of a mean) then carry the
        finite population correction, the estimates being domain estimates on the whole
        design; tests of shares rest on n as without it.
    level : float
        Confidence level of the intervals; a difference is called when
        ``p_adjusted < 1 - level``.
    adjust : {"holm", "fdr_bh", "none"}
        Multiplicity adjustment across the tests of this call (statsmodels
        ``multipletests``); a distribution counts as one test.
    baselines : DataFrame, path or list of paths, optional
        A catalogue (e.g. ``analysis.baselines(extra="mine.yaml")``), or user source
        files added to the shipped catalogue; the shipped catalogue by default.
    min_n : int
        Below this many answers the verdict is "too few answers to conclude".
    calibration : Calibration, False or None
        As in :func:`analysis.proportion`: by default the calibration the weights (or the
        data) carry when they are :func:`analysis.rake`'s; the pilot's standard errors
        and intervals are then those of R's calibrated design (``svyciprop`` /
        ``svymean`` on ``rake(...)``), and its tests rest on the n those intervals
        imply. A share fixed by the calibration (the share of women when gender is a
        margin) has no sampling error: it is tested against the reference's own sample
        (score test of ``value x base_n`` of ``base_n`` against the pilot's figure,
        Wilson interval of the reference for the difference), and not tested when the
        reference gives no base n. False treats the weights as fixed.

    Returns
    -------
    DataFrame
        One row per answerable indicator: ``indicator``, ``label_fr``, ``label_en``,
        ``compared`` (what is compared, in words), ``compared_fr`` (the same in
        French), ``distribution``, ``unit``, ``n``
        (answers in the base), ``count`` (answers in the base that are in the category
        a share counts, unweighted; ``n`` for a mean), ``n_missing`` (missing answers
        left out of the base),
        ``estimate``, ``se``, ``ci_low``, ``ci_high`` (the pilot; weighted when
        ``weights`` are given), ``baseline`` (the published figure as printed; a
        distribution not summing to 1 is renormalised for its test only),
        ``baseline_n``, ``difference`` (estimate - baseline), ``difference_ci_low``,
        ``difference_ci_high``, ``test``,
        ``statistic``, ``df``, ``p_value``, ``p_adjusted``, ``effect_size``,
        ``effect_size_name`` (``cohen_h``, ``cohen_d`` or ``cramers_v``), ``verdict``
        (English, as ``verdict_en``: the same in every report's files),
        ``verdict_fr``, ``verdict_en``, ``note`` (English: how the row was
        compared, then the catalogue's note), ``note_fr`` (the same
        in French, with the catalogue's ``note_fr``), ``reference_note`` and
        ``reference_note_fr`` (the catalogue's note alone, for a reader).
        ``result.attrs["skipped"]`` lists the source's indicators of this kind that
        could not be compared, with the reason.

    Raises
    ------
    SurveyError
        Unknown source (the message lists the ids), unknown option, no kind.

    Notes
    -----
    Tests, by what the source publishes:

    - a share with a base n: two-sample score test (statsmodels
      ``test_proportions_2indep(method="score")``) of the pilot (its Kish effective n
      when weighted) against ``value x base_n`` of ``base_n``, and Newcombe's hybrid
      score interval for the difference (``confint_proportions_2indep(method="newcomb")``);
    - a share without base n: one-sample score test (``proportions_ztest`` with the null
      variance) on the (effective) n, or the exact binomial test when the data are
      unweighted and ``n p0`` or ``n (1 - p0)`` is below 5; the difference interval is
      the pilot's interval minus the fixed figure;
    - a mean: one-sample t-test against the figure, ``t = (estimate - value) / se`` on
      ``n - 1`` degrees of freedom, Cohen's d from the pilot's standard deviation;
    - a distribution: chi-square goodness of fit of the pilot's counts (weighted shares
      times the effective n when weighted) on the published shares renormalised to sum
      to 1 (said in ``note``), respondents outside the published categories left out;
      a Monte-Carlo p-value (20,000 multinomial draws, seeded) when an expected count is
      below 5 and the data are unweighted; Cramér's V ``sqrt(chi2 / (n (k - 1)))``.

    Every test was checked against statsmodels/scipy called directly on the same
    counts (tests/analysis/test_comparison.py); stratified estimates (a share and
    means, on a subset and on everyone) against R ``survey`` 4.1 to 1e-10
    (tests/fixtures/likert_strata/make_reference.R); with a per-stratum population
    size, a share against R ``svyciprop`` on ``svydesign(..., fpc = ~N)`` to 1e-10
    (tests/fixtures/stratum_fpc/make_reference.R).

    Examples
    --------
    >>> data = pd.DataFrame({"gender": pd.Categorical(["M"] * 14 + ["F"] * 26,
    ...                                                 categories=["F", "M", "X"])})
    >>> table = compare_baseline(data, "bva-2015", kind="agent")
    >>> table[["indicator", "n", "estimate", "baseline", "test"]]
      indicator   n  estimate  baseline               test
    0       man  40      0.35      0.69  two_sample_score
    1   man_all  40      0.35      0.51  two_sample_score
    >>> print(table.loc[0, "verdict_en"])
    lower than the national reference
    """
    frame = as_frame(survey)
    check_option("adjust", adjust, _ADJUST)
    if not 0 < level < 1:
        raise SurveyError(f"level={level!r} must be between 0 and 1, e.g. 0.95.")
    kind = kind or getattr(survey, "kind", None)
    if kind is None:
        raise SurveyError("compare_baseline needs the survey kind: pass kind='agent' "
                          "(or 'company', 'thirdplace', 'places') with a DataFrame.")
    check_option("kind", kind, _KINDS)
    catalogue = baselines if isinstance(baselines, pd.DataFrame) else \
        _catalogue(extra=baselines)
    rows, skipped = _source_rows(catalogue, source_id, kind, frame)
    w = _weights(frame, weights)
    calibrated = None if calibration is False or (w is None and calibration is None) else \
        make_design(frame, weights=w, calibration=calibration).calibration
    if w is None and calibrated is not None:
        w = calibrated.weights
    design = _Design(w, _strata(frame, strata), strata, _population(frame, population),
                     calibration=calibrated, index=frame.index)
    results = [_compare_share(frame, design, row, level) for _, row in rows.iterrows()
               if row["distribution"] is None and row["condition"] is not None]
    results += [_compare_mean(frame, design, row, level) for _, row in rows.iterrows()
                if row["distribution"] is None and row["condition"] is None]
    for _, group in rows[rows["distribution"].notna()].groupby("distribution", sort=False):
        results += _compare_distribution(frame, design, group, level)
    order = {name: i for i, name in enumerate(rows["indicator"])}
    results.sort(key=lambda r: order[r["indicator"]])
    table = _finish(results, adjust, level, min_n, source_id)
    table.attrs["skipped"] = skipped
    return table


def _source_rows(catalogue, source_id, kind, frame):
    """The source's indicators this survey can answer, and the skipped ones with why."""
    known = list(dict.fromkeys(catalogue["source_id"]))
    if source_id not in known:
        raise SurveyError(f"No baseline source '{source_id}'; the sources are: "
                          f"{', '.join(known)}.")
    rows = catalogue[(catalogue["source_id"] == source_id) & (catalogue["kind"] == kind)]
    absent = ~rows["variable"].isin(frame.columns)
    skipped = [f"{indicator}: variable '{variable}' is not in the data"
               for indicator, variable in zip(rows.loc[absent, "indicator"],
                                              rows.loc[absent, "variable"])]
    if not len(rows):
        skipped.append(f"no indicator of '{source_id}' is answered by a '{kind}' survey")
    return rows[~absent].reset_index(drop=True), skipped


def _weights(frame: pd.DataFrame, weights) -> np.ndarray | None:
    """Weights as a float array aligned with the rows (None when unweighted)."""
    if weights is None:
        return None
    if isinstance(weights, str):
        if weights not in frame.columns:
            raise SurveyError(f"No weights column named '{weights}' in the data.")
        weights = frame[weights]
    values = np.asarray(weights, dtype=float)
    if values.shape != (len(frame),) or np.any(~np.isfinite(values)) or np.any(values < 0):
        raise SurveyError("weights must be one finite, non-negative number per row.")
    return values


class _Design:
    """The pilot's design: weights (array or None), strata (array or None), the strata
    column's name, the population (None, a number, or an array of per-row stratum
    sizes) and the weights' calibration (None, or a :class:`Calibration` of the rows
    ``index``)."""

    def __init__(self, weights, strata, name, population=None, whole: bool = False, *,
                 calibration: Calibration | None = None, index=None) -> None:
        self.weights, self.strata, self.name = weights, strata, name
        self.population, self.whole = population, whole
        self.calibration, self.index = calibration, index

    def frame(self, column, used: np.ndarray) -> tuple[pd.DataFrame, dict]:
        """The frame to estimate on and the design keywords. Unstratified without a
        population: the used rows. Stratified, or with a population: every row,
        ``column`` missing outside ``used``, so the estimate is a domain estimate on the
        whole design (R's ``subset`` of a design)."""
        whole = (self.whole or self.strata is not None or self.population is not None
                 or self.calibration is not None)
        rows = np.ones(len(used), dtype=bool) if whole else used
        small = pd.DataFrame({"_v": column[rows]},
                             index=self.index if self.calibration is not None else None)
        if self.weights is not None:
            small["_w"] = self.weights[rows]
        if self.strata is not None:
            small["_s"] = self.strata
        population = self.population
        if isinstance(population, np.ndarray):
            small["_N"], population = population, "_N"
        keywords = {"weights": None if self.weights is None else "_w",
                    "strata": None if self.strata is None else "_s",
                    "population": population}
        if self.calibration is not None:
            keywords["calibration"] = self.calibration
        return small, keywords

    @property
    def simple(self) -> bool:
        """Unweighted, with no population: the exact tests on counts apply."""
        return self.weights is None and self.population is None

    def test_n(self, estimate: dict, plain_share: Callable) -> tuple[float, str | None]:
        """The n a test of a share rests on, and how it was corrected.

        Kish's effective n (None); with a population or a calibration, that n over the
        variance ratio they bring (``plain_share`` estimates the share on the design
        without them), so that the test and the pilot's interval say the same
        ("finite_population" or "calibrated"); infinite ("exact") when they leave the
        share without sampling error (a raking margin, a census)."""
        n_eff = float(estimate["n_effective"])
        if self.population is None and self.calibration is None:
            return n_eff, None
        plain = plain_share(_Design(self.weights, self.strata, self.name, whole=True))
        se, se_plain = float(estimate["se"]), float(plain["se"])
        if not se_plain > 0:  # a share of 0 or 1: left as is
            return n_eff, None
        if se <= _EXACT * se_plain:  # zero but for rounding (R gives 4e-17 on a margin)
            return np.inf, "exact"
        how = "calibrated" if self.calibration is not None else "finite_population"
        return n_eff * (se_plain / se) ** 2, how

    def notes(self, n_eff: float, corrected: str | None = None) -> list[tuple[str, str]]:
        """What a test of shares rests on, when the data are weighted, stratified,
        calibrated or a sample of a known population."""
        notes = []
        if corrected in ("finite_population", "calibrated"):
            notes.append(sentence(corrected))
        elif corrected == "exact":
            pass  # said by the test (exact_share, exact_untested)
        elif self.weights is not None:
            notes.append(sentence("weighted"))
        if self.strata is not None:
            n = ("Kish effective n", "le n effectif de Kish") if self.weights is not None \
                else ("number of answers", "le nombre de réponses")
            notes.append(sentence("stratified", strata=self.name, n=n))
        return notes


def _strata(frame: pd.DataFrame, strata) -> np.ndarray | None:
    """The strata column's values (None without strata); every row needs a stratum."""
    if strata is None:
        return None
    check_columns(frame, [strata], "strata column")
    values = frame[strata]
    if values.isna().any():
        raise SurveyError(f"The strata column '{strata}' is missing for "
                          f"{int(values.isna().sum())} respondents; every respondent needs a "
                          "stratum.")
    return values.to_numpy()


def _population(frame: pd.DataFrame, population):
    """The population: None, a number, or the column's per-row sizes (checked by the
    estimation core)."""
    if not isinstance(population, str):
        return population
    check_columns(frame, [population], "population column")
    return pd.to_numeric(frame[population], errors="coerce").to_numpy(dtype=float)


def _subset(frame: pd.DataFrame, row) -> tuple[np.ndarray, list[tuple[str, str]]]:
    """Rows inside the indicator's subset (all when its variable is absent) and notes."""
    keep = np.ones(len(frame), dtype=bool)
    if row["subset"] is None:
        return keep, []
    notes = []
    for variable, condition in safe_load(row["subset"]).items():
        if variable in frame.columns:
            keep &= condition_mask(frame[variable], condition).to_numpy() == 1
            words = condition_words(condition, both=True)
            notes.append(sentence("subset", variable=variable, condition=words))
        else:
            french = row.get("population_fr")
            population = (row["population"],
                          french if isinstance(french, str) else row["population"])
            notes.append(sentence("subset_absent", variable=variable, population=population))
    return keep, notes


def _share(y: pd.Series, design: _Design, used: np.ndarray, level: float) -> dict:
    """The pilot's share of 1s in y among the used rows: the columns of the "yes" row of
    :func:`analysis.proportion` on a no/yes column, computed as it computes them."""
    # y is 0 or 1 on the used rows: the codes of the categories "no" and "yes"
    values = y.to_numpy(dtype=float, na_value=np.nan)
    codes = np.where(used, values, -1).astype(np.int64)  # -1 (missing) outside the used rows
    small, keywords = design.frame(codes, used)
    table = share_rows(make_design(small, **keywords), group_codes(small, []),
                       small["_v"].to_numpy(), 2, level=level)
    return {name: column[1] for name, column in table.items()}


def _base_row(row, **values) -> dict:
    """A result row with the catalogue's identification columns and its own note (what
    a reader must know of the reference: "compare as an indication only")."""
    en, fr = catalogue_note(row)
    out = {"indicator": row["indicator"], "label_fr": row["label_fr"],
           "label_en": row["label_en"], "distribution": row["distribution"],
           "unit": row["unit"], "baseline": row["value"], "baseline_n": row["base_n"],
           "reference_note": en, "reference_note_fr": fr}
    out.update(values)
    return out


def _compare_share(frame, design: _Design, row, level) -> dict:
    """One share against its published figure (two-sample or one-sample)."""
    keep, subset_note = _subset(frame, row)
    y = condition_mask(frame[row["variable"]], row["condition"])
    used = keep & y.notna().to_numpy()
    n = int(used.sum())
    notes = [*subset_note, catalogue_note(row)]
    fields = {"n": n, "count": int((used & (y == 1).to_numpy()).sum()),
              "n_missing": int((keep & ~used).sum()),
              **compared_texts(row), "effect_size_name": "cohen_h"}
    if n == 0:
        return _base_row(row, **fields, **join_notes(notes + [sentence("no_answer")]))
    est = _share(y, design, used, level)
    p, p0 = float(est["estimate"]), float(row["value"])
    n_eff, corrected = design.test_n(est, lambda plain: _share(y, plain, used, level))
    if not _testable(row):  # the reference measures another thing: shown, not tested
        test = _descriptive(est, p0)
        notes.append(sentence("descriptive"))
    elif corrected == "exact":  # the pilot's share is known: only the reference varies
        est = {**est, "se": 0.0, "ci_low": p, "ci_high": p}  # nil but for rounding
        test = _reference_sample(p, p0, row["base_n"], level) if _known(row["base_n"]) \
            else _untested(est, p0)
        notes.append(sentence("exact_share" if _known(row["base_n"]) else "exact_untested"))
    elif _known(row["base_n"]):
        test = _two_sample(p, n_eff, p0, row["base_n"], level)
    else:
        test = _one_sample(p, n_eff, p0, design.simple, est, level)
    return _base_row(row, **fields, **test, estimate=p, se=est["se"],
                     ci_low=est["ci_low"], ci_high=est["ci_high"], difference=p - p0,
                     effect_size=_cohen_h(p, p0),
                     **join_notes(notes + design.notes(n_eff, corrected)))


def _known(value) -> bool:
    return value is not None and not pd.isna(value) and value > 0


def _two_sample(p, n_eff, p0, base_n, level) -> dict:
    """Score test of two independent proportions and Newcombe's interval."""
    x1, x2 = p * n_eff, p0 * base_n
    with np.errstate(divide="ignore", invalid="ignore"):  # odds ratio at 0 % or 100 %
        result = smp.test_proportions_2indep(x1, n_eff, x2, base_n, method="score")
        low, high = smp.confint_proportions_2indep(x1, n_eff, x2, base_n,
                                                   method="newcomb", alpha=1 - level)
    return {"test": "two_sample_score", "statistic": float(result.statistic),
            "df": np.nan, "p_value": float(result.pvalue),
            "difference_ci_low": float(low), "difference_ci_high": float(high)}


def _reference_sample(p, p0, base_n, level) -> dict:
    """The reference's sample (``p0`` of ``base_n``) against the pilot's exact share
    ``p``: score test (statsmodels ``proportions_ztest`` with the null variance), the
    statistic signed as pilot minus reference; the difference's interval is ``p`` minus
    the reference's Wilson interval."""
    count = p0 * base_n
    statistic, p_value = smp.proportions_ztest(count, base_n, value=p, prop_var=p) \
        if 0 < p < 1 else (np.nan, np.nan)
    low, high = smp.proportion_confint(count, base_n, alpha=1 - level, method="wilson")
    return {"test": "reference_score", "statistic": -float(statistic), "df": np.nan,
            "p_value": float(p_value), "difference_ci_low": p - float(high),
            "difference_ci_high": p - float(low)}


def _testable(row) -> bool:
    """Whether the catalogue lets the indicator be tested (``testable``, True if absent)."""
    value = row.get("testable", True)
    return not (value is False or (isinstance(value, (bool, np.bool_)) and not value))


def _descriptive(est, p0) -> dict:
    """No test: the reference measures another thing than the pilot's figure."""
    return {"test": "descriptive", "statistic": np.nan, "df": np.nan, "p_value": np.nan,
            "difference_ci_low": est["ci_low"] - p0, "difference_ci_high": est["ci_high"] - p0}


def _untested(est, p0) -> dict:
    """No test: the pilot's share is exact and the reference gives no sample size."""
    return {"test": "none", "statistic": np.nan, "df": np.nan, "p_value": np.nan,
            "difference_ci_low": est["ci_low"] - p0, "difference_ci_high": est["ci_high"] - p0}


def _one_sample(p, n_eff, p0, unweighted, est, level) -> dict:
    """Score test against a fixed share, or the exact binomial test for small n."""
    ci = {"difference_ci_low": est["ci_low"] - p0, "difference_ci_high": est["ci_high"] - p0}
    if unweighted and min(n_eff * p0, n_eff * (1 - p0)) < _MIN_EXPECTED:
        k = int(round(p * n_eff))
        result = stats.binomtest(k, int(round(n_eff)), p0)
        return {"test": "one_sample_exact_binomial", "statistic": float(k), "df": np.nan,
                "p_value": float(result.pvalue), **ci}
    if p0 in (0.0, 1.0):
        return {"test": "one_sample_score", "statistic": np.nan, "df": np.nan,
                "p_value": np.nan, **ci}
    statistic, p_value = smp.proportions_ztest(p * n_eff, n_eff, value=p0, prop_var=p0)
    return {"test": "one_sample_score", "statistic": float(statistic), "df": np.nan,
            "p_value": float(p_value), **ci}


def _cohen_h(p: float, p0: float) -> float:
    """Cohen's h = 2 asin(sqrt(p)) - 2 asin(sqrt(p0))."""
    return float(2 * np.arcsin(np.sqrt(p)) - 2 * np.arcsin(np.sqrt(p0)))


def _compare_mean(frame, design: _Design, row, level) -> dict:
    """One mean against its published figure: one-sample t-test, Cohen's d."""
    keep, subset_note = _subset(frame, row)
    values = pd.to_numeric(frame[row["variable"]], errors="coerce").astype(float)
    used = keep & values.notna().to_numpy()
    n = int(used.sum())
    fields = {"n": n, "count": n, "n_missing": int((keep & ~used).sum()),
              **compared_texts(row), "effect_size_name": "cohen_d", "test": "one_sample_t"}
    notes = [*subset_note, catalogue_note(row)]
    if n < 2:
        return _base_row(row, **fields, **join_notes(notes + [sentence("too_few")]))
    small, keywords = design.frame(values.where(used).to_numpy(), used)
    est = mean(small, "_v", **keywords, level=level).iloc[0]
    mu0 = float(row["value"])
    weights = np.ones(n) if design.weights is None else design.weights[used]
    sd = _weighted_sd(values[used].to_numpy(), weights)
    statistic = (est["estimate"] - mu0) / est["se"] if est["se"] > 0 else np.nan
    if not _testable(row):  # the reference measures another thing: shown, not tested
        statistic = np.nan
        fields["test"] = "descriptive"
        notes.append(sentence("descriptive"))
    p_value = 2 * stats.t.sf(abs(statistic), n - 1) if np.isfinite(statistic) else np.nan
    return _base_row(row, **fields, estimate=est["estimate"], se=est["se"],
                     ci_low=est["ci_low"], ci_high=est["ci_high"],
                     difference=est["estimate"] - mu0,
                     difference_ci_low=est["ci_low"] - mu0,
                     difference_ci_high=est["ci_high"] - mu0, statistic=statistic,
                     df=float(n - 1), p_value=p_value,
                     effect_size=(est["estimate"] - mu0) / sd if sd > 0 else np.nan,
                     **join_notes(notes))


def _weighted_sd(x: np.ndarray, w: np.ndarray) -> float:
    """Standard deviation with the n - 1 (unweighted) or sum(w) - 1 style of R's svyvar."""
    m = np.average(x, weights=w)
    n = len(x)
    return float(np.sqrt(np.sum(w * (x - m) ** 2) / np.sum(w) * n / (n - 1)))


def _compare_distribution(frame, design: _Design, group, level) -> list[dict]:
    """A published distribution: goodness of fit, then one row per category."""
    first = group.iloc[0]
    keep, subset_note = _subset(frame, first)
    masks = [condition_mask(frame[r["variable"]], r["condition"]).to_numpy()
             for _, r in group.iterrows()]              # 0, 1 or NaN per respondent
    answered = keep & ~np.logical_or.reduce([np.isnan(mask) for mask in masks])
    inside = answered & np.logical_or.reduce([mask == 1 for mask in masks])
    n = int(inside.sum())
    published = group["value"].to_numpy(dtype=float)
    expected_share = published / published.sum()
    notes = [*subset_note, catalogue_note(first)]
    if not np.isclose(published.sum(), 1.0, atol=1e-9):
        total = f"{published.sum():.3f}"
        notes.append(sentence("renormalised", total=(total, total.replace(".", ","))))
    if (answered & ~inside).any():
        notes.append(sentence("outside", count=int((answered & ~inside).sum())))
    base = {"n": n, "n_missing": int((keep & ~answered).sum()), "test": "chi2_gof",
            "df": float(len(group) - 1), "effect_size_name": "cramers_v"}
    if n == 0:
        return [_base_row(r, **base, count=0, baseline=published[i], **compared_texts(r),
                          **join_notes(notes + [sentence("no_answer")]))
                for i, (_, r) in enumerate(group.iterrows())]
    shares = [_share(pd.Series(mask, index=frame.index), design, inside, level)
              for mask in masks]
    # the correction of the largest category (the best-estimated share) serves them all
    largest = int(np.argmax([float(s["estimate"]) for s in shares]))
    n_eff, corrected = design.test_n(shares[largest], lambda plain: _share(
        pd.Series(masks[largest], index=frame.index), plain, inside, level))
    estimates = np.array([float(s["estimate"]) for s in shares])
    if corrected == "exact":  # the pilot's distribution is known: only the reference varies
        shares = [{**s, "se": 0.0, "ci_low": s["estimate"], "ci_high": s["estimate"]}
                  for s in shares]
        base_n = first["base_n"]
        test = (_reference_fit(expected_share, estimates / estimates.sum(), base_n)
                if _known(base_n) else {"test": "none", "statistic": np.nan, "p_value": np.nan,
                                        "effect_size": np.nan})
        notes.append(sentence("exact_share" if _known(base_n) else "exact_untested"))
    elif design.simple:
        test = _goodness_of_fit(estimates * n_eff, expected_share, True)
    else:   # weighted, stratified or of a known population: R's svygofchisq
        test = _design_fit(frame, design, masks, inside, expected_share)
    if test.get("test") != "rao_scott_gof":
        notes += design.notes(n_eff, corrected)
    base.update(test)
    out = []
    for i, (_, r) in enumerate(group.iterrows()):
        s = shares[i]
        out.append(_base_row(
            r, **base, count=int((inside & (masks[i] == 1)).sum()), baseline=published[i],
            **compared_texts(r),
            estimate=s["estimate"], se=s["se"], ci_low=s["ci_low"], ci_high=s["ci_high"],
            difference=s["estimate"] - published[i],
            difference_ci_low=s["ci_low"] - published[i],
            difference_ci_high=s["ci_high"] - published[i], **join_notes(notes)))
    return out


def _design_fit(frame, design: _Design, masks, inside, expected_share) -> dict:
    """Rao–Scott goodness of fit of the pilot's weighted distribution to the published
    one, on the pilot's design (:func:`analysis.design_tests.goodness_of_fit`)."""
    codes = np.full(len(frame), -1, dtype=np.int64)
    for i, mask in enumerate(masks):
        codes[inside & (mask == 1)] = i
    small, keywords = design.frame(codes, inside)
    fit = goodness_of_fit(make_design(small, **keywords), small["_v"].to_numpy(np.int64),
                          expected_share)
    k = len(expected_share)
    return {"test": "rao_scott_gof", "statistic": fit["statistic"], "df": fit["df"],
            "p_value": fit["p_value"],
            "effect_size": float(np.sqrt(fit["statistic"] / (fit["total"] * (k - 1))))}


def _reference_fit(published, pilot, base_n) -> dict:
    """The reference's sample (its shares times ``base_n``) against the pilot's exact
    distribution: chi-square goodness of fit, Cramér's V."""
    if not (pilot > 0).all():  # a category the pilot has none of: no finite statistic
        return {"test": "none", "statistic": np.nan, "p_value": np.nan, "effect_size": np.nan}
    out = _goodness_of_fit(published * float(base_n), pilot, unweighted=False)
    out["test"] = "reference_chi2_gof"
    return out


def _goodness_of_fit(observed, expected_share, unweighted) -> dict:
    """Chi-square goodness of fit (Monte-Carlo p-value for small expected counts)."""
    n = observed.sum()
    expected = expected_share * n
    result = stats.chisquare(observed, expected)
    k = len(observed)
    v = float(np.sqrt(result.statistic / (n * (k - 1)))) if k > 1 else np.nan
    out = {"statistic": float(result.statistic), "p_value": float(result.pvalue),
           "effect_size": v}
    if unweighted and (expected < _MIN_EXPECTED).any():
        rng = np.random.default_rng(20161021)
        draws = rng.multinomial(int(round(n)), expected_share, size=_MONTE_CARLO)
        simulated = ((draws - expected) ** 2 / expected).sum(axis=1)
        exceed = np.sum(simulated >= result.statistic - 1e-9)
        out.update(test="chi2_gof_monte_carlo", p_value=float((1 + exceed) / (1 + _MONTE_CARLO)))
    return out


def _finish(results, adjust, level, min_n, source_id) -> pd.DataFrame:
    """Adjust p-values (a distribution is one test), write the verdicts, order columns."""
    if not results:   # most sources answer no indicator of a kind: that table is built once
        return _no_comparison().copy()
    return _table(results, adjust, level, min_n, source_id)


@functools.cache
def _no_comparison() -> pd.DataFrame:
    """The table of no comparison: :func:`_table`'s columns and dtypes, no row."""
    return _table([], "none", 0.95, 0, "")


def _table(results, adjust, level, min_n, source_id) -> pd.DataFrame:
    """The rows of :func:`_finish`, its p-values adjusted and its verdicts written."""
    table = pd.DataFrame(results, columns=[c for c in COMPARISON_COLUMNS
                                           if c not in ("p_adjusted",)])
    table["p_adjusted"] = _adjust(table, adjust)
    table[["verdict_fr", "verdict_en"]] = _verdicts(table, level, min_n, source_id)
    table["verdict"] = table["verdict_en"]  # a machine column: English in every language
    numeric = ["n", "count", "n_missing"]
    table[numeric] = table[numeric].astype("int64")
    floats = ["estimate", "se", "ci_low", "ci_high", "baseline", "baseline_n", "difference",
              "difference_ci_low", "difference_ci_high", "statistic", "df", "p_value",
              "p_adjusted", "effect_size"]
    table[floats] = table[floats].astype(float)
    return table[COMPARISON_COLUMNS]


def _adjust(table: pd.DataFrame, adjust: str) -> np.ndarray:
    """Adjusted p-values across the distinct tests (one per distribution)."""
    key = table["distribution"].where(table["distribution"].notna(), table["indicator"])
    tests = table.assign(_key=key).drop_duplicates("_key")
    tests = tests[tests["p_value"].notna()]
    adjusted = pd.Series(np.nan, index=tests["_key"].to_numpy())
    if len(tests):
        values = tests["p_value"].to_numpy() if adjust == "none" else \
            adjust_pvalues(tests["p_value"].to_numpy(), adjust)
        adjusted[:] = values
    return key.map(adjusted).to_numpy(dtype=float)


def _verdicts(table, level, min_n, source_id) -> pd.DataFrame:
    """Short sentences: higher / lower / no detectable difference / too few answers."""
    if source_id in _NATIONAL:
        ref_fr, ref_en = "la référence nationale", "the national reference"
    elif source_id in _REGIONAL:
        ref_fr, ref_en = "la référence régionale", "the regional reference"
    else:
        ref_fr, ref_en = "la référence", "the reference"
    significant = table["p_adjusted"] < 1 - level
    in_distribution = table["distribution"].notna()
    # within a distribution found different, a category is called only when its own
    # interval excludes the published share
    own = (table["ci_low"] > table["baseline"]) | (table["ci_high"] < table["baseline"])
    called = significant & (~in_distribution | own)
    higher = table["difference"] > 0
    fr = np.where(higher, f"plus élevé que {ref_fr}", f"plus bas que {ref_fr}")
    en = np.where(higher, f"higher than {ref_en}", f"lower than {ref_en}")
    fr = np.where(called, fr, "pas de différence détectable")
    en = np.where(called, en, "no detectable difference")
    few = (table["n"] < min_n) | table["p_value"].isna()
    fr = np.where(few, "trop peu de réponses pour conclure", fr)
    en = np.where(few, "too few answers to conclude", en)
    # a reference that measures another thing (employees, not companies): described only
    other = (table["test"] == "descriptive") & (table["n"] >= min_n)
    fr = np.where(other, "pas de test : la référence mesure autre chose (voir sa note)", fr)
    en = np.where(other, "not tested: the reference measures another thing (see its note)",
                  en)
    # an exact figure (raking margin, census) against a reference without a sample size
    exact = (table["test"] == "none") & (table["n"] >= min_n)
    fr = np.where(exact, "pas de test : valeur du pilote exacte, référence sans effectif", fr)
    en = np.where(exact, "not tested: the pilot's figure is exact, the reference gives no "
                  "sample size", en)
    return pd.DataFrame({"verdict_fr": fr, "verdict_en": en}, index=table.index)
