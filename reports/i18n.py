"""The message catalogue: every heading, label, verdict and figure text, in French and English.

Messages live in ``reports/locales/<lang>.yaml`` as nested mappings and are addressed by
dotted keys (``sections.profiles``, ``columns.estimate``). French is the default
language. A text that is not a key of the catalogue is returned unchanged, so a table
note may be either a key or a sentence; a column or code without a label keeps its
machine name.

Placeholders use ``str.format`` syntax (``{min_cell}``) and are filled with values the
caller has already formatted for the reader.
"""

from __future__ import annotations

import functools
import re
import string
from importlib import resources
from pathlib import Path
from typing import Any, Literal


from surveys._yaml import safe_load
from surveys.errors import SurveyError
from surveys.notes import Note, counted

__all__ = ["LANGS", "Catalogue", "catalogue", "check_lang"]

Lang = Literal["fr", "en"]
#: Languages a report can be written in; the first is the default.
LANGS = ("fr", "en")
_LOCALES = Path(__file__).resolve().parent / "locales"


def check_lang(lang: str) -> None:
    """Raise :class:`SurveyError` unless ``lang`` is a supported language.

    Examples
    --------
    >>> check_lang("fr")
    >>> check_lang("de")
    Traceback (most recent call last):
    ...
    surveys.errors.SurveyError: lang='de' is not available; use one of 'fr', 'en'.
    """
    if lang not in LANGS:
        listed = ", ".join(repr(code) for code in LANGS)
        raise SurveyError(f"lang={lang!r} is not available; use one of {listed}.")


def _flatten(tree: dict, prefix: str = "") -> dict[str, Any]:
    """``{"a": {"b": "x"}}`` -> ``{"a.b": "x"}`` (lists and strings are leaves)."""
    flat: dict[str, Any] = {}
    for key, value in tree.items():
        dotted = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(_flatten(value, dotted + "."))
        else:
            flat[dotted] = value
    return flat


class _Lenient(string.Formatter):
    """A formatter that leaves unknown placeholders visible instead of failing."""

    def get_value(self, key, args, kwargs):
        if isinstance(key, str) and key not in kwargs:
            return "{" + key + "}"
        return super().get_value(key, args, kwargs)


_FORMATTER = _Lenient()


class Catalogue:
    """The messages of one language.

    Parameters
    ----------
    lang : {"fr", "en"}
    messages : dict
        Dotted key -> message (a string, or a list of strings for paragraphs).

    Examples
    --------
    >>> fr = catalogue("fr")
    >>> fr.text("sections.profiles")
    'Profil des participants'
    >>> fr.text("Une phrase libre")
    'Une phrase libre'
    >>> catalogue("en").column("estimate")
    'Estimate'
    >>> catalogue("en").value("zone", "rural"), catalogue("en").value("zone", "moon")
    ('Rural', 'moon')
    """

    def __init__(self, lang: Lang, messages: dict[str, Any], kind: str | None = None):
        self.lang = lang
        self.messages = messages
        self.kind = kind

    def typeset(self, text: str) -> str:
        """A text given to the report (a reference's note) with this language's
        typography: French no-break spaces before ``: ; ! ? »`` and after ``«``."""
        return _typeset(text) if self.lang == "fr" else text

    def for_kind(self, kind: str | None) -> Catalogue:
        """This catalogue, its codebook labels read first from the ``kind``'s codebook:
        ``sat_overall`` is the overall satisfaction with telework for agents, with the
        place for third-place users, with the support for companies.

        Examples
        --------
        >>> fr = catalogue("fr")
        >>> fr.for_kind("thirdplace").value("item", "sat_overall")
        "Satisfaction globale à l'égard du lieu"
        >>> fr.for_kind("agent").value("item", "sat_overall")
        "Satisfaction globale à l'égard du télétravail"
        """
        return self if kind == self.kind else Catalogue(self.lang, self.messages, kind)

    def has(self, key: str) -> bool:
        """True when ``key`` is a message of this catalogue."""
        return isinstance(key, str) and key in self.messages

    def text(self, key: str, **values) -> str:
        """The message ``key`` with its placeholders filled; ``key`` itself if unknown.

        A reader's note (:class:`surveys.notes.Note`) is written in this language.
        """
        if isinstance(key, Note):  # typeset as the catalogue's own French messages
            text = key.in_language(self.lang)
            return _typeset(text) if self.lang == "fr" else text
        message = self.messages.get(key, key) if isinstance(key, str) else str(key)
        if isinstance(message, list):
            message = "\n\n".join(message)
        if not values:
            return message
        return _FORMATTER.format(counted(message, self.lang, values), **values)

    def paragraphs(self, key: str, **values) -> list[str]:
        """The message ``key`` as a list of paragraphs (one-element list for a string)."""
        message = self.messages.get(key, key)
        parts = message if isinstance(message, list) else [message]
        return [_FORMATTER.format(part, **values) for part in parts]

    def column(self, name: str) -> str:
        """The heading of column ``name`` (its machine name when it has no label)."""
        return self.messages.get(f"columns.{name}", str(name))

    def value(self, column: str, code) -> str:
        """The label of ``code`` in ``column``.

        Looked up as ``values.<column>.<code>``, then ``values.any.<code>``, then in the
        shipped codebooks (a code of variable ``column``, or a variable's own label when
        ``column`` names variables: ``item``, ``variable``); else the code as text.
        """
        code = str(code)
        for key in (f"values.{column}.{code}", f"values.any.{code}"):
            if key in self.messages:
                return self.messages[key]
        folded = _OPEN_OTHER.fullmatch(code)
        if folded:  # an open list's rare labels, folded (analysis._open_labels.OTHER)
            return self.text("report.open_other", min_cell=int(folded[1]))
        labels = _codebook_labels(self.lang, self.kind)
        if column in _VARIABLE_COLUMNS and code in labels:
            return labels[code]
        return labels.get(f"{column}.{code}", code)

    def keys(self) -> set[str]:
        """Every dotted key of the catalogue."""
        return set(self.messages)


#: The code of an open list's folded rare labels (``analysis._open_labels.OTHER``).
_OPEN_OTHER = re.compile(r"Other \(fewer than (\d+) answers each\)")

#: Columns whose values are variable names (labelled by the codebooks).
_VARIABLE_COLUMNS = frozenset({"item", "variable", "column", "items"})


def _label(spec, lang: str) -> str | None:
    """The ``lang`` label of a codebook entry, if it has one."""
    label = spec.get("label", spec) if isinstance(spec, dict) else None
    return label.get(lang) if isinstance(label, dict) else None


@functools.lru_cache(maxsize=None)
def _codebook_labels(lang: str, kind: str | None = None) -> dict[str, str]:
    """Labels from the shipped codebooks: ``variable`` -> label, ``variable.code`` -> label.

    The ``kind``'s codebook first, then the others in file-name order: the first that
    labels a name wins.
    """
    labels: dict[str, str] = {}
    folder = resources.files("surveys") / "codebooks"
    if not folder.is_dir():
        return labels
    first = f"{kind}.yaml"
    for entry in sorted(folder.iterdir(), key=lambda e: (e.name != first, e.name)):
        if not entry.name.endswith(".yaml"):
            continue
        tree = safe_load(entry.read_text(encoding="utf-8")) or {}
        variables = tree.get("variables")
        for name, spec in (variables if isinstance(variables, dict) else {}).items():
            text = _label(spec, lang)
            if text:
                labels.setdefault(str(name), text)
            codes = spec.get("codes") if isinstance(spec, dict) else None
            for code, code_spec in (codes if isinstance(codes, dict) else {}).items():
                text = _label(code_spec, lang)
                if text:
                    labels.setdefault(f"{name}.{code}", text)
    return labels


@functools.lru_cache(maxsize=None)
def catalogue(lang: Lang = "fr") -> Catalogue:
    """Load (once) the catalogue of ``lang`` from ``reports/locales/<lang>.yaml``.

    Examples
    --------
    >>> catalogue("en").text("report.suppressed_note", min_cell=5)[:20]
    'Hidden because fewer'
    """
    check_lang(lang)
    path = _LOCALES / f"{lang}.yaml"
    with path.open(encoding="utf-8") as handle:
        tree = safe_load(handle)
    if not isinstance(tree, dict):
        raise SurveyError(f"{path}: the message catalogue must be a mapping of keys.")
    messages = _flatten(tree)
    if lang == "fr":  # the report's text; the command's terminal lines stay plain
        messages = {key: value if key.startswith("cli.") else _typeset(value)
                    for key, value in messages.items()}
    return Catalogue(lang, messages)


#: A space before a French high punctuation mark or a closing guillemet, or after an
#: opening one: a no-break space, so that the mark never starts a line.
_FRENCH_SPACES = re.compile(r" (?=[:;!?»])|(?<=«) ")
#: A space between a number and its "%" (the narrow no-break space numbers are given).
_PERCENT_SPACE = re.compile(r"(?<=\d) (?=%)")


def _typeset(message):
    """French typography of a message (a string or a list of paragraphs): no-break
    spaces before ``:`` ``;`` ``!`` ``?`` ``»`` and after ``«``, and a narrow one
    between a number and ``%`` (as numbers are written).

    Examples
    --------
    >>> _typeset("Effectif : 5 ; « oui »") == "Effectif\u00a0: 5\u00a0; «\u00a0oui\u00a0»"
    True
    >>> _typeset("IC 95 %") == "IC 95\u202f%"
    True
    """
    if isinstance(message, list):
        return [_typeset(part) for part in message]
    if not isinstance(message, str):
        return message
    return _PERCENT_SPACE.sub("\u202f", _FRENCH_SPACES.sub("\u00a0", message))
