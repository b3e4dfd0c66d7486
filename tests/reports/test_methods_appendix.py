"""The methods appendix's lists: reading guide, glossary, methods used, baseline sources."""

from __future__ import annotations

import pandas as pd

from analysis.evaluation_model import Table
from reports.i18n import catalogue
from reports.methods_appendix import baseline_sources, glossary, methods_used, reading_guide
from reports.presentation import Prepared


def _item(section: str, frame: pd.DataFrame) -> Prepared:
    """One prepared table of ``section`` whose data and table data are ``frame``."""
    return Prepared(section, Table("t", frame, "t"), frame, "s")


def test_reading_guide_quotes_the_threshold():
    """The hidden mark's explanation quotes the suppression threshold in force."""
    guide = reading_guide(catalogue("fr"), 11)
    assert "11" in guide[-1]["text"] and "11" not in reading_guide(catalogue("fr"), 5)[-1]["text"]


def test_glossary_ignores_bookkeeping_and_figures():
    """A term found only in a figure, an id or a CSS class is not in the glossary."""
    cat = catalogue("en")
    mass = cat.text("glossary.mass.match")
    hidden = [{"figure": mass, "id": mass, "cls": mass, "files": [mass], "headers": ["n"]}]
    assert glossary(hidden, cat) == []
    assert [e["term"] for e in glossary([{"headers": [mass]}], cat)] == [
        cat.text("glossary.mass.term")]


def test_methods_used_strips_counts_and_keeps_first_order():
    """A method with counts after ";" is listed once, by name, in the order first met."""
    cat = catalogue("en")
    paired = ("Wilcoxon signed-rank (post - pre); effect size: r; paired: 39 respondents")
    frame = pd.DataFrame({"method": ["Welch t-test", paired, paired.replace("39", "12")],
                          "test": [None, "none: too few groups", None]})
    assert methods_used([_item("satisfaction", frame)], cat) == [
        cat.value("method", "Welch t-test"), cat.value("method", "Wilcoxon signed-rank")]


def test_baseline_sources_only_from_baseline_and_methods_sections():
    """A source_id column outside the baselines and methods sections names no source."""
    cat = catalogue("en")
    frame = pd.DataFrame({"source_id": ["bva-2015", "bva-2015"], "year": [2015.0, 2015.0],
                          "baseline_n": [1200, 800]})
    assert baseline_sources([_item("profiles", frame)], cat) == []
    (entry,) = baseline_sources([_item("baselines", frame)], cat)
    assert (entry["year"], entry["base_n"]) == ("2015", ["1,200", "800"])
