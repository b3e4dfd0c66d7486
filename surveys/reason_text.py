"""Why a row was set aside or a cell blanked, in the reader's language.

``Survey.excluded`` and ``Survey.problems`` keep their reasons in English: they are
part of the public contract, and code filters on them. A French report, workbook or
``bilan validate`` line shows them in French. This module is the one place that
knows every reason the package writes:

- fixed reasons (``"duplicate respondent"``, ``"unsubmitted response (empty
  submitdate)"``), with the wording a reader sees in each language;
- reasons built with values (``"malformed row: 2 fields where the header has 5"``,
  ``"'abc' is not a number"``, ``"7 is outside 0–5"``), matched by patterns compiled
  once. The values keep their text (a quoted answer, a variable name, a list of
  codes); numbers are written the French way (``7 232``, ``2,5``), and a reason
  nested in another (a stray quote inside a malformed row's) is translated too.

A text no rule knows (a reason of a user's own, or of a later version) is returned
as it is. French texts use plain spaces before ``:`` and ``;``, as the command's
terminal lines do; a report typesets them (no-break spaces) as its other texts.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from surveys.notes import counted

__all__ = ["reason_in_language", "reasons_in_language"]

#: Fixed reasons: the English text kept in the data -> what a reader sees, per language.
FIXED: dict[str, dict[str, str]] = {
    # rows set aside (Survey.excluded)
    "duplicate respondent": {"fr": "réponse en double (même répondant)",
                             "en": "duplicate respondent"},
    "duplicate place": {"fr": "lieu en double", "en": "duplicate place"},
    "total row": {"fr": "ligne de total ou de synthèse, pas un répondant",
                  "en": "total or summary row, not a respondent"},
    "empty row": {"fr": "ligne vide", "en": "empty row"},
    "a footer line below the rows (a total or the export's date), not a respondent": {
        "fr": "ligne de pied de fichier sous les données (un total ou la date d'export), "
              "pas un répondant"},
    "no usable answer": {"fr": "aucune réponse exploitable", "en": "no usable answer"},
    "unsubmitted response (empty submitdate)": {
        "fr": "questionnaire commencé mais non envoyé",
        "en": "questionnaire started but not submitted"},
    "unfinished response (Finished = 0)": {
        "fr": "questionnaire commencé mais non terminé",
        "en": "questionnaire started but not finished"},
    "survey preview": {"fr": "aperçu du questionnaire", "en": "survey preview"},
    "survey preview (Status = Survey Preview)": {
        "fr": "aperçu du questionnaire (réponse de test)",
        "en": "survey preview (a test answer)"},
    "unescaped quote inside a quoted field": {
        "fr": "guillemet non doublé à l'intérieur d'un champ entre guillemets"},
    "perhaps the end of a row cut by a line break inside a cell: not padded": {
        "fr": "peut-être la fin d'une ligne coupée par un retour à la ligne dans une "
              "cellule : non complétée"},
    "perhaps a piece of a row cut by a line break inside a cell, but the pieces cannot be "
    "joined unambiguously": {
        "fr": "peut-être un morceau d'une ligne coupée par un retour à la ligne dans une "
              "cellule, mais les morceaux ne peuvent pas être recollés sans ambiguïté"},
    # whole rows, in Survey.problems (action excluded_row)
    "the row is empty": {"fr": "la ligne est vide"},
    "a total or summary row, not a respondent": {
        "fr": "ligne de total ou de synthèse, pas un répondant"},
    "no answer could be used": {"fr": "aucune réponse n'a pu être utilisée"},
    # cells, in Survey.problems (action set_missing)
    "malformed CSV quoting (an unescaped \" inside a quoted field); the cell cannot be "
    "read reliably": {
        "fr": "guillemets CSV mal formés (un \" non doublé à l'intérieur d'un champ entre "
              "guillemets) ; la cellule ne peut pas être lue de façon fiable"},
    # analysis: a comparison between groups that could not be tested (its ``test``)
    "none: fewer than two categories or groups": {
        "fr": "aucun test : moins de deux modalités ou groupes"},
    "none: the table is too sparse for a design-based test": {
        "fr": "aucun test : tableau trop creux pour un test selon le plan de sondage"},
    "none: fewer than two groups": {"fr": "aucun test : moins de deux groupes"},
    "none: no variation within groups": {"fr": "aucun test : aucune variation dans les groupes"},
    "none: fewer than two groups or no variation": {
        "fr": "aucun test : moins de deux groupes ou aucune variation"},
}

#: The required values of the shipped codebooks, as a French reader names them.
_MISSING_FR: dict[str, str] = {
    "respondent_id": "identifiant du répondant manquant",
    "user_id": "identifiant de l'usager manquant",
    "place_id": "identifiant du lieu manquant",
    "timestamp": "horodatage manquant",
    "company_id": "identifiant de l'entreprise manquant",
}

#: Narrow no-break space: the French thousands separator, as ``reports.formatting``.
_NNBSP = "\u202f"
_NUMBER = re.compile(r"-?\d+(?:\.\d+)?")


@dataclass(frozen=True)
class _Rule:
    """One reason built with values: its English pattern and its French template.

    ``numbers`` are groups written as French numbers, ``nested`` groups that hold
    another reason (translated in turn); a nested group named ``aside`` is optional
    and written in brackets after the rest (nothing when absent); a ``count`` group
    sets the singular or plural of the template's ``(s)``. ``write`` replaces the
    template where a value decides the wording.
    """

    pattern: re.Pattern
    french: str
    numbers: tuple[str, ...] = ()
    nested: tuple[str, ...] = ()
    write: Callable[[dict], str] | None = None


def _rule(pattern: str, french: str, **options) -> _Rule:
    return _Rule(re.compile(pattern, re.DOTALL), french, **options)


def _missing(values: dict) -> str:
    name = values["name"]
    return _MISSING_FR.get(name, f"valeur manquante pour {name}")


#: Reasons built with values, tried in order (each pattern matches a whole reason).
_RULES: tuple[_Rule, ...] = (
    # surveys/_text.py: a row with more or fewer fields than the header, and why
    _rule(r"malformed row: (?P<count>\d+) fields? where the header has (?P<width>\d+)"
          r"(?: \((?P<aside>.+)\))?",
          "ligne mal formée : {count} champ(s) au lieu des {width} de l'en-tête{aside}",
          numbers=("count", "width"), nested=("aside",)),
    _rule(r"piece of row (?P<row>\d+) \(cut by a line break inside a cell\), joined to it",
          "morceau de la ligne de données {row} (coupée par un retour à la ligne dans une "
          "cellule), recollé à celle-ci", numbers=("row",)),
    # surveys/_csv_records.py: a quote opening a cell that never closes (or too late)
    _rule(r"a quote opening a cell is never closed \(it would swallow the (?P<count>\d+) "
          r"lines? below\)",
          "un guillemet ouvrant une cellule n'est jamais fermé (il engloberait les "
          "{count} ligne(s) suivante(s))", numbers=("count",)),
    _rule(r"a quote opening a cell is closed only (?P<count>\d+) line\(s\) below \(it would "
          r"merge the rows in between\)",
          "un guillemet ouvrant une cellule n'est fermé que {count} ligne(s) plus bas (il "
          "fusionnerait les lignes intermédiaires)", numbers=("count",)),
    _rule(r"(?P<why>.+); read as an ordinary character, the cell cannot be read reliably",
          "{why} ; lu comme un caractère ordinaire, la cellule ne peut pas être lue de "
          "façon fiable", nested=("why",)),
    # surveys/_validate.py: rows set aside, and why (the problem's detail)
    _rule(r"missing (?P<name>\w+)", "", write=_missing),
    _rule(r"no usable (?P<name>\w+); the row cannot be used",
          "aucune valeur utilisable pour {name} ; la ligne ne peut pas servir"),
    _rule(r"same (?P<key>.+) as row (?P<row>\d+)", "même {key} que la ligne de données {row}",
          numbers=("row",)),
    # surveys/_validate.py: a cell's value that cannot be read (the value as given)
    _rule(r"(?P<value>.+) is not one of the answers of (?P<variable>\S+) \((?P<codes>.*)\)",
          "{value} ne fait pas partie des réponses prévues pour {variable} ({codes})"),
    _rule(r"(?P<value>.+) is not one of the options of (?P<variable>\S+) \((?P<codes>.*)\)",
          "{value} ne fait pas partie des options de {variable} ({codes})"),
    _rule(r"(?P<value>.+) is not a whole number", "{value} n'est pas un nombre entier",
          numbers=("value",)),
    _rule(r"(?P<value>.+) is not a number", "{value} n'est pas un nombre"),
    _rule(r"(?P<value>\S+) is outside (?P<low>-?[^\s–]+)\u2013(?P<high>\S+)",
          "{value} n'est pas entre {low} et {high}", numbers=("value", "low", "high")),
    _rule(r"(?P<value>.+) is not a date", "{value} n'est pas une date"),
    _rule(r"(?P<value>.+) is not a yes/no answer", "{value} n'est pas une réponse oui/non"),
    _rule(r"(?P<value>.+) is neither a yes/no answer nor the option's label",
          "{value} n'est ni une réponse oui/non ni le libellé de l'option"),
    _rule(r"holds personal data \(an e-mail address, a phone number or an IP address\), "
          r"not kept as an answer of (?P<variable>\S+)",
          "contient une donnée personnelle (adresse électronique, numéro de téléphone ou "
          "adresse IP), non gardée comme réponse à {variable}"),
)


def reason_in_language(reason: str, lang: str) -> str:
    """A reason of ``Survey.excluded`` or ``Survey.problems`` as a reader of ``lang`` reads it.

    Parameters
    ----------
    reason : str
        The English reason, as the data keeps it.
    lang : {"fr", "en"}
        The reader's language; another language gets the English.

    Returns
    -------
    str
        The reason in ``lang``: a fixed reason's wording, or a reason built with values
        written from its pattern; ``reason`` itself when no rule knows it (and in
        English, except for the fixed reasons' friendlier wording).

    Examples
    --------
    >>> reason_in_language("malformed row: 2 fields where the header has 5", "fr")
    "ligne mal formée : 2 champs au lieu des 5 de l'en-tête"
    >>> reason_in_language("'abc' is not a number", "fr")
    "'abc' n'est pas un nombre"
    >>> reason_in_language("2.5 is outside 0–10", "fr")
    "2,5 n'est pas entre 0 et 10"
    >>> reason_in_language("unsubmitted response (empty submitdate)", "en")
    'questionnaire started but not submitted'
    >>> reason_in_language("a reason of my own", "fr")
    'a reason of my own'
    """
    fixed = FIXED.get(reason)
    if fixed is not None:
        return fixed.get(lang, reason)
    if lang != "fr":
        return reason
    for rule in _RULES:
        found = rule.pattern.fullmatch(reason)
        if found:
            return _french(rule, found)
    return reason


def reasons_in_language(reasons: pd.Series, lang: str) -> pd.Series:
    """:func:`reason_in_language` over a column of reasons, once per distinct reason.

    Parameters
    ----------
    reasons : Series
        English reasons (``Survey.excluded["reason"]``); missing values stay missing.
    lang : {"fr", "en"}

    Returns
    -------
    Series
        The reasons in ``lang``, on the same index, with the same name (object dtype).

    Examples
    --------
    >>> s = pd.Series(["empty row", "empty row", "'x' is not a date", None])
    >>> reasons_in_language(s, "fr").tolist()
    ['ligne vide', 'ligne vide', "'x' n'est pas une date", None]
    """
    codes, uniques = pd.factorize(reasons, use_na_sentinel=True)
    shown = np.array([reason_in_language(u, lang) if isinstance(u, str) else u
                      for u in uniques] + [None], dtype=object)
    return pd.Series(shown[codes], index=reasons.index, name=reasons.name, dtype=object)


def _french(rule: _Rule, found: re.Match) -> str:
    """A matched reason written from its rule's French template."""
    values = {name: text or "" for name, text in found.groupdict().items()}
    if rule.write is not None:
        return rule.write(values)
    template = counted(rule.french, "fr", values) if "count" in values else rule.french
    for name in rule.numbers:
        values[name] = _french_number(values[name])
    for name in rule.nested:
        values[name] = reason_in_language(values[name], "fr")
    if values.get("aside"):
        values["aside"] = f" ({values['aside']})"
    return template.format(**values)


def _french_number(text: str) -> str:
    """A number as French writes it (``7 232``, ``2,5``); any other text unchanged.

    Examples
    --------
    >>> _french_number("7232") == "7\u202f232", _french_number("2.5"), _french_number("x")
    (True, '2,5', 'x')
    """
    if not _NUMBER.fullmatch(text):
        return text
    whole, _, decimals = text.partition(".")
    sign = "-" if whole.startswith("-") else ""
    digits = whole.lstrip("-")
    grouped = f"{int(digits):,}".replace(",", _NNBSP) if len(digits) > 3 else digits
    return sign + grouped + ("," + decimals if decimals else "")
