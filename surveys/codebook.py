"""Codebooks: the canonical variables of each kind of source, read from YAML.

A codebook declares, for every variable, its canonical name, French and English
labels, type, codes in order (with their labels and aliases), non-substantive codes
("don't know", "not applicable"), valid range, the source headers it may appear
under and whether it is personal data. The five shipped codebooks live in
``surveys/codebooks/<kind>.yaml``; ``common.yaml`` holds what they share (the
5-point satisfaction scale, the non-substantive codes, the identifying variables).
"""

from __future__ import annotations

import difflib
import functools
import math
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import yaml

from surveys._values import fold_name
from surveys._yaml import safe_load
from surveys.errors import CodebookError, SurveyError
from surveys.notes import Note

__all__ = ["Codebook", "Variable", "KINDS", "TYPES", "codebook", "load_codebook"]

#: Kinds of source, each with its shipped codebook.
KINDS = ("agent", "company", "thirdplace", "attendance", "places")
#: Variable types a codebook may declare.
TYPES = (
    "categorical", "ordinal", "likert", "boolean", "integer", "number", "date", "month",
    "duration_band", "multiselect", "text", "id",
)
#: Types whose answers are matched against codes.
CODED_TYPES = ("categorical", "ordinal", "likert", "duration_band", "multiselect")
_FOLDER = Path(__file__).resolve().parent / "codebooks"
_VARIABLE_KEYS = {"type", "label", "codes", "aliases", "range", "pii", "bands", "scale",
                  "hash", "missing"}


@dataclass
class Variable:
    """One canonical variable of a codebook.

    Attributes
    ----------
    name, type : str
        Canonical name and one of :data:`TYPES`.
    label : dict
        ``{"fr": ..., "en": ...}``.
    codes : dict
        Substantive codes in order -> ``{"fr": label, "en": label}``.
    missing : dict
        Non-substantive codes (``dont_know``, ``not_applicable``, ``refused``) -> labels.
    range : tuple or None
        Valid ``(lo, hi)`` for numbers, inclusive.
    aliases : tuple of str
        Source headers this variable may appear under.
    pii : bool
        Personal data: dropped at read time, never in ``Survey.data``.
    bands : dict or None
        duration_band code -> ``(lower, upper]`` in months.
    hash : bool
        Identifier replaced by a keyed hash (``respondent_id``, ``user_id``, ``company_id``).
    code_aliases : dict
        Code (or missing code) -> other spellings accepted for it in the data.
    """

    name: str
    type: str
    label: dict
    codes: dict = field(default_factory=dict)
    missing: dict = field(default_factory=dict)
    range: tuple | None = None
    aliases: tuple = ()
    pii: bool = False
    bands: dict | None = None
    hash: bool = False
    code_aliases: dict = field(default_factory=dict)

    @property
    def ordered(self) -> bool:
        """Whether the variable is an ordered categorical in ``Survey.data``."""
        return self.type in ("ordinal", "likert", "duration_band")


@dataclass
class Codebook:
    """The variables of one kind of source.

    Attributes
    ----------
    kind : str
        ``agent``, ``company``, ``thirdplace``, ``attendance`` or ``places``.
    variables : dict
        Canonical name -> :class:`Variable`, in codebook order.
    key : list of str
        Variables identifying a respondent (duplicates are excluded on them).
    required : list of str
        Variables a source must have.
    label : dict
        ``{"fr": ..., "en": ...}`` name of the kind.
    path : str
        File the codebook was read from.

    Examples
    --------
    >>> book = codebook("agent")
    >>> book.variables["gender"].codes["F"]["fr"]
    'Femme'
    >>> book.likert_items()[:2]
    ['sat_overall', 'sat_balance']
    """

    kind: str
    variables: dict
    key: list
    required: list
    label: dict
    path: str
    likert_scale: dict = field(default_factory=dict, repr=False)

    def likert_items(self) -> list[str]:
        """Names of the Likert items (``sat_*``) in codebook order."""
        return [n for n, v in self.variables.items() if v.type == "likert"]

    @functools.cached_property
    def alias_index(self) -> dict[str, str]:
        """Folded header (name, aliases, labels) -> canonical name; first declared wins."""
        index: dict[str, str] = {}
        for name, var in self.variables.items():
            for text in (name, *var.aliases, var.label.get("fr", ""), var.label.get("en", "")):
                index.setdefault(fold_name(text), name)
        index.pop("", None)
        return index

    def resolve(self, name: str) -> Variable | None:
        """The variable a canonical name stands for, including extra ``sat_*`` items."""
        if name in self.variables:
            return self.variables[name]
        if name.startswith("sat_") and len(name) > 4 and self.likert_scale:
            base = self.likert_scale
            return replace(base, name=name, label={"fr": name, "en": name}, aliases=())
        return None

    def suggest(self, name: str) -> str:
        """A ``" (did you mean 'x'?)"`` hint for a mistyped canonical name, or ``""``."""
        close = difflib.get_close_matches(name, list(self.variables), n=1)
        return f" (did you mean {close[0]!r}?)" if close else ""

    def hint(self, name: str) -> Note | str:
        """:meth:`suggest` as a bilingual ``" Did you mean 'x'?"`` note, or ``""``."""
        close = difflib.get_close_matches(name, list(self.variables), n=1)
        return Note("did_you_mean", name=repr(close[0])) if close else ""


def codebook(kind: str) -> Codebook:
    """The shipped codebook of a kind of source (cached).

    Parameters
    ----------
    kind : str
        One of :data:`KINDS`.

    Returns
    -------
    Codebook

    Raises
    ------
    SurveyError
        For an unknown kind; the message lists the kinds.

    Examples
    --------
    >>> codebook("thirdplace").variables["attendance_band"].bands["6-12m"]
    (6.0, 12.0)
    """
    if kind not in KINDS:
        close = difflib.get_close_matches(str(kind), KINDS, n=1)
        hint = Note("did_you_mean", name=repr(close[0])) if close else ""
        raise SurveyError(Note("unknown_kind", kind=repr(kind), kinds=", ".join(KINDS),
                               hint=hint))
    return _shipped(kind)


@functools.lru_cache(maxsize=None)
def _shipped(kind: str) -> Codebook:
    return load_codebook(_FOLDER / f"{kind}.yaml")


def load_codebook(path: str | Path, kind: str | None = None) -> Codebook:
    """Read a codebook from a YAML file (a shipped one or a user's own).

    Parameters
    ----------
    path : str or Path
        The YAML file.
    kind : str, optional
        Kind to use when the file has no ``kind`` key.

    Returns
    -------
    Codebook

    Raises
    ------
    CodebookError
        The file is missing or malformed; the message names the file and the key.
    """
    path = Path(path)
    doc = _load_yaml(path)
    common = _common()
    where = path.name
    kind = doc.get("kind", kind)
    if not isinstance(kind, str):
        raise CodebookError(Note("codebook_no_kind", file=where))
    raw_vars = doc.get("variables")
    if not isinstance(raw_vars, dict) or not raw_vars:
        raise CodebookError(Note("codebook_no_variables", file=where))
    missing = _missing_codes(common.get("missing", {}), "common.yaml")
    scale = common["scales"]["satisfaction"]
    variables = {name: _variable(name, spec, where, missing, common["scales"])
                 for name, spec in raw_vars.items()}
    if doc.get("personal_data", False):
        for name, spec in common.get("personal_data", {}).items():
            variables.setdefault(name, _variable(name, spec, "common.yaml", missing, {}))
    key = _name_list(doc.get("key", []), "key", where, variables)
    required = _name_list(doc.get("required", []), "required", where, variables)
    likert = _variable("sat_", {"type": "likert", "scale": "satisfaction",
                                "label": {"fr": "sat_", "en": "sat_"}},
                       "common.yaml", missing, {"satisfaction": scale})
    label = doc.get("label", {"fr": kind, "en": kind})
    return Codebook(kind, variables, key, required, label, str(path), likert)


@functools.lru_cache(maxsize=None)
def _common() -> dict:
    return _load_yaml(_FOLDER / "common.yaml")


def _load_yaml(path: Path) -> dict:
    if not path.is_file():
        raise CodebookError(Note("codebook_not_found", path=str(path)))
    try:
        doc = safe_load(path.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise CodebookError(Note("yaml_invalid", file=path.name, reason=str(exc))) from None
    if not isinstance(doc, dict):
        raise CodebookError(Note("codebook_not_mapping", file=path.name))
    return doc


def _at(where: str, path: str) -> Note:
    """A place in a codebook file, e.g. ``mine.yaml: variables.mood.type``."""
    return Note("codebook_at", file=where, path=path)


def _labels(value: Any, at: Note) -> dict:
    if isinstance(value, str):
        return {"fr": value, "en": value}
    if not isinstance(value, dict) or not {"fr", "en"} <= set(value):
        raise CodebookError(Note("codebook_labels", at=at))
    return {"fr": str(value["fr"]), "en": str(value["en"])}


def _missing_codes(spec: dict, where: str) -> dict:
    return {code: dict(_labels(item, _at(where, f"missing.{code}")),
                       aliases=tuple(item.get("aliases", ())))
            for code, item in spec.items()}


def _variable(name: str, spec: Any, where: str, missing: dict, scales: dict) -> Variable:
    at = f"variables.{name}"  # the variable's place in the file, after ``where``
    if not isinstance(spec, dict):
        raise CodebookError(Note("codebook_variable_not_mapping", at=_at(where, at)))
    unknown = set(spec) - _VARIABLE_KEYS
    if unknown:
        bad = sorted(unknown)[0]
        close = difflib.get_close_matches(bad, sorted(_VARIABLE_KEYS), n=1)
        hint = Note("paren_did_you_mean", name=repr(close[0])) if close else ""
        raise CodebookError(Note("codebook_unknown_key", at=_at(where, at), key=repr(bad),
                                 hint=hint))
    vtype = spec.get("type")
    if vtype not in TYPES:
        raise CodebookError(Note("codebook_bad_type", at=_at(where, f"{at}.type"),
                                 value=repr(vtype), types=", ".join(TYPES)))
    codes_spec = spec.get("codes", {})
    if vtype == "likert":
        scale_name = spec.get("scale", "satisfaction")
        if scale_name not in scales:
            raise CodebookError(Note("codebook_unknown_scale", at=_at(where, f"{at}.scale"),
                                     scale=repr(scale_name)))
        codes_spec = codes_spec or scales[scale_name]["codes"]
    if not isinstance(codes_spec, dict):
        raise CodebookError(Note("codebook_codes_mapping", at=_at(where, f"{at}.codes")))
    codes = {code: _labels(item, _at(where, f"{at}.codes.{code}"))
             for code, item in codes_spec.items()}
    code_aliases = {code: tuple(str(a) for a in (item.get("aliases", ()) or ()))
                    for code, item in codes_spec.items() if isinstance(item, dict)}
    if vtype in ("ordinal", "likert", "duration_band", "multiselect") and not codes:
        raise CodebookError(Note("codebook_needs_codes", at=_at(where, f"{at}.codes"),
                                 type=vtype))
    nonsub = {} if vtype in ("id", "text") else {
        code: {"fr": item["fr"], "en": item["en"]} for code, item in missing.items()}
    if vtype not in ("id", "text"):
        code_aliases.update({code: item["aliases"] for code, item in missing.items()})
    return Variable(
        name=name, type=vtype, label=_labels(spec.get("label"), _at(where, f"{at}.label")),
        codes=codes, missing=nonsub, range=_range(spec.get("range"), _at(where, f"{at}.range")),
        aliases=tuple(str(a) for a in spec.get("aliases", ()) or ()),
        pii=bool(spec.get("pii", False)), bands=_bands(spec, codes, vtype, where, at),
        hash=bool(spec.get("hash", False)), code_aliases=code_aliases,
    )


def _range(value: Any, at: Note) -> tuple | None:
    if value is None:
        return None
    if (not isinstance(value, list) or len(value) != 2
            or not all(isinstance(v, (int, float)) for v in value) or value[0] > value[1]):
        raise CodebookError(Note("codebook_range", at=at, value=repr(value)))
    return (value[0], value[1])


def _bands(spec: dict, codes: dict, vtype: str, where: str, at: str) -> dict | None:
    if vtype != "duration_band":
        return None
    bands = spec.get("bands")
    if not isinstance(bands, dict) or list(bands) != list(codes):
        raise CodebookError(Note("codebook_bands", at=_at(where, f"{at}.bands")))
    out = {}
    for code, pair in bands.items():
        try:
            lo, hi = (float(x) for x in pair)
        except (TypeError, ValueError):
            lo = hi = math.nan  # not two numbers: refused below
        if not (0 <= lo < hi) or (math.isinf(lo)):
            raise CodebookError(Note("codebook_band_bounds", at=_at(where, f"{at}.bands.{code}"),
                                     pair=repr(pair)))
        out[code] = (lo, hi)
    return out


def _name_list(value: Any, key: str, where: str, variables: dict) -> list:
    names = [value] if isinstance(value, str) else list(value or [])
    for name in names:
        if name not in variables:
            raise CodebookError(Note("codebook_not_variable", file=where, key=key,
                                     name=repr(name)))
    return names
