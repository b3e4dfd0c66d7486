"""Draft a pilot file from a user's survey exports: what ``bilan init`` writes.

Each export is read with the package's own reader; its kind of source is guessed
from how many of its headers the codebooks' aliases recognise (the matching
:func:`surveys.read` does); the draft lists every recognised column explicitly, every
other one as a commented line to complete, and, for the coded answers the codebook
does not recognise (LimeSurvey ``A1``/``A2`` codes...), commented recode tables with
the values found and the codes allowed. The user checks and completes it, then runs
``bilan validate``.
"""

from __future__ import annotations

import functools
import os
import re
import secrets
import unicodedata
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

import pandas as pd

from surveys._readers import SUPPORTED_EXTENSIONS
from surveys._draft_values import code_like, name_like
from surveys._values import fold_value
from surveys.codebook import KINDS, Codebook, Variable, codebook
from surveys.errors import SurveyError
from surveys.notes import counted
from surveys._raw import RawTable
from surveys._validate import type_column
from surveys.pseudonym import redact
from surveys.survey import _map_columns, read_raw

__all__ = ["Draft", "DraftSource", "draft_pilot"]

#: Distinct values listed in one recode stub at most.
_MAX_VALUES = 20
#: Variables suggested on the line of an unrecognised column.
_HINTS = 3
#: Kinds of source that are surveys of a population (``population`` applies).
_SURVEY_KINDS = ("agent", "company", "thirdplace")
#: Codebook types whose answers a recode table can turn into codes.
_RECODED_TYPES = ("categorical", "ordinal", "likert", "duration_band", "boolean")
_WORKBOOKS = (".xlsx", ".xlsm")
_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")
_ESCAPES = {"\\": "\\\\", '"': '\\"', "\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f",
            "\r": "\\r"}

#: The draft's own words, in the pilot's language.
_TEXTS = {
    "fr": {
        "head": [
            "Brouillon de fichier de pilote écrit par « bilan init » : à vérifier et à "
            "compléter.",
            "  - [pilot] : le nom du pilote ; le sel (salt) doit rester secret et inchangé ;",
            "  - chaque source : son type (kind), les colonnes associées aux variables de bilan,",
            "    les colonnes non reconnues (lignes « # \"...\" = \"\" »), les valeurs à "
            "recoder ;",
            "  - [baselines] : les chiffres de référence comparés au pilote (bilan baselines).",
            "Ensuite : bilan validate {out}",
        ],
        "name": "Mon pilote (à renommer)",
        "name_note": "nom du pilote, en tête du rapport : à changer",
        "min_cell": "plus petit groupe sur lequel un chiffre publié peut reposer",
        "salt": "clé secrète des pseudonymes : à garder secrète et à ne jamais changer "
                "entre deux lectures (les pseudonymes en dépendent)",
        "kind_sure": "deviné d'après les {count} colonnes reconnues",
        "kind_unsure": "À VÉRIFIER : type deviné sans certitude ({scores}) ; types possibles : "
                       "{kinds}",
        "sheet": "feuille choisie parmi : {sheets}",
        "population": "# population = 100   # facultatif : taille de la population enquêtée",
        "required": "OBLIGATOIRE : aucune colonne pour {names} ; associez-en une ci-dessous, "
                    "sinon la source ne pourra pas être lue.",
        "mapping": "colonne du fichier = variable de bilan",
        "personal": "donnée personnelle : écartée à la lecture",
        "free": "Variables de ce type encore sans colonne :",
        "multiple": "choix multiple : une colonne, ou une par option {name}__<code>",
        "left": "Colonnes non reconnues : enlevez le « # » et écrivez la variable voulue, "
                "ou laissez la ligne ainsi pour ignorer la colonne.",
        "hint": "à compléter : {names}, ... ou laisser ainsi pour l'ignorer",
        "recode": "Valeurs de « {column} » ({name}) que bilan ne reconnaît pas : enlevez les "
                  "« # » et écrivez le code voulu pour chacune.",
        "codes": "codes permis : {codes}",
        "more": "... et {count} autre(s) valeur(s)",
        "unquoted": "{count} valeur(s) hors liste non recopiée(s) ici (des réponses, pas des "
                    "codes) : bilan validate les montre",
        "open": "liste ouverte : libellés publiés, ceux de moins de 5 répondants regroupés "
                "en « Autres »",
        "free_text": "TEXTE LIBRE ? {distinct} valeurs différentes pour {answered} réponses "
                     "(longueur moyenne {length} caractères) : colonne ignorée. Pour "
                     "l'utiliser comme {name}, écrivez \"{name}\" et regroupez d'abord les "
                     "réponses en quelques libellés (recode) : chaque libellé serait publié",
        "baselines": "chiffres de référence comparés au pilote (liste : bilan baselines)",
        "exists": "{file} existe déjà : choisissez un autre fichier, ou remplacez-le "
                  "(force=True).",
        "is_input": "{file} est l'un des exports à lire : choisissez un autre fichier de "
                    "pilote.",
        "no_files": "aucun export à lire : donnez au moins un fichier ({supported}).",
        "is_dir": "{file} est un dossier : donnez le nom du fichier de pilote à écrire.",
        "unwritable": "{file} : écriture impossible ({reason}).",
        "yes_no": "oui, non",
    },
    "en": {
        "head": [
            "Draft pilot file written by 'bilan init': check and complete it.",
            "  - [pilot]: the pilot's name; the salt must stay secret and unchanged;",
            "  - each source: its kind, the columns matched to bilan's variables,",
            "    the columns not recognised (lines '# \"...\" = \"\"') and the values to recode;",
            "  - [baselines]: the reference figures the pilot is compared with (bilan baselines).",
            "Then: bilan validate {out}",
        ],
        "name": "My pilot (rename me)",
        "name_note": "the pilot's name, at the top of the report: change it",
        "min_cell": "smallest group any published figure may rest on",
        "salt": "pseudonymisation key: keep it secret and never change it between runs "
                "(the pseudonyms depend on it)",
        "kind_sure": "guessed from the {count} columns recognised",
        "kind_unsure": "CHECK: kind guessed without certainty ({scores}); possible kinds: "
                       "{kinds}",
        "sheet": "sheet chosen among: {sheets}",
        "population": "# population = 100   # optional: size of the surveyed population",
        "required": "REQUIRED: no column for {names}; match one below, or the source cannot "
                    "be read.",
        "mapping": "column of the file = bilan variable",
        "personal": "personal data: dropped at read time",
        "free": "Variables of this kind still without a column:",
        "multiple": "multiple choice: one column, or one per option {name}__<code>",
        "left": "Columns not recognised: remove the '#' and write the variable meant, or "
                "leave the line as it is to ignore the column.",
        "hint": "to complete: {names}, ... or leave as is to ignore it",
        "recode": "Values of '{column}' ({name}) bilan does not recognise: remove the '#' "
                  "and write the code meant for each.",
        "codes": "allowed codes: {codes}",
        "more": "... and {count} more value(s)",
        "unquoted": "{count} value(s) off the list not copied here (answers, not codes): "
                    "bilan validate shows them",
        "open": "open list: labels are published, those of fewer than 5 respondents grouped "
                "as 'Other'",
        "free_text": "FREE TEXT? {distinct} different values for {answered} answers (mean "
                     "length {length} characters): column ignored. To use it as {name}, "
                     "write \"{name}\" and first group the answers into a few labels "
                     "(recode): each label would be published",
        "baselines": "reference figures the pilot is compared with (list: bilan baselines)",
        "exists": "{file} already exists: choose another file, or replace it (force=True).",
        "is_input": "{file} is one of the exports to read: choose another pilot file.",
        "no_files": "no export to read: give at least one file ({supported}).",
        "is_dir": "{file} is a folder: give the name of the pilot file to write.",
        "unwritable": "{file}: cannot be written ({reason}).",
        "yes_no": "yes, no",
    },
}


@dataclass
class DraftSource:
    """What the draft says about one export.

    Attributes
    ----------
    name : str
        Source name in the pilot file (from the file name, a bare TOML key).
    file : Path
    kind : str
        The kind guessed.
    certain : bool
        False when the guess is a tie, rests on fewer than two columns or lacks a
        required variable: the draft asks the user to check the kind.
    scores : dict
        Kind -> columns its aliases recognise (personal data not counted).
    sheet : str or None
        The sheet read, for a workbook of several sheets.
    sheets : list of str
        A workbook's sheets ([] for other files).
    mapping : dict
        Recognised header -> canonical name, in file order.
    left : list of str
        Headers not recognised (commented lines to complete).
    required : list of str
        Required variables with no column.
    recode : dict
        Variable -> ``(column, values)``: the distinct values the codebook does not
        recognise, in natural order (in memory: the file quotes only those shaped like
        codes, :func:`~surveys._draft_values.code_like`).
    free_text : dict
        Column -> ``(variable, distinct, answered, mean length)``: a column the aliases
        match to an open list (service, department, field) whose answers look like free
        text; the draft maps it to nothing (``""``) and says why.
    once : dict
        Variable -> the values of ``recode`` found in a single row (a lone word among
        them is taken for a name, not a code: :func:`~surveys._draft_values.name_like`).
    """

    name: str
    file: Path
    kind: str
    certain: bool
    scores: dict
    sheet: str | None = None
    sheets: list = field(default_factory=list)
    mapping: dict = field(default_factory=dict)
    left: list = field(default_factory=list)
    required: list = field(default_factory=list)
    recode: dict = field(default_factory=dict)
    free_text: dict = field(default_factory=dict)
    once: dict = field(default_factory=dict)


@dataclass
class Draft:
    """A drafted pilot file: its TOML text, where it was written, and each source.

    Attributes
    ----------
    text : str
    path : Path
    sources : list of DraftSource
    """

    text: str
    path: Path
    sources: list

    def summary(self) -> pd.DataFrame:
        """One row per source: what was guessed and what is left to do.

        Returns
        -------
        DataFrame
            ``source``, ``file``, ``kind``, ``certain`` (False: check the kind),
            ``recognised`` (columns mapped), ``left`` (columns to complete or ignore),
            ``required_missing`` (required variables without a column), ``to_recode``
            (variables with values to recode).
        """
        rows = [(s.name, s.file.name, s.kind, s.certain, len(s.mapping), len(s.left),
                 len(s.required), len(s.recode)) for s in self.sources]
        return pd.DataFrame(rows, columns=["source", "file", "kind", "certain", "recognised",
                                           "left", "required_missing", "to_recode"])


def draft_pilot(files: Sequence, out_path, *, name: str | None = None, lang: str = "fr",
                baselines: Sequence[str] | Mapping[str, Sequence[str]] = (),
                force: bool = False) -> Draft:
    """Write a draft pilot file (TOML) for a user's exports.

    Parameters
    ----------
    files : sequence of str or Path
        The exports (``.csv .tsv .txt .xlsx .sav .dta .parquet``), one source each.
    out_path : str or Path
        The pilot file to write; source paths are written relative to its folder.
    name : str, optional
        The pilot's name; a placeholder to change when not given.
    lang : {"fr", "en"}
        Language of the pilot (its ``lang``) and of the draft's comments.
    baselines : sequence of str, or mapping of str to sequence of str
        Reference ids for ``[baselines] compare``: written as given, or, as a mapping
        id -> the kinds of source it compares, the ids that fit a kind drafted.
    force : bool
        Replace ``out_path`` if it exists.

    Returns
    -------
    Draft
        ``text`` (the TOML written), ``path`` and ``sources`` (one
        :class:`DraftSource` each); :meth:`Draft.summary` tabulates them.

    Raises
    ------
    SurveyError
        No file, a missing or unreadable file, ``out_path`` exists (without ``force``),
        is a folder, is one of the exports or cannot be written; the message names the
        file.

    Notes
    -----
    A header is recognised exactly as :func:`surveys.read` recognises it without a
    mapping (the codebook's aliases), so the mapping written reads the file as
    ``read`` would; the values to recode are the problems ``read``'s typing reports
    on each mapped column.

    Examples
    --------
    >>> import tempfile, tomllib
    >>> folder = Path(tempfile.mkdtemp())
    >>> _ = (folder / "agents.csv").write_text(
    ...     "N° agent;Sexe;Âge;Q7 service\\n1;A1;40;RH\\n2;A2;35;DSI\\n", encoding="utf-8")
    >>> draft = draft_pilot([folder / "agents.csv"], folder / "pilote.toml", name="Essai")
    >>> draft.summary()[["source", "kind", "certain", "recognised", "left", "to_recode"]]
       source   kind  certain  recognised  left  to_recode
    0  agents  agent     True           3     1          1
    >>> tomllib.loads(draft.text)["sources"]["agents"]["mapping"]
    {'N° agent': 'respondent_id', 'Sexe': 'gender', 'Âge': 'age'}
    """
    texts = _texts(lang)
    out = Path(out_path)
    # an office suite's lock file beside an open workbook (``~$x.xlsx``, ``.~lock.x#``),
    # picked up by ``*.xlsx``, is not an export: skipped rather than stopping the draft
    paths = [Path(f) for f in files if not Path(f).name.startswith(("~$", ".~lock."))]
    if not paths:
        raise SurveyError(texts["no_files"].format(supported=" ".join(SUPPORTED_EXTENSIONS)))
    if any(p.resolve() == out.resolve() for p in paths):
        raise SurveyError(texts["is_input"].format(file=out))
    if out.is_dir():
        raise SurveyError(texts["is_dir"].format(file=out))
    if out.exists() and not force:
        raise SurveyError(texts["exists"].format(file=out))
    sources: list[DraftSource] = []
    for path in paths:
        sources.append(_draft_source(path, {s.name for s in sources}))
    kinds = {s.kind for s in sources}
    compare = (list(baselines) if not isinstance(baselines, Mapping)
               else [sid for sid, fits in baselines.items() if kinds & set(fits)])
    text = _render(sources, out, name, lang, compare)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(text, encoding="utf-8")
    except OSError as error:
        raise SurveyError(texts["unwritable"].format(file=out, reason=error.strerror)) from None
    return Draft(text, out, sources)


def _texts(lang: str) -> dict:
    if lang not in _TEXTS:
        raise SurveyError(f"lang={lang!r} is not available; use one of 'fr', 'en'.")
    return _TEXTS[lang]


# -- reading and guessing ----------------------------------------------------------------

def _draft_source(path: Path, taken: set) -> DraftSource:
    """Read one export, guess its kind (and sheet), map it, find the values to recode."""
    sheets = _sheet_names(path)
    best, best_score = None, -1
    for sheet in sheets or [None]:  # a workbook: the sheet its best kind knows best
        raw = _read_sheet(path, sheet, several=len(sheets) > 1)
        if raw is None:
            continue
        guess = _guess([str(c) for c in raw.data.columns])
        kind, _, scores, _ = guess
        if scores[kind] > best_score:
            best, best_score = (sheet, raw, guess), scores[kind]
    if best is None:  # every sheet empty: the reader says so for the first
        read_raw(path, sheet=sheets[0])
    sheet, raw, (kind, certain, scores, mapping) = best
    names = [str(c) for c in raw.data.columns]
    book = codebook(kind)
    found = {target.split("__")[0] for target in mapping.values()}
    source = DraftSource(
        name=_unique(_bare_name(path.stem), taken), file=path, kind=kind, certain=certain,
        scores=scores, sheet=sheet if len(sheets) > 1 else None, sheets=sheets,
        mapping=mapping, left=[n for n in names if n not in mapping],
        required=[v for v in book.required if v not in found])
    source.recode, source.once = _to_recode(mapping, raw, book)
    source.free_text = _free_text(mapping, raw, book)
    return source


def _sheet_names(path: Path) -> list[str]:
    """The sheets of a workbook (in order), or [] for any other file."""
    if path.suffix.lower() not in _WORKBOOKS or not path.is_file():
        return []
    try:
        import python_calamine

        with python_calamine.CalamineWorkbook.from_path(str(path)) as book:
            return list(book.sheet_names)
    except Exception:  # no calamine, or a workbook it cannot open: the reader will say
        return []


def _read_sheet(path: Path, sheet: str | None, several: bool):
    """The export (one sheet of it) as the reader gives it; None for an empty sheet
    among several."""
    try:
        return read_raw(path, sheet=sheet)
    except SurveyError:
        if several:
            return None
        raise


@functools.lru_cache(maxsize=None)
def _lenient(kind: str) -> Codebook:
    """The shipped codebook without required variables: a draft maps what it can."""
    return replace(codebook(kind), required=[])


def _recognised(names: list[str], kind: str) -> dict[str, str]:
    """Header -> canonical name (``var__code`` for an option column), as ``read`` maps
    the headers without a mapping; in file order."""
    columns, options, _, _ = _map_columns(names, _lenient(kind), {}, "")
    targets = {col: var for var, col in columns.items()}
    for var, cols in options.items():
        targets.update({col: f"{var}__{code}" for code, col in cols.items()})
    return {n: targets[n] for n in names if n in targets}


def _guess(names: list[str]) -> tuple[str, bool, dict, dict]:
    """The kind whose aliases recognise the most headers (personal data aside, as every
    kind has it): ``(kind, certain, scores, mapping)``. A tie goes to the kind whose
    required variables are all there; the guess is uncertain after a tie, on fewer than
    two columns, or with a required variable missing."""
    mappings = {kind: _recognised(names, kind) for kind in KINDS}
    scores = {}
    for kind, mapping in mappings.items():
        book = codebook(kind)
        scores[kind] = sum(1 for t in mapping.values() if not _variable(book, t).pii)
    top = max(scores.values())
    tied = [k for k in KINDS if scores[k] == top]

    def complete(kind: str) -> bool:
        found = {t.split("__")[0] for t in mappings[kind].values()}
        return all(v in found for v in codebook(kind).required)

    kind = next((k for k in tied if complete(k)), tied[0])
    return kind, len(tied) == 1 and top >= 2 and complete(kind), scores, mappings[kind]


def _variable(book: Codebook, target: str) -> Variable:
    """The variable a mapping target stands for (``var__code``: the multiselect; an
    extra ``sat_*`` item: a Likert item on the satisfaction scale)."""
    return book.resolve(target.split("__")[0])


def _to_recode(mapping: dict, raw: RawTable, book: Codebook) -> dict:
    """Variable -> (column, distinct values the codebook does not recognise): the
    problems of each mapped coded column, typed as :func:`read` types it (column by
    column, so that a file whose every answer is a code still gets its stubs); and
    variable -> those of the values found in a single row. Values are redacted as
    ``Survey.problems`` are: no e-mail address leaks into the draft."""
    out, once = {}, {}
    for column, target in mapping.items():
        var = _variable(book, target)
        if "__" in target or var.pii or var.type not in _RECODED_TYPES:
            continue
        typed = type_column(raw.data[column], var, raw.rows, column,
                            labels=raw.value_labels.get(column))
        values = pd.concat(typed.problems)["value"].astype(object) if typed.problems else []
        counts = redact(pd.Series(values, dtype=object)).dropna().astype(str).value_counts()
        distinct = sorted((v for v in counts.index if v.strip()), key=_natural)
        if distinct:
            out[target] = (column, distinct)
            once[target] = set(counts.index[counts.to_numpy() == 1])
    return out, once


#: A column matched to an open list looks like free text from this many distinct
#: answers, when they are also at least a third of the answers, or at this mean length.
_FREE_DISTINCT, _FREE_LENGTH = 10, 40


def _open(var: Variable) -> bool:
    """An open list: a categorical whose categories are the answers."""
    return var.type in ("categorical", "ordinal") and not var.codes


def _free_text(mapping: dict, raw: RawTable, book: Codebook) -> dict:
    """Columns matched to an open list whose answers look like free text (many distinct
    answers, or long ones): column -> (variable, distinct, answered, mean length)."""
    out = {}
    for column, target in mapping.items():
        if "__" in target or not _open(_variable(book, target)):
            continue
        values = raw.data[column].dropna().astype(str).str.strip()
        values = values[values != ""]
        if not len(values):
            continue
        distinct, length = values.nunique(), float(values.str.len().mean())
        if (distinct >= _FREE_DISTINCT and 3 * distinct >= len(values)) or length >= _FREE_LENGTH:
            out[column] = (target, int(distinct), len(values), round(length))
    return out


def _natural(text: str) -> list:
    """Sort key putting A2 before A10."""
    return [(0, int(part), "") if part.isdigit() else (1, 0, part)
            for part in re.split(r"(\d+)", text) if part]


def _bare_name(stem: str) -> str:
    """A file stem as a bare TOML key: ASCII letters, digits, ``_`` and ``-``."""
    folded = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode()
    name = re.sub(r"[^A-Za-z0-9_-]+", "_", folded).strip("_-").lower()
    return name or "source"


def _unique(name: str, taken: set) -> str:
    candidate, k = name, 2
    while candidate in taken:
        candidate, k = f"{name}_{k}", k + 1
    return candidate


# -- writing the TOML --------------------------------------------------------------------

def _string(text: str) -> str:
    """A TOML basic string: quotes, backslashes and control characters escaped."""
    out = []
    for ch in str(text):
        if ch in _ESCAPES:
            out.append(_ESCAPES[ch])
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\u{ord(ch):04X}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def _key(text: str) -> str:
    """A TOML key: bare when it can be, else a quoted string."""
    return text if _BARE_KEY.fullmatch(text) else _string(text)


def _comment(text: str) -> str:
    """Text safe on one comment line (no line break or control character)."""
    return "".join(" " if ord(ch) < 0x20 or ord(ch) == 0x7F else ch for ch in str(text))


def _render(sources: list, out: Path, name: str | None, lang: str, compare: list) -> str:
    texts = _texts(lang)
    lines = ["# " + line.format(out=out.name) for line in texts["head"]]
    pilot_name = name if name else texts["name"]
    lines += ["", "[pilot]",
              f"name = {_string(pilot_name)}" + ("" if name else f"   # {texts['name_note']}"),
              f"lang = {_string(lang)}",
              f"min_cell = 5   # {texts['min_cell']}",
              f"salt = {_string(secrets.token_urlsafe(24))}   # {texts['salt']}"]
    for source in sources:
        lines += [""] + _source_lines(source, out, lang)
    shown = ", ".join(_string(s) for s in compare)
    lines += ["", f"[baselines]   # {texts['baselines']}", f"compare = [{shown}]", ""]
    return "\n".join(lines)


def _source_lines(source: DraftSource, out: Path, lang: str) -> list[str]:
    texts = _texts(lang)
    book = codebook(source.kind)
    if source.certain:
        note = texts["kind_sure"].format(count=len(source.mapping))
    else:
        scores = ", ".join(f"{k} {n}" for k, n in source.scores.items() if n) or "0"
        note = texts["kind_unsure"].format(scores=scores, kinds=", ".join(KINDS))
    prefix = f"sources.{source.name}"
    lines = [f"[{prefix}]", f"kind = {_string(source.kind)}   # {note}",
             f"path = {_string(_relative(source.file, out))}"]
    if source.sheet is not None:
        note = _comment(texts["sheet"].format(sheets=", ".join(source.sheets)))
        lines.append(f"sheet = {_string(source.sheet)}   # {note}")
    if source.kind in _SURVEY_KINDS:
        lines.append(texts["population"])
    if source.required:
        lines.append("# " + texts["required"].format(names=", ".join(source.required)))
    lines += ["", f"[{prefix}.mapping]   # {texts['mapping']}"]
    for column, target in source.mapping.items():
        var = _variable(book, target)
        label = var.label.get(lang, var.name)
        if column in source.free_text:  # mapped to nothing until the user decides
            _, distinct, answered, length = source.free_text[column]
            note = texts["free_text"].format(distinct=distinct, answered=answered,
                                             length=length, name=target)
            lines.append(f"{_string(column)} = \"\"   # {_comment(label)} - {_comment(note)}")
            continue
        if var.pii:
            label = f"{label} ({texts['personal']})"
        elif "__" not in target and _open(var):
            label = f"{label} ({texts['open']})"
        lines.append(f"{_string(column)} = {_string(target)}   # {_comment(label)}")
    lines += _left_lines(source, book, lang)
    for target, (column, values) in source.recode.items():
        lines += [""] + _recode_lines(prefix, target, column, values, book, lang,
                                      source.once.get(target, ()))
    return lines


def _relative(file: Path, out: Path) -> str:
    """The export's path from the pilot file's folder (absolute across drives)."""
    try:
        return Path(os.path.relpath(file.resolve(), out.resolve().parent)).as_posix()
    except ValueError:
        return file.resolve().as_posix()


def _free(source: DraftSource, book: Codebook) -> list[Variable]:
    """Variables of the kind with no column yet (personal data aside)."""
    found = {t.split("__")[0] for t in source.mapping.values()}
    return [v for n, v in book.variables.items() if n not in found and not v.pii]


def _left_lines(source: DraftSource, book: Codebook, lang: str) -> list[str]:
    """The variables still free, then one commented line per unrecognised column."""
    if not source.left:
        return []
    texts = _texts(lang)
    free = _free(source, book)
    lines = ["", "# " + texts["free"]]
    for var in free:
        extra = f" ({texts['multiple'].format(name=var.name)})" if var.type == "multiselect" else ""
        lines.append(f"#   {var.name} : {_comment(var.label.get(lang, var.name))}{extra}")
    lines += ["# " + texts["left"]]
    spellings = {v.name: _words(" ".join((v.name.replace("_", " "), *v.label.values(),
                                          *v.aliases))) for v in free}
    for column in source.left:
        words = _words(column)
        ranked = sorted(free, key=lambda v: -len(words & spellings[v.name]))
        names = ", ".join(v.name for v in ranked[:_HINTS]) or "-"
        lines.append(f"# {_string(column)} = \"\"   # {texts['hint'].format(names=names)}")
    return lines


def _words(text: str) -> set[str]:
    return {w for w in re.split(r"[^0-9a-z]+", fold_value(text)) if len(w) > 2}


def _recode_lines(prefix: str, target: str, column: str, values: list, book: Codebook,
                  lang: str, once: Collection[str] = ()) -> list[str]:
    """A commented recode table: the values found that look like codes (``once``: those
    found in a single row, where a lone word is taken for a name), the codes allowed."""
    texts = _texts(lang)
    var = _variable(book, target)
    if var.type == "boolean":
        codes = texts["yes_no"]
    else:
        codes = ", ".join(f"{c} ({labels.get(lang, c)})" for c, labels in
                          {**var.codes, **var.missing}.items())
    lines = ["# " + _comment(texts["recode"].format(column=column, name=target)),
             "# " + _comment(texts["codes"].format(codes=codes)),
             f"# [{prefix}.recode.{_key(target)}]"]
    quoted = [value for value in values
              if code_like(value) and not (value in once and name_like(value))]
    lines += [f"# {_string(value)} = \"\"" for value in quoted[:_MAX_VALUES]]
    if len(quoted) > _MAX_VALUES:
        lines.append("# " + texts["more"].format(count=len(quoted) - _MAX_VALUES))
    if len(quoted) < len(values):  # answers typed by respondents: counted, never copied
        count = len(values) - len(quoted)
        lines.append("# " + counted(texts["unquoted"], lang, {"count": count}).format(count=count))
    return lines
