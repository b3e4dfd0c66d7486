"""The sentences a baseline comparison carries, in English and in French.

``analysis.compare_baseline`` writes what it compared (``compared``/``compared_fr``) and
how (``note``/``note_fr``: the subset, the weighting or strata, renormalised shares, the
catalogue's own note) from one list of sentences, so that the French report shows no
English and both languages say the same thing.
"""

from __future__ import annotations

from analysis.baselines import parse_condition

__all__ = ["Number", "sentence", "catalogue_note", "compared_texts", "condition_words",
           "join_notes"]

_WHO = {"agent": ("agents", "agents"), "company": ("companies", "entreprises"),
        "thirdplace": ("third-place users", "usagers de tiers-lieux"),
        "places": ("places", "lieux"), "attendance": ("check-ins", "passages")}
_SENIORITY = ("seniority of current users (a cross-section of how long they have been "
              "coming), not completed stays",
              "ancienneté des usagers actuels (une photographie de la durée depuis laquelle "
              "ils viennent), non des durées de fréquentation achevées")
#: Words of a condition's operator, in English and French.
_OPERATORS = {"equals": ("equal to", "égal à"), "greater_than": ("greater than", "supérieur à"),
              "less_than": ("less than", "inférieur à"), "in": ("in", "parmi"), "is": ("", ""),
              "band": ("in band", "dans la tranche")}
#: Analysis sentences of the ``note`` (English) and ``note_fr`` (French) columns.
_NOTES = {
    "subset": ("compared among respondents with {variable} {condition}",
               "comparé parmi les répondants dont {variable} est {condition}"),
    "subset_absent": ("'{variable}' is not in the data: every respondent is compared (the "
                      "figure describes {population})",
                      "« {variable} » n'est pas dans les données : tous les répondants sont "
                      "comparés (population de référence : {population})"),
    "no_answer": ("no answer to compare", "aucune réponse à comparer"),
    "too_few": ("fewer than 2 answers", "moins de 2 réponses"),
    # the test's n is not written: with the rounded estimate and its class sizes it gave a
    # hidden share's split by weighting class back (privacy review 11)
    "weighted": ("weighted; tested on Kish's effective n",
                 "pondéré ; test sur la taille effective de Kish"),
    "finite_population": ("tested on the effective n of the answers, raised by the finite "
                          "population correction as the pilot's interval is",
                          "test sur la taille effective des réponses, augmentée par la "
                          "correction pour population finie comme l'est l'intervalle du "
                          "pilote"),
    "calibrated": ("tested on the effective n of the answers, adjusted for the raking as the "
                   "pilot's interval is",
                   "test sur la taille effective des réponses, corrigée du calage comme l'est "
                   "l'intervalle du pilote"),
    "exact_share": ("the pilot's figure has no margin of error (a calibration margin, or a census): "
                    "the test rests on the reference's sample alone",
                    "la valeur du pilote est sans marge d'erreur (marge de calage, ou "
                    "recensement) : le test ne repose que sur l'échantillon de la référence"),
    "exact_untested": ("the pilot's figure has no margin of error (a calibration margin, or a "
                       "census) and the reference gives no sample size: nothing to test",
                       "la valeur du pilote est sans marge d'erreur (marge de calage, "
                       "ou recensement) et la référence ne donne pas son effectif : rien à "
                       "tester"),
    "descriptive": ("the reference measures another thing than the pilot's figure (see its "
                    "note): compared, not tested",
                    "la référence mesure autre chose que la valeur du pilote (voir sa note) : "
                    "comparée, non testée"),
    "stratified": ("stratified by '{strata}': the pilot's standard error and interval account "
                   "for the strata; the test rests on the {n}",
                   "stratifié par « {strata} » : l'erreur type et l'intervalle du pilote "
                   "tiennent compte des strates ; le test repose sur {n}"),
    "renormalised": ("published shares sum to {total}; renormalised to 1 for the test",
                     "les parts publiées totalisent {total} ; ramenées à 1 pour le test"),
    "outside": ("{count} answers outside the published categories left out of the base",
                "{count} réponses hors des catégories publiées laissées hors de la base"),
}


class Number(float):
    """A number written with one decimal: ``12.3`` in English, ``12,3`` in French."""


def sentence(key: str, **values) -> tuple[str, str]:
    """An analysis sentence of :data:`_NOTES` as (English, French); a value given as an
    (English, French) pair is used in its language, a :class:`Number` with one decimal.

    Examples
    --------
    >>> en, fr = sentence("renormalised", total=Number(1.014))
    >>> en
    'published shares sum to 1.0; renormalised to 1 for the test'
    >>> fr
    'les parts publiées totalisent 1,0 ; ramenées à 1 pour le test'
    """
    return tuple(_NOTES[key][lang].format(**{name: _in_language(value, lang)
                                             for name, value in values.items()})
                 for lang in (0, 1))


def _in_language(value, lang: int):
    """``value`` in English (0) or French (1)."""
    if isinstance(value, tuple):
        return value[lang]
    if isinstance(value, Number):
        text = f"{value:.1f}"
        return text.replace(".", ",") if lang else text
    return value


def catalogue_note(row) -> tuple[str | None, str | None]:
    """The catalogue's own note of an indicator, (English, French)."""
    en = row["note"] if isinstance(row["note"], str) else None
    fr = row.get("note_fr")
    return en, fr if isinstance(fr, str) else en


def compared_texts(row) -> dict[str, str]:
    """What is compared, in words: ``compared`` (English) and ``compared_fr`` (French)."""
    who = _WHO.get(row["kind"], ("respondents", "répondants"))
    phrase = None if row["condition"] is None else condition_words(row["condition"], both=True)
    french = row.get("population_fr")
    population = (row["population"], french if isinstance(french, str) else row["population"])
    if phrase is None:
        what = (f"mean {row['variable']} of {who[0]}", f"moyenne de {row['variable']} des {who[1]}")
    else:
        what = (f"share of {who[0]} with {row['variable']} {phrase[0]}",
                f"part des {who[1]} dont {row['variable']} est {phrase[1]}")
    en = f"{what[0]} ({row['label_en']}) vs {population[0]}"
    fr = f"{what[1]} ({row['label_fr']}) comparée à : {population[1]}"
    if row["distribution"] is not None:
        en += f"; part of the distribution '{row['distribution']}'"
        fr += f" ; fait partie de la distribution « {row['distribution']} »"
    if row["variable"] == "attendance_band":
        en, fr = f"{en}; {_SENIORITY[0]}", f"{fr} ; {_SENIORITY[1]}"
    return {"compared": en, "compared_fr": fr}


def condition_words(condition, both: bool = False):
    """A condition in words; with ``both``, the (English, French) pair.

    Examples
    --------
    >>> condition_words({"greater_than": 60}), condition_words({"greater_than": 60}, both=True)
    ('greater than 60', ('greater than 60', 'supérieur à 60'))
    """
    operator, value = parse_condition(condition)
    terms = _OPERATORS[operator]
    if isinstance(value, bool):
        values = (str(value).lower(), "vrai" if value else "faux")
    else:
        value = ", ".join(map(str, value)) if isinstance(value, list) else str(value)
        values = (value, value)
    pair = tuple(f"{w} {v}".strip() for w, v in zip(terms, values))
    return pair if both else pair[0]


def join_notes(parts) -> dict[str, str | None]:
    """``note`` (English) and ``note_fr`` (French) from (English, French) sentences.

    Examples
    --------
    >>> join_notes([("a.", "b."), ("c", "d"), (None, None)])
    {'note': 'a; c', 'note_fr': 'b ; d'}
    """
    texts = {}
    for column, lang, separator in (("note", 0, "; "), ("note_fr", 1, " ; ")):
        text = separator.join(p[lang].rstrip(".") for p in parts if p[lang])
        texts[column] = text or None
    return texts
