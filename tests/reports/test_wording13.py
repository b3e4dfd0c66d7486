"""Editorial review 12b, wording items (session 13): "L'essentiel" leads with the impact
and satisfaction, one label per comparison, calibration margins given, changes written
as changes (+146 %, +57 points), units and decimals kept, one wording for a given share."""

from __future__ import annotations

import html
import re

import numpy as np
import pandas as pd
import pytest

from analysis import profile, rake
from analysis.profile import CALIBRATION_MARGIN
from reports.cell_wording import figure_text, indicator_label, table_cell, with_units
from reports.formatting import format_change
from reports.i18n import catalogue
from reports.key_messages import _impacts, key_messages

NBSP, NNBSP = "\u00a0", "\u202f"
FR, EN = catalogue("fr"), catalogue("en")


def _page(path) -> str:
    """The page's text without tags, figures or styles, entities decoded, spaces plain."""
    page = path.read_text(encoding="utf-8")
    page = re.sub(r"<(svg|style|script)\b.*?</\1>", " ", page, flags=re.S)
    text = html.unescape(re.sub(r"<[^>]+>", " ", page))
    return re.sub(r"[\s\u00a0\u202f]+", " ", text)


def _essentials(path) -> list[str]:
    """The key messages of a report page, in order, spaces plain."""
    page = path.read_text(encoding="utf-8")
    block = page[page.index('<div class="essentials">'):]
    block = block[:block.index("</ul>")]
    return [re.sub(r"[ \u00a0\u202f]+", " ", html.unescape(re.sub(r"<[^>]+>", "", item))).strip()
            for item in re.findall(r"<li>(.*?)</li>", block, re.S)]


def _cards(tones_exact: list[tuple[str, str, bool]]) -> list[dict]:
    """Key-figure groups of one population: (indicator, tone, exact) per card."""
    return [{"source": "BVA", "populations": [{"name": "Agents", "label": "", "cards": [
        {"indicator": name, "tone": tone, "exact": exact} for name, tone, exact in tones_exact]}]}]


# --- 9. L'essentiel: impact and satisfaction first, comparisons counted -----------------

def test_essentials_open_with_the_kilometres_and_co2_avoided(demo_reports):
    """The first key message gives the km and CO2 avoided a year and what they extrapolate to."""
    first = _essentials(demo_reports["fr"])[0]
    assert first.startswith("Agents : 321 000 km de trajet et 62,0 t de CO₂ évités par an")
    assert "estimation pour 60 personnes, à partir de 46 répondants" in first


def test_essentials_give_the_shares_satisfied(demo_reports):
    """A satisfaction message gives each population's share satisfied, the earlier wave beside."""
    messages = _essentials(demo_reports["fr"])
    satisfied = next(m for m in messages if m.startswith("Satisfaction :"))
    assert ("65 % des agents satisfaits ou très satisfaits du télétravail "
            "(avant le pilote : 43 %)") in satisfied
    assert ("52 % des entreprises satisfaites ou très satisfaites de l'accompagnement dans son "
            "ensemble") in satisfied   # the overall item, not « Qualité de l'accompagnement »
    assert "68 % des usagers des tiers-lieux satisfaits" in satisfied


def test_essentials_in_english_too(demo_reports):
    """The English page has the same impact and satisfaction messages, in English."""
    messages = _essentials(demo_reports["en"])
    assert messages[0].startswith(
        "Agents: 321,000 km of commuting and 62.0 t of CO₂ avoided a year")
    assert any(m.startswith("Satisfaction: 65% of agents satisfied") for m in messages)


def test_comparison_message_comes_last_with_two_names_at_most(demo_reports):
    """The comparisons are counted by verdict, at most two named, none a calibration margin."""
    last = _essentials(demo_reports["fr"])[-1]
    assert last.startswith("Face aux références : nettement au-dessus pour 2 indicateurs, dont")
    assert last.count("«") == 2
    assert "Part d'hommes" not in last and "sans écart net pour 21 indicateurs" in last


def test_calibration_margin_is_counted_not_named():
    """A clear difference whose pilot share is a calibration margin is counted, not named."""
    cards = _cards([("Part d'hommes", "lower", True), ("Distance", "lower", False),
                    ("Âge", "higher", False)])
    text = key_messages([], FR, {}, cards)[0]
    assert "nettement en dessous pour 2 indicateurs, dont «\u00a0Distance\u00a0»" in text
    assert "Part d'hommes" not in text and "«\u00a0Âge\u00a0»" in text


def test_only_margins_gives_counts_without_names():
    """When every clear difference is a calibration margin, the message only counts them."""
    cards = _cards([("Hommes", "lower", True), ("Femmes", "higher", True)])
    text = key_messages([], FR, {}, cards)[0]
    assert text == ("Face aux références\u00a0: nettement au-dessus pour 1 indicateur\u00a0; "
                    "nettement en dessous pour 1 indicateur.")


def test_impact_of_respondents_only_says_so():
    """Without a population size, the impact message says the total is the respondents' own."""
    glance = [{"value": "5 350\u00a0km", "key": {"theme": "impact_km", "source": "ag",
                                                 "kind": None, "size": "", "n": "46",
                                                 "whole": False}}]
    assert _impacts(glance, FR, {"ag": "Agents"}) == [
        "Agents\u00a0: 5 350\u00a0km de trajet évités par an par les 46\u00a0répondants."]


# --- 10. one label per comparison ------------------------------------------------------

def test_comparison_table_uses_the_key_figure_label(demo_reports):
    """The comparison table names BVA's men share as its card does, not "Homme (ensemble)"."""
    for lang, label, old in (("fr", "Part d'hommes (référence : ensemble des salariés "
                                    "interrogés)", "Homme (ensemble)"),
                             ("en", "Share of men (reference: all employees surveyed)",
                              "Man (all)")):
        page = _page(demo_reports[lang])
        title = catalogue(lang).text("tables.baselines")
        table = page[page.index(title):]
        assert label in table   # after the cards: in the comparison table
        assert old not in page


def test_indicator_label_of_a_users_own_source_is_its_table_label():
    """A comparison the catalogue does not know keeps the label its table gives."""
    assert indicator_label({"source_id": "mine", "indicator": "x", "label_fr": "Mon indicateur"},
                           FR) == "Mon indicateur"


def test_comparison_figure_caption_says_means_are_not_drawn(demo_reports):
    """The dots' caption says that only shares are drawn, the means being in the table."""
    assert "Seules les parts sont dessinées : une comparaison de moyennes" in \
        _page(demo_reports["fr"])
    assert "Only shares are drawn: a comparison of means" in _page(demo_reports["en"])


# --- 11. calibration: a category outside the margins is given too ----------------------

@pytest.fixture
def raked():
    """Forty respondents raked on gender (F, M), with a third category no one gave."""
    rng = np.random.default_rng(7)
    data = pd.DataFrame({"gender": pd.Categorical(rng.choice(["F", "M"], 40),
                                                  categories=["F", "M", "X"]),
                         "service": rng.choice(["a", "b"], 40)})
    return data, rake(data, {"gender": {"F": 60, "M": 40}})


def test_category_outside_the_margins_is_a_given_zero(raked):
    """Its share is 0 with no interval and says it comes from the margins."""
    data, weights = raked
    x = profile(data, ["gender"], weights=weights).set_index("category").loc["X"]
    assert (x["estimate"], x["se"], x["ci_low"], x["ci_high"]) == (0.0, 0.0, 0.0, 0.0)
    assert x["method"] == CALIBRATION_MARGIN


def test_category_outside_the_margins_is_zero_in_every_group(raked):
    """In every group too (the population has none), while the margins' own rows keep
    their estimated intervals."""
    data, weights = raked
    table = profile(data, ["gender"], by="service", weights=weights)
    x = table[table["category"] == "X"]
    assert (x["ci_high"] == 0).all() and (x["method"] == CALIBRATION_MARGIN).all()
    assert (table.loc[table["category"] == "F", "ci_high"] > table.loc[
        table["category"] == "F", "ci_low"]).all()


def test_margin_rows_are_unchanged_by_the_given_zero(raked):
    """F and M rows equal those of the same data without the unused category."""
    data, weights = raked
    with_x = profile(data, ["gender"], by="service", weights=weights)
    without = data.assign(gender=data["gender"].cat.remove_unused_categories())
    plain = profile(without, ["gender"], by="service", weights=weights)
    columns = ["estimate", "se", "ci_low", "ci_high", "method"]
    pd.testing.assert_frame_equal(
        with_x[with_x["category"] != "X"][columns].reset_index(drop=True),
        plain[columns].reset_index(drop=True))


def test_unweighted_zero_keeps_its_interval(raked):
    """Without calibration a share observed at 0 keeps its binomial interval."""
    data, _ = raked
    x = profile(data, ["gender"]).set_index("category").loc["X"]
    assert x["ci_high"] > 0 and x["method"] != CALIBRATION_MARGIN


def test_demo_agents_other_gender_has_no_margin_of_error(demo_reports):
    """The agents' profile writes "Autre ou non précisé 0 %" without the 0 à 8 % interval."""
    page = _page(demo_reports["fr"])
    assert "Autre ou non précisé 46 0 % sans marge d'erreur" in page
    assert "0 à 8 %" not in page


def test_one_wording_for_a_given_share(demo_reports):
    """"Sans marge d'erreur" (no margin of error) everywhere; no "erreur d'échantillonnage"."""
    assert "erreur d'échantillonnage" not in _page(demo_reports["fr"])
    assert "sampling error" not in _page(demo_reports["en"])
    assert "sans marge d'erreur" in FR.text("report.calibrated_margins")
    assert FR.value("method", CALIBRATION_MARGIN) != CALIBRATION_MARGIN
    assert EN.value("method", CALIBRATION_MARGIN) != CALIBRATION_MARGIN


# --- 14. smaller things ------------------------------------------------------------------

def test_growth_is_written_with_its_sign(demo_reports):
    """Growth reads +146 % (a change), not 146 % (a level)."""
    page = _page(demo_reports["fr"])
    assert "+146 %" in page and re.search(r"(?<![+\d])146 %", page) is None
    assert "+146%" in _page(demo_reports["en"])
    assert format_change(0.0, "fr") == f"0{NNBSP}%" and format_change(-0.05, "en") == "−5%"


def test_balance_is_written_in_points():
    """A balance of satisfied minus dissatisfied is +57 points, its interval in points too."""
    row = {"item": "sat_overall", "statistic": "net", "n": 577, "estimate": 0.571,
           "ci_low": 0.509, "ci_high": 0.633}
    cells = [table_cell(row, c, True, {"estimate"}, cat)["text"]
             for cat in (FR, EN) for c in ("estimate", "ci")]
    assert cells == [f"+57{NBSP}points", f"+51{NBSP}à +63{NBSP}points",
                     f"+57{NBSP}points", f"+51{NBSP}to +63{NBSP}points"]


def test_paired_share_change_is_in_points():
    """A McNemar change of share is written in points, a Wilcoxon change of score signed."""
    row = {"item": "sat_overall", "test": "mcnemar", "n": 34, "estimate": 0.0}
    assert table_cell(row, "estimate", True, {"estimate"}, FR)["text"] == f"0{NBSP}point"
    row = {**row, "test": "wilcoxon", "estimate": 0.79}
    assert table_cell(row, "estimate", False, {"estimate"}, FR)["text"] == "+0,79"


def test_profile_row_with_a_test_is_not_in_points():
    """A profile's share whose row repeats a chi-square test stays a share."""
    row = {"variable": "gender", "category": "X", "test": "chi_square", "estimate": 0.0,
           "ci_low": 0.0, "ci_high": 0.01}
    assert table_cell(row, "estimate", True, {"estimate"}, FR)["text"] == f"0{NNBSP}%"


def test_comparison_interval_keeps_its_unit(demo_reports):
    """A mean's interval in the comparison table reads 42,9 à 56,0 km, as its card."""
    page = _page(demo_reports["fr"])
    assert "49,5 km 42,9 à 56,0 km 26 km" in page and "37,0 ans 36,2 à 37,8 ans" in page


def test_interval_with_a_bound_missing_gets_no_unit():
    """An interval without both bounds is left as written (no unit after words)."""
    cells = [{"text": "49,5"}, {"text": "8,34 ou plus"}]
    with_units(cells, {"unit": "km", "estimate": 49.5, "ci_low": 8.34, "ci_high": None},
               ["estimate", "ci"], FR)
    assert cells[1]["text"] == "8,34 ou plus"


def test_card_share_takes_the_references_decimals(demo_reports):
    """Nouvelle-Aquitaine's zones: 45,0 % against 45,5 %, not 45 % against 45,5 %."""
    page = _page(demo_reports["fr"])
    assert "45,0 % contre 45,5 %" in page
    assert "Part de lieux en zone urbaine 20 45,0 % 26 à 66 % 45,5 %" in page   # as the card
    assert figure_text(0.3, {}, True, FR, like=0.364) == f"30,0{NNBSP}%"


def test_folded_label_says_per_label(demo_reports):
    """One folded value: "par libellé", not "chacune"; no "respondents each" in English."""
    assert "Autres (moins de 5 réponses par libellé)" in _page(demo_reports["fr"])
    assert "respondents each" not in _page(demo_reports["en"])


def test_first_period_has_no_returning_user_and_blank_cells_say_why(demo_reports):
    """The attendance notes say why the first year has 0 returning users, and what a blank
    growth or median cell means."""
    page = _page(demo_reports["fr"])
    assert "tous les usagers sont nouveaux : 0 usager fidèle" in page
    assert "deux années entières (case vide sinon)" in page
    assert "case vide pour une modalité" in page


def test_comparison_figure_uses_the_key_figure_label():
    """The comparison dots are labelled as the card and the table (one wording per indicator)."""
    from reports.figures import draw

    data = pd.DataFrame({"source_id": ["bva-2015"], "indicator": ["man_all"],
                         "label_fr": ["Homme (ensemble)"], "estimate": [0.35],
                         "ci_low": [0.3], "ci_high": [0.4], "baseline": [0.45]})
    ax = draw("baseline_dots", data, lang="fr").axes[0]
    labels = [tick.get_text() for tick in ax.get_yticklabels()]
    assert "Homme (ensemble)" not in labels
    assert any(label.startswith("Part d'hommes") for label in labels)
