"""Review 10 on the demo page: a table of hidden rows and empty categories is one
sentence; the impact table gives the population's total with its interval."""

from __future__ import annotations

import html
import re


def _block(page: str, title: str) -> str:
    """The page's text from a table's title to the next table's title (tags removed)."""
    start = page.index(f">{title}<")
    end = page.index("<h3", start)
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page[start:end])))


def test_managers_profile_is_one_sentence(demo_reports):
    """Every row of the agents' profile by manager is hidden or a category no one chose
    (0 %): the page says so in one sentence, without a table of dashes."""
    page = demo_reports["fr"].read_text(encoding="utf-8")
    block = _block(page, "Profil des agents selon la fonction d&#39;encadrement")
    assert "Aucun chiffre de ce tableau n'est publié" in block
    assert "classes de pondération" in block
    assert "—" not in block and "0 %" not in block


def test_impact_table_gives_the_population_interval(demo_reports):
    """The impact table's population total has its interval beside it, as the cards do."""
    page = demo_reports["en"].read_text(encoding="utf-8")
    block = _block(page, "Commuting avoided over a year")
    assert "Confidence interval (population)" in block
    # (the block's spaces, no-break ones too, are plain spaces)
    km = re.search(r"Kilometres avoided(?: \S+)* 321,000 (\S+ to \S+)", block)
    assert km is not None, block[:600]
    low, high = (float(v.replace(",", "")) for v in km.group(1).split(" to "))
    assert (low, high) == (276000, 367000)


def test_a_likert_figure_of_hidden_items_has_no_caption_of_bars(demo_reports):
    """The agents' satisfaction figure draws no item (each has a hidden share): the page
    does not caption bars that are not there; the users' figure keeps its caption."""
    page = demo_reports["fr"].read_text(encoding="utf-8")
    agents = _block(page, "Satisfaction des agents")
    users = _block(page, "Satisfaction des usagers des tiers-lieux")
    assert "Aucune question représentée" in agents and "<figcaption" not in agents
    assert "Répartition des réponses par question" not in agents
    assert "Répartition des réponses par question" in users
