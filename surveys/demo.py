"""A complete, realistic synthetic pilot, written as real exports would arrive.

The demo reproduces, in miniature, the pilots of the seed studies (see
``BASELINES.md``): the CCI de l'Orne's support of 23 SMEs into telework (13 in Orne,
10 in Calvados, plus a few that withdrew), a county council's teleworking agents
answering before and after their first year, and a network of 20 third places
(3 fablabs) whose users answer a LimeSurvey questionnaire and badge in at the door.

Files are written the way evaluators receive them: a French-Excel CSV (``;``,
decimal commas, ``dd/mm/yyyy``, cp1252) for the agents, an XLSX workbook typed by
hand for the companies, a LimeSurvey "answer codes" export for the third-place
users, a badge log and a places registry; ``pilot.toml`` maps their French headers
onto the codebooks. A few realistic defects are planted (a duplicate answer, an
impossible number of telework days, an empty line, unsubmitted LimeSurvey rows) so
the data-quality section has something true to say.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

__all__ = ["demo"]

#: Nouvelle-Aquitaine 2016: how long current users have been coming (sums to 99 %).
_BAND_SHARES = {"A1": 0.14, "A2": 0.17, "A3": 0.23, "A4": 0.32, "A5": 0.13}
_BAND_CODES = {"A1": "<3m", "A2": "3-6m", "A3": "6-12m", "A4": "1-2y", "A5": ">2y"}
_STATUS = {  # LimeSurvey answer code -> canonical status, with Pop Place-like shares
    "A1": ("freelancer", 0.45), "A2": ("entrepreneur", 0.14), "A3": ("employee", 0.18),
    "A4": ("public_agent", 0.06), "A5": ("student", 0.05), "A6": ("jobseeker", 0.05),
    "A7": ("other", 0.07),
}
_PLACE_TYPES = ["coworking"] * 12 + ["fablab"] * 3 + ["hybrid"] * 3 + ["telecentre"] * 2
_COMMUNES = [
    "Alençon", "Argentan", "Flers", "L'Aigle", "Mortagne-au-Perche", "Domfront",
    "Vimoutiers", "Sées", "Caen", "Bayeux", "Lisieux", "Vire", "Falaise", "Honfleur",
    "Pont-l'Évêque", "Condé-en-Normandie", "Saint-Lô", "Cherbourg", "Avranches",
    "Coutances",
]
_START = pd.Timestamp("2015-01-05")
_END = pd.Timestamp("2016-12-30")


def demo(out_dir: str | Path, *, seed: int = 0, scale: float = 1.0) -> Path:
    """Write a complete synthetic pilot into ``out_dir`` and return its ``pilot.toml``.

    Parameters
    ----------
    out_dir : str or Path
        Folder to write into (created if needed). Existing demo files are replaced.
    seed : int, default 0
        Seed of the random generator: the same seed writes the same bytes.
    scale : float, default 1.0
        Multiplies the number of agents, third-place users, places (at most 500)
        and check-ins. ``scale=1`` writes about 700 respondents and 10,000
        check-ins; ``scale=1400`` about a million respondents and ten million
        check-ins, for benchmarks. The 23 pilot companies are not scaled below
        ``scale=2``.

    Returns
    -------
    Path
        The pilot file, ready for ``surveys.read_pilot`` or ``bilan report``.

    Examples
    --------
    >>> import tempfile
    >>> path = demo(tempfile.mkdtemp())
    >>> path.name
    'pilot.toml'
    >>> sorted(p.name for p in path.parent.iterdir())  # doctest: +NORMALIZE_WHITESPACE
    ['agents_cd14.csv', 'badges_tiers_lieux.csv', 'entreprises_cci.xlsx', 'lieux.csv',
     'pilot.toml', 'tiers_lieux_limesurvey.csv']
    """
    if scale <= 0:
        from surveys.errors import SurveyError

        raise SurveyError(f"scale must be positive, got {scale}.")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    places = _places(rng, scale)
    places.to_csv(out / "lieux.csv", index=False, encoding="utf-8")
    _agents(rng, scale).to_csv(
        out / "agents_cd14.csv", sep=";", index=False, encoding="cp1252", lineterminator="\r\n"
    )
    _write_companies(_companies(rng, scale), out / "entreprises_cci.xlsx")
    users = _thirdplace(rng, scale, places)
    users.to_csv(out / "tiers_lieux_limesurvey.csv", index=False, encoding="utf-8-sig")
    _checkins(rng, scale, places).to_csv(out / "badges_tiers_lieux.csv", index=False)
    pilot = out / "pilot.toml"
    pilot.write_text(_PILOT_TOML.format(agents=_n(60, scale)), encoding="utf-8")
    return pilot


def _n(base: int, scale: float) -> int:
    return max(1, int(round(base * scale)))


def _choice(rng: np.random.Generator, shares: dict, size: int) -> np.ndarray:
    keys = list(shares)
    p = np.array([shares[k] if not isinstance(shares[k], tuple) else shares[k][1] for k in keys])
    return np.array(keys, dtype=object)[rng.choice(len(keys), size=size, p=p / p.sum())]


def _french_number(values: np.ndarray, decimals: int = 1) -> np.ndarray:
    """Format numbers the way French Excel does: decimal comma, empty for NaN."""
    text = pd.Series(values).round(decimals).astype(str).str.replace(".", ",", regex=False)
    return text.where(pd.notna(values), "").str.replace(",0$", "", regex=True).to_numpy()


def _of(commune: str) -> str:
    """French 'de' with elision: 'de Caen', "d'Alençon"."""
    return f"d'{commune}" if commune[0] in "AEÉIOUH" else f"de {commune}"


def _numbered(prefix: str, numbers: np.ndarray, suffix: str = "") -> np.ndarray:
    """Vectorised ``f"{prefix}{number}{suffix}"``."""
    return np.char.add(np.char.add(prefix, numbers.astype(str)), suffix).astype(object)


def _likert(rng: np.random.Generator, size: int, centre: np.ndarray | float) -> np.ndarray:
    """Answers 1-5 around a centre, as integers."""
    raw = rng.normal(centre, 0.9, size=size)
    return np.clip(np.rint(raw), 1, 5).astype(int)


def _places(rng: np.random.Generator, scale: float) -> pd.DataFrame:
    n = min(500, max(20, _n(20, scale)))
    types = np.array(_PLACE_TYPES * (n // 20 + 1))[:n]
    idx = np.arange(n)
    communes = np.array(_COMMUNES)[idx % len(_COMMUNES)]
    suffix = np.where(idx >= len(_COMMUNES), " " + (idx // len(_COMMUNES) + 1).astype(str), "")
    label = {"coworking": "Coworking", "fablab": "Fablab", "hybrid": "La Fabrique",
             "telecentre": "Télécentre"}
    opened = _START - pd.to_timedelta(rng.integers(30, 1500, size=n), unit="D")
    late = rng.random(n) < 0.15  # a few places open during the pilot
    opened = opened.where(~late, _START + pd.to_timedelta(rng.integers(60, 500, size=n), unit="D"))
    return pd.DataFrame({
        "Identifiant": _numbered("TL", idx + 101),
        "Nom": [f"{label[t]} {_of(c)}{s}" for t, c, s in zip(types, communes, suffix)],
        "Type": types,
        "Gouvernance": _choice(rng, {"association": .52, "private_company": .20,
                                     "local_authority": .12, "private_group": .11,
                                     "public_private": .05}, n),
        "Zone": _choice(rng, {"urban": .455, "rural": .364, "periurban": .181}, n),
        "Capacité (postes)": rng.integers(6, 30, size=n),
        "Ouverture": opened.strftime("%d/%m/%Y"),
        "Département": np.where(idx % 20 < 8, "Orne", np.where(idx % 20 < 16, "Calvados", "Manche")),
    })


def _agents(rng: np.random.Generator, scale: float) -> pd.DataFrame:
    n = _n(46, scale)
    female = rng.random(n) < 0.65  # Citica: 65 % of public-sector teleworkers are women
    manager = rng.random(n) < 0.25
    km = np.round(rng.gamma(2.2, 20.0, size=n), 1)  # mean near Citica's 50 km
    minutes = np.round(km * rng.uniform(0.9, 1.4, size=n) + 5)
    days = _choice(rng, {1: .70, 2: .22, 3: .08}, n).astype(int)
    start = pd.Timestamp("2015-09-01") + pd.to_timedelta(rng.integers(0, 60, size=n), unit="D")
    stopped = rng.random(n) < 0.12
    end = start + pd.to_timedelta(rng.integers(60, 420, size=n), unit="D")
    base = pd.DataFrame({
        "N° agent": _numbered("CD14-", np.arange(100001, n + 100001)),
        "Sexe": np.where(female, "Femme", "Homme"),
        "Âge": rng.integers(27, 62, size=n),
        "Encadrant": np.where(manager, "Oui", "Non"),
        "Direction": _choice(rng, {"Routes": .25, "Solidarités": .40, "Éducation": .20,
                                   "Ressources": .15}, n),
        "Département de résidence": _choice(rng, {"Calvados": .7, "Orne": .2, "Manche": .1}, n),
        "Distance domicile-travail (km)": _french_number(km),
        "Temps de trajet (min)": minutes.astype(int),
        "Jours de télétravail / semaine": days,
        "Lieu de télétravail": _choice(rng, {"Domicile": .9, "Tiers-lieu": .08, "Autre": .02}, n),
        "Début du télétravail": start.strftime("%d/%m/%Y"),
        "Fin du télétravail": np.where(stopped, end.strftime("%d/%m/%Y"), ""),
        "Souhait avant le pilote": _choice(rng, {"Occasionnellement": .3, "Tous les jours": .1,
                                                 "Un nombre de jours fixe par semaine": .5,
                                                 "Non": .1}, n),
        "Courriel": _numbered("agent", np.arange(1, n + 1), "@calvados.example.fr"),
    })
    waves = []
    # Each agent's own disposition towards telework: the items of one scale move together
    # (a Cronbach's alpha near 0.8), and it carries over from one wave to the next.
    disposition = rng.normal(0.0, 0.8, size=n)
    for wave, lift in (("Avant", 0.0), ("Après", 0.6)):
        answers = base.copy()
        answers.insert(1, "Vague", wave)
        centre = 3.2 + lift - 0.3 * manager + disposition
        for column, shift in (("Satisfaction globale", 0.2), ("Équilibre vie pro / vie perso", 0.4),
                              ("Autonomie", 0.1), ("Relation avec l'encadrant", -0.2),
                              ("Équipement", -0.1)):
            values = _likert(rng, n, centre + shift).astype(object)
            values[rng.random(n) < 0.04] = "NSP"
            answers[column] = values
        answers["Recommanderiez-vous le télétravail (0-10)"] = np.clip(
            np.rint(rng.normal(7.0 + 1.2 * lift + 1.2 * disposition, 1.5, size=n)), 0, 10
        ).astype(int)
        comment = np.where(rng.random(n) < 0.3, "Moins de fatigue liée aux trajets.", "").astype(object)
        comment[: min(2, n)] = "Joignable au 06 12 34 56 78 ou agent1@calvados.example.fr"
        answers["Commentaire"] = comment
        waves.append(answers)
    # The post wave lost a few agents (they left telework or did not answer).
    post = waves[1].sample(frac=0.85, random_state=int(rng.integers(1 << 31))).sort_index()
    frame = pd.concat([waves[0], post], ignore_index=True).astype(object)
    frame.loc[len(frame)] = frame.iloc[3]  # a duplicate answer (sent twice)
    frame.loc[5, "Jours de télétravail / semaine"] = 7  # impossible: set to missing
    frame.loc[len(frame)] = [""] * frame.shape[1]  # an empty line in the export
    return frame


def _companies(rng: np.random.Generator, scale: float) -> pd.DataFrame:
    k = 1 if scale < 2 else scale
    n_pilot, n_left = _n(23, k), _n(4, k)
    n = n_pilot + n_left
    orne = np.arange(n) < round(13 / 23 * n)
    joined = pd.Timestamp("2015-03-01") + pd.to_timedelta(rng.integers(0, 300, size=n), unit="D")
    left = joined + pd.to_timedelta(rng.integers(90, 400, size=n), unit="D")
    withdrew = np.arange(n) >= n_pilot
    eligible = rng.integers(4, 120, size=n)
    frame = pd.DataFrame({
        "SIRET": rng.integers(10**13, 10**14, size=n).astype(str),
        "Raison sociale": _numbered("Entreprise ", np.arange(1, n + 1), " SARL"),
        "Département": np.where(orne, "Orne", "Calvados"),
        "Secteur": _choice(rng, {"private": 0.9, "public": 0.1}, n),
        "Effectif": _choice(rng, {"<10": .35, "10-49": .45, "50-249": .17, "250+": .03}, n),
        "Date d'entrée": joined.date,
        "Date de sortie": np.where(withdrew, pd.Series(left.date), None),
        "Salariés éligibles": eligible,
        "Télétravailleurs": np.minimum(eligible, rng.integers(1, 12, size=n)),
        "Jours de télétravail": rng.choice([1, 1, 1, 2, 2, 3], size=n),
        "Freins": _choice(rng, {"Réticence managériale": .4,
                                "Réticence managériale; Équipement": .25,
                                "Sécurité informatique": .2, "": .15}, n),
        "Satisfaction globale": _likert(rng, n, 3.9 + (trait := rng.normal(0, 0.7, size=n))),
        "Accompagnement CCI": _likert(rng, n, 4.2 + trait),
        "Recommandation (0-10)": np.clip(np.rint(rng.normal(8, 1.5, size=n)), 0, 10).astype(int),
        "Poursuite après le pilote": np.where(withdrew | (rng.random(n) < 0.1), "Non", "Oui"),
    })
    # employees eligible to telework within the company's size band (a company of fewer
    # than 10 has at most 9), from the same draws: the other sources' draws are unchanged
    low, high = (frame["Effectif"].map(_ELIGIBLE).str[i].to_numpy() for i in (0, 1))
    share = (eligible - 4) / 115
    frame["Salariés éligibles"] = np.rint(low + share * (high - low)).astype(int)
    frame["Télétravailleurs"] = np.minimum(frame["Salariés éligibles"], frame["Télétravailleurs"])
    return frame


#: Employees eligible to telework, lowest and highest, by size band.
_ELIGIBLE = {"<10": (2, 9), "10-49": (5, 40), "50-249": (15, 160), "250+": (60, 400)}


def _write_companies(frame: pd.DataFrame, path: Path) -> None:
    with pd.ExcelWriter(path, engine="openpyxl") as writer:
        pd.DataFrame({"Pilote télétravail CCI de l'Orne, 2015-2016": []}).to_excel(
            writer, sheet_name="Notes", index=False)
        frame.to_excel(writer, sheet_name="Entreprises", index=False)
    # A workbook saved by openpyxl carries its own creation time: pin it, for the
    # same seed must give the same bytes.
    _pin_xlsx_timestamps(path)


def _pin_xlsx_timestamps(path: Path) -> None:
    import zipfile

    fixed = (2016, 12, 31, 0, 0, 0)
    with zipfile.ZipFile(path) as source:
        items = [(info.filename, source.read(info.filename)) for info in source.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for name, content in items:
            if name == "docProps/core.xml":
                content = pd.Series([content.decode()]).str.replace(
                    r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", "2016-12-31T00:00:00Z", regex=True
                )[0].encode()
            target.writestr(zipfile.ZipInfo(name, date_time=fixed), content)


def _thirdplace(rng: np.random.Generator, scale: float, places: pd.DataFrame) -> pd.DataFrame:
    n = _n(640, scale)
    submitted = rng.random(n) > 0.06  # a few started the questionnaire and left
    start = _END - pd.to_timedelta(rng.integers(0, 40 * 86400, size=n), unit="s")
    band = _choice(rng, _BAND_SHARES, n)
    months_back = {"A1": (0, 3), "A2": (3, 6), "A3": (6, 12), "A4": (12, 24), "A5": (24, 48)}
    low = np.array([months_back[b][0] for b in band])
    high = np.array([months_back[b][1] for b in band])
    first = (start - pd.to_timedelta((rng.uniform(low, high) * 30.44).astype(int), unit="D"))
    travel = np.round(rng.gamma(2.0, 6.0, size=n))
    status = _choice(rng, _STATUS, n)
    freelancer = status == "A1"
    sat = {}
    trait = rng.normal(0.0, 0.7, size=n)  # how much a user likes the place, on every item
    for sq, centre in (("SQ001", 4.1), ("SQ002", 3.7), ("SQ003", 3.9)):
        codes = np.char.add("A", _likert(rng, n, centre + trait).astype(str)).astype(object)
        codes[rng.random(n) < 0.05] = "A9"  # "Je ne sais pas"
        sat[f"SAT[{sq}]"] = codes
    frame = pd.DataFrame({
        "id": np.arange(1, n + 1),
        "submitdate": np.where(submitted, start.strftime("%Y-%m-%d %H:%M:%S"), ""),
        "lastpage": np.where(submitted, 4, rng.integers(1, 3, size=n)),
        "startlanguage": "fr",
        "seed": rng.integers(10**8, 10**9, size=n),
        "startdate": start.strftime("%Y-%m-%d %H:%M:%S"),
        "datestamp": start.strftime("%Y-%m-%d %H:%M:%S"),
        "ipaddr": _numbered("192.0.2.", np.arange(n) % 250 + 1),
        "LIEU": places["Identifiant"].to_numpy()[rng.integers(0, len(places), size=n)],
        "STATUT": status,
        "SEXE": np.where(rng.random(n) < 0.58, "A2", "A1"),
        "AGE": np.clip(np.rint(rng.normal(37, 10, size=n)), 18, 75).astype(int),
        "TRAJET": travel.astype(int),
        "ANCIENNETE": band,
        "PREMIEREVISITE": first.strftime("%m/%Y"),
        "TOUJOURS": np.where(rng.random(n) < 0.85, "Y", "N"),
        "FREQUENCE": np.clip(np.rint(rng.gamma(2, 3 + 3 * freelancer)), 1, 22).astype(int),
        "ECONOMIE": np.where(rng.random(n) < 0.93, "Y", "N"),
        **sat,
        "RECOMMANDE": np.clip(np.rint(rng.normal(8.3, 1.4, size=n)), 0, 10).astype(int),
        "COMMENTAIRE": np.where(rng.random(n) < 0.2, "Très bon accueil, réseau utile.", ""),
        "EMAIL": _numbered("usager", np.arange(1, n + 1), "@example.org"),
    })
    frame = frame.astype(object)
    answer_columns = frame.columns[8:]
    frame.loc[~submitted, answer_columns[4:]] = ""  # dropped out after the first page
    return frame


def _checkins(rng: np.random.Generator, scale: float, places: pd.DataFrame) -> pd.DataFrame:
    users = _n(1050, scale)
    n_places = len(places)
    opened = pd.to_datetime(places["Ouverture"], format="%d/%m/%Y").to_numpy()
    home = rng.integers(0, n_places, size=users)
    span = (_END - _START).days
    arrival = rng.integers(0, span, size=users)
    arrival = np.maximum(arrival, (opened[home] - np.datetime64(_START)).astype("timedelta64[D]").astype(int))
    stay = rng.exponential(240, size=users).astype(int) + 1
    visits = np.maximum(1, rng.poisson(np.clip(stay / 25, 1, 40)))
    owner = np.repeat(np.arange(users), visits)
    day = arrival[owner] + (rng.random(owner.size) * stay[owner]).astype(int)
    keep = day < span
    owner, day = owner[keep], day[keep]
    place = home[owner].copy()
    roam = rng.random(owner.size) < 0.08  # now and then a user works from another place
    place[roam] = rng.integers(0, n_places, size=int(roam.sum()))
    place = np.where(opened[place] <= np.datetime64(_START) + day.astype("timedelta64[D]"), place, home[owner])
    stamp = (np.datetime64(_START) + day.astype("timedelta64[D]")
             + rng.integers(8 * 60, 18 * 60, size=owner.size).astype("timedelta64[m]"))
    order = np.argsort(stamp, kind="stable")
    return pd.DataFrame({
        "lieu": places["Identifiant"].to_numpy()[place[order]],
        "badge": np.char.add("B", (owner[order] + 10000).astype(str)),
        "horodatage": pd.to_datetime(stamp[order]).strftime("%d/%m/%Y %H:%M"),
    })


_PILOT_TOML = """\
# Pilote de démonstration de bilan : données synthétiques, inspirées des études de
# Basse-Normandie (2015-2016) et du séminaire Mission Bassin Minier (2017).

[pilot]
name = "Pilote télétravail et tiers-lieux, Basse-Normandie 2015-2016 (démonstration)"
lang = "fr"
min_cell = 5
salt = "demo-salt-change-me"

[sources.agents]
kind = "agent"
path = "agents_cd14.csv"
population = {agents}

[sources.agents.mapping]
"N° agent" = "respondent_id"
"Vague" = "wave"
"Sexe" = "gender"
"Âge" = "age"
"Encadrant" = "manager"
"Direction" = "service"
"Département de résidence" = "department"
"Souhait avant le pilote" = "telework_wish"
"Distance domicile-travail (km)" = "commute_km"
"Temps de trajet (min)" = "commute_minutes"
"Jours de télétravail / semaine" = "telework_days"
"Lieu de télétravail" = "telework_place"
"Début du télétravail" = "telework_start"
"Fin du télétravail" = "telework_end"
"Satisfaction globale" = "sat_overall"
"Équilibre vie pro / vie perso" = "sat_balance"
"Autonomie" = "sat_autonomy"
"Relation avec l'encadrant" = "sat_manager"
"Équipement" = "sat_equipment"
"Recommanderiez-vous le télétravail (0-10)" = "recommend"
"Commentaire" = "comment"
"Courriel" = "email"

[sources.agents.recode.wave]
"Avant" = "pre"
"Après" = "post"

[sources.agents.recode.telework_place]
"Domicile" = "home"
"Tiers-lieu" = "third_place"
"Autre" = "other"

[sources.companies]
kind = "company"
path = "entreprises_cci.xlsx"
sheet = "Entreprises"

[sources.companies.mapping]
"SIRET" = "company_id"
"Raison sociale" = "company_name"
"Département" = "department"
"Secteur" = "sector"
"Effectif" = "size_band"
"Date d'entrée" = "joined"
"Date de sortie" = "left"
"Salariés éligibles" = "eligible_employees"
"Télétravailleurs" = "teleworkers"
"Jours de télétravail" = "telework_days"
"Freins" = "barriers"
"Satisfaction globale" = "sat_overall"
"Accompagnement CCI" = "sat_support"
"Recommandation (0-10)" = "recommend"
"Poursuite après le pilote" = "continue_after"

[sources.users]
kind = "thirdplace"
path = "tiers_lieux_limesurvey.csv"

[sources.users.mapping]
"id" = "respondent_id"
"LIEU" = "place_id"
"STATUT" = "status"
"SEXE" = "gender"
"AGE" = "age"
"TRAJET" = "travel_minutes"
"ANCIENNETE" = "attendance_band"
"PREMIEREVISITE" = "first_visit"
"TOUJOURS" = "still_attending"
"FREQUENCE" = "visits_per_month"
"ECONOMIE" = "boosts_local_economy"
"SAT[SQ001]" = "sat_overall"
"SAT[SQ002]" = "sat_equipment"
"SAT[SQ003]" = "sat_community"
"RECOMMANDE" = "recommend"
"COMMENTAIRE" = "comment"
"EMAIL" = "email"

[sources.users.recode.status]
"A1" = "freelancer"
"A2" = "entrepreneur"
"A3" = "employee"
"A4" = "public_agent"
"A5" = "student"
"A6" = "jobseeker"
"A7" = "other"

[sources.users.recode.gender]
"A1" = "F"
"A2" = "M"

[sources.users.recode.attendance_band]
"A1" = "<3m"
"A2" = "3-6m"
"A3" = "6-12m"
"A4" = "1-2y"
"A5" = ">2y"

[sources.users.recode.sat_overall]
"A1" = "1"
"A2" = "2"
"A3" = "3"
"A4" = "4"
"A5" = "5"
"A9" = "dont_know"

[sources.users.recode.sat_equipment]
"A1" = "1"
"A2" = "2"
"A3" = "3"
"A4" = "4"
"A5" = "5"
"A9" = "dont_know"

[sources.users.recode.sat_community]
"A1" = "1"
"A2" = "2"
"A3" = "3"
"A4" = "4"
"A5" = "5"
"A9" = "dont_know"

[sources.checkins]
kind = "attendance"
path = "badges_tiers_lieux.csv"

[sources.checkins.mapping]
"lieu" = "place_id"
"badge" = "user_id"
"horodatage" = "timestamp"

[sources.places]
kind = "places"
path = "lieux.csv"

[sources.places.mapping]
"Identifiant" = "place_id"
"Nom" = "name"
"Type" = "type"
"Gouvernance" = "governance"
"Zone" = "zone"
"Capacité (postes)" = "capacity"
"Ouverture" = "opened"
"Département" = "department"

[weighting.agents]
# Known make-up of the council's teleworking agents (HR file), as shares: raking margins.
gender = {{ F = 0.65, M = 0.35 }}

[baselines]
compare = ["bva-2015", "citica-2017", "randstad-2016", "aquitaine-2016", "popplace-2017"]
"""
