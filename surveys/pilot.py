"""Pilot files: one TOML file naming a pilot's sources, mappings, margins and baselines.

A pilot file (see ``DESIGN.md``) has a ``[pilot]`` table (name, lang, min_cell,
salt), one ``[sources.<name>]`` table per source (kind, path, population, sheet,
mapping, recode, strata), optional ``[weighting.<source>]`` raking margins,
a ``[baselines]`` table and an ``[impact]`` table of commute-impact parameters. Paths are relative to the pilot file. Every error names
the pilot file and the key at fault.
"""

from __future__ import annotations

import difflib
import math
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from surveys._values import fold_name, match_booleans, match_codes, prepare
from surveys.codebook import KINDS, Codebook, codebook, load_codebook
from surveys.errors import PilotFileError
from surveys.notes import Note
from surveys.survey import Survey, read

__all__ = ["Pilot", "SourceSpec", "read_pilot", "check_margins"]

_TOP_KEYS = ("pilot", "sources", "weighting", "baselines", "impact", "attendance")
_PILOT_KEYS = ("name", "lang", "min_cell", "salt")
_SOURCE_KEYS = ("kind", "path", "population", "sheet", "mapping", "recode", "strata",
                "weights", "codebook")
_BASELINE_KEYS = ("compare", "files")
#: ``[attendance]``: the days a place counts as open, and the "little used" occupancy.
_ATTENDANCE_KEYS = ("open_days", "little_used")
_OPEN_DAYS = ("all", "weekdays")
_LANGS = ("fr", "en")
#: Kinds of source whose answers are survey estimates (strata apply to them).
_SURVEY_KINDS = ("agent", "company", "thirdplace")
#: Largest ``min_cell``: a group of more people is no "small cell" any more.
_MAX_MIN_CELL = 1_000_000
#: Margins whose values are all at most 1 are shares: their sum may be off 1 by this
#: much (rounded shares, 0.33 + 0.33 + 0.33) and is then made exactly 1; more is refused.
_SHARE_SLACK = 0.02
#: Codebook types whose margin keys are matched to codes (as the data's answers are).
_CODED_TYPES = ("categorical", "ordinal", "likert", "duration_band")


@dataclass
class SourceSpec:
    """One ``[sources.<name>]`` table of a pilot file.

    Attributes
    ----------
    name, kind : str
    path : Path
        Resolved relative to the pilot file.
    population : float, str or None
        Population size, or the name of a column of per-stratum sizes: a column of the
        source once read (a canonical name, as ``strata``; the shipped codebooks have
        ``stratum_population`` for it), used with ``strata`` for the finite population
        correction. Reading the source checks that every respondent has a positive size,
        the same within a stratum and at least the stratum's respondents.
    sheet : str, int or None
    mapping : dict
        Source column -> canonical name.
    recode : dict
        Canonical name -> {source value: code}.
    strata : str or None
        Column of the design's strata, a column of the source once read (a canonical
        name); ``analysis.evaluate`` estimates the source's shares and means on the
        stratified design. Reading the source checks that the column is there and that
        every respondent has a stratum.
    codebook : Path or None
        A user codebook (YAML) instead of the shipped one.
    """

    name: str
    kind: str
    path: Path
    population: float | str | None = None
    sheet: str | int | None = None
    mapping: dict = field(default_factory=dict)
    recode: dict = field(default_factory=dict)
    strata: str | None = None
    codebook: Path | None = None


@dataclass
class Pilot:
    """A pilot file, loaded; :meth:`read` reads one of its sources.

    Attributes
    ----------
    name : str
    lang : str
        ``fr`` or ``en``.
    min_cell : int
        Smallest group a published figure may rest on.
    salt : str or None
        Pseudonymisation key shared by every source of the pilot.
    path : Path
        The pilot file.
    sources : dict
        Source name -> :class:`SourceSpec`, in file order.
    weighting : dict
        Source name -> {column: {category: total or share}}; the categories are the
        data's codes (a label written in the file, ``Femme``, is read as its code, ``F``;
        ``true``/``false`` for a yes/no column), rounded shares made to sum to exactly 1.
        :meth:`check_weighting` checks them against the data.
    baselines : dict
        ``compare`` (list of source ids) and ``files`` (paths of the user's own
        baseline files, resolved).
    impact : dict
        Commute-impact parameters replacing the model's (``co2_kg_per_km = 0.1``...),
        from the ``[impact]`` table; ``analysis.evaluate`` checks their names.
    attendance : dict
        Third-place occupancy settings from the ``[attendance]`` table: ``open_days``
        (``"all"`` calendar days, the default, or ``"weekdays"``) and ``little_used``
        (the occupancy below which a place is called little used, default 0.2).
    """

    name: str
    lang: str
    min_cell: int
    salt: str | None
    path: Path
    sources: dict
    weighting: dict = field(default_factory=dict)
    baselines: dict = field(default_factory=lambda: {"compare": [], "files": []})
    impact: dict = field(default_factory=dict)
    attendance: dict = field(default_factory=dict)
    _cache: dict = field(default_factory=dict, repr=False, compare=False)

    def read(self, name: str) -> Survey:
        """Read one source with the pilot's mapping, recode, salt and population (cached)."""
        if name not in self.sources:
            close = difflib.get_close_matches(name, list(self.sources), n=1)
            hint = Note("did_you_mean", name=repr(close[0])) if close else ""
            raise PilotFileError(Note("pilot_no_source", file=self.path.name, name=repr(name),
                                      sources=", ".join(self.sources), hint=hint))
        if name not in self._cache:
            spec = self.sources[name]
            survey = read(
                spec.path, spec.kind, mapping=spec.mapping, recode=spec.recode,
                codebook=spec.codebook, sheet=spec.sheet, salt=self.salt,
                population=spec.population, name=name)
            _check_strata(survey, spec, self.path.name)
            _check_population(survey, spec, self.path.name)
            survey.notes += _unused_design(spec)
            self._cache[name] = survey
        return self._cache[name]

    def has_read(self, name: str) -> bool:
        """Whether ``name`` was read already (:meth:`read` gives it at once)."""
        return name in self._cache

    def surveys(self) -> dict[str, Survey]:
        """Every source, read: source name -> :class:`Survey`."""
        return {name: self.read(name) for name in self.sources}

    def check_weighting(self, name: str, survey: Survey | None = None) -> None:
        """Check the source's ``[weighting.<name>]`` margins against its data, as the
        evaluation will rake it: each respondent once (the first wave answered), see
        :func:`check_margins`. ``survey`` is the source as read (read when omitted).

        Raises
        ------
        PilotFileError
            Naming the pilot file, ``[weighting.<name>]``, the column and the category.
        """
        margins = self.weighting.get(name)
        if not margins:
            return
        survey = self.read(name) if survey is None else survey
        check_margins(_first_answers(survey.data), margins, self.path.name,
                      name, data=self.sources[name].path.name, book=survey.codebook)

    def check(self, *, baselines: list[str] | None = None,
              impact: list[str] | None = None) -> list[Note]:
        """The pilot file's mistakes that only the analysis can tell: baseline ids
        (``[baselines] compare``) absent from ``baselines`` (the known source ids), and
        ``[impact]`` names absent from ``impact`` (the model's parameters). A list given
        as None is not checked.

        Returns
        -------
        list of Note
            One per mistake (empty when none), each naming the pilot file and the key,
            with the close name when there is one and the list of known names.

        Examples
        --------
        >>> import tempfile, pathlib
        >>> folder = pathlib.Path(tempfile.mkdtemp())
        >>> _ = (folder / "a.csv").write_text("id\\n1\\n", encoding="utf-8")
        >>> _ = (folder / "pilot.toml").write_text(
        ...     '[sources.a]\\nkind = "agent"\\npath = "a.csv"\\n'
        ...     '[baselines]\\ncompare = ["bva-2051"]\\n', encoding="utf-8")
        >>> [note] = read_pilot(folder / "pilot.toml").check(baselines=["bva-2015", "x-1"])
        >>> note
        "pilot.toml: [baselines] compare: no baseline source 'bva-2051'. Did you mean 'bva-2015'? The sources are: bva-2015, x-1."
        """
        where, problems = self.path.name, []
        if baselines is not None:
            for source_id in self.baselines.get("compare", []):
                if source_id not in baselines:
                    problems.append(Note("pilot_baseline_unknown", file=where,
                                         name=repr(source_id), hint=_close(source_id, baselines),
                                         known=", ".join(baselines)))
        if impact is not None:
            for key in self.impact:
                if key not in impact:
                    problems.append(Note("pilot_impact_unknown", file=where, key=key,
                                         hint=_close(key, impact), allowed=", ".join(impact)))
        return problems


def read_pilot(path: str | Path) -> Pilot:
    """Load a pilot file (TOML).

    Parameters
    ----------
    path : str or Path

    Returns
    -------
    Pilot

    Raises
    ------
    PilotFileError
        Missing or unreadable file, unknown or missing key, wrong value, a source file
        that does not exist; the message names the pilot file and the key.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "a.csv").write_text("id;Sexe\\n1;F\\n", encoding="utf-8")
    >>> _ = (folder / "pilot.toml").write_text(
    ...     '[pilot]\\nname = "Essai"\\n[sources.agents]\\nkind = "agent"\\npath = "a.csv"\\n')
    >>> pilot = read_pilot(folder / "pilot.toml")
    >>> pilot.lang, pilot.min_cell, list(pilot.sources)
    ('fr', 5, ['agents'])
    """
    path = Path(path)
    doc = _load(path)
    where = path.name
    _known(doc, _TOP_KEYS, where, "")
    head = _table(doc, "pilot", where)
    _known(head, _PILOT_KEYS, where, "[pilot]")
    lang = head.get("lang", "fr")
    if lang not in _LANGS:
        raise PilotFileError(Note("pilot_lang", file=where, lang=repr(lang)))
    min_cell = head.get("min_cell", 5)
    if (isinstance(min_cell, bool) or not isinstance(min_cell, int)
            or not 1 <= min_cell <= _MAX_MIN_CELL):
        raise PilotFileError(Note("pilot_min_cell", file=where, value=repr(min_cell),
                                  most=f"{_MAX_MIN_CELL:_}".replace("_", "\u202f")))
    salt = head.get("salt")
    if salt is not None and (not isinstance(salt, str) or not salt):
        raise PilotFileError(Note("pilot_salt", file=where))
    sources = {name: _source(name, spec, path) for name, spec in
               _table(doc, "sources", where, required=True).items()}
    if not sources:
        raise PilotFileError(Note("pilot_no_sources", file=where))
    weighting = _weighting(_table(doc, "weighting", where), sources, where)
    baselines = _baselines(_table(doc, "baselines", where), path)
    impact = _impact(_table(doc, "impact", where), where)
    attendance = _attendance(_table(doc, "attendance", where), where)
    name = head.get("name", path.stem)
    return Pilot(name=str(name), lang=lang, min_cell=min_cell, salt=salt, path=path,
                 sources=sources, weighting=weighting, baselines=baselines, impact=impact,
                 attendance=attendance)


def _load(path: Path) -> dict:
    if path.is_dir():
        raise PilotFileError(Note("is_directory", file=path))
    if not path.is_file():
        raise PilotFileError(Note("pilot_not_found", file=path))
    try:
        # "utf-8-sig": a file saved as "UTF-8 with BOM" (Notepad, an editor's option)
        return tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except UnicodeDecodeError:
        raise PilotFileError(Note("pilot_not_utf8", file=path.name)) from None
    except tomllib.TOMLDecodeError as exc:
        raise PilotFileError(Note("pilot_not_toml", file=path.name, reason=exc)) from None


def _known(table: dict, allowed: tuple, where: str, at: str) -> None:
    for key in table:
        if key not in allowed:
            close = difflib.get_close_matches(key, allowed, n=1)
            hint = (Note("pilot_key_close", name=repr(close[0])) if close
                    else Note("pilot_keys_allowed", allowed=", ".join(allowed)))
            place = f"{at} " if at else ""
            raise PilotFileError(Note("pilot_unknown_key", file=where, place=place,
                                      key=repr(key), hint=hint))


def _table(doc: dict, key: str, where: str, required: bool = False) -> dict:
    if key not in doc:
        if required:
            raise PilotFileError(Note("pilot_no_table", file=where, key=key))
        return {}
    if not isinstance(doc[key], dict):
        raise PilotFileError(Note("pilot_not_table", file=where, key=key))
    return doc[key]


def _source(name: str, spec: Any, pilot_path: Path) -> SourceSpec:
    where, at = pilot_path.name, f"[sources.{name}]"
    if not isinstance(spec, dict):
        raise PilotFileError(Note("pilot_source_not_table", file=where, at=at))
    _known(spec, _SOURCE_KEYS, where, at)
    kind = spec.get("kind")
    if kind is None:
        raise PilotFileError(Note("pilot_no_kind", file=where, at=at, kinds=", ".join(KINDS)))
    if kind not in KINDS:
        close = difflib.get_close_matches(str(kind), KINDS, n=1)
        hint = Note("did_you_mean", name=repr(close[0])) if close else ""
        raise PilotFileError(Note("pilot_bad_kind", file=where, at=at, kind=repr(kind),
                                  kinds=", ".join(KINDS), hint=hint))
    if spec.get("path") is None:
        raise PilotFileError(Note("pilot_no_path", file=where, at=at))
    if not isinstance(spec["path"], str):
        raise PilotFileError(Note("pilot_path_not_text", file=where, at=at,
                                  value=_toml(spec["path"])))
    file = _existing(spec["path"], pilot_path, f"{at} path")
    population = spec.get("population")
    if population is not None and (isinstance(population, bool) or not isinstance(
            population, (int, float, str)) or (not isinstance(population, str) and not (
                _finite(population) and population > 0))):
        raise PilotFileError(Note("pilot_population", file=where, at=at,
                                  value=_toml(population)))
    for key in ("mapping", "recode"):
        if not isinstance(spec.get(key, {}), dict):
            raise PilotFileError(Note("pilot_key_not_table", file=where, at=at, key=key,
                                      name=name))
    for var, table in spec.get("recode", {}).items():
        if not isinstance(table, dict):
            raise PilotFileError(Note("pilot_recode_not_table", file=where, name=name,
                                      variable=var))
    if spec.get("weights") is not None:  # accepted once, never used: say so, do not ignore
        raise PilotFileError(Note("pilot_weights_column", file=where, at=at,
                                  value=repr(spec["weights"]), name=name))
    book = spec.get("codebook")
    return SourceSpec(
        name=name, kind=kind, path=file,
        population=float(population) if isinstance(population, (int, float)) else population,
        sheet=spec.get("sheet"), mapping=dict(spec.get("mapping", {})),
        recode={k: dict(v) for k, v in spec.get("recode", {}).items()},
        strata=spec.get("strata"),
        codebook=_existing(book, pilot_path, f"{at} codebook") if book else None)


def _close(name: str, known: list[str]) -> Note | str:
    """A "Did you mean ...?" note for the closest of ``known``, or ``""``."""
    close = difflib.get_close_matches(str(name), list(known), n=1)
    return Note("did_you_mean", name=repr(close[0])) if close else ""


def _first_answers(frame: pd.DataFrame) -> pd.DataFrame:
    """Each respondent's first answers (the first wave answered, in the waves' order; a
    row without an id is a respondent of its own), as the evaluation rakes them; the
    frame itself (no copy) with one wave."""
    if "wave" not in frame or "respondent_id" not in frame or frame["wave"].nunique() < 2:
        return frame
    waves = frame["wave"]
    order = waves.cat.codes if hasattr(waves, "cat") else waves
    ids = frame["respondent_id"].iloc[np.argsort(order.to_numpy(), kind="stable")]
    first = ids.index[~ids.duplicated().to_numpy() | ids.isna().to_numpy()]
    return frame.loc[first.sort_values()]


def check_margins(frame: pd.DataFrame, margins: dict, file: str, source: str, *,
                  data: str | None = None, book: Codebook | None = None) -> None:
    """Check raking margins against the respondents they weight.

    Parameters
    ----------
    frame : DataFrame
        The respondents (one row each) that are raked.
    margins : dict
        Column -> {category: population total or share}, as :func:`read_pilot` gives
        them (keys are the data's codes; ``true``/``false`` for a yes/no column).
    file, source : str
        The pilot file's name and the source's, for the messages.
    data : str, optional
        The source's file name (the message for an absent column names it).
    book : Codebook, optional
        The source's codebook: a margin column written as a source header or a label
        (``genre``) is then matched to its variable for the hint.

    Raises
    ------
    PilotFileError
        ``<file>: [weighting.<source>]: ...`` when a margin column is not in the data;
        respondents have no value for it; respondents are in a category the margin does
        not give; a category with a margin above 0 has no respondent; or a category
        given 0 has respondents (raking would give them a weight of 0 and leave them out
        of every figure without a word).

    Examples
    --------
    >>> frame = pd.DataFrame({"gender": ["F", "F", "M"]})
    >>> check_margins(frame, {"gender": {"F": 0.5, "M": 0.5}}, "pilot.toml", "agents")
    >>> check_margins(frame, {"gender": {"F": 1.0, "M": 0}}, "pilot.toml", "agents")
    Traceback (most recent call last):
    ...
    surveys.errors.PilotFileError: pilot.toml: [weighting.agents]: gender: M = 0, but gender is M for 1 respondent; a margin of 0 would give them a weight of 0 and leave them out of every figure. Give the population share or total of M.
    """
    what = {"en": "margin", "fr": "marge"}

    def fail(message: Note) -> None:
        raise PilotFileError(Note("in_weighting", file=file, source=source, message=message))

    columns = [str(c) for c in frame.columns]
    for column, margin in margins.items():
        if column not in frame.columns:
            guess = book.alias_index.get(fold_name(column)) if book is not None else None
            guess = guess if guess in columns else None
            hint = (Note("did_you_mean", name=repr(guess)) if guess
                    else _close(column, columns))
            fail(Note("margin_absent_column", column=repr(column), data=data or source,
                      columns=", ".join(columns), hint=hint))
        values = frame[column]
        missing = int(values.isna().sum())
        if missing:
            fail(Note("margin_missing_values", count=missing, columns=repr(column), what=what))
        counts = values.value_counts(sort=False)
        counts = counts[counts.to_numpy() > 0]
        given = {_folded(key): key for key in margin}
        found: dict = {}
        for value, count in counts.items():  # a handful of categories
            key = given.get(_folded(value))
            if key is None:
                fail(Note("margin_unknown_category", column=column, value=_plain(value),
                          what=what, known=", ".join(map(str, margin))))
            found[key] = found.get(key, 0) + int(count)
        for key, target in margin.items():
            if target == 0 and found.get(key):
                fail(Note("margin_zero_with_respondents", column=column, value=key,
                          count=found[key]))
            if target > 0 and not found.get(key):
                fail(Note("margin_empty_category", what=what, columns=repr(column),
                          value=repr(key)))


def _folded(value) -> str:
    """A margin key or a data value as compared by the raking (case and spaces aside)."""
    if isinstance(value, np.generic):
        value = value.item()
    return str(value).strip().casefold()


def _plain(value) -> str:
    """A data value as the user writes it in the pilot file: ``'F'``, ``28``, ``true``."""
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, bool):
        return "true" if value else "false"
    return repr(value) if isinstance(value, str) else str(value)


def _check_strata(survey: Survey, spec: SourceSpec, where: str) -> None:
    """The strata column is in the source as read, with a stratum for every row."""
    if spec.strata is None:
        return
    at = f"{where}: [sources.{spec.name}] strata = {spec.strata!r}"
    columns = list(survey.data.columns)
    if spec.strata not in columns:
        close = difflib.get_close_matches(spec.strata, columns, n=1)
        hint = Note("did_you_mean", name=repr(close[0])) if close else ""
        raise PilotFileError(Note("pilot_strata_absent", at=at, data=spec.path.name,
                                  columns=", ".join(columns), name=spec.name, hint=hint))
    missing = int(survey.data[spec.strata].isna().sum())
    if missing:
        raise PilotFileError(Note("pilot_strata_missing", at=at, count=missing,
                                  data=spec.path.name))


def _check_population(survey: Survey, spec: SourceSpec, where: str) -> None:
    """A population column (per-stratum sizes) of a survey source, as read: present, with
    strata, a positive size on every row, one size per stratum, at least the stratum's
    respondents. Checked on the counts per (stratum, size) cell, not row by row."""
    if not isinstance(spec.population, str) or spec.kind not in _SURVEY_KINDS:
        return
    column = spec.population
    at = f"{where}: [sources.{spec.name}] population = {column!r}"
    if spec.strata is None:
        raise PilotFileError(Note("pilot_population_no_strata", at=at, name=spec.name))
    frame = survey.data
    columns = list(frame.columns)
    if column not in columns:
        close = difflib.get_close_matches(column, columns, n=1)
        hint = Note("did_you_mean", name=repr(close[0])) if close else ""
        raise PilotFileError(Note("pilot_population_absent", at=at, data=spec.path.name,
                                  columns=", ".join(columns), name=spec.name, hint=hint))
    sizes = pd.to_numeric(frame[column], errors="coerce").astype(float)
    bad = ~(np.isfinite(sizes.to_numpy()) & (sizes.to_numpy() > 0))
    if bad.any():
        first = int(np.flatnonzero(bad)[0])
        raise PilotFileError(Note("pilot_population_not_positive", at=at, count=int(bad.sum()),
                                  data=spec.path.name, value=repr(frame[column].iloc[first]),
                                  row=first + 1))
    cells = pd.DataFrame({"stratum": frame[spec.strata], "population": sizes})
    if "wave" in columns and "respondent_id" in columns and frame["wave"].nunique() > 1:
        # two waves of one sample: a stratum's respondents are counted once, as the
        # evaluation counts them (each in the first wave they answered)
        ids = frame["respondent_id"]
        cells = cells[~ids.duplicated().to_numpy() | ids.isna().to_numpy()]
    cells = cells.groupby("stratum", observed=True, sort=True)["population"].agg(
        ["min", "max", "size"])
    varies = cells[cells["min"] < cells["max"]]
    if len(varies):
        stratum, row = next(iter(varies.iterrows()))
        raise PilotFileError(Note("pilot_population_varies", at=at, data=spec.path.name,
                                  stratum=repr(stratum), low=f"{row['min']:g}",
                                  high=f"{row['max']:g}", strata=repr(spec.strata)))
    small = cells[cells["min"] < cells["size"]]
    if len(small):
        stratum, row = next(iter(small.iterrows()))
        raise PilotFileError(Note("pilot_population_too_small", at=at, data=spec.path.name,
                                  stratum=repr(stratum), size=f"{row['min']:g}",
                                  count=int(row["size"])))


def _unused_design(spec: SourceSpec) -> list[Note]:
    """Notes for the design keys a source gives that the evaluation does not use (strata
    or a population column on a source with no survey estimate; a single population
    total with strata, which no finite population correction can use), so that no
    reader takes them as applied."""
    notes = []
    if spec.strata is not None and spec.kind not in _SURVEY_KINDS:
        notes.append(Note("strata_not_survey", file=spec.path.name, column=repr(spec.strata),
                          kind=spec.kind))
    if isinstance(spec.population, str):
        if spec.kind not in _SURVEY_KINDS:
            notes.append(Note("population_column_unused", file=spec.path.name,
                              column=repr(spec.population), kind=spec.kind))
    elif spec.population is not None and spec.strata is not None:
        notes.append(Note("population_total_with_strata", file=spec.path.name,
                          size=f"{spec.population:g}", column=repr(spec.strata)))
    return notes


def _existing(relative: str, pilot_path: Path, at: str) -> Path:
    file = (pilot_path.parent / relative).resolve()
    if file.is_dir():
        raise PilotFileError(Note("pilot_path_is_folder", file=pilot_path.name, at=at,
                                  relative=repr(relative), path=file))
    if not file.is_file():
        raise PilotFileError(Note("pilot_missing_file", file=pilot_path.name, at=at,
                                  relative=repr(relative), path=file))
    return file


def _weighting(tables: dict, sources: dict, where: str) -> dict:
    """``[weighting.<source>]``: each margin a table of finite numbers at least 0, its keys
    the codes of the variable (a label or another spelling the data would accept, such as
    ``Femme`` or ``Oui``, stands for its code), and shares (every value at most 1) that add
    up to 1 (within :data:`_SHARE_SLACK`, then made exactly 1)."""
    out = {}
    for name, margins in tables.items():
        if name not in sources:
            close = difflib.get_close_matches(name, list(sources), n=1)
            hint = Note("did_you_mean", name=repr(close[0])) if close else ""
            raise PilotFileError(Note("pilot_weighting_source", file=where, name=name, hint=hint))
        if not isinstance(margins, dict):
            raise PilotFileError(Note("pilot_source_not_table", file=where,
                                      at=f"[weighting.{name}]"))
        book = None
        out[name] = {}
        for column, margin in margins.items():
            if not isinstance(margin, dict) or not margin or not all(
                    isinstance(v, (int, float)) and not isinstance(v, bool)
                    for v in margin.values()):
                raise PilotFileError(Note("pilot_margin_format", file=where, name=name,
                                          column=column))
            for key, value in margin.items():
                if not _finite(value) or value < 0:
                    raise PilotFileError(Note("pilot_margin_not_number", file=where, name=name,
                                              column=column, key=key, value=_toml(value)))
            book = book or _codebook_of(sources[name])
            margin = _margin_codes(margin, book.resolve(column), where, name, column)
            out[name][column] = _shares(margin, where, name, column)
    return out


def _codebook_of(spec: SourceSpec) -> Codebook:
    """The codebook a source is read with (the user's own, or the kind's)."""
    return load_codebook(spec.codebook, spec.kind) if spec.codebook else codebook(spec.kind)


def _margin_codes(margin: dict, var, where: str, name: str, column: str) -> dict:
    """A margin with its keys as the variable's codes (``true``/``false`` for a yes/no
    variable), matched as the data's answers are (code, label or alias, regardless of
    case and accents). Unchanged for a variable without codes (or not in the codebook:
    reading the source names the column)."""
    if var is None or (var.type not in _CODED_TYPES and var.type != "boolean") or (
            var.type != "boolean" and not var.codes):
        return margin
    keys = [str(key) for key in margin]
    prepared = prepare(keys, var)
    if var.type == "boolean":
        found, _ = match_booleans(prepared)
        codes = [None if value is None else ("true" if value else "false") for value in found]
    else:
        found, _ = match_codes(prepared, var)
        codes = [None if code is None else str(code) for code in found]
    out: dict = {}
    for key, code in zip(margin, codes):
        if code is None and var.type == "boolean":
            raise PilotFileError(Note("pilot_margin_boolean", file=where, name=name,
                                      column=column, key=repr(key)))
        if code is None:
            shown = [str(c) for c in var.codes]
            close = difflib.get_close_matches(str(key), shown, n=1)
            hint = Note("did_you_mean", name=repr(close[0])) if close else ""
            listed = {lang: ", ".join(f"{c} ({_label(labels, lang)})"
                                      for c, labels in var.codes.items())
                      for lang in ("en", "fr")}
            raise PilotFileError(Note("pilot_margin_unknown_code", file=where, name=name,
                                      column=column, key=repr(key), hint=hint, codes=listed))
        if code in out:
            first = next(k for k, c in zip(margin, codes) if c == code)
            raise PilotFileError(Note("pilot_margin_twice", file=where, name=name,
                                      column=column, first=repr(first), second=repr(key),
                                      code=repr(code)))
        out[code] = margin[key]
    return out


def _label(labels, lang: str) -> str:
    """A code's label in ``lang`` (codebook labels are ``{"fr": ..., "en": ...}``)."""
    if isinstance(labels, dict):
        return str(labels.get(lang) or labels.get("en") or "")
    return str(labels)


def _shares(margin: dict, where: str, name: str, column: str) -> dict:
    """A margin of shares (every value at most 1) summing to 1 within :data:`_SHARE_SLACK`,
    made to sum to exactly 1; totals as given."""
    values = list(margin.values())
    total = math.fsum(values)
    if max(values) > 1 or abs(total - 1) <= 1e-9:
        return margin
    if abs(total - 1) > _SHARE_SLACK:
        shown = " + ".join(f"{v:g}" for v in values)
        raise PilotFileError(Note("pilot_margin_shares_sum", file=where, name=name,
                                  column=column, shown=shown, total=f"{total:g}"))
    return {key: value / total for key, value in margin.items()}


def _finite(number: int | float) -> bool:
    """Whether a TOML number is finite and fits a float (TOML integers are unbounded)."""
    try:
        return math.isfinite(number)
    except OverflowError:
        return False


def _toml(value) -> str:
    """A pilot-file value as it is written in TOML (``inf``, ``nan``, ``true``, ``'x'``)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and not math.isfinite(value):
        return "nan" if math.isnan(value) else ("inf" if value > 0 else "-inf")
    return repr(value)


def _baselines(table: dict, pilot_path: Path) -> dict:
    where = pilot_path.name
    _known(table, _BASELINE_KEYS, where, "[baselines]")
    compare = table.get("compare", [])
    files = table.get("files", [])
    for key, value in (("compare", compare), ("files", files)):
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise PilotFileError(Note("pilot_baselines_list", file=where, key=key))
    return {"compare": list(compare),
            "files": [_existing(f, pilot_path, "[baselines] files") for f in files]}


def _attendance(table: dict, where: str) -> dict:
    """``[attendance]``: ``open_days`` ("all" or "weekdays") and ``little_used`` (an
    occupancy share above 0 and at most 1)."""
    _known(table, _ATTENDANCE_KEYS, where, "[attendance]")
    open_days = table.get("open_days", "all")
    if open_days not in _OPEN_DAYS:
        raise PilotFileError(Note("pilot_open_days", file=where, value=repr(open_days)))
    little = table.get("little_used", 0.2)
    if (isinstance(little, bool) or not isinstance(little, (int, float))
            or not 0 < little <= 1):
        raise PilotFileError(Note("pilot_little_used", file=where, value=repr(little)))
    return {"open_days": open_days, "little_used": float(little)}


def _impact(table: dict, where: str) -> dict:
    """``[impact]``: parameter name -> a number at least 0 (the names are the model's,
    checked by the analysis, which knows them)."""
    for key, value in table.items():
        if (isinstance(value, bool) or not isinstance(value, (int, float))
                or not _finite(value) or value < 0):
            raise PilotFileError(Note("pilot_impact_number", file=where, key=key,
                                      value=repr(value)))
    return {key: float(value) for key, value in table.items()}
