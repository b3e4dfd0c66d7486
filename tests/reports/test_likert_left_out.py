"""The Likert figure counts every item it leaves out, those wholly hidden included
(review 10, item 6: "3 questions non représentées" under a figure that drew none of 5)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from reports.figures import _likert_segments, draw


def _agents() -> pd.DataFrame:
    """Five items as the agents' table comes out of suppression: sat_balance and
    sat_autonomy wholly hidden, the other three with their bottom-2 share hidden."""
    items = ["sat_overall", "sat_balance", "sat_autonomy", "sat_manager", "sat_equipment"]
    top2 = [0.65, np.nan, np.nan, 0.41, 0.55]
    return pd.DataFrame({
        "item": np.repeat(items, 3),
        "statistic": ["mean", "top2", "bottom2"] * len(items),
        "estimate": np.ravel([[3.9, t, np.nan] for t in top2]),
    })


def _texts(fig) -> list[str]:
    """The figure-level texts (the line under the bars)."""
    return [t.get_text() for t in fig.texts]


def test_wholly_hidden_items_keep_their_row():
    """An item whose top-2 and bottom-2 are both hidden is a row of missing shares."""
    shares, _ = _likert_segments(_agents())
    assert shares.index.tolist() == ["sat_overall", "sat_balance", "sat_autonomy",
                                     "sat_manager", "sat_equipment"]
    assert shares.loc[["sat_balance", "sat_autonomy"]].isna().all(axis=None)


def test_every_item_hidden_counts_all_five():
    """No item drawable: the line says that no question is drawn (not "3 questions",
    the partly hidden ones, nor "5 questions non représentées" out of 5: review 12)."""
    fig = draw("likert_bars", _agents(), lang="fr")
    assert any(text.startswith("Aucune question représentée") for text in _texts(fig))
    assert not any(text.startswith(("3 ", "5 ")) for text in _texts(fig))


def test_every_item_hidden_draws_no_empty_frame():
    """No item drawable: no axes and no legend, only the sentence."""
    fig = draw("likert_bars", _agents(), lang="en")
    assert not fig.axes and not fig.legends
    assert _texts(fig) == [_texts(fig)[0]] and "No question drawn" in _texts(fig)[0]


def test_drawable_items_are_drawn_and_the_hidden_ones_counted():
    """Two items whole, two wholly hidden, one partly: two bars, three left out."""
    data = _agents()
    whole = data["item"].isin(["sat_manager", "sat_equipment"])
    data.loc[whole & (data["statistic"] == "bottom2"), "estimate"] = [0.2, 0.15]
    fig = draw("likert_bars", data, lang="en")
    ax = fig.axes[0]
    negative, neutral, positive = ax.containers
    assert [b.get_width() for b in negative] == pytest.approx([20, 15])
    assert [b.get_width() for b in positive] == pytest.approx([41, 55])
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert len(labels) == 2
    assert any("3 questions not drawn" in text for text in _texts(fig))


def test_a_wholly_hidden_scale_point_hides_every_item():
    """A full distribution whose 'very dissatisfied' share is hidden everywhere draws
    no item (its segments would otherwise shift) and counts both."""
    data = pd.DataFrame({"item": ["sat_a"] * 5 + ["sat_b"] * 5,
                         "category": list(range(1, 6)) * 2,
                         "estimate": [np.nan, 0.1, 0.2, 0.4, 0.3] * 2})
    fig = draw("likert_bars", data, lang="en")
    assert not fig.axes
    assert any("No question drawn" in text for text in _texts(fig))


def test_categorical_items_count_the_hidden_ones():
    """A categorical item column (codebook order) gives the same reading: none drawn."""
    data = _agents()
    data["item"] = pd.Categorical(data["item"], categories=list(dict.fromkeys(data["item"])))
    fig = draw("likert_bars", data, lang="en")
    assert any("No question drawn" in text for text in _texts(fig))
