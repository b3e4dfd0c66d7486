"""``evaluate(pilot)``: every table the report shows, computed once, keyed by section.

The evaluation reads every source the pilot file names, then builds each section from
the public analysis functions: data quality, profiles, comparisons with the baselines,
retention, satisfaction, commute impact and attendance. A section whose data is absent
is left out; a table an analysis cannot compute (too few answers, a variable the pilot
did not collect) is skipped with a note rather than shown empty.

A source's ``strata`` (pilot file) are the design of every design-based estimate made on
it: profiles, Likert items, NPS and baseline comparisons; a note in the data-quality
section says which tables ignore them. With ``population = "<column>"`` (each stratum's
population size, a canonical variable such as ``stratum_population``) those estimates
also carry the finite population correction, R ``svydesign(ids = ~1, strata = ~s,
fpc = ~N)``.

The unit of analysis is one row per respondent: where agents answered in two waves,
"who took part" and "what it changed" use each agent's first answer; satisfaction is
described at the last wave (what they think at the end of the pilot), and the waves are
compared beside it: by wave (each wave's answers raked and corrected as a sample of the
population, so the last wave's row is the items table's), and paired on the
pseudonymous id.

An open list's labels (``service``, ``department``, ``field``: categories taken from the
data) are published as row labels even where the figures are hidden, so a label given
by fewer than ``min_cell`` respondents of its source (every wave, distinct people) is
folded into one "Other" category as soon as the sources are read, raking margins
included (:mod:`analysis._open_labels`); every table uses the folded labels. The
pilot's ``Survey.data`` (``pilot.read``, a notebook's) keeps the raw ones.

Each table names the column its suppression reads. A share of people (a profile's
category, a satisfied or dissatisfied share, an NPS) rests on the fewer of the
respondents in its category and those not, counted unweighted (``cell_count``,
:mod:`analysis._cell_counts`); a quartile or a bound of its interval that is among the
few smallest or largest answers of its group carries its tail count
(``<column>_beyond``), so that the report hides that one value.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pandas as pd

from analysis import checkins as _checkins
from analysis._cell_counts import (BEYOND, CELL_COUNT, comparison_cells, profile_cells,
                                   quantile_tails, share_cells)
from analysis._evaluation_tables import add as _add
from analysis._evaluation_tables import merge as _merge
from analysis._evaluation_tables import new_part as _part
from analysis._evaluation_tables import survival_tables as _survival_tables
from analysis._log_lanes import Share as _Share
from analysis._log_lanes import attendance_lane as _attendance_lane
from analysis._log_lanes import log_lane as _log_lane
from analysis._log_lanes import start_log_child as _start_log_child
from analysis._open_labels import fold_margins, fold_rare
from analysis._reading_lanes import start_readers as _start_readers
from analysis._respondent_frames import BREAKDOWNS
from analysis._respondent_frames import as_survey as _as_survey
from analysis._respondent_frames import attempt as _try
from analysis._respondent_frames import classed as _classed
from analysis._respondent_frames import fpc as _fpc
from analysis._respondent_frames import has_waves as _has_waves
from analysis._respondent_frames import population_size as _population
from analysis._respondent_frames import respondents as _respondents
from analysis._respondent_frames import stratum_sizes as _stratum_sizes
from analysis._respondent_frames import weights_column as _weights
from analysis._satisfaction_tables import satisfaction_section as _satisfaction
from analysis._weight_classes import CLASS, fewest_by_class, weight_classes
from analysis.baselines import baselines as _catalogue
from analysis.comparison import compare_baseline
from analysis.evaluation_model import SECTION_KEYS, Evaluation
from analysis.impact import commute_impact, impact_parameters
from analysis.interval_censoring import bands_to_intervals, turnbull
from analysis.profile import profile
from surveys.errors import SurveyError
from surveys.notes import Note

__all__ = ["evaluate"]

#: Person-level kinds, in the order the report presents them.
PEOPLE = ("company", "agent", "thirdplace")

def evaluate(pilot, *, progress: Callable[[str], None] | None = None,
             min_cell: int | None = None) -> Evaluation:
    """Compute every table of a pilot's report.

    Parameters
    ----------
    pilot : surveys.Pilot
        A pilot file loaded with ``surveys.read_pilot``.
    progress : callable, optional
        Called with a short message before each long step (the command line prints it).
    min_cell : int, optional
        The report's smallest group when larger than the pilot file's (``bilan report
        --min-cell``): an open list's label given by fewer respondents is folded into
        "Other" (:mod:`analysis._open_labels`) and the evaluation carries it.

    Returns
    -------
    Evaluation
        Sections ``quality``, ``profiles``, ``baselines``, ``retention``,
        ``satisfaction``, ``impact``, ``attendance`` and ``methods``, each present only
        when the pilot has the data for it. Every table is tidy, as the analysis
        function returned it, with the settings the report needs (respondent count
        column for suppression, breakdown columns, figure kind).

    Examples
    --------
    >>> import tempfile, surveys
    >>> ev = evaluate(surveys.read_pilot(surveys.demo(tempfile.mkdtemp())))
    >>> list(ev.sections)  # doctest: +NORMALIZE_WHITESPACE
    ['quality', 'profiles', 'baselines', 'retention', 'satisfaction', 'impact',
     'attendance', 'methods']
    """
    say = progress or (lambda message: None)
    if min_cell is not None and int(min_cell) > pilot.min_cell:
        from dataclasses import replace  # the same sources read (the cache is shared)

        pilot = replace(pilot, min_cell=int(min_cell))
    parameters = _impact_parameters(pilot)
    evaluation = _part(pilot)
    extra = pilot.baselines.get("files") or None
    catalogue = _catalogue(extra=extra) if extra else _catalogue()
    if hasattr(pilot, "check"):    # a baseline id the catalogue does not know: the
        known = list(dict.fromkeys(catalogue["source_id"]))    # pilot file's mistake
        problems = pilot.check(baselines=known)
        if problems:
            raise SurveyError(problems[0])
    strata = {name: spec.strata for name, spec in pilot.sources.items()
              if spec.strata is not None and spec.kind in PEOPLE}
    # A check-in log (millions of rows) is read, and its sections computed, beside the
    # people's sources: in a forked child when it is large (only its tables come back),
    # else in a second thread; its tables then join the others. A large people's source
    # is read in a forked child too, so that no processor waits idle for the other.
    logs = [name for name, spec in pilot.sources.items() if spec.kind == "attendance"]
    with warnings.catch_warnings(), ThreadPoolExecutor(max_workers=1) as background, \
            ThreadPoolExecutor(max_workers=1) as beside:
        # Small groups and fallbacks are reported in the tables' notes; the report must
        # not stop on them (one setting for both threads: the filters are global).
        warnings.simplefilter("ignore", UserWarning)
        # every fork before the first thread starts (a fork copies only its own thread)
        child = _start_log_child(pilot, logs)
        readers = _start_readers(pilot, [name for name, spec in pilot.sources.items()
                                         if spec.kind in PEOPLE])
        lanes = ({name: _Share(child, name) for name in logs} if child is not None else
                 {name: background.submit(_log_lane, pilot, name) for name in logs})
        sources = _read_sources(pilot, lanes, readers, say)
        sources, pilot = _folded(sources, pilot, strata)
        try:
            attendance = (_Share(child, None) if child is not None else
                          background.submit(_attendance_lane, pilot, lanes, dict(sources)))
            people = {name: _respondents(s, pilot.weighting.get(name), pilot.path.name, name)
                      for name, s in sources.items() if s.kind in PEOPLE}
            people = dict(sorted(people.items(),
                                 key=lambda item: PEOPLE.index(sources[item[0]].kind)))
            # the impact's bootstrap is numpy work that releases the interpreter: it runs
            # beside the other sections, into a part of its own
            impact = beside.submit(_impact_part, pilot, people, sources, parameters)
            for label, build, *arguments in [
                    ("profiles", _profiles, evaluation, people, sources, strata),
                    ("baselines", _baselines, evaluation, people, sources, pilot, catalogue,
                     strata),
                    ("retention", _retention, evaluation, people, sources, strata),
                    ("satisfaction", _satisfaction, evaluation, people, sources, strata,
                     pilot)]:
                say(f"computing {label}")
                build(*arguments)
            say("computing impact")
            _merge(evaluation, impact.result())
        except SurveyError:
            for lane in lanes.values():  # a source that cannot be read is said first
                lane.result()
            raise
        say("computing attendance")
        for name, lane in lanes.items():
            sources[name], part = lane.result()
            _merge(evaluation, part)
        _merge(evaluation, attendance.result())
    sources = {name: sources[name] for name in pilot.sources}  # the pilot file's order
    _quality(evaluation, sources, strata, pilot, people)
    _methods(evaluation, pilot, catalogue, people, sources)
    evaluation.sections = {key: evaluation.sections[key] for key in SECTION_KEYS
                           if key in evaluation.sections}
    return evaluation


def _read_sources(pilot, lanes: dict, readers: dict, say: Callable[[str], None]) -> dict:
    """Every source not read in the background, in the pilot file's order: first those
    read here, then those read by forked ``readers``. When one cannot be read, a
    background source listed before it that cannot be read either is the error
    reported, as if the sources had been read one after the other."""
    order = list(pilot.sources)

    def earlier_error(name: str) -> None:
        for other in order[:order.index(name)]:
            if other in lanes:
                lanes[other].result()  # raises that source's error
            elif other in readers:
                readers[other].result()

    sources = {}
    try:
        for name, spec in pilot.sources.items():
            say(f"reading {spec.path.name} ({spec.kind})")
            if name in lanes or name in readers:
                continue
            try:
                sources[name] = pilot.read(name)
            except SurveyError:
                earlier_error(name)
                raise
        for name, reader in readers.items():
            try:
                sources[name] = reader.result()
            except SurveyError:
                earlier_error(name)
                raise
    except BaseException:  # no child left waiting to hand over a source no one wants
        for reader in readers.values():
            reader.cancel()
        raise
    return {name: sources[name] for name in order if name in sources}


# -- inputs ------------------------------------------------------------------------------

def _folded(sources: dict, pilot, strata: dict) -> tuple[dict, object]:
    """The people's sources with the rare labels of their open lists folded into one
    "Other" category (a label given by fewer than ``min_cell`` respondents is never
    published: :mod:`analysis._open_labels`), and the pilot with its raking margins
    folded alike. The pilot's cached sources keep the raw labels."""
    out, margins = {}, {}
    for name, survey in sources.items():
        out[name], labels = fold_rare(survey, pilot.min_cell, strata.get(name))
        given = pilot.weighting.get(name)
        if given and out[name] is not survey:  # labels folded or spellings merged
            data = out[name].data
            published = {column: list(data[column].cat.categories) for column in given
                         if column in data and isinstance(data[column].dtype,
                                                          pd.CategoricalDtype)}
            margins[name] = fold_margins(given, labels, pilot.min_cell, published)
    if margins:
        from dataclasses import replace

        pilot = replace(pilot, weighting={**pilot.weighting, **margins})
    return out, pilot



# -- sections ----------------------------------------------------------------------------

def _quality(evaluation: Evaluation, sources: dict, strata: dict, pilot,
             people: dict) -> None:
    rows = [_with_people(s, people.get(name)).assign(source=name, kind=s.kind, file=s.source)
            for name, s in sources.items()]
    table = pd.concat(rows, ignore_index=True)[["source", "kind", "file", "measure", "detail", "n"]]
    notes = [note for s in sources.values() for note in s.notes]
    notes += [Note("strata_partial", file=pilot.sources[name].path.name, column=repr(column))
              for name, column in strata.items()]
    notes += [Note("population_per_stratum", file=pilot.sources[name].path.name,
                   column=repr(sources[name].population))
              for name, column in strata.items() if _stratum_sizes(sources[name], column)]
    table[CELL_COUNT] = _quality_cells(table, sources)
    _add(evaluation, "quality", "summary", table, "tables.quality", notes=notes,
         count_column=CELL_COUNT)


def _quality_cells(table: pd.DataFrame, sources: dict) -> np.ndarray:
    """What each row of the data-quality summary rests on, for the suppression: a count
    of "no opinion" answers to a question is answers of people, so it rests on them,
    and over several waves on the fewest of any wave that has some (the tables by wave
    publish each wave's count: a total of 6 beside a wave's 5 gives the other's 1
    away); the other rows count rows of a file (read, excluded, corrected), not
    answers: no constraint (NaN)."""
    cells = np.full(len(table), np.nan)
    rows = np.flatnonzero((table["measure"] == "nonsubstantive").to_numpy())
    for at in rows:  # a handful of questions
        survey, column = sources[table["source"].iat[at]], table["detail"].iat[at]
        recorded = survey.nonsubstantive
        if column not in recorded:
            continue
        said = recorded[column].notna()
        counts = ([int(said.sum())] if not _has_waves(survey.data)
                  else said.groupby(survey.data["wave"].to_numpy(), sort=False).sum().tolist())
        counts = [c for c in counts if c > 0]
        cells[at] = min(counts) if counts else 0.0
    return cells


def _with_people(survey, respondents: pd.DataFrame | None) -> pd.DataFrame:
    """A source's data-quality summary; over several waves, with the people the rows
    kept come from (``respondents``: the rows of :func:`_respondents`, one per
    pseudonymous id), after ``rows_kept``."""
    summary = survey.summary()
    if respondents is None or not _has_waves(survey.data):
        return summary
    at = int(np.flatnonzero((summary["measure"] == "rows_kept").to_numpy())[0]) + 1
    row = pd.DataFrame({"measure": ["respondents"], "detail": [summary["detail"].iloc[at - 1]],
                        "n": [len(respondents)]})
    return pd.concat([summary.iloc[:at], row.astype({"n": summary["n"].dtype}),
                      summary.iloc[at:]], ignore_index=True)


def _profiles(evaluation: Evaluation, people: dict, sources: dict, strata: dict) -> None:
    for name, frame in people.items():
        survey = sources[name]
        weights = _weights(frame)
        base = _as_survey(survey, frame)
        design = {"weights": weights, "strata": strata.get(name),
                  "population": _fpc(survey, frame, strata.get(name))}
        calibrated = ["report.calibrated_margins"] if "calibration" in frame.attrs else []
        # who took part: satisfaction and recommendation have their own section (a
        # profile's hidden score would be given away by its top-2 and bottom-2 shares)
        design["exclude"] = [c for c in frame.columns if c.startswith("sat_") or c == "recommend"]
        classed = _classed(survey, frame, design)
        per_class = (None if classed is None else
                     lambda by=None: profile(classed, by=[*([by] if by else []), CLASS],
                                             exclude=design["exclude"]))
        _add(evaluation, "profiles", f"{name}",
             _counted(profile(base, **design), frame, classed=per_class and per_class()),
             f"tables.profile.{survey.kind}", count_column=CELL_COUNT,
             group_columns=["category"], share_columns=["estimate", "ci_low", "ci_high"],
             share_rows={"statistic": ["share"]}, notes=calibrated)
        for by in BREAKDOWNS[survey.kind]:
            if by in frame and frame[by].nunique() > 1:
                table = profile(base, by=by, **design)
                _add(evaluation, "profiles", f"{name}_by_{by}",
                     _counted(table, frame, by, classed=per_class and per_class(by)),
                     f"tables.profile.{survey.kind}.by_{by}", count_column=CELL_COUNT,
                     group_columns=["category", by],
                     share_columns=["estimate", "ci_low", "ci_high"],
                     share_rows={"statistic": ["share"]})


#: A quantile is one respondent's value (or between two): the people beyond it.
_BEYOND = {"q1": 0.25, "median": 0.5, "q3": 0.25}


def _counted(table: pd.DataFrame, data: pd.DataFrame | None = None,
             by: str | None = None, classed: pd.DataFrame | None = None) -> pd.DataFrame:
    """What a profile's figures rest on, for the suppression. In ``count``: a mean or a
    standard deviation its ``n``; a quartile the people beyond it (n/4 for the
    quartiles, n/2 for the median), so that the ages of a service of 7 agents are not
    printed as its quartiles and their bounds. In ``cell_count`` (the table's count
    column): that count, or for a category's share the fewer of its people and the
    others (6 of the 7 agents of a service in Calvados point to the seventh). With the
    respondents (``data``, grouped by ``by``), each quantile, bound and standard error
    also gets its ``<column>_beyond`` tail count (:func:`quantile_tails`): the largest
    company's size is not printed as a quartile's upper bound. Those values, and the
    count beside them, are then hidden cell by cell, and their row rests on the group's
    ``n``: quartiles do not add up, so a group's hidden quartile cannot be worked out from
    a sibling group's, which stays published (the 38 non-managers' beside the 8
    managers'). With ``classed`` (the same profile unweighted, by weighting class), a
    weighted figure rests on its fewest people in any class
    (:mod:`analysis._weight_classes`); an empty category rests on nobody still."""
    table = table.copy()
    beyond = table["statistic"].map(_BEYOND).to_numpy(dtype=float)
    rests = np.where(np.isnan(beyond), table["n"], np.floor(table["n"] * beyond))
    table["count"] = table["count"].fillna(pd.Series(rests, index=table.index))
    table[CELL_COUNT] = profile_cells(table)
    if data is not None:
        tails = quantile_tails(table, data, by)
        if tails.notna().any().any():
            tailed = tails["estimate" + BEYOND].notna().to_numpy()
            tails["count" + BEYOND] = np.where(tailed, table["count"], np.nan)
            table.loc[tailed, CELL_COUNT] = table.loc[tailed, "n"]
            table = pd.concat([table, tails], axis=1)
    if classed is not None:
        keys = [*([by] if by else []), "variable", "category", "statistic"]
        fewest = fewest_by_class(table, classed, _profile_class_cells, keys)
        empty = (table["statistic"] == "share").to_numpy() & (table["count"] == 0).to_numpy()
        table[CELL_COUNT] = np.where(empty, table[CELL_COUNT],
                                     np.fmin(table[CELL_COUNT].to_numpy(dtype=float), fewest))
    return table


def _profile_class_cells(classed: pd.DataFrame) -> np.ndarray:
    """A class's people behind each row of an unweighted profile by weighting class: a
    category's share, the fewer of its people and the others (:func:`share_cells`: an
    empty category of a class rests on the class); any other statistic, its answers."""
    share = (classed["statistic"] == "share").to_numpy()
    n = classed["n"].to_numpy(dtype=float)
    return np.where(share, share_cells(classed["count"].to_numpy(dtype=float), n), n)



def _baselines(evaluation: Evaluation, people: dict, sources: dict, pilot,
               catalogue: pd.DataFrame, strata: dict) -> None:
    compare = list(pilot.baselines.get("compare", []))
    tables, notes = [], []
    places = {name: s.data for name, s in sources.items() if s.kind == "places" and len(s)}
    frames = {**people, **places}
    # each source's respondents once, whatever the number of references compared
    surveys = {name: _as_survey(sources[name], frame) for name, frame in frames.items()}
    totals = {name: _fpc(sources[name], frame, strata.get(name)) for name, frame in frames.items()}
    classes = {name: weight_classes(frame, _weights(frame), strata.get(name), totals[name])
               for name, frame in people.items()}
    classed = []
    for source_id in compare:
        for name, frame in frames.items():
            result = _try(notes, f"{source_id} / {name}", lambda: compare_baseline(
                surveys[name], source_id, weights=_weights(frame), strata=strata.get(name),
                population=totals[name], baselines=catalogue))
            if result is not None and len(result):
                tables.append(result.assign(source_id=source_id, source=name))
                if classes.get(name) is not None:
                    classed.append(_comparisons_by_class(sources[name], frame, classes[name],
                                                         source_id, catalogue, result)
                                   .assign(source_id=source_id, source=name))
    if tables:
        table = pd.concat(tables, ignore_index=True)
        front = ["source_id", "source"]
        table = table[front + [c for c in table.columns if c not in front]]
        kinds = {n for n, s in sources.items() if s.kind == "places"}
        table[CELL_COUNT] = comparison_cells(table, kinds)
        if classed:  # a weighted share rests on each weighting class too
            table[CELL_COUNT] = np.fmin(table[CELL_COUNT], fewest_by_class(
                table, pd.concat(classed, ignore_index=True),
                lambda t: comparison_cells(t, kinds), ["source_id", "source", "indicator"]))
        _note_calibrated(table, catalogue, pilot.weighting)
        _add(evaluation, "baselines", "comparisons", table, "tables.baselines",
             count_column=CELL_COUNT, figure="baseline_dots", notes=notes,
             share_columns=["estimate", "ci_low", "ci_high", "baseline", "difference",
                            "difference_ci_low", "difference_ci_high"],
             share_rows={"unit": ["share"]} if "unit" in table else None)


def _comparisons_by_class(survey, frame: pd.DataFrame, classes: np.ndarray, source_id: str,
                          catalogue: pd.DataFrame, published: pd.DataFrame) -> pd.DataFrame:
    """The comparisons of each weighting class's respondents, unweighted (their ``n`` and
    ``count``, in ``CLASS``). A class whose comparison cannot be made (too few answers)
    counts as resting on 1 person, so that the weighted figures it enters are hidden."""
    parts = []
    for code in np.unique(classes):  # a handful of classes
        rows = frame[classes == code]
        try:
            part = compare_baseline(_as_survey(survey, rows), source_id, baselines=catalogue)
        except SurveyError:
            part = published[["indicator", "unit", "distribution"]].assign(n=1, count=1)
        parts.append(part.assign(**{CLASS: code}))
    return pd.concat(parts, ignore_index=True)


def _note_calibrated(table: pd.DataFrame, catalogue: pd.DataFrame, weighting: dict) -> None:
    """Say on a comparison row when the pilot's figure is a raking margin: the share of
    women the HR file gives, not a survey estimate (its interval is nil)."""
    variables = catalogue.set_index(["source_id", "indicator"])["variable"]
    keys = pd.MultiIndex.from_arrays([table["source_id"], table["indicator"]])
    variable = variables.reindex(keys).to_numpy()
    margins = [set(weighting.get(name) or {}) for name in table["source"]]
    fixed = np.array([v in m for v, m in zip(variable, margins)], dtype=bool)
    if not fixed.any():
        return
    sentences = [clause[0].upper() + clause[1:] + "." for clause in _MARGIN]
    for column, text, separator in (("note", _MARGIN[0], "; "), ("note_fr", _MARGIN[1], " ; "),
                                    ("reference_note", sentences[0], " "),
                                    ("reference_note_fr", sentences[1], " ")):
        notes = table[column].fillna("").astype(str)
        table.loc[fixed, column] = np.where(notes[fixed] == "", text,
                                            notes[fixed] + separator + text)


#: The note of a comparison whose pilot figure is a raking margin (English, French).
_MARGIN = ("the pilot's figure is a calibration margin (given, not estimated)",
           "la valeur du pilote est une marge de calage (donnée, non estimée)")


def _retention(evaluation: Evaluation, people: dict, sources: dict,
               strata: dict | None = None) -> None:
    """Retention curves: companies' and agents' stays (design-based when the source is
    weighted or stratified) and third-place seniority bands."""
    for name, frame in people.items():
        kind = sources[name].kind
        dates = {"company": ("joined", "left"), "agent": ("telework_start", "telework_end")}
        if kind in dates and dates[kind][0] in frame and frame[dates[kind][0]].notna().sum():
            start, end = dates[kind]
            stays, notes = _stays(frame, start, end, sources[name])
            design = _survival_design(sources[name], frame, (strata or {}).get(name))
            if design is None:   # a plain curve: the stays it can use (a design keeps
                stays = stays.dropna()      # every row, those without a stay out of it)
            _survival_tables(evaluation, f"{name}_stays", stays["duration_months"],
                             stays["observed"], f"tables.retention.{kind}", notes=notes,
                             design=design)
        if kind == "thirdplace" and "attendance_band" in frame:
            _seniority_from_bands(evaluation, name, frame)


def _stays(frame: pd.DataFrame, start: str, end: str, survey) -> tuple[pd.DataFrame, list]:
    """Each respondent's stay (:func:`analysis.durations_from_dates`), NaN where it
    cannot be known: no start date, or an end before the start (a typo: left out of the
    curve, not the whole report). The notes count both, naming the file and columns."""
    file = survey.source
    labels = {name: (survey.codebook.variables[name].label if name in
                     survey.codebook.variables else name) for name in (start, end)}
    start_label, end_label = (f"« {labels[n]['fr']} »" if isinstance(labels[n], dict) else n
                              for n in (start, end))
    start_en, end_en = (f"“{labels[n]['en']}”" if isinstance(labels[n], dict) else n
                        for n in (start, end))
    begin = pd.to_datetime(frame[start])
    stop = pd.to_datetime(frame[end]) if end in frame else pd.Series(pd.NaT, index=frame.index)
    backwards = (stop < begin).to_numpy()
    notes = []
    if backwards.any():
        notes.append(Note("stays_end_before_start", file=file, count=int(backwards.sum()),
                          start={"en": start_en, "fr": start_label},
                          end={"en": end_en, "fr": end_label}))
    stays = _checkins.durations_from_dates(begin.mask(backwards), stop.mask(backwards))
    unknown = int((begin.isna().to_numpy() & ~backwards).sum())
    if unknown:
        notes.append(Note("stays_no_start", file=file, count=unknown,
                          start={"en": start_en, "fr": start_label}))
    return stays, notes


def _survival_design(survey, frame: pd.DataFrame, strata: str | None) -> dict | None:
    """The design of a source's retention curve: its weights (raked: with their
    calibration), strata and population, or None when it has neither weights nor strata
    (the plain Kaplan–Meier curve)."""
    weights = _weights(frame)
    if weights is None and strata is None:
        return None
    return {"data": frame, "weights": weights, "strata": strata,
            "population": _fpc(survey, frame, strata)}


def _seniority_from_bands(evaluation: Evaluation, name: str, frame: pd.DataFrame) -> None:
    bounds = bands_to_intervals(frame["attendance_band"]).dropna(subset=["lower"])
    if bounds.empty:
        return
    weights = _weights(frame)
    if weights is None:
        curve = turnbull(bounds["lower"], bounds["upper"])
    else:  # a raked source: the curve of the population the weights describe
        curve = turnbull(bounds["lower"], bounds["upper"],
                         weights=frame.loc[bounds.index, weights].to_numpy(float))
        # the count behind the curve (suppression, the table's n) stays the respondents'
        curve = curve.assign(n=len(bounds), method="Turnbull NPMLE, raked weights")
    curve = curve[np.isfinite(curve["time"])].assign(curve="pilot", reference=False)
    # the people (unweighted) whose band ends by each time and not by the one before:
    # what each step of the curve rests on, for the report's small-cell rule
    ends = np.sort(bounds["upper"].to_numpy(dtype=float))
    done = np.searchsorted(ends, curve["time"].to_numpy(dtype=float), side="right")
    curve["events"] = np.diff(done, prepend=0).astype(float)
    reference = _aquitaine_curve()
    if reference is not None:
        curve = pd.concat([curve, reference], ignore_index=True)
    classes = None if weights is None else weight_classes(frame.loc[bounds.index], weights)
    people = None if classes is None else pd.DataFrame(  # by class, for the small-cell rule
        {"time": bounds["upper"].to_numpy(dtype=float), "class": classes}).value_counts(
        sort=False).rename("events").reset_index()
    _add(evaluation, "retention", f"{name}_bands_curve", curve, "tables.retention.bands",
         count_column="n", figure="km_curve", share_columns=["survival", "mass"],
         class_events=people)


def _aquitaine_curve() -> pd.DataFrame | None:
    """Share of Nouvelle-Aquitaine users coming for longer than t, from the published bands."""
    catalogue = _catalogue()
    bands = catalogue[(catalogue["source_id"] == "aquitaine-2016")
                      & (catalogue["distribution"] == "attendance_seniority")]
    if bands.empty:
        return None
    codes = bands["condition"].astype(str).str.extract(r"band:\s*'?([^'}]+?)'?\s*}")[0]
    limits = bands_to_intervals(codes)
    shares = bands["value"].to_numpy(dtype=float)
    order = np.argsort(limits["lower"].to_numpy())
    upper = limits["upper"].to_numpy()[order]
    survival = 1 - np.cumsum(shares[order]) / shares.sum()
    finite = np.isfinite(upper)
    return pd.DataFrame({"time": np.r_[0.0, upper[finite]], "survival": np.r_[1.0, survival[finite]],
                         "curve": "aquitaine-2016", "reference": True})



def _impact_parameters(pilot) -> pd.DataFrame:
    """The impact model's parameters with the pilot's ``[impact]`` values, checked before
    anything is read: an unknown name stops with the pilot file and the table named."""
    try:
        return impact_parameters("cget-model", **(getattr(pilot, "impact", {}) or {}))
    except SurveyError as error:
        raise type(error)(Note("in_impact", file=pilot.path.name,
                               message=error.args[0])) from None


def _design(pilot, people: dict, sources: dict) -> pd.DataFrame:
    """One row per people source and raking margin: the people it describes, the
    population the estimates are corrected for, its strata, and each margin's share
    (a source without margins: one row)."""
    rows = []
    for name, frame in people.items():
        survey, spec = sources[name], pilot.sources[name]
        size = survey.population
        base = {"source": name, "kind": survey.kind, "n": len(frame),
                "population_size": float(size) if isinstance(size, (int, float))
                and not isinstance(size, bool) else np.nan,
                "strata": spec.strata}
        margins = pilot.weighting.get(name) or {}
        rows += [dict(base, variable=variable, category=str(code), margin=float(share))
                 for variable, shares in margins.items() for code, share in shares.items()]
        if not margins:
            rows.append(dict(base, variable=None, category=None, margin=np.nan))
    return pd.DataFrame(rows, columns=["source", "kind", "n", "population_size", "strata",
                                       "variable", "category", "margin"])


#: The model's costs whose published value is doubtful -> the parameter a pilot file's
#: ``[impact]`` section may set instead (a note says so while it does not).
_PUBLISHED_COSTS = {"energy_cost": "energy_eur_per_km", "co2_cost": "co2_cost_eur_per_km"}


def _impact_notes(survey, frame: pd.DataFrame, overrides: dict) -> list:
    """What the impact table's population figures are (weighted or not, for how many
    people), a population too small to extrapolate to, the doubtful published costs."""
    weighted = {"en": "weighted ", "fr": "pondérée "} if _weights(frame) else ""
    size, given = _population(survey, frame), survey.population
    notes: list = []
    if size is not None:
        notes.append(Note("impact_population", weighted=weighted, size=f"{size:g}",
                          n=len(frame)))
    elif isinstance(given, (int, float)) and not isinstance(given, bool):
        notes.append(Note("impact_population_small", size=f"{given:g}", n=len(frame)))
    if weighted and size is None:
        notes.append("report.impact_weighted_mean")
    return notes + [f"report.impact_{cost}" for cost, parameter in _PUBLISHED_COSTS.items()
                    if parameter not in overrides]


def _impact_part(pilot, people: dict, sources: dict, parameters: pd.DataFrame) -> Evaluation:
    """The impact section in a part of its own (computed in the background thread)."""
    part = _part(pilot)
    _impact(part, people, sources, pilot, parameters)
    return part


def _impact(evaluation: Evaluation, people: dict, sources: dict, pilot,
            parameters: pd.DataFrame) -> None:
    """Commute impact of each agent source, with the pilot's ``[impact]`` parameters."""
    overrides = getattr(pilot, "impact", {}) or {}
    for name, frame in people.items():
        survey = sources[name]
        if survey.kind != "agent" or "commute_km" not in frame:
            continue
        table = commute_impact(frame, population=_population(survey, frame),
                               weights=_weights(frame), **overrides)
        # weighted figures beside the respondents' own totals give each weighting
        # class's sums: they rest on the fewest people of a class
        classes = weight_classes(frame, _weights(frame))
        table[CELL_COUNT] = (table["n"] if classes is None
                             else int(np.bincount(classes).min()))
        notes = _impact_notes(survey, frame, overrides)
        _add(evaluation, "impact", f"{name}_commute", table, "tables.impact.commute",
             count_column=CELL_COUNT, figure="impact_bars", notes=notes)
    if "impact" in evaluation.sections:  # the parameters every impact table used, once
        _add(evaluation, "impact", "parameters", parameters, "tables.impact.parameters")


def _methods(evaluation: Evaluation, pilot, catalogue: pd.DataFrame, people: dict,
             sources: dict) -> None:
    """The appendix's tables: each people source's design, the references used."""
    if people:
        _add(evaluation, "methods", "design", _design(pilot, people, sources),
             "tables.methods.design", share_columns=["margin"])
    compared = list(pilot.baselines.get("compare", []))
    used = catalogue[catalogue["source_id"].isin(compared + ["cget-model"])]
    columns = ["source_id", "indicator", "label_fr", "label_en", "value", "unit",
               "population", "population_fr", "base_n", "year", "publisher",
               "publisher_fr", "seed_file", "note", "note_fr"]
    _add(evaluation, "methods", "sources", used[[c for c in columns if c in used]],
         "tables.methods.sources", share_columns=["value"], share_rows={"unit": ["share"]})
