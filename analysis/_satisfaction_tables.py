"""The satisfaction section of an evaluation: Likert items (overall, by group, by
wave), their reliability, the change between waves and the NPS, each table with the
people its figures rest on (``cell_count``: :mod:`analysis._cell_counts`, counted within
each weighting class too: :mod:`analysis._weight_classes`). Used by
:mod:`analysis.evaluate`.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from analysis._cell_counts import CELL_COUNT, likert_cells, nps_cells
from analysis._evaluation_tables import add as _add
from analysis._respondent_frames import BREAKDOWNS
from analysis._respondent_frames import answered_waves as _answered_waves
from analysis._respondent_frames import as_survey as _as_survey
from analysis._respondent_frames import attempt as _try
from analysis._respondent_frames import classed as _classed
from analysis._respondent_frames import fpc as _fpc
from analysis._respondent_frames import respondents as _respondents
from analysis._respondent_frames import satisfaction_wave as _satisfaction_wave
from analysis._respondent_frames import weights_column as _weights
from analysis._weight_classes import CLASS, fewest_by_class, weight_classes, with_classes
from analysis.before_after import before_after
from analysis.evaluation_model import Evaluation
from analysis.likert import likert
from analysis.nps import nps
from analysis.reliability import cronbach_alpha

__all__ = ["satisfaction_section"]


def satisfaction_section(evaluation: Evaluation, people: dict, sources: dict, strata: dict,
                         pilot) -> None:
    """Satisfaction items, their breakdowns and NPS; over several waves, the items and
    breakdowns describe the last wave's answers (raked as the respondents are), beside
    the tables by wave and before/after."""
    for name, frame in people.items():
        survey = sources[name]
        items = [c for c in survey.data.columns if c.startswith("sat_")]
        full = survey.data
        raked: dict = {}

        def answers(wave, survey=survey, name=name, raked=raked) -> pd.DataFrame:
            """One wave's answers, raked once for every table that describes it."""
            if wave not in raked:
                raked[wave] = _respondents(survey, pilot.weighting.get(name), pilot.path.name,
                                           name, wave=wave)
            return raked[wave]

        wave, last_wave = _satisfaction_wave(full, items)
        if wave is not None:
            frame = answers(wave)
        design = {"strata": strata.get(name), "population": _fpc(survey, frame, strata.get(name))}
        # weighted figures rest on each weighting class too (analysis._weight_classes)
        classed = _classed(survey, frame, {"weights": _weights(frame), **design})
        weighted = classed is not None
        if items:
            respondents = _as_survey(survey, frame)
            _add(evaluation, "satisfaction", f"{name}_items",
                 _people(likert(respondents, items, weights=_weights(frame), **design),
                         likert(respondents, items), likert_cells,
                         classed=weighted and likert(classed, items, by=[CLASS]),
                         keys=_LIKERT_KEYS),
                 f"tables.satisfaction.{survey.kind}", count_column=CELL_COUNT,
                 figure="likert_bars",
                 share_rows={"statistic": ["top2", "bottom2", "net"]},
                 share_columns=["estimate", "se", "ci_low", "ci_high"], notes=last_wave)
            for by in ("wave",) + BREAKDOWNS[survey.kind]:
                source = survey if by == "wave" else respondents
                if by in source.data and source.data[by].nunique() > 1:
                    waves = _answered_waves(full, items)
                    _add(evaluation, "satisfaction", f"{name}_items_by_{by}",
                         _people(_wave_by_wave(survey, waves, answers, strata.get(name),
                                               lambda answers, d: likert(answers, items, **d)),
                                 _wave_by_wave(survey, waves, answers, None,
                                               lambda answers, d: likert(answers, items)),
                                 likert_cells, [by],
                                 classed=weighted and _wave_by_wave(
                                     survey, waves, answers, strata.get(name),
                                     lambda answers, d: _by_class(
                                         answers, d, lambda s: likert(s, items, by=[CLASS]))),
                                 keys=_LIKERT_KEYS)
                         if by == "wave" else
                         _people(likert(source, items, by=by, weights=_weights(frame),
                                        **design),
                                 likert(source, items, by=by), likert_cells, [by],
                                 classed=weighted and likert(classed, items, by=[by, CLASS]),
                                 keys=_LIKERT_KEYS),
                         f"tables.satisfaction.by_{by}",
                         # the waves are samples of one population, not parts of a
                         # total: a hidden share of one wave is not the other's sibling
                         count_column=CELL_COUNT, group_columns=[] if by == "wave" else [by],
                         share_rows={"statistic": ["top2", "bottom2", "net"]},
                         share_columns=["estimate", "se", "ci_low", "ci_high"],
                         html_filter={"statistic": ["top2"]},
                         notes=["report.likert_top2_only"] + (last_wave if by != "wave" else []))
            if len(items) >= 3:
                notes: list = []
                # on the answers the items describe (the last wave): each person once
                alpha = _try(notes, "alpha", lambda: cronbach_alpha(frame, items))
                _add(evaluation, "satisfaction", f"{name}_alpha", alpha,
                     "tables.satisfaction.alpha", count_column="n", notes=notes + last_wave)
            if "wave" in full and full["wave"].nunique() > 1:
                _add(evaluation, "satisfaction", f"{name}_before_after",
                     before_after(survey, items), "tables.satisfaction.before_after",
                     count_column=CELL_COUNT, share_columns=["estimate"],
                     share_rows={"test": ["mcnemar", "chi_square", "fisher"]},
                     notes=["report.before_after_estimate"])
        if "recommend" in full and full["recommend"].notna().any():
            answered = _answered_waves(full, ["recommend"])
            _add(evaluation, "satisfaction", f"{name}_nps",
                 _people(_wave_by_wave(survey, answered, answers, strata.get(name),
                                       lambda answers, d: nps(answers, "recommend", **d)),
                         _wave_by_wave(survey, answered, answers, None,
                                       lambda answers, d: nps(answers, "recommend")),
                         nps_cells, ["wave"],
                         classed=weighted and _wave_by_wave(
                             survey, answered, answers, strata.get(name),
                             lambda answers, d: _by_class(
                                 answers, d, lambda s: nps(s, "recommend", by=[CLASS]))))
                 if answered else
                 _people(nps(frame, "recommend", weights=_weights(frame), **design),
                         nps(frame, "recommend"), nps_cells,
                         classed=weighted and nps(classed, "recommend", by=[CLASS])),
                 "tables.satisfaction.nps", count_column=CELL_COUNT,
                 share_columns=["promoters", "passives", "detractors"])


#: The columns besides a breakdown's that match a Likert table's rows.
_LIKERT_KEYS = ("item", "statistic")


def _people(table: pd.DataFrame, plain: pd.DataFrame, cells: Callable,
            by: list | None = None, classed: pd.DataFrame | bool = False,
            keys: tuple = ()) -> pd.DataFrame:
    """``table`` with the people each row's shares rest on in ``cell_count``, counted by
    ``cells`` (:func:`analysis._cell_counts.likert_cells` or ``nps_cells``) on
    ``plain``, the same estimates made unweighted on the same answers: 3 of 8 managers
    satisfied is hidden, whatever their weights. With ``classed`` (the same estimates
    unweighted by weighting class; False: the answers all weigh the same), the fewest
    people in any class (:mod:`analysis._weight_classes`): the weights are known, so a
    weighted mean of 7 women and 1 man gives his answers."""
    counts = cells(table, plain, by)
    if classed is not False:
        inner = [*(by or []), CLASS]
        counts = np.fmin(counts, fewest_by_class(table, classed,
                                                 lambda t: cells(t, t, inner),
                                                 [*(by or []), *keys]))
    return table.assign(**{CELL_COUNT: counts})


def _by_class(answers, design: dict, estimate: Callable) -> pd.DataFrame:
    """``estimate`` of ``answers`` (a survey), unweighted, with their weighting class in
    ``CLASS`` (one class when they all weigh the same)."""
    frame = answers.data
    classes = weight_classes(frame, design.get("weights"), design.get("strata"),
                             design.get("population"))
    if classes is None:
        classes = np.zeros(len(frame), dtype=np.int64)
    return estimate(_as_survey(answers, with_classes(frame, classes)))


def _wave_by_wave(survey, waves: list, answers: Callable, strata: str | None,
                  estimate: Callable) -> pd.DataFrame:
    """One table of ``estimate`` made wave by wave, each wave as the items table
    describes the last one: its answers (``answers(wave)``, raked on the pilot's
    margins), with the strata and the population correction (each wave is a sample of
    the population); ``wave`` first, in the codebook's order (pre, post)."""
    parts = []
    for wave in waves:
        frame = answers(wave)
        design = {"weights": _weights(frame), "strata": strata,
                  "population": _fpc(survey, frame, strata)}
        parts.append(estimate(_as_survey(survey, frame), design).assign(wave=wave))
    out = pd.concat(parts, ignore_index=True)
    codes = survey.data["wave"]
    if hasattr(codes, "cat"):
        out["wave"] = pd.Categorical(out["wave"], categories=codes.cat.categories)
    return out[["wave"] + [c for c in out.columns if c != "wave"]]
