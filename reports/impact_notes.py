"""The assumptions of the commute-impact model, said under its table.

``analysis.commute_impact`` applies the CGET telework-impact model to each agent's own
answers: every telework day avoids the model's number of home-work trips, every
avoided kilometre is valued as a car's (energy, maintenance, an emission factor), and a
missing or invalid answer takes the model's default. The model, as applied, neither
deducts the trips a teleworker still makes to a third place (``telework_place``) nor
shortens the year of an agent who stopped teleworking (``telework_end``): both count as
a full year of home telework. A funder reading « 321 000 km évités » needs those
assumptions beside the figure (fact-check 13, item 9), not only in the appendix's
parameters table.

The sentence is built from the evaluation's parameters table (``impact`` ›
``parameters``: the values the analysis used, a pilot's ``[impact]`` overrides
included), so that it says what was applied; a clause whose parameters the table does
not give is left out.
"""

from __future__ import annotations

import pandas as pd

from reports.formatting import format_value
from reports.i18n import Catalogue
from reports.presentation import Prepared

__all__ = ["impact_parameters", "impact_assumptions", "is_impact_table"]

#: Each clause of the sentence -> the parameters it names (catalogue key
#: ``report.impact_assumption_<clause>``, the parameters as its fields).
_CLAUSES = {
    "trips": ("trips_per_day", "working_days_per_year"),
    "car": ("co2_kg_per_km", "energy_eur_per_km", "maintenance_eur_per_km"),
    "kept": (),
    "defaults": ("telework_days_per_week", "commute_km", "commute_minutes"),
}


def impact_parameters(prepared: list[Prepared]) -> dict[str, float]:
    """The impact model's parameters as the analysis used them (``parameter`` ->
    ``value``), from the impact section's parameters table; empty without one.

    Examples
    --------
    >>> from analysis.evaluation_model import Table
    >>> f = pd.DataFrame({"parameter": ["trips_per_day"], "value": [2.0], "unit": ["trips/day"]})
    >>> impact_parameters([Prepared("impact", Table("parameters", f, "t"), f, "p")])
    {'trips_per_day': 2.0}
    """
    for item in prepared:
        frame = item.data
        if item.section == "impact" and {"parameter", "value"} <= set(frame.columns):
            values = pd.to_numeric(frame["value"], errors="coerce")
            return {name: float(value) for name, value in zip(frame["parameter"], values)
                    if isinstance(name, str) and pd.notna(value)}
    return {}


def is_impact_table(frame: pd.DataFrame) -> bool:
    """A commute-impact table (one row per indicator, with its per-teleworker value).

    Examples
    --------
    >>> is_impact_table(pd.DataFrame(columns=["indicator", "per_teleworker", "estimate"]))
    True
    """
    return {"indicator", "per_teleworker"} <= set(frame.columns)


def impact_assumptions(parameters: dict[str, float], cat: Catalogue) -> list[str]:
    """The sentence of the model's assumptions, in the catalogue's language (a list of
    one; empty without parameters).

    Parameters
    ----------
    parameters : dict
        :func:`impact_parameters`.
    cat : Catalogue

    Returns
    -------
    list of str

    Examples
    --------
    >>> from reports.i18n import catalogue
    >>> p = {"trips_per_day": 2.0, "working_days_per_year": 217.5, "co2_kg_per_km": 0.193,
    ...      "energy_eur_per_km": 0.844, "maintenance_eur_per_km": 0.22,
    ...      "telework_days_per_week": 2.0, "commute_km": 26.0, "commute_minutes": 21.0}
    >>> text = impact_assumptions(p, catalogue("fr"))[0]
    >>> text.startswith("Hypothèses du modèle"), "0,193\xa0kg" in text, "217,5 jours" in text
    (True, True, True)
    >>> impact_assumptions({}, catalogue("fr"))
    []
    """
    if not parameters:
        return []
    clauses = []
    for clause, names in _CLAUSES.items():
        if all(name in parameters for name in names):
            values = {name: format_value(parameters[name], "value", cat.lang) for name in names}
            clauses.append(cat.text(f"report.impact_assumption_{clause}", **values))
    return [cat.text("report.impact_assumptions",
                     clauses=cat.text("report.list_separator").join(clauses))]
