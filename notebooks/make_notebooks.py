"""Build the three worked notebooks of bilan, then run them so that they carry outputs.

    .venv/bin/python notebooks/make_notebooks.py              # write and execute
    .venv/bin/python notebooks/make_notebooks.py --no-execute # write only

The notebooks are written next to this file and committed with their outputs;
``tests/test_notebooks.py`` runs them on the demo pilot and checks that they display
nothing the report hides. Every table a notebook shows about people is a table of the
report (``analysis.evaluate``), after the report's own anonymity rule
(``reports.render.prepare``): a hidden cell shows as « — ».
"""

from __future__ import annotations

import argparse
import os
import tempfile
from pathlib import Path

import nbformat as nbf

OUT = Path(__file__).resolve().parent

SETUP = """%matplotlib inline
import os, tempfile
import pandas as pd
import surveys, analysis
from reports import figures
from reports.formatting import format_p_value
from reports.i18n import catalogue
from reports.csv_numbers import published_numbers
from reports.render import prepare

pd.set_option("display.max_columns", 20)
pd.set_option("display.max_rows", 80)
pd.set_option("display.width", 140)
# Le pilote de démonstration, sauf si BILAN_PILOT désigne votre propre fichier pilote.
pilot_path = os.environ.get("BILAN_PILOT") or surveys.demo(tempfile.mkdtemp())
pilot = surveys.read_pilot(pilot_path)
pilot.name"""

TABLES_MD = """md:## Les tableaux du rapport, et seulement eux

Ce carnet ne montre que ce que le rapport (`bilan report`) publie. `analysis.evaluate(pilot)`
calcule tous les tableaux du rapport ; `reports.render.prepare` leur applique la règle
d'anonymat du rapport : une case qui repose sur moins de `min_cell` {who} (5 par défaut) est
masquée, ainsi que celles qui permettraient de la retrouver par différence avec un total ou
une case voisine. La fonction `published` ci-dessous affiche un tableau ainsi protégé :

- « — » : case masquée pour l'anonymat (la colonne `suppressed` vaut `True` quand toute la
  ligne l'est) ;
- case vide : valeur sans objet (l'écart-type d'une médiane, un test qui n'a pas été fait).

`notes` affiche les notes que le rapport écrit sous un tableau."""

TABLES = """evaluation = analysis.evaluate(pilot)
report = {}
for item in prepare(evaluation, min_cell=pilot.min_cell, figures=False):
    # les chiffres à la précision que le rapport publie (comme ses fichiers CSV) : plus
    # de décimales redonneraient des cases masquées
    item.data = published_numbers(item)
    report[item.section, item.table.key] = item
french = catalogue("fr")


def published(section, key, columns=None):
    # Le tableau tel que le rapport le publie : « — » pour une case masquée.
    data = report[section, key].data
    shown = data.round(3).astype(object).where(data.notna(), "")
    for column in ("p_value", "p_adjusted"):  # as the report writes them: "< 0.001"
        if column in data.columns:
            shown[column] = data[column].map(
                lambda p: "" if pd.isna(p) else format_p_value(p, "en"))
    for column in data.select_dtypes("datetime").columns:
        shown[column] = data[column].dt.strftime("%Y-%m-%d")
    row_hidden = data.get("suppressed", pd.Series(False, index=data.index)).fillna(False)
    cells_hidden = data.get("hidden_cells", pd.Series("", index=data.index)).fillna("")
    for column in data.columns:
        named = cells_hidden.str.split(",").map(lambda names: column in names)
        hidden = data[column].isna() & (row_hidden.astype(bool) | named.astype(bool))
        shown.loc[hidden, column] = "—"
    return shown[columns] if columns else shown.drop(columns="hidden_cells", errors="ignore")


def notes(section, key):
    # Les notes que le rapport écrit sous ce tableau.
    for note in report[section, key].table.notes:
        print("-", french.text(note))


def percent(share):
    return f"{100 * share:.0f} %"


def label(kind, variable):
    # Le libellé français d'une variable (« Freins : équipement » pour barriers__equipment).
    name, _, option = variable.partition("__")
    spec = surveys.codebook(kind).variables[name]
    return spec.label["fr"] + (f" : {spec.codes[option]['fr']}" if option else "")"""


def notebook(name: str, cells: list[str]) -> Path:
    """Write one notebook (``md:`` cells are Markdown, the others code)."""
    nb = nbf.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    nb.metadata["language_info"] = {"name": "python"}
    nb.cells = [nbf.v4.new_markdown_cell(c[3:]) if c.startswith("md:")
                else nbf.v4.new_code_cell(c) for c in cells]
    for number, cell in enumerate(nb.cells):  # stable ids: a rebuild changes only what changed
        cell.id = f"cell-{number:02d}"
    path = OUT / name
    nbf.write(nb, path)
    return path


def tables(who: str) -> list[str]:
    """The two cells that load the report's tables, for a notebook about ``who``."""
    return [TABLES_MD.format(who=who), TABLES]


COMPANY = [
"""md:# Évaluer un pilote d'accompagnement d'entreprises au télétravail

*Pour une chambre de commerce* qui a accompagné des PME vers le télétravail (comme la CCI de
l'Orne en 2015-2016) et doit rendre compte à ses financeurs.

Ce carnet lit le fichier pilote, vérifie les données, décrit les entreprises, les compare à la
référence nationale (BVA 2015), mesure combien de temps elles restent dans le dispositif et ce
qu'elles en pensent. Il n'utilise que l'API publique de `bilan`, et ne montre que ce que le
rapport publie : dans un département, la seule entreprise de plus de 250 salariés est connue de
tous, et ses réponses ne doivent pas se lire dans un tableau.""",
SETUP + '\nsource = "companies"  # le nom de la source dans le fichier pilote',
*tables("entreprises"),
"""md:## 1. Ce qui a été lu, gardé, écarté

Chaque ligne du fichier est soit gardée, soit listée parmi les lignes écartées avec sa raison ;
chaque cellule invalide est vidée et signalée avec sa ligne et sa colonne. La raison sociale,
donnée personnelle, n'entre jamais dans les données analysées.""",
"""companies = pilot.read(source)
print(companies)
companies.notes""",
"""quality = published("quality", "summary")
quality[quality["kind"] == "company"][["file", "measure", "detail", "n"]]""",
"""md:## 2. Qui a participé ?

Le profil des entreprises (`analysis.profile`) : une ligne par catégorie, avec sa part
(`estimate`), son intervalle de confiance à 95 % (`ci_low`, `ci_high`, Wilson) et le nombre
d'entreprises (`count`) sur `n` réponses. Une catégorie de 1 à 4 entreprises est masquée, et la
plus petite des autres catégories avec elle : sinon, on la retrouverait en retranchant les
autres du total.""",
"""profile = published("profiles", source)
profile[["variable", "category", "statistic", "n", "count", "estimate", "ci_low", "ci_high",
         "suppressed"]]""",
"""md:Avec quelques dizaines d'entreprises, les intervalles de confiance sont larges ; c'est pourquoi
chaque part est donnée avec le sien. La cellule suivante cherche, dans le tableau publié,
la part dont l'intervalle est le plus large :""",
"""shares = report["profiles", source].data
shares = shares[(shares["statistic"] == "share") & ~shares["suppressed"]]
widest = shares.loc[(shares["ci_high"] - shares["ci_low"]).idxmax()]
category = {"True": "oui", "False": "non"}.get(str(widest["category"]), widest["category"])
print(f"{label('company', widest['variable'])} = {category} : "
      f"{percent(widest['estimate'])} de {widest['n']} entreprises ; la vraie part est "
      f"vraisemblablement entre {percent(widest['ci_low'])} et {percent(widest['ci_high'])}.")""",
"""md:## 3. Comparaison avec la référence nationale

BVA (2015) : 20 % des télétravailleurs travaillent dans une entreprise de moins de 10 salariés
(15 % de l'ensemble des actifs). Ces deux chiffres sont des parts de *salariés* ; le pilote,
lui, compte des *entreprises*. Une part d'entreprises ne se compare pas à une part de salariés :
le rapport met donc les deux chiffres côte à côte (`baseline`) **sans test**
(`test = descriptive`, pas de valeur p) et le dit dans `verdict_fr`.""",
"""comparisons = published("baselines", "comparisons")
bva = comparisons[comparisons["source"] == source]
bva[["indicator", "n", "estimate", "ci_low", "ci_high", "baseline", "test", "p_adjusted",
     "verdict_fr"]]""",
"""print(bva["note_fr"].iloc[0])""",
"""shown = report["baselines", "comparisons"].data
figures.baseline_dots(shown[shown["source"] == source])""",
"""md:## 4. Combien de temps les entreprises restent-elles ?

Les entreprises encore dans le dispositif sont *censurées à droite* : on sait qu'elles sont
restées au moins jusqu'à aujourd'hui. L'estimateur de Kaplan–Meier en tient compte ;
ignorer ces entreprises ou les traiter comme sorties fausserait la durée.

Chaque marche de la courbe est due à des entreprises sorties à une date : le rapport ne
publie la part encore présente qu'aux mois où les sorties depuis la dernière part publiée
sont nulles ou au moins 5. Avec peu d'entreprises, des horizons sont alors masqués
(« — ») : c'est le prix de l'anonymat, pas une erreur. Un horizon vide est au-delà du suivi
(plus aucune entreprise observée).""",
"""published("retention", f"{source}_stays_horizons",
          ["time", "at_risk", "estimate", "ci_low", "ci_high"])""",
"""notes("retention", f"{source}_stays_horizons")""",
"""figures.km_curve(report["retention", f"{source}_stays_curve"].data)""",
"""md:## 5. Satisfaction et recommandation

Pour chaque question (`analysis.likert`) : la moyenne sur l'échelle de 1 à 5, la part de
« satisfaits » et « très satisfaits » (`top2`), celle d'« insatisfaits » (`bottom2`) et leur
différence (`net`). Une part qui repose sur moins de 5 entreprises est masquée : elle les
désignerait.""",
"""published("satisfaction", f"{source}_items",
          ["item", "statistic", "n", "estimate", "ci_low", "ci_high", "suppressed"])""",
"""md:La recommandation (`analysis.nps`, de −100 à +100 : part de notes 9–10 moins part de notes 0–6)
et l'intention de poursuivre le télétravail après le pilote :""",
"""published("satisfaction", f"{source}_nps",
          ["n", "promoters", "passives", "detractors", "estimate", "ci_low", "ci_high"])""",
"""profile[profile["variable"] == "continue_after"][
    ["category", "n", "count", "estimate", "ci_low", "ci_high"]]""",
"""md:## Ce qu'il faut en retenir

La cellule suivante relit les tableaux publiés ci-dessus :""",
"""items = report["satisfaction", f"{source}_items"].data
for row in items[(items["statistic"] == "top2") & ~items["suppressed"]].itertuples():
    print(f"{label('company', row.item)} : {percent(row.estimate)} de satisfaits "
          f"(de {percent(row.ci_low)} à {percent(row.ci_high)}), {row.n} entreprises.")
after = shares[(shares["variable"] == "continue_after") & (shares["category"].astype(str) == "True")]
for row in after.itertuples():
    print(f"Poursuite après le pilote : {percent(row.estimate)} "
          f"(de {percent(row.ci_low)} à {percent(row.ci_high)}).")
horizons = published("retention", f"{source}_stays_horizons")
for state, text in (("—", "masquée"), ("", "au-delà du suivi")):
    months = horizons.loc[horizons["estimate"] == state, "time"]
    if len(months):
        print(f"Part encore présente {text} à", ", ".join(f"{m:.0f}" for m in months), "mois.")""",
"""md:- **Satisfaction** : elle se lit dans la part de satisfaits (top-2) et son intervalle ; avec
  quelques dizaines d'entreprises, l'intervalle couvre plusieurs dizaines de points et seuls
  les écarts nets sont interprétables. Une part masquée (« — »), comme celle des
  insatisfaits, n'est pas un zéro : elle reposerait sur trop peu d'entreprises pour être
  publiée.
- **Durée de participation** : la courbe de Kaplan–Meier tient compte des entreprises encore
  accompagnées ; avec peu de sorties, le rapport ne publie que les horizons qui ne désignent
  personne. Pour une durée chiffrée, il faut plus d'entreprises ou un suivi plus long.
- **Référence nationale** : la part de petites entreprises du pilote et le chiffre de BVA ne
  mesurent pas la même chose (entreprises contre salariés) ; ils sont montrés côte à côte, sans
  test ni verdict d'écart. Ne pas conclure que le pilote touche « plus » de petites entreprises
  que la moyenne nationale.

Pour le rapport complet (HTML, XLSX, CSV) : `bilan report pilot.toml --out rapport`.""",
]

AGENTS = [
"""md:# Retours des agents en télétravail — un service RH

*Pour une direction des ressources humaines* qui interroge ses agents en télétravail avant et
après la première année (l'accord est d'un an, renouvelable après un entretien d'évaluation).
Ici, **aucune réponse ne doit être reconnaissable** : ce carnet ne montre que ce que le rapport
publie, et montre la règle d'anonymat à l'œuvre, y compris quand elle masque tout un tableau.""",
SETUP + '\nsource = "agents"  # le nom de la source dans le fichier pilote',
*tables("agents"),
"""md:## 1. Les données personnelles n'entrent pas

L'adresse électronique est écartée à la lecture ; l'identifiant de l'agent est remplacé par un
hachage à clé (le `salt` du fichier pilote), stable d'un fichier à l'autre pour apparier les
vagues, mais qui ne permet pas de retrouver l'agent. Les numéros de téléphone et adresses
glissés dans un commentaire libre sont remplacés par « [téléphone] » ou « [e-mail] ».""",
"""agents = pilot.read(source)
print(agents)
agents.notes""",
"""md:L'adresse n'est pas dans les données, chaque identifiant est un hachage de 16 caractères, et
au moins un commentaire contenait un numéro ou une adresse, masqué. Les commentaires eux-mêmes
ne sont affichés ni ici ni dans le rapport : un texte libre peut désigner son auteur.""",
""""email" in agents.data.columns, \\
    bool(agents.data["respondent_id"].str.fullmatch("[0-9a-f]{16}").all()), \\
    bool(agents.data["comment"].str.contains(r"\\[(?:téléphone|e-mail)\\]", na=False).any())""",
"""md:## 2. Ce qui a été lu, et les « ne sait pas »

Le tableau de qualité du rapport : lignes lues, gardées, écartées, cellules invalides, et le
nombre de « ne sait pas » par question. Un compte de « ne sait pas » de moins de 5 agents est
masqué, avec celui des non-réponses de sa ligne. Leur somme, elle, reste lisible : c'est la
taille du groupe moins son effectif `n` ; « ne sait pas » y compte comme une absence d'avis,
et là où personne n'a laissé la question vide, elle donne le nombre de « ne sait pas ».""",
"""quality = published("quality", "summary")
quality[quality["kind"] == "agent"][["file", "measure", "detail", "n", "suppressed"]]""",
"""md:## 3. Satisfaction avant / après

Le rapport donne, à chaque vague, la part de satisfaits (`top2` : notes 4 et 5) **pondérée** :
les réponses sont calées sur la composition connue des agents en télétravail (section
`[weighting.agents]` du fichier pilote, affichée ci-dessous). Ces parts diffèrent donc un peu
d'un simple comptage des réponses (`analysis.likert(agents, items, by="wave")` sans poids) ;
c'est la part pondérée que le rapport publie, et celle que ce carnet montre. Les « ne sait pas »
sont comptés à part (`nonsubstantive`), jamais comme un point de l'échelle.""",
"""print("Calage :", pilot.weighting.get(source))
print("Méthode :", report["satisfaction", f"{source}_items_by_wave"].data["method"].iloc[1])
by_wave = published("satisfaction", f"{source}_items_by_wave")
by_wave[by_wave["statistic"] == "top2"][
    ["wave", "item", "n", "estimate", "ci_low", "ci_high", "nonsubstantive", "suppressed"]]""",
"""md:Les réponses d'un même agent aux deux vagues sont appariées sur l'identifiant pseudonymisé
(`analysis.before_after`) : test des rangs signés de Wilcoxon sur l'échelle, test de McNemar
sur la part de satisfaits. Le test de McNemar ne repose que sur les agents qui ont changé
d'avis, de satisfait à non satisfait ou l'inverse : quand l'un de ces deux groupes compte de 1
à 4 agents, la ligne est masquée, car elle dirait ce que ces quelques agents ont répondu.""",
"""published("satisfaction", f"{source}_before_after",
          ["item", "test", "n", "estimate", "p_value", "effect_size", "suppressed"])""",
"""md:La colonne `method` dit ce qui a été fait (apparié ou non, combien d'agents appariés), et la
note du rapport ce que mesure `estimate` :""",
"""print(report["satisfaction", f"{source}_before_after"].data["method"].iloc[0])
notes("satisfaction", f"{source}_before_after")""",
"""md:## 4. Encadrants et agents : un tableau entièrement masqué

Les études de référence citent la réticence des encadrants comme le premier frein. Le rapport
compare donc la satisfaction des encadrants et des autres agents (dernière vague). Dans ce
pilote, il masque tout le tableau :""",
"""by_manager = published("satisfaction", f"{source}_items_by_manager")
by_manager[by_manager["statistic"] == "top2"][
    ["manager", "item", "n", "estimate", "ci_low", "ci_high", "suppressed"]]""",
"""md:Pourquoi ? Une part de satisfaits repose sur les agents de sa case (les encadrants
satisfaits, les encadrants qui ne le sont pas) : dès que l'une compte de 1 à 4 agents, la
ligne est masquée (*suppression primaire*). Masquer seulement les encadrants ne suffirait pas :
le rapport publie aussi la satisfaction de l'ensemble des agents, dont on retrancherait celle
des autres agents pour retrouver celle des encadrants. La ligne voisine est donc masquée aussi
(*suppression secondaire*). Le carnet ne dit pas laquelle des deux raisons vaut pour chaque
ligne : le dire en dirait déjà trop.

La même règle, sur un petit exemple inventé (trois services et leur total) : le service de
3 agents est masqué, et le plus petit des autres avec lui, sinon 53 − 30 − 20 = 3 le
redonnerait.""",
"""from reports.suppression import suppress

example = pd.DataFrame({"service": ["Routes", "Social", "Culture", "ensemble"],
                        "n": [3, 20, 30, 53], "estimate": [0.67, 0.55, 0.60, 0.58]})
suppress(example, "n", group_columns=["service"], total_row={"service": "ensemble"},
         min_cell=pilot.min_cell)""",
"""md:Pour étudier la réticence des encadrants sans les désigner, il faut plus d'encadrants
(plusieurs vagues, plusieurs directions), pas un tableau plus fin.

## 5. Recommandation, cohérence de l'échelle et trajets évités

La recommandation du télétravail (`analysis.nps`, de −100 à +100) à chaque vague :""",
"""published("satisfaction", f"{source}_nps",
          ["wave", "n", "promoters", "passives", "detractors", "estimate", "ci_low", "ci_high",
           "suppressed"])""",
"""md:L'alpha de Cronbach (`analysis.cronbach_alpha`) dit si les questions de satisfaction mesurent
une même chose : au-dessus de 0,7 environ, on peut les résumer en un score ; en dessous, mieux
vaut les lire une par une. Un item signalé `reversed_suspect` est probablement formulé à
l'envers (à recoder avec `reverse=`).""",
"""published("satisfaction", f"{source}_alpha",
          ["item", "statistic", "n", "alpha", "ci_low", "ci_high", "alpha_if_deleted",
           "item_total_r", "reversed_suspect"])""",
"""md:Les trajets évités par an (`analysis.commute_impact`), pour les agents qui ont répondu et,
la population étant connue, pour l'ensemble des agents en télétravail
(`population_estimate`). `fallback` compte les réponses sans trajet déclaré, pour lesquelles
la moyenne nationale du CGET est utilisée ; les notes du rapport disent d'où viennent les coûts
par kilomètre et lesquels sont douteux.""",
"""published("impact", f"{source}_commute",
          ["indicator", "n", "per_teleworker", "estimate", "ci_low", "ci_high",
           "population_estimate", "fallback"])""",
"""notes("impact", f"{source}_commute")""",
"""figures.impact_bars(report["impact", f"{source}_commute"].data)""",
"""md:## Ce qu'il faut en retenir

La cellule suivante relit les tableaux publiés ci-dessus :""",
"""waves = report["satisfaction", f"{source}_items_by_wave"].data
top2 = waves[(waves["statistic"] == "top2") & (waves["item"] == "sat_overall")]
when = {"pre": "avant", "post": "après"}
print("Satisfaction globale, part de satisfaits pondérée :",
      " ; ".join(f"{when[row.wave]} {percent(row.estimate)}" if not row.suppressed
                 else f"{when[row.wave]} masquée" for row in top2.itertuples()))
tests = report["satisfaction", f"{source}_before_after"].data
wilcoxon = tests[(tests["test"] == "wilcoxon") & ~tests["suppressed"]]
for clear, text in ((True, "Hausse nette (Wilcoxon, p < 0,05)"),
                    (False, "Pas d'écart détectable (p ≥ 0,05)")):
    rows = wilcoxon[(wilcoxon["p_value"] < 0.05) == clear]
    if clear:
        rows = rows[rows["estimate"] > 0]
    print(f"{text} :", ", ".join(label("agent", item) for item in rows["item"]) or "aucune")
managers = report["satisfaction", f"{source}_items_by_manager"].data
print(f"Tableau par fonction : {int(managers['suppressed'].sum())} ligne(s) masquée(s) "
      f"sur {len(managers)}.")
alpha = report["satisfaction", f"{source}_alpha"].data
overall = alpha[alpha["statistic"] == "alpha"].iloc[0]
comma = lambda x: f"{x:.2f}".replace(".", ",")
print(f"Alpha de Cronbach : {comma(overall['alpha'])} "
      f"(de {comma(overall['ci_low'])} à {comma(overall['ci_high'])}).")""",
"""md:- **Anonymat** : les identifiants sont pseudonymisés et les adresses écartées dès la lecture ;
  les commentaires libres n'apparaissent dans aucune sortie. Toute case de 1 à 4 agents
  est masquée, et avec elle celles qui permettraient de la retrouver : ici, le tableau par
  fonction (encadrants / autres agents) l'est entièrement, des tests de McNemar et des comptes
  de « ne sait pas » aussi. Une case « — » n'est pas un zéro : c'est une case qu'on ne publie
  pas.
- **Avant / après** : le test apparié dit si la satisfaction a changé *pour les mêmes agents*
  entre les deux vagues ; c'est plus fiable que de comparer deux moyennes de groupes
  différents. Ici, elle a nettement augmenté sur les questions listées ci-dessus, pas sur
  celles « sans écart détectable ». Les parts de satisfaits sont pondérées, comme dans le
  rapport (d'où un chiffre un peu différent d'un simple comptage des réponses).
- **Échelle** : l'alpha de Cronbach est au-dessus de 0,7 : les questions peuvent se résumer
  en un score de satisfaction ; mais son intervalle descend sous 0,7, à confirmer à la
  prochaine vague.
- **Trajets évités** : ils sont calculés à partir des trajets déclarés par les agents
  eux-mêmes ; les moyennes nationales du CGET ne servent que pour les réponses sans trajet
  (`fallback`).""",
]

PLACES = [
"""md:# Fréquentation des tiers-lieux — une région

*Pour une région* qui suit un réseau de tiers-lieux : combien d'usagers, quels lieux sont peu
utilisés (la première faiblesse relevée en Basse-Normandie), depuis combien de temps les usagers
viennent, et comment cela se compare à la photographie Nouvelle-Aquitaine 2016. Un lieu de
quelques usagers par mois les désignerait : ce carnet ne montre que ce que le rapport publie.""",
SETUP + '\nlog, survey = "checkins", "users"  # les noms des sources dans le fichier pilote',
*tables("usagers"),
"""md:Le registre des lieux (les lieux ne sont pas des personnes : il est montré tel quel) :""",
"""places = pilot.read("places")
places.data[["place_id", "name", "type", "zone", "capacity", "opened"]].head()""",
"""md:## 1. Fréquentation mensuelle

Le rapport publie la fréquentation par mois, type de lieu et zone (`analysis.attendance_summary`
puis `analysis.attendance_by`), non lieu par lieu : passages, usagers distincts, nouveaux et
fidèles, taux d'occupation (jours-usagers rapportés aux postes × jours d'ouverture). Une case
de 1 à 4 usagers est masquée (« — »), avec celles qui la redonneraient, et les nouveaux et fidèles d'une case le sont quand
l'un des deux compte moins de 5 usagers ou se déduirait de l'autre.""",
"""monthly = published("attendance", "by_type_zone")
monthly[["period", "type", "zone", "places", "visits", "users", "new_users", "returning_users",
         "occupancy", "suppressed"]].head(12)""",
"""notes("attendance", "by_type_zone")""",
"""figures.attendance_series(report["attendance", "by_type_zone"].data)""",
"""md:Par lieu et par année, les lieux peu utilisés (`little_used` : taux d'occupation sous le
seuil, 20 % par défaut) :""",
"""yearly = published("attendance", "by_place_year")
yearly[yearly["little_used"] == True][["period", "name", "type", "zone", "users", "occupancy"]]""",
"""md:La croissance annuelle moyenne du nombre d'usagers de chaque lieu
(`analysis.attendance_growth`), vide quand le lieu n'a qu'une année complète :""",
"""published("attendance", "growth",
          ["place_id", "first_year", "last_year", "first_value", "last_value", "estimate"])""",
"""md:## 2. Combien de temps les usagers restent-ils ?

Un usager dont le dernier passage date de plus de 60 jours est considéré comme parti ; les autres
viennent encore (censurés à droite). La part encore présente à 3, 6, 12 et 24 mois, et les
durées au bout desquelles un quart, la moitié et les trois quarts des usagers sont partis :""",
"""published("retention", f"{log}_users_horizons", ["time", "at_risk", "estimate", "ci_low", "ci_high"])""",
"""published("retention", f"{log}_users_median", ["probability", "estimate", "ci_low", "ci_high"])""",
"""figures.km_curve(report["retention", f"{log}_users_curve"].data)""",
"""md:Par mois d'arrivée (cohorte), la part des usagers encore présents 0, 1, 2… mois plus tard
(`analysis.cohorts`) ; une case masquée reposerait sur moins de 5 usagers partis ou restés :""",
"""cohorts = published("retention", f"{log}_cohorts")
cohorts.pivot(index="cohort", columns="period_index", values="share").iloc[:6, :7]""",
"""md:## 3. Ancienneté des usagers : comparaison avec la Nouvelle-Aquitaine

La Nouvelle-Aquitaine publie depuis combien de temps ses usagers *actuels* fréquentent un
tiers-lieu (14 / 17 / 23 / 32 / 13 %). C'est une photographie de l'ancienneté, pas une durée de
séjour : on la compare donc à l'ancienneté de nos usagers actifs à une date
(`analysis.seniority_bands`), jamais à la courbe de Kaplan–Meier.""",
"""published("retention", f"{log}_seniority", ["band", "n", "count", "estimate", "ci_low", "ci_high"])""",
"""md:Les notes du rapport sous ce tableau, et la question : le rapport a-t-il fait le test ?""",
"""notes("retention", f"{log}_seniority")
("retention", f"{log}_seniority_test") in report""",
"""md:Quand le journal des passages est plus court que la plus longue tranche (« plus de 2 ans »),
aucun usager ne peut y figurer : la tranche est vide par construction, et le rapport ne fait
pas le test. Pour montrer la méthode, le carnet le fait quand même, avec
`analysis.compare_seniority` sur les comptes publiés ci-dessus :""",
"""test = analysis.compare_seniority(report["retention", f"{log}_seniority"].data)
test.assign(p_value=test["p_value"].map(lambda p: format_p_value(p, "en"))).round(2)[
    ["source_id", "n", "statistic", "df", "p_value", "effect_size", "note"]]""",
"""md:La note de cette sortie (en anglais) dit seulement que les parts publiées par la
Nouvelle-Aquitaine totalisent 99 % et sont ramenées à 100 % pour le test ; elle ne dit rien de
la tranche « plus de 2 ans ». C'est la note du rapport, plus haut, qui explique pourquoi ce test
ne prouve rien ici : l'écart vient en partie de la tranche vide par construction.

Le questionnaire des usagers, lui, donne l'ancienneté par tranches, sans limite de durée.
L'estimateur de Turnbull (`analysis.turnbull`) traite ces tranches comme des intervalles
semi-ouverts ]a, b] au lieu d'y placer des dates exactes ; le rapport montre la courbe du
pilote (`curve = pilot`) et celle que donne la répartition de la Nouvelle-Aquitaine :""",
"""published("retention", f"{survey}_bands_curve", ["curve", "time", "survival", "mass", "n"])""",
"""md:## 4. Les usagers et les lieux comparés aux références

Le profil des usagers (statut), puis chaque indicateur comparé à sa référence, avec le test
fait, la valeur p corrigée pour comparaisons multiples (`p_adjusted`) et le verdict :""",
"""profile = published("profiles", survey)
profile[profile["variable"] == "status"][["category", "n", "count", "estimate", "ci_low", "ci_high"]]""",
"""comparisons = published("baselines", "comparisons")
comparisons[comparisons["source"].isin([survey, "places"])][
    ["source_id", "indicator", "n", "estimate", "baseline", "test", "p_adjusted", "verdict_fr"]]""",
"""md:## Ce qu'il faut en retenir

La cellule suivante relit les tableaux publiés ci-dessus :""",
"""yearly_data = report["attendance", "by_place_year"].data
last = yearly_data[yearly_data["period"] == yearly_data["period"].max()]
print(f"{int(last['little_used'].sum())} lieu(x) sur {len(last)} sous le seuil d'occupation "
      f"en {last['period'].max():%Y}.")
growth = report["attendance", "growth"].data.dropna(subset=["estimate"])
print(f"Usagers plus nombreux la dernière année que la première dans "
      f"{int((growth['estimate'] > 0).sum())} lieu(x) sur {len(growth)} suivis plus d'un an.")
median = report["retention", f"{log}_users_median"].data
middle = median[median["probability"] == 0.5].iloc[0]
print(f"Moitié des usagers partis au bout de {middle['estimate']:.0f} mois "
      f"(de {middle['ci_low']:.0f} à {middle['ci_high']:.0f}).")
table = report["baselines", "comparisons"].data
seniority = table[(table["source"] == survey) & table["indicator"].str.startswith("seniority")]
print("Ancienneté déclarée, comparée à la Nouvelle-Aquitaine :",
      ", ".join(sorted(set(seniority["verdict_fr"].dropna()))))""",
"""md:- **Lieux peu utilisés** : ceux marqués `little_used` ont un taux d'occupation sous le seuil
  (20 % par défaut). Dans ce pilote, le décompte ci-dessus montre qu'ils le sont tous : c'est
  le réseau entier qu'il faut faire connaître, pas un lieu en particulier. Le nombre
  d'usagers augmente pourtant dans la plupart des lieux (décompte ci-dessus).
- **Rétention** : la courbe tient compte des usagers qui viennent encore ; la durée au bout de
  laquelle la moitié des usagers sont partis (imprimée ci-dessus) se lit avec son intervalle.
- **Ancienneté** : un journal de passages de deux ans ne peut pas compter d'usagers de plus de
  deux ans ; le rapport le dit dans sa note et ne compare pas ce journal à la
  Nouvelle-Aquitaine. La comparaison qui vaut est celle de l'ancienneté *déclarée* dans le
  questionnaire, dont le verdict est imprimé ci-dessus.
- **Anonymat** : le rapport publie la fréquentation par type de lieu et zone, pas lieu par lieu
  et mois par mois ; une case « — » repose sur trop peu d'usagers pour être publiée.""",
]

NOTEBOOKS = {
    "evaluate_company_pilot.ipynb": COMPANY,
    "agent_feedback.ipynb": AGENTS,
    "third_place_attendance.ipynb": PLACES,
}


def execute(path: Path) -> None:
    """Run a notebook on the demo pilot (in a scratch folder) and store its outputs."""
    from nbclient import NotebookClient

    nb = nbf.read(path, as_version=4)
    env = os.environ.pop("BILAN_PILOT", None)
    try:
        with tempfile.TemporaryDirectory() as work:
            NotebookClient(nb, timeout=600, kernel_name="python3", record_timing=False,
                           resources={"metadata": {"path": work}}).execute()
    finally:
        if env is not None:
            os.environ["BILAN_PILOT"] = env
    nbf.write(nb, path)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-execute", action="store_true",
                        help="write the notebooks without running them (no outputs)")
    args = parser.parse_args()
    for name, cells in NOTEBOOKS.items():
        path = notebook(name, cells)
        if not args.no_execute:
            execute(path)
        print("written", path)


if __name__ == "__main__":
    main()
