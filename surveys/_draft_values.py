"""Which answers ``bilan init`` may quote in a draft pilot file, and which it only counts.

A draft pilot file lists the off-list answers of each coded column as commented recode
lines (``# "cadre" = ""``), for the operator to map. The file is shared and kept beside
the report, so it must hold codes, never what a respondent typed: a sentence, a name,
an e-mail. :func:`code_like` keeps short code-shaped values; :func:`name_like` tells,
among the values found in a single row, a name (« jeanne », « jeanne girard »,
« jeanne_girard ») from a code (« cadre », « agent_b », « A1 »), from the words of the
shipped codebooks.
"""

from __future__ import annotations

import functools
import re

import pandas as pd

from surveys._values import FALSE_WORDS, TRUE_WORDS, fold_value
from surveys.codebook import KINDS, codebook
from surveys.pseudonym import redact

__all__ = ["code_like", "name_like"]


#: Characters of a sentence, not of a code ("Oui, de Paul Girard", "Autre : chez ...").
_SENTENCE = re.compile(r"[,;:()\[\]@/!?.\u2013\u2014\"«»]")


def code_like(text: str) -> bool:
    """Whether an off-list answer looks like a code worth quoting in the draft (``A1``,
    ``Oui``, ``Plutôt satisfait``): short, four words at most, no punctuation of a
    sentence, no capitalised or upper-case word after the first (a name: ``Jean
    Girard``, ``Jean GIRARD``, ``chez GIRARD``), nothing
    :func:`~surveys.pseudonym.redact` removes. Anything else is an answer typed by a
    respondent: the pilot file, shared and kept beside the report, must not hold it.

    Examples
    --------
    >>> [code_like(v) for v in ("A1", "Plutôt satisfait", "Pas du tout satisfait")]
    [True, True, True]
    >>> [code_like(v) for v in ("Oui, de Paul Girard", "Très bien Jeanne",
    ...                          "Autre : chez ma mère, Bayeux", "jean@ex.fr", "Jean GIRARD")]
    [False, False, False, False, False]
    """
    words = text.split()
    return (0 < len(text) <= 32 and len(words) <= 4 and not _SENTENCE.search(text)
            and not any((w[:1].isupper() and w[1:2].islower())
                        or (len(w) > 1 and w.isalpha() and w.isupper()) for w in words[1:])
            and redact(pd.Series([text], dtype=object)).iloc[0] == text)


#: A lone word: letters only (a hyphen or an apostrophe between them: Jean-Pierre,
#: d'Arc), no digit, no underscore: the shape of a first name.
_LONE_WORD = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*")


@functools.cache
def _code_words() -> frozenset[str]:
    """Every word of the codebooks (folded): variables' names, codes, labels and
    aliases, the codes' labels and aliases, and the words read as yes or no."""
    words = set(TRUE_WORDS) | set(FALSE_WORDS)
    for kind in KINDS:
        for var in codebook(kind).variables.values():
            texts = [var.name, *var.label.values(), *var.aliases]
            for code, labels in {**var.codes, **var.missing}.items():
                texts += [str(code), *labels.values()]
            for aliases in (var.code_aliases or {}).values():
                texts += list(aliases)
            for text in texts:
                words.update(w for w in re.split(r"[^0-9a-z]+", fold_value(str(text))) if w)
    return frozenset(words)


def name_like(text: str) -> bool:
    """Whether an off-list answer found in a single row looks like a name rather than a
    code: words of letters only (``jeanne``, ``Jeanne``, ``jean-pierre``, ``jeanne
    girard``), one of which no codebook uses, or a login (``jeanne_girard``). Codes are
    shared by many rows, or have a digit, or an underscore with one word at most that no
    codebook uses (``A1``, ``2``, ``agent_b``, ``cat_a``), or are words of the codebooks
    (``cadre``, ``oui``, ``public``, ``coworking``, ``non cadre``).

    Examples
    --------
    >>> [name_like(v) for v in ("jeanne", "Jeanne", "jean-pierre", "jeanne girard",
    ...                          "jeanne_girard", "j.girard.paul")]
    [True, True, True, True, True, True]
    >>> [name_like(v) for v in ("cadre", "oui", "agent_b", "cat_a", "2", "A1", "Non cadre",
    ...                          "temps_partiel")]
    [False, False, False, False, False, False, False, False]
    """
    words = text.split()
    if (words and all(_LONE_WORD.fullmatch(word) for word in words)
            and any(fold_value(word) not in _code_words() for word in words)):
        return True
    # a login (jeanne_girard, jeanne.girard): two words or more of three letters or
    # more that no codebook uses, joined by "_" or "." (a code such as cat_a has one)
    parts = re.split(r"[_.]+", text.strip())
    return (len(parts) > 1 and all(_LONE_WORD.fullmatch(part) for part in parts)
            and sum(len(part) >= 3 and fold_value(part) not in _code_words()
                    for part in parts) >= 2)
